/* batch.c - a pool of forked workers.  Each conversion is independent and
 * file-based, so separate processes are the simplest isolation there is:
 * one input that crashes or runs out of memory costs only itself. */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bar redraws at most this often: redrawing on every input of a fast
 * batch wrote hundreds of lines of escapes a second that no one can read. */
#define REDRAW_SECONDS 0.1

typedef struct {
  size_t total, done, failed;
  double start;
  int tty, quiet;
  double drawn_at; /* when the bar was last drawn */
  int shown;       /* the bar stands on the terminal's last line */
  int stale;       /* the bar on screen (or its absence) is out of date */
} progress;

static void draw(progress *p) {
  double t = now(), elapsed = t - p->start;
  double rate = elapsed > 0 ? p->done / elapsed : 0;
  enum { WIDTH = 30 };
  size_t fill = p->total ? p->done * WIDTH / p->total : WIDTH;
  char bar[WIDTH + 1];
  for (size_t i = 0; i < WIDTH; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[WIDTH] = '\0';
  double left = rate > 0 ? (p->total - p->done) / rate : 0;
  buf line = {0}; /* one write, so nothing lands inside it */
  buf_printf(&line, "\r\033[K[%s] %zu/%zu  %.1f/s  %d:%02d left", bar,
             p->done, p->total, rate, (int)left / 60, (int)left % 60);
  if (p->failed)
    buf_printf(&line, "  %zu failed", p->failed);
  fwrite(line.data, 1, line.len, stderr);
  fflush(stderr);
  buf_free(&line);
  p->drawn_at = t;
  p->shown = 1;
  p->stale = 0;
}

/* Redraws the bar when it is out of date and the last drawing is
 * REDRAW_SECONDS old, or the batch is done (its last state is always
 * shown). */
static void redraw_if_due(progress *p) {
  if (!p->tty || p->quiet || !p->stale)
    return;
  if (p->done == p->total || now() - p->drawn_at >= REDRAW_SECONDS)
    draw(p);
}

/* Milliseconds until a pending redraw is due, for poll; -1: none. */
static int redraw_wait(const progress *p) {
  if (!p->tty || p->quiet || !p->stale)
    return -1;
  double ms = (p->drawn_at + REDRAW_SECONDS - now()) * 1000;
  return ms <= 0 ? 0 : (int)ms + 1;
}

/* Clears the bar's line, so what is printed next starts a line of its own
 * instead of landing on the bar; the bar is redrawn below it later. */
static void clear_bar(progress *p) {
  if (p->shown) {
    fputs("\r\033[K", stderr);
    p->shown = 0;
  }
  p->stale = 1;
}

/* One more input done.  Off a terminal nothing is printed for it: the
 * warnings, the errors and the summary line say what needs saying
 * (--verbose names each file written). */
static void show(progress *p) {
  if (!p->tty || p->quiet)
    return;
  p->stale = 1;
  redraw_if_due(p);
}

static void finish(progress *p) {
  if (p->quiet)
    return;
  double elapsed = now() - p->start;
  if (p->shown)
    fputc('\n', stderr);
  fprintf(stderr, "galley: %zu input%s: %zu written, %zu failed, in %.2f s",
          p->total, p->total == 1 ? "" : "s", p->total - p->failed, p->failed,
          elapsed);
  if (elapsed > 0)
    fprintf(stderr, " (%.1f per second)", p->total / elapsed);
  fputc('\n', stderr);
}

static size_t run_here(const batch_job *jobs, size_t n, progress *p,
                       batch_convert convert, void *ctx) {
  for (size_t i = 0; i < n; i++) {
    if (convert(&jobs[i], ctx) != 0)
      p->failed++;
    p->done++;
    if (n > 1)
      show(p);
  }
  return p->failed;
}

/* A worker: a forked process converting the jobs it is sent, one at a
 * time, over a socket: the job's index goes out, a status byte comes back.
 * Forking once per worker rather than once per job spares every job the
 * fork, the copy-on-write faults and the exit; a worker that dies takes
 * only its current job with it, and is replaced.  After JOBS_PER_WORKER
 * jobs a worker is retired, so that memory stays flat however long the
 * batch. */
enum { JOBS_PER_WORKER = 200 };

typedef struct {
  pid_t pid;  /* 0: no worker in this slot */
  int fd;     /* the parent's end of the socket */
  int err;    /* on a terminal, the read end of its standard error; else -1 */
  buf said;   /* what it wrote there, up to its last whole line */
  long job;   /* the job it is converting, or -1 */
  size_t ran; /* jobs sent to it so far */
} worker;

static void serve(int fd, const batch_job *jobs, batch_convert convert,
                  void *ctx) {
  size_t k;
  for (;;) {
    ssize_t got = read(fd, &k, sizeof k);
    if (got < 0 && errno == EINTR)
      continue;
    if (got != (ssize_t)sizeof k)
      break; /* the parent closed the socket: no more jobs */
    unsigned char status = convert(&jobs[k], ctx) ? 1 : 0;
    fflush(NULL);
    if (write(fd, &status, 1) != 1)
      break;
  }
}

/* On a terminal a worker's standard error is a pipe the parent reads
 * (drain), so that its warnings are printed above the progress bar rather
 * than onto it. */
static int spawn(worker *slots, int n_slots, int slot, const progress *p,
                 const batch_job *jobs, batch_convert convert, void *ctx) {
  int sv[2], ep[2] = {-1, -1};
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return -1;
  if (p->tty && !p->quiet && pipe2(ep, O_CLOEXEC) != 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  fflush(NULL); /* children must not write the parent's buffers again */
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < n_slots; i++)
      if (slots[i].pid) {
        close(slots[i].fd);
        if (slots[i].err >= 0)
          close(slots[i].err);
      }
    close(sv[0]);
    if (ep[1] >= 0 && dup2(ep[1], STDERR_FILENO) < 0)
      _exit(1);
    if (ep[0] >= 0) {
      close(ep[0]);
      close(ep[1]);
    }
    serve(sv[1], jobs, convert, ctx);
    fflush(NULL);
    _exit(0);
  }
  close(sv[1]);
  if (ep[1] >= 0)
    close(ep[1]);
  if (pid < 0) {
    close(sv[0]);
    if (ep[0] >= 0)
      close(ep[0]);
    return -1;
  }
  if (ep[0] >= 0)
    fcntl(ep[0], F_SETFL, O_NONBLOCK);
  slots[slot] = (worker){pid, sv[0], ep[0], {0}, -1, 0};
  return 0;
}

/* Prints what the worker has written to its standard error so far, whole
 * lines only, above the bar; at its end (last), a last partial line too. */
static void drain(worker *w, progress *p, int last) {
  if (w->err < 0)
    return;
  char chunk[4096];
  for (;;) {
    ssize_t got = read(w->err, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR)
      continue;
    if (got == 0) { /* it has exited: no more to come, nor to poll for */
      close(w->err);
      w->err = -1;
      last = 1;
    }
    if (got <= 0)
      break;
    buf_put(&w->said, chunk, (size_t)got);
  }
  size_t whole = w->said.len;
  while (!last && whole > 0 && w->said.data[whole - 1] != '\n')
    whole--;
  if (whole == 0)
    return;
  clear_bar(p);
  fwrite(w->said.data, 1, whole, stderr);
  if (w->said.data[whole - 1] != '\n')
    fputc('\n', stderr);
  memmove(w->said.data, w->said.data + whole, w->said.len - whole);
  w->said.len -= whole;
}

static int send_job(worker *w, size_t k) {
  ssize_t sent = send(w->fd, &k, sizeof k, MSG_NOSIGNAL);
  if (sent != (ssize_t)sizeof k)
    return -1;
  w->job = (long)k;
  w->ran++;
  return 0;
}

/* Ends a worker's slot: closing the socket tells a live worker to exit. */
static int retire(worker *w, progress *p) {
  close(w->fd);
  int status = 0;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
    ;
  drain(w, p, 1);
  if (w->err >= 0)
    close(w->err);
  buf_free(&w->said);
  w->pid = 0;
  w->err = -1;
  w->job = -1;
  return status;
}

static size_t run_workers(const batch_job *jobs, size_t n, int n_slots,
                          progress *p, batch_convert convert, void *ctx) {
  worker *slots = calloc((size_t)n_slots, sizeof *slots);
  /* a socket and a standard error for each worker */
  struct pollfd *fds = calloc(2 * (size_t)n_slots, sizeof *fds);
  int *which = calloc(2 * (size_t)n_slots, sizeof *which);
  if (!slots || !fds || !which)
    abort();
  size_t next = 0;
  while (p->done < n) {
    /* every idle slot gets a worker and a job while jobs are left */
    for (int i = 0; i < n_slots && next < n; i++) {
      if (slots[i].pid && slots[i].job >= 0)
        continue;
      if (slots[i].pid && slots[i].ran >= JOBS_PER_WORKER)
        retire(&slots[i], p);
      if (!slots[i].pid &&
          spawn(slots, n_slots, i, p, jobs, convert, ctx) != 0) {
        clear_bar(p);
        diag(DIAG_ERROR, jobs[next].input, 0, 0, "cannot start a worker: %s",
             strerror(errno));
        p->failed++;
        p->done++;
        next++;
        i--; /* try the slot again with the next job */
        continue;
      }
      if (send_job(&slots[i], next) != 0) {
        retire(&slots[i], p); /* it died before taking the job */
        clear_bar(p);
        diag(DIAG_ERROR, jobs[next].input, 0, 0, "the worker for it died");
        p->failed++;
        p->done++;
      }
      next++;
    }
    int n_fds = 0;
    for (int i = 0; i < n_slots; i++) {
      if (slots[i].pid && slots[i].job >= 0) {
        fds[n_fds] = (struct pollfd){slots[i].fd, POLLIN, 0};
        which[n_fds++] = i;
      }
      if (slots[i].pid && slots[i].err >= 0) {
        fds[n_fds] = (struct pollfd){slots[i].err, POLLIN, 0};
        which[n_fds++] = i;
      }
    }
    if (!n_fds)
      break;
    int ready = poll(fds, (nfds_t)n_fds, redraw_wait(p));
    if (ready < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int f = 0; f < n_fds; f++) {
      worker *w = &slots[which[f]];
      if (!fds[f].revents || !w->pid)
        continue;
      if (fds[f].fd == w->err) {
        drain(w, p, 0);
        continue;
      }
      if (fds[f].fd != w->fd || w->job < 0)
        continue;
      size_t k = (size_t)w->job;
      unsigned char status;
      ssize_t got = read(w->fd, &status, 1);
      if (got < 0 && errno == EINTR)
        continue;
      if (got == 1) {
        drain(w, p, 0); /* its warnings come before it is counted */
        if (status)
          p->failed++;
        w->job = -1;
      } else { /* the worker died with the job */
        int st = retire(w, p);
        if (WIFSIGNALED(st)) {
          clear_bar(p);
          diag(DIAG_ERROR, jobs[k].input, 0, 0, "the conversion crashed (%s)",
               strsignal(WTERMSIG(st)));
        }
        p->failed++;
      }
      p->done++;
      show(p);
    }
    redraw_if_due(p);
  }
  for (int i = 0; i < n_slots; i++)
    if (slots[i].pid)
      retire(&slots[i], p);
  redraw_if_due(p);
  free(slots);
  free(fds);
  free(which);
  return p->failed;
}

size_t batch_run(const batch_job *jobs, size_t n, const batch_options *opt,
                 batch_convert convert, void *ctx) {
  progress p = {.total = n,
                .start = now(),
                .tty = isatty(STDERR_FILENO),
                .quiet = opt->quiet || n < 2};
  /* under the bar even one job at a time goes to a worker, whose warnings
   * the parent prints above the bar */
  int here = n < 2 || (opt->jobs <= 1 && !(p.tty && !p.quiet));
  size_t failed;
  if (here)
    failed = run_here(jobs, n, &p, convert, ctx);
  else
    failed = run_workers(jobs, n, opt->jobs < (int)n ? opt->jobs : (int)n, &p,
                         convert, ctx);
  finish(&p);
  return failed;
}

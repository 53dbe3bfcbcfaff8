/* batch.c - a pool of forked workers.  Each conversion is independent and
 * file-based, so separate processes are the simplest isolation there is:
 * one input that crashes or runs out of memory costs only itself. */
#include "batch.h"

#include <errno.h>
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

typedef struct {
  size_t total, done, failed;
  double start;
  int tty, quiet;
} progress;

static void show(progress *p, const batch_job *job) {
  if (p->quiet)
    return;
  double elapsed = now() - p->start;
  double rate = elapsed > 0 ? p->done / elapsed : 0;
  if (!p->tty) {
    buf line = {0}; /* one write, and the name escaped as in diag */
    buf_printf(&line, "galley: [%zu/%zu] ", p->done, p->total);
    diag_escape(&line, job->input);
    buf_putc(&line, '\n');
    fwrite(line.data, 1, line.len, stderr);
    buf_free(&line);
    return;
  }
  enum { WIDTH = 30 };
  size_t fill = p->total ? p->done * WIDTH / p->total : WIDTH;
  char bar[WIDTH + 1];
  for (size_t i = 0; i < WIDTH; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[WIDTH] = '\0';
  double left = rate > 0 ? (p->total - p->done) / rate : 0;
  fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.1f/s  %d:%02d left", bar, p->done,
          p->total, rate, (int)left / 60, (int)left % 60);
  if (p->failed)
    fprintf(stderr, "  %zu failed", p->failed);
  fflush(stderr);
}

static void finish(progress *p) {
  if (p->quiet)
    return;
  double elapsed = now() - p->start;
  if (p->tty)
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
      show(p, &jobs[i]);
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

static int spawn(worker *slots, int n_slots, int slot, const batch_job *jobs,
                 batch_convert convert, void *ctx) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return -1;
  fflush(NULL); /* children must not write the parent's buffers again */
  pid_t pid = fork();
  if (pid == 0) {
    for (int i = 0; i < n_slots; i++)
      if (slots[i].pid)
        close(slots[i].fd);
    close(sv[0]);
    serve(sv[1], jobs, convert, ctx);
    fflush(NULL);
    _exit(0);
  }
  close(sv[1]);
  if (pid < 0) {
    close(sv[0]);
    return -1;
  }
  slots[slot] = (worker){pid, sv[0], -1, 0};
  return 0;
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
static int retire(worker *w) {
  close(w->fd);
  int status = 0;
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
    ;
  w->pid = 0;
  w->job = -1;
  return status;
}

static size_t run_workers(const batch_job *jobs, size_t n, int n_slots,
                          progress *p, batch_convert convert, void *ctx) {
  worker *slots = calloc((size_t)n_slots, sizeof *slots);
  struct pollfd *fds = calloc((size_t)n_slots, sizeof *fds);
  int *which = calloc((size_t)n_slots, sizeof *which);
  if (!slots || !fds || !which)
    abort();
  size_t next = 0;
  while (p->done < n) {
    /* every idle slot gets a worker and a job while jobs are left */
    for (int i = 0; i < n_slots && next < n; i++) {
      if (slots[i].pid && slots[i].job >= 0)
        continue;
      if (slots[i].pid && slots[i].ran >= JOBS_PER_WORKER)
        retire(&slots[i]);
      if (!slots[i].pid && spawn(slots, n_slots, i, jobs, convert, ctx) != 0) {
        diag(DIAG_ERROR, jobs[next].input, 0, 0, "cannot start a worker: %s",
             strerror(errno));
        p->failed++;
        p->done++;
        next++;
        i--; /* try the slot again with the next job */
        continue;
      }
      if (send_job(&slots[i], next) != 0) {
        retire(&slots[i]); /* it died before taking the job */
        diag(DIAG_ERROR, jobs[next].input, 0, 0, "the worker for it died");
        p->failed++;
        p->done++;
      }
      next++;
    }
    int n_fds = 0;
    for (int i = 0; i < n_slots; i++)
      if (slots[i].pid && slots[i].job >= 0) {
        fds[n_fds] = (struct pollfd){slots[i].fd, POLLIN, 0};
        which[n_fds++] = i;
      }
    if (!n_fds)
      break;
    if (poll(fds, (nfds_t)n_fds, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int f = 0; f < n_fds; f++) {
      if (!fds[f].revents)
        continue;
      worker *w = &slots[which[f]];
      size_t k = (size_t)w->job;
      unsigned char status;
      ssize_t got = read(w->fd, &status, 1);
      if (got < 0 && errno == EINTR)
        continue;
      if (got == 1) {
        if (status)
          p->failed++;
        w->job = -1;
      } else { /* the worker died with the job */
        int st = retire(w);
        if (WIFSIGNALED(st))
          diag(DIAG_ERROR, jobs[k].input, 0, 0, "the conversion crashed (%s)",
               strsignal(WTERMSIG(st)));
        p->failed++;
      }
      p->done++;
      show(p, &jobs[k]);
    }
  }
  for (int i = 0; i < n_slots; i++)
    if (slots[i].pid)
      retire(&slots[i]);
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
  size_t failed;
  if (opt->jobs <= 1 || n < 2)
    failed = run_here(jobs, n, &p, convert, ctx);
  else
    failed = run_workers(jobs, n, opt->jobs < (int)n ? opt->jobs : (int)n, &p,
                         convert, ctx);
  finish(&p);
  return failed;
}

/* batch.c - a pool of forked workers.  Each conversion is independent and
 * file-based, so a process per input is the simplest isolation there is:
 * one input that crashes or runs out of memory costs only itself. */
#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
    fprintf(stderr, "galley: [%zu/%zu] %s\n", p->done, p->total, job->input);
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

size_t batch_run(const batch_job *jobs, size_t n, const batch_options *opt,
                 batch_convert convert, void *ctx) {
  progress p = {.total = n,
                .start = now(),
                .tty = isatty(STDERR_FILENO),
                .quiet = opt->quiet || n < 2};
  size_t failed;
  if (opt->jobs <= 1 || n < 2) {
    failed = run_here(jobs, n, &p, convert, ctx);
    finish(&p);
    return failed;
  }
  pid_t *pids = calloc(n, sizeof *pids);
  if (!pids)
    abort();
  size_t next = 0, running = 0;
  fflush(NULL); /* children must not write the parent's buffers again */
  while (p.done < n) {
    while (running < (size_t)opt->jobs && next < n) {
      pid_t pid = fork();
      if (pid == 0) {
        int rc = convert(&jobs[next], ctx);
        fflush(NULL);
        _exit(rc ? 1 : 0);
      }
      if (pid < 0) {
        diag(DIAG_ERROR, jobs[next].input, 0, 0, "cannot start a worker: %s",
             strerror(errno));
        p.failed++;
        p.done++;
        next++;
        continue;
      }
      pids[next++] = pid;
      running++;
    }
    if (!running)
      break;
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    size_t k = 0;
    while (k < next && pids[k] != pid)
      k++;
    if (k == next)
      continue;
    running--;
    if (WIFSIGNALED(status)) {
      diag(DIAG_ERROR, jobs[k].input, 0, 0, "the conversion crashed (%s)",
           strsignal(WTERMSIG(status)));
      p.failed++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      p.failed++;
    }
    p.done++;
    show(&p, &jobs[k]);
  }
  free(pids);
  finish(&p);
  return p.failed;
}

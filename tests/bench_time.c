/* bench_time.c - the median wall time of a command, for tests/bench.sh.
 *   bench-time RUNS COMMAND [ARG...]
 * Starts COMMAND RUNS times (after one run that is not counted, so the
 * files it reads are cached), each with posix_spawn, and prints the median
 * time from spawn to exit in milliseconds.  "%d" in an argument becomes
 * the run's number, so each run can write a file of its own.  A shell
 * loop's own fork of the shell, more than a millisecond on a small virtual
 * machine, falls outside the interval.  Exits 1 when a run fails. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double run(char **argv, int number, int *ok) {
  int n = 0;
  while (argv[n])
    n++;
  char **args = calloc((size_t)n + 1, sizeof *args);
  if (!args)
    abort();
  for (int i = 0; i < n; i++) {
    const char *mark = strstr(argv[i], "%d");
    if (mark) {
      size_t size = strlen(argv[i]) + 16;
      args[i] = malloc(size);
      if (!args[i])
        abort();
      snprintf(args[i], size, "%.*s%d%s", (int)(mark - argv[i]), argv[i],
               number, mark + 2);
    } else {
      args[i] = argv[i];
    }
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t pid;
  int status = 1;
  if (posix_spawnp(&pid, args[0], &fa, NULL, args, environ) == 0)
    waitpid(pid, &status, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  posix_spawn_file_actions_destroy(&fa);
  for (int i = 0; i < n; i++)
    if (args[i] != argv[i])
      free(args[i]);
  free(args);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    *ok = 0;
  return (double)(b.tv_sec - a.tv_sec) * 1e3 +
         (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

int main(int argc, char **argv) {
  int runs = argc > 2 ? atoi(argv[1]) : 0;
  if (runs < 1 || runs > 1000) {
    fputs("usage: bench-time RUNS COMMAND [ARG...]\n", stderr);
    return 2;
  }
  int ok = 1;
  run(argv + 2, 0, &ok);
  double *t = malloc((size_t)runs * sizeof *t);
  if (!t)
    abort();
  for (int i = 0; i < runs; i++)
    t[i] = run(argv + 2, i + 1, &ok);
  qsort(t, (size_t)runs, sizeof *t, cmp);
  printf("%.1f\n", t[runs / 2]);
  free(t);
  return ok ? 0 : 1;
}

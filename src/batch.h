/* batch.h - many conversions: worker processes, progress, summary. */
#ifndef GALLEY_BATCH_H
#define GALLEY_BATCH_H

#include <stddef.h>

typedef struct {
  const char *input; /* the file to read */
  const char *name;  /* the path its outputs are named after */
} batch_job;

/* Converts one job; 0 when everything was written. */
typedef int (*batch_convert)(const batch_job *job, void *ctx);

typedef struct {
  int jobs;  /* conversions at once; 1 converts in this process */
  int quiet; /* no progress bar, no summary */
} batch_options;

/* Runs convert over jobs[0..n).  With more than one job at once, the
 * conversions run in worker processes forked from this one (each converts
 * many jobs; one that crashes fails only its job and is replaced), so
 * whatever was loaded before the call (fonts, patterns) is shared and paid
 * for once, and memory stays flat however long the batch.  On a terminal a
 * progress bar shows count, rate and time left, redrawn at most ten times a
 * second, and the workers' standard error is printed above it (so there
 * even one job at a time runs in a worker); elsewhere nothing is printed
 * but the workers' messages and the summary.  Returns the number of jobs
 * that failed. */
size_t batch_run(const batch_job *jobs, size_t n, const batch_options *opt,
                 batch_convert convert, void *ctx);

#endif

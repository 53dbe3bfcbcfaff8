/* oom.c - out of memory: unwind to the API call, or abort (oom.h). */
#include "oom.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/* One API call runs at a time (galley.c holds its lock), so one target.
 * The thread is kept too: a jump into another thread's stack would be
 * worse than the abort. */
static jmp_buf *target;
static pthread_t owner;

void oom_catch(jmp_buf *where) {
  owner = pthread_self();
  target = where;
}

void oom_release(void) { target = NULL; }

void out_of_memory(void) {
  jmp_buf *to = target;
  if (to && pthread_equal(owner, pthread_self())) {
    target = NULL;
    longjmp(*to, 1);
  }
  fputs("galley: error: out of memory\n", stderr);
  abort();
}

/* oom.h - what galley does when memory runs out.
 *
 * Inside a call of the library's API (galley.h), the call unwinds to its
 * entry point, which returns GALLEY_ERR_NOMEM; elsewhere (the command
 * line's own code, the unit tests, the build tools) the message is printed
 * and the process aborts, as every allocation failing always did. */
#ifndef GALLEY_OOM_H
#define GALLEY_OOM_H

#include <setjmp.h>

/* Called where an allocation failed; does not return. */
_Noreturn void out_of_memory(void);

/* The API's side (galley.c): from now on, out_of_memory in this thread
 * jumps to where (set with setjmp in a frame that outlives the call) ... */
void oom_catch(jmp_buf *where);
/* ... and no longer. */
void oom_release(void);

#endif

/* vec.h - growing arrays. */
#ifndef GALLEY_VEC_H
#define GALLEY_VEC_H

#include <stddef.h>

/* Returns p grown (doubling) to hold at least need items of size bytes,
 * updating *cap.  Does not return when out of memory, as no allocation does
 * (oom.h). */
void *vec_grow(void *p, size_t *cap, size_t need, size_t size);

#endif

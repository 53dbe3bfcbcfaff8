/* vec.c - growing arrays. */
#include "vec.h"
#include "oom.h"

#include <stdint.h>
#include <stdlib.h>

void *vec_grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return p;
  size_t c = *cap ? *cap * 2 : 32;
  while (c < need)
    c *= 2;
  if (c > SIZE_MAX / size) /* no such array could be had */
    out_of_memory();
  void *q = realloc(p, c * size);
  if (!q)
    out_of_memory();
  *cap = c;
  return q;
}

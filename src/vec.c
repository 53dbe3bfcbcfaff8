/* vec.c - growing arrays. */
#include "vec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void *vec_grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return p;
  size_t c = *cap ? *cap * 2 : 32;
  while (c < need)
    c *= 2;
  if (c > SIZE_MAX / size) {
    fputs("galley: error: array size overflow\n", stderr);
    abort();
  }
  void *q = realloc(p, c * size);
  if (!q) {
    fputs("galley: error: out of memory\n", stderr);
    abort();
  }
  *cap = c;
  return q;
}

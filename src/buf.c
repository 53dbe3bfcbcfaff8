/* buf.c - growable byte buffer.  Allocation failure does not return
 * (oom.h): galley cannot do anything useful without memory, and every
 * caller would do the same. */
#include "buf.h"
#include "oom.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_grow(buf *b, size_t extra) {
  if (b->cap - b->len > extra)
    return;
  size_t want = b->len + extra + 1;
  if (want < b->len) /* overflow: no such buffer could be had */
    out_of_memory();
  size_t cap = b->cap ? b->cap : 256;
  while (cap < want)
    cap = cap > SIZE_MAX / 2 ? want : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p)
    out_of_memory();
  b->data = p;
  b->cap = cap;
}

void buf_put(buf *b, const void *bytes, size_t len) {
  buf_grow(b, len);
  if (len)
    memcpy(b->data + b->len, bytes, len);
  b->len += len;
  b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_putc(buf *b, char c) { buf_put(b, &c, 1); }

void buf_printf(buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n < sizeof small) {
    buf_put(b, small, (size_t)n);
    return;
  }
  buf_grow(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *buf_detach(buf *b, size_t *len) {
  if (!b->data)
    buf_grow(b, 0), b->data[0] = '\0';
  char *p = b->data;
  if (len)
    *len = b->len;
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void buf_free(buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

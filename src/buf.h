/* buf.h - a growable byte buffer, the one way galley builds text in memory. */
#ifndef GALLEY_BUF_H
#define GALLEY_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
  char *data; /* always NUL-terminated when non-NULL */
  size_t len;
  size_t cap;
} buf;

void buf_put(buf *b, const void *bytes, size_t len);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char *buf_detach(buf *b, size_t *len);
void buf_free(buf *b);

#endif

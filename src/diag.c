/* diag.c - the single place messages are made: printed, or handed to the
 * handler of a program embedding galley. */
#include "diag.h"
#include "oom.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int quiet;
static int errors, warnings;
static void (*sink_fn)(const char *line);
static diag_handler handler_fn;
static void *handler_ctx;

/* The input whose warnings are being counted (NULL: outside any input),
 * how many of them were shown and how many held back.  A batch worker
 * converts one input at a time, so one counter per process is enough. */
static char *input;
static long shown, hidden;

void diag_set_sink(void (*sink)(const char *line)) { sink_fn = sink; }

void diag_set_handler(diag_handler fn, void *ctx) {
  handler_fn = fn;
  handler_ctx = ctx;
}

void diag_set_quiet(int q) { quiet = q; }
int diag_error_count(void) { return errors; }
int diag_warning_count(void) { return warnings; }

static void put_hex(buf *b, unsigned char c) {
  static const char hex[] = "0123456789abcdef";
  char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
  buf_put(b, esc, sizeof esc);
}

/* Length of the well-formed UTF-8 sequence at p (1-4) and its code point,
 * or 0 when the bytes there are not one. */
static size_t utf8_seq(const unsigned char *p, unsigned long *cp) {
  size_t n;
  unsigned long c;
  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2, c = p[0] & 0x1f;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    n = 3, c = p[0] & 0x0f;
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    n = 4, c = p[0] & 0x07;
  else
    return 0;
  for (size_t i = 1; i < n; i++) {
    if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
      return 0;
    c = c << 6 | (p[i] & 0x3f);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
      (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return n;
}

void diag_escape(buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    if (*p < 0x20 || *p == 0x7f) {
      put_hex(b, *p++);
      continue;
    }
    if (*p < 0x80) {
      buf_putc(b, (char)*p++);
      continue;
    }
    unsigned long cp = 0;
    size_t n = utf8_seq(p, &cp);
    /* C1 controls (U+0080-009F: CSI and friends on some terminals), line
     * separators and bidirectional overrides, which can make a name read
     * as something else, are shown as their bytes too */
    int hide = n == 0 || cp <= 0x9f || cp == 0x2028 || cp == 0x2029 ||
               (cp >= 0x202a && cp <= 0x202e) ||
               (cp >= 0x2066 && cp <= 0x2069);
    if (n == 0)
      n = 1;
    for (size_t i = 0; i < n; i++)
      if (hide)
        put_hex(b, p[i]);
      else
        buf_putc(b, (char)p[i]);
    p += n;
  }
}

static void emit(buf *b) {
  if (sink_fn) {
    sink_fn(b->data);
  } else {
    buf_putc(b, '\n');
    fwrite(b->data, 1, b->len, stderr);
  }
}

static void begin_line(buf *b, diag_level level, const char *file, int line,
                       int col) {
  buf_puts(b, "galley: ");
  if (file) {
    diag_escape(b, file);
    if (line > 0) {
      buf_printf(b, ":%d", line);
      if (col > 0)
        buf_printf(b, ":%d", col);
    }
    buf_puts(b, ": ");
  }
  buf_puts(b, level == DIAG_ERROR     ? "error: "
              : level == DIAG_WARNING ? "warning: "
                                      : "note: ");
}

void diag_report(diag_level level, const char *file, int line, int col,
                 const char *text) {
  /* Build the whole line first so concurrent messages never interleave. */
  buf b = {0};
  begin_line(&b, level, file, line, col);
  diag_escape(&b, text);
  emit(&b);
  buf_free(&b);
}

/* Hands one message that is to be shown to the handler, else prints it. */
static void deliver(diag_level level, const char *file, int line, int col,
                    const char *text) {
  if (!handler_fn) {
    diag_report(level, file, line, col, text);
    return;
  }
  buf f = {0}, t = {0};
  if (file)
    diag_escape(&f, file);
  diag_escape(&t, text);
  handler_fn(handler_ctx, level, file ? f.data ? f.data : "" : NULL, line,
             col, t.data ? t.data : "");
  buf_free(&f);
  buf_free(&t);
}

void diag_end_input(void) {
  if (hidden && !quiet) {
    buf b = {0};
    buf_printf(&b, "%ld more warning%s not shown (at most %d are shown per "
                   "input)",
               hidden, hidden == 1 ? "" : "s", DIAG_WARNINGS_PER_INPUT);
    deliver(DIAG_WARNING, input, 0, 0, b.data);
    buf_free(&b);
  }
  free(input);
  input = NULL;
  shown = hidden = 0;
}

void diag_abandon_input(void) {
  free(input);
  input = NULL;
  shown = hidden = 0;
}

void diag_begin_input(const char *name) {
  diag_end_input();
  if (name && !(input = strdup(name)))
    out_of_memory();
}

void vdiag(diag_level level, const char *file, int line, int col,
           const char *fmt, va_list ap) {
  if (level == DIAG_ERROR)
    errors++;
  else if (level == DIAG_WARNING)
    warnings++;
  if (quiet && level != DIAG_ERROR)
    return;
  if (level != DIAG_ERROR && shown >= DIAG_WARNINGS_PER_INPUT) {
    hidden++;
    return;
  }
  if (level != DIAG_ERROR)
    shown++;
  va_list again;
  va_copy(again, ap);
  char small[512], *text = small;
  int n = vsnprintf(small, sizeof small, fmt, ap);
  if (n >= (int)sizeof small && (text = malloc((size_t)n + 1)) != NULL)
    vsnprintf(text, (size_t)n + 1, fmt, again);
  else if (n >= (int)sizeof small)
    text = small; /* out of memory: the message stays cut short */
  else if (n < 0)
    small[0] = '\0';
  va_end(again);
  deliver(level, file, line, col, text);
  if (text != small)
    free(text);
}

void diag(diag_level level, const char *file, int line, int col,
          const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdiag(level, file, line, col, fmt, ap);
  va_end(ap);
}

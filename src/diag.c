/* diag.c - the single place messages are printed. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "buf.h"

static int quiet;
static int errors, warnings;
static void (*sink_fn)(const char *line);

void diag_set_sink(void (*sink)(const char *line)) { sink_fn = sink; }

void diag_set_quiet(int q) { quiet = q; }
int diag_error_count(void) { return errors; }
int diag_warning_count(void) { return warnings; }

void diag(diag_level level, const char *file, int line, int col,
          const char *fmt, ...) {
  if (level == DIAG_ERROR)
    errors++;
  else if (level == DIAG_WARNING)
    warnings++;
  if (quiet && level != DIAG_ERROR)
    return;
  /* Build the whole line first so concurrent messages never interleave. */
  buf b = {0};
  buf_puts(&b, "galley: ");
  if (file) {
    buf_puts(&b, file);
    if (line > 0) {
      buf_printf(&b, ":%d", line);
      if (col > 0)
        buf_printf(&b, ":%d", col);
    }
    buf_puts(&b, ": ");
  }
  buf_puts(&b, level == DIAG_ERROR     ? "error: "
               : level == DIAG_WARNING ? "warning: "
                                       : "note: ");
  va_list ap;
  va_start(ap, fmt);
  char small[512];
  vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  buf_puts(&b, small);
  if (sink_fn) {
    sink_fn(b.data);
  } else {
    buf_putc(&b, '\n');
    fwrite(b.data, 1, b.len, stderr);
  }
  buf_free(&b);
}

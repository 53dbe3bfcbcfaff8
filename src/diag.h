/* diag.h - diagnostics: "galley: FILE:LINE:COL: error|warning: text" on
 * stderr, or handed to a handler (the library's callers, galley.h). */
#ifndef GALLEY_DIAG_H
#define GALLEY_DIAG_H

#include <stdarg.h>

#include "buf.h"

typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_level;

/* At most this many warnings and notes are shown for one input (errors
 * are always shown); the rest are counted and summed up in one line. */
enum { DIAG_WARNINGS_PER_INPUT = 50 };

/* line and col are 1-based; 0 leaves them out of the message.  Control
 * characters in the file name or the text are printed escaped (\x1b), so
 * a file name cannot drive the terminal. */
void diag(diag_level level, const char *file, int line, int col,
          const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void vdiag(diag_level level, const char *file, int line, int col,
           const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Where each message that is shown goes instead of being printed: file
 * (NULL when the message names none) and text escaped as printed (see
 * diag_escape), line and col 0 when not known.  NULL prints again. */
typedef void (*diag_handler)(void *ctx, diag_level level, const char *file,
                             int line, int col, const char *text);
void diag_set_handler(diag_handler fn, void *ctx);

/* Prints one message as diag does (to the sink or stderr), text escaped,
 * neither counted nor capped: for a handler that prints what it is
 * handed. */
void diag_report(diag_level level, const char *file, int line, int col,
                 const char *text);

/* The warnings that follow belong to input name (until the next call or
 * diag_end_input), and are capped at DIAG_WARNINGS_PER_INPUT. */
void diag_begin_input(const char *name);
/* Ends the current input (or, with none begun, the messages outside any
 * input): prints how many of its warnings were not shown, if any. */
void diag_end_input(void);
/* Ends the current input saying nothing (memory ran out: oom.h). */
void diag_abandon_input(void);

/* Appends s to b with C0 and C1 controls, DEL, bidirectional overrides
 * and ill-formed UTF-8 bytes written as \xNN: for any name or text from
 * outside that is printed on a terminal. */
void diag_escape(buf *b, const char *s);

/* -q silences warnings and notes; errors are always shown. */
void diag_set_quiet(int quiet);
int diag_error_count(void);
/* Sends each message line (without its newline) to sink instead of stderr
 * (a handler, when set, comes first); NULL restores stderr.  For the
 * tests. */
void diag_set_sink(void (*sink)(const char *line));
int diag_warning_count(void);

#endif

/* diag.h - diagnostics: "galley: FILE:LINE:COL: error|warning: text" on stderr.
 */
#ifndef GALLEY_DIAG_H
#define GALLEY_DIAG_H

typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_level;

/* line and col are 1-based; 0 leaves them out of the message. */
void diag(diag_level level, const char *file, int line, int col,
          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* -q silences warnings and notes; errors are always shown. */
void diag_set_quiet(int quiet);
int diag_error_count(void);
/* Sends each message line (without its newline) to sink instead of stderr;
 * NULL restores stderr.  For programs embedding galley, and for tests. */
void diag_set_sink(void (*sink)(const char *line));
int diag_warning_count(void);

#endif

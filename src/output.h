/* output.h - writing finished files. */
#ifndef GALLEY_OUTPUT_H
#define GALLEY_OUTPUT_H

#include <stddef.h>

/* Writes bytes to path atomically: a temporary file in the same folder,
 * renamed over path, so a failure never leaves a partial file nor harms an
 * earlier one (which is replaced only after the new file is flushed to
 * disk).  "-" writes to standard output.  Returns 0, or -1
 * after reporting. */
int output_write(const char *path, const void *bytes, size_t len);

#endif

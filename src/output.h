/* output.h - writing finished files. */
#ifndef GALLEY_OUTPUT_H
#define GALLEY_OUTPUT_H

#include <stddef.h>

/* Writes bytes to path.  "-", /dev/stdout, /dev/stderr and /dev/fd/N
 * write to that open descriptor.  A FIFO, character device or socket is
 * written into (opened, or connected to), never replaced.  Anything else
 * is a regular file, new or replaced, written atomically: a temporary file
 * in its folder (named .galley-tmp-PID-NAME.XXXXXX), renamed over it, so a
 * failure never leaves a partial file nor harms an earlier one, which is
 * replaced only after the new bytes are flushed to disk and keeps its
 * permissions (and owner and group where allowed).  A symbolic link is
 * written through: its target is replaced and the link stays.  Temporary
 * files of the same output left by a galley that was killed are removed.
 * Block devices and folders are refused.  Returns 0, or -1 after
 * reporting. */
int output_write(const char *path, const void *bytes, size_t len);

/* The file a write to path would land on, as an absolute path with every
 * symbolic link that exists resolved (malloc'd; NULL when it cannot be
 * told), so that two spellings of one output compare equal. */
char *output_resolve(const char *path);

#endif

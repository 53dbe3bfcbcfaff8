/* wordbreak.h - where the words of Chinese text begin and end, by ICU's
 * dictionary-based word break iterator.  ICU (libicuuc and its 30 MB data
 * library) is loaded on the first call, so a run that asks for no word
 * boundaries never starts it. */
#ifndef GALLEY_WORDBREAK_H
#define GALLEY_WORDBREAK_H

#include <stddef.h>

/* Texts longer than this are not segmented. */
#define WORDBREAK_MAX_BYTES 65536

/* The word boundaries of the UTF-8 text s of len bytes: a malloc'd array of
 * len + 1 flags, nonzero at each byte offset where a word (or a run of
 * digits, Latin letters or punctuation) begins or ends, 0 and len
 * included.  NULL when ICU cannot be loaded or cannot segment (a warning
 * says so, once a run) or len is 0 or over WORDBREAK_MAX_BYTES. */
unsigned char *wordbreak_bounds(const char *s, size_t len);

#endif

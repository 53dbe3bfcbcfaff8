/* utf8.h - UTF-8 decoding, repair and encoding. */
#ifndef GALLEY_UTF8_H
#define GALLEY_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes one code point at s (len bytes available).  Returns the number of
 * bytes of a well-formed sequence (1-4), or 0 for an ill-formed one: overlong
 * forms, surrogates, values past U+10FFFF and truncated sequences. */
int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The code point at *s (*len bytes left), U+FFFD for an ill-formed byte;
 * advances past it.  *len must not be 0. */
uint32_t utf8_next(const unsigned char **s, size_t *len);

/* True for the 66 noncharacters (U+FDD0..U+FDEF and the last two code
 * points of every plane): XML forbids U+FFFE and U+FFFF, and libunibreak
 * takes U+FFFF for its end of text, so text never carries them. */
int utf8_is_noncharacter(uint32_t cp);

/* Appends cp as UTF-8. */
void utf8_encode(buf *out, uint32_t cp);

/* Copies in to out, replacing each ill-formed sequence (the maximal subpart,
 * as Unicode recommends) and each NUL with U+FFFD.  Returns the number of
 * replacements and stores the byte offset of the first in *first_bad. */
size_t utf8_repair(const char *in, size_t len, buf *out, size_t *first_bad);

#endif

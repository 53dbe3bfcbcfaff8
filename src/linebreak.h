/* linebreak.h - choosing where a paragraph's lines end. */
#ifndef GALLEY_LINEBREAK_H
#define GALLEY_LINEBREAK_H

#include <stddef.h>

#include "breaks.h"

typedef struct {
  size_t end;   /* index of the item the line breaks at */
  double ratio; /* glue adjustment: >0 stretch, <0 shrink, in [-1, ...] */
} line_break;

/* Paragraphs with more items than this are broken first-fit. */
#define LINEBREAK_TOTAL_FIT_LIMIT 40000

/* Breaks items into lines of the given width: total fit (Knuth-Plass),
 * or first fit for paragraphs over the limit.  Ragged lines (justify 0)
 * are chosen the same way and set at their natural width.  No more than
 * hyphen_limit lines in a row end in a hyphen unless nothing else fits.
 * Returns the number of lines; *out is malloc'd. */
size_t linebreak(const item *items, size_t n, double width, int justify,
                 int hyphen_limit, line_break **out);

#endif

/* titleshape.h - the lines of a circular's title in the shapes of
 * GB/T 9704-2012 7.3.1: an inverted trapezoid (each line no shorter than
 * the next) or, failing that, a diamond (the middle line widest), broken
 * between words (词意完整). */
#ifndef GALLEY_TITLESHAPE_H
#define GALLEY_TITLESHAPE_H

#include <stddef.h>

#include "breaks.h"

/* Chooses the breaks of p's items (built already) for lines of at most
 * width points, at least min_lines of them, cell being the title's
 * character width.  Returns the number of lines and sets *out (malloc'd)
 * to the index of the item each line breaks at, the last being the
 * paragraph's end; returns 0 (and *out NULL) when no shape fits. */
size_t title_shape(const para *p, double width, double cell, size_t min_lines,
                   size_t **out);

/* As title_shape, with the word boundaries given instead of ICU's: flags
 * over p's text as wordbreak_bounds makes them, or NULL for none (the
 * rules alone). */
size_t title_shape_bounds(const para *p, const unsigned char *bounds,
                          double width, double cell, size_t min_lines,
                          size_t **out);

#endif

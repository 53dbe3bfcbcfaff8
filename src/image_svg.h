/* image_svg.h - SVG drawings made pixels for the PDF, with librsvg.
 *
 * librsvg (and cairo and GLib with it) is loaded with dlopen when the first
 * SVG is sized or drawn, so a run without one pays nothing for them.  The
 * bytes given are an SVG image_svg_clean has made safe: nothing in them
 * reaches outside the file, and librsvg is given no base to resolve
 * anything against. */
#ifndef GALLEY_IMAGE_SVG_H
#define GALLEY_IMAGE_SVG_H

#include <stddef.h>

/* The drawing's intrinsic size in CSS pixels (96 per inch): its width and
 * height, else its viewBox, else 300 x 150 as a browser takes it.  0, or -1
 * with msg (128 bytes) saying why. */
int image_svg_size(const char *bytes, size_t len, double *width,
                   double *height, char *msg);

/* Draws the SVG to fill width x height pixels (its proportions kept, as
 * its preserveAspectRatio says) on a transparent ground, in a child
 * process (so that librsvg's threads and fonts stay out of this one).  Returns the
 * pixels as straight (not premultiplied) RGBA rows, malloc'd, or NULL with
 * msg (128 bytes) saying why. */
unsigned char *image_svg_render(const char *bytes, size_t len, unsigned width,
                                unsigned height, char *msg);

#endif

/* png_pixels.h - PNG files decoded to 8-bit RGB, safely. */
#ifndef GALLEY_PNG_PIXELS_H
#define GALLEY_PNG_PIXELS_H

#include <stddef.h>

/* Largest image decoded, in pixels (about 200 MB of RGB). */
#define PNG_MAX_PIXELS (64u * 1024 * 1024)

/* Decodes path into malloc'd RGB rows (width * 3 bytes each); any alpha is
 * composited onto white.  NULL, with *why set, for a broken, truncated or
 * oversized file: libpng reports through longjmp, which libharu's own PNG
 * loader does not catch (it aborts the process). */
unsigned char *png_pixels(const char *path, unsigned *width, unsigned *height,
                          const char **why);

#endif

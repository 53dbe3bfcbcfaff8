/* image.h - every image checked once, for both writers.
 *
 * PNG, JPEG and GIF files are decoded in full (every row of every frame)
 * and SVG files parsed and sanitised before they enter the model, so a
 * damaged file reaches neither the PDF nor the EPUB.  The decoders
 * (libpng, libjpeg, libgif, libxml2; librsvg to draw an SVG) are loaded
 * with dlopen on the first image, as the writers are: a run without images
 * pays nothing for them. */
#ifndef GALLEY_IMAGE_H
#define GALLEY_IMAGE_H

#include <stddef.h>

/* Largest image decoded, in pixels (all frames of a GIF together). */
#define IMAGE_MAX_PIXELS (64ull * 1024 * 1024)
/* Largest SVG sanitised: its tree costs several times its bytes. */
#define IMAGE_SVG_MAX_BYTES (4u * 1024 * 1024)

typedef enum {
  IMAGE_OK = 0,
  IMAGE_BAD = -1,  /* damaged, unsupported or too large: never usable */
  IMAGE_OVER = -2, /* more pixels than the caller's limit allowed */
} image_status;

/* Checks len bytes of media_type (as resource_sniff tells it): decodes a
 * PNG, JPEG or GIF fully, parses and sanitises an SVG.  Decoding stops
 * early, with IMAGE_OVER, when the image has more than limit pixels.  On
 * IMAGE_OK, *width and *height are the pixel size (0 for SVG) and *pixels
 * the number decoded; otherwise *why says what is wrong. */
image_status image_check_mem(const unsigned char *bytes, size_t len,
                             const char *media_type,
                             unsigned long long limit, unsigned *width,
                             unsigned *height, unsigned long long *pixels,
                             const char **why);

/* The same for a file.  A verdict is kept per file (checked again when its
 * size or time of change differs), so an image used twice, or by both
 * writers, is decoded once per process; *why stays valid as long. */
image_status image_check(const char *path, const char *media_type,
                         unsigned long long limit, unsigned *width,
                         unsigned *height, unsigned long long *pixels,
                         const char **why);

/* An image made pixels for the PDF: 8-bit RGB rows and, for an image with
 * transparency decoded with keep_alpha, its alpha as 8-bit rows (NULL when
 * every pixel is opaque, or when alpha was composited onto white). */
typedef struct {
  unsigned char *rgb;   /* width * height * 3 */
  unsigned char *alpha; /* width * height, or NULL */
  unsigned width, height;
} image_pixels;

/* Decodes a PNG, JPEG (CMYK made RGB by the plain formula) or GIF (its
 * first frame) file, shrunk by averaging to fit within max_w x max_h
 * pixels when it is larger, keeping its proportions; an SVG is sanitised
 * (image_svg_clean) and drawn by librsvg to fit the box.  Without
 * keep_alpha, transparency is composited onto white.  Memory: the result
 * and a row or two of the source (a large interlaced PNG is read from its
 * last pass, every other row).  0, or -1 with *why set. */
int image_decode(const char *path, const char *media_type, unsigned max_w,
                 unsigned max_h, int keep_alpha, image_pixels *px,
                 const char **why);

/* The same from bytes in memory. */
int image_decode_mem(const unsigned char *bytes, size_t len,
                     const char *media_type, unsigned max_w, unsigned max_h,
                     int keep_alpha, image_pixels *px, const char **why);

void image_pixels_free(image_pixels *px);

/* True when the JPEG file's frame has four components (CMYK or YCCK). */
int image_jpeg_cmyk(const char *path);

/* An SVG's bytes made safe for an e-book: no DOCTYPE (so no entities), no
 * script, foreignObject or event handler, no reference that leaves the
 * file (href other than #fragment or a data: PNG, JPEG or GIF; url() and
 * @import in styles likewise), no processing instruction or comment, and
 * links made plain groups (an image shown by <img> follows none).  Returns the
 * serialised UTF-8 document (malloc'd, *out_len bytes), or NULL with *why
 * when the SVG cannot be parsed or is refused. */
char *image_svg_clean(const unsigned char *bytes, size_t len, size_t *out_len,
                      const char **why);

/* Forgets the kept verdicts (for tests and the end of a process). */
void image_cache_clear(void);

#endif

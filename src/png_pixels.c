/* png_pixels.c - libpng with its errors caught. */
#include "png_pixels.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static void on_warning(png_structp png, png_const_charp msg) {
  (void)png;
  (void)msg; /* warnings (a bad CRC in an ancillary chunk) are not fatal */
}

static void on_error(png_structp png, png_const_charp msg) {
  const char **why = png_get_error_ptr(png);
  *why = "the PNG data is damaged";
  (void)msg;
  png_longjmp(png, 1);
}

unsigned char *png_pixels(const char *path, unsigned *width, unsigned *height,
                          const char **why) {
  *why = "cannot open the file";
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, why, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : NULL;
  /* volatile: they change between setjmp and a longjmp back to it */
  unsigned char *volatile pixels = NULL;
  png_bytep *volatile rows = NULL;
  if (!png || !info) {
    *why = "out of memory";
    goto fail;
  }
  if (setjmp(png_jmpbuf(png)))
    goto fail;
  png_init_io(png, f);
  png_read_info(png, info);
  png_uint_32 w = png_get_image_width(png, info),
              h = png_get_image_height(png, info);
  if (w == 0 || h == 0 || (unsigned long long)w * h > PNG_MAX_PIXELS) {
    *why = "the image is too large";
    goto fail;
  }
  /* everything to 8-bit RGB with alpha, then alpha onto white */
  png_set_expand(png);
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  size_t stride = (size_t)w * 4;
  unsigned char *rgba = malloc(stride * h);
  rows = malloc(h * sizeof *rows);
  pixels = rgba;
  if (!rgba || !rows) {
    *why = "out of memory";
    goto fail;
  }
  for (png_uint_32 y = 0; y < h; y++)
    rows[y] = rgba + y * stride;
  png_read_image(png, rows);
  png_read_end(png, NULL);
  /* composite in place, packing RGBA into RGB */
  for (size_t i = 0, n = (size_t)w * h; i < n; i++) {
    unsigned a = rgba[4 * i + 3];
    for (int k = 0; k < 3; k++)
      rgba[3 * i + k] =
          (unsigned char)((rgba[4 * i + k] * a + 255 * (255 - a) + 127) / 255);
  }
  free(rows);
  png_destroy_read_struct(&png, &info, NULL);
  fclose(f);
  *width = w;
  *height = h;
  return rgba;
fail:
  free(rows);
  free(pixels);
  png_destroy_read_struct(png ? &png : NULL, info ? &info : NULL, NULL);
  fclose(f);
  return NULL;
}

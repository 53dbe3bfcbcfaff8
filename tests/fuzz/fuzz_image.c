/* fuzz_image.c - libFuzzer target for the image checks: the sniffer, the
 * PNG, JPEG and GIF decoders (checking, and decoding to pixels with
 * shrinking, alpha kept or composited), and the SVG sanitiser, all from
 * memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "resource.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A <script> element (not <script2>, an element of another name). */
static int has_script(const char *s, size_t n) {
  for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "<script", 7));
       p += 7) {
    char c = (size_t)(p + 7 - s) < n ? p[7] : '>';
    if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' ||
        c == '\r')
      return 1;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a name ending in .svg lets the sniffer consider SVG too */
  const char *type = resource_sniff(data, size, "fuzz.svg");
  if (!type)
    return 0;
  unsigned w = 0, h = 0;
  unsigned long long pixels = 0;
  const char *why = NULL;
  /* a limit keeps each input quick; the decoders stop at it */
  image_status st =
      image_check_mem(data, size, type, 4u << 20, &w, &h, &pixels, &why);
  if (st != IMAGE_OK && (!why || !*why) && st != IMAGE_OVER)
    abort(); /* a refusal always says why */
  if (strcmp(type, "image/svg+xml") == 0) {
    size_t n = 0, n2 = 0;
    char *clean = image_svg_clean(data, size, &n, &why);
    if (clean) {
      /* what the sanitiser writes it accepts again, and holds no script */
      if (has_script(clean, n) || memmem(clean, n, "<!DOCTYPE", 9))
        abort();
      char *again =
          image_svg_clean((const unsigned char *)clean, n, &n2, &why);
      if (!again)
        abort();
      free(again);
      free(clean);
    }
  } else if (st == IMAGE_OK) {
    /* decoded (a GIF's first frame), shrunk to a small box, with alpha
     * kept or composited by the last byte */
    image_pixels px;
    if (image_decode_mem(data, size, type, 7, 5, size && (data[size - 1] & 1),
                         &px, &why) == 0 &&
        (px.width == 0 || px.height == 0 || px.width > 7 || px.height > 5 ||
         !px.rgb))
      abort();
    image_pixels_free(&px);
  }
  return 0;
}

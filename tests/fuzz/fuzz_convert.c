/* fuzz_convert.c - libFuzzer target: any bytes all the way to EPUB bytes
 * and, for inputs up to 16 KB, to PDF bytes.  Fonts load once from
 * $GALLEY_ROOT/fonts (default ./fonts). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "epub.h"
#include "font.h"
#include "layout.h"
#include "pdf.h"
#include "read_md.h"

static font_set *fonts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag_set_quiet(1);
  if (!fonts) {
    const char *root = getenv("GALLEY_ROOT");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fonts", root ? root : ".");
    fonts = font_set_load(dir);
    if (!fonts)
      abort();
  }
  doc *d = read_markdown("fuzz.md", ".", (const char *)data, size);
  if (!d)
    return 0;
  buf out = {0};
  epub_options eo = {style_article(), STYLE_MEDIUM, 0, 0};
  epub_write(&d, 1, d, &eo, &out);
  buf_free(&out);
  if (size <= 16384) {
    font_set_reset_usage(fonts);
    layout_options lo = {style_article(), STYLE_SMALL, fonts, NULL};
    layout *l = layout_run(&d, 1, &lo);
    pdf_options po = {fonts, 0, 0, {0}};
    pdf_write(l, d, &po, &out);
    layout_free(l);
    buf_free(&out);
  }
  doc_free(d);
  return 0;
}

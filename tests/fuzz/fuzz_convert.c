/* fuzz_convert.c - libFuzzer target: any bytes all the way to EPUB bytes
 * and, for inputs up to 16 KB, to PDF bytes, in the article style or (when
 * the first byte is odd) the circular one, the EPUB carrying subsets of its
 * fonts when the text has CJK characters (the fonts module's code, linked
 * in, rather than galley-epub-fonts.so).  Fonts and styles load once from
 * $GALLEY_ROOT (default .). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "epub.h"
#include "epub_fonts.h"
#include "font.h"
#include "layout.h"
#include "pdf.h"
#include "read_md.h"

static font_set *fonts;
static style *styles[2];
static font_stacks resolved[2];

/* At exit, so leak checking sees only what a conversion lost (fontconfig
 * keeps its configuration until it is told to let go). */
static void release(void) {
  font_set_free(fonts);
  epub_fonts_cleanup();
  style_free(styles[0]);
  style_free(styles[1]);
}

/* Messages are what a user would read; here they would only fill the log
 * (and writing them slowed the run). */
static void discard(const char *line) { (void)line; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag_set_quiet(1);
  diag_set_sink(discard);
  if (!fonts) {
    const char *root = getenv("GALLEY_ROOT");
    char dir[4096];
    fonts = font_set_load();
    snprintf(dir, sizeof dir, "%s/styles", root ? root : ".");
    styles[0] = style_load("article", dir);
    styles[1] = style_load("circular", dir);
    if (!fonts || !styles[0] || !styles[1] ||
        font_stacks_resolve(fonts, styles[0], &resolved[0]) != 0 ||
        font_stacks_resolve(fonts, styles[1], &resolved[1]) != 0)
      abort();
    epub_fonts_provide(&galley_epub_fonts);
    atexit(release);
  }
  int which = size > 0 && (data[0] & 1);
  doc *d = read_markdown("fuzz.md", ".", (const char *)data, size);
  if (!d)
    return 0;
  buf out = {0};
  /* fonts carried when the text has CJK characters, as by default */
  epub_options eo = {styles[which], STYLE_MEDIUM, 0, 0, -1, NULL, NULL, 0};
  epub_write(&d, 1, d, &eo, &out);
  buf_free(&out);
  if (size <= 16384) {
    font_set_reset_usage(fonts);
    layout_options lo = {styles[which], STYLE_SMALL, fonts,
                         &resolved[which], NULL};
    layout *l = layout_run(&d, 1, &lo);
    pdf_options po = {.fonts = fonts, .tagged = 1};
    pdf_write(l, d, &po, &out);
    layout_free(l);
    buf_free(&out);
  }
  doc_free(d);
  return 0;
}

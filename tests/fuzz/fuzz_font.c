/* fuzz_font.c - libFuzzer target: any bytes as a TrueType font (.ttf, or a
 * .ttc collection) through font loading (src/font.c), the subsetter
 * (src/ttf_subset.c) and the PDF's font embedding (src/pdf_font.c).
 *
 * First the subsetter alone, on the tables HarfBuzz finds in the bytes
 * (each face of a collection), whether or not galley would load the font.
 * Then the bytes are written to a file in a private temporary folder,
 * which every role of the article style (from $GALLEY_ROOT/styles, default
 * ./styles) names as its only font: a font refused there ends the run; one
 * accepted sets a short document (Latin, CJK, symbols, bold and italic,
 * code) into a PDF, so its glyphs are measured, subset (TrueType by
 * galley's subsetter, CFF by hb-subset) and embedded. */
#include <hb.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "doc.h"
#include "font.h"
#include "layout.h"
#include "pdf.h"
#include "read_md.h"
#include "style.h"
#include "ttf_subset.h"

static const char text[] =
    "---\ntitle: Fonts\nauthor: A. N. Author\n---\n\n"
    "# Heading fi ffl\n\nBody *italic* **bold** ***both*** `code` "
    "\xE2\x80\x9C" "quoted\xE2\x80\x9D \xE2\x80\x94 "
    "caf\xC3\xA9 \xCE\xA9 \xD0\x96 \xE2\x82\xAC \xE2\x80\xA6 "
    "\xE4\xB8\xAD\xE6\x96\x87\xE3\x80\x82\xEF\xBC\x8C\n\n"
    "> quote\n\n- item one\n- item two\n\n```\nint main(void);\n```\n";

static char dir[4096], fuzz_font_file[4200];
static style *article;

static void cleanup(void) {
  remove(fuzz_font_file);
  rmdir(dir);
  style_free(article);
}

static void setup(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/galley-fuzz-font-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir))
    abort();
  snprintf(fuzz_font_file, sizeof fuzz_font_file, "%s/font.ttf", dir);
  const char *root = getenv("GALLEY_ROOT");
  char styles[4096];
  snprintf(styles, sizeof styles, "%s/styles", root ? root : ".");
  article = style_load("article", styles);
  if (!article)
    abort();
  for (int r = 0; r < DOC_ROLE_COUNT; r++)
    if (style_set_fonts(article, r, fuzz_font_file, "fuzz") != 0)
      abort();
  atexit(cleanup);
}

/* The subsetter on face index's tables: glyph 0, a few low glyphs, and
 * numbers taken from the bytes (past the font's count too). */
static void subset_tables(hb_blob_t *blob, unsigned index,
                          const uint8_t *data, size_t size) {
  hb_face_t *face = hb_face_create(blob, index);
  hb_blob_t *blobs[6];
  ttf_source src;
  font_ttf_tables(face, &src, blobs);
  uint16_t gids[40], got[40];
  size_t n = 0;
  for (unsigned g = 0; g < 8; g++)
    gids[n++] = (uint16_t)g;
  for (size_t i = 0; i + 1 < size && n < 40; i += size / 32 + 2)
    gids[n++] = (uint16_t)(data[i] << 8 | data[i + 1]);
  buf out = {0};
  if (ttf_subset(&src, gids, n, got, &out) == 0) {
    if (out.len < 12)
      abort(); /* success is a font program */
  } else if (out.len != 0) {
    abort(); /* failure leaves the output as it was */
  }
  buf_free(&out);
  font_ttf_tables_release(blobs);
  hb_face_destroy(face);
}

/* The face's measures for characters it has and has not. */
static void measure(font_set *fs) {
  static const uint32_t cps[] = {0,      ' ',    'A',    'f',     0xE9,
                                 0x3A9,  0x2014, 0x201C, 0x3002,  0x4E2D,
                                 0xFF0C, 0xFFFD, 0xFFFF, 0x1F600, 0x10FFFF};
  for (size_t i = 0; i < fs->n_all; i++) {
    font_face *f = fs->all[i];
    for (size_t k = 0; k < sizeof cps / sizeof *cps; k++) {
      double l, r;
      font_covers(f, cps[k]);
      font_advance(f, cps[k]);
      font_blank_sides(f, cps[k], &l, &r);
    }
    font_ascender(f);
    font_descender(f);
  }
}

/* Messages are what a user would read; here they would only fill the log. */
static void discard(const char *line) { (void)line; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag_set_quiet(1);
  diag_set_sink(discard);
  if (!dir[0])
    setup();
  hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)size,
                                   HB_MEMORY_MODE_READONLY, NULL, NULL);
  unsigned faces = hb_face_count(blob);
  for (unsigned i = 0; i < faces && i < 3; i++)
    subset_tables(blob, i, data, size);
  if (!faces)
    subset_tables(blob, 0, data, size);
  hb_blob_destroy(blob);

  FILE *f = fopen(fuzz_font_file, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
    abort();
  font_set *fs = font_set_load();
  if (!fs)
    return 0;
  font_stacks resolved;
  if (font_stacks_resolve(fs, article, &resolved) == 0) {
    measure(fs);
    doc *d = read_markdown("fuzz.md", ".", text, sizeof text - 1);
    if (!d)
      abort();
    layout_options lo = {article, STYLE_MEDIUM, fs, &resolved, NULL};
    layout *l = layout_run(&d, 1, &lo);
    if (l) {
      buf out = {0};
      pdf_options po = {.fonts = fs, .tagged = 1};
      pdf_write(l, d, &po, &out);
      buf_free(&out);
      layout_free(l);
    }
    doc_free(d);
  }
  font_set_free(fs);
  return 0;
}

/* writer_pdf.c - the PDF writer's module: the fonts and hyphenation
 * patterns it loads once per process, layout, then the PDF (writer.h). */
#include <limits.h>
#include <linebreak.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build_id.h"
#include "buf.h"
#include "font.h"
#include "font_report.h"
#include "hyph_load.h"
#include "layout.h"
#include "pdf.h"
#include "pdf_flate.h"
#include "resource.h"
#include "sha1.h"
#include "writer.h"

/* Loaded once per process, on first use: the fonts and the hyphenation
 * patterns serve every document. */
static font_set *fonts;
static hyph_patterns *hyphen_en;
static int resources_tried;
static int hyphen_tried;

static int load_resources(void) {
  if (!resources_tried) {
    resources_tried = 1;
    /* libunibreak's index of line-breaking classes: without it every
     * character is a binary search, a fifth of a batch's time */
    init_linebreak();
    fonts = font_set_load();
  }
  return fonts ? 0 : -1;
}

/* Only documents in English load the English patterns: a single Chinese
 * document does without them, and a batch's workers, each converting many
 * documents, load them once each.  They come from the image the build
 * compiles them into when there is a sound one for the .dic as it is now
 * (hyph_load.h), else from the .dic.  The image is looked for in the data
 * folder, where `make install` puts it beside fonts/ and styles/, then
 * beside the library: an uninstalled build/libgalley.so (or
 * build/asan/libgalley.so) finds its own build's image there, while its
 * data folder is the source tree, which holds no build output. */
static const hyph_patterns *english_patterns(void) {
  static const char dic[] = "/usr/share/hyphen/hyph_en_US.dic";
  if (!hyphen_tried) {
    hyphen_tried = 1;
    buf image = {0};
    buf_printf(&image, "%s/hyph_en_US.bin", resource_galley_data_dir());
    hyphen_en = hyph_load_image(image.data, dic);
    char lib[PATH_MAX];
    if (!hyphen_en && resource_library_dir(lib, sizeof lib) == 0) {
      image.len = 0;
      buf_printf(&image, "%s/hyph_en_US.bin", lib);
      hyphen_en = hyph_load_image(image.data, dic);
    }
    buf_free(&image);
    if (!hyphen_en)
      hyphen_en = hyph_load(dic);
  }
  return hyphen_en;
}

static int any_english(doc *const *docs, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strncasecmp(docs[i]->meta.lang, "en", 2) == 0 &&
        (docs[i]->meta.lang[2] == '\0' || docs[i]->meta.lang[2] == '-'))
      return 1;
  return 0;
}

/* The fonts of the style last used, resolved once. */
static font_stacks resolved_fonts;
static const style *style_fonts_of;

static int resolve_style_fonts(const style *st) {
  if (load_resources() != 0)
    return -1;
  if (style_fonts_of == st)
    return 0;
  if (font_stacks_resolve(fonts, st, &resolved_fonts) != 0)
    return -1;
  style_fonts_of = st;
  return 0;
}

static void forget_style(const style *st) {
  if (style_fonts_of == st)
    style_fonts_of = NULL;
}

static void cleanup_pdf(void) {
  style_fonts_of = NULL;
  pdf_flate_cleanup();
  font_set_free(fonts);
  hyph_free(hyphen_en);
  fonts = NULL;
  hyphen_en = NULL;
  resources_tried = hyphen_tried = 0;
}

static int write_pdf(doc *const *docs, size_t n, const doc *meta,
                     const writer_options *opt, buf *out) {
  if (resolve_style_fonts(opt->style) != 0)
    return -1;
  font_set_reset_usage(fonts);
  layout_options lo = {opt->style, opt->size, fonts, &resolved_fonts,
                       any_english(docs, n) ? english_patterns() : NULL};
  layout *l = layout_run(docs, n, &lo);
  pdf_options po = {fonts, opt->modified, opt->pdfa, opt->tagged, {0}};
  sha1_ctx sha;
  sha1_init(&sha);
  for (size_t i = 0; i < n; i++)
    sha1_update(&sha, docs[i]->digest, sizeof docs[i]->digest);
  unsigned char digest[20];
  sha1_final(&sha, digest);
  memcpy(po.id, digest, sizeof po.id);
  int rc = pdf_write(l, meta, &po, out);
  layout_free(l);
  return rc;
}

static int prepare_pdf(const style *st) { return resolve_style_fonts(st); }

static int list_fonts(const style *st, doc *const *docs, size_t n, buf *out) {
  if (resolve_style_fonts(st) != 0)
    return -1;
  font_report(fonts, st, &resolved_fonts, docs, n, out);
  return 0;
}

__attribute__((visibility("default"))) const writer galley_writer_pdf = {
    WRITER_ABI,   GALLEY_BUILD_ID, module_core_bind, prepare_pdf, write_pdf,
    forget_style, cleanup_pdf,     list_fonts};

/* writer_pdf.c - the PDF writer's module: the fonts and hyphenation
 * patterns it loads once per process, layout, then the PDF (writer.h). */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <linebreak.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_id.h"
#include "buf.h"
#include "font.h"
#include "font_report.h"
#include "hyph_load.h"
#include "layout.h"
#include "pdf.h"
#include "oom.h"
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

/* Other languages' patterns, from Debian's hyphen-* packages
 * (/usr/share/hyphen/hyph_de_DE.dic ...), each loaded the first time a
 * document in its language is laid out, through libhyphen. */
#define HYPH_DIR "/usr/share/hyphen"
enum { MAX_HYPH_LANGS = 16 };
static struct {
  char lang[16]; /* "de-CH": as asked, lowercase */
  hyph_patterns *patterns; /* NULL: none installed */
} other[MAX_HYPH_LANGS];
static size_t n_other;

/* The .dic for lang: hyph_ll_RR.dic for a region, else hyph_ll.dic, else
 * the first hyph_ll_*.dic in name order (hyph_de_AT before hyph_de_DE:
 * German's files are one set of patterns).  0 when found. */
static int dic_for(const char *ll, const char *rr, char *path, size_t size) {
  if (*rr) {
    snprintf(path, size, HYPH_DIR "/hyph_%s_%s.dic", ll, rr);
    if (access(path, R_OK) == 0)
      return 0;
  }
  snprintf(path, size, HYPH_DIR "/hyph_%s.dic", ll);
  if (access(path, R_OK) == 0)
    return 0;
  DIR *dir = opendir(HYPH_DIR);
  if (!dir)
    return -1;
  char prefix[16], best[256] = "";
  snprintf(prefix, sizeof prefix, "hyph_%s_", ll);
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    size_t n = strlen(e->d_name);
    if (!strncmp(e->d_name, prefix, strlen(prefix)) && n > 4 && n < 200 &&
        !strcmp(e->d_name + n - 4, ".dic") &&
        (!*best || strcmp(e->d_name, best) < 0))
      snprintf(best, sizeof best, "%s", e->d_name);
  }
  closedir(dir);
  if (!*best)
    return -1;
  snprintf(path, size, HYPH_DIR "/%s", best);
  return 0;
}

/* The patterns for a document's language: English's from the image, any
 * other's that Debian installs from its .dic; NULL for none. */
static const hyph_patterns *patterns_for(const char *lang) {
  if (!lang)
    return NULL;
  char ll[9] = "", rr[9] = "";
  size_t i = 0;
  for (; lang[i] && lang[i] != '-' && i < 8; i++)
    ll[i] = (char)tolower((unsigned char)lang[i]);
  ll[i] = '\0';
  if (lang[i] && lang[i] != '-')
    return NULL;
  if (lang[i] == '-') {
    size_t k = 0;
    for (const char *q = lang + i + 1; *q && *q != '-' && k < 8; q++)
      rr[k++] = (char)toupper((unsigned char)*q);
    rr[k] = '\0';
    if (k != 2)
      rr[0] = '\0'; /* a script or variant subtag: no region */
  }
  if (!strcmp(ll, "en"))
    return english_patterns();
  char key[16];
  snprintf(key, sizeof key, "%s-%s", ll, rr);
  for (size_t k = 0; k < n_other; k++)
    if (!strcmp(other[k].lang, key))
      return other[k].patterns;
  char path[512];
  hyph_patterns *p = dic_for(ll, rr, path, sizeof path) == 0 ? hyph_load(path)
                                                             : NULL;
  if (n_other < MAX_HYPH_LANGS) {
    snprintf(other[n_other].lang, sizeof other[n_other].lang, "%s", key);
    other[n_other++].patterns = p;
  } else {
    hyph_free(p); /* sixteen languages in one process: no more kept */
    p = NULL;
  }
  return p;
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
  for (size_t k = 0; k < n_other; k++)
    hyph_free(other[k].patterns);
  n_other = 0;
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
                       patterns_for};
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

/* Where each page begins: the block of the first text on it that is part
 * of the document (not a running header or a page number), climbing from
 * a link or a span to the paragraph it is in; a page with no such text (a
 * blank page) begins where the next one does. */
static int paginate_pdf(doc *const *docs, size_t n, const writer_options *opt,
                        writer_pages *out) {
  if (resolve_style_fonts(opt->style) != 0)
    return -1;
  font_set_reset_usage(fonts);
  layout_options lo = {opt->style, opt->size, fonts, &resolved_fonts,
                       patterns_for};
  layout *l = layout_run(docs, n, &lo);
  if (!l)
    return -1;
  out->n = l->n_pages;
  out->node = calloc(l->n_pages ? l->n_pages : 1, sizeof *out->node);
  out->doc = calloc(l->n_pages ? l->n_pages : 1, sizeof *out->doc);
  if (!out->node || !out->doc)
    out_of_memory();
  int *found = calloc(l->n_pages ? l->n_pages : 1, sizeof *found);
  if (!found)
    out_of_memory();
  for (size_t pg = 0; pg < l->n_pages; pg++) {
    const lay_page *page = &l->pages[pg];
    out->doc[pg] = page->doc;
    for (size_t i = 0; i < page->n_texts && !found[pg]; i++) {
      long se = page->texts[i].se;
      if (se < 0)
        continue;
      while (se >= 0 && !l->structs[se].node)
        se = l->structs[se].parent;
      const doc_node *b = se >= 0 ? l->structs[se].node : NULL;
      /* a list's number belongs to the list: the item's paragraph after
       * it is where the page begins */
      int container = b && (b->kind == DOC_LIST || b->kind == DOC_ITEM ||
                            b->kind == DOC_BLOCK_QUOTE);
      if (container && i + 1 < page->n_texts && out->node[pg] == NULL) {
        out->node[pg] = b; /* unless nothing follows */
        continue;
      }
      if (!container || !out->node[pg])
        out->node[pg] = b;
      found[pg] = 1;
    }
    if (out->node[pg])
      found[pg] = 1;
  }
  for (size_t pg = l->n_pages; pg-- > 0;)
    if (!found[pg] && pg + 1 < l->n_pages && out->doc[pg + 1] == out->doc[pg])
      out->node[pg] = out->node[pg + 1];
  free(found);
  layout_free(l);
  return 0;
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
    forget_style, paginate_pdf,    cleanup_pdf,      list_fonts};

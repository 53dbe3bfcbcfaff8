/* epub.c - packaging: chapters, navigation, package document, container.
 *
 * Layout of the zip: mimetype (first, stored), META-INF/container.xml, and
 * OEBPS/ with package.opf, nav.xhtml, toc.ncx, style.css, cover.xhtml (when
 * the front matter names a cover), text/chNNNN.xhtml, images/imgNNNN.ext and
 * fonts/NAME.ttf or .otf (epub_fonts.h).  The
 * archive is built in memory and handed back, so the caller can write it
 * atomically. */
#include "epub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <zip.h>

#include "css.h"
#include "diag.h"
#include "epub_fonts.h"
#include "epub_text.h"
#include "image.h"
#include "labels.h"
#include "meta.h"
#include "oom.h"
#include "resource.h"
#include "sha1.h"
#include "strmap.h"
#include "vec.h"
#include "xhtml.h"
#include "xml.h"

typedef struct {
  const doc *d;
  size_t doc_index;
  const doc_node *first, *stop;
  int with_title;
} chapter_plan;

typedef struct {
  int level; /* 0: a book's article, 1-6: headings */
  char *label;
  int chapter;
  const char *id; /* fragment, or NULL for the top of the chapter */
  const char *lang; /* its document's, when not the book's; else NULL */
} toc_entry;

typedef struct {
  const char *file, *media_type;
  char *name; /* "images/img0001.png" */
  int cover;
} image_item;

typedef struct {
  doc *const *docs;
  size_t n_docs;
  const doc *meta;
  const epub_options *opt;
  chapter_plan *chapters;
  size_t n_chapters, cap_chapters;
  toc_entry *toc;
  size_t n_toc, cap_toc;
  strmap *anchors; /* per document */
  image_item *images;
  size_t n_images, cap_images;
  strmap image_index;
  int images_without_alt;
  int cover; /* the cover's index in images, or -1 */
  int animated; /* images that move (GIFs of several frames, SVG animation) */
  int headings;
  char uid[64];
  const epub_fonts_module *fm; /* their module, when fonts are carried */
  epub_fonts *fonts;           /* the fonts carried, or NULL */
  xhtml_pages *pages;          /* the page list, or NULL */
} book;

static void add_toc(book *b, int level, const doc_node *heading, int ch,
                    const char *label) {
  buf text = {0};
  if (heading)
    doc_plain_text(heading, &text);
  else
    buf_puts(&text, label);
  /* navigation labels are single lines */
  for (size_t i = 0; i < text.len; i++)
    if (text.data[i] == '\n' || text.data[i] == '\t')
      text.data[i] = ' ';
  if (text.len == 0 || strspn(text.data, " ") == text.len) {
    buf_free(&text); /* an empty heading has nothing to list */
    return;
  }
  b->toc = vec_grow(b->toc, &b->cap_toc, b->n_toc + 1, sizeof *b->toc);
  toc_entry *e = &b->toc[b->n_toc++];
  e->level = level;
  e->label = buf_detach(&text, NULL);
  e->chapter = ch;
  e->id = heading ? heading->id : NULL;
  const char *lang = b->chapters[ch - 1].d->meta.lang;
  e->lang = strcmp(lang, b->meta->meta.lang) != 0 ? lang : NULL;
}

/* The contents list keeps what doc_outline_depth says. */
static void trim_toc(book *b) {
  size_t per_level[8] = {0};
  for (size_t i = 0; i < b->n_toc; i++)
    per_level[b->toc[i].level < 7 ? b->toc[i].level : 7]++;
  int keep = doc_outline_depth(per_level);
  size_t w = 0;
  for (size_t i = 0; i < b->n_toc; i++) {
    if (b->toc[i].level <= keep)
      b->toc[w++] = b->toc[i];
    else
      free(b->toc[i].label);
  }
  b->n_toc = w;
}

static int new_chapter(book *b, const doc *d, size_t k, const doc_node *first,
                       int with_title) {
  if (b->n_chapters)
    b->chapters[b->n_chapters - 1].stop = first;
  b->chapters = vec_grow(b->chapters, &b->cap_chapters, b->n_chapters + 1,
                         sizeof *b->chapters);
  chapter_plan *c = &b->chapters[b->n_chapters];
  c->d = d;
  c->doc_index = k;
  c->first = first;
  c->stop = NULL;
  c->with_title = with_title;
  return (int)++b->n_chapters;
}

/* Splits a document into chapters at its top-level level-1 headings, and
 * records where each heading went. */
static void plan_document(book *b, size_t k) {
  const doc *d = b->docs[k];
  strmap *anchors = &b->anchors[k];
  const doc_node *first = d->root->first_child;
  int ch = new_chapter(b, d, k, first, 1);
  int chapter_has_body = 0;
  const doc_node *title = d->title_heading;
  if (b->opt->book)
    add_toc(b, 0, NULL, ch, d->meta.title);
  else if (title)
    add_toc(b, 1, title, ch, NULL);
  else
    add_toc(b, 1, NULL, ch, d->meta.title);
  if (title)
    strmap_add(anchors, title->id, ch);
  for (const doc_node *blk = first; blk; blk = blk->next) {
    if (blk == title)
      continue;
    if (blk->kind == DOC_HEADING && blk->level == 1 && chapter_has_body)
      ch = new_chapter(b, d, k, blk, 0);
    chapter_has_body = 1;
    doc_iter it;
    doc_iter_init(&it, (doc_node *)blk);
    doc_event ev;
    while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
      const doc_node *n = it.node;
      if (ev != DOC_EV_ENTER)
        continue;
      if (n->kind == DOC_HEADING) {
        strmap_add(anchors, n->id, ch);
        add_toc(b, n->level, n, ch, NULL);
        b->headings++;
        doc_iter_skip_children(&it);
      }
    }
  }
}

/* Whether a GIF has more than one frame, its blocks walked (the file passed
 * a full decode when the document was read; a cut one just ends the walk). */
static int gif_moves(const unsigned char *p, size_t n) {
  if (n < 13)
    return 0;
  size_t i = 13; /* header and logical screen */
  if (p[10] & 0x80)
    i += (size_t)3 << ((p[10] & 7) + 1);
  int frames = 0;
  while (i < n) {
    unsigned char type = p[i++];
    if (type == 0x21) { /* an extension: its label, then sub-blocks */
      i++;
    } else if (type == 0x2C) { /* an image: descriptor, colours, data */
      if (++frames > 1)
        return 1;
      if (i + 9 > n)
        return 0;
      unsigned char flags = p[i + 8];
      i += 9;
      if (flags & 0x80)
        i += (size_t)3 << ((flags & 7) + 1);
      i++; /* the LZW code size */
    } else {
      return 0; /* the trailer */
    }
    while (i < n && p[i])
      i += 1u + p[i];
    i++;
  }
  return 0;
}

/* Whether an SVG animates (SMIL elements, CSS animations).  A word in its
 * text can make it say so wrongly; the book then says its hazards are
 * unknown, which stays true. */
static int svg_moves(const unsigned char *p, size_t n) {
  static const char *const marks[] = {"animate", "<set", ":set",
                                      "@keyframes", "animation"};
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
    if (memmem(p, n, marks[i], strlen(marks[i])))
      return 1;
  return 0;
}

/* Whether an image file moves; one that cannot be read now fails later,
 * when it is copied into the book. */
static int image_moves(const char *file, const char *media_type) {
  int gif = strcmp(media_type, "image/gif") == 0;
  if (!gif && strcmp(media_type, "image/svg+xml") != 0)
    return 0;
  size_t len;
  char *bytes = resource_read_file(file, RESOURCE_MAX_BYTES, &len);
  if (!bytes)
    return 0;
  const unsigned char *p = (const unsigned char *)bytes;
  int moves = gif ? gif_moves(p, len) : svg_moves(p, len);
  free(bytes);
  return moves;
}

static int add_image(book *b, const char *file, const char *media_type,
                     int has_alt) {
  int index = strmap_get(&b->image_index, file);
  if (index >= 0)
    return index;
  b->images =
      vec_grow(b->images, &b->cap_images, b->n_images + 1, sizeof *b->images);
  image_item *img = &b->images[b->n_images];
  img->file = file;
  img->media_type = media_type;
  img->cover = 0;
  buf name = {0};
  buf_printf(&name, "images/img%04zu.%s", b->n_images + 1,
             resource_extension(media_type));
  img->name = buf_detach(&name, NULL);
  strmap_add(&b->image_index, file, (int)b->n_images);
  if (!has_alt)
    b->images_without_alt++;
  b->animated += image_moves(file, media_type);
  return (int)b->n_images++;
}

static void plan_images(book *b) {
  for (size_t k = 0; k < b->n_docs; k++) {
    doc_iter it;
    doc_iter_init(&it, b->docs[k]->root);
    doc_event ev;
    while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
      const doc_node *n = it.node;
      if (ev != DOC_EV_ENTER || n->kind != DOC_IMAGE || !n->file)
        continue;
      buf alt = {0};
      doc_plain_text(n, &alt);
      add_image(b, n->file, n->media_type, alt.len > 0);
      buf_free(&alt);
    }
  }
  const doc_meta *m = &b->meta->meta;
  if (m->cover_file) {
    int i = add_image(b, m->cover_file, m->cover_media_type, 1);
    b->images[i].cover = 1;
    b->cover = i;
  }
}

static void font_text(void *ctx, doc_role role, int shape, int cjk,
                      const char *s, size_t len) {
  book *b = ctx;
  b->fm->text(b->fonts, role, shape, cjk, s, len);
}

/* The fonts the chapters are drawn with, subset, when the book carries
 * them (the fonts module, loaded only then).  0, or -1 after reporting. */
static int plan_fonts(book *b) {
  int embed = b->opt->embed_fonts;
  if (embed < 0)
    embed = epub_fonts_wanted(b->docs, b->n_docs, b->opt->style);
  if (!embed)
    return 0;
  if (!(b->fm = epub_fonts_load()) ||
      !(b->fonts = b->fm->start(b->opt->style))) {
    diag(DIAG_NOTE, NULL, 0, 0,
         "the EPUB carries the fonts its text is drawn with; "
         "--no-epub-embed-fonts leaves them to the reading system");
    return -1;
  }
  epub_text w = {.st = b->opt->style, .text = font_text, .ctx = b};
  for (size_t i = 0; i < b->n_chapters; i++) {
    const chapter_plan *c = &b->chapters[i];
    epub_text_chapter(&w, c->d, c->first, c->stop, c->with_title);
  }
  epub_text_free(&w);
  b->fm->finish(b->fonts);
  return 0;
}

/* urn:uuid: in the form of a name-based (SHA-1, version 5) UUID of the
 * inputs' bytes, so the same inputs always give the same identifier. */
static void derive_uid(book *b) {
  sha1_ctx c;
  sha1_init(&c);
  for (size_t k = 0; k < b->n_docs; k++)
    sha1_update(&c, b->docs[k]->digest, sizeof b->docs[k]->digest);
  unsigned char h[20];
  sha1_final(&c, h);
  h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
  h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
  char *p = b->uid;
  p += sprintf(p, "urn:uuid:");
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *p++ = '-';
    p += sprintf(p, "%02x", h[i]);
  }
}

/* ---- navigation ---- */

static void toc_href(const toc_entry *e, const char *dir, buf *out) {
  buf_puts(out, dir);
  xhtml_chapter_name(e->chapter, out);
  if (e->id) {
    buf_putc(out, '#');
    xml_escape_str(out, e->id);
  }
}

/* Nested lists from a flat run of levels: a deeper entry opens a list inside
 * the open item; a shallower one closes lists until it finds its siblings.
 * open/close strings differ between nav (ol/li) and NCX (navPoint). */
typedef struct {
  void (*open_item)(buf *, const toc_entry *, int order, const char *dir);
  const char *close_item, *open_list, *close_list;
} toc_syntax;

static void write_toc(const book *b, const toc_syntax *syn, const char *dir,
                      buf *out) {
  int stack[8];
  int sp = 0;
  for (size_t i = 0; i < b->n_toc; i++) {
    const toc_entry *e = &b->toc[i];
    if (sp == 0) {
      stack[sp++] = e->level;
    } else if (e->level > stack[sp - 1] && sp < 8) {
      buf_puts(out, syn->open_list);
      stack[sp++] = e->level;
    } else {
      while (sp > 1 && e->level <= stack[sp - 2]) {
        buf_puts(out, syn->close_item);
        buf_puts(out, syn->close_list);
        sp--;
      }
      buf_puts(out, syn->close_item);
      stack[sp - 1] = e->level;
    }
    syn->open_item(out, e, (int)i + 1, dir);
  }
  if (sp)
    buf_puts(out, syn->close_item);
  while (sp-- > 1) {
    buf_puts(out, syn->close_list);
    buf_puts(out, syn->close_item);
  }
}

static void nav_item(buf *out, const toc_entry *e, int order, const char *dir) {
  (void)order;
  buf_puts(out, "<li><a href=\"");
  toc_href(e, dir, out);
  buf_putc(out, '"');
  if (e->lang) { /* a book's article in another language */
    buf_puts(out, " lang=\"");
    xml_escape_str(out, e->lang);
    buf_puts(out, "\" xml:lang=\"");
    xml_escape_str(out, e->lang);
    buf_putc(out, '"');
  }
  buf_putc(out, '>');
  xml_escape_str(out, e->label);
  buf_puts(out, "</a>");
}

static void ncx_item(buf *out, const toc_entry *e, int order, const char *dir) {
  buf_printf(out, "<navPoint id=\"np%d\" playOrder=\"%d\">\n<navLabel><text>",
             order, order);
  xml_escape_str(out, e->label);
  buf_puts(out, "</text></navLabel>\n<content src=\"");
  toc_href(e, dir, out);
  buf_puts(out, "\"/>\n");
}

/* The print pages, each a link to its marker (xhtml.c). */
static void write_page_list(const book *b, buf *out) {
  if (!b->pages)
    return;
  buf_puts(out, "<nav epub:type=\"page-list\" role=\"doc-pagelist\" "
                "hidden=\"hidden\">\n<ol>\n");
  for (size_t k = 0; k < b->pages->n; k++) {
    if (!b->pages->chapter[k])
      continue; /* no marker was placed for it */
    buf_puts(out, "<li><a href=\"text/");
    xhtml_chapter_name(b->pages->chapter[k], out);
    buf_printf(out, "#page%zu\">%zu</a></li>\n", k + 1, k + 1);
  }
  buf_puts(out, "</ol>\n</nav>\n");
}

static void write_nav(const book *b, buf *out) {
  const char *lang = b->meta->meta.lang;
  xhtml_open(out, lang, meta_is_rtl(&b->meta->meta), labels_contents(lang),
             NULL, 1);
  buf_puts(out, "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">\n<h1>");
  xml_escape_str(out, labels_contents(lang));
  buf_puts(out, "</h1>\n<ol>\n");
  static const toc_syntax nav = {nav_item, "</li>\n", "\n<ol>\n", "</ol>\n"};
  write_toc(b, &nav, "text/", out);
  buf_puts(out, "</ol>\n</nav>\n<nav epub:type=\"landmarks\" hidden=\"hidden\">"
                "\n<ol>\n");
  if (b->cover >= 0) {
    buf_puts(out, "<li><a epub:type=\"cover\" href=\"cover.xhtml\">");
    xml_escape_str(out, labels_cover(lang));
    buf_puts(out, "</a></li>\n");
  }
  buf_puts(out, "<li><a epub:type=\"bodymatter\" href=\"text/");
  xhtml_chapter_name(1, out);
  buf_puts(out, "\">");
  xml_escape_str(out, b->meta->meta.title);
  buf_puts(out, "</a></li>\n</ol>\n</nav>\n");
  write_page_list(b, out);
  xhtml_close(out);
}

/* The cover page: the cover image alone, first in the spine, for reading
 * systems that show the book's first page rather than its cover-image. */
static void write_cover(const book *b, buf *out) {
  const doc_meta *m = &b->meta->meta;
  buf alt = {0};
  labels_cover_alt(m->lang, m->title, &alt);
  xhtml_open(out, m->lang, meta_is_rtl(m), labels_cover(m->lang),
             "style.css", 1);
  buf_puts(out, "<section class=\"cover\" epub:type=\"cover\">\n"
                "<img role=\"doc-cover\" src=\"");
  buf_puts(out, b->images[b->cover].name);
  buf_puts(out, "\" alt=\"");
  xml_escape_str(out, alt.data);
  buf_puts(out, "\"/>\n</section>\n");
  xhtml_close(out);
  buf_free(&alt);
}

static int toc_depth(const book *b) {
  int depth = 0, sp = 0, stack[8];
  for (size_t i = 0; i < b->n_toc; i++) {
    int level = b->toc[i].level;
    while (sp && level <= stack[sp - 1])
      sp--;
    if (sp < 8)
      stack[sp++] = level;
    if (sp > depth)
      depth = sp;
  }
  return depth ? depth : 1;
}

static void write_ncx(const book *b, buf *out) {
  buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" "
                "version=\"2005-1\" xml:lang=\"");
  xml_escape_str(out, b->meta->meta.lang);
  buf_puts(out, "\">\n<head>\n<meta name=\"dtb:uid\" content=\"");
  xml_escape_str(out, b->uid);
  buf_printf(out,
             "\"/>\n<meta name=\"dtb:depth\" content=\"%d\"/>\n"
             "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
             "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n"
             "<docTitle><text>",
             toc_depth(b));
  xml_escape_str(out, b->meta->meta.title);
  buf_puts(out, "</text></docTitle>\n<navMap>\n");
  static const toc_syntax ncx = {ncx_item, "</navPoint>\n", "", ""};
  write_toc(b, &ncx, "text/", out);
  buf_puts(out, "</navMap>\n</ncx>\n");
}

/* ---- package document ---- */

static void dc(buf *out, const char *element, const char *id, const char *v) {
  buf_printf(out, "<dc:%s", element);
  if (id)
    buf_printf(out, " id=\"%s\"", id);
  buf_putc(out, '>');
  xml_escape_str(out, v);
  buf_printf(out, "</dc:%s>\n", element);
}

static void meta_prop(buf *out, const char *property, const char *v) {
  buf_printf(out, "<meta property=\"%s\">", property);
  xml_escape_str(out, v);
  buf_puts(out, "</meta>\n");
}

/* dc:date wants W3C date-time: a time only with its zone. */
static void write_date(buf *out, const char *date) {
  char d[64];
  snprintf(d, sizeof d, "%s", date);
  size_t n = strlen(d);
  int zoned = n > 10 && (d[n - 1] == 'Z' ||
                         (n > 16 && (d[n - 6] == '+' || d[n - 6] == '-')));
  if (n > 10 && !zoned)
    d[10] = '\0';
  else if (n > 10)
    d[10] = 'T';
  dc(out, "date", NULL, d);
}

static void write_accessibility(const book *b, buf *out) {
  int visual = b->n_images > 0;
  meta_prop(out, "schema:accessMode", "textual");
  if (visual)
    meta_prop(out, "schema:accessMode", "visual");
  if (!visual || b->images_without_alt == 0)
    meta_prop(out, "schema:accessModeSufficient", "textual");
  if (visual)
    meta_prop(out, "schema:accessModeSufficient", "textual,visual");
  if (b->headings)
    meta_prop(out, "schema:accessibilityFeature", "structuralNavigation");
  meta_prop(out, "schema:accessibilityFeature", "tableOfContents");
  meta_prop(out, "schema:accessibilityFeature", "readingOrder");
  meta_prop(out, "schema:accessibilityFeature", "displayTransformability");
  if (visual && b->images_without_alt == 0)
    meta_prop(out, "schema:accessibilityFeature", "alternativeText");
  if (b->animated) {
    /* whether a moving image flashes is not known here; images have no
     * sound.  Motion simulation is left unsaid: its "unknown" value is
     * misspelt in Ace 1.4's list, which would report the right one. */
    meta_prop(out, "schema:accessibilityHazard", "unknownFlashingHazard");
    meta_prop(out, "schema:accessibilityHazard", "noSoundHazard");
  } else {
    meta_prop(out, "schema:accessibilityHazard", "none");
  }
  buf s = {0};
  buf_puts(&s, "Reflowable text in reading order with a table of contents");
  if (b->headings)
    buf_puts(&s, " and headings for navigation");
  if (visual && b->images_without_alt == 0)
    buf_puts(&s, "; every image has a text alternative");
  else if (visual)
    buf_printf(&s, "; %d image%s without a text alternative",
               b->images_without_alt, b->images_without_alt == 1 ? "" : "s");
  if (b->animated)
    buf_printf(&s, "; %d image%s move%s, and whether %s flash%s is not "
                   "known",
               b->animated, b->animated == 1 ? "" : "s",
               b->animated == 1 ? "s" : "", b->animated == 1 ? "it" : "they",
               b->animated == 1 ? "es" : "");
  buf_puts(&s, ". Type sizes are relative, so reading systems can enlarge "
               "the text.");
  meta_prop(out, "schema:accessibilitySummary", s.data);
  buf_free(&s);
}

static void write_opf(const book *b, buf *out) {
  const doc_meta *m = &b->meta->meta;
  buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<package xmlns=\"http://www.idpf.org/2007/opf\" "
                "version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"");
  xml_escape_str(out, m->lang);
  buf_puts(out,
           "\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
  dc(out, "identifier", "uid", m->identifier ? m->identifier : b->uid);
  dc(out, "title", "title", m->title);
  buf_puts(out,
           "<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
  if (m->subtitle) {
    dc(out, "title", "subtitle", m->subtitle);
    buf_puts(out, "<meta refines=\"#subtitle\" property=\"title-type\">"
                  "subtitle</meta>\n");
  }
  dc(out, "language", NULL, m->lang);
  for (size_t i = 0; i < m->n_authors; i++) {
    char id[32];
    snprintf(id, sizeof id, "creator%zu", i + 1);
    dc(out, "creator", id, m->authors[i]);
    buf_printf(out,
               "<meta refines=\"#%s\" property=\"role\" "
               "scheme=\"marc:relators\">aut</meta>\n",
               id);
  }
  if (m->date)
    write_date(out, m->date);
  if (m->number)
    dc(out, "identifier", "number", m->number);
  if (m->source)
    dc(out, "source", NULL, m->source);
  if (b->pages) { /* where the page list's pages come from */
    buf src = {0};
    buf_printf(&src, "the PDF galley makes of the same input: %s style, %s "
                     "type",
               b->opt->style->name, style_size_name(b->opt->size));
    dc(out, "source", "pagination", src.data);
    buf_puts(out, "<meta refines=\"#pagination\" property=\"source-of\">"
                  "pagination</meta>\n");
    buf_free(&src);
  }
  if (m->category)
    dc(out, "subject", NULL, m->category);
  for (size_t i = 0; i < m->n_keywords; i++)
    dc(out, "subject", NULL, m->keywords[i]);
  if (m->description)
    dc(out, "description", NULL, m->description);
  if (m->rights)
    dc(out, "rights", NULL, m->rights);
  char when[32];
  struct tm tm;
  time_t t = b->opt->modified;
  gmtime_r(&t, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  meta_prop(out, "dcterms:modified", when);
  write_accessibility(b, out);
  if (b->cover >= 0) /* EPUB 2 readers find the cover by this */
    buf_printf(out, "<meta name=\"cover\" content=\"img%04d\"/>\n",
               b->cover + 1);
  buf_puts(out,
           "</metadata>\n<manifest>\n"
           "<item id=\"nav\" href=\"nav.xhtml\" "
           "media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n"
           "<item id=\"ncx\" href=\"toc.ncx\" "
           "media-type=\"application/x-dtbncx+xml\"/>\n"
           "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n");
  if (b->cover >= 0)
    buf_puts(out, "<item id=\"cover\" href=\"cover.xhtml\" "
                  "media-type=\"application/xhtml+xml\"/>\n");
  for (size_t i = 0; i < b->n_chapters; i++) {
    buf_printf(out, "<item id=\"ch%04zu\" href=\"text/", i + 1);
    xhtml_chapter_name((int)i + 1, out);
    buf_puts(out, "\" media-type=\"application/xhtml+xml\"/>\n");
  }
  for (size_t i = 0; i < b->n_images; i++)
    buf_printf(out, "<item id=\"img%04zu\" href=\"%s\" media-type=\"%s\"%s/>\n",
               i + 1, b->images[i].name, b->images[i].media_type,
               b->images[i].cover ? " properties=\"cover-image\"" : "");
  size_t n_fonts = b->fonts ? b->fm->count(b->fonts) : 0;
  for (size_t i = 0; i < n_fonts; i++)
    buf_printf(out,
               "<item id=\"font%04zu\" href=\"%s\" media-type=\"%s\"/>\n",
               i + 1, b->fm->href(b->fonts, i), b->fm->media_type(b->fonts, i));
  buf_puts(out, meta_is_rtl(&b->meta->meta)
                    ? "</manifest>\n<spine toc=\"ncx\" "
                      "page-progression-direction=\"rtl\">\n"
                    : "</manifest>\n<spine toc=\"ncx\">\n");
  if (b->cover >= 0)
    buf_puts(out, "<itemref idref=\"cover\"/>\n");
  for (size_t i = 0; i < b->n_chapters; i++)
    buf_printf(out, "<itemref idref=\"ch%04zu\"/>\n", i + 1);
  buf_puts(out, "</spine>\n</package>\n");
}

/* ---- the zip ---- */

typedef struct {
  zip_t *za;
  zip_uint16_t dos_time, dos_date;
  int failed;
} archive;

static void zip_fail(archive *a, const char *what) {
  if (!a->failed)
    diag(DIAG_ERROR, NULL, 0, 0, "cannot build the EPUB (%s): %s", what,
         zip_strerror(a->za));
  a->failed = 1;
}

/* An entry deflated here and handed to libzip as data already compressed,
 * which libzip writes as it is (as when it copies an entry from another
 * archive), building only the container around it.  libzip's own deflate
 * ran zlib at level 9 with a fresh state of some 400 KB for every entry: a
 * quarter of a short EPUB's instructions.  One libdeflate compressor serves
 * the process (EPUB_DEFLATE_LEVEL). */
typedef struct {
  char *data; /* the deflated bytes */
  size_t len, at;
  zip_uint64_t size; /* of the bytes before */
  zip_uint32_t crc;
  zip_error_t error;
} deflated;

static zip_int64_t deflated_source(void *state, void *data, zip_uint64_t len,
                                   zip_source_cmd_t cmd) {
  deflated *d = state;
  switch (cmd) {
  case ZIP_SOURCE_OPEN:
    d->at = 0;
    return 0;
  case ZIP_SOURCE_READ: {
    size_t n = d->len - d->at < len ? d->len - d->at : (size_t)len;
    memcpy(data, d->data + d->at, n);
    d->at += n;
    return (zip_int64_t)n;
  }
  case ZIP_SOURCE_CLOSE:
    return 0;
  case ZIP_SOURCE_STAT: {
    zip_stat_t *st = data;
    zip_stat_init(st);
    st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_CRC |
                ZIP_STAT_COMP_METHOD;
    st->size = d->size;
    st->comp_size = d->len;
    st->crc = d->crc;
    st->comp_method = ZIP_CM_DEFLATE;
    return sizeof *st;
  }
  case ZIP_SOURCE_ERROR:
    return zip_error_to_data(&d->error, data, len);
  case ZIP_SOURCE_FREE:
    free(d->data);
    zip_error_fini(&d->error);
    free(d);
    return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
        ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS, -1);
  default:
    zip_error_set(&d->error, ZIP_ER_OPNOTSUPP, 0);
    return -1;
  }
}

/* One compressor serves the process: allocating one costs more than
 * compressing a chapter. */
static struct libdeflate_compressor *compressor;

/* data deflated, as a source that owns the result; NULL when deflating
 * does not make it smaller (data is then stored) or memory ran out. */
static zip_source_t *deflate_source(zip_t *za, const void *data, size_t len) {
  if (!compressor)
    compressor = libdeflate_alloc_compressor(EPUB_DEFLATE_LEVEL);
  deflated *d = compressor && len ? calloc(1, sizeof *d) : NULL;
  if (!d)
    return NULL;
  size_t cap = libdeflate_deflate_compress_bound(compressor, len);
  d->data = malloc(cap);
  if (d->data)
    d->len = libdeflate_deflate_compress(compressor, data, len, d->data, cap);
  zip_source_t *src = NULL;
  if (d->len && d->len < len) {
    d->size = len;
    d->crc = (zip_uint32_t)libdeflate_crc32(0, data, len);
    zip_error_init(&d->error);
    src = zip_source_function(za, deflated_source, d);
    if (!src)
      zip_error_fini(&d->error);
  }
  if (!src) {
    free(d->data);
    free(d);
  }
  return src;
}

void epub_cleanup(void) {
  libdeflate_free_compressor(compressor);
  compressor = NULL;
}

/* Adds an entry; takes ownership of data (malloc'd).  store: as it is (the
 * mimetype, images compressed already). */
static void add_entry(archive *a, const char *name, void *data, size_t len,
                      int store) {
  if (a->failed) {
    free(data);
    return;
  }
  zip_source_t *src = store ? NULL : deflate_source(a->za, data, len);
  if (src)
    free(data);
  else {
    store = 1;
    src = zip_source_buffer(a->za, data, len, 1);
  }
  if (!src) {
    free(data);
    zip_fail(a, name);
    return;
  }
  zip_int64_t idx = zip_file_add(a->za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    zip_fail(a, name);
    return;
  }
  if ((store &&
       zip_set_file_compression(a->za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) !=
           0) ||
      zip_file_set_dostime(a->za, (zip_uint64_t)idx, a->dos_time, a->dos_date,
                           0) != 0)
    zip_fail(a, name);
}

static void add_buf(archive *a, const char *name, buf *b) {
  size_t len;
  char *data = buf_detach(b, &len);
  add_entry(a, name, data, len, 0);
}

static void add_text(archive *a, const char *name, const char *text,
                     int store) {
  char *copy = strdup(text);
  if (!copy)
    out_of_memory();
  add_entry(a, name, copy, strlen(text), store);
}

static void set_dos_time(archive *a, time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  if (tm.tm_year < 80) { /* DOS dates start in 1980 */
    tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  }
  a->dos_time =
      (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
  a->dos_date = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 |
                               tm.tm_mday);
}

static int finish_archive(archive *a, zip_source_t *src, buf *out) {
  if (a->failed) {
    zip_discard(a->za);
    zip_source_free(src);
    return -1;
  }
  if (zip_close(a->za) != 0) {
    zip_fail(a, "closing");
    zip_discard(a->za);
    zip_source_free(src);
    return -1;
  }
  int rc = -1;
  if (zip_source_open(src) == 0) {
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0)
      buf_put(out, chunk, (size_t)got);
    rc = got < 0 ? -1 : 0;
    zip_source_close(src);
  }
  if (rc != 0)
    diag(DIAG_ERROR, NULL, 0, 0, "cannot read back the EPUB archive");
  zip_source_free(src);
  return rc;
}

static void write_entries(book *b, archive *a) {
  add_text(a, "mimetype", "application/epub+zip", 1);
  add_text(a, "META-INF/container.xml",
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<container version=\"1.0\" "
           "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
           "<rootfiles>\n<rootfile full-path=\"OEBPS/package.opf\" "
           "media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n"
           "</container>\n",
           0);
  buf t = {0};
  write_opf(b, &t);
  add_buf(a, "OEBPS/package.opf", &t);
  write_nav(b, &t);
  add_buf(a, "OEBPS/nav.xhtml", &t);
  write_ncx(b, &t);
  add_buf(a, "OEBPS/toc.ncx", &t);
  if (b->cover >= 0) {
    write_cover(b, &t);
    add_buf(a, "OEBPS/cover.xhtml", &t);
  }
  css_fonts cf;
  if (b->fonts)
    b->fm->css(b->fonts, &cf);
  css_write_fonts(b->opt->style, b->opt->size, b->fonts ? &cf : NULL, &t);
  add_buf(a, "OEBPS/style.css", &t);
  buf name = {0};
  const char **names = malloc((b->n_images + 1) * sizeof *names);
  if (!names)
    out_of_memory();
  for (size_t k = 0; k < b->n_images; k++)
    names[k] = b->images[k].name;
  int most_notes = 0;
  for (size_t k = 0; k < b->n_docs; k++)
    if (b->docs[k]->n_notes > most_notes)
      most_notes = b->docs[k]->n_notes;
  xhtml_notes *notes = xhtml_notes_new(most_notes);
  for (size_t i = 0; i < b->n_chapters && !a->failed; i++) {
    const chapter_plan *c = &b->chapters[i];
    xhtml_book bk = {c->d,  &b->anchors[c->doc_index], &b->image_index,
                     names, b->opt->style,             notes,
                     b->pages, c->doc_index};
    xhtml_chapter(&bk, c->first, c->stop, c->with_title, &t);
    name.len = 0;
    buf_puts(&name, "OEBPS/text/");
    xhtml_chapter_name((int)i + 1, &name);
    add_buf(a, name.data, &t);
  }
  xhtml_notes_free(notes);
  free(names);
  for (size_t i = 0; i < b->n_images && !a->failed; i++) {
    size_t len;
    char *bytes =
        resource_read_file(b->images[i].file, RESOURCE_MAX_BYTES, &len);
    if (!bytes) {
      diag(DIAG_ERROR, b->images[i].file, 0, 0, "cannot read the image: %s",
           strerror(errno));
      a->failed = 1;
      break;
    }
    if (strcmp(b->images[i].media_type, "image/svg+xml") == 0) {
      /* what goes in is the sanitised tree, never the file as it is (it
       * passed the same sanitiser when the document was read) */
      const char *why = NULL;
      char *clean = image_svg_clean((const unsigned char *)bytes, len, &len,
                                    &why);
      free(bytes);
      if (!clean) {
        diag(DIAG_ERROR, b->images[i].file, 0, 0,
             "cannot use the image: %s", why);
        a->failed = 1;
        break;
      }
      bytes = clean;
    }
    name.len = 0;
    buf_puts(&name, "OEBPS/");
    buf_puts(&name, b->images[i].name);
    /* PNG, JPEG and GIF are compressed already */
    add_entry(a, name.data, bytes, len,
              strcmp(b->images[i].media_type, "image/svg+xml") != 0);
  }
  size_t n_fonts = b->fonts ? b->fm->count(b->fonts) : 0;
  for (size_t i = 0; i < n_fonts && !a->failed; i++) {
    size_t len;
    char *bytes = b->fm->take(b->fonts, i, &len);
    name.len = 0;
    buf_printf(&name, "OEBPS/%s", b->fm->href(b->fonts, i));
    add_entry(a, name.data, bytes, len, 0);
  }
  buf_free(&name);
  buf_free(&t);
}

static void free_book(book *b) {
  xhtml_pages_free(b->pages);
  for (size_t i = 0; i < b->n_toc; i++)
    free(b->toc[i].label);
  for (size_t i = 0; i < b->n_images; i++)
    free(b->images[i].name);
  for (size_t k = 0; k < b->n_docs; k++)
    strmap_free(&b->anchors[k]);
  free(b->toc);
  free(b->chapters);
  free(b->images);
  free(b->anchors);
  strmap_free(&b->image_index);
  if (b->fonts)
    b->fm->destroy(b->fonts);
}

int epub_write(doc *const *docs, size_t n, const doc *meta,
               const epub_options *opt, buf *out) {
  book b = {.docs = docs, .n_docs = n, .meta = meta, .opt = opt, .cover = -1};
  b.anchors = calloc(n ? n : 1, sizeof *b.anchors);
  if (!b.anchors)
    out_of_memory();
  for (size_t k = 0; k < n; k++)
    plan_document(&b, k);
  trim_toc(&b);
  b.pages = xhtml_pages_new(opt->page_node, opt->page_doc, opt->n_pages);
  for (size_t i = 0; i < b.n_chapters; i++) {
    const chapter_plan *c = &b.chapters[i];
    xhtml_pages_place(b.pages, c->doc_index, (int)i + 1, c->first, c->stop,
                      c->with_title, !c->stop);
  }
  plan_images(&b);
  derive_uid(&b);
  if (plan_fonts(&b) != 0) {
    free_book(&b);
    return -1;
  }

  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
  if (!za) {
    diag(DIAG_ERROR, NULL, 0, 0, "cannot start the EPUB archive: %s",
         zip_error_strerror(&ze));
    zip_error_fini(&ze);
    if (src)
      zip_source_free(src);
    free_book(&b);
    return -1;
  }
  zip_error_fini(&ze);
  zip_source_keep(src);
  archive a = {.za = za};
  set_dos_time(&a, opt->modified);
  write_entries(&b, &a);
  int rc = finish_archive(&a, src, out);
  free_book(&b);
  return rc;
}

/* pdf.c - drawing with libharu.
 *
 * libharu writes the file, pages, images, links, outline and metadata; the
 * fonts are galley's own subset CID fonts (pdf_font.c), and the text drawn
 * with them goes into the content streams as operators. */
#include "pdf.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "galley.h"
#include "oom.h"
#include "pdf_flate.h"
#include "pdf_font.h"
#include "pdf_tags.h"
#include "pdfa.h"
#include "image.h"
#include "resource.h"
#include "strmap.h"
#include "url.h"
#include "utf8.h"

typedef struct {
  HPDF_STATUS error, detail;
} pdf_errors;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data) {
  pdf_errors *e = data;
  if (!e->error) {
    e->error = error;
    e->detail = detail;
  }
}

/* The faces drawn with, embedded; their handles in the font_set point at
 * these until pdf_write returns. */
typedef struct {
  pdf_font **v;
  size_t n;
} embedded_fonts;

static void free_fonts(font_set *fs, embedded_fonts *e) {
  for (size_t i = 0; i < fs->n_all; i++)
    font_set_pdf_handle(fs->all[i], NULL);
  for (size_t i = 0; i < e->n; i++)
    pdf_font_free(e->v[i]);
  free(e->v);
}

/* Every face drawn with gets a font; the glyphs of every text drawn with
 * it are noted, then it is embedded. */
static int load_fonts(HPDF_Doc pdf, font_set *fs, const layout *l,
                      embedded_fonts *e) {
  e->v = calloc(fs->n_all ? fs->n_all : 1, sizeof *e->v);
  if (!e->v)
    out_of_memory();
  for (size_t i = 0; i < fs->n_all; i++) {
    font_face *f = fs->all[i];
    font_set_pdf_handle(f, NULL);
    if (!font_used_any(f))
      continue;
    pdf_font *pf = pdf_font_new(f);
    e->v[e->n++] = pf;
    font_set_pdf_handle(f, pf);
  }
  for (size_t pg = 0; pg < l->n_pages; pg++)
    for (size_t i = 0; i < l->pages[pg].n_texts; i++) {
      const lay_text *t = &l->pages[pg].texts[i];
      pdf_font *pf = font_pdf_handle(t->face);
      shape_how how = {t->lang, t->plain, t->rtl};
      if (pf)
        pdf_font_note(pf, t->text, t->head, &how);
    }
  for (size_t i = 0; i < e->n; i++)
    if (pdf_font_embed(pdf, e->v[i]) != 0)
      return -1;
  return 0;
}

static void set_color(HPDF_Page page, unsigned rgb, int stroke) {
  double r = ((rgb >> 16) & 255) / 255.0, g = ((rgb >> 8) & 255) / 255.0,
         b = (rgb & 255) / 255.0;
  if (stroke)
    HPDF_Page_SetRGBStroke(page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
  else
    HPDF_Page_SetRGBFill(page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b);
}

/* What drawing needs besides the page: the document, its pages for link
 * targets, and the images already loaded (each file once). */
typedef struct {
  HPDF_Doc pdf;
  pdf_errors *errors;
  HPDF_Page *pages;
  const layout *l;
  int pdfa;
  pdf_tags *tags; /* NULL: untagged */
  size_t page;    /* the page being drawn */
  strmap image_index; /* file -> index into images */
  HPDF_Image *images; /* NULL where the file could not be used */
  size_t n_images;
} drawing;

/* Pixels a side of pt points needs at 300 dots per inch. */
static unsigned print_pixels(double pt) {
  double px = ceil(pt / 72.0 * 300.0);
  return px < 1 ? 1 : px > 100000 ? 100000 : (unsigned)px;
}

/* An 8-bit image XObject of w x h pixels, RGB or grey, made as libharu's
 * raw image loader makes one but deflated straight from the pixels (the
 * loader copies them into its stream, to be read back for deflating). */
static HPDF_Image image_xobject(drawing *dr, const unsigned char *px,
                                unsigned w, unsigned h, int grey) {
  HPDF_Image image = HPDF_DictStream_New(dr->pdf->mmgr, dr->pdf->xref);
  if (!image)
    return NULL;
  image->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
  HPDF_STATUS rc = HPDF_Dict_AddName(image, "Type", "XObject");
  rc += HPDF_Dict_AddName(image, "Subtype", "Image");
  rc += HPDF_Dict_AddNumber(image, "Width", (HPDF_INT32)w);
  rc += HPDF_Dict_AddNumber(image, "Height", (HPDF_INT32)h);
  rc += HPDF_Dict_AddName(image, "ColorSpace",
                          grey ? "DeviceGray" : "DeviceRGB");
  rc += HPDF_Dict_AddNumber(image, "BitsPerComponent", 8);
  if (rc != HPDF_OK ||
      pdf_flate_write(image, px, (size_t)w * h * (grey ? 1 : 3),
                      PDF_FLATE_CONTENTS) != 0)
    return NULL;
  return image;
}

/* The pixels as an image XObject, with their alpha as a soft mask when
 * they have one. */
static HPDF_Image raw_image(drawing *dr, const image_pixels *px) {
  HPDF_Image image = image_xobject(dr, px->rgb, px->width, px->height, 0);
  if (!image)
    return NULL;
  if (px->alpha) {
    HPDF_Image mask =
        image_xobject(dr, px->alpha, px->width, px->height, 1);
    if (!mask || HPDF_Image_AddSMask(image, mask) != HPDF_OK)
      return NULL;
    /* soft masks came with PDF 1.4 */
    if (dr->pdf->pdf_version < HPDF_VER_14)
      dr->pdf->pdf_version = HPDF_VER_14;
  }
  return image;
}

static HPDF_Image load_image(drawing *dr, const lay_image *im) {
  int k = strmap_get(&dr->image_index, im->file);
  if (k >= 0)
    return dr->images[k];
  HPDF_Image image = NULL;
  /* Every image was decoded in full when the document was read
   * (resource_resolve).  A JPEG with no more pixels than the page needs
   * goes in as it is (but for a CMYK one in PDF/A, whose sRGB output intent
   * allows no CMYK); a larger one, every PNG and GIF, and an SVG drawn by
   * librsvg, are decoded here, shrunk to their printed size at 300 dpi and
   * deflated at once, so a large image costs neither its full pixels in
   * memory nor their deflating.  (PNGs are never given to libharu's loader,
   * which aborts on a damaged file.)  Alpha is kept as a soft mask but in
   * PDF/A-1b, which allows no transparency: there it is composited onto
   * white, the page's colour. */
  unsigned mw = print_pixels(im->w), mh = print_pixels(im->h);
  unsigned sw = 0, sh = 0;
  int jpeg = strcmp(im->media_type, "image/jpeg") == 0;
  int as_is = jpeg &&
              resource_image_size(im->file, im->media_type, &sw, &sh) &&
              (unsigned long long)sw * sh <= 2ull * mw * mh &&
              !(dr->pdfa && image_jpeg_cmyk(im->file));
  const char *why = NULL;
  image_pixels px = {0};
  if (as_is) {
    image = HPDF_LoadJpegImageFromFile(dr->pdf, im->file);
    if (!image)
      why = "libharu cannot read the JPEG";
  } else if (image_decode(im->file, im->media_type, mw, mh,
                          dr->pdfa != GALLEY_PDFA_1B, &px, &why) == 0) {
    image = raw_image(dr, &px);
    if (!image)
      why = "libharu cannot take the pixels";
  }
  image_pixels_free(&px);
  if (!image)
    diag(DIAG_WARNING, im->doc_path, im->line, im->col,
         "image \"%s\" left out of the PDF: %s", im->file, why);
  if (!image) {
    HPDF_ResetError(dr->pdf);
    dr->errors->error = dr->errors->detail = 0;
  }
  HPDF_Image *grown =
      realloc(dr->images, (dr->n_images + 1) * sizeof *dr->images);
  if (!grown)
    out_of_memory();
  dr->images = grown;
  dr->images[dr->n_images] = image;
  strmap_add(&dr->image_index, im->file, (int)dr->n_images++);
  return image;
}

/* A number for the content stream from thousandths: "12.5", "-0.035".
 * By hand: printf was a tenth of the time of a long document. */
static void put_milli(buf *b, long long v) {
  char s[32], *end = s + sizeof s, *p = end;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  int frac = (int)(u % 1000);
  u /= 1000;
  if (frac) {
    int digits = 3;
    while (frac % 10 == 0) {
      frac /= 10;
      digits--;
    }
    for (int i = 0; i < digits; i++, frac /= 10)
      *--p = (char)('0' + frac % 10);
    *--p = '.';
  }
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    *--p = '-';
  buf_put(b, p, (size_t)(end - p));
}

static long long milli(double v) { return llround(v * 1000.0); }

static void put_num(buf *b, double v, const char *after) {
  put_milli(b, milli(v));
  buf_puts(b, after);
}

static void put_color(buf *b, unsigned rgb) {
  for (int stroke = 0; stroke < 2; stroke++) {
    for (int shift = 16; shift >= 0; shift -= 8)
      put_num(b, ((rgb >> shift) & 255) / 255.0, " ");
    buf_puts(b, stroke ? "RG\n" : "rg\n");
  }
}

/* The text operators go straight into the page's content stream: the fonts
 * are galley's own objects (pdf_font.c), which libharu's text calls do not
 * know.  Runs that follow one another on a baseline in the same state go
 * in one TJ array, each placed by an adjustment from where the previous
 * run ended (the widths are the font's W entries, so a reader lands where
 * layout put it); a third fewer bytes than a Td and a Tj for each, so less
 * to compress.  A new line starts with a Td in whole thousandths of a
 * point, relative to the last, so no error accumulates down a page. */
static void put_ops(drawing *dr, HPDF_Page page, buf *ops) {
  HPDF_Stream contents = ((HPDF_PageAttr)page->attr)->stream;
  if (HPDF_Stream_Write(contents, (const HPDF_BYTE *)ops->data,
                        (HPDF_UINT)ops->len) != HPDF_OK &&
      !dr->errors->error)
    dr->errors->error = HPDF_FILE_IO_ERROR;
  ops->len = 0;
}

/* In a tagged PDF each run of texts of one structure element is a
 * marked-content sequence: its MCID ties it to the element. */
static void draw_texts(drawing *dr, HPDF_Page page, const lay_page *lp) {
  buf ops = {0};
  buf_puts(&ops, "BT\n");
  int marked = 0;  /* a marked-content sequence is open */
  long cur_se = 0; /* its element */
  const pdf_font *cur_font = NULL;
  double cur_size = -1, cur_cs = 0;
  unsigned cur_color = 0x1000000;
  int cur_bold = 0, open = 0; /* open: a TJ array is being written */
  long long at_x = 0, at_y = 0;
  double pen = 0; /* where the open array's last run ended */
  for (size_t i = 0; i < lp->n_texts; i++) {
    const lay_text *t = &lp->texts[i];
    const pdf_font *font = font_pdf_handle(t->face);
    if (!font)
      continue;
    long long x = milli(t->x), y = milli(t->y);
    int same = font == cur_font && t->size == cur_size &&
               t->color == cur_color && t->char_space == cur_cs &&
               t->fake_bold == cur_bold && y == at_y && t->size > 0;
    int mark = dr->tags && (!marked || t->se != cur_se);
    if (open && (!same || mark)) {
      buf_puts(&ops, "] TJ\n");
      open = 0;
    }
    if (mark) {
      if (marked)
        buf_puts(&ops, "EMC\n");
      pdf_tags_begin(dr->tags, dr->page, t->se, &ops);
      marked = 1;
      cur_se = t->se;
    }
    if (font != cur_font || t->size != cur_size) {
      const char *name =
          HPDF_Page_GetLocalFontName(page, (HPDF_Font)pdf_font_dict(font));
      if (!name) {
        dr->errors->error = dr->errors->error ? dr->errors->error : 1;
        break;
      }
      buf_printf(&ops, "/%s ", name);
      put_num(&ops, t->size, " Tf\n");
      cur_font = font;
      cur_size = t->size;
    }
    if (t->color != cur_color) {
      put_color(&ops, t->color);
      cur_color = t->color;
    }
    if (t->char_space != cur_cs) {
      put_num(&ops, t->char_space, " Tc\n");
      cur_cs = t->char_space;
    }
    if (t->fake_bold != cur_bold) {
      buf_puts(&ops, t->fake_bold ? "2 Tr\n" : "0 Tr\n");
      if (t->fake_bold)
        put_num(&ops, t->size * 0.035, " w\n");
      cur_bold = t->fake_bold;
    }
    if (open) {
      /* a TJ number moves the pen left by thousandths of the font size */
      put_milli(&ops, llround((pen - t->x) * 1e6 / t->size));
    } else {
      put_milli(&ops, x - at_x);
      buf_putc(&ops, ' ');
      put_milli(&ops, y - at_y);
      buf_puts(&ops, " Td\n[");
      at_x = x;
      at_y = y;
      open = 1;
    }
    size_t codes = 0;
    shape_how how = {t->lang, t->plain, t->rtl};
    double width =
        pdf_font_encode(font, t->text, t->head, &how, t->size, &ops, &codes);
    pen = t->x + width * t->size / 1000.0 + t->char_space * (double)codes;
  }
  if (open)
    buf_puts(&ops, "] TJ\n");
  if (marked)
    buf_puts(&ops, "EMC\n");
  buf_puts(&ops, "ET\n");
  put_ops(dr, page, &ops);
  buf_free(&ops);
}

static void set_text(HPDF_Doc pdf, HPDF_Dict dict, const char *key,
                     const char *utf8);

static void draw_page(drawing *dr, HPDF_Page page, const lay_page *lp) {
  HPDF_Page *pages = dr->pages;
  const layout *l = dr->l;
  buf ops = {0};
  /* rules, tints, bars and underlines are artifacts, all of them */
  if (dr->tags && lp->n_rects) {
    buf_puts(&ops, "/Artifact BMC\n");
    put_ops(dr, page, &ops);
  }
  for (size_t i = 0; i < lp->n_rects; i++) {
    const lay_rect *r = &lp->rects[i];
    set_color(page, r->color, 0);
    HPDF_Page_Rectangle(page, (HPDF_REAL)r->x, (HPDF_REAL)r->y, (HPDF_REAL)r->w,
                        (HPDF_REAL)r->h);
    HPDF_Page_Fill(page);
  }
  if (dr->tags && lp->n_rects) {
    buf_puts(&ops, "EMC\n");
    put_ops(dr, page, &ops);
  }
  for (size_t i = 0; i < lp->n_images; i++) {
    const lay_image *im = &lp->images[i];
    HPDF_Image image = load_image(dr, im);
    if (!image)
      continue;
    if (dr->tags) {
      pdf_tags_begin(dr->tags, dr->page, im->se, &ops);
      pdf_tags_bbox(dr->tags, im->se, im->x, im->y, im->w, im->h);
      put_ops(dr, page, &ops);
    }
    HPDF_Page_DrawImage(page, image, (HPDF_REAL)im->x, (HPDF_REAL)im->y,
                        (HPDF_REAL)im->w, (HPDF_REAL)im->h);
    if (dr->tags) {
      buf_puts(&ops, "EMC\n");
      put_ops(dr, page, &ops);
    }
  }
  buf_free(&ops);
  if (lp->n_texts)
    draw_texts(dr, page, lp);
  for (size_t i = 0; i < lp->n_links; i++) {
    const lay_link *k = &lp->links[i];
    HPDF_Rect rect = {(HPDF_REAL)k->x, (HPDF_REAL)k->y,
                      (HPDF_REAL)(k->x + k->w), (HPDF_REAL)(k->y + k->h)};
    HPDF_Annotation a = NULL;
    if (k->uri) {
      buf uri = {0};
      if (k->uri[0] == '/' && k->uri[1] == '/')
        buf_puts(&uri, "https:"); /* no viewer should take it for a share */
      url_percent_encode(&uri, k->uri);
      a = HPDF_Page_CreateURILinkAnnot(page, rect, uri.data);
      buf_free(&uri);
    } else if (k->anchor >= 0 && (size_t)k->anchor < l->n_anchors) {
      const lay_anchor *an = &l->anchors[k->anchor];
      HPDF_Destination dst = HPDF_Page_CreateDestination(pages[an->page]);
      HPDF_Destination_SetFitH(dst, (HPDF_REAL)an->y);
      a = HPDF_Page_CreateLinkAnnot(page, rect, dst);
    }
    if (a) {
      HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
      HPDF_Dict_AddNumber((HPDF_Dict)a, "F", 4); /* printable, as PDF/A asks */
    }
    if (a && dr->tags) {
      /* PDF/UA: a link says where it goes */
      buf say = {0};
      if (k->uri)
        buf_printf(&say, "Link to %s", k->uri);
      else
        buf_printf(&say, "Link to page %zu",
                   l->anchors[k->anchor].page + 1);
      set_text(dr->pdf, a, "Contents", say.data);
      buf_free(&say);
      pdf_tags_link(dr->tags, dr->page, k->se, a);
    }
  }
}

/* libharu refuses strings over 64 KB: metadata and bookmarks are cut, at a
 * character boundary, well before that. */
#define PDF_MAX_STRING 4000

static const char *clip(const char *s, buf *keep) {
  size_t n = strlen(s);
  if (n <= PDF_MAX_STRING)
    return s;
  n = PDF_MAX_STRING;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  keep->len = 0;
  buf_put(keep, s, n);
  buf_puts(keep, "\xE2\x80\xA6");
  return keep->data;
}

/* A text string as PDF wants it outside content streams: UTF-16BE after a
 * byte order mark.  Built here rather than by libharu's UTF-8 encoder,
 * whose tables took more time to set up than a short article's outline
 * and metadata take to write. */
HPDF_Binary pdf_text_string(HPDF_Doc pdf, const char *utf8) {
  buf u = {0};
  buf_put(&u, "\xFE\xFF", 2);
  const unsigned char *s = (const unsigned char *)utf8;
  size_t len = strlen(utf8);
  while (len) {
    uint32_t cp = utf8_next(&s, &len);
    unsigned units[2] = {cp, 0};
    int n = 1;
    if (cp >= 0x10000) {
      units[0] = 0xD800 + ((cp - 0x10000) >> 10);
      units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
      n = 2;
    }
    for (int i = 0; i < n; i++) {
      char be[2] = {(char)(units[i] >> 8), (char)units[i]};
      buf_put(&u, be, 2);
    }
  }
  HPDF_Binary b =
      HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)u.data, (HPDF_UINT)u.len);
  buf_free(&u);
  return b;
}

/* Sets key of dict to the text string utf8 (clipped). */
static void set_text(HPDF_Doc pdf, HPDF_Dict dict, const char *key,
                     const char *utf8) {
  buf keep = {0};
  HPDF_Binary value = pdf_text_string(pdf, clip(utf8, &keep));
  buf_free(&keep);
  if (value)
    HPDF_Dict_Add(dict, key, value); /* failures reach on_error */
}

/* The bookmarks are trimmed as the EPUB's contents list is: each costs
 * libharu about 3 KB besides. */
static int outline_depth(const layout *l) {
  size_t per_level[8] = {0};
  for (size_t i = 0; i < l->n_outline; i++)
    per_level[l->outline[i].level < 7 ? l->outline[i].level : 7]++;
  return doc_outline_depth(per_level);
}

static void write_outline(HPDF_Doc pdf, const layout *l, HPDF_Page *pages) {
  HPDF_Outline parents[8] = {NULL};
  int levels[8];
  int sp = 0, keep = outline_depth(l);
  for (size_t i = 0; i < l->n_outline; i++) {
    const lay_outline *o = &l->outline[i];
    if (o->level > keep)
      continue;
    while (sp > 0 && levels[sp - 1] >= o->level)
      sp--;
    HPDF_Outline parent = sp > 0 ? parents[sp - 1] : NULL;
    HPDF_Outline node = HPDF_CreateOutline(pdf, parent, "", NULL);
    if (!node)
      continue;
    set_text(pdf, node, "Title", o->title);
    HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
    HPDF_Destination_SetFitH(dst, (HPDF_REAL)o->y);
    HPDF_Outline_SetDestination(node, dst);
    HPDF_Outline_SetOpened(node, o->level <= 1 ? HPDF_TRUE : HPDF_FALSE);
    if (sp < 8) {
      parents[sp] = node;
      levels[sp] = o->level;
      sp++;
    }
  }
}

static void join(buf *out, const char *const *items, size_t n,
                 const char *sep) {
  for (size_t i = 0; i < n; i++) {
    if (i)
      buf_puts(out, sep);
    buf_puts(out, items[i]);
  }
}

static void write_info(HPDF_Doc pdf, const doc *meta, time_t when) {
  const doc_meta *m = &meta->meta;
  /* an ASCII entry through libharu makes the Info dictionary */
  if (HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "galley") != HPDF_OK ||
      !pdf->info)
    return;
  set_text(pdf, pdf->info, "Title", m->title);
  buf b = {0};
  join(&b, m->authors, m->n_authors, ", ");
  if (b.len)
    set_text(pdf, pdf->info, "Author", b.data);
  buf_free(&b);
  join(&b, m->keywords, m->n_keywords, ", ");
  if (b.len)
    set_text(pdf, pdf->info, "Keywords", b.data);
  buf_free(&b);
  const char *subject = m->description ? m->description : m->subtitle;
  if (subject)
    set_text(pdf, pdf->info, "Subject", subject);
  struct tm tm;
  gmtime_r(&when, &tm);
  HPDF_Date date = {
      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
      tm.tm_sec,         'Z',           0,          0};
  HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
}

int pdf_write(const layout *l, const doc *meta, const pdf_options *opt,
              buf *out) {
  pdf_errors errors = {0, 0};
  HPDF_Doc pdf = HPDF_New(on_error, &errors);
  if (!pdf) {
    diag(DIAG_ERROR, NULL, 0, 0, "cannot start libharu");
    return -1;
  }
  embedded_fonts fonts = {0};
  int rc = -1;
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  if (opt->pdfa && pdfa_prepare(pdf, opt->pdfa, meta, opt->created, opt->id) != 0)
    goto done;
  if (load_fonts(pdf, opt->fonts, l, &fonts) != 0)
    goto done;
  HPDF_Page *pages = calloc(l->n_pages ? l->n_pages : 1, sizeof *pages);
  if (!pages)
    out_of_memory();
  /* A single Pages array holds at most 8191 entries in libharu; a tree of
   * Pages nodes of 1000 each reaches millions. */
  if (l->n_pages > 1000)
    HPDF_SetPagesConfiguration(pdf, 1000);
  for (size_t i = 0; i < l->n_pages; i++) {
    pages[i] = HPDF_AddPage(pdf);
    if (!pages[i]) {
      diag(DIAG_ERROR, NULL, 0, 0, "libharu cannot add page %zu", i + 1);
      free(pages);
      goto done;
    }
    HPDF_Page_SetWidth(pages[i], (HPDF_REAL)l->page_width);
    HPDF_Page_SetHeight(pages[i], (HPDF_REAL)l->page_height);
  }
  drawing dr = {
      .pdf = pdf, .errors = &errors, .pages = pages, .l = l, .pdfa = opt->pdfa};
  if (opt->tagged) {
    /* structure trees came with PDF 1.3, MarkInfo and Lang with 1.4;
     * PDF/UA-1 is based on 1.7, which PDF/A-1 does not allow */
    pdf->pdf_version = opt->pdfa == GALLEY_PDFA_1B ? HPDF_VER_14 : HPDF_VER_17;
    dr.tags = pdf_tags_new(pdf, l, pages);
    if (!opt->pdfa && pdf_xmp_add(pdf, 0, meta, opt->created) != 0 &&
        !errors.error)
      errors.error = HPDF_FAILD_TO_ALLOC_MEM;
    if (!dr.tags && !errors.error)
      errors.error = HPDF_FAILD_TO_ALLOC_MEM;
  }
  for (size_t i = 0; i < l->n_pages && !errors.error; i++) {
    dr.page = i;
    draw_page(&dr, pages[i], &l->pages[i]);
    pdf_flate_stream(((HPDF_PageAttr)pages[i]->attr)->contents,
                     PDF_FLATE_CONTENTS);
  }
  strmap_free(&dr.image_index);
  free(dr.images);
  pdf_tags_free(dr.tags);
  write_outline(pdf, l, pages);
  if (l->n_outline)
    HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  write_info(pdf, meta, opt->created);
  free(pages);
  if (errors.error) {
    diag(DIAG_ERROR, NULL, 0, 0, "libharu failed (error 0x%04X, detail %u)",
         (unsigned)errors.error, (unsigned)errors.detail);
    goto done;
  }
  if (HPDF_SaveToStream(pdf) != HPDF_OK) {
    diag(DIAG_ERROR, NULL, 0, 0, "libharu cannot write the PDF (0x%04X)",
         (unsigned)errors.error);
    goto done;
  }
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  HPDF_ResetStream(pdf);
  char chunk[65536];
  while (size > 0) {
    HPDF_UINT32 n = size < sizeof chunk ? size : (HPDF_UINT32)sizeof chunk;
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)chunk, &n);
    if (n == 0)
      break;
    buf_put(out, chunk, n);
    size -= n;
  }
  rc = 0;
done:
  HPDF_Free(pdf);
  free_fonts(opt->fonts, &fonts);
  return rc;
}

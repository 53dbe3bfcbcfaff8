/* pdf_font.c - subset CID fonts built with libharu's object API.
 *
 * libharu's own Type0 fonts cost more than the rest of a short document:
 * loading one looks up all 65,536 code points to build a CIDToGIDMap, and
 * that map is then compressed into every file.  Here a TrueType face's
 * character codes are numbered densely instead: code k (from 1) is the k-th
 * character drawn with the face, in code point order, so the CIDToGIDMap
 * holds only those, and the ToUnicode CMap maps each code back to exactly
 * the character it stands for (even where two characters share a glyph), so
 * text extracts as it was written.
 *
 * A CFF face (CIDFontType0, FontFile3) has no CIDToGIDMap: through
 * Identity-H a code is a CID, which the CFF's charset maps to a glyph (or
 * which is the glyph index, in a name-keyed CFF), so its codes are the ones
 * font_subset_cff gives.  Two characters drawn with one glyph then share a
 * code, and the ToUnicode CMap gives the first of them. */
#include "pdf_font.h"

#include <hb-ot.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pdf_flate.h"
#include "utf8.h"

struct pdf_font {
  uint32_t *cps;   /* the characters drawn, sorted */
  uint16_t *codes; /* codes[k]: the character code that draws cps[k] */
  int *widths;     /* widths[k]: its W entry, thousandths of an em */
  int dw;          /* DW, and the width of a character not in cps */
  size_t n;
  HPDF_Dict type0;
};

/* One code of the font, in code order, for W, CIDSet and ToUnicode. */
typedef struct {
  unsigned code;
  uint32_t cp;
  int width;
} code_entry;

/* A font's metrics for its descriptor, in thousandths of an em. */
typedef struct {
  int bbox[4], ascent, descent, cap_height, stem_v, flags;
  double italic_angle;
} metrics;

static int be16(const char *p) { return (int16_t)((uint8_t)p[0] << 8 | (uint8_t)p[1]); }
static uint32_t be32(const char *p) {
  return (uint32_t)(uint8_t)p[0] << 24 | (uint32_t)(uint8_t)p[1] << 16 |
         (uint32_t)(uint8_t)p[2] << 8 | (uint8_t)p[3];
}

/* Truncated, as libharu's own fonts had them, so that text lands where it
 * did before galley built its fonts itself. */
static int em1000(long v, unsigned upem) { return (int)(v * 1000 / (long)upem); }

/* head gives the bounding box, post the slant and pitch, OS/2 the weight
 * (from which StemV, which TrueType does not record, is estimated). */
static void read_metrics(hb_face_t *face, hb_font_t *font, unsigned upem,
                         double f_ascender, double f_descender, metrics *m) {
  memset(m, 0, sizeof *m);
  m->flags = 32; /* nonsymbolic: the characters are Unicode text */
  unsigned len = 0;
  hb_blob_t *t = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
  const char *d = hb_blob_get_data(t, &len);
  if (d && len >= 44)
    for (int i = 0; i < 4; i++)
      m->bbox[i] = em1000(be16(d + 36 + 2 * i), upem);
  hb_blob_destroy(t);
  t = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
  d = hb_blob_get_data(t, &len);
  if (d && len >= 16) {
    /* degrees from the vertical: a font giving a slant of a right angle or
     * more (libharu refuses reals past 32767, and then every object after)
     * is taken as upright */
    m->italic_angle = (int32_t)be32(d + 4) / 65536.0;
    if (!(m->italic_angle > -90 && m->italic_angle < 90))
      m->italic_angle = 0;
    if (be32(d + 12))
      m->flags |= 1; /* fixed pitch */
  }
  hb_blob_destroy(t);
  if (m->italic_angle != 0)
    m->flags |= 64;
  int weight = 400;
  t = hb_face_reference_table(face, HB_TAG('O', 'S', '/', '2'));
  d = hb_blob_get_data(t, &len);
  if (d && len >= 6)
    weight = be16(d + 4);
  hb_blob_destroy(t);
  m->stem_v = 50 + weight * weight / 4225; /* (weight / 65)^2, as is usual */
  /* the ascent and descent layout places lines by (font.h), so that a
   * reader's boxes around the text are the ones the page was made with */
  m->ascent = (int)(f_ascender * 1000);
  m->descent = (int)(f_descender * 1000);
  hb_position_t cap;
  m->cap_height = hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT,
                                             &cap) && cap > 0
                      ? em1000(cap, upem)
                      : m->ascent;
}

/* "ABCDEF+PostScriptName": the tag marks a subset, and is drawn from the
 * characters so that equal inputs give equal files. */
static void base_name(hb_face_t *face, const font_face *f, const uint32_t *cps,
                      size_t n, char out[80]) {
  char ps[64];
  unsigned len = sizeof ps;
  if (!hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
                           HB_LANGUAGE_INVALID, &len, ps))
    len = 0;
  if (!len) {
    snprintf(ps, sizeof ps, "%s", font_name(f));
    char *dot = strrchr(ps, '.');
    if (dot)
      *dot = '\0';
  }
  uint64_t h = 1469598103934665603u;
  size_t k = 0;
  for (const char *p = ps; *p; p++) {
    unsigned char c = (unsigned char)*p;
    h = (h ^ c) * 1099511628211u;
    if (c > 32 && c < 127 && !strchr("()<>[]{}/%#", c))
      ps[k++] = (char)c; /* what a PDF name may hold unescaped */
  }
  ps[k] = '\0';
  for (size_t i = 0; i < n; i++)
    h = (h ^ cps[i]) * 1099511628211u;
  char tag[7];
  for (int i = 0; i < 6; i++, h /= 26)
    tag[i] = (char)('A' + h % 26);
  tag[6] = '\0';
  snprintf(out, 80, "%s+%s", tag, k ? ps : "Font");
}

/* level: a zlib level, or 0 to store the bytes as they are */
static HPDF_Dict new_stream(HPDF_Doc pdf, const void *bytes, size_t len,
                            int level) {
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!s)
    return NULL;
  if (level)
    return pdf_flate_write(s, bytes, len, level) == 0 ? s : NULL;
  s->filter = HPDF_STREAM_FILTER_NONE;
  if (HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)bytes, (HPDF_UINT)len) !=
      HPDF_OK)
    return NULL;
  return s;
}

static HPDF_Dict new_dict(HPDF_Doc pdf, const char *type) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK ||
      (type && HPDF_Dict_AddName(d, "Type", type) != HPDF_OK))
    return NULL;
  return d;
}

static void hex4(buf *b, unsigned v) {
  static const char digits[] = "0123456789ABCDEF";
  char s[4] = {digits[v >> 12 & 15], digits[v >> 8 & 15], digits[v >> 4 & 15],
               digits[v & 15]};
  buf_put(b, s, 4);
}

/* Whether entry j continues the run of entry j - 1: both the code and the
 * character one more, inside one block of 256 codes and characters, as
 * bfrange asks. */
static int continues(const code_entry *e, size_t j) {
  return e[j].code == e[j - 1].code + 1 && e[j].cp == e[j - 1].cp + 1 &&
         (e[j].code & 0xFF) != 0 && (e[j].cp & 0xFF) != 0;
}

/* The entries as bfrange lines (runs) and bfchar lines (single codes), in
 * sections of at most 100, as the CMap rules ask. */
static void build_to_unicode(const code_entry *e, size_t n, buf *cmap) {
  buf_puts(cmap,
           "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
           ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
           "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  for (int ranges = 1; ranges >= 0; ranges--) {
    buf lines = {0};
    size_t count = 0;
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && continues(e, j))
        j++;
      if ((j - i > 1) == ranges) {
        buf_putc(&lines, '<');
        hex4(&lines, e[i].code);
        if (ranges) {
          buf_puts(&lines, "> <");
          hex4(&lines, e[j - 1].code);
        }
        buf_puts(&lines, "> <");
        hex4(&lines, e[i].cp);
        buf_puts(&lines, ">\n");
        if (++count == 100) {
          buf_printf(cmap, "100 begin%s\n", ranges ? "bfrange" : "bfchar");
          buf_put(cmap, lines.data, lines.len);
          buf_printf(cmap, "end%s\n", ranges ? "bfrange" : "bfchar");
          lines.len = 0;
          count = 0;
        }
      }
      i = j;
    }
    if (count) {
      buf_printf(cmap, "%zu begin%s\n", count, ranges ? "bfrange" : "bfchar");
      buf_put(cmap, lines.data, lines.len);
      buf_printf(cmap, "end%s\n", ranges ? "bfrange" : "bfchar");
    }
    buf_free(&lines);
  }
  buf_puts(cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                 "end\nend\n");
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The commonest advance becomes DW; W lists the other codes, in runs. */
static int default_width(const int *w, size_t n) {
  if (!n)
    return 1000;
  int *sorted = malloc(n * sizeof *sorted);
  if (!sorted)
    abort();
  memcpy(sorted, w, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_int);
  int best = sorted[0];
  size_t best_run = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && sorted[j] == sorted[i])
      j++;
    if (j - i > best_run) {
      best_run = j - i;
      best = sorted[i];
    }
    i = j;
  }
  free(sorted);
  return best;
}

/* The W array: runs of consecutive codes wider or narrower than DW.  NULL
 * (nothing left allocated: an array added to another belongs to it, and
 * libharu frees it when the adding fails). */
static HPDF_Array widths_array(HPDF_Doc pdf, const code_entry *e, size_t n,
                               int dw) {
  HPDF_Array outer = HPDF_Array_New(pdf->mmgr);
  if (!outer)
    return NULL;
  HPDF_STATUS rc = HPDF_OK;
  for (size_t i = 0; i < n && rc == HPDF_OK;) {
    if (e[i].width == dw) {
      i++;
      continue;
    }
    HPDF_Array run = HPDF_Array_New(pdf->mmgr);
    if (!run) {
      rc = HPDF_FAILD_TO_ALLOC_MEM;
      break;
    }
    rc |= HPDF_Array_AddNumber(outer, (HPDF_INT32)e[i].code);
    size_t j = i;
    for (; j < n && e[j].width != dw && (j == i || e[j].code == e[j - 1].code + 1);
         j++)
      rc |= HPDF_Array_AddNumber(run, e[j].width);
    rc |= HPDF_Array_Add(outer, run);
    i = j;
  }
  if (rc == HPDF_OK)
    return outer;
  HPDF_Array_Free(outer);
  return NULL;
}

/* What build_objects embeds: the font program and how codes reach it. */
typedef struct {
  const char *bytes; /* a TrueType font, or a bare CFF table */
  size_t len;
  int cff;
  const uint16_t *gids; /* TrueType: the glyph of code k + 1, k < n */
  const code_entry *e;  /* the codes, in code order */
  size_t n;
  int dw;
} embedding;

/* The objects: Type0 -> CIDFontType2 (W, CIDToGIDMap) or CIDFontType0 (W)
 * -> FontDescriptor (FontFile2 or FontFile3, CIDSet for PDF/A), and the
 * Type0's ToUnicode. */
static HPDF_Dict build_objects(HPDF_Doc pdf, const char *name,
                               const metrics *m, const embedding *em) {
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_STATUS rc = HPDF_OK;
  /* The dictionaries and streams are the document's (in its cross-reference
   * table) from the start; the direct objects are added to theirs as soon
   * as they are made, so that a failure part way leaves nothing unowned. */
  HPDF_Dict file = new_stream(pdf, em->bytes, em->len, PDF_FLATE_FONTS);
  HPDF_Dict desc = new_dict(pdf, "FontDescriptor");
  HPDF_Dict cid = new_dict(pdf, "Font");
  HPDF_Dict type0 = new_dict(pdf, "Font");
  if (!file || !desc || !cid || !type0)
    return NULL;
  HPDF_Dict sysinfo = HPDF_Dict_New(mm);
  if (!sysinfo || HPDF_Dict_Add(cid, "CIDSystemInfo", sysinfo) != HPDF_OK)
    return NULL;
  HPDF_Array bbox = HPDF_Array_New(mm);
  if (!bbox || HPDF_Dict_Add(desc, "FontBBox", bbox) != HPDF_OK)
    return NULL;
  HPDF_Array descendants = HPDF_Array_New(mm);
  if (!descendants ||
      HPDF_Dict_Add(type0, "DescendantFonts", descendants) != HPDF_OK)
    return NULL;

  if (em->cff)
    rc |= HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
  else
    rc |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)em->len);
  for (int i = 0; i < 4; i++)
    rc |= HPDF_Array_AddNumber(bbox, m->bbox[i]);
  rc |= HPDF_Dict_AddName(desc, "FontName", name);
  rc |= HPDF_Dict_AddNumber(desc, "Flags", m->flags);
  rc |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)m->italic_angle);
  rc |= HPDF_Dict_AddNumber(desc, "Ascent", m->ascent);
  rc |= HPDF_Dict_AddNumber(desc, "Descent", m->descent);
  rc |= HPDF_Dict_AddNumber(desc, "CapHeight", m->cap_height);
  rc |= HPDF_Dict_AddNumber(desc, "StemV", m->stem_v);
  rc |= HPDF_Dict_Add(desc, em->cff ? "FontFile3" : "FontFile2", file);

  /* PDF/A-1 asks subset CID fonts to list the CIDs they hold: 0 and the
   * codes used */
  unsigned top = em->n ? em->e[em->n - 1].code : 0;
  size_t set_len = (top + 1 + 7) / 8;
  unsigned char *set = calloc(set_len, 1);
  if (!set)
    abort();
  set[0] = 0x80;
  for (size_t k = 0; k < em->n; k++)
    set[em->e[k].code / 8] |= (unsigned char)(0x80 >> (em->e[k].code % 8));
  /* a CID-keyed font's CIDs run to 65,000: its set, kilobytes of mostly
   * zeros, is compressed */
  HPDF_Dict cidset =
      new_stream(pdf, set, set_len, set_len > 256 ? PDF_FLATE_CONTENTS : 0);
  free(set);
  if (!cidset)
    return NULL;
  rc |= HPDF_Dict_Add(desc, "CIDSet", cidset);
  if (!em->cff) {
    uint8_t *map = malloc(2 * (em->n + 1));
    if (!map)
      abort();
    map[0] = map[1] = 0;
    for (size_t k = 0; k < em->n; k++) {
      map[2 * k + 2] = (uint8_t)(em->gids[k] >> 8);
      map[2 * k + 3] = (uint8_t)em->gids[k];
    }
    HPDF_Dict cidmap =
        new_stream(pdf, map, 2 * (em->n + 1), PDF_FLATE_CONTENTS);
    free(map);
    if (!cidmap)
      return NULL;
    rc |= HPDF_Dict_Add(cid, "CIDToGIDMap", cidmap);
  }

  rc |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
  rc |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
  rc |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
  rc |= HPDF_Dict_AddName(cid, "Subtype",
                          em->cff ? "CIDFontType0" : "CIDFontType2");
  rc |= HPDF_Dict_AddName(cid, "BaseFont", name);
  rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
  rc |= HPDF_Dict_AddNumber(cid, "DW", em->dw);
  HPDF_Array w = widths_array(pdf, em->e, em->n, em->dw);
  rc |= w ? HPDF_Dict_Add(cid, "W", w) : HPDF_FAILD_TO_ALLOC_MEM;

  buf cmap = {0};
  build_to_unicode(em->e, em->n, &cmap);
  HPDF_Dict to_unicode = new_stream(pdf, cmap.data, cmap.len, PDF_FLATE_CONTENTS);
  buf_free(&cmap);
  if (!to_unicode)
    return NULL;
  rc |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
  rc |= HPDF_Dict_AddName(type0, "BaseFont", name);
  rc |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
  rc |= HPDF_Array_Add(descendants, cid);
  rc |= HPDF_Dict_Add(type0, "ToUnicode", to_unicode);
  return rc == HPDF_OK ? type0 : NULL;
}

static int by_code(const void *a, const void *b) {
  const code_entry *x = a, *y = b;
  if (x->code != y->code)
    return (x->code > y->code) - (x->code < y->code);
  return (x->cp > y->cp) - (x->cp < y->cp);
}

/* The entries of pf in code order, one per code (the first character of
 * those sharing one); the count in *n. */
static code_entry *entries_by_code(const pdf_font *pf, size_t *n) {
  code_entry *e = malloc((pf->n + 1) * sizeof *e);
  if (!e)
    abort();
  for (size_t k = 0; k < pf->n; k++)
    e[k] = (code_entry){pf->codes[k], pf->cps[k], pf->widths[k]};
  qsort(e, pf->n, sizeof *e, by_code);
  size_t m = 0;
  for (size_t k = 0; k < pf->n; k++)
    if (e[k].code != 0 && (m == 0 || e[k].code != e[m - 1].code))
      e[m++] = e[k];
  *n = m;
  return e;
}

pdf_font *pdf_font_embed(HPDF_Doc pdf, font_face *f) {
  pdf_font *pf = calloc(1, sizeof *pf);
  if (!pf)
    abort();
  uint16_t *gids;
  int *advances;
  pf->n = font_used_glyphs(f, &pf->cps, &gids, &advances);
  size_t len = 0;
  pf->codes = malloc((pf->n + 1) * sizeof *pf->codes);
  uint16_t *new_gids = malloc((pf->n + 1) * sizeof *new_gids);
  pf->widths = malloc((pf->n + 1) * sizeof *pf->widths);
  if (!pf->codes || !new_gids || !pf->widths)
    abort();
  int cff = font_outlines_of(f) != FONT_TRUETYPE;
  char *bytes = cff ? font_subset_cff(f, gids, pf->n, pf->codes, &len)
                    : font_subset(f, gids, pf->n, new_gids, &len);
  free(gids);
  if (!bytes) {
    diag(DIAG_ERROR, font_path(f), 0, 0, "cannot subset the font");
    free(advances);
    free(new_gids);
    pdf_font_free(pf);
    return NULL;
  }
  unsigned upem = font_upem(f);
  for (size_t k = 0; k < pf->n; k++) {
    pf->widths[k] = em1000(advances[k], upem);
    if (!cff)
      pf->codes[k] = (uint16_t)(k + 1);
  }
  free(advances);
  pf->dw = default_width(pf->widths, pf->n);
  size_t n_codes;
  code_entry *e = entries_by_code(pf, &n_codes);
  metrics m;
  read_metrics(font_hb_face(f), font_hb_font(f), upem, font_ascender(f),
               font_descender(f), &m);
  char name[80];
  base_name(font_hb_face(f), f, pf->cps, pf->n, name);
  embedding em = {bytes, len, cff, new_gids, e, n_codes, pf->dw};
  pf->type0 = build_objects(pdf, name, &m, &em);
  free(e);
  free(bytes);
  free(new_gids);
  if (!pf->type0) {
    diag(DIAG_ERROR, font_path(f), 0, 0, "cannot add the font to the PDF");
    pdf_font_free(pf);
    return NULL;
  }
  return pf;
}

HPDF_Dict pdf_font_dict(const pdf_font *pf) { return pf->type0; }

/* The index of cp in pf->cps, or pf->n when it is not there. */
static size_t index_of(const pdf_font *pf, uint32_t cp) {
  size_t lo = 0, hi = pf->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (pf->cps[mid] < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < pf->n && pf->cps[lo] == cp ? lo : pf->n;
}

/* A literal string, two bytes a code: half the bytes of a hex string, so
 * less to compress.  Backslash, the parentheses and CR (which a reader
 * would take for a line end) are escaped. */
double pdf_font_encode(const pdf_font *pf, const char *utf8, buf *out,
                       size_t *n_codes) {
  long width = 0;
  *n_codes = 0;
  const unsigned char *s = (const unsigned char *)utf8;
  size_t len = strlen(utf8);
  char chunk[512];
  size_t n = 0;
  chunk[n++] = '(';
  while (len) {
    uint32_t cp = utf8_next(&s, &len);
    size_t k = index_of(pf, cp);
    unsigned code = k < pf->n ? pf->codes[k] : 0;
    width += k < pf->n ? pf->widths[k] : pf->dw;
    ++*n_codes;
    unsigned char bytes[2] = {(unsigned char)(code >> 8), (unsigned char)code};
    for (int i = 0; i < 2; i++) {
      unsigned char c = bytes[i];
      if (c == '(' || c == ')' || c == '\\' || c == '\r') {
        chunk[n++] = '\\';
        c = c == '\r' ? 'r' : c;
      }
      chunk[n++] = (char)c;
    }
    if (n > sizeof chunk - 8) {
      buf_put(out, chunk, n);
      n = 0;
    }
  }
  chunk[n++] = ')';
  buf_put(out, chunk, n);
  return (double)width;
}

void pdf_font_free(pdf_font *pf) {
  if (!pf)
    return;
  free(pf->cps);
  free(pf->codes);
  free(pf->widths);
  free(pf);
}

/* pdf_font.c - subset CID fonts built with libharu's object API.
 *
 * libharu's own Type0 fonts cost more than the rest of a short document:
 * loading one looks up all 65,536 code points to build a CIDToGIDMap, and
 * that map is then compressed into every file.  Here the font's character
 * codes are numbered densely instead: code k (from 1) is the k-th character
 * drawn with the face, in code point order, so the CIDToGIDMap holds only
 * those, and the ToUnicode CMap maps each code back to exactly the character
 * it stands for (even where two characters share a glyph), so text extracts
 * as it was written. */
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
  uint32_t *cps; /* sorted: code k+1 draws cps[k] */
  int *widths;   /* widths[k]: code k's W entry (0: DW) */
  size_t n;
  HPDF_Dict type0;
};

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
                         metrics *m) {
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
  t = hb_face_reference_table(face, HB_TAG('h', 'h', 'e', 'a'));
  d = hb_blob_get_data(t, &len);
  if (d && len >= 8) {
    m->ascent = em1000(be16(d + 4), upem);
    m->descent = em1000(be16(d + 6), upem);
  }
  hb_blob_destroy(t);
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

/* Where the run of consecutive characters starting at code i + 1 ends (the
 * code past it, inside one block of 256 on both sides, as bfrange asks). */
static size_t run_end(const uint32_t *cps, size_t n, size_t i) {
  size_t j = i + 1;
  while (j < n && cps[j] == cps[j - 1] + 1 && ((j + 1) & 0xFF) != 0 &&
         (cps[j] & 0xFF) != 0)
    j++;
  return j;
}

/* One bfrange line from code i + 1: a run of consecutive characters, or
 * else the characters up to the next run, inside this block of 256 codes,
 * as an array of destinations.  Returns the code past the line. */
static size_t line_end(const uint32_t *cps, size_t n, size_t i, int *array) {
  size_t j = run_end(cps, n, i);
  *array = j - i == 1;
  if (*array)
    while (j < n && ((j + 1) >> 8) == ((i + 1) >> 8) &&
           run_end(cps, n, j) == j + 1)
      j++;
  return j;
}

/* The bfrange lines in sections of at most 100, as the CMap rules ask. */
static void build_to_unicode(const uint32_t *cps, size_t n, buf *cmap) {
  buf_puts(cmap,
           "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
           ">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
           "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  int array;
  for (size_t i = 0; i < n;) {
    size_t count = 0;
    for (size_t k = i; k < n && count < 100; count++)
      k = line_end(cps, n, k, &array);
    buf_printf(cmap, "%zu beginbfrange\n", count);
    for (; count > 0; count--) {
      size_t j = line_end(cps, n, i, &array);
      buf_putc(cmap, '<');
      hex4(cmap, (unsigned)i + 1);
      buf_puts(cmap, "> <");
      hex4(cmap, (unsigned)j);
      buf_puts(cmap, array ? "> [" : "> ");
      for (size_t k = i; k < (array ? j : i + 1); k++) {
        if (k > i)
          buf_putc(cmap, ' ');
        buf_putc(cmap, '<');
        hex4(cmap, cps[k]);
        buf_putc(cmap, '>');
      }
      buf_puts(cmap, array ? "]\n" : "\n");
      i = j;
    }
    buf_puts(cmap, "endbfrange\n");
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

/* The W array, or NULL (nothing left allocated: an array added to another
 * belongs to it, and libharu frees it when the adding fails). */
static HPDF_Array widths_array(HPDF_Doc pdf, const int *w, size_t n, int dw) {
  HPDF_Array outer = HPDF_Array_New(pdf->mmgr);
  if (!outer)
    return NULL;
  HPDF_STATUS rc = HPDF_OK;
  for (size_t i = 0; i < n && rc == HPDF_OK;) {
    if (w[i] == dw) {
      i++;
      continue;
    }
    HPDF_Array run = HPDF_Array_New(pdf->mmgr);
    if (!run) {
      rc = HPDF_FAILD_TO_ALLOC_MEM;
      break;
    }
    rc |= HPDF_Array_AddNumber(outer, (HPDF_INT32)i + 1);
    for (; i < n && w[i] != dw; i++)
      rc |= HPDF_Array_AddNumber(run, w[i]);
    rc |= HPDF_Array_Add(outer, run);
  }
  if (rc == HPDF_OK)
    return outer;
  HPDF_Array_Free(outer);
  return NULL;
}

/* The objects: Type0 -> CIDFontType2 (W, CIDToGIDMap) -> FontDescriptor
 * (FontFile2, CIDSet for PDF/A), and the Type0's ToUnicode. */
static HPDF_Dict build_objects(HPDF_Doc pdf, const char *name,
                               const metrics *m, const char *font_bytes,
                               size_t font_len, const uint16_t *gids,
                               const int *widths, int dw,
                               const uint32_t *cps, size_t n) {
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_STATUS rc = HPDF_OK;
  /* The dictionaries and streams are the document's (in its cross-reference
   * table) from the start; the direct objects are added to theirs as soon
   * as they are made, so that a failure part way leaves nothing unowned. */
  HPDF_Dict file = new_stream(pdf, font_bytes, font_len, PDF_FLATE_FONTS);
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

  rc |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)font_len);
  for (int i = 0; i < 4; i++)
    rc |= HPDF_Array_AddNumber(bbox, m->bbox[i]);
  rc |= HPDF_Dict_AddName(desc, "FontName", name);
  rc |= HPDF_Dict_AddNumber(desc, "Flags", m->flags);
  rc |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)m->italic_angle);
  rc |= HPDF_Dict_AddNumber(desc, "Ascent", m->ascent);
  rc |= HPDF_Dict_AddNumber(desc, "Descent", m->descent);
  rc |= HPDF_Dict_AddNumber(desc, "CapHeight", m->cap_height);
  rc |= HPDF_Dict_AddNumber(desc, "StemV", m->stem_v);
  rc |= HPDF_Dict_Add(desc, "FontFile2", file);

  /* PDF/A-1 asks subset CID fonts to list the CIDs they hold: all of
   * 0..n here */
  size_t set_len = (n + 1 + 7) / 8;
  unsigned char *set = calloc(set_len, 1);
  uint8_t *map = malloc(2 * (n + 1));
  if (!set || !map)
    abort();
  for (size_t k = 0; k <= n; k++)
    set[k / 8] |= (unsigned char)(0x80 >> (k % 8));
  map[0] = map[1] = 0;
  for (size_t k = 0; k < n; k++) {
    map[2 * k + 2] = (uint8_t)(gids[k] >> 8);
    map[2 * k + 3] = (uint8_t)gids[k];
  }
  HPDF_Dict cidset = new_stream(pdf, set, set_len, 0);
  HPDF_Dict cidmap = new_stream(pdf, map, 2 * (n + 1), PDF_FLATE_CONTENTS);
  free(set);
  free(map);
  if (!cidset || !cidmap)
    return NULL;
  rc |= HPDF_Dict_Add(desc, "CIDSet", cidset);

  rc |= HPDF_Dict_Add(sysinfo, "Registry", HPDF_String_New(mm, "Adobe", NULL));
  rc |= HPDF_Dict_Add(sysinfo, "Ordering", HPDF_String_New(mm, "Identity", NULL));
  rc |= HPDF_Dict_AddNumber(sysinfo, "Supplement", 0);
  rc |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  rc |= HPDF_Dict_AddName(cid, "BaseFont", name);
  rc |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
  rc |= HPDF_Dict_AddNumber(cid, "DW", dw);
  HPDF_Array w = widths_array(pdf, widths, n, dw);
  rc |= w ? HPDF_Dict_Add(cid, "W", w) : HPDF_FAILD_TO_ALLOC_MEM;
  rc |= HPDF_Dict_Add(cid, "CIDToGIDMap", cidmap);

  buf cmap = {0};
  build_to_unicode(cps, n, &cmap);
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

pdf_font *pdf_font_embed(HPDF_Doc pdf, font_face *f) {
  pdf_font *pf = calloc(1, sizeof *pf);
  if (!pf)
    abort();
  uint16_t *gids;
  int *advances;
  pf->n = font_used_glyphs(f, &pf->cps, &gids, &advances);
  size_t len = 0;
  uint16_t *new_gids = malloc((pf->n + 1) * sizeof *new_gids);
  if (!new_gids)
    abort();
  char *bytes = font_subset(f, gids, pf->n, new_gids, &len);
  free(gids);
  if (!bytes) {
    diag(DIAG_ERROR, font_name(f), 0, 0, "cannot subset the font");
    free(advances);
    free(new_gids);
    pdf_font_free(pf);
    return NULL;
  }
  unsigned upem = font_upem(f);
  pf->widths = malloc((pf->n + 1) * sizeof *pf->widths);
  if (!pf->widths)
    abort();
  int *widths = pf->widths + 1; /* code k + 1's width at widths[k] */
  for (size_t k = 0; k < pf->n; k++)
    widths[k] = em1000(advances[k], upem);
  free(advances);
  pf->widths[0] = default_width(widths, pf->n); /* code 0 takes DW */
  metrics m;
  read_metrics(font_hb_face(f), font_hb_font(f), upem, &m);
  char name[80];
  base_name(font_hb_face(f), f, pf->cps, pf->n, name);
  pf->type0 = build_objects(pdf, name, &m, bytes, len, new_gids, widths,
                            pf->widths[0], pf->cps, pf->n);
  free(bytes);
  free(new_gids);
  if (!pf->type0) {
    diag(DIAG_ERROR, font_name(f), 0, 0, "cannot add the font to the PDF");
    pdf_font_free(pf);
    return NULL;
  }
  return pf;
}

HPDF_Dict pdf_font_dict(const pdf_font *pf) { return pf->type0; }

static unsigned code_of(const pdf_font *pf, uint32_t cp) {
  size_t lo = 0, hi = pf->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (pf->cps[mid] < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < pf->n && pf->cps[lo] == cp ? (unsigned)lo + 1 : 0;
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
    unsigned code = code_of(pf, cp);
    width += pf->widths[code];
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
  free(pf->widths);
  free(pf);
}

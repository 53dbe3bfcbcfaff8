/* pdf_font.c - subset CID fonts built with libharu's object API.
 *
 * Text is drawn with glyphs as HarfBuzz shapes it (shape.h), so a code of
 * the font stands for a glyph and the text it was shaped from: a ligature's
 * code maps back to its two or three letters through the ToUnicode CMap, a
 * local form's to its character, and text extracts as it was written.
 * Before the font is embedded every text drawn with it is noted
 * (pdf_font_note), which gives the glyphs to keep and the codes.
 *
 * A TrueType face's codes are numbered densely: code k (from 1) is the k-th
 * glyph and text drawn with the face, in the order of the text, so the
 * CIDToGIDMap holds only those (libharu's own Type0 fonts looked up all
 * 65,536 code points and compressed that map into every file), and two
 * characters that share a glyph keep codes of their own.
 *
 * A CFF face (CIDFontType0, FontFile3) has no CIDToGIDMap: through
 * Identity-H a code is a CID, which the CFF's charset maps to a glyph (or
 * which is the glyph index, in a name-keyed CFF), so its codes are the ones
 * font_subset_cff gives.  Two texts drawn with one glyph then share a
 * code, and the ToUnicode CMap gives the first of them. */
#include "pdf_font.h"

#include <hb-ot.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "oom.h"
#include "pdf_flate.h"
#include "shape.h"
#include "utf8.h"
#include "vec.h"

/* One glyph drawn with the face and the text it stands for. */
typedef struct {
  uint32_t gid;
  size_t text; /* its bytes in pdf_font.texts, len of them */
  uint32_t len;
  unsigned code;
  int width;     /* the glyph's advance, thousandths of an em (its W entry) */
  int32_t units; /* and in font units */
} glyph_use;

struct pdf_font {
  font_face *face;
  glyph_use *uses;
  size_t n, cap;
  buf texts;
  size_t *slots; /* a hash table of uses: index + 1, 0 for none */
  size_t n_slots;
  /* by_gid[g]: index + 1 of a use of glyph g, which is nearly always the
   * one asked for (a glyph drawn for one text only): found without
   * hashing the text */
  uint32_t *by_gid;
  size_t n_gids;
  int dw; /* DW, and the width of a glyph not noted */
  HPDF_Dict type0;
};

/* One code of the font, in code order, for W, CIDSet and ToUnicode. */
typedef struct {
  unsigned code;
  uint32_t cp; /* the text, when it is one character; else 0 */
  const char *text;
  uint32_t len;
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
static void base_name(hb_face_t *face, const font_face *f,
                      const code_entry *e, size_t n, char out[80]) {
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
  for (size_t i = 0; i < n; i++) {
    h = (h ^ e[i].code) * 1099511628211u;
    for (uint32_t j = 0; j < e[i].len; j++)
      h = (h ^ (unsigned char)e[i].text[j]) * 1099511628211u;
  }
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

/* Whether entry j continues the run of entry j - 1: both single
 * characters, the code and the character one more, inside one block of 256
 * codes and characters, as bfrange asks. */
static int continues(const code_entry *e, size_t j) {
  return e[j].cp && e[j - 1].cp && e[j].cp < 0x10000 &&
         e[j].code == e[j - 1].code + 1 && e[j].cp == e[j - 1].cp + 1 &&
         (e[j].code & 0xFF) != 0 && (e[j].cp & 0xFF) != 0;
}

/* The text of an entry in UTF-16, as ToUnicode gives it (a ligature's
 * letters one after another); at most 64 units. */
static void put_utf16(buf *b, const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  for (int units = 0; len && units < 63; units++) {
    uint32_t cp = utf8_next(&s, &len);
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      hex4(b, 0xD800 + (cp >> 10));
      hex4(b, 0xDC00 + (cp & 0x3FF));
      units++;
    } else {
      hex4(b, cp);
    }
  }
}

/* The entries as bfrange lines (runs) and bfchar lines (single codes), in
 * sections of at most 100, as the CMap rules ask.  A glyph that stands for
 * no text of its own (the second glyph of a cluster) has no entry. */
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
      if ((j - i > 1) == ranges && e[i].len) {
        buf_putc(&lines, '<');
        hex4(&lines, e[i].code);
        if (ranges) {
          buf_puts(&lines, "> <");
          hex4(&lines, e[j - 1].code);
        }
        buf_puts(&lines, "> <");
        put_utf16(&lines, e[i].text, e[i].len);
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
    out_of_memory();
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
    out_of_memory();
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
      out_of_memory();
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

static uint32_t first_char(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  return len ? utf8_next(&s, &len) : 0;
}

/* The entries of pf in code order, one per code (the first text of those
 * sharing one); the count in *n. */
static code_entry *entries_by_code(const pdf_font *pf, size_t *n) {
  code_entry *e = malloc((pf->n + 1) * sizeof *e);
  if (!e)
    out_of_memory();
  for (size_t k = 0; k < pf->n; k++) {
    const glyph_use *u = &pf->uses[k];
    const char *text = pf->texts.data + u->text;
    uint32_t cp = 0;
    const unsigned char *q = (const unsigned char *)text;
    size_t left = u->len;
    if (left) {
      cp = utf8_next(&q, &left);
      if (left)
        cp = 0; /* more than one character */
    }
    e[k] = (code_entry){u->code, cp, text, u->len, u->width};
  }
  qsort(e, pf->n, sizeof *e, by_code);
  size_t m = 0;
  for (size_t k = 0; k < pf->n; k++)
    if (e[k].code != 0 && (m == 0 || e[k].code != e[m - 1].code))
      e[m++] = e[k];
  *n = m;
  return e;
}

pdf_font *pdf_font_new(font_face *f) {
  pdf_font *pf = calloc(1, sizeof *pf);
  if (!pf)
    out_of_memory();
  pf->face = f;
  pf->n_gids = hb_face_get_glyph_count(font_hb_face(f));
  pf->by_gid = calloc(pf->n_gids ? pf->n_gids : 1, sizeof *pf->by_gid);
  if (!pf->by_gid)
    out_of_memory();
  return pf;
}

static size_t hash_use(uint32_t gid, const char *text, size_t len) {
  uint64_t h = 1469598103934665603u ^ gid;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)text[i]) * 1099511628211u;
  return (size_t)(h ^ (h >> 31));
}

/* The index of the use of gid for text, or pf->n when it is not there;
 * *slot receives the slot where it is or would go. */
static size_t find_use(const pdf_font *pf, uint32_t gid, const char *text,
                       size_t len, size_t *slot) {
  if (gid < pf->n_gids && pf->by_gid[gid]) {
    size_t i = pf->by_gid[gid] - 1;
    const glyph_use *u = &pf->uses[i];
    if (u->len == len && memcmp(pf->texts.data + u->text, text, len) == 0) {
      *slot = pf->n_slots; /* found: no slot needed */
      return i;
    }
  }
  if (!pf->n_slots) {
    *slot = 0;
    return pf->n;
  }
  size_t k = hash_use(gid, text, len) & (pf->n_slots - 1);
  for (; pf->slots[k]; k = (k + 1) & (pf->n_slots - 1)) {
    const glyph_use *u = &pf->uses[pf->slots[k] - 1];
    if (u->gid == gid && u->len == len &&
        memcmp(pf->texts.data + u->text, text, len) == 0) {
      *slot = k;
      return pf->slots[k] - 1;
    }
  }
  *slot = k;
  return pf->n;
}

static void rehash(pdf_font *pf) {
  free(pf->slots);
  pf->n_slots = pf->n_slots ? pf->n_slots * 2 : 256;
  pf->slots = calloc(pf->n_slots, sizeof *pf->slots);
  if (!pf->slots)
    out_of_memory();
  if (pf->n_gids)
    memset(pf->by_gid, 0, pf->n_gids * sizeof *pf->by_gid);
  for (size_t i = 0; i < pf->n; i++) {
    const glyph_use *u = &pf->uses[i];
    size_t k = hash_use(u->gid, pf->texts.data + u->text, u->len) &
               (pf->n_slots - 1);
    while (pf->slots[k])
      k = (k + 1) & (pf->n_slots - 1);
    pf->slots[k] = i + 1;
    if (u->gid < pf->n_gids && !pf->by_gid[u->gid])
      pf->by_gid[u->gid] = (uint32_t)(i + 1);
  }
}

/* The runs a mark is drawn as: text[0..head) whole, then each character
 * alone (layout.h, lay_text.head). */
typedef struct {
  const char *text;
  size_t len, at, head;
} segments;

static int next_segment(segments *sg, const char **s, size_t *n) {
  if (sg->at >= sg->len)
    return 0;
  *s = sg->text + sg->at;
  if (sg->at == 0 && sg->head) {
    *n = sg->head;
  } else if (sg->at == 0 && !sg->head) {
    *n = sg->len;
  } else {
    uint32_t cp;
    int k = utf8_decode((const unsigned char *)*s, sg->len - sg->at, &cp);
    *n = k > 0 ? (size_t)k : 1;
  }
  sg->at += *n;
  return 1;
}

/* The text a glyph stands for, as ToUnicode gives it: in a right-to-left
 * run, a ligature's letters in the order they are drawn (right to left
 * reversed), since readers reverse the characters of right-to-left words
 * when they extract them (poppler turned lam-alef into alef-lam). */
static const char *glyph_text(const char *s, const shape_glyph *g, int rtl,
                              char tmp[64], uint32_t *len) {
  *len = g->len;
  if (!rtl || g->len < 2 || g->len > 64)
    return s + g->start;
  const unsigned char *q = (const unsigned char *)s + g->start;
  size_t left = g->len, end = g->len;
  while (left) {
    const unsigned char *from = q;
    utf8_next(&q, &left);
    size_t n = (size_t)(q - from);
    end -= n;
    memcpy(tmp + end, from, n);
  }
  return tmp;
}

/* The glyphs a mark is drawn with, one by one, each with the text it
 * stands for: what pdf_font_note records and pdf_font_encode writes. */
typedef struct {
  font_face *face;
  const shape_how *how;
  segments sg;
  const char *s; /* the segment being drawn */
  const shape_run *r;
  size_t i;
  char tmp[64];
} glyph_walk;

static glyph_walk walk_glyphs(font_face *face, const char *text, size_t head,
                              const shape_how *how) {
  glyph_walk w = {.face = face, .how = how};
  w.sg = (segments){text, strlen(text), 0, head};
  return w;
}

static const shape_glyph *next_glyph(glyph_walk *w, const char **text,
                                     uint32_t *len) {
  while (!w->r || w->i >= w->r->n) {
    size_t n;
    if (!next_segment(&w->sg, &w->s, &n))
      return NULL;
    w->r = shape(w->face, w->s, n, w->how);
    w->i = 0;
  }
  const shape_glyph *g = &w->r->g[w->i++];
  *text = glyph_text(w->s, g, w->how && w->how->rtl, w->tmp, len);
  return g;
}

void pdf_font_note(pdf_font *pf, const char *text, size_t head,
                   const shape_how *how) {
  glyph_walk gw = walk_glyphs(pf->face, text, head, how);
  const shape_glyph *g;
  const char *t;
  uint32_t n;
  while ((g = next_glyph(&gw, &t, &n)) != NULL) {
    size_t slot;
    if (find_use(pf, g->gid, t, n, &slot) < pf->n)
      continue;
    if (2 * (pf->n + 1) > pf->n_slots) {
      rehash(pf);
      find_use(pf, g->gid, t, n, &slot);
    }
    pf->uses = vec_grow(pf->uses, &pf->cap, pf->n + 1, sizeof *pf->uses);
    pf->uses[pf->n] = (glyph_use){g->gid, pf->texts.len, n, 0, 0, 0};
    buf_put(&pf->texts, t, n);
    pf->slots[slot] = ++pf->n;
    if (g->gid < pf->n_gids && !pf->by_gid[g->gid])
      pf->by_gid[g->gid] = (uint32_t)pf->n;
  }
}

/* Uses in the order of their text (then glyph), which numbers the codes of
 * a TrueType face: the same text gives the same file whatever order it
 * was drawn in. */
static const pdf_font *sorting;
static int by_text(const void *a, const void *b) {
  const glyph_use *x = a, *y = b;
  const char *tx = sorting->texts.data + x->text,
             *ty = sorting->texts.data + y->text;
  uint32_t cx = first_char(tx, x->len), cy = first_char(ty, y->len);
  if (cx != cy)
    return (cx > cy) - (cx < cy);
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(tx, ty, n);
  if (c || x->len != y->len)
    return c ? c : (x->len > y->len) - (x->len < y->len);
  return (x->gid > y->gid) - (x->gid < y->gid);
}

int pdf_font_embed(HPDF_Doc pdf, pdf_font *pf) {
  font_face *f = pf->face;
  sorting = pf;
  if (pf->n)
    qsort(pf->uses, pf->n, sizeof *pf->uses, by_text);
  sorting = NULL;
  rehash(pf);
  size_t len = 0;
  uint16_t *gids = malloc((pf->n + 1) * sizeof *gids);
  uint16_t *codes = malloc((pf->n + 1) * sizeof *codes);
  uint16_t *new_gids = malloc((pf->n + 1) * sizeof *new_gids);
  int *widths = malloc((pf->n + 1) * sizeof *widths);
  if (!gids || !codes || !new_gids || !widths)
    out_of_memory();
  unsigned upem = font_upem(f);
  for (size_t k = 0; k < pf->n; k++) {
    glyph_use *u = &pf->uses[k];
    gids[k] = (uint16_t)u->gid;
    u->units = hb_font_get_glyph_h_advance(font_hb_font(f), u->gid);
    u->width = em1000(u->units, upem);
    widths[k] = u->width;
  }
  int cff = font_outlines_of(f) != FONT_TRUETYPE;
  char *bytes = cff ? font_subset_cff(f, gids, pf->n, codes, &len)
                    : font_subset(f, gids, pf->n, new_gids, &len);
  free(gids);
  if (!bytes) {
    diag(DIAG_ERROR, font_path(f), 0, 0, "cannot subset the font");
    free(codes);
    free(new_gids);
    free(widths);
    return -1;
  }
  for (size_t k = 0; k < pf->n; k++)
    pf->uses[k].code = cff ? codes[k] : (unsigned)(k + 1);
  free(codes);
  pf->dw = default_width(widths, pf->n);
  free(widths);
  size_t n_codes;
  code_entry *e = entries_by_code(pf, &n_codes);
  metrics m;
  read_metrics(font_hb_face(f), font_hb_font(f), upem, font_ascender(f),
               font_descender(f), &m);
  char name[80];
  base_name(font_hb_face(f), f, e, n_codes, name);
  embedding em = {bytes, len, cff, new_gids, e, n_codes, pf->dw};
  pf->type0 = build_objects(pdf, name, &m, &em);
  free(e);
  free(bytes);
  free(new_gids);
  if (!pf->type0) {
    diag(DIAG_ERROR, font_path(f), 0, 0, "cannot add the font to the PDF");
    return -1;
  }
  return 0;
}

HPDF_Dict pdf_font_dict(const pdf_font *pf) { return pf->type0; }

/* Writes the literal string of a TJ array: two bytes a code, half the bytes
 * of a hex string, so less to compress.  Backslash, the parentheses and CR
 * (which a reader would take for a line end) are escaped. */
typedef struct {
  buf *out;
  char chunk[512];
  size_t n;
  int open; /* a string is open */
} tj_writer;

static void tj_flush(tj_writer *w) {
  buf_put(w->out, w->chunk, w->n);
  w->n = 0;
}

static void tj_code(tj_writer *w, unsigned code) {
  if (w->n > sizeof w->chunk - 8)
    tj_flush(w);
  if (!w->open) {
    w->chunk[w->n++] = '(';
    w->open = 1;
  }
  unsigned char bytes[2] = {(unsigned char)(code >> 8), (unsigned char)code};
  for (int i = 0; i < 2; i++) {
    unsigned char c = bytes[i];
    if (c == '(' || c == ')' || c == '\\' || c == '\r') {
      w->chunk[w->n++] = '\\';
      c = c == '\r' ? 'r' : c;
    }
    w->chunk[w->n++] = (char)c;
  }
}

static void tj_close(tj_writer *w) {
  if (w->n > sizeof w->chunk - 8)
    tj_flush(w);
  if (w->open)
    w->chunk[w->n++] = ')';
  w->open = 0;
}

/* A TJ number: moves the pen left by v thousandths of the font size. */
static void tj_number(tj_writer *w, long v) {
  tj_close(w);
  tj_flush(w);
  buf_printf(w->out, "%ld", v);
}

/* The pen is moved by a number where the shaped glyph stands apart from
 * where the W entries leave it (kerning, a mark's offset) by at least this
 * many thousandths of an em; the W entries' truncation (under one a glyph,
 * set right at the next mark) is not counted. */
#define ADJUST_MIN 2

double pdf_font_encode(const pdf_font *pf, const char *text, size_t head,
                       const shape_how *how, double size, buf *out,
                       size_t *n_codes) {
  long width = 0;  /* how far the pen has moved, thousandths of an em */
  long moved = 0;  /* of which by numbers */
  long shift = 0;  /* the shaping's changes to the W advances so far, and
                    * the glyph's offset: font units */
  *n_codes = 0;
  tj_writer w = {.out = out};
  long upem = (long)font_upem(pf->face);
  glyph_walk gw = walk_glyphs(pf->face, text, head, how);
  const shape_glyph *g;
  const char *t;
  uint32_t n;
  while ((g = next_glyph(&gw, &t, &n)) != NULL) {
    size_t slot;
    size_t k = find_use(pf, g->gid, t, n, &slot);
    const glyph_use *u = k < pf->n ? &pf->uses[k] : NULL;
    if (g->dy != 0) { /* a mark above or below: raised by the text rise */
      tj_close(&w);
      tj_flush(&w);
      buf_puts(out, "] TJ\n");
      buf_printf(out, "%.3f Ts\n[", (double)g->dy * size / (double)upem);
    }
    if (shift + g->dx != 0 || moved != 0) {
      /* to the nearest thousandth, halves away from zero */
      long want = (shift + g->dx) * 1000, half = upem / 2;
      want = want >= 0 ? (want + half) / upem : -((-want + half) / upem);
      if (labs(want - moved) >= ADJUST_MIN) {
        tj_number(&w, -(want - moved));
        width += want - moved;
        moved = want;
      }
    }
    tj_code(&w, u ? u->code : 0);
    width += u ? u->width : pf->dw;
    ++*n_codes;
    shift += g->advance - (u ? u->units : g->advance);
    if (g->dy != 0) {
      tj_close(&w);
      tj_flush(&w);
      buf_puts(out, "] TJ\n0 Ts\n[");
    }
  }
  /* where the last glyph's own advance was changed, the caller's next
   * mark, placed where layout put it, sets that right */
  tj_close(&w);
  tj_flush(&w);
  return (double)width;
}

void pdf_font_free(pdf_font *pf) {
  if (!pf)
    return;
  free(pf->uses);
  buf_free(&pf->texts);
  free(pf->slots);
  free(pf->by_gid);
  free(pf);
}

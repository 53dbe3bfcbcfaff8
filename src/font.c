/* font.c - faces through HarfBuzz: coverage and advances from the font's
 * own tables, subsetting with hb-subset. */
#include "font.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct font_face {
  char *name; /* file name, for messages and PDF resource names */
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *font;
  unsigned upem;
  double ascender, descender;
  int cjk, has_bold;
  hb_set_t *used;
  int16_t *advance; /* BMP cache in font units; 0 unknown, -2 not covered */
  void *pdf;
};

static font_face *face_open(const char *dir, const char *file, unsigned index,
                            int cjk) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
  if (!blob) {
    diag(DIAG_ERROR, path, 0, 0, "cannot read the font");
    return NULL;
  }
  hb_face_t *face = hb_face_create(blob, index);
  if (!face || hb_face_get_glyph_count(face) == 0) {
    diag(DIAG_ERROR, path, 0, 0, "not a usable TrueType font");
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
  }
  font_face *f = calloc(1, sizeof *f);
  /* zeroed by calloc, so only the pages of the blocks used are touched */
  int16_t *adv = calloc(65536, sizeof *adv);
  if (!f || !adv)
    abort();
  f->name = strdup(file);
  f->blob = blob;
  f->face = face;
  f->font = hb_font_create(face);
  f->upem = hb_face_get_upem(face);
  hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
  hb_font_extents_t ext;
  hb_font_get_h_extents(f->font, &ext);
  f->ascender = (double)ext.ascender / f->upem;
  f->descender = (double)ext.descender / f->upem;
  f->cjk = cjk;
  f->used = hb_set_create();
  f->advance = adv;
  return f;
}

static void face_free(font_face *f) {
  if (!f)
    return;
  hb_set_destroy(f->used);
  hb_font_destroy(f->font);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  free(f->advance);
  free(f->name);
  free(f);
}

font_set *font_set_load(const char *dir) {
  static const struct {
    const char *file;
    unsigned index;
    int cjk;
  } files[] = {
      {"NotoSerif-Regular.ttf", 0, 0},
      {"NotoSerif-Bold.ttf", 0, 0},
      {"NotoSerif-Italic.ttf", 0, 0},
      {"NotoSerif-BoldItalic.ttf", 0, 0},
      {"NotoSans-Regular.ttf", 0, 0},
      {"NotoSans-Bold.ttf", 0, 0},
      {"DejaVuSansMono.ttf", 0, 0},
      {"DejaVuSansMono-Bold.ttf", 0, 0},
      {"DejaVuSans.ttf", 0, 0},
      {"DroidSansFallbackFull.ttf", 0, 1},
      {"ukai.ttc", 0, 1},
  };
  enum { N = sizeof files / sizeof files[0] };
  font_set *fs = calloc(1, sizeof *fs);
  if (!fs)
    abort();
  for (size_t i = 0; i < N; i++) {
    font_face *f = face_open(dir, files[i].file, files[i].index, files[i].cjk);
    if (!f) {
      font_set_free(fs);
      return NULL;
    }
    fs->all[fs->n_all++] = f;
  }
  font_face **a = fs->all;
  fs->latin[STYLE_SERIF][FONT_REGULAR] = a[0];
  fs->latin[STYLE_SERIF][FONT_BOLD] = a[1];
  fs->latin[STYLE_SERIF][FONT_ITALIC] = a[2];
  fs->latin[STYLE_SERIF][FONT_BOLD_ITALIC] = a[3];
  fs->latin[STYLE_SANS][FONT_REGULAR] = a[4];
  fs->latin[STYLE_SANS][FONT_BOLD] = a[5];
  fs->latin[STYLE_SANS][FONT_ITALIC] = a[4]; /* no sans italic bundled */
  fs->latin[STYLE_SANS][FONT_BOLD_ITALIC] = a[5];
  fs->latin[STYLE_MONO][FONT_REGULAR] = a[6];
  fs->latin[STYLE_MONO][FONT_BOLD] = a[7];
  fs->latin[STYLE_MONO][FONT_ITALIC] = a[6];
  fs->latin[STYLE_MONO][FONT_BOLD_ITALIC] = a[7];
  a[1]->has_bold = a[3]->has_bold = a[5]->has_bold = a[7]->has_bold = 1;
  fs->symbol = a[8];
  /* One Hei face serves CJK body text and headings: it subsets to about
   * 90 bytes a character, against 230 for a Ming face such as AR PL UMing,
   * which keeps a page of Chinese under 40 KB. */
  fs->cjk_serif = a[9];
  fs->cjk_sans = a[9];
  fs->cjk_kai = a[10];
  return fs;
}

void font_set_free(font_set *fs) {
  if (!fs)
    return;
  for (size_t i = 0; i < fs->n_all; i++)
    face_free(fs->all[i]);
  free(fs);
}

void font_set_reset_usage(font_set *fs) {
  for (size_t i = 0; i < fs->n_all; i++) {
    hb_set_clear(fs->all[i]->used);
    fs->all[i]->pdf = NULL;
  }
}

int font_is_cjk_char(uint32_t c) {
  return (c >= 0x2E80 && c <= 0x2FDF) || /* radicals */
         (c >= 0x3000 && c <= 0x303F) || /* CJK symbols and punctuation */
         (c >= 0x3040 && c <= 0x30FF) || /* kana */
         (c >= 0x3100 && c <= 0x31BF) || /* bopomofo */
         (c >= 0x31C0 && c <= 0x9FFF) || /* strokes .. unified ideographs */
         (c >= 0xAC00 && c <= 0xD7AF) || /* hangul */
         (c >= 0xF900 && c <= 0xFAFF) || /* compatibility ideographs */
         (c >= 0xFE30 && c <= 0xFE4F) || /* vertical/compat forms */
         (c >= 0xFF00 && c <= 0xFF60) || /* fullwidth forms */
         (c >= 0xFFE0 && c <= 0xFFE6) ||
         (c >= 0x20000 && c <= 0x3FFFF); /* extension B and beyond */
}

int font_is_ambiguous_punct(uint32_t c) {
  return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D ||
         c == 0x2014 || c == 0x2015 || c == 0x2026 || c == 0x00B7 ||
         c == 0x2027 || c == 0x2030 || c == 0x203B;
}

int font_covers(font_face *f, uint32_t cp) {
  /* libharu's UTF-8 encoding reaches the Basic Multilingual Plane only */
  return cp < 0x10000 && font_advance(f, cp) > 0;
}

double font_advance(font_face *f, uint32_t cp) {
  int16_t *slot = cp < 65536 ? &f->advance[cp] : NULL;
  if (slot && *slot != 0)
    return *slot == -2 ? 0 : (double)*slot / f->upem;
  hb_codepoint_t glyph;
  double adv = 0;
  int covered = hb_font_get_nominal_glyph(f->font, cp, &glyph);
  if (covered)
    adv = (double)hb_font_get_glyph_h_advance(f->font, glyph);
  if (slot)
    *slot = covered && adv > 0 && adv < 32000 ? (int16_t)adv : -2;
  if (!covered || adv <= 0)
    return 0;
  return adv / f->upem;
}

double font_ascender(const font_face *f) { return f->ascender; }
double font_descender(const font_face *f) { return f->descender; }
int font_is_cjk(const font_face *f) { return f->cjk; }
const char *font_name(const font_face *f) { return f->name; }
void font_use(font_face *f, uint32_t cp) { hb_set_add(f->used, cp); }
int font_used_any(const font_face *f) { return !hb_set_is_empty(f->used); }
void *font_pdf_handle(const font_face *f) { return f->pdf; }
void font_set_pdf_handle(font_face *f, void *handle) { f->pdf = handle; }

font_face *font_pick(const font_set *fs, style_family family, font_shape shape,
                     int cjk_text, uint32_t cp, int *synthetic_bold) {
  *synthetic_bold = 0;
  font_face *latin = fs->latin[family][shape];
  int bold = shape == FONT_BOLD || shape == FONT_BOLD_ITALIC;
  int italic = shape == FONT_ITALIC || shape == FONT_BOLD_ITALIC;
  /* CJK text has no italic: emphasis is set in Kai; strong and sans roles
   * in Hei, made heavier by stroking since neither has a bold. */
  font_face *cjk = italic                          ? fs->cjk_kai
                   : family != STYLE_SERIF || bold ? fs->cjk_sans
                                                   : fs->cjk_serif;
  /* CJK documents set their Latin letters and digits in one sans face,
   * which sits well beside Hei, made bold by stroking: each face embedded
   * costs a few kilobytes, and a page of Chinese should stay small. */
  if (cjk_text && family != STYLE_MONO)
    latin = fs->latin[STYLE_SANS][FONT_REGULAR];
  int want_cjk =
      font_is_cjk_char(cp) || (cjk_text && font_is_ambiguous_punct(cp));
  font_face *order[6] = {want_cjk ? cjk : latin,
                         want_cjk ? latin : cjk,
                         fs->cjk_serif,
                         fs->cjk_sans,
                         fs->symbol,
                         fs->latin[STYLE_SERIF][FONT_REGULAR]};
  for (int i = 0; i < 6; i++) {
    font_face *f = order[i];
    if (f && font_covers(f, cp)) {
      *synthetic_bold = bold && !f->has_bold;
      return f;
    }
  }
  return NULL;
}

char *font_subset(font_face *f, size_t *len) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in)
    return NULL;
  hb_set_union(hb_subset_input_unicode_set(in), f->used);
  /* hinting is for screens at small sizes; print does without it */
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
  /* text is drawn with nominal glyphs, so the layout tables go: following
   * their substitutions was most of the subsetting time */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_set_add(drop, HB_TAG('G', 'S', 'U', 'B'));
  hb_set_add(drop, HB_TAG('G', 'P', 'O', 'S'));
  hb_set_add(drop, HB_TAG('G', 'D', 'E', 'F'));
  hb_face_t *sub = hb_subset_or_fail(f->face, in);
  hb_subset_input_destroy(in);
  if (!sub)
    return NULL;
  hb_blob_t *blob = hb_face_reference_blob(sub);
  unsigned n = 0;
  const char *data = hb_blob_get_data(blob, &n);
  char *copy = n ? malloc(n) : NULL;
  if (copy)
    memcpy(copy, data, n);
  *len = n;
  hb_blob_destroy(blob);
  hb_face_destroy(sub);
  return copy;
}

void font_used_blocks(const font_face *f, unsigned char used[256]) {
  memset(used, 0, 256);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(f->used, &cp))
    if (cp < 0x10000)
      used[cp >> 8] = 1;
}

void font_blank_sides(font_face *f, uint32_t cp, double *left, double *right) {
  *left = *right = 0;
  hb_codepoint_t glyph;
  hb_glyph_extents_t ext;
  if (!hb_font_get_nominal_glyph(f->font, cp, &glyph) ||
      !hb_font_get_glyph_extents(f->font, glyph, &ext))
    return;
  double adv = (double)hb_font_get_glyph_h_advance(f->font, glyph);
  double l = ext.x_bearing, r = adv - (ext.x_bearing + ext.width);
  *left = l > 0 ? l / f->upem : 0;
  *right = r > 0 ? r / f->upem : 0;
}

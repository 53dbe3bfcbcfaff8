/* font.h - font faces: loading, coverage, metrics, fallback, subsetting.
 * The faces are loaded once per process (a font_set) and shared by every
 * document; each face records which characters were drawn with it so the
 * PDF can embed only those. */
#ifndef GALLEY_FONT_H
#define GALLEY_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "style.h"

typedef struct font_face font_face;

typedef enum {
  FONT_REGULAR = 0,
  FONT_BOLD = 1,
  FONT_ITALIC = 2,
  FONT_BOLD_ITALIC = 3
} font_shape;

typedef struct {
  font_face *latin[3][4]; /* [style_family][font_shape] */
  font_face *cjk_serif;   /* Ming/Song */
  font_face *cjk_kai;     /* Kai: CJK emphasis */
  font_face *cjk_sans;    /* Hei: CJK headings and strong */
  font_face *symbol;      /* last resort before giving up */
  font_face *all[16];
  size_t n_all;
} font_set;

/* Loads the bundled faces from dir.  NULL after reporting. */
font_set *font_set_load(const char *dir);
void font_set_free(font_set *fs);
/* Forgets which characters were used (between documents). */
void font_set_reset_usage(font_set *fs);

/* The face to draw cp with: the family's face for the shape, then the CJK
 * faces, then the symbol face.  cjk_text prefers CJK faces for punctuation
 * shared with Latin text (quotes, dashes, ellipsis).  NULL: no face has it.
 * *synthetic_bold is set when bold was asked of a face that has none. */
font_face *font_pick(const font_set *fs, style_family family, font_shape shape,
                     int cjk_text, uint32_t cp, int *synthetic_bold);

int font_covers(font_face *f, uint32_t cp);
/* Advance width of cp in ems (0 when not covered). */
double font_advance(font_face *f, uint32_t cp);
/* The blank on each side of cp's ink, in ems: how far full-width
 * punctuation can be compressed. */
void font_blank_sides(font_face *f, uint32_t cp, double *left, double *right);
double font_ascender(const font_face *f);  /* ems, positive */
double font_descender(const font_face *f); /* ems, negative */
int font_is_cjk(const font_face *f);
const char *font_name(const font_face *f);

/* Records that cp is drawn with f. */
void font_use(font_face *f, uint32_t cp);
int font_used_any(const font_face *f);
/* used[hi] is set when some character U+hi00..U+hiFF was used. */
void font_used_blocks(const font_face *f, unsigned char used[256]);
/* A TrueType font holding only the characters used: malloc'd bytes. */
char *font_subset(font_face *f, size_t *len);

/* Opaque slot for the PDF writer (its font handle for this face). */
void *font_pdf_handle(const font_face *f);
void font_set_pdf_handle(font_face *f, void *handle);

/* Classes of characters that line breaking and font choice care about. */
int font_is_cjk_char(uint32_t cp); /* ideographs, kana, hangul, CJK punct */
int font_is_ambiguous_punct(uint32_t cp); /* “ ” ‘ ’ — … · */

#endif

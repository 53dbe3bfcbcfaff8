/* font.h - font faces: finding, loading, coverage, metrics, fallback,
 * subsetting.  Faces are loaded once per process (a font_set) and shared by
 * every document; each face records which characters were drawn with it so the
 * PDF can embed only those. */
#ifndef GALLEY_FONT_H
#define GALLEY_FONT_H

#include <hb.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cjk.h" /* the classes of characters font choice reads */
#include "style.h"
#include "ttf_subset.h"

typedef struct font_face font_face;

typedef enum {
  FONT_REGULAR = 0,
  FONT_BOLD = 1,
  FONT_ITALIC = 2,
  FONT_BOLD_ITALIC = 3
} font_shape;

typedef struct font_family font_family;

/* How a face's glyphs are drawn, which decides how a PDF embeds them. */
typedef enum {
  FONT_TRUETYPE, /* glyf outlines */
  FONT_CFF,      /* PostScript outlines, a name-keyed CFF table */
  FONT_CFF_CID   /* PostScript outlines, CID-keyed (Noto CJK, Source Han) */
} font_outlines;

/* A role's fonts, resolved: families in fallback order. */
typedef struct {
  font_family *fam[STYLE_MAX_FONTS];
  int n;
  int keep_latin; /* code: Latin keeps this stack in CJK documents too */
} font_stack;

/* What a document's language asks of font choice beyond a role's stack. */
typedef struct {
  const font_stack *cjk_latin;    /* Latin in CJK documents, or NULL */
  const font_stack *cjk_emphasis; /* italic CJK text, or NULL */
} font_rules;

typedef struct {
  font_face **all; /* every face loaded, in load order */
  size_t n_all, cap_all;
  font_family **families;   /* every family resolved so far */
  size_t n_families, cap_families;
  font_stack fallback;      /* last resorts: symbols, then CJK */
  /* Faces for Hebrew and Arabic (serif and sans each), which no built-in
   * style names: looked for the first time a document needs one. */
  font_family *script[4];
  unsigned char script_tried[4];
} font_set;

/* An empty set holding only the fallback faces (symbols, then CJK).  NULL
 * after reporting. */
font_set *font_set_load(void);
void font_set_free(font_set *fs);
/* Forgets which characters were used (between documents). */
void font_set_reset_usage(font_set *fs);

/* Resolves names (bundled family names first, then font files, then
 * families installed on the system, through fontconfig) into out.  Names
 * not found are skipped; -1 after reporting when none is found. */
int font_stack_resolve(font_set *fs, const style_fonts *names,
                       font_stack *out);
/* The face of a family for shape (the nearest it has); *fake_bold when
 * bold was asked of a face that has none. */
font_face *font_family_face(const font_family *fam, font_shape shape,
                            int *fake_bold);

/* A style's fonts, resolved once per process and style, for the PDF's
 * layout and the EPUB's fonts alike.  rules points into the structure. */
typedef struct {
  font_stack role[DOC_ROLE_COUNT]; /* a role naming no fonts: the body's */
  font_stack code_span; /* inline code: the code role's, Latin kept */
  font_stack cjk_latin, cjk_emphasis;
  font_rules rules;
} font_stacks;

/* Resolves every font list of st into out.  0, or -1 after reporting. */
int font_stacks_resolve(font_set *fs, const style *st, font_stacks *out);

/* The family's own face of shape, or NULL (no stand-in). */
font_face *font_family_shape(const font_family *fam, font_shape shape);
const char *font_family_name(const font_family *fam);
/* The family a name in a font list was resolved to, or NULL when it was
 * not found (or not looked for). */
const font_family *font_set_family(const font_set *fs, const char *name);

/* The face to draw cp with: the stack's families in order, with the CJK
 * rules of rules when cjk_text, then for Hebrew and Arabic Noto's faces of
 * the stack's kind (serif or sans), then the fallbacks.  cjk_text prefers CJK
 * faces for punctuation shared with Latin text (quotes, dashes, ellipsis).
 * NULL: no face has it. */
font_face *font_pick(font_set *fs, const font_stack *stack,
                     const font_rules *rules, font_shape shape, int cjk_text,
                     uint32_t cp, int *synthetic_bold);

int font_covers(font_face *f, uint32_t cp);
/* Advance width of cp in ems (0 when not covered). */
double font_advance(font_face *f, uint32_t cp);
/* The blank on each side of cp's ink, in ems: how far full-width
 * punctuation can be compressed. */
void font_blank_sides(font_face *f, uint32_t cp, double *left, double *right);
double font_ascender(const font_face *f);  /* ems, positive */
double font_descender(const font_face *f); /* ems, negative */
/* The strikeout line: its height above the baseline and its thickness, in
 * ems (the font's OS/2 values, else HarfBuzz's estimate). */
double font_strike_position(const font_face *f);
double font_strike_size(const font_face *f);
int font_is_cjk(const font_face *f);
const char *font_name(const font_face *f);
/* The file the face was read from and its index in a collection. */
const char *font_path(const font_face *f);
unsigned font_index(const font_face *f);
font_outlines font_outlines_of(const font_face *f);

/* Records that cp is drawn with f. */
void font_use(font_face *f, uint32_t cp);
int font_used_any(const font_face *f);
/* used[hi] is set when some character U+hi00..U+hiFF was used. */
void font_used_blocks(const font_face *f, unsigned char used[256]);
/* A TrueType font program of f holding the glyphs gids[0..n)
 * (ttf_subset.h): malloc'd bytes, *len of them; new_gids[i] receives
 * gids[i]'s number in it.  NULL when f's tables are malformed. */
char *font_subset(font_face *f, const uint16_t *gids, size_t n,
                  uint16_t *new_gids, size_t *len);
/* The bare CFF table of a subset of a CFF face holding gids[0..n) (with
 * hb-subset): malloc'd bytes, *len of them; codes[i] receives the number
 * gids[i] is drawn by through Identity-H (its CID in a CID-keyed font, its
 * glyph index in the subset otherwise).  NULL when subsetting fails. */
char *font_subset_cff(font_face *f, const uint16_t *gids, size_t n,
                      uint16_t *codes, size_t *len);
/* The face and font as HarfBuzz holds them, for reading f's tables. */
/* The six tables galley's subsetter reads (ttf_subset.h), from face: each
 * held in blobs[i] until font_ttf_tables_release. */
void font_ttf_tables(hb_face_t *face, ttf_source *src, hb_blob_t *blobs[6]);
void font_ttf_tables_release(hb_blob_t *blobs[6]);

hb_face_t *font_hb_face(const font_face *f);
hb_font_t *font_hb_font(const font_face *f);
unsigned font_upem(const font_face *f);

/* Opaque slot for the PDF writer (its font handle for this face). */
void *font_pdf_handle(const font_face *f);
void font_set_pdf_handle(font_face *f, void *handle);

#endif

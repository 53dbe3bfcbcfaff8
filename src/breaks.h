/* breaks.h - a paragraph's text as boxes, glue and penalties (the items of
 * Knuth and Plass), with the break opportunities of UAX #14 (libunibreak),
 * hyphenation points (libhyphen) and the CJK rules: no line starts with
 * closing punctuation or ends with opening punctuation, justification
 * between CJK characters, and the blank halves of full-width punctuation
 * compressed where two meet or one ends a line (clreq); and the bidi
 * levels of UAX #9 (GNU FriBidi), by which each line is reordered. */
#ifndef GALLEY_BREAKS_H
#define GALLEY_BREAKS_H

#include <stddef.h>

#include "buf.h"
#include "font.h"

#define BREAKS_INF 10000.0 /* a penalty this high forbids a break */
#define BREAKS_FIL 1e6     /* "infinite" stretch */

typedef struct {
  const font_stack *fonts;
  font_shape shape;
  double size;    /* points */
  unsigned color; /* 0xRRGGBB */
  int link;       /* index of the link it belongs to, or -1 */
  int code;       /* inline code: drawn with a tint behind it */
  int strike;     /* struck through: a rule across the text */
  double rise;    /* points the baseline is raised (a note's number) */
  int note;       /* a reference to note n of the document, or 0 */
} span_style;

typedef enum { ITEM_BOX, ITEM_GLUE, ITEM_PENALTY } item_kind;

typedef struct {
  item_kind kind;
  double width, stretch, shrink; /* points */
  double penalty;
  int flagged;       /* a hyphenation break: draw a hyphen there */
  font_face *face;   /* boxes, and glue that draws a space */
  int span;          /* index into the paragraph's spans */
  size_t start, len; /* the bytes of text drawn */
  double offset;     /* draw the glyphs this far from the box's left edge */
  unsigned cjk : 1;  /* an ideograph (counts for the last-line rule) */
  unsigned fake_bold : 1;
  unsigned space : 1;    /* word space: drawn as a space so text extracts */
  unsigned replaced : 1; /* no font has the character: draw U+FFFD */
  unsigned plain : 1;    /* code: shaped without kerning and ligatures */
  unsigned char level;   /* its bidi embedding level: odd, right to left */
} item;

typedef struct {
  buf text;
  span_style *spans;
  size_t n_spans, cap_spans;
  size_t *span_end; /* text offset where each span ends */
  item *items;
  size_t n_items, cap_items;
  size_t missing; /* characters no font has */
  uint32_t first_missing;
  int rtl; /* the paragraph's direction is right to left (UAX #9) */
} para;

typedef struct {
  font_set *fonts; /* faces are found as they are needed */
  const font_rules *rules; /* the document's CJK font rules */
  const char *lang;  /* for UAX #14 tailoring */
  int cjk;           /* the document's language is Chinese, Japanese, Korean */
  const struct hyph_patterns *hyphen; /* for the language, or NULL */
  double line_width; /* boxes wider than this are split between characters */
  int preserve_spaces; /* code: every space is kept and drawn */
  /* A character grid: CJK characters of the body size take grid_cell
   * points each, and full-width punctuation keeps its whole cell. */
  double grid_cell, grid_size;
  /* The paragraph's direction: 0 from its first strong character (UAX #9
   * P2, P3), 1 left to right, -1 right to left. */
  int dir;
  /* Space between CJK and Latin letters or digits, in ems (0: none). */
  double cjk_latin_space;
} para_env;

/* Appends text drawn in style st. */
void para_add_text(para *p, const char *s, size_t len, const span_style *st);
/* A forced line break (U+2028 in the text). */
void para_add_line_break(para *p, const span_style *st);
/* Builds the items from the text.  Characters no font has are drawn with
 * the replacement character and counted in p->missing. */
void para_build(para *p, const para_env *env);
void para_free(para *p);

#endif

/* shape.h - text shaped with HarfBuzz: the glyphs a run of one face is drawn
 * with, their advances with kerning applied, their offsets, and the text
 * each stands for (a ligature stands for several characters).
 *
 * Line breaking measures words with it and the PDF writer draws the same
 * words with it, so a line is drawn exactly as wide as it was measured.
 * Runs are cached (face, language, features, bytes): a word measured while
 * breaking lines and drawn later is shaped once. */
#ifndef GALLEY_SHAPE_H
#define GALLEY_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "font.h"

typedef struct {
  uint32_t gid;
  int32_t advance; /* font units, kerning applied */
  int32_t dx, dy;  /* where the glyph is drawn, from the pen, font units */
  /* The bytes of the text it stands for: its cluster, given to the
   * cluster's base (its first glyph drawn, the last right to left); len 0
   * for the others (marks). */
  uint32_t start, len;
} shape_glyph;

typedef struct {
  size_t n;
  int32_t width; /* the sum of the advances, font units */
  shape_glyph g[];
} shape_run;

/* How text is shaped: the document's language (BCP 47, NULL for none)
 * chooses a font's local forms (locl: mainland Chinese punctuation for
 * zh-Hans); plain turns kerning and ligatures off (code). */
typedef struct {
  const char *lang;
  int plain;
  int rtl; /* set right to left (an odd bidi level): glyphs come out in
            * drawing order all the same, and brackets mirrored */
} shape_how;

/* s[0..len) shaped with f, in drawing order (left to right).  The run is
 * valid until the next call (the cache may be emptied then).  NULL only
 * when len is 0. */
const shape_run *shape(font_face *f, const char *s, size_t len,
                       const shape_how *how);
/* The run's width at size points. */
double shape_width(font_face *f, const char *s, size_t len,
                   const shape_how *how, double size);
/* How much of a full-width punctuation mark's width its font's alternate
 * half-width form (the halt feature) gives up, in ems; -1 when the font has
 * no such form for it. */
double shape_halt_saving(font_face *f, const char *s, size_t len,
                         const shape_how *how);
/* The ink of s when it is shaped as one glyph (the glyph drawn, a local
 * form included), in ems from the pen: box = {x0, y0, x1, y1}, y up from
 * the baseline.  0 when it is not one glyph or the glyph is blank. */
int shape_ink(font_face *f, const char *s, size_t len, const shape_how *how,
              double box[4]);
/* Empties the cache: before the faces it names are freed. */
void shape_forget(void);

#endif

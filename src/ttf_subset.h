/* ttf_subset.h - TrueType font programs cut down to the glyphs a PDF
 * draws.  Pure byte work, no library: the caller hands over the tables. */
#ifndef GALLEY_TTF_SUBSET_H
#define GALLEY_TTF_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct {
  const char *data;
  size_t len;
} ttf_table;

/* The tables of the font being subset, as they are in its file. */
typedef struct {
  ttf_table head, hhea, maxp, hmtx, loca, glyf;
} ttf_source;

/* Appends to out a TrueType font program holding glyph 0, the glyphs
 * gids[0..n) and the components of composite ones, numbered afresh in the
 * order of their old numbers, without hinting instructions, and only the
 * tables a PDF renderer reads (glyf, head, hhea, hmtx, loca, maxp).
 * new_gids[i] receives the number gids[i] has in it (0 for a number the
 * font does not have).  0, or -1 when the source's tables are malformed
 * (out is then as it was); the result is never larger than the source's
 * glyf, hmtx and loca together (plus padding). */
int ttf_subset(const ttf_source *src, const uint16_t *gids, size_t n,
               uint16_t *new_gids, buf *out);

/* NULL when ttf_subset can work from src's tables and some glyph has an
 * outline, else what stops it, for a message ("its loca table is shorter
 * than its maxp table's glyph count asks"). */
const char *ttf_check(const ttf_source *src);

#endif

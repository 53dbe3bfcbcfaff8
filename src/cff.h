/* cff.h - what the PDF writer must know of a CFF font program (the 'CFF '
 * table of an OpenType font): whether it is CID-keyed, and which CID each
 * glyph carries.  A PDF draws a CFF font through Identity-H, where a
 * character code is a CID: in a CID-keyed font the charset maps CIDs to
 * glyphs, in a name-keyed one the CID is the glyph index. */
#ifndef GALLEY_CFF_H
#define GALLEY_CFF_H

#include <stddef.h>
#include <stdint.h>

/* Reads the CFF table cff[0..len).  With cids, fills cids[g] for each glyph
 * g < n_glyphs: its CID (CID-keyed) or g itself (name-keyed).  Returns 1
 * when CID-keyed, 0 when name-keyed, -1 when the table is malformed. */
int cff_read(const unsigned char *cff, size_t len, unsigned n_glyphs,
             uint16_t *cids);

#endif

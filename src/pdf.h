/* pdf.h - laid-out pages -> PDF bytes (libharu). */
#ifndef GALLEY_PDF_H
#define GALLEY_PDF_H

#include <time.h>

#include "buf.h"
#include "doc.h"
#include "font.h"
#include "layout.h"

typedef struct {
  font_set *fonts;
  time_t created;       /* CreationDate and ModDate */
  int pdfa;             /* a galley_pdfa level, 0 for plain PDF */
  int tagged;           /* write the structure tree (PDF/UA-1) */
  unsigned char id[16]; /* the file identifier, derived from the inputs */
} pdf_options;

/* The sRGB profile PDF/A's output intent embeds (Debian: icc-profiles-free). */
#define PDF_SRGB_PROFILE "/usr/share/color/icc/sRGB.icc"

/* Writes the pages of l, with meta's metadata, into out.  Returns 0, or -1
 * after reporting. */
int pdf_write(const layout *l, const doc *meta, const pdf_options *opt,
              buf *out);

#endif

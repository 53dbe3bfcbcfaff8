/* pdfa.h - what PDF/A-1b, -2b and -2u add to a libharu document. */
#ifndef GALLEY_PDFA_H
#define GALLEY_PDFA_H

#include <hpdf.h>
#include <time.h>

#include "doc.h"
#include "galley.h"

/* Adds XMP metadata matching the document information and naming level (a
 * galley_pdfa), an sRGB output intent, a file identifier derived from
 * id_seed, and sets the PDF version the level is based on (1.4 or 1.7).
 * Returns 0, or -1 after reporting. */
/* Adds XMP metadata matching the document information, naming PDF/A level
 * (a galley_pdfa) unless it is 0: PDF/UA asks a tagged file for dc:title.
 * Returns 0, or -1 when libharu fails. */
int pdf_xmp_add(HPDF_Doc pdf, int level, const doc *meta, time_t when);

int pdfa_prepare(HPDF_Doc pdf, int level, const doc *meta, time_t when,
                 const unsigned char id_seed[16]);

#endif

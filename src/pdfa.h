/* pdfa.h - what PDF/A-1b adds to a libharu document. */
#ifndef GALLEY_PDFA_H
#define GALLEY_PDFA_H

#include <hpdf.h>
#include <time.h>

#include "doc.h"

/* Adds XMP metadata matching the document information, an sRGB output
 * intent, a file identifier derived from id_seed, and sets PDF 1.4.
 * Returns 0, or -1 after reporting. */
int pdfa_prepare(HPDF_Doc pdf, const doc *meta, time_t when,
                 const unsigned char id_seed[16]);

#endif

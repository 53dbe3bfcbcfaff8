/* pdf_font.h - embedding a face's used characters as a subset CID font. */
#ifndef GALLEY_PDF_FONT_H
#define GALLEY_PDF_FONT_H

#include <hpdf.h>

#include "buf.h"
#include "font.h"

typedef struct pdf_font pdf_font;

/* Subsets f to the characters drawn with it and adds the font's objects to
 * pdf.  NULL after reporting. */
pdf_font *pdf_font_embed(HPDF_Doc pdf, font_face *f);
/* The Type0 font dictionary, for a page's resources. */
HPDF_Dict pdf_font_dict(const pdf_font *pf);
/* Appends utf8 as a string of the font's character codes ("(...)").
 * Returns its width in thousandths of an em (the font's W entries), and
 * the number of codes in *n_codes. */
double pdf_font_encode(const pdf_font *pf, const char *utf8, buf *out,
                       size_t *n_codes);
void pdf_font_free(pdf_font *pf);

#endif

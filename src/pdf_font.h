/* pdf_font.h - embedding the glyphs drawn with a face as a subset CID font. */
#ifndef GALLEY_PDF_FONT_H
#define GALLEY_PDF_FONT_H

#include <hpdf.h>

#include "buf.h"
#include "font.h"
#include "shape.h"

typedef struct pdf_font pdf_font;

/* A face's font, before its glyphs are known. */
pdf_font *pdf_font_new(font_face *f);
/* Notes the glyphs text is drawn with: text[0..head) shaped as one run and
 * each character after it alone (head 0: all one run), as layout measured
 * it (layout.h, lay_text.head). */
void pdf_font_note(pdf_font *pf, const char *text, size_t head,
                   const shape_how *how);
/* Subsets the face to the glyphs noted and adds the font's objects to pdf.
 * 0, or -1 after reporting. */
int pdf_font_embed(HPDF_Doc pdf, pdf_font *pf);
/* The Type0 font dictionary, for a page's resources. */
HPDF_Dict pdf_font_dict(const pdf_font *pf);
/* Appends text, shaped as pdf_font_note shaped it, to an open TJ array at
 * size points: strings of the font's codes, with numbers where kerning or
 * a mark's offset moves a glyph.  Returns how far it moves the pen, in
 * thousandths of an em, and the number of codes in *n_codes. */
double pdf_font_encode(const pdf_font *pf, const char *text, size_t head,
                       const shape_how *how, double size, buf *out,
                       size_t *n_codes);
void pdf_font_free(pdf_font *pf);

#endif

/* pdf_tags.h - a tagged PDF's structure tree (PDF/UA-1), built with
 * libharu's object API from the elements layout recorded. */
#ifndef GALLEY_PDF_TAGS_H
#define GALLEY_PDF_TAGS_H

#include <hpdf.h>

#include "buf.h"
#include "layout.h"

typedef struct pdf_tags pdf_tags;

/* utf8 as a PDF text string (UTF-16BE), NULL when libharu fails; in
 * pdf.c, which writes the outline's and metadata's the same way. */
HPDF_Binary pdf_text_string(HPDF_Doc pdf, const char *utf8);

/* The tree's root, its Document element and the catalog's entries for the
 * pages[0..l->n_pages) of l.  NULL when libharu fails (its error handler
 * has been told). */
pdf_tags *pdf_tags_new(HPDF_Doc pdf, const layout *l, HPDF_Page *pages);

/* Appends to ops the operator that opens marked content on page for
 * element se (an index into l->structs; -1: an artifact), giving it the
 * page's next MCID.  Close it with "EMC". */
void pdf_tags_begin(pdf_tags *t, size_t page, long se, buf *ops);

/* Gives Figure se, begun on a page, its bounding box there (PDF/UA asks
 * for one), in points. */
void pdf_tags_bbox(pdf_tags *t, long se, double x, double y, double w,
                   double h);

/* Puts link annotation a on page in the structure by an object reference:
 * in se when se is the Link element of the link's text, else in a Link
 * element of its own under se. */
void pdf_tags_link(pdf_tags *t, size_t page, long se, HPDF_Annotation a);

/* Sets the ParentTree's next key, writes the IDTree and frees t (not the objects, which the
 * document owns): call it before the document is saved. */
void pdf_tags_free(pdf_tags *t);

#endif

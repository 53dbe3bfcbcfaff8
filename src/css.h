/* css.h - the EPUB stylesheet, generated from the resolved style. */
#ifndef GALLEY_CSS_H
#define GALLEY_CSS_H

#include "buf.h"
#include "style.h"

/* Writes the stylesheet for st at the chosen size.  Sizes are relative (%
 * and em) so a reader's own size setting still scales the text. */
void css_write(const style *st, style_size size, buf *out);

#endif

/* css.h - the EPUB stylesheet, generated from the resolved style. */
#ifndef GALLEY_CSS_H
#define GALLEY_CSS_H

#include "buf.h"
#include "style.h"

/* Fonts the book carries (epub_fonts.h), as the stylesheet names them. */
typedef struct {
  const char *faces; /* @font-face rules */
  /* per role: the families to name before the style's own, each quoted
   * and followed by ", "; NULL for none */
  const char *family[DOC_ROLE_COUNT];
} css_fonts;

/* Writes the stylesheet for st at the chosen size.  Sizes are relative (%
 * and em) so a reader's own size setting still scales the text. */
void css_write(const style *st, style_size size, buf *out);
/* The same, with the fonts the book carries (NULL: none). */
void css_write_fonts(const style *st, style_size size, const css_fonts *fonts,
                     buf *out);

#endif

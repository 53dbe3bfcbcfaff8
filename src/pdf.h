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
  time_t created; /* CreationDate and ModDate */
} pdf_options;

/* Writes the pages of l, with meta's metadata, into out.  Returns 0, or -1
 * after reporting. */
int pdf_write(const layout *l, const doc *meta, const pdf_options *opt,
              buf *out);

#endif

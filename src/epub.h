/* epub.h - documents -> EPUB 3 (with an EPUB 2 toc.ncx for older readers). */
#ifndef GALLEY_EPUB_H
#define GALLEY_EPUB_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "doc.h"
#include "style.h"

typedef struct {
  const style *style;
  style_size size;
  time_t modified; /* dcterms:modified and every entry's time */
  int book;        /* one entry per document in the navigation */
  /* Subsets of the fonts the text is drawn with, carried in the book: 1
   * always, -1 when the text has CJK characters (which many reading
   * systems have no font for), 0 never. */
  int embed_fonts;
  /* The page list (writer.h, writer_pages): page k + 1 of the PDF begins
   * in block page_node[k] of document page_doc[k]; n_pages 0 for none. */
  const doc_node *const *page_node;
  const size_t *page_doc;
  size_t n_pages;
} epub_options;

/* Writes docs[0..n) as one EPUB into out.  meta describes the publication
 * (docs[0] itself, or a book's own metadata).  Returns 0, or -1 after
 * reporting an error. */
int epub_write(doc *const *docs, size_t n, const doc *meta,
               const epub_options *opt, buf *out);

/* libdeflate's level for the entries (1-12): at 6 the files are as small
 * as libzip made them with zlib at 9 (the manual 187,224 bytes against
 * 188,168), for 10% fewer instructions than at 9. */
enum { EPUB_DEFLATE_LEVEL = 6 };

/* Frees what epub_write keeps for the process (its compressor). */
void epub_cleanup(void);

#endif

/* xhtml.h - document blocks -> XHTML content documents for the EPUB. */
#ifndef GALLEY_XHTML_H
#define GALLEY_XHTML_H

#include "buf.h"
#include "doc.h"
#include "strmap.h"
#include "style.h"

/* Scratch for numbering each chapter's notes, for documents of at most
 * max_notes notes; made once per book, reused chapter after chapter. */
typedef struct xhtml_notes xhtml_notes;
xhtml_notes *xhtml_notes_new(int max_notes);
void xhtml_notes_free(xhtml_notes *notes);

/* Where things of the book live, so links and images can point at them. */
typedef struct {
  const doc *d;
  const strmap *anchor_chapter;   /* heading id -> chapter number, this doc */
  const strmap *image_index;      /* image file -> index in image_names */
  const char *const *image_names; /* "images/img0001.png" */
  const style *style;             /* its masthead and closing */
  xhtml_notes *notes;             /* from xhtml_notes_new */
} xhtml_book;

/* File name of chapter n inside the text/ folder. */
void xhtml_chapter_name(int n, buf *out);

/* Writes one chapter: the blocks from first up to (not including) stop,
 * preceded by the title block when with_title is set; the document's last
 * chapter (stop NULL) ends with the signature when the style has one. */
void xhtml_chapter(const xhtml_book *bk, const doc_node *first,
                   const doc_node *stop, int with_title, buf *out);

/* Writes the XHTML prologue (up to and including <body>) and epilogue. */
void xhtml_open(buf *out, const char *lang, int rtl, const char *title,
                const char *css_href, int epub_ns);
void xhtml_close(buf *out);

#endif

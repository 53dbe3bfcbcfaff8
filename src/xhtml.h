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

/* An EPUB's page list: print page k + 1 begins in block node[k] of
 * document doc[k] (NULL: at the document's title on its first page, in its
 * closing matter after that); chapter[k] is the chapter file its marker
 * goes into, 0 until xhtml_pages_place finds it. */
typedef struct {
  const doc_node *const *node;
  const size_t *doc;
  size_t n;
  int *chapter;
  size_t *by_node; /* the pages in order of their node's address */
} xhtml_pages;

/* NULL when n is 0. */
xhtml_pages *xhtml_pages_new(const doc_node *const *node,
                             const size_t *doc_of, size_t n);
void xhtml_pages_free(xhtml_pages *pg);
/* Marks the pages whose markers chapter (1-based) of document doc_index
 * holds: the blocks first up to stop; at its start, when with_title, the
 * document's title; at its end, when last, the document's closing. */
void xhtml_pages_place(xhtml_pages *pg, size_t doc_index, int chapter,
                       const doc_node *first, const doc_node *stop,
                       int with_title, int last);

/* Where things of the book live, so links and images can point at them. */
typedef struct {
  const doc *d;
  const strmap *anchor_chapter;   /* heading id -> chapter number, this doc */
  const strmap *image_index;      /* image file -> index in image_names */
  const char *const *image_names; /* "images/img0001.png" */
  const style *style;             /* its masthead and closing */
  xhtml_notes *notes;             /* from xhtml_notes_new */
  const xhtml_pages *pages;       /* the page list, or NULL */
  size_t doc_index;               /* d's place among the book's documents */
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

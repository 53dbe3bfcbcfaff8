/* epub_text.h - a chapter's text as the EPUB shows it, piece by piece,
 * each piece with the role whose font list the stylesheet gives it (css.c)
 * and the weight and slant it is set in: what decides which fonts draw it
 * (epub_fonts.h). */
#ifndef GALLEY_EPUB_TEXT_H
#define GALLEY_EPUB_TEXT_H

#include <stddef.h>

#include "doc.h"
#include "style.h"

/* The weight and slant of a piece: font.h's font_shape, whose values
 * these are (epub_fonts.c checks that they agree). */
enum { EPUB_TEXT_BOLD = 1, EPUB_TEXT_ITALIC = 2 };

typedef struct epub_text epub_text;

/* Called with each piece of text: s[0..len) in role, in shape (the
 * EPUB_TEXT_ bits), in a document whose language is Chinese, Japanese or
 * Korean when cjk. */
typedef void (*epub_text_fn)(void *ctx, doc_role role, int shape, int cjk,
                             const char *s, size_t len);

struct epub_text {
  const style *st;
  epub_text_fn text;
  void *ctx;
  int stop; /* set by text: nothing more is wanted */
  /* private: */
  int cjk; /* the chapter's document is in a CJK language */
  /* a chapter's notes, numbered as xhtml.c numbers them: in the order of
   * first reference, references inside notes included */
  int *local; /* per note of the document: its number here, or 0 */
  const doc_node **queue;
  size_t cap;
  int n;
};

/* Walks one chapter of d as xhtml_chapter writes it (the blocks from first
 * up to stop, the title block when with_title, the signature after the
 * last block, then the chapter's notes), calling w->text with each piece
 * until w->stop is set.  w is zeroed but for st, text and ctx at first. */
void epub_text_chapter(epub_text *w, const doc *d, const doc_node *first,
                       const doc_node *stop, int with_title);

/* Frees what the walks kept. */
void epub_text_free(epub_text *w);

#endif

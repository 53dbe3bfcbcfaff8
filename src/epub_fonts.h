/* epub_fonts.h - the fonts an EPUB carries: each face its text is drawn
 * with, cut down to the characters drawn with it, so that a reading system
 * without the style's fonts (many have no Chinese font at all) shows the
 * book as the stylesheet asks. */
#ifndef GALLEY_EPUB_FONTS_H
#define GALLEY_EPUB_FONTS_H

#include <stddef.h>

#include "css.h"
#include "doc.h"
#include "style.h"

typedef struct epub_fonts epub_fonts;

/* Whether docs[0..n), as the EPUB shows them in style st, draw a Chinese,
 * Japanese or Korean character (font_is_cjk_char): when fonts are carried
 * by default. */
int epub_fonts_wanted(doc *const *docs, size_t n, const style *st);

/* Starts on the fonts of st, which are loaded once per process.  NULL
 * after reporting when they cannot be. */
epub_fonts *epub_fonts_new(const style *st);

/* Records which face draws each character of one chapter, as
 * xhtml_chapter writes it (the blocks from first up to stop of d, the
 * title block when with_title) and the stylesheet sets it. */
void epub_fonts_chapter(epub_fonts *ef, const doc *d, const doc_node *first,
                        const doc_node *stop, int with_title);

/* Cuts each face used down to the characters it draws (hb-subset).  A
 * face that cannot be cut is left out with a warning: the reading
 * system's fonts stand in for it. */
void epub_fonts_finish(epub_fonts *ef);

/* The fonts to carry, after epub_fonts_finish: font i's path in the
 * package's folder ("fonts/NotoSerif-Regular.ttf"), its media type, and
 * its bytes (malloc'd, *len of them, handed over once; NULL after). */
size_t epub_fonts_count(const epub_fonts *ef);
const char *epub_fonts_href(const epub_fonts *ef, size_t i);
const char *epub_fonts_media_type(const epub_fonts *ef, size_t i);
char *epub_fonts_take(epub_fonts *ef, size_t i, size_t *len);

/* The stylesheet's part, after epub_fonts_finish: the @font-face rules and
 * each role's families, valid while ef is. */
void epub_fonts_css(epub_fonts *ef, css_fonts *out);

void epub_fonts_free(epub_fonts *ef);

/* Frees the faces loaded for the process. */
void epub_fonts_cleanup(void);

#endif

/* epub_fonts.h - the fonts an EPUB carries: each face its text is drawn
 * with, cut down to the characters drawn with it, so that a reading system
 * without the style's fonts (many have no Chinese font at all) shows the
 * book as the stylesheet asks.
 *
 * The faces and hb-subset are HarfBuzz's, which costs a run about 0.6 ms
 * to load: the work is done by a module of its own, galley-epub-fonts.so
 * (epub_fonts.c and the font code), which the EPUB writer loads from
 * beside its own module only for a book that carries fonts.  Whether one
 * does by default (CJK text) is decided without it. */
#ifndef GALLEY_EPUB_FONTS_H
#define GALLEY_EPUB_FONTS_H

#include <stddef.h>

#include "css.h"
#include "doc.h"
#include "module_core.h"
#include "style.h"

typedef struct epub_fonts epub_fonts;

/* Bumped whenever epub_fonts_module changes shape. */
#define EPUB_FONTS_ABI 2

/* The module's one symbol, galley_epub_fonts. */
typedef struct {
  int abi;
  /* GALLEY_BUILD_ID of the module's build: one from another build is
   * refused, as writer modules are (writer.h). */
  const char *build;
  /* Takes the library's functions (module_core.h), before any other
   * call. */
  void (*bind)(const module_core *core);
  /* Starts on the fonts of st, which are loaded once per process.  NULL
   * after reporting when they cannot be. */
  epub_fonts *(*start)(const style *st);
  /* Records which face draws each character of s[0..len), text of role in
   * shape (epub_text.h's EPUB_TEXT_ bits) in a CJK document when cjk, as
   * epub_text_chapter hands it over. */
  void (*text)(epub_fonts *ef, doc_role role, int shape, int cjk, const char *s,
               size_t len);
  /* Cuts each face used down to the characters it draws (hb-subset).  A
   * face that cannot be cut is left out with a warning: the reading
   * system's fonts stand in for it. */
  void (*finish)(epub_fonts *ef);
  /* The fonts to carry, after finish: font i's path in the package's
   * folder ("fonts/NotoSerif-Regular.ttf"), its media type, and its bytes
   * (malloc'd, *len of them, handed over once; NULL after). */
  size_t (*count)(const epub_fonts *ef);
  const char *(*href)(const epub_fonts *ef, size_t i);
  const char *(*media_type)(const epub_fonts *ef, size_t i);
  char *(*take)(epub_fonts *ef, size_t i, size_t *len);
  /* The stylesheet's part, after finish: the @font-face rules and each
   * role's families, valid while ef is. */
  void (*css)(epub_fonts *ef, css_fonts *out);
  void (*destroy)(epub_fonts *ef);
  /* Forgets the fonts resolved for st, which is about to be changed or
   * freed (writer.h's forget_style). */
  void (*forget_style)(const style *st);
  /* Frees the faces loaded for the process. */
  void (*cleanup)(void);
} epub_fonts_module;

/* Defined by galley-epub-fonts.so (epub_fonts.c). */
extern const epub_fonts_module galley_epub_fonts;

/* ---- the EPUB writer's side (epub_fonts_load.c) ---- */

/* Whether docs[0..n), as the EPUB shows them in style st, draw a Chinese,
 * Japanese or Korean character (font_is_cjk_char, cjk.h): when fonts are
 * carried by default. */
int epub_fonts_wanted(doc *const *docs, size_t n, const style *st);

/* The fonts module: galley-epub-fonts.so from the folder of the module
 * this code is in, loaded on first use and kept for the process.  NULL
 * after reporting when it is missing or from another build. */
const epub_fonts_module *epub_fonts_load(void);

/* Takes m instead of loading the module, for a program that links the
 * fonts code itself (the fuzz target: &galley_epub_fonts). */
void epub_fonts_provide(const epub_fonts_module *m);

/* Frees what the fonts module loaded for the process, when it was. */
void epub_fonts_cleanup(void);

/* The fonts module's forget_style, when it was loaded. */
void epub_fonts_forget_style(const style *st);

#endif

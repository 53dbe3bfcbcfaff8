/* writer.h - an output format's writer, as the core sees it.
 *
 * Each writer is built as a module of its own (galley-pdf.so with libharu,
 * HarfBuzz, libunibreak, libhyphen, libpng and fontconfig; galley-epub.so
 * with libzip) that the core loads only when its format is asked for.  A
 * run then pays the start-up of the libraries of the formats it writes and
 * no others: linking them all into the program cost every run about 3 ms of
 * dynamic loading, more than converting a short article takes.  Likewise
 * the EPUB writer loads the fonts it carries (galley-epub-fonts.so, with
 * HarfBuzz and hb-subset; epub_fonts.h) only for a book that carries
 * fonts. */
#ifndef GALLEY_WRITER_H
#define GALLEY_WRITER_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "doc.h"
#include "galley.h"
#include "module_core.h"
#include "style.h"

/* Where the print pages of documents begin, for an EPUB's page list: page
 * k + 1 begins in block node[k] of document doc[k] (the innermost block
 * holding its first line; NULL: before the document's first block, at its
 * title).  The arrays are malloc'd. */
typedef struct {
  const doc_node **node;
  size_t *doc;
  size_t n;
} writer_pages;

/* What a writer is asked for (from galley_options, galley.c). */
typedef struct {
  const style *style;
  style_size size;
  time_t modified; /* every timestamp written; from SOURCE_DATE_EPOCH */
  int book;        /* the documents are the chapters of one book */
  int pdfa;        /* a galley_pdfa */
  int tagged;      /* a tagged PDF: the structure tree of PDF/UA-1 */
  int epub_fonts;  /* fonts in the EPUB: -1 when it has CJK text, 0 off, 1 on */
  const writer_pages *pages; /* the EPUB's page list, or NULL for none */
} writer_options;

/* Bumped whenever this structure changes shape. */
#define WRITER_ABI 5

typedef struct {
  int abi;
  /* GALLEY_BUILD_ID of the module's build (a checksum of the headers, the
   * Makefile and the compiler flags, from the Makefile): a module from
   * another build is refused, since the structures it shares with the
   * library may differ. */
  const char *build;
  /* Takes the library's functions (module_core.h), before any other
   * call. */
  void (*bind)(const module_core *core);
  /* Loads what the format needs for style st before any input is read
   * (fonts, for PDF); 0, or -1 after reporting.  May be NULL. */
  int (*prepare)(const style *st);
  /* Renders docs[0..n) into out; 0, or -1 after reporting. */
  int (*write)(doc *const *docs, size_t n, const doc *meta,
               const writer_options *opt, buf *out);
  /* Forgets what it keeps for style st (the fonts it resolved), which is
   * about to be changed or freed: another style may come to live at the
   * same address.  May be NULL. */
  void (*forget_style)(const style *st);
  /* Lays docs out as write would and tells where each page begins
   * (writer_pages); 0, or -1 after reporting.  May be NULL (a format
   * without pages). */
  int (*paginate)(doc *const *docs, size_t n, const writer_options *opt,
                  writer_pages *out);
  /* Frees what prepare and write loaded once per process. */
  void (*cleanup)(void);
  /* Appends what st's fonts resolve to on this machine (and, given
   * documents, which of their characters each role's fonts lack) to out,
   * for `galley --list-fonts`.  0, or -1 after reporting.  May be NULL. */
  int (*list_fonts)(const style *st, doc *const *docs, size_t n, buf *out);
} writer;

/* The writer for format, loaded on first use from the library's folder (a
 * build tree), its galley/ (PREFIX/lib/galley), ../lib/galley (beside a
 * program libgalley.a is linked into) or the LIBDIR galley was built for.
 * NULL after reporting. */
const writer *writer_for(galley_format format);

/* Calls every loaded writer's forget_style. */
void writer_forget_style(const style *st);

/* Calls every loaded writer's cleanup.  The modules stay mapped: their
 * code may still be named in a sanitizer's or debugger's report. */
void writer_cleanup(void);

#endif

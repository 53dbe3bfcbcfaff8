/* galley.h - the library API: what the command line (or any embedding
 * program) calls to turn Markdown files into EPUB and PDF files. */
#ifndef GALLEY_H
#define GALLEY_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "doc.h"
#include "style.h"

#define GALLEY_VERSION "0.1.0"

typedef enum { GALLEY_EPUB = 1, GALLEY_PDF = 2 } galley_format;

/* The PDF/A level written (--pdfa=LEVEL); 0 for plain PDF. */
typedef enum {
  GALLEY_PDFA_NONE = 0,
  GALLEY_PDFA_1B, /* PDF 1.4, no transparency */
  GALLEY_PDFA_2B, /* PDF 1.7, transparency allowed */
  GALLEY_PDFA_2U, /* 2B, and every character maps to Unicode */
  GALLEY_PDFA_2A, /* 2U, and tagged (the structure tree) */
} galley_pdfa;

typedef struct {
  const style *style;
  style_size size;
  time_t modified; /* every timestamp written; from SOURCE_DATE_EPOCH */
  int book;        /* the documents are the chapters of one book */
  int pdfa;        /* a galley_pdfa */
  int tagged;      /* a tagged PDF: the structure tree of PDF/UA-1 */
  int epub_fonts;  /* fonts in the EPUB: -1 when it has CJK text, 0 off, 1 on */
} galley_options;

/* Reads one Markdown file ("-": standard input).  NULL after reporting. */
doc *galley_read(const char *path);

/* Writes docs[0..n) to path in format; several documents make one book whose
 * metadata is meta.  Returns 0, or -1 after reporting (and path untouched). */
int galley_write(doc *const *docs, size_t n, const doc *meta,
                 galley_format format, const galley_options *opt,
                 const char *path);

/* The folder holding fonts/ and styles/: $GALLEY_DATADIR, else found from
 * the program's own location (an installed share/galley or a source tree),
 * else the PREFIX's it was built for (resource_data_dir). */
const char *galley_data_dir(void);

/* Warns (naming the document) about front-matter fields only the circular
 * styles print, when st is not one of them, so nothing is dropped
 * silently. */
void galley_check_fields(const style *st, const doc *d);

/* Loads a style: a built-in name (article, book, circular) or the path of
 * a style file.  NULL after reporting; free it with style_free. */
style *galley_style(const char *name_or_path);

/* Loads the writers of formats (GALLEY_EPUB | GALLEY_PDF) and what they
 * need for style st (the fonts, for PDF) now rather than on first use, so
 * that forked workers share them and a missing writer or a style naming
 * fonts that cannot be found fails before any input is read.  0, or -1
 * after reporting. */
int galley_prepare(const style *st, unsigned formats);

/* Appends to out what the fonts of style st resolve to on this machine
 * (file, face, outlines per role) and, given docs[0..n), which of their
 * characters each role's fonts lack.  0, or -1 after reporting. */
int galley_list_fonts(const style *st, doc *const *docs, size_t n, buf *out);

/* Frees what the writers loaded once per process (fonts, hyphenation
 * patterns). */
void galley_cleanup(void);

/* The time to stamp outputs with: SOURCE_DATE_EPOCH when set and valid,
 * else now. */
time_t galley_timestamp(void);

#endif

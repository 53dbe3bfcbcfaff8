/* layout.h - documents -> pages of positioned marks, ready to draw.
 * Coordinates are PDF points from the page's bottom-left corner; y of a
 * text mark is its baseline. */
#ifndef GALLEY_LAYOUT_H
#define GALLEY_LAYOUT_H

#include <stddef.h>

#include "arena.h"
#include "doc.h"
#include "font.h"
#include "style.h"

typedef struct {
  double x, y, size;
  font_face *face;
  unsigned color;
  const char *text;  /* UTF-8, NUL-terminated */
  double char_space; /* extra space after each character (CJK runs) */
  int fake_bold;
  long se; /* its structure element (layout.structs), or -1: an artifact */
  /* How the text is shaped (shape.h), as it was measured: text[0..head) as
   * one run and each character after it alone (head 0: all one run), in
   * the language lang, without kerning or ligatures when plain, right to
   * left when rtl (its glyphs still drawn from x rightwards). */
  const char *lang;
  size_t head;
  int plain, rtl;
} lay_text;

typedef struct {
  double x, y, w, h; /* y: bottom edge */
  unsigned color;
} lay_rect;

typedef struct {
  double x, y, w, h;
  const char *file, *media_type;
  const char *doc_path; /* where the image is named, for messages */
  int line, col;
  long se; /* its Figure in layout.structs, or -1 */
} lay_image;

typedef struct {
  double x, y, w, h;
  const char *uri; /* external, or NULL */
  int anchor;      /* internal: index into layout.anchors, or -1 */
  long se;         /* the element of the text it covers, or -1 */
} lay_link;

typedef struct {
  lay_text *texts;
  size_t n_texts, cap_texts;
  lay_rect *rects;
  size_t n_rects, cap_rects;
  lay_image *images;
  size_t n_images, cap_images;
  lay_link *links;
  size_t n_links, cap_links;
  size_t doc; /* the index of the document it shows */
} lay_page;

typedef struct {
  const char *title; /* plain text */
  int level;         /* 0: a book's article, 1-6 headings */
  size_t page;
  double y;
} lay_outline;

typedef struct {
  size_t page;
  double y;
} lay_anchor;

/* An element of a tagged PDF's structure tree, in the order laid out; the
 * marks name the element they belong to, so a paragraph split over pages
 * stays one element. */
typedef struct {
  const char *type; /* a standard structure type: "P", "H2", "LI", ... */
  long parent;      /* an index into layout.structs; -1: the document */
  const char *alt;  /* a Figure's alternate text, or NULL */
  const char *lang; /* where it differs from the first document's, or NULL */
  const doc_node *node; /* the block of the model it was laid out for */
  /* a figure (or its caption) floated to the top of a later page: the
   * page of the text set past it, where it goes in the tree */
  int floated;
  size_t float_from;
} lay_struct;

typedef struct {
  double page_width, page_height;
  lay_page *pages;
  size_t n_pages, cap_pages;
  lay_outline *outline;
  size_t n_outline;
  lay_anchor *anchors;
  size_t n_anchors;
  lay_struct *structs;
  size_t n_structs, cap_structs;
  const char *lang; /* the first document's language */
  size_t missing_chars; /* characters no font has, drawn as U+FFFD */
  arena *mem;
} layout;

typedef struct {
  const style *style;
  style_size size;
  font_set *fonts;
  const font_stacks *style_fonts; /* from font_stacks_resolve */
  /* The hyphenation patterns for a language (BCP 47), or NULL */
  const struct hyph_patterns *(*hyphen_for)(const char *lang);
} layout_options;

/* Lays out docs[0..n) one after another, each starting on a new page.
 * NULL only when memory runs out. */
layout *layout_run(doc *const *docs, size_t n, const layout_options *opt);
void layout_free(layout *l);

#endif

/* style.h - the resolved style: page, sizes and the look of each role.
 * One definition feeds both the PDF layout and the EPUB stylesheet. */
#ifndef GALLEY_STYLE_H
#define GALLEY_STYLE_H

#include "buf.h"
#include "doc.h"

typedef enum {
  STYLE_SMALL,
  STYLE_MEDIUM,
  STYLE_LARGE,
  STYLE_SIZE_COUNT
} style_size;

typedef enum {
  STYLE_ALIGN_START,
  STYLE_ALIGN_JUSTIFY,
  STYLE_ALIGN_CENTER,
  STYLE_ALIGN_END
} style_align;

typedef enum { STYLE_SERIF, STYLE_SANS, STYLE_MONO } style_family;

typedef struct {
  double size;         /* relative to the body size */
  double leading;      /* line height, a multiple of the role's size */
  double space_before; /* in body ems */
  double space_after;  /* in body ems */
  double indent;       /* first-line indent, in body ems */
  style_align align;
  unsigned color; /* 0xRRGGBB */
  int bold, italic;
  int keep_with_next;
  style_family family;
} style_role;

typedef struct {
  const char *name;
  double page_width, page_height; /* points */
  double margin_top, margin_right, margin_bottom, margin_left;
  double body_pt[STYLE_SIZE_COUNT]; /* body size of each preset, points */
  double cjk_indent; /* first-line indent of CJK body paragraphs, ems */
  style_role role[DOC_ROLE_COUNT];
} style;

/* The built-in default, the news-article look. */
const style *style_article(void);

/* "small", "medium", "large" -> preset; -1 for anything else. */
int style_size_parse(const char *name);
const char *style_size_name(style_size size);

#endif

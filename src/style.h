/* style.h - the resolved style: page, fonts, sizes and the look of each
 * role.  Styles are YAML files (styles/NAME.yaml, or a user's file); one may
 * extend another and change only what differs.  One resolved style feeds
 * both the PDF layout and the EPUB stylesheet. */
#ifndef GALLEY_STYLE_H
#define GALLEY_STYLE_H

#include "arena.h"
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

enum { STYLE_MAX_FONTS = 8 };

/* Font families or font files, in fallback order. */
typedef struct {
  const char *name[STYLE_MAX_FONTS];
  int n;
  const char *file; /* the style file that set the list, for messages */
  int line;
} style_fonts;

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
  int keep_with_previous; /* caption: figures keep their place, never float */
  int page_break_before; /* the role starts a new page */
  style_fonts font;
} style_role;

/* What stands above the text: the news look, or a Chinese official
 * document's red masthead (GB/T 9704). */
typedef enum { STYLE_HEAD_ARTICLE, STYLE_HEAD_CIRCULAR } style_head;

/* Where a circular's masthead stands: the 文件 format's (7.2) or the
 * letter format's (信函格式, 10.1). */
typedef enum { STYLE_MASTHEAD_DOCUMENT, STYLE_MASTHEAD_LETTER } style_masthead;

/* What the running header shows. */
typedef enum {
  STYLE_HEADER_NONE,
  STYLE_HEADER_TITLE,  /* the document's (a book's article's) title */
  STYLE_HEADER_CHAPTER /* the chapter (a book's article, or h1) on the page */
} style_header;

/* Where the page number stands. */
typedef enum { STYLE_NUMBER_CENTER, STYLE_NUMBER_OUTSIDE } style_number_pos;

typedef struct {
  const char *name;
  const char *file; /* where it was read from */
  double page_width, page_height; /* points */
  double margin_top, margin_right, margin_bottom, margin_left;
  double body_pt[STYLE_SIZE_COUNT]; /* body size of each preset, points */
  double cjk_indent; /* first-line indent of CJK body paragraphs, ems */
  /* Space between Chinese (Japanese, Korean) and Latin letters or digits,
   * in ems: 0.25 as clreq 3.4.2 sets it, 0 for none */
  double cjk_latin_space;
  int hyphen_limit; /* hyphenated lines in a row at most (2) */
  /* A character grid (0 when none): lines per page and characters per line
   * at medium size; small and large scale it with the body size. */
  int grid_lines, grid_chars;
  style_fonts cjk_latin;    /* Latin letters in CJK documents (n 0: role's) */
  style_fonts cjk_emphasis; /* emphasised CJK text (no italic in CJK) */
  style_head head;
  style_masthead masthead;
  style_header header;
  const char *page_number; /* "{page}" and "{pages}" are replaced */
  style_number_pos page_number_pos;
  double page_number_gap; /* from the text block's foot to the number, pt */
  int contents;           /* a contents page opens the PDF */
  int signature;          /* the issuer and date close the document */
  style_role role[DOC_ROLE_COUNT];
  arena *mem;
} style;

/* Loads a style: a built-in name (NAME.yaml in styles_dir) or the path of
 * a style file.  NULL after reporting errors as FILE:LINE:COL. */
style *style_load(const char *name_or_path, const char *styles_dir);
void style_free(style *s);

/* A role's fonts: its own list, or the body's when it names none. */
const style_fonts *style_role_fonts(const style *s, doc_role role);

/* The grid at size: lines per page and characters per line (0: none). */
void style_grid(const style *s, style_size size, int *lines, int *chars);

/* "small", "medium", "large" -> preset; -1 for anything else. */
int style_size_parse(const char *name);
const char *style_size_name(style_size size);
/* The role a style file names ("body", "h1", "meta" ...); -1 if none. */
int style_role_parse(const char *name);
/* The name a style file gives role ("" for none). */
const char *style_role_name(int role);

/* Replaces a role's fonts (all roles' when role is -1) by a comma-separated
 * list; origin names the option for messages.  0, or -1 after reporting. */
int style_set_fonts(style *s, int role, const char *list, const char *origin);

#endif

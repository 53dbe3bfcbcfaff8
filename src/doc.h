/* doc.h - the document model both writers read.
 *
 * A document is a tree of nodes (blocks holding inlines) plus its metadata.
 * All memory of one document lives in its arena and goes with doc_free.
 * The reader fills the tree; writers only read it. */
#ifndef GALLEY_DOC_H
#define GALLEY_DOC_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"

typedef enum {
  /* blocks */
  DOC_DOCUMENT,
  DOC_PARAGRAPH,
  DOC_HEADING,
  DOC_BLOCK_QUOTE,
  DOC_LIST,
  DOC_ITEM,
  DOC_CODE_BLOCK,
  DOC_THEMATIC_BREAK,
  DOC_FIGURE, /* a paragraph that holds one image and nothing else */
  DOC_HTML_BLOCK,
  DOC_TABLE,        /* rows; the first may be the header row */
  DOC_TABLE_ROW,    /* cells */
  DOC_TABLE_CELL,   /* inlines */
  DOC_FOOTNOTE_DEF, /* blocks: a note's text, numbered */
  /* inlines */
  DOC_TEXT,
  DOC_SOFT_BREAK,
  DOC_LINE_BREAK,
  DOC_CODE,
  DOC_EMPH,
  DOC_STRONG,
  DOC_LINK,
  DOC_IMAGE,
  DOC_HTML_INLINE,
  DOC_STRIKE,      /* struck-through text (~~text~~) */
  DOC_FOOTNOTE_REF /* a reference to a note */
} doc_kind;

/* The typographic role of a block: the style maps each role to its look. */
typedef enum {
  DOC_ROLE_BODY,
  DOC_ROLE_CATEGORY,
  DOC_ROLE_TITLE,
  DOC_ROLE_SUBTITLE,
  DOC_ROLE_META,
  DOC_ROLE_H1,
  DOC_ROLE_H2,
  DOC_ROLE_H3,
  DOC_ROLE_H4,
  DOC_ROLE_H5,
  DOC_ROLE_H6,
  DOC_ROLE_QUOTE,
  DOC_ROLE_CODE,
  DOC_ROLE_LIST,
  DOC_ROLE_CAPTION,
  DOC_ROLE_HEADER,
  DOC_ROLE_FOOTER,
  DOC_ROLE_AUTHORITY, /* a circular's issuing authority, in its masthead */
  DOC_ROLE_NUMBER,    /* a circular's document number */
  DOC_ROLE_SIGNATURE, /* the issuer and date that close a circular */
  DOC_ROLE_CONTENTS,  /* an entry of a book's contents page */
  DOC_ROLE_NOTE,      /* a footnote's text */
  DOC_ROLE_TABLE,     /* a table's body cells */
  DOC_ROLE_TABLE_HEAD, /* its header row's cells */
  DOC_ROLE_CLASSIFICATION, /* a circular's 密级 and 紧急程度, top left */
  DOC_ROLE_COLOPHON,       /* a circular's 版记: 抄送, 印发机关和日期 */
  DOC_ROLE_COUNT
} doc_role;

typedef struct doc_node doc_node;
struct doc_node {
  doc_kind kind;
  doc_role role;
  int line, col; /* position in the source file, 1-based */
  doc_node *parent, *first_child, *last_child, *next;

  const char *text; /* TEXT, CODE, CODE_BLOCK, HTML_*: the literal */
  size_t text_len;
  const char *url;   /* LINK, IMAGE */
  const char *title; /* LINK, IMAGE: "" when none */
  const char *file;  /* IMAGE: the local file, NULL when it cannot be used */
  const char *media_type; /* IMAGE: of that file */
  const char *info;       /* CODE_BLOCK: the info string, "" when none */
  const char *id;         /* HEADING: anchor, unique within the document */
  int level;              /* HEADING: 1-6 */
  int ordered;            /* LIST */
  int start;              /* LIST: number of the first item */
  int tight;              /* LIST */
  char delim;             /* LIST: '.' or ')' */
  int task;               /* ITEM: 0 not a task, 1 open, 2 done */
  int columns;            /* TABLE: cells in every row */
  const char *aligns;     /* TABLE: per column 'l', 'c', 'r' or '-' (none) */
  int header;             /* TABLE_ROW: the header row */
  /* FOOTNOTE_DEF: the note's number in the document (the order of first
   * reference).  FOOTNOTE_REF: the number of the note it names, and
   * `ref` its place among the references to that note (1, 2 ...). */
  int note, ref;
};

typedef struct {
  const char *title, *subtitle, *date, *lang, *source, *category, *number;
  const char *dir; /* "ltr", "rtl", "auto" or NULL: the text's direction */
  const char *identifier, *rights, *description, *cover;
  const char *authority; /* a circular's issuing authority */
  /* The rest of a circular's elements (GB/T 9704-2012, 7.2-7.4): 份号,
   * 密级和保密期限, 紧急程度, the name it is signed with, 印发机关 and
   * 印发日期 (ISO 8601). */
  const char *copy_number, *secrecy, *urgency, *signature_name;
  const char *printed_by, *printed_date;
  const char **signers; /* 签发人 */
  size_t n_signers;
  const char **attachments; /* 附件说明: the attachments' names */
  size_t n_attachments;
  const char **cc; /* 抄送机关 */
  size_t n_cc;
  /* minutes (纪要, 10.3): who attended, was on leave, sat in */
  const char **present, **absent, **attending;
  size_t n_present, n_absent, n_attending;
  const char **authors;
  size_t n_authors;
  const char **keywords;
  size_t n_keywords;
  int cover_line;         /* where cover: stands, for messages */
  const char *cover_file; /* the resolved cover image, or NULL */
  const char *cover_media_type;
} doc_meta;

typedef struct {
  doc_meta meta;
  doc_node *root;
  const char *path;         /* as the user named it, for messages */
  const char *base_dir;     /* the folder relative image paths start from;
                             * NULL: none (read from memory), no image */
  doc_node *title_heading;  /* the level-1 heading promoted to title, or NULL */
  /* The notes, numbered 1..n_notes in the order of first reference; each
   * FOOTNOTE_DEF node also stands, in that order, at the end of root. */
  doc_node **notes;
  int n_notes;
  unsigned char digest[20]; /* SHA-1 of the source bytes */
  arena *arena;
} doc;

doc *doc_new(const char *path);
void doc_free(doc *d);

void *doc_alloc(doc *d, size_t size); /* zeroed */
char *doc_strndup(doc *d, const char *s, size_t len);
char *doc_strdup(doc *d, const char *s);

doc_node *doc_node_new(doc *d, doc_kind kind);
void doc_append_child(doc_node *parent, doc_node *child);
int doc_kind_is_block(doc_kind kind);
int doc_kind_is_container(doc_kind kind);

/* Pre-order walk without recursion, so nesting depth never costs stack. */
typedef enum { DOC_EV_DONE, DOC_EV_ENTER, DOC_EV_EXIT } doc_event;
typedef struct {
  doc_node *root, *node;
  doc_event ev;
  int skip;
} doc_iter;
void doc_iter_init(doc_iter *it, doc_node *root);
doc_event doc_iter_next(doc_iter *it); /* then it->node is the node */
/* Skips the children of the node just entered: the next event is its EXIT. */
void doc_iter_skip_children(doc_iter *it);

/* Contents lists (the EPUB's nav, the PDF's bookmarks) keep the headings
 * down to the deepest level that keeps them within DOC_OUTLINE_MAX entries:
 * more is no help to a reader (and EPUBCheck recursed once per entry and
 * overflowed its stack on 20,000).  per_level[k] counts the entries of
 * level k (0: a book's articles, 7: anything deeper); the result is the
 * deepest level kept, at least 1. */
#define DOC_OUTLINE_MAX 1000
int doc_outline_depth(const size_t per_level[8]);

/* Appends the text content of node (inline literals, breaks as spaces). */
void doc_plain_text(const doc_node *node, buf *out);

#endif

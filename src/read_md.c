/* read_md.c - the only code that knows cmark (GitHub's cmark-gfm).  Bytes are cleaned (BOM, CRLF,
 * invalid UTF-8), the front matter goes to meta.c, the body is parsed by cmark
 * and copied into the document model, which owns its own copy of every string.
 */
#include "read_md.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "meta.h"
#include "oom.h"
#include "resource.h"
#include "sha1.h"
#include "strmap.h"
#include "url.h"
#include "utf8.h"
#include "vec.h"

/* ---- cleaning the bytes ---- */

/* CRLF and lone CR become LF, so line numbers agree for YAML and cmark. */
static void normalise_newlines(buf *b) {
  size_t w = 0;
  for (size_t r = 0; r < b->len; r++) {
    char c = b->data[r];
    if (c == '\r') {
      c = '\n';
      if (r + 1 < b->len && b->data[r + 1] == '\n')
        r++;
    }
    b->data[w++] = c;
  }
  b->len = w;
  if (b->data)
    b->data[w] = '\0';
}

/* Control characters other than tab and newline mean nothing in a document
 * and XML 1.0 forbids them: each becomes U+FFFD, so both outputs show the
 * same visible mark and the author is told where. */
static void replace_controls(const doc *d, buf *b) {
  size_t count = 0, line = 1, first_line = 0;
  unsigned first_char = 0;
  for (size_t i = 0; i < b->len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    if (c == '\n')
      line++;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      if (!count++)
        first_char = c, first_line = line;
    }
  }
  if (!count)
    return;
  buf out = {0};
  for (size_t i = 0; i < b->len; i++) {
    unsigned char c = (unsigned char)b->data[i];
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      buf_puts(&out, "\xEF\xBF\xBD");
    else
      buf_putc(&out, (char)c);
  }
  buf_free(b);
  *b = out;
  diag(DIAG_WARNING, d->path, (int)first_line, 0,
       "%zu control character%s replaced by U+FFFD (the first U+%04X here)",
       count, count == 1 ? "" : "s", first_char);
}

/* Noncharacters (U+FFFE, U+FFFF, U+FDD0 ...) are not text: XML forbids
 * some, and a library may take one for a mark of its own (libunibreak
 * ends its input at U+FFFF).  Each becomes U+FFFD, with one warning. */
static void replace_noncharacters(const doc *d, buf *b) {
  size_t count = 0, line = 1, first_line = 0;
  uint32_t first_cp = 0;
  buf out = {0};
  size_t run = 0;
  const unsigned char *s = (const unsigned char *)b->data;
  for (size_t i = 0; i < b->len;) {
    if (s[i] < 0xEF) { /* every noncharacter starts with EF or F0-F4 */
      line += s[i] == '\n';
      i++;
      continue;
    }
    uint32_t cp;
    int n = utf8_decode(s + i, b->len - i, &cp);
    if (n <= 0)
      n = 1;
    if (n > 1 && utf8_is_noncharacter(cp)) {
      if (!count++)
        first_cp = cp, first_line = line;
      buf_put(&out, b->data + run, i - run);
      utf8_encode(&out, UTF8_REPLACEMENT);
      run = i + (size_t)n;
    }
    i += (size_t)n;
  }
  if (!count)
    return;
  buf_put(&out, b->data + run, b->len - run);
  buf_free(b);
  *b = out;
  diag(DIAG_WARNING, d->path, (int)first_line, 0,
       "%zu noncharacter%s replaced by U+FFFD (the first U+%04X here)", count,
       count == 1 ? "" : "s", (unsigned)first_cp);
}

/* ---- front matter ---- */

/* Length of a fence line "---" (or "..." when closing) at p, with trailing
 * blanks, including its newline; 0 when p is not such a line. */
static size_t fence_line(const char *p, const char *end, int closing) {
  if (end - p < 3)
    return 0;
  if (memcmp(p, "---", 3) != 0 && !(closing && memcmp(p, "...", 3) == 0))
    return 0;
  const char *q = p + 3;
  while (q < end && (*q == ' ' || *q == '\t'))
    q++;
  if (q < end && *q != '\n')
    return 0;
  return (size_t)(q - p) + (q < end);
}

/* True when the line at p opens a YAML mapping ("key:" or "key: value"):
 * what tells front matter from a thematic break that starts a document. */
static int yaml_key_line(const char *p, const char *end) {
  const char *q = p;
  if (q < end && (*q == '"' || *q == '\'')) {
    char quote = *q++;
    while (q < end && *q != quote && *q != '\n')
      q++;
    if (q >= end || *q != quote)
      return 0;
    q++;
  } else {
    if (q >= end || !(isalpha((unsigned char)*q) || *q == '_'))
      return 0;
    while (q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '-'))
      q++;
  }
  while (q < end && (*q == ' ' || *q == '\t'))
    q++;
  return q < end && *q == ':' &&
         (q + 1 == end || q[1] == ' ' || q[1] == '\t' || q[1] == '\n');
}

/* Splits off the front matter.  On return *body points past it and
 * *body_line is the file line the body starts on. */
static int split_front_matter(doc *d, const char *text, size_t len,
                              const char **body, int *body_line) {
  const char *end = text + len;
  *body = text;
  *body_line = 1;
  size_t open = fence_line(text, end, 0);
  if (!open || !yaml_key_line(text + open, end))
    return 0;
  const char *p = text + open;
  int line = 2;
  while (p < end) {
    size_t close = fence_line(p, end, 1);
    if (close) {
      int rc = meta_parse(d, text + open, (size_t)(p - text - open), 2);
      *body = p + close;
      *body_line = line + 1;
      return rc;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      break;
    p = nl + 1;
    line++;
  }
  diag(DIAG_WARNING, d->path, 1, 1,
       "front matter opened here is never closed with ---; "
       "the file is read as Markdown");
  return 0;
}

/* ---- heading anchors ---- */

/* Characters kept in an anchor: letters and digits of any script (XML name
 * characters), minus the punctuation and symbol blocks. */
static int anchor_keeps(uint32_t c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  if (c < 0xC0 || c == 0xD7 || c == 0xF7)
    return 0;
  if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E00 && c <= 0x2E7F) ||
      (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
      (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
      (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
      (c >= 0xD800 && c <= 0xF8FF) || c >= 0xFFF0)
    return 0;
  return c < 0x1F000; /* no emoji and pictographs */
}

static int is_ascii_letter(uint32_t c) { return c >= 'a' && c <= 'z'; }

/* Lower case for the alphabets with simple case pairs: Latin, Greek,
 * Cyrillic. */
static uint32_t lower(uint32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
      (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40F)
    return c + 0x50;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 &&
      c != 0x17F) {
    /* pairs are upper-even, lower-odd, except 0x139-0x148 and 0x179-0x17E */
    int odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if ((c % 2 == 0) != odd_upper)
      return c + 1;
  }
  return c;
}

/* pandoc-style identifier: lower case, spaces to hyphens, punctuation
 * dropped, everything before the first letter dropped; unique. */
static const char *make_anchor(doc *d, doc_node *heading, strmap *set) {
  buf text = {0}, id = {0};
  doc_plain_text(heading, &text);
  const unsigned char *s = (const unsigned char *)(text.data ? text.data : "");
  size_t len = text.len;
  int started = 0, space = 0;
  for (size_t i = 0; i < len && id.len < 80;) {
    uint32_t c;
    int n = utf8_decode(s + i, len - i, &c);
    if (n <= 0) {
      i++;
      continue;
    }
    i += (size_t)n;
    c = lower(c);
    if (c == ' ' || c == '\t' || c == '\n') {
      space = started; /* runs of spaces make one hyphen, as words do */
      continue;
    }
    if (!anchor_keeps(c))
      continue;
    if (!started && !(is_ascii_letter(c) || c >= 0xC0))
      continue;
    if (space)
      buf_putc(&id, '-');
    started = 1;
    space = 0;
    utf8_encode(&id, c);
  }
  if (id.len == 0)
    buf_puts(&id, "section");
  /* Each anchor's value in set is the next suffix to try when the same
   * text comes again, so 20,000 headings "Notes" cost one probe each
   * rather than a count from 1 (quadratic). */
  size_t base_len = id.len;
  char *candidate;
  int *next = strmap_slot(set, id.data);
  if (!next) {
    candidate = doc_strndup(d, id.data, id.len);
    strmap_add(set, candidate, 1);
  } else {
    int k = *next;
    do {
      id.len = base_len;
      buf_printf(&id, "-%d", k++);
    } while (strmap_get(set, id.data) >= 0);
    *next = k;
    candidate = doc_strndup(d, id.data, id.len);
    strmap_add(set, candidate, 1);
  }
  buf_free(&text);
  buf_free(&id);
  return candidate;
}

/* ---- body ---- */

typedef struct {
  doc *d;
  int line0; /* file line of the body's first line, minus one */
  strmap anchors;
  int html_count, html_line;
  int flattened_line;
  doc_node *table; /* the table being read, for its cells' alignment */
  int cell;        /* the next cell's column */
  /* per note number: the references read so far */
  int *note_refs;
  size_t cap_note_refs;
} reader;

static read_dialect dialect = READ_GFM;

/* cmark-gfm's own allocator aborts when memory runs out; this one hands
 * the failure to out_of_memory, which a call of the API unwinds from. */
static void *parse_calloc(size_t n, size_t size) {
  void *p = calloc(n, size);
  if (!p && n && size)
    out_of_memory();
  return p;
}

static void *parse_realloc(void *old, size_t size) {
  void *p = realloc(old, size);
  if (!p && size)
    out_of_memory();
  return p;
}

static cmark_mem parse_mem = {parse_calloc, parse_realloc, free};

void read_set_dialect(read_dialect d) { dialect = d; }

/* The kinds of the extensions' nodes, told by their names: their type
 * numbers are given out when the extensions register. */
static doc_kind extension_kind(cmark_node *cn) {
  const char *t = cmark_node_get_type_string(cn);
  if (strcmp(t, "table") == 0)
    return DOC_TABLE;
  if (strcmp(t, "table_header") == 0 || strcmp(t, "table_row") == 0)
    return DOC_TABLE_ROW;
  if (strcmp(t, "table_cell") == 0)
    return DOC_TABLE_CELL;
  if (strcmp(t, "strikethrough") == 0)
    return DOC_STRIKE;
  if (strcmp(t, "tasklist") == 0)
    return DOC_ITEM;
  return DOC_TEXT;
}

static doc_kind kind_of(cmark_node *cn) {
  if (cmark_node_get_syntax_extension(cn))
    return extension_kind(cn);
  switch (cmark_node_get_type(cn)) {
  case CMARK_NODE_DOCUMENT:
    return DOC_DOCUMENT;
  case CMARK_NODE_BLOCK_QUOTE:
    return DOC_BLOCK_QUOTE;
  case CMARK_NODE_LIST:
    return DOC_LIST;
  case CMARK_NODE_ITEM:
    return DOC_ITEM;
  case CMARK_NODE_CODE_BLOCK:
    return DOC_CODE_BLOCK;
  case CMARK_NODE_HTML_BLOCK:
    return DOC_HTML_BLOCK;
  case CMARK_NODE_PARAGRAPH:
    return DOC_PARAGRAPH;
  case CMARK_NODE_HEADING:
    return DOC_HEADING;
  case CMARK_NODE_THEMATIC_BREAK:
    return DOC_THEMATIC_BREAK;
  case CMARK_NODE_SOFTBREAK:
    return DOC_SOFT_BREAK;
  case CMARK_NODE_LINEBREAK:
    return DOC_LINE_BREAK;
  case CMARK_NODE_CODE:
    return DOC_CODE;
  case CMARK_NODE_HTML_INLINE:
    return DOC_HTML_INLINE;
  case CMARK_NODE_EMPH:
    return DOC_EMPH;
  case CMARK_NODE_STRONG:
    return DOC_STRONG;
  case CMARK_NODE_LINK:
    return DOC_LINK;
  case CMARK_NODE_IMAGE:
    return DOC_IMAGE;
  case CMARK_NODE_FOOTNOTE_DEFINITION:
    return DOC_FOOTNOTE_DEF;
  case CMARK_NODE_FOOTNOTE_REFERENCE:
    return DOC_FOOTNOTE_REF;
  default:
    return DOC_TEXT; /* text and the custom kinds cmark never parses */
  }
}

/* Nodes that add a level of nesting, and so count against the limit.  An
 * item goes with its list: it is kept exactly when its list is kept. */
static int nests(doc_kind k) {
  return k == DOC_BLOCK_QUOTE || k == DOC_LIST || k == DOC_EMPH ||
         k == DOC_STRONG || k == DOC_LINK || k == DOC_STRIKE;
}

/* Tables and notes are kept whole, with their rows and cells: flattening
 * one would leave cells outside any row.  They add no nesting of their own
 * (cmark-gfm puts no table in a cell, and a note's blocks are counted). */
static int kept_whole(doc_kind k) {
  return k == DOC_TABLE || k == DOC_TABLE_ROW || k == DOC_TABLE_CELL ||
         k == DOC_FOOTNOTE_DEF;
}

static doc_role role_in(const doc_node *parent) {
  for (const doc_node *p = parent; p; p = p->parent) {
    if (p->kind == DOC_BLOCK_QUOTE)
      return DOC_ROLE_QUOTE;
    if (p->kind == DOC_ITEM)
      return DOC_ROLE_LIST;
    if (p->kind == DOC_FOOTNOTE_DEF)
      return DOC_ROLE_NOTE;
  }
  return DOC_ROLE_BODY;
}

static const char *literal(reader *r, cmark_node *cn, size_t *len) {
  const char *s = cmark_node_get_literal(cn);
  if (!s)
    s = "";
  *len = strlen(s);
  return doc_strndup(r->d, s, *len);
}

/* Why a document read from memory with no name has no images: it has no
 * folder they could be in (read_markdown). */
#define NO_FOLDER "the document was read from memory with no folder named"

static void resolve_image(reader *r, doc_node *img) {
  const char *why = NULL, *type = NULL;
  char *path = r->d->base_dir
                   ? resource_resolve(r->d->base_dir, img->url, &type, &why)
                   : NULL;
  if (!r->d->base_dir)
    why = NO_FOLDER;
  if (!path) {
    diag(DIAG_WARNING, r->d->path, img->line, img->col,
         "image \"%s\" left out (%s); its alt text stands in its place",
         img->url, why);
    return;
  }
  img->file = doc_strdup(r->d, path);
  img->media_type = type;
  free(path);
}

static void check_link(reader *r, doc_node *link) {
  url_kind kind = url_classify(link->url);
  if (strlen(link->url) > READ_MAX_URL) {
    diag(DIAG_WARNING, r->d->path, link->line, link->col,
         "link kept as text: its address is over %d bytes", READ_MAX_URL);
    link->url = NULL;
  } else if (kind == URL_REMOTE && !url_host_is_valid(link->url)) {
    diag(DIAG_WARNING, r->d->path, link->line, link->col,
         "link to \"%.60s\" kept as text: the address is malformed", link->url);
    link->url = NULL;
  } else if (kind == URL_DANGEROUS) {
    diag(DIAG_WARNING, r->d->path, link->line, link->col,
         "link to \"%.60s\" dropped: only http, https, ftp, mailto and tel "
         "links are kept",
         link->url);
    link->url = NULL;
  }
}

/* Called when a node's children are complete. */
static void finish_node(reader *r, doc_node *n) {
  if (n->kind == DOC_HEADING) {
    n->id = make_anchor(r->d, n, &r->anchors);
  } else if (n->kind == DOC_PARAGRAPH && n->first_child &&
             n->first_child == n->last_child &&
             n->first_child->kind == DOC_IMAGE) {
    n->kind = DOC_FIGURE;
    n->role = DOC_ROLE_CAPTION;
  }
}

static doc_node *convert_node(reader *r, cmark_node *cn, doc_node *parent) {
  doc *d = r->d;
  doc_node *n = doc_node_new(d, kind_of(cn));
  n->line = cmark_node_get_start_line(cn) + r->line0;
  n->col = cmark_node_get_start_column(cn);
  switch (n->kind) {
  case DOC_TEXT:
  case DOC_CODE:
  case DOC_CODE_BLOCK:
    n->text = literal(r, cn, &n->text_len);
    if (n->kind == DOC_CODE_BLOCK) {
      const char *info = cmark_node_get_fence_info(cn);
      n->info = doc_strdup(d, info ? info : "");
      n->role = DOC_ROLE_CODE;
    }
    break;
  case DOC_HTML_BLOCK:
  case DOC_HTML_INLINE:
    n->text = literal(r, cn, &n->text_len);
    if (r->html_count++ == 0)
      r->html_line = n->line;
    break;
  case DOC_HEADING:
    n->level = cmark_node_get_heading_level(cn);
    n->role = (doc_role)(DOC_ROLE_H1 + n->level - 1);
    break;
  case DOC_LIST:
    n->ordered = cmark_node_get_list_type(cn) == CMARK_ORDERED_LIST;
    n->start = n->ordered ? cmark_node_get_list_start(cn) : 1;
    n->tight = cmark_node_get_list_tight(cn);
    n->delim = cmark_node_get_list_delim(cn) == CMARK_PAREN_DELIM ? ')' : '.';
    n->role = DOC_ROLE_LIST;
    break;
  case DOC_BLOCK_QUOTE:
    n->role = DOC_ROLE_QUOTE;
    break;
  case DOC_ITEM:
    if (cmark_node_get_syntax_extension(cn))
      n->task = cmark_gfm_extensions_get_tasklist_item_checked(cn) ? 2 : 1;
    break;
  case DOC_TABLE: {
    n->columns = cmark_gfm_extensions_get_table_columns(cn);
    const uint8_t *al = cmark_gfm_extensions_get_table_alignments(cn);
    char *aligns = doc_alloc(d, (size_t)n->columns + 1);
    for (int i = 0; i < n->columns; i++)
      aligns[i] = al && (al[i] == 'l' || al[i] == 'c' || al[i] == 'r')
                      ? (char)al[i]
                      : '-';
    n->aligns = aligns;
    n->role = DOC_ROLE_TABLE;
    r->table = n;
    break;
  }
  case DOC_TABLE_ROW:
    n->header = cmark_gfm_extensions_get_table_row_is_header(cn);
    n->role = DOC_ROLE_TABLE;
    r->cell = 0;
    break;
  case DOC_TABLE_CELL:
    n->role = parent->header ? DOC_ROLE_TABLE_HEAD : DOC_ROLE_TABLE;
    n->level = r->cell++; /* its column */
    break;
  case DOC_FOOTNOTE_DEF:
    n->role = DOC_ROLE_NOTE;
    n->note = ++d->n_notes;
    break;
  case DOC_FOOTNOTE_REF: {
    /* cmark-gfm numbers notes in the order of first reference and gives
     * a reference its note's number as its literal */
    const char *num = cmark_node_get_literal(cn);
    long k = num ? strtol(num, NULL, 10) : 0;
    n->note = k > 0 && k < 1000000 ? (int)k : 0;
    if (n->note) {
      size_t had = r->cap_note_refs;
      r->note_refs = vec_grow(r->note_refs, &r->cap_note_refs,
                              (size_t)n->note + 1, sizeof *r->note_refs);
      memset(r->note_refs + had, 0,
             (r->cap_note_refs - had) * sizeof *r->note_refs);
      n->ref = ++r->note_refs[n->note];
    }
    break;
  }
  case DOC_PARAGRAPH:
    n->role = role_in(parent);
    break;
  case DOC_LINK:
  case DOC_IMAGE: {
    const char *url = cmark_node_get_url(cn), *title = cmark_node_get_title(cn);
    n->url = doc_strdup(d, url ? url : "");
    n->title = doc_strdup(d, title ? title : "");
    if (n->kind == DOC_LINK)
      check_link(r, n);
    else
      resolve_image(r, n);
    break;
  }
  default:
    break;
  }
  doc_append_child(parent, n);
  return n;
}

static void convert_tree(reader *r, cmark_node *root) {
  cmark_iter *it = cmark_iter_new(root);
  if (!it)
    out_of_memory();
  doc_node *cur = r->d->root;
  /* One byte per open cmark container: 1 when it was flattened away. */
  buf open = {0};
  int depth = 0;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *cn = cmark_iter_get_node(it);
    doc_kind kind = kind_of(cn);
    if (kind == DOC_DOCUMENT)
      continue;
    int container = doc_kind_is_container(kind);
    if (ev == CMARK_EVENT_EXIT) {
      int flattened = open.data[--open.len];
      if (flattened)
        continue;
      finish_node(r, cur);
      if (nests(kind))
        depth--;
      cur = cur->parent;
      continue;
    }
    int parent_flattened = open.len && open.data[open.len - 1];
    int flatten = container && !kept_whole(kind) &&
                  ((nests(kind) && depth >= READ_MAX_NESTING) ||
                   (kind == DOC_ITEM && parent_flattened));
    if (flatten) {
      /* too deep: the node's children go to its parent instead */
      if (!r->flattened_line)
        r->flattened_line = cmark_node_get_start_line(cn) + r->line0;
      buf_putc(&open, 1);
      continue;
    }
    doc_node *n = convert_node(r, cn, cur);
    if (container) {
      buf_putc(&open, 0);
      if (nests(kind))
        depth++;
      cur = n;
    }
  }
  buf_free(&open);
  cmark_iter_free(it);
}

/* What one pass over the body tells the parser's setup: the line with the
 * most '|' and how many it holds, and whether anything could become an
 * autolink ("www.", "://" or an '@'). */
typedef struct {
  size_t pipes;
  int pipes_line;
  int links;
} body_scan;

static body_scan scan_body(const char *s, size_t len) {
  body_scan b = {0, 0, 0};
  size_t here = 0;
  int at = 1;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '|') {
      if (++here > b.pipes)
        b.pipes = here, b.pipes_line = at;
    } else if (c == '\n') {
      here = 0, at++;
    } else if (c == '@' ||
               (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/') ||
               (c == '.' && i >= 3 && memcmp(s + i - 3, "www", 3) == 0)) {
      b.links = 1;
    }
  }
  return b;
}

/* Parses the body with cmark-gfm: its extensions for GFM, none for strict
 * CommonMark.  NULL when the parser cannot start. */
static cmark_node *parse_body(doc *d, const char *body, size_t len,
                              int body_line) {
  int opts = CMARK_OPT_SOURCEPOS;
  /* GFM as galley reads it sets typewriter quotes as printers do: "" and
   * '' become curly, -- and --- dashes, ... an ellipsis (pandoc's smart
   * extension; code is never touched).  Strict CommonMark keeps them. */
  if (dialect == READ_GFM)
    opts |= CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART;
  cmark_parser *p = cmark_parser_new_with_mem(opts, &parse_mem);
  if (!p)
    return NULL;
  if (dialect == READ_GFM) {
    cmark_gfm_core_extensions_ensure_registered();
    body_scan scan = scan_body(body, len);
    int tables = scan.pipes <= READ_MAX_TABLE_PIPES;
    if (!tables)
      diag(DIAG_WARNING, d->path, body_line + scan.pipes_line - 1, 0,
           "a line of %zu '|' (over %d): tables are read as text in this "
           "document",
           scan.pipes, READ_MAX_TABLE_PIPES);
    /* The autolink extension splits text at every 'w' and ':' (its
     * trigger characters), tripling the parser's memory and time on
     * prose (31 MB: 0.4 s and 104 MB without it, 2.5 s and 302 MB with
     * it); it is attached only when the text holds something it could
     * link: "www.", "://" or an '@' (e-mail addresses). */
    int links = scan.links;
    static const char *const names[] = {"table", "strikethrough", "tasklist",
                                        "autolink"};
    size_t n_names = sizeof names / sizeof *names - !links;
    for (size_t i = tables ? 0 : 1; i < n_names; i++) {
      cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);
      if (!ext || !cmark_parser_attach_syntax_extension(p, ext)) {
        cmark_parser_free(p);
        return NULL;
      }
    }
  }
  cmark_parser_feed(p, body, len);
  cmark_node *root = cmark_parser_finish(p);
  cmark_parser_free(p);
  return root;
}

/* The notes in number order: cmark-gfm puts the definitions that are
 * referenced at the end of the document, in the order of first
 * reference, and drops the others. */
static void collect_notes(doc *d) {
  if (!d->n_notes)
    return;
  d->notes = doc_alloc(d, (size_t)d->n_notes * sizeof *d->notes);
  int k = 0;
  for (doc_node *n = d->root->first_child; n; n = n->next)
    if (n->kind == DOC_FOOTNOTE_DEF && k < d->n_notes)
      d->notes[k++] = n;
  d->n_notes = k;
}

static int holds_note_ref(doc_node *n) {
  doc_iter it;
  doc_iter_init(&it, n);
  while (doc_iter_next(&it) != DOC_EV_DONE)
    if (it.node->kind == DOC_FOOTNOTE_REF)
      return 1;
  return 0;
}

/* Without a title in the front matter: a level-1 heading that opens the
 * document becomes the title; any first level-1 heading lends its text;
 * failing both, the file name. */
static void settle_title(doc *d) {
  if (d->meta.title)
    return;
  for (doc_node *n = d->root->first_child; n; n = n->next) {
    if (n->kind != DOC_HEADING || n->level != 1)
      continue;
    buf t = {0};
    doc_plain_text(n, &t);
    if (t.len && !meta_is_blank(t.data)) {
      d->meta.title = doc_strndup(d, t.data, t.len);
      /* a heading that refers to a note stays in the text, where its
       * number can stand: the title block is plain text */
      if (n == d->root->first_child && !holds_note_ref(n))
        d->title_heading = n;
    }
    buf_free(&t);
    if (d->meta.title)
      return;
  }
  const char *base = strrchr(d->path, '/');
  base = base ? base + 1 : d->path;
  size_t n = strlen(base);
  if (n > 3 && strcmp(base + n - 3, ".md") == 0)
    n -= 3;
  /* "<stdin>", "<memory>": no file, so no name to lend */
  if (!n || strcmp(base, "-") == 0 || d->path[0] == '<') {
    d->meta.title = "Untitled";
    return;
  }
  /* a file name is bytes, not text: cleaned as -M values are */
  buf clean = {0};
  meta_clean_text(base, n, &clean);
  d->meta.title = doc_strndup(d, clean.data, clean.len);
  buf_free(&clean);
}

static void settle_cover(doc *d) {
  if (!d->meta.cover)
    return;
  const char *why = NULL, *type = NULL;
  char *path = d->base_dir
                   ? resource_resolve(d->base_dir, d->meta.cover, &type, &why)
                   : NULL;
  if (!d->base_dir)
    why = NO_FOLDER;
  if (!path) {
    diag(DIAG_WARNING, d->path, d->meta.cover_line, 0,
         "cover \"%s\" left out (%s)", d->meta.cover, why);
    return;
  }
  d->meta.cover_file = doc_strdup(d, path);
  d->meta.cover_media_type = type;
  free(path);
}

doc *read_markdown(const char *path, const char *base_dir, const char *bytes,
                   size_t len) {
  if (len > READ_MAX_INPUT) {
    diag(DIAG_ERROR, path, 0, 0,
         "input is %zu bytes, over the limit of %u bytes; refused", len,
         READ_MAX_INPUT);
    return NULL;
  }
  resource_begin_document(); /* a pixel budget of its own (resource.h) */
  doc *d = doc_new(path);
  d->base_dir = base_dir ? doc_strdup(d, base_dir) : NULL;
  sha1_ctx sha;
  sha1_init(&sha);
  sha1_update(&sha, bytes, len);
  sha1_final(&sha, d->digest);

  size_t skip = len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  buf text = {0};
  size_t first_bad = 0;
  size_t bad = utf8_repair(bytes + skip, len - skip, &text, &first_bad);
  if (bad)
    diag(DIAG_WARNING, path, 0, 0,
         "%zu invalid UTF-8 sequence%s or NUL byte%s replaced by U+FFFD "
         "(the first at byte offset %zu)",
         bad, bad == 1 ? "" : "s", bad == 1 ? "" : "s", first_bad + skip);
  normalise_newlines(&text);
  replace_controls(d, &text);
  replace_noncharacters(d, &text);
  if (!text.data)
    buf_puts(&text, "");

  const char *body;
  int body_line;
  if (split_front_matter(d, text.data, text.len, &body, &body_line) != 0) {
    buf_free(&text);
    doc_free(d);
    return NULL;
  }
  if (!d->meta.lang)
    d->meta.lang = "en";

  size_t body_len = text.len - (size_t)(body - text.data);
  cmark_node *root = parse_body(d, body, body_len, body_line);
  if (!root) {
    diag(DIAG_ERROR, path, 0, 0, "the Markdown parser failed");
    buf_free(&text);
    doc_free(d);
    return NULL;
  }
  reader r = {.d = d, .line0 = body_line - 1};
  convert_tree(&r, root);
  cmark_node_free(root);
  buf_free(&text);
  strmap_free(&r.anchors);
  free(r.note_refs);
  collect_notes(d);

  if (r.html_count)
    diag(DIAG_WARNING, path, r.html_line, 0,
         "raw HTML left out (%d fragment%s; the first here)", r.html_count,
         r.html_count == 1 ? "" : "s");
  if (r.flattened_line)
    diag(DIAG_WARNING, path, r.flattened_line, 0,
         "nesting deeper than %d levels flattened from here on",
         READ_MAX_NESTING);
  settle_title(d);
  settle_cover(d);
  return d;
}

doc *read_markdown_file(const char *path) {
  size_t len = 0;
  char *bytes;
  if (strcmp(path, "-") == 0) {
    buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
      buf_put(&b, chunk, got);
      if (b.len > READ_MAX_INPUT)
        break;
    }
    if (ferror(stdin)) {
      diag(DIAG_ERROR, "-", 0, 0, "cannot read standard input");
      buf_free(&b);
      return NULL;
    }
    len = b.len;
    bytes = buf_detach(&b, NULL);
  } else {
    bytes = resource_read_file(path, READ_MAX_INPUT + 1, &len);
    if (!bytes) {
      if (errno == EFBIG)
        diag(DIAG_ERROR, path, 0, 0,
             "input is over the limit of %u bytes; refused", READ_MAX_INPUT);
      else
        diag(DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
      return NULL;
    }
  }
  /* Images resolve against the input's folder (the working folder for
   * standard input). */
  char *dir = NULL;
  const char *slash = strrchr(path, '/');
  if (strcmp(path, "-") == 0 || !slash)
    dir = strdup(".");
  else if (slash == path)
    dir = strdup("/");
  else
    dir = strndup(path, (size_t)(slash - path));
  if (!dir)
    out_of_memory();
  doc *d =
      read_markdown(strcmp(path, "-") == 0 ? "<stdin>" : path, dir, bytes, len);
  free(dir);
  free(bytes);
  return d;
}

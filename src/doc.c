/* doc.c - document model memory (one arena per document) and traversal. */
#include "doc.h"

#include "arena.h"
#include "oom.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *oom(void) { out_of_memory(); }

void *doc_alloc(doc *d, size_t size) { return arena_alloc(&d->arena, size); }

char *doc_strndup(doc *d, const char *s, size_t len) {
  return arena_strndup(&d->arena, s, len);
}

char *doc_strdup(doc *d, const char *s) { return doc_strndup(d, s, strlen(s)); }

doc *doc_new(const char *path) {
  doc *d = calloc(1, sizeof *d);
  if (!d)
    return oom();
  d->path = doc_strdup(d, path);
  d->root = doc_node_new(d, DOC_DOCUMENT);
  return d;
}

void doc_free(doc *d) {
  if (!d)
    return;
  arena_free(d->arena);
  free(d);
}

doc_node *doc_node_new(doc *d, doc_kind kind) {
  doc_node *n = doc_alloc(d, sizeof *n);
  n->kind = kind;
  n->role = DOC_ROLE_BODY;
  n->title = n->info = "";
  return n;
}

void doc_append_child(doc_node *parent, doc_node *child) {
  child->parent = parent;
  child->next = NULL;
  if (parent->last_child)
    parent->last_child->next = child;
  else
    parent->first_child = child;
  parent->last_child = child;
}

int doc_kind_is_block(doc_kind kind) { return kind <= DOC_FOOTNOTE_DEF; }

int doc_kind_is_container(doc_kind kind) {
  switch (kind) {
  case DOC_DOCUMENT:
  case DOC_PARAGRAPH:
  case DOC_HEADING:
  case DOC_BLOCK_QUOTE:
  case DOC_LIST:
  case DOC_ITEM:
  case DOC_FIGURE:
  case DOC_EMPH:
  case DOC_STRONG:
  case DOC_LINK:
  case DOC_IMAGE:
  case DOC_TABLE:
  case DOC_TABLE_ROW:
  case DOC_TABLE_CELL:
  case DOC_FOOTNOTE_DEF:
  case DOC_STRIKE:
  case DOC_FOOTNOTE_REF: /* no children, but cmark walks it as a container */
    return 1;
  default:
    return 0;
  }
}

void doc_iter_init(doc_iter *it, doc_node *root) {
  it->root = root;
  it->node = NULL;
  it->ev = DOC_EV_DONE;
  it->skip = 0;
}

doc_event doc_iter_next(doc_iter *it) {
  doc_node *n = it->node;
  if (it->skip) {
    it->skip = 0;
    return it->ev = DOC_EV_EXIT;
  }
  if (!n) {
    it->node = it->root;
    return it->ev = it->root ? DOC_EV_ENTER : DOC_EV_DONE;
  }
  if (it->ev == DOC_EV_ENTER && doc_kind_is_container(n->kind)) {
    if (n->first_child) {
      it->node = n->first_child;
      return it->ev = DOC_EV_ENTER;
    }
    return it->ev = DOC_EV_EXIT;
  }
  if (n == it->root || it->ev == DOC_EV_DONE)
    return it->ev = DOC_EV_DONE;
  if (n->next) {
    it->node = n->next;
    return it->ev = DOC_EV_ENTER;
  }
  it->node = n->parent;
  return it->ev = DOC_EV_EXIT;
}

void doc_iter_skip_children(doc_iter *it) {
  if (it->ev == DOC_EV_ENTER && doc_kind_is_container(it->node->kind))
    it->skip = 1;
}

void doc_plain_text(const doc_node *node, buf *out) {
  doc_iter it;
  doc_iter_init(&it, (doc_node *)node);
  doc_event ev;
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    doc_node *n = it.node;
    if (ev != DOC_EV_ENTER)
      continue;
    switch (n->kind) {
    case DOC_TEXT:
    case DOC_CODE:
    case DOC_CODE_BLOCK:
      buf_put(out, n->text, n->text_len);
      break;
    case DOC_SOFT_BREAK:
    case DOC_LINE_BREAK:
      buf_putc(out, ' ');
      break;
    default:
      break;
    }
  }
}

int doc_outline_depth(const size_t per_level[8]) {
  int keep = 1;
  size_t total = per_level[0] + per_level[1];
  while (keep < 7 && total + per_level[keep + 1] <= DOC_OUTLINE_MAX)
    total += per_level[++keep];
  return keep;
}

/* ytree.c - libyaml events -> a tree of scalars, lists and mappings. */
#include "ytree.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "buf.h"
#include "diag.h"
#include "resource.h"

enum { YTREE_MAX_DEPTH = 32, YTREE_MAX_BYTES = 1 << 20 };

typedef struct {
  const char *path;
  yaml_parser_t parser;
  arena **mem;
} reader;

static ytree *new_node(reader *r, ytree_kind kind, yaml_mark_t at) {
  ytree *n = arena_alloc(r->mem, sizeof *n);
  n->kind = kind;
  n->line = (int)at.line + 1;
  n->col = (int)at.column + 1;
  return n;
}

static void add_child(ytree *parent, ytree *child) {
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
}

/* Next event; a syntax error or an alias is reported and ends the parse. */
static int next_event(reader *r, yaml_event_t *ev) {
  if (!yaml_parser_parse(&r->parser, ev)) {
    yaml_mark_t m = r->parser.problem_mark;
    diag(DIAG_ERROR, r->path, (int)m.line + 1, (int)m.column + 1,
         "malformed style file: %s%s%s",
         r->parser.problem ? r->parser.problem : "syntax error",
         r->parser.context ? " " : "",
         r->parser.context ? r->parser.context : "");
    return -1;
  }
  if (ev->type == YAML_ALIAS_EVENT) {
    diag(DIAG_ERROR, r->path, (int)ev->start_mark.line + 1,
         (int)ev->start_mark.column + 1,
         "YAML aliases (*%s) are not allowed in a style file",
         (const char *)ev->data.alias.anchor);
    yaml_event_delete(ev);
    return -1;
  }
  return 0;
}

/* Reads the value whose first event is ev (consumed here). */
static ytree *read_value(reader *r, yaml_event_t *ev, int depth) {
  if (depth > YTREE_MAX_DEPTH) {
    diag(DIAG_ERROR, r->path, (int)ev->start_mark.line + 1,
         (int)ev->start_mark.column + 1, "style file nested too deeply");
    yaml_event_delete(ev);
    return NULL;
  }
  if (ev->type == YAML_SCALAR_EVENT) {
    ytree *n = new_node(r, YT_SCALAR, ev->start_mark);
    n->text = arena_strndup(r->mem, (const char *)ev->data.scalar.value,
                            ev->data.scalar.length);
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    yaml_event_delete(ev);
    return n;
  }
  int is_map = ev->type == YAML_MAPPING_START_EVENT;
  if (!is_map && ev->type != YAML_SEQUENCE_START_EVENT) {
    yaml_event_delete(ev);
    return NULL;
  }
  ytree *n = new_node(r, is_map ? YT_MAP : YT_LIST, ev->start_mark);
  yaml_event_delete(ev);
  for (;;) {
    yaml_event_t e;
    if (next_event(r, &e) != 0)
      return NULL;
    if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(&e);
      return n;
    }
    const char *key = NULL;
    if (is_map) {
      if (e.type != YAML_SCALAR_EVENT) {
        diag(DIAG_ERROR, r->path, (int)e.start_mark.line + 1,
             (int)e.start_mark.column + 1, "a key must be plain text");
        yaml_event_delete(&e);
        return NULL;
      }
      key = arena_strndup(r->mem, (const char *)e.data.scalar.value,
                          e.data.scalar.length);
      yaml_event_delete(&e);
      if (next_event(r, &e) != 0)
        return NULL;
    }
    ytree *child = read_value(r, &e, depth + 1);
    if (!child)
      return NULL;
    child->key = key;
    add_child(n, child);
  }
}

ytree *ytree_parse(const char *path, const char *text, size_t len,
                   arena **mem) {
  reader r = {.path = path, .mem = mem};
  if (!yaml_parser_initialize(&r.parser)) {
    diag(DIAG_ERROR, path, 0, 0, "cannot start the YAML parser");
    return NULL;
  }
  yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
  ytree *root = NULL;
  yaml_event_t ev;
  int ok = 1;
  while (ok) {
    if (next_event(&r, &ev) != 0) {
      ok = 0;
      break;
    }
    yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&ev);
      break;
    }
    if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT ||
        t == YAML_SCALAR_EVENT) {
      if (root) {
        diag(DIAG_ERROR, path, (int)ev.start_mark.line + 1, 0,
             "a style file holds one YAML document");
        yaml_event_delete(&ev);
        ok = 0;
        break;
      }
      root = read_value(&r, &ev, 0);
      if (!root)
        ok = 0;
      continue;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&r.parser);
  return ok ? root : NULL;
}

ytree *ytree_load(const char *path, arena **mem) {
  /* a FIFO or a device would be waited on, or read without end */
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    diag(DIAG_ERROR, path, 0, 0, "%s",
         S_ISDIR(st.st_mode) ? "a folder, not a style file"
                             : "not a regular file, so not read as a style");
    return NULL;
  }
  size_t len = 0;
  errno = 0;
  char *text = resource_read_file(path, YTREE_MAX_BYTES, &len);
  if (!text) {
    int e = errno;
    diag(DIAG_ERROR, path, 0, 0, "%s%s%s",
         e == EFBIG ? "style file larger than 1 MB"
                    : "cannot read the style file",
         e && e != EFBIG ? ": " : "", e && e != EFBIG ? strerror(e) : "");
    return NULL;
  }
  ytree *root = ytree_parse(path, text, len, mem);
  free(text);
  return root;
}

const ytree *ytree_get(const ytree *m, const char *key) {
  if (!m || m->kind != YT_MAP)
    return NULL;
  for (const ytree *c = m->first; c; c = c->next)
    if (c->key && strcmp(c->key, key) == 0)
      return c;
  return NULL;
}

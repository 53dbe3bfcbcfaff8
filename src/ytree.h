/* ytree.h - a small YAML document tree, for style files.  libyaml gives
 * events; a style is small and read once, so a tree that remembers where
 * each value stands (for messages) is simpler to apply than events.
 * Aliases are refused, so no file can make us expand a "billion laughs". */
#ifndef GALLEY_YTREE_H
#define GALLEY_YTREE_H

#include <stddef.h>

#include "arena.h"

typedef enum { YT_SCALAR, YT_LIST, YT_MAP } ytree_kind;

typedef struct ytree ytree;
struct ytree {
  ytree_kind kind;
  int line, col;    /* 1-based */
  const char *key;  /* in a mapping: this value's key */
  const char *text; /* scalar */
  int quoted;       /* scalar written in quotes */
  ytree *first, *last, *next; /* children (list items, map values) */
};

/* Parses a YAML file holding one document.  NULL after reporting each error
 * as "path:line:col: error: ...".  The tree lives in *mem (free it with
 * arena_free, also after a failure). */
ytree *ytree_load(const char *path, arena **mem);
/* Same, from bytes already in memory; path names them in messages. */
ytree *ytree_parse(const char *path, const char *text, size_t len,
                   arena **mem);

/* The value of key in mapping m, or NULL. */
const ytree *ytree_get(const ytree *m, const char *key);

#endif

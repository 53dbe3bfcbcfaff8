/* arena.c - chunks of 64 KiB; a large request gets a chunk of its own,
 * linked behind the current one so the current chunk's space stays usable. */
#include "arena.h"
#include "oom.h"

#include <stdlib.h>
#include <string.h>

struct arena {
  arena *prev;
  size_t used, cap;
  max_align_t data[];
};

enum { ARENA_CHUNK = 64 * 1024 };

static arena *chunk(size_t cap) {
  arena *a = malloc(sizeof *a + cap);
  if (!a)
    out_of_memory();
  a->prev = NULL;
  a->used = 0;
  a->cap = cap;
  return a;
}

void *arena_alloc(arena **ap, size_t size) {
  size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  arena *a = *ap;
  if (size > ARENA_CHUNK / 4) {
    arena *big = chunk(size);
    big->used = size;
    if (a) {
      big->prev = a->prev;
      a->prev = big;
    } else {
      *ap = big;
    }
    memset(big->data, 0, size);
    return big->data;
  }
  if (!a || a->cap - a->used < size) {
    arena *n = chunk(ARENA_CHUNK);
    n->prev = a;
    *ap = a = n;
  }
  void *p = (char *)a->data + a->used;
  a->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(arena **a, const char *s, size_t len) {
  char *p = arena_alloc(a, len + 1);
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

void arena_free(arena *a) {
  while (a) {
    arena *prev = a->prev;
    free(a);
    a = prev;
  }
}

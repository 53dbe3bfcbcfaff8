/* arena.h - a region allocator: many small allocations, one free. */
#ifndef GALLEY_ARENA_H
#define GALLEY_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Zeroed memory from *a (created on first use).  Aborts when out of memory. */
void *arena_alloc(arena **a, size_t size);
char *arena_strndup(arena **a, const char *s, size_t len);
void arena_free(arena *a);

#endif

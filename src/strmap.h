/* strmap.h - a string -> integer hash map.  Keys are borrowed, not copied:
 * they must outlive the map (in galley they live in a document's arena). */
#ifndef GALLEY_STRMAP_H
#define GALLEY_STRMAP_H

#include <stddef.h>

typedef struct {
  const char **keys;
  int *values;
  size_t cap, used;
} strmap;

/* Sets key to value unless key is present; returns 1 when it was added. */
int strmap_add(strmap *m, const char *key, int value);
/* The value slot of key, or NULL when key is absent. */
int *strmap_slot(strmap *m, const char *key);
/* The value of key, or -1. */
int strmap_get(const strmap *m, const char *key);
void strmap_free(strmap *m);

#endif

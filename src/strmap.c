/* strmap.c - open addressing with linear probing, kept at most half full. */
#include "strmap.h"
#include "oom.h"

#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s) {
  size_t h = 14695981039346656037u; /* FNV-1a */
  while (*s)
    h = (h ^ (unsigned char)*s++) * 1099511628211u;
  return h;
}

static void grow(strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  const char **keys = calloc(cap, sizeof *keys);
  int *values = calloc(cap, sizeof *values);
  if (!keys || !values)
    out_of_memory();
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t j = hash(m->keys[i]) & (cap - 1);
    while (keys[j])
      j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    values[j] = m->values[i];
  }
  free(m->keys);
  free(m->values);
  m->keys = keys;
  m->values = values;
  m->cap = cap;
}

int strmap_add(strmap *m, const char *key, int value) {
  if ((m->used + 1) * 2 > m->cap)
    grow(m);
  size_t j = hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0)
      return 0;
    j = (j + 1) & (m->cap - 1);
  }
  m->keys[j] = key;
  m->values[j] = value;
  m->used++;
  return 1;
}

int *strmap_slot(strmap *m, const char *key) {
  if (!m->cap)
    return NULL;
  size_t j = hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0)
      return &m->values[j];
    j = (j + 1) & (m->cap - 1);
  }
  return NULL;
}

int strmap_get(const strmap *m, const char *key) {
  if (!m->cap)
    return -1;
  size_t j = hash(key) & (m->cap - 1);
  while (m->keys[j]) {
    if (strcmp(m->keys[j], key) == 0)
      return m->values[j];
    j = (j + 1) & (m->cap - 1);
  }
  return -1;
}

void strmap_free(strmap *m) {
  free(m->keys);
  free(m->values);
  memset(m, 0, sizeof *m);
}

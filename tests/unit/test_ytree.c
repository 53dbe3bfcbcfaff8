/* test_ytree.c - style trees compiled into images (src/ytree_image.c): the
 * same tree as parsing, and refused, never trusted, when made from other
 * bytes or damaged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resource.h"
#include "test.h"
#include "ytree_image.h"

/* 1 when a and b hold the same nodes, keys, texts and positions. */
static int same_tree(const ytree *a, const ytree *b) {
  for (; a && b; a = a->next, b = b->next) {
    if (a->kind != b->kind || a->line != b->line || a->col != b->col ||
        a->quoted != b->quoted || !a->key != !b->key ||
        (a->key && strcmp(a->key, b->key) != 0) || !a->text != !b->text ||
        (a->text && strcmp(a->text, b->text) != 0) ||
        !same_tree(a->first, b->first))
      return 0;
    const ytree *la = a->first, *lb = b->first;
    while (la && la->next)
      la = la->next;
    while (lb && lb->next)
      lb = lb->next;
    if ((la != NULL) != (a->last != NULL) || la != a->last ||
        (lb != NULL) != (b->last != NULL) || lb != b->last)
      return 0;
  }
  return !a && !b;
}

static void write_bytes(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(p, 1, n, f);
    fclose(f);
  }
}

static uint32_t fnv32(const void *p, size_t len, uint32_t h) {
  const unsigned char *b = p;
  for (size_t i = 0; i < len; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

/* The image bytes b (n) with the body hash made to agree, as a file made
 * to pass that check would be; then loaded over text: 1 accepted. */
static int accepted(unsigned char *b, size_t n, const char *path,
                    const char *text, size_t len, int fix_hash) {
  if (fix_hash && n >= sizeof(ytree_image_header)) {
    ytree_image_header h;
    memcpy(&h, b, sizeof h);
    h.body_hash = fnv32(b + sizeof h, n - sizeof h, 2166136261u);
    memcpy(b, &h, sizeof h);
  }
  write_bytes(path, b, n);
  arena *mem = NULL;
  ytree *t = ytree_image_load(path, text, len, &mem);
  /* walk it all, as style loading would (ASan sees any stray pointer) */
  const ytree *w = t;
  for (const ytree *stack[64], **top = stack; w;) {
    if (w->first && top < stack + 64)
      *top++ = w->next, w = w->first;
    else if (w->next)
      w = w->next;
    else {
      w = NULL;
      while (!w && top > stack)
        w = *--top;
    }
  }
  arena_free(mem);
  return t != NULL;
}

void test_ytree_image_same_and_hostile(void) {
  const char *root = getenv("GALLEY_ROOT");
  char yaml[4096], dir[] = "/tmp/galley-ytree-XXXXXX", image[64], bad[64];
  snprintf(yaml, sizeof yaml, "%s/styles/article.yaml", root ? root : ".");
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(image, sizeof image, "%s/article.ytree", dir);
  snprintf(bad, sizeof bad, "%s/bad.ytree", dir);
  CHECK(ytree_image_write(yaml, image) == 0);
  size_t len = 0, n = 0;
  char *text = resource_read_file(yaml, 1 << 20, &len);
  unsigned char *img = (unsigned char *)resource_read_file(image, 1 << 24, &n);
  CHECK(text && img);
  if (!text || !img) {
    free(text);
    free(img);
    return;
  }
  /* the same tree as the parse */
  arena *m1 = NULL, *m2 = NULL;
  ytree *parsed = ytree_parse(yaml, text, len, &m1);
  ytree *loaded = ytree_image_load(image, text, len, &m2);
  CHECK(parsed && loaded && same_tree(parsed, loaded));
  CHECK(loaded && loaded->kind == YT_MAP &&
        ytree_get(loaded, "sizes") != NULL);
  arena_free(m1);
  arena_free(m2);

  unsigned char *b = malloc(n + 1);
  if (!b)
    abort();
  /* the file changed by one byte, or a byte more: refused */
  text[len / 2] ^= 1;
  memcpy(b, img, n);
  CHECK(accepted(b, n, bad, text, len, 0) == 0);
  text[len / 2] ^= 1;
  CHECK(accepted(b, n, bad, text, len - 1, 0) == 0);
  /* truncated, or a byte added */
  CHECK(accepted(b, n - 1, bad, text, len, 0) == 0);
  CHECK(accepted(b, sizeof(ytree_image_header) - 1, bad, text, len, 0) == 0);
  b[n] = 0;
  CHECK(accepted(b, n + 1, bad, text, len, 0) == 0);
  /* a damaged byte in the body: the hash refuses it */
  memcpy(b, img, n);
  b[n - 10] ^= 0x40;
  CHECK(accepted(b, n, bad, text, len, 0) == 0);
  CHECK(accepted(b, n, bad, text, len, 1) == 1); /* a string byte: harmless */

  /* structure made wrong with the hash made to agree: refused */
  size_t nodes_at = sizeof(ytree_image_header);
  ytree_image_header h;
  memcpy(&h, img, sizeof h);
#define NODE_CASE(i, field, value)                                             \
  do {                                                                         \
    ytree_image_node r;                                                        \
    memcpy(b, img, n);                                                         \
    memcpy(&r, b + nodes_at + (i) * sizeof r, sizeof r);                       \
    r.field = value;                                                           \
    memcpy(b + nodes_at + (i) * sizeof r, &r, sizeof r);                       \
    CHECK(accepted(b, n, bad, text, len, 1) == 0);                             \
  } while (0)
  NODE_CASE(0, next, 1);                 /* the root has siblings */
  NODE_CASE(0, first, 0);                /* itself as its child */
  NODE_CASE(1, next, 1);                 /* itself as its sibling */
  NODE_CASE(2, next, 1);                 /* backwards */
  NODE_CASE(1, next, h.n_nodes);         /* past the end */
  NODE_CASE(0, first, 2);                /* node 1 reached by nobody */
  NODE_CASE(1, key, h.strings_len);      /* a string past the block */
  NODE_CASE(1, key, 0xfffffffeu);
  NODE_CASE(1, kind, 7);
  NODE_CASE(1, key, YTREE_IMAGE_NONE);   /* a mapping's value without a key */
  NODE_CASE(0, key, 0);                  /* the root with one */
  NODE_CASE(1, quoted, 2);
  memcpy(b, img, n);
  memset(b + n - h.strings_len, 'x', h.strings_len); /* strings not ended */
  CHECK(accepted(b, n, bad, text, len, 1) == 0);

  /* random damage with the hash made to agree: accepted or refused, and
   * what is accepted is a tree every walk of which ends */
  uint32_t seed = 99;
  int taken = 0;
  for (int round = 0; round < 2000; round++) {
    memcpy(b, img, n);
    for (int k = 0; k < 1 + round % 3; k++) {
      seed = seed * 1664525u + 1013904223u;
      size_t at = nodes_at + (seed >> 8) % (n - nodes_at);
      seed = seed * 1664525u + 1013904223u;
      b[at] = (unsigned char)(seed >> 24);
    }
    taken += accepted(b, n, bad, text, len, 1);
  }
  CHECK(taken < 2000);
  free(b);
  free(img);
  free(text);
  remove(bad);
  remove(image);
  rmdir(dir);
}

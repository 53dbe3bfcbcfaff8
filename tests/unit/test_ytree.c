/* test_ytree.c - style files through libyaml (src/ytree.c): a file loads
 * as its bytes parse, and a style file edited on disk is read as it is
 * now, never from an earlier copy. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "resource.h"
#include "test.h"
#include "ytree.h"

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

static buf said;
static void capture(const char *line) { buf_puts(&said, line); }

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

void test_ytree_load_as_parsed(void) {
  const char *root = getenv("GALLEY_ROOT");
  char yaml[4096];
  snprintf(yaml, sizeof yaml, "%s/styles/article.yaml", root ? root : ".");
  size_t len = 0;
  char *text = resource_read_file(yaml, 1 << 20, &len);
  CHECK(text != NULL);
  if (!text)
    return;
  /* the built-in style from its file: the tree its bytes parse to */
  arena *m1 = NULL, *m2 = NULL;
  ytree *parsed = ytree_parse(yaml, text, len, &m1);
  ytree *loaded = ytree_load(yaml, &m2);
  CHECK(parsed && loaded && same_tree(parsed, loaded));
  CHECK(loaded && loaded->kind == YT_MAP &&
        ytree_get(loaded, "sizes") != NULL);
  arena_free(m1);
  arena_free(m2);
  free(text);

  /* a style file changed on disk, even within the same second and to the
   * same length, is read as it is now */
  char dir[] = "/tmp/galley-ytree-XXXXXX", path[64];
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(path, sizeof path, "%s/house.yaml", dir);
  write_text(path, "name: first\n");
  arena *m3 = NULL;
  ytree *a = ytree_load(path, &m3);
  const ytree *name = ytree_get(a, "name");
  CHECK(name && name->text && strcmp(name->text, "first") == 0);
  write_text(path, "name: secnd\n");
  ytree *b = ytree_load(path, &m3);
  name = ytree_get(b, "name");
  CHECK(name && name->text && strcmp(name->text, "secnd") == 0);
  /* damaged YAML is refused, not half read */
  write_text(path, "name: [unclosed\n");
  diag_set_sink(capture);
  CHECK(ytree_load(path, &m3) == NULL);
  diag_set_sink(NULL);
  CHECK(said.data && strstr(said.data, "house.yaml:2:1: error: malformed"));
  buf_free(&said);
  arena_free(m3);
  remove(path);
  rmdir(dir);
}

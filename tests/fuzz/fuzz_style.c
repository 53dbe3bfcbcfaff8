/* fuzz_style.c - libFuzzer target: any bytes as style files through the
 * style loader (src/style.c, src/ytree.c).
 *
 * The input is one or more files separated by lines "@file": the first is
 * style.yaml, the k-th part<k>.yaml, all in a private temporary folder, so
 * `extends: part1.yaml` reaches the next one (and `extends: article` the
 * built-in styles of $GALLEY_ROOT/styles, default ./styles).  The first
 * file is also parsed from memory, which must give the tree loading the
 * file gives.  A style that loads is turned into the EPUB's stylesheet at each size.
 * Nothing is written outside the temporary folder. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "css.h"
#include "diag.h"
#include "style.h"
#include "ytree.h"

enum { MAX_PARTS = 4 };

static char dir[4096];
static char styles_dir[4096];

static void path_of(char *out, size_t size, int part, const char *ext) {
  if (part == 0)
    snprintf(out, size, "%s/style.%s", dir, ext);
  else
    snprintf(out, size, "%s/part%d.%s", dir, part, ext);
}

static void remove_all(void) {
  char p[4200];
  for (int i = 0; i < MAX_PARTS; i++) {
    path_of(p, sizeof p, i, "yaml");
    remove(p);
  }
  rmdir(dir);
}

static void setup(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/galley-fuzz-style-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir))
    abort();
  atexit(remove_all);
  const char *root = getenv("GALLEY_ROOT");
  snprintf(styles_dir, sizeof styles_dir, "%s/styles", root ? root : ".");
}

static void write_file(const char *path, const void *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    abort();
  if (len && fwrite(bytes, 1, len, f) != len)
    abort();
  if (fclose(f) != 0)
    abort();
}

static int same_text(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* Two trees alike in every field ytree.h names; the depth is bounded by
 * the parser's limit. */
static int same_tree(const ytree *a, const ytree *b) {
  for (; a && b; a = a->next, b = b->next) {
    if (a->kind != b->kind || a->line != b->line || a->col != b->col ||
        a->quoted != b->quoted || !same_text(a->key, b->key) ||
        !same_text(a->text, b->text) || !same_tree(a->first, b->first))
      return 0;
    const ytree *last = a->first;
    while (last && last->next)
      last = last->next;
    if (last != a->last)
      return 0;
  }
  return !a && !b;
}

/* The first file from memory, then loaded from the file: the same tree. */
static void round_trip(const char *text, size_t len) {
  arena *mem = NULL, *mem2 = NULL;
  ytree *root = ytree_parse("fuzz.yaml", text, len, &mem);
  if (root) {
    char yaml[4200];
    path_of(yaml, sizeof yaml, 0, "yaml");
    ytree *back = ytree_load(yaml, &mem2);
    if (!back || !same_tree(root, back))
      abort(); /* the file read otherwise than its bytes */
  }
  arena_free(mem);
  arena_free(mem2);
}

static void use_style(style *s) {
  buf css = {0};
  for (int z = 0; z < STYLE_SIZE_COUNT; z++) {
    css.len = 0;
    css_write(s, (style_size)z, &css);
    int lines, chars;
    style_grid(s, (style_size)z, &lines, &chars);
  }
  for (int r = 0; r < DOC_ROLE_COUNT; r++)
    if (style_role_fonts(s, (doc_role)r)->n < 1)
      abort(); /* every role has a font list to resolve */
  buf_free(&css);
}

/* Messages are what a user would read; here they would only fill the log. */
static void discard(const char *line) { (void)line; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag_set_quiet(1);
  diag_set_sink(discard);
  if (!dir[0])
    setup();
  char path[4200];
  for (int i = 0; i < MAX_PARTS; i++) {
    path_of(path, sizeof path, i, "yaml");
    remove(path);
  }
  static const char sep[] = "\n@file\n";
  const char *p = (const char *)data, *end = p + size;
  for (int i = 0; i < MAX_PARTS; i++) {
    const char *next = NULL;
    for (const char *q = p; i + 1 < MAX_PARTS && q + sizeof sep - 1 <= end;
         q++)
      if (memcmp(q, sep, sizeof sep - 1) == 0) {
        next = q;
        break;
      }
    size_t len = (size_t)((next ? next : end) - p);
    path_of(path, sizeof path, i, "yaml");
    write_file(path, p, len);
    if (i == 0)
      round_trip(p, len);
    if (!next)
      break;
    p = next + sizeof sep - 1;
  }
  path_of(path, sizeof path, 0, "yaml");
  style *s = style_load(path, styles_dir);
  if (s) {
    use_style(s);
    /* a font option on top, as --font gives it */
    style_set_fonts(s, DOC_ROLE_H2, "A, B ,, C", "--font");
    style_free(s);
  }
  return 0;
}

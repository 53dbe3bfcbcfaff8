/* ytree_image.c - style trees compiled at build time (ytree_image.h). */
#include "ytree_image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "buf.h"
#include "diag.h"
#include "resource.h"

/* What a parsed file may hold (ytree.c refuses more). */
enum { MAX_NODES = 1 << 20, MAX_STRINGS = 1 << 24, MAX_DEPTH = 40 };

uint64_t ytree_image_hash64(const void *p, size_t len) {
  const unsigned char *b = p;
  uint64_t h = 14695981039346656037u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ b[i]) * 1099511628211u;
  return h;
}

uint32_t ytree_image_hash32(const void *p, size_t len, uint32_t h) {
  const unsigned char *b = p;
  for (size_t i = 0; i < len; i++)
    h = (h ^ b[i]) * 16777619u;
  return h;
}

/* ---- writing ---- */

typedef struct {
  buf nodes, strings;
  uint32_t n;
} image;

static uint32_t add_string(image *im, const char *s) {
  if (!s)
    return YTREE_IMAGE_NONE;
  uint32_t at = (uint32_t)im->strings.len;
  buf_put(&im->strings, s, strlen(s) + 1);
  return at;
}

/* Writes t and its subtree in preorder; returns t's index. */
static uint32_t add_node(image *im, const ytree *t) {
  uint32_t self = im->n++;
  size_t at = im->nodes.len;
  ytree_image_node rec = {(uint32_t)t->kind, (uint32_t)t->quoted,
                          t->line, t->col,
                          add_string(im, t->key), add_string(im, t->text),
                          YTREE_IMAGE_NONE, YTREE_IMAGE_NONE};
  buf_put(&im->nodes, &rec, sizeof rec);
  uint32_t prev = YTREE_IMAGE_NONE;
  for (const ytree *c = t->first; c; c = c->next) {
    uint32_t child = add_node(im, c);
    if (prev == YTREE_IMAGE_NONE)
      rec.first = child;
    else {
      ytree_image_node p;
      memcpy(&p, im->nodes.data + prev * sizeof p, sizeof p);
      p.next = child;
      memcpy(im->nodes.data + prev * sizeof p, &p, sizeof p);
    }
    prev = child;
  }
  memcpy(im->nodes.data + at, &rec, sizeof rec);
  return self;
}

int ytree_image_write(const char *yaml_path, const char *image_path) {
  size_t len = 0;
  char *text = resource_read_file(yaml_path, MAX_STRINGS, &len);
  if (!text) {
    diag(DIAG_ERROR, yaml_path, 0, 0, "cannot read the style file");
    return -1;
  }
  arena *mem = NULL;
  ytree *root = ytree_parse(yaml_path, text, len, &mem);
  int rc = -1;
  if (root) {
    image im = {0};
    add_node(&im, root);
    ytree_image_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, YTREE_IMAGE_MAGIC, sizeof h.magic);
    h.version = YTREE_IMAGE_VERSION;
    h.n_nodes = im.n;
    h.src_len = len;
    h.src_hash = ytree_image_hash64(text, len);
    h.strings_len = (uint32_t)im.strings.len;
    h.body_hash = ytree_image_hash32(im.strings.data, im.strings.len,
                        ytree_image_hash32(im.nodes.data, im.nodes.len, 2166136261u));
    buf tmp = {0};
    buf_printf(&tmp, "%s.tmp", image_path);
    FILE *f = fopen(tmp.data, "wb");
    if (f) {
      fwrite(&h, sizeof h, 1, f);
      fwrite(im.nodes.data, 1, im.nodes.len, f);
      if (im.strings.len)
        fwrite(im.strings.data, 1, im.strings.len, f);
      rc = ferror(f) | fclose(f) ? -1 : 0;
    }
    if (rc == 0 && rename(tmp.data, image_path) != 0)
      rc = -1;
    if (rc != 0) {
      diag(DIAG_ERROR, image_path, 0, 0, "cannot write the style image");
      remove(tmp.data);
    }
    buf_free(&tmp);
    buf_free(&im.nodes);
    buf_free(&im.strings);
  }
  arena_free(mem);
  free(text);
  return rc;
}

/* ---- loading ---- */

#define REFUSE_IF(cond)                                                        \
  do {                                                                         \
    if (cond)                                                                  \
      goto refuse;                                                             \
  } while (0)

/* The tree from the image's bytes, or NULL. */
static ytree *build(const char *base, size_t size, const char *text,
                    size_t len, arena **mem) {
  unsigned char *depth = NULL;
  ytree_image_header h;
  REFUSE_IF(size < sizeof h);
  memcpy(&h, base, sizeof h);
  REFUSE_IF(memcmp(h.magic, YTREE_IMAGE_MAGIC, sizeof h.magic) != 0 ||
            h.version != YTREE_IMAGE_VERSION);
  REFUSE_IF(h.src_len != len || h.src_hash != ytree_image_hash64(text, len));
  REFUSE_IF(h.n_nodes < 1 || h.n_nodes > MAX_NODES ||
            h.strings_len > MAX_STRINGS);
  size_t nodes_len = (size_t)h.n_nodes * sizeof(ytree_image_node);
  REFUSE_IF(sizeof h + nodes_len + h.strings_len != size);
  const char *nodes_at = base + sizeof h, *strings = nodes_at + nodes_len;
  REFUSE_IF(h.strings_len && strings[h.strings_len - 1] != '\0');
  REFUSE_IF(ytree_image_hash32(strings, h.strings_len,
                  ytree_image_hash32(nodes_at, nodes_len, 2166136261u)) != h.body_hash);
  size_t n = h.n_nodes;
  /* depth[i]: node i's depth + 1 once something reaches it (0: not yet);
   * in_map[i]: node i is a mapping's value, which has a key (the style
   * code reads keys without checking), while list items and the root have
   * none */
  depth = calloc(2 * n, 1);
  if (!depth)
    abort();
  unsigned char *in_map = depth + n;
  depth[0] = 1;
  char *str = arena_alloc(mem, h.strings_len ? h.strings_len : 1);
  memcpy(str, strings, h.strings_len);
  ytree *t = arena_alloc(mem, n * sizeof *t);
  for (size_t i = 0; i < n; i++) {
    ytree_image_node r;
    memcpy(&r, nodes_at + i * sizeof r, sizeof r);
    /* reached from an earlier node, before; each index reached once and
     * only forwards, so the tree is a tree and every walk ends */
    REFUSE_IF(depth[i] == 0 || r.kind > YT_MAP || r.quoted > 1);
    REFUSE_IF(r.key != YTREE_IMAGE_NONE && r.key >= h.strings_len);
    REFUSE_IF((r.key != YTREE_IMAGE_NONE) != in_map[i]);
    REFUSE_IF(r.text != YTREE_IMAGE_NONE && r.text >= h.strings_len);
    REFUSE_IF((r.text != YTREE_IMAGE_NONE) != (r.kind == YT_SCALAR));
    REFUSE_IF(r.first != YTREE_IMAGE_NONE &&
              (r.kind == YT_SCALAR || r.first <= i || r.first >= n ||
               depth[r.first] || depth[i] >= MAX_DEPTH));
    if (r.first != YTREE_IMAGE_NONE) {
      depth[r.first] = (unsigned char)(depth[i] + 1);
      in_map[r.first] = r.kind == YT_MAP;
    }
    REFUSE_IF(r.next != YTREE_IMAGE_NONE &&
              (i == 0 || r.next <= i || r.next >= n || depth[r.next]));
    if (r.next != YTREE_IMAGE_NONE) {
      depth[r.next] = depth[i];
      in_map[r.next] = in_map[i];
    }
    t[i] = (ytree){(ytree_kind)r.kind,
                   r.line,
                   r.col,
                   r.key == YTREE_IMAGE_NONE ? NULL : str + r.key,
                   r.text == YTREE_IMAGE_NONE ? NULL : str + r.text,
                   (int)r.quoted,
                   r.first == YTREE_IMAGE_NONE ? NULL : &t[r.first],
                   NULL,
                   r.next == YTREE_IMAGE_NONE ? NULL : &t[r.next]};
  }
  /* each list's last child, which ytree keeps */
  for (size_t i = 0; i < n; i++)
    for (ytree *c = t[i].first; c; c = c->next)
      t[i].last = c;
  free(depth);
  return &t[0];
refuse:
  free(depth);
  return NULL;
}

ytree *ytree_image_load(const char *image_path, const char *text, size_t len,
                        arena **mem) {
  size_t size = 0;
  const void *map = resource_map_file(
      image_path, sizeof(ytree_image_header), (size_t)MAX_STRINGS * 2, &size);
  if (!map)
    return NULL;
  ytree *root = build(map, size, text, len, mem);
  munmap((void *)map, size);
  return root;
}

/* ytree_image.h - style trees compiled at build time.
 *
 * libyaml's scanner reads about 200 instructions a byte: parsing the
 * built-in article style took 1.2 M instructions of every run, as much as
 * reading the article and a seventh of writing an EPUB.  `make` writes the
 * tree of each built-in style into an image (build/styles/NAME.ytree,
 * installed beside the .yaml), and loading a style file uses the image
 * when it was made from exactly the file's bytes. */
#ifndef GALLEY_YTREE_IMAGE_H
#define GALLEY_YTREE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "ytree.h"

/* Parses the YAML file yaml_path and writes its tree to image_path
 * (through a temporary file renamed into place).  0, or -1 after
 * reporting. */
/* The image's hashes, FNV-1a: 64 bits of the source text, 32 of the body
 * (h the starting value); the fuzz target makes images that pass them. */
uint64_t ytree_image_hash64(const void *p, size_t len);
uint32_t ytree_image_hash32(const void *p, size_t len, uint32_t h);

int ytree_image_write(const char *yaml_path, const char *image_path);

/* The tree of the YAML text[0..len) from the image at image_path, when the
 * image was made from exactly these bytes (their length and a 64-bit hash
 * agree) and is sound: every index and offset in range, each node reached
 * once and from an earlier one, no deeper than a parsed file may be.  NULL
 * otherwise (missing, made from other bytes, damaged), and the caller
 * parses the text.  The nodes and their strings go into *mem. */
ytree *ytree_image_load(const char *image_path, const char *text, size_t len,
                        arena **mem);

/* The image format, native byte order (made where it is used).  Nodes are
 * in preorder from the root, node 0, so a node's first child and next
 * sibling come after it; strings are NUL-terminated in one block. */
#define YTREE_IMAGE_MAGIC "galleyYT"
#define YTREE_IMAGE_VERSION 1u
#define YTREE_IMAGE_NONE 0xffffffffu
typedef struct {
  char magic[8];
  uint32_t version, n_nodes;
  uint64_t src_len, src_hash; /* the YAML bytes: length, FNV-1a */
  uint32_t strings_len, body_hash; /* FNV-1a (32) of nodes and strings */
} ytree_image_header;
typedef struct {
  uint32_t kind, quoted;
  int32_t line, col;
  uint32_t key, text;  /* offsets into the strings, or NONE */
  uint32_t first, next; /* node indices, or NONE */
} ytree_image_node;

#endif

/* hyph_load.h - loading libhyphen pattern files quickly.
 *
 * libhyphen's own loader takes about 13 ms for the English patterns (a
 * hash table of every prefix, a malloc for each state); this one builds the
 * same state machine from a trie in well under a millisecond.  Files it
 * does not handle the same way (several levels, replacement patterns, very
 * long lines) go to libhyphen's loader.
 *
 * Faster still is an image of the state machine written at build time
 * (hyph_image_write) and mapped at run time (hyph_load_image): once
 * checked, its states, transitions and match strings are walked where they
 * lie by hyph_word, which gives the hyphens hnj_hyphen_hyphenate3 would;
 * nothing is copied or built.  Patterns from a .dic go through libhyphen. */
#ifndef GALLEY_HYPH_LOAD_H
#define GALLEY_HYPH_LOAD_H

#include <stdint.h>

#include <hyphen.h>

typedef struct hyph_patterns hyph_patterns;

/* NULL when the file cannot be read. */
hyph_patterns *hyph_load(const char *path);
/* libhyphen's dictionary, for hnj_hyphen_hyphenate3; NULL for patterns
 * from an image, whose states are read in place by hyph_word. */
HyphenDict *hyph_dict(const hyph_patterns *p);

/* Longest word hyph_word takes, plus one. */
enum { HYPH_MAX_WORD = 75 };

/* Where word (len lowercase ASCII letters, NUL-terminated) may break:
 * hyphens[i] odd after letter i, as
 * hnj_hyphen_hyphenate3(dict, word, len, hyphens, ..., 2, 3, 2, 3) gives
 * them; hyphens holds len + 5 bytes.  0, or -1 when none can be given (a
 * non-standard hyphenation, a word too long). */
int hyph_word(const hyph_patterns *p, const char *word, size_t len,
              char *hyphens);
void hyph_free(hyph_patterns *p);

/* Writes the image of the patterns in dic_path to image_path (through a
 * temporary file renamed into place, so a process that has the old image
 * mapped keeps it whole).  0 when written; 1 when the file is one that goes
 * to libhyphen's loader, which has no image (nothing is written); -1 on an
 * error, said on stderr. */
int hyph_image_write(const char *dic_path, const char *image_path);

/* The patterns from the image at image_path when it is a sound image of
 * dic_path as that file is now (same size and modification time); NULL
 * when it is missing, stale, truncated or damaged (its header's counts
 * and sizes, or the CRC of the rest, do not agree), and the caller then
 * loads dic_path itself.  Its states are then read where they lie, nothing
 * copied or built, and the walk over them checks every state number,
 * transition and match it uses, so that even an image made to pass these
 * checks cannot take it out of bounds or into a loop. */
hyph_patterns *hyph_load_image(const char *image_path, const char *dic_path);

/* The image's layout, native byte order (a file for this machine, made
 * where it is built): the header, then n_states state records, n_trans
 * HyphenTrans as libhyphen declares them, matches_len bytes of match
 * strings, each NUL-terminated, and nothing after.  States are in
 * breadth-first order from the root, state 0.  Files with a NOHYPHEN list
 * of their own have no image. */
#define HYPH_IMAGE_MAGIC "galleyHY"
#define HYPH_IMAGE_VERSION 2u
#define HYPH_IMAGE_BYTE_ORDER 0x01020304u
#define HYPH_IMAGE_NO_MATCH 0xffffffffu
typedef struct {
  char magic[8];
  uint64_t src_size; /* the .dic it was made from, as stat gave them */
  int64_t src_mtime_s, src_mtime_ns;
  uint32_t version, byte_order;
  uint32_t trans_size, trans_ch_at, trans_state_at; /* HyphenTrans layout */
  uint32_t n_states, n_trans, matches_len;
  uint32_t body_crc; /* CRC-32 of everything after the header */
  int32_t lhmin, rhmin, clhmin, crhmin, utf8;
  char cset[MAX_NAME];
} hyph_image_header;
typedef struct {
  uint32_t match;     /* offset into the match strings, or NO_MATCH */
  uint32_t trans;     /* index of its first transition */
  uint32_t num_trans; /* transitions trans .. trans + num_trans - 1 */
  int32_t fallback;   /* -1 for the root */
} hyph_image_state;

#endif

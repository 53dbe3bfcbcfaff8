/* hyph_load.h - loading libhyphen pattern files quickly.
 *
 * libhyphen's own loader takes about 13 ms for the English patterns (a
 * hash table of every prefix, a malloc for each state); this one builds the
 * same state machine from a trie in well under a millisecond.  Files it
 * does not handle the same way (several levels, replacement patterns, very
 * long lines) go to libhyphen's loader. */
#ifndef GALLEY_HYPH_LOAD_H
#define GALLEY_HYPH_LOAD_H

#include <hyphen.h>

typedef struct hyph_patterns hyph_patterns;

/* NULL when the file cannot be read. */
hyph_patterns *hyph_load(const char *path);
/* For hnj_hyphen_hyphenate3. */
HyphenDict *hyph_dict(const hyph_patterns *p);
void hyph_free(hyph_patterns *p);

#endif

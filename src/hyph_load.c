/* hyph_load.c - libhyphen's state machine, built from a trie.
 *
 * libhyphen makes one state for every prefix of every pattern's letters,
 * with transitions letter by letter and, for each state, a fallback to the
 * state of its longest proper suffix that is also a state.  The prefixes
 * are a trie's nodes and the fallbacks its failure links (Aho-Corasick),
 * which one pass over the trie, breadth first, computes.  Everything else
 * (the keywords, how a pattern line is read, the default compound level
 * libhyphen puts on top of a one-level file) follows hyphen.c line for
 * line, so hnj_hyphen_hyphenate3 gives the same answers. */
#include "hyph_load.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "buf.h"
#include "oom.h"
#include "resource.h"

/* What libhyphen's loader reads a line with: fgets into 100 bytes. */
enum { LINE_MAX_CHARS = MAX_CHARS };
/* Pattern files are some hundred kilobytes; a larger one goes to
 * libhyphen's own loader. */
enum { MAX_DIC_BYTES = 16 << 20 };

/* One level of patterns, and the blocks its states point into. */
typedef struct {
  HyphenDict *dict;
  HyphenTrans *trans; /* NULL when in the image */
  char *matches;      /* NULL when in the image */
  size_t matches_len;
} level;

/* Limits past any real pattern file, so sizes cannot overflow. */
enum { IMAGE_MAX_STATES = 1 << 24, IMAGE_MAX_BYTES = 1 << 28, MAX_DEPTH = 127 };

/* An image's state machine, read where it lies (hyph_word). */
typedef struct {
  const hyph_image_state *states;
  const HyphenTrans *trans;
  const char *matches; /* ends in a NUL */
  uint32_t n_states, n_trans, matches_len;
  int lhmin, rhmin;
} image_machine;

struct hyph_patterns {
  HyphenDict *top; /* NULL for an image */
  int own;         /* built here; else libhyphen's */
  level levels[2];
  image_machine image;
  void *map; /* the image */
  size_t map_len;
};

/* The trie while patterns go in: node 0 is the empty prefix, each node's
 * children a list.  The arrays are sized once, for a node per byte of the
 * file at most: pages never touched cost nothing, and nothing is copied. */
typedef struct {
  int *child, *sibling, *match; /* match: offset into matches, or -1 */
  char *label;
  signed char *replcut;
  size_t n, cap;
  buf matches;
  HyphenDict *dict; /* keywords land here */
  char prev[LINE_MAX_CHARS]; /* the last pattern's letters */
  int prev_len;
  int path[LINE_MAX_CHARS + 1]; /* path[k]: its node after k letters */
} trie;

static int new_node(trie *t, char label) {
  if (t->n == t->cap) { /* not reached when the size was right */
    t->cap = t->cap ? t->cap * 2 : 64;
    t->child = realloc(t->child, t->cap * sizeof *t->child);
    t->sibling = realloc(t->sibling, t->cap * sizeof *t->sibling);
    t->match = realloc(t->match, t->cap * sizeof *t->match);
    t->label = realloc(t->label, t->cap);
    t->replcut = realloc(t->replcut, t->cap);
    if (!t->child || !t->sibling || !t->match || !t->label || !t->replcut)
      out_of_memory();
  }
  size_t k = t->n++;
  t->child[k] = t->sibling[k] = t->match[k] = -1;
  t->label[k] = label;
  t->replcut[k] = 0;
  return (int)k;
}

static void trie_init(trie *t, HyphenDict *dict, size_t max_nodes) {
  memset(t, 0, sizeof *t);
  t->dict = dict;
  t->cap = max_nodes;
  t->child = malloc(max_nodes * sizeof *t->child);
  t->sibling = malloc(max_nodes * sizeof *t->sibling);
  t->match = malloc(max_nodes * sizeof *t->match);
  t->label = malloc(max_nodes);
  t->replcut = malloc(max_nodes);
  if (!t->child || !t->sibling || !t->match || !t->label || !t->replcut)
    out_of_memory();
  new_node(t, 0);
}

static int find_child(const trie *t, int node, char c) {
  for (int k = t->child[node]; k >= 0; k = t->sibling[k])
    if (t->label[k] == c)
      return k;
  return -1;
}

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (!d)
    out_of_memory();
  memcpy(d, s, n);
  return d;
}

/* The keyword lines of hnj_hyphen_load_line; 0 when line is none. */
static int keyword(HyphenDict *d, const char *line) {
  if (strncmp(line, "LEFTHYPHENMIN", 13) == 0)
    d->lhmin = (char)atoi(line + 13);
  else if (strncmp(line, "RIGHTHYPHENMIN", 14) == 0)
    d->rhmin = (char)atoi(line + 14);
  else if (strncmp(line, "COMPOUNDLEFTHYPHENMIN", 21) == 0)
    d->clhmin = (char)atoi(line + 21);
  else if (strncmp(line, "COMPOUNDRIGHTHYPHENMIN", 22) == 0)
    d->crhmin = (char)atoi(line + 22);
  else if (strncmp(line, "NOHYPHEN", 8) == 0) {
    const char *space = line + 8;
    while (*space == ' ' || *space == '\t')
      space++;
    free(d->nohyphen);
    d->nohyphen = dup_str(space);
    /* the last character (the newline) goes; commas split the list */
    char *nhe = d->nohyphen + strlen(d->nohyphen) - 1;
    if (nhe >= d->nohyphen) {
      *nhe = '\0';
      for (nhe = nhe - 1; nhe > d->nohyphen; nhe--)
        if (*nhe == ',') {
          d->nohyphenl++;
          *nhe = '\0';
        }
    }
  } else
    return 0;
  return 1;
}

/* hnj_hyphen_load_line without replacement patterns (the caller sends
 * files with those to libhyphen). */
static void load_line(trie *t, const char *line) {
  if (strchr("LRCN", line[0]) && keyword(t->dict, line))
    return; /* patterns are lower case: only these letters start keywords */
  char word[LINE_MAX_CHARS], pattern[LINE_MAX_CHARS + 1];
  int j = 0;
  pattern[0] = '0';
  for (int i = 0; (unsigned char)line[i] > (unsigned char)' '; i++) {
    if (line[i] >= '0' && line[i] <= '9') {
      pattern[j] = line[i];
    } else {
      word[j] = line[i];
      pattern[++j] = '0';
    }
  }
  word[j] = '\0';
  pattern[j + 1] = '\0';
  int i = 0;
  while (pattern[i] == '0')
    i++; /* leading zeros say nothing */
  /* Patterns come roughly in order: the prefix shared with the previous
   * word is walked already, and once a node is missing so are all below. */
  int k = 0;
  while (k < j && k < t->prev_len && t->prev[k] == word[k])
    k++;
  int node = t->path[k], found = 1;
  for (; k < j; k++) {
    int next = found ? find_child(t, node, word[k]) : -1;
    if (next < 0) {
      found = 0;
      next = new_node(t, word[k]);
      t->sibling[next] = t->child[node];
      t->child[node] = next;
    }
    node = next;
    t->path[k + 1] = node;
  }
  memcpy(t->prev, word, (size_t)j);
  t->prev_len = j;
  t->match[node] = (int)t->matches.len;
  buf_put(&t->matches, pattern + i, strlen(pattern + i) + 1);
  t->replcut[node] = (signed char)strlen(word);
}

static int trans_to(const HyphenState *s, char c) {
  for (int i = 0; i < s->num_trans; i++)
    if (s->trans[i].ch == c)
      return s->trans[i].new_state;
  return -1;
}

/* The trie as libhyphen's states: transitions in one block, fallbacks
 * from a breadth-first walk. */
static void finish(trie *t, level *lv) {
  HyphenDict *d = lv->dict;
  size_t n = t->n;
  d->num_states = (int)n;
  d->states = calloc(n, sizeof *d->states);
  lv->trans = malloc(n * sizeof *lv->trans);
  int *queue = malloc(n * sizeof *queue);
  if (!d->states || !lv->trans || !queue)
    out_of_memory();
  lv->matches = buf_detach(&t->matches, &lv->matches_len);
  size_t used = 0;
  for (size_t s = 0; s < n; s++) {
    HyphenState *st = &d->states[s];
    st->match = t->match[s] >= 0 ? lv->matches + t->match[s] : NULL;
    st->replcut = t->replcut[s];
    st->fallback_state = -1;
    st->trans = t->child[s] >= 0 ? lv->trans + used : NULL;
    for (int k = t->child[s]; k >= 0; k = t->sibling[k]) {
      lv->trans[used].ch = t->label[k];
      lv->trans[used].new_state = k;
      used++;
      st->num_trans++;
    }
  }
  /* the root's transitions as a table: most fallback walks end there */
  int root[256];
  for (int c = 0; c < 256; c++)
    root[c] = 0;
  for (int k = t->child[0]; k >= 0; k = t->sibling[k])
    root[(unsigned char)t->label[k]] = k;
  size_t head = 0, tail = 0;
  queue[tail++] = 0;
  while (head < tail) {
    int u = queue[head++];
    const HyphenState *su = &d->states[u];
    for (int i = 0; i < su->num_trans; i++) {
      int v = su->trans[i].new_state;
      char c = su->trans[i].ch;
      int f = su->fallback_state, to = -1;
      while (f > 0 && (to = trans_to(&d->states[f], c)) < 0)
        f = d->states[f].fallback_state;
      d->states[v].fallback_state = u == 0  ? 0
                                    : f > 0 ? to
                                            : root[(unsigned char)c];
      queue[tail++] = v;
    }
  }
  free(queue);
}

static void trie_free(trie *t) {
  free(t->child);
  free(t->sibling);
  free(t->match);
  free(t->label);
  free(t->replcut);
  buf_free(&t->matches);
}

static HyphenDict *new_dict(const char *cset) {
  HyphenDict *d = calloc(1, sizeof *d);
  if (!d)
    out_of_memory();
  snprintf(d->cset, sizeof d->cset, "%s", cset);
  d->utf8 = strcmp(cset, "UTF-8") == 0;
  return d;
}

static void level_free(level *lv) {
  if (!lv->dict)
    return;
  free(lv->dict->states);
  free(lv->dict->nohyphen);
  free(lv->dict);
  free(lv->trans);
  free(lv->matches);
}

/* The file's lines as libhyphen's loader would read them, or -1 when it
 * would read them differently (NEXTLEVEL, replacements, NUL bytes, lines
 * fgets would split). */
static int check_lines(const char *text, size_t len, size_t *first_end) {
  if (len > (1u << 22) || memchr(text, '\0', len))
    return -1; /* a NUL ends what fgets gives; 4 MB is past any pattern file */
  const char *nl = memchr(text, '\n', len);
  *first_end = nl ? (size_t)(nl - text) + 1 : len;
  if (*first_end >= MAX_NAME)
    return -1;
  for (size_t at = *first_end; at < len;) {
    nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) + 1 : len;
    const char *line = text + at;
    if (end - at >= LINE_MAX_CHARS || strncmp(line, "NEXTLEVEL", 9) == 0 ||
        (line[0] != '%' && memchr(line, '/', end - at)))
      return -1;
    at = end;
  }
  return 0;
}

static hyph_patterns *load_with_libhyphen(const char *path) {
  HyphenDict *d = hnj_hyphen_load(path);
  if (!d)
    return NULL;
  hyph_patterns *p = calloc(1, sizeof *p);
  if (!p)
    out_of_memory();
  p->top = d;
  return p;
}

/* libhyphen's default first level over a one-level file: hyphens, en
 * dashes and apostrophes split compounds, each part then hyphenated with
 * the patterns of levels[0]. */
static void add_compound_level(hyph_patterns *p) {
  HyphenDict *main_dict = p->levels[0].dict;
  trie top;
  trie_init(&top, p->levels[1].dict = new_dict(main_dict->cset), 64);
  static const char *const utf8_lines[] = {
      "NOHYPHEN ',\xe2\x80\x93,\xe2\x80\x99,-\n", "1-1\n", "1'1\n",
      "1\xe2\x80\x93" "1\n", "1\xe2\x80\x99" "1\n"};
  static const char *const byte_lines[] = {"NOHYPHEN ',-\n", "1-1\n",
                                           "1'1\n"};
  size_t n_lines = main_dict->utf8 ? 5 : 3;
  char line[LINE_MAX_CHARS + 1];
  for (size_t i = 0; i < n_lines; i++) {
    snprintf(line, sizeof line, "%s",
             main_dict->utf8 ? utf8_lines[i] : byte_lines[i]);
    load_line(&top, line);
  }
  finish(&top, &p->levels[1]);
  trie_free(&top);
  HyphenDict *d = p->levels[1].dict;
  d->nextlevel = main_dict;
  d->lhmin = main_dict->lhmin;
  d->rhmin = main_dict->rhmin;
  d->clhmin = main_dict->clhmin   ? main_dict->clhmin
              : main_dict->lhmin ? main_dict->lhmin
                                 : 3;
  d->crhmin = main_dict->crhmin   ? main_dict->crhmin
              : main_dict->rhmin ? main_dict->rhmin
                                 : 3;
  p->top = d;
}

hyph_patterns *hyph_load(const char *path) {
  size_t len = 0;
  char *text = resource_read_file(path, MAX_DIC_BYTES, &len);
  if (!text && errno != EFBIG)
    return NULL;
  size_t first_end = 0;
  if (!text || !len || check_lines(text, len, &first_end) != 0) {
    free(text);
    return load_with_libhyphen(path);
  }
  /* the character set: the first line, without its line end */
  char cset[MAX_NAME];
  size_t cn = first_end;
  while (cn > 0 && (text[cn - 1] == '\n' || text[cn - 1] == '\r'))
    cn--;
  memcpy(cset, text, cn);
  cset[cn] = '\0';
  char *cr = strchr(cset, '\r');
  if (cr)
    *cr = '\0';

  hyph_patterns *p = calloc(1, sizeof *p);
  if (!p)
    out_of_memory();
  p->own = 1;
  trie t;
  trie_init(&t, p->levels[0].dict = new_dict(cset), len + 1);
  char line[LINE_MAX_CHARS + 1];
  for (size_t at = first_end; at < len;) {
    const char *nl = memchr(text + at, '\n', len - at);
    size_t end = nl ? (size_t)(nl - text) + 1 : len;
    memcpy(line, text + at, end - at);
    line[end - at] = '\0';
    if (line[0] != '%')
      load_line(&t, line);
    at = end;
  }
  free(text);
  finish(&t, &p->levels[0]);
  trie_free(&t);
  add_compound_level(p);
  return p;
}

HyphenDict *hyph_dict(const hyph_patterns *p) { return p ? p->top : NULL; }

/* libhyphen's walk (hnj_hyphen_hyph_) over the image's states in place:
 * each letter of ".word." taken from the current state, falling back until
 * some state has it (from the root, the letter is skipped); the match of
 * each state reached is laid over the word's marks, the larger digit
 * winning.  Every number read from the image is checked as it is used, and
 * a chain of fallbacks longer than any pattern ends the walk: 0, or -1 for
 * an image that is not what hyph_image_write makes. */
static int image_walk(const image_machine *m, const char *prep, size_t n,
                      char *marks) {
  memset(marks, '0', n);
  int32_t state = 0;
  for (size_t i = 0; i < n; i++) {
    for (int fallbacks = 0;; fallbacks++) {
      if (state < 0) { /* fell back from the root: next letter */
        state = 0;
        goto next;
      }
      if ((uint32_t)state >= m->n_states || fallbacks > MAX_DEPTH)
        return -1;
      const hyph_image_state *st = &m->states[state];
      if (st->trans > m->n_trans || st->num_trans > m->n_trans - st->trans)
        return -1;
      const HyphenTrans *t = m->trans + st->trans;
      for (uint32_t k = 0; k < st->num_trans; k++)
        if (t[k].ch == prep[i]) {
          state = t[k].new_state;
          goto found;
        }
      state = st->fallback;
    }
  found:
    if ((uint32_t)state >= m->n_states)
      return -1;
    uint32_t at = m->states[state].match;
    if (at != HYPH_IMAGE_NO_MATCH) {
      if (at >= m->matches_len)
        return -1;
      const char *match = m->matches + at; /* ends inside the block */
      size_t mlen = strlen(match);
      if (mlen > i + 1)
        return -1;
      for (size_t k = 0; k < mlen; k++)
        if (marks[i + 1 - mlen + k] < match[k])
          marks[i + 1 - mlen + k] = match[k];
    }
  next:;
  }
  return 0;
}

int hyph_word(const hyph_patterns *p, const char *word, size_t len,
              char *hyphens) {
  if (len < 1 || len >= HYPH_MAX_WORD)
    return -1;
  if (p->top) {
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    memset(hyphens, 0, len + 5);
    int rc = hnj_hyphen_hyphenate3(p->top, word, (int)len, hyphens, NULL,
                                   &rep, &pos, &cut, 2, 3, 2, 3);
    if (rep)
      for (size_t i = 0; i < len; i++)
        free(rep[i]);
    free(rep);
    free(pos);
    free(cut);
    return rc == 0 && !rep ? 0 : -1; /* non-standard: none given */
  }
  /* What hnj_hyphen_hyphenate3(..., 2, 3, 2, 3) gives for a word of
   * letters: libhyphen's compound level (hyphens, dashes, apostrophes)
   * finds nothing in it, so the word goes whole to the patterns; then no
   * break within lhmin letters of the start or rhmin of the end. */
  char prep[HYPH_MAX_WORD + 2], marks[HYPH_MAX_WORD + 2];
  prep[0] = '.';
  memcpy(prep + 1, word, len);
  prep[len + 1] = '.';
  if (image_walk(&p->image, prep, len + 2, marks) != 0)
    return -1;
  for (size_t i = 0; i + 1 < len; i++)
    hyphens[i] = marks[i + 1]; /* as libhyphen shifts them */
  hyphens[len - 1] = '0';
  hyphens[len] = '\0';
  int lhmin = p->image.lhmin > 2 ? p->image.lhmin : 2;
  int rhmin = p->image.rhmin > 3 ? p->image.rhmin : 3;
  for (int i = 0; i + 1 < lhmin && (size_t)i < len; i++)
    hyphens[i] = '0';
  for (int i = 0; i < rhmin && (size_t)i + 1 < len; i++)
    hyphens[len - 1 - (size_t)i] = '0';
  return 0;
}

void hyph_free(hyph_patterns *p) {
  if (!p)
    return;
  if (p->own) {
    level_free(&p->levels[0]);
    level_free(&p->levels[1]);
  } else {
    hnj_hyphen_free(p->top);
  }
  if (p->map)
    munmap(p->map, p->map_len);
  free(p);
}

/* ---- the image ---- */

/* What a HyphenTrans looks like here: an image from another layout is
 * refused. */
static int native_layout(const hyph_image_header *h) {
  return h->byte_order == HYPH_IMAGE_BYTE_ORDER &&
         h->trans_size == sizeof(HyphenTrans) &&
         h->trans_ch_at == offsetof(HyphenTrans, ch) &&
         h->trans_state_at == offsetof(HyphenTrans, new_state);
}


int hyph_image_write(const char *dic_path, const char *image_path) {
  struct stat src;
  if (stat(dic_path, &src) != 0) {
    perror(dic_path);
    return -1;
  }
  hyph_patterns *p = hyph_load(dic_path);
  if (!p) {
    perror(dic_path);
    return -1;
  }
  /* a NOHYPHEN list in the file itself (the English patterns have none)
   * is left to the loaders of the .dic */
  if (!p->own || p->levels[0].dict->nohyphen) {
    hyph_free(p);
    return 1;
  }
  const level *lv = &p->levels[0];
  const HyphenDict *d = lv->dict;
  size_t n = (size_t)d->num_states, n_trans = 0;
  for (size_t s = 0; s < n; s++)
    n_trans += (size_t)d->states[s].num_trans;
  /* breadth first: a state's children come after it, and its depth is
   * known when it is checked */
  int *order = malloc(n * sizeof *order), *index_of = malloc(n * sizeof *index_of);
  hyph_image_state *states = calloc(n, sizeof *states);
  HyphenTrans *trans = calloc(n_trans ? n_trans : 1, sizeof *trans);
  if (!order || !index_of || !states || !trans)
    out_of_memory();
  size_t head = 0, tail = 0;
  order[tail++] = 0;
  index_of[0] = 0;
  while (head < tail) {
    const HyphenState *s = &d->states[order[head++]];
    for (int i = 0; i < s->num_trans; i++) {
      index_of[s->trans[i].new_state] = (int)tail;
      order[tail++] = s->trans[i].new_state;
    }
  }
  size_t used = 0;
  for (size_t k = 0; k < n; k++) {
    const HyphenState *s = &d->states[order[k]];
    states[k].match = s->match ? (uint32_t)(s->match - lv->matches)
                               : HYPH_IMAGE_NO_MATCH;
    states[k].trans = (uint32_t)used;
    states[k].num_trans = (uint32_t)s->num_trans;
    states[k].fallback =
        s->fallback_state < 0 ? -1 : index_of[s->fallback_state];
    for (int i = 0; i < s->num_trans; i++, used++) {
      trans[used].ch = s->trans[i].ch;
      trans[used].new_state = index_of[s->trans[i].new_state];
    }
  }
  hyph_image_header h;
  memset(&h, 0, sizeof h);
  memcpy(h.magic, HYPH_IMAGE_MAGIC, sizeof h.magic);
  h.src_size = (uint64_t)src.st_size;
  h.src_mtime_s = (int64_t)src.st_mtim.tv_sec;
  h.src_mtime_ns = (int64_t)src.st_mtim.tv_nsec;
  h.version = HYPH_IMAGE_VERSION;
  h.byte_order = HYPH_IMAGE_BYTE_ORDER;
  h.trans_size = sizeof(HyphenTrans);
  h.trans_ch_at = offsetof(HyphenTrans, ch);
  h.trans_state_at = offsetof(HyphenTrans, new_state);
  h.n_states = (uint32_t)n;
  h.n_trans = (uint32_t)n_trans;
  h.matches_len = (uint32_t)lv->matches_len;
  h.lhmin = d->lhmin;
  h.rhmin = d->rhmin;
  h.clhmin = d->clhmin;
  h.crhmin = d->crhmin;
  /* the bytes as written: trans is calloc'd, so its padding is zeros */
  uint32_t crc = (uint32_t)libdeflate_crc32(0, states, n * sizeof *states);
  crc = (uint32_t)libdeflate_crc32(crc, trans, n_trans * sizeof *trans);
  h.body_crc = (uint32_t)libdeflate_crc32(crc, lv->matches, lv->matches_len);
  h.utf8 = d->utf8;
  memcpy(h.cset, d->cset, sizeof h.cset);

  buf tmp = {0};
  buf_printf(&tmp, "%s.tmp", image_path);
  FILE *f = fopen(tmp.data, "wb");
  int rc = -1;
  if (f) {
    fwrite(&h, sizeof h, 1, f);
    fwrite(states, sizeof *states, n, f);
    fwrite(trans, sizeof *trans, n_trans, f);
    fwrite(lv->matches, 1, lv->matches_len, f);
    rc = ferror(f) | fclose(f) ? -1 : 0;
  }
  if (rc != 0)
    perror(tmp.data);
  /* what was written must be what the loader accepts */
  hyph_patterns *check = rc == 0 ? hyph_load_image(tmp.data, dic_path) : NULL;
  if (rc == 0 && !check) {
    fprintf(stderr, "%s: the image made does not load\n", tmp.data);
    rc = -1;
  }
  hyph_free(check);
  if (rc == 0 && rename(tmp.data, image_path) != 0) {
    perror(image_path);
    rc = -1;
  }
  if (rc != 0)
    remove(tmp.data);
  buf_free(&tmp);
  free(order);
  free(index_of);
  free(states);
  free(trans);
  hyph_free(p);
  return rc;
}

/* Each check says why the image is refused, for the reader of this code;
 * the caller only learns that it is. */
#define REFUSE_IF(cond)                                                        \
  do {                                                                         \
    if (cond)                                                                  \
      goto refuse;                                                             \
  } while (0)

/* Checks the image's header and CRC and points m into it; 0, or -1 when
 * it is not sound (see hyph_load_image). */
static int image_check(const char *base, size_t len, const struct stat *src,
                       image_machine *m) {
  hyph_image_header h;
  REFUSE_IF(len < sizeof h);
  memcpy(&h, base, sizeof h);
  REFUSE_IF(memcmp(h.magic, HYPH_IMAGE_MAGIC, sizeof h.magic) != 0 ||
            h.version != HYPH_IMAGE_VERSION || !native_layout(&h));
  /* made from the .dic as it is now */
  REFUSE_IF(h.src_size != (uint64_t)src->st_size ||
            h.src_mtime_s != (int64_t)src->st_mtim.tv_sec ||
            h.src_mtime_ns != (int64_t)src->st_mtim.tv_nsec);
  REFUSE_IF(h.n_states < 1 || h.n_states > IMAGE_MAX_STATES ||
            h.n_trans > IMAGE_MAX_STATES || h.matches_len > IMAGE_MAX_BYTES);
  size_t states_at = sizeof h;
  size_t trans_at = states_at + (size_t)h.n_states * sizeof(hyph_image_state);
  size_t matches_at = trans_at + (size_t)h.n_trans * sizeof(HyphenTrans);
  REFUSE_IF(matches_at + h.matches_len != len);
  REFUSE_IF(!memchr(h.cset, '\0', sizeof h.cset) ||
            h.utf8 != (strcmp(h.cset, "UTF-8") == 0));
  REFUSE_IF(h.lhmin < 0 || h.lhmin > MAX_DEPTH || h.rhmin < 0 ||
            h.rhmin > MAX_DEPTH || h.clhmin < 0 || h.clhmin > MAX_DEPTH ||
            h.crhmin < 0 || h.crhmin > MAX_DEPTH);
  /* every match string ends inside the block */
  REFUSE_IF(h.matches_len && base[len - 1] != '\0');
  /* a damaged byte anywhere: checking the states' structure here instead
   * cost more than laying out a short article's text */
  REFUSE_IF(libdeflate_crc32(0, base + sizeof h, len - sizeof h) !=
            h.body_crc);
  *m = (image_machine){(const void *)(base + states_at),
                       (const void *)(base + trans_at),
                       base + matches_at,
                       h.n_states,
                       h.n_trans,
                       h.matches_len,
                       h.lhmin,
                       h.rhmin};
  return 0;
refuse:
  return -1;
}

hyph_patterns *hyph_load_image(const char *image_path, const char *dic_path) {
  struct stat src;
  if (stat(dic_path, &src) != 0)
    return NULL;
  /* The image is replaced by rename, never rewritten in place, so what
   * was checked stays what is read. */
  size_t len = 0;
  const void *map = resource_map_file(image_path, sizeof(hyph_image_header),
                                      (size_t)3 * IMAGE_MAX_BYTES, &len);
  if (!map)
    return NULL;
  image_machine m;
  if (image_check(map, len, &src, &m) != 0) {
    munmap((void *)map, len);
    return NULL;
  }
  hyph_patterns *p = calloc(1, sizeof *p);
  if (!p)
    out_of_memory();
  p->own = 1;
  p->map = (void *)map;
  p->map_len = len;
  p->image = m;
  return p;
}

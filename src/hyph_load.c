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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* What libhyphen's loader reads a line with: fgets into 100 bytes. */
enum { LINE_MAX_CHARS = MAX_CHARS };

/* One level of patterns, and the blocks its states point into. */
typedef struct {
  HyphenDict *dict;
  HyphenTrans *trans;
  char *matches;
} level;

struct hyph_patterns {
  HyphenDict *top;
  int own; /* built here; else libhyphen's */
  level levels[2];
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
      abort();
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
    abort();
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
    abort();
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
    abort();
  lv->matches = buf_detach(&t->matches, &(size_t){0});
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
    abort();
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
    abort();
  p->top = d;
  return p;
}

hyph_patterns *hyph_load(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  buf text = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_put(&text, chunk, got);
  int bad = ferror(f);
  fclose(f);
  size_t first_end = 0;
  if (bad || !text.len || check_lines(text.data, text.len, &first_end) != 0) {
    buf_free(&text);
    return load_with_libhyphen(path);
  }
  /* the character set: the first line, without its line end */
  char cset[MAX_NAME];
  size_t cn = first_end;
  while (cn > 0 && (text.data[cn - 1] == '\n' || text.data[cn - 1] == '\r'))
    cn--;
  memcpy(cset, text.data, cn);
  cset[cn] = '\0';
  char *cr = strchr(cset, '\r');
  if (cr)
    *cr = '\0';

  hyph_patterns *p = calloc(1, sizeof *p);
  if (!p)
    abort();
  p->own = 1;
  trie t;
  trie_init(&t, p->levels[0].dict = new_dict(cset), text.len + 1);
  char line[LINE_MAX_CHARS + 1];
  for (size_t at = first_end; at < text.len;) {
    const char *nl = memchr(text.data + at, '\n', text.len - at);
    size_t end = nl ? (size_t)(nl - text.data) + 1 : text.len;
    memcpy(line, text.data + at, end - at);
    line[end - at] = '\0';
    if (line[0] != '%')
      load_line(&t, line);
    at = end;
  }
  buf_free(&text);
  finish(&t, &p->levels[0]);
  trie_free(&t);

  /* libhyphen's default first level: hyphens, en dashes and apostrophes
   * split compounds, each part then hyphenated with the patterns */
  HyphenDict *main_dict = p->levels[0].dict;
  trie top;
  trie_init(&top, p->levels[1].dict = new_dict(cset), 64);
  static const char *const utf8_lines[] = {
      "NOHYPHEN ',\xe2\x80\x93,\xe2\x80\x99,-\n", "1-1\n", "1'1\n",
      "1\xe2\x80\x93" "1\n", "1\xe2\x80\x99" "1\n"};
  static const char *const byte_lines[] = {"NOHYPHEN ',-\n", "1-1\n",
                                           "1'1\n"};
  size_t n_lines = main_dict->utf8 ? 5 : 3;
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
  return p;
}

HyphenDict *hyph_dict(const hyph_patterns *p) { return p ? p->top : NULL; }

void hyph_free(hyph_patterns *p) {
  if (!p)
    return;
  if (p->own) {
    level_free(&p->levels[0]);
    level_free(&p->levels[1]);
  } else {
    hnj_hyphen_free(p->top);
  }
  free(p);
}

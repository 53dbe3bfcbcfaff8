/* linebreak.c - total fit after Knuth and Plass, "Breaking Paragraphs into
 * Lines" (1981), with a first-fit fallback.  Demerits weigh hyphens as
 * TeX does (two in a row, one ending the last full line) and also the CJK
 * rule that a paragraph's last line must not hold a single character, nor
 * one character with the closing punctuation after it (试）。). */
#include "linebreak.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "oom.h"

/* FLAG_DEMERITS is TeX's \doublehyphendemerits: two hyphenated lines in a
 * row cost as much as a line of badness 100 */
enum { LINE_PENALTY = 10, FLAG_DEMERITS = 10000, FITNESS_DEMERITS = 3000 };
/* a single CJK character on the last line, alone or with punctuation */
#define LONELY_DEMERITS 1e7
/* a hyphenated line beyond the limit in a row (the style's hyphen-limit,
 * InDesign's "hyphen limit"): more than the loosest line costs, so
 * only a line that cannot be set at all is worse */
#define OVER_LIMIT_DEMERITS 1e9
/* TeX's \finalhyphendemerits: the last full line of a paragraph ending in
 * a hyphen */
#define FINAL_HYPHEN_DEMERITS 5000
#define HUGE_RATIO 1e5

typedef struct {
  size_t pos; /* the break; SIZE_MAX for the paragraph start */
  size_t line;
  int fitness;
  double w, y, z; /* totals where the next line starts */
  size_t cjk;     /* CJK boxes before the next line */
  size_t apart;   /* parted boxes (see kp) up to its first, that one too */
  double demerits, ratio;
  int hyphens;      /* hyphenated lines in a row ending here */
  long prev;        /* node index or -1 */
  long next_active; /* -1 ends the list */
} node;

typedef struct {
  const item *items;
  size_t n;
  double *w, *y, *z; /* prefix sums over items [0, i) */
  /* CJK boxes, and boxes a legal break parts from the box before them */
  size_t *cjk, *apart;
  node *nodes;
  size_t n_nodes, cap_nodes;
  int hyphen_limit; /* hyphenated lines in a row at most, but in need */
} kp;

static int legal(const item *it, size_t i) {
  if (it[i].kind == ITEM_PENALTY)
    return it[i].penalty < BREAKS_INF;
  return it[i].kind == ITEM_GLUE && i > 0 && it[i - 1].kind == ITEM_BOX;
}

static long add_node(kp *k, node nd) {
  if (k->n_nodes == k->cap_nodes) {
    k->cap_nodes = k->cap_nodes ? k->cap_nodes * 2 : 64;
    k->nodes = realloc(k->nodes, k->cap_nodes * sizeof *k->nodes);
    if (!k->nodes)
      out_of_memory();
  }
  k->nodes[k->n_nodes] = nd;
  return (long)k->n_nodes++;
}

/* Totals from the first box after a break at b (discardables skipped). */
static void after_break(const kp *k, size_t b, node *nd) {
  size_t j = b == SIZE_MAX ? 0 : b + 1;
  while (j < k->n && k->items[j].kind != ITEM_BOX) {
    if (k->items[j].kind == ITEM_PENALTY &&
        k->items[j].penalty <= -BREAKS_INF && j != b)
      break;
    j++;
  }
  nd->w = k->w[j];
  nd->y = k->y[j];
  nd->z = k->z[j];
  nd->cjk = k->cjk[j];
  nd->apart = k->apart[j < k->n ? j + 1 : j];
}

static double ratio_of(double width, double len, double y, double z) {
  if (len < width)
    return y > 0 ? (width - len) / y : HUGE_RATIO;
  if (len > width)
    return z > 0 ? (width - len) / z : -HUGE_RATIO;
  return 0;
}

/* One pass at a tolerance; the index of the best final node, or -1. */
static long total_fit(kp *k, double width, double tolerance) {
  const item *it = k->items;
  k->n_nodes = 0;
  node start = {.pos = SIZE_MAX, .fitness = 1, .prev = -1, .next_active = -1};
  after_break(k, SIZE_MAX, &start);
  long head = add_node(k, start);
  for (size_t b = 0; b < k->n; b++) {
    if (!legal(it, b))
      continue;
    double pen = it[b].kind == ITEM_PENALTY ? it[b].penalty : 0;
    int forced = pen <= -BREAKS_INF;
    double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
    long from[4] = {-1, -1, -1, -1};
    double best_ratio[4] = {0};
    long prev_active = -1;
    for (long a = head; a >= 0;) {
      node *nd = &k->nodes[a];
      long next = nd->next_active;
      double len =
          k->w[b] - nd->w + (it[b].kind == ITEM_PENALTY ? it[b].width : 0);
      double y = k->y[b] - nd->y, z = k->z[b] - nd->z;
      double r = ratio_of(width, len, y, z);
      if (r >= -1 && r <= tolerance) {
        double bad = y >= BREAKS_FIL ? 0 : 100 * pow(fabs(r), 3);
        if (bad > 10000)
          bad = 10000;
        double d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
        if (pen >= 0)
          d += pen * pen;
        else if (!forced)
          d -= pen * pen;
        if (it[b].flagged && nd->pos != SIZE_MAX && it[nd->pos].flagged)
          d += FLAG_DEMERITS;
        if (it[b].flagged && nd->hyphens >= k->hyphen_limit)
          d += OVER_LIMIT_DEMERITS;
        if (forced && nd->pos != SIZE_MAX && it[nd->pos].flagged)
          d += FINAL_HYPHEN_DEMERITS;
        int fit = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
        if (abs(fit - nd->fitness) > 1)
          d += FITNESS_DEMERITS;
        /* one CJK character and nothing the line could break from it:
         * the rest is punctuation bound to it (试）。, “试”。) */
        if (forced && k->cjk[b] - nd->cjk == 1 && k->apart[b] == nd->apart &&
            nd->pos != SIZE_MAX)
          d += LONELY_DEMERITS;
        d += nd->demerits;
        if (d < best[fit]) {
          best[fit] = d;
          from[fit] = a;
          best_ratio[fit] = r;
        }
      }
      if (r < -1 || forced) { /* this start can reach no further break */
        if (prev_active < 0)
          head = next;
        else
          k->nodes[prev_active].next_active = next;
      } else {
        prev_active = a;
      }
      a = next;
    }
    for (int f = 0; f < 4; f++) {
      if (from[f] < 0)
        continue;
      node nd = {.pos = b,
                 .line = k->nodes[from[f]].line + 1,
                 .fitness = f,
                 .demerits = best[f],
                 .ratio = best_ratio[f],
                 .hyphens = it[b].flagged ? k->nodes[from[f]].hyphens + 1 : 0,
                 .prev = from[f],
                 .next_active = head};
      after_break(k, b, &nd);
      head = add_node(k, nd);
    }
    if (head < 0)
      return -1; /* nothing fits at this tolerance */
  }
  long best = -1;
  for (long a = head; a >= 0; a = k->nodes[a].next_active)
    if (k->nodes[a].pos == k->n - 1 &&
        (best < 0 || k->nodes[a].demerits < k->nodes[best].demerits))
      best = a;
  return best;
}

/* First fit: each line takes as much as fits. */
static size_t first_fit(const kp *k, double width, int justify,
                        line_break **out) {
  const item *it = k->items;
  size_t cap = 16, n_lines = 0;
  line_break *lines = malloc(cap * sizeof *lines);
  if (!lines)
    out_of_memory();
  node start = {0};
  after_break(k, SIZE_MAX, &start);
  long last = -1; /* last legal break that fitted */
  double last_ratio = 0;
  for (size_t b = 0; b < k->n; b++) {
    if (!legal(it, b))
      continue;
    double len =
        k->w[b] - start.w + (it[b].kind == ITEM_PENALTY ? it[b].width : 0);
    double r = ratio_of(width, len, k->y[b] - start.y, k->z[b] - start.z);
    int forced = it[b].kind == ITEM_PENALTY && it[b].penalty <= -BREAKS_INF;
    size_t at;
    double ratio;
    if (r < -1 && last >= 0) {
      at = (size_t)last, ratio = last_ratio;
      b = at; /* the next line starts after it; look again from there */
    } else if (forced || r < -1) {
      at = b, ratio = r < -1 ? -1 : r;
    } else {
      last = (long)b;
      last_ratio = r;
      continue;
    }
    if (n_lines == cap) {
      cap *= 2;
      lines = realloc(lines, cap * sizeof *lines);
      if (!lines)
        out_of_memory();
    }
    int last_line =
        it[at].kind == ITEM_PENALTY && it[at].penalty <= -BREAKS_INF;
    lines[n_lines].end = at;
    if (ratio >= HUGE_RATIO || ((!justify || last_line) && ratio > 0))
      ratio = 0;
    lines[n_lines].ratio = ratio < -1 ? -1 : ratio;
    n_lines++;
    after_break(k, at, &start);
    last = -1;
  }
  *out = lines;
  return n_lines;
}

size_t linebreak(const item *items, size_t n, double width, int justify,
                 int hyphen_limit, line_break **out) {
  *out = NULL;
  if (!n)
    return 0;
  kp k = {.items = items, .n = n, .hyphen_limit = hyphen_limit};
  k.w = malloc((n + 1) * sizeof *k.w);
  k.y = malloc((n + 1) * sizeof *k.y);
  k.z = malloc((n + 1) * sizeof *k.z);
  k.cjk = malloc((n + 1) * sizeof *k.cjk);
  k.apart = malloc((n + 1) * sizeof *k.apart);
  if (!k.w || !k.y || !k.z || !k.cjk || !k.apart)
    out_of_memory();
  k.w[0] = k.y[0] = k.z[0] = 0;
  k.cjk[0] = k.apart[0] = 0;
  int parted = 0; /* a legal break since the last box */
  for (size_t i = 0; i < n; i++) {
    int counts = items[i].kind != ITEM_PENALTY;
    k.w[i + 1] = k.w[i] + (counts ? items[i].width : 0);
    k.y[i + 1] = k.y[i] + (items[i].kind == ITEM_GLUE ? items[i].stretch : 0);
    k.z[i + 1] = k.z[i] + (items[i].kind == ITEM_GLUE ? items[i].shrink : 0);
    k.cjk[i + 1] = k.cjk[i] + (items[i].kind == ITEM_BOX && items[i].cjk);
    int box = items[i].kind == ITEM_BOX;
    k.apart[i + 1] = k.apart[i] + (size_t)(box && parted);
    parted = box ? 0 : parted || legal(items, i);
  }
  size_t n_lines = 0;
  long best = -1;
  if (n <= LINEBREAK_TOTAL_FIT_LIMIT) {
    static const double tolerances[] = {2, 10, HUGE_RATIO * 2};
    for (size_t t = 0; t < 3 && best < 0; t++)
      best = total_fit(&k, width, tolerances[t]);
  }
  if (best >= 0) {
    n_lines = k.nodes[best].line;
    line_break *lines = malloc(n_lines * sizeof *lines);
    if (!lines)
      out_of_memory();
    size_t i = n_lines;
    for (long a = best; a >= 0 && k.nodes[a].pos != SIZE_MAX;
         a = k.nodes[a].prev) {
      i--;
      lines[i].end = k.nodes[a].pos;
      /* a loose line is still justified: the measure is kept; ragged lines
       * and the last line are never stretched, but shrunk when they must
       * be to fit */
      double r = k.nodes[a].ratio;
      int last = i + 1 == n_lines;
      if (r >= HUGE_RATIO || ((!justify || last) && r > 0))
        r = 0;
      lines[i].ratio = r < -1 ? -1 : r;
    }
    *out = lines;
  } else {
    n_lines = first_fit(&k, width, justify, out);
  }
  free(k.nodes);
  free(k.w);
  free(k.y);
  free(k.z);
  free(k.cjk);
  free(k.apart);
  return n_lines;
}

/* titleshape.c - the lines of a circular's title (see titleshape.h).
 *
 * The rule, in order:
 *
 * 1. Breaks are where the paragraph's items allow one (UAX #14 and the
 *    CJK rules of breaks.c), but never beside a dash (so no line starts
 *    with — or ——, and 2026—2028年 stays whole), never before closing or
 *    after opening punctuation, never between a number and the unit after
 *    it (2026年, 2026年度), and never inside a Latin word or number.  No
 *    line holds a single character.
 * 2. The fewest lines that fit the width (and at least min_lines).  Of the
 *    ways to set them, those whose widths never grow from the first line
 *    to the last (the inverted trapezoid); of these, the first line as
 *    short as possible, so the lines come near a rectangle.  When no way
 *    is non-increasing, the diamond: widths rising to one widest line and
 *    falling after it, the widest as short as possible.  When neither
 *    exists, one line more, up to a limit.
 * 3. Shapes whose measure (the first or widest line) is within one
 *    character of the best are equally good; among them the breaks that
 *    fall at word boundaries win: after a particle 的 / 和 / 与 / 及 / 关于,
 *    before a closing 的 + two characters (的通知), beside a number or Latin
 *    word, or after punctuation; failing that, an even number of
 *    ideographs after such a boundary, which keeps two-character words
 *    such as 档案 whole more often than not.  Ties go to the shorter
 *    measure, then to the earlier breaks. */
#include "titleshape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define MAX_LINES 6

typedef struct {
  size_t item;  /* the item broken at */
  size_t next;  /* the first box after it */
  double score; /* 0 a word boundary, 1 an even run, 2 otherwise */
} cand;

typedef struct {
  const para *p;
  double width, cell;
  cand *c;
  size_t n; /* candidates, the paragraph's end last */
  size_t first_box;
  int diamond;
  size_t lines;
  size_t pick[MAX_LINES], best[MAX_LINES];
  double best_measure, best_score;
  int found;
  /* the pass: 0 finds the best measure, 1 the best score within it */
  int pass;
  double limit;
} search;

static uint32_t first_cp(const para *p, const item *it) {
  uint32_t cp = 0;
  if (it->len)
    utf8_decode((const unsigned char *)p->text.data + it->start, it->len, &cp);
  return cp;
}

static uint32_t last_cp(const para *p, const item *it) {
  const unsigned char *s = (const unsigned char *)p->text.data + it->start;
  size_t i = it->len;
  while (i > 0 && (s[i - 1] & 0xC0) == 0x80)
    i--;
  uint32_t cp = 0;
  if (i > 0)
    utf8_decode(s + i - 1, it->len - (i - 1), &cp);
  return cp;
}

static size_t cp_count(const para *p, const item *it) {
  size_t n = 0;
  const unsigned char *s = (const unsigned char *)p->text.data + it->start;
  for (size_t i = 0; i < it->len; i++)
    n += (s[i] & 0xC0) != 0x80;
  return n;
}

static int is_dash(uint32_t c) {
  return c == 0x2014 || c == 0x2013 || c == 0x2015 || c == 0x2E3A ||
         c == 0x2E3B || c == 0xFE58 || c == 0x2010 || c == 0x2012;
}

static int is_closing(uint32_t c) {
  static const uint32_t v[] = {
      0xFF09, 0x300D, 0x300F, 0x3011, 0x300B, 0x3009, 0x3015, 0x3017, 0xFF3D,
      0xFF5D, 0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0x201D,
      0x2019, 0xFF0E, ')',    ']',    '}',    ',',    '.',    ';',    ':',
      '!',    '?',    0x00B7, 0x30FB, 0x2026, 0x3003, 0x2030, 0xFF05};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++)
    if (v[i] == c)
      return 1;
  return 0;
}

static int is_opening(uint32_t c) {
  static const uint32_t v[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x300A,
                               0x3008, 0x3014, 0x3016, 0xFF3B, 0xFF5B,
                               0x201C, 0x2018, '(',    '[',    '{'};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++)
    if (v[i] == c)
      return 1;
  return 0;
}

static int is_alnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') || (c >= 0xFF10 && c <= 0xFF19) ||
         (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7);
}

static int is_digit(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static int is_ideograph(uint32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static int is_particle(uint32_t c) {
  return c == 0x7684 /* 的 */ || c == 0x548C /* 和 */ || c == 0x4E0E /* 与 */ ||
         c == 0x53CA /* 及 */;
}

/* Two-character units after a number: 年度 季度 月份 周年 万元 亿元. */
static int is_unit2(uint32_t a, uint32_t b) {
  return (a == 0x5E74 && b == 0x5EA6) || (a == 0x5B63 && b == 0x5EA6) ||
         (a == 0x6708 && b == 0x4EFD) || (a == 0x5468 && b == 0x5E74) ||
         (a == 0x4E07 && b == 0x5143) || (a == 0x4EBF && b == 0x5143);
}

/* The width of the line from candidate a's next box to candidate b. */
static double line_width(const search *s, size_t from, size_t to) {
  const item *v = s->p->items;
  double w = 0;
  for (size_t i = from; i < to; i++)
    if (v[i].kind != ITEM_PENALTY)
      w += v[i].width;
  if (v[to].kind == ITEM_PENALTY)
    w += v[to].width;
  return w;
}

static size_t line_chars(const search *s, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to && n < 2; i++)
    if (s->p->items[i].kind == ITEM_BOX)
      n += cp_count(s->p, &s->p->items[i]);
  return n;
}

/* Tries line k (0-based) from item `from`, candidates from index ci on. */
static void step(search *s, size_t k, size_t from, size_t ci, double prev,
                 int fell, double measure, double score) {
  if (s->found && s->pass == 0 && measure > s->best_measure)
    return;
  if (s->pass == 1 && measure > s->limit)
    return;
  int last = k + 1 == s->lines;
  for (size_t j = last ? s->n - 1 : ci; j < s->n; j++) {
    if (!last && j == s->n - 1)
      break;
    double w = line_width(s, from, s->c[j].item);
    if (w > s->width + 0.01)
      break; /* lines only grow with j */
    if (line_chars(s, from, s->c[j].item) < 2)
      continue;
    int f = fell;
    if (k > 0) {
      if (!s->diamond) {
        if (w > prev + 0.01)
          continue;
      } else if (w > prev + 0.01) {
        if (fell)
          continue; /* rising again after falling */
      } else if (w < prev - 0.01) {
        f = 1;
      }
    }
    double m = s->diamond ? (w > measure ? w : measure) : (k ? measure : w);
    double sc = score + (last ? 0 : s->c[j].score);
    s->pick[k] = j;
    if (last) {
      if (s->diamond && !f)
        continue; /* a diamond falls after its widest line */
      if (s->diamond && s->lines >= 3) {
        /* and rise to it: the first line is not the widest */
        double w0 = line_width(s, s->first_box, s->c[s->pick[0]].item);
        if (w0 >= m - 0.01)
          continue;
      }
      if (s->pass == 0) {
        if (!s->found || m < s->best_measure - 0.01) {
          s->found = 1;
          s->best_measure = m;
        }
      } else if (!s->found || sc < s->best_score ||
                 (sc == s->best_score && m < s->best_measure - 0.01)) {
        s->found = 1;
        s->best_score = sc;
        s->best_measure = m;
        memcpy(s->best, s->pick, sizeof s->pick);
      }
      continue;
    }
    step(s, k + 1, s->c[j].next, j + 1, w, f, m, sc);
  }
}

static int run_search(search *s, size_t lines, int diamond) {
  s->lines = lines;
  s->diamond = diamond;
  s->found = 0;
  s->pass = 0;
  step(s, 0, s->first_box, 0, 0, 0, 0, 0);
  if (!s->found)
    return 0;
  s->pass = 1;
  s->limit = s->best_measure + s->cell + 0.01;
  s->found = 0;
  step(s, 0, s->first_box, 0, 0, 0, 0, 0);
  return s->found;
}

size_t title_shape(const para *p, double width, double cell, size_t min_lines,
                   size_t **out) {
  *out = NULL;
  const item *v = p->items;
  size_t n = p->n_items;
  size_t fb = 0;
  while (fb < n && v[fb].kind != ITEM_BOX)
    fb++;
  if (fb == n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (v[i].kind == ITEM_PENALTY && v[i].penalty <= -BREAKS_INF && i + 1 < n)
      return 0; /* a forced break: the author's lines */
  search s = {.p = p, .width = width, .cell = cell, .first_box = fb};
  s.c = malloc((n + 1) * sizeof *s.c);
  if (!s.c)
    abort();
  /* the candidates, with what is either side of each */
  size_t run = 0; /* ideographs since the last word boundary */
  const item *prev_box = NULL;
  for (size_t i = 0; i < n; i++) {
    if (v[i].kind == ITEM_BOX) {
      uint32_t a = first_cp(p, &v[i]);
      size_t chars = cp_count(p, &v[i]);
      if (is_ideograph(a) && chars == 1) {
        run++;
        /* 关于 (about) ends a word; 的 / 和 / 与 / 及 stand alone */
        if (is_particle(a) || (a == 0x4E8E /* 于 */ && prev_box &&
                               last_cp(p, prev_box) == 0x5173 /* 关 */))
          run = 0;
      } else {
        run = 0;
      }
      prev_box = &v[i];
      continue;
    }
    int ok = v[i].kind == ITEM_PENALTY ? v[i].penalty < BREAKS_INF
                                       : i > 0 && v[i - 1].kind == ITEM_BOX;
    if (!ok || !prev_box || i + 1 >= n)
      continue;
    size_t nx = i + 1;
    while (nx < n && v[nx].kind != ITEM_BOX)
      nx++;
    if (nx >= n)
      continue;
    uint32_t before = last_cp(p, prev_box), after = first_cp(p, &v[nx]);
    int space = v[i].kind == ITEM_GLUE && v[i].space;
    if (is_dash(before) || is_dash(after) || is_closing(after) ||
        is_opening(before) ||
        (!space && ((is_digit(before) && !is_alnum(after)) ||
                    (is_alnum(before) && is_alnum(after)))))
      continue;
    /* a number's unit ends a word: one character (2028年), or two of the
     * units of time and money (年度 季度 月份 周年 万元 亿元), which are
     * not cut */
    int unit = 0;
    {
      const item *b[3] = {prev_box, NULL, NULL};
      size_t q = (size_t)(prev_box - v), got = 1;
      while (q-- > 0 && got < 3)
        if (v[q].kind == ITEM_BOX)
          b[got++] = &v[q];
      uint32_t c0 = b[1] ? last_cp(p, b[1]) : 0;
      if (b[1] && cp_count(p, b[0]) == 1 && is_digit(c0)) {
        unit = 1;
        if (is_unit2(before, after))
          continue; /* inside 年度 */
      } else if (b[2] && cp_count(p, b[0]) == 1 && cp_count(p, b[1]) == 1 &&
                 is_digit(last_cp(p, b[2])) && is_unit2(c0, before)) {
        unit = 1;
      }
    }
    double score = 2;
    if (!is_ideograph(before) || !is_ideograph(after) || run == 0 || unit)
      score = 0; /* beside a number, a Latin word or punctuation, or after
                    a particle */
    else if (after == 0x7684 /* 的 */) {
      /* before a closing 的 and two characters: 的通知 */
      size_t left = 0;
      for (size_t q = nx; q < n; q++)
        if (v[q].kind == ITEM_BOX)
          left += cp_count(p, &v[q]);
      if (left == 3)
        score = 0;
    }
    if (score == 2 && run % 2 == 0)
      score = 1;
    s.c[s.n++] = (cand){i, nx, score};
  }
  s.c[s.n++] = (cand){n - 1, n, 0};
  size_t lines = 0;
  if (min_lines < 1)
    min_lines = 1;
  for (size_t L = min_lines; L <= MAX_LINES && L <= min_lines + 1 && !lines;
       L++) {
    if (run_search(&s, L, 0) || (L >= 3 && run_search(&s, L, 1)))
      lines = L;
  }
  if (lines) {
    *out = malloc(lines * sizeof **out);
    if (!*out)
      abort();
    for (size_t k = 0; k < lines; k++)
      (*out)[k] = s.c[s.best[k]].item;
  }
  free(s.c);
  return lines;
}

/* titleshape.c - the lines of a circular's title (see titleshape.h).
 *
 * The rule, in order:
 *
 * 1. Breaks are where the paragraph's items allow one (UAX #14 and the
 *    CJK rules of breaks.c), but never beside a dash (so no line starts
 *    with — or ——, and 2026—2028年 stays whole), never before closing or
 *    after opening punctuation, never between a number and the unit after
 *    it (2026年, 2026年度), and never inside a Latin word or number.  No
 *    line holds a single character, its punctuation aside (行）).
 * 2. The fewest lines that fit the width (and at least min_lines).  Of the
 *    ways to set them, those whose widths never grow from the first line
 *    to the last (the inverted trapezoid); of these, the first line as
 *    short as possible, so the lines come near a rectangle.  When no way
 *    is non-increasing, the diamond: widths rising to one widest line and
 *    falling after it, the widest as short as possible.  When neither
 *    exists, one line more, up to a limit.
 * 3. Shapes whose measure (the first or widest line) is within one
 *    character of the best are equally good; among them the breaks between
 *    words win, the words being ICU's dictionary's (wordbreak.h).  Each
 *    break costs by what it falls between (AT_PHRASE ... IN_WORD below):
 *    a phrase boundary (after a particle 的 / 和 / 与 / 及 / 暨 / 关于,
 *    before a closing 的 + two characters (的通知), beside a number or
 *    Latin word, after punctuation), two words, a word and a character the
 *    dictionary sets alone, two such characters, or the inside of a word.
 *    ICU 72's dictionary lacks many words of official prose (印发, 外包)
 *    and gives their characters one by one; among such characters an even
 *    number before the break stands for a word boundary, as without ICU.
 *    Shapes with the fewest doubtful breaks (amid such characters or
 *    inside a word) win, then the lowest cost.  When the best still has a
 *    doubtful break, shapes up to WIDEN_CELLS characters wider are tried,
 *    so that a word of three or four characters (数字化) can go whole to
 *    the next line.  Without ICU, an even number of ideographs after a
 *    phrase boundary stands for a word boundary, which keeps
 *    two-character words such as 档案 whole more often than not.  Ties go
 *    to the shorter measure, then to the earlier breaks. */
#include "titleshape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "utf8.h"
#include "wordbreak.h"

#define MAX_LINES 6
#define WIDEN_CELLS 3 /* how much wider a shape may be to keep a word whole */

/* What a break costs by where it falls.  Without ICU only AT_PHRASE,
 * AT_WORD and AT_SINGLE occur; from AMID_EVEN on a break is doubtful, and
 * a wider shape is tried to do without it. */
enum {
  AT_PHRASE = 0, /* after a particle or punctuation, beside a number */
  AT_WORD = 1,   /* between two words (without ICU: after an even run) */
  AT_SINGLE = 2, /* between a word and a character the dictionary sets
                    alone (without ICU: after an odd run) */
  AMID_EVEN = 3, /* amid such characters, an even number of them before */
  AMID_ODD = 4,  /* amid them, an odd number before */
  IN_WORD = 6    /* inside a word of the dictionary */
};

typedef struct {
  size_t item; /* the item broken at */
  size_t next; /* the first box after it */
  int phrase;  /* at a phrase boundary by the rules above */
  int cjk;     /* between two ideographs */
  size_t run;  /* ideographs since the last phrase boundary */
  int score;   /* AT_PHRASE ... IN_WORD */
} cand;

/* A word of the dictionary. */
typedef struct {
  size_t start, end; /* its bytes in the paragraph's text */
  uint32_t first;    /* its first character */
  int single;        /* one ideograph, not a particle */
} word;

typedef struct {
  const para *p;
  double width, cell;
  cand *c;
  size_t n; /* candidates, the paragraph's end last */
  size_t first_box;
  int diamond;
  size_t lines;
  size_t pick[MAX_LINES], best[MAX_LINES];
  double best_measure;
  int best_score, best_doubt;
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
         c == 0x53CA /* 及 */ || c == 0x66A8 /* 暨 */;
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

/* The characters of a line, its punctuation not counted, up to 2. */
static size_t line_chars(const search *s, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to && n < 2; i++) {
    const item *it = &s->p->items[i];
    if (it->kind != ITEM_BOX)
      continue;
    const unsigned char *q = (const unsigned char *)s->p->text.data + it->start;
    size_t left = it->len;
    while (left && n < 2) {
      uint32_t c = utf8_next(&q, &left);
      n += !is_closing(c) && !is_opening(c);
    }
  }
  return n;
}

/* Tries line k (0-based) from item `from`, candidates from index ci on. */
static void step(search *s, size_t k, size_t from, size_t ci, double prev,
                 int fell, double measure, int score, int doubt) {
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
    int cost = last ? 0 : s->c[j].score;
    int sc = score + cost, dt = doubt + (cost >= AMID_EVEN ? cost : 0);
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
      } else if (!s->found || dt < s->best_doubt ||
                 (dt == s->best_doubt &&
                  (sc < s->best_score ||
                   (sc == s->best_score && m < s->best_measure - 0.01)))) {
        s->found = 1;
        s->best_doubt = dt;
        s->best_score = sc;
        s->best_measure = m;
        memcpy(s->best, s->pick, sizeof s->pick);
      }
      continue;
    }
    step(s, k + 1, s->c[j].next, j + 1, w, f, m, sc, dt);
  }
}

static int run_search(search *s, size_t lines, int diamond) {
  s->lines = lines;
  s->diamond = diamond;
  s->found = 0;
  s->pass = 0;
  step(s, 0, s->first_box, 0, 0, 0, 0, 0, 0);
  if (!s->found)
    return 0;
  double measure = s->best_measure;
  s->pass = 1;
  size_t kept[MAX_LINES];
  int kept_doubt = 0;
  for (int cells = 1; cells <= WIDEN_CELLS; cells++) {
    s->limit = measure + cells * s->cell + 0.01;
    s->found = 0;
    step(s, 0, s->first_box, 0, 0, 0, 0, 0, 0);
    /* a wider shape only for less doubtful breaks */
    if (cells == 1 || s->best_doubt < kept_doubt) {
      memcpy(kept, s->best, sizeof kept);
      kept_doubt = s->best_doubt;
    }
    if (!kept_doubt)
      break;
  }
  memcpy(s->best, kept, sizeof kept);
  return 1;
}

/* Suffixes and prefixes that ICU 72's dictionary sets apart from the
 * word they make, in words common in titles: 数字|化, 档案|馆, 工作|者,
 * 全|省, 各|单位, 第|一批. */
static int is_suffix(uint32_t c) {
  return c == 0x5316 /* 化 */ || c == 0x6027 /* 性 */ || c == 0x578B /* 型 */ ||
         c == 0x7387 /* 率 */ || c == 0x8005 /* 者 */ || c == 0x5458 /* 员 */ ||
         c == 0x9986 /* 馆 */ || c == 0x5C40 /* 局 */;
}

static int is_prefix(uint32_t c) {
  return c == 0x5168 /* 全 */ || c == 0x5404 /* 各 */ || c == 0x7B2C /* 第 */ ||
         c == 0x672C /* 本 */ || c == 0x8BE5 /* 该 */ || c == 0x526F /* 副 */;
}

/* The words the flags mark in p's text; returns their number. */
static size_t words_of(const para *p, const unsigned char *bounds, word *w) {
  const unsigned char *t = (const unsigned char *)p->text.data;
  size_t len = p->text.len, n = 0;
  for (size_t a = 0; a < len;) {
    size_t b = a + 1;
    while (b < len && !bounds[b])
      b++;
    uint32_t c = 0;
    int k = utf8_decode(t + a, b - a, &c);
    w[n++] = (word){a, b, c,
                    k > 0 && (size_t)k == b - a && is_ideograph(c) &&
                        !is_particle(c)};
    a = b;
  }
  return n;
}

/* The dictionary's words, an affix joined to the word of two or more
 * characters before it (a suffix) or the word after it (a prefix). */
static size_t dictionary_words(const para *p, const unsigned char *given,
                               word *w) {
  unsigned char *b = malloc(p->text.len + 1);
  if (!b)
    out_of_memory();
  memcpy(b, given, p->text.len + 1);
  size_t n = words_of(p, given, w);
  for (size_t k = 0; k < n; k++) {
    if (!w[k].single)
      continue;
    if (k > 0 && is_suffix(w[k].first) && !w[k - 1].single &&
        is_ideograph(w[k - 1].first) && !is_particle(w[k - 1].first))
      b[w[k].start] = 0;
    else if (k + 1 < n && is_prefix(w[k].first) &&
             is_ideograph(w[k + 1].first) && !is_particle(w[k + 1].first))
      b[w[k].end] = 0;
  }
  n = words_of(p, b, w);
  free(b);
  return n;
}

/* The cost of a break at byte o between two ideographs, from the words
 * either side (o starts word k). */
static int cost_between(const word *w, size_t k) {
  int l = w[k - 1].single, r = w[k].single;
  if (!l && !r)
    return AT_WORD;
  if (!l || !r)
    return AT_SINGLE;
  size_t before = 0; /* lone characters since the last word */
  while (before < k && w[k - 1 - before].single)
    before++;
  return before % 2 ? AMID_ODD : AMID_EVEN;
}

/* The cost of each candidate: by the rules, and by the dictionary's words
 * when there are any. */
static void cost_candidates(const para *p, const unsigned char *bounds, cand *c,
                            size_t n) {
  word *w = NULL;
  size_t nw = 0;
  if (bounds) {
    w = malloc((p->text.len + 1) * sizeof *w);
    if (!w)
      out_of_memory();
    nw = dictionary_words(p, bounds, w);
  }
  size_t k = 0; /* the word the next candidate may start */
  for (size_t i = 0; i < n; i++) {
    size_t o = p->items[c[i].next].start;
    while (k < nw && w[k].end <= o)
      k++;
    int inside = w && k < nw && w[k].start < o;
    if (!c[i].cjk)
      c[i].score = AT_PHRASE;
    else if (inside)
      c[i].score = IN_WORD;
    else if (c[i].phrase)
      c[i].score = AT_PHRASE;
    else if (w && k > 0 && k < nw)
      c[i].score = cost_between(w, k);
    else
      c[i].score = c[i].run % 2 == 0 ? AT_WORD : AT_SINGLE;
  }
  free(w);
}

static size_t shape(const para *p, int with_dictionary,
                    const unsigned char *given, double width, double cell,
                    size_t min_lines, size_t **out) {
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
    out_of_memory();
  /* the candidates, with what is either side of each */
  size_t run = 0; /* ideographs since the last phrase boundary */
  int any_cjk = 0;
  const item *prev_box = NULL;
  for (size_t i = 0; i < n; i++) {
    if (v[i].kind == ITEM_BOX) {
      uint32_t a = first_cp(p, &v[i]);
      size_t chars = cp_count(p, &v[i]);
      if (is_ideograph(a) && chars == 1) {
        run++;
        /* 关于 (about) ends a word; 的 / 和 / 与 / 及 / 暨 stand alone */
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
    int cjk = is_ideograph(before) && is_ideograph(after);
    int phrase = run == 0 || unit; /* after a particle, or a number's unit */
    if (cjk && !phrase && after == 0x7684 /* 的 */) {
      /* before a closing 的 and two characters: 的通知 */
      size_t left = 0;
      for (size_t q = nx; q < n; q++)
        if (v[q].kind == ITEM_BOX)
          left += cp_count(p, &v[q]);
      phrase = left == 3;
    }
    s.c[s.n++] = (cand){i, nx, phrase, cjk, run, AT_PHRASE};
    any_cjk |= cjk;
  }
  /* the dictionary only for a title that has a break between ideographs
   * and can fit the lines allowed (ICU takes a few ms to start) */
  unsigned char *bounds = NULL;
  if (any_cjk && with_dictionary) {
    double total = line_width(&s, fb, n - 1);
    if (total <= MAX_LINES * width)
      bounds = wordbreak_bounds(p->text.data, p->text.len);
  }
  cost_candidates(p, bounds ? bounds : given, s.c, s.n);
  free(bounds);
  s.c[s.n++] = (cand){n - 1, n, 1, 0, 0, AT_PHRASE};
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
      out_of_memory();
    for (size_t k = 0; k < lines; k++)
      (*out)[k] = s.c[s.best[k]].item;
  }
  free(s.c);
  return lines;
}

size_t title_shape(const para *p, double width, double cell, size_t min_lines,
                   size_t **out) {
  return shape(p, 1, NULL, width, cell, min_lines, out);
}

size_t title_shape_bounds(const para *p, const unsigned char *bounds,
                          double width, double cell, size_t min_lines,
                          size_t **out) {
  return shape(p, 0, bounds, width, cell, min_lines, out);
}

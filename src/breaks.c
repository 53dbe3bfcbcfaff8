/* breaks.c - text -> items.  Two steps: the text is cut into atoms (runs
 * that never break inside and share a face and a style; every CJK character
 * is an atom of its own), then items are emitted for the atoms and for what
 * lies between them, following the classes of the two neighbours. */
#include "breaks.h"

#include <ctype.h>
#include <fribidi.h>
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>

#include "hyph_load.h"
#include "oom.h"
#include "shape.h"
#include "utf8.h"
#include "vec.h"

static void add_span(para *p, const span_style *st) {
  size_t cap = p->cap_spans;
  p->spans =
      vec_grow(p->spans, &p->cap_spans, p->n_spans + 1, sizeof *p->spans);
  if (p->cap_spans != cap) {
    size_t *e = realloc(p->span_end, p->cap_spans * sizeof *e);
    if (!e)
      out_of_memory();
    p->span_end = e;
  }
  p->spans[p->n_spans] = *st;
  p->span_end[p->n_spans] = p->text.len;
  p->n_spans++;
}

/* Field by field: memcmp would compare the padding too. */
static int span_equal(const span_style *a, const span_style *b) {
  return a->fonts == b->fonts && a->shape == b->shape && a->size == b->size &&
         a->color == b->color && a->link == b->link && a->code == b->code &&
         a->strike == b->strike && a->rise == b->rise && a->note == b->note;
}

void para_add_text(para *p, const char *s, size_t len, const span_style *st) {
  if (!len)
    return;
  if (!p->n_spans || !span_equal(&p->spans[p->n_spans - 1], st))
    add_span(p, st);
  buf_put(&p->text, s, len);
  p->span_end[p->n_spans - 1] = p->text.len;
}

void para_add_line_break(para *p, const span_style *st) {
  para_add_text(p, "\xE2\x80\xA8", 3, st);
}

void para_free(para *p) {
  buf_free(&p->text);
  free(p->spans);
  free(p->span_end);
  free(p->items);
  memset(p, 0, sizeof *p);
}

/* ---- character classes ---- */

typedef enum {
  CLS_LATIN,  /* letters, digits, most symbols */
  CLS_CJK,    /* ideographs, kana, hangul: one atom each */
  CLS_OPEN,   /* full-width opening punctuation: blank left half */
  CLS_CLOSE,  /* full-width closing punctuation: blank right half */
  CLS_MIDDLE, /* other full-width punctuation, not compressed */
  CLS_SPACE,
  CLS_BREAK /* U+2028 */
} char_class;

static int is_open_punct(uint32_t c) {
  return c == 0x3008 || c == 0x300A || c == 0x300C || c == 0x300E ||
         c == 0x3010 || c == 0x3014 || c == 0x3016 || c == 0x3018 ||
         c == 0x301A || c == 0x301D || c == 0xFF08 || c == 0xFF3B ||
         c == 0xFF5B || c == 0x2018 || c == 0x201C;
}

static int is_close_punct(uint32_t c) {
  /* In Simplified Chinese 、，。 sit in the left half; ：；？！ are centred
   * and keep their full width. */
  return c == 0x3001 || c == 0x3002 || c == 0xFF0C || c == 0xFF0E ||
         c == 0x3009 || c == 0x300B || c == 0x300D || c == 0x300F ||
         c == 0x3011 || c == 0x3015 || c == 0x3017 || c == 0x3019 ||
         c == 0x301B || c == 0x301E || c == 0x301F || c == 0xFF09 ||
         c == 0xFF3D || c == 0xFF5D || c == 0x2019 || c == 0x201D;
}

static char_class classify(uint32_t c, const font_face *face) {
  if (c == 0x2028)
    return CLS_BREAK;
  if (c == ' ' || c == '\t' || c == '\n' || c == 0x2009 || c == 0x2002 ||
      c == 0x2003)
    return CLS_SPACE;
  int cjk_face = face && font_is_cjk(face);
  if (cjk_face && is_open_punct(c))
    return CLS_OPEN;
  if (cjk_face && is_close_punct(c))
    return CLS_CLOSE;
  if (font_is_cjk_char(c) || (cjk_face && font_is_ambiguous_punct(c)))
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) ||
                   font_is_ambiguous_punct(c)
               ? CLS_MIDDLE
               : CLS_CJK;
  return CLS_LATIN;
}

/* ---- atoms ---- */

typedef struct {
  size_t start, len;
  char_class cls;
  font_face *face;
  int span;
  int fake_bold;
  int replaced;    /* no font has the character: draw U+FFFD */
  int plain;       /* code: no kerning or ligatures */
  unsigned char level; /* bidi embedding level */
  int break_after; /* UAX #14 allows a break after the atom */
  double width;    /* natural width, points */
  double squeeze;  /* punctuation: blank that may be given up, points */
} atom;

typedef struct {
  atom *v;
  size_t n, cap;
} atoms;

static atom *push_atom(atoms *a) {
  a->v = vec_grow(a->v, &a->cap, a->n + 1, sizeof *a->v);
  memset(&a->v[a->n], 0, sizeof *a->v);
  return &a->v[a->n++];
}

static const uint32_t replacement = 0xFFFD;

/* Characters of right-to-left scripts and the bidi controls: without any,
 * a left-to-right paragraph needs no bidi pass. */
static int maybe_rtl(uint32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) ||
         (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10800 && c <= 0x10FFF) ||
         (c >= 0x1E800 && c <= 0x1EFFF) || c == 0x200F || c == 0x202B ||
         c == 0x202E || c == 0x2067 || c == 0x061C;
}

/* The embedding level of each byte of p's text (UAX #9, with FriBidi), and
 * the paragraph's direction in p->rtl; NULL when every level is 0. */
static unsigned char *bidi_levels(para *p, const para_env *env) {
  const unsigned char *s = (const unsigned char *)p->text.data;
  size_t n = p->text.len, chars = 0;
  int any = env->dir < 0;
  for (size_t i = 0; i < n; chars++) {
    uint32_t c;
    int len = utf8_decode(s + i, n - i, &c);
    i += len > 0 ? (size_t)len : 1;
    if (len > 0 && maybe_rtl(c))
      any = 1;
  }
  p->rtl = env->dir < 0;
  if (!any)
    return NULL;
  FriBidiChar *str = malloc(chars * sizeof *str);
  FriBidiCharType *types = malloc(chars * sizeof *types);
  FriBidiBracketType *brackets = malloc(chars * sizeof *brackets);
  FriBidiLevel *lv = malloc(chars * sizeof *lv);
  unsigned char *levels = malloc(n);
  if (!str || !types || !brackets || !lv || !levels)
    out_of_memory();
  chars = 0;
  for (size_t i = 0; i < n; chars++) {
    uint32_t c;
    int len = utf8_decode(s + i, n - i, &c);
    str[chars] = len > 0 ? c : replacement;
    i += len > 0 ? (size_t)len : 1;
  }
  fribidi_get_bidi_types(str, (FriBidiStrIndex)chars, types);
  fribidi_get_bracket_types(str, (FriBidiStrIndex)chars, types, brackets);
  FriBidiParType base = env->dir < 0   ? FRIBIDI_PAR_RTL
                        : env->dir > 0 ? FRIBIDI_PAR_LTR
                                       : FRIBIDI_PAR_ON;
  if (!fribidi_get_par_embedding_levels_ex(types, brackets,
                                           (FriBidiStrIndex)chars, &base, lv))
    memset(lv, env->dir < 0, chars * sizeof *lv);
  else
    p->rtl = FRIBIDI_IS_RTL(base) != 0;
  chars = 0;
  for (size_t i = 0; i < n; chars++) {
    uint32_t c;
    int len = utf8_decode(s + i, n - i, &c);
    size_t step = len > 0 ? (size_t)len : 1;
    memset(levels + i, lv[chars] > 125 ? 125 : lv[chars], step);
    i += step;
  }
  free(str);
  free(types);
  free(brackets);
  free(lv);
  return levels;
}

static void cut_atoms(para *p, const para_env *env, const char *brks,
                      const unsigned char *levels, atoms *out) {
  const unsigned char *s = (const unsigned char *)p->text.data;
  size_t n = p->text.len, span = 0;
  atom *cur = NULL;
  for (size_t i = 0; i < n;) {
    uint32_t c;
    int len = utf8_decode(s + i, n - i, &c);
    if (len <= 0) {
      c = replacement;
      len = 1;
    }
    while (span + 1 < p->n_spans && i >= p->span_end[span])
      span++;
    const span_style *st = &p->spans[span];
    int fake_bold = 0, replaced = 0;
    font_face *face = NULL;
    char_class cls;
    if (c == 0x2028 ||
        (!env->preserve_spaces && (c == ' ' || c == '\n' || c == '\t'))) {
      cls = classify(c, NULL);
    } else {
      face = font_pick(env->fonts, st->fonts, env->rules, st->shape, env->cjk,
                       c, &fake_bold);
      if (!face) {
        if (!p->missing++)
          p->first_missing = c;
        face = font_pick(env->fonts, st->fonts, env->rules, st->shape, 0,
                         replacement, &fake_bold);
        c = replacement;
        replaced = 1;
      }
      cls = classify(c, face);
      if (cls == CLS_SPACE)
        cls = CLS_LATIN; /* kept spaces are drawn like letters */
    }
    size_t last = i + (size_t)len - 1;
    int allow = brks[last] == LINEBREAK_ALLOWBREAK;
    unsigned char level = levels ? levels[i] : 0;
    int join = !replaced && cur && !cur->replaced && cur->cls == CLS_LATIN &&
               cls == CLS_LATIN && cur->face == face &&
               cur->span == (int)span && cur->fake_bold == fake_bold &&
               !cur->break_after && cur->level == level;
    if (cls == CLS_SPACE && cur && cur->cls == CLS_SPACE) {
      cur->len += (size_t)len; /* runs of spaces are one space */
    } else if (join) {
      cur->len += (size_t)len;
    } else {
      cur = push_atom(out);
      cur->start = i;
      cur->len = (size_t)len;
      cur->cls = cls;
      cur->face = face;
      cur->span = (int)span;
      cur->fake_bold = fake_bold;
      cur->replaced = replaced;
      cur->level = level;
    }
    if (face) {
      font_use(face, c);
      cur->width += font_advance(face, c) * st->size;
    }
    cur->break_after = allow;
    i += (size_t)len;
  }
}

#define ATOM_SHAPED_MAX 1024 /* bytes */

/* Each atom's width as HarfBuzz shapes it (kerning, ligatures, local
 * forms), and what full-width punctuation may give up: the font's own
 * half-width form (halt) where it has one, else the blank side of its ink,
 * up to half an em. */
static void shape_atoms(const para *p, const para_env *env, atoms *a) {
  size_t span = 0;
  for (size_t k = 0; k < a->n; k++) {
    atom *at = &a->v[k];
    while (span + 1 < p->n_spans && at->start >= p->span_end[span])
      span++;
    const span_style *st = &p->spans[span];
    at->plain = env->preserve_spaces || st->code;
    if (!at->face || at->replaced || at->cls == CLS_SPACE ||
        at->cls == CLS_BREAK)
      continue;
    shape_how how = {env->lang, at->plain, at->level & 1};
    const char *s = p->text.data + at->start;
    /* an atom this long is always wider than the line: it is cut into
     * pieces, each shaped (emit_latin), and its whole width, summed from
     * the advances, only says so (a 2 MB word shaped whole took 80 MB) */
    if (at->len <= ATOM_SHAPED_MAX)
      at->width = shape_width(at->face, s, at->len, &how, st->size);
    if ((at->cls != CLS_OPEN && at->cls != CLS_CLOSE) || env->grid_cell)
      continue;
    double blank = shape_halt_saving(at->face, s, at->len, &how);
    if (blank < 0) {
      uint32_t c;
      if (utf8_decode((const unsigned char *)s, at->len, &c) <= 0)
        continue;
      double left, right;
      font_blank_sides(at->face, c, &left, &right);
      blank = at->cls == CLS_OPEN ? left : right;
    }
    blank *= st->size;
    at->squeeze = blank < st->size / 2 ? blank : st->size / 2;
  }
}

static int alnum_at(const char *s) {
  unsigned char c = (unsigned char)*s;
  return c < 0x80 && isalnum(c);
}

/* An ideograph (or kana, hangul) and a Latin letter or digit side by side,
 * either way round, with nothing between them. */
static int han_meets_latin(const char *text, const atom *prev,
                           const atom *at) {
  if (prev->cls == CLS_CJK && at->cls == CLS_LATIN)
    return alnum_at(text + at->start);
  if (prev->cls == CLS_LATIN && at->cls == CLS_CJK)
    return alnum_at(text + prev->start + prev->len - 1);
  return 0;
}

/* ---- items ---- */

static item *push_item(para *p, item_kind kind) {
  p->items =
      vec_grow(p->items, &p->cap_items, p->n_items + 1, sizeof *p->items);
  item *it = &p->items[p->n_items++];
  memset(it, 0, sizeof *it);
  it->kind = kind;
  it->span = -1;
  return it;
}

static void penalty(para *p, double value, double width, int flagged) {
  item *it = push_item(p, ITEM_PENALTY);
  it->penalty = value;
  it->width = width;
  it->flagged = flagged;
}

static void glue(para *p, double width, double stretch, double shrink) {
  item *it = push_item(p, ITEM_GLUE);
  it->width = width;
  it->stretch = stretch;
  it->shrink = shrink;
}

static item *box(para *p, const atom *a, size_t start, size_t len,
                 double width) {
  item *it = push_item(p, ITEM_BOX);
  it->width = width;
  it->face = a->face;
  it->span = a->span;
  it->start = start;
  it->len = len;
  it->cjk = a->cls == CLS_CJK;
  it->fake_bold = (unsigned)a->fake_bold;
  it->replaced = (unsigned)a->replaced;
  it->plain = (unsigned)a->plain;
  it->level = a->level;
  return it;
}

static int is_punct_cls(char_class c) {
  return c == CLS_OPEN || c == CLS_CLOSE || c == CLS_MIDDLE;
}

static int is_cjkish(char_class c) { return c == CLS_CJK || is_punct_cls(c); }

/* The characters a URL, path or identifier may break after. */
static int url_separator(unsigned char c) {
  return c == '/' || c == '.' || c == '_' || c == '-' || c == '?' ||
         c == '&' || c == '=' || c == '#' || c == '@' || c == ':';
}

/* A break after a URL's separator, as TeX's \hfil\penalty\hfilneg: a line
 * that ends there may fall short of the measure (the first glue fills it),
 * and when the line goes on the two glues cancel, so a justified line's
 * word spaces need not stretch to make up a URL's piece. */
static void separator_break(para *p, int value, double line_width) {
  double fill = line_width > 0 ? line_width / 2 : 0;
  glue(p, 0, fill, 0);
  penalty(p, value, 0, 0);
  glue(p, 0, -fill, 0);
}

/* The width of a piece of atom a, s[0..len), shaped as it will be drawn. */
static double piece_width(const atom *a, const char *s, size_t len,
                          const para_env *env, const span_style *st) {
  shape_how how = {env->lang, a->plain, a->level & 1};
  return shape_width(a->face, s, len, &how, st->size);
}

/* A token that is not a word: a URL, a path, an identifier (it holds a
 * '/', '_' or '@' and is 12 bytes or more) may break after its separators,
 * before a letter or digit, with no hyphen drawn, so that it need not push
 * a whole line apart; anything else is one box. */
static void emit_token(para *p, const atom *a, const char *s,
                       const span_style *st, const para_env *env) {
  double line_width = env->line_width;
  int splits = a->len >= 12 && (memchr(s, '/', a->len) ||
                                memchr(s, '_', a->len) || memchr(s, '@', a->len));
  size_t from = 0;
  for (size_t i = 1; splits && i + 1 < a->len; i++) {
    unsigned char next = (unsigned char)s[i + 1];
    if (!url_separator((unsigned char)s[i]) || url_separator(next) ||
        !(next >= 0x80 || isalnum(next)))
      continue;
    box(p, a, a->start + from, i + 1 - from,
        piece_width(a, s + from, i + 1 - from, env, st));
    separator_break(p, 100, line_width);
    from = i + 1;
  }
  if (from == 0) {
    box(p, a, a->start, a->len, a->width);
    return;
  }
  box(p, a, a->start + from, a->len - from,
      piece_width(a, s + from, a->len - from, env, st));
}

/* Where a word s[0..len) may be hyphenated by the patterns h: hyph[k] odd
 * when it may break after byte k.  The word is lowercased and given in
 * the patterns' own encoding (ASCII for English, ISO 8859-1 for German's,
 * UTF-8 for French's); libhyphen gives the points per character.  -1 when
 * it is not a word of letters the patterns can read. */
static int word_hyphens(const hyph_patterns *h, const char *s, size_t len,
                        char *hyph) {
  const HyphenDict *d = hyph_dict(h);
  int latin1 = d && !d->utf8, ascii = !d;
  char word[HYPH_MAX_WORD + 1];
  size_t ends[HYPH_MAX_WORD]; /* the last byte of each character */
  size_t n = 0, chars = 0;
  for (size_t i = 0; i < len;) {
    uint32_t c;
    int k = utf8_decode((const unsigned char *)s + i, len - i, &c);
    if (k <= 0)
      return -1;
    if (c < 0x80 ? !isalpha((int)c) : c < 0xC0 || c == 0xD7 || c == 0xF7)
      return -1; /* not a letter */
    if ((ascii && c >= 0x80) || (latin1 && c > 0xFF))
      return -1;
    if (c < 0x80)
      c |= 0x20;
    else if (c >= 0xC0 && c <= 0xDE)
      c += 0x20; /* À-Þ: à-þ */
    if (latin1 || c < 0x80) {
      word[n++] = (char)c;
    } else {
      buf b = {0};
      utf8_encode(&b, c);
      memcpy(word + n, b.data, b.len);
      n += b.len;
      buf_free(&b);
    }
    i += (size_t)k;
    ends[chars++] = i - 1;
  }
  word[n] = '\0';
  char per_char[HYPH_MAX_WORD + 5];
  /* a non-standard hyphenation leaves the word whole */
  if (hyph_word(h, word, n, per_char) != 0)
    return -1;
  /* libhyphen gives a point per byte of an ASCII or ISO 8859-1 word and
   * per character of a UTF-8 one: per character either way here */
  memset(hyph, '0', len);
  hyph[len] = '\0';
  for (size_t k = 0; k + 1 < chars; k++)
    hyph[ends[k]] = per_char[k];
  return 0;
}

/* A letter, or a byte of a character beyond ASCII (most of which are). */
static int letter_byte(char c) {
  return (unsigned char)c >= 0x80 || isalpha((unsigned char)c);
}

/* Splits a Latin atom at hyphenation points and, when it is wider than the
 * line, between characters. */
static void emit_latin(para *p, const atom *a, const para_env *env) {
  const span_style *st = &p->spans[a->span];
  const char *s = p->text.data + a->start;
  if (!a->face) { /* no face to measure pieces with: the atom whole */
    box(p, a, a->start, a->len, a->width);
    return;
  }
  /* hyphenation points of a word of the document's language, if it is
   * one: hyph[k] odd when it may break after byte k */
  char hyph[HYPH_MAX_WORD + 5];
  int can = env->hyphen && a->len >= 5 && a->len < HYPH_MAX_WORD &&
            !st->code && word_hyphens(env->hyphen, s, a->len, hyph) == 0;
  double hyphen_w = can ? piece_width(a, "-", 1, env, st) : 0;
  if (a->width > env->line_width && env->line_width > 0) {
    /* A break may fall between any two characters: at a hyphenation point
     * (a hyphen drawn) or after a separator by preference.  A word of a
     * few lines gets a box per character, so its first piece can fill the
     * line it starts on; a longer one (a 2 MB word) is cut into pieces of
     * a line's width, each a box, so its items stay as few as its lines
     * instead of two per character (hundreds of MB). */
    int per_char = a->width <= 4 * env->line_width;
    size_t i = 0, from = 0;
    double w = 0;
    /* a piece leaves room for the hyphen drawn after it */
    double room = env->line_width - piece_width(a, "-", 1, env, st);
    while (i < a->len) {
      uint32_t c;
      int n = utf8_decode((const unsigned char *)s + i, a->len - i, &c);
      if (n <= 0)
        n = 1, c = replacement;
      double cw = font_advance(a->face, c) * st->size;
      if (i > from && (per_char || w + cw > room)) {
        box(p, a, a->start + from, i - from,
            piece_width(a, s + from, i - from, env, st));
        if (can && (hyph[i - 1] & 1))
          penalty(p, 50, hyphen_w, 1);
        else if (url_separator((unsigned char)s[i - 1]))
          separator_break(p, 10, env->line_width);
        else if (!a->plain && letter_byte(s[i - 1]) && letter_byte(s[i]))
          /* a word cut where no pattern allows: a hyphen shows the cut
           * (not in code, where a hyphen would read as code) */
          penalty(p, 1000, piece_width(a, "-", 1, env, st), 1);
        else
          penalty(p, 1000, 0, 0);
        from = i;
        w = 0;
      }
      w += cw;
      i += (size_t)n;
    }
    box(p, a, a->start + from, a->len - from,
        piece_width(a, s + from, a->len - from, env, st));
    return;
  }
  if (!can) {
    emit_token(p, a, s, st, env);
    return;
  }
  size_t from = 0;
  for (size_t i = 0; i + 1 < a->len; i++) {
    if (!(hyph[i] & 1))
      continue;
    box(p, a, a->start + from, i + 1 - from,
        piece_width(a, s + from, i + 1 - from, env, st));
    penalty(p, 50, hyphen_w, 1);
    from = i + 1;
  }
  box(p, a, a->start + from, a->len - from,
      piece_width(a, s + from, a->len - from, env, st));
}

void para_build(para *p, const para_env *env) {
  p->n_items = 0;
  if (!p->text.len)
    return;
  char *brks = malloc(p->text.len);
  if (!brks)
    out_of_memory();
  /* libunibreak takes U+FFFF for its end of text and asserts on it; the
   * reader replaces it, but titles and headers may come from elsewhere
   * (-M, file names, styles).  U+FFFD has the same length. */
  for (char *q = p->text.data, *end = q + p->text.len;
       (q = memmem(q, (size_t)(end - q), "\xEF\xBF\xBF", 3)) != NULL; q += 3)
    q[2] = (char)0xBD;
  set_linebreaks_utf8((const utf8_t *)p->text.data, p->text.len, env->lang,
                      brks);
  unsigned char *levels = bidi_levels(p, env);
  atoms a = {0};
  cut_atoms(p, env, brks, levels, &a);
  free(brks);
  free(levels);
  shape_atoms(p, env, &a);

  for (size_t k = 0; k < a.n; k++) {
    const atom *at = &a.v[k];
    const atom *prev = k ? &a.v[k - 1] : NULL;
    const atom *next = k + 1 < a.n ? &a.v[k + 1] : NULL;
    const span_style *st = &p->spans[at->span];
    double em = st->size;
    if (at->cls == CLS_BREAK) {
      glue(p, 0, BREAKS_FIL, 0);
      penalty(p, -BREAKS_INF, 0, 0);
      continue;
    }
    if (at->cls == CLS_SPACE) {
      if (!prev || prev->cls == CLS_BREAK || !next)
        continue; /* spaces at the ends of a paragraph or line are dropped */
      /* the space takes the face of the neighbour in its own span: the
       * space after inline code is a word space of the text, not a
       * monospace one (2.3 times as wide) */
      font_face *f = prev->span == at->span && prev->face   ? prev->face
                     : next->span == at->span && next->face ? next->face
                     : prev->face                           ? prev->face
                                                            : next->face;
      double w = f ? font_advance(f, ' ') * em : em / 4;
      if (w <= 0)
        w = em / 4;
      item *g = push_item(p, ITEM_GLUE);
      g->width = w;
      g->stretch = w / 2;
      g->shrink = w / 3;
      g->face = f;
      g->span = at->span;
      g->start = at->start;
      g->len = 1;
      g->level = at->level;
      g->space = f != NULL && font_covers(f, ' ');
      if (g->space)
        font_use(f, ' ');
      continue;
    }
    /* what comes between the previous atom and this one */
    if (prev && prev->cls != CLS_SPACE && prev->cls != CLS_BREAK) {
      int allow = prev->break_after;
      double width = 0, shrink = 0, stretch = 0;
      if (is_cjkish(prev->cls) || is_cjkish(at->cls))
        stretch = em * 0.08; /* CJK justification spreads the characters */
      if (prev->cls == CLS_CLOSE) {
        width = is_punct_cls(at->cls) ? 0 : prev->squeeze;
        shrink = width;
      } else if (at->cls == CLS_OPEN) {
        width = is_punct_cls(prev->cls) ? 0 : at->squeeze;
        shrink = width;
      } else if (env->cjk_latin_space > 0 &&
                 han_meets_latin(p->text.data, prev, at)) {
        /* a quarter em between Chinese and a Latin letter or digit
         * (clreq 3.4.2), which may stretch and shrink a little */
        width = env->cjk_latin_space * em;
        stretch += width / 2;
        shrink = width / 3;
      }
      if (width > 0 || stretch > 0) {
        if (!allow)
          penalty(p, BREAKS_INF, 0, 0);
        glue(p, width, stretch, shrink);
        p->items[p->n_items - 1].level =
            prev->level < at->level ? prev->level : at->level;
      } else if (allow) {
        penalty(p, 0, 0, 0);
      }
    }
    if (at->cls == CLS_LATIN) {
      emit_latin(p, at, env);
    } else {
      /* a full-width punctuation mark gives up its blank half, which the
       * glue beside it stands for */
      double w = at->width, offset = 0;
      if (env->grid_cell > 0 && w < env->grid_cell &&
          st->size > env->grid_size - 0.01 && st->size < env->grid_size + 0.01)
        w = env->grid_cell; /* the glyph stands at the cell's left */
      if (at->cls == CLS_OPEN) {
        w -= at->squeeze;
        offset = -at->squeeze;
      } else if (at->cls == CLS_CLOSE) {
        w -= at->squeeze;
      }
      item *b = box(p, at, at->start, at->len, w);
      b->offset = offset;
    }
  }
  free(a.v);
  glue(p, 0, BREAKS_FIL, 0);
  penalty(p, -BREAKS_INF, 0, 0);
}

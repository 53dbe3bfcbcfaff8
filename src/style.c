/* style.c - style files -> a resolved style.
 *
 * A style starts from neutral defaults; the chain of `extends` is applied
 * from the root down, each file changing only the keys it names.  Every
 * value is checked where it stands, so a message names the file, the line
 * and the key. */
#include "style.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "oom.h"
#include "strmap.h"
#include "ytree.h"

enum { MAX_EXTENDS = 8, MAX_NUMBER_FORMAT = 100 };

static const char *const role_names[DOC_ROLE_COUNT] = {
    [DOC_ROLE_BODY] = "body",           [DOC_ROLE_CATEGORY] = "category",
    [DOC_ROLE_TITLE] = "title",         [DOC_ROLE_SUBTITLE] = "subtitle",
    [DOC_ROLE_META] = "meta",           [DOC_ROLE_H1] = "h1",
    [DOC_ROLE_H2] = "h2",               [DOC_ROLE_H3] = "h3",
    [DOC_ROLE_H4] = "h4",               [DOC_ROLE_H5] = "h5",
    [DOC_ROLE_H6] = "h6",               [DOC_ROLE_QUOTE] = "quote",
    [DOC_ROLE_CODE] = "code",           [DOC_ROLE_LIST] = "list",
    [DOC_ROLE_CAPTION] = "caption",     [DOC_ROLE_HEADER] = "header",
    [DOC_ROLE_FOOTER] = "footer",       [DOC_ROLE_AUTHORITY] = "authority",
    [DOC_ROLE_NUMBER] = "number",       [DOC_ROLE_SIGNATURE] = "signature",
    [DOC_ROLE_CONTENTS] = "contents",   [DOC_ROLE_NOTE] = "footnote",
    [DOC_ROLE_TABLE] = "table",         [DOC_ROLE_TABLE_HEAD] = "table-header",
    [DOC_ROLE_CLASSIFICATION] = "classification",
    [DOC_ROLE_COLOPHON] = "colophon",
};

const char *style_role_name(int role) {
  return role >= 0 && role < DOC_ROLE_COUNT ? role_names[role] : "";
}

int style_role_parse(const char *name) {
  for (int i = 0; i < DOC_ROLE_COUNT; i++)
    if (strcmp(name, role_names[i]) == 0)
      return i;
  return -1;
}

static const char *const size_names[STYLE_SIZE_COUNT] = {"small", "medium",
                                                         "large"};

int style_size_parse(const char *name) {
  for (int i = 0; i < STYLE_SIZE_COUNT; i++)
    if (strcmp(name, size_names[i]) == 0)
      return i;
  return -1;
}

const char *style_size_name(style_size size) { return size_names[size]; }

const style_fonts *style_role_fonts(const style *s, doc_role role) {
  return s->role[role].font.n ? &s->role[role].font
                              : &s->role[DOC_ROLE_BODY].font;
}

void style_grid(const style *s, style_size size, int *lines, int *chars) {
  *lines = *chars = 0;
  if (s->grid_lines <= 0 || s->grid_chars <= 0)
    return;
  /* the same page at another type size: as many lines and characters as
   * the scaled body fits, never fewer than one */
  double k = s->body_pt[STYLE_MEDIUM] / s->body_pt[size];
  *lines = (int)floor(s->grid_lines * k + 1e-6);
  *chars = (int)floor(s->grid_chars * k + 1e-6);
  if (*lines < 1)
    *lines = 1;
  if (*chars < 1)
    *chars = 1;
}

/* ---- defaults ---- */

static void defaults(style *s) {
  s->name = "default";
  s->page_width = 595.276; /* A4 */
  s->page_height = 841.890;
  s->margin_top = s->margin_bottom = s->margin_left = s->margin_right = 72;
  s->body_pt[STYLE_SMALL] = 10.5;
  s->body_pt[STYLE_MEDIUM] = 12;
  s->body_pt[STYLE_LARGE] = 16;
  s->cjk_indent = 2;
  s->hyphen_limit = 2;
  s->head = STYLE_HEAD_ARTICLE;
  s->header = STYLE_HEADER_TITLE;
  s->page_number = "{page} / {pages}";
  s->page_number_pos = STYLE_NUMBER_CENTER;
  s->page_number_gap = -1; /* below the text block by half the margin */
  for (int i = 0; i < DOC_ROLE_COUNT; i++) {
    style_role *r = &s->role[i];
    memset(r, 0, sizeof *r);
    r->size = 1;
    r->leading = 1.4;
    r->align = STYLE_ALIGN_START;
    r->color = 0x000000;
  }
  s->role[DOC_ROLE_BODY].font.name[0] = "Noto Serif";
  s->role[DOC_ROLE_BODY].font.n = 1;
}

/* ---- reading values ---- */

typedef struct {
  style *s;
  const char *file;
  int errors;
} loader;

enum { MAX_ERRORS_SHOWN = 20 };

static void bad(loader *ld, const ytree *v, const char *key, const char *fmt,
                const char *detail) {
  char msg[512];
  snprintf(msg, sizeof msg, fmt, detail);
  if (ld->errors < MAX_ERRORS_SHOWN)
    diag(DIAG_ERROR, ld->file, v->line, v->col, "%s: %s", key, msg);
  else if (ld->errors == MAX_ERRORS_SHOWN)
    diag(DIAG_ERROR, ld->file, v->line, v->col,
         "more errors; the first %d are shown", MAX_ERRORS_SHOWN);
  ld->errors++;
}

static const char *scalar(loader *ld, const ytree *v, const char *key) {
  if (v->kind != YT_SCALAR) {
    bad(ld, v, key, "expected a single value, not a %s",
        v->kind == YT_LIST ? "list" : "mapping");
    return NULL;
  }
  return v->text;
}

static int get_number(loader *ld, const ytree *v, const char *key, double lo,
                      double hi, double *out) {
  const char *t = scalar(ld, v, key);
  if (!t)
    return -1;
  char *end;
  double d = strtod(t, &end);
  if (end == t || *end || !isfinite(d) || d < lo || d > hi) {
    char range[96];
    snprintf(range, sizeof range, "a number from %g to %g, not \"%%s\"", lo,
             hi);
    bad(ld, v, key, range, t);
    return -1;
  }
  *out = d;
  return 0;
}

static int get_int(loader *ld, const ytree *v, const char *key, int lo, int hi,
                   int *out) {
  double d;
  if (get_number(ld, v, key, lo, hi, &d) != 0)
    return -1;
  if (d != floor(d)) {
    bad(ld, v, key, "expected a whole number, not \"%s\"", v->text);
    return -1;
  }
  *out = (int)d;
  return 0;
}

/* v, rounded down to what a message shows: whole numbers from 100, else
 * three significant digits at most, trailing zeros dropped. */
static void format_limit(double v, char *out, size_t size) {
  int places = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  static const double scales[] = {1, 10, 100}; /* pow would bring in libm */
  double scale = scales[places];
  snprintf(out, size, "%.*f", places, floor(v * scale * (1 + 1e-9)) / scale);
  char *dot = strchr(out, '.');
  if (dot) {
    char *end = out + strlen(out);
    while (end > dot + 1 && end[-1] == '0')
      *--end = '\0';
    if (end == dot + 1)
      *dot = '\0';
  }
}

/* A length: a number with pt, mm, cm or in (pt when bare), at most hi
 * points; the limit is told in the unit the value was written in. */
static int get_length(loader *ld, const ytree *v, const char *key, double hi,
                      double *out) {
  static const struct {
    const char *name;
    double pt;
  } units[] = {{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}};
  const char *t = scalar(ld, v, key);
  if (!t)
    return -1;
  char *end;
  double d = strtod(t, &end);
  const char *number_end = end;
  while (*end == ' ')
    end++;
  int u = *end ? -1 : 0;
  for (int i = 0; u < 0 && i < 4; i++)
    if (strcmp(end, units[i].name) == 0)
      u = i;
  if (number_end == t || u < 0 || !isfinite(d)) {
    bad(ld, v, key,
        "expected a length such as 12pt, 37mm, 2.5cm or 1in, not \"%s\"", t);
    return -1;
  }
  if (d < 0 || d * units[u].pt > hi) {
    char limit[160], n[32];
    format_limit(hi / units[u].pt, n, sizeof n);
    snprintf(limit, sizeof limit,
             "expected a length from 0 to %s %s, not \"%%s\"", n,
             units[u].name);
    bad(ld, v, key, limit, t);
    return -1;
  }
  *out = d * units[u].pt;
  return 0;
}

static int get_bool(loader *ld, const ytree *v, const char *key, int *out) {
  const char *t = scalar(ld, v, key);
  if (!t)
    return -1;
  if (!strcmp(t, "true") || !strcmp(t, "yes") || !strcmp(t, "on"))
    *out = 1;
  else if (!strcmp(t, "false") || !strcmp(t, "no") || !strcmp(t, "off"))
    *out = 0;
  else {
    bad(ld, v, key, "expected true or false, not \"%s\"", t);
    return -1;
  }
  return 0;
}

/* One of words (NULL-terminated); its index, or -1 after reporting. */
static int get_word(loader *ld, const ytree *v, const char *key,
                    const char *const *words, int *out) {
  const char *t = scalar(ld, v, key);
  if (!t)
    return -1;
  char allowed[256] = "";
  for (int i = 0; words[i]; i++) {
    if (strcmp(t, words[i]) == 0) {
      *out = i;
      return 0;
    }
    size_t n = strlen(allowed);
    snprintf(allowed + n, sizeof allowed - n, "%s%s", i ? ", " : "", words[i]);
  }
  char fmt[320];
  snprintf(fmt, sizeof fmt, "expected one of %s, not \"%%s\"", allowed);
  bad(ld, v, key, fmt, t);
  return -1;
}

static int get_color(loader *ld, const ytree *v, const char *key,
                     unsigned *out) {
  const char *t = scalar(ld, v, key);
  if (!t)
    return -1;
  int ok = t[0] == '#' && strlen(t) == 7;
  for (int i = 1; ok && i < 7; i++)
    ok = isxdigit((unsigned char)t[i]);
  if (!ok) {
    bad(ld, v, key, "expected a colour as #RRGGBB, not \"%s\"", t);
    return -1;
  }
  *out = (unsigned)strtoul(t + 1, NULL, 16);
  return 0;
}

/* A font list: one name, or a YAML list of names, or "A, B" as in CSS. */
static int fonts_from_text(style *s, const char *text, style_fonts *out) {
  style_fonts f = {0};
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == ',')
      p++;
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    while (len && p[len - 1] == ' ')
      len--;
    if (len) {
      if (f.n == STYLE_MAX_FONTS)
        return -1;
      f.name[f.n++] = arena_strndup(&s->mem, p, len);
    }
    p += len;
    while (*p == ' ')
      p++;
  }
  if (!f.n)
    return -1;
  *out = f;
  return 0;
}

static int get_fonts(loader *ld, const ytree *v, const char *key,
                     style_fonts *out) {
  style_fonts f = {0};
  if (v->kind == YT_SCALAR) {
    if (fonts_from_text(ld->s, v->text, &f) != 0) {
      bad(ld, v, key, "expected one to %s font names", "eight");
      return -1;
    }
  } else if (v->kind == YT_LIST) {
    for (const ytree *c = v->first; c; c = c->next) {
      const char *t = scalar(ld, c, key);
      if (!t)
        return -1;
      if (f.n == STYLE_MAX_FONTS || !*t) {
        bad(ld, c, key, "expected one to %s non-empty font names", "eight");
        return -1;
      }
      f.name[f.n++] = t;
    }
    if (!f.n) {
      bad(ld, v, key, "the font list is %s", "empty");
      return -1;
    }
  } else {
    bad(ld, v, key, "expected a font name or a list of them, not a %s",
        "mapping");
    return -1;
  }
  f.file = ld->file;
  f.line = v->line;
  *out = f;
  return 0;
}

static int expect_map(loader *ld, const ytree *v, const char *key) {
  if (v->kind == YT_MAP)
    return 0;
  bad(ld, v, key, "expected a mapping of keys to values, not %s",
      v->kind == YT_LIST ? "a list" : "a single value");
  return -1;
}

static void unknown(loader *ld, const ytree *v, const char *section,
                    const char *known) {
  char key[160];
  snprintf(key, sizeof key, "%s%s%s", section, *section ? "." : "", v->key);
  bad(ld, v, key, "unknown key (known here: %s)", known);
}

/* Each key of a mapping once: YAML leaves duplicates undefined.  A hash
 * map, so a hostile file of many keys costs linear time. */
static int check_duplicates(loader *ld, const ytree *m) {
  strmap seen = {0};
  int rc = 0;
  for (const ytree *a = m->first; a && rc == 0; a = a->next) {
    if (strmap_add(&seen, a->key, a->line))
      continue;
    char line[32];
    snprintf(line, sizeof line, "%d", strmap_get(&seen, a->key));
    bad(ld, a, a->key, "given twice (first on line %s)", line);
    rc = -1;
  }
  strmap_free(&seen);
  return rc;
}

/* ---- sections ---- */

static const char *const align_words[] = {"left",  "justify", "center",
                                          "right", "start",   "end",
                                          NULL};

static void apply_role(loader *ld, style_role *r, const ytree *m,
                       const char *name) {
  char where[48];
  snprintf(where, sizeof where, "roles.%s", name);
  if (expect_map(ld, m, where) != 0 || check_duplicates(ld, m) != 0)
    return;
  for (const ytree *v = m->first; v; v = v->next) {
    char key[64];
    snprintf(key, sizeof key, "roles.%s.%s", name, v->key);
    const char *k = v->key;
    int w;
    if (!strcmp(k, "font"))
      get_fonts(ld, v, key, &r->font);
    else if (!strcmp(k, "size"))
      get_number(ld, v, key, 0.2, 10, &r->size);
    else if (!strcmp(k, "leading"))
      get_number(ld, v, key, 0.8, 5, &r->leading);
    else if (!strcmp(k, "space-before"))
      get_number(ld, v, key, 0, 20, &r->space_before);
    else if (!strcmp(k, "space-after"))
      get_number(ld, v, key, 0, 20, &r->space_after);
    else if (!strcmp(k, "indent"))
      get_number(ld, v, key, 0, 20, &r->indent);
    else if (!strcmp(k, "align")) {
      static const style_align map[] = {
          STYLE_ALIGN_START, STYLE_ALIGN_JUSTIFY, STYLE_ALIGN_CENTER,
          STYLE_ALIGN_END,   STYLE_ALIGN_START,   STYLE_ALIGN_END};
      if (get_word(ld, v, key, align_words, &w) == 0)
        r->align = map[w];
    } else if (!strcmp(k, "color"))
      get_color(ld, v, key, &r->color);
    else if (!strcmp(k, "weight")) {
      static const char *const words[] = {"normal", "bold", NULL};
      if (get_word(ld, v, key, words, &w) == 0)
        r->bold = w;
    } else if (!strcmp(k, "style")) {
      static const char *const words[] = {"normal", "italic", NULL};
      if (get_word(ld, v, key, words, &w) == 0)
        r->italic = w;
    } else if (!strcmp(k, "keep-with-next"))
      get_bool(ld, v, key, &r->keep_with_next);
    else if (!strcmp(k, "keep-with-previous")) {
      if (strcmp(name, "caption") != 0) /* figures are all that floats */
        bad(ld, v, key, "%s", "only the caption role (figures) takes it");
      else
        get_bool(ld, v, key, &r->keep_with_previous);
    } else if (!strcmp(k, "page-break-before"))
      get_bool(ld, v, key, &r->page_break_before);
    else {
      char section[48];
      snprintf(section, sizeof section, "roles.%s", name);
      unknown(ld, v, section,
              "font, size, leading, space-before, space-after, indent, "
              "align, color, weight, style, keep-with-next, "
              "keep-with-previous, page-break-before");
    }
  }
}

static const struct {
  const char *name;
  double w, h; /* mm */
} paper[] = {{"A4", 210, 297},     {"A5", 148, 210},    {"A3", 297, 420},
             {"B5", 176, 250},     {"letter", 215.9, 279.4},
             {"legal", 215.9, 355.6}};

static void apply_page(loader *ld, const ytree *m) {
  style *s = ld->s;
  if (expect_map(ld, m, "page") != 0 || check_duplicates(ld, m) != 0)
    return;
  const double max = 5000 * 72 / 25.4;
  double text_w = -1, text_h = -1;
  for (const ytree *v = m->first; v; v = v->next) {
    char key[64];
    snprintf(key, sizeof key, "page.%s", v->key);
    const char *k = v->key;
    if (!strcmp(k, "size")) {
      const char *t = scalar(ld, v, key);
      size_t i = 0, n = sizeof paper / sizeof *paper;
      while (t && i < n && strcasecmp(t, paper[i].name) != 0)
        i++;
      if (t && i < n) {
        s->page_width = paper[i].w * 72 / 25.4;
        s->page_height = paper[i].h * 72 / 25.4;
      } else if (t) {
        bad(ld, v, key,
            "expected A3, A4, A5, B5, letter or legal (or give width and "
            "height), not \"%s\"",
            t);
      }
    } else if (!strcmp(k, "width"))
      get_length(ld, v, key, max, &s->page_width);
    else if (!strcmp(k, "height"))
      get_length(ld, v, key, max, &s->page_height);
    else if (!strcmp(k, "margin")) {
      double d;
      if (get_length(ld, v, key, max, &d) == 0)
        s->margin_top = s->margin_right = s->margin_bottom = s->margin_left = d;
    } else if (!strcmp(k, "margin-top"))
      get_length(ld, v, key, max, &s->margin_top);
    else if (!strcmp(k, "margin-bottom"))
      get_length(ld, v, key, max, &s->margin_bottom);
    else if (!strcmp(k, "margin-left"))
      get_length(ld, v, key, max, &s->margin_left);
    else if (!strcmp(k, "margin-right"))
      get_length(ld, v, key, max, &s->margin_right);
    else if (!strcmp(k, "text-width"))
      get_length(ld, v, key, max, &text_w);
    else if (!strcmp(k, "text-height"))
      get_length(ld, v, key, max, &text_h);
    else if (!strcmp(k, "grid")) {
      if (expect_map(ld, v, key) != 0 || check_duplicates(ld, v) != 0)
        continue;
      for (const ytree *g = v->first; g; g = g->next) {
        char gk[64];
        snprintf(gk, sizeof gk, "page.grid.%s", g->key);
        if (!strcmp(g->key, "lines"))
          get_int(ld, g, gk, 0, 200, &s->grid_lines);
        else if (!strcmp(g->key, "chars"))
          get_int(ld, g, gk, 0, 400, &s->grid_chars);
        else
          unknown(ld, g, "page.grid", "lines, chars");
      }
    } else
      unknown(ld, v, "page",
              "size, width, height, margin, margin-top, margin-bottom, "
              "margin-left, margin-right, text-width, text-height, grid");
  }
  /* a text block given by its size sets the right and bottom margins */
  if (text_w >= 0)
    s->margin_right = s->page_width - s->margin_left - text_w;
  if (text_h >= 0)
    s->margin_bottom = s->page_height - s->margin_top - text_h;
}

static void apply_sizes(loader *ld, const ytree *m) {
  if (expect_map(ld, m, "sizes") != 0 || check_duplicates(ld, m) != 0)
    return;
  for (const ytree *v = m->first; v; v = v->next) {
    char key[64];
    snprintf(key, sizeof key, "sizes.%s", v->key);
    int i = style_size_parse(v->key);
    if (i < 0) {
      unknown(ld, v, "sizes", "small, medium, large");
      continue;
    }
    double d;
    if (get_length(ld, v, key, 200, &d) == 0) {
      if (d < 4)
        bad(ld, v, key, "a body size of at least 4pt, not \"%s\"", v->text);
      else
        ld->s->body_pt[i] = d;
    }
  }
}

static void apply_page_number(loader *ld, const ytree *m) {
  style *s = ld->s;
  if (m->kind == YT_SCALAR) { /* just the format; "none" for no number */
    if (strlen(m->text) > MAX_NUMBER_FORMAT)
      bad(ld, m, "page-number", "a format of at most %s bytes", "100");
    else
      s->page_number = strcmp(m->text, "none") == 0 ? "" : m->text;
    return;
  }
  if (expect_map(ld, m, "page-number") != 0 || check_duplicates(ld, m) != 0)
    return;
  for (const ytree *v = m->first; v; v = v->next) {
    char key[64];
    snprintf(key, sizeof key, "page-number.%s", v->key);
    if (!strcmp(v->key, "format")) {
      const char *t = scalar(ld, v, key);
      if (t && strlen(t) > MAX_NUMBER_FORMAT)
        bad(ld, v, key, "a format of at most %s bytes", "100");
      else if (t)
        s->page_number = strcmp(t, "none") == 0 ? "" : t;
    } else if (!strcmp(v->key, "position")) {
      static const char *const words[] = {"center", "outside", NULL};
      int w;
      if (get_word(ld, v, key, words, &w) == 0)
        s->page_number_pos = (style_number_pos)w;
    } else if (!strcmp(v->key, "gap")) {
      get_length(ld, v, key, 1000, &s->page_number_gap);
    } else {
      unknown(ld, v, "page-number", "format, position, gap");
    }
  }
}

static void apply(loader *ld, const ytree *root) {
  style *s = ld->s;
  for (const ytree *v = root->first; v; v = v->next) {
    const char *k = v->key;
    int w;
    if (!strcmp(k, "extends") || !strcmp(k, "description"))
      continue; /* handled by the loader; free text */
    if (!strcmp(k, "name")) {
      const char *t = scalar(ld, v, k);
      if (t)
        s->name = t;
    } else if (!strcmp(k, "page"))
      apply_page(ld, v);
    else if (!strcmp(k, "sizes"))
      apply_sizes(ld, v);
    else if (!strcmp(k, "cjk-indent"))
      get_number(ld, v, k, 0, 10, &s->cjk_indent);
    else if (!strcmp(k, "cjk-latin-space"))
      get_number(ld, v, k, 0, 1, &s->cjk_latin_space);
    else if (!strcmp(k, "hyphen-limit")) {
      double limit = s->hyphen_limit;
      if (get_number(ld, v, k, 1, 10, &limit) == 0)
        s->hyphen_limit = (int)limit;
    }
    else if (!strcmp(k, "cjk-latin-font"))
      get_fonts(ld, v, k, &s->cjk_latin);
    else if (!strcmp(k, "cjk-emphasis-font"))
      get_fonts(ld, v, k, &s->cjk_emphasis);
    else if (!strcmp(k, "head")) {
      static const char *const words[] = {"article", "circular", NULL};
      if (get_word(ld, v, k, words, &w) == 0)
        s->head = (style_head)w;
    } else if (!strcmp(k, "masthead")) {
      static const char *const words[] = {"document", "letter", NULL};
      if (get_word(ld, v, k, words, &w) == 0)
        s->masthead = (style_masthead)w;
    } else if (!strcmp(k, "running-header")) {
      static const char *const words[] = {"none", "title", "chapter", NULL};
      if (get_word(ld, v, k, words, &w) == 0)
        s->header = (style_header)w;
    } else if (!strcmp(k, "page-number"))
      apply_page_number(ld, v);
    else if (!strcmp(k, "contents"))
      get_bool(ld, v, k, &s->contents);
    else if (!strcmp(k, "signature"))
      get_bool(ld, v, k, &s->signature);
    else if (!strcmp(k, "roles")) {
      if (expect_map(ld, v, k) != 0 || check_duplicates(ld, v) != 0)
        continue;
      for (const ytree *r = v->first; r; r = r->next) {
        int role = style_role_parse(r->key);
        if (role < 0)
          unknown(ld, r, "roles",
                  "body, category, title, subtitle, meta, h1-h6, quote, code, "
                  "list, caption, header, footer, authority, number, "
                  "signature, contents, footnote, table, table-header, "
                  "classification, colophon");
        else
          apply_role(ld, &s->role[role], r, r->key);
      }
    } else
      unknown(ld, v, "",
              "name, description, extends, page, sizes, cjk-indent, "
              "cjk-latin-space, cjk-latin-font, cjk-emphasis-font, "
              "hyphen-limit, head, "
              "masthead, "
              "running-header, "
              "page-number, contents, signature, roles");
  }
}

/* ---- files and the extends chain ---- */

static int is_path(const char *name) {
  size_t n = strlen(name);
  return strchr(name, '/') ||
         (n > 5 && (strcmp(name + n - 5, ".yaml") == 0)) ||
         (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int is_builtin_name(const char *name) {
  if (!*name)
    return 0;
  for (const char *p = name; *p; p++)
    if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
        *p != '-')
      return 0;
  return 1;
}

/* The file a style name stands for, relative to the folder of the file
 * that names it (for extends), in the arena. */
static const char *style_path(style *s, const char *name, const char *from_dir,
                              const char *styles_dir) {
  buf b = {0};
  if (is_path(name)) {
    if (name[0] != '/' && from_dir)
      buf_printf(&b, "%s/", from_dir);
    buf_puts(&b, name);
  } else if (is_builtin_name(name)) {
    buf_printf(&b, "%s/%s.yaml", styles_dir, name);
  } else {
    return NULL;
  }
  const char *p = arena_strndup(&s->mem, b.data, b.len);
  buf_free(&b);
  return p;
}

static const char *dir_of(style *s, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return ".";
  if (slash == path)
    return "/";
  return arena_strndup(&s->mem, path, (size_t)(slash - path));
}

style *style_load(const char *name, const char *styles_dir) {
  style *s = calloc(1, sizeof *s);
  if (!s)
    out_of_memory();
  defaults(s);
  const char *chain[MAX_EXTENDS + 1];
  const ytree *roots[MAX_EXTENDS + 1];
  int n = 0, errors = 0;
  const char *path = style_path(s, name, NULL, styles_dir);
  if (!path || (!is_path(name) && access(path, R_OK) != 0)) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "unknown style \"%s\": give a built-in name (article, book, "
         "circular) or a style file's path",
         name);
    style_free(s);
    return NULL;
  }
  /* read the chain from the named style up to its root */
  while (path) {
    /* the same file however it is spelt */
    char *real = realpath(path, NULL);
    if (real) {
      path = arena_strndup(&s->mem, real, strlen(real));
      free(real);
    }
    for (int i = 0; i < n; i++)
      if (strcmp(chain[i], path) == 0) {
        diag(DIAG_ERROR, path, 0, 0, "extends itself (through %s)",
             chain[n - 1]);
        style_free(s);
        return NULL;
      }
    if (n > MAX_EXTENDS) {
      diag(DIAG_ERROR, path, 0, 0, "more than %d styles extend each other",
           MAX_EXTENDS);
      style_free(s);
      return NULL;
    }
    int before = diag_error_count();
    const ytree *root = ytree_load(path, &s->mem);
    if (!root) {
      if (diag_error_count() == before)
        diag(DIAG_ERROR, path, 0, 0, "the style file is empty");
      style_free(s);
      return NULL;
    }
    if (root->kind != YT_MAP) {
      diag(DIAG_ERROR, path, root->line, root->col,
           "a style file is a mapping of keys to values");
      style_free(s);
      return NULL;
    }
    chain[n] = path;
    roots[n++] = root;
    const ytree *ext = ytree_get(root, "extends");
    path = NULL;
    if (ext) {
      loader ld = {.s = s, .file = chain[n - 1]};
      const char *t = scalar(&ld, ext, "extends");
      if (t)
        path = style_path(s, t, dir_of(s, chain[n - 1]), styles_dir);
      if (t && !path) {
        bad(&ld, ext, "extends",
            "expected a built-in style name or a .yaml file, not \"%s\"", t);
      }
      if (ld.errors) {
        style_free(s);
        return NULL;
      }
    }
  }
  for (int i = n - 1; i >= 0; i--) {
    loader ld = {.s = s, .file = chain[i]};
    if (check_duplicates(&ld, roots[i]) == 0)
      apply(&ld, roots[i]);
    errors += ld.errors;
  }
  s->file = chain[0];
  double tw = s->page_width - s->margin_left - s->margin_right;
  double th = s->page_height - s->margin_top - s->margin_bottom;
  if (!errors && (s->margin_top < 0 || s->margin_bottom < 0 ||
                  s->margin_left < 0 || s->margin_right < 0)) {
    diag(DIAG_ERROR, s->file, 0, 0,
         "page: the text block and margins do not fit on the page "
         "(a margin comes out negative)");
    errors++;
  }
  if (!errors && (tw < 72 || th < 72)) {
    diag(DIAG_ERROR, s->file, 0, 0,
         "page: the text block is %.0f x %.0f pt; the margins leave less "
         "than an inch",
         tw, th);
    errors++;
  }
  if (!errors && !(s->body_pt[STYLE_SMALL] <= s->body_pt[STYLE_MEDIUM] &&
                   s->body_pt[STYLE_MEDIUM] <= s->body_pt[STYLE_LARGE])) {
    diag(DIAG_ERROR, s->file, 0, 0,
         "sizes: small, medium and large must not shrink as they go");
    errors++;
  }
  if (errors) {
    style_free(s);
    return NULL;
  }
  return s;
}

void style_free(style *s) {
  if (!s)
    return;
  arena_free(s->mem);
  free(s);
}

int style_set_fonts(style *s, int role, const char *list, const char *origin) {
  style_fonts f;
  if (fonts_from_text(s, list, &f) != 0) {
    diag(DIAG_ERROR, NULL, 0, 0, "%s: expected one to eight font names", origin);
    return -1;
  }
  f.file = origin;
  f.line = 0;
  s->role[role < 0 ? DOC_ROLE_BODY : role].font = f;
  return 0;
}

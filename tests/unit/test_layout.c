/* Tests of line breaking and layout with the bundled fonts. */
#include <math.h>
#include <stdlib.h>

#include "breaks.h"
#include "diag.h"
#include "font.h"
#include "layout.h"
#include "linebreak.h"
#include "read_md.h"
#include "hyph_load.h"
#include "test.h"
#include "titleshape.h"
#include "wordbreak.h"

static font_set *fonts(void) {
  static font_set *fs;
  if (!fs)
    fs = font_set_load();
  return fs;
}

/* The article style's fonts, resolved once. */
static const font_stacks *article_fonts(void) {
  static font_stacks lf;
  static int done;
  if (!done && fonts() && unit_style("article"))
    done = font_stacks_resolve(fonts(), unit_style("article"), &lf) == 0;
  return &lf;
}

static span_style body_span(double size) {
  span_style s = {.fonts = &article_fonts()->role[DOC_ROLE_BODY],
                  .shape = FONT_REGULAR,
                  .size = size,
                  .color = 0,
                  .link = -1};
  return s;
}

static void build(para *p, const char *text, int cjk, double width,
                  const hyph_patterns *hyph) {
  span_style s = body_span(10);
  para_add_text(p, text, strlen(text), &s);
  para_env env = {.fonts = fonts(),
                  .rules = &article_fonts()->rules,
                  .lang = cjk ? "zh" : "en",
                  .cjk = cjk,
                  .hyphen = hyph,
                  .line_width = width};
  para_build(p, &env);
}

/* Index of the box drawing the bytes of s, or -1. */
static long box_of(const para *p, const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < p->n_items; i++)
    if (p->items[i].kind == ITEM_BOX && p->items[i].len == n &&
        memcmp(p->text.data + p->items[i].start, s, n) == 0)
      return (long)i;
  return -1;
}

static int breakable(const para *p, size_t i) {
  const item *it = &p->items[i];
  if (it->kind == ITEM_PENALTY)
    return it->penalty < BREAKS_INF;
  return it->kind == ITEM_GLUE && i > 0 && p->items[i - 1].kind == ITEM_BOX;
}

void test_breaks_cjk_punctuation(void) {
  if (!fonts()) {
    CHECK(!"fonts load");
    return;
  }
  para p = {0};
  build(&p, "中文，测试。「引号」完", 1, 400, NULL);
  long comma = box_of(&p, "，"), stop = box_of(&p, "。"),
       open = box_of(&p, "「"), close = box_of(&p, "」");
  CHECK(comma > 0 && stop > 0 && open > 0 && close > 0);
  if (comma > 0 && stop > 0 && open > 0 && close > 0) {
    /* no break just before closing punctuation */
    CHECK(!breakable(&p, (size_t)comma - 1));
    CHECK(!breakable(&p, (size_t)close - 1));
    /* a full-width mark gives up its blank side (at most half an em) to
     * the glue after it: together they keep the full em */
    const item *after_comma = &p.items[comma + 1];
    CHECK(after_comma->kind == ITEM_GLUE);
    CHECK(after_comma->width > 1 && after_comma->width <= 5.001);
    CHECK(fabs(after_comma->shrink - after_comma->width) < 0.001);
    CHECK(fabs(p.items[comma].width + after_comma->width - 10) < 0.01);
    /* 。 followed by 「: the pair shares no blank at all */
    CHECK(p.items[stop + 1].kind == ITEM_GLUE && p.items[stop + 1].width == 0);
    CHECK(p.items[open].offset < -1 && p.items[open].offset >= -5.001);
    /* no break just after the opening bracket */
    CHECK(!breakable(&p, (size_t)open + 1));
  }
  para_free(&p);
}

void test_breaks_latin_words(void) {
  hyph_patterns *dict = hyph_load("/usr/share/hyphen/hyph_en_US.dic");
  para p = {0};
  build(&p, "  Extraordinary   well-known words  ", 0, 400, dict);
  int glue = 0, flagged = 0;
  for (size_t i = 0; i < p.n_items; i++) {
    glue += p.items[i].kind == ITEM_GLUE && p.items[i].space;
    flagged += p.items[i].kind == ITEM_PENALTY && p.items[i].flagged;
  }
  CHECK(glue == 2); /* runs of spaces are one; ends are dropped */
  if (dict)
    CHECK(flagged >= 2); /* extra-or-di-nary */
  CHECK(p.items[p.n_items - 1].kind == ITEM_PENALTY &&
        p.items[p.n_items - 1].penalty <= -BREAKS_INF);
  para_free(&p);
  hyph_free(dict);
}

/* Width of line k as set: boxes and glue adjusted by the ratio. */
static double set_width(const para *p, const line_break *lines, size_t k) {
  size_t from = k ? lines[k - 1].end + 1 : 0;
  while (from < p->n_items && p->items[from].kind != ITEM_BOX)
    from++;
  double w = 0, r = lines[k].ratio;
  for (size_t i = from; i < lines[k].end; i++) {
    const item *it = &p->items[i];
    if (it->kind == ITEM_BOX)
      w += it->width;
    else if (it->kind == ITEM_GLUE && it->stretch < BREAKS_FIL)
      w += it->width + (r > 0 ? r * it->stretch : r * it->shrink);
  }
  if (p->items[lines[k].end].kind == ITEM_PENALTY)
    w += p->items[lines[k].end].width;
  return w;
}

void test_linebreak_total_fit(void) {
  para p = {0};
  build(&p,
        "The project was approved by the city council in January. It will be "
        "paid for from the library's capital budget together with a grant "
        "from a regional heritage fund. Scanning began last week in a "
        "converted storeroom on the ground floor, where two overhead book "
        "scanners and a flatbed photo scanner have been installed.",
        0, 200, NULL);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, 200, 1, 2, &lines);
  CHECK(n >= 8 && n <= 14);
  int fits = 1, justified = 1;
  for (size_t k = 0; k < n; k++) {
    double w = set_width(&p, lines, k);
    if (w > 200.01 || lines[k].ratio < -1)
      fits = 0;
    if (k + 1 < n && fabs(w - 200) > 0.5)
      justified = 0;
  }
  CHECK(fits);
  CHECK(justified); /* every line but the last fills the measure */
  CHECK(lines[n - 1].ratio == 0);
  free(lines);
  para_free(&p);
}

/* A hyphen ending a paragraph's last full line costs what TeX's
 * \finalhyphendemerits does: here the line that ends "ab-" is tighter
 * (ratio -0.33, demerits 2688) than the one ending at the space before
 * (ratio 0.8, 3745), but the hyphen before the last line tips it. */
void test_linebreak_final_hyphen(void) {
  item v[12];
  memset(v, 0, sizeof v);
  size_t n = 0;
  double w[] = {40, 10, 30, 10, 7, 5, 20, 10, 10};
  item_kind k[] = {ITEM_BOX, ITEM_GLUE, ITEM_BOX, ITEM_GLUE, ITEM_BOX,
                   ITEM_PENALTY, ITEM_BOX, ITEM_GLUE, ITEM_BOX};
  for (; n < 9; n++) {
    v[n].kind = k[n];
    v[n].width = w[n];
    v[n].span = -1;
    if (k[n] == ITEM_GLUE)
      v[n].stretch = n == 1 ? 25 : 10, v[n].shrink = 3;
  }
  v[5].penalty = 50;
  v[5].flagged = 1;
  v[n].kind = ITEM_GLUE, v[n].stretch = BREAKS_FIL, n++;
  v[n].kind = ITEM_PENALTY, v[n].penalty = -BREAKS_INF, n++;
  line_break *lines = NULL;
  size_t count = linebreak(v, n, 100, 1, 2, &lines);
  CHECK(count == 2 && lines[0].end == 3); /* at the space, not "ab-" */
  free(lines);
}

void test_linebreak_overlong_word(void) {
  para p = {0};
  char word[400];
  memset(word, 'x', 300);
  word[300] = '\0';
  build(&p, word, 0, 100, NULL);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, 100, 1, 2, &lines);
  CHECK(n > 5);
  int fits = 1;
  for (size_t k = 0; k < n; k++)
    if (set_width(&p, lines, k) > 100.01)
      fits = 0;
  CHECK(fits);
  free(lines);
  para_free(&p);
}

void test_linebreak_no_lonely_cjk_last_line(void) {
  /* 41 ideographs on lines of 20: first fit leaves one on the last line */
  buf text = {0};
  for (int i = 0; i < 41; i++)
    buf_puts(&text, "档");
  para p = {0};
  build(&p, text.data, 1, 200, NULL);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, 200, 1, 2, &lines);
  CHECK(n == 3);
  size_t from = lines[n - 2].end + 1, boxes = 0;
  for (size_t i = from; i < lines[n - 1].end; i++)
    boxes += p.items[i].kind == ITEM_BOX;
  CHECK(boxes >= 2);
  free(lines);
  para_free(&p);
  buf_free(&text);
}

/* The text of the last line of p as broken by lines. */
static void last_line_text(const para *p, const line_break *lines, size_t n,
                           buf *out) {
  size_t from = n > 1 ? lines[n - 2].end + 1 : 0;
  for (size_t i = from; i < lines[n - 1].end; i++)
    if (p->items[i].kind == ITEM_BOX)
      buf_put(out, p->text.data + p->items[i].start, p->items[i].len);
  buf_put(out, "", 1);
}

void test_linebreak_no_lonely_cjk_with_punctuation(void) {
  /* 40 ideographs and 试）。 on lines of 20: first fit leaves 试）。 (one
   * character and its closing punctuation) alone on the last line; the
   * same with 试。” and “试”。 */
  static const char *ends[] = {"试）。", "试。”", "“试”。"};
  for (size_t e = 0; e < sizeof ends / sizeof *ends; e++) {
    buf text = {0};
    for (int i = 0; i < 40; i++)
      buf_puts(&text, "档");
    buf_puts(&text, ends[e]);
    para p = {0};
    build(&p, text.data, 1, 200, NULL);
    line_break *lines = NULL;
    size_t n = linebreak(p.items, p.n_items, 200, 1, 2, &lines);
    CHECK(n == 3);
    buf last = {0};
    last_line_text(&p, lines, n, &last);
    CHECK(strcmp(last.data, ends[e]) != 0);
    CHECK(strlen(last.data) > strlen(ends[e])); /* a character came down */
    free(lines);
    para_free(&p);
    buf_free(&text);
    buf_free(&last);
  }
  /* 测试）。 on the last line is not lonely: one character comes down,
   * no more */
  buf text = {0};
  for (int i = 0; i < 39; i++)
    buf_puts(&text, "档");
  buf_puts(&text, "测试）。");
  para p = {0};
  build(&p, text.data, 1, 200, NULL);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, 200, 1, 2, &lines);
  buf last = {0};
  if (n)
    last_line_text(&p, lines, n, &last);
  CHECK(n == 3 && strcmp(last.data, "测试）。") == 0);
  free(lines);
  para_free(&p);
  buf_free(&text);
  buf_free(&last);
}

void test_linebreak_first_fit_for_long_paragraphs(void) {
  buf text = {0};
  for (int i = 0; i < 25000; i++)
    buf_puts(&text, "word ");
  para p = {0};
  build(&p, text.data, 0, 300, NULL);
  CHECK(p.n_items > LINEBREAK_TOTAL_FIT_LIMIT);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, 300, 1, 2, &lines);
  CHECK(n > 100);
  int fits = 1;
  for (size_t k = 0; k < n; k++)
    if (set_width(&p, lines, k) > 300.01)
      fits = 0;
  CHECK(fits);
  free(lines);
  para_free(&p);
  buf_free(&text);
}

/* Word boundaries over text, from the words written with '|' between
 * them; the text without the bars goes to *plain. */
static unsigned char *bars_to_bounds(const char *words, buf *plain) {
  size_t n = strlen(words);
  unsigned char *b = calloc(n + 1, 1);
  if (!b)
    abort();
  b[0] = 1;
  for (size_t i = 0; i < n; i++) {
    if (words[i] == '|')
      b[plain->len] = 1;
    else
      buf_put(plain, words + i, 1);
  }
  b[plain->len] = 1;
  buf_put(plain, "", 1);
  plain->len--;
  return b;
}

/* A title's lines as title_shape_bounds sets them, " / " between them. */
static void title_lines(const char *text, const unsigned char *bounds,
                        double width, size_t min_lines, buf *out) {
  para p = {0};
  build(&p, text, 1, width, NULL);
  size_t *ends = NULL;
  size_t n = title_shape_bounds(&p, bounds, width, 10, min_lines, &ends);
  size_t from = 0;
  for (size_t k = 0; k < n; k++) {
    if (k)
      buf_puts(out, " / ");
    for (size_t i = from; i < ends[k]; i++)
      if (p.items[i].kind == ITEM_BOX)
        buf_put(out, p.text.data + p.items[i].start, p.items[i].len);
    from = ends[k] + 1;
  }
  buf_put(out, "", 1);
  free(ends);
  para_free(&p);
}

void test_titleshape_between_words(void) {
  /* 14 characters on lines of 10: the inverted trapezoid's shortest first
   * line is 7 characters, and a line within one character of it is as
   * good.  Without words the rules alone keep an even run: 数字 whole, but
   * 数字化 cut */
  const char *title = "关于做好档案数字化工作的通知";
  buf got = {0};
  title_lines(title, NULL, 100, 2, &got);
  CHECK_STR(got.data, "关于做好档案数字 / 化工作的通知");
  /* the words as ICU gives them, 化 apart: the suffix is joined to 数字,
   * and a first line two characters wider keeps 数字化 whole */
  buf plain = {0};
  unsigned char *b =
      bars_to_bounds("关于|做好|档案|数字|化|工作|的|通知", &plain);
  CHECK_STR(plain.data, title);
  got.len = 0;
  title_lines(plain.data, b, 100, 2, &got);
  CHECK_STR(got.data, "关于做好档案数字化 / 工作的通知");
  free(b);
  /* a word of four characters, cut anywhere a shape within one character
   * allows (lines of 12): the line goes to its end, three wider */
  plain.len = 0;
  b = bars_to_bounds("关于|做好|档案|馆库房改造|工作|的|通知", &plain);
  got.len = 0;
  title_lines(plain.data, b, 120, 2, &got);
  CHECK_STR(got.data, "关于做好档案馆库房改造 / 工作的通知");
  free(b);
  /* characters the dictionary sets one by one (印发临江市 unknown to it):
   * a break beside a word (市|档案) before one amid them, and amid them
   * after an even number (临江|市) before an odd (临|江市) */
  plain.len = 0;
  b = bars_to_bounds("临|江|市|人民政府|办公|室|关于|印|发|临|江|市|档案|信息|"
                     "化|发展|规划|的|通知",
                     &plain);
  got.len = 0;
  title_lines(plain.data, b, 200, 2, &got);
  CHECK_STR(got.data,
            "临江市人民政府办公室关于印发临江市 / 档案信息化发展规划的通知");
  got.len = 0;
  title_lines(plain.data, b, 165, 2, &got); /* no room for 市 */
  CHECK_STR(got.data,
            "临江市人民政府办公室关于印发临江 / 市档案信息化发展规划的通知");
  free(b);
  buf_free(&plain);
  buf_free(&got);
}

void test_titleshape_no_lone_character(void) {
  /* four lines of 档案工作规定（试行）: none may hold one character with
   * only its punctuation (（试, 行）), so no shape of four lines exists */
  buf got = {0};
  title_lines("档案工作规定（试行）", NULL, 50, 4, &got);
  CHECK_STR(got.data, "");
  /* three lines do */
  got.len = 0;
  title_lines("档案工作规定（试行）", NULL, 50, 3, &got);
  CHECK_STR(got.data, "档案工 / 作规定 / （试行）");
  buf_free(&got);
}

void test_wordbreak_icu(void) {
  const char *t = "关于做好2026年档案工作的通知";
  unsigned char *b = wordbreak_bounds(t, strlen(t));
  CHECK(b != NULL); /* ICU is a build dependency */
  if (b) {
    /* 关于|做好|2026|年|档案|工作|的|通知 */
    static const size_t at[] = {0, 6, 12, 16, 19, 25, 31, 34, 40};
    size_t marks = 0;
    for (size_t i = 0; i <= strlen(t); i++)
      marks += b[i] != 0;
    CHECK(marks == sizeof at / sizeof *at);
    for (size_t i = 0; i < sizeof at / sizeof *at; i++)
      CHECK(b[at[i]]);
  }
  free(b);
  CHECK(wordbreak_bounds(t, 0) == NULL);
}

static void quiet(const char *line) { (void)line; }

static layout *lay(const char *md, style_size size) {
  diag_set_sink(quiet);
  doc *d = read_markdown("t.md", ".", md, strlen(md));
  diag_set_sink(NULL);
  if (!d || !fonts())
    return NULL;
  font_set_reset_usage(fonts());
  layout_options o = {unit_style("article"), size, fonts(), article_fonts(),
                      NULL};
  layout *l = layout_run(&d, 1, &o);
  doc_free(d);
  return l;
}

static buf long_doc(void) {
  buf b = {0};
  buf_puts(&b, "---\ntitle: Long\n---\n");
  for (int s = 0; s < 12; s++) {
    buf_printf(&b, "## Section %d\n\n", s + 1);
    for (int k = 0; k < 4; k++)
      buf_puts(&b, "Each map is photographed at high resolution and stored "
                   "in two formats: a master file kept on the library's own "
                   "servers, and a smaller copy for the public website. Staff "
                   "then add a short description and the streets shown.\n\n");
  }
  return b;
}

void test_layout_sizes_and_margins(void) {
  buf src = long_doc();
  size_t pages[3] = {0};
  int inside = 1, headings_kept = 1;
  const style *st = unit_style("article");
  for (int s = 0; s < 3; s++) {
    layout *l = lay(src.data, (style_size)s);
    CHECK(l != NULL);
    if (!l)
      continue;
    pages[s] = l->n_pages;
    double body = st->body_pt[s];
    for (size_t p = 0; p < l->n_pages; p++) {
      const lay_page *pg = &l->pages[p];
      double lowest = 1e9;
      const lay_text *last = NULL;
      for (size_t i = 0; i < pg->n_texts; i++) {
        const lay_text *t = &pg->texts[i];
        int furniture =
            t->y > st->page_height - st->margin_top || t->y < st->margin_bottom;
        if (furniture)
          continue;
        if (t->x < st->margin_left - 0.5 ||
            t->x > st->page_width - st->margin_right ||
            t->y > st->page_height - st->margin_top)
          inside = 0;
        if (t->y < lowest)
          lowest = t->y, last = t;
      }
      /* the last line of a page is never a heading (h2 is 1.3 x body) */
      if (last && p + 1 < l->n_pages && fabs(last->size - 1.3 * body) < 0.01)
        headings_kept = 0;
    }
    CHECK(l->n_outline == 13); /* the title and twelve sections */
    layout_free(l);
  }
  CHECK(pages[0] < pages[1] && pages[1] < pages[2]);
  CHECK(inside);
  CHECK(headings_kept);
  buf_free(&src);
}

void test_layout_widows_and_orphans(void) {
  /* one long paragraph across pages: each page holds at least two of its
   * lines at top and bottom, which shows as no page with a single line */
  buf b = {0};
  buf_puts(&b, "---\ntitle: One\n---\n");
  for (int i = 0; i < 160; i++)
    buf_puts(&b, "Paragraph text that runs on and on for many lines. ");
  layout *l = lay(b.data, STYLE_MEDIUM);
  CHECK(l && l->n_pages >= 2);
  if (l) {
    const style *st = unit_style("article");
    const lay_page *lastp = &l->pages[l->n_pages - 1];
    double baselines[256];
    size_t nb = 0;
    for (size_t i = 0; i < lastp->n_texts && nb < 256; i++) {
      const lay_text *t = &lastp->texts[i];
      if (t->y < st->margin_bottom || t->y > st->page_height - st->margin_top)
        continue;
      int seen = 0;
      for (size_t k = 0; k < nb; k++)
        seen |= fabs(baselines[k] - t->y) < 0.01;
      if (!seen)
        baselines[nb++] = t->y;
    }
    CHECK(nb >= 2);
    layout_free(l);
  }
  buf_free(&b);
}

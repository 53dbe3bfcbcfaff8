/* Tests of the style, its CSS and the labels. */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "css.h"
#include "diag.h"
#include "labels.h"
#include "meta.h"
#include "style.h"
#include "test.h"

#include <stdlib.h>

const style *unit_style(const char *name) {
  static style *loaded[4];
  static const char *names[4];
  for (int i = 0; i < 4; i++) {
    if (names[i] && strcmp(names[i], name) == 0)
      return loaded[i];
    if (!names[i]) {
      const char *root = getenv("GALLEY_ROOT");
      char dir[4096];
      snprintf(dir, sizeof dir, "%s/styles", root ? root : ".");
      names[i] = name;
      loaded[i] = style_load(name, dir);
      return loaded[i];
    }
  }
  return NULL;
}

void test_style_css_sizes(void) {
  const style *st = unit_style("article");
  CHECK(style_size_parse("small") == STYLE_SMALL);
  CHECK(style_size_parse("large") == STYLE_LARGE);
  CHECK(style_size_parse("huge") == -1);
  CHECK(st->body_pt[STYLE_SMALL] < st->body_pt[STYLE_MEDIUM]);
  CHECK(st->body_pt[STYLE_LARGE] >= 16); /* large-print guidance */
  buf css = {0};
  css_write(st, STYLE_MEDIUM, &css);
  CHECK(strstr(css.data, "html { font-size: 100%; }") != NULL);
  buf_free(&css);
  css_write(st, STYLE_LARGE, &css);
  CHECK(strstr(css.data, "html { font-size: 133.3%; }") != NULL);
  /* the h1 rule carries the style's h1 size */
  CHECK(strstr(css.data, "h1 {\n  font-family") != NULL);
  CHECK(strstr(css.data, "font-size: 1.5em;") != NULL);
  buf_free(&css);
  css_write(st, STYLE_SMALL, &css);
  CHECK(strstr(css.data, "html { font-size: 87.5%; }") != NULL);
  buf_free(&css);
}

void test_labels_dates_and_meta_line(void) {
  buf b = {0};
  labels_date("2026-03-14", "en", &b);
  CHECK_STR(b.data, "14 March 2026");
  b.len = 0;
  labels_date("2026-03-04T10:00Z", "zh-CN", &b);
  CHECK_STR(b.data, "2026年3月4日");
  b.len = 0;
  labels_date("2026-11", "en", &b);
  CHECK_STR(b.data, "November 2026");
  buf_free(&b);

  doc *d = doc_new("x.md");
  d->meta.lang = "en";
  meta_set(d, "author", "Ann", "test");
  meta_set(d, "author", "Bo", "test");
  meta_set(d, "date", "2026-03-14", "test");
  meta_set(d, "source", "City Desk", "test");
  labels_meta_line(d, &b);
  CHECK_STR(b.data,
            "14 March 2026 \u00B7 By Ann and Bo \u00B7 Source: City Desk");
  buf_free(&b);
  doc_free(d);
}

/* ---- style files ---- */

static char messages[4096];
static void collect(const char *line) {
  size_t n = strlen(messages);
  snprintf(messages + n, sizeof messages - n, "%s\n", line);
}

/* Writes text to a file named name in a fresh folder; returns its path. */
static const char *write_file(const char *dir, const char *name,
                              const char *text) {
  static char path[4][512];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, 512, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  return p;
}

static const char *styles_dir(void) {
  static char dir[4096];
  const char *root = getenv("GALLEY_ROOT");
  snprintf(dir, sizeof dir, "%s/styles", root ? root : ".");
  return dir;
}

static style *load_quietly(const char *path) {
  messages[0] = '\0';
  diag_set_sink(collect);
  style *s = style_load(path, styles_dir());
  diag_set_sink(NULL);
  return s;
}

void test_style_builtins(void) {
  const style *a = unit_style("article");
  const style *c = unit_style("circular");
  const style *b = unit_style("book");
  CHECK(a && c && b);
  if (!a || !c || !b)
    return;
  CHECK_STR(a->name, "article");
  CHECK(a->role[DOC_ROLE_BODY].align == STYLE_ALIGN_JUSTIFY);
  CHECK(a->role[DOC_ROLE_H1].keep_with_next);
  /* GB/T 9704: 37 mm top, 28 mm left, a 156 x 225 mm text block */
  double mm = 72 / 25.4;
  CHECK(fabs(c->margin_top - 37 * mm) < 0.01);
  CHECK(fabs(c->margin_left - 28 * mm) < 0.01);
  CHECK(fabs(c->page_width - c->margin_left - c->margin_right - 156 * mm) <
        0.01);
  CHECK(fabs(c->page_height - c->margin_top - c->margin_bottom - 225 * mm) <
        0.01);
  CHECK(fabs(c->body_pt[STYLE_MEDIUM] - 15.75) < 1e-9);
  CHECK(c->head == STYLE_HEAD_CIRCULAR && c->signature);
  CHECK(c->role[DOC_ROLE_AUTHORITY].color == 0xE60012);
  CHECK(c->page_number_pos == STYLE_NUMBER_OUTSIDE);
  int lines, chars;
  style_grid(c, STYLE_MEDIUM, &lines, &chars);
  CHECK(lines == 22 && chars == 28);
  style_grid(c, STYLE_SMALL, &lines, &chars);
  CHECK(lines > 22 && chars > 28); /* the same page, a finer grid */
  style_grid(c, STYLE_LARGE, &lines, &chars);
  CHECK(lines < 22 && chars < 28);
  style_grid(a, STYLE_MEDIUM, &lines, &chars);
  CHECK(lines == 0 && chars == 0);
  /* circular extends article: what it does not change is article's */
  CHECK(c->role[DOC_ROLE_CODE].font.n == a->role[DOC_ROLE_CODE].font.n);
  CHECK(b->contents && b->header == STYLE_HEADER_CHAPTER);
  CHECK(b->margin_left > a->margin_left);
  /* a role without fonts takes the body's */
  CHECK(style_role_fonts(a, DOC_ROLE_QUOTE) == &a->role[DOC_ROLE_BODY].font);
}

/* A length over its limit is told the limit in the unit it was written
 * in (the body size's 200 pt limit was once "at most 5 m"). */
static void length_limits(const char *dir) {
  static const struct {
    const char *yaml, *want;
  } cases[] = {
      {"sizes: {medium: 300mm}\n",
       "sizes.medium: expected a length from 0 to 70.5 mm, not \"300mm\""},
      {"sizes: {large: 250}\n",
       "sizes.large: expected a length from 0 to 200 pt, not \"250\""},
      {"sizes: {small: 3in}\n",
       "sizes.small: expected a length from 0 to 2.77 in, not \"3in\""},
      {"sizes: {small: 8cm}\n",
       "sizes.small: expected a length from 0 to 7.05 cm, not \"8cm\""},
      {"page: {width: 6000mm}\n",
       "page.width: expected a length from 0 to 5000 mm, not \"6000mm\""},
      {"page: {height: 501cm}\n",
       "page.height: expected a length from 0 to 500 cm, not \"501cm\""},
      {"page: {margin: 20000pt}\n",
       "page.margin: expected a length from 0 to 14173 pt, not \"20000pt\""},
      {"page: {margin-top: -1mm}\n",
       "page.margin-top: expected a length from 0 to 5000 mm, not \"-1mm\""},
      {"page-number: {gap: 2000}\n",
       "page-number.gap: expected a length from 0 to 1000 pt, not \"2000\""},
      {"page: {margin: 3furlongs}\n",
       "page.margin: expected a length such as 12pt, 37mm, 2.5cm or 1in, "
       "not \"3furlongs\""},
      {"sizes: {medium: nan}\n", "expected a length such as 12pt"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    style *s = load_quietly(write_file(dir, "bad.yaml", cases[i].yaml));
    CHECK(s == NULL);
    if (!strstr(messages, cases[i].want))
      printf("FAIL %s: %s gave %s", test_name, cases[i].yaml, messages);
    CHECK(strstr(messages, cases[i].want) != NULL);
    CHECK(strstr(messages, "at most 5 m") == NULL);
    style_free(s);
  }
  /* at the limit is allowed, in any unit */
  style *s = load_quietly(write_file(dir, "bad.yaml",
                                     "sizes: {large: 200pt}\n"
                                     "page: {width: 5000mm, height: 500cm}\n"));
  CHECK(s != NULL && fabs(s->body_pt[STYLE_LARGE] - 200) < 1e-9);
  style_free(s);
}

void test_style_files_extend_and_report(void) {
  char dir[] = "/tmp/galley-style-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(0);
    return;
  }
  /* a user's style: article with another body face and page size */
  const char *mine =
      write_file(dir, "mine.yaml",
                 "extends: article\npage:\n  size: A5\nroles:\n  body:\n"
                 "    font: [DejaVu Sans, Droid Sans Fallback]\n");
  style *s = load_quietly(mine);
  CHECK(s != NULL);
  if (s) {
    CHECK(fabs(s->page_width - 148 * 72 / 25.4) < 0.01);
    CHECK_STR(s->role[DOC_ROLE_BODY].font.name[0], "DejaVu Sans");
    CHECK(s->role[DOC_ROLE_BODY].align == STYLE_ALIGN_JUSTIFY); /* kept */
    CHECK(fabs(s->body_pt[STYLE_MEDIUM] - 12) < 1e-9);
    buf css = {0};
    css_write(s, STYLE_MEDIUM, &css);
    /* the style's families, then the Chinese ones of their kind */
    CHECK(strstr(css.data, "\"DejaVu Sans\", \"Droid Sans Fallback\", "
                           "\"Noto Sans CJK SC\", \"Source Han Sans SC\", "
                           "\"PingFang SC\", \"Microsoft YaHei\", "
                           "sans-serif") != NULL);
    buf_free(&css);
    style_free(s);
  }
  /* a style extending a file beside it */
  write_file(dir, "base.yaml", "extends: circular\nsizes: {medium: 16pt}\n");
  s = load_quietly(write_file(dir, "top.yaml", "extends: base.yaml\n"));
  CHECK(s && fabs(s->body_pt[STYLE_MEDIUM] - 16) < 1e-9 &&
        s->head == STYLE_HEAD_CIRCULAR);
  style_free(s);

  /* the letter and minutes formats: style files over the circular */
  s = load_quietly(write_file(dir, "let.yaml", "extends: letter\n"));
  CHECK(s && s->head == STYLE_HEAD_CIRCULAR &&
        s->masthead == STYLE_MASTHEAD_LETTER && s->signature);
  style_free(s);
  s = load_quietly(write_file(dir, "min.yaml", "extends: minutes\n"));
  CHECK(s && s->head == STYLE_HEAD_CIRCULAR &&
        s->masthead == STYLE_MASTHEAD_DOCUMENT && !s->signature);
  style_free(s);
  s = load_quietly(write_file(dir, "bad.yaml", "masthead: telegram\n"));
  CHECK(s == NULL && strstr(messages, "bad.yaml:1:11: error: masthead:"));
  s = load_quietly(write_file(dir, "roles.yaml",
                              "roles:\n  colophon: {size: 0.8}\n"
                              "  classification: {weight: bold}\n"));
  CHECK(s && fabs(s->role[DOC_ROLE_COLOPHON].size - 0.8) < 1e-9 &&
        s->role[DOC_ROLE_CLASSIFICATION].bold);
  style_free(s);

  /* errors name the file, the line and the key */
  s = load_quietly(write_file(dir, "bad.yaml",
                              "extends: article\nroles:\n  body:\n"
                              "    size: huge\n"));
  CHECK(s == NULL);
  CHECK(strstr(messages, "bad.yaml:4:11: error: roles.body.size:") != NULL);
  s = load_quietly(write_file(dir, "bad.yaml", "page:\n  colour: red\n"));
  CHECK(s == NULL && strstr(messages, "bad.yaml:2:11: error: page.colour: "
                                      "unknown key") != NULL);
  s = load_quietly(write_file(dir, "bad.yaml", "page:\n  margin: 3furlongs\n"));
  CHECK(s == NULL && strstr(messages, "bad.yaml:2:11: error: page.margin:"));
  s = load_quietly(write_file(dir, "bad.yaml", "roles:\n  blurb: {size: 1}\n"));
  CHECK(s == NULL && strstr(messages, "roles.blurb: unknown key"));
  s = load_quietly(write_file(dir, "bad.yaml", "roles: [1, 2\n"));
  CHECK(s == NULL && strstr(messages, "bad.yaml:") &&
        strstr(messages, "malformed style file"));
  s = load_quietly(write_file(dir, "bad.yaml",
                              "a: &x {size: 1}\nroles:\n  body: *x\n"));
  CHECK(s == NULL && strstr(messages, "aliases"));
  s = load_quietly(write_file(dir, "bad.yaml", "head: article\nhead: circular\n"));
  CHECK(s == NULL && strstr(messages, "bad.yaml:2:7: error: head: given twice"));
  /* a cycle of extends ends with a message, not a hang */
  write_file(dir, "loop1.yaml", "extends: loop2.yaml\n");
  write_file(dir, "loop2.yaml", "extends: loop1.yaml\n");
  s = load_quietly(write_file(dir, "loop1.yaml", "extends: loop2.yaml\n"));
  CHECK(s == NULL && strstr(messages, "extends itself"));
  s = load_quietly("no-such-style");
  CHECK(s == NULL && strstr(messages, "unknown style \"no-such-style\""));
  s = load_quietly(write_file(dir, "tiny.yaml", "page: {margin: 300mm}\n"));
  CHECK(s == NULL && strstr(messages, "text block"));
  length_limits(dir);
  /* extending a FIFO, a device or a folder: refused at once, not waited on */
  char fifo[600];
  snprintf(fifo, sizeof fifo, "%s/fifo.yaml", dir);
  CHECK(mkfifo(fifo, 0600) == 0);
  s = load_quietly(write_file(dir, "bad.yaml", "extends: fifo.yaml\n"));
  CHECK(s == NULL && strstr(messages, "fifo.yaml: error: not a regular file"));
  s = load_quietly(write_file(dir, "bad.yaml", "extends: /dev/zero\n"));
  CHECK(s == NULL && strstr(messages, "/dev/zero: error: not a regular file"));
  s = load_quietly(fifo);
  CHECK(s == NULL && strstr(messages, "not a regular file"));
  remove(fifo);
  s = load_quietly(write_file(dir, "bad.yaml", "extends: /tmp/\n"));
  CHECK(s == NULL && strstr(messages, "a folder, not a style file"));
  s = load_quietly(write_file(dir, "bad.yaml", "extends: ./.yaml/..\n"));
  CHECK(s == NULL);
  s = load_quietly(write_file(dir, "bad.yaml", "extends: no-such-file.yaml\n"));
  CHECK(s == NULL && strstr(messages, "cannot read the style file: No such "
                                      "file or directory"));
  const char *names[] = {"mine", "base", "top", "bad", "loop1", "loop2", "tiny"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char p[600];
    snprintf(p, sizeof p, "%s/%s.yaml", dir, names[i]);
    remove(p);
  }
  rmdir(dir);
}

void test_style_font_option(void) {
  style *s = load_quietly("article");
  CHECK(s != NULL);
  if (!s)
    return;
  CHECK(style_set_fonts(s, -1, "FangSong, AR PL UMing", "--font") == 0);
  CHECK(s->role[DOC_ROLE_BODY].font.n == 2);
  CHECK_STR(s->role[DOC_ROLE_BODY].font.name[1], "AR PL UMing");
  CHECK(style_set_fonts(s, DOC_ROLE_H2, "SimHei", "--font") == 0);
  CHECK_STR(s->role[DOC_ROLE_H2].font.name[0], "SimHei");
  diag_set_sink(collect);
  CHECK(style_set_fonts(s, -1, " , ", "--font") != 0);
  diag_set_sink(NULL);
  style_free(s);
}

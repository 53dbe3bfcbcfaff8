/* Tests of the style, its CSS and the labels. */
#include "css.h"
#include "labels.h"
#include "meta.h"
#include "style.h"
#include "test.h"

void test_style_css_sizes(void) {
  const style *st = style_article();
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

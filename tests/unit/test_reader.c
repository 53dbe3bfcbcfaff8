/* Tests of the reader: front matter, cleaning, and the model it builds. */
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "doc.h"
#include "meta.h"
#include "read_md.h"
#include "test.h"

static buf messages;

static void capture(const char *line) {
  buf_puts(&messages, line);
  buf_putc(&messages, '\n');
}

/* Reads text as file "t.md" in folder dir, capturing messages. */
static doc *read_in(const char *dir, const char *text, size_t len) {
  buf_free(&messages);
  buf_puts(&messages, "");
  diag_set_sink(capture);
  doc *d = read_markdown("t.md", dir, text, len);
  diag_set_sink(NULL);
  return d;
}

static doc *read_text(const char *text) {
  return read_in(".", text, strlen(text));
}

static int said(const char *fragment) {
  return messages.data && strstr(messages.data, fragment) != NULL;
}

static doc_node *nth_block(doc *d, int n) {
  doc_node *b = d->root->first_child;
  while (b && n--)
    b = b->next;
  return b;
}

void test_meta_dates(void) {
  CHECK(meta_valid_date("2026"));
  CHECK(meta_valid_date("2026-03"));
  CHECK(meta_valid_date("2026-03-14"));
  CHECK(meta_valid_date("2026-03-14T09:30"));
  CHECK(meta_valid_date("2026-03-14T09:30:05Z"));
  CHECK(meta_valid_date("2026-03-14T09:30:05.25+08:00"));
  CHECK(!meta_valid_date("2026-13-01"));
  CHECK(!meta_valid_date("2026-02-30"));
  CHECK(!meta_valid_date("March 14, 2026"));
  CHECK(!meta_valid_date("2026-03-14T25:00"));
  CHECK(!meta_valid_date("2026-03-14junk"));
}

void test_meta_langs(void) {
  CHECK(meta_valid_lang("en"));
  CHECK(meta_valid_lang("zh-CN"));
  CHECK(meta_valid_lang("zh-Hans-CN"));
  CHECK(!meta_valid_lang("e"));
  CHECK(!meta_valid_lang("en_US"));
  CHECK(!meta_valid_lang("en-"));
  CHECK(!meta_valid_lang("\"><x"));
  CHECK(meta_lang_is_cjk("zh-CN"));
  CHECK(meta_lang_is_cjk("ja"));
  CHECK(!meta_lang_is_cjk("zu"));
  CHECK(!meta_lang_is_cjk("en"));
}

void test_doc_iter_order_and_skip(void) {
  doc *d = read_text("# A *b*\n\n> c\n");
  buf trace = {0};
  doc_iter it;
  doc_iter_init(&it, d->root);
  doc_event ev;
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE)
    buf_printf(&trace, "%c%d ", ev == DOC_EV_ENTER ? '+' : '-', it.node->kind);
  /* document, heading(text, emph(text)), quote(paragraph(text)) */
  char want[128];
  snprintf(want, sizeof want,
           "+%d +%d +%d +%d +%d -%d -%d +%d +%d +%d -%d -%d -%d ", DOC_DOCUMENT,
           DOC_HEADING, DOC_TEXT, DOC_EMPH, DOC_TEXT, DOC_EMPH, DOC_HEADING,
           DOC_BLOCK_QUOTE, DOC_PARAGRAPH, DOC_TEXT, DOC_PARAGRAPH,
           DOC_BLOCK_QUOTE, DOC_DOCUMENT);
  CHECK_STR(trace.data, want);
  trace.len = 0;
  doc_iter_init(&it, d->root);
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    buf_printf(&trace, "%c%d ", ev == DOC_EV_ENTER ? '+' : '-', it.node->kind);
    if (ev == DOC_EV_ENTER && it.node->kind == DOC_HEADING)
      doc_iter_skip_children(&it);
  }
  snprintf(want, sizeof want, "+%d +%d -%d +%d +%d +%d -%d -%d -%d ",
           DOC_DOCUMENT, DOC_HEADING, DOC_HEADING, DOC_BLOCK_QUOTE,
           DOC_PARAGRAPH, DOC_TEXT, DOC_PARAGRAPH, DOC_BLOCK_QUOTE,
           DOC_DOCUMENT);
  CHECK_STR(trace.data, want);
  buf_free(&trace);
  doc_free(d);
}

void test_reader_front_matter_fields(void) {
  doc *d = read_text("---\n"
                     "title: \"Tom & Jerry <b>\"\n"
                     "subtitle: 副标题\n"
                     "author: [Ann Lee, 王小明]\n"
                     "date: 2026-03-14\n"
                     "lang: zh-CN\n"
                     "source: 新华社\n"
                     "category: News\n"
                     "keywords:\n  - archives\n  - 档案\n"
                     "number: 档发〔2026〕7号\n"
                     "identifier: urn:isbn:9780000000000\n"
                     "rights: CC BY 4.0\n"
                     "description: A test.\n"
                     "---\n"
                     "Body.\n");
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_STR(d->meta.title, "Tom & Jerry <b>");
  CHECK_STR(d->meta.subtitle, "副标题");
  CHECK(d->meta.n_authors == 2);
  CHECK_STR(d->meta.authors[1], "王小明");
  CHECK_STR(d->meta.date, "2026-03-14");
  CHECK_STR(d->meta.lang, "zh-CN");
  CHECK_STR(d->meta.source, "新华社");
  CHECK_STR(d->meta.category, "News");
  CHECK(d->meta.n_keywords == 2);
  CHECK_STR(d->meta.keywords[1], "档案");
  CHECK_STR(d->meta.number, "档发〔2026〕7号");
  CHECK_STR(d->meta.identifier, "urn:isbn:9780000000000");
  CHECK_STR(d->meta.rights, "CC BY 4.0");
  CHECK_STR(d->meta.description, "A test.");
  doc_node *p = nth_block(d, 0);
  CHECK(p && p->kind == DOC_PARAGRAPH && p->line == 17);
  doc_free(d);

  d = read_text("---\nauthor: One Person\n---\n");
  CHECK(d && d->meta.n_authors == 1 &&
        strcmp(d->meta.authors[0], "One Person") == 0);
  CHECK(d && strcmp(d->meta.lang, "en") == 0);
  doc_free(d);

  /* blank values are no values: the title falls back, no empty creator */
  d = read_text("---\ntitle: '  '\nauthor: ['', B]\nsubtitle: \"\"\n---\nx\n");
  CHECK(d && strcmp(d->meta.title, "t") == 0);
  CHECK(d && d->meta.n_authors == 1 && strcmp(d->meta.authors[0], "B") == 0);
  CHECK(d && d->meta.subtitle == NULL);
  doc_free(d);

  d = read_text("---\ncolour: blue\n---\nx\n");
  CHECK(d != NULL);
  CHECK(said("t.md:2:1: warning: unknown front-matter key \"colour\""));
  doc_free(d);
}

void test_reader_front_matter_errors(void) {
  doc *d = read_text("---\ntitle: ok\nauthor: [unclosed\n---\nx\n");
  CHECK(d == NULL);
  CHECK(said("t.md:4:") && said("error: malformed front matter"));

  d = read_text("---\ntitle:\n  - a\n  - b\n---\nx\n");
  CHECK(d == NULL);
  CHECK(said("t.md:3:3: error: title must be a string, not a list"));

  d = read_text("---\nkeywords:\n  nested: map\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:3:3: error: keywords must be a string or a list of "
             "strings, not a mapping"));

  d = read_text("---\ndate: 14/03/2026\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:2:7: error: date \"14/03/2026\" is not an ISO 8601 date"));

  d = read_text("---\nlang: english please\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:2:7: error: lang"));

  d = read_text("---\ntitle: a\ntitle: b\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:3:1: error: \"title\" is given twice"));

  /* a billion laughs is refused at the first alias, never expanded */
  d = read_text("---\nkeywords: &a [x, x, x]\ndescription: *a\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:3:14: error: front matter uses a YAML alias (*a)"));

  /* a fenced list is no front matter: Markdown, a break and a list */
  d = read_text("---\n- just\n- a list\n---\n");
  CHECK(d && d->root->first_child->next->kind == DOC_LIST);
  doc_free(d);

  /* an unclosed fence is Markdown, with a warning */
  d = read_text("---\ntitle: x\n");
  CHECK(d != NULL);
  CHECK(said("never closed"));
  doc_free(d);

  /* fences around no "key:" line are thematic breaks, as in CommonMark */
  d = read_text("---\n---\n# Heading\n");
  CHECK(d && strcmp(d->meta.title, "Heading") == 0);
  CHECK(d && d->root->first_child->kind == DOC_THEMATIC_BREAK);
  doc_free(d);
  d = read_text("---\nFoo\n---\nBar\n");
  CHECK(d && d->root->first_child->kind == DOC_THEMATIC_BREAK);
  CHECK(d && d->meta.n_authors == 0);
  doc_free(d);

  /* a type error then a syntax error: each reported once */
  d = read_text("---\ntitle: [x\n---\n");
  CHECK(d == NULL);
  CHECK(said("t.md:2:8: error: title must be a string, not a list"));
  CHECK(!said("keys must be plain words"));
}

void test_reader_bom_crlf_invalid_utf8(void) {
  const char text[] = "\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\nbad \xFF byte\r\n"
                      "line two\r\n";
  doc *d = read_in(".", text, sizeof text - 1);
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_STR(d->meta.title, "T");
  CHECK(said("1 invalid UTF-8 sequence or NUL byte replaced by U+FFFD (the "
             "first at byte offset 27)"));
  doc_node *p = nth_block(d, 0);
  CHECK(p && p->line == 4);
  buf t = {0};
  if (p)
    doc_plain_text(p, &t);
  CHECK_STR(t.data, "bad \xEF\xBF\xBD byte line two");
  buf_free(&t);
  doc_free(d);

  const char nul[] = "a\0b\n";
  d = read_in(".", nul, sizeof nul - 1);
  CHECK(d && said("byte offset 1"));
  doc_free(d);

  d = read_in(".", "", 0);
  CHECK(d && d->root->first_child == NULL);
  CHECK(d && strcmp(d->meta.title, "t") == 0);
  doc_free(d);
}

void test_reader_blocks_and_lists(void) {
  doc *d = read_text("## Sub\n\n"
                     "3. three\n4. four\n\n"
                     "- a\n\n- b\n\n"
                     "> quote\n> > nested\n\n"
                     "```c extra\nint x;\n```\n\n"
                     "    indented\n\n"
                     "***\n\n"
                     "<div>raw</div>\n");
  CHECK(d != NULL);
  if (!d)
    return;
  doc_node *h = nth_block(d, 0), *ol = nth_block(d, 1), *ul = nth_block(d, 2),
           *q = nth_block(d, 3), *code = nth_block(d, 4),
           *ind = nth_block(d, 5), *hr = nth_block(d, 6),
           *html = nth_block(d, 7);
  CHECK(h && h->kind == DOC_HEADING && h->level == 2 && h->role == DOC_ROLE_H2);
  CHECK(ol && ol->kind == DOC_LIST && ol->ordered && ol->start == 3 &&
        ol->tight);
  CHECK(ul && ul->kind == DOC_LIST && !ul->ordered && !ul->tight);
  CHECK(ul && ul->first_child->kind == DOC_ITEM &&
        ul->first_child->first_child->role == DOC_ROLE_LIST);
  CHECK(q && q->kind == DOC_BLOCK_QUOTE &&
        q->last_child->kind == DOC_BLOCK_QUOTE);
  CHECK(q && q->first_child->role == DOC_ROLE_QUOTE);
  CHECK(code && code->kind == DOC_CODE_BLOCK &&
        strcmp(code->info, "c extra") == 0 &&
        strcmp(code->text, "int x;\n") == 0 && code->role == DOC_ROLE_CODE);
  CHECK(ind && ind->kind == DOC_CODE_BLOCK && ind->info[0] == '\0' &&
        strcmp(ind->text, "indented\n") == 0);
  CHECK(hr && hr->kind == DOC_THEMATIC_BREAK);
  CHECK(html && html->kind == DOC_HTML_BLOCK);
  CHECK(said("warning: raw HTML left out (1 fragment"));
  doc_free(d);
}

void test_reader_inlines(void) {
  doc *d = read_text("*e* **s** `c` [l](https://x.org \"T\") a  \nb\\\nc "
                     "<span>h</span> [bad](javascript:alert(1))\n");
  CHECK(d != NULL);
  if (!d)
    return;
  doc_node *p = nth_block(d, 0);
  int kinds[32], n = 0;
  for (doc_node *c = p->first_child; c && n < 32; c = c->next)
    kinds[n++] = c->kind;
  CHECK(n >= 12);
  CHECK(kinds[0] == DOC_EMPH && kinds[2] == DOC_STRONG &&
        kinds[4] == DOC_CODE && kinds[6] == DOC_LINK);
  doc_node *link = p->first_child->next->next->next->next->next->next;
  CHECK(link && strcmp(link->url, "https://x.org") == 0 &&
        strcmp(link->title, "T") == 0);
  int breaks = 0, html = 0, dropped = 0;
  for (doc_node *c = p->first_child; c; c = c->next) {
    breaks += c->kind == DOC_LINE_BREAK;
    html += c->kind == DOC_HTML_INLINE;
    dropped += c->kind == DOC_LINK && c->url == NULL;
  }
  CHECK(breaks == 2);
  CHECK(html == 2);
  CHECK(dropped == 1);
  CHECK(said("link to \"javascript:alert(1)\" dropped"));
  doc_free(d);
}

void test_reader_heading_anchors(void) {
  doc *d = read_text("# Hello, World!\n## Hello, World!\n## 1. Setup & Run\n"
                     "## 一、总体要求\n## !!!\n## Ünïcode Straße\n");
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_STR(nth_block(d, 0)->id, "hello-world");
  CHECK_STR(nth_block(d, 1)->id, "hello-world-1");
  CHECK_STR(nth_block(d, 2)->id, "setup-run");
  CHECK_STR(nth_block(d, 3)->id, "一总体要求");
  CHECK_STR(nth_block(d, 4)->id, "section");
  CHECK_STR(nth_block(d, 5)->id, "ünïcode-straße");
  doc_free(d);
}

void test_reader_title_fallbacks(void) {
  doc *d = read_text("# The Title\n\nText\n\n# Next\n");
  CHECK(d && strcmp(d->meta.title, "The Title") == 0);
  CHECK(d && d->title_heading == nth_block(d, 0));
  doc_free(d);
  d = read_text("Intro\n\n# Later\n");
  CHECK(d && strcmp(d->meta.title, "Later") == 0 && d->title_heading == NULL);
  doc_free(d);
  d = read_text("No heading at all\n");
  CHECK(d && strcmp(d->meta.title, "t") == 0);
  doc_free(d);
}

static int depth_of(const doc_node *root) {
  int max = 0;
  doc_iter it;
  doc_iter_init(&it, (doc_node *)root);
  doc_event ev;
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    if (ev != DOC_EV_ENTER)
      continue;
    int dep = 0;
    for (const doc_node *p = it.node; p; p = p->parent)
      dep++;
    if (dep > max)
      max = dep;
  }
  return max;
}

void test_reader_nesting_is_bounded(void) {
  buf src = {0};
  for (int i = 0; i < 5000; i++)
    buf_puts(&src, "> ");
  buf_puts(&src, "deep\n\n");
  for (int i = 0; i < 3000; i++)
    buf_printf(&src, "%*s- x\n", 2 * i, "");
  doc *d = read_in(".", src.data, src.len);
  CHECK(d != NULL);
  CHECK(said("nesting deeper than 64 levels flattened"));
  CHECK(d && depth_of(d->root) < 2 * READ_MAX_NESTING + 8);
  /* nothing lost: the innermost text is still there */
  buf t = {0};
  if (d)
    doc_plain_text(d->root, &t);
  CHECK(t.data && strstr(t.data, "deep"));
  buf_free(&t);
  buf_free(&src);
  doc_free(d);
}

void test_reader_images_resolve_safely(void) {
  char dir[] = "/tmp/galley-unit-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/pic.png", dir);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    /* a whole 1 x 1 PNG: images are decoded, not only sniffed */
    static const unsigned char png[] =
        "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
        "\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b"
        "\x55\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63\xf8\x0f\x00\x01"
        "\x01\x01\x00\xb1\x38\xf6\x14\x00\x00\x00\x00\x49\x45\x4e\x44\xae"
        "\x42\x60\x82";
    fwrite(png, 1, sizeof png - 1, f);
    fclose(f);
  }
  snprintf(path, sizeof path, "%s/fake.png", dir);
  f = fopen(path, "wb");
  if (f) {
    fputs("not an image", f);
    fclose(f);
  }
  doc *d = read_in(dir,
                   "![ok](pic.png)\n\n![p](./sub/../pic.png)\n\n"
                   "![up](../pic.png)\n\n![abs](/etc/passwd)\n\n"
                   "![web](https://example.org/x.png)\n\n![gone](nope.png)\n\n"
                   "![fake](fake.png)\n",
                   strlen("![ok](pic.png)\n\n![p](./sub/../pic.png)\n\n"
                          "![up](../pic.png)\n\n![abs](/etc/passwd)\n\n"
                          "![web](https://example.org/x.png)\n\n"
                          "![gone](nope.png)\n\n![fake](fake.png)\n"));
  CHECK(d != NULL);
  if (d) {
    doc_node *fig = nth_block(d, 0);
    CHECK(fig->kind == DOC_FIGURE && fig->role == DOC_ROLE_CAPTION);
    CHECK(fig->first_child->file &&
          strcmp(fig->first_child->media_type, "image/png") == 0);
    /* resolved lexically, as URLs are: sub/.. stays inside the folder */
    CHECK(nth_block(d, 1)->first_child->file != NULL);
    for (int i = 2; i < 7; i++)
      CHECK(nth_block(d, i)->first_child->file == NULL);
  }
  CHECK(
      said("\"../pic.png\" left out (the path leaves the document's folder)"));
  CHECK(said("\"/etc/passwd\" left out (absolute paths are not allowed"));
  CHECK(said("left out (remote files are never fetched)"));
  CHECK(said("\"nope.png\" left out (no such file)"));
  CHECK(said("\"fake.png\" left out (not a PNG, JPEG, GIF or SVG image)"));
  doc_free(d);
  /* nothing before the query or fragment: no file at all (found by the
   * fuzzer: the empty path was read past its end) */
  d = read_in(dir, "![q](?pic.png)\n\n![h](#pic.png)\n",
              strlen("![q](?pic.png)\n\n![h](#pic.png)\n"));
  CHECK(d && nth_block(d, 0)->first_child->file == NULL);
  CHECK(said("\"?pic.png\" left out (no file name before the query or "
             "fragment)"));
  doc_free(d);
  snprintf(path, sizeof path, "%s/pic.png", dir);
  unlink(path);
  snprintf(path, sizeof path, "%s/fake.png", dir);
  unlink(path);
  rmdir(dir);
}

void test_reader_gfm_extensions(void) {
  doc *d = read_text("A[^b] and[^a] again[^b] ~~gone~~.\n\n"
                     "| L | C | R | N |\n|:--|:-:|--:|---|\n| 1 | *2* | 3 | 4 |\n\n"
                     "- [ ] open\n- [x] done\n- plain\n\n"
                     "[^a]: Note A with [a link](https://example.org).\n"
                     "[^b]: Note B.\n[^unused]: Never referred to.\n");
  CHECK(d != NULL);
  if (!d)
    return;
  /* notes numbered in the order of first reference; unused ones dropped */
  CHECK(d->n_notes == 2);
  buf t = {0};
  if (d->n_notes == 2) {
    doc_plain_text(d->notes[0], &t);
    CHECK_STR(t.data, "Note B.");
    t.len = 0;
    doc_plain_text(d->notes[1], &t);
    CHECK_STR(t.data, "Note A with a link.");
    CHECK(d->notes[1]->note == 2 && d->notes[1]->role == DOC_ROLE_NOTE);
    CHECK(d->notes[1]->first_child->role == DOC_ROLE_NOTE);
  }
  buf_free(&t);
  doc_node *p = nth_block(d, 0), *refs[3] = {0}, *strike = NULL;
  int n = 0;
  for (doc_node *k = p->first_child; k; k = k->next) {
    if (k->kind == DOC_FOOTNOTE_REF && n < 3)
      refs[n++] = k;
    if (k->kind == DOC_STRIKE)
      strike = k;
  }
  CHECK(n == 3);
  if (n == 3) {
    CHECK(refs[0]->note == 1 && refs[0]->ref == 1);
    CHECK(refs[1]->note == 2 && refs[1]->ref == 1);
    CHECK(refs[2]->note == 1 && refs[2]->ref == 2);
  }
  CHECK(strike && strike->first_child && strike->first_child->kind == DOC_TEXT);
  doc_node *table = nth_block(d, 1);
  CHECK(table->kind == DOC_TABLE && table->columns == 4);
  if (table->kind == DOC_TABLE && table->columns == 4) {
    CHECK(memcmp(table->aligns, "lcr-", 4) == 0);
    doc_node *head = table->first_child, *row = head ? head->next : NULL;
    CHECK(head && head->kind == DOC_TABLE_ROW && head->header);
    CHECK(row && row->kind == DOC_TABLE_ROW && !row->header);
    CHECK(head && head->first_child->role == DOC_ROLE_TABLE_HEAD);
    if (row) {
      doc_node *second = row->first_child->next;
      CHECK(second->kind == DOC_TABLE_CELL && second->level == 1);
      CHECK(second->first_child->kind == DOC_EMPH);
      CHECK(second->role == DOC_ROLE_TABLE);
    }
  }
  doc_node *list = nth_block(d, 2);
  CHECK(list->kind == DOC_LIST);
  if (list->kind == DOC_LIST) {
    CHECK(list->first_child->task == 1);
    CHECK(list->first_child->next->task == 2);
    CHECK(list->last_child->task == 0);
  }
  doc_free(d);
}

void test_reader_commonmark_dialect(void) {
  read_set_dialect(READ_COMMONMARK);
  doc *d = read_text("| a | b |\n|---|---|\n| 1 | 2 |\n\nx[^1] ~~y~~\n\n"
                     "[^1]: note\n");
  read_set_dialect(READ_GFM);
  CHECK(d != NULL);
  if (!d)
    return;
  /* strict CommonMark: the table is a paragraph, the rest is text */
  CHECK(nth_block(d, 0)->kind == DOC_PARAGRAPH);
  CHECK(d->n_notes == 0);
  buf t = {0};
  doc_plain_text(nth_block(d, 1), &t);
  /* "[^1]: note" is a link reference definition there, so [^1] a link */
  CHECK_STR(t.data, "x^1 ~~y~~");
  buf_free(&t);
  doc_free(d);
}

void test_reader_table_guard(void) {
  /* a line of more '|' than the table extension is given: read as text,
   * with a warning, so the parser's cost stays linear */
  buf src = {0};
  buf_puts(&src, "| a | b |\n|---|---|\n");
  for (int i = 0; i < READ_MAX_TABLE_PIPES + 1; i++)
    buf_putc(&src, '|');
  buf_putc(&src, '\n');
  doc *d = read_in(".", src.data, src.len);
  CHECK(d != NULL);
  CHECK(said("tables are read as text in this document"));
  if (d)
    CHECK(nth_block(d, 0)->kind == DOC_PARAGRAPH);
  doc_free(d);
  buf_free(&src);
}

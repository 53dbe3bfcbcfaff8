/* Tests of a circular's text (GB/T 9704-2012): document numbers in the
 * standard's form, the signature's name, the addressee line. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "labels.h"
#include "meta.h"
#include "read_md.h"
#include "test.h"

/* The normalised number, or "-" when value is refused. */
static const char *norm(const char *value) {
  static char out[128];
  buf b = {0};
  if (meta_normalise_number(value, &b) != 0)
    snprintf(out, sizeof out, "-");
  else
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data);
  buf_free(&b);
  return out;
}

void test_circular_document_numbers(void) {
  CHECK_STR(norm("档发〔2026〕7号"), "档发〔2026〕7号");
  CHECK_STR(norm("档发[2026]07号"), "档发〔2026〕7号");
  CHECK_STR(norm("档发【2026】第007号"), "档发〔2026〕7号");
  CHECK_STR(norm("档发［2026］12号"), "档发〔2026〕12号");
  CHECK_STR(norm("档发（2026）3号"), "档发〔2026〕3号");
  CHECK_STR(norm("档发(2026)3号"), "档发〔2026〕3号");
  CHECK_STR(norm("档发〖2026〗3号"), "档发〔2026〕3号");
  CHECK_STR(norm("档发 [ 2026 ] 第 3 号"), "档发〔2026〕3号");
  CHECK_STR(norm("档发（２０２６）７号"), "档发〔2026〕7号");
  CHECK_STR(norm("档发[2026]7"), "档发〔2026〕7号");
  CHECK_STR(norm("[2026]07号"), "〔2026〕7号");
  CHECK_STR(norm("档发2026年7号"), "-");  /* no bracketed year */
  CHECK_STR(norm("档发[26]7号"), "-");    /* the year in full */
  CHECK_STR(norm("档发[2026]号"), "-");   /* no serial number */
  CHECK_STR(norm("档发[2026]0号"), "-");  /* no serial number 0 */
  CHECK_STR(norm("档发[2026]7号附件"), "-");
  CHECK_STR(norm("No. 12"), "-");
  CHECK_STR(norm(""), "-");
}

static buf messages;
static void capture(const char *line) {
  buf_puts(&messages, line);
  buf_putc(&messages, '\n');
}

static doc *read_text(const char *text) {
  buf_free(&messages);
  buf_puts(&messages, "");
  diag_set_sink(capture);
  doc *d = read_markdown("t.md", ".", text, strlen(text));
  diag_set_sink(NULL);
  return d;
}

void test_circular_signer_and_addressee(void) {
  doc *d = read_text("---\ntitle: 通知\nlang: zh-CN\nauthority: 测试局文件\n"
                     "number: 测发[2026]07号\n---\n\n各单位：\n\n正文。\n");
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_STR(d->meta.number, "测发〔2026〕7号");
  size_t len = 0;
  const char *s = labels_signer(&d->meta, &len);
  CHECK(s && len == strlen("测试局") && memcmp(s, "测试局", len) == 0);
  const doc_node *a = labels_addressee(d);
  CHECK(a && a == d->root->first_child);
  doc_free(d);

  d = read_text("---\ntitle: 通知\nlang: zh-CN\nauthority: 文件\n"
                "number: 测发2026年7号\n---\n\n正文。\n\n各单位：\n");
  CHECK(d != NULL);
  if (!d)
    return;
  CHECK_STR(d->meta.number, "测发2026年7号"); /* as typed, with a warning */
  CHECK(messages.data && strstr(messages.data, "t.md:5:9: warning: number"));
  s = labels_signer(&d->meta, &len);
  CHECK(s && len == strlen("文件")); /* nothing left: the name as given */
  CHECK(labels_addressee(d) == NULL); /* not the first paragraph */
  doc_free(d);

  d = read_text("---\ntitle: 通知\nlang: zh-CN\n"
                "authority: 甲局乙局联合文件\n---\n\n正文。\n");
  s = d ? labels_signer(&d->meta, &len) : NULL;
  CHECK(s && len == strlen("甲局乙局") && memcmp(s, "甲局乙局", len) == 0);
  doc_free(d);

  /* sentences ending in a colon are body text, not addressees */
  d = read_text("---\ntitle: 通知\nlang: zh-CN\n---\n\n"
                "为做好工作。现通知如下：\n\n正文。\n");
  CHECK(d && labels_addressee(d) == NULL);
  doc_free(d);
}

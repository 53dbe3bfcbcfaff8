/* labels.c - English, and Chinese for CJK documents. */
#include "labels.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h"

static int is_zh(const char *lang) { return meta_lang_is_cjk(lang); }

void labels_date(const char *iso, const char *lang, buf *out) {
  static const char *const months[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  int year = atoi(iso);
  int month = strlen(iso) >= 7 ? atoi(iso + 5) : 0;
  int day = strlen(iso) >= 10 ? atoi(iso + 8) : 0;
  if (month < 1 || month > 12) {
    buf_printf(out, "%d%s", year, is_zh(lang) ? "年" : "");
    return;
  }
  if (is_zh(lang)) {
    buf_printf(out, "%d年%d月", year, month);
    if (day)
      buf_printf(out, "%d日", day);
  } else if (day) {
    buf_printf(out, "%d %s %d", day, months[month - 1], year);
  } else {
    buf_printf(out, "%s %d", months[month - 1], year);
  }
}

const char *labels_contents(const char *lang) {
  return is_zh(lang) ? "目录" : "Contents";
}

static void separate(buf *out, size_t *parts, int zh) {
  if ((*parts)++)
    buf_puts(out, zh ? "\u3000" : " \u00B7 ");
}

void labels_meta_line(const doc *d, buf *out) {
  const doc_meta *m = &d->meta;
  int zh = is_zh(m->lang);
  size_t parts = 0;
  if (m->number) {
    separate(out, &parts, zh);
    buf_puts(out, m->number);
  }
  if (m->date) {
    separate(out, &parts, zh);
    labels_date(m->date, m->lang, out);
  }
  if (m->n_authors) {
    separate(out, &parts, zh);
    buf_puts(out, zh ? "作者：" : "By ");
    for (size_t i = 0; i < m->n_authors; i++) {
      if (i)
        buf_puts(out, zh ? "、" : i + 1 == m->n_authors ? " and " : ", ");
      buf_puts(out, m->authors[i]);
    }
  }
  if (m->source) {
    separate(out, &parts, zh);
    buf_puts(out, zh ? "来源：" : "Source: ");
    buf_puts(out, m->source);
  }
}

const char *labels_issuer(const doc_meta *m) {
  if (m->authority)
    return m->authority;
  if (m->source)
    return m->source;
  return m->n_authors ? m->authors[0] : NULL;
}

const char *labels_signer(const doc_meta *m, size_t *len) {
  if (m->signature_name) {
    *len = strlen(m->signature_name);
    return m->signature_name;
  }
  const char *issuer = labels_issuer(m);
  static const char suffix[] = "\u6587\u4EF6"; /* 文件 */
  size_t n = issuer ? strlen(issuer) : 0, k = sizeof suffix - 1;
  *len = n;
  if (n <= k || strcmp(issuer + n - k, suffix) != 0)
    return issuer;
  size_t base = n - k;
  static const char joint[] = "\u8054\u5408"; /* 联合 (联合文件) */
  size_t j = sizeof joint - 1;
  if (base > j && memcmp(issuer + base - j, joint, j) == 0)
    base -= j;
  while (base && (issuer[base - 1] == ' ' || issuer[base - 1] == '\t'))
    base--;
  if (base)
    *len = base;
  return issuer;
}

const doc_node *labels_addressee(const doc *d) {
  const doc_node *n = d->root ? d->root->first_child : NULL;
  if (n && n == d->title_heading)
    n = n->next;
  if (!n || n->kind != DOC_PARAGRAPH)
    return NULL;
  buf t = {0};
  doc_plain_text(n, &t);
  static const char colon[] = "\uFF1A"; /* ： */
  size_t len = t.len, k = sizeof colon - 1;
  while (len && (t.data[len - 1] == ' ' || t.data[len - 1] == '\n'))
    len--;
  int yes = len >= k && memcmp(t.data + len - k, colon, k) == 0;
  /* names only: a sentence ending in a colon ("现通知如下：") is body text */
  static const char *const stops[] = {"\u3002", "\uFF01", "\uFF1F", "\uFF1B"};
  for (size_t i = 0; yes && i < sizeof stops / sizeof *stops; i++)
    for (size_t q = 0; yes && q + 3 <= len; q++)
      yes = memcmp(t.data + q, stops[i], 3) != 0;
  buf_free(&t);
  return yes ? n : NULL;
}

void labels_printed(const doc_meta *m, buf *out) {
  if (!m->printed_date)
    return;
  labels_date(m->printed_date, m->lang, out);
  buf_puts(out, is_zh(m->lang) ? "\u5370\u53D1" : " printed"); /* 印发 */
}

void labels_attachment_lead(const doc_meta *m, buf *out) {
  buf_puts(out, is_zh(m->lang) ? "\u9644\u4EF6\uFF1A" : "Attachments: ");
}

void labels_cc_lead(const doc_meta *m, buf *out) {
  buf_puts(out, is_zh(m->lang) ? "\u6284\u9001\uFF1A" : "Copies to: ");
}

void labels_signer_lead(const doc_meta *m, buf *out) {
  buf_puts(out, is_zh(m->lang) ? "\u7B7E\u53D1\u4EBA\uFF1A" : "Signed by: ");
}

void labels_cc_line(const doc_meta *m, buf *out) {
  int zh = is_zh(m->lang);
  for (size_t i = 0; i < m->n_cc; i++) {
    if (i)
      buf_puts(out, zh ? "\uFF0C" : ", ");
    buf_puts(out, m->cc[i]);
  }
  if (m->n_cc)
    buf_puts(out, zh ? "\u3002" : ".");
}

const char *labels_cover(const char *lang) {
  return is_zh(lang) ? "封面" : "Cover";
}

void labels_cover_alt(const char *lang, const char *title, buf *out) {
  buf_puts(out, labels_cover(lang));
  buf_puts(out, is_zh(lang) ? "：" : ": ");
  buf_puts(out, title);
}

void labels_attendance(const doc_meta *m, int which, buf *lead,
                       buf *names) {
  static const char *const zh[] = {"\u51FA\u5E2D\uFF1A", /* 出席： */
                                   "\u8BF7\u5047\uFF1A", /* 请假： */
                                   "\u5217\u5E2D\uFF1A"}; /* 列席： */
  static const char *const en[] = {"Present: ", "Absent: ", "Attending: "};
  const char *const *list = which == 0   ? m->present
                            : which == 1 ? m->absent
                                         : m->attending;
  size_t n = which == 0 ? m->n_present : which == 1 ? m->n_absent
                                                    : m->n_attending;
  int cjk = is_zh(m->lang);
  buf_puts(lead, cjk ? zh[which] : en[which]);
  for (size_t i = 0; i < n; i++) {
    if (i)
      buf_puts(names, cjk ? "\u3001" : ", "); /* 、 */
    buf_puts(names, list[i]);
  }
}

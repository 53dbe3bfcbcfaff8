/* xhtml.c - XHTML content documents.  Whatever the input, the output is
 * well-formed: text is escaped, raw HTML is left out, unsafe or unresolvable
 * links keep only their text. */
#include "xhtml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cjk.h"
#include "diag.h"
#include "labels.h"
#include "meta.h"
#include "oom.h"
#include "url.h"
#include "utf8.h"
#include "xml.h"

/* Whether a block of a left-to-right document holds right-to-left text:
 * it then takes its direction from its text (dir="auto"), as the PDF's
 * paragraphs do (UAX #9 P2).  Hebrew, Arabic and their neighbours are
 * U+0590..U+08FF (lead bytes D6..DF, E0 A0..A3) and the presentation
 * forms U+FB1D..U+FEFF (EF AC..BB). */
static int auto_dir(const doc *d, const doc_node *n) {
  if (meta_dir(&d->meta) || meta_is_rtl(&d->meta))
    return 0;
  buf t = {0};
  doc_plain_text(n, &t);
  const unsigned char *s = (const unsigned char *)t.data;
  int rtl = 0;
  for (size_t i = 0; i < t.len && !rtl; i++)
    rtl = (s[i] >= 0xD6 && s[i] <= 0xDF) ||
          (s[i] == 0xE0 && i + 1 < t.len && s[i + 1] >= 0xA0 &&
           s[i + 1] <= 0xA3) ||
          (s[i] == 0xEF && i + 1 < t.len && s[i + 1] >= 0xAC &&
           s[i + 1] <= 0xBB);
  buf_free(&t);
  return rtl;
}

/* ---- the page list ---- */

static const xhtml_pages *sorting_pages;
static int by_node(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  uintptr_t nx = (uintptr_t)sorting_pages->node[x],
            ny = (uintptr_t)sorting_pages->node[y];
  if (nx != ny)
    return (nx > ny) - (nx < ny);
  return (x > y) - (x < y);
}

xhtml_pages *xhtml_pages_new(const doc_node *const *node,
                             const size_t *doc_of, size_t n) {
  if (!n)
    return NULL;
  xhtml_pages *pg = calloc(1, sizeof *pg);
  if (!pg || !(pg->chapter = calloc(n, sizeof *pg->chapter)) ||
      !(pg->by_node = malloc(n * sizeof *pg->by_node)))
    out_of_memory();
  pg->node = node;
  pg->doc = doc_of;
  pg->n = n;
  for (size_t k = 0; k < n; k++)
    pg->by_node[k] = k;
  sorting_pages = pg;
  qsort(pg->by_node, n, sizeof *pg->by_node, by_node);
  sorting_pages = NULL;
  return pg;
}

void xhtml_pages_free(xhtml_pages *pg) {
  if (!pg)
    return;
  free(pg->chapter);
  free(pg->by_node);
  free(pg);
}

/* The first of the pages that begin in block n (in by_node), or pg->n. */
static size_t first_page_of(const xhtml_pages *pg, const doc_node *n) {
  size_t lo = 0, hi = pg->n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if ((uintptr_t)pg->node[pg->by_node[mid]] < (uintptr_t)n)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < pg->n && pg->node[pg->by_node[lo]] == n ? lo : pg->n;
}

/* Whether page k's marker stands at its document's title (a NULL block on
 * the document's first page) or at its closing (a NULL block later). */
static int at_title(const xhtml_pages *pg, size_t k) {
  return !pg->node[k] && (k == 0 || pg->doc[k - 1] != pg->doc[k]);
}

void xhtml_pages_place(xhtml_pages *pg, size_t doc_index, int chapter,
                       const doc_node *first, const doc_node *stop,
                       int with_title, int last) {
  if (!pg)
    return;
  for (size_t k = 0; k < pg->n; k++)
    if (!pg->chapter[k] && !pg->node[k] && pg->doc[k] == doc_index &&
        (at_title(pg, k) ? with_title : last))
      pg->chapter[k] = chapter;
  for (const doc_node *b = first; b && b != stop; b = b->next) {
    doc_iter it;
    doc_iter_init(&it, (doc_node *)b);
    doc_event ev;
    while ((ev = doc_iter_next(&it)) != DOC_EV_DONE)
      if (ev == DOC_EV_ENTER)
        for (size_t i = first_page_of(pg, it.node);
             i < pg->n && pg->node[pg->by_node[i]] == it.node; i++)
          if (!pg->chapter[pg->by_node[i]])
            pg->chapter[pg->by_node[i]] = chapter;
  }
}

static void page_marker(size_t k, buf *out) {
  buf_printf(out,
             "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" "
             "id=\"page%zu\" aria-label=\"%zu\"></span>",
             k + 1, k + 1);
}

/* The markers of the pages that begin in block n. */
static void page_marks(const xhtml_book *bk, const doc_node *n, buf *out) {
  const xhtml_pages *pg = bk->pages;
  if (!pg)
    return;
  for (size_t i = first_page_of(pg, n);
       i < pg->n && pg->node[pg->by_node[i]] == n; i++)
    page_marker(pg->by_node[i], out);
}

/* The markers of the pages that begin at the document's title (at_start)
 * or in its closing matter. */
static void page_marks_unplaced(const xhtml_book *bk, int at_start,
                                buf *out) {
  const xhtml_pages *pg = bk->pages;
  for (size_t k = 0; pg && k < pg->n; k++)
    if (!pg->node[k] && pg->doc[k] == bk->doc_index &&
        at_title(pg, k) == at_start)
      page_marker(k, out);
}

void xhtml_chapter_name(int n, buf *out) { buf_printf(out, "ch%04d.xhtml", n); }

void xhtml_open(buf *out, const char *lang, int rtl, const char *title,
                const char *css_href, int epub_ns) {
  buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                "<html xmlns=\"http://www.w3.org/1999/xhtml\"");
  if (epub_ns)
    buf_puts(out, " xmlns:epub=\"http://www.idpf.org/2007/ops\"");
  buf_puts(out, " xml:lang=\"");
  xml_escape_str(out, lang);
  buf_puts(out, "\" lang=\"");
  xml_escape_str(out, lang);
  buf_puts(out, rtl ? "\" dir=\"rtl\">\n<head>\n<title>" : "\">\n<head>\n<title>");
  xml_escape_str(out, title);
  buf_puts(out, "</title>\n");
  if (css_href) {
    buf_puts(out, "<link rel=\"stylesheet\" type=\"text/css\" href=\"");
    buf_puts(out, css_href);
    buf_puts(out, "\"/>\n");
  }
  buf_puts(out, "</head>\n<body>\n");
}

void xhtml_close(buf *out) { buf_puts(out, "</body>\n</html>\n"); }

/* The language of a run of CJK characters, told by its script: kana make
 * it Japanese, hangul Korean, ideographs alone Chinese; NULL for a run of
 * punctuation only, which says nothing. */
static const char *run_lang(const unsigned char *s, size_t len) {
  int han = 0;
  while (len) {
    uint32_t c = utf8_next(&s, &len);
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF))
      return "ja";
    if (c >= 0xAC00 && c <= 0xD7AF)
      return "ko";
    han |= (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3100 && c <= 0x31BF) ||
           (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           c >= 0x20000;
  }
  return han ? "zh" : NULL;
}

/* Text escaped; in a document whose language is not Chinese, Japanese or
 * Korean, each run of those scripts marked with its language, so that a
 * reading system speaks it with the right voice (a Chinese sentence in an
 * English guide). */
static void text_in(const doc *d, const char *text, size_t len, buf *out) {
  if (meta_lang_is_cjk(d->meta.lang)) {
    xml_escape(out, text, len);
    return;
  }
  const unsigned char *s = (const unsigned char *)text;
  size_t at = 0;
  while (at < len) {
    size_t start = at, end = at;
    int cjk = -1;
    while (end < len) { /* a run of one kind: CJK or not */
      const unsigned char *p = s + end;
      size_t left = len - end;
      int is = font_is_cjk_char(utf8_next(&p, &left));
      if (cjk >= 0 && is != cjk)
        break;
      cjk = is;
      end = len - left;
    }
    const char *lang =
        cjk == 1 ? run_lang(s + start, end - start) : NULL;
    if (lang)
      buf_printf(out, "<span lang=\"%s\" xml:lang=\"%s\">", lang, lang);
    xml_escape(out, text + start, end - start);
    if (lang)
      buf_puts(out, "</span>");
    at = end;
  }
}

static int in_tight_list(const doc_node *n) {
  return n->parent && n->parent->kind == DOC_ITEM && n->parent->parent &&
         n->parent->parent->tight;
}

/* Writes href="..." for a link and returns 1, or returns 0 (with a warning
 * where the author would want one) when the link cannot be kept. */
static int link_href(const xhtml_book *bk, const doc_node *n, buf *out) {
  if (!n->url)
    return 0; /* dropped by the reader as unsafe */
  switch (url_classify(n->url)) {
  case URL_EMPTY:
  case URL_DANGEROUS:
    return 0;
  case URL_REMOTE:
    buf_puts(out, " href=\"");
    url_escape_href(out, n->url);
    buf_putc(out, '"');
    return 1;
  case URL_RELATIVE:
    diag(DIAG_WARNING, bk->d->path, n->line, n->col,
         "link to \"%.60s\" kept as text: an e-book cannot reach files "
         "outside it",
         n->url);
    return 0;
  case URL_FRAGMENT:
    break;
  }
  buf id = {0};
  int chapter = -1;
  if (url_percent_decode(n->url + 1, &id) == 0 && id.len)
    chapter = strmap_get(bk->anchor_chapter, id.data);
  if (chapter < 0) {
    diag(DIAG_WARNING, bk->d->path, n->line, n->col,
         "link to \"%.60s\" kept as text: no heading has that anchor", n->url);
    buf_free(&id);
    return 0;
  }
  buf_puts(out, " href=\"");
  xhtml_chapter_name(chapter, out);
  buf_putc(out, '#');
  url_escape_href(out, id.data);
  buf_putc(out, '"');
  buf_free(&id);
  return 1;
}

static void write_image(const xhtml_book *bk, const doc_node *n, buf *out) {
  buf alt = {0};
  doc_plain_text(n, &alt);
  int index = n->file ? strmap_get(bk->image_index, n->file) : -1;
  if (index < 0) {
    buf_puts(out, "<span class=\"missing-image\">");
    xml_escape(out, alt.data ? alt.data : "", alt.len);
    buf_puts(out, "</span>");
  } else {
    buf_puts(out, "<img src=\"../");
    buf_puts(out, bk->image_names[index]);
    buf_puts(out, "\" alt=\"");
    xml_escape(out, alt.data ? alt.data : "", alt.len);
    buf_putc(out, '"');
    if (n->title[0] && n->parent->kind != DOC_FIGURE) {
      buf_puts(out, " title=\"");
      xml_escape_str(out, n->title);
      buf_putc(out, '"');
    }
    buf_puts(out, "/>");
  }
  buf_free(&alt);
}

static void write_code_class(const char *info, buf *out) {
  size_t n = strcspn(info, " \t\n");
  if (!n)
    return;
  buf_puts(out, " class=\"language-");
  xml_escape(out, info, n);
  buf_putc(out, '"');
}

static void para_class(buf *out, const char *cls, const char *text) {
  buf_printf(out, "<p class=\"%s\">", cls);
  xml_escape_str(out, text);
  buf_puts(out, "</p>\n");
}

/* An upward document's number at the left and 签发人 at the right
 * (GB/T 9704-2012 7.2.6), the names in the emphasis face. */
static void write_signers(const doc_meta *m, buf *out) {
  buf lead = {0};
  labels_signer_lead(m, &lead);
  buf_puts(out, "<div class=\"number signed\">\n<p class=\"signers\">");
  xml_escape(out, lead.data, lead.len);
  for (size_t k = 0; k < m->n_signers; k++) {
    if (k) /* names apart, in copied text too */
      buf_puts(out, meta_lang_is_cjk(m->lang) ? "\u3000" : " ");
    buf_puts(out, "<span class=\"signer\">");
    xml_escape_str(out, m->signers[k]);
    buf_puts(out, "</span>");
  }
  buf_puts(out, "</p>\n");
  if (m->number)
    para_class(out, "number", m->number);
  buf_puts(out, "</div>\n");
  buf_free(&lead);
}

/* 份号, 密级 and 紧急程度 (7.2.1-7.2.3), one a line, flush left. */
static void write_corner(const doc_meta *m, buf *out) {
  if (m->copy_number)
    para_class(out, "copy-number", m->copy_number);
  if (m->secrecy)
    para_class(out, "secrecy", m->secrecy);
  if (m->urgency)
    para_class(out, "urgency", m->urgency);
}

/* The letter format's head (10.1): the authority, the double rule, then
 * the number and 份号, 密级, 紧急程度 under it. */
static void write_letter_head(const doc_meta *m, buf *out) {
  const char *issuer = labels_issuer(m);
  if (issuer)
    para_class(out, "authority", issuer);
  buf_puts(out, "<hr class=\"masthead\"/>\n");
  if (m->number)
    para_class(out, "number", m->number);
  write_corner(m, out);
}

static void write_title_block(const doc *d, const style *st, buf *out) {
  const doc_meta *m = &d->meta;
  style_head head = st->head;
  buf_puts(out, "<header class=\"title-block\">\n");
  if (head == STYLE_HEAD_CIRCULAR && st->masthead == STYLE_MASTHEAD_LETTER) {
    write_letter_head(m, out);
  } else if (head == STYLE_HEAD_CIRCULAR) {
    /* the masthead of an official document: 份号, 密级, 紧急程度 at the
     * top left, the authority, the number (and an upward document's
     * signers), the red rule */
    write_corner(m, out);
    const char *issuer = labels_issuer(m);
    if (issuer)
      para_class(out, "authority", issuer);
    if (m->n_signers)
      write_signers(m, out);
    else if (m->number)
      para_class(out, "number", m->number);
    if (issuer || m->number || m->n_signers)
      buf_puts(out, "<hr class=\"masthead\"/>\n");
  } else if (m->category) {
    para_class(out, "category", m->category);
  }
  buf_puts(out, "<h1 class=\"title\"");
  if (d->title_heading) {
    buf_puts(out, " id=\"");
    xml_escape_str(out, d->title_heading->id);
    buf_putc(out, '"');
  }
  buf_putc(out, '>');
  text_in(d, m->title, strlen(m->title), out);
  buf_puts(out, "</h1>\n");
  if (m->subtitle) {
    buf_puts(out, "<p class=\"subtitle\">");
    text_in(d, m->subtitle, strlen(m->subtitle), out);
    buf_puts(out, "</p>\n");
  }
  buf line = {0};
  if (head != STYLE_HEAD_CIRCULAR)
    labels_meta_line(d, &line);
  if (line.len)
    para_class(out, "meta", line.data);
  buf_free(&line);
  buf_puts(out, "</header>\n");
}

/* 附件说明 (GB/T 9704-2012 7.3.4): "附件：" and the names, numbered when
 * there are several. */
static void write_attachments(const doc *d, buf *out) {
  const doc_meta *m = &d->meta;
  if (!m->n_attachments)
    return;
  buf lead = {0};
  labels_attachment_lead(m, &lead);
  buf_puts(out, "<div class=\"attachments\">\n");
  for (size_t k = 0; k < m->n_attachments; k++) {
    buf_puts(out, k                       ? "<p class=\"attachment\">"
                  : m->n_attachments > 1 ? "<p class=\"attachment first\">"
                                         : "<p class=\"attachment single\">");
    if (k == 0) {
      buf_puts(out, "<span class=\"lead\">");
      xml_escape(out, lead.data, lead.len);
      buf_puts(out, "</span>");
    }
    if (m->n_attachments > 1)
      buf_printf(out, "<span class=\"seq\">%zu.</span>", k + 1);
    xml_escape_str(out, m->attachments[k]);
    buf_puts(out, "</p>\n");
  }
  buf_puts(out, "</div>\n");
  buf_free(&lead);
}

/* Minutes' attendance (GB/T 9704-2012 10.3): 出席, 请假, 列席. */
static void write_attendance(const doc *d, buf *out) {
  static const char *const cls[] = {"present", "absent", "attending"};
  const doc_meta *m = &d->meta;
  if (!m->n_present && !m->n_absent && !m->n_attending)
    return;
  buf_puts(out, "<div class=\"attendance\">\n");
  for (int which = 0; which < 3; which++) {
    buf lead = {0}, names = {0};
    labels_attendance(m, which, &lead, &names);
    if (names.len) {
      buf_printf(out, "<p class=\"%s\"><span class=\"lead\">", cls[which]);
      xml_escape(out, lead.data, lead.len);
      buf_puts(out, "</span>");
      xml_escape(out, names.data, names.len);
      buf_puts(out, "</p>\n");
    }
    buf_free(&lead);
    buf_free(&names);
  }
  buf_puts(out, "</div>\n");
}

/* 版记 (GB/T 9704-2012 7.4): 抄送, then 印发机关 and 印发日期, between
 * rules. */
static void write_colophon(const doc *d, int letter, buf *out) {
  const doc_meta *m = &d->meta;
  buf printed = {0};
  if (!letter) /* the letter format's has 抄送 only (10.1) */
    labels_printed(m, &printed);
  const char *printed_by = letter ? NULL : m->printed_by;
  if (!m->n_cc && !printed_by && !printed.len)
    return;
  buf_puts(out, "<footer class=\"colophon\">\n");
  if (m->n_cc) {
    buf t = {0};
    labels_cc_lead(m, &t);
    buf_puts(out, "<p class=\"cc\"><span class=\"lead\">");
    xml_escape(out, t.data, t.len);
    buf_puts(out, "</span>");
    t.len = 0;
    labels_cc_line(m, &t);
    xml_escape(out, t.data, t.len);
    buf_puts(out, "</p>\n");
    buf_free(&t);
  }
  if (printed_by || printed.len) {
    buf_puts(out, "<p class=\"printed\">");
    if (printed_by) {
      buf_puts(out, "<span class=\"printed-by\">");
      xml_escape_str(out, m->printed_by);
      buf_puts(out, "</span>");
    }
    if (printed.len) {
      buf_puts(out, "<span class=\"printed-date\">");
      xml_escape(out, printed.data, printed.len);
      buf_puts(out, "</span>");
    }
    buf_puts(out, "</p>\n");
  }
  buf_puts(out, "</footer>\n");
  buf_free(&printed);
}

/* The issuer and the date that close an official document. */
static void write_signature(const doc *d, buf *out) {
  const doc_meta *m = &d->meta;
  size_t len;
  const char *issuer = labels_signer(m, &len);
  if (!issuer && !m->date)
    return;
  buf_puts(out, "<div class=\"signature\">\n");
  if (issuer) { /* the authority's name, without the mark's 文件 */
    buf_puts(out, "<p class=\"issuer\">");
    xml_escape(out, issuer, len);
    buf_puts(out, "</p>\n");
  }
  if (m->date) {
    buf date = {0};
    labels_date(m->date, m->lang, &date);
    para_class(out, "date", date.data);
    buf_free(&date);
  }
  buf_puts(out, "</div>\n");
}

/* A chapter's notes: numbered anew in each chapter in the order of their
 * first reference there, and written at its end (a note referred to from
 * two chapters stands in both).  One is made per book and emptied after
 * each chapter, so a book of many chapters and many notes does not clear
 * a table of every note for every chapter. */
struct xhtml_notes {
  int *local;        /* per note of the document: its number here, or 0 */
  int *refs;         /* per local number: references written so far */
  const doc_node **queue; /* per local number - 1: the note */
  int n, max;
};

xhtml_notes *xhtml_notes_new(int max_notes) {
  xhtml_notes *cn = calloc(1, sizeof *cn);
  size_t slots = (size_t)(max_notes > 0 ? max_notes : 0) + 1;
  if (!cn || !(cn->local = calloc(slots, sizeof *cn->local)) ||
      !(cn->refs = calloc(slots, sizeof *cn->refs)) ||
      !(cn->queue = calloc(slots, sizeof *cn->queue)))
    out_of_memory();
  cn->max = max_notes;
  return cn;
}

void xhtml_notes_free(xhtml_notes *cn) {
  if (!cn)
    return;
  free(cn->local);
  free(cn->refs);
  free(cn->queue);
  free(cn);
}

/* Empties the table for the next chapter: only what this one touched. */
static void notes_clear(xhtml_notes *cn) {
  for (int k = 1; k <= cn->n; k++) {
    cn->local[cn->queue[k - 1]->note] = 0;
    cn->refs[k] = 0;
  }
  cn->n = 0;
}

static void write_note_ref(const xhtml_book *bk, xhtml_notes *cn,
                           const doc_node *n, buf *out) {
  if (n->note < 1 || n->note > bk->d->n_notes || n->note > cn->max)
    return; /* no such note: cmark-gfm leaves none, but be sure */
  int k = cn->local[n->note];
  if (!k) {
    k = cn->local[n->note] = ++cn->n;
    cn->queue[k - 1] = bk->d->notes[n->note - 1];
  }
  int r = ++cn->refs[k];
  buf_printf(out,
             "<a epub:type=\"noteref\" role=\"doc-noteref\" "
             "class=\"noteref\" id=\"fnref%d",
             k);
  if (r > 1)
    buf_printf(out, "-%d", r);
  buf_printf(out, "\" href=\"#fn%d\"><sup>%d</sup></a>", k, k);
}

static const char *align_class(const doc_node *cell) {
  const doc_node *table = cell->parent ? cell->parent->parent : NULL;
  if (!table || table->kind != DOC_TABLE || cell->level < 0 ||
      cell->level >= table->columns)
    return NULL;
  switch (table->aligns[cell->level]) {
  case 'l':
    return "left";
  case 'c':
    return "center";
  case 'r':
    return "right";
  default:
    return NULL;
  }
}

static void write_cell(const doc_node *n, int enter, buf *out) {
  const char *tag = n->parent && n->parent->header ? "th" : "td";
  if (!enter) {
    buf_printf(out, "</%s>", tag);
    return;
  }
  buf_printf(out, "<%s", tag);
  if (n->parent && n->parent->header)
    buf_puts(out, " scope=\"col\"");
  const char *al = align_class(n);
  if (al)
    buf_printf(out, " class=\"%s\"", al);
  buf_putc(out, '>');
}

/* A row: the header row opens <thead>, the first body row <tbody>. */
static void write_row(const doc_node *n, int enter, buf *out) {
  if (!enter) {
    buf_puts(out, "</tr>\n");
    if (n->header)
      buf_puts(out, "</thead>\n");
    return;
  }
  if (n->header)
    buf_puts(out, "<thead>\n");
  else if (!n->parent->first_child->header ? n == n->parent->first_child
                                           : n == n->parent->first_child->next)
    buf_puts(out, "<tbody>\n");
  buf_puts(out, "<tr>");
}

static void write_table_end(const doc_node *n, buf *out) {
  int has_body = n->first_child && (!n->first_child->header ||
                                    n->first_child->next);
  buf_puts(out, has_body ? "</tbody>\n</table>\n</div>\n"
                         : "</table>\n</div>\n");
}

static void write_block(const xhtml_book *bk, xhtml_notes *cn,
                        const doc_node *root, buf *out) {
  doc_iter it;
  doc_iter_init(&it, (doc_node *)root);
  buf open_links = {0}; /* one byte per link entered: 1 when <a> was written */
  doc_event ev;
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    const doc_node *n = it.node;
    int enter = ev == DOC_EV_ENTER;
    /* a print page's marker: before a block, inside a paragraph or
     * heading (below, after its start tag) */
    if (enter && bk->pages && n->kind != DOC_PARAGRAPH &&
        n->kind != DOC_HEADING && n->kind < DOC_TEXT)
      page_marks(bk, n, out);
    switch (n->kind) {
    case DOC_DOCUMENT:
      break;
    case DOC_PARAGRAPH:
      if (enter && bk->style->head == STYLE_HEAD_CIRCULAR &&
          n == labels_addressee(bk->d))
        buf_puts(out, "<p class=\"addressee\">"); /* flush left */
      else if (!in_tight_list(n))
        buf_puts(out, !enter               ? "</p>\n"
                      : auto_dir(bk->d, n) ? "<p dir=\"auto\">"
                                           : "<p>");
      else if (!enter && n->next)
        buf_putc(out, '\n');
      if (enter)
        page_marks(bk, n, out);
      break;
    case DOC_HEADING:
      if (n == bk->d->title_heading) {
        doc_iter_skip_children(&it);
        break;
      }
      if (enter) {
        buf_printf(out, "<h%d id=\"", n->level);
        xml_escape_str(out, n->id);
        buf_puts(out, auto_dir(bk->d, n) ? "\" dir=\"auto\">" : "\">");
        page_marks(bk, n, out);
      } else {
        buf_printf(out, "</h%d>\n", n->level);
      }
      break;
    case DOC_BLOCK_QUOTE:
      buf_puts(out, enter ? "<blockquote>\n" : "</blockquote>\n");
      break;
    case DOC_LIST:
      if (!enter)
        buf_puts(out, n->ordered ? "</ol>\n" : "</ul>\n");
      else if (!n->ordered)
        buf_puts(out, "<ul>\n");
      else if (n->start != 1)
        buf_printf(out, "<ol start=\"%d\">\n", n->start);
      else
        buf_puts(out, "<ol>\n");
      break;
    case DOC_ITEM:
      if (!enter)
        buf_puts(out, "</li>\n");
      else if (!n->task)
        buf_puts(out, "<li>");
      else
        /* a mark every reading system shows, forms or not */
        buf_puts(out, n->task == 2
                          ? "<li class=\"task done\"><span class=\"task-mark\" "
                            "role=\"img\" aria-label=\"done\">\u2611</span> "
                          : "<li class=\"task\"><span class=\"task-mark\" "
                            "role=\"img\" aria-label=\"to do\">\u2610</span> ");
      break;
    case DOC_TABLE:
      if (enter)
        buf_puts(out, "<div class=\"table\">\n<table>\n");
      else
        write_table_end(n, out);
      break;
    case DOC_TABLE_ROW:
      write_row(n, enter, out);
      break;
    case DOC_TABLE_CELL:
      write_cell(n, enter, out);
      break;
    case DOC_FOOTNOTE_DEF:
      if (enter)
        doc_iter_skip_children(&it); /* written at the chapter's end */
      break;
    case DOC_STRIKE:
      buf_puts(out, enter ? "<del>" : "</del>");
      break;
    case DOC_FOOTNOTE_REF:
      if (enter)
        write_note_ref(bk, cn, n, out);
      break;
    case DOC_CODE_BLOCK:
      /* code reads left to right in any document */
      buf_puts(out, meta_is_rtl(&bk->d->meta) ? "<pre dir=\"ltr\"><code"
                                              : "<pre><code");
      write_code_class(n->info, out);
      buf_putc(out, '>');
      xml_escape(out, n->text, n->text_len);
      buf_puts(out, "</code></pre>\n");
      break;
    case DOC_THEMATIC_BREAK:
      buf_puts(out, "<hr/>\n");
      break;
    case DOC_FIGURE: {
      const doc_node *img = n->first_child;
      int shown =
          img && img->file && strmap_get(bk->image_index, img->file) >= 0;
      if (enter) {
        buf_puts(out, shown ? "<figure>\n" : "<p>");
      } else if (!shown) {
        buf_puts(out, "</p>\n");
      } else {
        if (img->title[0]) {
          buf_puts(out, "\n<figcaption>");
          xml_escape_str(out, img->title);
          buf_puts(out, "</figcaption>");
        }
        buf_puts(out, "\n</figure>\n");
      }
      break;
    }
    case DOC_HTML_BLOCK:
    case DOC_HTML_INLINE:
      break; /* left out; the reader has said so */
    case DOC_TEXT:
      text_in(bk->d, n->text, n->text_len, out);
      break;
    case DOC_SOFT_BREAK:
      buf_putc(out, '\n');
      break;
    case DOC_LINE_BREAK:
      buf_puts(out, "<br/>\n");
      break;
    case DOC_CODE:
      buf_puts(out, "<code>");
      xml_escape(out, n->text, n->text_len);
      buf_puts(out, "</code>");
      break;
    case DOC_EMPH:
      buf_puts(out, enter ? "<em>" : "</em>");
      break;
    case DOC_STRONG:
      buf_puts(out, enter ? "<strong>" : "</strong>");
      break;
    case DOC_LINK:
      if (enter) {
        buf attrs = {0};
        int kept = link_href(bk, n, &attrs);
        if (kept) {
          buf_puts(out, "<a");
          buf_put(out, attrs.data, attrs.len);
          if (n->title[0]) {
            buf_puts(out, " title=\"");
            xml_escape_str(out, n->title);
            buf_putc(out, '"');
          }
          buf_putc(out, '>');
        }
        buf_putc(&open_links, (char)kept);
        buf_free(&attrs);
      } else if (open_links.data[--open_links.len]) {
        buf_puts(out, "</a>");
      }
      break;
    case DOC_IMAGE:
      if (enter) {
        write_image(bk, n, out);
        doc_iter_skip_children(&it);
      }
      break;
    }
  }
  buf_free(&open_links);
}

/* The chapter's notes, each an aside with its number linking back to the
 * first reference; a note's own references join the queue. */
static void write_notes(const xhtml_book *bk, xhtml_notes *cn, buf *out) {
  if (!cn->n)
    return;
  buf_puts(out, "<section class=\"footnotes\" epub:type=\"footnotes\">\n");
  for (int k = 1; k <= cn->n; k++) {
    const doc_node *note = cn->queue[k - 1];
    buf_printf(out,
               "<aside epub:type=\"footnote\" role=\"doc-footnote\" "
               "id=\"fn%d\" class=\"footnote\">\n",
               k);
    buf_printf(out,
               "<p class=\"note-label\"><a href=\"#fnref%d\" "
               "role=\"doc-backlink\">%d</a></p>\n",
               k, k);
    for (const doc_node *b = note->first_child; b; b = b->next)
      write_block(bk, cn, b, out);
    buf_puts(out, "</aside>\n");
  }
  buf_puts(out, "</section>\n");
}

void xhtml_chapter(const xhtml_book *bk, const doc_node *first,
                   const doc_node *stop, int with_title, buf *out) {
  const doc *d = bk->d;
  xhtml_open(out, d->meta.lang, meta_is_rtl(&d->meta), d->meta.title,
             "../style.css", 1);
  buf_puts(out, "<section class=\"chapter\" epub:type=\"chapter\" "
                "role=\"doc-chapter\">\n");
  if (with_title) {
    page_marks_unplaced(bk, 1, out);
    write_title_block(d, bk->style, out);
  }
  xhtml_notes *cn = bk->notes;
  for (const doc_node *b = first; b && b != stop; b = b->next)
    write_block(bk, cn, b, out);
  if (!stop) /* pages of the closing: 附件说明, signature, 版记 */
    page_marks_unplaced(bk, 0, out);
  if (!stop && bk->style->head == STYLE_HEAD_CIRCULAR) {
    write_attachments(d, out);
    write_attendance(d, out);
  }
  if (!stop && bk->style->signature)
    write_signature(d, out);
  write_notes(bk, cn, out);
  if (!stop && bk->style->head == STYLE_HEAD_CIRCULAR)
    write_colophon(d, bk->style->masthead == STYLE_MASTHEAD_LETTER, out);
  notes_clear(cn);
  buf_puts(out, "</section>\n");
  xhtml_close(out);
}

/* epub_text.c - a chapter's text as the EPUB shows it (epub_text.h).
 *
 * The text is walked as xhtml.c writes it, each piece with the role whose
 * font list the stylesheet gives it (css.c) and the weight and slant it is
 * set in. */
#include "epub_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "labels.h"
#include "meta.h"
#include "oom.h"

static int role_shape(const epub_text *w, doc_role role) {
  const style_role *r = &w->st->role[role];
  return (r->bold ? EPUB_TEXT_BOLD : 0) | (r->italic ? EPUB_TEXT_ITALIC : 0);
}

static void put(epub_text *w, doc_role role, int shape, const char *s,
                size_t len) {
  if (s && len && !w->stop)
    w->text(w->ctx, role, shape, w->cjk, s, len);
}

static void put_str(epub_text *w, doc_role role, const char *s) {
  if (s)
    put(w, role, role_shape(w, role), s, strlen(s));
}

static void put_number(epub_text *w, doc_role role, int shape, int k) {
  char digits[16];
  int len = snprintf(digits, sizeof digits, "%d", k);
  put(w, role, shape, digits, (size_t)len);
}

static int in_tight_list(const doc_node *n) {
  return n->parent && n->parent->kind == DOC_ITEM && n->parent->parent &&
         n->parent->parent->tight;
}

/* The role whose font list a paragraph's text takes: "li" for a tight
 * item's (written without <p>), then the most specific of the stylesheet's
 * rules for <p>: "aside.footnote p", "blockquote p", "p". */
static doc_role para_role(const doc_node *n) {
  if (n->kind == DOC_PARAGRAPH && in_tight_list(n))
    return DOC_ROLE_LIST;
  int quote = 0;
  for (const doc_node *p = n->parent; p; p = p->parent) {
    if (p->kind == DOC_FOOTNOTE_DEF)
      return DOC_ROLE_NOTE;
    quote |= p->kind == DOC_BLOCK_QUOTE;
  }
  return quote ? DOC_ROLE_QUOTE : DOC_ROLE_BODY;
}

/* The role of a heading of level (1-6, as read_md.c makes them). */
static doc_role heading_role(int level) {
  return (doc_role)(DOC_ROLE_H1 + (level < 1 ? 0 : level > 6 ? 5 : level - 1));
}

static void note_ref(epub_text *w, const doc *d, const doc_node *n,
                     doc_role role, int shape) {
  if (n->note < 1 || n->note > d->n_notes)
    return; /* xhtml.c writes nothing for it */
  int k = w->local[n->note];
  if (!k) {
    k = w->local[n->note] = ++w->n;
    w->queue[k - 1] = d->notes[n->note - 1];
  }
  put_number(w, role, shape, k);
}

static void walk_block(epub_text *w, const doc *d, const doc_node *root) {
  doc_iter it;
  doc_iter_init(&it, (doc_node *)root);
  doc_role role = DOC_ROLE_BODY;
  int emph = 0, strong = 0;
  doc_event ev;
  while (!w->stop && (ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    const doc_node *n = it.node;
    int enter = ev == DOC_EV_ENTER;
    int shape = role_shape(w, role) | (strong ? EPUB_TEXT_BOLD : 0) |
                (emph ? EPUB_TEXT_ITALIC : 0);
    switch (n->kind) {
    case DOC_PARAGRAPH:
      if (enter)
        role = para_role(n);
      else if (in_tight_list(n) && n->next)
        put(w, role, shape, " ", 1); /* the line between them */
      break;
    case DOC_HEADING:
      if (enter && n == d->title_heading)
        doc_iter_skip_children(&it); /* it stands in the title block */
      else if (enter)
        role = heading_role(n->level);
      break;
    case DOC_TABLE_CELL:
      if (enter)
        role = n->parent && n->parent->header ? DOC_ROLE_TABLE_HEAD
                                              : DOC_ROLE_TABLE;
      break;
    case DOC_ITEM:
      if (enter && n->task)
        put_str(w, DOC_ROLE_LIST, n->task == 2 ? "\u2611 " : "\u2610 ");
      break;
    case DOC_FOOTNOTE_DEF:
      if (enter)
        doc_iter_skip_children(&it); /* walked at the chapter's end */
      break;
    case DOC_FOOTNOTE_REF:
      if (enter)
        note_ref(w, d, n, role, shape);
      break;
    case DOC_CODE_BLOCK:
      put(w, DOC_ROLE_CODE, role_shape(w, DOC_ROLE_CODE), n->text, n->text_len);
      break;
    case DOC_FIGURE:
      /* every image with a file is in the book (epub.c), and a figure
       * shows only its caption; one without stands as a paragraph */
      if (enter && n->first_child && n->first_child->file) {
        put_str(w, DOC_ROLE_CAPTION, n->first_child->title);
        doc_iter_skip_children(&it);
      } else if (enter) {
        role = para_role(n);
      }
      break;
    case DOC_IMAGE:
      if (enter && !n->file) { /* its alt text, in italics */
        buf alt = {0};
        doc_plain_text(n, &alt);
        put(w, role, shape | EPUB_TEXT_ITALIC, alt.data, alt.len);
        buf_free(&alt);
      }
      if (enter)
        doc_iter_skip_children(&it);
      break;
    case DOC_TEXT:
      put(w, role, shape, n->text, n->text_len);
      break;
    case DOC_SOFT_BREAK:
      put(w, role, shape, " ", 1);
      break;
    case DOC_CODE: /* the code role's fonts, the weight and slant around */
      put(w, DOC_ROLE_CODE, shape, n->text, n->text_len);
      break;
    case DOC_EMPH:
      emph += enter ? 1 : -1;
      break;
    case DOC_STRONG:
      strong += enter ? 1 : -1;
      break;
    default:
      break; /* raw HTML is left out; links and <del> keep the font */
    }
  }
}

static void walk_title(epub_text *w, const doc *d) {
  const doc_meta *m = &d->meta;
  if (w->st->head == STYLE_HEAD_CIRCULAR) {
    put_str(w, DOC_ROLE_NUMBER, m->copy_number);
    put_str(w, DOC_ROLE_CLASSIFICATION, m->secrecy);
    put_str(w, DOC_ROLE_CLASSIFICATION, m->urgency);
    put_str(w, DOC_ROLE_AUTHORITY, labels_issuer(m));
    if (m->n_signers) {
      buf lead = {0};
      labels_signer_lead(m, &lead);
      put_str(w, DOC_ROLE_NUMBER, lead.data);
      buf_free(&lead);
      for (size_t k = 0; k < m->n_signers; k++) /* in the emphasis face */
        put(w, DOC_ROLE_NUMBER, role_shape(w, DOC_ROLE_NUMBER) |
                                    EPUB_TEXT_ITALIC,
            m->signers[k], strlen(m->signers[k]));
    }
    put_str(w, DOC_ROLE_NUMBER, m->number);
  } else {
    put_str(w, DOC_ROLE_CATEGORY, m->category);
  }
  put_str(w, DOC_ROLE_TITLE, m->title);
  put_str(w, DOC_ROLE_SUBTITLE, m->subtitle);
  if (w->st->head != STYLE_HEAD_CIRCULAR) {
    buf line = {0};
    labels_meta_line(d, &line);
    put_str(w, DOC_ROLE_META, line.data);
    buf_free(&line);
  }
}

/* 附件说明 in the body's role, as xhtml.c writes it */
static void walk_attachments(epub_text *w, const doc *d) {
  const doc_meta *m = &d->meta;
  if (!m->n_attachments)
    return;
  buf t = {0};
  labels_attachment_lead(m, &t);
  for (size_t k = 0; k < m->n_attachments; k++) {
    if (m->n_attachments > 1)
      buf_printf(&t, "%zu.", k + 1);
    buf_puts(&t, m->attachments[k]);
  }
  put_str(w, DOC_ROLE_BODY, t.data);
  buf_free(&t);
}

static void walk_attendance(epub_text *w, const doc *d) {
  for (int which = 0; which < 3; which++) {
    buf lead = {0}, names = {0};
    labels_attendance(&d->meta, which, &lead, &names);
    if (names.len) {
      put_str(w, DOC_ROLE_CLASSIFICATION, lead.data);
      put_str(w, DOC_ROLE_BODY, names.data);
    }
    buf_free(&lead);
    buf_free(&names);
  }
}

static void walk_colophon(epub_text *w, const doc *d) {
  const doc_meta *m = &d->meta;
  buf t = {0};
  if (m->n_cc) {
    labels_cc_lead(m, &t);
    labels_cc_line(m, &t);
  }
  if (m->printed_by)
    buf_puts(&t, m->printed_by);
  labels_printed(m, &t);
  if (t.len)
    put_str(w, DOC_ROLE_COLOPHON, t.data);
  buf_free(&t);
}

static void walk_signature(epub_text *w, const doc *d) {
  const doc_meta *m = &d->meta;
  size_t len;
  const char *issuer = labels_signer(m, &len);
  if (issuer)
    put(w, DOC_ROLE_SIGNATURE, role_shape(w, DOC_ROLE_SIGNATURE), issuer,
        len);
  if (m->date) {
    buf date = {0};
    labels_date(m->date, m->lang, &date);
    put_str(w, DOC_ROLE_SIGNATURE, date.data);
    buf_free(&date);
  }
}

void epub_text_chapter(epub_text *w, const doc *d, const doc_node *first,
                       const doc_node *stop, int with_title) {
  size_t need = (size_t)(d->n_notes > 0 ? d->n_notes : 0) + 1;
  if (need > w->cap) {
    w->local = realloc(w->local, need * sizeof *w->local);
    w->queue = realloc(w->queue, need * sizeof *w->queue);
    if (!w->local || !w->queue)
      out_of_memory();
    memset(w->local + w->cap, 0, (need - w->cap) * sizeof *w->local);
    w->cap = need;
  }
  w->cjk = meta_lang_is_cjk(d->meta.lang);
  if (with_title)
    walk_title(w, d);
  for (const doc_node *b = first; b && b != stop; b = b->next)
    walk_block(w, d, b);
  if (!stop && w->st->head == STYLE_HEAD_CIRCULAR) {
    walk_attachments(w, d);
    walk_attendance(w, d);
  }
  if (!stop && w->st->signature)
    walk_signature(w, d);
  if (!stop && w->st->head == STYLE_HEAD_CIRCULAR)
    walk_colophon(w, d);
  /* the notes, each numbered in "aside.footnote p" */
  for (int k = 1; k <= w->n; k++) {
    put_number(w, DOC_ROLE_NOTE, role_shape(w, DOC_ROLE_NOTE), k);
    for (const doc_node *b = w->queue[k - 1]->first_child; b; b = b->next)
      walk_block(w, d, b);
  }
  for (int k = 1; k <= w->n; k++)
    w->local[w->queue[k - 1]->note] = 0;
  w->n = 0;
}

void epub_text_free(epub_text *w) {
  free(w->local);
  free(w->queue);
}

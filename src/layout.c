/* layout.c - blocks -> lines -> pages.
 *
 * Two passes.  The first walks the document and turns every block into
 * vertical items (a line of text, an image, a rule) whose marks are placed
 * relative to the item; each item says whether a page may end before it,
 * which is how widows, orphans and headings kept with their text are
 * expressed.  The second pass fills pages with items, backing up to the last
 * allowed break when one does not fit, and turns relative marks into page
 * coordinates. */
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "breaks.h"
#include "cjk.h"
#include "diag.h"
#include "labels.h"
#include "linebreak.h"
#include "meta.h"
#include "oom.h"
#include "resource.h"
#include "shape.h"
#include "strmap.h"
#include "titleshape.h"
#include "url.h"
#include "utf8.h"
#include "vec.h"

/* Room for one more item in arr (n items, cap allocated). */
#define GROW(arr, n, cap)                                                      \
  ((arr) = vec_grow((arr), &(cap), (n) + 1, sizeof *(arr)))

enum { MAX_INDENT_LEVELS = 8 };

typedef enum { V_LINE, V_BLOCK, V_NEWPAGE } vkind;

typedef struct {
  vkind kind;
  double height, space_before;
  double space_own; /* of space_before, what its own block asked */
  int break_before; /* a page may end just before this item */
  int keep_next;    /* no page may end just after it */
  /* a figure that may float: one past its caption's last item, the space
   * the block before it asked after itself and the space it asks after
   * itself; 0 when it keeps its place */
  size_t float_to;
  double float_lead, float_after;
  int fence;    /* no figure floats past it: a heading, the end matter */
  int deferred; /* pagination: waiting for the next page's top */
  size_t t0, t1, r0, r1, i0, i1, l0, l1; /* ranges of relative marks */
  long outline, anchor; /* set for a heading's first line; -1 otherwise */
  long repeat; /* a table row: its header row, set again atop a new page */
  int foot;    /* a line of a note, set at the foot of a page */
  int colophon; /* a circular's 版记: set at the foot of an even last page */
  size_t f0, f1; /* the notes this item refers to: a range of ctx.refs */
  size_t doc_index;
} vitem;

/* A note set at the foot of the page that first refers to it: its lines
 * are items v0..v1 (outside the flow), height points in all.  A long note
 * (over a third of the text block) may be split: it claims only its first
 * lines on the page of its reference and the rest continues at the foot of
 * the next page. */
typedef struct {
  size_t v0, v1;
  double height;
  int split;  /* long: may continue on the next page */
  int placed; /* given to a page already */
} foot_note;

typedef struct {
  double x, y, w, h;
  const char *uri;
  const char *fragment; /* resolved to an anchor when the document ends */
  size_t doc_index;
  long se; /* the structure element of the text it covers */
} pending_link;

/* A link gets a rectangle on the page: it has width and a target left
 * after resolution. */
static int link_placed(const pending_link *pl) {
  return pl->w > 0 && (pl->uri || pl->fragment);
}

typedef struct {
  const layout_options *opt;
  layout *out;
  const style *st;
  const font_stacks *lf;
  const doc *d;
  size_t doc_index;
  int cjk;
  int rtl; /* the document runs right to left: blocks mirrored */
  double body, text_width, text_height;
  double pitch; /* the character grid's line pitch; 0 without a grid */
  double cell;  /* its character width at the body size; 0 without one */
  size_t doc_first_item; /* the current document's first vertical item */
  vitem *v;
  size_t n_v, cap_v;
  lay_text *t; /* relative marks: x from the text block's left, y down */
  size_t n_t, cap_t;
  lay_rect *r;
  size_t n_r, cap_r;
  lay_image *im;
  size_t n_im, cap_im;
  pending_link *l;
  size_t n_l, cap_l;
  foot_note *foot; /* every note of every document */
  size_t n_foot, cap_foot;
  size_t note_base; /* the current document's first note in foot */
  size_t *refs;     /* items' references to notes: indices into foot */
  size_t n_refs, cap_refs;
  size_t cap_outline, cap_anchors;
  strmap anchor_ids; /* heading id -> anchor index, this document */
  /* block context */
  double indent_left;
  int depth;                      /* indent levels in use */
  double bars[MAX_INDENT_LEVELS]; /* x of each quote bar */
  int n_bars;
  const char *marker; /* list marker waiting for the next line */
  const char *inline_marker; /* a circular's list number, set in the text */
  const doc_node *addressee; /* a circular's 主送机关 paragraph, flush left */
  double pending_space;
  double own_space; /* of pending_space, what the next block asked */
  int keep_next;
  size_t missing; /* characters of this document no font has */
  uint32_t first_missing;
  int shape_title; /* the next paragraph is a circular's title */
  /* the structure tree (layout.structs) */
  long se_parent;        /* where new elements go; -1: the document */
  long se_text;          /* the element of the text being set; -1: artifact */
  long se_lang;          /* the Span of the CJK run being set, or -1 */
  const doc_node *block; /* the block being laid out, or NULL */
  long se_label;         /* a list item's Lbl, for its marker; or -1 */
  const char *para_type; /* the next paragraph's type, when not "P" */
  long *link_se;         /* the paragraph's links' Link elements, or -1 */
  size_t n_link_se;
  int artifact;          /* setting page furniture */
} ctx;

/* ---- items and marks ---- */

/* A new structure element of type under parent; its index. */
static long new_struct(ctx *c, const char *type, long parent) {
  layout *l = c->out;
  GROW(l->structs, l->n_structs, l->cap_structs);
  l->structs[l->n_structs] =
      (lay_struct){type, parent, NULL, NULL, c->block, 0, 0};
  return (long)l->n_structs++;
}

/* Opens a container element under the current one; returns the parent to
 * restore. */
static long open_struct(ctx *c, const char *type) {
  long saved = c->se_parent;
  c->se_parent = new_struct(c, type, saved);
  return saved;
}

static vitem *new_item(ctx *c, vkind kind, double height) {
  GROW(c->v, c->n_v, c->cap_v);
  vitem *it = &c->v[c->n_v++];
  memset(it, 0, sizeof *it);
  it->kind = kind;
  it->height = height;
  it->space_before = c->pending_space;
  it->space_own = c->own_space;
  it->break_before = !c->keep_next;
  it->t0 = it->t1 = c->n_t;
  it->r0 = it->r1 = c->n_r;
  it->i0 = it->i1 = c->n_im;
  it->l0 = it->l1 = c->n_l;
  it->f0 = it->f1 = c->n_refs;
  it->outline = it->anchor = it->repeat = -1;
  it->doc_index = c->doc_index;
  c->pending_space = 0;
  c->own_space = 0;
  c->keep_next = 0;
  return it;
}

static void close_item(ctx *c, vitem *it) {
  it->t1 = c->n_t;
  it->r1 = c->n_r;
  it->i1 = c->n_im;
  it->l1 = c->n_l;
  it->f1 = c->n_refs;
}

/* The line being built refers to note `note` of the current document. */
static void add_note_ref(ctx *c, int note) {
  if (note < 1 || c->note_base + (size_t)note > c->n_foot || !c->n_v)
    return;
  size_t f = c->note_base + (size_t)note - 1;
  for (size_t i = c->v[c->n_v - 1].f0; i < c->n_refs; i++)
    if (c->refs[i] == f)
      return;
  GROW(c->refs, c->n_refs, c->cap_refs);
  c->refs[c->n_refs++] = f;
}

static void add_rect(ctx *c, double x, double y, double w, double h,
                     unsigned color) {
  GROW(c->r, c->n_r, c->cap_r);
  c->r[c->n_r++] = (lay_rect){x, y, w, h, color};
}

static lay_text *add_text(ctx *c) {
  GROW(c->t, c->n_t, c->cap_t);
  lay_text *t = &c->t[c->n_t++];
  memset(t, 0, sizeof *t);
  t->se = c->se_text;
  return t;
}

/* Quote bars beside every line inside block quotes. */
static void add_bars(ctx *c, double height) {
  for (int i = 0; i < c->n_bars; i++)
    add_rect(c, c->rtl ? c->text_width - c->bars[i] - 1.5 : c->bars[i], 0,
             1.5, height, 0xBBBBBB);
}

/* On a character grid every line and space takes whole grid lines, so the
 * text of every page stands on the same lines. */
static double on_grid(const ctx *c, double height) {
  if (c->pitch <= 0 || height <= 0)
    return height;
  return ceil(height / c->pitch - 1e-6) * c->pitch;
}

/* ---- paragraphs ---- */

typedef struct {
  doc_role role;
  double size, leading, first_indent;
  style_align align;
  int keep_next;
  int code; /* code block: kept spaces, tinted lines */
  int hyphenate; /* hyphenated whatever its alignment (table cells) */
} para_look;

static font_shape shape_of(int bold, int italic) {
  return (font_shape)((bold ? FONT_BOLD : 0) | (italic ? FONT_ITALIC : 0));
}

static span_style base_span(const ctx *c, doc_role role) {
  const style_role *r = &c->st->role[role];
  span_style s = {.fonts = &c->lf->role[role],
                  .shape = shape_of(r->bold, r->italic),
                  .size = r->size * c->body,
                  .color = r->color,
                  .link = -1};
  return s;
}

static para_look look_of(const ctx *c, doc_role role) {
  const style_role *r = &c->st->role[role];
  para_look k = {.role = role,
                 .size = r->size * c->body,
                 .leading = r->leading,
                 .first_indent = r->indent * c->body,
                 .align = r->align,
                 .keep_next = r->keep_with_next,
                 .code = role == DOC_ROLE_CODE};
  if (c->cjk && role == DOC_ROLE_BODY)
    k.first_indent = c->st->cjk_indent * k.size;
  /* on a character grid an indent of n ems is n cells */
  if (c->cell > 0 && k.size > c->body - 0.01 && k.size < c->body + 0.01)
    k.first_indent *= c->cell / c->body;
  return k;
}

typedef struct {
  const char **urls; /* per link index: the URL as written */
  size_t n, cap;
} link_table;

static uint32_t last_char(const buf *b) {
  if (!b->len)
    return 0;
  size_t i = b->len - 1;
  while (i > 0 && ((unsigned char)b->data[i] & 0xC0) == 0x80)
    i--;
  uint32_t cp = 0;
  utf8_decode((const unsigned char *)b->data + i, b->len - i, &cp);
  return cp;
}

/* The first character of the inline n, looking only into n itself (its
 * first descendants), so that a run of soft breaks costs linear time. */
static uint32_t first_char_after(const doc_node *n) {
  while (n && doc_kind_is_container(n->kind))
    n = n->first_child;
  uint32_t cp = 0;
  if (n && (n->kind == DOC_TEXT || n->kind == DOC_CODE) && n->text_len)
    utf8_decode((const unsigned char *)n->text, n->text_len, &cp);
  return cp;
}

/* Links a PDF can follow: remote addresses and anchors in the document. */
static int link_followable(const char *url) {
  url_kind kind = url_classify(url);
  return kind == URL_REMOTE || kind == URL_FRAGMENT;
}

/* Inline content of node into p, styles stacked as the tree nests; an
 * image in running text is warned about when doc_path is given. */
static void collect_inlines(para *p, const doc_node *node, span_style base,
                            const font_stack *code_fonts, link_table *links,
                            arena **mem, const char *doc_path) {
  span_style stack[2 * 64 + 16];
  int sp = 0, overflow = 0; /* spans nested past the stack share its top */
  stack[0] = base;
  doc_iter it;
  doc_iter_init(&it, (doc_node *)node);
  doc_event ev;
  while ((ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    const doc_node *n = it.node;
    if (n == node)
      continue;
    span_style cur = stack[sp];
    if (ev == DOC_EV_EXIT) {
      if (n->kind == DOC_EMPH || n->kind == DOC_STRONG ||
          n->kind == DOC_LINK || n->kind == DOC_STRIKE) {
        if (overflow)
          overflow--;
        else if (sp > 0)
          sp--;
      }
      continue;
    }
    switch (n->kind) {
    case DOC_TEXT:
      para_add_text(p, n->text, n->text_len, &cur);
      break;
    case DOC_CODE: {
      span_style code = cur;
      code.fonts = code_fonts;
      code.size = cur.size * 0.9;
      code.code = 1;
      para_add_text(p, n->text, n->text_len, &code);
      break;
    }
    case DOC_SOFT_BREAK: {
      /* between two CJK characters a source line break is no space */
      uint32_t before = last_char(&p->text), after = first_char_after(n->next);
      if (!(font_is_cjk_char(before) && font_is_cjk_char(after)))
        para_add_text(p, " ", 1, &cur);
      break;
    }
    case DOC_LINE_BREAK:
      para_add_line_break(p, &cur);
      break;
    case DOC_FOOTNOTE_REF: {
      /* the note's number, raised and smaller */
      char num[16];
      snprintf(num, sizeof num, "%d", n->note);
      span_style sup = cur;
      sup.size = cur.size * 0.62;
      sup.rise = cur.rise + cur.size * 0.36;
      sup.strike = 0;
      sup.note = n->note;
      if (n->note > 0 && mem) {
        /* the number links to its note: ":fn3" is no heading's anchor,
         * since anchors keep no colon */
        char target[24];
        snprintf(target, sizeof target, "#:fn%d", n->note);
        GROW(links->urls, links->n, links->cap);
        links->urls[links->n] = arena_strndup(mem, target, strlen(target));
        sup.link = (int)links->n++;
      }
      if (n->note > 0)
        para_add_text(p, num, strlen(num), &sup);
      break;
    }
    case DOC_EMPH:
    case DOC_STRONG:
    case DOC_LINK:
    case DOC_STRIKE:
      if (sp + 1 < (int)(sizeof stack / sizeof *stack)) {
        span_style next = cur;
        int bold = cur.shape & FONT_BOLD, italic = cur.shape & FONT_ITALIC;
        if (n->kind == DOC_STRIKE)
          next.strike = 1;
        else if (n->kind == DOC_EMPH)
          next.shape = shape_of(bold, !italic);
        else if (n->kind == DOC_STRONG)
          next.shape = shape_of(1, italic);
        else if (n->url && link_followable(n->url)) {
          GROW(links->urls, links->n, links->cap);
          links->urls[links->n] = n->url;
          next.link = (int)links->n++;
          next.color = 0x1A4F9C;
        }
        stack[++sp] = next;
      } else {
        overflow++;
      }
      break;
    case DOC_IMAGE: {
      /* an image inside running text is given by its alt text (a figure
       * that could not be drawn was warned about by lay_figure, an image
       * left out by the reader) */
      if (doc_path && n->file && node->kind != DOC_FIGURE)
        diag(DIAG_WARNING, doc_path, n->line, n->col,
             "image \"%s\" sits in running text: the PDF gives its alt text "
             "in its place",
             n->url);
      buf alt = {0};
      doc_plain_text(n, &alt);
      span_style a = cur;
      a.shape = shape_of(cur.shape & FONT_BOLD, 1);
      para_add_text(p, "[", 1, &a);
      if (alt.len)
        para_add_text(p, alt.data, alt.len, &a);
      para_add_text(p, "]", 1, &a);
      buf_free(&alt);
      doc_iter_skip_children(&it);
      break;
    }
    default:
      break; /* raw HTML is left out */
    }
  }
}

typedef struct {
  lay_text t;    /* t.text is not yet set: the run's text is copied once */
  const char *s; /* the bytes drawn (in the paragraph's text), len of them */
  size_t len;
  double adv; /* natural advance of the drawn glyphs, points */
  int glyphs;
  int natural; /* the box is as wide as its glyphs (it can join a run) */
  double rise;  /* raised above the baseline by this much */
} raw_text;

static int one_character(const char *s, size_t len) {
  uint32_t cp;
  return utf8_decode((const unsigned char *)s, len, &cp) == (int)len;
}

/* Joins b onto a when b continues a's run at a's character spacing.  b
 * must be one character drawn with one glyph, so that the PDF writer,
 * shaping a's text as one run and each character after it alone, draws
 * what was measured. */
static int try_join(raw_text *a, const raw_text *b, buf *text) {
  if (!a->natural || !b->natural || a->t.face != b->t.face ||
      a->t.size != b->t.size || a->t.color != b->t.color ||
      a->t.fake_bold != b->t.fake_bold || a->rise != b->rise ||
      a->t.se != b->t.se || a->t.plain != b->t.plain ||
      a->t.rtl != b->t.rtl || b->glyphs != 1 ||
      !one_character(b->s, b->len))
    return 0;
  double gap = b->t.x - (a->t.x + a->adv + a->glyphs * a->t.char_space);
  double cs = a->t.char_space;
  if (a->glyphs == 1) {
    cs = (b->t.x - a->t.x - a->adv);
    gap = 0;
  }
  if (fabs(gap) > 0.01 || cs < -0.01 || cs > a->t.size)
    return 0;
  a->t.char_space = cs;
  if (!a->t.head)
    a->t.head = text->len;
  buf_put(text, b->s, b->len);
  a->adv += b->adv;
  a->glyphs++;
  return 1;
}

/* The width of s shaped as one run, and its number of glyphs. */
static double text_advance(font_face *f, const char *s, size_t len,
                           const shape_how *how, double size, int *glyphs) {
  const shape_run *r = shape(f, s, len, how);
  *glyphs = r ? (int)r->n : 0;
  return r ? (double)r->width * size / font_upem(f) : 0;
}

/* The width of a mark as the PDF writer draws it (lay_text.head), without
 * its character spacing, and its number of glyphs. */
static double mark_advance(const lay_text *t, int *glyphs) {
  shape_how how = {t->lang, t->plain, t->rtl};
  size_t len = strlen(t->text), head = t->head ? t->head : len;
  double w = text_advance(t->face, t->text, head, &how, t->size, glyphs);
  for (size_t i = head; i < len;) {
    uint32_t cp;
    int n = utf8_decode((const unsigned char *)t->text + i, len - i, &cp);
    n = n > 0 ? n : 1;
    int g;
    w += text_advance(t->face, t->text + i, (size_t)n, &how, t->size, &g);
    *glyphs += g;
    i += (size_t)n;
  }
  return w;
}

/* Emits the marks of one line, from item `from` to the break item `end`. */
/* The element of text in span: a link's text is a Link element of its own
 * inside the paragraph's, one per link whatever lines it takes. */
static long span_se(ctx *c, const para *p, int span) {
  int k = span >= 0 ? p->spans[span].link : -1;
  if (c->se_text < 0 || k < 0 || (size_t)k >= c->n_link_se)
    return c->se_text;
  if (c->link_se[k] < 0)
    c->link_se[k] = new_struct(c, "Link", c->se_text);
  return c->link_se[k];
}

/* The element of a piece of text: in a document that is not Chinese,
 * Japanese or Korean, a run of those scripts inside a paragraph of its
 * language is a Span with its own /Lang (a Chinese sentence in an English
 * guide), one per run, whatever lines it takes. */
static long lang_se(ctx *c, long se, const font_face *face, const char *s,
                    size_t len) {
  if (se < 0 || c->cjk || c->out->structs[se].lang || !font_is_cjk(face)) {
    if (se < 0 || !font_is_cjk(face))
      c->se_lang = -1;
    return se;
  }
  const char *lang = cjk_text_lang(s, len);
  if (c->se_lang >= 0 && c->out->structs[c->se_lang].parent == se) {
    if (lang && strcmp(lang, "zh") != 0) /* kana, hangul: ja, ko */
      c->out->structs[c->se_lang].lang = lang;
    return c->se_lang;
  }
  c->se_lang = new_struct(c, "Span", se);
  c->out->structs[c->se_lang].lang = lang ? lang : "zh";
  return c->se_lang;
}

/* How many times s is the 3-byte character c over (0: it is not). */
static int repeats(const char *s, size_t len, const char *c) {
  if (!len || len % 3)
    return 0;
  for (size_t i = 0; i < len; i += 3)
    if (memcmp(s + i, c, 3) != 0)
      return 0;
  return (int)(len / 3);
}

/* The Chinese dash (破折号) is two em dashes that read as one line; an
 * ellipsis (省略号) is two sets of three dots at the middle of the
 * characters (GB/T 15834-2011 4.10, 4.11).  Faces draw the em dash short
 * of its cell (Noto Serif CJK, AR PL UMing: a gap between the two) and
 * some set the dots on the baseline (a Latin face standing in, in a
 * Chinese document): a rule joins two dashes that meet on a line, and dots
 * on the baseline are raised to the middle of the em box.  The text drawn
 * stays as typed. */
typedef struct {
  font_face *face; /* the first dash of a pair drawn, else NULL */
  double ink_left, y, h;
} pending_dash;

static void cjk_dashes_and_dots(ctx *c, font_face *f, const char *s,
                                size_t len, double x, double baseline,
                                const span_style *sp, raw_text *r,
                                pending_dash *dash) {
  double box[4];
  shape_how how = {r->t.lang, r->t.plain, r->t.rtl};
  /* one or more of them: a CJK face's are atoms of their own, a Latin
   * face's one atom */
  int is_dash = repeats(s, len, "\xE2\x80\x94"); /* — */
  int is_dots = repeats(s, len, "\xE2\x80\xA6"); /* … */
  if (is_dash > 1 && shape_ink(f, s, 3, &how, box)) {
    double step = r->adv / is_dash;
    add_rect(c, x + box[0] * sp->size,
             baseline - (box[3] + sp->rise / sp->size) * sp->size,
             (is_dash - 1) * step + (box[2] - box[0]) * sp->size,
             (box[3] - box[1]) * sp->size, sp->color);
    dash->face = NULL;
    return;
  }
  if (!is_dash || !shape_ink(f, s, len, &how, box)) {
    dash->face = NULL;
    if (is_dots && shape_ink(f, s, 3, &how, box)) {
      double middle = (font_ascender(f) + font_descender(f)) / 2;
      double centre = (box[1] + box[3]) / 2;
      if (centre < middle - 0.15) /* on the baseline */
        r->rise += (middle - centre) * sp->size;
    }
    return;
  }
  double y = baseline - (box[3] + sp->rise / sp->size) * sp->size;
  if (dash->face == f && fabs(dash->y - y) < 0.01) {
    add_rect(c, dash->ink_left, y, x + box[2] * sp->size - dash->ink_left,
             dash->h, sp->color);
    dash->face = NULL; /* a third dash starts a pair of its own */
    return;
  }
  *dash = (pending_dash){f, x + box[0] * sp->size, y,
                         (box[3] - box[1]) * sp->size};
}

/* The width an item of a line takes, set at ratio. */
static double set_width(const item *it, double ratio, int last) {
  if (it->kind == ITEM_BOX)
    return it->width;
  if (it->kind == ITEM_PENALTY)
    return last && it->flagged ? it->width : 0; /* the hyphen drawn */
  if (last || it->stretch >= BREAKS_FIL)
    return last ? 0 : it->width;
  return it->width + (ratio > 0 ? ratio * it->stretch : ratio * it->shrink);
}

/* Where each item of a line from `from` to the break `end` stands when
 * the line holds text of both directions: the items in the visual order
 * of UAX #9 L2 (from the highest level down to the lowest odd one, each
 * run at or above it reversed) placed from x rightwards.  NULL when every
 * item is left to right, as it is set. */
static double *visual_places(const para *p, size_t from, size_t end,
                             double ratio, double x) {
  size_t n = end - from + 1;
  unsigned char top = 0, low_odd = 255;
  unsigned char *lv = malloc(n);
  size_t *order = malloc(n * sizeof *order);
  if (!lv || !order)
    out_of_memory();
  for (size_t k = 0; k < n; k++) {
    const item *it = &p->items[from + k];
    /* a penalty goes with what it follows; the break (L1) at the
     * paragraph's level */
    lv[k] = it->kind == ITEM_PENALTY && k > 0 ? lv[k - 1] : it->level;
    if (k + 1 == n && it->kind == ITEM_GLUE)
      lv[k] = (unsigned char)p->rtl;
    order[k] = k;
    if (lv[k] > top)
      top = lv[k];
    if ((lv[k] & 1) && lv[k] < low_odd)
      low_odd = lv[k];
  }
  if (!top) {
    free(lv);
    free(order);
    return NULL;
  }
  for (unsigned level = top; level >= low_odd && level > 0; level--)
    for (size_t k = 0; k < n;) {
      if (lv[order[k]] < level) {
        k++;
        continue;
      }
      size_t j = k;
      while (j < n && lv[order[j]] >= level)
        j++;
      for (size_t a = k, b = j - 1; a < b; a++, b--) {
        size_t t = order[a];
        order[a] = order[b];
        order[b] = t;
      }
      k = j;
    }
  double *xs = malloc(n * sizeof *xs);
  if (!xs)
    out_of_memory();
  for (size_t k = 0; k < n; k++) {
    xs[order[k]] = x;
    x += set_width(&p->items[from + order[k]], ratio, order[k] + 1 == n);
  }
  free(lv);
  free(order);
  return xs;
}

static void emit_line(ctx *c, const para *p, const link_table *links,
                      size_t from, const line_break *lb, double x0,
                      double baseline, double max_width, style_align align,
                      int last) {
  const item *items = p->items;
  double ratio = lb->ratio;
  /* the width as set, for alignment */
  double set = 0;
  for (size_t i = from; i < lb->end; i++) {
    const item *it = &items[i];
    if (it->kind == ITEM_BOX)
      set += it->width;
    else if (it->kind == ITEM_GLUE && it->stretch < BREAKS_FIL)
      set += it->width + (ratio > 0 ? ratio * it->stretch : ratio * it->shrink);
  }
  if (items[lb->end].kind == ITEM_PENALTY)
    set += items[lb->end].width;
  double x = x0;
  if (align == STYLE_ALIGN_CENTER)
    x += (max_width - set) / 2;
  else if (align == STYLE_ALIGN_END)
    x += max_width - set;
  (void)last;
  double *xs = visual_places(p, from, lb->end, ratio, x);

  raw_text *raws = NULL;
  size_t n_raw = 0, cap_raw = 0;
  pending_dash dash = {0};
  for (size_t i = from; i <= lb->end; i++) {
    const item *it = &items[i];
    if (xs)
      x = xs[i - from];
    if (it->kind == ITEM_PENALTY) {
      if (i == lb->end && it->flagged) {
        const item *prev = i > 0 ? &items[i - 1] : NULL;
        if (prev && prev->face) {
          GROW(raws, n_raw, cap_raw);
          raw_text *r = &raws[n_raw++];
          memset(r, 0, sizeof *r);
          r->t.face = prev->face;
          r->t.size = p->spans[prev->span].size;
          r->t.color = p->spans[prev->span].color;
          r->t.se = span_se(c, p, prev->span);
          r->t.x = x;
          r->t.lang = c->d->meta.lang;
          r->s = "-";
          r->len = 1;
          r->adv = it->width;
          r->glyphs = 1;
          r->natural = 1;
          font_use(prev->face, '-');
        }
      }
      continue;
    }
    if (it->kind == ITEM_GLUE) {
      if (i == lb->end)
        break;
      double w =
          it->width + (ratio > 0 ? ratio * it->stretch : ratio * it->shrink);
      if (it->stretch >= BREAKS_FIL)
        w = it->width;
      /* a space inside a code span keeps the span's tint unbroken */
      if (it->span >= 0 && p->spans[it->span].code && i + 1 < lb->end) {
        const span_style *cs = &p->spans[it->span];
        add_rect(c, x, baseline - cs->size * 0.85, w, cs->size * 1.15,
                 0xEEEEEE);
      }
      if (it->space && it->face && i + 1 < lb->end) {
        GROW(raws, n_raw, cap_raw);
        raw_text *r = &raws[n_raw++];
        memset(r, 0, sizeof *r);
        r->t.face = it->face;
        r->t.size = p->spans[it->span].size;
        r->t.color = p->spans[it->span].color;
        r->t.se = span_se(c, p, it->span);
        r->t.x = x;
        r->t.lang = c->d->meta.lang;
        r->s = " ";
        r->len = 1;
        r->adv = font_advance(it->face, ' ') * r->t.size;
        r->glyphs = 1;
        r->natural = 1;
      }
      x += w;
      continue;
    }
    if (!it->face) { /* a first-line indent */
      x += it->width;
      continue;
    }
    const span_style *sp = &p->spans[it->span];
    GROW(raws, n_raw, cap_raw);
    raw_text *r = &raws[n_raw++];
    memset(r, 0, sizeof *r);
    r->t.face = it->face;
    r->t.size = sp->size;
    r->t.color = sp->color;
    r->t.fake_bold = it->fake_bold;
    r->t.se = span_se(c, p, it->span);
    r->t.x = x + it->offset;
    const char *s = it->replaced ? "\xEF\xBF\xBD" : p->text.data + it->start;
    size_t len = it->replaced ? 3 : it->len;
    r->t.se = lang_se(c, r->t.se, it->face, s, len);
    r->s = s;
    r->len = len;
    r->t.lang = c->d->meta.lang;
    r->t.plain = it->plain;
    r->t.rtl = it->level & 1;
    shape_how how = {r->t.lang, r->t.plain, r->t.rtl};
    r->adv = text_advance(it->face, s, len, &how, sp->size, &r->glyphs);
    /* a glyph alone in a wider box (a grid cell) can still join a run:
     * the run's character spacing takes up the difference */
    r->natural = it->offset == 0 && (fabs(r->adv - it->width) < 0.01 ||
                                     (r->glyphs == 1 && it->width > r->adv));
    r->rise = sp->rise;
    if ((font_is_cjk(it->face) || c->cjk) && !it->replaced)
      cjk_dashes_and_dots(c, it->face, s, len, x + it->offset, baseline,
                          sp, r, &dash);
    else
      dash.face = NULL;
    if (sp->note)
      add_note_ref(c, sp->note);
    if (sp->code)
      add_rect(c, x - 1, baseline - sp->size * 0.85, it->width + 2,
               sp->size * 1.15, 0xEEEEEE);
    if (sp->strike) { /* at the font's strikeout position */
      double thick = font_strike_size(it->face) * sp->size;
      add_rect(c, x,
               baseline - font_strike_position(it->face) * sp->size -
                   thick / 2,
               it->width, thick, sp->color);
    }
    if (sp->link >= 0) {
      /* extend the previous rectangle of the same link, or start one */
      const char *url = links->urls[sp->link];
      pending_link *pl = c->n_l ? &c->l[c->n_l - 1] : NULL;
      int same = pl && (pl->uri == url || pl->fragment == url + 1) &&
                 fabs(pl->y - (baseline - sp->size * 0.9)) < 0.01 &&
                 c->n_l > c->v[c->n_v - 1].l0;
      if (same) {
        pl->w = x + it->width - pl->x;
      } else {
        GROW(c->l, c->n_l, c->cap_l);
        pl = &c->l[c->n_l++];
        memset(pl, 0, sizeof *pl);
        pl->x = x;
        pl->y = baseline - sp->size * 0.9;
        pl->w = it->width;
        pl->h = sp->size * 1.15;
        pl->doc_index = c->doc_index;
        pl->se = span_se(c, p, it->span);
        if (url[0] == '#')
          pl->fragment = url + 1;
        else
          pl->uri = url;
      }
    }
    x += it->width;
  }
  /* join runs, then keep them */
  buf joined = {0};
  for (size_t i = 0; i < n_raw;) {
    raw_text run = raws[i];
    joined.len = 0;
    buf_put(&joined, run.s, run.len);
    size_t j = i + 1;
    while (j < n_raw && try_join(&run, &raws[j], &joined))
      j++;
    lay_text *t = add_text(c);
    *t = run.t;
    t->y = baseline - run.rise;
    t->text = arena_strndup(&c->out->mem, joined.data, joined.len);
    i = j;
  }
  buf_free(&joined);
  free(raws);
  free(xs);
}

/* What every paragraph of the current document is built with: its fonts,
 * language and grid (hyphenation and kept spaces are the caller's). */
static para_env env_for(const ctx *c, double line_width) {
  para_env env = {.fonts = c->opt->fonts,
                  .rules = &c->lf->rules,
                  .lang = c->d->meta.lang,
                  .cjk = c->cjk,
                  .line_width = line_width,
                  .grid_cell = c->cell,
                  .grid_size = c->body,
                  .cjk_latin_space = c->st->cjk_latin_space,
                  /* a right-to-left document's paragraphs run right to
                   * left; elsewhere each takes its own text's direction */
                  .dir = meta_dir(&c->d->meta) ? meta_dir(&c->d->meta)
                         : c->rtl              ? -1
                                               : 0};
  return env;
}

/* Lays out a paragraph already collected into p.  Returns the first item. */
static long set_paragraph(ctx *c, para *p, const link_table *links,
                          const para_look *k, double width_override) {
  double left = c->indent_left;
  double width = (width_override > 0 ? width_override : c->text_width - left);
  if (c->rtl && width_override <= 0)
    left = c->text_width - left - width; /* indented from the right */
  para_env env = env_for(c, width);
  if (k->code)
    env.dir = 1; /* code reads left to right in any document */
  env.hyphen = c->cjk || k->code || !c->opt->hyphen_for ||
                       (k->align != STYLE_ALIGN_JUSTIFY && !k->hyphenate)
                   ? NULL
                   : c->opt->hyphen_for(c->d->meta.lang);
  env.preserve_spaces = k->code;
  para_build(p, &env);
  if (p->missing) {
    if (!c->missing)
      c->first_missing = p->first_missing;
    c->missing += p->missing;
  }
  /* a right-to-left paragraph of the text's flow starts at the right (a
   * line set at a given place, a label, starts there whatever its text) */
  style_align align = k->align;
  if (p->rtl && width_override <= 0 && align != STYLE_ALIGN_CENTER)
    align = STYLE_ALIGN_END;
  const char *type = c->para_type ? c->para_type : "P";
  c->para_type = NULL;
  if (!p->n_items)
    return -1;
  /* every paragraph is one element, whatever pages its lines go to */
  long saved_se = c->se_text;
  c->se_text = c->artifact ? -1 : new_struct(c, type, c->se_parent);
  c->se_lang = -1;
  if (c->se_text >= 0 && !c->cjk) {
    /* a Chinese (Japanese, Korean) paragraph in a document of another
     * language is spoken in its own: /Lang on its element */
    const char *lang = cjk_text_lang(p->text.data, p->text.len);
    if (lang)
      c->out->structs[c->se_text].lang = lang;
  }
  long *saved_links = c->link_se;
  size_t saved_n_links = c->n_link_se;
  c->n_link_se = links->n;
  c->link_se = malloc((links->n ? links->n : 1) * sizeof *c->link_se);
  if (!c->link_se)
    out_of_memory();
  for (size_t q = 0; q < links->n; q++)
    c->link_se[q] = -1;
  /* a first-line indent is a box the line breaker cannot remove */
  if (k->first_indent > 0 && k->align != STYLE_ALIGN_CENTER) {
    GROW(p->items, p->n_items, p->cap_items);
    memmove(p->items + 1, p->items, p->n_items * sizeof *p->items);
    memset(p->items, 0, sizeof *p->items);
    p->items[0].kind = ITEM_BOX;
    p->items[0].width = k->first_indent;
    p->items[0].span = 0;
    p->n_items++;
  }
  line_break *lines = NULL;
  int justify = k->align == STYLE_ALIGN_JUSTIFY;
  size_t n_lines = linebreak(p->items, p->n_items, width, justify,
                             c->st->hyphen_limit, &lines);
  if (c->shape_title && n_lines > 1) {
    /* a circular's title: an inverted trapezoid or a diamond */
    size_t *ends = NULL;
    size_t m = title_shape(p, width, k->size, n_lines, &ends);
    if (m) {
      line_break *shaped = malloc(m * sizeof *shaped);
      if (!shaped)
        out_of_memory();
      for (size_t q = 0; q < m; q++)
        shaped[q] = (line_break){ends[q], 0};
      free(lines);
      lines = shaped;
      n_lines = m;
    }
    free(ends);
  }
  double height = on_grid(c, k->size * k->leading);
  int fake;
  font_face *primary =
      font_family_face(c->lf->role[k->role].fam[0], FONT_REGULAR, &fake);
  double asc = font_ascender(primary), desc = font_descender(primary);
  double baseline = (height - (asc - desc) * k->size) / 2 + asc * k->size;
  long first = (long)c->n_v;
  size_t from = 0;
  for (size_t ln = 0; ln < n_lines; ln++) {
    vitem *it = new_item(c, V_LINE, height);
    if (ln > 0)
      it->break_before = ln >= 2 && n_lines - ln >= 2; /* widows, orphans */
    if (k->code)
      add_rect(c, left, 0, width, height, 0xF3F3F3);
    add_bars(c, height);
    if (c->marker && ln == 0) {
      span_style ms = base_span(c, DOC_ROLE_LIST);
      int g, fake_bold;
      uint32_t lead = 0;
      utf8_decode((const unsigned char *)c->marker, strlen(c->marker), &lead);
      font_face *f = font_pick(c->opt->fonts, ms.fonts, &c->lf->rules,
                               ms.shape, c->cjk, lead, &fake_bold);
      for (size_t q = 0; f && c->marker[q];) {
        uint32_t cp;
        int len = utf8_decode((const unsigned char *)c->marker + q,
                              strlen(c->marker + q), &cp);
        font_use(f, cp);
        q += len > 0 ? (size_t)len : 1;
      }
      shape_how how = {c->d->meta.lang, 0, 0};
      double mw = f ? text_advance(f, c->marker, strlen(c->marker), &how,
                                   ms.size, &g)
                    : 0;
      lay_text *t = f ? add_text(c) : NULL;
      if (t && c->se_label >= 0 && !c->artifact)
        t->se = c->se_label;
      c->se_label = -1;
      if (t) {
        t->face = f;
        t->size = ms.size;
        t->color = ms.color;
        t->x = c->rtl ? left + width + ms.size * 0.5 /* on the right */
                      : left - mw - ms.size * 0.5;
        t->y = baseline;
        t->text = c->marker;
        t->lang = how.lang;
      }
      c->marker = NULL;
    }
    emit_line(c, p, links, from, &lines[ln], left, baseline, width, align,
              ln + 1 == n_lines);
    close_item(c, it);
    from = lines[ln].end + 1;
    while (from < p->n_items && p->items[from].kind != ITEM_BOX &&
           !(p->items[from].kind == ITEM_PENALTY &&
             p->items[from].penalty <= -BREAKS_INF))
      from++;
  }
  free(lines);
  c->se_text = saved_se;
  free(c->link_se);
  c->link_se = saved_links, c->n_link_se = saved_n_links;
  if (n_lines && k->keep_next)
    c->v[c->n_v - 1].keep_next = 1, c->keep_next = 1;
  return n_lines ? first : -1;
}

static void space_before(ctx *c, doc_role role) {
  double s = on_grid(c, c->st->role[role].space_before * c->body);
  if (s > c->pending_space)
    c->pending_space = s;
  if (s > c->own_space)
    c->own_space = s;
}

static void space_after(ctx *c, doc_role role, double scale) {
  double s = c->st->role[role].space_after * c->body * scale;
  if (c->cjk && role == DOC_ROLE_BODY)
    s = 0; /* Chinese paragraphs are marked by their indent */
  c->pending_space = on_grid(c, s);
}

/* Sets text in role as a paragraph without a first-line indent, its lines
 * starting x points into the text block and width wide. */
static long set_text(ctx *c, const char *text, doc_role role, double x,
                     double width, style_align align) {
  para p = {0};
  span_style s = base_span(c, role);
  para_add_text(&p, text, strlen(text), &s);
  para_look k = look_of(c, role);
  k.first_indent = 0;
  k.align = align;
  link_table links = {0};
  double saved = c->indent_left;
  c->indent_left = x;
  long first = set_paragraph(c, &p, &links, &k, width);
  c->indent_left = saved;
  para_free(&p);
  return first;
}

/* A balanced title: the narrowest width that keeps its line count. */
static double balanced_width(ctx *c, const char *text, doc_role role) {
  para p = {0};
  span_style s = base_span(c, role);
  para_add_text(&p, text, strlen(text), &s);
  para_env env = env_for(c, c->text_width);
  para_build(&p, &env);
  line_break *lines = NULL;
  size_t n = linebreak(p.items, p.n_items, c->text_width, 0,
                       c->st->hyphen_limit, &lines);
  free(lines);
  double lo = c->text_width / 2, hi = c->text_width, best = hi;
  if (n > 1) {
    for (int i = 0; i < 12; i++) {
      double mid = (lo + hi) / 2;
      size_t m =
          linebreak(p.items, p.n_items, mid, 0, c->st->hyphen_limit, &lines);
      free(lines);
      if (m == n)
        best = mid, hi = mid;
      else
        lo = mid;
    }
  }
  para_free(&p);
  return best;
}

static long text_block(ctx *c, const char *text, doc_role role, int balance) {
  space_before(c, role);
  double x = c->indent_left, width = c->text_width - x;
  if (balance && (c->st->head == STYLE_HEAD_CIRCULAR || c->cjk) &&
      c->st->role[role].align == STYLE_ALIGN_CENTER) {
    /* the lines' shapes are chosen in set_paragraph, each line centred:
     * a circular's title in the standard's shapes, and a Chinese title in
     * any style the same way, so it breaks between words */
    c->shape_title = 1;
    long first = set_text(c, text, role, x, width, STYLE_ALIGN_CENTER);
    c->shape_title = 0;
    space_after(c, role, 1);
    return first;
  }
  if (balance) {
    width = balanced_width(c, text, role);
    x += (c->text_width - width) / 2;
  }
  long first = set_text(c, text, role, x, width, c->st->role[role].align);
  space_after(c, role, 1);
  return first;
}

/* ---- blocks ---- */

static void lay_blocks(ctx *c, const doc_node *first);

static void push_indent(ctx *c, double amount, int bar) {
  if (c->depth < MAX_INDENT_LEVELS) {
    if (bar && c->n_bars < MAX_INDENT_LEVELS)
      c->bars[c->n_bars++] = c->indent_left + amount * 0.3;
    c->indent_left += amount;
  }
  c->depth++;
}

static void pop_indent(ctx *c, double amount, int bar) {
  c->depth--;
  if (c->depth < MAX_INDENT_LEVELS) {
    c->indent_left -= amount;
    if (bar && c->n_bars > 0)
      c->n_bars--;
  }
}

static void record_anchor(ctx *c, const char *id, long at) {
  layout *l = c->out;
  GROW(l->anchors, l->n_anchors, c->cap_anchors);
  l->anchors[l->n_anchors] = (lay_anchor){0, 0};
  if (at >= 0)
    c->v[at].anchor = (long)l->n_anchors;
  strmap_add(&c->anchor_ids, id, (int)l->n_anchors);
  l->n_anchors++;
}

static void record_outline(ctx *c, const char *title, int level, long at) {
  layout *l = c->out;
  if (at < 0 || !title || !*title)
    return;
  GROW(l->outline, l->n_outline, c->cap_outline);
  l->outline[l->n_outline] = (lay_outline){title, level, 0, 0};
  c->v[at].outline = (long)l->n_outline;
  l->n_outline++;
}

static void lay_paragraph_node(ctx *c, const doc_node *n, doc_role role) {
  para p = {0};
  link_table links = {0};
  int on_grid_item = c->st->head == STYLE_HEAD_CIRCULAR &&
                     role == DOC_ROLE_LIST && n->kind == DOC_PARAGRAPH;
  if (on_grid_item && c->inline_marker) {
    /* a circular's list item is a paragraph, its number part of the text */
    span_style ms = base_span(c, role);
    para_add_text(&p, c->inline_marker, strlen(c->inline_marker), &ms);
    c->inline_marker = NULL;
  }
  collect_inlines(&p, n, base_span(c, role), &c->lf->code_span, &links,
                  &c->out->mem, c->d->path);
  para_look k = look_of(c, role);
  if (role == DOC_ROLE_LIST || role == DOC_ROLE_QUOTE)
    k.first_indent = c->cjk && role == DOC_ROLE_QUOTE ? k.first_indent : 0;
  if (on_grid_item) /* indented as the body's paragraphs, on the grid */
    k.first_indent = look_of(c, DOC_ROLE_BODY).first_indent;
  if (n == c->addressee) /* 主送机关: flush left, wrapping flush left */
    k.first_indent = 0;
  if (c->st->role[role].page_break_before && c->n_v > c->doc_first_item) {
    new_item(c, V_NEWPAGE, 0);
    c->pending_space = 0;
  }
  space_before(c, role);
  static const char *const headings[] = {"H1", "H2", "H3",
                                         "H4", "H5", "H6"};
  if (n->kind == DOC_HEADING)
    c->para_type = headings[n->level >= 1 && n->level <= 6 ? n->level - 1 : 0];
  long first = set_paragraph(c, &p, &links, &k, 0);
  if (n->kind == DOC_HEADING && first >= 0) {
    /* a figure stays in its section: floated, it is set before the
     * heading that follows it */
    for (size_t v = (size_t)first; v < c->n_v; v++)
      c->v[v].fence = 1;
    buf t = {0};
    doc_plain_text(n, &t);
    record_outline(c, arena_strndup(&c->out->mem, t.data ? t.data : "", t.len),
                   n->level, first);
    buf_free(&t);
    record_anchor(c, n->id, first);
  }
  int tight_item =
      n->parent && n->parent->kind == DOC_ITEM && n->parent->parent->tight;
  space_after(c, role, tight_item ? 0.4 : 1);
  para_free(&p);
  free(links.urls);
}

static void lay_code(ctx *c, const doc_node *n) {
  para p = {0};
  span_style s = base_span(c, DOC_ROLE_CODE);
  size_t len = n->text_len;
  if (len && n->text[len - 1] == '\n')
    len--;
  size_t start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && n->text[i] != '\n' && n->text[i] != '\t')
      continue;
    para_add_text(&p, n->text + start, i - start, &s);
    if (i < len && n->text[i] == '\t')
      para_add_text(&p, "    ", 4, &s);
    else if (i < len)
      para_add_line_break(&p, &s);
    start = i + 1;
  }
  if (!p.text.len)
    para_add_text(&p, " ", 1, &s);
  para_look k = look_of(c, DOC_ROLE_CODE);
  k.first_indent = 0;
  link_table links = {0};
  space_before(c, DOC_ROLE_CODE);
  c->para_type = "Code";
  set_paragraph(c, &p, &links, &k, 0);
  space_after(c, DOC_ROLE_CODE, 1);
  para_free(&p);
}

static void lay_rule(ctx *c) {
  double gap = on_grid(c, c->body * 0.6);
  c->pending_space = gap > c->pending_space ? gap : c->pending_space;
  c->own_space = gap;
  vitem *it = new_item(c, V_BLOCK, on_grid(c, c->body * 1.2));
  double w = (c->text_width - c->indent_left) * 0.3;
  add_rect(c, c->indent_left + (c->text_width - c->indent_left - w) / 2,
           c->body * 0.6, w, 0.6, 0x999999);
  close_item(c, it);
  c->pending_space = gap;
}

static void lay_figure(ctx *c, const doc_node *n) {
  const doc_node *img = n->first_child;
  unsigned pw = 0, ph = 0;
  /* a damaged image never gets this far: the reader left it out (an SVG's
   * size is librsvg's, which may yet refuse it) */
  int drawable = img && img->file &&
                 resource_image_size(img->file, img->media_type, &pw, &ph);
  if (!drawable) {
    if (img && img->file)
      diag(DIAG_WARNING, c->d->path, n->line, n->col,
           "image \"%s\" can no longer be read; its alt text stands in its "
           "place",
           img->url);
    lay_paragraph_node(c, n, DOC_ROLE_CAPTION);
    return;
  }
  double width = c->text_width - c->indent_left;
  double w = pw * 0.75, h = ph * 0.75; /* pixels at 96 per inch */
  if (w > width)
    h *= width / w, w = width;
  if (h > c->text_height * 0.75)
    w *= c->text_height * 0.75 / h, h = c->text_height * 0.75;
  double lead = c->pending_space;
  space_before(c, DOC_ROLE_CAPTION);
  size_t image = c->n_v;
  vitem *it = new_item(c, V_BLOCK, on_grid(c, h));
  long fig = -1;
  if (!c->artifact) {
    buf alt = {0};
    doc_plain_text(img, &alt);
    fig = new_struct(c, "Figure", c->se_parent);
    c->out->structs[fig].alt =
        arena_strndup(&c->out->mem, alt.data ? alt.data : "", alt.len);
    buf_free(&alt);
  }
  GROW(c->im, c->n_im, c->cap_im);
  c->im[c->n_im++] = (lay_image){c->indent_left + (width - w) / 2,
                                 0,
                                 w,
                                 h,
                                 img->file,
                                 img->media_type,
                                 c->d->path,
                                 img->line,
                                 img->col,
                                 fig};
  close_item(c, it);
  c->pending_space = on_grid(c, c->body * 0.3);
  if (img->title[0]) {
    c->keep_next = 1; /* the caption stays with its image */
    c->para_type = "Caption";
    text_block(c, img->title, DOC_ROLE_CAPTION, 0);
  } else {
    space_after(c, DOC_ROLE_CAPTION, 1);
  }
  /* it may float to the next page's top, caption and all, unless the
   * style keeps figures in place or it could not stand on a page alone */
  double tall = 0;
  for (size_t v = image; v < c->n_v; v++)
    tall += c->v[v].height + (v > image ? c->v[v].space_before : 0);
  if (!c->st->role[DOC_ROLE_CAPTION].keep_with_previous && !c->artifact &&
      tall <= c->text_height) {
    c->v[image].float_to = c->n_v;
    c->v[image].float_lead = lead;
    c->v[image].float_after = c->pending_space;
  }
}

static void list_marker(const doc_node *list, const doc_node *li, int index,
                        int depth, char *out, size_t size) {
  if (li->task) { /* a ballot box, checked when done */
    snprintf(out, size, "%s", li->task == 2 ? "\xE2\x98\x91" : "\xE2\x98\x90");
    return;
  }
  if (list->ordered) {
    snprintf(out, size, "%d%c", list->start + index, list->delim);
    return;
  }
  static const char *const bullets[] = {"\xE2\x80\xA2", "\xE2\x80\x93",
                                        "\xE2\x97\xA6"};
  snprintf(out, size, "%s", bullets[depth % 3]);
}

/* ---- tables ---- */

/* A cell's paragraph and the widths the automatic table layout of browsers
 * works with: the widest piece that cannot break, and the natural width. */
typedef struct {
  para p;
  link_table links;
  para_look look;
  double min, max;
} table_cell;

static void measure_cell(ctx *c, table_cell *tc, double width) {
  para_env env = env_for(c, width);
  para_build(&tc->p, &env);
  double word = 0, line = 0;
  tc->min = tc->max = 0;
  for (size_t i = 0; i < tc->p.n_items; i++) {
    const item *it = &tc->p.items[i];
    if (it->kind == ITEM_BOX) {
      word += it->width;
      line += it->width;
    } else if (it->kind == ITEM_GLUE) {
      if (it->stretch < BREAKS_FIL)
        line += it->width;
      word = 0;
    } else if (it->penalty < BREAKS_INF) {
      word = 0;
      if (it->penalty <= -BREAKS_INF)
        line = 0; /* a forced break */
    }
    if (word > tc->min)
      tc->min = word;
    if (line > tc->max)
      tc->max = line;
  }
}

/* Column widths from the cells, as browsers share them out: natural widths
 * when they fit, else each column its unbreakable minimum plus a share of
 * the rest in proportion to what it would want beyond that. */
static void column_widths(const double *min, const double *max, int n,
                          double avail, double *w) {
  double smin = 0, smax = 0;
  for (int j = 0; j < n; j++)
    smin += min[j], smax += max[j];
  for (int j = 0; j < n; j++) {
    if (smax <= avail)
      w[j] = max[j];
    else if (smin >= avail)
      w[j] = smin > 0 ? min[j] * avail / smin : avail / n;
    else
      w[j] = min[j] + (max[j] - min[j]) * (avail - smin) / (smax - smin);
  }
}

/* Lays one row: each cell's lines at its column, then the marks of those
 * lines gathered into one item, so a row never breaks across pages.  A row
 * taller than a page keeps its lines as items of their own instead. */
/* A row taller than a page splits between lines: band b holds the b-th
 * line of every cell, side by side, and a page may end between bands.
 * The marks are copied so that each band's are contiguous. */
static void split_row(ctx *c, size_t v0, const size_t *first,
                      const size_t *count, const double *offs, int n,
                      double pad, int header, long head_item, int first_body,
                      const double *x, const double *w) {
  size_t n_lines = c->n_v - v0, bands = 0;
  vitem *lines = malloc((n_lines ? n_lines : 1) * sizeof *lines);
  if (!lines)
    out_of_memory();
  memcpy(lines, c->v + v0, n_lines * sizeof *lines);
  for (int j = 0; j < n; j++)
    if (count[j] > bands)
      bands = count[j];
  c->n_v = v0;
  for (size_t b = 0; b < bands; b++) {
    double top = b == 0 ? pad : 0, bh = 0;
    for (int j = 0; j < n; j++)
      if (b < count[j] && lines[first[j] - v0 + b].height > bh)
        bh = lines[first[j] - v0 + b].height;
    double bottom = b + 1 == bands ? pad : 0;
    vitem *band = new_item(c, V_LINE, on_grid(c, top + bh + bottom));
    band->break_before = b > 0 || !first_body;
    band->repeat = header ? -1 : head_item;
    for (int j = 0; j < n; j++) {
      if (b >= count[j])
        continue;
      size_t k = first[j] - v0 + b;
      const vitem *li = &lines[k];
      double shift = top - offs[k];
      for (size_t q = li->t0; q < li->t1; q++) {
        lay_text t = c->t[q];
        t.y += shift;
        *add_text(c) = t;
      }
      for (size_t q = li->r0; q < li->r1; q++) {
        lay_rect r = c->r[q];
        add_rect(c, r.x, r.y + shift, r.w, r.h, r.color);
      }
      for (size_t q = li->l0; q < li->l1; q++) {
        pending_link pl = c->l[q];
        pl.y += shift;
        GROW(c->l, c->n_l, c->cap_l);
        c->l[c->n_l++] = pl;
      }
      for (size_t q = li->f0; q < li->f1; q++) {
        size_t f = c->refs[q];
        GROW(c->refs, c->n_refs, c->cap_refs);
        c->refs[c->n_refs++] = f;
      }
    }
    if (b + 1 == bands) { /* the row's rule under its last band */
      double h = top + bh + bottom;
      add_rect(c, x[0], h - 0.4, x[n - 1] + w[n - 1] - x[0], 0.4, 0xBBBBBB);
    }
    close_item(c, band);
  }
  free(lines);
}

/* Lays one row: each cell's lines at its column, then the marks of those
 * lines gathered into one item, so a row never breaks across pages; a row
 * taller than a page splits between lines instead (split_row). */
static void lay_row(ctx *c, table_cell *cells, int n, const double *x,
                    const double *w, double pad, int header, long head_item,
                    int first_body) {
  size_t v0 = c->n_v, t0 = c->n_t, r0 = c->n_r, l0 = c->n_l, f0 = c->n_refs;
  double saved = c->indent_left, height = 0;
  size_t *first = calloc((size_t)n * 2, sizeof *first), *count = first + n;
  double *offs = NULL;
  size_t cap_offs = 0;
  if (!first)
    out_of_memory();
  for (int j = 0; j < n; j++) {
    size_t from = c->n_v;
    c->indent_left = x[j] + pad;
    double inner = w[j] - 2 * pad;
    if (cells[j].p.text.len) {
      c->para_type = header ? "TH" : "TD";
      set_paragraph(c, &cells[j].p, &cells[j].links, &cells[j].look,
                    inner > 1 ? inner : 1);
    }
    first[j] = from, count[j] = c->n_v - from;
    double y = pad;
    for (size_t k = from; k < c->n_v; k++) {
      vitem *it = &c->v[k];
      for (size_t q = it->t0; q < it->t1; q++)
        c->t[q].y += y;
      for (size_t q = it->r0; q < it->r1; q++)
        c->r[q].y += y;
      for (size_t q = it->l0; q < it->l1; q++)
        c->l[q].y += y;
      offs = vec_grow(offs, &cap_offs, k - v0 + 1, sizeof *offs);
      offs[k - v0] = y;
      y += it->height;
    }
    if (y + pad > height)
      height = y + pad;
  }
  c->indent_left = saved;
  if (height > c->text_height * 0.9) {
    split_row(c, v0, first, count, offs, n, pad, header, head_item,
              first_body, x, w);
    free(first);
    free(offs);
    return;
  }
  free(first);
  free(offs);
  /* the lines' marks become one item's */
  c->n_v = v0;
  vitem *row = new_item(c, V_BLOCK, on_grid(c, height));
  row->t0 = t0, row->r0 = r0, row->l0 = l0, row->f0 = f0;
  row->i0 = row->i1 = c->n_im;
  row->break_before = !first_body;
  row->repeat = header ? -1 : head_item;
  /* a rule under every row; the header's stronger */
  double left = x[0], right = x[n - 1] + w[n - 1];
  add_rect(c, left, height - (header ? 0.8 : 0.4), right - left,
           header ? 0.8 : 0.4, header ? 0x444444 : 0xBBBBBB);
  close_item(c, row);
}

/* A table's cell text at scale times its role's size. */
static span_style cell_span(const ctx *c, const doc_node *cell, double scale) {
  span_style sp = base_span(c, cell->role);
  sp.size *= scale;
  return sp;
}

/* Each column's narrowest and natural widths, padding included. */
static void measure_columns(ctx *c, const doc_node *t, double scale,
                            double pad, double avail, double *min,
                            double *max) {
  int n = t->columns;
  for (int j = 0; j < n; j++)
    min[j] = max[j] = 2 * pad;
  for (const doc_node *row = t->first_child; row; row = row->next) {
    int j = 0;
    for (const doc_node *cell = row->first_child; cell && j < n;
         cell = cell->next, j++) {
      table_cell tc = {0};
      collect_inlines(&tc.p, cell, cell_span(c, cell, scale),
                      &c->lf->code_span, &tc.links, NULL, NULL);
      measure_cell(c, &tc, avail);
      /* room to spare, so text measured to fit never breaks on rounding */
      if (tc.min + 2 * pad + 0.5 > min[j])
        min[j] = tc.min + 2 * pad + 0.5;
      if (tc.max + 2 * pad + 0.5 > max[j])
        max[j] = tc.max + 2 * pad + 0.5;
      para_free(&tc.p);
      free(tc.links.urls);
    }
  }
}

/* The smallest a too-wide table's text is set, against its role's size. */
#define TABLE_MIN_SCALE 0.7

static void lay_table(ctx *c, const doc_node *t) {
  int n = t->columns;
  if (n <= 0 || !t->first_child)
    return;
  double avail = c->text_width - c->indent_left;
  double pad = c->body * 0.3, scale = 1;
  double *min = calloc((size_t)n * 4, sizeof *min);
  table_cell *cells = calloc((size_t)n, sizeof *cells);
  if (!min || !cells)
    out_of_memory();
  double *max = min + n, *w = min + 2 * n, *x = min + 3 * n;
  measure_columns(c, t, scale, pad, avail, min, max);
  /* wider than the text block even at its narrowest: smaller type, down
   * to a floor; past that the cells break inside their words */
  double smin = 0;
  for (int j = 0; j < n; j++)
    smin += min[j];
  if (smin > avail) {
    double fit = avail / smin * 0.98; /* a little under, for rounding */
    scale = fit > TABLE_MIN_SCALE ? fit : TABLE_MIN_SCALE;
    pad *= scale;
    measure_columns(c, t, scale, pad, avail, min, max);
  }
  column_widths(min, max, n, avail, w);
  double total = 0;
  for (int j = 0; j < n; j++)
    total += w[j];
  double at = c->indent_left + (avail - total > 0 ? (avail - total) / 2 : 0);
  for (int j = 0; j < n; j++)
    x[j] = at, at += w[j];
  space_before(c, DOC_ROLE_TABLE);
  if (c->pending_space < c->body * 0.6)
    c->pending_space = on_grid(c, c->body * 0.6);
  long table_parent = open_struct(c, "Table");
  long table = c->se_parent, head = -1, body = -1; /* THead, TBody */
  /* the rule over the table */
  vitem *top = new_item(c, V_BLOCK, 1.2);
  add_rect(c, x[0], 0, total, 0.8, 0x444444);
  close_item(c, top);
  c->keep_next = 1;
  long head_item = -1;
  int first_body = 1;
  for (const doc_node *row = t->first_child; row; row = row->next) {
    int j = 0;
    for (const doc_node *cell = row->first_child; cell && j < n;
         cell = cell->next, j++) {
      table_cell *tc = &cells[j];
      memset(tc, 0, sizeof *tc);
      collect_inlines(&tc->p, cell, cell_span(c, cell, scale),
                      &c->lf->code_span, &tc->links, &c->out->mem,
                      c->d->path);
      tc->look = look_of(c, cell->role);
      tc->look.size *= scale;
      tc->look.first_indent = 0;
      tc->look.keep_next = 0;
      tc->look.hyphenate = 1; /* narrow columns need it most */
      char a = j < n ? t->aligns[j] : '-';
      tc->look.align = a == 'c'   ? STYLE_ALIGN_CENTER
                       : a == 'r' ? STYLE_ALIGN_END
                                  : STYLE_ALIGN_START;
    }
    for (; j < n; j++)
      memset(&cells[j], 0, sizeof cells[j]);
    size_t before = c->n_v;
    long *group = row->header ? &head : &body;
    if (*group < 0)
      *group = new_struct(c, row->header ? "THead" : "TBody", table);
    c->se_parent = *group;
    open_struct(c, "TR");
    lay_row(c, cells, n, x, w, pad, row->header, head_item,
            !row->header && first_body);
    c->se_parent = table;
    if (row->header && c->n_v == before + 1)
      head_item = (long)before;
    if (!row->header)
      first_body = 0;
    for (j = 0; j < n; j++) {
      para_free(&cells[j].p);
      free(cells[j].links.urls);
    }
  }
  c->se_parent = table_parent;
  free(cells);
  free(min);
  space_after(c, DOC_ROLE_BODY, 1);
}

/* ---- notes ---- */

/* Lays the document's notes, each at the text's full width with its number
 * hanging, as items outside the flow: fill_pages sets each at the foot of
 * the page that first refers to it. */
static void lay_notes(ctx *c) {
  const doc *d = c->d;
  if (!d->n_notes)
    return;
  double saved_indent = c->indent_left;
  int saved_depth = c->depth, saved_bars = c->n_bars;
  c->indent_left = 0, c->depth = 0, c->n_bars = 0;
  double indent = c->body * 1.8;
  for (int k = 0; k < d->n_notes && c->note_base + (size_t)k < c->n_foot;
       k++) {
    foot_note *fn = &c->foot[c->note_base + (size_t)k];
    char marker[16];
    snprintf(marker, sizeof marker, "%d", k + 1);
    c->pending_space = 0;
    c->keep_next = 0;
    push_indent(c, indent, 0);
    c->marker = arena_strndup(&c->out->mem, marker, strlen(marker));
    size_t v0 = c->n_v;
    long note_parent = open_struct(c, "Note");
    c->se_label = new_struct(c, "Lbl", c->se_parent);
    lay_blocks(c, d->notes[k]->first_child);
    c->se_parent = note_parent;
    c->se_label = -1;
    c->marker = NULL;
    if (c->n_v > v0) { /* the target of the references' links */
      char id[24];
      snprintf(id, sizeof id, ":fn%d", k + 1);
      record_anchor(c, arena_strndup(&c->out->mem, id, strlen(id)),
                    (long)v0);
    }
    pop_indent(c, indent, 0);
    double h = 0;
    for (size_t v = v0; v < c->n_v; v++) {
      h += c->v[v].height + (v > v0 ? c->v[v].space_before : 0);
      c->v[v].foot = 1;
    }
    fn->v0 = v0, fn->v1 = c->n_v, fn->height = h;
    fn->split = h > c->text_height / 3;
  }
  c->indent_left = saved_indent, c->depth = saved_depth, c->n_bars = saved_bars;
  c->pending_space = 0;
}

static void lay_block_kind(ctx *c, const doc_node *b);

/* Lays out block b, the innermost block its elements then belong to
 * (lay_struct.node: where an EPUB's page list marks a print page). */
static void lay_block(ctx *c, const doc_node *b) {
  const doc_node *outer = c->block;
  c->block = b;
  lay_block_kind(c, b);
  c->block = outer;
}

static void lay_block_kind(ctx *c, const doc_node *b) {
  switch (b->kind) {
  case DOC_PARAGRAPH:
    lay_paragraph_node(c, b, b->role);
    break;
  case DOC_HEADING:
    if (b != c->d->title_heading)
      lay_paragraph_node(c, b, b->role);
    break;
  case DOC_BLOCK_QUOTE: {
    long parent = open_struct(c, "BlockQuote");
    push_indent(c, c->body * 1.5, 1);
    lay_blocks(c, b->first_child);
    pop_indent(c, c->body * 1.5, 1);
    c->se_parent = parent;
    break;
  }
  case DOC_LIST: {
    int index = 0, lists = 0;
    long list_parent = open_struct(c, "L");
    for (const doc_node *p = b->parent; p; p = p->parent)
      lists += p->kind == DOC_LIST;
    if (c->st->head == STYLE_HEAD_CIRCULAR) {
      /* GB/T 9704 has no hanging lists: each item is a paragraph of the
       * grid, indented two characters, its number the first text */
      for (const doc_node *li = b->first_child; li; li = li->next) {
        char marker[40];
        list_marker(b, li, index++, lists, marker, sizeof marker);
        if (!b->ordered || li->task)
          strcat(marker, " ");
        c->inline_marker = arena_strndup(&c->out->mem, marker, strlen(marker));
        long item_parent = open_struct(c, "LI");
        open_struct(c, "LBody");
        if (!li->first_child || li->first_child->kind != DOC_PARAGRAPH) {
          para p = {0};
          para_look k = look_of(c, DOC_ROLE_LIST);
          k.first_indent = look_of(c, DOC_ROLE_BODY).first_indent;
          span_style s = base_span(c, DOC_ROLE_LIST);
          para_add_text(&p, c->inline_marker, strlen(c->inline_marker), &s);
          link_table links = {0};
          set_paragraph(c, &p, &links, &k, 0);
          para_free(&p);
          c->inline_marker = NULL;
        }
        lay_blocks(c, li->first_child);
        c->inline_marker = NULL;
        c->se_parent = item_parent;
      }
      c->se_parent = list_parent;
      space_after(c, DOC_ROLE_LIST, 2);
      break;
    }
    double indent = c->body * (b->ordered ? 2.2 : 1.6);
    push_indent(c, indent, 0);
    for (const doc_node *li = b->first_child; li; li = li->next) {
      char marker[32];
      list_marker(b, li, index++, lists, marker, sizeof marker);
      c->marker = arena_strndup(&c->out->mem, marker, strlen(marker));
      long item_parent = open_struct(c, "LI");
      c->se_label = new_struct(c, "Lbl", c->se_parent);
      open_struct(c, "LBody");
      if (!li->first_child) {
        para p = {0};
        para_look k = look_of(c, DOC_ROLE_LIST);
        span_style s = base_span(c, DOC_ROLE_LIST);
        para_add_text(&p, " ", 1, &s);
        link_table links = {0};
        set_paragraph(c, &p, &links, &k, 0);
        para_free(&p);
      }
      lay_blocks(c, li->first_child);
      c->marker = NULL;
      c->se_label = -1;
      c->se_parent = item_parent;
    }
    c->se_parent = list_parent;
    pop_indent(c, indent, 0);
    space_after(c, DOC_ROLE_LIST, 2);
    break;
  }
  case DOC_CODE_BLOCK:
    lay_code(c, b);
    break;
  case DOC_THEMATIC_BREAK:
    lay_rule(c);
    break;
  case DOC_FIGURE:
    lay_figure(c, b);
    break;
  case DOC_TABLE:
    lay_table(c, b);
    break;
  case DOC_FOOTNOTE_DEF:
    break; /* laid after the text, by lay_notes */
  default:
    break; /* raw HTML is left out; the reader said so */
  }
}

static void lay_blocks(ctx *c, const doc_node *first) {
  for (const doc_node *b = first; b; b = b->next)
    lay_block(c, b);
}

/* One line of text in role, its left edge at x in the text block; room to
 * spare, so text measured to fit never breaks on rounding. */
static long line_at(ctx *c, const char *text, doc_role role, double x) {
  return set_text(c, text, role, x, c->text_width - x + 0.5,
                  STYLE_ALIGN_START);
}

/* Item k+1 joins item k, a line set beside it: k takes its marks (which
 * follow k's) and the items after move up one.  For a label and the text
 * beside it, each set on its own by set_text. */
static void join_next(ctx *c, size_t k) {
  if (k + 1 >= c->n_v)
    return;
  vitem *a = &c->v[k], *b = &c->v[k + 1];
  if (a->t1 != b->t0 || a->r1 != b->r0 || a->i1 != b->i0 || a->l1 != b->l0 ||
      a->f1 != b->f0)
    return; /* not neighbours in the marks: never the case for two lines */
  a->t1 = b->t1, a->r1 = b->r1, a->i1 = b->i1, a->l1 = b->l1, a->f1 = b->f1;
  if (b->height > a->height)
    a->height = b->height;
  a->keep_next = b->keep_next;
  memmove(b, b + 1, (c->n_v - k - 2) * sizeof *b);
  c->n_v--;
}

/* One character of the body on the grid ("空一字"): a grid cell, else an
 * em of the role. */
static double one_char(const ctx *c, doc_role role) {
  double size = c->st->role[role].size * c->body;
  return c->cell > 0 && size > c->body - 0.01 && size < c->body + 0.01
             ? c->cell
             : size;
}

/* A label and text in role: the label at x, the text after it, its
 * wrapped lines aligned under its first character (GB/T 9704's "回行时与
 * 冒号后的首字对齐"), right_gap points short of the right edge.  Returns
 * the first item, or -1. */
static long hanging(ctx *c, const char *label, doc_role label_role,
                    const char *text, doc_role role, double x,
                    double right_gap, double text_x) {
  /* tagged as a list item: the label, then its body (the caller opens
   * the list) */
  long saved = open_struct(c, "LI");
  c->para_type = "Lbl";
  long first = line_at(c, label, label_role, x);
  c->para_type = "LBody";
  if (first < 0) {
    first = set_text(c, text, role, text_x,
                     c->text_width - text_x - right_gap, STYLE_ALIGN_JUSTIFY);
    c->se_parent = saved;
    return first;
  }
  c->keep_next = 1;
  long body = set_text(c, text, role, text_x,
                       c->text_width - text_x - right_gap,
                       c->st->role[role].align == STYLE_ALIGN_JUSTIFY
                           ? STYLE_ALIGN_JUSTIFY
                           : STYLE_ALIGN_START);
  if (body == first + 1)
    join_next(c, (size_t)first);
  c->se_parent = saved;
  return first;
}

static double natural_width(ctx *c, const char *text, size_t len,
                            doc_role role);
static double natural_width_span(ctx *c, const char *text, size_t len,
                                 const span_style *s);

/* The title, in the outline and as the target of links to its heading,
 * then the subtitle. */
static void lay_title(ctx *c, int book) {
  const doc_meta *m = &c->d->meta;
  c->para_type = "H1"; /* PDF/UA: the title is the first heading */
  long first = text_block(c, m->title, DOC_ROLE_TITLE, 1);
  record_outline(c, m->title, book ? 0 : 1, first);
  if (c->d->title_heading)
    record_anchor(c, c->d->title_heading->id, first);
  if (m->subtitle)
    text_block(c, m->subtitle, DOC_ROLE_SUBTITLE, 0);
}

/* The news look: category, title, subtitle, then the meta line. */
static void lay_article_head(ctx *c, int book) {
  const doc_meta *m = &c->d->meta;
  if (m->category)
    text_block(c, m->category, DOC_ROLE_CATEGORY, 0);
  lay_title(c, book);
  buf line = {0};
  labels_meta_line(c->d, &line);
  if (line.len)
    text_block(c, arena_strndup(&c->out->mem, line.data, line.len),
               DOC_ROLE_META, 0);
  buf_free(&line);
}

/* GB/T 9704-2012: the top edge of the issuing authority's mark 35 mm below
 * the top of the text block (7.2.4), the red rule 4 mm below the document
 * number (7.2.7). */
#define MARK_TOP (35 * 72 / 25.4)
#define RULE_GAP (4 * 72 / 25.4)
#define RULE_THICK 1.5

/* Where a line of role holds its em box: the box's top from the line's
 * top (the box's bottom is as far from the line's foot).  The line is the
 * one set_paragraph makes; the box is the primary face's ascender to its
 * descender, which for CJK faces is the ideographic em box, one em. */
static double box_top(const ctx *c, doc_role role) {
  const style_role *r = &c->st->role[role];
  double size = r->size * c->body;
  double h = on_grid(c, size * r->leading);
  int fake;
  font_face *f =
      font_family_face(c->lf->role[role].fam[0], FONT_REGULAR, &fake);
  return (h - (font_ascender(f) - font_descender(f)) * size) / 2;
}

/* The height of items v0.. as they stand on a page, spaces between them
 * included. */
static double extent_from(const ctx *c, size_t v0) {
  double y = 0;
  for (size_t i = v0; i < c->n_v; i++)
    y += (i > v0 ? c->v[i].space_before : 0) + c->v[i].height;
  return y;
}

/* An upward document's number and signers (GB/T 9704-2012 7.2.6): "签发
 * 人：" in the number's face and the names in the emphasis face (楷体),
 * two to a line, one character in from the right edge, later lines under
 * the first name; the number one character in from the left, on the line
 * of the last names. */
static void lay_signers(ctx *c) {
  const doc_meta *m = &c->d->meta;
  doc_role role = DOC_ROLE_NUMBER;
  double em = one_char(c, role);
  span_style names_span = base_span(c, role); /* the emphasis face: 楷体 */
  names_span.shape = shape_of(names_span.shape & FONT_BOLD, 1);
  buf lead = {0}, b = {0};
  labels_signer_lead(m, &lead);
  /* the names, two to a line; the widest line sets where they start */
  size_t n_lines = (m->n_signers + 1) / 2;
  const char **names = arena_alloc(&c->out->mem, n_lines * sizeof *names);
  double lead_w = natural_width(c, lead.data, lead.len, role), names_w = 0;
  for (size_t ln = 0; ln < n_lines; ln++) {
    b.len = 0;
    for (size_t k = ln * 2; k < m->n_signers && k < ln * 2 + 2; k++) {
      if (k > ln * 2)
        buf_puts(&b, c->cjk ? "\u3000" : "  ");
      buf_puts(&b, m->signers[k]);
    }
    names[ln] = arena_strndup(&c->out->mem, b.data, b.len);
    double w = natural_width_span(c, b.data, b.len, &names_span);
    if (w > names_w)
      names_w = w;
  }
  double names_x = c->text_width - em - names_w;
  if (names_x < lead_w)
    names_x = lead_w;
  for (size_t ln = 0; ln < n_lines; ln++) {
    size_t first = c->n_v;
    if (ln + 1 == n_lines && m->number) {
      line_at(c, m->number, role, em);
      c->keep_next = 1;
    }
    if (ln == 0) {
      line_at(c, arena_strndup(&c->out->mem, lead.data, lead.len), role,
              names_x - lead_w);
      c->keep_next = 1;
    }
    para p = {0};
    para_add_text(&p, names[ln], strlen(names[ln]), &names_span);
    para_look k = look_of(c, role);
    k.first_indent = 0;
    k.align = STYLE_ALIGN_START;
    link_table links = {0};
    double saved = c->indent_left;
    c->indent_left = names_x;
    set_paragraph(c, &p, &links, &k, c->text_width - names_x + 0.5);
    c->indent_left = saved;
    para_free(&p);
    while (c->n_v > first + 1)
      join_next(c, first);
    c->keep_next = ln + 1 < n_lines;
  }
  buf_free(&b);
  buf_free(&lead);
}

/* A masthead's end (7.3.1): the title two lines below the last element,
 * whose box foot stands `bottom` below item v0's top; the text after it
 * back on the grid, a line below the title's box.  The masthead's items
 * stay on one page. */
static void title_below(ctx *c, int book, size_t v0, double bottom,
                        double line) {
  const doc_meta *m = &c->d->meta;
  size_t vt = c->n_v;
  double ttop = box_top(c, DOC_ROLE_TITLE);
  double want = bottom + 2 * line - ttop, y = extent_from(c, v0);
  c->keep_next = 1;
  lay_title(c, book);
  if (c->n_v > vt)
    c->v[vt].space_before = want > y ? want - y : 0;
  for (size_t i = v0 + 1; i < c->n_v; i++)
    c->v[i].break_before = 0;
  doc_role last = m->subtitle ? DOC_ROLE_SUBTITLE : DOC_ROLE_TITLE;
  y = extent_from(c, v0);
  double target = y - box_top(c, last) + line - box_top(c, DOC_ROLE_BODY);
  if (c->pitch > 0)
    target = floor(target / c->pitch + 0.5) * c->pitch;
  c->pending_space = target > y ? target - y : 0;
}

/* The letter format's red double rules (信函格式, GB/T 9704-2012 10.1):
 * 170 mm long, centred on the page; the standard gives no thicknesses, so
 * those of the usual 武文线: a 1.5 pt line and a 0.5 pt one, 1 pt apart. */
#define LETTER_RULE_W (170 * 72 / 25.4)
#define LETTER_THICK 1.5
#define LETTER_THIN 0.5
#define LETTER_GAP 1.0
#define LETTER_MARK_TOP (30 * 72 / 25.4)  /* from the page's top */
#define LETTER_FOOT_RULE (20 * 72 / 25.4) /* from the page's foot */

/* The letter format's head (10.1): the mark's top 30 mm below the page's
 * top; a double rule (thick over thin) 4 mm below it; under the rule, 7/8
 * of a character's height below it, 份号, 密级 and 紧急程度 flush left, one
 * a line, and the number flush right on the first of those lines; the
 * title two lines below the last of them. */
static void lay_letter_head(ctx *c, int book) {
  const doc_meta *m = &c->d->meta;
  const char *issuer = labels_issuer(m);
  double line = c->pitch > 0 ? c->pitch
                             : c->body * c->st->role[DOC_ROLE_BODY].leading;
  size_t v0 = c->n_v;
  c->pending_space = 0;
  c->keep_next = 0;
  double mark_top = LETTER_MARK_TOP - c->st->margin_top; /* above the block */
  double bottom = mark_top;
  if (issuer) {
    double top = box_top(c, DOC_ROLE_AUTHORITY);
    /* a spacer of negative height lifts the mark above the text block */
    vitem *it = new_item(c, V_BLOCK, mark_top - top);
    close_item(c, it);
    c->keep_next = 1;
    set_text(c, issuer, DOC_ROLE_AUTHORITY, 0, c->text_width,
             c->st->role[DOC_ROLE_AUTHORITY].align);
    bottom = extent_from(c, v0) - top;
  }
  unsigned red = c->st->role[DOC_ROLE_AUTHORITY].color;
  double at = bottom + RULE_GAP - extent_from(c, v0);
  double x = (c->st->page_width - LETTER_RULE_W) / 2 - c->st->margin_left;
  double h = LETTER_THICK + LETTER_GAP + LETTER_THIN;
  c->keep_next = c->n_v > v0;
  vitem *rule = new_item(c, V_BLOCK, at + h);
  add_rect(c, x, at, LETTER_RULE_W, LETTER_THICK, red);
  add_rect(c, x, at + LETTER_THICK + LETTER_GAP, LETTER_RULE_W, LETTER_THIN,
           red);
  close_item(c, rule);
  bottom += RULE_GAP + h;
  /* under the rule, 7/8 of a 三号 character's height below it */
  const char *corner[] = {m->copy_number, m->secrecy, m->urgency};
  const doc_role corner_role[] = {DOC_ROLE_NUMBER, DOC_ROLE_CLASSIFICATION,
                                  DOC_ROLE_CLASSIFICATION};
  double below = bottom + c->body * 7 / 8;
  int lines = 0;
  doc_role last = DOC_ROLE_NUMBER;
  for (int k = 0; k < 3 || (k == 3 && !lines && m->number); k++) {
    const char *text = k < 3 ? corner[k] : NULL;
    doc_role role = k < 3 ? corner_role[k] : DOC_ROLE_NUMBER;
    if (k < 3 && !text)
      continue;
    if (!lines)
      c->pending_space = below - box_top(c, role) - extent_from(c, v0);
    c->keep_next = 1;
    size_t first = c->n_v;
    if (text)
      line_at(c, text, role, 0);
    if (!lines && m->number) { /* the number flush right, on the first line */
      double w = natural_width(c, m->number, strlen(m->number),
                               DOC_ROLE_NUMBER);
      c->keep_next = 1;
      if (text)
        c->pending_space = 0;
      line_at(c, m->number, DOC_ROLE_NUMBER, c->text_width - w);
      while (c->n_v > first + 1)
        join_next(c, first);
    }
    last = role;
    lines++;
  }
  if (lines)
    bottom = extent_from(c, v0) - box_top(c, last);
  title_below(c, book, v0, bottom, line);
}

/* An official document's masthead (GB/T 9704, 7.2): the issuing authority
 * in red, its top 35 mm below the text block's; the document number two
 * lines below it; a red rule across the text block 4 mm below the number;
 * the title two lines below the rule.  The text after it stands on the
 * grid again, a line below the title.  Positions are of the em boxes. */
static void lay_circular_head(ctx *c, int book) {
  if (c->st->masthead == STYLE_MASTHEAD_LETTER) {
    lay_letter_head(c, book);
    return;
  }
  const doc_meta *m = &c->d->meta;
  const char *issuer = labels_issuer(m);
  double line = c->pitch > 0 ? c->pitch
                             : c->body * c->st->role[DOC_ROLE_BODY].leading;
  size_t v0 = c->n_v;
  c->pending_space = 0;
  c->keep_next = 0;
  /* 份号, 密级和保密期限, 紧急程度: flush left on the first lines (7.2.1-3) */
  const char *corner[] = {m->copy_number, m->secrecy, m->urgency};
  const doc_role corner_role[] = {DOC_ROLE_NUMBER, DOC_ROLE_CLASSIFICATION,
                                  DOC_ROLE_CLASSIFICATION};
  for (int k = 0; k < 3; k++) {
    if (!corner[k])
      continue;
    if (c->n_v > v0)
      c->keep_next = 1;
    line_at(c, corner[k], corner_role[k], 0);
  }
  if (!issuer && !m->number) {
    c->keep_next = c->n_v > v0;
    lay_title(c, book);
    return;
  }
  double bottom = 0; /* the last element's box foot, from v0's top */
  if (issuer) {
    double top = box_top(c, DOC_ROLE_AUTHORITY);
    double above = extent_from(c, v0);
    if (MARK_TOP - top - above > 0) {
      c->keep_next = c->n_v > v0;
      vitem *it = new_item(c, V_BLOCK, MARK_TOP - top - above);
      close_item(c, it);
    }
    c->keep_next = c->n_v > v0;
    set_text(c, issuer, DOC_ROLE_AUTHORITY, 0, c->text_width,
             c->st->role[DOC_ROLE_AUTHORITY].align);
    bottom = extent_from(c, v0) - top;
  }
  if (m->number || m->n_signers) {
    double top = box_top(c, DOC_ROLE_NUMBER);
    if (issuer) {
      double want = bottom + 2 * line - top, y = extent_from(c, v0);
      c->pending_space = want > y ? want - y : 0;
    }
    c->keep_next = c->n_v > v0;
    if (m->n_signers)
      lay_signers(c);
    else
      set_text(c, m->number, DOC_ROLE_NUMBER, 0, c->text_width,
               c->st->role[DOC_ROLE_NUMBER].align);
    bottom = extent_from(c, v0) - top;
  }
  /* the rule, its top edge 4 mm below the box above */
  double at = bottom + RULE_GAP - extent_from(c, v0);
  c->pending_space = 0;
  c->keep_next = 1;
  vitem *rule = new_item(c, V_BLOCK, at + RULE_THICK > 0 ? at + RULE_THICK : 0);
  add_rect(c, 0, at, c->text_width, RULE_THICK,
           c->st->role[DOC_ROLE_AUTHORITY].color);
  close_item(c, rule);
  bottom += RULE_GAP + RULE_THICK;
  title_below(c, book, v0, bottom, line);
}

static void lay_title_block(ctx *c, int book) {
  if (c->st->head == STYLE_HEAD_CIRCULAR)
    lay_circular_head(c, book);
  else
    lay_article_head(c, book);
}

/* The close of an official document: the issuer centred over the date,
 * the date four characters in from the right edge. */
static void lay_signature(ctx *c) {
  const doc_meta *m = &c->d->meta;
  size_t issuer_len;
  const char *issuer = labels_signer(m, &issuer_len);
  if (issuer)
    issuer = arena_strndup(&c->out->mem, issuer, issuer_len);
  buf date = {0};
  if (m->date)
    labels_date(m->date, m->lang, &date);
  if (!issuer && !date.len)
    return;
  double size = c->st->role[DOC_ROLE_SIGNATURE].size * c->body;
  double right = c->text_width - 4 * size;
  double dw = date.len ? natural_width(c, date.data, date.len,
                                       DOC_ROLE_SIGNATURE)
                       : 0;
  double centre = date.len ? right - dw / 2 : right;
  space_before(c, DOC_ROLE_SIGNATURE);
  if (issuer) {
    double nw = natural_width(c, issuer, strlen(issuer), DOC_ROLE_SIGNATURE);
    double x = centre - nw / 2;
    if (x + nw > c->text_width)
      x = c->text_width - nw;
    if (date.len)
      c->keep_next = 1;
    line_at(c, issuer, DOC_ROLE_SIGNATURE, x > 0 ? x : 0);
    if (date.len && c->n_v)
      c->v[c->n_v - 1].keep_next = 1;
  }
  if (date.len) {
    const char *d = arena_strndup(&c->out->mem, date.data, date.len);
    line_at(c, d, DOC_ROLE_SIGNATURE, right - dw > 0 ? right - dw : 0);
  }
  buf_free(&date);
}

/* 附件说明 (GB/T 9704-2012 7.3.4): a line below the body, two characters
 * in, "附件：" and the names, numbered "1." when there are several; later
 * items under the first, wrapped lines under the name's first character. */
static void lay_attachments(ctx *c) {
  const doc_meta *m = &c->d->meta;
  if (!m->n_attachments)
    return;
  doc_role role = DOC_ROLE_BODY;
  double em = one_char(c, role);
  double line = c->pitch > 0 ? c->pitch
                             : c->body * c->st->role[role].leading;
  buf lead = {0}, num = {0};
  labels_attachment_lead(m, &lead);
  double x0 = 2 * em;
  double x1 = x0 + natural_width(c, lead.data, lead.len, role);
  /* the names start after the widest number */
  double num_w = 0;
  if (m->n_attachments > 1) {
    buf_printf(&num, "%zu.", m->n_attachments);
    num_w = natural_width(c, num.data, num.len, role);
    num.len = 0;
    buf_puts(&num, "1.");
    double w1 = natural_width(c, num.data, num.len, role);
    if (w1 > num_w)
      num_w = w1;
  }
  c->pending_space = line;
  c->keep_next = 0;
  long saved = open_struct(c, "L");
  for (size_t k = 0; k < m->n_attachments; k++) {
    num.len = 0;
    if (k == 0)
      buf_put(&num, lead.data, lead.len);
    if (m->n_attachments > 1)
      buf_printf(&num, "%zu.", k + 1);
    const char *label = arena_strndup(&c->out->mem, num.data, num.len);
    c->keep_next = k > 0; /* the note stays whole */
    hanging(c, label, role, m->attachments[k], role, k == 0 ? x0 : x1, 0,
            x1 + num_w);
  }
  c->se_parent = saved;
  buf_free(&lead);
  buf_free(&num);
}

/* Minutes' attendance (GB/T 9704-2012 10.3): a line below the body (or
 * the 附件说明), two characters in, "出席：" in the classification face
 * (黑体) and the names in the body's, wrapped lines under the first name;
 * then 请假 and 列席 the same, each on a line of its own. */
static void lay_attendance(ctx *c) {
  const doc_meta *m = &c->d->meta;
  size_t counts[3] = {m->n_present, m->n_absent, m->n_attending};
  double em = one_char(c, DOC_ROLE_BODY);
  double line = c->pitch > 0
                    ? c->pitch
                    : c->body * c->st->role[DOC_ROLE_BODY].leading;
  int first = 1;
  long saved = open_struct(c, "L");
  for (int which = 0; which < 3; which++) {
    if (!counts[which])
      continue;
    buf lead = {0}, names = {0};
    labels_attendance(m, which, &lead, &names);
    double w = natural_width(c, lead.data, lead.len, DOC_ROLE_CLASSIFICATION);
    if (first)
      c->pending_space = line;
    c->keep_next = !first;
    hanging(c, arena_strndup(&c->out->mem, lead.data, lead.len),
            DOC_ROLE_CLASSIFICATION,
            arena_strndup(&c->out->mem, names.data, names.len),
            DOC_ROLE_BODY, 2 * em, 0, 2 * em + w);
    buf_free(&lead);
    buf_free(&names);
    first = 0;
  }
  c->se_parent = saved;
}

/* 版记 (GB/T 9704-2012 7.4): 抄送 and 印发机关和印发日期, one character in
 * from each side, between rules as wide as the text block (the first and
 * last 0.35 mm, the one between 0.25 mm), the last on the block's foot.
 * The items are set apart from the flow: fill_pages puts them at the foot
 * of an even page, the document's last. */
#define COLOPHON_THICK (0.35 * 72 / 25.4)
#define COLOPHON_THIN (0.25 * 72 / 25.4)

static void colophon_rule(ctx *c, double thick) {
  c->keep_next = 1;
  vitem *it = new_item(c, V_BLOCK, thick);
  add_rect(c, 0, 0, c->text_width, thick, 0x000000);
  close_item(c, it);
  it->colophon = 1;
}

static void lay_colophon(ctx *c) {
  const doc_meta *m = &c->d->meta;
  /* the letter format's 版记 has neither rules nor 印发机关和日期 (10.1) */
  int letter = c->st->masthead == STYLE_MASTHEAD_LETTER;
  buf printed = {0};
  if (!letter)
    labels_printed(m, &printed);
  if (letter && !m->n_cc)
    return;
  if (!m->n_cc && !m->printed_by && !printed.len)
    return;
  doc_role role = DOC_ROLE_COLOPHON;
  double em = one_char(c, role);
  size_t v0 = c->n_v;
  c->pending_space = 0;
  if (!letter)
    colophon_rule(c, COLOPHON_THICK);
  if (m->n_cc) {
    buf lead = {0}, names = {0};
    labels_cc_lead(m, &lead);
    labels_cc_line(m, &names);
    double w = natural_width(c, lead.data, lead.len, role);
    c->keep_next = 1;
    long saved = open_struct(c, "L");
    hanging(c, arena_strndup(&c->out->mem, lead.data, lead.len), role,
            arena_strndup(&c->out->mem, names.data, names.len), role, em, em,
            em + w);
    c->se_parent = saved;
    buf_free(&lead);
    buf_free(&names);
    if (!letter && (m->printed_by || printed.len))
      colophon_rule(c, COLOPHON_THIN);
  }
  if (!letter && (m->printed_by || printed.len)) {
    size_t first = c->n_v;
    c->keep_next = 1;
    if (m->printed_by)
      line_at(c, m->printed_by, role, em);
    if (printed.len) {
      const char *date =
          arena_strndup(&c->out->mem, printed.data, printed.len);
      double w = natural_width(c, date, printed.len, role);
      c->keep_next = 1;
      line_at(c, date, role, c->text_width - em - w);
    }
    while (c->n_v > first + 1)
      join_next(c, first);
  }
  if (!letter)
    colophon_rule(c, COLOPHON_THICK);
  for (size_t i = v0; i < c->n_v; i++) {
    c->v[i].colophon = 1;
    c->v[i].space_before = 0;
  }
  buf_free(&printed);
}

/* Internal links of the document just laid out find their headings. */
static void resolve_links(ctx *c, size_t from) {
  for (size_t i = from; i < c->n_l; i++) {
    pending_link *pl = &c->l[i];
    if (!pl->fragment)
      continue;
    buf id = {0};
    int anchor = -1;
    if (url_percent_decode(pl->fragment, &id) == 0 && id.len)
      anchor = strmap_get(&c->anchor_ids, id.data);
    buf_free(&id);
    if (anchor < 0)
      pl->fragment = NULL, pl->w = 0; /* the EPUB writer reports it */
    else
      pl->doc_index = (size_t)anchor;
  }
}

/* ---- pages ---- */

static void free_pages(lay_page *pages, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(pages[i].texts);
    free(pages[i].rects);
    free(pages[i].images);
    free(pages[i].links);
  }
  free(pages);
}

static lay_page *new_page(layout *l) {
  GROW(l->pages, l->n_pages, l->cap_pages);
  memset(&l->pages[l->n_pages], 0, sizeof *l->pages);
  return &l->pages[l->n_pages++];
}

static void place(ctx *c, const vitem *it, lay_page *pg, size_t page,
                  double top) {
  const style *st = c->st;
  double left = st->margin_left;
  double ytop =
      st->page_height - st->margin_top - top; /* PDF y of the item top */
  for (size_t i = it->t0; i < it->t1; i++) {
    GROW(pg->texts, pg->n_texts, pg->cap_texts);
    lay_text t = c->t[i];
    if (c->artifact)
      t.se = -1;
    t.x += left;
    t.y = ytop - t.y;
    pg->texts[pg->n_texts++] = t;
  }
  for (size_t i = it->r0; i < it->r1; i++) {
    GROW(pg->rects, pg->n_rects, pg->cap_rects);
    lay_rect r = c->r[i];
    r.x += left;
    r.y = ytop - r.y - r.h;
    pg->rects[pg->n_rects++] = r;
  }
  for (size_t i = it->i0; i < it->i1; i++) {
    GROW(pg->images, pg->n_images, pg->cap_images);
    lay_image im = c->im[i];
    if (c->artifact)
      im.se = -1;
    im.x += left;
    im.y = ytop - im.y - im.h;
    pg->images[pg->n_images++] = im;
  }
  for (size_t i = it->l0; i < it->l1; i++) {
    const pending_link *pl = &c->l[i];
    if (!link_placed(pl))
      continue;
    GROW(pg->links, pg->n_links, pg->cap_links);
    pg->links[pg->n_links++] =
        (lay_link){left + pl->x, ytop - pl->y - pl->h,
                   pl->w,        pl->h,
                   pl->uri,      pl->fragment ? (int)pl->doc_index : -1,
                   c->artifact ? -1 : pl->se};
  }
  layout *l = c->out;
  if (it->outline >= 0) {
    l->outline[it->outline].page = page;
    l->outline[it->outline].y = ytop;
  }
  if (it->anchor >= 0) {
    l->anchors[it->anchor].page = page;
    l->anchors[it->anchor].y = ytop;
  }
}

/* Natural width of text set in role, in points. */
static double natural_width_span(ctx *c, const char *text, size_t len,
                                 const span_style *s) {
  para p = {0};
  para_add_text(&p, text, len, s);
  para_env env = env_for(c, 0);
  para_build(&p, &env);
  double w = 0;
  for (size_t i = 0; i < p.n_items; i++)
    if (p.items[i].kind != ITEM_PENALTY && p.items[i].stretch < BREAKS_FIL)
      w += p.items[i].width;
  para_free(&p);
  return w;
}

static double natural_width(ctx *c, const char *text, size_t len,
                            doc_role role) {
  span_style s = base_span(c, role);
  return natural_width_span(c, text, len, &s);
}

/* The running header is one line: a title too long for it is cut at a
 * character and ends with an ellipsis. */
static const char *one_line(ctx *c, const char *text, doc_role role) {
  size_t len = strlen(text);
  if (natural_width(c, text, len, role) <= c->text_width)
    return text;
  size_t lo = 0, hi = len;
  buf b = {0};
  while (lo < hi) { /* the longest prefix that fits with the ellipsis */
    size_t mid = (lo + hi + 1) / 2;
    while (mid > 0 && ((unsigned char)text[mid] & 0xC0) == 0x80)
      mid--;
    if (mid <= lo) {
      hi = lo;
      break;
    }
    b.len = 0;
    buf_put(&b, text, mid);
    buf_puts(&b, "\xE2\x80\xA6");
    if (natural_width(c, b.data, b.len, role) <= c->text_width)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo > 0 && ((unsigned char)text[lo] & 0xC0) == 0x80)
    lo--;
  b.len = 0;
  buf_put(&b, text, lo);
  while (b.len && b.data[b.len - 1] == ' ')
    b.len--;
  buf_puts(&b, "\xE2\x80\xA6");
  const char *cut = arena_strndup(&c->out->mem, b.data, b.len);
  buf_free(&b);
  return cut;
}

/* The page number as the style writes it: {page} and {pages} replaced. */
static const char *page_number_text(ctx *c, size_t page, size_t pages) {
  const char *f = c->st->page_number;
  buf b = {0};
  while (*f) {
    if (strncmp(f, "{page}", 6) == 0) {
      buf_printf(&b, "%zu", page);
      f += 6;
    } else if (strncmp(f, "{pages}", 7) == 0) {
      buf_printf(&b, "%zu", pages);
      f += 7;
    } else {
      buf_putc(&b, *f++);
    }
  }
  const char *text = b.len ? arena_strndup(&c->out->mem, b.data, b.len) : NULL;
  buf_free(&b);
  return text;
}

/* The outline level of a chapter: a book's articles, or a single
 * document's top headings (its title among them). */
static int chapter_level(size_t n_docs) { return n_docs > 1 ? 0 : 1; }

typedef struct {
  size_t *doc;   /* the document each page shows */
  int *starts;   /* the page opens a document or chapter: no header */
  int *bare;     /* a blank page before a 版记 and the 版记's: no number */
  size_t cap;
} page_info;

static void page_info_add(page_info *pi, size_t page, size_t doc_index,
                          int starts) {
  if (page >= pi->cap) {
    pi->cap = pi->cap ? pi->cap * 2 : 16;
    while (pi->cap <= page)
      pi->cap *= 2;
    pi->doc = realloc(pi->doc, pi->cap * sizeof *pi->doc);
    pi->starts = realloc(pi->starts, pi->cap * sizeof *pi->starts);
    pi->bare = realloc(pi->bare, pi->cap * sizeof *pi->bare);
    if (!pi->doc || !pi->starts || !pi->bare)
      out_of_memory();
  }
  pi->doc[page] = doc_index;
  pi->starts[page] = starts;
  pi->bare[page] = 0;
}

/* The letter format's second double rule, thin over thick, 20 mm above the
 * first page's foot (10.1). */
static void letter_foot_rule(ctx *c, lay_page *page) {
  const style *st = c->st;
  unsigned red = st->role[DOC_ROLE_AUTHORITY].color;
  double x = (st->page_width - LETTER_RULE_W) / 2;
  GROW(page->rects, page->n_rects, page->cap_rects);
  page->rects[page->n_rects++] =
      (lay_rect){x, LETTER_FOOT_RULE, LETTER_RULE_W, LETTER_THICK, red};
  GROW(page->rects, page->n_rects, page->cap_rects);
  page->rects[page->n_rects++] = (lay_rect){
      x, LETTER_FOOT_RULE + LETTER_THICK + LETTER_GAP, LETTER_RULE_W,
      LETTER_THIN, red};
}

static void furniture(ctx *c, doc *const *docs, size_t n_docs,
                      const page_info *pi) {
  layout *l = c->out;
  const style *st = c->st;
  size_t header_key = (size_t)-1, next_outline = 0;
  const char *header = NULL, *chapter = NULL;
  int level = chapter_level(n_docs);
  c->pitch = c->cell = 0; /* header and footer stand outside the grid */
  c->artifact = 1;       /* pagination artifacts, outside the structure */
  for (size_t pg = 0; pg < l->n_pages; pg++) {
    const doc *d = docs[pi->doc[pg]];
    l->pages[pg].doc = pi->doc[pg];
    c->d = d;
    c->cjk = meta_lang_is_cjk(d->meta.lang);
    c->rtl = meta_is_rtl(&d->meta);
    c->n_v = c->n_t = c->n_r = c->n_im = c->n_l = 0;
    c->indent_left = 0;
    long footer = -1, head = -1;
    /* a letter's first page: no number, a double rule near its foot */
    int letter_first = st->masthead == STYLE_MASTHEAD_LETTER &&
                       st->head == STYLE_HEAD_CIRCULAR &&
                       (pg == 0 || pi->doc[pg] != pi->doc[pg - 1]);
    if (letter_first)
      letter_foot_rule(c, &l->pages[pg]);
    const char *num = pi->bare[pg] || letter_first
                          ? NULL
                          : page_number_text(c, pg + 1, l->n_pages);
    if (num) {
      doc_role role = DOC_ROLE_FOOTER;
      double w = natural_width(c, num, strlen(num), role);
      double em = st->role[role].size * c->body;
      double x = (c->text_width - w) / 2;
      if (st->page_number_pos == STYLE_NUMBER_OUTSIDE)
        x = pg % 2 == 0 ? c->text_width - w - em : em; /* odd: right */
      footer = line_at(c, num, role, x > 0 ? x : 0);
    }
    /* the chapter on this page: the last one begun on or before it */
    while (next_outline < l->n_outline && l->outline[next_outline].page <= pg) {
      if (l->outline[next_outline].level <= level)
        chapter = l->outline[next_outline].title;
      next_outline++;
    }
    const char *want = st->header == STYLE_HEADER_TITLE     ? d->meta.title
                       : st->header == STYLE_HEADER_CHAPTER ? chapter
                                                            : NULL;
    if (want && !pi->starts[pg] && !pi->bare[pg]) {
      size_t key = (size_t)(uintptr_t)want;
      if (key != header_key) {
        header_key = key;
        header = one_line(c, want, DOC_ROLE_HEADER);
      }
      para p = {0};
      para_look hk = look_of(c, DOC_ROLE_HEADER);
      span_style hs = base_span(c, DOC_ROLE_HEADER);
      para_add_text(&p, header, strlen(header), &hs);
      link_table links = {0};
      head = set_paragraph(c, &p, &links, &hk, c->text_width);
      para_free(&p);
    }
    lay_page *page = &l->pages[pg];
    if (footer >= 0) {
      double text_h = st->page_height - st->margin_top - st->margin_bottom;
      double gap = st->page_number_gap >= 0
                       ? st->page_number_gap - (c->v[footer].height -
                                                st->role[DOC_ROLE_FOOTER].size *
                                                    c->body) /
                                                   2
                       : st->margin_bottom * 0.45;
      place(c, &c->v[footer], page, pg, text_h + gap);
    }
    if (head >= 0)
      place(c, &c->v[head], page, pg, -st->margin_top * 0.55);
  }
}

/* The notes of one page: indices into ctx.foot, each with the item that
 * first referred to it there (so a page that gives items back gives back
 * their notes too) and the first of its lines still to set; `height` is
 * what they claim of the page with the rule above them (all of a short
 * note, the first lines of a long one). */
typedef struct {
  size_t *note, *by, *from;
  size_t n, cap;
  double height;
} page_notes;

enum { FOOT_RULE_GAP = 6,  /* points between the text and a foot's rule */
       FOOT_MIN_LINES = 3 }; /* lines a long note claims where it starts */

static double foot_rule(const ctx *c) { return FOOT_RULE_GAP + c->body * 0.5; }

/* The height of the note's lines from `from` on: all of them, or only the
 * first few of a long note. */
static double note_claim(const ctx *c, const foot_note *fn, size_t from) {
  double h = 0;
  size_t lines = 0;
  for (size_t v = from; v < fn->v1; v++) {
    if (fn->split && lines++ == FOOT_MIN_LINES)
      break;
    h += c->v[v].height + (v > from ? c->v[v].space_before : 0);
  }
  return h;
}

/* The height the notes that item `it` first refers to would claim. */
static double new_notes_height(const ctx *c, const vitem *it,
                               const page_notes *pn) {
  double h = 0;
  for (size_t q = it->f0; q < it->f1; q++) {
    const foot_note *fn = &c->foot[c->refs[q]];
    if (!fn->placed)
      h += note_claim(c, fn, fn->v0);
  }
  if (h > 0 && pn->n == 0)
    h += foot_rule(c);
  return h;
}

static void add_page_note(ctx *c, page_notes *pn, size_t note, size_t by,
                          size_t from) {
  if (pn->n == pn->cap) {
    pn->cap = pn->cap ? pn->cap * 2 : 8;
    pn->note = realloc(pn->note, pn->cap * sizeof *pn->note);
    pn->by = realloc(pn->by, pn->cap * sizeof *pn->by);
    pn->from = realloc(pn->from, pn->cap * sizeof *pn->from);
    if (!pn->note || !pn->by || !pn->from)
      out_of_memory();
  }
  if (pn->n == 0)
    pn->height += foot_rule(c);
  pn->height += note_claim(c, &c->foot[note], from);
  pn->note[pn->n] = note;
  pn->by[pn->n] = by;
  pn->from[pn->n++] = from;
}

static void take_notes(ctx *c, const vitem *it, size_t index,
                       page_notes *pn) {
  for (size_t q = it->f0; q < it->f1; q++) {
    foot_note *fn = &c->foot[c->refs[q]];
    if (fn->placed)
      continue;
    fn->placed = 1;
    add_page_note(c, pn, c->refs[q], index, fn->v0);
  }
}

/* Items from `from` on leave the page: so do the notes they brought (a
 * note continued from the page before came with no item, by 0). */
static void give_back_notes(ctx *c, size_t from, page_notes *pn) {
  while (pn->n && pn->by[pn->n - 1] >= from && pn->by[pn->n - 1] > 0) {
    pn->n--;
    c->foot[pn->note[pn->n]].placed = 0;
    pn->height -= note_claim(c, &c->foot[pn->note[pn->n]], pn->from[pn->n]);
  }
  if (pn->n == 0)
    pn->height = 0;
}

/* Sets the page's notes at the foot of its text block, under a short rule:
 * as low as they go when they fit below the text (which ends text_end
 * points down), else from just below the text, a long note's lines that
 * do not fit carried to `next`, the following page's notes.  Empties pn. */
static void place_notes(ctx *c, lay_page *pg, size_t page, page_notes *pn,
                        double text_end, page_notes *next) {
  if (!pn->n)
    return;
  double want = foot_rule(c);
  for (size_t k = 0; k < pn->n; k++) {
    const foot_note *fn = &c->foot[pn->note[k]];
    for (size_t v = pn->from[k]; v < fn->v1; v++)
      want += c->v[v].height + (v > pn->from[k] ? c->v[v].space_before : 0);
  }
  double room = c->text_height - text_end;
  double y = want <= room ? c->text_height - want : text_end;
  double bottom = c->text_height + 0.01;
  const style *st = c->st;
  GROW(pg->rects, pg->n_rects, pg->cap_rects);
  pg->rects[pg->n_rects++] = (lay_rect){
      st->margin_left, st->page_height - st->margin_top - y - FOOT_RULE_GAP - 0.5,
      c->text_width * 0.25, 0.5, 0x666666};
  y += foot_rule(c);
  size_t k = 0;
  for (; k < pn->n; k++) {
    const foot_note *fn = &c->foot[pn->note[k]];
    size_t v = pn->from[k];
    for (; v < fn->v1; v++) {
      double gap = v > pn->from[k] ? c->v[v].space_before : 0;
      /* a line that would pass the block's foot waits for the next page;
       * the first line on a page always goes, so a page always gives
       * some of a note */
      if (y + gap + c->v[v].height > bottom && (v > pn->from[k] || k > 0))
        break;
      y += gap;
      place(c, &c->v[v], pg, page, y);
      y += c->v[v].height;
    }
    if (v < fn->v1) {
      add_page_note(c, next, pn->note[k], 0, v);
      break;
    }
  }
  /* notes not reached: the next page takes them whole (never more than
   * the long note that ran out of room and those after it) */
  for (k++; k < pn->n; k++)
    add_page_note(c, next, pn->note[k], 0, pn->from[k]);
  pn->n = 0;
  pn->height = 0;
}

/* Pages that hold nothing but the rest of long notes, before a document
 * ends or the next one begins. */
static void flush_carried_notes(ctx *c, page_info *pi, size_t doc_index,
                                page_notes *pn) {
  page_notes next = {0};
  for (int guard = 0; pn->n && guard < 100000; guard++) {
    layout *l = c->out;
    page_info_add(pi, l->n_pages, doc_index, 0);
    lay_page *pg = new_page(l);
    place_notes(c, pg, l->n_pages - 1, pn, 0, &next);
    page_notes t = *pn;
    *pn = next;
    next = t;
  }
  free(next.note);
  free(next.by);
  free(next.from);
}

/* A figure and its caption, items start..end, waiting for the top of the
 * next page while the text after it fills this one. */
typedef struct {
  size_t start, end;
  size_t passed_on; /* the page whose text went on past it */
} deferred_float;

/* fill_pages' state: the page being filled and the figures waiting. */
typedef struct {
  page_info *pi;
  lay_page *pg;         /* the page being filled, or NULL */
  double y;             /* where its text ends, points down the block */
  size_t page_first;    /* its first item of the flow */
  page_notes pn, carry; /* its notes; the rest of a long one, for the next */
  /* per item of the page, from page_first: where the text ends after it,
   * so a page that gives items back knows where its text now ends */
  double *ends;
  size_t cap_ends;
  deferred_float *floats; /* waiting, in order, from float_head on */
  size_t float_head, n_floats, cap_floats;
  double top_gap;  /* figures just set at the page's top: the space they
                      ask after them; else -1 */
  double lead_gap; /* a figure just deferred: the space the text before
                      it asked after itself; else -1 */
} filler;

static int waiting(const filler *f) { return f->float_head < f->n_floats; }

static void record_end(filler *f, size_t i) {
  f->ends = vec_grow(f->ends, &f->cap_ends, i - f->page_first + 1,
                     sizeof *f->ends);
  f->ends[i - f->page_first] = f->y;
}

/* The height of items start..end set together. */
static double run_height(const ctx *c, size_t start, size_t end) {
  double h = 0;
  for (size_t k = start; k < end; k++)
    h += c->v[k].height + (k > start ? c->v[k].space_before : 0);
  return h;
}

/* Sets the page's notes and leaves it. */
static void close_page(ctx *c, filler *f) {
  layout *l = c->out;
  if (f->pg)
    place_notes(c, f->pg, l->n_pages - 1, &f->pn, f->y, &f->carry);
  f->pg = NULL;
}

/* A floated figure's element goes in the tree where its text is, on the
 * page that passed it. */
static void mark_floated(ctx *c, long se, size_t page) {
  if (se < 0 || (size_t)se >= c->out->n_structs)
    return;
  c->out->structs[se].floated = 1;
  c->out->structs[se].float_from = page;
}

/* Sets a deferred figure gap points below where the page's text ends. */
static void set_float(ctx *c, filler *f, const deferred_float *d,
                      double gap) {
  size_t page = c->out->n_pages - 1;
  f->y += gap;
  for (size_t k = d->start; k < d->end; k++) {
    vitem *it = &c->v[k];
    f->y += k > d->start ? it->space_before : 0;
    place(c, it, f->pg, page, f->y);
    take_notes(c, it, k, &f->pn);
    f->y += it->height;
    it->deferred = 0;
    for (size_t q = it->t0; q < it->t1; q++)
      mark_floated(c, c->t[q].se, d->passed_on);
    for (size_t q = it->i0; q < it->i1; q++)
      mark_floated(c, c->im[q].se, d->passed_on);
    for (size_t q = it->l0; q < it->l1; q++)
      mark_floated(c, c->l[q].se, d->passed_on);
  }
  f->top_gap = c->v[d->start].float_after;
}

/* Starts a page for item i: the rest of a long note from the page before
 * at its foot, and at its top the figures waiting, in their order, as many
 * as there is room for.  While any still wait the page holds figures only
 * and another follows: text never passes a figure on more than one page. */
static void open_page(ctx *c, filler *f, size_t i, int starts) {
  layout *l = c->out;
  for (;;) {
    size_t doc_index = waiting(f)
                           ? c->v[f->floats[f->float_head].start].doc_index
                           : c->v[i].doc_index;
    page_info_add(f->pi, l->n_pages, doc_index, starts);
    f->pg = new_page(l);
    f->y = 0;
    f->page_first = i;
    f->top_gap = f->lead_gap = -1;
    page_notes t = f->pn;
    f->pn = f->carry;
    f->carry = t;
    while (waiting(f)) {
      const deferred_float *d = &f->floats[f->float_head];
      double gap = 0;
      if (f->y > 0) {
        gap = c->v[d->start].space_own;
        gap = gap > f->top_gap ? gap : f->top_gap;
      }
      /* the first always goes: it fits a page, whatever notes it has */
      if (f->y > 0 && f->y + gap + run_height(c, d->start, d->end) +
                              f->pn.height >
                          c->text_height + 0.01)
        break;
      set_float(c, f, d, gap);
      f->float_head++;
    }
    if (!waiting(f)) {
      f->float_head = f->n_floats = 0;
      return;
    }
    close_page(c, f);
    starts = 0;
  }
}

/* A page may end just before item j, past the page's first: j allows it,
 * and so does every figure deferred just before it (a figure kept with the
 * text before it keeps that text with what follows while it is away). */
static int may_break_before(const ctx *c, size_t j, size_t first) {
  if (!c->v[j].break_before || c->v[j].deferred)
    return 0;
  for (size_t k = j; k-- > first && c->v[k].deferred;)
    if (c->v[k].float_to > k && !c->v[k].break_before)
      return 0;
  return 1;
}

/* Fills pages with the vertical items c->v, after the pages there are.
 * A figure that does not fit the rest of the page waits for the next
 * page's top while the text after it fills this one (see open_page); a
 * heading, the end matter, a page break and the document's end wait for
 * it. */
static void fill_pages(ctx *c, page_info *pi) {
  layout *l = c->out;
  filler f = {.pi = pi, .top_gap = -1, .lead_gap = -1};
  size_t i = 0;
  while (i < c->n_v) {
    vitem *it = &c->v[i];
    if (it->foot) { /* a note's line: set at a foot by place_notes */
      if (f.pg)
        record_end(&f, i);
      i++;
      continue;
    }
    if ((it->kind == V_NEWPAGE || it->colophon) && waiting(&f)) {
      close_page(c, &f); /* the figures waiting come first */
      open_page(c, &f, i, 0);
    }
    if (it->kind == V_NEWPAGE) {
      close_page(c, &f);
      flush_carried_notes(c, pi, c->v[i - 1].doc_index, &f.carry);
      i++;
      continue;
    }
    if (it->colophon) {
      size_t j = i;
      double h = 0;
      while (j < c->n_v && c->v[j].colophon &&
             c->v[j].doc_index == it->doc_index)
        h += c->v[j++].height;
      /* on this page when it is even, has no notes and has room; else on
       * the next even page, a blank one before it when needed (7.4, 7.5) */
      if (!f.pg || l->n_pages % 2 || f.pn.n ||
          f.y + h > c->text_height + 0.01) {
        int bare = 0;
        close_page(c, &f);
        flush_carried_notes(c, pi, it->doc_index, &f.carry);
        if (l->n_pages % 2 == 0 && l->n_pages > 0) {
          page_info_add(pi, l->n_pages, it->doc_index, 0);
          new_page(l);
          pi->bare[l->n_pages - 1] = bare = 1;
        }
        page_info_add(pi, l->n_pages, it->doc_index, l->n_pages == 0);
        f.pg = new_page(l);
        pi->bare[l->n_pages - 1] = bare;
        f.page_first = i;
      }
      f.y = c->text_height - h;
      for (; i < j; i++) {
        place(c, &c->v[i], f.pg, l->n_pages - 1, f.y);
        f.y += c->v[i].height;
        record_end(&f, i);
      }
      continue;
    }
    if (!f.pg)
      open_page(c, &f, i, i == 0 || c->v[i - 1].kind == V_NEWPAGE);
    double gap = 0;
    if (f.y > 0) {
      /* after figures set at the top, or past a deferred one, the space
       * the text asks of its own, and at least the figures' */
      double lead = f.top_gap >= 0 ? f.top_gap : f.lead_gap;
      gap = lead < 0 ? it->space_before
                     : (it->space_own > lead ? it->space_own : lead);
    }
    if (it->float_to > i &&
        (waiting(&f) ||
         (f.y > 0 && f.y + gap + run_height(c, i, it->float_to) +
                             f.pn.height >
                         c->text_height + 0.01))) {
      /* to the next page's top; after figures waiting already, always */
      deferred_float d = {i, it->float_to, l->n_pages - 1};
      f.floats = vec_grow(f.floats, &f.cap_floats, f.n_floats + 1,
                          sizeof *f.floats);
      f.floats[f.n_floats++] = d;
      if (f.top_gap < 0 && f.lead_gap < 0)
        f.lead_gap = it->float_lead;
      for (; i < d.end; i++) {
        c->v[i].deferred = 1;
        record_end(&f, i);
      }
      continue;
    }
    /* a table row atop a page brings its header row again, an artifact */
    double header =
        i == f.page_first && it->repeat >= 0 ? c->v[it->repeat].height : 0;
    double notes = new_notes_height(c, it, &f.pn);
    if (f.y > 0 && ((it->fence && waiting(&f)) ||
                    f.y + gap + header + it->height + f.pn.height + notes >
                        c->text_height + 0.01)) {
      /* back up to the last place a page may end */
      size_t j = i;
      while (j > f.page_first && !may_break_before(c, j, f.page_first))
        j--;
      if (j > f.page_first && j < i) {
        /* items j..i-1 move to the next page: take their marks back */
        lay_page *cur = f.pg;
        for (size_t k = j; k < i; k++) {
          if (c->v[k].foot || c->v[k].deferred)
            continue; /* never placed in the flow */
          cur->n_texts -= c->v[k].t1 - c->v[k].t0;
          cur->n_rects -= c->v[k].r1 - c->v[k].r0;
          cur->n_images -= c->v[k].i1 - c->v[k].i0;
          for (size_t q = c->v[k].l0; q < c->v[k].l1; q++)
            if (link_placed(&c->l[q]))
              cur->n_links--;
        }
        give_back_notes(c, j, &f.pn);
        /* figures deferred from there on come again in their turn */
        while (waiting(&f) && f.floats[f.n_floats - 1].start >= j) {
          const deferred_float *d = &f.floats[--f.n_floats];
          for (size_t k = d->start; k < d->end; k++)
            c->v[k].deferred = 0;
        }
        f.y = f.ends[j - 1 - f.page_first];
      } else {
        j = i;
      }
      close_page(c, &f);
      i = j; /* again, on the next page */
      continue;
    }
    if (header > 0) {
      c->artifact = 1;
      place(c, &c->v[it->repeat], f.pg, l->n_pages - 1, f.y + gap);
      c->artifact = 0;
      f.y += gap + header;
      gap = 0;
    }
    place(c, it, f.pg, l->n_pages - 1, f.y + gap);
    take_notes(c, it, i, &f.pn);
    f.y += gap + it->height;
    f.top_gap = f.lead_gap = -1;
    record_end(&f, i);
    i++;
  }
  if (waiting(&f)) { /* the document's last figures: after its text */
    close_page(c, &f);
    open_page(c, &f, c->n_v - 1, 0);
  }
  close_page(c, &f);
  if (c->n_v)
    flush_carried_notes(c, pi, c->v[c->n_v - 1].doc_index, &f.carry);
  free(f.ends);
  free(f.floats);
  free(f.pn.note);
  free(f.pn.by);
  free(f.pn.from);
  free(f.carry.note);
  free(f.carry.by);
  free(f.carry.from);
}

/* Contents entries: a book's articles, or a document's top two levels. */
static int in_contents(const lay_outline *o, size_t n_docs) {
  return n_docs > 1 ? o->level == 0 : o->level <= 2;
}

/* One contents entry: the title, its page number at the right edge, the
 * whole line a link to the entry's place. */
static void lay_contents_entry(ctx *c, const lay_outline *o, size_t number,
                               int anchor) {
  char num[32];
  snprintf(num, sizeof num, "%zu", number);
  doc_role role = DOC_ROLE_CONTENTS;
  double nw = natural_width(c, num, strlen(num), role);
  double em = c->st->role[role].size * c->body;
  double indent = o->level >= 2 ? 2 * em : 0;
  space_before(c, role);
  long first = set_text(c, o->title, role, indent,
                        c->text_width - indent - nw - em,
                        c->st->role[role].align);
  if (first < 0)
    return;
  size_t last = c->n_v - 1;
  /* dot leaders from the title's end to the number, on a common grid so
   * the dots of all entries line up */
  double end = 0, baseline = 0;
  for (size_t i = c->v[last].t0; i < c->v[last].t1; i++) {
    const lay_text *t = &c->t[i];
    int glyphs;
    double w = mark_advance(t, &glyphs);
    if (t->x + w + glyphs * t->char_space > end)
      end = t->x + w + glyphs * t->char_space;
    baseline = t->y;
  }
  double step = em * 0.6;
  for (double x = ceil((end + em * 0.5) / step) * step;
       x + em * 0.5 < c->text_width - nw; x += step)
    add_rect(c, x, baseline - em * 0.12, em * 0.09, em * 0.09, 0x777777);
  c->v[last].r1 = c->n_r;
  /* the number joins the entry's last line */
  if (line_at(c, arena_strndup(&c->out->mem, num, strlen(num)), role,
              c->text_width - nw) >= 0) {
    vitem *n = &c->v[c->n_v - 1];
    c->v[last].t1 = n->t1;
    c->v[last].r1 = n->r1;
    c->n_v--;
  }
  for (size_t i = (size_t)first; i <= last; i++) {
    c->v[i].l0 = c->n_l; /* each line places its own link only */
    GROW(c->l, c->n_l, c->cap_l);
    c->l[c->n_l++] = (pending_link){indent, 0, c->text_width - indent,
                                    c->v[i].height, NULL, "", (size_t)anchor,
                                    c->v[i].t1 > c->v[i].t0
                                        ? c->t[c->v[i].t0].se
                                        : -1};
    c->v[i].l1 = c->n_l;
  }
  space_after(c, role, 1);
}

/* Lays the contents pages and puts them before the body's pages. */
static void add_contents(ctx *c, doc *const *docs, size_t n_docs,
                         page_info *pi) {
  layout *l = c->out;
  size_t body_pages = l->n_pages, n_anchors = l->n_anchors, guess = 1;
  lay_page *body = l->pages;
  size_t body_cap = l->cap_pages;
  page_info toc = {0};
  c->d = docs[0];
  c->cjk = meta_lang_is_cjk(docs[0]->meta.lang);
  c->doc_index = 0;
  /* the contents open the document: in the tree under it, not under the
   * last chapter's Art, which would come first with them */
  c->se_parent = -1;
  for (int pass = 0; pass < 3; pass++) {
    l->pages = NULL;
    l->n_pages = l->cap_pages = 0;
    l->n_anchors = n_anchors;
    c->n_v = c->n_t = c->n_r = c->n_im = c->n_l = 0;
    c->pending_space = 0;
    c->keep_next = 0;
    c->indent_left = 0;
    c->doc_first_item = 0;
    text_block(c, labels_contents(docs[0]->meta.lang), DOC_ROLE_TITLE, 0);
    for (size_t i = 0; i < l->n_outline; i++) {
      const lay_outline *o = &l->outline[i];
      if (!in_contents(o, n_docs))
        continue;
      GROW(l->anchors, l->n_anchors, c->cap_anchors);
      l->anchors[l->n_anchors] = (lay_anchor){o->page + guess, o->y};
      lay_contents_entry(c, o, o->page + guess + 1, (int)l->n_anchors++);
    }
    fill_pages(c, &toc);
    if (l->n_pages == guess || pass == 2)
      break;
    guess = l->n_pages;
    free_pages(l->pages, l->n_pages);
  }
  /* contents first, then the body, every page reference moved on */
  size_t k = l->n_pages;
  lay_page *all = malloc((k + body_pages) * sizeof *all);
  if (!all)
    out_of_memory();
  memcpy(all, l->pages, k * sizeof *all);
  memcpy(all + k, body, body_pages * sizeof *all);
  free(l->pages);
  free(body);
  (void)body_cap;
  l->pages = all;
  l->n_pages = l->cap_pages = k + body_pages;
  for (size_t i = 0; i < l->n_outline; i++)
    l->outline[i].page += k;
  for (size_t i = 0; i < n_anchors; i++)
    l->anchors[i].page += k;
  for (size_t i = 0; i < l->n_structs; i++)
    l->structs[i].float_from += l->structs[i].floated ? k : 0;
  for (size_t i = body_pages; i-- > 0;)
    page_info_add(pi, i + k, pi->doc[i], pi->starts[i]);
  for (size_t i = 0; i < k; i++)
    page_info_add(pi, i, 0, 1);
  free(toc.doc);
  free(toc.starts);
  free(toc.bare);
}

static void paginate(ctx *c, doc *const *docs, size_t n_docs) {
  layout *l = c->out;
  page_info pi = {0};
  fill_pages(c, &pi);
  if (l->n_pages == 0) { /* an empty document still has a page */
    page_info_add(&pi, 0, 0, 1);
    new_page(l);
  }
  if (c->st->contents)
    add_contents(c, docs, n_docs, &pi);
  furniture(c, docs, n_docs, &pi);
  free(pi.doc);
  free(pi.starts);
  free(pi.bare);
}

layout *layout_run(doc *const *docs, size_t n, const layout_options *opt) {
  layout *l = calloc(1, sizeof *l);
  if (!l)
    out_of_memory();
  const style *st = opt->style;
  l->page_width = st->page_width;
  l->page_height = st->page_height;
  ctx c = {.opt = opt,
           .out = l,
           .st = st,
           .lf = opt->style_fonts,
           .se_parent = -1,
           .se_text = -1,
           .se_label = -1};
  l->lang = n ? docs[0]->meta.lang : NULL;
  c.body = st->body_pt[opt->size];
  c.text_width = st->page_width - st->margin_left - st->margin_right;
  c.text_height = st->page_height - st->margin_top - st->margin_bottom;
  int grid_lines, grid_chars;
  style_grid(st, opt->size, &grid_lines, &grid_chars);
  if (grid_lines > 0)
    c.pitch = c.text_height / grid_lines;
  if (grid_chars > 0) /* a hair under, so rounding never drops a cell */
    c.cell = (c.text_width - 0.01) / grid_chars;
  for (size_t k = 0; k < n; k++) {
    c.d = docs[k];
    c.doc_index = k;
    c.cjk = meta_lang_is_cjk(docs[k]->meta.lang);
    c.rtl = meta_is_rtl(&docs[k]->meta);
    c.missing = 0;
    if (k > 0)
      new_item(&c, V_NEWPAGE, 0);
    c.doc_first_item = c.n_v;
    c.keep_next = 0;
    c.pending_space = 0;
    c.addressee =
        st->head == STYLE_HEAD_CIRCULAR ? labels_addressee(docs[k]) : NULL;
    size_t links_from = c.n_l;
    /* room for the document's notes, laid by lay_notes after its text */
    c.note_base = c.n_foot;
    for (int q = 0; q < docs[k]->n_notes; q++) {
      GROW(c.foot, c.n_foot, c.cap_foot);
      memset(&c.foot[c.n_foot++], 0, sizeof *c.foot);
    }
    /* a book's chapters are articles, each in its language */
    c.se_parent = n > 1 ? new_struct(&c, "Art", -1) : -1;
    if (n > 1 && strcmp(docs[k]->meta.lang, docs[0]->meta.lang) != 0)
      l->structs[c.se_parent].lang = docs[k]->meta.lang;
    lay_title_block(&c, n > 1);
    lay_blocks(&c, docs[k]->root->first_child);
    size_t body_end = c.n_v;
    if (st->head == STYLE_HEAD_CIRCULAR) {
      lay_attachments(&c);
      lay_attendance(&c);
    }
    if (st->signature)
      lay_signature(&c);
    lay_notes(&c);
    if (st->head == STYLE_HEAD_CIRCULAR)
      lay_colophon(&c);
    /* the signature, attachments and 版记 close the text: after figures */
    for (size_t v = body_end; v < c.n_v; v++)
      c.v[v].fence = 1;
    resolve_links(&c, links_from);
    strmap_free(&c.anchor_ids);
    if (c.missing)
      diag(DIAG_WARNING, c.d->path, 0, 0,
           "%zu character%s in no bundled font (the first U+%04X), drawn as "
           "U+FFFD",
           c.missing, c.missing == 1 ? " is" : "s are",
           (unsigned)c.first_missing);
    l->missing_chars += c.missing;
    c.missing = 0;
  }
  paginate(&c, docs, n);
  free(c.v);
  free(c.t);
  free(c.r);
  free(c.im);
  free(c.l);
  free(c.foot);
  free(c.refs);
  return l;
}

void layout_free(layout *l) {
  if (!l)
    return;
  free_pages(l->pages, l->n_pages);
  free(l->outline);
  free(l->anchors);
  free(l->structs);
  arena_free(l->mem);
  free(l);
}

/* epub_fonts.c - the fonts an EPUB carries.
 *
 * The text is walked as xhtml.c writes it, each piece with the role whose
 * font list the stylesheet gives it (css.c) and the weight and slant it is
 * set in.  Each character takes the face font_pick gives it, as in the PDF
 * (the role's families, the style's face for Latin in CJK documents, the
 * fallbacks); each face used is then cut down with hb-subset to exactly
 * the characters drawn with it.
 *
 * A reading system draws a character with the first family of the
 * element's font list whose face for the weight and slant has it.  So the
 * stylesheet names one family per family of the style, its faces told
 * apart by weight and slant as CSS matches them, and puts a role's
 * families first in its list, in font_pick's order.  Since a subset holds
 * only what was drawn with it, the reading system passes over the faces
 * font_pick passed over (a Latin face for a CJK document's quotes, a CJK
 * face for its Latin letters) and lands on the same one.  Not carried
 * over: Kai for emphasis in CJK text, which font_pick takes before the
 * role's own faces for italic text only; a font list cannot say that, so
 * emphasis stays in the role's faces, slanted by the reading system. */
#include "epub_fonts.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "font.h"
#include "galley.h"
#include "labels.h"
#include "meta.h"
#include "utf8.h"
#include "vec.h"

/* ---- the process's fonts: loaded once, resolved once per style ---- */

static font_set *fonts;
static int fonts_tried;
static const style *stacks_of; /* the style stacks were resolved for */
static font_stack stacks[DOC_ROLE_COUNT];
static font_stack cjk_latin; /* Latin in CJK documents, when the style
                                names a face for it */
static font_rules rules;

void epub_fonts_cleanup(void) {
  font_set_free(fonts);
  fonts = NULL;
  fonts_tried = 0;
  stacks_of = NULL;
}

/* Every role's stack, a role that names no fonts taking the body's, and
 * the face for Latin in CJK documents, as the PDF's layout resolves them
 * (layout_fonts_resolve).  0, or -1 after reporting. */
static int resolve_stacks(const style *st) {
  if (!fonts_tried) {
    fonts_tried = 1;
    buf dir = {0};
    buf_printf(&dir, "%s/fonts", galley_data_dir());
    fonts = font_set_load(dir.data);
    buf_free(&dir);
  }
  if (!fonts)
    return -1;
  if (stacks_of == st)
    return 0;
  stacks_of = NULL;
  if (font_stack_resolve(fonts, &st->role[DOC_ROLE_BODY].font,
                         &stacks[DOC_ROLE_BODY]) != 0)
    return -1;
  int rc = 0;
  for (int r = 0; r < DOC_ROLE_COUNT; r++) {
    if (r == DOC_ROLE_BODY)
      continue;
    if (!st->role[r].font.n)
      stacks[r] = stacks[DOC_ROLE_BODY];
    else if (font_stack_resolve(fonts, &st->role[r].font, &stacks[r]) != 0)
      rc = -1;
  }
  stacks[DOC_ROLE_CODE].keep_latin = 1;
  memset(&cjk_latin, 0, sizeof cjk_latin);
  if (st->cjk_latin.n &&
      font_stack_resolve(fonts, &st->cjk_latin, &cjk_latin) != 0)
    rc = -1;
  rules.cjk_latin = cjk_latin.n ? &cjk_latin : NULL;
  rules.cjk_emphasis = NULL; /* not carried over: see the top */
  if (rc == 0)
    stacks_of = st;
  return rc;
}

/* ---- the walk: a chapter's text as a reading system shows it ---- */

typedef void (*text_fn)(void *ctx, doc_role role, font_shape shape,
                        const char *s, size_t len);

typedef struct {
  const style *st;
  text_fn text;
  void *ctx;
  int stop; /* set by text: nothing more is wanted */
  int cjk;  /* the chapter's document is in a CJK language */
  /* a chapter's notes, numbered as xhtml.c numbers them: in the order of
   * first reference, references inside notes included */
  int *local; /* per note of the document: its number here, or 0 */
  const doc_node **queue;
  size_t cap;
  int n;
} walk;

static font_shape role_shape(const walk *w, doc_role role) {
  const style_role *r = &w->st->role[role];
  return (font_shape)((r->bold ? FONT_BOLD : 0) |
                      (r->italic ? FONT_ITALIC : 0));
}

static void put(walk *w, doc_role role, font_shape shape, const char *s,
                size_t len) {
  if (s && len && !w->stop)
    w->text(w->ctx, role, shape, s, len);
}

static void put_str(walk *w, doc_role role, const char *s) {
  if (s)
    put(w, role, role_shape(w, role), s, strlen(s));
}

static void put_number(walk *w, doc_role role, font_shape shape, int k) {
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

static void note_ref(walk *w, const doc *d, const doc_node *n, doc_role role,
                     font_shape shape) {
  if (n->note < 1 || n->note > d->n_notes)
    return; /* xhtml.c writes nothing for it */
  int k = w->local[n->note];
  if (!k) {
    k = w->local[n->note] = ++w->n;
    w->queue[k - 1] = d->notes[n->note - 1];
  }
  put_number(w, role, shape, k);
}

static void walk_block(walk *w, const doc *d, const doc_node *root) {
  doc_iter it;
  doc_iter_init(&it, (doc_node *)root);
  doc_role role = DOC_ROLE_BODY;
  int emph = 0, strong = 0;
  doc_event ev;
  while (!w->stop && (ev = doc_iter_next(&it)) != DOC_EV_DONE) {
    const doc_node *n = it.node;
    int enter = ev == DOC_EV_ENTER;
    font_shape shape =
        (font_shape)(role_shape(w, role) | (strong ? FONT_BOLD : 0) |
                     (emph ? FONT_ITALIC : 0));
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
        put(w, role, (font_shape)(shape | FONT_ITALIC), alt.data, alt.len);
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

static void walk_title(walk *w, const doc *d) {
  const doc_meta *m = &d->meta;
  if (w->st->head == STYLE_HEAD_CIRCULAR) {
    put_str(w, DOC_ROLE_AUTHORITY, labels_issuer(m));
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

static void walk_signature(walk *w, const doc *d) {
  const doc_meta *m = &d->meta;
  put_str(w, DOC_ROLE_SIGNATURE, labels_issuer(m));
  if (m->date) {
    buf date = {0};
    labels_date(m->date, m->lang, &date);
    put_str(w, DOC_ROLE_SIGNATURE, date.data);
    buf_free(&date);
  }
}

static void walk_chapter(walk *w, const doc *d, const doc_node *first,
                         const doc_node *stop, int with_title) {
  size_t need = (size_t)(d->n_notes > 0 ? d->n_notes : 0) + 1;
  if (need > w->cap) {
    w->local = realloc(w->local, need * sizeof *w->local);
    w->queue = realloc(w->queue, need * sizeof *w->queue);
    if (!w->local || !w->queue)
      abort();
    memset(w->local + w->cap, 0, (need - w->cap) * sizeof *w->local);
    w->cap = need;
  }
  w->cjk = meta_lang_is_cjk(d->meta.lang);
  if (with_title)
    walk_title(w, d);
  for (const doc_node *b = first; b && b != stop; b = b->next)
    walk_block(w, d, b);
  if (!stop && w->st->signature)
    walk_signature(w, d);
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

static void walk_free(walk *w) {
  free(w->local);
  free(w->queue);
}

/* ---- whether the text is CJK ---- */

static void find_cjk(void *ctx, doc_role role, font_shape shape, const char *s,
                     size_t len) {
  (void)role, (void)shape;
  walk *w = ctx;
  const unsigned char *p = (const unsigned char *)s;
  while (len && !w->stop)
    w->stop = font_is_cjk_char(utf8_next(&p, &len));
}

int epub_fonts_wanted(doc *const *docs, size_t n, const style *st) {
  walk w = {.st = st, .text = find_cjk};
  w.ctx = &w;
  for (size_t k = 0; k < n && !w.stop; k++)
    walk_chapter(&w, docs[k], docs[k]->root->first_child, NULL, 1);
  walk_free(&w);
  return w.stop;
}

/* ---- which face draws what ---- */

typedef struct {
  font_face *face;
  hb_set_t *chars; /* drawn with it */
  char *href;      /* "fonts/NAME.ttf" */
  const char *media_type;
  char *data; /* the subset */
  size_t len;
} used_face;

/* A family as the stylesheet names it: one per family of the style (two
 * names for the same faces are one family). */
typedef struct {
  font_face *key[4]; /* font_family_face for each font_shape */
  int fake[4];
  char *name; /* "galley Noto Serif" */
  /* the face for what a reading system asks: [1 bold (700) | 2 italic], an
   * index into faces, or -1 */
  int rule[4];
} css_family;

typedef struct {
  const font_family *fam;
  int id; /* into families */
} family_seen;

/* a role's stack, the face for Latin in CJK text, the fallbacks */
enum { MAX_LIST = 3 * STYLE_MAX_FONTS };

struct epub_fonts {
  walk w;
  used_face *faces;
  size_t n_faces, cap_faces;
  css_family *families;
  size_t n_families, cap_families;
  family_seen *seen_families;
  size_t n_seen, cap_seen;
  /* per role, per place in its list (its stack, the face for Latin, the
   * fallbacks): the family drawing some of the role's text there, or -1 */
  int reached[DOC_ROLE_COUNT][MAX_LIST];
  /* per role, shape and CJK document or not: the characters placed */
  hb_set_t *placed[DOC_ROLE_COUNT][4][2];
  used_face **out; /* the faces subset, in order */
  size_t n_out;
  buf css_faces;
  buf css_list[DOC_ROLE_COUNT];
};

static hb_set_t *new_set(void) {
  hb_set_t *s = hb_set_create();
  if (!hb_set_allocation_successful(s))
    abort(); /* out of memory, as every allocation failing does */
  return s;
}

/* A name from the font's name table, as plain ASCII without quotes;
 * empty when it has none. */
static void face_name(font_face *f, hb_ot_name_id_t id, const char *keep,
                      buf *out) {
  char text[128];
  unsigned size = sizeof text;
  out->len = 0;
  if (!hb_ot_name_get_utf8(font_hb_face(f), id, HB_LANGUAGE_INVALID, &size,
                           text))
    size = 0;
  for (unsigned i = 0; i < size && i < sizeof text; i++) {
    char c = text[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || strchr(keep, c))
      buf_putc(out, c);
  }
}

static int family_named(const epub_fonts *ef, const char *name) {
  for (size_t i = 0; i < ef->n_families; i++)
    if (strcmp(ef->families[i].name, name) == 0)
      return 1;
  return 0;
}

/* The stylesheet's family for fam, made on first use. */
static int family_id(epub_fonts *ef, const font_family *fam) {
  for (size_t i = 0; i < ef->n_seen; i++)
    if (ef->seen_families[i].fam == fam)
      return ef->seen_families[i].id;
  css_family c = {{0}, {0}, NULL, {-1, -1, -1, -1}};
  for (int s = 0; s < 4; s++)
    c.key[s] = font_family_face(fam, (font_shape)s, &c.fake[s]);
  size_t id = 0;
  while (id < ef->n_families &&
         (memcmp(ef->families[id].key, c.key, sizeof c.key) != 0 ||
          memcmp(ef->families[id].fake, c.fake, sizeof c.fake) != 0))
    id++;
  if (id == ef->n_families) {
    /* named after the regular face's family, and unlike any installed
     * font: a subset must not hide the whole font of the same name */
    font_face *named = NULL;
    for (int s = 0; s < 4 && !named; s++)
      named = c.key[s];
    buf base = {0}, name = {0};
    face_name(named, HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY, " -_.", &base);
    if (!base.len)
      face_name(named, HB_OT_NAME_ID_FONT_FAMILY, " -_.", &base);
    if (!base.len)
      buf_puts(&base, "font");
    buf_printf(&name, "galley %s", base.data);
    for (int k = 2; family_named(ef, name.data); k++) {
      name.len = 0;
      buf_printf(&name, "galley %s %d", base.data, k);
    }
    buf_free(&base);
    c.name = buf_detach(&name, NULL);
    ef->families = vec_grow(ef->families, &ef->cap_families, ef->n_families + 1,
                            sizeof *ef->families);
    ef->families[ef->n_families++] = c;
  }
  ef->seen_families = vec_grow(ef->seen_families, &ef->cap_seen, ef->n_seen + 1,
                               sizeof *ef->seen_families);
  ef->seen_families[ef->n_seen++] = (family_seen){fam, (int)id};
  return (int)id;
}

static int face_id(epub_fonts *ef, font_face *f) {
  for (size_t i = 0; i < ef->n_faces; i++)
    if (ef->faces[i].face == f)
      return (int)i;
  ef->faces =
      vec_grow(ef->faces, &ef->cap_faces, ef->n_faces + 1, sizeof *ef->faces);
  used_face *u = &ef->faces[ef->n_faces];
  memset(u, 0, sizeof *u);
  u->face = f;
  u->chars = new_set();
  return (int)ef->n_faces++;
}

/* The rule of fam that text in shape lands on when font_pick gives it the
 * face f: bold (700) unless the bold is made by stroking a regular face,
 * which the reading system then makes too; italic when f is not the
 * upright face, so that a family without italics is slanted by the
 * reading system as before. */
static int rule_of(const font_family *fam, font_shape shape, font_face *f,
                   int fake_bold) {
  int rule = (shape & FONT_BOLD) && !fake_bold ? 1 : 0;
  int fake;
  if ((shape & FONT_ITALIC) &&
      font_family_face(fam, (font_shape)(shape & ~FONT_ITALIC), &fake) != f)
    rule |= 2;
  return rule;
}

static void place(epub_fonts *ef, doc_role role, font_shape shape,
                  uint32_t cp) {
  int cjk = ef->w.cjk != 0;
  hb_set_t **placed = &ef->placed[role][shape][cjk];
  if (!*placed)
    *placed = new_set();
  if (hb_set_has(*placed, cp))
    return;
  hb_set_add(*placed, cp);
  const font_stack *stack = &stacks[role];
  int fake;
  font_face *f = font_pick(fonts, stack, &rules, shape, cjk, cp, &fake);
  if (!f)
    return; /* no face has it: the reading system's fonts may */
  /* the first family whose face for shape it is, in the order font_pick
   * reads them: the role's, the face for Latin, the fallbacks */
  const font_family *list[MAX_LIST];
  const font_stack *from[3] = {stack, &cjk_latin, &fonts->fallback};
  int n = 0;
  for (int l = 0; l < 3; l++)
    for (int i = 0; i < from[l]->n && n < MAX_LIST; i++)
      list[n++] = from[l]->fam[i];
  for (int k = 0; k < n; k++) {
    const font_family *fam = list[k];
    if (font_family_face(fam, shape, &fake) != f)
      continue;
    int id = family_id(ef, fam), face = face_id(ef, f);
    hb_set_add(ef->faces[face].chars, cp);
    int *rule = &ef->families[id].rule[rule_of(fam, shape, f, fake)];
    if (*rule < 0)
      *rule = face;
    ef->reached[role][k] = id;
    return;
  }
}

static void use_text(void *ctx, doc_role role, font_shape shape, const char *s,
                     size_t len) {
  epub_fonts *ef = ctx;
  const unsigned char *p = (const unsigned char *)s;
  while (len) {
    uint32_t cp = utf8_next(&p, &len);
    if (cp == '\n' || cp == '\t' || cp == '\r')
      cp = ' '; /* white space shows as a space */
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
      continue;
    place(ef, role, shape, cp);
  }
}

epub_fonts *epub_fonts_new(const style *st) {
  if (resolve_stacks(st) != 0)
    return NULL;
  epub_fonts *ef = calloc(1, sizeof *ef);
  if (!ef)
    abort();
  ef->w.st = st;
  ef->w.text = use_text;
  ef->w.ctx = ef;
  memset(ef->reached, -1, sizeof ef->reached);
  return ef;
}

void epub_fonts_chapter(epub_fonts *ef, const doc *d, const doc_node *first,
                        const doc_node *stop, int with_title) {
  walk_chapter(&ef->w, d, first, stop, with_title);
}

/* ---- the subsets ---- */

/* hb-subset keeps the characters asked for in the cmap, and the glyphs
 * that the layout features a reading system applies to horizontal Latin
 * text reach (composition, ligatures, kerning, marks).  Left out: the
 * other features' glyphs (the default closure over localized and vertical
 * forms made the circular's Noto Serif CJK subset 167 KB instead of 97
 * KB), a CJK face's layout and vertical tables (its glyphs are drawn as
 * they are, as in the PDF: 12% fewer instructions for the circular), hints
 * (as in the PDF: a reading system's rasteriser does without them) and
 * subroutines (smaller once deflated, and faster). */
static char *subset_face(used_face *u, size_t *len) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in)
    return NULL;
  hb_set_t *chars = hb_subset_input_unicode_set(in);
  hb_set_union(chars, u->chars);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                    HB_SUBSET_FLAGS_DESUBROUTINIZE);
  hb_set_t *features =
      hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
  hb_set_clear(features);
  static const hb_tag_t kept[] = {
      HB_TAG('c', 'c', 'm', 'p'), HB_TAG('l', 'i', 'g', 'a'),
      HB_TAG('k', 'e', 'r', 'n'), HB_TAG('m', 'a', 'r', 'k'),
      HB_TAG('m', 'k', 'm', 'k')};
  for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
    hb_set_add(features, kept[i]);
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const hb_tag_t cjk_dropped[] = {
      HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
      HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
      HB_TAG('J', 'S', 'T', 'F'), HB_TAG('V', 'O', 'R', 'G'),
      HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x')};
  if (font_is_cjk(u->face))
    for (size_t i = 0; i < sizeof cjk_dropped / sizeof *cjk_dropped; i++)
      hb_set_add(drop, cjk_dropped[i]);
  hb_face_t *sub = hb_set_allocation_successful(chars) &&
                           hb_set_allocation_successful(features) &&
                           hb_set_allocation_successful(drop)
                       ? hb_subset_or_fail(font_hb_face(u->face), in)
                       : NULL;
  hb_subset_input_destroy(in);
  if (!sub)
    return NULL;
  hb_blob_t *blob = hb_face_reference_blob(sub);
  unsigned n = 0;
  const char *data = hb_blob_get_data(blob, &n);
  char *copy = NULL;
  if (data && n >= 12) { /* at least an sfnt header */
    if (!(copy = malloc(n)))
      abort();
    memcpy(copy, data, n);
    *len = n;
  }
  hb_blob_destroy(blob);
  hb_face_destroy(sub);
  return copy;
}

static int href_taken(const epub_fonts *ef, const char *href) {
  for (size_t i = 0; i < ef->n_out; i++)
    if (strcmp(ef->out[i]->href, href) == 0)
      return 1;
  return 0;
}

/* fonts/NAME.otf for PostScript outlines, fonts/NAME.ttf for TrueType;
 * NAME the face's PostScript name, else its file's. */
static void name_file(epub_fonts *ef, used_face *u) {
  int cff = memcmp(u->data, "OTTO", 4) == 0;
  const char *ext = cff ? "otf" : "ttf";
  u->media_type = cff ? "font/otf" : "font/ttf";
  buf base = {0}, href = {0};
  face_name(u->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, "-_", &base);
  if (!base.len) {
    const char *file = font_name(u->face);
    for (const char *p = file; *p && *p != '.'; p++)
      if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
          (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
        buf_putc(&base, *p);
    if (!base.len)
      buf_puts(&base, "font");
    if (font_index(u->face))
      buf_printf(&base, "-%u", font_index(u->face));
  }
  buf_printf(&href, "fonts/%s.%s", base.data, ext);
  for (int k = 2; href_taken(ef, href.data); k++) {
    href.len = 0;
    buf_printf(&href, "fonts/%s-%d.%s", base.data, k, ext);
  }
  buf_free(&base);
  u->href = buf_detach(&href, NULL);
}

/* The face a reading system takes from family c for text in shape, by
 * CSS font matching over the faces the stylesheet declares: the slant
 * asked for, else the other; within it the weight asked for, else the
 * other (the nearest, with only 400 and 700).  -1 when it declares none. */
static int css_match(const css_family *c, font_shape shape) {
  int italic = shape & FONT_ITALIC ? 2 : 0, bold = shape & FONT_BOLD ? 1 : 0;
  for (int s = 0; s < 2; s++)
    for (int w = 0; w < 2; w++) {
      int rule = c->rule[(italic ^ 2 * s) | (bold ^ w)];
      if (rule >= 0)
        return rule;
    }
  return -1;
}

/* Cuts each face's characters down to those a reading system will draw
 * with it: the first face of a role's list that has one takes it, and in a
 * book of Chinese and English chapters the English quotes come before the
 * Chinese ones in the body's list.  A face left with nothing is dropped
 * with its rules, which may change what a reading system matches in its
 * family, so again until none is dropped. */
static void prune(epub_fonts *ef) {
  hb_set_t **drawn = calloc(ef->n_faces + 1, sizeof *drawn);
  if (!drawn)
    abort();
  for (size_t i = 0; i < ef->n_faces; i++)
    drawn[i] = new_set();
  for (int again = 1; again;) {
    for (size_t i = 0; i < ef->n_faces; i++)
      hb_set_clear(drawn[i]);
    for (int role = 0; role < DOC_ROLE_COUNT; role++)
      for (int shape = 0; shape < 4; shape++)
        for (int cjk = 0; cjk < 2; cjk++) {
          const hb_set_t *placed = ef->placed[role][shape][cjk];
          hb_codepoint_t cp = HB_SET_VALUE_INVALID;
          while (placed && hb_set_next(placed, &cp))
            for (int k = 0; k < MAX_LIST; k++) {
              int id = ef->reached[role][k];
              int face =
                  id < 0 ? -1 : css_match(&ef->families[id], (font_shape)shape);
              if (face >= 0 && hb_set_has(ef->faces[face].chars, cp)) {
                hb_set_add(drawn[face], cp);
                break;
              }
            }
        }
    again = 0;
    for (size_t i = 0; i < ef->n_faces; i++) {
      hb_set_t *was = ef->faces[i].chars;
      ef->faces[i].chars = drawn[i];
      drawn[i] = was;
      if (!hb_set_is_empty(was) && hb_set_is_empty(ef->faces[i].chars)) {
        again = 1;
        for (size_t f = 0; f < ef->n_families; f++)
          for (int r = 0; r < 4; r++)
            if (ef->families[f].rule[r] == (int)i)
              ef->families[f].rule[r] = -1;
      }
    }
  }
  for (size_t i = 0; i < ef->n_faces; i++)
    hb_set_destroy(drawn[i]);
  free(drawn);
}

void epub_fonts_finish(epub_fonts *ef) {
  prune(ef);
  ef->out = calloc(ef->n_faces + 1, sizeof *ef->out);
  if (!ef->out)
    abort();
  for (size_t i = 0; i < ef->n_faces; i++) {
    used_face *u = &ef->faces[i];
    if (hb_set_is_empty(u->chars))
      continue;
    if (!(u->data = subset_face(u, &u->len))) {
      diag(DIAG_WARNING, font_path(u->face), 0, 0,
           "cannot cut the font down for the EPUB (hb-subset failed); it "
           "is left out and the reading system's fonts stand in for it");
      continue;
    }
    name_file(ef, u);
    ef->out[ef->n_out++] = u;
  }
  /* the rules of the faces carried, family by family */
  for (size_t i = 0; i < ef->n_families; i++) {
    css_family *c = &ef->families[i];
    for (int r = 0; r < 4; r++) {
      if (c->rule[r] < 0 || !ef->faces[c->rule[r]].data) {
        c->rule[r] = -1;
        continue;
      }
      const used_face *u = &ef->faces[c->rule[r]];
      buf_printf(
          &ef->css_faces,
          "@font-face { font-family: \"%s\"; font-weight: %d; "
          "font-style: %s; src: url(\"%s\") format(\"%s\"); }\n",
          c->name, r & 1 ? 700 : 400, r & 2 ? "italic" : "normal", u->href,
          strcmp(u->media_type, "font/otf") == 0 ? "opentype" : "truetype");
    }
  }
  /* each role's families, in the order of its list */
  for (int role = 0; role < DOC_ROLE_COUNT; role++) {
    int listed[MAX_LIST], n = 0;
    for (int k = 0; k < MAX_LIST; k++) {
      int id = ef->reached[role][k], dup = 0;
      for (int j = 0; j < n; j++)
        dup |= listed[j] == id;
      const css_family *c = id >= 0 ? &ef->families[id] : NULL;
      if (!c || dup ||
          (c->rule[0] < 0 && c->rule[1] < 0 && c->rule[2] < 0 &&
           c->rule[3] < 0))
        continue;
      listed[n++] = id;
      buf_printf(&ef->css_list[role], "\"%s\", ", c->name);
    }
  }
}

size_t epub_fonts_count(const epub_fonts *ef) { return ef->n_out; }

const char *epub_fonts_href(const epub_fonts *ef, size_t i) {
  return ef->out[i]->href;
}

const char *epub_fonts_media_type(const epub_fonts *ef, size_t i) {
  return ef->out[i]->media_type;
}

char *epub_fonts_take(epub_fonts *ef, size_t i, size_t *len) {
  char *data = ef->out[i]->data;
  *len = ef->out[i]->len;
  ef->out[i]->data = NULL;
  return data;
}

void epub_fonts_css(epub_fonts *ef, css_fonts *out) {
  out->faces = ef->css_faces.data;
  for (int role = 0; role < DOC_ROLE_COUNT; role++)
    out->family[role] = ef->css_list[role].data;
}

void epub_fonts_free(epub_fonts *ef) {
  if (!ef)
    return;
  walk_free(&ef->w);
  for (size_t i = 0; i < ef->n_faces; i++) {
    hb_set_destroy(ef->faces[i].chars);
    free(ef->faces[i].href);
    free(ef->faces[i].data);
  }
  for (size_t i = 0; i < ef->n_families; i++)
    free(ef->families[i].name);
  for (int role = 0; role < DOC_ROLE_COUNT; role++) {
    for (int s = 0; s < 4; s++)
      for (int c = 0; c < 2; c++)
        hb_set_destroy(ef->placed[role][s][c]);
    buf_free(&ef->css_list[role]);
  }
  buf_free(&ef->css_faces);
  free(ef->faces);
  free(ef->families);
  free(ef->seen_families);
  free(ef->out);
  free(ef);
}

/* epub_fonts.c - the fonts an EPUB carries: the module
 * galley-epub-fonts.so (epub_fonts.h).
 *
 * The EPUB writer hands over the text as xhtml.c writes it (epub_text.h),
 * each piece with the role whose font list the stylesheet gives it (css.c)
 * and the weight and slant it is set in.  Each character takes the face
 * font_pick gives it, as in the PDF (the role's families, the style's face
 * for Latin in CJK documents, the fallbacks); each face used is then cut
 * down with hb-subset to exactly the characters drawn with it.
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
#include "build_id.h"
#include "epub_fonts.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "epub_text.h"
#include "font.h"
#include "oom.h"
#include "utf8.h"
#include "vec.h"

_Static_assert((int)EPUB_TEXT_BOLD == (int)FONT_BOLD &&
                   (int)EPUB_TEXT_ITALIC == (int)FONT_ITALIC,
               "epub_text.h's shapes are font.h's");

/* ---- the process's fonts: loaded once, resolved once per style ---- */

static font_set *fonts;
static int fonts_tried;
static const style *stacks_of; /* the style stacks were resolved for */
static font_stacks stacks;      /* its fonts, as the PDF's layout has them */
static font_rules rules;        /* stacks.rules less Kai for emphasis */

static void forget_style(const style *st) {
  if (stacks_of == st)
    stacks_of = NULL;
}

static void fonts_cleanup(void) {
  font_set_free(fonts);
  fonts = NULL;
  fonts_tried = 0;
  stacks_of = NULL;
}

/* The style's stacks, as the PDF's layout resolves them.  0, or -1 after
 * reporting. */
static int resolve_stacks(const style *st) {
  if (!fonts_tried) {
    fonts_tried = 1;
    fonts = font_set_load();
  }
  if (!fonts)
    return -1;
  if (stacks_of == st)
    return 0;
  stacks_of = NULL;
  if (font_stacks_resolve(fonts, st, &stacks) != 0)
    return -1;
  rules = stacks.rules;
  rules.cjk_emphasis = NULL; /* not carried over: see the top */
  stacks_of = st;
  return 0;
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
    out_of_memory();
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

static void place(epub_fonts *ef, doc_role role, font_shape shape, int cjk,
                  uint32_t cp) {
  hb_set_t **placed = &ef->placed[role][shape][cjk];
  if (!*placed)
    *placed = new_set();
  if (hb_set_has(*placed, cp))
    return;
  hb_set_add(*placed, cp);
  const font_stack *stack = &stacks.role[role];
  int fake;
  font_face *f = font_pick(fonts, stack, &rules, shape, cjk, cp, &fake);
  if (!f)
    return; /* no face has it: the reading system's fonts may */
  /* the first family whose face for shape it is, in the order font_pick
   * reads them: the role's, the face for Latin, the fallbacks */
  const font_family *list[MAX_LIST];
  const font_stack *from[3] = {stack, &stacks.cjk_latin, &fonts->fallback};
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

static void fonts_text(epub_fonts *ef, doc_role role, int shape, int cjk,
                       const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  while (len) {
    uint32_t cp = utf8_next(&p, &len);
    if (cp == '\n' || cp == '\t' || cp == '\r')
      cp = ' '; /* white space shows as a space */
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
      continue;
    place(ef, role, (font_shape)(shape & FONT_BOLD_ITALIC), cjk != 0, cp);
  }
}

static epub_fonts *fonts_new(const style *st) {
  if (resolve_stacks(st) != 0)
    return NULL;
  epub_fonts *ef = calloc(1, sizeof *ef);
  if (!ef)
    out_of_memory();
  memset(ef->reached, -1, sizeof ef->reached);
  return ef;
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
      out_of_memory();
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
    out_of_memory();
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

static void fonts_finish(epub_fonts *ef) {
  prune(ef);
  ef->out = calloc(ef->n_faces + 1, sizeof *ef->out);
  if (!ef->out)
    out_of_memory();
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

static size_t fonts_count(const epub_fonts *ef) { return ef->n_out; }

static const char *fonts_href(const epub_fonts *ef, size_t i) {
  return ef->out[i]->href;
}

static const char *fonts_media_type(const epub_fonts *ef, size_t i) {
  return ef->out[i]->media_type;
}

static char *fonts_take(epub_fonts *ef, size_t i, size_t *len) {
  char *data = ef->out[i]->data;
  *len = ef->out[i]->len;
  ef->out[i]->data = NULL;
  return data;
}

static void fonts_css(epub_fonts *ef, css_fonts *out) {
  out->faces = ef->css_faces.data;
  for (int role = 0; role < DOC_ROLE_COUNT; role++)
    out->family[role] = ef->css_list[role].data;
}

static void fonts_free(epub_fonts *ef) {
  if (!ef)
    return;
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

/* The module's one symbol (epub_fonts.h). */
__attribute__((visibility("default")))
const epub_fonts_module galley_epub_fonts = {
    EPUB_FONTS_ABI, GALLEY_BUILD_ID,  module_core_bind, fonts_new,
    fonts_text,     fonts_finish,     fonts_count,      fonts_href,
    fonts_media_type, fonts_take,     fonts_css,        fonts_free,
    forget_style,   fonts_cleanup};

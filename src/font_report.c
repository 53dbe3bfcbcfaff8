/* font_report.c - the text of `galley --list-fonts`: for each role, the
 * fonts its list names, what each was found as (file, face, outlines), and,
 * given documents, how many of the characters set in that role its fonts
 * lack, so that a fallback face is never a surprise. */
#include "font_report.h"

#include <hb.h>
#include <string.h>

#include "epub_text.h"
#include "utf8.h"

/* The characters set in each role, as sets of code points. */
typedef struct {
  hb_set_t *used[DOC_ROLE_COUNT];
} role_chars;

static void add_text(void *ctx, doc_role role, int shape, int cjk,
                     const char *text, size_t len) {
  (void)shape;
  (void)cjk;
  hb_set_t *set = ((role_chars *)ctx)->used[role];
  const unsigned char *s = (const unsigned char *)text;
  while (len) {
    uint32_t cp = utf8_next(&s, &len);
    if (cp > 0x20 && cp != 0x7F)
      hb_set_add(set, cp);
  }
}

/* Each document's text by role, walked as the EPUB shows it (the PDF sets
 * the same roles): title block, blocks, signature and notes. */
static void collect(const style *st, doc *const *docs, size_t n,
                    role_chars *rc) {
  for (int r = 0; r < DOC_ROLE_COUNT; r++)
    rc->used[r] = hb_set_create();
  epub_text w = {.st = st, .text = add_text, .ctx = rc};
  for (size_t i = 0; i < n; i++)
    epub_text_chapter(&w, docs[i], docs[i]->root->first_child, NULL, 1);
  epub_text_free(&w);
}

static const char *outlines_name(const font_face *f) {
  switch (font_outlines_of(f)) {
  case FONT_CFF:
    return "CFF";
  case FONT_CFF_CID:
    return "CFF (CID-keyed)";
  default:
    return "TrueType";
  }
}

/* name, padded to width columns of a terminal (CJK characters take two). */
static void put_padded(buf *out, const char *name, int width) {
  const unsigned char *s = (const unsigned char *)name;
  size_t len = strlen(name);
  int cols = 0;
  while (len) {
    uint32_t cp = utf8_next(&s, &len);
    cols += font_is_cjk_char(cp) ? 2 : 1;
  }
  buf_puts(out, name);
  for (; cols < width; cols++)
    buf_putc(out, ' ');
  buf_putc(out, ' ');
}

/* One line per name of the list: what it was found as. */
static void list_names(const font_set *fs, const style_fonts *names,
                       const char *label, buf *out) {
  static const char *const shape_names[4] = {"regular", "bold", "italic",
                                             "bold italic"};
  for (int i = 0; i < names->n; i++) {
    const font_family *fam = font_set_family(fs, names->name[i]);
    buf_printf(out, "%-13s ", i == 0 ? label : "");
    put_padded(out, names->name[i], 24);
    const font_face *f = fam ? font_family_shape(fam, FONT_REGULAR) : NULL;
    if (!f) {
      buf_puts(out, "not found\n");
      continue;
    }
    buf_printf(out, "%-16s %s", outlines_name(f), font_path(f));
    if (font_index(f))
      buf_printf(out, "#%u", font_index(f));
    const char *sep = " (with ";
    for (int s = 1; s < 4; s++)
      if (font_family_shape(fam, (font_shape)s)) {
        buf_printf(out, "%s%s", sep, shape_names[s]);
        sep = ", ";
      }
    buf_puts(out, sep[0] == ',' ? ")\n" : "\n");
  }
}

/* Whether the stack (or, for CJK documents, the CJK Latin face) has cp. */
static int stack_covers(const font_stack *stack, const font_stack *latin,
                        uint32_t cp) {
  for (int k = 0; k < 2; k++) {
    const font_stack *st = k ? latin : stack;
    for (int i = 0; st && i < st->n; i++) {
      int fake;
      font_face *f = font_family_face(st->fam[i], FONT_REGULAR, &fake);
      if (f && font_covers(f, cp))
        return 1;
    }
  }
  return 0;
}

static void report_coverage(const font_set *fs, const font_stack *stack,
                            const font_stack *latin, hb_set_t *used,
                            buf *out) {
  unsigned total = hb_set_get_population(used), missing = 0, nowhere = 0;
  buf list = {0};
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(used, &cp)) {
    if (stack_covers(stack, latin, cp))
      continue;
    nowhere += !stack_covers(&fs->fallback, NULL, cp);
    if (missing++ < 8) {
      buf_printf(&list, "%sU+%04X ", missing > 1 ? ", " : "", (unsigned)cp);
      if (cp < 0x80 || cp > 0x9F) /* no C1 controls on a terminal */
        utf8_encode(&list, cp);
    }
  }
  buf_printf(out, "%-13s %u characters used here", "", total);
  if (!missing)
    buf_puts(out, ", all in these fonts\n");
  else
    buf_printf(out, ", %u not in these fonts (%s%s): %u from the fallback "
                    "fonts, %u in no font (drawn as U+FFFD)\n",
               missing, list.data, missing > 8 ? ", ..." : "",
               missing - nowhere, nowhere);
  buf_free(&list);
}

void font_report(const font_set *fs, const style *st, const font_stacks *lf,
                 doc *const *docs, size_t n, buf *out) {
  role_chars rc = {{0}};
  if (n)
    collect(st, docs, n, &rc);
  buf_printf(out, "fonts of style \"%s\" on this machine\n",
             st->name ? st->name : "");
  for (int r = 0; r < DOC_ROLE_COUNT; r++) {
    int used = n && !hb_set_is_empty(rc.used[r]);
    if (n && !used)
      continue; /* with documents, the roles they use */
    const style_fonts *names = style_role_fonts(st, (doc_role)r);
    list_names(fs, names, style_role_name(r), out);
    if (used)
      report_coverage(fs, &lf->role[r], lf->rules.cjk_latin, rc.used[r], out);
  }
  if (st->cjk_latin.n)
    list_names(fs, &st->cjk_latin, "cjk-latin", out);
  if (st->cjk_emphasis.n)
    list_names(fs, &st->cjk_emphasis, "cjk-emphasis", out);
  for (int i = 0; i < fs->fallback.n; i++) {
    const font_face *f =
        font_family_shape(fs->fallback.fam[i], FONT_REGULAR);
    buf_printf(out, "%-13s %-24s %-16s %s\n", i ? "" : "fallback",
               font_family_name(fs->fallback.fam[i]), outlines_name(f),
               font_path(f));
  }
  for (int r = 0; r < DOC_ROLE_COUNT; r++)
    hb_set_destroy(rc.used[r]);
}

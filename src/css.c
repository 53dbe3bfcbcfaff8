/* css.c - the resolved style -> the EPUB's stylesheet.  The body size is a
 * percentage of the reader's default: medium is 100%, small and large
 * scale by their ratio to medium, so --font-size means the same step in
 * the EPUB as in the PDF.  Everything else comes from the same values the
 * PDF layout reads: relative sizes, leading, spacing, indents, alignment,
 * weights and font lists.  Colours are the reader's (a night mode sets its
 * own): only a colour the style means, one with a hue such as a circular's
 * red, is written; rules and borders take the text's colour. */
#include "css.h"

#include <ctype.h>
#include <string.h>

/* Whether name holds word, ignoring case. */
static int has_word(const char *name, const char *word) {
  size_t n = strlen(word);
  for (const char *p = name; *p; p++) {
    size_t i = 0;
    while (i < n && p[i] && tolower((unsigned char)p[i]) == word[i])
      i++;
    if (i == n)
      return 1;
  }
  return 0;
}

/* The CSS generic family closing a font list, guessed from its first
 * name (the later ones are fallbacks for other scripts). */
static const char *generic_of(const style_fonts *f) {
  const char *n = f->n ? f->name[0] : "";
  if (has_word(n, "mono") || has_word(n, "courier"))
    return "monospace";
  if (has_word(n, "sans") || has_word(n, "hei") || has_word(n, "gothic"))
    return "sans-serif";
  return "serif";
}

/* Chinese families a reading system is likely to have (Android and Linux,
 * macOS and iOS, Windows), named after the style's own so that a reader
 * without them still finds a face for Chinese text of the right kind. */
static const char *const cjk_serif[] = {"Noto Serif CJK SC",
                                        "Source Han Serif SC", "Songti SC",
                                        "SimSun", NULL};
static const char *const cjk_sans[] = {"Noto Sans CJK SC", "Source Han Sans SC",
                                       "PingFang SC", "Microsoft YaHei", NULL};
static const char *const cjk_kai[] = {"Kaiti SC", "STKaiti", "KaiTi", NULL};

/* Appends "name", to the list that starts at from, unless it names that
 * family already.  A face named "Family:bold" is its family to CSS (the
 * role's weight picks the face). */
static void family_name(buf *out, size_t from, const char *n) {
  size_t len = strcspn(n, ":");
  buf q = {0};
  buf_putc(&q, '"');
  for (size_t i = 0; i < len; i++) /* a quote or backslash would end it */
    if (n[i] != '"' && n[i] != '\\' && (unsigned char)n[i] >= 0x20)
      buf_putc(&q, n[i]);
  buf_putc(&q, '"');
  if (!strcasestr(out->data ? out->data + from : "", q.data)) {
    buf_put(out, q.data, q.len);
    buf_puts(out, ", ");
  }
  buf_free(&q);
}

/* A font list as CSS: the fonts the book carries for role first, then
 * the style's family names quoted (font files, which a reading system
 * cannot know, left out), the likely Chinese families of its kind, and
 * the generic family. */
static void font_family(buf *out, const style *st, doc_role role,
                        const css_fonts *fonts) {
  const style_fonts *f = style_role_fonts(st, role);
  size_t from = out->len;
  if (fonts && fonts->family[role])
    buf_puts(out, fonts->family[role]);
  for (int i = 0; i < f->n; i++) {
    const char *n = f->name[i];
    size_t len = strlen(n);
    if (strchr(n, '/') || (len > 4 && n[len - 4] == '.'))
      continue;
    family_name(out, from, n);
  }
  const char *generic = generic_of(f);
  const char *first = f->n ? f->name[0] : "";
  const char *const *cjk = strcmp(generic, "serif") != 0 ? cjk_sans
                           : has_word(first, "kai") || strstr(first, "楷")
                               ? cjk_kai
                               : cjk_serif;
  for (; *cjk; cjk++)
    family_name(out, from, *cjk);
  buf_puts(out, generic);
}

static const char *align_css(style_align a) {
  switch (a) {
  case STYLE_ALIGN_JUSTIFY:
    return "justify";
  case STYLE_ALIGN_CENTER:
    return "center";
  case STYLE_ALIGN_END:
    return "right";
  default:
    return "left";
  }
}

/* Whether a colour is meant (the red of a masthead) rather than a shade of
 * ink that a reading system's own text colour should replace: its
 * channels differ by more than a tint of grey does. */
static int meant_colour(unsigned rgb) {
  unsigned r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
  unsigned hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
  unsigned lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
  return hi - lo >= 0x30;
}

/* Lengths in the role's own ems: CSS em on an element is its own size. */
static void role_rule(buf *out, const style *st, const css_fonts *fonts,
                      const char *selector, doc_role role) {
  const style_role *r = &st->role[role];
  double own = r->size > 0 ? r->size : 1;
  buf_printf(out, "%s {\n  font-family: ", selector);
  font_family(out, st, role, fonts);
  buf_printf(out,
             ";\n  font-size: %.3gem;\n"
             "  line-height: %.3g;\n  margin: %.3gem 0 %.3gem 0;\n"
             "  text-indent: %.3gem;\n  text-align: %s;\n"
             "  font-weight: %s;\n  font-style: %s;\n",
             r->size, r->leading, r->space_before / own, r->space_after / own,
             r->indent / own, align_css(r->align), r->bold ? "bold" : "normal",
             r->italic ? "italic" : "normal");
  if (meant_colour(r->color))
    buf_printf(out, "  color: #%06X;\n", r->color & 0xFFFFFF);
  if (r->keep_with_next)
    buf_puts(out, "  page-break-after: avoid;\n  break-after: avoid;\n");
  if (r->page_break_before)
    buf_puts(out, "  page-break-before: always;\n  break-before: page;\n");
  buf_puts(out, "}\n");
}

/* A circular's other elements (GB/T 9704-2012): 份号, 密级, 紧急程度 flush
 * left; an upward document's number left and signers right on one line;
 * 附件说明 two characters in, later items and wrapped lines under the
 * first name; the 版记 between rules, the first and last thicker, in the
 * text's own colour. */
static void circular_rules(buf *out, const style *st, const css_fonts *fonts) {
  role_rule(out, st, fonts, "header.title-block p.copy-number",
            DOC_ROLE_NUMBER);
  role_rule(out, st, fonts,
            "header.title-block p.secrecy, header.title-block p.urgency",
            DOC_ROLE_CLASSIFICATION);
  role_rule(out, st, fonts, "header.title-block div.signed p",
            DOC_ROLE_NUMBER);
  role_rule(out, st, fonts, "p.cc, p.printed", DOC_ROLE_COLOPHON);
  role_rule(out, st, fonts, "div.attendance span.lead",
            DOC_ROLE_CLASSIFICATION);
  buf_puts(out,
           "header.title-block p.copy-number, header.title-block p.secrecy, "
           "header.title-block p.urgency { text-align: left; text-indent: 0; "
           "margin: 0; }\n"
           "div.signed { display: flex; flex-direction: row-reverse; "
           "flex-wrap: wrap; justify-content: space-between; "
           "align-items: flex-end; margin: 2em 1em 0 1em; }\n"
           "header.title-block div.signed p { margin: 0; text-indent: 0; "
           "text-align: left; }\n"
           "span.signer { font-style: italic; }\n"
           "div.attachments { margin: 1.8em 0 0 2em; }\n"
           "div.attachments p { margin: 0; padding-left: 4.5em; "
           "text-indent: -1.5em; }\n"
           "div.attachments p.first { text-indent: -4.5em; }\n"
           "div.attachments p.single { padding-left: 3em; "
           "text-indent: -3em; }\n"
           "div.attachments span.lead { display: inline-block; "
           "width: 3em; text-indent: 0; }\n"
           "div.attachments span.seq { display: inline-block; "
           "width: 1.5em; text-indent: 0; }\n"
           "div.attendance { margin: 1.8em 0 0 2em; }\n"
           "div.attendance p { margin: 0; padding-left: 3em; "
           "text-indent: -3em; }\n"
           "footer.colophon { margin-top: 3em; border-top: 0.35mm solid; "
           "border-bottom: 0.35mm solid; }\n"
           "footer.colophon p { margin: 0; padding: 0.2em 1em; "
           "text-indent: 0; }\n"
           "footer.colophon p.cc { padding-left: 4em; text-indent: -3em; }\n"
           "footer.colophon p.cc + p.printed { border-top: 0.25mm solid; }\n"
           "p.printed { display: flex; justify-content: space-between; }\n");
  if (st->masthead == STYLE_MASTHEAD_LETTER) /* 信函格式 (10.1) */
    buf_puts(out, "hr.masthead { border-top-style: double; "
                  "border-top-width: 4px; margin: 0.3em -5% 0.5em -5%; }\n"
                  "header.title-block p.number { text-align: right; "
                  "margin: 0; }\n"
                  "header.title-block p.copy-number + p.number { "
                  "margin-top: 0; }\n"
                  "header.title-block p.urgency, header.title-block "
                  "p.secrecy, header.title-block p.copy-number "
                  "{ margin: 0; }\n"
                  "footer.colophon { border: none; }\n");
}

void css_write(const style *st, style_size size, buf *out) {
  css_write_fonts(st, size, NULL, out);
}

void css_write_fonts(const style *st, style_size size, const css_fonts *fonts,
                     buf *out) {
  double scale = st->body_pt[size] / st->body_pt[STYLE_MEDIUM] * 100;
  const style_role *r = st->role;
  /* the name comes from a style file: nothing in it may close the comment */
  buf_puts(out, "/* galley style \"");
  for (const char *p = st->name; *p; p++)
    if ((unsigned char)*p >= 0x20 && *p != '*' && *p != '/' && *p != '"')
      buf_putc(out, *p);
  buf_printf(out, "\", %s type */\n", style_size_name(size));
  if (fonts && fonts->faces)
    buf_puts(out, fonts->faces);
  /* the print page, for reading systems (and printers) that use it */
  buf_printf(out,
             "@page { size: %.1fpt %.1fpt; margin: %.1fpt %.1fpt %.1fpt "
             "%.1fpt; }\n",
             st->page_width, st->page_height, st->margin_top,
             st->margin_right, st->margin_bottom, st->margin_left);
  buf_printf(out, "html { font-size: %.4g%%; }\nbody { margin: 0 2%%; "
                  "font-family: ",
             scale);
  font_family(out, st, DOC_ROLE_BODY, fonts);
  buf_puts(out, "; }\n");
  role_rule(out, st, fonts, "p", DOC_ROLE_BODY);
  buf_printf(out,
             "p:lang(zh), p:lang(ja) { text-indent: %.3gem; margin-bottom: "
             "0; }\n",
             st->cjk_indent);
  /* Chinese and Japanese as print sets them: no line starts with a small
   * kana or a closing mark (strict), and an opening bracket at a line's
   * start loses its blank half (CSS Text 4, under its later name and its
   * earlier one; a reading system without them ignores them) */
  buf_puts(out, ":lang(zh), :lang(ja) { line-break: strict; "
                "-epub-line-break: strict; text-spacing-trim: trim-start; "
                "text-spacing: trim-start; }\n");
  /* a circular's addressees (主送机关) stand flush left */
  buf_puts(out, "p.addressee, p.addressee:lang(zh), p.addressee:lang(ja) "
                "{ text-indent: 0; }\n");
  role_rule(out, st, fonts, "header.title-block p.category", DOC_ROLE_CATEGORY);
  role_rule(out, st, fonts, "header.title-block h1.title", DOC_ROLE_TITLE);
  role_rule(out, st, fonts, "header.title-block p.subtitle", DOC_ROLE_SUBTITLE);
  role_rule(out, st, fonts, "header.title-block p.meta", DOC_ROLE_META);
  role_rule(out, st, fonts, "header.title-block p.authority",
            DOC_ROLE_AUTHORITY);
  role_rule(out, st, fonts, "header.title-block p.number", DOC_ROLE_NUMBER);
  buf_puts(out, "hr.masthead { border: none; border-top: 2px solid ");
  if (meant_colour(r[DOC_ROLE_AUTHORITY].color)) /* the red rule */
    buf_printf(out, "#%06X", r[DOC_ROLE_AUTHORITY].color & 0xFFFFFF);
  else
    buf_puts(out, "currentColor");
  buf_puts(out, "; margin: 0.3em 0 2em 0; }\n");
  for (int i = 0; i < 6; i++) {
    char sel[8] = {'h', (char)('1' + i), '\0'};
    role_rule(out, st, fonts, sel, (doc_role)(DOC_ROLE_H1 + i));
  }
  role_rule(out, st, fonts, "blockquote p", DOC_ROLE_QUOTE);
  buf_puts(out, "blockquote { margin: 0 0 0 1.5em; padding-left: 0.8em; "
                "border-left: 0.12em solid currentColor; }\n");
  role_rule(out, st, fonts, "pre", DOC_ROLE_CODE);
  buf_puts(out, "pre { white-space: pre-wrap; text-indent: 0; "
                "border: 1px dashed currentColor; padding: 0.5em; }\n"
                "code { font-family: ");
  font_family(out, st, DOC_ROLE_CODE, fonts);
  buf_puts(out, "; font-size: 0.9em; }\npre code { font-size: 1em; }\n");
  role_rule(out, st, fonts, "li", DOC_ROLE_LIST);
  buf_puts(out, "ul, ol { margin: 0 0 0.8em 0; padding-left: 2em; }\n"
                "li p { text-indent: 0; }\n");
  role_rule(out, st, fonts, "figcaption", DOC_ROLE_CAPTION);
  /* tables: ruled and padded; a wide one scrolls inside its box instead
   * of running past the page */
  role_rule(out, st, fonts, "td, td p", DOC_ROLE_TABLE);
  role_rule(out, st, fonts, "th, th p", DOC_ROLE_TABLE_HEAD);
  buf_puts(out,
           "div.table { overflow-x: auto; margin: 1em 0; }\n"
           "table { border-collapse: collapse; margin: 0 auto; }\n"
           "th, td { border: 1px solid currentColor; padding: 0.25em 0.5em; "
           "text-indent: 0; vertical-align: top; }\n"
           "th { border-bottom-width: 2px; }\n"
           "th.left, td.left { text-align: left; }\n"
           "th.center, td.center { text-align: center; }\n"
           "th.right, td.right { text-align: right; }\n");
  /* notes: the number raised, the note's own text in the note role */
  role_rule(out, st, fonts, "aside.footnote p", DOC_ROLE_NOTE);
  buf_puts(out,
           "a.noteref { text-decoration: none; }\n"
           "a.noteref sup { font-size: 0.75em; line-height: 0; }\n"
           "section.footnotes { margin-top: 2em; border-top: 1px solid "
           "currentColor; }\n"
           "aside.footnote { margin: 0.5em 0; }\n"
           "aside.footnote p.note-label { float: left; margin: 0 0.5em 0 0; "
           "text-indent: 0; }\n"
           "li.task { list-style-type: none; }\n"
           "span.task-mark { margin-left: -1.2em; }\n");
  if (st->head == STYLE_HEAD_CIRCULAR)
    circular_rules(out, st, fonts);
  /* the signature: the issuer centred over the date, four characters in
   * from the right */
  role_rule(out, st, fonts, "div.signature p", DOC_ROLE_SIGNATURE);
  buf_printf(out,
             "div.signature { display: table; margin: %.3gem 4em 0 auto; }\n"
             "div.signature p { text-indent: 0; text-align: center; "
             "margin: 0; }\n",
             r[DOC_ROLE_SIGNATURE].space_before);
  buf_puts(out, "figure { margin: 1em 0; text-align: center; }\n"
                "img { max-width: 100%; height: auto; }\n"
                /* the cover page: the image whole on one screen */
                "section.cover { margin: 0; padding: 0; text-align: center; }\n"
                "section.cover img { max-height: 95vh; }\n"
                "hr { border: none; border-top: 1px solid currentColor; "
                "margin: 1.5em 20%; }\n"
                "span.missing-image { font-style: italic; }\n");
}

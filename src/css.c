/* css.c - style -> CSS.  The body size is a percentage of the reader's
 * default: medium is 100%, small and large scale by their ratio to medium,
 * so --font-size means the same step in the EPUB as in the PDF. */
#include "css.h"

static const char *family_css(style_family f) {
  switch (f) {
  case STYLE_SANS:
    return "\"Noto Sans\", \"DejaVu Sans\", \"Noto Sans CJK SC\", "
           "\"Source Han Sans SC\", \"Microsoft YaHei\", sans-serif";
  case STYLE_MONO:
    return "\"DejaVu Sans Mono\", \"Noto Sans Mono\", monospace";
  default:
    return "\"Noto Serif\", \"DejaVu Serif\", \"Noto Serif CJK SC\", "
           "\"Source Han Serif SC\", \"SimSun\", serif";
  }
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

/* Lengths in the role's own ems: CSS em on an element is its own size. */
static void role_rule(buf *out, const char *selector, const style_role *r) {
  double own = r->size > 0 ? r->size : 1;
  buf_printf(out,
             "%s {\n  font-family: %s;\n  font-size: %.3gem;\n"
             "  line-height: %.3g;\n  margin: %.3gem 0 %.3gem 0;\n"
             "  text-indent: %.3gem;\n  text-align: %s;\n  color: #%06X;\n"
             "  font-weight: %s;\n  font-style: %s;\n",
             selector, family_css(r->family), r->size, r->leading,
             r->space_before / own, r->space_after / own, r->indent / own,
             align_css(r->align), r->color & 0xFFFFFF,
             r->bold ? "bold" : "normal", r->italic ? "italic" : "normal");
  if (r->keep_with_next)
    buf_puts(out, "  page-break-after: avoid;\n  break-after: avoid;\n");
  buf_puts(out, "}\n");
}

void css_write(const style *st, style_size size, buf *out) {
  double scale = st->body_pt[size] / st->body_pt[STYLE_MEDIUM] * 100;
  const style_role *r = st->role;
  buf_printf(out, "/* galley style \"%s\", %s type */\n", st->name,
             style_size_name(size));
  buf_printf(out,
             "html { font-size: %.4g%%; }\n"
             "body { margin: 0 2%%; font-family: %s; color: #%06X; }\n",
             scale, family_css(r[DOC_ROLE_BODY].family),
             r[DOC_ROLE_BODY].color & 0xFFFFFF);
  role_rule(out, "p", &r[DOC_ROLE_BODY]);
  buf_printf(out,
             "p:lang(zh), p:lang(ja) { text-indent: %.3gem; margin-bottom: "
             "0; }\n",
             st->cjk_indent);
  role_rule(out, "header.title-block p.category", &r[DOC_ROLE_CATEGORY]);
  role_rule(out, "header.title-block h1.title", &r[DOC_ROLE_TITLE]);
  role_rule(out, "header.title-block p.subtitle", &r[DOC_ROLE_SUBTITLE]);
  role_rule(out, "header.title-block p.meta", &r[DOC_ROLE_META]);
  for (int i = 0; i < 6; i++) {
    char sel[8] = {'h', (char)('1' + i), '\0'};
    role_rule(out, sel, &r[DOC_ROLE_H1 + i]);
  }
  role_rule(out, "blockquote p", &r[DOC_ROLE_QUOTE]);
  buf_puts(out, "blockquote { margin: 0 0 0 1.5em; padding-left: 0.8em; "
                "border-left: 0.2em solid #CCCCCC; }\n");
  role_rule(out, "pre", &r[DOC_ROLE_CODE]);
  buf_puts(out, "pre { white-space: pre-wrap; text-indent: 0; "
                "background: #F5F5F5; padding: 0.5em; }\n"
                "code { font-family: \"DejaVu Sans Mono\", monospace; "
                "font-size: 0.9em; }\npre code { font-size: 1em; }\n");
  role_rule(out, "li", &r[DOC_ROLE_LIST]);
  buf_puts(out, "ul, ol { margin: 0 0 0.8em 0; padding-left: 2em; }\n"
                "li p { text-indent: 0; }\n");
  role_rule(out, "figcaption", &r[DOC_ROLE_CAPTION]);
  buf_puts(out, "figure { margin: 1em 0; text-align: center; }\n"
                "img { max-width: 100%; height: auto; }\n"
                "hr { border: none; border-top: 1px solid #999999; "
                "margin: 1.5em 20%; }\n"
                "span.missing-image { font-style: italic; color: #666666; }\n");
}

/* style.c - built-in styles.
 *
 * Body sizes (article): small 10.5 pt, medium 12 pt, large 16 pt.  10.5 pt is
 * the Chinese 五号, the usual size of printed body text; 12 pt (小四) reads
 * comfortably for most adults; 16 pt meets large-print guidance (16-18 pt). */
#include "style.h"

#include <string.h>

static style article;
static int article_ready;

static style_role role(double size, double leading, double before, double after,
                       style_align align) {
  style_role r = {.size = size,
                  .leading = leading,
                  .space_before = before,
                  .space_after = after,
                  .align = align,
                  .color = 0x1A1A1A,
                  .family = STYLE_SERIF};
  return r;
}

static void build_article(style *s) {
  s->name = "article";
  s->page_width = 595.276; /* A4 */
  s->page_height = 841.890;
  s->margin_top = s->margin_bottom = 72;
  s->margin_left = s->margin_right = 64;
  s->body_pt[STYLE_SMALL] = 10.5;
  s->body_pt[STYLE_MEDIUM] = 12;
  s->body_pt[STYLE_LARGE] = 16;
  s->cjk_indent = 2;

  style_role *r = s->role;
  r[DOC_ROLE_BODY] = role(1, 1.6, 0, 0.8, STYLE_ALIGN_JUSTIFY);
  r[DOC_ROLE_CATEGORY] = role(0.85, 1.3, 0, 0.6, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_CATEGORY].color = 0x9B1C1C;
  r[DOC_ROLE_CATEGORY].bold = 1;
  r[DOC_ROLE_CATEGORY].family = STYLE_SANS;
  r[DOC_ROLE_TITLE] = role(1.75, 1.3, 0, 0.4, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_TITLE].bold = 1;
  r[DOC_ROLE_TITLE].keep_with_next = 1;
  r[DOC_ROLE_SUBTITLE] = role(1.2, 1.3, 0, 0.4, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_SUBTITLE].keep_with_next = 1;
  r[DOC_ROLE_META] = role(0.85, 1.4, 0, 1.6, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_META].color = 0x555555;
  r[DOC_ROLE_META].family = STYLE_SANS;
  static const double heading_size[6] = {1.5, 1.3, 1.15, 1.05, 1, 1};
  for (int i = 0; i < 6; i++) {
    style_role *h = &r[DOC_ROLE_H1 + i];
    *h = role(heading_size[i], 1.3, i < 2 ? 1.4 : 1.1, 0.5, STYLE_ALIGN_START);
    h->bold = 1;
    h->italic = i == 5;
    h->keep_with_next = 1;
    h->family = STYLE_SANS;
  }
  r[DOC_ROLE_QUOTE] = role(0.95, 1.55, 0, 0.8, STYLE_ALIGN_JUSTIFY);
  r[DOC_ROLE_QUOTE].indent = 0;
  r[DOC_ROLE_QUOTE].color = 0x333333;
  r[DOC_ROLE_CODE] = role(0.85, 1.4, 0, 0.8, STYLE_ALIGN_START);
  r[DOC_ROLE_CODE].family = STYLE_MONO;
  r[DOC_ROLE_LIST] = role(1, 1.6, 0, 0.3, STYLE_ALIGN_START);
  r[DOC_ROLE_CAPTION] = role(0.85, 1.4, 0.3, 1, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_CAPTION].color = 0x444444;
  r[DOC_ROLE_CAPTION].family = STYLE_SANS;
  r[DOC_ROLE_HEADER] = role(0.75, 1.2, 0, 0, STYLE_ALIGN_CENTER);
  r[DOC_ROLE_HEADER].color = 0x666666;
  r[DOC_ROLE_HEADER].family = STYLE_SANS;
  r[DOC_ROLE_FOOTER] = r[DOC_ROLE_HEADER];
}

const style *style_article(void) {
  if (!article_ready) {
    build_article(&article);
    article_ready = 1;
  }
  return &article;
}

static const char *const size_names[STYLE_SIZE_COUNT] = {"small", "medium",
                                                         "large"};

int style_size_parse(const char *name) {
  for (int i = 0; i < STYLE_SIZE_COUNT; i++)
    if (strcmp(name, size_names[i]) == 0)
      return i;
  return -1;
}

const char *style_size_name(style_size size) { return size_names[size]; }

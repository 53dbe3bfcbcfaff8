/* Tests of figures floating to the next page's top, on the layout itself:
 * a figure after a lead-in that ends lower and lower on the first page. */
#include <math.h>
#include <stdlib.h>

#include "diag.h"
#include "font.h"
#include "layout.h"
#include "read_md.h"
#include "test.h"

static font_set *float_fonts(void) {
  static font_set *fs;
  if (!fs)
    fs = font_set_load();
  return fs;
}

static const font_stacks *float_stacks(void) {
  static font_stacks lf;
  static int done;
  if (!done && float_fonts() && unit_style("article"))
    done = font_stacks_resolve(float_fonts(), unit_style("article"), &lf) == 0;
  return &lf;
}

static void quiet(const char *line) { (void)line; }

/* The document with `filler` one-line paragraphs before the lead-in, laid
 * out in st (the article's fonts). */
static layout *lay_figure_doc(int filler, const style *st) {
  buf b = {0};
  buf_puts(&b, "---\ntitle: Floats\nlang: en\n---\n\n");
  for (int i = 0; i < filler; i++)
    buf_printf(&b, "Filler line %d.\n\n", i + 1);
  buf_puts(&b, "Leadin text.\n\n![A diagram](diagram.png \"Capline\")\n\n");
  for (int i = 0; i < 6; i++)
    buf_printf(&b, "After%d text.\n\n", i + 1);
  const char *root = getenv("GALLEY_ROOT");
  char images[4096];
  snprintf(images, sizeof images, "%s/samples/images", root ? root : ".");
  diag_set_sink(quiet);
  doc *d = read_markdown("t.md", images, b.data, b.len);
  diag_set_sink(NULL);
  buf_free(&b);
  if (!d || !float_fonts())
    return NULL;
  font_set_reset_usage(float_fonts());
  layout_options o = {st, STYLE_MEDIUM, float_fonts(), float_stacks(), NULL};
  layout *l = layout_run(&d, 1, &o);
  doc_free(d);
  return l;
}

/* The first text mark starting with prefix: its page, NULL when none. */
static const lay_text *find_text(const layout *l, const char *prefix,
                                 size_t *page) {
  for (size_t p = 0; p < l->n_pages; p++)
    for (size_t i = 0; i < l->pages[p].n_texts; i++)
      if (strncmp(l->pages[p].texts[i].text, prefix, strlen(prefix)) == 0) {
        *page = p;
        return &l->pages[p].texts[i];
      }
  return NULL;
}

static const lay_image *find_image(const layout *l, size_t *page) {
  for (size_t p = 0; p < l->n_pages; p++)
    if (l->pages[p].n_images) {
      *page = p;
      return &l->pages[p].images[0];
    }
  return NULL;
}

void test_floats_fill_the_page(void) {
  const style *article = unit_style("article");
  CHECK(article != NULL);
  if (!article)
    return;
  style kept = *article; /* the same, figures kept in place */
  kept.role[DOC_ROLE_CAPTION].keep_with_previous = 1;
  double block_top = article->page_height - article->margin_top;
  int floated = 0, in_place = 0, filled = 0, shapes = 1, tree = 1, kept_ok = 1;
  for (int filler = 0; filler <= 44; filler++) {
    for (int keep = 0; keep < 2; keep++) {
      layout *l = lay_figure_doc(filler, keep ? &kept : article);
      CHECK(l != NULL);
      if (!l)
        continue;
      size_t lp = 0, ip = 0, cp = 0, ap = 0;
      const lay_text *lead = find_text(l, "Leadin", &lp);
      const lay_image *im = find_image(l, &ip);
      const lay_text *cap = find_text(l, "Capline", &cp);
      const lay_text *after = find_text(l, "After1", &ap);
      if (!lead || !im || !cap || !after) {
        CHECK(!"the lead-in, image, caption and text after are laid out");
        layout_free(l);
        continue;
      }
      /* the caption just under its image, on its page */
      if (cp != ip || cap->y > im->y || im->y - cap->y > 30)
        shapes = 0;
      const lay_struct *fig = im->se >= 0 ? &l->structs[im->se] : NULL;
      if (ip == lp) { /* in place: under the lead-in, the text after it */
        if (im->y + im->h > lead->y || !(ap > ip || after->y < cap->y))
          shapes = 0;
        if (!keep)
          in_place++;
        if (fig && fig->floated)
          tree = 0;
      } else if (keep) { /* moved with all after it */
        if (ip != lp + 1 || ap != ip || after->y > cap->y)
          kept_ok = 0;
      } else {
        /* floated: atop the next page, the text after it filling the
         * lead-in's page (or, when not a line of it fits there, under
         * the figure) */
        if (ip != lp + 1 || fabs(im->y + im->h - block_top) > 0.01)
          shapes = 0;
        if (ap == lp)
          filled++, floated++;
        else if (ap != ip || after->y > cap->y)
          shapes = 0;
        else
          floated++;
        /* in the tree at its place in the text: the lead-in's page */
        if (!fig || !fig->floated || fig->float_from != lp)
          tree = 0;
      }
      layout_free(l);
    }
  }
  CHECK(shapes);
  CHECK(tree);
  CHECK(kept_ok);
  CHECK(floated > 0 && in_place > 0 && filled > 0);
}

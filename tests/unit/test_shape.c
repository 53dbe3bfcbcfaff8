/* test_shape.c - text shaped with HarfBuzz (src/shape.c) in the fonts the
 * built-in styles use: ligatures and kerning in body text, neither in
 * code, local forms by language, the half-width forms of full-width
 * punctuation, clusters, and the cache. */
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "shape.h"
#include "test.h"

static font_face *face_named(font_set *fs, const char *name) {
  style_fonts names = {{name}, 1, NULL, 0};
  font_stack stack;
  if (font_stack_resolve(fs, &names, &stack) != 0 || !stack.n)
    return NULL;
  int fake;
  return font_family_face(stack.fam[0], FONT_REGULAR, &fake);
}

static double nominal(font_face *f, const char *s) {
  double w = 0;
  for (; *s; s++)
    w += font_advance(f, (unsigned char)*s);
  return w;
}

void test_shape_ligatures_and_kerning(void) {
  font_set *fs = font_set_load();
  font_face *serif = fs ? face_named(fs, "Noto Serif") : NULL;
  CHECK(serif != NULL);
  if (!serif) {
    font_set_free(fs);
    return;
  }
  shape_how text = {"en", 0, 0}, code = {"en", 1, 0};
  /* "office": o, ffi as one glyph standing for three letters, c, e */
  const shape_run *r = shape(serif, "office", 6, &text);
  CHECK(r && r->n == 4);
  if (r && r->n == 4) {
    CHECK(r->g[1].start == 1 && r->g[1].len == 3);
    CHECK(r->g[0].len == 1 && r->g[2].start == 4 && r->g[3].len == 1);
  }
  r = shape(serif, "office", 6, &code);
  CHECK(r && r->n == 6);
  /* AV kerned closer than the two advances; not in code */
  double av = shape_width(serif, "AVAV", 4, &text, 1);
  CHECK(av < nominal(serif, "AVAV") - 0.05);
  CHECK(shape_width(serif, "AVAV", 4, &code, 1) == nominal(serif, "AVAV"));
  /* the same pairs apart: "AAVV" has one AV pair where "AVAV" has three */
  CHECK(shape_width(serif, "AAVV", 4, &text, 1) > av);
  /* the cache answers as shaping does, before and after it is emptied */
  double again = shape_width(serif, "AVAV", 4, &text, 1);
  shape_forget();
  CHECK(again == av && shape_width(serif, "AVAV", 4, &text, 1) == av);
  CHECK(shape(serif, "", 0, &text) == NULL);
  font_set_free(fs);
}

void test_shape_cjk_local_forms_and_halt(void) {
  font_set *fs = font_set_load();
  font_face *song = fs ? face_named(fs, "Noto Serif CJK SC") : NULL;
  if (!song) { /* AR PL UMing stands in where Noto CJK is missing */
    font_set_free(fs);
    return;
  }
  /* the comma's mainland form (in the left of its cell) for zh-CN, the
   * Taiwanese one (centred) for zh-TW: locl by language */
  shape_how cn = {"zh-CN", 0, 0}, tw = {"zh-TW", 0, 0};
  const char *comma = "\xEF\xBC\x8C"; /* ， */
  const shape_run *r = shape(song, comma, 3, &cn);
  uint32_t cn_gid = r && r->n == 1 ? r->g[0].gid : 0;
  r = shape(song, comma, 3, &tw);
  uint32_t tw_gid = r && r->n == 1 ? r->g[0].gid : 0;
  CHECK(cn_gid != 0 && tw_gid != 0 && cn_gid != tw_gid);
  CHECK(r && r->n == 1 && r->g[0].start == 0 && r->g[0].len == 3);
  /* 。and （ give up half of their em (halt); an ideograph nothing */
  CHECK(shape_halt_saving(song, "\xE3\x80\x82", 3, &cn) > 0.45 &&
        shape_halt_saving(song, "\xE3\x80\x82", 3, &cn) < 0.55);
  CHECK(shape_halt_saving(song, "\xEF\xBC\x88", 3, &cn) > 0.45);
  CHECK(shape_halt_saving(song, "\xE4\xB8\xAD", 3, &cn) < 0);
  font_set_free(fs);
}

/* test_ttf.c - TrueType subsets (src/ttf_subset.c) on a font built here:
 * closure over composite glyphs, renumbering, instructions dropped,
 * metrics, checksums, and malformed tables. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "font.h"
#include "pdf_font.h"
#include "resource.h"
#include "test.h"
#include "ttf_subset.h"

static unsigned u16(const char *p) {
  return (unsigned)(uint8_t)p[0] << 8 | (uint8_t)p[1];
}
static uint32_t u32(const char *p) { return (uint32_t)u16(p) << 16 | u16(p + 2); }
static void p16(buf *b, unsigned v) {
  buf_putc(b, (char)(v >> 8));
  buf_putc(b, (char)v);
}

/* A simple glyph: one contour of one point, with n_instr instruction
 * bytes, its point data marked by the byte mark. */
static void simple(buf *g, unsigned n_instr, char mark) {
  p16(g, 1);
  for (int i = 0; i < 4; i++)
    p16(g, 0);         /* bbox */
  p16(g, 0);           /* endPtsOfContours[0] */
  p16(g, n_instr);
  for (unsigned i = 0; i < n_instr; i++)
    buf_putc(g, 0x2B); /* instructions */
  buf_putc(g, 0x37);   /* flags: on curve, short x and y */
  buf_putc(g, mark);   /* x */
  buf_putc(g, mark);   /* y */
  if (g->len % 2)
    buf_putc(g, 0);
}

/* A composite of the given components; instructions after the last. */
static void composite(buf *g, const unsigned *parts, size_t n, int instr) {
  p16(g, 0xFFFF); /* -1 contours */
  for (int i = 0; i < 4; i++)
    p16(g, 0);
  for (size_t i = 0; i < n; i++) {
    unsigned flags = 0x0002 | (i + 1 < n ? 0x0020 : 0) | 0x0001 |
                     (i + 1 == n && instr ? 0x0100 : 0);
    p16(g, flags);
    p16(g, parts[i]);
    p16(g, 0), p16(g, 0); /* word args */
  }
  if (instr) {
    p16(g, 2);
    p16(g, 0x2B2B);
  }
}

typedef struct {
  buf head, hhea, maxp, hmtx, loca, glyf;
} test_font;

/* Glyphs: 0, 1, 4, 7 simple (with instructions); 2 empty; 3 = 1 + 4 with
 * instructions; 5 = 3; 6 = 6 + 99 (itself, and one the font lacks).  Four
 * long metrics, then left side bearings only. */
static void build(test_font *f) {
  memset(f, 0, sizeof *f);
  size_t at[9];
  static const unsigned c3[] = {1, 4}, c5[] = {3}, c6[] = {6, 99};
  for (unsigned g = 0; g < 8; g++) {
    at[g] = f->glyf.len;
    if (g == 3)
      composite(&f->glyf, c3, 2, 1);
    else if (g == 5)
      composite(&f->glyf, c5, 1, 0);
    else if (g == 6)
      composite(&f->glyf, c6, 2, 0);
    else if (g != 2)
      simple(&f->glyf, 3, (char)('a' + g));
  }
  at[8] = f->glyf.len;
  for (int g = 0; g < 9; g++)
    p16(&f->loca, (unsigned)(at[g] / 2));
  for (int i = 0; i < 54; i++)
    buf_putc(&f->head, 0);
  f->head.data[50] = 0; /* short loca */
  for (int i = 0; i < 36; i++)
    buf_putc(&f->hhea, 0);
  f->hhea.data[35] = 4; /* numberOfHMetrics */
  p16(&f->maxp, 0x0000), p16(&f->maxp, 0x5000), p16(&f->maxp, 8);
  for (unsigned g = 0; g < 4; g++)
    p16(&f->hmtx, 500 + g), p16(&f->hmtx, 10 + g);
  for (unsigned g = 4; g < 8; g++)
    p16(&f->hmtx, 20 + g); /* lsb only */
}

static void set_num_glyphs(test_font *f, unsigned n) {
  f->maxp.data[4] = (char)(n >> 8);
  f->maxp.data[5] = (char)n;
}

static ttf_source source(test_font *f) {
  ttf_source s = {{f->head.data, f->head.len}, {f->hhea.data, f->hhea.len},
                  {f->maxp.data, f->maxp.len}, {f->hmtx.data, f->hmtx.len},
                  {f->loca.data, f->loca.len}, {f->glyf.data, f->glyf.len}};
  return s;
}

static void release(test_font *f) {
  buf *b[] = {&f->head, &f->hhea, &f->maxp, &f->hmtx, &f->loca, &f->glyf};
  for (int i = 0; i < 6; i++)
    buf_free(b[i]);
}

/* The table tag of out, or NULL; checks its recorded checksum. */
static const char *find(const buf *out, const char *tag, size_t *len) {
  unsigned n = u16(out->data + 4);
  for (unsigned i = 0; i < n; i++) {
    const char *rec = out->data + 12 + 16 * i;
    if (memcmp(rec, tag, 4) == 0) {
      uint32_t off = u32(rec + 8);
      *len = u32(rec + 12);
      uint32_t sum = 0;
      for (size_t k = 0; k < (*len + 3) / 4 * 4; k += 4)
        sum += u32(out->data + off + k);
      if (strcmp(tag, "head") == 0)
        sum -= u32(out->data + off + 8);
      CHECK(sum == u32(rec + 4));
      return out->data + off;
    }
  }
  return NULL;
}

/* Glyph g of the subset in out. */
static const char *glyph(const buf *out, unsigned g, size_t *len) {
  size_t ll, gl;
  const char *loca = find(out, "loca", &ll), *glyf = find(out, "glyf", &gl);
  size_t a = 2 * (size_t)u16(loca + 2 * g), b = 2 * (size_t)u16(loca + 2 * g + 2);
  *len = b - a;
  return glyf + a;
}

void test_ttf_subset_closure_and_tables(void) {
  test_font f;
  build(&f);
  ttf_source s = source(&f);
  uint16_t gids[] = {7, 5}, got[2];
  buf out = {0};
  CHECK(ttf_subset(&s, gids, 2, got, &out) == 0);
  /* kept: 0 1 3 4 5 7 (5 -> 3 -> 1, 4), numbered 0..5 */
  CHECK(got[0] == 5 && got[1] == 4);
  CHECK(u16(out.data + 4) == 6);
  uint32_t total = 0;
  for (size_t k = 0; k + 4 <= out.len; k += 4)
    total += u32(out.data + k);
  CHECK(total == 0xB1B0AFBAu && out.len % 4 == 0);
  size_t len;
  const char *maxp = find(&out, "maxp", &len);
  CHECK(maxp && u16(maxp + 4) == 6);
  const char *hhea = find(&out, "hhea", &len);
  CHECK(hhea && u16(hhea + 34) == 6);
  const char *hmtx = find(&out, "hmtx", &len);
  CHECK(hmtx && len == 24);
  /* new 2 is old 3 (advance 503, lsb 13); new 3 is old 4 (503, lsb 24) */
  CHECK(u16(hmtx + 8) == 503 && u16(hmtx + 10) == 13);
  CHECK(u16(hmtx + 12) == 503 && u16(hmtx + 14) == 24);
  CHECK(u16(hmtx + 20) == 503 && u16(hmtx + 22) == 27); /* old 7 */
  /* a simple glyph keeps its points, loses its instructions */
  const char *g = glyph(&out, 5, &len);
  CHECK(len == 18 && u16(g + 12) == 0 && g[15] == 'h');
  /* old 3: components 1 and 4 renumbered 1 and 3, instructions gone */
  g = glyph(&out, 2, &len);
  CHECK(len == 10 + 16);
  CHECK(u16(g + 12) == 1 && u16(g + 20) == 3);
  CHECK((u16(g + 18) & 0x0100) == 0);
  g = glyph(&out, 4, &len);
  CHECK(len == 18 && u16(g + 12) == 2); /* old 5 -> old 3 = new 2 */
  buf_free(&out);

  /* a glyph naming itself and a glyph the font lacks ends; the missing
   * one becomes glyph 0; an unknown input glyph maps to 0 */
  uint16_t odd[] = {6, 300};
  CHECK(ttf_subset(&s, odd, 2, got, &out) == 0);
  CHECK(got[0] == 1 && got[1] == 0);
  g = glyph(&out, 1, &len);
  CHECK(len == 26 && u16(g + 12) == 1 && u16(g + 20) == 0);
  buf_free(&out);
  release(&f);
}

/* Every even glyph's loca entry points at the same bytes: a composite
 * naming every even glyph.  Written glyph by glyph that is quadratic (2,000
 * glyphs of 16 KB); refused instead. */
static void shared_bytes_bomb(void) {
  enum { K = 2000 };
  test_font f;
  build(&f);
  buf_free(&f.glyf);
  buf_free(&f.loca);
  unsigned parts[K];
  for (unsigned i = 0; i < K; i++)
    parts[i] = 2 * i;
  composite(&f.glyf, parts, K, 0);
  size_t x = f.glyf.len;
  for (unsigned g = 0; g <= 2 * K; g++)
    p16(&f.loca, (unsigned)((g % 2 ? x : 0) / 2));
  set_num_glyphs(&f, 2 * K);
  ttf_source s = source(&f);
  uint16_t gids[] = {0}, got[1];
  buf out = {0};
  CHECK(ttf_subset(&s, gids, 1, got, &out) == -1 && out.len == 0);
  buf_free(&out);
  release(&f);
}

void test_ttf_check_tables(void);
void test_ttf_unusable_fonts_say_why(void);

void test_ttf_subset_hostile(void) {
  shared_bytes_bomb();
  /* these run from here: main.c lists the tests, and is not this file's */
  test_ttf_check_tables();
  test_ttf_unusable_fonts_say_why();
  test_font f;
  build(&f);
  ttf_source s = source(&f);
  uint16_t gids[] = {3, 5, 6, 7}, got[4];
  buf out = {0};
  ttf_source bad = s;
  bad.loca.len = 10; /* shorter than 9 entries */
  CHECK(ttf_subset(&bad, gids, 4, got, &out) == -1 && out.len == 0);
  bad = s;
  bad.hhea.len = 20;
  CHECK(ttf_subset(&bad, gids, 4, got, &out) == -1 && out.len == 0);
  bad = s;
  bad.glyf.len = 40; /* glyphs 0 and 1 only: the rest are written empty */
  CHECK(ttf_subset(&bad, gids, 4, got, &out) == 0);
  CHECK(u16(out.data + 4) == 6); /* kept: 0 3 5 6 7 and none from 3 and 5 */
  size_t len;
  glyph(&out, 4, &len);
  CHECK(len == 0 && got[3] == 4);
  buf_free(&out);
  /* random damage to every table: no crash, no read outside (ASan) */
  srand(7);
  int ok = 1;
  for (int round = 0; round < 3000; round++) {
    test_font c;
    build(&c);
    buf *ct[] = {&c.head, &c.hhea, &c.maxp, &c.hmtx, &c.loca, &c.glyf};
    for (int k = 0; k < 1 + rand() % 6; k++) {
      buf *t = ct[rand() % 6];
      if (!t->len)
        continue;
      t->data[rand() % t->len] = (char)rand();
      if (rand() % 8 == 0)
        t->len = (size_t)rand() % (t->len + 1);
    }
    ttf_source cs = source(&c);
    if (ttf_subset(&cs, gids, 4, got, &out) == 0 && out.len < 12)
      ok = 0;
    buf_free(&out);
    release(&c);
  }
  CHECK(ok);
  release(&f);
}

/* ---- fonts galley cannot use: each refused with what is wrong ---- */

static char font_messages[8192];
static void collect_font_message(const char *line) {
  size_t n = strlen(font_messages);
  snprintf(font_messages + n, sizeof font_messages - n, "%s\n", line);
}

/* The table record of tag in the font's directory, or NULL. */
static char *table_record(char *font, size_t len, const char *tag) {
  unsigned n = u16(font + 4);
  for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= len; i++)
    if (memcmp(font + 12 + 16 * i, tag, 4) == 0)
      return font + 12 + 16 * i;
  return NULL;
}

/* Writes bytes as dir/name and resolves it as a font file: the messages
 * in font_messages, 1 when it was taken. */
static int try_font(font_set *fs, const char *dir, const char *name,
                    const char *bytes, size_t len) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  if (len)
    fwrite(bytes, 1, len, f);
  fclose(f);
  style_fonts names = {{path}, 1, NULL, 0};
  font_stack stack;
  font_messages[0] = '\0';
  diag_set_sink(collect_font_message);
  int rc = font_stack_resolve(fs, &names, &stack);
  diag_set_sink(NULL);
  remove(path);
  return rc == 0;
}

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *data) {
  (void)detail;
  *(HPDF_STATUS *)data = error;
}

/* The font in bytes, a character drawn with it, embedded in a PDF. */
static void embed_slanted(font_set *fs, const char *dir, const char *bytes,
                          size_t len) {
  char path[600];
  snprintf(path, sizeof path, "%s/slanted.ttf", dir);
  FILE *f = fopen(path, "wb");
  if (!f) {
    CHECK(0);
    return;
  }
  fwrite(bytes, 1, len, f);
  fclose(f);
  style_fonts names = {{path}, 1, NULL, 0};
  font_stack stack;
  CHECK(font_stack_resolve(fs, &names, &stack) == 0);
  int fake;
  font_face *face = stack.n ? font_family_face(stack.fam[0], FONT_REGULAR,
                                               &fake) : NULL;
  CHECK(face != NULL);
  HPDF_STATUS err = HPDF_OK;
  HPDF_Doc pdf = HPDF_New(on_hpdf_error, &err);
  if (face && pdf) {
    font_use(face, 'A');
    pdf_font *pf = pdf_font_new(face);
    pdf_font_note(pf, "A", 0, NULL);
    CHECK(pdf_font_embed(pdf, pf) == 0 && err == HPDF_OK);
    pdf_font_free(pf);
  }
  HPDF_Free(pdf);
  remove(path);
}

void test_ttf_unusable_fonts_say_why(void) {
  const char *path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  size_t len = 0;
  char *good = resource_read_file(path, 64 << 20, &len);
  font_set *fs = font_set_load();
  char dir[] = "/tmp/galley-ttf-XXXXXX";
  CHECK(good && fs && mkdtemp(dir));
  if (!good || !fs) {
    free(good);
    font_set_free(fs);
    return;
  }
  char *b = malloc(len);
  if (!b)
    abort();
  /* the font as it is: taken without a word */
  CHECK(try_font(fs, dir, "good.ttf", good, len) == 1 && !font_messages[0]);
  static const struct {
    const char *name, *want;
  } cases[] = {
      {"empty.ttf", "cannot use this font: the file is empty"},
      {"page.ttf", "cannot use this font: not a font file"},
      {"web.ttf", "a WOFF web font"},
      {"type1.ttf", "a PostScript Type 1 font"},
      {"short.ttf", "truncated: its "},
      {"dir.ttf", "truncated: its table directory runs past the end"},
      {"cff.otf", "damaged: its CFF table (the PostScript outlines) cannot"},
      {"noglyf.ttf", "it has no glyph outlines (no glyf table)"},
      {"bitmap.ttf", "it has bitmap glyphs only, no outlines"},
      {"nocmap.ttf", "it has no character map (cmap table)"},
      {"cmap0.ttf", "its character map (cmap) maps no characters"},
      {"blank.ttf", "all its glyphs are empty: it has no outlines to draw"},
      {"maxp0.ttf", "its maxp table counts no glyphs"},
      {"loca.ttf", "its loca table is shorter than its maxp table"},
      {"nohmtx.ttf", "it has no hmtx table"},
      {"ttc.ttc", "a collection of 0 faces, without face 0"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    memcpy(b, good, len);
    size_t n = len;
    const char *name = cases[i].name;
    char *rec;
    if (!strcmp(name, "empty.ttf"))
      n = 0;
    else if (!strcmp(name, "page.ttf"))
      n = (size_t)snprintf(b, len, "<html>Not found</html>\n");
    else if (!strcmp(name, "web.ttf"))
      memcpy(b, "wOFF", 4);
    else if (!strcmp(name, "type1.ttf"))
      memcpy(b, "%!PS-AdobeFont-1.0", 18);
    else if (!strcmp(name, "short.ttf"))
      n = len / 2;
    else if (!strcmp(name, "dir.ttf"))
      n = 40;
    else if (!strcmp(name, "cff.otf")) {
      memcpy(b, "OTTO", 4);
      memcpy(table_record(b, n, "glyf"), "CFF ", 4);
    } else if (!strcmp(name, "noglyf.ttf"))
      memcpy(table_record(b, n, "glyf"), "xxxx", 4);
    else if (!strcmp(name, "bitmap.ttf"))
      memcpy(table_record(b, n, "glyf"), "EBDT", 4);
    else if (!strcmp(name, "nocmap.ttf"))
      memcpy(table_record(b, n, "cmap"), "xxxx", 4);
    else if (!strcmp(name, "cmap0.ttf")) {
      rec = table_record(b, n, "cmap");
      memset(b + u32(rec + 8) + 2, 0, 2); /* no subtables */
    } else if (!strcmp(name, "blank.ttf")) {
      rec = table_record(b, n, "loca");
      memset(b + u32(rec + 8), 0, u32(rec + 12));
    } else if (!strcmp(name, "maxp0.ttf")) {
      rec = table_record(b, n, "maxp");
      memset(b + u32(rec + 8) + 4, 0, 2);
    } else if (!strcmp(name, "loca.ttf")) {
      rec = table_record(b, n, "loca");
      memset(rec + 12, 0, 3); /* length now under 256 bytes */
    } else if (!strcmp(name, "nohmtx.ttf"))
      memcpy(table_record(b, n, "hmtx"), "xxxx", 4);
    else if (!strcmp(name, "ttc.ttc")) {
      memcpy(b, "ttcf\0\1\0\0\0\0\0\0", 12);
    }
    CHECK(try_font(fs, dir, name, b, n) == 0);
    if (!strstr(font_messages, cases[i].want))
      printf("FAIL %s: %s gave: %s", test_name, name, font_messages);
    CHECK(strstr(font_messages, cases[i].want) != NULL);
    CHECK(strstr(font_messages, "CFF") == NULL || !strcmp(name, "cff.otf"));
    CHECK(strstr(font_messages, ": warning: cannot use this font: ") != NULL);
  }
  /* a slant past a right angle (the fuzzer's -32768 degrees) made libharu
   * refuse the real and every object after it: the PDF failed, and what
   * was made before leaked; it is taken as upright */
  memcpy(b, good, len);
  char *post = table_record(b, len, "post");
  CHECK(post != NULL);
  if (post) {
    memcpy(b + u32(post + 8) + 4, "\x80\x00\x00\x01", 4);
    embed_slanted(fs, dir, b, len);
  }
  /* a folder and a device are not read as fonts */
  style_fonts names = {{dir}, 1, NULL, 0};
  font_stack stack;
  font_messages[0] = '\0';
  diag_set_sink(collect_font_message);
  CHECK(font_stack_resolve(fs, &names, &stack) != 0);
  names.name[0] = "/dev/zero";
  CHECK(font_stack_resolve(fs, &names, &stack) != 0);
  diag_set_sink(NULL);
  CHECK(strstr(font_messages, "a folder, not a font file") != NULL);
  CHECK(strstr(font_messages, "not a regular file") != NULL);
  free(b);
  free(good);
  font_set_free(fs);
  rmdir(dir);
}

/* ttf_check: what ttf_subset would refuse, said before a PDF is begun. */
void test_ttf_check_tables(void) {
  test_font f;
  build(&f);
  ttf_source s = source(&f);
  CHECK(ttf_check(&s) == NULL);
  ttf_source bad = s;
  bad.loca.len = 10;
  CHECK(ttf_check(&bad) && strstr(ttf_check(&bad), "loca"));
  bad = s;
  bad.hmtx.len = 0;
  CHECK(ttf_check(&bad) && strstr(ttf_check(&bad), "no hmtx table"));
  bad = s;
  bad.head.len = 20;
  CHECK(ttf_check(&bad) && strstr(ttf_check(&bad), "head table is cut short"));
  set_num_glyphs(&f, 0);
  s = source(&f);
  CHECK(ttf_check(&s) && strstr(ttf_check(&s), "counts no glyphs"));
  set_num_glyphs(&f, 8);
  memset(f.loca.data, 0, f.loca.len); /* every glyph empty */
  s = source(&f);
  CHECK(ttf_check(&s) && strstr(ttf_check(&s), "all its glyphs are empty"));
  release(&f);
}

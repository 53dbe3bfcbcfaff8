/* subset_study.c - galley's own TrueType subsetter (src/ttf_subset.c)
 * beside HarfBuzz's hb-subset on real fonts: time per subset (the median
 * of many runs) and bytes, raw and deflated as galley deflates fonts
 * (libdeflate level 4, PDF_FLATE_FONTS), for three sets of characters:
 *
 *   article   the distinct characters of samples/news-report.md (about 70)
 *   circular  the distinct characters of samples/circular.md (about 400
 *             Han characters and 50 ASCII: a Chinese circular)
 *   cjk3000   the first 3,000 Han characters of GB 2312 level 1 (the most
 *             common ones), with ASCII
 *
 * and, for the CFF collection Noto Serif CJK SC, hb-subset alone (galley
 * has no CFF subsetter), the bare CFF table being what a PDF embeds.
 * Not built by default; from the top of the source tree:
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o subset-study tests/subset_study.c \
 *     src/ttf_subset.c src/buf.c \
 *     $(pkg-config --cflags --libs harfbuzz harfbuzz-subset libdeflate)
 *   ./subset-study [SOURCE_TREE]
 *
 * hb-subset is asked for what a PDF needs: the glyphs by number (as
 * galley's subsetter is; the cmap plays no part, so no layout closure), no
 * hinting, every table dropped but the ones the PDF reads (glyf, loca,
 * head, hhea, hmtx, maxp for TrueType, like galley's; CFF with the
 * metrics tables for CFF), and for CFF with and without desubroutinizing.
 * "hb prep" subsets from a face hb_subset_preprocess made once (what a
 * long-running batch could keep); its one-off cost is printed.  Each
 * subset is checked: every glyph asked for must have the same extents and
 * advance in the subset as in the font.  SUBSET_STUDY_DUMP=DIR keeps the
 * first subset of each kind there, to look into.
 *
 * Figures of one run (HarfBuzz 6.0.0, Debian 12, 2 vCPUs; medians, ms;
 * bytes deflated at level 4):
 *
 *   TrueType        set        galley   hb-subset  hb, prep.  deflated galley/hb
 *   Noto Serif      article    0.006    0.147      0.022      5,108 / 5,036
 *   DejaVu Sans     article    0.006    0.319      0.022      4,094 / 4,019
 *   Droid Sans F.   circular   0.086    0.961      0.193      36,554 / 36,174
 *   Droid Sans F.   cjk3000    0.843    2.574      1.776      254,497 / 252,926
 *   AR PL UMing     circular   0.064    1.631      0.154      103,033 / 102,709
 *   AR PL UMing     cjk3000    1.094    4.725      1.874      863,406 / 861,948
 *   LXGW WenKai     circular   0.054    1.834      0.137      108,518 / 108,219
 *   LXGW WenKai     cjk3000    0.814    4.970      1.588      907,003 / 906,125
 *
 *   (preprocessing a face once: 6-8 ms Latin, 45-90 ms CJK TrueType)
 *
 *   Noto Serif CJK SC (CFF), bare CFF table, raw / deflated:
 *   article   70 glyphs   2.8 ms desubroutinized  6,055 / 5,031 B
 *                         3.2 ms subrs kept       6,338 / 5,580 B
 *   circular 462 glyphs   5.5 ms desubroutinized  100,505 / 80,979 B
 *                         8.2 ms subrs kept       109,431 / 93,275 B
 *   cjk3000 3095 glyphs  25.8 ms desubroutinized  886,842 / 687,969 B
 *                        53.7 ms subrs kept       889,939 / 747,302 B
 *   (preprocessing the face once: 1.4 s; then 0.11 / 1.7 / 14.6 ms)
 *
 * galley's subsetter is 3 to 240 times faster per subset on every
 * TrueType font and set here, opening a face afresh or not; hb-subset's
 * output is 0.1-1.9% (70 to 1,600 bytes) smaller once deflated: it
 * empties the .notdef outline, leaves glyphs unpadded under a long loca,
 * and drops the trailing equal advances of hmtx, all three open to
 * galley's subsetter too.  hb-subset from a preprocessed face comes
 * close, but preprocessing costs more than a run of galley on a short
 * document. */
#include <hb-subset.h>
#include <hb.h>
#include <iconv.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "ttf_subset.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ---- character sets ---- */

typedef struct {
  const char *name;
  uint32_t cps[8192];
  size_t n;
} charset;

static void add_cp(charset *s, uint32_t cp) {
  for (size_t i = 0; i < s->n; i++)
    if (s->cps[i] == cp)
      return;
  if (s->n < sizeof s->cps / sizeof *s->cps)
    s->cps[s->n++] = cp;
}

static void add_utf8(charset *s, const char *p, size_t len) {
  const unsigned char *u = (const unsigned char *)p, *end = u + len;
  while (u < end) {
    uint32_t cp;
    int k;
    if (*u < 0x80)
      cp = *u, k = 1;
    else if ((*u & 0xE0) == 0xC0)
      cp = *u & 0x1F, k = 2;
    else if ((*u & 0xF0) == 0xE0)
      cp = *u & 0x0F, k = 3;
    else
      cp = *u & 0x07, k = 4;
    if (u + k > end)
      break;
    for (int i = 1; i < k; i++)
      cp = cp << 6 | (u[i] & 0x3F);
    u += k;
    if (cp >= 0x20 && cp != 0x7F)
      add_cp(s, cp);
  }
}

static int add_file(charset *s, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  static char data[1 << 20];
  size_t len = fread(data, 1, sizeof data, f);
  fclose(f);
  add_utf8(s, data, len);
  return 0;
}

/* ASCII and the first n Han characters of GB 2312 level 1 (rows 16-55). */
static void add_gb2312(charset *s, size_t n) {
  for (uint32_t c = 0x20; c < 0x7F; c++)
    add_cp(s, c);
  iconv_t cd = iconv_open("UTF-8", "GB2312");
  if (cd == (iconv_t)-1) {
    perror("iconv GB2312");
    exit(1);
  }
  size_t added = 0;
  for (int row = 0xB0; row <= 0xD7 && added < n; row++)
    for (int col = 0xA1; col <= 0xFE && added < n; col++) {
      char in[2] = {(char)row, (char)col}, out[8];
      char *ip = in, *op = out;
      size_t il = 2, ol = sizeof out;
      if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        continue; /* the unused end of row 55 */
      size_t before = s->n;
      add_utf8(s, out, (size_t)(op - out));
      added += s->n - before;
    }
  iconv_close(cd);
}

/* ---- fonts ---- */

typedef struct {
  const char *name, *path;
  unsigned index;
  int cff;
  hb_blob_t *blob;
  hb_face_t *face, *prep;
  hb_font_t *font;
  double prep_ms;
} face;

/* The glyphs of a set's characters, as galley's font_used_glyphs finds
 * them (BMP characters the cmap maps; no glyph 0). */
static size_t glyphs_of(face *f, const charset *s, uint16_t *gids) {
  size_t n = 0;
  for (size_t i = 0; i < s->n; i++) {
    hb_codepoint_t g;
    if (s->cps[i] < 0x10000 && hb_font_get_nominal_glyph(f->font, s->cps[i], &g) &&
        g != 0 && g < 0x10000) {
      int dup = 0;
      for (size_t k = 0; k < n && !dup; k++)
        dup = gids[k] == g;
      if (!dup)
        gids[n++] = (uint16_t)g;
    }
  }
  return n;
}

/* galley's font_ttf_tables (src/font.c). */
static void ttf_tables(hb_face_t *face, ttf_source *src, hb_blob_t *blobs[6]) {
  static const hb_tag_t tags[6] = {
      HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
      HB_TAG('m', 'a', 'x', 'p'), HB_TAG('h', 'm', 't', 'x'),
      HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f')};
  ttf_table *t[6] = {&src->head, &src->hhea, &src->maxp,
                     &src->hmtx, &src->loca, &src->glyf};
  for (int i = 0; i < 6; i++) {
    blobs[i] = hb_face_reference_table(face, tags[i]);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blobs[i], &len);
    *t[i] = (ttf_table){data, data ? len : 0};
  }
}

/* ---- the subsetters: each returns the bytes a PDF would embed ---- */

typedef struct {
  char *data;
  size_t len;
  hb_face_t *check;  /* the subset as a face, to check its glyphs */
  uint16_t *new_gids; /* new number of gids[i] */
} result;

static void result_free(result *r) {
  free(r->data);
  free(r->new_gids);
  hb_face_destroy(r->check);
  memset(r, 0, sizeof *r);
}

static int run_galley(face *f, const uint16_t *gids, size_t n, result *r,
                      int keep) {
  hb_blob_t *blobs[6];
  ttf_source src;
  ttf_tables(f->face, &src, blobs);
  buf out = {0};
  uint16_t *new_gids = malloc((n + 1) * sizeof *new_gids);
  int rc = ttf_subset(&src, gids, n, new_gids, &out);
  for (int i = 0; i < 6; i++)
    hb_blob_destroy(blobs[i]);
  if (rc != 0) {
    free(new_gids);
    buf_free(&out);
    return -1;
  }
  r->data = buf_detach(&out, &r->len);
  if (keep) {
    hb_blob_t *b = hb_blob_create(r->data, (unsigned)r->len,
                                  HB_MEMORY_MODE_READONLY, NULL, NULL);
    r->check = hb_face_create(b, 0);
    hb_blob_destroy(b);
    r->new_gids = new_gids;
  } else {
    free(new_gids);
  }
  return 0;
}

enum { HB_PLAIN = 0, HB_DESUBR = 1, HB_PREP = 2 };

static int run_hb(face *f, const uint16_t *gids, size_t n, result *r, int how,
                  int keep) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  hb_set_t *glyphs = hb_subset_input_glyph_set(in);
  hb_set_add(glyphs, 0);
  for (size_t i = 0; i < n; i++)
    hb_set_add(glyphs, gids[i]);
  hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
  hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_UNICODE));
  /* every table but the ones kept */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  hb_tag_t tags[64];
  unsigned count = 64;
  hb_face_get_table_tags(f->face, 0, &count, tags);
  for (unsigned i = 0; i < count; i++) {
    hb_tag_t t = tags[i];
    if (t == HB_TAG('h', 'e', 'a', 'd') || t == HB_TAG('h', 'h', 'e', 'a') ||
        t == HB_TAG('m', 'a', 'x', 'p') || t == HB_TAG('h', 'm', 't', 'x') ||
        (!f->cff && (t == HB_TAG('l', 'o', 'c', 'a') || t == HB_TAG('g', 'l', 'y', 'f'))) ||
        (f->cff && t == HB_TAG('C', 'F', 'F', ' ')))
      continue;
    hb_set_add(drop, t);
  }
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                    (how & HB_DESUBR ? HB_SUBSET_FLAGS_DESUBROUTINIZE : 0));
  hb_face_t *source = how & HB_PREP ? f->prep : f->face;
  hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(source, in);
  hb_subset_input_destroy(in);
  hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
  if (!sub) {
    hb_subset_plan_destroy(plan);
    return -1;
  }
  /* TrueType: the whole font file (FontFile2); CFF: the bare CFF table
   * (FontFile3 /CIDFontType0C) */
  hb_blob_t *b = f->cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                        : hb_face_reference_blob(sub);
  unsigned len = 0;
  const char *d = hb_blob_get_data(b, &len);
  r->data = malloc(len ? len : 1);
  memcpy(r->data, d, len);
  r->len = len;
  hb_blob_destroy(b);
  if (keep) {
    const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
    r->new_gids = malloc((n + 1) * sizeof *r->new_gids);
    for (size_t i = 0; i < n; i++)
      r->new_gids[i] = (uint16_t)hb_map_get(map, gids[i]);
    r->check = sub;
  } else {
    hb_face_destroy(sub);
  }
  hb_subset_plan_destroy(plan);
  return 0;
}

/* Glyphs of the subset whose extents differ from the font's. */
static size_t wrong_glyphs(face *f, const uint16_t *gids, size_t n,
                           const result *r) {
  hb_font_t *sf = hb_font_create(r->check);
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    hb_glyph_extents_t a, b;
    int ha = hb_font_get_glyph_extents(f->font, gids[i], &a);
    int hb = hb_font_get_glyph_extents(sf, r->new_gids[i], &b);
    if (ha != hb || (ha && memcmp(&a, &b, sizeof a) != 0) ||
        hb_font_get_glyph_h_advance(f->font, gids[i]) !=
            hb_font_get_glyph_h_advance(sf, r->new_gids[i]))
      bad++;
  }
  hb_font_destroy(sf);
  return bad;
}

static size_t deflated(const result *r) {
  static struct libdeflate_compressor *c;
  if (!c)
    c = libdeflate_alloc_compressor(4);
  size_t cap = libdeflate_zlib_compress_bound(c, r->len);
  char *out = malloc(cap);
  size_t len = libdeflate_zlib_compress(c, r->data, r->len, out, cap);
  free(out);
  return len;
}

typedef struct {
  double ms;
  size_t raw, packed, wrong;
  int failed;
} figures;

/* Runs a subsetter until 0.4 s have gone by (at least 5, at most 401
 * times): the median time, and the first run's bytes and check.  cold:
 * each run on a face opened afresh, its glyphs and advances looked up
 * first (as galley's layout has done by the time it embeds the font, in a
 * run that converts one document), so that what HarfBuzz builds and keeps
 * on a face the first time it subsets it is counted. */
static figures measure(face *f, const charset *set, const uint16_t *gids,
                       size_t n, int which, int cold) {
  figures fig = {0};
  static double times[401];
  size_t runs = 0;
  double start = now();
  hb_face_t *warm = f->face;
  hb_font_t *warm_font = f->font;
  while (runs < 401 && (runs < 5 || now() - start < 0.4)) {
    result r = {0};
    int keep = runs == 0;
    if (cold) {
      f->face = hb_face_create(f->blob, f->index);
      f->font = hb_font_create(f->face);
      hb_codepoint_t g;
      for (size_t i = 0; i < set->n; i++)
        if (hb_font_get_nominal_glyph(f->font, set->cps[i], &g))
          (void)hb_font_get_glyph_h_advance(f->font, g);
    }
    double t0 = now();
    int rc = which < 0 ? run_galley(f, gids, n, &r, keep)
                       : run_hb(f, gids, n, &r, which, keep);
    times[runs++] = now() - t0;
    if (rc == 0 && keep && getenv("SUBSET_STUDY_DUMP")) {
      /* SUBSET_STUDY_DUMP=DIR keeps each first subset as a file there */
      char name[4096];
      snprintf(name, sizeof name, "%s/%s-%s-%d%s.%s", getenv("SUBSET_STUDY_DUMP"),
               f->name, set->name, which, cold ? "-cold" : "", f->cff ? "cff" : "ttf");
      for (char *c = name + strlen(getenv("SUBSET_STUDY_DUMP")) + 1; *c; c++)
        if (*c == ' ' || *c == '(' || *c == ')')
          *c = '_';
      FILE *out = fopen(name, "wb");
      if (out) {
        fwrite(r.data, 1, r.len, out);
        fclose(out);
      }
    }
    if (rc == 0 && keep) {
      fig.raw = r.len;
      fig.packed = deflated(&r);
      fig.wrong = wrong_glyphs(f, gids, n, &r);
    }
    result_free(&r);
    if (cold) {
      hb_font_destroy(f->font);
      hb_face_destroy(f->face);
      f->face = warm;
      f->font = warm_font;
    }
    if (rc != 0) {
      fig.failed = 1;
      return fig;
    }
  }
  qsort(times, runs, sizeof *times, cmp_double);
  fig.ms = times[runs / 2] * 1000;
  return fig;
}

static const char *cell(const figures *g) {
  static char s[8][120];
  static int k;
  char *out = s[k++ % 8];
  if (g->failed)
    snprintf(out, 120, "failed");
  else
    snprintf(out, 120, "%.3f ms, %zu / %zu B%s", g->ms, g->raw, g->packed,
             g->wrong ? " WRONG GLYPHS" : "");
  return out;
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : ".";
  static charset sets[3] = {{.name = "article"}, {.name = "circular"}, {.name = "cjk3000"}};
  char path[4096];
  snprintf(path, sizeof path, "%s/samples/news-report.md", root);
  if (add_file(&sets[0], path) != 0)
    return 1;
  snprintf(path, sizeof path, "%s/samples/circular.md", root);
  if (add_file(&sets[1], path) != 0)
    return 1;
  add_gb2312(&sets[2], 3000);

  static face faces[] = {
      {.name = "Noto Serif Regular", .path = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"},
      {.name = "DejaVu Sans", .path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"},
      {.name = "Droid Sans Fallback", .path = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"},
      {.name = "AR PL UMing (face 0)", .path = "/usr/share/fonts/truetype/arphic/uming.ttc"},
      {.name = "LXGW WenKai", .path = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"},
      {.name = "Noto Serif CJK SC (CFF)", .path = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
       .index = 2, .cff = 1},
  };
  printf("HarfBuzz %s; times are medians; bytes raw / deflated (libdeflate level 4)\n\n",
         hb_version_string());
  printf("| font (file size) | set | glyphs | galley ttf_subset | galley, cold face "
         "| hb-subset | hb-subset, cold face | hb-subset, preprocessed face |\n");
  printf("|---|---|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < sizeof faces / sizeof *faces; i++) {
    face *f = &faces[i];
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob) {
      printf("| %s | missing: %s |\n", f->name, f->path);
      continue;
    }
    unsigned file_size = hb_blob_get_length(blob);
    f->blob = blob;
    f->face = hb_face_create(blob, f->index);
    f->font = hb_font_create(f->face);
    double t0 = now();
    f->prep = hb_subset_preprocess(f->face);
    f->prep_ms = (now() - t0) * 1000;
    for (int s = 0; s < 3; s++) {
      uint16_t gids[8192];
      size_t n = glyphs_of(f, &sets[s], gids);
      printf("| %s (%.1f MB) | %s (%zu chars) | %zu", f->name, file_size / 1e6,
             sets[s].name, sets[s].n, n);
      const charset *cs = &sets[s];
      if (f->cff) {
        figures kept = measure(f, cs, gids, n, HB_PLAIN, 0);
        figures desubr = measure(f, cs, gids, n, HB_DESUBR, 0);
        figures cold = measure(f, cs, gids, n, HB_DESUBR, 1);
        figures prep = measure(f, cs, gids, n, HB_DESUBR | HB_PREP, 0);
        printf(" | (TrueType only) | | desubroutinized: %s; subroutines kept: %s "
               "| desubroutinized: %s | desubroutinized: %s |\n",
               cell(&desubr), cell(&kept), cell(&cold), cell(&prep));
      } else {
        figures own = measure(f, cs, gids, n, -1, 0);
        figures own_cold = measure(f, cs, gids, n, -1, 1);
        figures plain = measure(f, cs, gids, n, HB_PLAIN, 0);
        figures cold = measure(f, cs, gids, n, HB_PLAIN, 1);
        figures prep = measure(f, cs, gids, n, HB_PREP, 0);
        printf(" | %s | %s | %s | %s | %s |\n", cell(&own), cell(&own_cold),
               cell(&plain), cell(&cold), cell(&prep));
      }
      fflush(stdout);
    }
    printf("| %s | | | | | | | hb_subset_preprocess, once: %.1f ms |\n", f->name, f->prep_ms);
    hb_face_destroy(f->prep);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
  }
  return 0;
}

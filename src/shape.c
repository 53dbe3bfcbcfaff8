/* shape.c - hb_shape behind a cache.
 *
 * The cache is one open-addressed table for the process, keyed by face,
 * language, features and bytes.  It is emptied whole when it holds more
 * than CACHE_BYTES (so memory stays bounded on any input) and whenever
 * faces are freed (a new face could take a freed one's address). */
#include "shape.h"

#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"

#define CACHE_BYTES (16u << 20)

/* The features and direction a run is shaped with: bits. */
enum { MODE_TEXT = 0, MODE_PLAIN = 1, MODE_HALT = 2, MODE_RTL = 4 };

typedef struct entry {
  uint64_t hash;
  font_face *face;
  hb_language_t lang;
  int mode;
  size_t len;
  shape_run *run;
  char key[]; /* the bytes shaped */
} entry;

/* A shaping plan (HarfBuzz's choice of lookups for a face, script,
 * language, direction and features), made once: hb_shape looked it up in
 * its own cache on every call, about a third of the time shaping took. */
typedef struct {
  font_face *face;
  hb_segment_properties_t props;
  int mode;
  hb_shape_plan_t *plan;
} plan_entry;

#define MAX_PLANS 64

static struct {
  plan_entry plans[MAX_PLANS];
  size_t n_plans;
  entry **slots;
  size_t cap, n, bytes;
  hb_buffer_t *buffer;
  const char *lang_name; /* the last language asked for, and its handle */
  hb_language_t lang;
} cache;

void shape_forget(void) {
  for (size_t i = 0; i < cache.cap; i++)
    if (cache.slots[i]) {
      free(cache.slots[i]->run);
      free(cache.slots[i]);
    }
  free(cache.slots);
  cache.slots = NULL;
  cache.cap = cache.n = cache.bytes = 0;
  hb_buffer_destroy(cache.buffer);
  cache.buffer = NULL;
  cache.lang_name = NULL;
  for (size_t i = 0; i < cache.n_plans; i++)
    hb_shape_plan_destroy(cache.plans[i].plan);
  cache.n_plans = 0;
}

static hb_shape_plan_t *plan_for(font_face *f,
                                 const hb_segment_properties_t *props,
                                 int mode, const hb_feature_t *feat,
                                 unsigned n_feat) {
  for (size_t i = 0; i < cache.n_plans; i++) {
    plan_entry *e = &cache.plans[i];
    if (e->face == f && e->mode == mode &&
        hb_segment_properties_equal(&e->props, props))
      return e->plan;
  }
  unsigned n_coords = 0;
  const int *coords = hb_font_get_var_coords_normalized(font_hb_font(f),
                                                        &n_coords);
  hb_shape_plan_t *plan = hb_shape_plan_create_cached2(
      font_hb_face(f), props, feat, n_feat, coords, n_coords, NULL);
  if (cache.n_plans == MAX_PLANS) { /* many faces and languages: start over */
    for (size_t i = 0; i < cache.n_plans; i++)
      hb_shape_plan_destroy(cache.plans[i].plan);
    cache.n_plans = 0;
  }
  cache.plans[cache.n_plans++] = (plan_entry){f, *props, mode, plan};
  return plan;
}

static hb_language_t language(const char *name) {
  if (!name || !*name)
    name = "en"; /* never the locale's: output must not depend on it */
  if (name != cache.lang_name) {
    cache.lang = hb_language_from_string(name, -1);
    cache.lang_name = name;
  }
  return cache.lang;
}

static uint64_t hash_key(const font_face *f, hb_language_t lang, int mode,
                         const char *s, size_t len) {
  uint64_t h = 1469598103934665603u;
  h = (h ^ (uint64_t)(uintptr_t)f) * 1099511628211u;
  h = (h ^ (uint64_t)(uintptr_t)lang) * 1099511628211u;
  h = (h ^ (uint64_t)mode) * 1099511628211u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h ^ (h >> 29);
}

/* The script of text with no letters of its own (punctuation, digits):
 * the language's, so that a lone Chinese comma still gets its local form. */
static hb_script_t script_of_language(const char *lang) {
  if (!lang)
    return HB_SCRIPT_LATIN;
  if (!strncmp(lang, "zh", 2) || !strncmp(lang, "ja", 2))
    return HB_SCRIPT_HAN;
  if (!strncmp(lang, "ko", 2))
    return HB_SCRIPT_HANGUL;
  return HB_SCRIPT_LATIN;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void split_cluster(shape_run *r, const char *s, unsigned i,
                          unsigned j, int rtl) {
  uint32_t start = r->g[i].start, len = r->g[i].len, chars = 0;
  for (uint32_t k = 0; k < len; k++)
    chars += ((unsigned char)s[start + k] & 0xC0) != 0x80;
  if (chars == j - i + 1 && !rtl) {
    uint32_t at = start;
    for (unsigned k = 0; k <= j - i; k++) {
      shape_glyph *g = &r->g[rtl ? j - k : i + k];
      uint32_t end = at + 1;
      while (end < start + len && ((unsigned char)s[end] & 0xC0) == 0x80)
        end++;
      g->start = at;
      g->len = end - at;
      at = end;
    }
  } else if (rtl) {
    r->g[j].start = start;
    r->g[j].len = len;
    r->g[i].len = 0;
  }
}

static shape_run *run_shape(font_face *f, const char *s, size_t len,
                            hb_language_t lang, const char *lang_name,
                            int mode) {
  static const hb_feature_t plain[] = {
      {HB_TAG('k', 'e', 'r', 'n'), 0, 0, (unsigned)-1},
      {HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
      {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
      {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1}};
  static const hb_feature_t halt[] = {
      {HB_TAG('h', 'a', 'l', 't'), 1, 0, (unsigned)-1}};
  if (!cache.buffer) {
    cache.buffer = hb_buffer_create();
    if (!hb_buffer_allocation_successful(cache.buffer))
      out_of_memory();
  }
  hb_buffer_t *b = cache.buffer;
  hb_buffer_clear_contents(b);
  hb_buffer_add_utf8(b, s, (int)len, 0, (int)len);
  hb_buffer_set_language(b, lang);
  hb_buffer_guess_segment_properties(b);
  hb_script_t guessed = hb_buffer_get_script(b);
  if (guessed == HB_SCRIPT_INVALID || guessed == HB_SCRIPT_COMMON ||
      guessed == HB_SCRIPT_INHERITED || guessed == HB_SCRIPT_UNKNOWN) {
    hb_script_t sc = font_is_cjk(f) && script_of_language(lang_name) ==
                                           HB_SCRIPT_LATIN
                         ? HB_SCRIPT_HAN
                         : script_of_language(lang_name);
    hb_buffer_set_script(b, sc);
  }
  /* the direction is the bidi level's, not the script's: a bracket in a
   * Hebrew sentence is set right to left, and so mirrored */
  hb_buffer_set_direction(b, mode & MODE_RTL ? HB_DIRECTION_RTL
                                             : HB_DIRECTION_LTR);
  const hb_feature_t *feat = mode & MODE_PLAIN  ? plain
                             : mode & MODE_HALT ? halt
                                                : NULL;
  unsigned n_feat = mode & MODE_PLAIN  ? sizeof plain / sizeof *plain
                    : mode & MODE_HALT ? 1
                                       : 0;
  hb_segment_properties_t props;
  hb_buffer_get_segment_properties(b, &props);
  hb_shape_plan_t *plan = plan_for(f, &props, mode, feat, n_feat);
  if (!hb_shape_plan_execute(plan, font_hb_font(f), b, feat, n_feat) ||
      !hb_buffer_allocation_successful(b))
    out_of_memory();
  unsigned n = 0;
  const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
  const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, NULL);
  shape_run *r = malloc(sizeof *r + (n ? n : 1) * sizeof r->g[0]);
  uint32_t *starts = malloc((n ? n : 1) * sizeof *starts);
  if (!r || !starts)
    out_of_memory();
  r->n = n;
  r->width = 0;
  for (unsigned i = 0; i < n; i++)
    starts[i] = info[i].cluster;
  qsort(starts, n, sizeof *starts, cmp_u32);
  for (unsigned i = 0; i < n; i++) {
    shape_glyph *g = &r->g[i];
    g->gid = info[i].codepoint;
    g->advance = pos[i].x_advance;
    g->dx = pos[i].x_offset;
    g->dy = pos[i].y_offset;
    r->width += g->advance;
    g->start = info[i].cluster;
    g->len = 0;
    if (i > 0 && info[i - 1].cluster == info[i].cluster)
      continue; /* the cluster's text went to its first glyph */
    /* the cluster runs to the next greater cluster value, or the end */
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (starts[mid] <= g->start)
        lo = mid + 1;
      else
        hi = mid;
    }
    uint32_t end = lo < n ? starts[lo] : (uint32_t)len;
    g->len = end > g->start ? end - g->start : 0;
  }
  free(starts);
  /* A cluster of several glyphs: left to right, as many glyphs as
   * characters (a letter and its marks) each take their own character;
   * otherwise, and always right to left, the text goes to the cluster's
   * base, its first glyph, or its last right to left (glyphs come out last
   * letter first): poppler orders a right-to-left word's characters by
   * where they are drawn, and a mark drawn over its letter's right half
   * came out before the letter (و ُتعرض). */
  for (unsigned i = 0; i < n;) {
    unsigned j = i;
    while (j + 1 < n && info[j + 1].cluster == info[i].cluster)
      j++;
    if (j > i)
      split_cluster(r, s, i, j, mode & MODE_RTL);
    i = j + 1;
  }
  return r;
}

static void grow(void) {
  size_t cap = cache.cap ? cache.cap * 2 : 1024;
  entry **slots = calloc(cap, sizeof *slots);
  if (!slots)
    out_of_memory();
  for (size_t i = 0; i < cache.cap; i++) {
    entry *e = cache.slots[i];
    if (!e)
      continue;
    size_t k = e->hash & (cap - 1);
    while (slots[k])
      k = (k + 1) & (cap - 1);
    slots[k] = e;
  }
  free(cache.slots);
  cache.slots = slots;
  cache.cap = cap;
}

static const shape_run *lookup(font_face *f, const char *s, size_t len,
                               const shape_how *how, int mode) {
  if (!len)
    return NULL;
  hb_language_t lang = language(how ? how->lang : NULL);
  uint64_t h = hash_key(f, lang, mode, s, len);
  if (cache.cap) {
    for (size_t k = h & (cache.cap - 1); cache.slots[k];
         k = (k + 1) & (cache.cap - 1)) {
      entry *e = cache.slots[k];
      if (e->hash == h && e->face == f && e->lang == lang && e->mode == mode &&
          e->len == len && memcmp(e->key, s, len) == 0)
        return e->run;
    }
  }
  shape_run *r = run_shape(f, s, len, lang, how ? how->lang : NULL, mode);
  size_t cost = sizeof(entry) + len + sizeof *r + r->n * sizeof r->g[0];
  if (cache.bytes + cost > CACHE_BYTES) {
    hb_buffer_t *keep = cache.buffer;
    const char *name = cache.lang_name;
    cache.buffer = NULL;
    shape_forget();
    cache.buffer = keep;
    cache.lang_name = name;
    cache.lang = lang;
  }
  if (2 * (cache.n + 1) > cache.cap)
    grow();
  entry *e = malloc(sizeof *e + len);
  if (!e)
    out_of_memory();
  e->hash = h;
  e->face = f;
  e->lang = lang;
  e->mode = mode;
  e->len = len;
  e->run = r;
  memcpy(e->key, s, len);
  size_t k = h & (cache.cap - 1);
  while (cache.slots[k])
    k = (k + 1) & (cache.cap - 1);
  cache.slots[k] = e;
  cache.n++;
  cache.bytes += cost;
  return r;
}

static int mode_of(const shape_how *how) {
  return how ? (how->plain ? MODE_PLAIN : 0) | (how->rtl ? MODE_RTL : 0) : 0;
}

const shape_run *shape(font_face *f, const char *s, size_t len,
                       const shape_how *how) {
  return lookup(f, s, len, how, mode_of(how));
}

double shape_width(font_face *f, const char *s, size_t len,
                   const shape_how *how, double size) {
  const shape_run *r = shape(f, s, len, how);
  return r ? (double)r->width * size / font_upem(f) : 0;
}

double shape_halt_saving(font_face *f, const char *s, size_t len,
                         const shape_how *how) {
  const shape_run *r = shape(f, s, len, how);
  if (!r || r->n != 1)
    return -1;
  int32_t full = r->width;
  uint32_t gid = r->g[0].gid;
  r = lookup(f, s, len, how, MODE_HALT | (mode_of(how) & MODE_RTL));
  if (!r || r->n != 1 || r->g[0].gid != gid || r->width >= full)
    return -1;
  return (double)(full - r->width) / font_upem(f);
}

int shape_ink(font_face *f, const char *s, size_t len, const shape_how *how,
              double box[4]) {
  const shape_run *r = shape(f, s, len, how);
  hb_glyph_extents_t ext;
  if (!r || r->n != 1 ||
      !hb_font_get_glyph_extents(font_hb_font(f), r->g[0].gid, &ext) ||
      !ext.width || !ext.height)
    return 0;
  double upem = font_upem(f);
  box[0] = (ext.x_bearing + r->g[0].dx) / upem;
  box[2] = (ext.x_bearing + ext.width + r->g[0].dx) / upem;
  box[3] = (ext.y_bearing + r->g[0].dy) / upem;
  box[1] = (ext.y_bearing + ext.height + r->g[0].dy) / upem;
  return 1;
}

/* ttf_subset.c - TrueType subsets (ttf_subset.h).
 *
 * HarfBuzz's hb-subset did this before, at about 2 M instructions a
 * document (13% of a batch): it builds a plan over every table of the font,
 * where a PDF needs six.  Every offset and count read here is checked
 * against the table holding it; a glyph whose data does not parse is
 * written empty rather than trusted. */
#include "ttf_subset.h"
#include "oom.h"

#include <stdlib.h>
#include <string.h>

static unsigned u16(const char *p) {
  return (unsigned)(uint8_t)p[0] << 8 | (uint8_t)p[1];
}

static uint32_t u32(const char *p) {
  return (uint32_t)u16(p) << 16 | u16(p + 2);
}

static void set16(char *p, unsigned v) {
  p[0] = (char)(v >> 8);
  p[1] = (char)v;
}

static void set32(char *p, uint32_t v) {
  set16(p, v >> 16);
  set16(p + 2, v & 0xFFFF);
}

static void put16(buf *b, unsigned v) {
  char s[2];
  set16(s, v);
  buf_put(b, s, 2);
}

static void put32(buf *b, uint32_t v) {
  char s[4];
  set32(s, v);
  buf_put(b, s, 4);
}

/* Composite glyph component flags (the 'glyf' table's specification). */
enum {
  ARGS_ARE_WORDS = 0x0001,
  HAVE_SCALE = 0x0008,
  MORE_COMPONENTS = 0x0020,
  HAVE_XY_SCALE = 0x0040,
  HAVE_2X2 = 0x0080,
  HAVE_INSTRUCTIONS = 0x0100,
};

typedef struct {
  const ttf_source *src;
  unsigned num_glyphs, long_loca, num_hmetrics;
} font;

/* Glyph g's data in glyf; len 0 for an empty glyph or a bad entry. */
static const char *glyph_data(const font *f, unsigned g, size_t *len) {
  *len = 0;
  if (g >= f->num_glyphs)
    return NULL;
  const char *loca = f->src->loca.data;
  size_t a, b;
  if (f->long_loca) {
    a = u32(loca + 4 * g);
    b = u32(loca + 4 * g + 4);
  } else {
    a = 2 * (size_t)u16(loca + 2 * g);
    b = 2 * (size_t)u16(loca + 2 * g + 2);
  }
  if (a >= b || b > f->src->glyf.len || b - a < 10)
    return NULL;
  *len = b - a;
  return f->src->glyf.data + a;
}

/* The size of the component record at p (within end), or 0 when it runs
 * past the glyph. */
static size_t component_size(const char *p, const char *end) {
  if (end - p < 4)
    return 0;
  unsigned flags = u16(p);
  size_t size = 4 + (flags & ARGS_ARE_WORDS ? 4 : 2);
  if (flags & HAVE_SCALE)
    size += 2;
  else if (flags & HAVE_XY_SCALE)
    size += 4;
  else if (flags & HAVE_2X2)
    size += 8;
  return (size_t)(end - p) >= size ? size : 0;
}

static int in_set(const uint64_t *set, unsigned g) {
  return (int)(set[g >> 6] >> (g & 63) & 1);
}

static void add(uint64_t *set, uint16_t *stack, size_t *top, unsigned g) {
  set[g >> 6] |= (uint64_t)1 << (g & 63);
  stack[(*top)++] = (uint16_t)g;
}

/* Adds g and, for a composite, its components (to any depth) to set.
 * stack has room for every glyph: each is pushed at most once. */
static void keep(const font *f, uint64_t *set, uint16_t *stack, unsigned g) {
  size_t top = 0;
  if (g >= f->num_glyphs || in_set(set, g))
    return;
  add(set, stack, &top, g);
  while (top) {
    size_t len;
    const char *d = glyph_data(f, stack[--top], &len);
    if (!d || (int16_t)u16(d) >= 0)
      continue;
    const char *end = d + len;
    for (const char *p = d + 10;;) {
      size_t size = component_size(p, end);
      if (!size)
        break;
      unsigned c = u16(p + 2);
      if (c < f->num_glyphs && !in_set(set, c))
        add(set, stack, &top, c);
      if (!(u16(p) & MORE_COMPONENTS))
        break;
      p += size;
    }
  }
}

/* The new number of old glyph g: its rank among the kept. */
static unsigned rank(const uint16_t *kept, size_t n, unsigned g) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (kept[mid] < g)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && kept[lo] == g ? (unsigned)lo : 0;
}

/* Glyph g written to out without its instructions, components renumbered;
 * nothing for an empty glyph or one that does not parse. */
static void write_glyph(const font *f, const uint16_t *kept, size_t n_kept,
                        unsigned g, buf *out) {
  size_t len;
  const char *d = glyph_data(f, g, &len);
  if (!d)
    return;
  const char *end = d + len;
  int contours = (int16_t)u16(d);
  size_t start = out->len;
  if (contours >= 0) {
    size_t pts = 10 + 2 * (size_t)contours;
    if (pts + 2 > len || pts + 2 + u16(d + pts) > len)
      return;
    buf_put(out, d, pts);
    put16(out, 0); /* no instructions */
    size_t rest = pts + 2 + u16(d + pts);
    buf_put(out, d + rest, len - rest);
    return;
  }
  buf_put(out, d, 10);
  for (const char *p = d + 10;;) {
    size_t size = component_size(p, end);
    if (!size) {
      out->len = start; /* malformed: empty */
      return;
    }
    size_t at = out->len;
    buf_put(out, p, size);
    unsigned flags = u16(p);
    set16(out->data + at, flags & ~(unsigned)HAVE_INSTRUCTIONS);
    set16(out->data + at + 2, rank(kept, n_kept, u16(p + 2)));
    if (!(flags & MORE_COMPONENTS))
      break;
    p += size;
  }
}

static uint32_t checksum(const char *p, size_t len) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 4 <= len; i += 4)
    sum += u32(p + i);
  return sum;
}

/* NULL when the tables hold together, else what is wrong with them. */
static const char *read_font(const ttf_source *src, font *f) {
  if (!src->head.len || !src->hhea.len || !src->maxp.len || !src->hmtx.len)
    return !src->head.len   ? "it has no head table"
           : !src->hhea.len ? "it has no hhea table"
           : !src->maxp.len ? "it has no maxp table"
                            : "it has no hmtx table";
  if (src->head.len < 54 || src->hhea.len < 36 || src->maxp.len < 6)
    return src->head.len < 54   ? "its head table is cut short"
           : src->hhea.len < 36 ? "its hhea table is cut short"
                                : "its maxp table is cut short";
  f->src = src;
  f->num_glyphs = u16(src->maxp.data + 4);
  f->long_loca = u16(src->head.data + 50) != 0;
  f->num_hmetrics = u16(src->hhea.data + 34);
  if (!f->num_glyphs)
    return "its maxp table counts no glyphs";
  if (!f->num_hmetrics || f->num_hmetrics > f->num_glyphs)
    return "its hhea table gives a metrics count that does not fit its "
           "glyph count";
  if (src->hmtx.len < 4 * (size_t)f->num_hmetrics)
    return "its hmtx table is shorter than its hhea table says";
  if (src->loca.len < (f->long_loca ? 4 : 2) * ((size_t)f->num_glyphs + 1))
    return "its loca table is shorter than its maxp table's glyph count asks";
  return NULL;
}

const char *ttf_check(const ttf_source *src) {
  font f;
  const char *why = read_font(src, &f);
  if (why)
    return why;
  for (unsigned g = 0; g < f.num_glyphs; g++) {
    size_t len;
    if (glyph_data(&f, g, &len))
      return NULL;
  }
  return "all its glyphs are empty: it has no outlines to draw";
}

/* Glyph g's advance and left side bearing, from hmtx. */
static void metrics(const font *f, unsigned g, unsigned *adv, unsigned *lsb) {
  const char *h = f->src->hmtx.data;
  unsigned last = f->num_hmetrics - 1;
  *adv = u16(h + 4 * (g < last ? g : last));
  if (g < f->num_hmetrics)
    *lsb = u16(h + 4 * g + 2);
  else {
    size_t at = 4 * (size_t)f->num_hmetrics + 2 * (size_t)(g - f->num_hmetrics);
    *lsb = at + 2 <= f->src->hmtx.len ? u16(h + at) : 0;
  }
}

int ttf_subset(const ttf_source *src, const uint16_t *gids, size_t n,
               uint16_t *new_gids, buf *out) {
  font f;
  if (read_font(src, &f))
    return -1;
  uint64_t set[65536 / 64] = {0};
  uint16_t *kept = malloc((size_t)f.num_glyphs * sizeof *kept);
  if (!kept)
    out_of_memory();
  keep(&f, set, kept, 0); /* kept serves as the stack first */
  for (size_t i = 0; i < n; i++)
    keep(&f, set, kept, gids[i]);
  size_t n_kept = 0;
  for (unsigned w = 0; w < 65536 / 64; w++)
    for (uint64_t bits = set[w]; bits; bits &= bits - 1)
      kept[n_kept++] = (uint16_t)(w * 64 + (unsigned)__builtin_ctzll(bits));
  for (size_t i = 0; i < n; i++)
    new_gids[i] = (uint16_t)rank(kept, n_kept, gids[i]);

  /* glyf, with each glyph's offset noted for loca */
  buf glyf = {0}, loca = {0}, hmtx = {0};
  uint32_t *offsets = malloc((n_kept + 1) * sizeof *offsets);
  if (!offsets)
    out_of_memory();
  for (size_t i = 0; i < n_kept; i++) {
    offsets[i] = (uint32_t)glyf.len;
    write_glyph(&f, kept, n_kept, kept[i], &glyf);
    if (glyf.len % 2)
      buf_putc(&glyf, '\0');
    /* Glyphs in a sound font do not share bytes, so the subset's glyf is
     * no longer than the font's (but for padding).  A loca whose entries
     * point at the same bytes many times over, with a composite naming
     * them all, would otherwise grow it with the square of its size. */
    if (glyf.len > src->glyf.len + 2 * (i + 1)) {
      free(offsets);
      free(kept);
      buf_free(&glyf);
      buf_free(&hmtx);
      return -1;
    }
    unsigned adv, lsb;
    metrics(&f, kept[i], &adv, &lsb);
    put16(&hmtx, adv);
    put16(&hmtx, lsb);
  }
  offsets[n_kept] = (uint32_t)glyf.len;
  int long_loca = glyf.len > 0x1FFFE;
  for (size_t i = 0; i <= n_kept; i++)
    if (long_loca)
      put32(&loca, offsets[i]);
    else
      put16(&loca, offsets[i] / 2);
  free(offsets);

  char head[54], hhea[36], maxp[32];
  size_t maxp_len = src->maxp.len < sizeof maxp ? src->maxp.len : sizeof maxp;
  memcpy(head, src->head.data, sizeof head);
  memcpy(hhea, src->hhea.data, sizeof hhea);
  memcpy(maxp, src->maxp.data, maxp_len);
  set32(head + 8, 0); /* checkSumAdjustment, set below */
  set16(head + 50, (unsigned)long_loca);
  set16(hhea + 34, (unsigned)n_kept);
  set16(maxp + 4, (unsigned)n_kept);

  const struct {
    char tag[5];
    const char *data;
    size_t len;
  } tables[] = {{"glyf", glyf.data ? glyf.data : "", glyf.len},
                {"head", head, sizeof head},
                {"hhea", hhea, sizeof hhea},
                {"hmtx", hmtx.data, hmtx.len},
                {"loca", loca.data, loca.len},
                {"maxp", maxp, maxp_len}};
  enum { N = sizeof tables / sizeof *tables };
  size_t base = out->len;
  put32(out, 0x00010000);
  put16(out, N);
  put16(out, 64);         /* searchRange: 16 x the largest power of 2 <= N */
  put16(out, 2);          /* entrySelector: log2 of it */
  put16(out, N * 16 - 64); /* rangeShift */
  size_t dir = out->len, head_at = 0;
  for (size_t i = 0; i < N; i++)
    put32(out, 0), put32(out, 0), put32(out, 0), put32(out, 0);
  for (size_t i = 0; i < N; i++) {
    size_t at = out->len;
    buf_put(out, tables[i].data, tables[i].len);
    while (out->len % 4)
      buf_putc(out, '\0');
    if (i == 1)
      head_at = at;
    char *d = out->data + dir + 16 * i;
    memcpy(d, tables[i].tag, 4);
    set32(d + 4, checksum(out->data + at, out->len - at));
    set32(d + 8, (uint32_t)(at - base));
    set32(d + 12, (uint32_t)tables[i].len);
  }
  /* head's checkSumAdjustment makes the whole file sum to a constant */
  set32(out->data + head_at + 8,
        0xB1B0AFBAu - checksum(out->data + base, out->len - base));
  buf_free(&glyf);
  buf_free(&loca);
  buf_free(&hmtx);
  free(kept);
  return 0;
}

/* cff.c - the header, the first Top DICT and the charset of a CFF font
 * program (Adobe Technical Note #5176), read with every offset checked. */
#include "cff.h"

#include <string.h>

typedef struct {
  const unsigned char *d;
  size_t len;
} span;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* An offset of size bytes at p. */
static size_t offset(const unsigned char *p, unsigned size) {
  size_t v = 0;
  for (unsigned i = 0; i < size; i++)
    v = v << 8 | p[i];
  return v;
}

/* The INDEX at *at: its first element in *first, *at moved past it.  0, or
 * -1 when it runs past the table. */
static int read_index(span t, size_t *at, span *first) {
  if (*at + 2 > t.len)
    return -1;
  unsigned count = u16(t.d + *at);
  if (count == 0) {
    *first = (span){NULL, 0};
    *at += 2;
    return 0;
  }
  if (*at + 3 > t.len)
    return -1;
  unsigned size = t.d[*at + 2];
  size_t offs = *at + 3;
  if (size < 1 || size > 4 || (t.len - offs) / size < (size_t)count + 1)
    return -1;
  size_t data = offs + (size_t)(count + 1) * size - 1; /* offsets count from 1 */
  size_t o0 = offset(t.d + offs, size), o1 = offset(t.d + offs + size, size),
         oend = offset(t.d + offs + (size_t)count * size, size);
  if (o0 != 1 || o1 < o0 || oend < o1 || oend > t.len - data)
    return -1;
  *first = (span){t.d + data + o0, o1 - o0};
  *at = data + oend;
  return 0;
}

/* Walks a DICT for operator op (12 x is 1200 + x): its last operand in
 * *value.  1 found, 0 not, -1 malformed. */
static int dict_find(span dict, unsigned op, long *value) {
  long last = 0;
  int have = 0;
  for (size_t i = 0; i < dict.len;) {
    unsigned b = dict.d[i];
    if (b <= 21) {
      unsigned this_op = b;
      if (b == 12) {
        if (i + 1 >= dict.len)
          return -1;
        this_op = 1200 + dict.d[i + 1];
        i++;
      }
      i++;
      if (this_op == op)
        return have ? (*value = last, 1) : -1;
      have = 0;
    } else if (b == 28) {
      if (i + 3 > dict.len)
        return -1;
      last = (int16_t)u16(dict.d + i + 1);
      have = 1;
      i += 3;
    } else if (b == 29) {
      if (i + 5 > dict.len)
        return -1;
      last = (long)(int32_t)(u16(dict.d + i + 1) << 16 | u16(dict.d + i + 3));
      have = 1;
      i += 5;
    } else if (b == 30) { /* a real: nibbles up to an 0xf */
      i++;
      while (i < dict.len && (dict.d[i] & 0x0F) != 0x0F &&
             (dict.d[i] & 0xF0) != 0xF0)
        i++;
      if (i >= dict.len)
        return -1;
      i++;
      last = 0;
      have = 1;
    } else if (b >= 32 && b <= 246) {
      last = (long)b - 139;
      have = 1;
      i++;
    } else if (b >= 247 && b <= 254) {
      if (i + 2 > dict.len)
        return -1;
      long w = (long)(b & 3) * 256 + dict.d[i + 1] + 108;
      last = b <= 250 ? w : -w;
      have = 1;
      i += 2;
    } else {
      return -1; /* 22..27, 31, 255: reserved */
    }
  }
  return 0;
}

/* The CIDs of glyphs 1.. from the charset at at. */
static int read_charset(span t, size_t at, unsigned n_glyphs, uint16_t *cids) {
  if (at >= t.len)
    return -1;
  unsigned format = t.d[at++];
  unsigned g = 1;
  if (format == 0) {
    for (; g < n_glyphs; g++, at += 2) {
      if (at + 2 > t.len)
        return -1;
      cids[g] = (uint16_t)u16(t.d + at);
    }
    return 0;
  }
  if (format != 1 && format != 2)
    return -1;
  unsigned left_size = format == 1 ? 1 : 2;
  while (g < n_glyphs) {
    if (at + 2 + left_size > t.len)
      return -1;
    unsigned first = u16(t.d + at);
    unsigned left = format == 1 ? t.d[at + 2] : u16(t.d + at + 2);
    at += 2 + left_size;
    for (unsigned k = 0; k <= left && g < n_glyphs; k++, g++)
      cids[g] = (uint16_t)(first + k);
  }
  return 0;
}

int cff_read(const unsigned char *cff, size_t len, unsigned n_glyphs,
             uint16_t *cids) {
  span t = {cff, len};
  if (!cff || len < 4 || cff[0] != 1 || cff[2] < 4 || cff[2] > len)
    return -1;
  size_t at = cff[2];
  span name, top;
  if (read_index(t, &at, &name) != 0 || read_index(t, &at, &top) != 0 ||
      !top.d)
    return -1;
  long ros = 0, charset = 0;
  int cid_keyed = dict_find(top, 1230, &ros);
  if (cid_keyed < 0 || dict_find(top, 15, &charset) < 0)
    return -1;
  if (!cids)
    return cid_keyed;
  for (unsigned g = 0; g < n_glyphs; g++)
    cids[g] = (uint16_t)g;
  if (!cid_keyed || n_glyphs <= 1)
    return cid_keyed;
  /* a CID-keyed font has a charset of its own (0..2 name predefined ones) */
  if (charset <= 2 || (size_t)charset >= len)
    return -1;
  return read_charset(t, (size_t)charset, n_glyphs, cids) == 0 ? 1 : -1;
}

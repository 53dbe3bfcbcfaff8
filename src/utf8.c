/* utf8.c - UTF-8 per RFC 3629 / Unicode 15 table 3-7. */
#include "utf8.h"

int utf8_decode(const unsigned char *s, size_t len, uint32_t *cp) {
  if (len == 0)
    return 0;
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int n;
  uint32_t v;
  unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, v = c & 0x0F;
    if (c == 0xE0)
      lo = 0xA0; /* no overlong */
    if (c == 0xED)
      hi = 0x9F; /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, v = c & 0x07;
    if (c == 0xF0)
      lo = 0x90;
    if (c == 0xF4)
      hi = 0x8F; /* nothing past U+10FFFF */
  } else {
    return 0;
  }
  if (len < (size_t)n)
    return 0;
  if (s[1] < lo || s[1] > hi)
    return 0;
  v = (v << 6) | (s[1] & 0x3F);
  for (int i = 2; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return n;
}

int utf8_is_noncharacter(uint32_t cp) {
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

void utf8_encode(buf *out, uint32_t cp) {
  char b[4];
  if (cp < 0x80) {
    b[0] = (char)cp;
    buf_put(out, b, 1);
  } else if (cp < 0x800) {
    b[0] = (char)(0xC0 | (cp >> 6));
    b[1] = (char)(0x80 | (cp & 0x3F));
    buf_put(out, b, 2);
  } else if (cp < 0x10000) {
    b[0] = (char)(0xE0 | (cp >> 12));
    b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    buf_put(out, b, 3);
  } else {
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    buf_put(out, b, 4);
  }
}

/* Length of the maximal subpart of an ill-formed sequence at s: the lead byte
 * plus the continuation bytes that could still have belonged to it. */
static size_t bad_span(const unsigned char *s, size_t len) {
  unsigned c = s[0];
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
  if (c > 0xF4)
    return 1;
  size_t i = 1;
  unsigned lo = 0x80, hi = 0xBF;
  if (c == 0xE0)
    lo = 0xA0;
  if (c == 0xED)
    hi = 0x9F;
  if (c == 0xF0)
    lo = 0x90;
  if (c == 0xF4)
    hi = 0x8F;
  if (n > 1 && i < len && s[i] >= lo && s[i] <= hi) {
    i++;
    while (i < n && i < len && (s[i] & 0xC0) == 0x80)
      i++;
  }
  return i;
}

size_t utf8_repair(const char *in, size_t len, buf *out, size_t *first_bad) {
  const unsigned char *s = (const unsigned char *)in;
  size_t bad = 0, i = 0, run = 0;
  while (i < len) {
    uint32_t cp;
    int n = s[i] < 0x80 ? (s[i] != 0) : utf8_decode(s + i, len - i, &cp);
    if (n > 0) {
      i += (size_t)n;
      continue;
    }
    buf_put(out, in + run, i - run);
    if (bad++ == 0 && first_bad)
      *first_bad = i;
    utf8_encode(out, UTF8_REPLACEMENT);
    i += s[i] == 0 ? 1 : bad_span(s + i, len - i);
    run = i;
  }
  buf_put(out, in + run, len - run);
  return bad;
}

uint32_t utf8_next(const unsigned char **s, size_t *len) {
  uint32_t cp;
  int k = utf8_decode(*s, *len, &cp);
  if (k == 0) {
    k = 1;
    cp = UTF8_REPLACEMENT;
  }
  *s += k;
  *len -= (size_t)k;
  return cp;
}

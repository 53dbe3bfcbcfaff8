/* cjk.c - classes of characters (cjk.h). */
#include "cjk.h"

#include "utf8.h"

int font_is_cjk_char(uint32_t c) {
  return (c >= 0x2E80 && c <= 0x2FDF) || /* radicals */
         (c >= 0x3000 && c <= 0x303F) || /* CJK symbols and punctuation */
         (c >= 0x3040 && c <= 0x30FF) || /* kana */
         (c >= 0x3100 && c <= 0x31BF) || /* bopomofo */
         (c >= 0x31C0 && c <= 0x9FFF) || /* strokes .. unified ideographs */
         (c >= 0xAC00 && c <= 0xD7AF) || /* hangul */
         (c >= 0xF900 && c <= 0xFAFF) || /* compatibility ideographs */
         (c >= 0xFE30 && c <= 0xFE4F) || /* vertical/compat forms */
         (c >= 0xFF00 && c <= 0xFF60) || /* fullwidth forms */
         (c >= 0xFFE0 && c <= 0xFFE6) ||
         (c >= 0x20000 && c <= 0x3FFFF); /* extension B and beyond */
}

int font_is_ambiguous_punct(uint32_t c) {
  return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D ||
         c == 0x2014 || c == 0x2015 || c == 0x2026 || c == 0x00B7 ||
         c == 0x2027 || c == 0x2030 || c == 0x203B;
}

const char *cjk_text_lang(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t cjk = 0, other = 0;
  int kana = 0, hangul = 0;
  while (len) {
    uint32_t c = utf8_next(&p, &len);
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF))
      kana = 1;
    if (c >= 0xAC00 && c <= 0xD7AF)
      hangul = 1;
    int latin = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) ||
        (c < 0x80 && !latin && !(c >= '0' && c <= '9')))
      continue; /* punctuation, spaces: no language */
    if (font_is_cjk_char(c))
      cjk++;
    else
      other++;
  }
  if (!cjk || cjk < other)
    return NULL;
  return kana ? "ja" : hangul ? "ko" : "zh";
}

/* cjk.c - classes of characters (cjk.h). */
#include "cjk.h"

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

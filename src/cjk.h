/* cjk.h - classes of characters that line breaking, font choice and the
 * EPUB care about.  Pure functions of the code point, with no library
 * behind them: compiled into each module that asks (the PDF writer, the
 * EPUB writer, the EPUB's fonts), so that the EPUB writer can tell whether
 * a text wants its fonts carried without loading HarfBuzz. */
#ifndef GALLEY_CJK_H
#define GALLEY_CJK_H

#include <stddef.h>
#include <stdint.h>

int font_is_cjk_char(uint32_t cp); /* ideographs, kana, hangul, CJK punct */
int font_is_ambiguous_punct(uint32_t cp); /* “ ” ‘ ’ — … · */

/* The language a run of text mostly written in a CJK script is in, told
 * by the script: kana make it Japanese, hangul Korean, ideographs alone
 * Chinese.  NULL when under half its letters are CJK (punctuation and
 * spaces not counted). */
const char *cjk_text_lang(const char *s, size_t len);

#endif

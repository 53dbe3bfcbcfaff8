#!/usr/bin/env bash
# e2e_shaping.sh GALLEY - text shaped with HarfBuzz and ordered with
# FriBidi, read back from the PDF: ligatures drawn as one glyph whose
# ToUnicode entry gives back every letter, kerned pairs closer than the
# same glyphs unkerned, none of either in code, local forms by language,
# right-to-left paragraphs set from the right with their words in order,
# Arabic joined, brackets mirrored, right-to-left documents mirrored
# (markers on the right, code left to right), and the EPUB's dir
# attributes.  Positions come from pdftotext -bbox-layout, codes from the
# fonts' ToUnicode CMaps (tests/tounicode.py).
# Prints "e2e-shaping: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"
PY=/usr/bin/python3 # Debian's, with python3-pikepdf
codes() { "$PY" "$ROOT/tests/tounicode.py" "$1"; } # FONT CODE UTF16 lines

# words PDF: "xMin xMax yMin word" for every word pdftotext finds
words() {
  pdftotext -bbox-layout "$1" - 2>/dev/null |
    sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="[0-9.]*">\(.*\)<\/word>/\1 \3 \2 \4/p'
}
# word_at PDF WORD FIELD: field 1 (xMin), 2 (xMax) or 3 (yMin) of WORD
word_at() { words "$1" | awk -v w="$2" -v f="$3" '$4 == w {print $f; exit}'; }
# lt NAME A B: A < B (numbers)
lt() {
  if awk -v a="$2" -v b="$3" 'BEGIN{exit !(a != "" && b != "" && a + 0 < b + 0)}'; then
    pass "$1"
  else fail "$1" "[$2] is not less than [$3]"; fi
}
near() { # NAME A B TOLERANCE
  if awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(a != "" && b != "" && d <= t)}'; then
    pass "$1"
  else fail "$1" "[$2] and [$3] more than $4 apart"; fi
}
RIGHT=531.28 # the article style's text block ends here on A4 (595.28 - 64)

# ---- ligatures, kerning, code ----
cat > latin.md <<'EOF'
---
title: Shaping
---

The office staff fluffed the affine figures of the official file.

AVAVAVAV AAAAVVVV

`AVAVAVAV` `AAAAVVVV` `office`
EOF
check "latin: converts" "$GALLEY" -q -o latin.pdf latin.md
check_pdf "latin: PDF sound" latin.pdf
text=$(pdftotext latin.pdf - 2>/dev/null)
check_has "ligatures extract as their letters" "$text" \
  "The office staff fluffed the affine figures of the official file."
check_has "code extracts as typed" "$text" "office"
serif=$(codes latin.pdf | grep NotoSerif-Regular)
check_has "ffi drawn as one glyph standing for f, f, i" "$serif" " 006600660069"
check_has "fi drawn as one glyph" "$serif" " 00660069"
mono=$(codes latin.pdf | grep -i mono)
check_lacks "code: no ligature glyphs" "$(awk 'length($3) > 4' <<<"$mono")" "0066"
a=$(word_at latin.pdf AVAVAVAV 1) b=$(word_at latin.pdf AVAVAVAV 2)
c=$(word_at latin.pdf AAAAVVVV 1) d=$(word_at latin.pdf AAAAVVVV 2)
kerned=$(awk -v a="$a" -v b="$b" 'BEGIN{print b-a}')
plain=$(awk -v a="$c" -v b="$d" 'BEGIN{print b-a}')
# seven AV/VA pairs against one, each kerned about 0.08 em at 12 pt
lt "AV pairs kerned closer than the same glyphs apart" \
  "$(awk -v k="$kerned" 'BEGIN{print k + 3}')" "$plain"
ca=$(words latin.pdf | awk '$4 == "AVAVAVAV" {n++} n == 2 {print $2 - $1; exit}')
cb=$(words latin.pdf | awk '$4 == "AAAAVVVV" {n++} n == 2 {print $2 - $1; exit}')
near "code: no kerning (the same glyphs as wide in any order)" "$ca" "$cb" 0.01

# ---- local forms: the comma of mainland and Taiwanese Chinese ----
for l in zh-CN zh-TW; do
  printf -- '---\ntitle: 逗号\nlang: %s\n---\n\n中文，标点。\n' "$l" > "$l.md"
  check "$l: converts" "$GALLEY" -q -o "$l.pdf" "$l.md"
done
cn=$(codes zh-CN.pdf | awk '$3 == "FF0C" && $1 ~ /SerifCJK/ {print $2; exit}')
tw=$(codes zh-TW.pdf | awk '$3 == "FF0C" && $1 ~ /SerifCJK/ {print $2; exit}')
if [ -n "$cn" ] && [ -n "$tw" ] && [ "$cn" != "$tw" ]; then
  pass "locl: the comma's glyph (CID) follows the language"
else fail "locl: the comma's glyph (CID) follows the language" "zh-CN $cn, zh-TW $tw"; fi
check_has "zh-TW: the comma extracts as typed" "$(pdftotext zh-TW.pdf - 2>/dev/null)" "中文，标点。"

# ---- the Chinese dash and ellipsis in every built-in CJK face: ——
# one unbroken line (faces draw the em dash short of its cell), …… at the
# middle of the characters (Droid Sans Fallback has neither: DejaVu Sans
# stands in, its dots on the baseline); the text extracts as typed ----
printf -- '---\ntitle: T\nlang: zh-CN\n---\n\n中——中……中\n' > ink.md
for face in "Noto Serif CJK SC" "Noto Sans CJK SC" "AR PL UMing" "AR PL UKai" \
    "AR PL KaitiM GB" "WenQuanYi Zen Hei" "Droid Sans Fallback"; do
  "$GALLEY" -q --font "$face" -o ink.pdf ink.md
  pdftoppm -r 200 -gray -png -f 1 -l 1 -singlefile ink.pdf ink
  # (raised dots make a word of their own for poppler: the line's start)
  box=$(words ink.pdf | awk 'index($4, "中——") == 1 {print $1, $3; exit}')
  y1=$(pdftotext -bbox-layout ink.pdf - |
    sed -n 's/.*yMax="\([0-9.]*\)">中——[^<]*<.*/\1/p' | head -1)
  read -r gap lift < <("$PY" "$ROOT/tests/cjk_ink.py" ink.png 200 $box "$y1" 12)
  lt "$face: —— one line (widest gap $gap em)" "$gap" 0.02
  lt "$face: …… at the middle ($lift em from the ideographs')" \
    "$(awk -v l="$lift" 'BEGIN{print (l < 0 ? -l : l)}')" 0.1
done
check_has "—— and …… extract as typed" "$(pdftotext ink.pdf - 2>/dev/null)" "中——中……中"

# ---- cjk-latin-space: a quarter em between Han and Latin, from the style
# (off in the built-in styles: readers extract it as a word space) ----
printf -- '---\ntitle: T\nlang: zh-CN\n---\n\n保存为PDF/A格式，于2026年完成。\n' > cls.md
printf 'name: spaced\nextends: article\ncjk-latin-space: 0.25\n' > spaced.yaml
check "cjk-latin-space: converts" "$GALLEY" -q --style spaced.yaml -o cls.pdf cls.md
check "cjk-latin-space: off by default" "$GALLEY" -q -o cls0.pdf cls.md
gap=$(words cls.pdf | awk '$4 == "保存为" {e = $2} $4 == "PDF/A" {print $1 - e; exit}')
near "cjk-latin-space 0.25: a quarter em (3 pt) between 为 and P" "$gap" 3 0.3
gap=$(words cls.pdf | awk '$4 == "PDF/A" {e = $2} $4 ~ /^格式/ {print $1 - e; exit}')
near "cjk-latin-space 0.25: and between A and 格" "$gap" 3 0.3
check_has "off: Han and Latin side by side" "$(pdftotext cls0.pdf - 2>/dev/null)" \
  "保存为PDF/A格式，于2026年完成。"
printf 'name: bad\nextends: article\ncjk-latin-space: 3\n' > bad.yaml
gal -q --style bad.yaml -o bad.pdf cls.md
check_rc "cjk-latin-space: out of range refused" 2
check_has "cjk-latin-space: the error names the style's line" "$ERR" "bad.yaml:3"

# ---- hyphenation by the document's language (Debian's hyphen-de, an ISO
# 8859-1 file, and hyphen-fr, a UTF-8 one), and a visible hyphen where a
# word must be cut with no pattern's leave ----
printf -- '---\ntitle: T\nlang: de-DE\n---\n\nDie Verwaltungsvorschriftenänderungsbekanntmachung wird mit Übereinstimmungsbescheinigungen und Rechtsschutzversicherungsgesellschaften veröffentlicht, während Straßenbahnhaltestellenbeleuchtung diskutiert wird.\n' > de.md
printf -- '---\ntitle: T\nlang: fr\n---\n\nLe développement des établissements hospitaliers universitaires nécessite une réorganisation considérable des responsabilités administratives, particulièrement concernant l’interopérabilité des infrastructures numériques départementales.\n' > fr.md
# libhyphen keeps part of a German or French dictionary after freeing it
# (tests/lsan.supp): suppressed for these runs only, since LeakSanitizer's
# tracer crashed with the suppressions on where librsvg draws an SVG
hyph() { LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0" "$GALLEY" "$@"; }
for l in de fr; do
  check "$l: converts" hyph -q --font-size large -o $l.pdf $l.md
  hyphened=$(pdftotext -layout $l.pdf - 2>/dev/null | grep -c -- '-$')
  lt "$l: words hyphenated by the language's patterns" 0 "$hyphened"
done
check_has "de: a hyphenated word extracts whole" "$(pdftotext de.pdf - 2>/dev/null | tr -d '\n')" \
  "Rechtsschutzversicherungsgesellschaften"
check_has "fr: accented words hyphenated and whole again" \
  "$(pdftotext fr.pdf - 2>/dev/null | tr -d '\n')" "particulièrement"
# hyphen-limit: hyphenated lines in a row, 2 by default (German at small
# size, where the limit binds: 3 lets three through)
run_of_hyphens() { pdftotext -layout "$1" - 2>/dev/null | grep -v '^$' |
  awk '{ if (/-$/) { r++; if (r > m) m = r } else r = 0 } END { print m + 0 }'; }
printf -- '---\ntitle: T\nlang: de-DE\n---\n\nDie Donaudampfschifffahrtsgesellschaftskapitänsmütze liegt neben der Größenordnungsabschätzung, und die Verwaltungsvorschriftenänderungsbekanntmachung wird mit Übereinstimmungsbescheinigungen und Rechtsschutzversicherungsgesellschaften veröffentlicht, während Straßenbahnhaltestellenbeleuchtung und Datenschutzgrundverordnungsanpassungen diskutiert werden.\n' > long.md
for limit in 1 3; do
  printf 'name: h%s\nextends: article\nhyphen-limit: %s\n' $limit $limit > h$limit.yaml
  hyph -q --style h$limit.yaml --font-size small -o de$limit.pdf long.md
done
hyph -q --font-size small -o de2.pdf long.md
check_eq "hyphen-limit 1: no two hyphenated lines in a row" "$(run_of_hyphens de1.pdf)" 1
check_eq "hyphen-limit (default 2): two in a row at most" "$(run_of_hyphens de2.pdf)" 2
check_eq "hyphen-limit 3: three let through" "$(run_of_hyphens de3.pdf)" 3
w=Pneumonoultramicroscopicsilicovolcanoconiosisxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
printf -- '---\ntitle: T\n---\n\nA cut word: %s ends.\n\n`%s`\n' "$w" "$w" > cut.md
check "cut: converts" "$GALLEY" -q -o cut.pdf cut.md
lines=$(pdftotext -layout cut.pdf - 2>/dev/null)
check_has "a word cut where no pattern allows shows a hyphen" "$lines" "xxxx-"
check_has "the cut word extracts whole" "$(pdftotext cut.pdf - 2>/dev/null)" "$w ends"
check_eq "one cut shows a hyphen: the prose's, not the code's" "$(grep -c 'xxx-$' <<<"$lines")" 1

# ---- bidi in a left-to-right document ----
cat > bidi.md <<'EOF'
---
title: Bidi
---

The word שלום means peace, and سلام is the Arabic (كلمة) for it.

שלום עולם! זה משפט בעברית עם המילה English בתוכו (וסוגריים).

مرحبا بالعالم. هذه جملة عربية فيها كلمة English واحدة، ورقم 2026.
EOF
check "bidi: converts" "$GALLEY" -q -o bidi.pdf bidi.md
check_pdf "bidi: PDF sound" bidi.pdf
raw=$(pdftotext -raw bidi.pdf - 2>/dev/null)
check_has "Arabic extracts in its own order" "$(pdftotext bidi.pdf - 2>/dev/null)" "سلام"
# (poppler gives each right-to-left word on a line of its own, between
# embedding marks)
for w in مرحبا بالعالم عربية שלום עולם בעברית; do
  check_has "right-to-left word $w extracts" "$raw" "$w"
done
# pdftotext gives right-to-left words in the order they are drawn; the
# Hebrew paragraph's line is the one with its second word
y=$(words bidi.pdf | awk '$4 == "םלוע" {print $3; exit}')
on_line() { # WORD FIELD: on the Hebrew paragraph's line
  words bidi.pdf | awk -v y="$y" -v w="$1" -v f="$2" \
    '$4 == w && $3 - y < 5 && y - $3 < 5 {print $f; exit}'
}
shalom=$(on_line "םולש" 2) olam=$(on_line "םלוע" 2)
lt "Hebrew: the first word stands right of the second" "$olam" "$shalom"
near "Hebrew paragraph: set from the right edge" "$shalom" "$RIGHT" 0.5
eng=$(on_line English 1) hamila=$(on_line "הלימה" 1)
lt "an English word in a Hebrew sentence stands in its place" "$eng" "$hamila"
first=$(word_at bidi.pdf The 1)
near "English paragraph: set from the left edge" "$first" 64 0.5
lam=$(codes bidi.pdf | awk '$3 == "0644"' | wc -l)
lt "Arabic joined: lam drawn in more than one form" 1 "$lam"
paren=$(codes bidi.pdf | awk '$3 == "0028" && $1 ~ /NotoSerif-Regular/' | wc -l)
lt "brackets mirrored in right-to-left text: ( drawn with two glyphs" 1 "$paren"

# ---- the multilingual sample: Arabic vowel signs (marks, no advance of
# their own) found in the face of their letters, not replaced ----
gal -o ml.pdf "$ROOT/samples/multilingual.md"
check_rc "multilingual sample: converts" 0
check_eq "multilingual sample: no character left without a face" "$ERR" ""
mltext=$(pdftotext ml.pdf - 2>/dev/null)
check_has "Arabic with a vowel sign inside a word extracts" "$mltext" "وتُعرض"
check_has "Arabic with a vowel sign ending a word extracts" "$mltext" "معرضاً"
check_has "the Arabic and Hebrew faces of the serif body" \
  "$(pdffonts ml.pdf 2>/dev/null)" "NotoNaskhArabic-Regular"
check_has "the Hebrew face of the sans headings" \
  "$(pdffonts ml.pdf 2>/dev/null)" "NotoSansHebrew-Bold"

# ---- a right-to-left document ----
cat > he.md <<'EOF'
---
title: שלום
lang: he
---

# כותרת

שלום עולם! זה משפט בעברית.

- פריט ראשון
- פריט שני

```
code stays ltr
```
EOF
check "he: converts" "$GALLEY" -q -o he.pdf he.md
check "he: EPUB" "$GALLEY" -q -o he.epub he.md
heading=$(word_at he.pdf "תרתוכ" 2)
near "he: heading from the right edge" "$heading" "$RIGHT" 0.5
marker=$(word_at he.pdf "•" 1) item=$(word_at he.pdf "ןושאר" 2)
lt "he: list marker on the right of its item" "$item" "$marker"
code=$(word_at he.pdf code 1)
near "he: code left to right from the left edge" "$code" 64 8
xhtml=$(unzip -p he.epub OEBPS/text/ch0001.xhtml)
check_has "he: EPUB html dir=rtl" "$xhtml" 'lang="he" dir="rtl"'
check_has "he: EPUB code dir=ltr" "$xhtml" '<pre dir="ltr">'
check_has "he: EPUB spine right to left" "$(opf he.epub)" 'page-progression-direction="rtl"'
check_epub_bg "he: EPUBCheck clean" he.epub
check "bidi: EPUB" "$GALLEY" -q -o bidi.epub bidi.md
bx=$(unzip -p bidi.epub OEBPS/text/ch0001.xhtml)
check_has "bidi: EPUB paragraph of Hebrew takes its text's direction" "$bx" \
  '<p dir="auto">שלום עולם!'
check_has "bidi: EPUB mixed paragraph takes its direction from its text too" "$bx" '<p dir="auto">The word'
check_epub_bg "bidi: EPUBCheck clean" bidi.epub

# ---- dir: in front matter ----
printf -- '---\ntitle: T\ndir: rtl\n---\n\nPlain English set from the right.\n' > rtl.md
check "dir: rtl converts" "$GALLEY" -q -o rtl.pdf rtl.md
end=$(word_at rtl.pdf right 2)
stop=$(word_at rtl.pdf . 2) plain_x=$(word_at rtl.pdf Plain 1)
near "dir: rtl puts the closing full stop at the left (UAX #9)" "$stop" "$plain_x" 0.5
near "dir: rtl sets English from the right edge" "$end" "$RIGHT" 0.5
printf -- '---\ntitle: T\ndir: sideways\n---\n\nText.\n' > bad.md
gal -q -o bad.pdf bad.md
check_rc "dir: a bad value is an error" 1
check_has "dir: the error names file and line" "$ERR" "bad.md:3"
check "dir: nothing written on error" test ! -e bad.pdf

collect
finish e2e-shaping

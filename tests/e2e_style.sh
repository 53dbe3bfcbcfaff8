#!/usr/bin/env bash
# e2e_style.sh GALLEY - the styles: each built-in style at each size to PDF
# and EPUB (EPUBCheck, qpdf, pdffonts), the circular's GB/T 9704 geometry
# measured from the PDF, the book's contents page and running headers, a
# user's style that extends article, fonts by name, and style errors.
# Prints "e2e-style: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"
S=$ROOT/samples

pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
# Words of one page as "xMin yMin xMax yMax text" lines.
words() { # FILE PAGE
  pdftotext -f "$2" -l "$2" -bbox "$1" - 2>/dev/null |
    sed -n 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2 \3 \4 \5/p'
}
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }'; }
# A font in the PDF, whatever its subset tag and style suffix.
has_font() { pdffonts "$1" 2>/dev/null | grep -qE "^[A-Z]{6}\+$2( |,)"; }
all_embedded() { pdffonts "$1" 2>/dev/null | awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-2) != "yes") { bad = 1 } END { exit bad }'; }

# ---- every style, every size, both formats ----
for style in article circular book; do
  for size in small medium large; do
    n="$style $size"
    if "$GALLEY" -q --style "$style" --font-size "$size" --book \
        -o "$TMP/$style-$size.epub" "$S"/*.md 2>"$TMP/err"; then
      pass "$n: EPUB written"
    else
      fail "$n: EPUB written" "$(head -2 "$TMP/err")"
    fi
    check_epub "$n: EPUB valid" "$TMP/$style-$size.epub"
    for f in news-report circular mixed-guide; do
      "$GALLEY" -q --style "$style" --font-size "$size" \
        -o "$TMP/$style-$size-$f.pdf" "$S/$f.md" 2>/dev/null
      check "$n $f: PDF clean under qpdf" qpdf --check "$TMP/$style-$size-$f.pdf"
    done
    check "$n: fonts embedded with ToUnicode" all_embedded "$TMP/$style-$size-circular.pdf"
  done
done

# ---- one source, two outputs: the EPUB's CSS carries the style's values ----
css() { unzip -p "$1" OEBPS/style.css; }
c=$(css "$TMP/circular-medium.epub")
check_has "circular CSS: red authority" "$c" "color: #E60012;"
check_has "circular CSS: title at 二号 (22/15.75 em)" "$c" "font-size: 1.4em;"
check_has "circular CSS: FangSong body first" "$c" '"FangSong", "仿宋"'
check_has "circular CSS: print page and margins" "$c" "@page { size: 595.3pt 841.9pt; margin: 104.9pt"
a=$(css "$TMP/article-medium.epub")
check_has "article CSS: Noto Serif body, Song for Chinese" "$a" '"Noto Serif", "Noto Serif CJK SC", "AR PL UMing", "Droid Sans Fallback", "Source Han Serif SC", "Songti SC", "SimSun", serif'
check_has "article CSS: h1 in Noto Sans" "$a" 'font-family: "Noto Sans", "Droid Sans Fallback", sans-serif;
  font-size: 1.5em;'
check_has "large CSS scales the body" "$(css "$TMP/article-large.epub")" "html { font-size: 133.3%; }"
"$GALLEY" -q --style circular -o "$TMP/circular.epub" "$S/circular.md"
x=$(unzip -p "$TMP/circular.epub" 'OEBPS/text/*.xhtml')
check_has "circular EPUB: masthead" "$x" '<p class="authority">临江市档案局</p>'
check_has "circular EPUB: red rule" "$x" '<hr class="masthead"/>'
check_has "circular EPUB: signature at the end" "$(tail -5 <<<"$x")" '<p class="date">2026年3月10日</p>'

# ---- circular: the GB/T 9704 page, measured ----
# A plain Chinese text of 3-byte characters only, so bytes / 3 = characters.
awk 'BEGIN {
  srand(7); print "---\ntitle: 网格\nlang: zh-CN\nnumber: 测〔2026〕1号\nauthority: 测试局\ndate: 2026-01-02\n---\n"
  for (p = 0; p < 8; p++) {
    s = ""
    for (i = 0; i < 260; i++) {
      c = 19968 + int(rand() * 8000)
      s = s sprintf("%c%c%c", 224 + int(c / 4096), 128 + int(c / 64) % 64, 128 + c % 64)
      if (i % 37 == 36) s = s "\357\274\214" # ，
    }
    print s "\343\200\202\n" # 。
  }
}' > "$TMP/grid.md"
mm() { awk -v m="$1" 'BEGIN { printf "%.2f", m * 72 / 25.4 }'; }
TOP=$(mm 37) LEFT=$(mm 28) RIGHT=$(mm 184) BOTTOM=$(mm 262)
measure() { # FILE PAGE -> "lines maxchars fulllines minx maxx miny maxy"
  words "$1" "$2" | awk -v b="$BOTTOM" '
    $2 < b + 2 { y = sprintf("%.1f", $2); n = length($5) / 3; if (!(y in seen)) { seen[y] = 1; lines++ }
      c[y] += n; if (!minx || $1 < minx) minx = $1; if ($3 > maxx) maxx = $3
      if (!miny || $2 < miny) miny = $2; if ($4 > maxy) maxy = $4 }
    END { for (y in c) { if (c[y] > most) most = c[y] }
      for (y in c) if (c[y] == most) full++
      printf "%d %d %d %.2f %.2f %.2f %.2f\n", lines, most, full, minx, maxx, miny, maxy }'
}
for size in small medium large; do
  "$GALLEY" -q --style circular --font-size "$size" -o "$TMP/grid-$size.pdf" "$TMP/grid.md"
done
read -r lines most full minx maxx miny maxy <<<"$(measure "$TMP/grid-medium.pdf" 2)"
check_eq "circular medium: 22 lines on a full page" "$lines" 22
check_eq "circular medium: 28 characters per full line" "$most" 28
if [ "$full" -ge 15 ]; then pass "circular medium: most lines full"; else fail "circular medium: most lines full" "$full"; fi
check "circular: text block starts 28 mm from the left" near "$minx" "$LEFT" 0.6
if awk -v x="$maxx" -v r="$RIGHT" 'BEGIN { exit !(x <= r + 0.5 && x > r - 2) }'; then
  pass "circular: full lines end at 184 mm"; else fail "circular: full lines end at 184 mm" "$maxx vs $RIGHT"; fi
if awk -v y="$miny" -v t="$TOP" 'BEGIN { exit !(y >= t && y < t + 12) }'; then
  pass "circular: first line just below 37 mm"; else fail "circular: first line just below 37 mm" "$miny vs $TOP"; fi
if awk -v y="$maxy" -v b="$BOTTOM" 'BEGIN { exit !(y <= b && y > b - 15) }'; then
  pass "circular: last line within 262 mm"; else fail "circular: last line within 262 mm" "$maxy vs $BOTTOM"; fi
read -r s_lines s_most _ <<<"$(measure "$TMP/grid-small.pdf" 2)"
read -r l_lines l_most _ <<<"$(measure "$TMP/grid-large.pdf" 2)"
if [ "$s_lines" -gt 22 ] && [ "$s_most" -gt 28 ] && [ "$l_lines" -lt 22 ] && [ "$l_most" -lt 28 ]; then
  pass "circular: small and large scale the grid"
else
  fail "circular: small and large scale the grid" "small $s_lines x $s_most, large $l_lines x $l_most"
fi
# a grid of the user's own: its lines and characters are the ones laid
printf 'extends: circular\npage:\n  grid: {lines: 20, chars: 26}\n' > "$TMP/grid26.yaml"
"$GALLEY" -q --style "$TMP/grid26.yaml" -o "$TMP/grid26.pdf" "$TMP/grid.md"
read -r g_lines g_most _ <<<"$(measure "$TMP/grid26.pdf" 2)"
check_eq "own grid: 20 lines of 26 characters" "$g_lines x $g_most" "20 x 26"
pw=$(pdfinfo "$TMP/grid-large.pdf" | sed -n 's/^Page size: *//p')
check_has "circular large: still A4" "$pw" "595.276 x 841.89"
# page numbers "— N —" below the block: odd pages right, even pages left
num() { words "$1" "$2" | awk -v b="$BOTTOM" '$2 > b' | awk 'NR == 1 { x = $1 } { t = t $5; x2 = $3; y = $2 } END { print x, x2, y, t }'; }
read -r nx1 nx2 ny nt <<<"$(num "$TMP/grid-medium.pdf" 1)"
check_eq "circular: page number text" "$nt" "—1—"
if awk -v x="$nx2" -v r="$RIGHT" 'BEGIN { exit !(x < r && x > r - 40) }'; then
  pass "circular: odd page number at the right"; else fail "circular: odd page number at the right" "$nx2"; fi
if awk -v y="$ny" -v b="$BOTTOM" 'BEGIN { exit !(y > b + 14 && y < b + 26) }'; then
  pass "circular: page number 7 mm below the block"; else fail "circular: page number 7 mm below the block" "$ny vs $BOTTOM"; fi
read -r nx1 nx2 ny nt <<<"$(num "$TMP/grid-medium.pdf" 2)"
check_eq "circular: even page number" "$nt" "—2—"
if awk -v x="$nx1" -v l="$LEFT" 'BEGIN { exit !(x > l && x < l + 40) }'; then
  pass "circular: even page number at the left"; else fail "circular: even page number at the left" "$nx1"; fi
# masthead: authority, number, red rule the width of the block, title
first=$(words "$TMP/grid-medium.pdf" 1 | head -3 | awk '{print $5}' | tr '\n' ' ')
check_eq "circular: authority, number, title in order" "$first" "测试局 测〔2026〕1号 网格 "
qpdf --qdf --object-streams=disable "$TMP/grid-medium.pdf" "$TMP/q.pdf" 2>/dev/null
check "circular: red text and rule" grep -aq '^0.90196 0 0.07059 rg$' "$TMP/q.pdf"
rule=$(grep -a ' re$' "$TMP/q.pdf" | head -1)
check_has "circular: rule across the text block" "$rule" "$(printf '%.2f' "$(mm 28)" | cut -c1-4)"
check_has "circular: rule 156 mm wide" "$rule" " 442.2"
# signature: the date four characters from the right edge, the issuer above
last=$(pages "$TMP/grid-medium.pdf")
sig=$(words "$TMP/grid-medium.pdf" "$last" | awk -v b="$BOTTOM" '$2 < b' | tail -2)
check_has "circular: signature names the issuer" "$sig" "测试局"
dx=$(awk '/2026年1月2日/ { print $3 }' <<<"$sig")
check "circular: date 4 characters in from the right" near "$dx" "$(awk -v r="$RIGHT" 'BEGIN { print r - 4 * 15.75 }')" 2

# ---- circular: the masthead and the body's elements where GB/T 9704-2012
# puts them (7.2-7.3), in mm from the PDF, within 0.5 mm ----
# Heights are of the glyph boxes pdftotext gives: a word's yMin/yMax are its
# baseline less the font's Ascent and plus its Descent, and the CJK faces'
# metrics are their ideographic em box (Ascent 880, Descent -120), so the
# box is the em box, one em high (checked below), the characters' own ink a
# little inside it.  Mark, number and rule stand off the grid; the body's
# lines come back to it.
cat > "$TMP/mast.md" <<'MD'
---
title: 关于测量版头位置的通知
lang: zh-CN
number: "测发[2026]07号"
authority: 测试局文件
date: 2026-01-02
---

各有关单位：

正文第一段，写在主送机关之下，首行缩进两个字。

## 一、第一层

### （一）第二层

#### 1.第三层

##### （1）第四层

1. 第一项的文字写得很长很长，要回行，回行时顶格排在版心左边，和正文段落的回行一样。
2. 第二项。

特此通知。
MD
mmd() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a - b) * 25.4 / 72 }'; }
gal -q --style circular -o "$TMP/mast.pdf" "$TMP/mast.md"
mw=$(words "$TMP/mast.pdf" 1)
read -r _ mtop _ mbot mtext <<<"$(sed -n 1p <<<"$mw")"
read -r _ ntop _ nbot ntext <<<"$(sed -n 2p <<<"$mw")"
check_eq "circular: the mark's box is one em (2.2 x 15.75 pt)" "$(awk -v a="$mtop" -v b="$mbot" 'BEGIN { printf "%.1f", b - a }')" "34.6"
check "circular: mark's top 35 mm below the text block's ($(mmd "$mtop" "$TOP") mm)" near "$(mmd "$mtop" "$TOP")" 35 0.5
PITCH=$(awk 'BEGIN { printf "%.4f", 225 / 22 }') # mm, a line of the grid
check "circular: number two lines (20.45 mm) below the mark ($(mmd "$ntop" "$mbot") mm)" near "$(mmd "$ntop" "$mbot")" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p }')" 0.5
check_eq "circular: number normalised (〔〕, no leading zero)" "$ntext" "测发〔2026〕7号"
qpdf --qdf --object-streams=disable "$TMP/mast.pdf" "$TMP/mq.pdf" 2>/dev/null
PH=$(pdfinfo "$TMP/mast.pdf" | awk '/^Page size/ { print $5 }')
rtop=$(grep -a ' re$' "$TMP/mq.pdf" | awk -v ph="$PH" '$3 > 400 { print ph - ($2 + $4); exit }')
check "circular: red rule 4 mm below the number ($(mmd "$rtop" "$nbot") mm)" near "$(mmd "$rtop" "$nbot")" 4 0.5
read -r ttop <<<"$(awk '$5 ~ /^关于测量/ { print $2; exit }' <<<"$mw")"
rbot=$(awk -v r="$rtop" 'BEGIN { print r + 1.5 }')
check "circular: title two lines below the rule ($(mmd "$ttop" "$rbot") mm)" near "$(mmd "$ttop" "$rbot")" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p }')" 0.5
read -r ax ay _ <<<"$(awk '$5 ~ /^各有关单位/ { print $1, $2; exit }' <<<"$mw")"
check "circular: addressee line flush left ($(mmd "$ax" "$LEFT") mm in)" near "$(mmd "$ax" "$LEFT")" 0 0.5
read -r bx by _ <<<"$(awk '$5 ~ /^正文第一段/ { print $1, $2; exit }' <<<"$mw")"
check "circular: body paragraph indented two characters ($(mmd "$bx" "$LEFT") mm)" near "$(mmd "$bx" "$LEFT")" "$(awk 'BEGIN { print 2 * 156 / 28 }')" 0.5
# on the grid: a body line's box top is a whole number of lines and half a
# line's leading (15.75 pt in a 28.99 pt line) below the text block's top
ongrid() { awk -v y="$1" -v t="$TOP" 'BEGIN { p = 225 / 22 * 72 / 25.4; o = (y - t - (p - 15.75) / 2) / p; d = (o - int(o + 0.5)) * p * 25.4 / 72; exit !(d <= 0.5 && -d <= 0.5) }'; }
check "circular: page 1's body on the grid" ongrid "$by"

# ---- circular: the title's lines in the shapes of GB/T 9704-2012 7.3.1 ----
# An inverted trapezoid (no line wider than the one above it) or a diamond
# (the middle widest); no line starting with closing punctuation or a dash,
# none ending with opening punctuation, no line of one character, each line
# centred on the text block, and words such as 档案 and numbers with their
# units not cut.  Lines are the title's words between the document number
# and the body, grouped by their tops.
title_lines() { # FILE: "xMin xMax text" a line
  words "$1" 1 | awk '$5 ~ /〔/ { on = 1; next } $5 ~ /^正文/ { on = 0 }
    on { if ($2 != top) { n++; x0[n] = $1; t[n] = "" } top = $2; x1[n] = $3; t[n] = t[n] $5 }
    END { for (i = 1; i <= n; i++) print x0[i], x1[i], t[i] }'
}
# Prints what is wrong with the title's lines, nothing when all is well.
title_faults() { # FILE LINES KEEP...
  local f=$1 want=$2 lines n=0 prev= i peak=0 fell=0 rise=0 up=0 inc=0 x0 x1 t w c=
  shift 2
  lines=$(title_lines "$f")
  local -a ws ts
  while read -r x0 x1 t; do
    [ -n "$t" ] || continue
    ws[n]=$(awk -v a="$x0" -v b="$x1" 'BEGIN { printf "%.1f", b - a }')
    ts[n]=$t
    awk -v a="$x0" -v b="$x1" -v l="$LEFT" -v r="$RIGHT" 'BEGIN { d = (a + b) / 2 - (l + r) / 2; exit !(d <= 1 && -d <= 1) }' ||
      c="$c off-centre:$t"
    n=$((n + 1))
  done <<<"$lines"
  [ "$n" -eq "$want" ] || c="$c lines:$n"
  for ((i = 0; i < n; i++)); do
    t=${ts[i]}
    case $t in —* | ）* | 」* | 。* | ，* | 、* | 》* | ”*) c="$c starts-closing:$t" ;; esac
    case $t in *（ | *「 | *《 | *“ | *—) c="$c ends-opening:$t" ;; esac
    [ "$(LC_ALL=C.UTF-8 bash -c 'x=$1; echo ${#x}' _ "$t")" -gt 1 ] || c="$c lone:$t"
  done
  # shapes: widths never growing, or rising to one widest line then falling
  for ((i = 1; i < n; i++)); do
    if awk -v a="${ws[i - 1]}" -v b="${ws[i]}" 'BEGIN { exit !(b > a + 0.5) }'; then
      inc=1; [ "$fell" = 1 ] && up=1; rise=1
    elif awk -v a="${ws[i - 1]}" -v b="${ws[i]}" 'BEGIN { exit !(b < a - 0.5) }'; then
      fell=1
    fi
  done
  if [ "$inc" = 1 ] && { [ "$n" -lt 3 ] || [ "$up" = 1 ] || [ "$fell" = 0 ]; }; then
    c="$c shape:${ws[*]}"
  fi
  # words and numbers kept whole: each KEEP is found as often in the lines
  # as in the title they make
  local k all
  all=$(printf '%s' "${ts[@]}")
  for k in "$@"; do
    [ "$(grep -o -- "$k" <<<"$all" | wc -l)" = "$(printf '%s\n' "${ts[@]}" | grep -o -- "$k" | wc -l)" ] ||
      c="$c cut:$k"
  done
  printf '%s' "$c"
}
shape_md() { # TITLE
  printf -- '---\ntitle: "%s"\nlang: zh-CN\nnumber: "测发〔2026〕1号"\nauthority: 测试局\ndate: 2026-01-02\n---\n\n正文。\n' "$1"
}
# title | lines at small, medium, large | what must stay on one line
while IFS='|' read -r st ln keep; do
  read -r ls lm ll <<<"$ln"
  for size in small medium large; do
    case $size in small) want=$ls ;; medium) want=$lm ;; large) want=$ll ;; esac
    shape_md "$st" > "$TMP/shape.md"
    gal -q --style circular --font-size "$size" -o "$TMP/shape.pdf" "$TMP/shape.md"
    # shellcheck disable=SC2086
    bad=$(title_faults "$TMP/shape.pdf" "$want" $keep)
    got=$(title_lines "$TMP/shape.pdf" | awk '{ printf "%s%s", s, $3; s = " / " }')
    if [ -z "$bad" ]; then pass "circular title $size: $got"; else fail "circular title $size: $st" "$got:$bad"; fi
  done
done <<'T'
关于测量标题的通知|1 1 1|标题 通知
关于做好2026年度档案数字化工作的通知|1 1 2|2026年度 档案 工作
关于印发《临江市2026—2028年档案事业发展规划》的通知|2 2 2|2026—2028年 档案
关于开展全市机关2026—2028年度档案工作目标管理考核和数字化建设情况专项检查暨档案安全风险隐患排查整治工作的通知|3 3 4|2026—2028年度 档案 工作
T
allw=$(for p in $(seq 1 "$(pages "$TMP/mast.pdf")"); do words "$TMP/mast.pdf" "$p"; done)
read -r lx ly _ _ ltext <<<"$(awk '$5 ~ /^1\.第一项/ { print; exit }' <<<"$allw")"
check_has "circular: list number in the item's text" "$ltext" "1.第一项"
check "circular: list item indented two characters ($(mmd "${lx:-0}" "$LEFT") mm)" near "$(mmd "${lx:-0}" "$LEFT")" "$(awk 'BEGIN { print 2 * 156 / 28 }')" 0.5
# the item's second line (all CJK: a box of one em, as the body's)
read -r cx cy _ <<<"$(awk -v y="${ly:-0}" '$2 > y + 5 { print $1, $2; exit }' <<<"$allw")"
check "circular: list item wraps to the text block's left ($(mmd "${cx:-0}" "$LEFT") mm)" near "$(mmd "${cx:-0}" "$LEFT")" 0 0.5
check "circular: list item on the grid" ongrid "${cy:-0}"
# the third heading level (1.) in the body face, regular weight: the face
# pdftohtml gives its text is named without "Bold" by pdffonts
x3=$(pdftohtml -xml -i -stdout "$TMP/mast.pdf" 2>/dev/null)
f3=$(awk -F'"' '/<text .*>(1\.)?第三层</ { for (i = 1; i < NF; i++) if ($i ~ / font=$/) print $(i + 1) }' <<<"$x3" | head -1)
tag=$(awk -F'"' -v id="${f3:-x}" '/<fontspec / && $2 == id { print $6 }' <<<"$x3" | head -1 | cut -c1-7)
fam=$(pdffonts "$TMP/mast.pdf" 2>/dev/null | awk -v t="${tag:-none}" 'index($1, t) == 1 { print $1; exit }')
if [ -n "$fam" ] && ! grep -qi bold <<<"$fam"; then pass "circular: 1. heading regular ($fam)"; else fail "circular: 1. heading regular" "${fam:-not found}"; fi
check "circular: no stroke-faked bold" eval "! grep -aq '^2 Tr' '$TMP/mq.pdf'"
last=$(pages "$TMP/mast.pdf")
sig=$(words "$TMP/mast.pdf" "$last" | awk -v b="$BOTTOM" '$2 < b' | tail -2 | head -1 | awk '{ print $5 }')
check_eq "circular: signature is the authority's name, without 文件" "$sig" "测试局"
# a number that cannot be read as one: printed as typed, with a warning
sed 's/^number: .*/number: "测发2026年7号"/' "$TMP/mast.md" > "$TMP/mast2.md"
err=$("$GALLEY" --style circular -o "$TMP/mast2.pdf" "$TMP/mast2.md" 2>&1)
check_has "circular: odd number warned with its place" "$err" "mast2.md:4:9: warning: number \"测发2026年7号\""
check_eq "circular: odd number printed as typed" "$(words "$TMP/mast2.pdf" 1 | sed -n 2p | awk '{ print $5 }')" "测发2026年7号"
# EPUB: the addressee flush left, the date right under the issuer
gal -q --style circular -o "$TMP/mast.epub" "$TMP/mast.md"
x=$(unzip -p "$TMP/mast.epub" 'OEBPS/text/*.xhtml')
c=$(unzip -p "$TMP/mast.epub" OEBPS/style.css)
check_has "circular EPUB: addressee paragraph marked" "$x" '<p class="addressee">各有关单位：</p>'
check_has "circular EPUB: addressee flush left" "$c" "p.addressee:lang(zh), p.addressee:lang(ja) { text-indent: 0; }"
check_has "circular EPUB: issuer and date without a gap" "$c" "div.signature p { text-indent: 0; text-align: center; margin: 0; }"
check_has "circular EPUB: signature without 文件" "$x" '<p class="issuer">测试局</p>'
check_has "circular EPUB: number normalised" "$x" '<p class="number">测发〔2026〕7号</p>'

# ---- book: contents page, chapters on new pages, running chapter headers ----
"$GALLEY" -q --style book --book -o "$TMP/book.pdf" "$S"/news-report.md "$S"/circular.md "$S"/mixed-guide.md
toc=$(pdftotext -f 1 -l 1 -layout "$TMP/book.pdf" -)
check_has "book: contents page" "$toc" "Contents"
for f in news-report circular mixed-guide; do
  t=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$S/$f.md" | head -1)
  short=$(awk '{ print $1, $2, $3 }' <<<"$t" | sed 's/ *$//')
  p=$(grep -F -A1 -- "$short" <<<"$toc" | grep -oE '[0-9]+ *$' | head -1 | tr -d ' ')
  if [ -n "$p" ] && pdftotext -f "$p" -l "$p" "$TMP/book.pdf" - | tr -d '\n' | grep -qF -- "$short"; then
    pass "book: contents sends $f to page $p"
  else
    fail "book: contents sends $f to its page" "page [$p]"
  fi
done
p=$(grep -F "关于做好" <<<"$toc" | grep -oE '[0-9]+ *$' | tr -d ' ')
hdr=$(words "$TMP/book.pdf" $((p + 1)) | awk '$2 < 80 { printf "%s", $5 }')
check_has "book: running header names the chapter" "$hdr" "关于做好2026年度档案数字化工作的通知"
check_eq "book: plain page numbers" "$(words "$TMP/book.pdf" 3 | awk '$2 > 760 { printf "%s", $5 }')" "3"
# twenty short articles: two-digit page numbers stay on their entries' lines
for i in $(seq -w 1 20); do printf -- '---\ntitle: Note %s\n---\n\nText.\n' "$i" > "$TMP/n$i.md"; done
"$GALLEY" -q --style book --book -o "$TMP/notes.pdf" "$TMP"/n*.md
check_has "book: two-digit page numbers in the contents" \
  "$(pdftotext -f 1 -l 1 -layout "$TMP/notes.pdf" - | grep 'Note 20')" "21"
check_eq "book: one link per contents entry" \
  "$(qpdf --qdf --object-streams=disable "$TMP/notes.pdf" - 2>/dev/null | grep -ac '/Subtype /Link')" 20
"$GALLEY" -q --style book --book -o "$TMP/book.epub" "$S"/*.md
check_epub "book: EPUB valid" "$TMP/book.epub"

# ---- a user's style: extends article, changes the body face and the page ----
mkdir -p "$TMP/mine"
cat > "$TMP/mine/a5.yaml" <<'EOF'
extends: article
page:
  size: A5
roles:
  body:
    font: [DejaVu Sans, Droid Sans Fallback]
EOF
"$GALLEY" -q --style "$TMP/mine/a5.yaml" -o "$TMP/a5.pdf" "$S/news-report.md"
"$GALLEY" -q --style "$TMP/mine/a5.yaml" -o "$TMP/a5.epub" "$S/news-report.md"
check_has "user style: A5 page" "$(pdfinfo "$TMP/a5.pdf" | sed -n 's/^Page size: *//p')" "419.528 x 595.276"
f=$(pdffonts "$TMP/a5.pdf")
check "user style: body in DejaVu Sans" has_font "$TMP/a5.pdf" DejaVuSans
check_lacks "user style: Noto Serif gone" "$f" "NotoSerif-Regular"
check_has "user style: headings kept" "$f" "NotoSans-Bold"
check_has "user style: EPUB body in DejaVu Sans" "$(css "$TMP/a5.epub")" 'p {
  font-family: "DejaVu Sans", "Droid Sans Fallback", sans-serif;'
check_has "user style: EPUB page A5" "$(css "$TMP/a5.epub")" "@page { size: 419.5pt 595.3pt;"
check_epub "user style: EPUB valid" "$TMP/a5.epub"

# ---- fonts by name (fontconfig), by file, and what cannot be found ----
if fc-list : family | grep -qx "DejaVu Serif"; then
  "$GALLEY" -q --font "DejaVu Serif" -o "$TMP/fc.pdf" "$S/news-report.md"
  check "--font: an installed family through fontconfig" has_font "$TMP/fc.pdf" DejaVuSerif
  "$GALLEY" -q --font "h2=DejaVu Serif" -o "$TMP/fc2.pdf" "$S/news-report.md"
  f=$(pdffonts "$TMP/fc2.pdf")
  check_has "--font ROLE=: h2 in the named family" "$f" "DejaVuSerif-Bold"
  check_has "--font ROLE=: body unchanged" "$f" "NotoSerif-Regular"
else
  fail "--font: DejaVu Serif installed (fonts-dejavu-core)"
fi
"$GALLEY" -q --font /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf -o "$TMP/file.pdf" "$S/news-report.md"
check "--font: a font file" has_font "$TMP/file.pdf" DejaVuSans
"$GALLEY" -q --font "No Such Font 123" -o "$TMP/none.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "--font: unknown family is a usage error" "$?" 2
check_has "--font: message names it" "$(cat "$TMP/err")" '"No Such Font 123"'
check "--font: nothing written" test ! -e "$TMP/none.pdf"
"$GALLEY" -q --font "blurb=Noto Sans" -o "$TMP/none.pdf" "$S/news-report.md" 2>/dev/null
check_eq "--font: unknown role is a usage error" "$?" 2

# ---- style errors ----
printf 'extends: article\nroles:\n  h2:\n    color: red\n' > "$TMP/mine/bad.yaml"
"$GALLEY" --style "$TMP/mine/bad.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "bad style: usage error" "$?" 2
check_has "bad style: file, line and key" "$(cat "$TMP/err")" "bad.yaml:4:12: error: roles.h2.color:"
check "bad style: nothing written" test ! -e "$TMP/bad.pdf"
"$GALLEY" --style nonesuch -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "unknown style: usage error" "$?" 2
check_has "unknown style: message" "$(cat "$TMP/err")" 'unknown style "nonesuch"'
printf 'extends: ../../etc/passwd\n' > "$TMP/mine/odd.yaml"
"$GALLEY" --style "$TMP/mine/odd.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "style extending a non-style file: usage error" "$?" 2

: > "$TMP/mine/empty.yaml"
"$GALLEY" --style "$TMP/mine/empty.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "empty style file: usage error" "$?" 2
check_has "empty style file: says so" "$(cat "$TMP/err")" "the style file is empty"
printf 'page:\n  text-width: 400mm\n' > "$TMP/mine/wide.yaml"
"$GALLEY" --style "$TMP/mine/wide.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "text block wider than the page: usage error" "$?" 2
printf 'roles:\n  body:\n    font: [/dev/zero, %s, Noto Serif]\n' "$ROOT/styles" > "$TMP/mine/nofont.yaml"
"$GALLEY" --style "$TMP/mine/nofont.yaml" -o "$TMP/nofont.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "unusable font files are skipped" "$?" 0
check_has "unusable font files: a warning" "$(cat "$TMP/err")" "/dev/zero: warning:"

# a length over its limit is told the limit in the unit it was written in
printf 'sizes:\n  medium: 300mm\n' > "$TMP/mine/huge.yaml"
"$GALLEY" --style "$TMP/mine/huge.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "body size over the limit: usage error" "$?" 2
check_has "body size over the limit: the limit in mm" "$(cat "$TMP/err")" \
  'huge.yaml:2:11: error: sizes.medium: expected a length from 0 to 70.5 mm, not "300mm"'
check_lacks "body size over the limit: no metres" "$(cat "$TMP/err")" "5 m)"

# fonts that cannot be used say what is wrong with them, and are skipped
F=$ROOT/tests/fuzz/seeds-font
font_says() { # NAME FILE TEXT: the warning for FILE holds TEXT
  "$GALLEY" --font "$2, Noto Serif" -o "$TMP/font.pdf" "$S/news-report.md" 2>"$TMP/err"
  check_eq "$1: skipped, the next font used" "$?" 0
  check_has "$1: says why" "$(cat "$TMP/err")" "$3"
}
font_says "not a font" "$F/not-a-font.ttf" "cannot use this font: not a font file"
font_says "truncated font" "$F/truncated.ttf" "cannot use this font: truncated: its"
font_says "font without cmap" "$F/no-cmap.ttf" "it has no character map (cmap table)"
font_says "font whose cmap maps nothing" "$F/empty-cmap.ttf" "its character map (cmap) maps no characters"
font_says "font of empty glyphs" "$F/blank-glyphs.ttf" "all its glyphs are empty"
check_lacks "unusable fonts: none called CFF" \
  "$("$GALLEY" --font "$F/truncated.ttf, $F/no-cmap.ttf, Noto Serif" -o "$TMP/font.pdf" "$S/news-report.md" 2>&1)" "CFF"
"$GALLEY" --font "$F/cff.otf, Noto Serif" -o "$TMP/font.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "a tiny CFF font: used" "$?" 0
check_eq "a tiny CFF font: no warning" "$(cat "$TMP/err")" ""
check "a tiny CFF font: embedded" has_font "$TMP/font.pdf" cff
"$GALLEY" --font "$F/tiny.ttf, Noto Serif" -o "$TMP/font.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "a tiny sound font: used" "$?" 0
check_eq "a tiny sound font: no warning" "$(cat "$TMP/err")" ""
check "a tiny sound font: embedded" has_font "$TMP/font.pdf" Seed-tiny

# installed families are found with fontconfig, CFF (OpenType) ones too
# (fontconfig set up to see a folder of the test's own)
mkdir -p "$TMP/fc"
cp "$F/cff.otf" "$F/tiny.ttf" "$TMP/fc/"
cat > "$TMP/fc/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$TMP/fc</dir><cachedir>$TMP/fc/cache</cachedir></fontconfig>
EOF
FONTCONFIG_FILE=$TMP/fc/fonts.conf "$GALLEY" --font "SeedCFF, Noto Serif" \
  -o "$TMP/font.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "installed CFF family: used" "$?" 0
check_eq "installed CFF family: no warning" "$(cat "$TMP/err")" ""
check "installed CFF family: embedded" has_font "$TMP/font.pdf" cff
FONTCONFIG_FILE=$TMP/fc/fonts.conf "$GALLEY" --font "Seed, Noto Serif" \
  -o "$TMP/font.pdf" "$S/news-report.md" 2>"$TMP/err"
check_eq "installed TrueType family: no warning" "$(cat "$TMP/err")" ""
check "installed TrueType family: embedded" has_font "$TMP/font.pdf" Seed-tiny

# hostile style files: each a usage error with a bounded message, quickly
awk 'BEGIN { print "roles:\n  body:"; for (i = 0; i < 40000; i++) print "    k" i ": 1" }' > "$TMP/mine/keys.yaml"
awk 'BEGIN { s = "a: "; for (i = 0; i < 200; i++) s = s "["; print s }' > "$TMP/mine/deep.yaml"
head -c 2000000 /dev/zero | tr '\0' '#' > "$TMP/mine/big.yaml"
printf 'roles:\n  body:\n    font: "\377\376"\n' > "$TMP/mine/utf8.yaml"
printf 'a: &x [1]\nb: *x\n' > "$TMP/mine/alias.yaml"
for f in keys deep big utf8 alias; do
  "$GALLEY" --style "$TMP/mine/$f.yaml" -o "$TMP/bad.pdf" "$S/news-report.md" 2>"$TMP/err"
  rc=$?
  lines=$(wc -l < "$TMP/err")
  if [ "$rc" = 2 ] && [ "$lines" -ge 1 ] && [ "$lines" -le 21 ] && grep -q "$f.yaml" "$TMP/err"; then
    pass "hostile style $f: usage error, short report"
  else
    fail "hostile style $f" "rc $rc, $lines lines: $(head -2 "$TMP/err")"
  fi
done

finish "e2e-style"

#!/usr/bin/env bash
# e2e_circular.sh GALLEY - the circular's elements beyond the masthead and
# the title (GB/T 9704-2012 7.2.1-7.2.6, 7.3.4, 7.4, 7.5), measured in mm
# from the PDF with a tolerance of 0.5 mm: 份号, 密级, 紧急程度 at the top
# left; an upward document's number and 签发人 on one line; 附件说明; the
# 版记's rules (thickness, width, colour, place) and lines at the foot of an
# even last page, with a blank unnumbered page before it when needed; the
# same elements in the EPUB; bad values refused naming file and line.
# Prints "e2e-circular: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
# Words of one page as "xMin yMin xMax yMax text" lines, top to bottom.
words() { # FILE PAGE
  pdftotext -f "$2" -l "$2" -bbox "$1" - 2>/dev/null |
    sed -n 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2 \3 \4 \5/p'
}
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }'; }
mm() { awk -v m="$1" 'BEGIN { printf "%.3f", m * 72 / 25.4 }'; }
mmd() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a - b) * 25.4 / 72 }'; }
# check_mm NAME GOT_PT FROM_PT WANT_MM: (GOT - FROM) in mm within 0.5 of WANT
check_mm() {
  local d; d=$(mmd "$2" "$3")
  [ -n "${VERBOSE:-}" ] && echo "     measured $d mm, want $4"
  if near "$d" "$4" 0.5; then pass "$1"; else fail "$1" "$d mm, want $4"; fi
}
word() { awk -v re="$2" '$5 ~ re { print; exit }' <<<"$1"; } # WORDS REGEX
TOP=$(mm 37) LEFT=$(mm 28) RIGHT=$(mm 184) BOTTOM=$(mm 262)
PH=841.89
PITCH=$(awk 'BEGIN { printf "%.4f", 225 / 22 }') # mm
CHAR=$(awk 'BEGIN { printf "%.4f", 156 / 28 }')  # mm, a cell of the grid
C4=$(awk 'BEGIN { printf "%.4f", 14 * 25.4 / 72 }') # mm, one 四号 character
# The content stream of page N, uncompressed.
page_stream() { # FILE N
  qpdf --empty --pages "$1" "$2" -- "$1.p$2" 2>/dev/null &&
    qpdf --qdf --object-streams=disable "$1.p$2" "$1.q" 2>/dev/null
  grep -a -e ' re$' -e ' rg$' "$1.q"
}

# ---- a downward circular with every element ----
cat > full.md <<'MD'
---
title: 关于测量版记位置的通知
lang: zh-CN
number: 测发〔2026〕5号
authority: 测试局文件
date: 2026-01-02
copy-number: "12"
secrecy: 秘密★1年
urgency: 特急
attachments:
  - 测试计划表
  - 第二个附件的名称写得很长很长，长到一行排不下，回行时与上一行附件名称的首字对齐
cc: [第一单位, 第二单位, 第三单位, 第四单位, 第五单位, 第六单位, 第七单位, 第八单位, 第九单位]
printed-by: 测试局办公室
printed-date: 2026-01-03
---

各有关单位：

正文第一段。

正文第二段，最后一段。
MD
gal --style circular -o full.pdf full.md
check_rc "circular with every field converts" 0
check_lacks "no front-matter key of the standard ignored" "$ERR" "unknown front-matter key"
w1=$(words full.pdf 1)
read -r cx cy _ _ ct <<<"$(sed -n 1p <<<"$w1")"
read -r sx sy _ _ st <<<"$(sed -n 2p <<<"$w1")"
read -r ux uy _ _ ut <<<"$(sed -n 3p <<<"$w1")"
check_eq "份号 first, six digits" "$ct" "000012"
check_eq "密级 second" "$st" "秘密★1年"
check_eq "紧急程度 third" "$ut" "特急"
check_mm "份号 flush left" "$cx" "$LEFT" 0
check_mm "密级 flush left" "$sx" "$LEFT" 0
check_mm "紧急程度 flush left" "$ux" "$LEFT" 0
# a line's em box stands (pitch - em) / 2 below the line's top
# (份号 is Latin digits, whose box is the Latin face's: it must lie within
# the first line; 密级 and 紧急程度 are CJK, their boxes the em box)
read -r _ _ _ cb _ <<<"$(sed -n 1p <<<"$w1")"
if awk -v t="$cy" -v b="$cb" -v top="$TOP" -v p="$PITCH" 'BEGIN { l = p * 72 / 25.4; exit !(t >= top && b <= top + l) }'; then
  pass "份号 on the first line"; else fail "份号 on the first line" "$cy..$cb"; fi
check_mm "密级 on the second line" "$sy" "$TOP" "$(awk -v p="$PITCH" 'BEGIN { print p + (p - 15.75 * 25.4 / 72) / 2 }')"
check_mm "紧急程度 on the third line" "$uy" "$sy" "$PITCH"
read -r _ my _ _ _ <<<"$(word "$w1" '^测试局文件')"
check_mm "the mark's top still 35 mm below the text block's" "$my" "$TOP" 35
pdffonts full.pdf > fonts.txt 2>&1
if grep -qE "NotoSansCJK|WenQuanYi|SimHei" fonts.txt; then pass "密级 and 紧急程度 in 黑体"; else fail "密级 and 紧急程度 in 黑体" "$(cat fonts.txt)"; fi
# 附件说明: a line below the body, two characters in; "2." under "1."; the
# long name's second line under its first character
read -r lx _ _ lb _ <<<"$(word "$w1" '^正文第二段')"
read -r ax ay _ _ at <<<"$(word "$w1" '^附件')"
check_mm "附件说明 two characters in" "$ax" "$LEFT" "$(awk -v c="$CHAR" 'BEGIN { print 2 * c }')"
# 空一行: a blank line between, so a line and the usual gap below the body
check_mm "附件说明 one blank line below the body" "$ay" "$lb" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p - 15.75 * 25.4 / 72 }')"
case $at in 附件：1.测试计划表*) pass "附件：1. first" ;; *) fail "附件：1. first" "$at" ;; esac
all=$(words full.pdf 1; words full.pdf 2)
read -r a2x a2y _ _ a2t <<<"$(word "$all" '^2\.')"
check_mm "later items under the first number (3 characters after 附件)" "$a2x" "$ax" "$(awk 'BEGIN { print 3 * 15.75 * 25.4 / 72 }')"
read -r a3x _ _ _ a3t <<<"$(word "$all" '回行时与上一行附件名称的首字对齐')"
if [ -n "$a3x" ] && awk -v a="$a3x" -v b="$a2x" 'BEGIN { exit !(a > b + 3 && a < b + 15.75) }'; then
  pass "a long name's wrapped line under its first character"
else fail "a long name's wrapped line under its first character" "x $a3x vs number at $a2x ($a3t)"; fi

n=$(pages full.pdf)
if [ $((n % 2)) = 0 ]; then pass "a circular with a 版记 ends on an even page"; else fail "a circular with a 版记 ends on an even page" "$n pages"; fi
wl=$(words full.pdf "$n")
read -r ccx ccy _ _ cct <<<"$(word "$wl" '^抄送')"
check_mm "抄送 one character in" "$ccx" "$LEFT" "$C4"
read -r c2x c2y _ _ _ <<<"$(awk -v y="$ccy" '$2 > y + 5 && $5 !~ /印发/ { print; exit }' <<<"$wl")"
check_mm "抄送's second line under the first name" "$c2x" "$ccx" "$(awk -v c="$C4" 'BEGIN { print 3 * c }')"
check_has "抄送 names separated by ，, closed by 。" "$(awk -v y="$ccy" '$2 >= y - 1 && $2 < y + 40 { printf "%s", $5 }' <<<"$wl")" "第一单位，第二单位，"
read -r px py _ _ pt <<<"$(word "$wl" '^测试局办公室')"
read -r _ dy dx1 _ dt <<<"$(word "$wl" '印发$')"
check_eq "印发日期 written out with 印发" "$dt" "2026年1月3日印发"
check_mm "印发机关 one character in" "$px" "$LEFT" "$C4"
check_mm "印发日期 one character in from the right" "$RIGHT" "$dx1" "$C4"
# (the date starts with Latin digits: its box is the Latin face's)
check "印发机关 and 印发日期 on one line" near "$py" "$dy" 3
# rules: full text-block width, 0.35 / 0.25 / 0.35 mm, black, the last on
# the text block's foot
s=$(page_stream full.pdf "$n")
rules=$(awk '$5 == "re" && $3 > 440 && $3 < 444 { print $1, $2, $3, $4 }' <<<"$s")
check_eq "three rules across the 版记" "$(wc -l <<<"$rules")" 3
thick=$(awk '{ printf "%.2f ", $4 * 25.4 / 72 }' <<<"$rules")
check_eq "rules 0.35, 0.25, 0.35 mm (top to bottom)" "$thick" "0.35 0.25 0.35 "
lowest=$(awk -v ph="$PH" '{ print ph - $2 }' <<<"$rules" | sort -n | tail -1)
check_mm "the last rule on the text block's foot" "$lowest" "$BOTTOM" 0
check_mm "the rules as wide as the text block" "$(awk 'NR == 1 { print $1 + $3 }' <<<"$rules")" "$(awk 'NR == 1 { print $1 }' <<<"$rules")" 156
check_mm "the rules start at the text block's left" "$(awk 'NR == 1 { print $1 }' <<<"$rules")" "$LEFT" 0
if awk '/ rg$/ { c = $0 } $5 == "re" && $3 > 440 && $3 < 444 { if (c != "0 0 0 rg") bad = 1 } END { exit bad }' <<<"$s"; then
  pass "版记 rules black"; else fail "版记 rules black"; fi
if awk -v t="$ccy" -v ph="$PH" '$5 == "re" && $3 > 440 && $3 < 444 { top = ph - $2 - $4; if (!m || top < m) m = top } END { exit !(m < t) }' <<<"$rules"; then
  pass "the first rule above 抄送"; else fail "the first rule above 抄送"; fi
check_has "the 版记 page is numbered when no blank page precedes it" "$(pdftotext -f "$n" -l "$n" full.pdf - 2>/dev/null)" "—$n—"

# ---- the 版记 alone on an even page; a blank page when the body ends even ----
short() { # PARAGRAPHS > FILE
  printf -- '---\ntitle: 短文\nlang: zh-CN\nnumber: 测发〔2026〕6号\nauthority: 测试局\ndate: 2026-01-02\ncc: [某单位]\nprinted-by: 测试局办公室\nprinted-date: 2026-01-03\n---\n\n各有关单位：\n\n'
  for ((i = 0; i < $1; i++)); do printf '这是正文的一段话，用来把页面填满。这是正文的一段话，用来把页面填满。\n\n'; done
}
short 1 > s1.md
gal --style circular -o s1.pdf s1.md
check_eq "a one-page body: the 版记 on page 2" "$(pages s1.pdf)" 2
t2=$(pdftotext -f 2 -l 2 s1.pdf - 2>/dev/null)
check_has "page 2 holds the 版记" "$t2" "抄送：某单位。"
check_lacks "page 2 holds no body text" "$t2" "这是正文"
# grow the body until it ends on page 2 with no room for the 版记
found=
for k in $(seq 14 60); do
  short "$k" > s.md
  "$GALLEY" -q --style circular -o s.pdf s.md 2>/dev/null || break
  if [ "$(pages s.pdf)" = 4 ]; then found=$k; break; fi
done
if [ -n "$found" ]; then
  pass "a body ending on a full even page gives 4 pages ($found paragraphs)"
  check_eq "page 3 is blank" "$(pdftotext -f 3 -l 3 s.pdf - 2>/dev/null | tr -d ' \n\f')" ""
  t4=$(pdftotext -f 4 -l 4 s.pdf - 2>/dev/null)
  check_has "page 4 holds the 版记" "$t4" "抄送：某单位。"
  check_lacks "page 4 has no page number (7.5)" "$t4" "—"
  check_has "page 2 keeps its number" "$(pdftotext -f 2 -l 2 s.pdf - 2>/dev/null)" "—2—"
  check_has "the body's last line on page 2" "$(pdftotext -f 2 -l 2 s.pdf - 2>/dev/null)" "测试局"
else
  fail "a body ending on a full even page gives 4 pages" "never 4 pages"
fi
# 附件说明 stays whole, whatever the page it falls on: at every body
# length the line with 附件： and the last name's last line share a page
page_of() { pdftotext "$1" - 2>/dev/null | awk -v re="$2" '{ p += gsub(/\f/, "") } $0 ~ re { print p + 1; exit }'; }
split=
for k in $(seq 8 26); do
  { short "$k" | sed 's/^cc: .*/attachments: [第一个附件, 第二个附件的名称写得很长很长，长到一行排不下，回行时与上一行附件名称的首字对齐]/'; } > att.md
  "$GALLEY" -q --style circular -o att.pdf att.md 2>/dev/null || { split="$k: failed"; break; }
  [ "$(page_of att.pdf '附件：')" = "$(page_of att.pdf '首字对齐')" ] || split="$split $k"
done
check_eq "附件说明 kept on one page at every body length" "$split" ""
# no 版记, no added page
printf -- '---\ntitle: 无版记\nlang: zh-CN\nauthority: 测试局\ndate: 2026-01-02\n---\n\n正文。\n' > nov.md
gal --style circular -o nov.pdf nov.md
check_eq "without a 版记 a one-page circular stays one page" "$(pages nov.pdf)" 1

# ---- an upward document: number and 签发人 on one line (7.2.6) ----
cat > up.md <<'MD'
---
title: 关于测试签发人的请示
lang: zh-CN
number: 测〔2026〕3号
authority: 测试局文件
signer: [张明, 李华, 王强]
signature-name: 测试局办公室
date: 2026-01-02
---

上级单位：

正文。
MD
gal --style circular -o up.pdf up.md
check_rc "upward document converts" 0
wu=$(words up.pdf 1)
read -r nx ny _ _ nt <<<"$(word "$wu" '^测〔2026〕3号')"
read -r _ ly lx1 _ _ <<<"$(word "$wu" '^王强')"
read -r sgx sgy _ _ _ <<<"$(word "$wu" '^签发人')"
read -r n1x _ n1x1 _ _ <<<"$(word "$wu" '^张明|签发人：张明')"
check_mm "number one character in from the left" "$nx" "$LEFT" "$CHAR"
check "number on the line of the last names" near "$ny" "$ly" 0.5
read -r _ _ l1x1 _ _ <<<"$(awk -v y="$sgy" '$2 > y - 0.5 && $2 < y + 0.5 { l = $0 } END { print l }' <<<"$wu")"
check_mm "签发人 line ends one character in from the right" "$RIGHT" "$l1x1" "$CHAR"
read -r wx _ _ _ _ <<<"$(word "$wu" '^王强')"
read -r zx _ _ _ _ <<<"$(word "$wu" '^张明')"
if [ -n "$zx" ]; then check "later names under the first name" near "$wx" "$zx" 0.5
else pass "later names under the first name (first name joined to its lead; checked by width)"; fi
read -r _ my2 _ mb2 _ <<<"$(word "$wu" '^测试局文件')"
check_mm "签发人 two lines below the mark" "$sgy" "$mb2" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p }')"
if pdffonts up.pdf 2>/dev/null | grep -qiE "Kai|UKai"; then pass "signers' names in 楷体"; else fail "signers' names in 楷体" "$(pdffonts up.pdf)"; fi
check_has "signature-name signs the document" "$(pdftotext up.pdf - 2>/dev/null)" "测试局办公室"

# ---- tagged: every new element's text marked and in the tree ----
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
for f in full.pdf up.pdf; do
  check "tagged: every text of $f in the structure tree" "$PY" "$ROOT/tests/tagged_check.py" "$f"
done
st=$(pdfinfo -struct-text full.pdf 2>/dev/null | tr -d ' ' | tr '\n' '|')
check_has "tagged: 附件说明 a list, its lead the first label" "$st" 'L(block)|LI(block)|Lbl(block)|"附件：1."|LBody(block)|"测试计划表"'
check_has "tagged: 抄送 a labelled item" "$st" 'Lbl(block)|"抄送："|LBody(block)|"第一单位，'

# ---- other styles say what they leave out ----
gal -o art.pdf full.md
check_rc "article style converts a circular's front matter" 0
check_has "article style names the fields it leaves out" "$ERR" "copy-number, secrecy, urgency, attachments, cc, printed-by, printed-date: printed by the circular, letter and minutes styles only; the article style leaves them out"
gal --style circular -o full2.pdf full.md
check_lacks "the circular warns about none of them" "$ERR" "leaves"

# ---- bad values: refused with file and line ----
bad() { # NAME KEY VALUE WANT
  printf -- '---\ntitle: 坏值\nlang: zh-CN\n%s: "%s"\n---\n\n正文。\n' "$2" "$3" > bad.md
  gal --style circular -o bad.pdf bad.md
  if [ "$RC" != 0 ] && grep -qF "bad.md:4:" <<<"$ERR" && grep -qF -- "$4" <<<"$ERR"; then pass "$1"
  else fail "$1" "exit $RC: $ERR"; fi
}
bad "copy-number of letters refused" copy-number 12a "copy-number"
bad "copy-number of 7 digits refused" copy-number 1234567 "6 digits"
bad "printed-date not a date refused" printed-date 2026年1月 "ISO 8601"

# ---- the EPUB: the same elements, in order ----
gal --style circular -o full.epub full.md
check_rc "circular EPUB converts" 0
check_epub "circular EPUB with every field passes EPUBCheck" full.epub
x=$(unzip -p full.epub 'OEBPS/text/*.xhtml')
order=$(grep -oE 'class="(copy-number|secrecy|urgency|authority|number|masthead|title|addressee|attachments|signature|colophon)"' <<<"$x" | sed 's/class=//; s/"//g' | tr '\n' ' ')
check_eq "EPUB elements in the standard's order" "$order" "copy-number secrecy urgency authority number masthead title addressee attachments signature colophon "
check_has "EPUB 附件 lead and numbers" "$x" '<span class="lead">附件：</span><span class="seq">1.</span>测试计划表'
check_has "EPUB 抄送" "$x" '<span class="lead">抄送：</span>第一单位，第二单位'
check_has "EPUB 印发" "$x" '<span class="printed-date">2026年1月3日印发</span>'
c=$(unzip -p full.epub OEBPS/style.css)
check_has "EPUB 版记 rules 0.35 mm" "$c" "footer.colophon { margin-top: 3em; border-top: 0.35mm solid; border-bottom: 0.35mm solid; }"
check_has "EPUB 版记 middle rule 0.25 mm" "$c" "p.cc + p.printed { border-top: 0.25mm solid; }"
check_has "EPUB addressee flush left" "$c" "p.addressee, p.addressee:lang(zh), p.addressee:lang(ja) { text-indent: 0; }"
gal --style circular -o up.epub up.md
check_epub "upward circular EPUB passes EPUBCheck" up.epub
xu=$(unzip -p up.epub 'OEBPS/text/*.xhtml')
check_has "EPUB 签发人 beside the number" "$xu" '<p class="signers">签发人：<span class="signer">张明</span>　<span class="signer">李华</span>'
check_has "EPUB signature-name" "$xu" '<p class="issuer">测试局办公室</p>'

# ---- letter (信函格式, 10.1) ----
cat > let.md <<'MD'
---
title: 测试局关于商请协助测量的函
lang: zh-CN
authority: 测试局
number: 测函〔2026〕8号
copy-number: "7"
urgency: 特急
date: 2026-01-02
cc: [某单位]
printed-by: 测试局办公室
printed-date: 2026-01-03
---

某单位：

正文。
MD
gal --style letter -o let.pdf let.md
check_rc "letter style converts" 0
wl1=$(words let.pdf 1)
read -r _ lmt _ lmb _ <<<"$(word "$wl1" '^测试局$')"
check_mm "letter: the mark's top 30 mm below the page's top" "$lmt" 0 30
sl=$(page_stream let.pdf 1)
red=$(awk '/ rg$/ { c = $0 } $5 == "re" && c == "0.90196 0 0.07059 rg" { print $1, $2, $3, $4 }' <<<"$sl")
check_eq "letter: four red rules on the first page" "$(grep -c . <<<"$red")" 4
check "letter: rules 170 mm long" near "$(awk 'NR == 1 { print $3 * 25.4 / 72 }' <<<"$red")" 170 0.5
check "letter: rules centred on the page" near "$(awk 'NR == 1 { print ($1 + $3 / 2) * 25.4 / 72 }' <<<"$red")" 105 0.5
# the upper pair, top to bottom: thick then thin, 4 mm below the mark's box
upper=$(awk -v ph="$PH" '{ print ph - $2 - $4, $4 }' <<<"$red" | sort -n | head -2)
read -r u1 u1h <<<"$(sed -n 1p <<<"$upper")"
read -r u2 u2h <<<"$(sed -n 2p <<<"$upper")"
check_mm "letter: first double rule 4 mm below the mark" "$u1" "$lmb" 4
if awk -v a="$u1h" -v b="$u2h" 'BEGIN { exit !(a > b) }'; then pass "letter: first rule thick over thin"; else fail "letter: first rule thick over thin" "$u1h $u2h"; fi
lower=$(awk '{ print $2, $4 }' <<<"$red" | sort -n | head -2)
read -r l1 l1h <<<"$(sed -n 1p <<<"$lower")"
read -r _ l2h <<<"$(sed -n 2p <<<"$lower")"
check_mm "letter: second double rule 20 mm above the page's foot" "$l1" 0 20
if awk -v a="$l1h" -v b="$l2h" 'BEGIN { exit !(a > b) }'; then pass "letter: second rule thin over thick"; else fail "letter: second rule thin over thick" "$l1h $l2h"; fi
read -r lnx lny lnx1 _ _ <<<"$(word "$wl1" '^测函')"
read -r lcx lcy _ _ lct <<<"$(word "$wl1" '^000007$')"
check_mm "letter: number flush right" "$RIGHT" "$lnx1" 0
check_mm "letter: 份号 flush left" "$lcx" "$LEFT" 0
check "letter: number on 份号's line" near "$lny" "$lcy" 3
ubot=$(awk -v a="$u2" -v h="$u2h" 'BEGIN { print a + h }')
check_mm "letter: number 7/8 of a character below the rule" "$lny" "$ubot" "$(awk 'BEGIN { print 15.75 * 7 / 8 * 25.4 / 72 }')"
read -r _ _ _ lub _ <<<"$(word "$wl1" '^特急$')"
read -r _ ltt _ _ _ <<<"$(word "$wl1" '^测试局关于')"
check_mm "letter: title two lines below the last element" "$ltt" "$lub" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p }')"
check_lacks "letter: no page number on the first page" "$(pdftotext -f 1 -l 1 let.pdf - 2>/dev/null)" "—1—"
ln=$(pages let.pdf)
tl=$(pdftotext -f "$ln" -l "$ln" let.pdf - 2>/dev/null)
check_has "letter: 抄送 on the last page" "$tl" "抄送：某单位。"
check_lacks "letter: no 印发 line" "$tl" "印发"
check_eq "letter: no rules in its 版记" "$(page_stream let.pdf "$ln" | awk '$5 == "re" && $3 > 440 && $3 < 444' | wc -l)" 0
check_has "letter: later pages numbered" "$tl" "—$ln—"
gal --style letter -o let.epub let.md
check_epub "letter EPUB passes EPUBCheck" let.epub
xl=$(unzip -p let.epub 'OEBPS/text/*.xhtml')
lorder=$(grep -oE 'class="(copy-number|urgency|authority|number|masthead|title)"' <<<"$xl" | sed 's/class=//; s/"//g' | tr '\n' ' ')
check_eq "letter EPUB: number and 份号 under the rule" "$lorder" "authority masthead number copy-number urgency title "
check_has "letter EPUB: a double rule" "$(unzip -p let.epub OEBPS/style.css)" "hr.masthead { border-top-style: double;"

# ---- minutes (纪要格式, 10.3) ----
cat > min.md <<'MD'
---
title: 测试会议纪要
lang: zh-CN
authority: 测试局局务会议纪要
date: 2026-01-02
present: [周明远, 李华, 王强, 赵敏, 孙立, 钱程, 吴桐, 郑凯, 冯雪, 陈晨, 褚卫, 卫东, 蒋南, 沈北]
absent: [韩梅]
attending: [杨帆]
---

会议研究了测量工作。

会议议定：开展测量。
MD
gal --style minutes -o min.pdf min.md
check_rc "minutes style converts" 0
wm=$(words min.pdf 1)
read -r _ _ _ mlb _ <<<"$(word "$wm" '^会议议定')"
read -r px2 py2 _ _ pt2 <<<"$(word "$wm" '^出席：')"
read -r qx qy _ _ _ <<<"$(word "$wm" '^请假：')"
read -r rx ry _ _ _ <<<"$(word "$wm" '^列席：')"
check_mm "minutes: 出席 two characters in" "$px2" "$LEFT" "$(awk -v c="$CHAR" 'BEGIN { print 2 * c }')"
check_mm "minutes: 出席 one blank line below the text" "$py2" "$mlb" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p - 15.75 * 25.4 / 72 }')"
read -r wx2 _ _ _ _ <<<"$(awk -v y="$py2" '$2 > y + 5 && $2 < y + 35 { print; exit }' <<<"$wm")"
check_mm "minutes: wrapped names under the first name" "$wx2" "$px2" "$(awk 'BEGIN { print 3 * 15.75 * 25.4 / 72 }')"
check_mm "minutes: 请假 on the line after 出席's last" "$qy" "$py2" "$(awk -v p="$PITCH" 'BEGIN { print 2 * p }')"
check_mm "minutes: 列席 on the next line" "$ry" "$qy" "$PITCH"
check_has "minutes: names joined by 、" "$(pdftotext min.pdf - 2>/dev/null)" "周明远、李华、王强"
check_lacks "minutes: no signature" "$(pdftotext min.pdf - 2>/dev/null)" "2026年1月2日"
if pdffonts min.pdf 2>/dev/null | grep -qE "NotoSansCJK|WenQuanYi|SimHei"; then pass "minutes: labels in 黑体"; else fail "minutes: labels in 黑体"; fi
gal --style minutes -o min.epub min.md
check_epub "minutes EPUB passes EPUBCheck" min.epub
check "minutes: every text in the structure tree" "$PY" "$ROOT/tests/tagged_check.py" min.pdf
check "letter: every text in the structure tree" "$PY" "$ROOT/tests/tagged_check.py" let.pdf
check_has "minutes EPUB: attendance" "$(unzip -p min.epub 'OEBPS/text/*.xhtml')" '<p class="absent"><span class="lead">请假：</span>韩梅</p>'

finish "e2e-circular"

#!/usr/bin/env bash
# e2e_gfm.sh GALLEY - Markdown as people write it (GitHub Flavored: tables,
# footnotes, strikethrough, task lists, autolinks) through both outputs,
# checked with EPUBCheck, xmllint, pdftotext and qpdf; and strict
# CommonMark with -f commonmark.  Prints "e2e-gfm: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

cat > gfm.md <<'EOF'
---
title: Scanning schedule
lang: en
---

The district archive scans its ledgers[^plan] in three rounds[^rounds];
the first plan[^plan] was ~~old~~ replaced. See www.example.org.

| Month | Task | Boxes |
|:------|:----:|------:|
| March | Scan *ledgers* | 1,200 |
| April | Index the photographs of the basement store | 300 |

- [ ] order scanners
- [x] hire two clerks

# Second part

The second part refers to the rounds again[^rounds].

[^plan]: The plan of 2025, with [the minutes](https://example.org/minutes) and *its annex*.
[^rounds]: March, April and May.
EOF

cat > zh.md <<'EOF'
---
title: 数字化工作安排
lang: zh-CN
---

各单位按下表安排工作[^1]。

| 月份 | 任务 | 数量 |
|:---|:---|---:|
| 三月 | 纸质档案扫描与著录 | 1200 |
| 四月 | 照片档案整理 | 300 |

[^1]: 具体要求另行通知。
EOF

# ---- EPUB ----
"$GALLEY" -q -t epub -o gfm.epub gfm.md
check "GFM document to EPUB: exit 0" test $? = 0
check_epub "GFM document: EPUB passes epubcheck" gfm.epub
ch1=$(unzip -p gfm.epub OEBPS/text/ch0001.xhtml)
ch2=$(unzip -p gfm.epub OEBPS/text/ch0002.xhtml)
check_has "table: a thead with header cells" "$ch1" \
  '<thead>
<tr><th scope="col" class="left">Month</th><th scope="col" class="center">Task</th><th scope="col" class="right">Boxes</th></tr>
</thead>'
check_has "table: body cells keep their alignment and emphasis" "$ch1" \
  '<td class="center">Scan <em>ledgers</em></td><td class="right">1,200</td>'
check_has "table: wrapped so a wide one scrolls" "$ch1" '<div class="table">'
check_has "note reference: noteref with a superscript number" "$ch1" \
  '<a epub:type="noteref" role="doc-noteref" class="noteref" id="fnref1" href="#fn1"><sup>1</sup></a>'
check_has "note referred to twice: a second reference id" "$ch1" 'id="fnref1-2" href="#fn1"'
check_has "note: an aside at the chapter's end with a link back" "$ch1" \
  '<aside epub:type="footnote" role="doc-footnote" id="fn1" class="footnote">
<p class="note-label"><a href="#fnref1" role="doc-backlink">1</a></p>'
check_has "note keeps its link and emphasis" "$ch1" \
  '<a href="https://example.org/minutes">the minutes</a> and <em>its annex</em>'
check_has "notes numbered per chapter" "$ch2" \
  'href="#fn1"><sup>1</sup></a>'
check_has "the second chapter carries its own note" "$ch2" 'March, April and May.'
check_lacks "a chapter holds only its own notes" "$ch2" 'The plan of 2025'
check_has "strikethrough as del" "$ch1" "<del>old</del>"
check_has "autolink" "$ch1" '<a href="http://www.example.org">www.example.org</a>'
check_has "open task: a ballot box" "$ch1" 'aria-label="to do">☐</span> order scanners'
check_has "done task: a checked box" "$ch1" 'aria-label="done">☑</span> hire two clerks'
css=$(unzip -p gfm.epub OEBPS/style.css)
check_has "stylesheet borders table cells" "$css" 'th, td { border: 1px solid'
check_has "stylesheet lets a wide table scroll" "$css" 'div.table { overflow-x: auto;'

"$GALLEY" -q -t epub -o zh.epub zh.md
check_epub "Chinese table and note: EPUB passes epubcheck" zh.epub

# ---- PDF ----
"$GALLEY" -q -t pdf -o gfm.pdf gfm.md
check "GFM document to PDF: exit 0" test $? = 0
check "GFM PDF passes qpdf --check" qpdf --check gfm.pdf
txt=$(pdftotext -layout gfm.pdf - 2>/dev/null)
check_has "PDF table: header cells on one line" "$txt" "Month"
check_eq "PDF table: the header row's cells stand on one line" \
  "$(grep -cE 'Month +Task +Boxes' <<<"$txt")" 1
check_eq "PDF table: a row's cells stand on one line" \
  "$(grep -cE 'March +Scan ledgers +1,200' <<<"$txt")" 1
check_lacks "PDF table: no pipe syntax left" "$txt" '|---'
check_lacks "PDF note: no bracket syntax left" "$txt" '[^'
check_has "PDF note text printed" "$txt" "March, April and May."
check_has "PDF task marks" "$txt" "☐ order scanners"
check_has "PDF done mark" "$txt" "☑ hire two clerks"
check_has "PDF strikethrough keeps its text" "$(tr -s ' \n' '  ' <<<"$txt")" "was old replaced"
# the struck word has a rule across it: a filled rectangle in the content
qpdf --qdf --object-streams=disable gfm.pdf gfm.qdf 2>/dev/null
check "PDF has rules (table and strike)" grep -aq ' re' gfm.qdf

# links: two to addresses, four from note numbers to their notes
check_eq "PDF note numbers link to their notes" \
  "$(( $(grep -ac '/Subtype /Link' gfm.qdf) - $(grep -ac '/URI ' gfm.qdf) ))" 4

# empty and ragged tables, notes in a heading, a list item and a cell,
# nested formatting in cells
cat > odd.md <<'EOF'
# Heading with a note[^h]

| Only | A | Header |
|---|---|---|

| One | Two | Three |
|---|---|---|
| a |
| b | c |
| d | e | f |

- an item with a note[^l]

| Cell | Note |
|---|---|
| ***bold italic*** `code` [link](https://example.org) ~~gone~~ | in a cell[^c] |

[^h]: Note of the heading.
[^l]: Note of the item.
[^c]: Note of the cell.
EOF
"$GALLEY" -q -t pdf,epub --outdir odd odd.md
check "odd tables and notes: both written" test -s odd/odd.pdf -a -s odd/odd.epub
check_epub "odd tables and notes: EPUB passes epubcheck" odd/odd.epub
check "odd tables and notes: PDF passes qpdf --check" qpdf --check odd/odd.pdf
ox=$(unzip -p odd/odd.epub 'OEBPS/text/*.xhtml')
check_has "header-only table: a thead and no tbody" "$ox" '<th scope="col">Header</th></tr>
</thead>
</table>'
check_eq "ragged rows: filled to three cells" \
  "$(grep -o '<tr><td>a</td><td></td><td></td></tr>' <<<"$ox" | wc -l)" 1
check_has "nested formatting in a cell" "$ox" \
  '<td><em><strong>bold italic</strong></em> <code>code</code> <a href="https://example.org">link</a> <del>gone</del></td>'
ot=$(pdftotext -layout odd/odd.pdf - | tr -s ' ' ' ')
for n in "Note of the heading." "Note of the item." "Note of the cell."; do
  check_has "PDF: $n" "$ot" "$n"
  check_has "EPUB: $n" "$ox" "$n"
done
check_has "PDF: a ragged row's cells where they belong" "$ot" " b c"

# a table of 80 rows breaks between rows and repeats its header
{ printf -- '---\ntitle: Long\n---\n\n| No. | Item | Description |\n|---:|---|---|\n'
  for i in $(seq 80); do
    printf '| %d | Box %d | Scanning of the records of district %d, with the ledgers and photographs |\n' "$i" "$i" "$i"
  done; printf '\nAfter the table.\n'; } > long.md
"$GALLEY" -q -o long.pdf long.md
check "long table: PDF passes qpdf --check" qpdf --check long.pdf
pages=$(pdfinfo long.pdf | sed -n 's/^Pages: *//p')
check "long table: more than one page" test "${pages:-0}" -gt 1
check_eq "long table: the header row on every page" \
  "$(pdftotext -layout long.pdf - | grep -cE 'No\. +Item +Description')" "$pages"
check_eq "long table: every row there" \
  "$(pdftotext -layout long.pdf - | grep -cE '^ *[0-9]+ +Box [0-9]+ ')" 80
check_has "long table: the text after it" "$(pdftotext long.pdf -)" "After the table."

"$GALLEY" -q -o zh.pdf zh.md
check "Chinese table: PDF passes qpdf --check" qpdf --check zh.pdf
check_eq "Chinese table: a row on one line" \
  "$(pdftotext -layout zh.pdf - | grep -cE '三月 +纸质档案扫描与著录 +1200')" 1
check_has "Chinese note printed" "$(pdftotext zh.pdf -)" "具体要求另行通知。"

# a table wider than the text block: shared out, nothing off the page
{ printf '| '; for i in $(seq 12); do printf 'Column%d | ' "$i"; done; printf '\n|'
  for i in $(seq 12); do printf -- '---|'; done; printf '\n| '
  for i in $(seq 12); do printf 'averyveryverylongwordnumber%d | ' "$i"; done; printf '\n'; } > wide.md
"$GALLEY" -q -o wide.pdf wide.md
check "wide table: PDF passes qpdf --check" qpdf --check wide.pdf
out=$(pdftotext -bbox wide.pdf - | awk -F'"' '/<word/ { if ($6 + 0 > 595.3) print "off " $0 }')
check_eq "wide table: no word past the page's right edge" "$out" ""
# each long word has three v and the headers none: broken or not, all kept
check_eq "wide table: every letter kept" "$(pdftotext wide.pdf - | tr -cd 'v' | wc -c)" 36

# notes at the foot of the page that refers to them, below its text
{ printf -- '---\ntitle: Notes\n---\n\n'
  for i in $(seq 30); do
    printf 'Anchor%d names its note here[^n%d].\n\n' "$i" "$i"
    printf 'Filler text of the district archive about the scanning of ledgers, photographs and minutes kept in the basement store, line after line of it.\n\n'
  done
  for i in $(seq 30); do printf '[^n%d]: Footnote%d: scanned in round %d.\n' "$i" "$i" "$i"; done
} > foot.md
"$GALLEY" -q -o foot.pdf foot.md
check "notes at the foot: PDF passes qpdf --check" qpdf --check foot.pdf
# page and y of each word, from pdftotext -bbox
pdftotext -bbox foot.pdf foot.html 2>/dev/null
awk -F'"' '/<page/ { p++ } /<word/ { w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w); print p, $4, w }' foot.html > foot.words
bad=""
for i in $(seq 30); do
  a=$(awk -v w="Anchor$i" '$3 == w { print $1; exit }' foot.words)
  n=$(awk -v w="Footnote$i:" '$3 == w { print $1; exit }' foot.words)
  [ -n "$a" ] && [ "$a" = "$n" ] || bad="$bad $i(page $a, note on $n)"
done
check_eq "notes at the foot: each on the page of its reference" "$bad" ""
below=$(awk '$3 ~ /^Footnote/ { if (!($1 in top) || $2 < top[$1]) top[$1] = $2 }
             $3 ~ /^(Anchor|Filler|line)/ { if ($2 > last[$1]) last[$1] = $2 }
             END { for (p in top) if (top[p] < last[p]) print "page " p }' foot.words)
check_eq "notes at the foot: below every line of the page's text" "$below" ""
check_eq "notes at the foot: each note printed once" \
  "$(grep -o 'Footnote[0-9]*:' foot.words | sort | uniq -d)" ""
# a note too long for the room left continues at the foot of the next page
{ printf -- '---\ntitle: Continued\n---\n\n'
  for i in $(seq 12); do
    printf 'Paragraph %d of the district archive report, about the scanning of ledgers, photographs and minutes kept in the basement store, which the clerks index as they go, box after box and shelf after shelf.\n\n' "$i"
    [ "$i" = 1 ] && printf 'The long note is referred to here[^long].\n\n'
  done
  printf '[^long]: '; for i in $(seq 1500); do printf 'n%d ' "$i"; done; printf '\n'; } > cont.md
"$GALLEY" -q -o cont.pdf cont.md
check "continued note: PDF passes qpdf --check" qpdf --check cont.pdf
check_eq "continued note: all of it, in order" \
  "$(pdftotext cont.pdf - | grep -o '\bn[0-9]*\b' | tr -d n | tr '\n' ' ')" "$(seq -s ' ' 1500) "
first=$(pdftotext -f 1 -l 1 cont.pdf - | grep -o '\bn[0-9]*\b' | tail -1)
second=$(pdftotext -f 2 -l 2 cont.pdf - | grep -o '\bn[0-9]*\b' | head -1)
check "continued note: begins on the page of its reference" test -n "$first"
check_eq "continued note: goes on at the next page's foot" "$second" "n$(( ${first#n} + 1 ))"
check_has "continued note: the text goes on above it" "$(pdftotext -f 2 -l 2 cont.pdf -)" "Paragraph"
pdftotext -bbox cont.pdf cont.html 2>/dev/null
low=$(awk -F'"' '/<page/ { p++ } /<word/ { w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w)
        if (w ~ /^n[0-9]+$/) { if ($8 + 0 > note[p]) note[p] = $8 + 0 }
        else if (w ~ /^[0-9]+$/ && $4 + 0 > 700) num[p] = $4 + 0 }
      END { for (p in note) if (p in num && note[p] > num[p]) print "page " p }' cont.html)
check_eq "continued note: never below the page number" "$low" ""

# typewriter quotes and dashes set as printers do; code left as typed
printf '"If we let the wall go," said the harbour master'"'"'s clerk -- twice --- and `"code" -- x`...\n' > quotes.md
"$GALLEY" -q -t pdf,epub --outdir q quotes.md
qt=$(pdftotext q/quotes.pdf - | tr -s ' \n' '  ')
check_has "smart quotes in the PDF" "$qt" "“If we let the wall go,” said the harbour master’s clerk – twice — and"
check_has "code keeps its typewriter quotes" "$qt" '"code" -- x'
check_has "an ellipsis" "$qt" "…"
check_has "smart quotes in the EPUB" "$(unzip -p q/quotes.epub 'OEBPS/text/*.xhtml')" \
  "“If we let the wall go,” said the harbour master’s clerk – twice — and <code>&quot;code&quot; -- x</code>…"
"$GALLEY" -q -f commonmark -t epub -o q/strict.epub quotes.md
check_has "-f commonmark keeps typewriter quotes" "$(unzip -p q/strict.epub 'OEBPS/text/*.xhtml')" \
  "&quot;If we let the wall go,&quot; said the harbour master's clerk -- twice ---"

# a table too wide even at its smallest type: words hyphenated in the cells
{ printf '|'; for w in Administration Correspondence Municipalities Digitisation Photographs Conservation Accessioning Reappraisal Deaccessioning Registration; do printf ' %s |' $w; done
  printf '\n|'; for i in $(seq 10); do printf -- '---|'; done; printf '\n'; } > squeezed.md
"$GALLEY" -q -o squeezed.pdf squeezed.md
sq=$(pdftotext -layout squeezed.pdf -)
check_has "squeezed table: a word broken at a hyphenation point" "$sq" "Correspon-"
check_eq "squeezed table: every piece that ends a cell's line ends with a hyphen" \
  "$(head -3 <<<"$sq" | awk 'NR == 2' | tr -s ' ' '\n' | grep -c '[a-z]$')" 0

# a row taller than a page splits between its lines, cells side by side
{ printf '| A | B |\n|---|---|\n| '; for i in $(seq 0 599); do printf 'alpha%d ' "$i"; done
  printf '| '; for i in $(seq 0 199); do printf 'beta%d ' "$i"; done; printf '|\n| short | row |\n'; } > tallrow.md
"$GALLEY" -q -o tallrow.pdf tallrow.md
check "tall row: PDF passes qpdf --check" qpdf --check tallrow.pdf
tr=$(pdftotext -layout tallrow.pdf -)
check_eq "tall row: every word of both cells" \
  "$(grep -o 'alpha[0-9]*\|beta[0-9]*' <<<"$tr" | wc -l)" 800
check "tall row: more than one page" test "$(pdfinfo tallrow.pdf | sed -n 's/^Pages: *//p')" -gt 1
check_eq "tall row: the cells side by side" "$(grep -c 'alpha0 .*beta0 ' <<<"$tr")" 1
check_eq "tall row: the header atop each page" "$(grep -cE '^A +B$' <<<"$tr")" \
  "$(pdfinfo tallrow.pdf | sed -n 's/^Pages: *//p')"

# ---- strict CommonMark ----
"$GALLEY" -q -f commonmark -t epub -o cm.epub gfm.md
check "-f commonmark: exit 0" test $? = 0
cm=$(unzip -p cm.epub OEBPS/text/ch0001.xhtml)
check_lacks "-f commonmark: no table" "$cm" '<table>'
check_lacks "-f commonmark: no del" "$cm" '<del>'
check_has "-f commonmark: the pipes stay text" "$cm" '| Month | Task | Boxes |'
"$GALLEY" -q --from gfm -t epub -o g2.epub gfm.md
check "--from gfm: exit 0" test $? = 0
"$GALLEY" -f docx -o x.epub gfm.md 2>err.txt
check_eq "-f docx: usage error" "$?" 2
check_has "-f docx: says what is known" "$(cat err.txt)" "commonmark"

finish e2e-gfm

#!/usr/bin/env bash
# e2e_pdf.sh GALLEY - converts real documents to PDF and checks the outputs
# with real readers (qpdf, poppler's pdftotext/pdffonts/pdfinfo/pdfimages/
# pdftoppm).  Prints "e2e-pdf: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

SAMPLES="news-report circular mixed-guide"
SIZES="small medium large"

# The article style: A4, text block 64 pt from the left and right edges and
# 72 pt from the top and bottom.  Header and footer sit in the top and bottom
# margins.  Coordinates from pdftotext are measured from the top of the page.
PAGE_W=595.276 PAGE_H=841.89
MARGIN_X=64 MARGIN_Y=72

# ---- helpers ----

pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
info() { pdfinfo "$2" 2>/dev/null | sed -n "s/^$1: *//p"; } # FIELD FILE

# Front-matter scalar FIELD of a Markdown file (quotes removed).
front() { # FILE FIELD
  awk -v k="$2" '
    /^---[ \t\r]*$/ { n++; if (n == 2) exit; next }
    n == 1 && index($0, k ":") == 1 {
      v = substr($0, length(k) + 2); sub(/^[ \t]+/, "", v); sub(/[ \t\r]+$/, "", v)
      if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
      print v; exit
    }' "$1"
}

# The Markdown after the front matter.
body() { awk '/^---[ \t\r]*$/ && n < 2 { n++; next } n >= 2' "$1"; }

# Text of the text block only: each page cropped to leave out the running
# header (y < 56) and the footer (y > 786), so that nothing from them lands in
# the middle of a sentence that runs over a page break.
block_text() { pdftotext -x 0 -y 56 -W 596 -H 730 "$@" - 2>/dev/null; }

# Word boxes outside the text block (header and footer lines, which lie wholly
# in the top or bottom margin, only need to keep inside the left and right
# margins).  Tolerance 1 pt.  A full-width CJK bracket or mark gives its blank
# half to the margin at a line's start (（《「...) or end (，。、）》...): the ink
# is inside, the advance box is not, so a word may pass the margin by half an
# em there.  The em is estimated from the box height (the CJK font's
# ascent - descent is 1.307 em; Latin fonts give more, so this never
# underestimates the allowance by more than a few per cent).
# Prints one line per offending word, and any page that is not A4.
bbox_offenders() { # PDF
  pdftotext -bbox "$1" - 2>/dev/null | LC_ALL=C.UTF-8 awk \
    -v W="$PAGE_W" -v H="$PAGE_H" -v MX="$MARGIN_X" -v MY="$MARGIN_Y" '
    function attr(name,   s) {
      if (!match($0, name "=\"[^\"]*\"")) return 0
      s = substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3)
      return s + 0
    }
    BEGIN { L = MX - 1; R = W - MX + 1; T = MY - 1; B = H - MY + 1
            OPEN = "（［｛〈《「『【〔〖〘〚〝‘“"
            CLOSE = "、。，．）］｝〉》」』】〕〗〙〛〞〟’”" }
    /<page / { page++
      if (attr("width") < W - 0.01 || attr("width") > W + 0.01 ||
          attr("height") < H - 0.01 || attr("height") > H + 0.01)
        printf "page %d is %s x %s, not A4\n", page, attr("width"), attr("height") }
    /<word / {
      x0 = attr("xMin"); y0 = attr("yMin"); x1 = attr("xMax"); y1 = attr("yMax")
      w = $0; sub(/^[^>]*>/, "", w); sub(/<\/word>.*$/, "", w)
      gsub(/&amp;/, "\\&", w); gsub(/&lt;/, "<", w); gsub(/&gt;/, ">", w); gsub(/&quot;/, "\"", w)
      # half an em: the box of a word is at least an em tall (one em for
      # Noto CJK, the em box of its ideographs; 1.307 for Droid Sans Fallback)
      half = (y1 - y0) / 2
      l = L; r = R
      if (index(OPEN, substr(w, 1, 1))) l -= half
      if (index(CLOSE, substr(w, length(w), 1))) r += half
      bad = x0 < l || x1 > r
      if (!(y1 < MY || y0 > H - MY) && (y0 < T || y1 > B)) bad = 1
      if (bad) printf "p%d \"%s\" at x %.1f-%.1f, y %.1f-%.1f\n", page, w, x0, x1, y0, y1
    }'
}

check_bbox() { # NAME PDF
  local out n
  out=$(bbox_offenders "$2")
  if [ -z "$out" ]; then pass "$1"; return; fi
  n=$(wc -l <<<"$out")
  fail "$1" "$n word(s) outside the text block (x $((MARGIN_X - 1))..$(awk -v w=$PAGE_W -v m=$MARGIN_X 'BEGIN{print w-m+1}'), y $((MARGIN_Y - 1))..$(awk -v h=$PAGE_H -v m=$MARGIN_Y 'BEGIN{print h-m+1}')): $(head -4 <<<"$out" | paste -sd ';' -)"
}

# Ink in the left and right margins, beside the text block: renders the two
# strips (x < 62 and x > 534, y 71..771: about 2 pt of tolerance for
# anti-aliasing) of every page and looks for any pixel that is not white.
# Catches what pdftotext cannot see (rules, shading, images) and is blind to
# the blank halves of CJK punctuation, which only the ink counts here.
margin_ink() { # PDF -> prints "page N left|right" per inked strip
  local f=$1 side x w p img
  for side in left right; do
    if [ $side = left ]; then x=0 w=62; else x=534 w=61; fi
    rm -f strip-*.pgm
    pdftoppm -gray -r 72 -x $x -y 71 -W $w -H 700 "$f" strip 2>/dev/null
    for img in strip-*.pgm; do
      [ -e "$img" ] || continue
      p=${img#strip-}; p=${p%.pgm}; p=$((10#$p))
      # the PGM header is three lines; the raster is W*H bytes at the end
      if [ "$(tail -c $((w * 700)) "$img" | tr -d '\377' | wc -c)" != 0 ]; then
        echo "page $p $side"
      fi
    done
  done
  rm -f strip-*.pgm
}

# Annotation objects of a PDF, one per line (the dictionary's lines joined),
# from qpdf's QDF form (no object streams, strings unescaped).
annots() { # PDF
  qpdf --qdf --object-streams=disable "$1" "$1.qdf" 2>/dev/null
  awk '
    /^[0-9]+ 0 obj/ { buf = ""; inobj = 1; next }
    /^endobj/ { if (buf ~ /\/Type \/Annot/) print buf; inobj = 0; next }
    inobj { line = $0; sub(/^ +/, "", line); buf = buf " " line }
  ' "$1.qdf"
}

# ---- 1. every sample at every size: valid, readable, fonts embedded ----
test_samples() {
  local s z f err rc rows bad
  for s in $SAMPLES; do
    for z in $SIZES; do
      f=$s-$z.pdf
      svg_galley -q --font-size $z -o "$f" "$ROOT/samples/$s.md" 2>/dev/null
      check_eq "$s ($z) converts, exit 0" $? 0
      qpdf --check "$f" >qpdf.out 2>&1
      rc=$?
      if [ $rc = 0 ]; then pass "$s ($z) passes qpdf --check"
      else fail "$s ($z) passes qpdf --check" "exit $rc: $(grep -v '^checking\|^PDF Version\|^File is' qpdf.out | head -3)"; fi
      pdftotext "$f" /dev/null 2>err
      check_eq "$s ($z): pdftotext reads it without complaint" "$(head -c 300 err)" ""
      rows=$(pdffonts "$f" 2>/dev/null | tail -n +3)
      check "$s ($z): pdffonts lists at least one font" test -n "$rows"
      bad=$(awk 'NF && (NF < 7 || $(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") { print $1 }' <<<"$rows")
      check_eq "$s ($z): every font embedded, subset, with a ToUnicode map" "$bad" ""
    done
  done
}

# ---- 2. the text comes back whole ----
test_text_roundtrip() {
  local z text joined nohyph missing w
  for z in $SIZES; do
    text=$(block_text news-report-$z.pdf)
    joined=$(tr '\n\f' '  ' <<<"$text")
    nohyph=$(tr -d '\n\f-' <<<"$text")
    missing=""
    while read -r w; do
      grep -qF -- "$w" <<<"$joined" || grep -qF -- "$w" <<<"$nohyph" || missing="$missing $w"
    done < <(body "$ROOT/samples/news-report.md" | grep -oE '[A-Za-z]{4,}' | sort -u)
    check_eq "news-report ($z): every word of the body comes back from pdftotext" "$missing" ""
  done
  local runs n
  runs=$(body "$ROOT/samples/circular.md" | LC_ALL=C.UTF-8 grep -oP '[\x{4E00}-\x{9FFF}]+' | sort -u)
  n=$(wc -l <<<"$runs")
  check "circular: the body has many Han runs to compare ($n)" test "$n" -ge 100
  for z in $SIZES; do
    joined=$(block_text circular-$z.pdf | tr -d ' \t\r\n\f')
    missing=""
    while read -r w; do
      grep -qF -- "$w" <<<"$joined" || missing="$missing $w"
    done <<<"$runs"
    check_eq "circular ($z): every run of Han characters comes back from pdftotext" "$missing" ""
  done
}

# ---- 3. Chinese line-breaking rules (no closing mark at a line start) ----
test_cjk_line_rules() {
  local z mode out
  for z in $SIZES; do
    for mode in plain -layout; do
      if [ $mode = plain ]; then out=$(pdftotext circular-$z.pdf - 2>/dev/null)
      else out=$(pdftotext -layout circular-$z.pdf - 2>/dev/null); fi
      check_eq "circular ($z, $mode): no line starts with closing punctuation" \
        "$(LC_ALL=C.UTF-8 grep -nP '^\s*[，。、；：？！）」』》”’]' <<<"$out" | head -3)" ""
      check_eq "circular ($z, $mode): no line ends with opening punctuation" \
        "$(LC_ALL=C.UTF-8 grep -nP '[（「『《“‘]\s*$' <<<"$out" | head -3)" ""
    done
  done
}

# ---- 4. nothing outside the text block ----
test_text_block() {
  local s z ink
  for s in $SAMPLES; do
    for z in $SIZES; do
      check_bbox "$s ($z): every word inside the text block (A4 pages)" "$s-$z.pdf"
      ink=$(margin_ink "$s-$z.pdf")
      check_eq "$s ($z): no ink in the left and right margins" "$(paste -sd ';' - <<<"$ink")" ""
    done
  done
}

# ---- 5. bigger type, more pages ----
test_page_growth() {
  local i z
  {
    awk '/^---[ \t\r]*$/ { n++ } { print } n == 2 { exit }' "$ROOT/samples/news-report.md"
    for i in 1 2 3 4 5 6; do
      printf '\n## Part %d of the long report\n\n' "$i"
      body "$ROOT/samples/news-report.md"
    done
  } > long.md
  for z in $SIZES; do
    "$GALLEY" -q --font-size $z -o long-$z.pdf long.md 2>/dev/null
  done
  local ps pm pl
  ps=$(pages long-small.pdf) pm=$(pages long-medium.pdf) pl=$(pages long-large.pdf)
  check "long document: pages small ($ps) < medium ($pm)" test "${ps:-0}" -gt 0 -a "${ps:-0}" -lt "${pm:-0}"
  check "long document: pages medium ($pm) < large ($pl)" test "${pm:-0}" -gt 0 -a "${pm:-0}" -lt "${pl:-0}"
  check_bbox "long document (large): every word inside the text block" long-large.pdf
}

# ---- 6. the outline follows the headings ----
test_outline() {
  local json h missing="" title
  json=$(qpdf --json --json-key=outlines mixed-guide-medium.pdf 2>/dev/null)
  title=$(front "$ROOT/samples/mixed-guide.md" title)
  check_has "mixed-guide outline holds the title" "$json" "\"title\": \"$title\""
  local heads
  heads=$(body "$ROOT/samples/mixed-guide.md" | awk '
    /^```/ { fence = !fence; next }
    !fence && /^#+ / { sub(/^#+ +/, ""); sub(/ +#* *$/, ""); print }')
  check "mixed-guide has headings to look for" test "$(wc -l <<<"$heads")" -ge 10
  while read -r h; do
    grep -qF -- "\"title\": \"$h\"" <<<"$json" || missing="$missing [$h]"
  done <<<"$heads"
  check_eq "mixed-guide outline holds every heading" "$missing" ""
  local entries
  entries=$(grep -c '"title": ' <<<"$json")
  check_eq "mixed-guide outline has one entry per heading, plus the title" \
    "$entries" "$(($(wc -l <<<"$heads") + 1))"
}

# ---- 7. document information ----
test_info() {
  local f=circular-medium.pdf md=$ROOT/samples/circular.md
  check_eq "circular: Info Title is the front-matter title" "$(info Title $f)" "$(front "$md" title)"
  check_eq "circular: Info Author is the front-matter author" "$(info Author $f)" "$(front "$md" author)"
  check_eq "circular: Info Subject is the description" "$(info Subject $f)" "$(front "$md" description)"
  check_eq "circular: Info Creator is galley" "$(info Creator $f)" "galley"
  check_has "news-report: Info Keywords list the keywords" "$(info Keywords news-report-medium.pdf)" \
    "library, digitisation, local history"
}

# ---- 8. exact, repeatable output ----
test_determinism() {
  svg_galley -q -o det1.pdf "$ROOT/samples/mixed-guide.md" 2>/dev/null
  "$GALLEY" -q --pdfa -o deta1.pdf "$ROOT/samples/circular.md" 2>/dev/null
  sleep 1
  svg_galley -q -o det2.pdf "$ROOT/samples/mixed-guide.md" 2>/dev/null
  "$GALLEY" -q --pdfa -o deta2.pdf "$ROOT/samples/circular.md" 2>/dev/null
  check "same input and SOURCE_DATE_EPOCH give identical PDF bytes" cmp -s det1.pdf det2.pdf
  check "same input and SOURCE_DATE_EPOCH give identical PDF/A bytes" cmp -s deta1.pdf deta2.pdf
  check_has "creation date comes from SOURCE_DATE_EPOCH" \
    "$(pdfinfo -isodates det1.pdf 2>/dev/null | grep CreationDate)" "2023-11-14T22:13:20"
}

# ---- 9. a short Chinese circular fits on one small page ----
test_one_page() {
  local f=$ROOT/tests/data/pdf/one-page-circular.md n size
  n=$(body "$f" | LC_ALL=C.UTF-8 grep -oP '\p{Han}' | wc -l)
  check "one-page circular fixture has 550-650 Han characters ($n)" test "$n" -ge 550 -a "$n" -le 650
  "$GALLEY" -q --font-size medium -o one.pdf "$f" 2>/dev/null
  check_eq "one-page circular converts, exit 0" $? 0
  check_eq "one-page circular is one page" "$(pages one.pdf)" 1
  size=$(stat -c %s one.pdf 2>/dev/null || echo 0)
  # Song body text in Noto Serif CJK (CFF): 77 KB; pandoc+WeasyPrint's PDF
  # of the same text in the same fonts is 298 KB (make bench compares them)
  check "one-page circular is under 100 KiB ($size bytes)" test "$size" -gt 0 -a "$size" -lt 102400
  check "one-page circular: Song body in Noto Serif CJK, a CFF font" \
    sh -c "pdffonts one.pdf | grep -q 'NotoSerifCJKsc-Regular *CID Type 0C'"
  check_bbox "one-page circular: every word inside the text block" one.pdf
}

# ---- 10. a book of the three samples ----
test_book() {
  local s sum=0 n
  "$GALLEY" -q --book -o book.pdf "$ROOT"/samples/news-report.md \
    "$ROOT"/samples/circular.md "$ROOT"/samples/mixed-guide.md 2>/dev/null
  check_eq "book converts, exit 0" $? 0
  check "book passes qpdf --check" qpdf --check book.pdf
  for s in $SAMPLES; do sum=$((sum + $(pages $s-medium.pdf))); done
  n=$(pages book.pdf)
  check_eq "book pages = sum of the articles' pages (each starts a page)" "$n" "$sum"
  local xml top want got
  xml=$(pdftohtml -xml -i -q -stdout book.pdf 2>/dev/null)
  top=$(xmllint --xpath 'count(/pdf2xml/outline/item)' - <<<"$xml" 2>/dev/null)
  check_eq "book outline has 3 top-level entries" "$top" 3
  local i=1
  for s in $SAMPLES; do
    want=$(front "$ROOT/samples/$s.md" title)
    got=$(xmllint --xpath "string(/pdf2xml/outline/item[$i])" - <<<"$xml" 2>/dev/null)
    check_eq "book outline entry $i is the title of $s" "$got" "$want"
    i=$((i + 1))
  done
  # each article starts on the page after the previous article ends
  local p1 p2 p3
  p1=$(xmllint --xpath 'string(/pdf2xml/outline/item[1]/@page)' - <<<"$xml" 2>/dev/null)
  p2=$(xmllint --xpath 'string(/pdf2xml/outline/item[2]/@page)' - <<<"$xml" 2>/dev/null)
  p3=$(xmllint --xpath 'string(/pdf2xml/outline/item[3]/@page)' - <<<"$xml" 2>/dev/null)
  check_eq "book articles start on pages 1, 1+news, 1+news+circular" "$p1 $p2 $p3" \
    "1 $((1 + $(pages news-report-medium.pdf))) $((1 + $(pages news-report-medium.pdf) + $(pages circular-medium.pdf)))"
  local foot
  foot=$(pdftotext -f "$n" -l "$n" book.pdf - 2>/dev/null | tr -d ' \f' | grep -x '[0-9]*/[0-9]*')
  check_eq "book: the last page's footer reads N / N" "$foot" "$n/$n"
  check_bbox "book: every word inside the text block" book.pdf
}

# ---- 11. links ----
test_links() {
  local a
  a=$(annots mixed-guide-medium.pdf)
  check_has "mixed-guide: URI link to https://example.org/" "$a" "/URI (https://example.org/archive/)"
  check_has "mixed-guide: URI link to https://commonmark.org" "$a" "/URI (https://commonmark.org)"
  check_has "mixed-guide: mailto link for the e-mail autolink" "$a" "/URI (mailto:archive-help@example.org)"
  check_lacks "mixed-guide: no link from inside a code block" "$a" "city-library"
  check "mixed-guide: an internal link (/Link with /Dest, no /A)" \
    grep -q '/Subtype /Link' <(grep '/Dest' <<<"$a" | grep -v '/A ')
}

# ---- 12. PDF/A: 1b, 2b, 2u (bare --pdfa), 2a ----
test_pdfa() {
  local level opt f v part conf meta title xmp_title q
  for level in 1b 2b 2u 2a bare; do
    case $level in
      2a) opt=--pdfa=2a v=1.7 part=2 conf=A ;;
      1b) opt=--pdfa=1b v=1.4 part=1 conf=B ;;
      2b) opt=--pdfa=2b v=1.7 part=2 conf=B ;;
      2u) opt=--pdfa=2u v=1.7 part=2 conf=U ;;
      *) opt=--pdfa v=1.7 part=2 conf=U ;; # the default level, 2u
    esac
    f=pdfa-$level.pdf
    "$GALLEY" -q $opt -o $f "$ROOT/samples/circular.md" 2>/dev/null
    check_eq "$opt converts, exit 0" $? 0
    check "$opt passes qpdf --check" qpdf --check $f
    check_eq "$opt: file header says PDF $v" "$(head -c 8 $f)" "%PDF-$v"
    check_eq "$opt: pdfinfo says PDF version $v" "$(info 'PDF version' $f)" "$v"
    meta=$(pdfinfo -meta $f 2>/dev/null)
    check_has "$opt: XMP pdfaid:part $part" "$meta" "pdfaid:part>$part<"
    check_has "$opt: XMP pdfaid:conformance $conf" "$meta" "pdfaid:conformance>$conf<"
    check_eq "$opt: XMP names one part and one conformance" \
      "$(grep -o '<pdfaid:[a-z]*>' <<<"$meta" | sort | uniq -c | awk '{ print $1 }' | sort -u)" 1
    check "$opt: XMP well-formed" bash -c "pdfinfo -meta $f | xmllint --noout -"
    title=$(info Title $f)
    xmp_title=$(tr -d '\n' <<<"$meta" | grep -oP '<dc:title>.*?</dc:title>' |
      sed -e 's/<[^>]*>//g' -e 's/^ *//' -e 's/ *$//' \
        -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g')
    check_eq "$opt: XMP dc:title equals the Info Title" "$xmp_title" "$title"
    check_eq "$opt: Info Title is the front-matter title" "$title" "$(front "$ROOT/samples/circular.md" title)"
    qpdf --qdf --object-streams=disable $f $f.qdf 2>/dev/null
    q=$(grep -a -e '/OutputIntent' -e '/GTS_PDFA1' -e '/DestOutputProfile' $f.qdf)
    check_has "$opt: OutputIntent /S /GTS_PDFA1" "$q" "/S /GTS_PDFA1"
    check_has "$opt: OutputIntent has a /DestOutputProfile" "$q" "/DestOutputProfile"
    check_has "$opt: trailer has an /ID" "$(qpdf --show-object=trailer $f 2>/dev/null)" "/ID"
    check "$opt: fonts embedded and subset" bash -c \
      "pdffonts $f | tail -n +3 | awk 'NF < 7 || \$(NF-4) != \"yes\" || \$(NF-3) != \"yes\" {e=1} END {exit e || NR == 0}'"
  done
  check "--pdfa and --pdfa=2u write the same bytes" cmp -s pdfa-bare.pdf pdfa-2u.pdf
  check "--pdfa=2a: the catalog has a structure tree" grep -aq "/StructTreeRoot" pdfa-2a.pdf.qdf
  "$GALLEY" -q --pdfa=2a --no-tagged -o a2.pdf "$ROOT/samples/circular.md" 2>err
  check_eq "--pdfa=2a --no-tagged: refused as a usage error (exit 2)" $? 2
  check_has "--pdfa=2a --no-tagged: says 2a is tagged" "$(cat err)" "--pdfa=2a is a tagged PDF"
  check "--pdfa=2a --no-tagged: nothing written" test ! -e a2.pdf
  "$GALLEY" -q --pdfa=3 -o a3.pdf "$ROOT/samples/circular.md" 2>err
  check_eq "--pdfa=3: refused as a usage error (exit 2)" $? 2
  check_has "--pdfa=3: names the levels" "$(cat err)" '--pdfa takes 1b, 2b, 2u or 2a, not "3"'
  check_has "--help names the PDF/A levels" "$("$GALLEY" --help)" "--pdfa[=LEVEL]"
}

# ---- 13. characters no bundled font has ----
test_missing_glyphs() {
  printf -- '---\ntitle: Glyphs\nlang: en\n---\n\nA smile 😀 and a rare ideograph 𠀀 and another 😀 here.\n' > glyphs.md
  "$GALLEY" -o glyphs.pdf glyphs.md 2>err
  check_eq "missing glyphs: still converts, exit 0" $? 0
  check_eq "missing glyphs: reported once" "$(grep -c 'in no bundled font' err)" 1
  check_has "missing glyphs: the warning names the first one" "$(cat err)" \
    "in no bundled font (the first U+1F600)"
  check_has "missing glyphs: the warning names the file" "$(cat err)" "glyphs.md"
  check_has "missing glyphs: drawn as U+FFFD" "$(pdftotext glyphs.pdf - 2>/dev/null)" "A smile � and a rare ideograph �"
  check "missing glyphs: passes qpdf --check" qpdf --check glyphs.pdf
}

# ---- 14. a word wider than the line ----
test_long_words() {
  local url han i
  url="https://example.org/archive/"
  while [ ${#url} -lt 300 ]; do url="${url}Abcdefghij0123456789"; done
  url=${url:0:300}
  han=""
  for i in 1 2 3 4 5 6 7 8 9 10; do han="${han}春眠不觉晓处处闻啼鸟夜来风雨声花落知多少"; done
  printf -- '---\ntitle: Long words\nlang: en\n---\n\nBefore %s after.\n\n' "$url" > long-en.md
  printf -- '---\ntitle: 长词\nlang: zh-CN\n---\n\n前面%s后面。\n' "$han" > long-zh.md
  local f z text
  for f in long-en long-zh; do
    for z in small large; do
      "$GALLEY" -q --font-size $z -o $f-$z.pdf $f.md 2>/dev/null
      check_eq "$f ($z) converts, exit 0" $? 0
      check_bbox "$f ($z): the long word stays inside the margins" $f-$z.pdf
      text=$(block_text $f-$z.pdf | tr -d '\n\f')
      if [ $f = long-en ]; then
        check_has "$f ($z): all 300 characters come back" "$text" "$url"
      else
        check_has "$f ($z): all 200 characters come back" "$text" "$han"
      fi
    done
  done
}

# ---- 15. images ----
test_images() {
  local list n
  list=$(pdfimages -list mixed-guide-medium.pdf 2>/dev/null | tail -n +3)
  n=$(awk '$3 == "image"' <<<"$list" | wc -l)
  check "mixed-guide: at least 2 images ($n)" test "$n" -ge 2
  check "mixed-guide: the JPEG stays JPEG (DCT)" grep -q ' jpeg ' <<<"$list"
  check_eq "mixed-guide: the PNG is 400x200" "$(awk '$4 == 400 && $5 == 200 { print "yes"; exit }' <<<"$list")" yes
  check_eq "mixed-guide: the JPEG is 320x240" "$(awk '$4 == 320 && $5 == 240 && $9 == "jpeg" { print "yes"; exit }' <<<"$list")" yes
  # the SVG chart (360 x 220 CSS pixels, 270 x 165 pt) drawn at 300 dpi
  check_eq "mixed-guide: the SVG chart drawn, 1125x688 at 300 dpi" \
    "$(awk '$3 == "image" && $4 == 1125 && $5 == 688 && $13 == 300 { print "yes"; exit }' <<<"$list")" yes
  check_eq "mixed-guide: three figures (PNG, JPEG, SVG)" "$n" 3
  check_lacks "mixed-guide: the chart's alt text does not stand in for it" \
    "$(pdftotext mixed-guide-medium.pdf - 2>/dev/null)" "Bar chart of pages archived"
}

test_samples
test_text_roundtrip
test_cjk_line_rules
test_text_block
test_page_growth
test_outline
test_info
test_determinism
test_one_page
test_book
test_links
test_pdfa
test_missing_glyphs
test_long_words
test_images
# ---- a title too long for the running header is cut, with an ellipsis ----
{ printf -- '---\ntitle: "%s"\n---\n\n' "$(printf 'A Very Long Title of Many Words %.0s' 1 2 3 4 5 6)"
  for i in $(seq 60); do printf 'Paragraph text that runs on and on. %.0s' 1 2 3 4 5 6 7 8; printf '\n\n'; done
} > longtitle.md
"$GALLEY" -q -o longtitle.pdf longtitle.md
header=$(pdftotext -f 2 -l 2 -y 0 -H 60 -W 596 -x 0 longtitle.pdf - 2>/dev/null |
  tr -d '\f' | grep -v '^$' | head -2)
check_eq "long title: the running header is one line" "$(grep -c . <<<"$header")" 1
check_has "long title: the running header ends with an ellipsis" "$header" "…"

# ---- inline code: one tint across its spaces, a text space after it ----
printf 'Run `make test` now and then `a b c` again.\n' > code.md
"$GALLEY" -q -o code.pdf code.md
qpdf --qdf --object-streams=disable code.pdf code.qdf 2>/dev/null
# the tinted rectangles of each code span, merged: one run per span
runs=$(awk '/^0\.933[0-9]* 0\.933[0-9]* 0\.933[0-9]* rg/ { tint = 1; next }
            / rg$/ { tint = 0 }
            tint && / re$/ { print $1, $1 + $3 }' code.qdf | sort -n |
       awk 'NR == 1 { a = $1; b = $2; next }
            $1 <= b + 0.5 { if ($2 > b) b = $2; next }
            { n++; a = $1; b = $2 } END { print n + 1 }')
check_eq "inline code: one unbroken tint per span" "$runs" 2
gaps=$(pdftotext -bbox code.pdf - | awk -F'"' '/<word/ { w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w)
         x0[w] = $2 + 0; x1[w] = $6 + 0 }
       END { printf "%.2f", (x0["now"] - x1["test"]) / (x0["and"] - x1["now"]) }')
check "inline code: the space after it is a text space (ratio $gaps)" \
  awk -v r="$gaps" 'BEGIN { exit !(r > 0.5 && r < 1.6) }'

# ---- URLs and identifiers break after their separators ----
{ printf 'See https://archive.example.org/collections/district-minutes/1890-1950/'
  printf 'volume_12/scans/page_0001/index.html and the key '
  printf '`IMPORT_BATCH_IDENTIFIER_FOR_THE_DISTRICT_MINUTES_VOLUMES_OF_THE_COUNTY_RECORD_OFFICE_ARCHIVE`'
  printf ' which the loader reads before it starts on a batch.\n'; } > url.md
"$GALLEY" -q -o url.pdf url.md
# the other words are plain lower case: a last word with a slash, an
# underscore, a capital or a digit is a piece of the URL or the key
bad=$(pdftotext url.pdf - | awk 'NF { w = $NF
        if (w ~ /[\/_A-Z0-9]/ && w !~ /[\/._-]$/ && w !~ /(index\.html|ARCHIVE)$/ &&
            w !~ /^[0-9]+\/[0-9]+$/) print w }')
check_eq "a URL or identifier broken across lines only after a separator" "$bad" ""

# ---- never three hyphenated lines in a row where the text allows another way ----
"$GALLEY" -q --font-size large -o hy-large.pdf "$ROOT/samples/news-report.md"
check_eq "large type: no three hyphenated lines in a row" \
  "$(pdftotext -layout hy-large.pdf - | awk '{ if ($0 ~ /[a-z]-$/) { if (++run > max) max = run } else run = 0 } END { print (max >= 3) }')" 0

finish e2e-pdf

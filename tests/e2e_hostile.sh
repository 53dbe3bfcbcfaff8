#!/usr/bin/env bash
# e2e_hostile.sh GALLEY - every class of hostile input through both formats:
# bad bytes, bad front matter, deep nesting, huge sizes, hostile HTML, links
# and metadata, images that try to leave their folder, full disks and
# unwritable folders.  Each conversion must end in time with the documented
# exit status and message, and either a valid output (qpdf, pdftotext,
# xmllint, EPUBCheck) or, when the input is refused, no output at all.
# Prints "e2e-hostile: N passed, N failed" (VERBOSE=1 lists every check,
# TIMING=1 prints each class's time on stderr).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

PNG=$ROOT/samples/images/diagram.png

# ---- helpers (gal, check_rc, check_pdf, bg_check ... are in lib.sh) ----

LIMIT=120 # seconds before gal calls a conversion hung

# No crash: an exit status galley documents (0, 1 or 2), not a signal.
check_no_crash() { # NAME
  if [ "$RC" = 124 ]; then fail "$1" "hung: killed after ${LIMIT}s"
  elif [ "$RC" -le 2 ]; then pass "$1"
  else fail "$1" "exit $RC (killed by signal $((RC - 128)))"; fi
}

# What is wrong with an EPUB: the zip must test clean and every XML entry
# (XHTML, OPF, NCX, container) must be well-formed.  Unpacked in FILE.x.
epub_problems() { # EPUB
  local d=$1.x out
  [ -s "$1" ] || { echo "no file $1"; return; }
  unzip -tqq "$1" >/dev/null 2>&1 || { echo "unzip -t finds a damaged zip"; return; }
  rm -rf "$d" && mkdir -p "$d" && unzip -qo "$1" -d "$d" 2>/dev/null
  [ -n "$(find "$d" -name '*.xhtml' -print -quit)" ] || { echo "no XHTML entry"; return; }
  [ -s "$d/OEBPS/package.opf" ] || { echo "no package.opf"; return; }
  out=$(find "$d" \( -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' -o -name '*.xml' \) -print0 |
    xargs -0 xmllint --noout --nonet 2>&1)
  [ $? = 0 ] || echo "not well-formed XML: $(head -3 <<<"$out")"
}

check_xml() { # NAME EPUB
  local p; p=$(epub_problems "$2")
  if [ -z "$p" ]; then pass "$1"; else fail "$1" "$p"; fi
}
check_pdf_bg() { bg_check "$1" pdf_problems "$2"; } # NAME PDF
# Both outputs of BASE (BASE.pdf, BASE.epub) valid.
check_both() { # NAME BASE
  check_pdf "$1: PDF passes qpdf --check, pdftotext silent" "$2.pdf"
  check_xml "$1: EPUB entries well-formed" "$2.epub"
}
check_none() { # NAME FILE...
  local name=$1 f left=""; shift
  for f in "$@"; do [ -e "$f" ] && left="$left $f"; done
  check_eq "$name" "$left" ""
}

# All the XHTML of an unpacked EPUB (after check_xml).
xhtml() { find "$1.x" -name '*.xhtml' -exec cat {} + 2>/dev/null; }
pdftext() { cat "$1.txt" 2>/dev/null; }
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }
# Image placements in a PDF (pdfimages -list rows).
pdf_images() { pdfimages -list "$1" 2>/dev/null | tail -n +3 | grep -c .; }
epub_images() { unzip -Z1 "$1" 2>/dev/null | grep -c '^OEBPS/images/'; }
# Control characters other than TAB, LF and CR.
ctrl_in() { LC_ALL=C grep -caP '[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]'; }

# ---- 1. invalid UTF-8 ----
test_invalid_utf8() {
  mkdir -p c1 && cd c1 || return
  # lone byte; overlong "/" in two and three bytes; an encoded surrogate;
  # a sequence cut off by the end of the file.  Unicode's maximal-subpart
  # rule makes that 1 + 2 + 3 + 3 + 1 = 10 replacement characters.
  local head=$'---\ntitle: Bytes\nlang: en\n---\nlone '
  { printf '%s' "$head"
    printf '\377 overlong \300\257 and \340\200\257 surrogate \355\240\200 end \342\202'; } > u.md
  gal -t pdf,epub --outdir out u.md
  check_rc "invalid UTF-8: converts, exit 0" 0
  check_has "invalid UTF-8: warning with the count" "$ERR" \
    "u.md: warning: 10 invalid UTF-8 sequences"
  check_has "invalid UTF-8: warning gives the first byte offset" "$ERR" \
    "replaced by U+FFFD (the first at byte offset ${#head})"
  check_both "invalid UTF-8" out/u
  check_epub_bg "invalid UTF-8: EPUB passes epubcheck" out/u.epub
  local want='lone � overlong �� and ��� surrogate ��� end �'
  check_has "invalid UTF-8: XHTML holds U+FFFD for each maximal subpart" "$(xhtml out/u.epub)" "$want"
  check_has "invalid UTF-8: PDF text holds U+FFFD for each maximal subpart" "$(pdftext out/u.pdf)" "$want"
  cd "$TMP" || exit 1
}

# ---- 2. NUL and control characters ----
test_control_chars() {
  mkdir -p c2 && cd c2 || return
  printf -- '---\ntitle: "Ti\001tle\033x"\nauthor: "Au\177thor"\ndescription: "de\013sc"\nlang: en\n---\n\n# Head\001ing\n\nbody \001 vt \013 esc \033[31m del \177 nul \000 end\n' > c.md
  gal -t pdf,epub --outdir out c.md
  check_rc "control characters: convert, exit 0" 0
  check_has "control characters: warned" "$ERR" "control characters replaced by U+FFFD"
  check_has "NUL: warned as invalid" "$ERR" "NUL byte"
  check_both "control characters" out/c
  check_epub_bg "control characters: EPUB passes epubcheck" out/c.epub
  check_eq "control characters: none reaches the XHTML, OPF or NCX" \
    "$(find out/c.epub.x -type f \( -name '*.xhtml' -o -name '*.opf' -o -name '*.ncx' \) -exec cat {} + | ctrl_in)" 0
  check_eq "control characters: none reaches the PDF text" "$(pdftext out/c.pdf | tr -d '\f' | ctrl_in)" 0
  check_eq "control characters: none reaches the PDF document information" \
    "$(pdfinfo out/c.pdf 2>/dev/null | ctrl_in)" 0
  check_has "control characters: body text kept around them" "$(xhtml out/c.epub)" "body � vt � esc �[31m del � nul � end"
  check_eq "control characters: title with U+FFFD in the OPF" \
    "$(epub_xpath out/c.epub OEBPS/package.opf 'string(//*[local-name()="title"][1])')" "Ti�tle�x"
  cd "$TMP" || exit 1
}

# ---- 3. BOM, CRLF, lone CR ----
test_line_endings() {
  mkdir -p c3 && cd c3 || return
  printf '\357\273\277---\r\ntitle: "CRLF & BOM"\r\nlang: en\r\n---\r\n# Head\r\n\r\nLine one\r\nline two\r\n' > crlf.md
  printf -- '---\rtitle: "Lone CR"\rlang: en\r---\r# Head\r\rLine one\rline two\r' > cr.md
  local f t
  for f in crlf cr; do
    gal -t pdf,epub --outdir out $f.md
    check_rc "$f: converts, exit 0" 0
    check_both "$f" out/$f
    [ $f = crlf ] && t="CRLF & BOM" || t="Lone CR"
    check_eq "$f: front matter read (OPF title)" \
      "$(epub_xpath out/$f.epub OEBPS/package.opf 'string(//*[local-name()="title"][1])')" "$t"
    check_eq "$f: front matter read (PDF Title)" "$(pdfinfo out/$f.pdf 2>/dev/null | sed -n 's/^Title: *//p')" "$t"
    check_has "$f: heading and one paragraph of two lines" "$(xhtml out/$f.epub)" \
      $'<h1 id="head">Head</h1>\n<p>Line one\nline two</p>'
    check_eq "$f: no CR in the XHTML" "$(xhtml out/$f.epub | tr -cd '\r' | wc -c)" 0
    check_lacks "$f: no BOM or fence in the text" "$(pdftext out/$f.pdf)" "---"
  done
  cd "$TMP" || exit 1
}

# ---- 4. empty and front-matter-only files ----
test_empty() {
  mkdir -p c4 && cd c4 || return
  : > empty.md
  printf -- '---\ntitle: Only front matter\nlang: en\n---\n' > onlyfm.md
  printf -- '---\ntitle: Unclosed\nlang: en\n' > unclosed.md
  gal -t pdf,epub --outdir out empty.md
  check_rc "empty file: converts, exit 0" 0
  check_both "empty file" out/empty
  check_epub_bg "empty file: EPUB passes epubcheck" out/empty.epub
  check_eq "empty file: title falls back to the file name" \
    "$(epub_xpath out/empty.epub OEBPS/package.opf 'string(//*[local-name()="title"][1])')" "empty"
  gal -t pdf,epub --outdir out onlyfm.md
  check_rc "front matter only: converts, exit 0" 0
  check_both "front matter only" out/onlyfm
  check_has "front matter only: title on the page" "$(pdftext out/onlyfm.pdf)" "Only front matter"
  gal -t pdf,epub --outdir out unclosed.md
  check_rc "unclosed front matter: converts, exit 0" 0
  check_has "unclosed front matter: warned with the line" "$ERR" \
    "unclosed.md:1:1: warning: front matter opened here is never closed"
  check_both "unclosed front matter" out/unclosed
  check_has "unclosed front matter: read as Markdown" "$(pdftext out/unclosed.pdf)" "title: Unclosed"
  cd "$TMP" || exit 1
}

# ---- 5. front matter that must be refused ----
test_bad_yaml() {
  mkdir -p c5 && cd c5 || return
  printf -- '---\ntitle: ok\nkeywords: [a, b\nlang: en\n---\nBody\n' > flow.md
  printf -- '---\ntitle: ok\nauthor:\n  - a\n - b\n---\nBody\n' > indent.md
  printf -- '---\ntitle: ok\nauthor:\n\t- a\n---\nBody\n' > tab.md
  printf -- '---\ntitle: [a]\n---\nBody\n' > title.md
  printf -- '---\ntitle: ok\nauthor: {x: y}\n---\nBody\n' > author.md
  printf -- '---\ntitle: ok\nkeywords: {a: b}\n---\nBody\n' > keywords.md
  { echo '---'
    echo 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    local p=a l
    for l in b c d e f g h i; do
      echo "$l: &$l [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"; p=$l
    done
    echo 'title: Laughs'; echo '---'; echo 'Body'; } > bomb.md
  local f want
  for f in flow:"flow.md:4:5: error: malformed front matter" \
           indent:"indent.md:5:2: error: malformed front matter" \
           tab:"tab.md:4:1: error: malformed front matter" \
           title:"title.md:2:8: error: title must be a string" \
           author:"author.md:3:9: error: author must be" \
           keywords:"keywords.md:3:11: error: keywords must be" \
           bomb:"bomb.md:3:8: error: front matter uses a YAML alias (*a); aliases are not allowed"; do
    want=${f#*:} f=${f%%:*}
    gal -t pdf,epub --outdir out $f.md
    check_rc "bad front matter ($f): exit 1" 1
    check_has "bad front matter ($f): error names file, line and column" "$ERR" "$want"
    check_none "bad front matter ($f): no output" out/$f.pdf out/$f.epub
    gal -o $f.pdf $f.md
    check_rc "bad front matter ($f), -o PDF: exit 1" 1
    check_none "bad front matter ($f), -o PDF: no output" $f.pdf
  done
  check_eq "no temporary file left behind" "$(find . -name '.galley-*' | wc -l)" 0
  cd "$TMP" || exit 1
}

# ---- 6. nesting thousands deep ----
test_deep_nesting() {
  mkdir -p c6 && cd c6 || return
  { printf '# Quotes\n\n'; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "> "; print "bottom quote" }'; } > quotes.md
  { printf '# Lists\n\n'; awk 'BEGIN { s = ""; for (i = 0; i < 5000; i++) { print s "- item " i; s = s "  " } }'; } > lists.md
  { printf '# Emphasis\n\n'; awk 'BEGIN { s = ""; for (i = 0; i < 20000; i++) s = s "*"; print s "core" s; print ""; print "after" }'; } > emph.md
  { printf '# Brackets\n\n'; awk 'BEGIN { s = ""; for (i = 0; i < 50000; i++) s = s "["; print s "core"; print ""; print "after" }'; } > brackets.md
  { printf '# Links\n\n'; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "[a "; printf "core";
      for (i = 0; i < 10000; i++) printf "](https://example.org/%d)", i; print ""; print ""; print "after" }'; } > links.md
  local f
  for f in quotes lists emph brackets links; do
    gal -t pdf,epub --outdir out $f.md
    check_rc "deep $f: converts in time, exit 0" 0
    case $f in quotes | lists | emph)
      check_has "deep $f: flattening reported" "$ERR" "warning: nesting deeper than 64 levels flattened" ;;
    esac
    check_both "deep $f" out/$f
  done
  check_epub_bg "deep quotes: EPUB passes epubcheck" out/quotes.epub
  check_has "deep quotes: text kept (XHTML)" "$(xhtml out/quotes.epub)" "bottom quote"
  check_has "deep quotes: text kept (PDF)" "$(pdftext out/quotes.pdf)" "bottom quote"
  local depth
  depth=$(xmllint --xpath 'count((//*[local-name()="blockquote"][not(.//*[local-name()="blockquote"])])[1]/ancestor-or-self::*[local-name()="blockquote"])' \
    out/quotes.epub.x/OEBPS/text/ch0001.xhtml 2>/dev/null)
  check "deep quotes: at most 64 nested blockquotes in the XHTML ($depth)" test "${depth:-0}" -ge 1 -a "${depth:-0}" -le 64
  depth=$(xmllint --xpath 'count((//*[local-name()="li"][not(.//*[local-name()="li"])])[last()]/ancestor-or-self::*[local-name()="ul"])' \
    out/lists.epub.x/OEBPS/text/ch0001.xhtml 2>/dev/null)
  check "deep lists: at most 64 nested lists in the XHTML ($depth)" test "${depth:-0}" -ge 1 -a "${depth:-0}" -le 64
  check_has "deep lists: the last item kept" "$(xhtml out/lists.epub)" "item 4999"
  check_has "deep lists: the last item kept (PDF)" "$(pdftext out/lists.pdf)" "item 4999"
  check_has "deep emphasis: text kept" "$(pdftext out/emph.pdf)" "core"
  check_has "deep brackets: text kept" "$(xhtml out/brackets.epub)" "[[[[core"
  check_has "deep links: the innermost link kept" "$(xhtml out/links.epub)" '<a href="https://example.org/0">a core</a>'
  # Time must stay linear in the number of inline spans: 200,000 emphasised
  # words, one per line, make one paragraph of 800 KB.  Linear work takes a
  # few seconds; the quadratic scan this guards against took 84 s for 50,000
  # and would take over 20 minutes here, far past the hang limit.
  awk 'BEGIN { for (i = 0; i < 200000; i++) print "*w*" }' > spans.md
  gal -t pdf,epub --outdir out spans.md
  check_rc "a paragraph of 200,000 inline spans converts (no hang)" 0
  [ "$RC" = 0 ] && check_both "a paragraph of 200,000 inline spans" out/spans
  cd "$TMP" || exit 1
}

# ---- 7. huge words, huge paragraphs, huge strings ----
test_huge() {
  mkdir -p c7 && cd c7 || return
  { printf '# Word\n\nbefore '; yes abcdefghij | head -n 200000 | tr -d '\n'; printf ' after\n'; } > word.md
  gal -t pdf,epub --outdir out word.md
  check_rc "2 MB word: converts, exit 0" 0
  check_pdf_bg "2 MB word: PDF passes qpdf --check, pdftotext silent" out/word.pdf
  # (each line's piece ends in the hyphen that shows the cut)
  pdftotext -x 0 -y 56 -W 596 -H 730 out/word.pdf - 2>/dev/null | sed 's/-$//' |
    tr -d '\n\f' | grep -o abcdefghij | wc -l >word.count &
  check_xml "2 MB word: EPUB entries well-formed" out/word.epub
  check_eq "2 MB word: whole in the XHTML" "$(xhtml out/word.epub | grep -o 'before [a-j]* after' | wc -c)" 2000014

  { printf -- '---\ntitle: 长\nlang: zh-CN\n---\n\n'; yes 春眠不觉晓处处闻啼鸟夜来风雨声花落知多少 | head -n 50000 | tr -d '\n'; echo; } > han.md
  gal -t pdf,epub --outdir out han.md
  check_rc "1,000,000 Chinese characters: convert, exit 0" 0
  collect
  check "2 MB word: over 100 pages ($(pages out/word.pdf))" test "$(pages out/word.pdf)" -gt 100
  check_eq "2 MB word: every letter comes back from the text block" "$(cat word.count)" 200000
  check_pdf_bg "1,000,000 Chinese characters: PDF passes qpdf --check, pdftotext silent" out/han.pdf
  check_xml "1,000,000 Chinese characters: EPUB entries well-formed" out/han.epub
  check_eq "1,000,000 Chinese characters: all in the XHTML" \
    "$(xhtml out/han.epub | grep -o '春眠不觉晓处处闻啼鸟夜来风雨声花落知多少' | wc -l)" 50000

  # PDF strings (link targets, titles, bookmarks) have a limit in libharu.
  local big; big=$(yes T | head -n 70000 | tr -d '\n')
  printf -- '---\ntitle: %s\nlang: en\n---\n\n# %s\n\nText.\n' "$big" "$big" > title.md
  gal -t pdf,epub --outdir out title.md
  check_rc "70,000-character title and heading: convert, exit 0" 0
  check_both "70,000-character title and heading" out/title

  collect
  check "1,000,000 Chinese characters: over 100 pages ($(pages out/han.pdf))" test "$(pages out/han.pdf)" -gt 100
  local n
  n=$(pdftext out/han.pdf | LC_ALL=C.UTF-8 grep -oP '[\x{6625}\x{7720}\x{4E0D}\x{89C9}\x{6653}\x{5904}\x{95FB}\x{557C}\x{9E1F}\x{591C}\x{6765}\x{98CE}\x{96E8}\x{58F0}\x{82B1}\x{843D}\x{77E5}\x{591A}\x{5C11}]' | wc -l)
  check_eq "1,000,000 Chinese characters: all come back from pdftotext" "$n" 1000000
  cd "$TMP" || exit 1
}

# ---- 8. many headings, many images, a damaged image, many pages ----
test_many() {
  mkdir -p c8 && cd c8 || return
  awk 'BEGIN { print "---\ntitle: Headings\nlang: en\n---\n"
    for (i = 0; i < 20000; i++) printf "# Heading %d\n\ntext %d\n\n", i, i }' > heads.md
  gal -t pdf,epub --outdir out heads.md
  check_rc "20,000 headings: convert, exit 0" 0
  check_pdf_bg "20,000 headings: PDF passes qpdf --check, pdftotext silent" out/heads.pdf
  check_xml "20,000 headings: EPUB entries well-formed" out/heads.epub
  check_eq "20,000 headings: 20,000 chapters" "$(find out/heads.epub.x/OEBPS/text -name 'ch*.xhtml' | wc -l)" 20000
  check_eq "20,000 headings: 20,000 entries in the navigation" \
    "$(grep -c '<li><a href="text/ch[0-9]*.xhtml#heading-' out/heads.epub.x/OEBPS/nav.xhtml)" 20000
  check_eq "20,000 headings: 20,000 bookmarks (and the title)" \
    "$(qpdf --json --json-key=outlines out/heads.pdf 2>/dev/null | grep -c '"title": ')" 20001

  # One full-page image a page: more pages than libharu keeps in one page
  # array.  pdftotext reads only the first and last pages (all of them take
  # a minute).
  pdftoppm -png -scale-to-x 10 -scale-to-y 1000 -singlefile -f 1 -l 1 out/heads.pdf tall 2>/dev/null
  awk 'BEGIN { for (i = 0; i < 33000; i++) printf "![page %d](tall.png)\n\n", i }' > pages.md
  gal -q -t pdf -o pages.pdf pages.md
  check_no_crash "33,000 pages: no crash"
  check_rc "33,000 pages: converts, exit 0" 0
  check_eq "33,000 pages: 33,000 pages" "$(pages pages.pdf)" 33000
  pages_problems() {
    [ -s pages.pdf ] || { echo "no pages.pdf"; return; }
    qpdf --check pages.pdf >/dev/null 2>&1 || echo "qpdf --check fails"
    { pdftotext -l 3 pages.pdf /dev/null; pdftotext -f 32998 pages.pdf /dev/null; } 2>&1
  }
  bg_check "33,000 pages: passes qpdf --check; pdftotext reads the first and last pages silently" pages_problems

  cp "$PNG" diagram.png
  # a PNG signature and IHDR, then garbage
  { head -c 33 "$PNG"; yes 'garbage after the IHDR chunk' | head -c 600; } > damaged.png
  { printf -- '---\ntitle: Images\nlang: en\n---\n\n'
    awk 'BEGIN { for (i = 0; i < 20000; i++) printf "![pic %d](diagram.png)\n\n", i }'
    printf '![broken](damaged.png)\n'; } > images.md
  gal -t pdf,epub --outdir out images.md
  check_rc "20,000 images and a damaged one: convert, exit 0" 0
  check_has "damaged PNG: warned" "$ERR" "damaged.png"
  # like every other image warning, it names the document, line and column
  check_has "damaged PNG: the warning names the document and line" "$ERR" "images.md:40006:1: warning:"
  check_has "damaged PNG: the warning says what is wrong" "$ERR" "the PNG data is damaged"
  check_pdf_bg "20,000 images: PDF passes qpdf --check, pdftotext silent" out/images.pdf
  pdfimages -list out/images.pdf 2>/dev/null | tail -n +3 >images.list
  check_eq "20,000 images: each drawn in the PDF" "$(grep -c . images.list)" 20000
  check_eq "20,000 images: one image object in the PDF" "$(awk '{ print $11 }' images.list | sort -u | wc -l)" 1
  check_xml "20,000 images: EPUB entries well-formed" out/images.epub
  check_eq "20,000 images: 20,000 img elements in the XHTML (the damaged one left out)" "$(xhtml out/images.epub | grep -o "<img " | wc -l)" 20000
  check_has "20,000 images: the PNG packed once" "$(unzip -Z1 out/images.epub)" "OEBPS/images/img0001.png"
  collect
  cd "$TMP" || exit 1
}

# ---- 9. characters no bundled font has ----
test_scripts() {
  mkdir -p c9 && cd c9 || return
  printf -- '---\ntitle: Scripts\nlang: en\n---\n\nA smile 😀 and a rare ideograph 𠀀 here.\n\nEthiopic ሰላም and Tibetan བོད end.\n' > s.md
  gal -t pdf,epub --outdir out s.md
  check_rc "characters in no font: convert, exit 0" 0
  check_has "characters in no font: PDF warning" "$ERR" "in no bundled font (the first U+1F600)"
  check_eq "characters in no font: reported once" "$(grep -c 'in no bundled font' <<<"$ERR")" 1
  check_both "characters in no font" out/s
  check_epub_bg "characters in no font: EPUB passes epubcheck" out/s.epub
  local t; t=$(pdftext out/s.pdf)
  check_has "characters in no font: U+FFFD in the PDF (emoji, Ext B)" "$t" "A smile � and a rare ideograph � here."
  check_has "characters in no font: U+FFFD in the PDF (Ethiopic, Tibetan)" "$t" "Ethiopic ��� and Tibetan ��� end."
  local x; x=$(xhtml out/s.epub)
  check_has "characters in no font: EPUB keeps emoji and Ext B" "$x" "A smile 😀 and a rare ideograph <span lang=\"zh\" xml:lang=\"zh\">𠀀</span> here."
  check_has "characters in no font: EPUB keeps Ethiopic and Tibetan" "$x" "Ethiopic ሰላም and Tibetan བོད end."
  cd "$TMP" || exit 1
}

# ---- 10. raw HTML and XML-hostile metadata ----
test_raw_html() {
  mkdir -p c10 && cd c10 || return
  cat > h.md <<'MD'
---
title: "End ]]> and </dc:title> &amp; \"quotes\" 'single' <x>"
author: "A </dc:creator><dc:creator>B"
description: "<![CDATA[ x ]]> & </dc:description>"
keywords: ["]]>", "</dc:subject>", "&amp;"]
lang: en
---

# Raw

<script>alert("block")</script>

<style>body { display: none }</style>

<iframe src="https://evil.example/"></iframe>

<!-- a comment -- with -->

Text after the comment.

<![CDATA[ raw cdata <script>alert(1)</script> ]]>

<?php echo "hi"; ?>

<SCRIPT>alert("upper")</SCRIPT>

Inline <script>alert(2)</script>, <iframe src=x></iframe>, <style>p{}</style>,
<?php x ?>, <!-- c -->, <![CDATA[ y ]]>, <img src=x onerror=alert(3)> and
<a href="javascript:alert(4)">a</a> end.
MD
  local title="End ]]> and </dc:title> &amp; \"quotes\" 'single' <x>"
  gal -t pdf,epub --outdir out h.md
  check_rc "raw HTML: converts, exit 0" 0
  check_has "raw HTML: left out, with a warning" "$ERR" "h.md:11: warning: raw HTML left out"
  check_both "raw HTML" out/h
  check_epub_bg "raw HTML and hostile metadata: EPUB passes epubcheck" out/h.epub
  local x; x=$(find out/h.epub.x -name '*.xhtml' -exec cat {} +)
  local tag
  for tag in '<script' '<iframe' '<style' '<?php' '<![CDATA' '<!--' '<img' 'onerror' 'javascript:alert(4)'; do
    check_eq "raw HTML: no $tag in the XHTML" "$(grep -ciF -- "$tag" <<<"$x")" 0
  done
  check_has "raw HTML: the text around it is kept" "$x" "Text after the comment."
  check_has "raw HTML: inline text around it is kept" "$x" "Inline alert(2), , p{},"
  local q='//*[local-name()="metadata"]/*'
  check_eq "hostile title exact in the OPF" \
    "$(epub_xpath out/h.epub OEBPS/package.opf "string($q[local-name()='title'][1])")" "$title"
  check_eq "hostile creator exact in the OPF" \
    "$(epub_xpath out/h.epub OEBPS/package.opf "string($q[local-name()='creator'][1])")" "A </dc:creator><dc:creator>B"
  check_eq "hostile description exact in the OPF" \
    "$(epub_xpath out/h.epub OEBPS/package.opf "string($q[local-name()='description'])")" "<![CDATA[ x ]]> & </dc:description>"
  check_eq "one creator only in the OPF" \
    "$(epub_xpath out/h.epub OEBPS/package.opf "count($q[local-name()='creator'])")" 1
  check_eq "hostile title exact in the PDF Info" "$(pdfinfo out/h.pdf 2>/dev/null | sed -n 's/^Title: *//p')" "$title"
  check_eq "hostile title exact in the NCX" \
    "$(epub_xpath out/h.epub OEBPS/toc.ncx 'string(//*[local-name()="docTitle"])')" "$title"
  check_eq "hostile title exact on the title page" \
    "$(epub_xpath out/h.epub OEBPS/text/ch0001.xhtml 'string(//*[@class="title"])')" "$title"
  gal -q --pdfa -o a.pdf h.md
  check_rc "hostile metadata, PDF/A: exit 0" 0
  check_pdf "hostile metadata, PDF/A: valid" a.pdf
  check "hostile metadata, PDF/A: XMP well-formed" bash -c "pdfinfo -meta a.pdf | xmllint --noout -"
  check_eq "hostile metadata, PDF/A: XMP title exact" \
    "$(pdfinfo -meta a.pdf 2>/dev/null | xmllint --xpath 'string(//*[local-name()="title"])' - 2>/dev/null | sed 's/^ *//;s/ *$//')" "$title"
  cd "$TMP" || exit 1
}

# ---- 11. absurd link targets ----
test_links() {
  mkdir -p c11 && cd c11 || return
  {
    printf -- '---\ntitle: Links\nlang: en\n---\n\n# Links\n\n'
    printf '[js](javascript:alert(1))\n\n'
    printf '[js2](JaVaScRiPt:alert(2))\n\n'
    printf '[js3](<java\tscript:alert(3)>)\n\n'
    printf '[js4]( javascript:alert(4))\n\n'
    printf '[vb](vbscript:msgbox(1))\n\n'
    printf '[data](data:text/html,<script>alert(1)</script>)\n\n'
    printf '[data2](DATA:text/html;base64,PHNjcmlwdD4=)\n\n'
    printf '[file](file:///etc/passwd)\n\n'
    printf '[abs](/etc/passwd)\n\n'
    printf '[up](../../../etc/passwd)\n\n'
    printf '[nohost](https://)\n\n'
    printf '[v6](http://[::1)\n\n'
    printf '[spaces](<https://example.org/a b "c" '"'"'d'"'"'>)\n\n'
    printf '[angle](https://example.org/<x>)\n\n'
    printf '[quote](https://example.org/"onmouseover="alert(1))\n\n'
    printf '[nl](<https://example.org/a\nb>)\n\n'
    printf '[nl2](https://example.org/a&#10;b) [cr](https://example.org/a&#13;b) [nul](https://example.org/&#0;x)\n\n'
    printf '[ent](java&#115;cript:alert(7)) [ent2](JAVA&#x53;CRIPT:alert(8)) [pct](javascript%%3Aalert(9))\n\n'
    printf 'auto <javascript:alert(5)>\n\n'
    printf '[missing](#nonexistent)\n\n'
    printf '[ok](https://example.org/ok?a=1&b=2)\n\n'
    printf '[ref][r]\n\n[r]: javascript:alert(6)\n'
  } > l.md
  gal -t pdf,epub --outdir out l.md
  check_rc "hostile links: convert, exit 0" 0
  local w
  for w in '"javascript:alert(1)" dropped' '"JaVaScRiPt:alert(2)" dropped' '"vbscript:msgbox(1)" dropped' \
           '"data:text/html,<script>alert(1)</script>" dropped' '"file:///etc/passwd" dropped' \
           '"https://" kept as text' '"http://[::1" kept as text' '"#nonexistent" kept as text' \
           '"javascript:alert(6)" dropped' '"javascript:alert(7)" dropped' '"JAVASCRIPT:alert(8)" dropped'; do
    check_has "hostile links: warned: $w" "$ERR" "$w"
  done
  check_both "hostile links" out/l
  check_epub_bg "hostile links: EPUB passes epubcheck" out/l.epub
  local attrs bad
  attrs=$(find out/l.epub.x -name '*.xhtml' -exec cat {} + | grep -ioE '(href|src)="[^"]*"')
  bad=$(grep -iE '^(href|src)="[[:space:]]*(java|vb)script:|^(href|src)="[[:space:]]*(data|file):' <<<"$attrs")
  check_eq "hostile links: no dangerous scheme in the XHTML" "$bad" ""
  check_eq "hostile links: no local file reached from the XHTML" "$(grep -c 'etc/passwd' <<<"$attrs")" 0
  check_has "hostile links: the safe link kept in the XHTML" "$attrs" 'href="https://example.org/ok?a=1&amp;b=2"'
  check_has "hostile links: a newline in a URL percent-encoded" "$attrs" 'href="https://example.org/a%0Ab"'
  check_eq "hostile links: every link in the XHTML is internal or http(s), ftp, mailto, tel" \
    "$(grep -i '^href=' <<<"$attrs" | grep -viE '^href="(#|(text/)?ch[0-9]+\.xhtml|\.\./style\.css"|(https?|ftps?|mailto|tel|news):)')" ""
  check_eq "hostile links: URLs percent-encoded (no space, quote or angle bracket in an href)" \
    "$(grep -E '^href="https://example.org/' <<<"$attrs" | grep -cE "[ <>']")" 0
  qpdf --qdf --object-streams=disable out/l.pdf l.qdf 2>/dev/null
  local uris; uris=$(grep -a '/URI' l.qdf)
  bad=$(grep -aiE '/URI *[(<][[:space:]]*((java|vb)script|data|file):' <<<"$uris")
  check_eq "hostile links: no dangerous scheme as /URI in the PDF" "$bad" ""
  check_eq "hostile links: no hex-string /URI hiding one" "$(grep -ac '/URI *<' <<<"$uris")" 0
  check_eq "hostile links: no JavaScript or Launch action in the PDF" \
    "$(grep -acE '/(JavaScript|JS|Launch)[^A-Za-z]' l.qdf)" 0
  # galley says "kept as text" for relative targets (/etc/passwd,
  # ../../../etc/passwd, java<TAB>script:, javascript%3A); the README says
  # links keep only http, https, ftp, mailto and tel addresses.
  check_eq "hostile links: every /URI in the PDF is http(s), ftp, mailto or tel" \
    "$(grep -avE '/URI \((https?|ftps?|mailto|tel|news):' <<<"$uris" | grep -a '/URI (')" ""
  check_has "hostile links: the safe link kept in the PDF" "$uris" "/URI (https://example.org/ok?a=1&b=2)"

  { printf '# Long\n\n[long](https://example.org/'; yes a | head -n 100000 | tr -d '\n'; printf ')\n'; } > long.md
  gal -t pdf,epub --outdir out long.md
  check_rc "100 KB URL: converts, exit 0" 0
  check_both "100 KB URL" out/long
  cd "$TMP" || exit 1
}

# ---- 12. inputs over the limit ----
test_over_limit() {
  mkdir -p c12 && cd c12 || return
  printf '# Big\n\nText.\n' > big.md
  truncate -s $((64 * 1024 * 1024 + 1)) big.md
  gal -t pdf,epub --outdir out big.md
  check_rc "64 MiB + 1: exit 1" 1
  check_has "64 MiB + 1: refused as over the limit" "$ERR" "big.md: error: input is 67108865 bytes, over the limit"
  check_none "64 MiB + 1: no output" out/big.pdf out/big.epub out
  local t
  for t in pdf epub; do
    gal -o stdin.$t - < big.md
    check_rc "64 MiB + 1 on standard input ($t): exit 1" 1
    check_has "64 MiB + 1 on standard input ($t): over the limit" "$ERR" "over the limit"
    check_none "64 MiB + 1 on standard input ($t): no output" stdin.$t
  done
  check_eq "64 MiB + 1: nothing else written" "$(ls -A | tr '\n' ' ')" "big.md "
  rm -f big.md
  cd "$TMP" || exit 1
}

# ---- 13. files stay where they belong ----
test_confinement() {
  mkdir -p c13/doc c13/outside c13/elsewhere && cd c13 || return
  cp "$PNG" outside/outside.png
  cp "$PNG" elsewhere/abs.png
  cp "$PNG" outside/linked.png
  ln -s ../outside/linked.png doc/link.png
  cat > doc/f.md <<MD
---
title: Files
lang: en
---

# Files

![up](../outside/outside.png)

![abs]($TMP/c13/elsewhere/abs.png)

![sym](link.png)

![remote](https://example.org/x.png)
MD
  gal -t pdf,epub --outdir out doc/f.md
  check_rc "escaping images: convert, exit 0" 0
  check_has "escaping images: .. refused" "$ERR" "image \"../outside/outside.png\" left out (the path leaves the document's folder)"
  check_has "escaping images: absolute path refused" "$ERR" "absolute paths are not allowed"
  check_has "escaping images: symlink out refused" "$ERR" "image \"link.png\" left out (the file lies outside"
  check_has "escaping images: remote never fetched" "$ERR" "remote files are never fetched"
  check_both "escaping images" out/doc/f
  check_eq "escaping images: no image in the PDF" "$(pdf_images out/doc/f.pdf)" 0
  check_eq "escaping images: no image in the EPUB" "$(epub_images out/doc/f.epub)" 0
  check_eq "escaping images: alt text stands in (XHTML)" \
    "$(xhtml out/doc/f.epub | grep -o '<span class="missing-image">[a-z]*</span>' | sed 's/<[^>]*>//g' | tr '\n' ' ')" "up abs sym remote "
  check_eq "escaping images: alt text stands in (PDF)" "$(pdftext out/doc/f.pdf | grep '^\[' | tr '\n' ' ')" "[up] [abs] [sym] [remote] "

  gal -t pdf,epub --resource-path "$TMP/c13/outside:$TMP/c13/elsewhere" --outdir out2 doc/f.md
  check_rc "--resource-path: converts, exit 0" 0
  check_both "--resource-path" out2/doc/f
  check_eq "--resource-path: the three local images in the PDF" "$(pdf_images out2/doc/f.pdf)" 3
  check_eq "--resource-path: the three local images in the EPUB" "$(epub_images out2/doc/f.epub)" 3
  check_has "--resource-path: remote still never fetched" "$ERR" "remote files are never fetched"

  # Nothing written but the output: not beside the input, not in TMPDIR.
  mkdir -p fresh/in fresh/out fresh/tmp
  cp "$ROOT/samples/mixed-guide.md" fresh/in/m.md
  cp -R "$ROOT/samples/images" fresh/in/
  local before after t
  for t in pdf epub; do
    before=$(cd fresh && find . | sort)
    TMPDIR=$TMP/c13/fresh/tmp gal -q -o fresh/out/m.$t fresh/in/m.md
    check_rc "fresh folder ($t): exit 0" 0
    after=$(cd fresh && find . | sort)
    check_eq "fresh folder ($t): the output is the only new file" \
      "$(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')" "./out/m.$t "
    check_eq "fresh folder ($t): TMPDIR left empty" "$(ls -A fresh/tmp)" ""
  done
  cd "$TMP" || exit 1
}

# ---- 14. nothing lost ----
test_nothing_lost() {
  mkdir -p c14 && cd c14 || return
  local lim
  cp "$ROOT/samples/mixed-guide.md" m.md
  cp -R "$ROOT/samples/images" .
  printf '# Small\n\nA small earlier document.\n' > small.md
  printf -- '---\ntitle: ok\nauthor: [unclosed\n---\nBody\n' > bad.md
  local t
  for t in pdf epub; do
    # (a) an earlier output survives a failed conversion
    gal -q -o keep.$t small.md
    cp keep.$t keep.$t.orig
    gal -q -o keep.$t bad.md
    check_rc "bad input over an earlier $t: exit 1" 1
    check "bad input over an earlier $t: earlier output byte-identical" cmp -s keep.$t keep.$t.orig
    # (b) a full disk: the file size limit (ulimit -f counts KiB in bash) is
    # far below the output's size (84 KB PDF, 19 KB EPUB) but above the
    # subset fonts the PDF keeps in memory files, which count too
    [ $t = pdf ] && lim=32 || lim=4
    gal -q -o full.$t small.md
    cp full.$t full.$t.orig
    timeout 120 bash -c 'trap "" XFSZ; ulimit -f $1; shift; exec "$0" "$@"' "$GALLEY" $lim -q -o full.$t m.md 2>err
    RC=$? ERR=$(cat err)
    check_rc "full disk ($t): exit 1" 1
    check_has "full disk ($t): a clear error" "$ERR" "full.$t: error: cannot write the output"
    check "full disk ($t): the earlier output unchanged" cmp -s full.$t full.$t.orig
    timeout 120 bash -c 'trap "" XFSZ; ulimit -f $1; shift; exec "$0" "$@"' "$GALLEY" $lim -q -o new.$t m.md 2>err
    RC=$? ERR=$(cat err)
    check_rc "full disk, no earlier output ($t): exit 1" 1
    check_none "full disk, no earlier output ($t): no partial file" new.$t
    check_eq "full disk ($t): no temporary file left" "$(ls -A | grep -c '^\.galley-')" 0
    # (c) the output's folder is a regular file
    : > file
    gal -q -o file/x.$t m.md
    check_rc "folder is a file ($t): exit 1" 1
    check_has "folder is a file ($t): an error" "$ERR" "file/x.$t: error: cannot create the output"
  done
  # (d) one broken input among two, --outdir
  mkdir -p two
  cp m.md two/good.md && cp -R images two/
  printf -- '---\ntitle: [x\n---\n' > two/broken.md
  (cd two && timeout 120 "$GALLEY" -q -t pdf,epub --outdir ../twoout good.md broken.md 2>../err)
  RC=$? ERR=$(cat err)
  check_rc "one broken input of two: exit 1" 1
  check_has "one broken input of two: the broken one named" "$ERR" "broken.md:"
  check_both "one broken input of two: the good one" twoout/good
  check_none "one broken input of two: nothing for the broken one" twoout/broken.pdf twoout/broken.epub
  cd "$TMP" || exit 1
}

# ---- 15. exit statuses ----
test_exit_status() {
  mkdir -p c15 && cd c15 || return
  printf '# Fine\n\nText.\n' > ok.md
  gal --bogus -o x.pdf ok.md
  check_rc "unknown option: exit 2" 2
  check_has "unknown option: named" "$ERR" "--bogus"
  gal --font-size huge -o x.pdf ok.md
  check_rc "--font-size huge: exit 2" 2
  gal -o x.txt ok.md
  check_rc "-o x.txt: exit 2" 2
  gal -t docx -o x.docx ok.md
  check_rc "-t docx: exit 2" 2
  check_none "usage errors: no output" x.pdf x.txt x.docx
  gal -t pdf,epub --outdir out missing.md
  check_rc "missing input: exit 1" 1
  check_has "missing input: named" "$ERR" "missing.md: error: cannot read"
  gal -t pdf,epub --outdir out ok.md missing.md
  check_rc "one missing input of two: exit 1" 1
  check_both "one missing input of two: the other written" out/ok
  rm -rf out
  gal -t pdf,epub --outdir out ok.md
  check_rc "all good: exit 0" 0
  check_both "all good" out/ok
  cd "$TMP" || exit 1
}

# ---- 16. round two: crash, hangs and losses the second tester found ----
test_round_two() {
  mkdir -p c16 && cd c16 || return
  # U+FFFF aborted the PDF writer (libunibreak's end-of-text mark)
  printf -- '---\ntitle: Non\n---\n\nA \357\277\277 B \357\277\276 C \357\267\220 D \364\217\277\277 E\n' > nc.md
  gal -t pdf,epub --outdir out nc.md
  check_rc "noncharacters: convert, exit 0" 0
  check_has "noncharacters: one warning with the count" "$ERR" \
    "nc.md:5: warning: 4 noncharacters replaced by U+FFFD (the first U+FFFF here)"
  check_both "noncharacters" out/nc
  check_epub_bg "noncharacters: EPUB passes epubcheck" out/nc.epub
  check_eq "noncharacters: none left in the XHTML" \
    "$(xhtml out/nc.epub | LC_ALL=C grep -c $'\xef\xbf[\xbe\xbf]')" 0
  # U+FFFF in a -M title and the file name still reaches the PDF's lines
  gal -M $'title=T\xef\xbf\xbfT' -t pdf,epub --outdir out2 nc.md
  check_rc "noncharacter in -M title: exit 0" 0
  check_both "noncharacter in -M title" out2/nc

  # 20,000 headings with the same text: anchor numbering was quadratic
  for i in $(seq 20000); do printf '## Notes\n\n'; done > same.md
  gal -t epub -o same.epub same.md
  check_rc "20,000 equal headings: convert, exit 0" 0
  check_has "20,000 equal headings: the last anchor is notes-19999" \
    "$(unzip -p same.epub 'OEBPS/text/*.xhtml' | tail -c 2000)" 'id="notes-19999"'
  check_eq "20,000 equal headings: the nav lists only the title" \
    "$(unzip -p same.epub OEBPS/nav.xhtml | grep -c 'href="text/ch0001.xhtml#notes')" 0
  # 300 parts of 1 + 1 + 2 headings: the nav keeps levels 1 and 2 (600,
  # the first part lends the title) and drops level 3, which would pass 1,000
  for i in $(seq 300); do printf '# Part %s\n\n## A\n\n### B\n\n### C\n\ntext\n\n' "$i"; done > lv.md
  gal -t epub -o lv.epub lv.md
  check_eq "nav of 1,200 headings: trimmed to levels 1-2" \
    "$(unzip -p lv.epub OEBPS/nav.xhtml | grep -c '<li><a href="text/')" 600
  check_eq "NCX trimmed the same way" "$(unzip -p lv.epub OEBPS/toc.ncx | grep -c '<navPoint')" 600
  check_epub_bg "nav of 1,200 headings: EPUB passes epubcheck" lv.epub
  # a heading whose text is an earlier one's numbered form
  printf '# Notes\n\n# Notes-1\n\n# Notes\n\n# Notes\n' > num.md
  gal -t epub -o num.epub num.md
  check_eq "numbered anchors stay unique" \
    "$(unzip -p num.epub 'OEBPS/text/*.xhtml' | grep -o 'id="notes[-0-9]*"' | tr '\n' ' ')" \
    'id="notes" id="notes-1" id="notes-2" id="notes-3" '

  # 100,000 keywords and authors: the lists grew by copying
  { echo '---'; echo 'keywords:'; seq -f '  - k%g' 100000; echo 'author:'
    seq -f '  - a%g' 100000; echo '---'; echo text; } > kw.md
  gal -t epub -o kw.epub kw.md
  check_rc "100,000 keywords and authors: exit 0" 0
  check_eq "100,000 keywords and authors: every one in the OPF" \
    "$(opf kw.epub | grep -c '<dc:creator\|<dc:subject')" 200000

  # front matter nested 100,000 deep: libyaml is quadratic in depth
  { printf -- '---\nextra: '; head -c 100000 /dev/zero | tr '\0' '['
    head -c 100000 /dev/zero | tr '\0' ']'; printf '\n---\ntext\n'; } > deep.md
  gal -o deep.pdf deep.md
  check_rc "front matter nested 100,000 deep: refused, exit 1" 1
  check_has "front matter nested 100,000 deep: says so" "$ERR" \
    "deep.md:2:23: error: front matter nested deeper than 16 levels"
  check_none "front matter nested 100,000 deep: no output" deep.pdf

  # -M title on a document that opens with its title heading
  printf '# The Heading\n\nBody text.\n' > mt.md
  gal -M title=Other -t pdf,epub --outdir out mt.md
  check_rc "-M title over a leading heading: exit 0" 0
  check_both "-M title over a leading heading" out/mt
  check_has "-M title: the heading stays in the EPUB" "$(xhtml out/mt.epub)" "The Heading</h1>"
  check_has "-M title: the heading stays in the PDF" "$(pdftext out/mt.pdf)" "The Heading"
  check_has "-M title: the title is the one given" "$(opf out/mt.epub)" ">Other</dc:title>"

  # invalid UTF-8 in a file name that becomes the title, and in -M
  printf 'no title here\n' > $'bad\377\300name.md'
  gal -t epub -o fn.epub $'bad\377\300name.md'
  check_rc "invalid UTF-8 file name: exit 0" 0
  check_xml "invalid UTF-8 file name: OPF well-formed" fn.epub
  check_has "invalid UTF-8 file name: title with U+FFFD" "$(opf fn.epub)" "bad��name</dc:title>"
  gal -M $'description=a\377b\033c' -t epub -o mv.epub mt.md
  check_rc "invalid UTF-8 in -M: exit 0" 0
  check_xml "invalid UTF-8 in -M: OPF well-formed" mv.epub
  check_epub_bg "invalid UTF-8 in -M: EPUB passes epubcheck" mv.epub

  # links no reader can follow
  printf '[c](http://[::1]:99999/) [d](mailto:) [e](http://example.org:65536/) [f](tel:)\n\n[ok](http://[::1]:8080/) [ok2](mailto:a@example.org) [ok3](http://example.org:443/)\n' > ln.md
  gal -t pdf,epub --outdir out ln.md
  check_rc "unusable links: exit 0" 0
  local w
  for w in '"http://[::1]:99999/" kept as text' '"mailto:" kept as text' \
           '"http://example.org:65536/" kept as text' '"tel:" kept as text'; do
    check_has "unusable links: warned: $w" "$ERR" "$w"
  done
  check_lacks "unusable links: valid ones not warned" "$ERR" "8080"
  check_both "unusable links" out/ln
  check_epub_bg "unusable links: EPUB passes epubcheck" out/ln.epub

  # time zones past +14:00
  printf -- '---\ndate: 2026-03-01T10:00+99:99\n---\ntext\n' > tz.md
  gal -o tz.pdf tz.md
  check_rc "date with zone +99:99: refused, exit 1" 1
  check_has "date with zone +99:99: says so" "$ERR" 'is not an ISO 8601 date'
  printf -- '---\ndate: 2026-03-01T10:00+14:00\n---\ntext\n' > tz2.md
  gal -o tz2.pdf tz2.md
  check_rc "date with zone +14:00: exit 0" 0
  cd "$TMP" || exit 1
}

# ---- 17. tables and notes people should not write ----
test_gfm_hostile() {
  mkdir -p c17 && cd c17 || return
  local i
  { printf '|'; for i in $(seq 200); do printf ' c%d |' "$i"; done; printf '\n|'
    for i in $(seq 200); do printf -- '---|'; done; printf '\n'
    for r in 1 2 3; do printf '|'; for i in $(seq 200); do printf ' v%d |' "$i"; done; printf '\n'; done
  } > cols.md
  gal -t pdf,epub --outdir out cols.md
  check_rc "200 columns: convert, exit 0" 0
  check_both "200 columns" out/cols
  check_epub_bg "200 columns: EPUB passes epubcheck" out/cols.epub
  check_eq "200 columns: every header cell in the EPUB" \
    "$(xhtml out/cols.epub | grep -o '<th ' | wc -l)" 200
  { printf '| a | b |\n|---|---|\n'; seq -f '| %g | row |' 30000; } > rows.md
  gal -t pdf,epub --outdir out rows.md
  check_rc "30,000 rows: convert, exit 0" 0
  check_both "30,000 rows" out/rows
  check_eq "30,000 rows: every row in the PDF's text" \
    "$(pdftotext -layout out/rows.pdf - | grep -c ' row$')" 30000
  { printf '| a | b |\n|---|---|\n| '; head -c 1000000 /dev/zero | tr '\0' 'x' | fold -w 9 | tr '\n' ' '
    printf ' | y |\n'; } > cell.md
  gal -t pdf,epub --outdir out cell.md
  check_rc "a 1 MB cell: convert, exit 0" 0
  check_both "a 1 MB cell" out/cell
  { for i in $(seq 10000); do printf 'Text %d[^f%d].\n\n' "$i" "$i"; done
    for i in $(seq 10000); do printf '[^f%d]: Note %d.\n' "$i" "$i"; done; } > notes.md
  gal -t pdf,epub --outdir out notes.md
  check_rc "10,000 footnotes: convert, exit 0" 0
  check_both "10,000 footnotes" out/notes
  check_eq "10,000 footnotes: every note in the PDF" "$(grep -o 'Note [0-9]*\.' out/notes.pdf.txt | sort -u | wc -l)" 10000
  check_epub_bg "10,000 footnotes: EPUB passes epubcheck" out/notes.epub
  printf 'A[^a] and [^missing].\n\n[^a]: Refers to itself[^a] and to [^b].\n[^b]: Back to [^a].\n[^unused]: Never used.\n' > self.md
  gal -t pdf,epub --outdir out self.md
  check_rc "notes that refer to themselves: convert, exit 0" 0
  check_both "notes that refer to themselves" out/self
  check_epub_bg "notes that refer to themselves: EPUB passes epubcheck" out/self.epub
  check_has "a reference to a missing note stays text" "$(pdftext out/self.pdf)" "[^missing]"
  check_lacks "a note never referred to is left out" "$(pdftext out/self.pdf)" "Never used"
  { printf 'text\n\n'; head -c 80000 /dev/zero | tr '\0' '|'; printf '\n|---|\n'; } > pipes.md
  gal -t pdf,epub --outdir out pipes.md
  check_rc "80,000 pipes before a delimiter row: convert, exit 0" 0
  check_has "80,000 pipes: tables off, with a warning" "$ERR" "tables are read as text in this document"
  check_both "80,000 pipes" out/pipes
  cd "$TMP" || exit 1
}

for t in test_invalid_utf8 test_control_chars test_line_endings test_empty \
  test_bad_yaml test_deep_nesting test_huge test_many test_scripts \
  test_raw_html test_links test_over_limit test_confinement test_nothing_lost \
  test_exit_status test_round_two test_gfm_hostile; do
  start=$SECONDS
  $t
  [ -n "${TIMING:-}" ] && echo "$t: $((SECONDS - start)) s" >&2
done
collect
finish e2e-hostile

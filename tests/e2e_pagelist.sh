#!/usr/bin/env bash
# e2e_pagelist.sh GALLEY - an EPUB's page list against the PDF of the same
# inputs: one marker and one page-list entry per PDF page, each link
# landing on its marker, each marker at the block holding its page's first
# line (the text after it is on that page, or on the page before when the
# page begins inside a paragraph), on with --book and off without,
# --page-list and --no-page-list, a circular's blank and closing pages,
# EPUBCheck clean.
# Prints "e2e-pagelist: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"
S=$ROOT/samples

# markers EPUB: "PAGE CHAPTERFILE TEXT-AFTER" for every marker, in order
markers() {
  local f
  for f in $(unzip -l "$1" | grep -o 'OEBPS/text/ch[0-9]*\.xhtml' | sort); do
    unzip -p "$1" "$f" | /usr/bin/python3 -c '
import re, sys
s = sys.stdin.read()
for m in re.finditer(r"<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page(\d+)\" aria-label=\"(\d+)\"></span>", s):
    after = re.sub(r"<[^>]*>", "", s[m.end():m.end() + 400])
    after = re.sub(r"\s+", "", after)[:8]
    print(m.group(1), m.group(2), sys.argv[1], after)
' "$(basename "$f")"
  done
}

# check_book NAME ARGS...: the EPUB and PDF of the same inputs agree
check_book() {
  local name=$1; shift
  "$GALLEY" -q "$@" -o "$name.pdf" || { fail "$name: PDF"; return; }
  "$GALLEY" -q "$@" -o "$name.epub" || { fail "$name: EPUB"; return; }
  local pages; pages=$(pdfinfo "$name.pdf" | sed -n 's/^Pages: *//p')
  markers "$name.epub" > "$name.marks"
  check_eq "$name: one marker per PDF page" "$(wc -l < "$name.marks")" "$pages"
  check_eq "$name: markers numbered 1..$pages in order" \
    "$(awk '{print $1}' "$name.marks" | tr '\n' ' ')" "$(seq -s ' ' 1 "$pages") "
  check_eq "$name: aria-label is the page number" \
    "$(awk '$1 != $2' "$name.marks" | wc -l)" 0
  local nav; nav=$(unzip -p "$name.epub" OEBPS/nav.xhtml)
  check_has "$name: page-list navigation" "$nav" 'epub:type="page-list"'
  # every entry links to its own marker's chapter and id
  local links
  links=$(grep -o 'href="text/ch[0-9]*\.xhtml#page[0-9]*">[0-9]*<' <<<"$nav" |
    sed 's/href="text\/\(ch[0-9]*\.xhtml\)#page\([0-9]*\)">\([0-9]*\)</\2 \3 \1/')
  check_eq "$name: one entry per page, each to its marker" "$links" \
    "$(awk '{print $1, $2, $3}' "$name.marks")"
  # the text after each marker is on its page, or on the page before (a
  # page that begins inside a paragraph is marked at the paragraph)
  local bad=0 k after on
  while read -r k _ _ after; do
    [ -z "$after" ] && continue # a marker at the very end
    local last=$k # a blank page is marked with the page after it
    [ -z "$(pdftotext -f "$k" -l "$k" "$name.pdf" - 2>/dev/null | tr -d ' \n\f')" ] &&
      last=$((k + 1))
    on=$(pdftotext -f $((k > 1 ? k - 1 : 1)) -l "$last" "$name.pdf" - 2>/dev/null |
      tr -d ' \n')
    grep -qF -- "$after" <<<"$on" || { bad=$((bad + 1)); echo "page $k: [$after]" >&2; }
  done < "$name.marks"
  check_eq "$name: each marker's text on its page (or the one before)" "$bad" 0
  check_has "$name: dc:source names the print layout" "$(opf "$name.epub")" \
    "the PDF galley makes of the same input"
  check_has "$name: ... as the source of the pagination (DAISY Ace asks it)" \
    "$(opf "$name.epub")" '<meta refines="#pagination" property="source-of">pagination</meta>'
  check_epub_bg "$name: EPUBCheck clean" "$name.epub"
}

check_book book --book "$S/news-report.md" "$S/work-plan.md" "$S/circular.md"
check_book large --book --font-size large "$S/mixed-guide.md" "$S/multilingual.md"
check_book request --page-list --style circular "$S/request.md"
# the request's last pages begin in its closing (附件说明, then the 版记):
# both marked where the closing begins
check_eq "request: the closing's pages marked where the closing begins" \
  "$(tail -2 request.marks | awk '{print $4}' | grep -c '^附件')" 2

"$GALLEY" -q -o one.epub "$S/news-report.md"
check_lacks "one document: no page list by default" \
  "$(unzip -p one.epub OEBPS/nav.xhtml)" "page-list"
check_eq "one document: no markers by default" "$(markers one.epub | wc -l)" 0
"$GALLEY" -q --book --no-page-list -o off.epub "$S/news-report.md" "$S/work-plan.md"
check_lacks "--no-page-list: no page list" "$(unzip -p off.epub OEBPS/nav.xhtml)" "page-list"
check_eq "--no-page-list: no markers" "$(markers off.epub | wc -l)" 0
check_lacks "--no-page-list: no dc:source of the print layout" "$(opf off.epub)" \
  "the PDF galley makes"

collect
finish e2e-pagelist

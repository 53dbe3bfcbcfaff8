#!/usr/bin/env bash
# e2e_floats.sh GALLEY - figures that do not fit the rest of a page float to
# the next page's top while the text after them fills the page: measured
# from the PDF (word boxes from pdftotext -bbox, the images' rows from
# pages rendered by pdftoppm), with the caption kept with its image,
# figures in their order, a heading, a chapter's end and a forced page
# break waiting for them, roles.caption.keep-with-previous turning floating
# off, and the structure tree in reading order.  Prints "e2e-floats: N
# passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# The article style: A4 (842 pt tall), the text block from 72 pt below the
# page's top to 72 pt above its foot; pdftotext and pdftoppm measure from
# the page's top.
BLOCK_TOP=72 BLOCK_FOOT=770

# ---- helpers ----

# A PNG of one colour R G B, W x H pixels (printed at 96 per inch: 3/4 pt
# a pixel), written with zlib alone.
make_png() { # FILE W H R G B
  python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
px = bytes(int(v) for v in sys.argv[4:7])
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = (b"\0" + px * w) * h
ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                       chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
EOF
}

# Where the first word equal to WORD stands: "PAGE YMIN YMAX" (points from
# the page's top), or nothing.
word_at() { # PDF WORD
  pdftotext -bbox "$1" - 2>/dev/null | awk -v w="$2" '
    function attr(name) {
      match($0, name "=\"[^\"]*\""); return substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0
    }
    /<page / { page++ }
    /<word / { s = $0; sub(/^[^>]*>/, "", s); sub(/<\/word>.*$/, "", s)
      if (s == w) { printf "%d %.1f %.1f\n", page, attr("yMin"), attr("yMax"); exit } }'
}

# The lowest text in the text block of PAGE: the largest yMax of its words
# (the running header and the page number stand outside the block).
text_bottom() { # PDF PAGE
  pdftotext -f "$2" -l "$2" -bbox "$1" - 2>/dev/null | awk -v top=$BLOCK_TOP -v foot=$BLOCK_FOOT '
    /<word / { match($0, /yMax="[^"]*"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
      if (y > top && y < foot + 2 && y > max) max = y }
    END { printf "%.1f\n", max }'
}

# Where an image of colour R G B crosses the page's middle, on each page
# that shows it: "PAGE TOP BOTTOM" (points from the page's top), from the
# pages rendered at 72 dpi (a pixel a point).
image_rows() { # PDF R G B
  rm -f rows-*.ppm
  pdftoppm -r 72 "$1" rows 2>/dev/null
  python3 - "$2" "$3" "$4" rows-*.ppm <<'EOF'
import sys
want = bytes(int(v) for v in sys.argv[1:4])
for path in sys.argv[4:]:
    data = open(path, "rb").read()
    parts = data.split(maxsplit=4)  # P6, width, height, maxval, raster
    w, h = int(parts[1]), int(parts[2])
    raster = data[len(data) - w * h * 3:]
    x = w // 2
    rows = [y for y in range(h) if raster[(y * w + x) * 3:(y * w + x) * 3 + 3] == want]
    if rows:
        page = int(path.rsplit("-", 1)[1].split(".")[0])
        print(page, rows[0], rows[-1] + 1)
EOF
  rm -f rows-*.ppm
}

field() { awk -v n="$2" '{ print $n }' <<<"$1"; } # LINE N
# check_near NAME GOT WANT TOLERANCE
check_near() {
  if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; exit !(g != "" && d <= t && d >= -t) }'; then
    pass "$1"
  else fail "$1" "got [$2], want $3 +- $4"; fi
}
# check_lt NAME A B: A < B (numbers)
check_lt() {
  if awk -v a="$2" -v b="$3" 'BEGIN { exit !(a != "" && b != "" && a + 0 < b + 0) }'; then
    pass "$1"
  else fail "$1" "got [$2], not under [$3]"; fi
}

# The document: FILLER one-line paragraphs, a lead-in, a figure (blue,
# 450 x 225 pt) with its caption, and the text after it (REST, Markdown).
float_doc() { # FILE FILLER REST
  {
    printf -- '---\ntitle: Floats\nlang: en\n---\n\n'
    for i in $(seq "$2"); do printf 'Filler line %s.\n\n' "$i"; done
    printf 'Leadin sentence for the figure below:\n\n'
    printf '![A blue block](blue.png "Bluecap: the figure")\n\n'
    printf '%s' "$3"
  } > "$1"
}
AFTER=$(for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'Afterword%s follows the figure.\n\n' "$i"; done)

make_png blue.png 600 300 40 90 160
make_png red.png 400 80 160 40 40
printf 'extends: article\nroles:\n  caption:\n    keep-with-previous: true\n' > keep.yaml

# ---- the case: find the filler that leaves too little room for the
# figure after its lead-in on page 1 (with floating off it moves to page 2),
# whatever the fonts' measures ----
K=
for k in $(seq 12 2 40); do
  float_doc probe.md "$k" "$AFTER"
  "$GALLEY" -q --style keep.yaml -o probe.pdf probe.md 2>/dev/null || break
  lead=$(word_at probe.pdf Leadin)
  blue=$(image_rows probe.pdf 40 90 160)
  if [ "$(field "$lead" 1)" = 1 ] && [ "$(field "$blue" 1)" = 2 ]; then
    K=$k; break
  fi
done
check "a filler with the lead-in on page 1 and no room for the figure there" test -n "$K"
K=${K:-20}
float_doc float.md "$K" "$AFTER"

# ---- 1. the figure floats: to page 2's top, the text after it on page 1 ----
"$GALLEY" -q -o float.pdf float.md 2>/dev/null
check_eq "float: converts, exit 0" $? 0
check "float: qpdf --check" qpdf --check float.pdf
lead=$(word_at float.pdf Leadin)
blue=$(image_rows float.pdf 40 90 160)
cap=$(word_at float.pdf Bluecap:)
after1=$(word_at float.pdf Afterword1)
check_eq "float: the lead-in on page 1" "$(field "$lead" 1)" 1
check_eq "float: the image on page 2 alone" "$(field "$blue" 1)" 2
check_near "float: the image at the top of page 2's text block" "$(field "$blue" 2)" $BLOCK_TOP 1.5
check_near "float: 225 pt tall" "$(awk -v a="$(field "$blue" 2)" -v b="$(field "$blue" 3)" 'BEGIN { print b - a }')" 225 1.5
check_eq "float: the caption on the image's page" "$(field "$cap" 1)" 2
gap=$(awk -v b="$(field "$blue" 3)" -v c="$(field "$cap" 2)" 'BEGIN { print c - b }')
check "float: the caption just below the image (within 12 pt: $gap)" \
  awk -v g="$gap" 'BEGIN { exit !(g >= 0 && g < 12) }'
check_eq "float: the text after the figure fills page 1" "$(field "$after1" 1)" 1
check_lt "float: ... below the lead-in" "$(field "$lead" 3)" "$(field "$after1" 2)"
bottom=$(text_bottom float.pdf 1)
check "float: page 1 filled to within a line and a space of its foot (text ends at $bottom)" \
  awk -v b="$bottom" -v f=$BLOCK_FOOT 'BEGIN { exit !(f - b < 30) }'
# the text that did not fit goes on below the figure on page 2
p2=$(pdftotext -f 2 -l 2 -bbox float.pdf - | grep -o '>Afterword[0-9]*<' | head -1 | tr -d '<>')
check "float: the text after goes on on page 2 ($p2)" test -n "$p2"
w=$(word_at float.pdf "${p2:-none}")
check_lt "float: ... below the caption" "$(field "$cap" 3)" "$(field "$w" 2)"
# the lead-in's space to what follows it is the body's, not the caption's
gap1=$(awk -v a="$(field "$lead" 3)" -v b="$(field "$after1" 2)" 'BEGIN { print b - a }')
a2=$(word_at float.pdf Afterword2)
gap2=$(awk -v a="$(field "$after1" 3)" -v b="$(field "$a2" 2)" 'BEGIN { print b - a }')
check_near "float: lead-in to the text after the figure spaced as paragraphs are ($gap1 vs $gap2)" "$gap1" "$gap2" 0.6
# pdftotext reads page order: the text after the figure before its caption
check "float: pdftotext reads the lead-in, the text after, then the caption" bash -c \
  "pdftotext float.pdf - | tr '\n' ' ' | grep -q 'Leadin.*Afterword1.*Bluecap'"
# the structure tree keeps the reading order: lead-in, Figure, Caption, text after
tree=$(pdfinfo -struct-text float.pdf 2>/dev/null)
order=$(awk '/Leadin/ { print "lead" } /^ *Figure/ { print "figure" } /Bluecap/ { print "caption" } /Afterword1 / { print "after" }' <<<"$tree" | tr '\n' ' ')
check_eq "float: the structure tree in reading order" "$order" "lead figure caption after "
check_has "float: the Figure keeps its /Alt" "$(pdfinfo -struct-text float.pdf | grep -A3 Figure)" "/BBox"
check "float: pdftotext of the tagged file as of the untagged" bash -c \
  "'$GALLEY' -q --no-tagged -o float-u.pdf float.md && cmp <(pdftotext float.pdf -) <(pdftotext float-u.pdf -)"

# ---- 2. keep-with-previous: the figure keeps its place, as before ----
"$GALLEY" -q --style keep.yaml -o keep.pdf float.md 2>/dev/null
check_eq "keep-with-previous: converts" $? 0
blue=$(image_rows keep.pdf 40 90 160)
cap=$(word_at keep.pdf Bluecap:)
after1=$(word_at keep.pdf Afterword1)
check_eq "keep-with-previous: the image on page 2" "$(field "$blue" 1)" 2
check_eq "keep-with-previous: the text after it on page 2 too" "$(field "$after1" 1)" 2
check_lt "keep-with-previous: ... below the caption" "$(field "$cap" 3)" "$(field "$after1" 2)"
check_near "keep-with-previous: page 1 ends with the lead-in" "$(text_bottom keep.pdf 1)" "$(field "$(word_at keep.pdf Leadin)" 3)" 0.5
printf 'extends: article\nroles:\n  caption:\n    keep-with-previous: sometimes\n' > bad.yaml
err=$("$GALLEY" -q --style bad.yaml -o bad.pdf float.md 2>&1)
check_has "keep-with-previous: a value that is not true or false is an error, named" "$err" "roles.caption.keep-with-previous"
printf 'extends: article\nroles:\n  body:\n    keep-with-previous: true\n' > body.yaml
err=$("$GALLEY" -q --style body.yaml -o body.pdf float.md 2>&1)
check_has "keep-with-previous: refused on a role other than caption" "$err" "roles.body.keep-with-previous: only the caption role"
printf 'extends: article\nroles:\n  caption:\n    keep-with-previus: true\n' > typo.yaml
err=$("$GALLEY" -q --style typo.yaml -o typo.pdf float.md 2>&1)
check_has "a misspelt key's error lists keep-with-previous" "$err" "keep-with-previous"

# ---- 3. figures keep their order: a small figure that would fit waits
# behind the one deferred before it ----
float_doc order.md "$K" "$(printf 'Between the figures.\n\n![A red strip](red.png "Redcap: the second")\n\n%s' "$AFTER")"
"$GALLEY" -q -o order.pdf order.md 2>/dev/null
blue=$(image_rows order.pdf 40 90 160)
red=$(image_rows order.pdf 160 40 40)
check_eq "order: the first figure on page 2" "$(field "$blue" 1)" 2
check_eq "order: the second (small enough for page 1) on page 2 as well" "$(field "$red" 1)" 2
check_lt "order: ... below the first's caption" "$(field "$(word_at order.pdf Bluecap:)" 3)" "$(field "$red" 2)"
check_eq "order: its caption with it" "$(field "$(word_at order.pdf Redcap:)" 1)" 2
check_eq "order: the text between them on page 1" "$(field "$(word_at order.pdf Between)" 1)" 1
check_eq "order: the text after them fills page 1" "$(field "$(word_at order.pdf Afterword1)" 1)" 1
order=$(pdfinfo -struct-text order.pdf | awk '/^ *Figure/ { print "figure" } /Bluecap|Redcap|Between|Afterword1 / { print $1 }' | tr -d '"' | tr '\n' ' ')
check_eq "order: the structure tree in reading order" "$order" "figure Bluecap: Between figure Redcap: Afterword1 "

# ---- 4. a heading waits for the figures of the section before it ----
float_doc head.md "$K" "$(printf 'Afterword1 ends the section.\n\n## Secondsection\n\nSecondtext begins here.\n\n')"
"$GALLEY" -q -o head.pdf head.md 2>/dev/null
h=$(word_at head.pdf Secondsection)
check_eq "heading: the text of the figure's section fills page 1" "$(field "$(word_at head.pdf Afterword1)" 1)" 1
check_eq "heading: the next section's heading on page 2" "$(field "$h" 1)" 2
check_lt "heading: ... below the figure's caption" "$(field "$(word_at head.pdf Bluecap:)" 3)" "$(field "$h" 2)"
check_eq "heading: its text with it" "$(field "$(word_at head.pdf Secondtext)" 1)" 2

# ---- 5. a figure never floats past its chapter's end (--book) ----
float_doc ch1.md "$K" "$(printf 'Chapterend closes the first chapter.\n\n')"
printf -- '---\ntitle: Secondchapter\nlang: en\n---\n\nSecondchapter text.\n' > ch2.md
"$GALLEY" -q --book -o book.pdf ch1.md ch2.md 2>/dev/null
check_eq "book: converts" $? 0
end=$(field "$(word_at book.pdf Chapterend)" 1)
blue=$(field "$(image_rows book.pdf 40 90 160)" 1)
second=$(field "$(word_at book.pdf Secondchapter)" 1)
check_eq "book: the figure on the page after its chapter's last text" "$blue" "$((end + 1))"
check_eq "book: the next chapter after the figure's page" "$second" "$((blue + 1))"

# the book style, with its contents page: the tree reads the contents,
# then each chapter in turn, the floated figure at its place in the first
"$GALLEY" -q --book --style book -o bookc.pdf ch1.md ch2.md 2>/dev/null
order=$(pdfinfo -struct-text bookc.pdf 2>/dev/null | awk '
  /"Contents"/ { print "contents" } /^ *Art/ { print "art" } /^ *Figure/ { print "figure" }
  /Leadin|Chapterend|Bluecap|Secondchapter text/ { print $1 }' | tr -d '"' | tr '\n' ' ')
check_eq "book style: the tree in reading order, contents first" "$order" \
  "contents art Leadin figure Bluecap: Chapterend art Secondchapter "

# ---- 6. a forced page break waits for it too ----
printf 'extends: article\nroles:\n  h2:\n    page-break-before: true\n' > breaks.yaml
"$GALLEY" -q --style breaks.yaml -o breaks.pdf head.md 2>/dev/null
h=$(word_at breaks.pdf Secondsection)
blue=$(field "$(image_rows breaks.pdf 40 90 160)" 1)
check_eq "page break: the figure on the page after its text" "$blue" 2
check_eq "page break: the heading that starts a page after the figure's" "$(field "$h" 1)" 3

# ---- 7. figures only: each at a page's top or after the one before, in
# order, never a page with none ----
{ printf -- '---\ntitle: Plates\nlang: en\n---\n\n'
  for i in 1 2 3 4 5; do printf '![Plate %s](blue.png "Plate%s")\n\n' "$i" "$i"; done; } > plates.md
"$GALLEY" -q -o plates.pdf plates.md 2>/dev/null
check_eq "plates: in order" "$(pdftotext plates.pdf - | grep -o 'Plate[0-9]' | tr '\n' ' ')" "Plate1 Plate2 Plate3 Plate4 Plate5 "
pages=$(pdfinfo plates.pdf | awk '/^Pages:/ { print $2 }')
check_eq "plates: every page shows a figure" "$(image_rows plates.pdf 40 90 160 | awk '{ print $1 }' | sort -u | wc -l)" "$pages"
check_eq "plates: two a page (450 x 225 pt and a caption: two fit, three do not)" "$pages" 3

# ---- 8. over many fillers: every figure with its caption, and either
# right after its lead-in or at a page's top; a heading just before a
# figure never left alone at a page's foot ----
bad=
for k in $(seq 6 3 36); do
  { printf -- '---\ntitle: Sweep\nlang: en\n---\n\n'
    for i in $(seq "$k"); do printf 'Filler line %s.\n\n' "$i"; done
    printf '## Pictured\n\n![A blue block](blue.png "Bluecap: swept")\n\n%s' "$AFTER"; } > sweep.md
  "$GALLEY" -q -o sweep.pdf sweep.md 2>/dev/null || { bad="$bad $k:rc"; continue; }
  blue=$(image_rows sweep.pdf 40 90 160)
  cap=$(word_at sweep.pdf Bluecap:)
  head=$(word_at sweep.pdf Pictured)
  [ "$(field "$cap" 1)" = "$(field "$blue" 1)" ] || bad="$bad $k:caption"
  if [ "$(field "$head" 1)" = "$(field "$blue" 1)" ]; then
    # in place, just under its heading
    awk -v h="$(field "$head" 3)" -v t="$(field "$blue" 2)" 'BEGIN { exit !(t > h && t - h < 30) }' || bad="$bad $k:place"
  else
    awk -v t="$(field "$blue" 2)" -v top=$BLOCK_TOP 'BEGIN { d = t - top; exit !(d > -1.5 && d < 1.5) }' || bad="$bad $k:top"
    # the heading has text of its section under it on its page
    below=$(pdftotext -f "$(field "$head" 1)" -l "$(field "$head" 1)" -bbox sweep.pdf - |
      awk -v h="$(field "$head" 3)" '/<word / { match($0, /yMin="[^"]*"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0; if (y > h && y < 770) n++ } END { print n + 0 }')
    [ "$below" -gt 0 ] || bad="$bad $k:lonely-heading"
  fi
done
check_eq "sweep: captions with their images, figures in place or atop a page, no heading alone" "$bad" ""

# ---- 9. the circular's character grid: the text after figures set at a
# page's top stands on the grid's lines ----
float_doc grid.md 12 "$AFTER"
"$GALLEY" -q --style circular -o grid.pdf grid.md 2>/dev/null
check_eq "grid: converts" $? 0
blue=$(image_rows grid.pdf 40 90 160)
check_eq "grid: the figure floats to page 2" "$(field "$blue" 1)" 2
check_eq "grid: the caption with the image" "$(field "$(word_at grid.pdf Bluecap:)" 1)" 2
check_eq "grid: the text after it on page 1" "$(field "$(word_at grid.pdf Afterword1)" 1)" 1
# the grid's pitch from two lines of page 1; the first line under the
# figure on page 2 a whole number of pitches from page 1's first
a1=$(field "$(word_at grid.pdf Afterword1)" 2); a2=$(field "$(word_at grid.pdf Afterword2)" 2)
first2=$(pdftotext -f 2 -l 2 -bbox grid.pdf - | grep -o '>Afterword[0-9]*<' | head -1 | tr -d '<>')
y2=$(field "$(word_at grid.pdf "${first2:-none}")" 2)
check "grid: the text under the figure on the grid's lines ($a1, $a2, $y2)" \
  awk -v a="$a1" -v b="$a2" -v y="$y2" 'BEGIN { p = b - a; n = (y - a) / p; m = n < 0 ? -n : n; d = m - int(m + 0.5); exit !(p > 0 && y != "" && d < 0.05 && d > -0.05) }'

finish e2e-floats

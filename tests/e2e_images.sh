#!/usr/bin/env bash
# e2e_images.sh GALLEY - images through both formats: damaged PNG, JPEG and
# GIF files (and a damaged cover) left out of the PDF and the EPUB with a
# warning that says so, their alt text in place; a verdict per file, so a
# file used many times is decoded once; huge images shrunk to their printed
# size at 300 dpi within the memory target, and a cap on a document's
# decoded pixels; hostile SVGs sanitised or refused, every EPUB passing
# EPUBCheck.  Prints "e2e-images: N passed, N failed" (VERBOSE=1 lists
# every check).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

SEEDS=$ROOT/tests/fuzz/seeds-image
# EPUBCheck's JVM starts faster without the optimising compiler.
export JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
# Time is processor time (user and system), which other work on the
# machine changes less than the clock; under the sanitizers time and memory
# grow several times over.
SAN=0
nm "$GALLEY" 2>/dev/null | grep -q __asan_init && SAN=1
if [ $SAN = 1 ]; then MAX_KB=600000 MAX_S=60; else MAX_KB=100000 MAX_S=5; fi

# ---- helpers (gal, check_rc, check_pdf, bg_check ... are in lib.sh) ----

LIMIT=120 # seconds before a conversion is called hung
# Processor time (s) and peak memory (KB) of one run, into SECS and PEAK_KB.
timed() {
  local u s
  /usr/bin/time -f '%U %S %M' -o "$TMP/time.out" timeout "$LIMIT" "$GALLEY" "$@" \
    >"$TMP/gal.out" 2>"$TMP/gal.err"
  RC=$?
  ERR=$(cat "$TMP/gal.err")
  read -r u s PEAK_KB < <(tail -1 "$TMP/time.out")
  SECS=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
}
check_le() { # NAME GOT MAX
  if awk -v g="$2" -v m="$3" 'BEGIN { exit !(g + 0 <= m + 0) }'; then pass "$1"
  else fail "$1" "got $2, over $3"; fi
}
pdf_images() { pdfimages -list "$1" 2>/dev/null | tail -n +3 | grep -c .; }
epub_images() { unzip -Z1 "$1" 2>/dev/null | grep -c '^OEBPS/images/'; }
xhtml() { unzip -p "$1" 'OEBPS/text/*.xhtml' 2>/dev/null; }
# How many lines of the messages hold a fixed string.
count_in() { grep -cF -- "$2" <<<"$1"; }

# A PNG of one colour, W x H, written with zlib alone (ADAM7 when the
# fourth argument is 1): python3 is in every Debian.
make_png() { # FILE W H [INTERLACED]
  python3 - "$@" <<'EOF'
import struct, sys, zlib
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
adam7 = len(sys.argv) > 4 and sys.argv[4] == "1"
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
px = bytes([40, 90, 160])
z = zlib.compressobj(9)
out = []
passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)] if adam7 else [(0, 0, 1, 1)]
for x0, y0, dx, dy in passes:
    cols = (w - x0 + dx - 1) // dx if w > x0 else 0
    rows = (h - y0 + dy - 1) // dy if h > y0 else 0
    if cols == 0 or rows == 0:
        continue
    row = b"\0" + px * cols
    for _ in range(rows):
        out.append(z.compress(row))
out.append(z.flush())
ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 1 if adam7 else 0)
open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                       chunk(b"IDAT", b"".join(out)) + chunk(b"IEND", b""))
EOF
}

# ---- 1. damaged images: left out of both outputs, with the reason ----
test_damaged() {
  mkdir -p d1 && cd d1 || return
  cp "$SEEDS"/rgb.png ok.png
  cp "$SEEDS"/alpha.png "$SEEDS"/palette-trns.png "$SEEDS"/gray.png .
  cp "$SEEDS"/baseline.jpg ok.jpg
  cp "$SEEDS"/progressive.jpg "$SEEDS"/gray.jpg "$SEEDS"/cmyk.jpg .
  cp "$SEEDS"/one.gif "$SEEDS"/anim.gif "$SEEDS"/ok.svg .
  cp "$SEEDS"/trunc.png "$SEEDS"/trunc.jpg "$SEEDS"/trunc.gif .
  cp "$SEEDS"/bad-crc.png crc.png
  cp "$SEEDS"/trunc-progressive.jpg trunc-prog.jpg
  # the JPEG cut in half, its entropy data gone; a JPEG whose scan ends in
  # a marker libjpeg does not expect
  local n; n=$(stat -c %s ok.jpg)
  head -c $((n / 2)) ok.jpg > half.jpg
  { head -c $((n - 40)) ok.jpg; printf '\377\330\377\331'; } > marker.jpg
  local good="ok.png alpha.png palette-trns.png gray.png ok.jpg progressive.jpg gray.jpg cmyk.jpg"
  local other="one.gif anim.gif ok.svg"
  local bad="trunc.png crc.png trunc.jpg trunc-prog.jpg half.jpg marker.jpg trunc.gif"
  { printf -- '---\ntitle: Damaged\ncover: half.jpg\n---\n\n'
    for f in $good $other $bad; do printf '![ALT-%s](%s)\n\n' "${f%%.*}" "$f"; done; } > d.md
  gal -t pdf,epub --outdir out d.md
  check_rc "damaged images: converts, exit 0" 0
  local f kind
  for f in $bad; do
    case $f in *.png) kind=PNG ;; *.jpg) kind=JPEG ;; *) kind=GIF ;; esac
    check_has "damaged $f: warned as damaged, naming the file" "$ERR" \
      "image \"$f\" left out (the $kind data is damaged"
    check_eq "damaged $f: warned once for both formats" \
      "$(count_in "$ERR" "image \"$f\"")" 1
  done
  check_lacks "damaged images: none called a format the PDF cannot take" \
    "$(grep -e trunc -e crc -e half -e marker <<<"$ERR")" "only PNG and JPEG"
  check_has "damaged cover: warned as damaged" "$ERR" \
    "cover \"half.jpg\" left out (the JPEG data is damaged"
  check_pdf "damaged images: PDF passes qpdf --check, pdftotext silent" out/d.pdf
  check_eq "damaged images: the PDF holds only the sound PNGs and JPEGs" \
    "$(pdf_images out/d.pdf)" 8
  check_has "damaged images: alt text in the PDF" "$(cat out/d.pdf.txt 2>/dev/null)" "ALT-trunc"
  check_has "damaged images: alt text of the half JPEG in the PDF" \
    "$(cat out/d.pdf.txt 2>/dev/null)" "ALT-half"
  check_eq "damaged images: the EPUB holds only the sound images" \
    "$(epub_images out/d.epub)" 11
  local x; x=$(xhtml out/d.epub)
  for f in $bad; do
    check_has "damaged $f: its alt text in the EPUB" "$x" "ALT-${f%%.*}"
  done
  check_lacks "damaged cover: no cover image in the EPUB" "$(unzip -p out/d.epub OEBPS/package.opf)" "cover-image"
  check_epub_bg "damaged images: EPUB passes epubcheck" out/d.epub
  # every length a JPEG may be cut to is refused, none embedded
  local i cuts=""
  for i in 200 300 400 500 $((n - 2)) $((n - 1)); do
    head -c "$i" ok.jpg > "cut$i.jpg"
    printf '![CUT%s](cut%s.jpg)\n\n' "$i" "$i" >> cuts.md
  done
  gal -o cuts.pdf cuts.md
  check_eq "truncated JPEGs: each refused" "$(count_in "$ERR" "JPEG data is damaged")" 6
  check_eq "truncated JPEGs: none in the PDF" "$(pdf_images cuts.pdf)" 0
  check_pdf "truncated JPEGs: PDF passes qpdf --check" cuts.pdf
  cd ..
}

# ---- 2. large images: shrunk, cheap, and a cap per document ----
test_large() {
  mkdir -p d2 && cd d2 || return
  make_png big.png 8000 8000
  cp big.png big2.png && cp big.png big3.png
  printf '# One\n\n![big](big.png)\n' > one.md
  timed -o one.pdf one.md
  check_rc "8000 x 8000 PNG: converts to PDF, exit 0" 0
  check_le "8000 x 8000 PNG: PDF in at most $MAX_S s of processor time" "$SECS" "$MAX_S"
  check_le "8000 x 8000 PNG: PDF in at most $MAX_KB KB of memory" "$PEAK_KB" "$MAX_KB"
  check_pdf "8000 x 8000 PNG: PDF passes qpdf --check" one.pdf
  local ppi; ppi=$(pdfimages -list one.pdf 2>/dev/null | awk 'NR == 3 { print $13 }')
  check_le "8000 x 8000 PNG: embedded at no more than 300 dpi" "${ppi:-9999}" 301
  check_eq "8000 x 8000 PNG: drawn" "$(pdf_images one.pdf)" 1
  timed -o one.epub one.md
  check_le "8000 x 8000 PNG: EPUB in at most $MAX_KB KB of memory" "$PEAK_KB" "$MAX_KB"
  # three of them pass 100 M pixels: the second and third are left out
  printf '# Three\n\n![one](big.png)\n\n![two](big2.png)\n\n![three](big3.png)\n' > three.md
  timed -t pdf,epub --outdir out three.md
  check_rc "three 8000 x 8000 PNGs: convert, exit 0" 0
  check_le "three 8000 x 8000 PNGs: in at most $MAX_S s" "$SECS" "$MAX_S"
  check_le "three 8000 x 8000 PNGs: in at most $MAX_KB KB" "$PEAK_KB" "$MAX_KB"
  check_has "three 8000 x 8000 PNGs: the one over the cap named" "$ERR" \
    "image \"big2.png\" left out (with it the document's images would come to over 100 M pixels"
  check_has "three 8000 x 8000 PNGs: the third named too" "$ERR" "image \"big3.png\" left out"
  check_lacks "three 8000 x 8000 PNGs: the first is not refused" "$ERR" "\"big.png\""
  check_eq "three 8000 x 8000 PNGs: one in the PDF" "$(pdf_images out/three.pdf)" 1
  check_eq "three 8000 x 8000 PNGs: one in the EPUB" "$(epub_images out/three.epub)" 1
  # one file used many times counts once and is decoded once
  { printf '# Many\n\n'
    for i in $(seq 40); do printf '![same %s](big.png)\n\n' "$i"; done; } > many.md
  timed -t pdf,epub --outdir out many.md
  check_lacks "one 64 M pixel image used 40 times: never over the cap" "$ERR" "100 M pixels"
  check_le "one 64 M pixel image used 40 times: decoded once, in at most $MAX_S s" "$SECS" "$MAX_S"
  check_eq "one 64 M pixel image used 40 times: drawn 40 times" "$(pdf_images out/many.pdf)" 40
  check_eq "one 64 M pixel image used 40 times: one image object" \
    "$(pdfimages -list out/many.pdf 2>/dev/null | tail -n +3 | awk '{ print $11 }' | sort -u | wc -l)" 1
  # the cap is per document: each input of a batch has its own
  printf '# A\n\n![a](big.png)\n' > a.md
  printf '# B\n\n![b](big2.png)\n' > b.md
  gal -j 1 -t epub --outdir batch a.md b.md
  check_lacks "batch: each document has its own pixel budget" "$ERR" "100 M pixels"
  check_eq "batch: both images in" "$(epub_images batch/a.epub)$(epub_images batch/b.epub)" 11
  # an interlaced PNG of 6 M pixels is read from its last pass, shrunk
  make_png inter.png 3000 2000 1
  make_png small-inter.png 90 60 1
  printf '# Interlaced\n\n![inter](inter.png)\n\n![small](small-inter.png)\n' > inter.md
  timed -o inter.pdf inter.md
  check_rc "interlaced PNGs: convert, exit 0" 0
  check_le "interlaced PNGs: in at most $MAX_KB KB" "$PEAK_KB" "$MAX_KB"
  check_pdf "interlaced PNGs: PDF passes qpdf --check" inter.pdf
  check_eq "interlaced PNGs: both drawn" "$(pdf_images inter.pdf)" 2
  # the pixels came through: the page shows the image's colour (40,90,160)
  pdftoppm -r 20 -f 1 -l 1 inter.pdf page 2>/dev/null
  local colour
  colour=$(python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
parts = b.split(maxsplit=4)
w, h, px = int(parts[1]), int(parts[2]), parts[4]
print(sum(1 for i in range(0, w * h * 3, 3)
          if all(abs(px[i + k] - c) <= 3 for k, c in enumerate((40, 90, 160)))) > 100)
' page*.ppm 2>/dev/null)
  check_eq "interlaced PNGs: their colour on the page" "$colour" True
  cd ..
}

# ---- 3. hostile SVGs: sanitised for the EPUB, or refused ----
test_svg() {
  mkdir -p d3 && cd d3 || return
  cp "$SEEDS"/hostile.svg "$SEEDS"/ok.svg "$SEEDS"/laughs.svg "$SEEDS"/external.svg .
  cp "$SEEDS"/unclosed.svg .
  # a billion laughs in ten levels, and an external entity
  { printf '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY l0 "ha">\n'
    for i in $(seq 1 10); do
      printf '<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">\n' \
        "$i" $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1))
    done
    printf ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="9">&l10;</text></svg>\n'; } > billion.svg
  printf '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>\n' > xxe.svg
  # nesting: 100,000 groups deep is refused, 200 deep is kept
  python3 -c '
import sys
for name, n in (("deep.svg", 100000), ("nested.svg", 200)):
    open(name, "w").write("<svg xmlns=\"http://www.w3.org/2000/svg\">" + "<g>" * n +
                          "<rect width=\"4\" height=\"4\"/>" + "</g>" * n + "</svg>")'
  # an event handler in upper case, a remote image by xlink, a style attribute
  # with a remote url, a javascript: link in an <a>, a data: image kept
  cat > mixed.svg <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20" ONLOAD="alert(1)">
<a href="javascript:alert(1)" target="_blank"><circle cx="5" cy="5" r="4" fill="#00f"/></a>
<image xlink:href="http://example.com/remote.png" width="4" height="4"/>
<image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC" width="4" height="4"/>
<rect width="4" height="4" style="fill: url( 'https://example.com/p.svg#x' )"/>
<rect x="8" width="4" height="4" style="fill: #0f0"/>
<style>rect { stroke: u\72l(https://example.com/e.svg) }</style>
</svg>
EOF
  { for f in hostile ok laughs external unclosed billion xxe deep nested mixed; do
      printf '![SVG-%s](%s.svg)\n\n' "$f" "$f"; done; } > s.md
  gal -t pdf,epub --outdir out s.md
  check_rc "hostile SVGs: convert, exit 0" 0
  for f in laughs external billion xxe; do
    check_has "SVG with a DOCTYPE ($f): refused, saying why" "$ERR" \
      "image \"$f.svg\" left out (the SVG has a DOCTYPE"
  done
  check_has "SVG nested 100,000 deep: refused" "$ERR" "image \"deep.svg\" left out (the SVG is damaged"
  check_has "unclosed SVG: refused as damaged" "$ERR" "image \"unclosed.svg\" left out (the SVG is damaged"
  check_lacks "SVG nested 200 deep: kept" "$ERR" "\"nested.svg\" left out"
  check_eq "hostile SVGs: the four usable ones in the EPUB" "$(epub_images out/s.epub)" 4
  mkdir -p x && (cd x && unzip -qo ../out/s.epub)
  local all; all=$(cat x/OEBPS/images/*.svg 2>/dev/null)
  local bad
  for bad in '<script' 'onload' 'ONLOAD' 'onclick' 'https://' 'http://example' \
             'javascript:' 'foreignObject' '@import' 'xml-stylesheet' 'file:' \
             '<set' 'target=' '\72' '<a '; do
    check_lacks "sanitised SVGs: no [$bad]" "$all" "$bad"
  done
  check_has "sanitised SVGs: a fragment reference kept" "$all" 'xlink:href="#r"'
  check_has "sanitised SVGs: a data: PNG kept" "$all" 'href="data:image/png;base64,'
  check_has "sanitised SVGs: harmless drawing kept" "$all" '<rect x="10" width="5" height="5" fill="#0a0"/>'
  check_has "sanitised SVGs: a harmless style kept" "$all" 'style="fill: #0f0"'
  check_has "sanitised SVGs: 200 levels of groups kept" "$all" "$(printf '<g>%.0s' $(seq 200))<rect"
  for f in x/OEBPS/images/*.svg; do
    check "sanitised SVG $(basename "$f"): well-formed" xmllint --noout --nonet "$f"
  done
  check_has "refused SVGs: their alt text in the EPUB" "$(xhtml out/s.epub)" "SVG-billion"
  check_epub_bg "hostile SVGs: EPUB passes epubcheck" out/s.epub
  cd ..
}

# ---- 4. the fuzz seeds are small ----
test_seeds() {
  local big
  big=$(find "$SEEDS" -type f -size +4k | head -3)
  check_eq "image fuzz seeds: all within 4 KB" "$big" ""
  check_le "image fuzz seeds: at least 20" 20 "$(find "$SEEDS" -type f | wc -l)"
}

test_damaged
test_large
test_svg
test_seeds
collect
finish "e2e-images"

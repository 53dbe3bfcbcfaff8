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
  check_lacks "damaged images: none left out of the PDF after the check" \
    "$ERR" "left out of the PDF"
  check_has "damaged cover: warned as damaged" "$ERR" \
    "cover \"half.jpg\" left out (the JPEG data is damaged"
  check_pdf "damaged images: PDF passes qpdf --check, pdftotext silent" out/d.pdf
  check_eq "damaged images: the PDF holds only the sound images" \
    "$(pdfimages -list out/d.pdf 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l)" 11
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

# ---- 4. every kind of image printed; alpha by PDF/A level ----
# Images made here with PIL (python3-pil): python3 may be another than
# Debian's, which has it.
PY=python3
$PY -c 'import PIL' 2>/dev/null || PY=/usr/bin/python3

# How many pixels of page 1 of a PDF, drawn at 72 dpi, are within TOL
# (default 12) of the colour R G B in each channel.
colour_count() { # PDF R G B [TOL]
  [ -s "$1.page.ppm" ] || pdftoppm -r 72 -f 1 -l 1 -singlefile "$1" "$1.page" 2>/dev/null
  $PY - "$1.page.ppm" "$2" "$3" "$4" "${5:-12}" <<'EOF'
import sys
b = open(sys.argv[1], "rb").read()
parts = b.split(maxsplit=4)
w, h, px = int(parts[1]), int(parts[2]), parts[4]
want = [int(v) for v in sys.argv[2:5]]
tol = int(sys.argv[5])
print(sum(1 for i in range(0, w * h * 3, 3)
          if all(abs(px[i + k] - want[k]) <= tol for k in range(3))))
EOF
}
# The image XObjects (not soft masks) of a PDF, and its soft masks.
n_images() { pdfimages -list "$1" 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l; }
n_smasks() { pdfimages -list "$1" 2>/dev/null | awk 'NR > 2 && $3 == "smask"' | wc -l; }
check_ge() { # NAME GOT MIN
  if [ "${2:-0}" -ge "$3" ] 2>/dev/null; then pass "$1"; else fail "$1" "got [$2], want at least $3"; fi
}

test_kinds() {
  mkdir -p d4 && cd d4 || return
  if ! $PY -c 'import PIL' 2>/dev/null; then
    fail "image kinds: python3-pil is not installed"; cd ..; return
  fi
  # 60 x 40 each: alpha.png red on the left, blue at half alpha on the
  # right (white and blue make 127,127,255); a GIF whose upper half is its
  # transparent colour (magenta, never to be seen) over green; the others
  # one colour each
  $PY - <<'EOF'
from PIL import Image
W, H = 60, 40
a = Image.new("RGBA", (W, H), (255, 0, 0, 255))
a.paste((0, 0, 255, 128), (W // 2, 0, W, H))
a.save("alpha.png")
Image.new("I;16", (W, H), 40000).save("deep16.png")          # 16-bit grey
Image.new("RGB", (W, H), (40, 90, 160)).quantize(4).save("pal.png")
Image.new("LA", (W, H), (100, 128)).save("greyalpha.png")    # grey + alpha
Image.new("RGB", (W, H), (40, 90, 160)).save("inter.png", interlace=1)
Image.new("RGB", (W, H), (220, 20, 20)).convert("CMYK").save("cmyk.jpg")
Image.new("RGB", (W, H), (0, 160, 0)).save("prog.jpg", progressive=True)
g = Image.new("P", (W, H), 1)
g.putpalette([255, 0, 255, 0, 128, 0] + [0] * 762)
g.paste(0, (0, 0, W, H // 2))
g.save("trans.gif", transparency=0, interlace=True)
EOF
  cp "$ROOT/samples/images/chart.svg" "$SEEDS/anim.gif" .
  # an SVG of no size but its viewBox, on a transparent ground
  printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 40"><circle cx="20" cy="20" r="18" fill="#e07b39"/></svg>\n' > vb.svg
  local f
  for f in alpha.png deep16.png pal.png greyalpha.png inter.png cmyk.jpg prog.jpg \
           trans.gif anim.gif chart.svg vb.svg; do
    printf -- '---\ntitle: K\n---\n\n![ALT-%s](%s)\n' "$f" "$f" > "${f%%.*}.md"
  done
  local level opt smask
  for level in plain 1b 2b 2u; do
    opt=; [ $level = plain ] || opt=--pdfa=$level
    for f in alpha deep16 pal greyalpha inter cmyk prog trans anim chart vb; do
      gal $opt -o "$f-$level.pdf" "$f.md"
      check_rc "$f ($level): converts, exit 0" 0
      check_eq "$f ($level): no warning" "$ERR" ""
      check_eq "$f ($level): one image in the PDF" "$(n_images "$f-$level.pdf")" 1
      check_lacks "$f ($level): no alt text in its place" \
        "$(pdftotext "$f-$level.pdf" - 2>/dev/null)" "ALT-"
    done
    check_pdf "alpha PNG ($level): PDF passes qpdf --check" "alpha-$level.pdf"
    check_pdf "GIF ($level): PDF passes qpdf --check" "trans-$level.pdf"
    check_pdf "SVG ($level): PDF passes qpdf --check" "chart-$level.pdf"
    # a soft mask for each image with transparency but in PDF/A-1b
    smask=1; [ $level = 1b ] && smask=0
    for f in alpha greyalpha trans vb; do
      check_eq "$f ($level): $smask soft mask" "$(n_smasks "$f-$level.pdf")" $smask
    done
    for f in deep16 pal inter cmyk prog anim; do
      check_eq "$f ($level): opaque, no soft mask" "$(n_smasks "$f-$level.pdf")" 0
    done
    # the colours on the page: composited onto white by galley (1b) or by
    # the reader through the soft mask
    check_ge "alpha PNG ($level): its opaque red printed" "$(colour_count alpha-$level.pdf 255 0 0)" 300
    check_ge "alpha PNG ($level): half-transparent blue over white" \
      "$(colour_count alpha-$level.pdf 127 127 255)" 300
    check_eq "alpha PNG ($level): no pure blue (alpha lost)" "$(colour_count alpha-$level.pdf 0 0 255)" 0
    check_ge "grey+alpha PNG ($level): grey 100 at half alpha over white" \
      "$(colour_count greyalpha-$level.pdf 177 177 177)" 600
    check_ge "16-bit PNG ($level): its grey" "$(colour_count deep16-$level.pdf 156 156 156)" 600
    check_ge "palette PNG ($level): its colour" "$(colour_count pal-$level.pdf 40 90 160)" 600
    check_ge "interlaced PNG ($level): its colour" "$(colour_count inter-$level.pdf 40 90 160)" 600
    # kept CMYK in plain PDF, the reader makes it RGB in its own way
    check_ge "CMYK JPEG ($level): its red" \
      "$(colour_count cmyk-$level.pdf 220 20 20 $([ $level = plain ] && echo 30))" 600
    check_ge "progressive JPEG ($level): its green" "$(colour_count prog-$level.pdf 0 160 0)" 600
    check_ge "GIF ($level): its green" "$(colour_count trans-$level.pdf 0 128 0)" 300
    check_eq "GIF ($level): its transparent colour unseen" "$(colour_count trans-$level.pdf 255 0 255)" 0
    check_ge "SVG ($level): the chart's blue bars" "$(colour_count chart-$level.pdf 46 109 164)" 1000
    check_ge "SVG ($level): its orange bar" "$(colour_count chart-$level.pdf 224 123 57)" 300
    check_ge "SVG of a viewBox only ($level): its circle" "$(colour_count vb-$level.pdf 224 123 57)" 300
  done
  # PDF/A-1b: no soft mask, no transparency group anywhere; a CMYK JPEG made
  # RGB (an sRGB output intent allows no CMYK); in plain PDF it stays CMYK
  qpdf --qdf --object-streams=disable alpha-1b.pdf a1.qdf 2>/dev/null
  check_lacks "alpha PNG (1b): no /SMask in the file" "$(grep -a SMask a1.qdf)" "/SMask"
  check_lacks "alpha PNG (1b): no transparency group" "$(grep -a /Group a1.qdf)" "/Transparency"
  qpdf --qdf --object-streams=disable alpha-2u.pdf a2.qdf 2>/dev/null
  check_has "alpha PNG (2u): the image has an /SMask" "$(grep -a /SMask a2.qdf)" "/SMask"
  # tagged (the default) it is PDF 1.7, which PDF/UA-1 is based on
  check_eq "alpha PNG (plain, tagged): PDF 1.7" "$(head -c 8 alpha-plain.pdf)" "%PDF-1.7"
  gal --no-tagged -o alpha-untagged.pdf alpha.md
  check_eq "alpha PNG (plain, untagged): PDF 1.4, for the soft mask" "$(head -c 8 alpha-untagged.pdf)" "%PDF-1.4"
  check_eq "CMYK JPEG (plain): kept as it is" \
    "$(pdfimages -list cmyk-plain.pdf | awk 'NR == 3 { print $6 "/" $9 }')" cmyk/jpeg
  local l
  for l in 1b 2b 2u; do
    check_eq "CMYK JPEG ($l): made RGB" \
      "$(pdfimages -list cmyk-$l.pdf | awk 'NR == 3 { print $6 }')" rgb
  done
  # sizes: a GIF's screen and an SVG's intrinsic size, at 96 CSS px to the
  # inch; the SVG drawn at 300 dpi for it
  check_eq "GIF: 24 x 16, its screen" "$(pdfimages -list anim-plain.pdf | awk 'NR == 3 { print $4 "x" $5 }')" 24x16
  check_eq "SVG: 360 x 220 CSS px drawn 1125 x 688 (300 dpi)" \
    "$(pdfimages -list chart-plain.pdf | awk 'NR == 3 { print $4 "x" $5 "@" $13 }')" 1125x688@300
  check_eq "SVG of a viewBox only: 80 x 40, at 300 dpi" \
    "$(pdfimages -list vb-plain.pdf | awk 'NR == 3 { print $4 "x" $5 "@" $13 }')" 250x125@300
  # an image in running text: its alt text in the PDF, with a warning
  printf -- '---\ntitle: I\n---\n\nAn icon ![ICON](trans.gif) in a sentence.\n' > inline.md
  gal -o inline.pdf inline.md
  check_has "inline image: warned about, naming the file" "$ERR" \
    'image "trans.gif" sits in running text: the PDF gives its alt text in its place'
  check_has "inline image: its alt text in the PDF" "$(pdftotext inline.pdf - 2>/dev/null)" "[ICON]"
  gal -o inline.epub inline.md
  check_eq "inline image: no warning for the EPUB, which shows it" "$ERR" ""
  # librsvg and libgif are loaded only for a document that has such images
  if command -v strace >/dev/null; then
    printf -- '---\ntitle: N\n---\n\nNo images here.\n' > none.md
    # (LeakSanitizer cannot run under ptrace)
    ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
      strace -f -e trace=openat -o none.trace "$GALLEY" -q -o none.pdf none.md
    ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
      strace -f -e trace=openat -o svg.trace "$GALLEY" -q -o svg.pdf chart.md
    check_lacks "no images: librsvg not loaded" "$(cat none.trace)" "librsvg"
    check_lacks "no images: libgif not loaded" "$(cat none.trace)" "libgif"
    check_has "an SVG: librsvg loaded" "$(cat svg.trace)" "librsvg-2.so.2"
  else
    fail "strace is not installed"
  fi
  cd ..
}

# ---- 5. the fuzz seeds are small ----
test_seeds() {
  local big
  big=$(find "$SEEDS" -type f -size +4k | head -3)
  check_eq "image fuzz seeds: all within 4 KB" "$big" ""
  check_le "image fuzz seeds: at least 20" 20 "$(find "$SEEDS" -type f | wc -l)"
}

test_damaged
test_large
test_svg
test_kinds
test_seeds
collect
finish "e2e-images"

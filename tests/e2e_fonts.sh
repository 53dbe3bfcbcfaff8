#!/usr/bin/env bash
# e2e_fonts.sh GALLEY [SANITIZER_GALLEY] - fonts of every outline format end
# to end: CFF (.otf, name-keyed) and TrueType faces, a CID-keyed CFF
# collection (Noto Serif CJK, by family name, by file and face index, bold
# by a style suffix), a variable font, damaged .otf files, a font without
# the document's characters, --list-fonts, file size and byte-identical
# reruns.  Each PDF must pass qpdf --check, show every font embedded and
# subset in pdffonts, give its text back from pdftotext and render in
# pdftoppm with nothing on stderr, and draw every glyph (see glyphs.py
# below: the pages are rendered and each character's ink compared).  The
# damaged fonts also go through SANITIZER_GALLEY when it is given.  Fonts
# come from Debian packages (fonts-noto-cjk, fonts-noto-core,
# fonts-cantarell, fonts-inter-variable, fonts-droid-fallback); the damaged
# ones are made here from them.
# Prints "e2e-fonts: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
SAN=
[ -n "${2:-}" ] && SAN=$(realpath "$2")
begin "$1"
LIMIT=60

# ---- the fonts, as Debian installs them ----
CJK=/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc  # fonts-noto-cjk: faces 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
CANT=/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf  # fonts-cantarell: name-keyed CFF
VF=/usr/share/fonts/truetype/inter-vf/Inter-roman.var.ttf  # fonts-inter-variable: glyf + gvar, wght 100-900
missing=
[ -f "$CJK" ] || missing="$missing fonts-noto-cjk"
[ -f "$CANT" ] || missing="$missing fonts-cantarell"
[ -f "$VF" ] || missing="$missing fonts-inter-variable"
fc-list -q "Droid Sans Fallback" || missing="$missing fonts-droid-fallback"
fc-list -q "Noto Serif" || missing="$missing fonts-noto-core"
check_eq "the fonts this suite needs are installed" "${missing# }" ""

# ---- helpers ----

# conv NAME OUT ARGS...: galley ARGS -o OUT; exit status in RC, stderr in
# ERR (gal, lib.sh); passes when it exits 0 and writes OUT.
conv() {
  local name=$1 out=$2; shift 2
  rm -f "$out"
  gal "$@" -o "$out"
  if [ "$RC" = 0 ] && [ -s "$out" ]; then pass "$name: written, exit 0"
  else fail "$name: written, exit 0" "exit $RC: $(head -c 300 <<<"$ERR")"; fi
}

# pdffonts rows: "NAME|TYPE|EMB SUB UNI" (the type may hold spaces).
font_rows() { # PDF
  pdffonts "$1" 2>/dev/null | awk 'NR > 2 && NF >= 8 {
    t = $2; for (i = 3; i <= NF - 6; i++) t = t " " $i
    print $1 "|" t "|" $(NF-4) " " $(NF-3) " " $(NF-2) }'
}
# The row of the font whose PostScript name matches the regex NAME, under a
# six-letter subset tag.
font_row() { font_rows "$1" | grep -E "^[A-Z]{6}\+($2)\|" | head -1; } # PDF NAME
check_font() { # NAME PDF FONT TYPE: embedded, subset, ToUnicode, of TYPE
  local row; row=$(font_row "$2" "$3")
  if [ -z "$row" ]; then fail "$1" "no ABCDEF+$3 in [$(font_rows "$2" | tr '\n' ' ')]"
  elif [ "${row#*|}" = "$4|yes yes yes" ]; then pass "$1"
  else fail "$1" "$row, want $4|yes yes yes"; fi
}
# Fonts not embedded, not subset, without ToUnicode, or without a subset
# tag (or that pdffonts lists none).
unembedded() { # PDF
  local rows; rows=$(font_rows "$1")
  if [ -z "$rows" ]; then echo "no fonts listed"; return; fi
  grep -vE '^[A-Z]{6}\+[^|]*\|[^|]*\|yes yes yes$' <<<"$rows"
}

# The Markdown after the front matter.
body() { awk '/^---[ \t\r]*$/ && n < 2 { n++; next } n >= 2' "$1"; }
# Runs of Han characters and Latin words or numbers of the input's body that
# pdftotext does not give back (the text compared without white space and
# without end-of-line hyphens).
missing_text() { # PDF MD
  local text t w miss=
  text=$(pdftotext "$1" - 2>/dev/null | tr -d ' \t\r\n\f')
  t=$(tr -d '-' <<<"$text")
  while read -r w; do
    [ -z "$w" ] && continue
    grep -qF -- "$w" <<<"$text" || grep -qF -- "$w" <<<"$t" || miss="$miss $w"
  done < <(body "$2" | LC_ALL=C.UTF-8 grep -oP '[\x{4E00}-\x{9FFF}]+|[A-Za-z0-9]{2,}' | sort -u)
  echo "${miss# }"
}
# What poppler says while rendering every page (pdftoppm, 36 dpi).
render_errors() { # PDF
  pdftoppm -r 36 -gray "$1" "$1.render" 2>&1 >/dev/null | head -c 300
  rm -f "$1".render*
}
# The checks every PDF here gets: qpdf and pdftotext clean (check_pdf,
# lib.sh), fonts embedded and subset, the text back, rendering quiet.
check_doc() { # NAME PDF MD
  check_pdf "$1: qpdf --check clean, pdftotext quiet" "$2"
  check_eq "$1: every font embedded, subset, with ToUnicode" "$(unembedded "$2")" ""
  check_eq "$1: pdftotext gives back every word and Han run" "$(missing_text "$2" "$3")" ""
  check_eq "$1: pdftoppm renders with nothing on stderr" "$(render_errors "$2")" ""
}

# glyphs.py: whether glyphs are drawn.  Each one-character word of a
# rendered page (its box from pdftotext -bbox, its pixels from pdftoppm
# -gray at 150 dpi) is cut out and must have ink; two different characters
# must not look alike (as the .notdef box drawn for each would); and the
# same character must look the same in two files (a glyph drawn for the
# wrong code would not).  The ink is compared around its centroid at the
# best of nine one-pixel alignments: the same glyph at another sub-pixel
# position differs by at most 0.15 of its ink, different CJK characters of
# one face by 0.35 or more.  Prints what is wrong, nothing when all is well.
cat > glyphs.py <<'EOF'
import html, re, subprocess, sys

DPI = 150

def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s*(\d+)", out, re.M)
    return int(m.group(1)) if m else 0

def page_image(pdf, p):
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", str(p), "-l", str(p),
                           "-singlefile", pdf], capture_output=True, check=True).stdout
    fields, pos = [], 0
    while len(fields) < 4:  # P5 width height maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P5" and fields[3] == b"255", fields[:4]
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + w * h]

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')

class Glyph:
    """The ink of one character: its pixels (255 - grey) around the centroid."""
    def __init__(self, px, w, x0, y0, x1, y1):
        ink = [(x, y, 255 - px[y * w + x]) for y in range(y0, y1) for x in range(x0, x1)
               if px[y * w + x] < 255]
        self.dark = sum(1 for _, _, v in ink if v > 127)
        self.total = sum(v for _, _, v in ink)
        self.pix = {}
        self.spread = (0, 0)
        if not self.total:
            return
        cx = sum(x * v for x, _, v in ink) / self.total
        cy = sum(y * v for _, y, v in ink) / self.total
        self.spread = (sum((x - cx) ** 2 * v for x, _, v in ink) / self.total,
                       sum((y - cy) ** 2 * v for _, y, v in ink) / self.total)
        cx, cy = round(cx), round(cy)
        for x, y, v in ink:
            self.pix[(x - cx, y - cy)] = v

    def near(self, o):
        """Cheap test first: as much ink, as widely spread."""
        close = lambda a, b, t: abs(a - b) <= t * max(a, b) + 1
        return (close(self.total, o.total, 0.06) and close(self.spread[0], o.spread[0], 0.12)
                and close(self.spread[1], o.spread[1], 0.12))

    def distance(self, o):
        """Share of the ink that differs, at the best of nine alignments."""
        best = 2.0
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                d = 0
                for (x, y), v in self.pix.items():
                    d += abs(v - o.pix.get((x + dx, y + dy), 0))
                for (x, y), v in o.pix.items():
                    if (x - dx, y - dy) not in self.pix:
                        d += v
                best = min(best, d / (self.total + o.total))
        return best

def glyphs(pdf):
    """{character: Glyph} for the first of each one-character word."""
    out = {}
    for p in range(1, pages(pdf) + 1):
        xml = subprocess.run(["pdftotext", "-bbox", "-f", str(p), "-l", str(p), pdf, "-"],
                             capture_output=True, text=True).stdout
        w, h, px = page_image(pdf, p)
        s = DPI / 72
        for m in WORD.finditer(xml):
            ch = html.unescape(m.group(5))
            if len(ch) != 1 or ch in out:
                continue
            x0, y0, x1, y1 = (float(v) * s for v in m.groups()[:4])
            out[ch] = Glyph(px, w, max(0, int(x0) - 1), max(0, int(y0) - 1),
                            min(w, int(x1) + 2), min(h, int(y1) + 2))
    return out

def name(ch):
    return "%s (U+%04X)" % (ch, ord(ch))

def ink(pdf, least):
    g = glyphs(pdf)
    if len(g) < least:
        print("only %d one-character words found, want %d" % (len(g), least))
    bad = [name(c) for c, v in g.items() if not v.dark]
    if bad:
        print("%d of %d characters drawn without ink: %s" % (len(bad), len(g), " ".join(bad[:10])))
    inked = [(c, v) for c, v in g.items() if v.dark]
    same = [name(a) + " = " + name(b) for i, (a, ga) in enumerate(inked)
            for b, gb in inked[i + 1:] if ga.near(gb) and ga.distance(gb) < 0.1]
    if same:
        print("%d pairs of different characters drawn alike (the .notdef box?): %s"
              % (len(same), "; ".join(same[:5])))

def same(a, b, least):
    ga, gb = glyphs(a), glyphs(b)
    both = [c for c in ga if c in gb]
    if len(both) < least:
        print("only %d characters in both files, want %d" % (len(both), least))
    diff = [name(c) for c in both if ga[c].distance(gb[c]) > 0.25]
    if diff:
        print("%d of %d characters drawn differently in the two files: %s"
              % (len(diff), len(both), " ".join(diff[:10])))

def break_map(src, dst, how):
    """For the controls: the CIDToGIDMap streams of a QDF file (TrueType
    fonts) made all 0 (every glyph the .notdef) or with neighbours swapped
    (glyphs drawn for the wrong codes)."""
    data = bytearray(open(src, "rb").read())
    refs = set(re.findall(rb"/CIDToGIDMap (\d+) 0 R", data))
    if not refs:
        print("no CIDToGIDMap in " + src)
    for ref in refs:
        m = re.search(rb"\n" + ref + rb" 0 obj\n<<.*?>>\nstream\n", data, re.S)
        start = m.end()
        end = data.index(b"endstream", start)
        body = data[start:end]
        n = (len(body) - 1) // 2 * 2  # a newline may end the stream
        if how == "zero":
            body[:n] = bytes(n)
        else:
            for i in range(2, n - 3, 4):
                body[i:i + 2], body[i + 2:i + 4] = body[i + 2:i + 4], body[i:i + 2]
        data[start:end] = body
    open(dst, "wb").write(data)

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "ink":
        ink(sys.argv[2], int(sys.argv[3]))
    elif cmd == "same":
        same(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "break":
        break_map(sys.argv[2], sys.argv[3], sys.argv[4])
EOF
glyphs() { python3 glyphs.py "$@" 2>&1 | head -c 400; }

# damage.py MODE SRC DST: a CFF .otf damaged in one way.
#   truncated    the file cut inside its CFF table
#   cff-garbage  the CFF table, after its 4-byte header, overwritten with
#                pseudo-random bytes (the table directory intact)
#   charstrings  every glyph program replaced by reserved operators (the
#                INDEX structures intact: only running the programs finds it)
cat > damage.py <<'EOF'
import random, struct, sys

mode, src, dst = sys.argv[1:4]
f = bytearray(open(src, "rb").read())
tables = {}
for i in range(struct.unpack(">H", f[4:6])[0]):
    tag, _, off, length = struct.unpack(">4sIII", f[12 + 16 * i:28 + 16 * i])
    tables[tag] = (off, length)
off, length = tables[b"CFF "]

def index(p):
    """(offsets, data start, end) of the CFF INDEX at p."""
    count = struct.unpack(">H", f[p:p + 2])[0]
    if count == 0:
        return [], p + 2, p + 2
    size = f[p + 2]
    offs = [int.from_bytes(f[p + 3 + i * size:p + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    data = p + 3 + (count + 1) * size - 1
    return offs, data, data + offs[-1]

def charstrings_offset(d):
    """Operand of operator 17 in a Top DICT's bytes."""
    ops, i = [], 0
    while i < len(d):
        b = d[i]
        if b == 17:
            return ops[-1]
        if 32 <= b <= 246: ops.append(b - 139); i += 1
        elif 247 <= b <= 250: ops.append((b - 247) * 256 + d[i + 1] + 108); i += 2
        elif 251 <= b <= 254: ops.append(-(b - 251) * 256 - d[i + 1] - 108); i += 2
        elif b == 28: ops.append(struct.unpack(">h", d[i + 1:i + 3])[0]); i += 3
        elif b == 29: ops.append(struct.unpack(">i", d[i + 1:i + 5])[0]); i += 5
        elif b == 30:
            i += 1
            while (d[i] & 0x0F) != 0x0F and (d[i] >> 4) != 0x0F: i += 1
            i += 1
        elif b == 12: ops = []; i += 2
        else: ops = []; i += 1
    raise SystemExit("no CharStrings in the Top DICT")

if mode == "truncated":
    f = f[:off + length // 2]
elif mode == "cff-garbage":
    r = random.Random(7)
    f[off + 4:off + length] = bytes(r.randrange(256) for _ in range(length - 4))
elif mode == "charstrings":
    _, _, end = index(off + f[off + 2])         # Name INDEX after the header
    offs, data, _ = index(end)                  # Top DICT INDEX
    top = f[data + offs[0]:data + offs[1]]
    offs, data, end = index(off + charstrings_offset(top))
    f[data + 1:end] = bytes([0x00]) * (end - data - 1)  # operator 0 is reserved
else:
    raise SystemExit("unknown mode " + mode)
open(dst, "wb").write(f)
EOF

# ---- the documents ----
cat > zh.md <<'EOF'
---
title: 关于开展2026年春季图书馆开放日活动的通知
lang: zh-CN
---

各学院、各部门：为进一步推动全民阅读，图书馆定于4月23日至4月30日举办开放日活动，现将有关事项通知如下。

**一、活动时间与地点**。活动期间每天上午9时至下午5时，地点在图书馆一楼大厅和三楼数字阅览室，参观人数每场不超过120人。

二、活动内容包括古籍修复展示、数字资源检索培训（含CNKI、Web of Science等数据库）、读者座谈会以及“我最喜爱的一本书”征文比赛。

三、请各单位于4月15日前将报名表发送至library@example.edu，联系电话0571-88886666。逾期不再受理，敬请谅解。

**特此通知。**
EOF
cat > zh2.md <<'EOF'
---
title: 校园绿化养护工作简报
lang: zh-CN
---

本周共修剪行道树86棵，补种草坪约1500平方米，更换花坛时令花卉12种。

**下周安排**：对东区停车场周边的灌木进行病虫害防治，预计用工30人次。
EOF
cat > en.md <<'EOF'
---
title: Notes on the Spring Reading Week
---

The library opens its doors from **23 April to 30 April** for a week of
workshops, talks and quiet reading. Every day from 9:00 to 17:00, visitors
may tour the restoration studio, where fragile books are mended by hand.

Quick brown foxes jump over lazy dogs; sphinx of black quartz, judge my vow!
Numbers such as 0123456789 and symbols (#, %, & and @) appear too.

Please register before 15 April at library@example.edu.
EOF
# Glyph documents: one character a word.  The Han characters and marks of
# zh.md (the marks each alone in a paragraph, where nothing compresses
# them); b: reversed, with four more, so that its subset numbers its glyphs
# differently.
glyph_doc() { # CHARS (in order) > FILE
  printf -- '---\ntitle: 字形表\nlang: zh-CN\n---\n\n'
  python3 -c '
import sys, unicodedata
cs = sys.argv[1]
print(" ".join(c for c in cs if unicodedata.category(c) == "Lo"))
for c in cs:
    if unicodedata.category(c) != "Lo":
        print("\n" + c)' "$1"
}
han=$(body zh.md | python3 -c '
import sys
print("".join(sorted(set(c for c in sys.stdin.read() if ord(c) > 0x2000))))')
glyph_doc "$han" > gzh-a.md
glyph_doc "$(python3 -c 'import sys; print(sys.argv[1][::-1])' "${han}鹰鹅鸭龙")" > gzh-b.md
# Latin: I and l left out, a bar alike in many sans faces.
latin="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNOPQRSTUVWXYZ0123456789&?@%"
latin_doc() { # CHARS
  printf -- '---\ntitle: Glyph table\n---\n\n%s\n' "$(sed 's/./& /g; s/ $//' <<<"$1")"
}
latin_doc "$latin" > glat-a.md
latin_doc "$(rev <<<"$latin")+!=" > glat-b.md

# ---- 1. CFF faces: a CID-keyed collection three ways, a name-keyed .otf ----
conv "CJK by family name" zh-family.pdf --font "Noto Serif CJK SC" zh.md
check_eq "CJK by family name: no messages" "$ERR" ""
check_doc "CJK by family name" zh-family.pdf zh.md
check_font "CJK by family name: NotoSerifCJKsc-Regular embedded as CID Type 0C" \
  zh-family.pdf 'NotoSerifCJKsc-Regular' "CID Type 0C"

conv "CJK by file and face (.ttc#2)" zh-face.pdf --font "$CJK#2" zh.md
check_eq "CJK by file and face: no messages" "$ERR" ""
check_doc "CJK by file and face" zh-face.pdf zh.md
# face 2 is the Simplified Chinese one; face 0 would be NotoSerifCJKjp
check_font "CJK by file and face: face 2, NotoSerifCJKsc-Regular, as CID Type 0C" \
  zh-face.pdf 'NotoSerifCJKsc-Regular' "CID Type 0C"

conv "CJK bold by style suffix" zh-bold.pdf --font "Noto Serif CJK SC:bold" zh.md
check_eq "CJK bold by style suffix: no messages" "$ERR" ""
check_doc "CJK bold by style suffix" zh-bold.pdf zh.md
check_font "CJK bold by style suffix: NotoSerifCJKsc-Bold embedded as CID Type 0C" \
  zh-bold.pdf 'NotoSerifCJKsc-Bold' "CID Type 0C"
# the title is bold in any case: the body being bold is what leaves no
# regular face behind
check "CJK bold by style suffix: no regular face left" \
  test -z "$(font_row zh-bold.pdf 'NotoSerifCJKsc-Regular')"

conv "name-keyed CFF (Cantarell)" en-cant.pdf --font Cantarell en.md
check_eq "name-keyed CFF (Cantarell): no messages" "$ERR" ""
check_doc "name-keyed CFF (Cantarell)" en-cant.pdf en.md
check_font "name-keyed CFF: Cantarell-Regular embedded as CID Type 0C" \
  en-cant.pdf 'Cantarell-Regular' "CID Type 0C"
check_font "name-keyed CFF: its bold face, Cantarell-Bold, found and embedded" \
  en-cant.pdf 'Cantarell-Bold' "CID Type 0C"

# TrueType beside them: the same document in Noto Serif (fonts-noto-core)
conv "TrueType (Noto Serif)" en-ttf.pdf --font "Noto Serif" en.md
check_doc "TrueType (Noto Serif)" en-ttf.pdf en.md
check_font "TrueType: NotoSerif-Regular embedded as CID TrueType" \
  en-ttf.pdf 'NotoSerif-Regular' "CID TrueType"

# ---- 2. every glyph drawn (glyphs.py above) ----
gal --font-size large --font "Noto Serif CJK SC" -o gzh-a.pdf gzh-a.md
check_eq "glyphs, CJK by family name: every character inked, none a .notdef box" \
  "$(glyphs ink gzh-a.pdf 120)" ""
gal --font-size large --font "$CJK#2" -o gzh-b.pdf gzh-b.md
check_eq "glyphs, CJK by file and face (another subset): every character inked" \
  "$(glyphs ink gzh-b.pdf 120)" ""
check_eq "glyphs, CJK: the same characters drawn alike from two different subsets" \
  "$(glyphs same gzh-a.pdf gzh-b.pdf 120)" ""
gal --font-size large --font "Noto Serif CJK SC:bold" -o gzh-bold.pdf gzh-a.md
check_eq "glyphs, CJK bold: every character inked, none a .notdef box" \
  "$(glyphs ink gzh-bold.pdf 120)" ""
gal --font-size large --font Cantarell -o glat-a.pdf glat-a.md
check_eq "glyphs, Cantarell: every character inked, none a .notdef box" \
  "$(glyphs ink glat-a.pdf 60)" ""
gal --font-size large --font "$CANT" -o glat-b.pdf glat-b.md
check_eq "glyphs, Cantarell: the same characters drawn alike from two subsets" \
  "$(glyphs same glat-a.pdf glat-b.pdf 60)" ""
gal --font-size large --font "$VF" -o glat-vf.pdf glat-a.md
check_eq "glyphs, variable font: every character inked, none a .notdef box" \
  "$(glyphs ink glat-vf.pdf 60)" ""
# Controls: the same checks find glyphs that are not there.  A TrueType
# font's CIDToGIDMap (Droid Sans Fallback, fonts-droid-fallback) all 0
# draws the .notdef for every character; neighbours swapped draw the wrong
# glyphs.
gal --font-size large --font "Droid Sans Fallback" -o gzh-ttf.pdf gzh-a.md
qpdf --qdf --object-streams=disable gzh-ttf.pdf gzh-ttf.qdf 2>/dev/null
python3 glyphs.py break gzh-ttf.qdf gzh-zero.qdf zero
python3 glyphs.py break gzh-ttf.qdf gzh-swap.qdf swap
fix-qdf gzh-zero.qdf > gzh-zero.pdf 2>/dev/null
fix-qdf gzh-swap.qdf > gzh-swap.pdf 2>/dev/null
check_eq "glyphs control: a sound TrueType subset passes" "$(glyphs ink gzh-ttf.pdf 120)" ""
check_has "glyphs control: every code drawn as .notdef is found" \
  "$(glyphs ink gzh-zero.pdf 120)" "drawn alike"
check_has "glyphs control: glyphs drawn for the wrong codes are found" \
  "$(glyphs same gzh-ttf.pdf gzh-swap.pdf 120)" "drawn differently"

# ---- 3. a variable font: an instance at the weight asked for, or a message ----
conv "variable font" en-vf.pdf --font "$VF" en.md
check_doc "variable font" en-vf.pdf en.md
# "April" in bold (23 April to 30 April) and regular (15 April): Inter's wght
# 700 instance sets it 9% wider than 400.  Stroking the regular outlines
# (what galley does for a face without bold) keeps the width.
april=$(pdftotext -bbox en-vf.pdf - 2>/dev/null |
  sed -n 's/.*xMin="\([0-9.]*\)".*xMax="\([0-9.]*\)".*>April<.*/\1 \2/p' |
  awk '{ w[NR] = $2 - $1 } END { if (NR >= 3 && w[3] > 0) printf "%.3f", w[1] / w[3] }')
vf=${VF##*/}
if grep -qF "$vf" <<<"$ERR"; then
  pass "variable font: bold is an instance at wght 700, or a message names the file"
elif [ -n "$april" ] && awk -v r="$april" 'BEGIN { exit !(r > 1.04) }' &&
    [ "$(font_rows en-vf.pdf | grep -c '^[A-Z]*+Inter')" -ge 2 ]; then
  pass "variable font: bold is an instance at wght 700, or a message names the file"
else
  fail "variable font: bold is an instance at wght 700, or a message names the file" \
    "bold/regular width of April $april, fonts [$(font_rows en-vf.pdf | tr '\n' ' ')], messages [$ERR]"
fi

# ---- 4. damaged .otf files: a warning naming the file, the next font used ----
damaged() { # MODE: makes MODE.otf; checks galley (and the sanitizer build) with it
  local m=$1 g row
  python3 damage.py "$m" "$CANT" "$m.otf" || { fail "damaged ($m): made"; return; }
  for g in "$GALLEY" ${SAN:+"$SAN"}; do
    local n="damaged .otf ($m)"
    [ "$g" = "$SAN" ] && n="$n, sanitizer build"
    rm -f "bad-$m.pdf"
    RC=0
    timeout "$LIMIT" "$g" --font "$PWD/$m.otf, Noto Serif" -o "bad-$m.pdf" en.md 2>"bad-$m.err"
    RC=$?
    ERR=$(cat "bad-$m.err")
    check_rc "$n: exit 0, the PDF written with the next font" 0
    check_has "$n: a message names the file" "$ERR" "$m.otf"
    check_doc "$n" "bad-$m.pdf" en.md
    check_font "$n: Noto Serif took its place" "bad-$m.pdf" 'NotoSerif-Regular' "CID TrueType"
    row=$(font_rows "bad-$m.pdf" | grep Cantarell)
    [ -s "bad-$m.pdf" ] || row="no PDF"
    check_eq "$n: the damaged font is not embedded" "$row" ""
  done
}
damaged truncated
damaged cff-garbage
damaged charstrings
# a face index the collection does not have
gal --font "$CJK#9, Noto Serif" -o bad-index.pdf en.md
check_rc "face index past the collection's end: skipped, exit 0" 0
check_has "face index past the collection's end: a message names the file" "$ERR" "NotoSerifCJK-Regular.ttc"
check_font "face index past the collection's end: the next font used" bad-index.pdf 'NotoSerif-Regular' "CID TrueType"

# ---- 5. a font without the document's characters ----
conv "Cantarell for a Chinese text" zh-cant.pdf --font Cantarell zh.md
check_doc "Cantarell for a Chinese text" zh-cant.pdf zh.md
check_has "Cantarell for a Chinese text: a CJK face took the Han characters" \
  "$(font_rows zh-cant.pdf | grep -E 'CJK|Droid|Ming|Kai|Hei|WenQuanYi|LXGW' | head -1)" "|yes yes yes"

# ---- 6. --list-fonts: what each role resolves to (LOOSE: the format is
# not settled; these look only for the file's name and the format's word on
# the line that names the file, and at the coverage figures) ----
listing() { # ARGS...: galley --list-fonts ARGS; output in LIST
  rm -f zh.pdf
  timeout "$LIMIT" "$GALLEY" --list-fonts "$@" >list.out 2>list.err
  RC=$?
  LIST=$(cat list.out)
  ERR=$(cat list.err)
}
line_of() { grep -F -- "$1" <<<"$LIST" | head -1; } # FILE NAME
# The line naming FILE and the lines after it up to the next role's (the
# next line that does not start with a space): where its coverage is told.
block_of() { # FILE NAME
  awk -v f="$1" 'index($0, f) && !on { on = 1; print; next }
    on && /^[^ \t]/ { exit } on { print }' <<<"$LIST"
}
# "partial", "complete" or nothing, from the figures of a block: "N of M"
# or "N/M", "P%", "N not in these fonts" / "N missing", "all".
coverage() { # TEXT
  python3 - "$1" <<'EOF'
import re, sys
t = re.sub(r"\S*/\S*[A-Za-z]\S*", " ", sys.argv[1])  # file names
t = re.sub(r"U\+[0-9A-Fa-f]{4,6}( \S)?", " ", t)  # characters listed
part = full = False
for a, b in re.findall(r"(\d+)\s*(?:of|/)\s*(\d+)", t):
    part |= int(a) < int(b)
    full |= int(a) == int(b)
for p in re.findall(r"(\d+(?:\.\d+)?)\s*%", t):
    part |= float(p) < 100
    full |= float(p) == 100
for n in re.findall(r"(\d+)\s+(?:characters?\s+)?(?:not|missing|uncovered|lacking)", t):
    part |= int(n) > 0
    full |= int(n) == 0
full |= bool(re.search(r"\ball\b", t))
print("partial" if part else "complete" if full else "")
EOF
}
listing
check_rc "--list-fonts: exit 0" 0
check_has "--list-fonts: the body's Noto Serif file, TrueType" \
  "$(line_of NotoSerif-Regular.ttf)" "TrueType"
listing --font "Noto Serif CJK SC"
check_has "--list-fonts CJK: the collection, CFF (CID-keyed)" \
  "$(line_of NotoSerifCJK-Regular.ttc)" "CFF (CID-keyed)"
check "--list-fonts CJK: face index 2" grep -qE '(#|index:? *|face:? *)2\b' <<<"$(line_of NotoSerifCJK-Regular.ttc)"
listing --font Cantarell
l=$(line_of Cantarell-Regular.otf)
check_has "--list-fonts Cantarell: the .otf, CFF" "$l" "CFF"
check_lacks "--list-fonts Cantarell: not CID-keyed" "$l" "CID"
listing --font "$VF"
check_has "--list-fonts variable font: the file named" "$LIST" "$vf"
listing --font Cantarell zh.md
check_rc "--list-fonts with an input: exit 0" 0
check "--list-fonts with an input: no PDF written" test ! -e zh.pdf
check_eq "--list-fonts: Cantarell covers only part of a Chinese text" \
  "$(coverage "$(block_of Cantarell-Regular.otf)")" partial
listing --font "Noto Serif CJK SC" zh.md
check_eq "--list-fonts: Noto Serif CJK SC covers all of it" \
  "$(coverage "$(block_of NotoSerifCJK-Regular.ttc)")" complete

# ---- 7. size: a one-page Chinese notice in Noto Serif CJK SC ----
pages=$(pdfinfo zh-family.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
size=$(stat -c %s zh-family.pdf 2>/dev/null || echo 0)
echo "size: one-page Chinese notice in Noto Serif CJK SC: $size bytes" \
  "($(font_rows zh-family.pdf | cut -d'|' -f1 | tr '\n' ' '))"
check_eq "size: the notice is one page" "$pages" 1
# the whole face would be megabytes; 130 glyphs subset are tens of KB
if [ "$size" -gt 0 ] && [ "$size" -lt 150000 ]; then pass "size: under 150 KB ($size bytes)"
else fail "size: under 150 KB" "$size bytes"; fi

# ---- 8. byte-identical reruns, and a batch's second input as if alone ----
mkdir -p r1 r2 batch
for d in r1 r2; do
  SOURCE_DATE_EPOCH=0 "$GALLEY" -q --font "Noto Serif CJK SC" --outdir "$d" zh.md 2>/dev/null
done
check "reruns (SOURCE_DATE_EPOCH=0): byte-identical" cmp -s r1/zh.pdf r2/zh.pdf
SOURCE_DATE_EPOCH=0 "$GALLEY" -q -j 1 --font "Noto Serif CJK SC" --outdir batch zh2.md zh.md 2>/dev/null
check "batch: the second input byte-identical to a run of its own" cmp -s r1/zh.pdf batch/zh.pdf

finish "e2e-fonts"

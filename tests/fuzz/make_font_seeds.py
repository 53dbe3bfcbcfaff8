#!/usr/bin/python3
"""make_font_seeds.py OUTDIR - tiny fonts (each under 4 KB) for fuzz-font's
seed corpus, made with fontTools: TrueType with simple and composite glyphs
(short and long loca), a collection, cmap formats 4, 12 and a symbol cmap,
CFF outlines, and fonts missing what galley needs.  Run again to remake
tests/fuzz/seeds-font/ (the same bytes each time); needs fontTools (Debian:
python3-fonttools), which nothing else in galley does."""
import io
import sys

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import newTable
from fontTools.ttLib.tables import ttProgram
from fontTools.ttLib.tables._g_l_y_f import GlyphComponent
from fontTools.ttLib.ttCollection import TTCollection

OUT = sys.argv[1] if len(sys.argv) > 1 else "."


def box(pen, x0, y0, x1, y1):
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()


def shape(pen, name):
    if name == ".notdef":
        box(pen, 50, 0, 450, 700)
    elif name == "A":
        pen.moveTo((0, 0))
        pen.lineTo((250, 700))
        pen.lineTo((500, 0))
        pen.closePath()
    elif name == "B":
        box(pen, 60, 0, 440, 700)
        box(pen, 120, 60, 380, 320)
    elif name == "uni4E2D":
        box(pen, 100, 200, 900, 600)
        box(pen, 470, -100, 530, 800)
    elif name == "acute":
        box(pen, 200, 750, 300, 850)


def ttf(name, cmap, long_loca=False, composite=True, extra=(), upem=1000):
    glyphs = [".notdef", "space", "A", "B", "uni4E2D", "acute"]
    if composite:
        glyphs += ["Aacute", "Bx2"]
    glyphs += list(extra)
    fb = FontBuilder(upem, isTTF=True)
    fb.setupGlyphOrder(glyphs)
    fb.setupCharacterMap(cmap)
    outlines = {}
    for g in glyphs:
        pen = TTGlyphPen(None)
        shape(pen, g)
        outlines[g] = pen.glyph()
    fb.setupGlyf(outlines)
    glyf = fb.font["glyf"]
    if composite:
        a = glyf["Aacute"]
        a.numberOfContours = -1
        a.components = []
        for base, dx in (("A", 0), ("acute", 0)):
            c = GlyphComponent()
            c.glyphName, c.x, c.y, c.flags = base, dx, 0, 0x4
            a.components.append(c)
        a.program = ttProgram.Program()
        a.program.fromBytecode(b"\xb0\x01")  # instructions after the last
        b = glyf["Bx2"]
        b.numberOfContours = -1
        c = GlyphComponent()
        c.glyphName, c.x, c.y, c.flags = "B", 10, -10, 0x4
        c.transform = [[1.5, 0.5], [-0.25, 1.25]]  # a 2x2 matrix
        b.components = [c]
    prog = ttProgram.Program()
    prog.fromBytecode(b"\xb0\x05\x00")
    glyf["B"].program = prog  # a simple glyph with instructions
    metrics = {g: (600 if g != "uni4E2D" else 1000, 0) for g in glyphs}
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Seed", "styleName": "Regular",
                       "psName": "Seed-" + name})
    fb.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200,
                usWeightClass=400, sCapHeight=700)
    fb.setupPost()
    fb.font["head"].indexToLocFormat = 1 if long_loca else 0
    return fb.font


def save(font, name):
    font.recalcTimestamp = False  # the same bytes every time
    if "head" in font:
        font["head"].created = font["head"].modified = 0
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    assert len(data) <= 4096, (name, len(data))
    with open(f"{OUT}/{name}", "wb") as f:
        f.write(data)
    return data


def relocate_long(path):
    """Rewrites a font's loca in the long format (fontTools picks the short
    one whenever it fits), the table directory and checksums after it."""
    import struct
    data = open(path, "rb").read()
    n = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(n):
        tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = bytearray(data[off:off + ln])
    loca = tables[b"loca"]
    offs = [2 * struct.unpack(">H", loca[k:k + 2])[0] for k in range(0, len(loca), 2)]
    tables[b"loca"] = bytearray(b"".join(struct.pack(">I", o) for o in offs))
    head = tables[b"head"]
    head[50:52] = struct.pack(">h", 1)
    head[8:12] = b"\0\0\0\0"

    def checksum(b):
        b = bytes(b) + b"\0" * (-len(b) % 4)
        return sum(struct.unpack(">%dI" % (len(b) // 4), b)) & 0xFFFFFFFF

    tags = sorted(tables)
    out = bytearray(data[:12])
    at = 12 + 16 * len(tags)
    body = bytearray()
    for tag in tags:
        t = tables[tag]
        out += struct.pack(">4sIII", tag, checksum(t), at + len(body), len(t))
        body += t + b"\0" * (-len(t) % 4)
    out += body
    hat = out.find(b"head", 12)
    hoff = struct.unpack(">I", out[hat + 8:hat + 12])[0]
    adj = (0xB1B0AFBA - checksum(out)) & 0xFFFFFFFF
    out[hoff + 8:hoff + 12] = struct.pack(">I", adj)
    open(path, "wb").write(out)


BASIC = {0x20: "space", 0x41: "A", 0x42: "B", 0xC1: "Aacute", 0x4E2D: "uni4E2D",
         0xB4: "acute", 0x2014: "B"}

save(ttf("tiny", BASIC), "tiny.ttf")
save(ttf("long", BASIC), "long-loca.ttf")
relocate_long(f"{OUT}/long-loca.ttf")
f = ttf("upem2048", BASIC, upem=2048)
save(f, "upem-2048.ttf")

# a slant of -32768 degrees (libharu refused the PDF once, and leaked)
f = ttf("slant", BASIC)
f["post"].italicAngle = -32768.0
save(f, "italic-angle.ttf")

# cmap format 12: characters past the Basic Multilingual Plane
f = ttf("wide", {**BASIC, 0x1F600: "B", 0x10FFFD: "A", 0xFFFD: "B"})
save(f, "cmap12.ttf")

# a symbol font: a (3,0) cmap at U+F0xx
f = ttf("symbol", {0xF041: "A", 0xF042: "B", 0xF020: "space"})
for t in f["cmap"].tables:
    t.platformID, t.platEncID = 3, 0
save(f, "symbol-cmap.ttf")

# no cmap at all, and a cmap that maps nothing
f = ttf("nocmap", BASIC)
del f["cmap"]
save(f, "no-cmap.ttf")
f = ttf("emptycmap", {})
save(f, "empty-cmap.ttf")

# only .notdef
f = ttf("notdef", {}, composite=False)
glyf = f["glyf"]
f.setGlyphOrder([".notdef"])
glyf.glyphOrder = [".notdef"]
glyf.glyphs = {".notdef": glyf[".notdef"]}
f["hmtx"].metrics = {".notdef": (500, 0)}
f["maxp"].numGlyphs = 1
save(f, "notdef-only.ttf")

# glyphs without outlines: every glyph empty
f = ttf("blank", BASIC)
for g in f.getGlyphOrder():
    pen = TTGlyphPen(None)
    f["glyf"][g] = pen.glyph()
save(f, "blank-glyphs.ttf")

# a collection of two faces
fonts = [ttf("ttc0", BASIC), ttf("ttc1", {0x41: "A", 0x20: "space"})]
coll = TTCollection()
coll.fonts = fonts
for f in fonts:
    f.recalcTimestamp = False
    f["head"].created = f["head"].modified = 0
buf = io.BytesIO()
coll.save(buf)
data = buf.getvalue()
assert len(data) <= 4096
open(f"{OUT}/two-faces.ttc", "wb").write(data)

# CFF outlines (an .otf)
fb = FontBuilder(1000, isTTF=False)
order = [".notdef", "space", "A"]
fb.setupGlyphOrder(order)
fb.setupCharacterMap({0x20: "space", 0x41: "A"})
cs = {}
for g in order:
    pen = T2CharStringPen(600, None)
    shape(pen, g)
    cs[g] = pen.getCharString()
fb.setupCFF("SeedCFF", {"FullName": "Seed CFF"}, cs, {})
fb.setupHorizontalMetrics({g: (600, 0) for g in order})
fb.setupHorizontalHeader(ascent=800, descent=-200)
fb.setupNameTable({"familyName": "SeedCFF", "styleName": "Regular"})
fb.setupOS2()
fb.setupPost()
save(fb.font, "cff.otf")

# truncated: the table directory points past the end of the file
data = open(f"{OUT}/tiny.ttf", "rb").read()
open(f"{OUT}/truncated.ttf", "wb").write(data[: len(data) // 2])
# not a font at all
open(f"{OUT}/not-a-font.ttf", "wb").write(b"<html><body>404</body></html>\n")

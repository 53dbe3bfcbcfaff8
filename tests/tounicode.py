#!/usr/bin/python3
"""tounicode.py PDF - every code of every font in a PDF and the text its
ToUnicode CMap gives it, one per line: "FONT CODE HEX", HEX the UTF-16BE
text (several characters for a ligature).  With pikepdf (Debian
python3-pikepdf)."""
import re
import sys

import pikepdf


def entries(cmap):
    text = cmap.decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            yield int(code, 16), dst.upper()
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            lo, hi, first = int(lo, 16), int(hi, 16), int(dst, 16)
            for k in range(hi - lo + 1):
                yield lo + k, "%04X" % (first + k)


def main():
    pdf = pikepdf.open(sys.argv[1])
    seen = set()
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for key in fonts.keys():
            font = fonts[key]
            name = str(font.get("/BaseFont", key))
            if name in seen or "/ToUnicode" not in font:
                continue
            seen.add(name)
            for code, dst in entries(font.ToUnicode.read_bytes()):
                print(name, "%04X" % code, dst)


main()

#!/usr/bin/python3
"""cjk_ink.py PNG DPI X0 TOP BOTTOM EM - reads a line "中——中……中" set
from X0 (points; TOP and BOTTOM its word box, EM the type size) off a page
rendered at DPI, and prints two figures: the widest gap in the dash (ems:
0 for one unbroken line) and how far the dots' middle stands from the
ideographs' (ems, plus above).  With PIL (Debian python3-pil)."""
import sys

from PIL import Image

png, dpi, x0, top, bottom, em = sys.argv[1], *map(float, sys.argv[2:])
img = Image.open(png).convert("L")
px = img.load()
s = dpi / 72.0


def dark_rows(a, b):  # the rows with ink between x a and b (points)
    rows = []
    for y in range(int(top * s), int(bottom * s) + 1):
        if any(px[x, y] < 128 for x in range(int(a * s), int(b * s))):
            rows.append(y)
    return rows


def centre(a, b):
    rows = dark_rows(a, b)
    return (rows[0] + rows[-1]) / 2 / s if rows else None


# cells: 中 [0,1) — [1,3) 中 [3,4) … [4,6) 中 [6,7)
han = centre(x0 + 0.1 * em, x0 + 0.9 * em)
dash_rows = dark_rows(x0 + 1.3 * em, x0 + 2.7 * em)
gap = 0.0
if dash_rows:
    mid = (dash_rows[0] + dash_rows[-1]) // 2
    run = 0
    for x in range(int((x0 + 1.1 * em) * s), int((x0 + 2.9 * em) * s)):
        ink = any(px[x, y] < 160 for y in range(dash_rows[0], dash_rows[-1] + 1))
        run = 0 if ink else run + 1
        gap = max(gap, run / s / em)
else:
    gap = 2.0
dots = centre(x0 + 4.05 * em, x0 + 5.95 * em)
lift = (han - dots) / em if han is not None and dots is not None else 9
print("%.3f %.3f" % (gap, lift))

#!/usr/bin/env bash
# e2e_epubfonts.sh GALLEY - fonts in the EPUB (--epub-embed-fonts): which
# books carry them, that each is a subset holding exactly the characters
# drawn with it, listed in the package with its media type and named by
# the stylesheet, that a reading system with no fonts of its own draws
# every character from them, EPUBCheck, and reruns byte for byte.  Font
# files are read with fc-query.  Prints "e2e-epubfonts: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# What a reading system without fonts of its own draws with the EPUB's
# fonts: each element's font-family, font-weight and font-style from the
# stylesheet (the most specific rule, else inherited; strong bolder, em
# italic), then per character the first embedded family of the list whose
# face for that weight and style (CSS font matching) has it; white space
# between blocks is not drawn.  Prints each character no embedded face
# draws, and each font's characters that none of its text is drawn with.
cat >reader.py <<'EOF'
import os, re, subprocess, sys, zipfile
import xml.etree.ElementTree as ET
XH = '{http://www.w3.org/1999/xhtml}'
z = zipfile.ZipFile(sys.argv[1])
css = re.sub(r'/\*.*?\*/', '', z.read('OEBPS/style.css').decode(), flags=re.S)
charsets = {}
def charset(href):
    if href not in charsets:
        p = 'font-' + os.path.basename(href)
        open(p, 'wb').write(z.read('OEBPS/' + href))
        out = subprocess.run(['fc-query', '--format', '%{charset}', p],
                             capture_output=True, text=True).stdout.split()
        s = set()
        for r in out:
            a, _, b = r.partition('-')
            s.update(range(int(a, 16), int(b or a, 16) + 1))
        charsets[href] = s
    return charsets[href]
def decls(text):
    return dict((k.strip(), v.strip()) for k, v in
                (x.split(':', 1) for x in text.split(';') if ':' in x))
faces = {}
for m in re.finditer(r'@font-face\s*\{([^}]*)\}', css):
    d = decls(m.group(1))
    href = re.search(r'url\("([^"]+)"\)', d['src']).group(1)
    faces.setdefault(d['font-family'].strip('"'), []).append(
        (int(d['font-weight']), d['font-style'], href))
css = re.sub(r'@(font-face|page)\s*\{[^}]*\}', '', css)
rules = []
for order, m in enumerate(re.finditer(r'([^{}]+)\{([^}]*)\}', css)):
    for sel in m.group(1).split(','):
        parts = sel.split()
        classes = sum(p.count('.') + p.count(':') for p in parts)
        rules.append((classes * 100 + len(parts), order, parts, decls(m.group(2))))
rules.sort(key=lambda r: (r[0], r[1]))
def simple(el, lang, part):
    m = re.match(r'^([a-z0-9]*)((?:\.[\w-]+)*)(?::lang\((\w+)\))?$', part)
    if m.group(1) and el.tag != XH + m.group(1):
        return False
    have = (el.get('class') or '').split()
    if any(c not in have for c in m.group(2).split('.')[1:]):
        return False
    return not m.group(3) or (lang or '').split('-')[0] == m.group(3)
def matches(chain, parts):
    if not simple(*chain[-1], parts[-1]):
        return False
    i = len(chain) - 2
    for part in reversed(parts[:-1]):
        while i >= 0 and not simple(*chain[i], part):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True
def pick(family, weight, style):  # CSS font matching, weights 400 and 700
    fs = faces[family]
    same = [f for f in fs if f[1] == style] or fs
    return sorted(same, key=lambda f: (abs(f[0] - weight), f[0] < weight))[0]
missing, drawn = {}, set()
BLOCKS = {'body', 'section', 'header', 'div', 'nav', 'ol', 'ul', 'table',
          'thead', 'tbody', 'tr', 'blockquote', 'aside', 'figure'}
def walk(el, chain, families, weight, style):
    lang = el.get('{http://www.w3.org/XML/1998/namespace}lang') or chain[-1][1]
    chain = chain + [(el, lang)]
    tag = el.tag[len(XH):]
    if tag in ('strong', 'b'):
        weight = 700 if weight < 600 else 900
    if tag in ('em', 'i'):
        style = 'italic'
    best = {}
    for _, _, parts, d in rules:
        if matches(chain, parts):
            best.update(d)
    if 'font-family' in best:
        families = [f.strip().strip('"') for f in best['font-family'].split(',')]
    if 'font-weight' in best:
        weight = 700 if best['font-weight'] == 'bold' else 400
    if 'font-style' in best:
        style = best['font-style']
    for text in [el.text] + [c.tail for c in el]:
        if tag in BLOCKS and not (text or '').strip():
            continue
        for ch in text or '':
            cp = 32 if ch in '\n\t\r' else ord(ch)
            for f in families:
                if f in faces:
                    href = pick(f, min(weight, 700), style)[2]
                    if cp in charset(href):
                        drawn.add((href, cp))
                        break
            else:
                missing.setdefault(cp, tag)
    for c in el:
        walk(c, chain, families, weight, style)
for n in sorted(z.namelist()):
    if n.startswith('OEBPS/text/'):
        root = ET.fromstring(z.read(n))
        walk(root.find(XH + 'body'), [(root, root.get('lang'))], [], 400, 'normal')
for cp, tag in sorted(missing.items()):
    print('U+%04X in <%s> is drawn with no font of the book' % (cp, tag))
for href in sorted(set(h for fs in faces.values() for _, _, h in fs)):
    idle = ''.join(chr(c) for c in sorted(charset(href)) if (href, c) not in drawn)
    if idle:
        print('%s holds %s, drawn with no face of it' % (href, idle[:40]))
EOF

fonts_in() { unzip -Z1 "$1" 2>/dev/null | grep '^OEBPS/fonts/'; } # EPUB
# The characters of a font file, as fc-query lists its charset.
font_chars() { # EPUB ENTRY
  unzip -p "$1" "$2" >font.bin
  fc-query --format '%{charset}' font.bin | python3 -c '
import sys
for r in sys.stdin.read().split():
    a, _, b = r.partition("-")
    for c in range(int(a, 16), int(b or a, 16) + 1): sys.stdout.write(chr(c))'
}
# The characters of the book's text: every chapter's body, each white
# space shown as a space.
text_chars() { # EPUB
  python3 - "$1" <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
s = set()
for n in z.namelist():
    if n.startswith('OEBPS/text/'):
        body = ET.fromstring(z.read(n)).find('{http://www.w3.org/1999/xhtml}body')
        for t in body.itertext():
            s.update(' ' if c in '\n\t\r' else c for c in t)
print(''.join(sorted(s)))
EOF
}
sorted_chars() { python3 -c 'import sys; print("".join(sorted(set(sys.stdin.read()) - {"\n"} | set(sys.argv[1:]))))' "$@"; }

# Every font of EPUB in the manifest with the media type its outlines call
# for (font/otf for CFF, font/ttf for TrueType), its bytes of that kind,
# and named by an @font-face rule; prints what is wrong.
package_problems() { # EPUB
  local f name magic o css
  o=$(opf "$1")
  css=$(unzip -p "$1" OEBPS/style.css)
  for f in $(fonts_in "$1"); do
    name=${f#OEBPS/}
    magic=$(unzip -p "$1" "$f" | head -c 4 | od -An -tx1 | tr -d ' \n')
    case $name in
      *.otf) [ "$magic" = 4f54544f ] || echo "$name is not CFF OpenType ($magic)"
             grep -qF "href=\"$name\" media-type=\"font/otf\"" <<<"$o" ||
               echo "$name not in the manifest as font/otf" ;;
      *.ttf) [ "$magic" = 00010000 ] || echo "$name is not TrueType ($magic)"
             grep -qF "href=\"$name\" media-type=\"font/ttf\"" <<<"$o" ||
               echo "$name not in the manifest as font/ttf" ;;
      *) echo "$name: neither .otf nor .ttf" ;;
    esac
    grep -qF "src: url(\"$name\")" <<<"$css" || echo "$name named by no @font-face"
  done
  local n_items n_files
  n_items=$(grep -c 'media-type="font/' <<<"$o")
  n_files=$(fonts_in "$1" | wc -l)
  [ "$n_items" = "$n_files" ] || echo "$n_items font items, $n_files font files"
}
check_package() { # NAME EPUB
  local p; p=$(package_problems "$2")
  if [ -z "$p" ]; then pass "$1"; else fail "$1" "$(head -3 <<<"$p")"; fi
}
# The fonts together hold the characters of the text, no more, no fewer.
check_union() { # NAME EPUB
  local f all=
  for f in $(fonts_in "$2"); do all+=$(font_chars "$2" "$f"); done
  check_eq "$1" "$(sorted_chars <<<"$all")" "$(text_chars "$2")"
}
check_reader() { # NAME EPUB
  local p; p=$(python3 reader.py "$2" 2>&1)
  if [ -z "$p" ]; then pass "$1"; else fail "$1" "$(head -3 <<<"$p")"; fi
}

# ---- a Chinese document: fonts by default ----
test_chinese() {
  gal -o zh.epub "$ROOT/samples/circular.md"
  check_rc "Chinese sample converts" 0
  local fonts; fonts=$(fonts_in zh.epub)
  check "a Chinese document carries fonts by default" test -n "$fonts"
  check_package "Chinese: each font listed with its media type, named by @font-face" zh.epub
  check_union "Chinese: the fonts hold exactly the characters of the text" zh.epub
  check_reader "Chinese: a reader without fonts draws every character from the book's, each font only what it draws" zh.epub
  check_epub_bg "Chinese with fonts passes epubcheck" zh.epub
  local css; css=$(unzip -p zh.epub OEBPS/style.css)
  check_has "the body's font list starts with a font of the book" "$css" \
    $'p {\n  font-family: "galley '
  check_has "headings' font lists start with a font of the book" "$css" \
    $'h2 {\n  font-family: "galley '
  check_has "the style's own families follow" "$css" '"Noto Serif CJK SC", '
  local bold; bold=$(grep '@font-face' <<<"$css" | grep 'Bold\.')
  check "bold faces are declared" test -n "$bold"
  check_lacks "bold faces are declared as 700" "$bold" "font-weight: 400"
  check_has "CFF faces go in as .otf (Noto Serif CJK)" "$fonts" "CJKsc-Regular.otf"
  check_has "TrueType faces go in as .ttf (Noto Serif)" "$fonts" "NotoSerif-Regular.ttf"
  gal -o zh2.epub "$ROOT/samples/circular.md"
  check "Chinese with fonts: byte-identical rerun" cmp zh.epub zh2.epub
  gal --no-epub-embed-fonts -o zh-off.epub "$ROOT/samples/circular.md"
  check_rc "--no-epub-embed-fonts converts" 0
  check_eq "--no-epub-embed-fonts: no fonts for Chinese" "$(fonts_in zh-off.epub)" ""
  check_lacks "--no-epub-embed-fonts: no @font-face" \
    "$(unzip -p zh-off.epub OEBPS/style.css)" "@font-face"
  check_lacks "--no-epub-embed-fonts: no fonts in the manifest" \
    "$(opf zh-off.epub)" "font/"
  check "fonts make the Chinese EPUB larger" \
    test "$(stat -c %s zh.epub)" -gt "$(stat -c %s zh-off.epub)"
  gal --no-epub-embed-fonts --epub-embed-fonts -o last.epub "$ROOT/samples/circular.md"
  check "the last of the two options wins (on)" test -n "$(fonts_in last.epub)"
  gal --epub-embed-fonts --no-epub-embed-fonts -o last.epub "$ROOT/samples/circular.md"
  check_eq "the last of the two options wins (off)" "$(fonts_in last.epub)" ""
}

# ---- an English document: none by default, all when asked ----
test_english() {
  gal -o en.epub "$ROOT/samples/news-report.md"
  check_rc "English sample converts" 0
  check_eq "an English document carries no fonts by default" "$(fonts_in en.epub)" ""
  check_lacks "English: no @font-face" "$(unzip -p en.epub OEBPS/style.css)" "@font-face"
  gal --no-epub-embed-fonts -o en-off.epub "$ROOT/samples/news-report.md"
  check "English by default is English with --no-epub-embed-fonts" cmp en.epub en-off.epub
  gal --epub-embed-fonts -o en-on.epub "$ROOT/samples/news-report.md"
  check_rc "--epub-embed-fonts converts English" 0
  check "--epub-embed-fonts: English carries fonts" test -n "$(fonts_in en-on.epub)"
  check_package "English with fonts: each listed and named" en-on.epub
  check_union "English with fonts: exactly the characters of the text" en-on.epub
  check_reader "English with fonts: every character from the book's fonts" en-on.epub
  check_lacks "English with fonts: no CJK font carried" "$(fonts_in en-on.epub)" "CJK"
  check_epub_bg "English with fonts passes epubcheck" en-on.epub
  gal --epub-embed-fonts -o en-on2.epub "$ROOT/samples/news-report.md"
  check "English with fonts: byte-identical rerun" cmp en-on.epub en-on2.epub
}

# ---- each face holds exactly what is drawn with it ----
# A style naming one TrueType and one CFF family for the body, a TrueType
# CJK face for h2 and a face for Latin in CJK text: each character's face
# is known, so each subset is checked character for character.
test_exact() {
  cat >exact.yaml <<'EOF'
extends: article
cjk-latin-font: [DejaVu Sans]
roles:
  body:
    font: [DejaVu Sans, Noto Serif CJK SC]
  h2:
    font: [DejaVu Sans Mono, AR PL UMing]
EOF
  cat >exact.md <<'EOF'
---
title: 甲乙 T
lang: zh-CN
---

丙丁 AB “引”

## 戊己 CD
EOF
  gal --style exact.yaml -o exact.epub exact.md
  check_rc "the exact case converts" 0
  local f want got bad=
  for f in $(fonts_in exact.epub); do
    case $f in
      */DejaVuSans.ttf) want=" ABCDT" ;;        # Latin, bold stroked
      */NotoSerifCJKsc-Regular.otf) want="“”丁丙引" ;; # body; quotes CJK
      */NotoSerifCJKsc-Bold.otf) want="乙甲" ;;   # the bold title
      */*.ttf) want="己戊" ;;                     # h2: AR PL UMing
      *) want="?" ;;
    esac
    got=$(font_chars exact.epub "$f" | sorted_chars)
    [ "$got" = "$(sorted_chars <<<"$want")" ] || bad+="$f: [$got], want [$want]; "
  done
  check_eq "exact: four fonts" "$(fonts_in exact.epub | wc -l)" 4
  check_eq "exact: each font holds exactly its characters" "$bad" ""
  check_reader "exact: every character from the book's fonts" exact.epub
  local css; css=$(unzip -p exact.epub OEBPS/style.css)
  check_has "exact: a bold CFF face is 700" "$css" \
    'font-weight: 700; font-style: normal; src: url("fonts/NotoSerifCJKsc-Bold.otf") format("opentype")'
  check_lacks "exact: a face stroked bold is not declared bold" "$css" \
    'font-weight: 700; font-style: normal; src: url("fonts/DejaVuSans.ttf")'
  check_has "exact: TrueType declared as truetype" "$css" \
    'src: url("fonts/DejaVuSans.ttf") format("truetype")'
  check_has "exact: h2 names the CJK face, then the face for Latin" "$css" \
    $'h2 {\n  font-family: "galley AR PL UMing CN", "galley DejaVu Sans", "DejaVu Sans Mono"'
  check_epub_bg "exact case passes epubcheck" exact.epub
  printf -- '---\ntitle: 无空格\nlang: zh-CN\n---\n\n第一段。\n\n第二段。\n' >nospace.md
  gal -o nospace.epub nospace.md
  check_rc "a text without spaces converts" 0
  local all=
  for f in $(fonts_in nospace.epub); do all+=$(font_chars nospace.epub "$f"); done
  check_eq "a text without spaces: its fonts hold its characters, no space" \
    "$(sorted_chars <<<"$all")" "$(sorted_chars <<<"无空格第一段。第二段")"
  check_reader "a text without spaces: every character from the book's fonts" nospace.epub
}

# ---- books, batches, the command line ----
test_books() {
  gal --book -o book.epub "$ROOT/samples/news-report.md" "$ROOT/samples/circular.md"
  check_rc "a book of English and Chinese converts" 0
  check "a book with a Chinese chapter carries fonts" test -n "$(fonts_in book.epub)"
  check_package "book: each font listed and named" book.epub
  check_union "book: exactly the characters of the text" book.epub
  check_reader "book: each font holds only what a reader draws with it" book.epub
  check_epub_bg "book with fonts passes epubcheck" book.epub
  gal --book -o book2.epub "$ROOT/samples/news-report.md" "$ROOT/samples/circular.md"
  check "book with fonts: byte-identical rerun" cmp book.epub book2.epub
  mkdir -p in out
  cp "$ROOT/samples/circular.md" "$ROOT/samples/news-report.md" in/
  gal -j 2 -t epub --outdir out in/circular.md in/news-report.md
  check_rc "a batch converts" 0
  check "batch: a worker's Chinese EPUB is the single run's" cmp out/in/circular.epub zh.epub
  check "batch: a worker's English EPUB is the single run's" cmp out/in/news-report.epub en.epub
  gal -o zh.pdf --epub-embed-fonts "$ROOT/samples/circular.md"
  check_rc "the option leaves a PDF alone" 0
  local help; help=$("$GALLEY" --help)
  check_has "--help names --epub-embed-fonts" "$help" "--epub-embed-fonts"
  check_has "--help names --no-epub-embed-fonts" "$help" "--no-epub-embed-fonts"
}

test_chinese
test_english
test_exact
test_books
collect
finish e2e-epubfonts

#!/usr/bin/env bash
# e2e_epub_a11y.sh GALLEY - what e-book readers and their users need from the
# EPUB: a cover page, ARIA roles, true hazards, colours left to the reader,
# CJK rules and families, languages of parts; EPUBCheck on each book, and
# DAISY Ace on the samples when it is installed (a visible "skipped" line
# when it is not).  Prints "e2e-epub-a11y: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"
S=$ROOT/samples
cp -r "$S/images" images

# Two GIFs of one 1x1 frame each: one with a second frame, one without.
python3 - <<'EOF'
head = b'GIF89a' + bytes([1, 0, 1, 0, 0x80, 0, 0]) + bytes([0, 0, 0, 255, 0, 0])
frame = (bytes([0x21, 0xF9, 4, 0, 10, 0, 0, 0]) +
         bytes([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]) + bytes([2, 2, 0x44, 1, 0]))
loop = bytes([0x21, 0xFF, 11]) + b'NETSCAPE2.0' + bytes([3, 1, 0, 0, 0])
open('moving.gif', 'wb').write(head + loop + frame + frame + b'\x3b')
open('still.gif', 'wb').write(head + frame + b'\x3b')
EOF

entry() { unzip -p "$1" "$2" 2>/dev/null; } # EPUB ENTRY

# ---- the cover page ----
printf -- '---\ntitle: Covered & Co\nlang: en\ncover: images/photo.jpg\n---\n\n# One\n\nText.\n' >cover.md
"$GALLEY" -q -o cover.epub cover.md
check_epub_bg "cover: EPUBCheck" cover.epub
o=$(opf cover.epub)
check "cover: cover.xhtml in the archive" bash -c "unzip -l cover.epub | grep -q ' OEBPS/cover.xhtml$'"
check_eq "cover: first in the spine" \
  "$(grep -o '<itemref idref="[^"]*"' <<<"$o" | head -1)" '<itemref idref="cover"'
check_has "cover: in the manifest" "$o" \
  '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>'
img_id=$(grep -o '<item id="[^"]*" href="[^"]*" media-type="image/jpeg" properties="cover-image"' <<<"$o" |
  sed 's/<item id="\([^"]*\)".*/\1/')
img_href=$(grep -o '<item id="[^"]*" href="[^"]*" media-type="image/jpeg" properties="cover-image"' <<<"$o" |
  sed 's/.* href="\([^"]*\)".*/\1/')
check "cover: the image has the cover-image property" test -n "$img_id"
check_has "cover: meta name=cover names that item" "$o" "<meta name=\"cover\" content=\"$img_id\"/>"
c=$(entry cover.epub OEBPS/cover.xhtml)
check_has "cover page shows the cover image" "$c" "src=\"$img_href\""
check_eq "cover page: the image's alt text" \
  "$(epub_xpath cover.epub OEBPS/cover.xhtml 'string(//*[local-name()="img"]/@alt)')" "Cover: Covered & Co"
check_has "cover page: epub:type cover" "$c" 'epub:type="cover"'
check_has "cover page: role doc-cover" "$c" 'role="doc-cover"'
n=$(entry cover.epub OEBPS/nav.xhtml)
check_eq "cover: landmark" \
  "$(epub_xpath cover.epub OEBPS/nav.xhtml 'string(//*[local-name()="nav"][2]//*[local-name()="a"][1]/@href)')" cover.xhtml
check_has "cover: the landmark's type" "$n" '<a epub:type="cover" href="cover.xhtml">Cover</a>'
printf -- '---\ntitle: 封面测试\nlang: zh-CN\ncover: images/photo.jpg\n---\n\n正文。\n' >cover-zh.md
"$GALLEY" -q -o cover-zh.epub cover-zh.md
check_eq "cover page: Chinese alt text" \
  "$(epub_xpath cover-zh.epub OEBPS/cover.xhtml 'string(//*[local-name()="img"]/@alt)')" "封面：封面测试"
check_epub_bg "cover (Chinese): EPUBCheck" cover-zh.epub
printf -- '---\ntitle: Bare\n---\n\nText.\n' >bare.md
"$GALLEY" -q -o bare.epub bare.md
check "no cover: no cover page" bash -c "! unzip -l bare.epub | grep -q cover.xhtml"
check_lacks "no cover: no meta cover" "$(opf bare.epub)" 'name="cover"'
check_lacks "no cover: no cover landmark" "$(entry bare.epub OEBPS/nav.xhtml)" 'epub:type="cover"'

# ---- roles, samples and book ----
for f in news-report circular mixed-guide work-plan; do
  "$GALLEY" -q -o "$f.epub" "$S/$f.md" 2>/dev/null
  check_epub_bg "$f: EPUBCheck" "$f.epub"
done
"$GALLEY" -q --book -o book.epub "$S"/news-report.md "$S"/circular.md "$S"/mixed-guide.md 2>/dev/null
check_epub_bg "book: EPUBCheck" book.epub
sections=$(entry mixed-guide.epub 'OEBPS/text/*.xhtml' | grep -c '<section class="chapter"')
roles=$(entry mixed-guide.epub 'OEBPS/text/*.xhtml' | grep -c '<section class="chapter" epub:type="chapter" role="doc-chapter">')
check "mixed-guide: more than one chapter" test "$sections" -gt 1
check_eq "every chapter has role doc-chapter" "$roles" "$sections"
check_has "the contents nav has role doc-toc" "$(entry mixed-guide.epub OEBPS/nav.xhtml)" \
  '<nav epub:type="toc" role="doc-toc" id="toc">'
check_eq "every image has an alt attribute" \
  "$(entry mixed-guide.epub 'OEBPS/text/*.xhtml' | grep -o '<img [^>]*>' | grep -vc ' alt="[^"]')" 0

# ---- hazards ----
hazards() { opf "$1" | grep -o 'accessibilityHazard">[^<]*' | sed 's/.*">//' | tr '\n' ' '; }
printf -- '---\ntitle: Moving\n---\n\nA ![spinner](moving.gif) turns.\n' >moving.md
printf -- '---\ntitle: Still\n---\n\nA ![dot](still.gif) stays.\n' >still.md
"$GALLEY" -q -o moving.epub moving.md
"$GALLEY" -q -o still.epub still.md
check_eq "still GIF: no hazard" "$(hazards still.epub)" "none "
check_eq "animated GIF: flashing unknown, no sound" "$(hazards moving.epub)" \
  "unknownFlashingHazard noSoundHazard "
check_has "animated GIF: the summary says so" "$(opf moving.epub)" \
  "1 image moves, and whether it flashes is not known"
check_epub_bg "animated GIF: EPUBCheck" moving.epub
cat >spin.svg <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"><animate attributeName="x" from="0" to="5" dur="1s" repeatCount="indefinite"/></rect></svg>
EOF
printf -- '---\ntitle: Spin\n---\n\n![spinning square](spin.svg)\n' >spin.md
"$GALLEY" -q -o spin.epub spin.md
check_eq "animated SVG: flashing unknown" "$(hazards spin.epub)" "unknownFlashingHazard noSoundHazard "
check_eq "mixed-guide (a still GIF, an SVG): no hazard" "$(hazards mixed-guide.epub)" "none "

# ---- colours: only those the style means ----
# Every colour the stylesheet sets has a hue (no grey or black text, which
# would fight a reading system's night mode), and nothing sets a background.
hued() { # CSS: prints each colour value without a hue
  grep -o '#[0-9A-Fa-f]\{6\}' | sort -u | while read -r h; do
    r=$((16#${h:1:2})) g=$((16#${h:3:2})) b=$((16#${h:5:2}))
    hi=$r lo=$r
    for v in $g $b; do [ $v -gt $hi ] && hi=$v; [ $v -lt $lo ] && lo=$v; done
    [ $((hi - lo)) -ge 48 ] || echo "$h"
  done
}
for st in article book circular; do
  "$GALLEY" -q --style $st -o "style-$st.epub" "$S/news-report.md" 2>/dev/null
  css=$(entry "style-$st.epub" OEBPS/style.css)
  check_eq "$st CSS: no colour without a hue" "$(hued <<<"$css" | tr '\n' ' ')" ""
  check_lacks "$st CSS: no background" "$css" "background"
  check_lacks "$st CSS: no body colour" "$(grep '^body ' <<<"$css")" "color"
  check_eq "$st CSS: no rgb() colours" "$(grep -c 'rgb' <<<"$css")" 0
done
css=$(entry style-circular.epub OEBPS/style.css)
check_has "circular CSS: the red mark" \
  "$(sed -n '/^header.title-block p.authority {/,/^}/p' <<<"$css")" "color: #E60012;"
check_has "circular CSS: the red rule" "$css" "hr.masthead { border: none; border-top: 2px solid #E60012;"
check_has "circular CSS: its black text is not set" \
  "$(sed -n '/^p {/,/^}/p' <<<"$css")" "font-style: normal;
}"
check_lacks "circular CSS: no black" "$css" "#000000"

# ---- CJK rules and families ----
"$GALLEY" -q --style circular -o circ.epub "$S/circular.md"
css=$(entry circ.epub OEBPS/style.css)
check_has "CJK: line-break strict" "$css" ":lang(zh), :lang(ja) { line-break: strict;"
check_has "CJK: text-spacing-trim" "$css" "text-spacing-trim: trim-start;"
check_has "CJK: text-spacing (earlier name)" "$css" "text-spacing: trim-start;"
check_has "CJK: body Song families after the style's, then serif" \
  "$(grep '^body ' <<<"$css")" '"AR PL UMing", "Source Han Serif SC", "Songti SC", "SimSun", serif; }'
check_has "CJK: Hei families after a sans list" "$css" \
  '"Droid Sans Fallback", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;'
check_has "CJK: Kai families after a Kai list (circular h3)" \
  "$(sed -n '/^h3 {/,/^}/p' <<<"$css")" '"AR PL UKai", "Noto Serif", "Kaiti SC", "STKaiti", serif;'
check_lacks "CSS: a face (Family:bold) named as its family" "$css" ':bold"'
check_eq "CSS: no family named twice in a list" \
  "$(grep -o 'font-family: [^;]*' <<<"$css" | while read -r l; do
       grep -o '"[^"]*"' <<<"$l" | sort | uniq -d; done | head -3)" ""

# ---- language of parts ----
x=$(entry mixed-guide.epub 'OEBPS/text/*.xhtml')
check_has "English guide: a Chinese sentence marked zh" "$x" \
  '<span lang="zh" xml:lang="zh">网页内容随时可能被修改或删除，因此及时归档非常重要。</span>'
check_has "English guide: the title's Chinese part marked" "$x" \
  'Archiving a Web Article / <span lang="zh" xml:lang="zh">网页文章归档指南</span></h1>'
check_lacks "English text not marked" "$x" '<span lang="zh" xml:lang="zh"> '
printf -- '---\ntitle: Mixed\nlang: en\n---\n\nThe word ひらがな and 漢字かな, 한국어, and “quotes”.\n' >scripts.md
"$GALLEY" -q --no-epub-embed-fonts -o scripts.epub scripts.md
x=$(entry scripts.epub OEBPS/text/ch0001.xhtml)
check_has "kana: ja" "$x" '<span lang="ja" xml:lang="ja">ひらがな</span>'
check_has "kanji with kana: ja" "$x" '<span lang="ja" xml:lang="ja">漢字かな</span>'
check_has "hangul: ko" "$x" '<span lang="ko" xml:lang="ko">한국어</span>'
check_lacks "ambiguous quotes stay unmarked" "$x" '<span lang="zh" xml:lang="zh">“'
check_epub_bg "marked scripts: EPUBCheck" scripts.epub
check_lacks "Chinese document: no spans" "$(entry circular.epub 'OEBPS/text/*.xhtml')" '<span lang='
check_has "book contents: an entry in another language carries it" "$(entry book.epub OEBPS/nav.xhtml)" \
  'lang="zh-CN" xml:lang="zh-CN">关于做好2026年度档案数字化工作的通知</a>'

# ---- DAISY Ace, when installed (npm @daisy/ace, with Debian's chromium) ----
ace_bin=${ACE_PUPPETEER-$(command -v ace-puppeteer || true)} # ACE_PUPPETEER= skips it
chromium=${PUPPETEER_EXECUTABLE_PATH:-$(command -v chromium || true)}
if [ -n "$ace_bin" ] && [ -n "$chromium" ]; then
  ace_verdict() { # EPUB: nothing when Ace reports no violation
    rm -rf "ace-$1"
    PUPPETEER_EXECUTABLE_PATH=$chromium timeout 300 "$ace_bin" -f -s -o "ace-$1" "$1" \
      >"ace-$1.log" 2>&1
    [ -f "ace-$1/report.json" ] || { echo "no report: $(tail -3 "ace-$1.log")"; return; }
    python3 - "ace-$1/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
for a in r.get('assertions', []):
    for x in a.get('assertions', []):
        if x['earl:result']['earl:outcome'] != 'pass':
            print(x['earl:test']['dct:title'], a['earl:testSubject'].get('url', ''))
if r['earl:result']['earl:outcome'] != 'pass':
    print('outcome', r['earl:result']['earl:outcome'])
EOF
  }
  for f in news-report circular mixed-guide work-plan book cover moving; do
    p=$(ace_verdict "$f.epub")
    if [ -z "$p" ]; then pass "Ace: $f"; else fail "Ace: $f" "$(head -5 <<<"$p")"; fi
  done
else
  echo "skipped: DAISY Ace (ace-puppeteer or chromium not installed; see README, The EPUB)"
fi

collect
finish e2e-epub-a11y

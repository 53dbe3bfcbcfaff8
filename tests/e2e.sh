#!/usr/bin/env bash
# e2e.sh GALLEY - converts real documents and checks the outputs with real
# validators (epubcheck, xmllint, unzip).  Prints "e2e: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# ---- the samples, one by one and as a book ----
test_samples() {
  local s name
  for s in "$ROOT"/samples/*.md; do
    name=$(basename "$s" .md)
    [ "$name" = README ] && continue
    "$GALLEY" -q -o "$TMP/$name.epub" "$s"
    check "sample $name converts" test -s "$TMP/$name.epub"
    check_epub "sample $name passes epubcheck" "$TMP/$name.epub"
  done
  "$GALLEY" -o "$TMP/mixed.epub" "$ROOT/samples/mixed-guide.md" 2>"$TMP/err"
  check_has "missing image warns with file and line" "$(cat "$TMP/err")" \
    "mixed-guide.md:136:1: warning: image \"images/missing.png\" left out (no such file)"
  local o; o=$(opf "$TMP/mixed.epub")
  local t
  for t in image/png image/jpeg image/gif image/svg+xml; do
    check_has "images packed as $t" "$o" "media-type=\"$t\""
  done
  local all; all=$(unzip -p "$TMP/mixed.epub" 'OEBPS/text/*.xhtml')
  check_has "missing image leaves its alt text" "$all" '<span class="missing-image">'
  check_has "figure with caption" "$all" '<figcaption>Figure 1: pipeline</figcaption>'
  check_has "fenced code keeps its language" "$all" '<code class="language-c">'
  check_has "ordered list keeps its start" "$all" '<ol start="3">'
  local chapters; chapters=$(unzip -l "$TMP/mixed.epub" | grep -c 'OEBPS/text/ch')
  check "mixed guide splits into chapters at level-1 headings" test "$chapters" -ge 3
  check_has "internal link points into its chapter" "$all" 'href="ch000'
  local files; files=$(unzip -l "$TMP/mixed.epub" | awk '/xhtml$/{print $4}')
  local f ok=1
  for f in $files; do
    unzip -p "$TMP/mixed.epub" "$f" | grep -q 'xml:lang="' || ok=0
  done
  check "every XHTML document carries its language" test $ok = 1

  "$GALLEY" -q --book -o "$TMP/book.epub" "$ROOT"/samples/news-report.md \
    "$ROOT"/samples/circular.md "$ROOT"/samples/mixed-guide.md
  check_epub "book of all samples passes epubcheck" "$TMP/book.epub"
  local nav; nav=$(unzip -p "$TMP/book.epub" OEBPS/nav.xhtml)
  for s in news-report circular mixed-guide; do
    t=$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/samples/$s.md" | head -1)
    check_has "book navigation lists $s" "$nav" ">$t</a>"
  done
  check_has "book navigation nests headings under articles" "$nav" "<ol>"
  local zh; zh=$(unzip -p "$TMP/book.epub" 'OEBPS/text/*.xhtml' | grep -c 'xml:lang="zh-CN"')
  check "the circular's chapter keeps lang zh-CN inside the book" test "$zh" -ge 1
  check_eq "book metadata comes from the first input" \
    "$(epub_xpath "$TMP/book.epub" OEBPS/package.opf 'string(//*[local-name()="title"][1])')" \
    "$(sed -n 's/^title: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$ROOT/samples/news-report.md" | head -1)"
  "$GALLEY" -q --book -M 'title=Collected Articles' -M author=Archivist \
    -o "$TMP/book2.epub" "$ROOT"/samples/news-report.md "$ROOT"/samples/circular.md
  check_eq "book metadata from the command line" \
    "$(epub_xpath "$TMP/book2.epub" OEBPS/package.opf 'string(//*[local-name()="title"][1])')" \
    "Collected Articles"
}

# ---- every CommonMark spec example, as one book ----
test_commonmark_spec() {
  mkdir -p spec
  awk -v dir=spec '
    /^```````````````````````````````` example/ { n++; inside = 1;
      file = sprintf("%s/ex%03d.md", dir, n); printf "" > file; next }
    inside && /^\.$/ { inside = 0; close(file); next }
    inside { gsub(/→/, "\t"); print >> file }
  ' "$ROOT/tests/data/commonmark-spec.txt"
  local count; count=$(ls spec | wc -l)
  check_eq "652 spec examples extracted" "$count" 652
  "$GALLEY" -q --book -M title="CommonMark examples" -o "$TMP/spec.epub" spec/ex*.md
  check "spec book converts (exit 0)" test $? = 0
  check_epub "spec book passes epubcheck" "$TMP/spec.epub"
  local spine; spine=$(opf "$TMP/spec.epub" | grep -c '<itemref')
  check "spec book has a chapter per example at least" test "$spine" -ge 652
}

# ---- metadata lands in the OPF exactly as written ----
test_metadata() {
  cat > meta.md <<'MD'
---
title: "Tom & Jerry's <Guide> \"to\" 档案"
subtitle: 第二版：修订
author:
  - 王小明
  - "O'Brien & Sons"
date: 2026-03-14
lang: zh-CN
source: 临江市档案局
category: 通知公告
keywords: [档案, "a<b", digitisation]
number: 档发〔2026〕7号
rights: © 2026 临江市 <all rights>
description: "Line one & two </dc:description><x>"
---
正文。
MD
  "$GALLEY" -q -o meta.epub meta.md
  check_epub "hostile metadata gives a valid EPUB" meta.epub
  local q='//*[local-name()="metadata"]/*'
  x() { epub_xpath meta.epub OEBPS/package.opf "$1"; }
  check_eq "title exact" "$(x "string($q[local-name()='title'][1])")" "Tom & Jerry's <Guide> \"to\" 档案"
  check_eq "subtitle exact" "$(x "string($q[local-name()='title'][2])")" "第二版：修订"
  check_eq "first creator exact" "$(x "string($q[local-name()='creator'][1])")" "王小明"
  check_eq "second creator exact" "$(x "string($q[local-name()='creator'][2])")" "O'Brien & Sons"
  check_eq "date exact" "$(x "string($q[local-name()='date'])")" "2026-03-14"
  check_eq "language exact" "$(x "string($q[local-name()='language'])")" "zh-CN"
  check_eq "source exact" "$(x "string($q[local-name()='source'])")" "临江市档案局"
  check_eq "rights exact" "$(x "string($q[local-name()='rights'])")" "© 2026 临江市 <all rights>"
  check_eq "description exact" "$(x "string($q[local-name()='description'])")" "Line one & two </dc:description><x>"
  check_eq "subjects exact" "$(x "string($q[local-name()='subject'][3])")" "a<b"
  check_eq "document number kept" "$(x "string($q[@id='number'])")" "档发〔2026〕7号"
  check_has "identifier derived as a UUID" "$(opf meta.epub)" '<dc:identifier id="uid">urn:uuid:'
  check_has "accessibility summary present" "$(opf meta.epub)" 'schema:accessibilitySummary'
  check_has "modified from SOURCE_DATE_EPOCH" "$(opf meta.epub)" \
    '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>'
  local ch; ch=$(unzip -p meta.epub OEBPS/text/ch0001.xhtml)
  check_has "title block escapes the title" "$ch" "Tom &amp; Jerry's &lt;Guide&gt; &quot;to&quot; 档案"
  printf -- "---\ntitle: ''\nauthor: ['', B]\nkeywords: ['']\nlabels: ''\n---\n\nText only.\n" > blank.md
  "$GALLEY" -q -M title= -o blank.epub blank.md
  check_epub "blank metadata values count as not given" blank.epub
  check_eq "blank title falls back to the file name" \
    "$(epub_xpath blank.epub OEBPS/package.opf "string($q[local-name()='title'][1])")" "blank"
  "$GALLEY" -q -M 'title=Override & co' -M lang=en -o meta2.epub meta.md
  check_eq "-M overrides the front matter" \
    "$(epub_xpath meta2.epub OEBPS/package.opf "string($q[local-name()='title'][1])")" "Override & co"
}

# ---- exact, repeatable output; the container's rules ----
test_determinism() {
  "$GALLEY" -q -o a.epub "$ROOT/samples/mixed-guide.md"
  sleep 1
  "$GALLEY" -q -o b.epub "$ROOT/samples/mixed-guide.md"
  check "same input and SOURCE_DATE_EPOCH give identical bytes" cmp -s a.epub b.epub
  local id1 id2
  id1=$(opf a.epub | grep -o 'urn:uuid:[^<]*')
  SOURCE_DATE_EPOCH=1800000000 "$GALLEY" -q -o c.epub "$ROOT/samples/mixed-guide.md"
  id2=$(opf c.epub | grep -o 'urn:uuid:[^<]*')
  check_eq "derived identifier is stable across runs" "$id2" "$id1"
  check_eq "mimetype is the first entry, stored, no extra field" \
    "$(head -c 58 a.epub | od -An -c | tr -d ' \n')" \
    "$(printf 'PK\003\004' | od -An -c | tr -d ' \n')$(head -c 58 a.epub | tail -c 54 | od -An -c | tr -d ' \n')"
  check_eq "mimetype entry: method 0" "$(od -An -tu2 -j8 -N2 a.epub | tr -d ' ')" 0
  check_eq "mimetype entry: no extra field" "$(od -An -tu2 -j28 -N2 a.epub | tr -d ' ')" 0
  check_eq "mimetype entry: name and content" "$(head -c 58 a.epub | tail -c 28)" \
    "mimetypeapplication/epub+zip"
}

# ---- styles and sizes reach the stylesheet ----
test_font_sizes() {
  local s css
  for s in small medium large; do
    "$GALLEY" -q --font-size $s -o "size-$s.epub" "$ROOT/samples/news-report.md"
  done
  css=$(unzip -p size-large.epub OEBPS/style.css)
  check_has "large type scales the body" "$css" "html { font-size: 133.3%; }"
  css=$(unzip -p size-small.epub OEBPS/style.css)
  check_has "small type scales the body" "$css" "html { font-size: 87.5%; }"
  css=$(unzip -p size-medium.epub OEBPS/style.css)
  check_has "medium type is the reader's default" "$css" "html { font-size: 100%; }"
  check_epub "large-type EPUB passes epubcheck" size-large.epub
}

# ---- what the input may not do ----
test_unsafe_content() {
  cat > raw.md <<'MD'
# Raw

<script>alert("x")</script>

Text with <b onclick="evil()">inline</b> HTML and a [bad link](javascript:alert(1))
and [data](data:text/html;base64,PHNjcmlwdD4=) and [ok](https://example.org/a?b=1&c=2).

![escape](../../etc/passwd.png) ![abs](/etc/hostname)
MD
  "$GALLEY" -o raw.epub raw.md 2>err
  check "raw HTML input still converts" test -s raw.epub
  local e; e=$(cat err)
  check_has "raw HTML is reported" "$e" "raw.md:3: warning: raw HTML left out (3 fragments"
  check_has "javascript: link is reported" "$e" "raw.md:5:"
  check_has "escaping image is refused" "$e" "the path leaves the document's folder"
  check_has "absolute image is refused" "$e" "absolute paths are not allowed"
  local x; x=$(unzip -p raw.epub OEBPS/text/ch0001.xhtml)
  check_lacks "no script in the output" "$x" "script"
  check_lacks "no onclick in the output" "$x" "onclick"
  check_lacks "no javascript: URL in the output" "$x" "javascript:"
  check_lacks "no data: URL in the output" "$x" "data:text"
  check_has "safe link kept, escaped" "$x" 'href="https://example.org/a?b=1&amp;c=2"'
  check_epub "raw HTML document passes epubcheck" raw.epub

  printf -- '---\ntitle: Bytes\n---\nbad \377\376 bytes, NUL \000 and controls \001\013 here\n' > bytes.md
  "$GALLEY" -o bytes.epub bytes.md 2>err
  check "invalid UTF-8 still converts" test -s bytes.epub
  check_has "invalid UTF-8 warning gives the byte offset" "$(cat err)" \
    "bytes.md: warning: 3 invalid UTF-8 sequences or NUL bytes replaced by U+FFFD (the first at byte offset 25)"
  check_has "U+FFFD in the text" "$(unzip -p bytes.epub OEBPS/text/ch0001.xhtml)" "bad �� bytes"
  check "control characters never reach the XHTML" \
    bash -c "unzip -p bytes.epub OEBPS/text/ch0001.xhtml | xmllint --noout -"
  check_epub "invalid UTF-8 document passes epubcheck" bytes.epub

  printf '\357\273\277---\r\ntitle: "CRLF & BOM"\r\nlang: en\r\n---\r\nLine one\r\nline two\r\n' > crlf.md
  "$GALLEY" -q -o crlf.epub crlf.md
  check_eq "BOM and CRLF: title read" \
    "$(epub_xpath crlf.epub OEBPS/package.opf 'string(//*[local-name()="title"][1])')" "CRLF & BOM"
  check_epub "BOM and CRLF document passes epubcheck" crlf.epub

  { printf '# Deep\n\n'; for i in $(seq 10000); do printf '> '; done; printf 'bottom\n\n';
    for i in $(seq 2000); do printf '*a '; done; printf 'x\n'; } > deep.md
  "$GALLEY" -o deep.epub deep.md 2>err
  check "deep nesting converts" test -s deep.epub
  check_has "deep nesting is reported" "$(cat err)" "nesting deeper than 64 levels flattened"
  check_has "deep nesting keeps the text" "$(unzip -p deep.epub OEBPS/text/ch0001.xhtml)" "bottom"
  check_epub "deeply nested document passes epubcheck" deep.epub
}

# ---- errors: named, and nothing harmed ----
test_errors() {
  printf -- '---\ntitle: ok\nauthor: [unclosed\n---\nBody\n' > bad.md
  echo "earlier output" > bad.epub
  "$GALLEY" -o bad.epub bad.md 2>err
  check_eq "malformed YAML exits 1" $? 1
  check_has "malformed YAML names file and line" "$(cat err)" "bad.md:4:"
  check_eq "earlier output survives a failed conversion" "$(cat bad.epub)" "earlier output"
  check_eq "no temporary file left behind" "$(ls -a | grep -c '^\.galley-')" 0

  printf -- '---\ntitle: [a, b]\n---\n' > type.md
  "$GALLEY" -o type.epub type.md 2>err
  check_eq "wrong type exits 1" $? 1
  check_has "wrong type names the line" "$(cat err)" "type.md:2:8: error: title must be a string, not a list"
  check "no output for a failed input" test ! -e type.epub

  printf -- '---\na: &x [lol, lol]\nb: [*x, *x, *x]\n---\n' > alias.md
  "$GALLEY" -o alias.epub alias.md 2>err
  check_eq "YAML alias exits 1" $? 1
  check_has "YAML alias is refused" "$(cat err)" "aliases are not allowed"

  "$GALLEY" -o nothing.epub does-not-exist.md 2>err
  check_eq "missing input exits 1" $? 1
  check_has "missing input is named" "$(cat err)" "does-not-exist.md: error: cannot read: No such file or directory"

  mkdir -p batch/sub
  cp "$ROOT/samples/news-report.md" batch/sub/a.md
  printf -- '---\ntitle: [x\n---\n' > batch/broken.md
  (cd batch && "$GALLEY" -q -t epub --outdir ../outdir sub/a.md broken.md)
  check_eq "one bad input among several exits 1" $? 1
  check "the good input is still written, keeping its folder" test -s outdir/sub/a.epub

  # a folder as input, walked for Markdown, converted two at a time
  mkdir -p tree/2026/03 tree/.hidden
  cp "$ROOT/samples/news-report.md" tree/2026/03/a.md
  cp "$ROOT/samples/circular.md" tree/2026/b.markdown
  cp "$ROOT/samples/news-report.md" tree/.hidden/skip.md
  printf -- '---\ntitle: [x\n---\n' > tree/2026/broken.md
  echo "not markdown" > tree/notes.txt
  "$GALLEY" -j 2 -t epub --outdir walked tree 2>err </dev/null
  check_eq "a folder with one bad file exits 1" $? 1
  check "folder walk keeps relative paths" test -s walked/2026/03/a.epub
  check "folder walk takes .markdown files" test -s walked/2026/b.epub
  check "folder walk skips hidden folders" test ! -e walked/.hidden/skip.epub
  check "folder walk takes only Markdown" test ! -e walked/notes.epub
  check_lacks "batch prints no line per input when not on a terminal" "$(cat err)" "galley: [3/3]"
  check_has "batch ends with a summary" "$(cat err)" "galley: 3 inputs: 2 written, 1 failed, in"
  check_has "the bad file is named" "$(cat err)" "tree/2026/broken.md:2:"
  "$GALLEY" -q -j 2 -t epub --outdir walked-q tree 2>err </dev/null
  check_eq "-q batch prints only errors" "$(grep -vc 'error' err)" 0

  mkdir -p locked && chmod 555 locked
  if [ "$(id -u)" != 0 ]; then
    "$GALLEY" -q -o locked/x.epub "$ROOT/samples/news-report.md" 2>err
    check_eq "unwritable folder exits 1" $? 1
  fi
  "$GALLEY" -q -o /dev/full/x.epub "$ROOT/samples/news-report.md" 2>err
  check_eq "impossible output path exits 1" $? 1
  check_has "impossible output path is explained" "$(cat err)" "cannot create the output"
}

test_cli() {
  "$GALLEY" >/dev/null 2>err; check_eq "no input: exit 2" $? 2
  "$GALLEY" --bogus x.md >/dev/null 2>err; check_eq "unknown option: exit 2" $? 2
  check_has "unknown option is named" "$(cat err)" "--bogus"
  "$GALLEY" --font-size huge x.md 2>err; check_eq "bad --font-size: exit 2" $? 2
  "$GALLEY" -o x.txt "$ROOT/samples/news-report.md" 2>err; check_eq "unknown output extension: exit 2" $? 2
  "$GALLEY" -o x.epub a.md b.md 2>err; check_eq "two inputs, one -o, no --book: exit 2" $? 2
  "$GALLEY" -o x.epub -t pdf,epub a.md 2>err; check_eq "-o with two formats: exit 2" $? 2
  local h; h=$("$GALLEY" --help); check_eq "--help exits 0" $? 0
  for o in --output --to --font-size --style --outdir --jobs --book --metadata --quiet --version; do
    check_has "--help documents $o" "$h" "$o"
  done
  check_has "--version prints the version" "$("$GALLEY" --version)" "galley 0."
  "$GALLEY" -q -o stdin.epub - < "$ROOT/samples/news-report.md"
  check_epub "standard input converts" stdin.epub
  cp "$ROOT/samples/news-report.md" beside.md
  "$GALLEY" -q -t epub beside.md
  check "without -o the output lands beside the input" test -s beside.epub
}

# ---- the README's recipe for an archive across hosts, on this one host ----
test_parallel() {
  if ! command -v parallel >/dev/null; then
    fail "GNU parallel recipe" "parallel is not installed (make deps)"
    return
  fi
  mkdir -p archive/2026/03
  cp "$ROOT/samples/news-report.md" archive/2026/03/a.md
  cp "$ROOT/samples/circular.md" archive/2026/b.md
  printf -- '---\ntitle: [x\n---\n' > archive/2026/broken.md
  local bindir; bindir=$(dirname "$GALLEY")
  # as in the README, with ":" (this host) standing for the remote hosts
  find archive -name '*.md' | sort | PATH="$bindir:$PATH" parallel --will-cite \
    -S 2/: --workdir . --transferfile {} --return 'out/{.}.pdf' \
    --return 'out/{.}.epub' --cleanup \
    "$(basename "$GALLEY")" -q -t pdf,epub --outdir out {} 2>err
  check_eq "GNU parallel: the exit status counts the failed inputs" $? 1
  check "GNU parallel: nested input keeps its path (PDF)" test -s out/archive/2026/03/a.pdf
  check "GNU parallel: nested input keeps its path (EPUB)" test -s out/archive/2026/03/a.epub
  check "GNU parallel: second input written" test -s out/archive/2026/b.pdf
  check_has "GNU parallel: the broken input is named" "$(cat err)" "archive/2026/broken.md:2:"
  check_epub "GNU parallel: EPUB valid" out/archive/2026/b.epub
}

# The writers are modules loaded only for their format (src/writer.h): the
# program itself starts up none of the writers' libraries, finds the modules
# beside itself or in ../lib/galley, and names a missing one.  The fonts an
# EPUB carries are a module of their own (src/epub_fonts.h), loaded from
# beside the EPUB writer's only for a book that carries fonts.
# pdf_refused NAME DIR MESSAGE: DIR/galley, asked for a PDF, stops with
# exit status 2 and MESSAGE, and writes nothing.
pdf_refused() {
  GALLEY_DATADIR=$ROOT "$2/galley" -o "$2/x.pdf" \
    "$ROOT/samples/news-report.md" 2>"$2/err"
  check_eq "$1: exit status 2" "$?" 2
  check_has "$1: named" "$(cat "$2/err")" "$3"
  check "$1: nothing written" test ! -e "$2/x.pdf"
}

test_modules() {
  local dir; dir=$(dirname "$GALLEY")
  local libs; libs=$(ldd "$GALLEY")
  check_lacks "the program does not link libzip" "$libs" libzip
  check_lacks "the program does not link HarfBuzz" "$libs" libharfbuzz
  check_lacks "the program does not link libharu" "$libs" libhpdf
  check_has "the PDF module links libharu" "$(ldd "$dir/galley-pdf.so")" libhpdf
  check_has "the EPUB module links libzip" "$(ldd "$dir/galley-epub.so")" libzip
  check_lacks "the EPUB module does not link HarfBuzz" \
    "$(ldd "$dir/galley-epub.so")" libharfbuzz
  check_has "the EPUB fonts module links hb-subset" \
    "$(ldd "$dir/galley-epub-fonts.so")" libharfbuzz-subset
  local loads
  loads=$(LD_DEBUG=files "$GALLEY" -q -o "$TMP/ld-en.epub" \
    "$ROOT/samples/news-report.md" 2>&1 >/dev/null)
  check_lacks "an English EPUB loads no HarfBuzz" "$loads" libharfbuzz
  check_lacks "an English EPUB does not load the fonts module" "$loads" galley-epub-fonts.so
  cp "$ROOT/samples/circular.md" "$TMP/zh1.md"
  cp "$ROOT/samples/circular.md" "$TMP/zh2.md"
  loads=$(LD_DEBUG=files "$GALLEY" -q -j 1 -t epub --outdir "$TMP/ld-zh" \
    "$TMP/zh1.md" "$TMP/zh2.md" 2>&1 >/dev/null)
  check_eq "two Chinese EPUBs load the fonts module once" \
    "$(grep -c 'file=.*galley-epub-fonts.so .*dynamically loaded by .*galley-epub.so' <<<"$loads")" 1
  mkdir -p "$TMP/inst/bin" "$TMP/inst/lib/galley" "$TMP/alone"
  cp "$GALLEY" "$TMP/inst/bin/galley"
  cp -L "$dir/libgalley.so.0" "$TMP/inst/lib/"
  cp "$dir/galley-pdf.so" "$dir/galley-epub.so" "$dir/galley-epub-fonts.so" \
    "$TMP/inst/lib/galley/"
  GALLEY_DATADIR=$ROOT "$TMP/inst/bin/galley" -q -t pdf,epub --outdir "$TMP/inst/out" \
    "$ROOT/samples/news-report.md" "$ROOT/samples/circular.md"
  check "installed layout: modules found in ../lib/galley (PDF)" test -s "$TMP/inst/out/news-report.pdf"
  check_epub "installed layout: modules found in ../lib/galley (EPUB)" "$TMP/inst/out/news-report.epub"
  check_has "installed layout: the fonts module found in ../lib/galley" \
    "$(unzip -Z1 "$TMP/inst/out/circular.epub" 2>&1)" OEBPS/fonts/
  if [ ! -e /usr/local/lib/galley/galley-pdf.so ]; then
    cp "$GALLEY" "$TMP/alone/galley"
    cp -L "$dir/libgalley.so.0" "$dir/galley-epub.so" "$TMP/alone/"
    pdf_refused "missing PDF module" "$TMP/alone" \
      "cannot write PDF: its module galley-pdf.so is neither beside libgalley"
    GALLEY_DATADIR=$ROOT "$TMP/alone/galley" -q -o "$TMP/alone/x.epub" \
      "$ROOT/samples/news-report.md"
    check_epub "missing PDF module: EPUB still written" "$TMP/alone/x.epub"
  fi
  # a module from another build (its build identity changed in the file)
  local id; id=$("$GALLEY" --version | sed -n 's/.*(build \([0-9]*\)).*/\1/p')
  check "--version gives the build identity" test -n "$id"
  mkdir -p "$TMP/other"
  cp "$GALLEY" "$TMP/other/galley"
  cp -L "$dir/libgalley.so.0" "$dir/galley-epub.so" "$TMP/other/"
  local other; other=$(echo "$id" | tr 0-9 1-90)
  ID="$id" OTHER="$other" perl -pe 's/\Q$ENV{ID}\E/$ENV{OTHER}/' \
    "$dir/galley-pdf.so" > "$TMP/other/galley-pdf.so"
  pdf_refused "module of another build" "$TMP/other" \
    "galley-pdf.so is from another build of galley than this library"
  # the EPUB's fonts module missing: only a book that carries fonts fails
  # (exit status 1, as for any input that fails, since whether it carries
  # them is known once the text is read), naming the file
  mkdir -p "$TMP/nofonts"
  cp -L "$GALLEY" "$dir/libgalley.so.0" "$dir/galley-epub.so" "$TMP/nofonts/"
  GALLEY_DATADIR=$ROOT "$TMP/nofonts/galley" -q -o "$TMP/nofonts/en.epub" \
    "$ROOT/samples/news-report.md"
  check_epub "missing fonts module: an English EPUB still written" "$TMP/nofonts/en.epub"
  fonts_refused "missing fonts module" "$TMP/nofonts" \
    "cannot carry fonts in the EPUB: its module $TMP/nofonts/galley-epub-fonts.so is missing"
  GALLEY_DATADIR=$ROOT "$TMP/nofonts/galley" -q --no-epub-embed-fonts \
    -o "$TMP/nofonts/zh.epub" "$ROOT/samples/circular.md"
  check_epub "missing fonts module: a Chinese EPUB with --no-epub-embed-fonts" "$TMP/nofonts/zh.epub"
  GALLEY_DATADIR=$ROOT "$TMP/nofonts/galley" -q --epub-embed-fonts \
    -o "$TMP/nofonts/en-fonts.epub" "$ROOT/samples/news-report.md" 2>/dev/null
  check_eq "missing fonts module: --epub-embed-fonts fails for English too" "$?" 1
  # a fonts module from another build
  ID="$id" OTHER="$other" perl -pe 's/\Q$ENV{ID}\E/$ENV{OTHER}/' \
    "$dir/galley-epub-fonts.so" > "$TMP/other/galley-epub-fonts.so"
  fonts_refused "fonts module of another build" "$TMP/other" \
    "$TMP/other/galley-epub-fonts.so is from another build of galley than this program"
}

# fonts_refused NAME DIR MESSAGE: DIR/galley, asked for the EPUB of a
# Chinese text (which carries fonts), fails with exit status 1, MESSAGE
# and the way out, and writes nothing.
fonts_refused() {
  GALLEY_DATADIR=$ROOT "$2/galley" -o "$2/zh.epub" \
    "$ROOT/samples/circular.md" 2>"$2/err"
  check_eq "$1: exit status 1" "$?" 1
  check_has "$1: named" "$(cat "$2/err")" "$3"
  check_has "$1: the way out" "$(cat "$2/err")" "--no-epub-embed-fonts"
  check "$1: nothing written" test ! -e "$2/zh.epub"
}

# A file that replaces an earlier one is flushed before the rename; a new
# file is not (src/output.c).
test_output_flush() {
  command -v strace >/dev/null || { fail "strace is not installed"; return; }
  rm -f "$TMP/flush.epub"
  strace -f -e trace=fsync,fdatasync -o "$TMP/new.trace" \
    "$GALLEY" -q -o "$TMP/flush.epub" "$ROOT/samples/news-report.md"
  check "a new output is written" test -s "$TMP/flush.epub"
  check_lacks "a new output is not flushed" "$(cat "$TMP/new.trace")" "fsync("
  strace -f -e trace=fsync,fdatasync -o "$TMP/old.trace" \
    "$GALLEY" -q -o "$TMP/flush.epub" "$ROOT/samples/news-report.md"
  check_has "a replacing output is flushed before the rename" \
    "$(cat "$TMP/old.trace")" "fsync("
}

test_samples
test_modules
test_output_flush
test_parallel
test_commonmark_spec
test_metadata
test_determinism
test_font_sizes
test_unsafe_content
test_errors
test_cli
finish e2e

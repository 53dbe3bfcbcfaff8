#!/usr/bin/env bash
# e2e_tagged.sh GALLEY - the tagged PDF (PDF/UA-1 structure): the tree as
# poppler reads it (pdfinfo -struct-text), every text show operator marked
# and mapped back by the ParentTree (tests/tagged_check.py, pikepdf), figures'
# alt text, links, notes, artifacts, --no-tagged and --pdfa=2a.  Prints
# "e2e-tagged: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# Debian's pikepdf is for Debian's python3, which may not be the first on PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tags_check() { "$PY" "$ROOT/tests/tagged_check.py" "$1"; }

# The strings of the elements of TYPE in -struct-text's output, one a line
# (the lines of an element joined), spaces removed: poppler joins the lines
# of a paragraph without one.
struct_strings() { # FILE TYPE
  pdfinfo -struct-text "$1" 2>/dev/null | awk -v t="$2" '
    /^ *"/ { if (on) { s = $0; sub(/^ *"/, "", s); sub(/"$/, "", s); cur = cur s }; next }
    /^ +\// { next } # an attribute, as the /Scope of a TH
    { if (on) print cur; on = ($1 == t || $1 == t ":"); cur = "" }
    END { if (on) print cur }' | tr -d ' '
}

# Headings of LEVEL in a Markdown file, spaces removed.
md_headings() { # FILE LEVEL
  awk -v h="$(printf '%*s' "$2" '' | tr ' ' '#')" '$1 == h { sub(/^#+ +/, ""); print }' "$1" | tr -d ' '
}

for s in news-report circular work-plan mixed-guide; do
  svg_galley -q -o $s.pdf "$ROOT/samples/$s.md" 2>/dev/null
  check_eq "$s: converts, exit 0" $? 0
  svg_galley -q --no-tagged -o $s-untagged.pdf "$ROOT/samples/$s.md" 2>/dev/null
  check "$s: passes qpdf --check" qpdf --check $s.pdf
  out=$(tags_check $s.pdf)
  check_eq "$s: every text shown is marked and mapped by the ParentTree (or an artifact)" \
    "$(grep -c '^ERR' <<<"$out")" 0
  grep '^ERR' <<<"$out" | head -5
  check "$s: text was checked" grep -qE '^texts=[1-9][0-9]* .*mcids=[1-9]' <<<"$out"
  check_eq "$s: pdftotext reads the same text as from the untagged file" \
    "$(pdftotext $s.pdf - | md5sum)" "$(pdftotext $s-untagged.pdf - | md5sum)"
  check "$s --no-tagged: no StructTreeRoot" bash -c \
    "qpdf --show-object=trailer $s-untagged.pdf >/dev/null && ! qpdf --qdf --object-streams=disable $s-untagged.pdf - | grep -aq -e /StructTreeRoot -e /MCID -e /MarkInfo"
  check_eq "$s: tagged, says pdfinfo" "$(pdfinfo $s.pdf | awk '$1 == "Tagged:" { print $2 }')" yes
  check_eq "$s --no-tagged: untagged, says pdfinfo" \
    "$(pdfinfo $s-untagged.pdf | awk '$1 == "Tagged:" { print $2 }')" no
done

# ---- XMP: PDF/UA asks for the title there ----
meta=$(pdfinfo -meta news-report.pdf 2>/dev/null)
check "tagged: XMP metadata, well-formed" bash -c "pdfinfo -meta news-report.pdf | grep -q xmpmeta && pdfinfo -meta news-report.pdf | xmllint --noout -"
check_eq "tagged: XMP dc:title is the Info Title" \
  "$(tr -d '\n' <<<"$meta" | grep -oP '<dc:title>.*?</dc:title>' | sed -e 's/<[^>]*>//g')" \
  "$(pdfinfo news-report.pdf | sed -n 's/^Title: *//p')"
check_lacks "tagged, not PDF/A: the XMP claims no PDF/A part" "$meta" "pdfaid"
check_eq "--no-tagged: no XMP metadata (as before)" "$(pdfinfo -meta news-report-untagged.pdf 2>/dev/null | wc -c)" 0

# ---- the tree in the document's order ----
check_eq "news-report: the H2s are the ## headings, in order" \
  "$(struct_strings news-report.pdf H2)" "$(md_headings "$ROOT/samples/news-report.md" 2)"
check_eq "circular: the H3s are the ### headings, in order" \
  "$(struct_strings circular.pdf H3)" "$(md_headings "$ROOT/samples/circular.md" 3)"
check_eq "news-report: one H1, the title" "$(struct_strings news-report.pdf H1 | wc -l)" 1
check_has "news-report: the H1 is the front-matter title" \
  "$(struct_strings news-report.pdf H1)" "HarboursideLibraryBegins"
tree=$(pdfinfo -struct-text news-report.pdf)
first=$(grep -n 'Harbourside Central Library has started' <<<"$tree" | cut -d: -f1)
quote=$(grep -n 'Our visitors often know' <<<"$tree" | cut -d: -f1)
check "news-report: paragraphs in reading order" test "${first:-0}" -gt 0 -a "${quote:-0}" -gt "${first:-0}"
check_eq "news-report: the quote is a P in a BlockQuote" \
  "$(grep -B2 'Our visitors often know' <<<"$tree" | head -2 | awk '{ print $1 }' | tr '\n' ' ')" "BlockQuote P "
# running headers and page numbers are artifacts: not in the tree
check_eq "news-report: the running header (the title) is not in the tree" \
  "$(grep -c 'Harbourside Library Begins' <<<"$tree")" 1
check_lacks "news-report: no page number in the tree" "$(grep -E '^ *"[0-9]+"$' <<<"$tree")" '"'
# a paragraph split over a page break is one P
split=$(grep -A1 'The photograph collection will follow' <<<"$tree")
check_has "news-report: the paragraph over the page break is one P (its second page's text follows in it)" \
  "$(sed -n 2p <<<"$split")" '    "and for many images'
check_has "news-report: an element spans pages 1 and 2" "$(tags_check news-report.pdf)" "P@1-2"
check_eq "news-report: list items are LI > Lbl + LBody" \
  "$(grep -A4 '^    LI' <<<"$tree" | head -4 | awk '{ print $1 }' | tr '\n' ' ')" 'LI Lbl "•" LBody '

# ---- tables ----
check_eq "work-plan: the first table's TH cells are its header row" \
  "$(struct_strings work-plan.pdf TH | head -5 | tr '\n' '|')" "Round|Months|Series|Boxes|Scans(est.)|"
qpdf --qdf --object-streams=disable work-plan.pdf wp.qdf
check "work-plan: TH cells have /Scope /Column" grep -aq '/Scope /Column' wp.qdf
check_eq "work-plan: each table a THead then a TBody" \
  "$(pdfinfo -struct-text work-plan.pdf | awk '$1 == "Table" { t = 1; next } t && ($1 == "THead" || $1 == "TBody") { printf "%s ", $1 }')" \
  "THead TBody THead TBody "
# rows start "| ", the delimiter rows "|:" or "|-"
check_eq "work-plan: a TR for every table row" \
  "$(pdfinfo -struct-text work-plan.pdf | grep -c '^ *TR')" "$(grep -c '^| ' "$ROOT/samples/work-plan.md")"

# ---- figures: /Alt from the alt text ----
qpdf --qdf --object-streams=disable mixed-guide.pdf mg.qdf
alts=$("$PY" -c '
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
def walk(n):
    k = n.get("/K")
    for e in (k if isinstance(k, pikepdf.Array) else [k] if k is not None else []):
        if isinstance(e, pikepdf.Dictionary) and "/S" in e:
            if e.S == pikepdf.Name.Figure:
                box = [float(v) for v in e.A.BBox] if "/A" in e and "/BBox" in e.A else []
                ok = len(box) == 4 and 0 <= box[0] < box[2] <= 596 and 0 <= box[1] < box[3] <= 842
                print(str(e.get("/Alt", "(none)")) + ("" if ok else " (no BBox on the page)"))
            walk(e)
walk(pdf.Root.StructTreeRoot)' mixed-guide.pdf)
check_has "mixed-guide: the PNG figure's /Alt is its alt text" "$alts" "A small diagram"
check_has "mixed-guide: the JPEG figure's /Alt" "$alts" "A small house in a green field under a pale sky"
check_has "mixed-guide: the SVG figure's /Alt" "$alts" "Bar chart of pages archived per month"
check_lacks "mixed-guide: every Figure has a /BBox on its page" "$alts" "no BBox"
check_eq "mixed-guide: as many Figures as images drawn" \
  "$(wc -l <<<"$alts")" "$(pdfimages -list mixed-guide.pdf | tail -n +3 | awk '$3 == "image"' | wc -l)"
check_has "mixed-guide: a caption follows its figure" \
  "$(pdfinfo -struct-text mixed-guide.pdf | grep -A2 '^  Caption' | head -2)" "Figure 1: pipeline"

# ---- notes, links, languages ----
cat > notes.md <<'EOF'
---
title: Notes and links
lang: en-GB
---

A claim[^1] and [a link](https://example.org/page) and [one inside](#later).

## Later

Text.

[^1]: The note's text, with its own words.
EOF
"$GALLEY" -q -o notes.pdf notes.md
out=$(tags_check notes.pdf)
check_eq "notes: checked clean" "$(grep -c '^ERR' <<<"$out")" 0
check_has "notes: three links (the note's reference too), each a Link element holding its annotation" "$out" "links=3"
nt=$(pdfinfo -struct-text notes.pdf)
check_has "notes: the footnote is a Note" "$(grep -A4 '^  Note' <<<"$nt")" "text, with its own words"
check_eq "notes: each link's text is in its Link element, with the annotation" \
  "$(grep -A2 '^    Link' <<<"$nt" | grep -v '^--' | awk '{ print $1 }' | tr '\n' ' ')" \
  'Link "1" Object Link "a Object Link "one Object '
check_has "notes: the note's number is its Lbl" "$(grep -A2 '^  Note' <<<"$nt")" 'Lbl'
qpdf --qdf --object-streams=disable notes.pdf notes.qdf
check_eq "notes: the Note has an /ID, as PDF/UA asks" "$(grep -a -B8 '/S /Note' notes.qdf | grep -c '/ID (note-')" 1
check_eq "notes: the IDTree maps the Note's ID to it" "$("$PY" -c 'import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
names = pdf.Root.StructTreeRoot.IDTree.Names
print(sum(1 for i in range(0, len(names), 2) if names[i + 1].S == pikepdf.Name.Note and names[i + 1].ID == names[i]))' notes.pdf)" 1
check "notes: the catalog's /Lang is the document's" grep -aq '/Lang (en-GB)' notes.qdf
check "notes: /DisplayDocTitle true" grep -aq '/DisplayDocTitle true' notes.qdf
check "notes: /MarkInfo /Marked true" grep -aq '/Marked true' notes.qdf
check_has "notes: the external link's annotation says where it goes" \
  "$("$PY" -c 'import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
for a in pdf.pages[0].obj.get("/Annots", []): print(str(a.get("/Contents", "")))' notes.pdf)" \
  "Link to https://example.org/page"
check "notes: annotations in structure order (/Tabs /S)" grep -aq '/Tabs /S' notes.qdf

# a book of an English and a Chinese document: each an Art, the second with /Lang
printf -- '---\ntitle: 第二章\nlang: zh-CN\n---\n\n中文的段落。\n' > zh.md
"$GALLEY" -q --book -o book.pdf notes.md zh.md
qpdf --qdf --object-streams=disable book.pdf book.qdf
check_eq "book: a chapter in another language is an Art with /Lang" \
  "$(grep -a -B4 '/S /Art' book.qdf | grep -c '/Lang (zh-CN)')" 1
check_eq "book: checked clean" "$(tags_check book.pdf | grep -c '^ERR')" 0

# ---- many elements, many pages: arrays kept under PDF/A-1's 8,191 ----
awk 'BEGIN { print "---\ntitle: Headings\nlang: en\n---\n"
  for (i = 0; i < 4100; i++) printf "# Heading %d\n\ntext %d\n\n", i, i }' > heads.md
"$GALLEY" -q -o heads.pdf heads.md
check_eq "8,201 elements under the Document: converts" $? 0
check_eq "8,201 elements: checked clean" "$(tags_check heads.pdf | grep -c '^ERR')" 0
check_eq "8,201 elements: the last past 8,000 in a Div at the Document's end" \
  "$(pdfinfo -struct-text heads.pdf | grep -c '^  Div')" 1
check_has "8,201 elements: the last heading is in the tree" \
  "$(pdfinfo -struct-text heads.pdf | tail -4)" '"Heading 4099"'
pdftoppm -png -scale-to-x 10 -scale-to-y 1000 -singlefile -f 1 -l 1 heads.pdf tall 2>/dev/null
awk 'BEGIN { for (i = 0; i < 2100; i++) printf "![page %d](tall.png)\n\n", i }' > pages.md
"$GALLEY" -q -o pages.pdf pages.md
check_eq "2,100 pages: converts" $? 0
check "2,100 pages: qpdf --check" qpdf --check pages.pdf
out=$(tags_check pages.pdf)
check_eq "2,100 pages: checked clean (the ParentTree's leaves and Limits too)" "$(grep -c '^ERR' <<<"$out")" 0
check_has "2,100 pages: a Figure a page" "$out" "figures=2100"
check_eq "2,100 pages: the ParentTree in two leaves" "$("$PY" -c 'import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
print(len(pdf.Root.StructTreeRoot.ParentTree.Kids))' pages.pdf)" 2

# ---- the checker fails on a broken file ----
qpdf --qdf --object-streams=disable news-report.pdf nr.qdf
sed 's|/P <</MCID 0>> BDC|/Span BMC|' nr.qdf > broken.qdf
fix-qdf broken.qdf > broken.pdf 2>/dev/null
check "checker: text marked without an MCID is caught" bash -c "! '$PY' '$ROOT/tests/tagged_check.py' broken.pdf"
sed 's|<</MCID 1>> BDC|<</MCID 90>> BDC|' nr.qdf > broken2.qdf
fix-qdf broken2.qdf > broken2.pdf 2>/dev/null
check_has "checker: an MCID the ParentTree lacks is caught" \
  "$("$PY" "$ROOT/tests/tagged_check.py" broken2.pdf)" "MCID 90 not in the ParentTree"

# ---- PDF/A-2a: 2u with the structure ----
"$GALLEY" -q --pdfa=2a -o a2.pdf "$ROOT/samples/news-report.md"
check_eq "--pdfa=2a: converts" $? 0
meta=$(pdfinfo -meta a2.pdf)
check_has "--pdfa=2a: XMP pdfaid:part 2" "$meta" "<pdfaid:part>2<"
check_has "--pdfa=2a: XMP pdfaid:conformance A" "$meta" "<pdfaid:conformance>A<"
check_has "--pdfa=2a: XMP dc:title" "$meta" "Harbourside Library Begins"
check_eq "--pdfa=2a: checked clean" "$(tags_check a2.pdf | grep -c '^ERR')" 0
"$GALLEY" -q --pdfa=1b -o a1.pdf "$ROOT/samples/news-report.md"
check_eq "--pdfa=1b: tagged too, and PDF 1.4" "$(head -c 8 a1.pdf) $(tags_check a1.pdf | grep -c '^ERR')" "%PDF-1.4 0"
check_lacks "--pdfa=1b: no PDF 1.5 /Tabs in a PDF 1.4 file" "$(qpdf --qdf --object-streams=disable a1.pdf - | grep -a /Tabs)" "/Tabs"

# ---- reproducible ----
svg_galley -q -o again.pdf "$ROOT/samples/mixed-guide.md" 2>/dev/null
check "tagged output is byte-identical across runs" cmp -s again.pdf mixed-guide.pdf
svg_galley -q --no-tagged --tagged -o last.pdf "$ROOT/samples/mixed-guide.md" 2>/dev/null
check "--no-tagged --tagged: the last one wins" cmp -s last.pdf mixed-guide.pdf
check_has "--help names --tagged and --no-tagged" "$("$GALLEY" --help)" "--no-tagged"

# ---- the language of parts (issue 18: /Lang where it differs) ----
svg_galley -q -o lang.pdf "$ROOT/samples/mixed-guide.md"
qpdf --qdf --object-streams=disable lang.pdf lang.q 2>/dev/null
check_eq "a Chinese run in an English guide is a Span with /Lang (zh)" \
  "$(grep -ac '/Lang (zh)' lang.q)" 7
check_has "the Span holds the Chinese sentence, inside its paragraph" \
  "$(pdfinfo -struct-text lang.pdf 2>/dev/null | tr -d '\n ')" 'e-readers."Span(inline)"网页内容随时可能被修改或删除，因此及时归档非常重要。"'
printf -- '---\ntitle: t\nlang: en\n---\n\nEnglish.\n\n网页内容随时可能被修改。\n\nかなの文です。\n' > lang2.md
"$GALLEY" -q -o lang2.pdf lang2.md
qpdf --qdf --object-streams=disable lang2.pdf lang2.q 2>/dev/null
check "a Chinese paragraph in an English document has /Lang (zh)" grep -aq '/Lang (zh)' lang2.q
check "a Japanese one /Lang (ja)" grep -aq '/Lang (ja)' lang2.q
"$GALLEY" -q --style circular -o lang3.pdf "$ROOT/samples/circular.md"
qpdf --qdf --object-streams=disable lang3.pdf lang3.q 2>/dev/null
check_eq "a Chinese document marks no part of it" "$(grep -ac '/Lang' lang3.q)" 1
check "the guide's tree still maps every text" tags_check lang.pdf

finish e2e-tagged

#!/usr/bin/env bash
# bench.sh GALLEY - speed and size figures, with pandoc side by side when it
# is installed.  Prints figures; asserts nothing (wall time is no test).
set -u
GALLEY=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$ROOT/build/bench}
N=${BENCH_ARTICLES:-200}   # articles per language in the batch corpus
RUNS=${BENCH_RUNS:-11}     # runs per timing; the median is shown
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$WORK" && mkdir -p "$WORK/corpus" "$WORK/out"
# bench-time (tests/bench_time.c) times single runs: each started with
# posix_spawn and timed from spawn to exit.  `make bench` builds it; run
# alone, this script does.
TIMER=$(realpath -m "${BENCH_TIME:-$WORK/bench-time}")
[ -x "$TIMER" ] || cc -O2 -o "$TIMER" "$ROOT/tests/bench_time.c" || exit 1
cd "$WORK" || exit 1

# ---- corpus: realistic articles made from the samples' own text ----
body() { awk 'BEGIN{n=0} /^---$/{n++; next} n>=2' "$1"; }
en=$(body "$ROOT/samples/news-report.md")
zh=$(body "$ROOT/samples/circular.md")
for i in $(seq -w 1 "$N"); do
  printf -- '---\ntitle: "Council report %s"\nauthor: Desk %s\ndate: 2026-03-14\nlang: en\n---\n\n%s\n' \
    "$i" "$i" "$en" > corpus/en-$i.md
  printf -- '---\ntitle: 关于第%s号档案工作的通知\nauthor: 档案局\ndate: 2026-03-10\nlang: zh-CN\n---\n\n%s\n' \
    "$i" "$zh" > corpus/zh-$i.md
done
# the manual: about 300 KB of chapters and sections
{ printf -- '---\ntitle: The Archive Manual\nlang: en\n---\n\n'
  for ch in $(seq 1 75); do
    printf '# Chapter %d\n\n## Section %d.1\n\n%s\n\n' "$ch" "$ch" "$en"
  done; } > manual.md
size_kb=$(( $(wc -c < manual.md) / 1024 ))
# a table-heavy report: 40 tables of 30 rows, with footnotes
{ printf -- '---\ntitle: Holdings by series\nlang: en\n---\n\n'
  for t in $(seq 1 40); do
    printf '## Series %d\n\nThe boxes of series %d, by shelf[^n%d].\n\n' "$t" "$t" "$t"
    printf '| Shelf | Series | Description | Boxes | Scanned |\n|---:|:---|:---|---:|:---:|\n'
    for r in $(seq 1 30); do
      printf '| %d | S-%d | Minute books and ledgers of the district office, %d | %d | %s |\n' \
        "$r" "$t" "$((1900 + r))" "$((r * 7 % 90 + 3))" "$([ $((r % 3)) = 0 ] && echo yes || echo no)"
    done
    printf '\n[^n%d]: Counted in January; boxes on loan are left out.\n\n' "$t"
  done; } > tables.md
tables_kb=$(( $(wc -c < tables.md) / 1024 ))
# the corpus's own writes go to disk now, not during the timings
sync

# Batch times are read from bash's $EPOCHREALTIME (microseconds) just
# before and after a command: no process of the timer's own falls inside
# the interval (two `date` calls added about 1.5 ms to every figure here).
export LC_ALL=C
# The median wall time in ms of RUNS runs of "$@", after one run not
# counted (the files it reads are then cached).
time_cmd() { "$TIMER" "$RUNS" "$@"; }
# galley to a new file each run (out/new-N.EXT): time_new EXT INPUT
time_new() { "$TIMER" "$RUNS" "$GALLEY" -q -o "out/new-%d.$1" "$2"; }
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

short=corpus/en-$(printf '%0*d' ${#N} 1).md
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(lscpu 2>/dev/null | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2}')"
echo "corpus: $N English + $N Chinese articles, one ${size_kb} KB manual"
echo
t_true=$(time_cmd /bin/true)
t_pdf=$(time_new pdf "$short")
t_epub=$(time_new epub "$short")
"$GALLEY" -q -o out/short.pdf "$short"; "$GALLEY" -q -o out/short.epub "$short"
r_pdf=$(time_cmd "$GALLEY" -q -o out/short.pdf "$short")
r_epub=$(time_cmd "$GALLEY" -q -o out/short.epub "$short")
t_big_pdf=$(time_cmd "$GALLEY" -q -o out/manual.pdf manual.md)
t_big_epub=$(time_cmd "$GALLEY" -q -o out/manual.epub manual.md)
m_big_pdf=$(peak_mb "$GALLEY" -q -o out/manual.pdf manual.md)
m_big_epub=$(peak_mb "$GALLEY" -q -o out/manual.epub manual.md)
t_tab_pdf=$(time_cmd "$GALLEY" -q -o out/tables.pdf tables.md)
t_tab_epub=$(time_cmd "$GALLEY" -q -o out/tables.epub tables.md)
tpages=$(pdfinfo out/tables.pdf 2>/dev/null | awk '/^Pages/{print $2}')
s=${EPOCHREALTIME/./}; "$GALLEY" -q -j "$(nproc)" -t pdf --outdir out/batch-pdf corpus; e=${EPOCHREALTIME/./}
b_pdf=$(awk -v n=$((2*N)) -v s="$s" -v e="$e" 'BEGIN{printf "%.1f", n/((e-s)/1e6)}')
s=${EPOCHREALTIME/./}; "$GALLEY" -q -j "$(nproc)" -t epub --outdir out/batch-epub corpus; e=${EPOCHREALTIME/./}
b_epub=$(awk -v n=$((2*N)) -v s="$s" -v e="$e" 'BEGIN{printf "%.1f", n/((e-s)/1e6)}')
m_batch=$(peak_mb "$GALLEY" -q -j 1 -t pdf --outdir out/batch-mem corpus)
pages=$(pdfinfo out/manual.pdf 2>/dev/null | awk '/^Pages/{print $2}')
bpp=$(awk -v b="$(wc -c < out/manual.pdf)" -v p="${pages:-1}" 'BEGIN{printf "%.0f", b/p}')
zpages=$(pdfinfo out/batch-pdf/zh-$(printf '%0*d' ${#N} 1).pdf 2>/dev/null | awk '/^Pages/{print $2}')
zbpp=$(awk -v b="$(wc -c < out/batch-pdf/zh-$(printf '%0*d' ${#N} 1).pdf)" -v p="${zpages:-1}" 'BEGIN{printf "%.0f", b/p}')

printf '%-44s %12s\n' "galley" ""
printf '%-44s %9s ms\n' "a process doing nothing (/bin/true), for scale" "$t_true"
printf '%-44s %9s ms\n' "one short article to PDF (median)" "$t_pdf"
printf '%-44s %9s ms\n' "one short article to EPUB (median)" "$t_epub"
printf '%-44s %9s ms\n' "  the same, replacing the output (flushed)" "$r_pdf / $r_epub"
printf '%-44s %9s ms   peak %s MB\n' "${size_kb} KB manual to PDF ($pages pages)" "$t_big_pdf" "$m_big_pdf"
printf '%-44s %9s ms   peak %s MB\n' "${size_kb} KB manual to EPUB" "$t_big_epub" "$m_big_epub"
printf '%-44s %9s ms\n' "${tables_kb} KB of tables to PDF ($tpages pages)" "$t_tab_pdf"
printf '%-44s %9s ms\n' "${tables_kb} KB of tables to EPUB" "$t_tab_epub"
printf '%-44s %9s /s\n' "batch to PDF, -j $(nproc)" "$b_pdf"
printf '%-44s %9s /s\n' "batch to EPUB, -j $(nproc)" "$b_epub"
printf '%-44s %9s MB\n' "peak memory, batch of $((2*N)) in one process" "$m_batch"
printf '%-44s %9s B\n' "bytes per page (English manual)" "$bpp"
printf '%-44s %9s B\n' "bytes per page (Chinese circular)" "$zbpp"

# ---- what tagging costs (issue 18): the structure tree is on by default;
# the same runs with --no-tagged, in turn ----
declare -A tg
for t in tagged no-tagged; do
  tg[$t-short]=$("$TIMER" "$RUNS" "$GALLEY" -q --$t -o "out/t-%d.pdf" "$short")
  tg[$t-man]=$("$TIMER" "$RUNS" "$GALLEY" -q --$t -o out/t-manual.pdf manual.md)
  tg[$t-size]=$(wc -c < out/t-manual.pdf)
done
echo
printf '%-44s %s\n' "tagged PDF (ms)" "short PDF / manual PDF / manual's bytes"
for t in tagged no-tagged; do
  printf '%-44s %s / %s / %s\n' "  --$t" "${tg[$t-short]}" "${tg[$t-man]}" "${tg[$t-size]}"
done

# ---- what the hyphenation image saves: each hand-written replacement of
# a library stays only while it saves at least 5% of a real run (issue
# 19).  The same build again without the image (the patterns are then
# built from the .dic), timed in turn with it ----
B=$(dirname "$GALLEY")
if [ -f "$B/hyph_en_US.bin" ]; then
  mkdir -p "$WORK/no-hyph-image" &&
    cp "$B"/galley "$B"/*.so "$B"/libgalley.so.* "$WORK/no-hyph-image/"
  pct() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%+.0f%%", 100 * (b - a) / a}'; }
  declare -A v_t
  for v in with no-hyph-image; do
    g=$GALLEY; [ $v = with ] || g=$WORK/$v/galley
    # the copy finds the styles through GALLEY_DATADIR, the build beside
    # itself: the same files
    v_t[$v-pdf]=$(GALLEY_DATADIR=$ROOT "$TIMER" "$RUNS" "$g" -q -o "out/v-%d.pdf" "$short")
    v_t[$v-man]=$(GALLEY_DATADIR=$ROOT "$TIMER" "$RUNS" "$g" -q -o out/v-manual.pdf manual.md)
    rm -rf out/v-batch
    s=${EPOCHREALTIME/./}
    GALLEY_DATADIR=$ROOT "$g" -q -j "$(nproc)" -t pdf --outdir out/v-batch corpus/en-*.md
    e=${EPOCHREALTIME/./}
    v_t[$v-batch]=$(( (e - s) / 1000 ))
  done
  echo
  printf '%-44s %s\n' "hyphenation image (ms)" "short PDF / manual PDF / $N English to PDF"
  for v in with no-hyph-image; do
    printf '%-44s %s / %s / %s\n' "  $v" \
      "${v_t[$v-pdf]} $([ $v = with ] || pct "${v_t[with-pdf]}" "${v_t[$v-pdf]}")" \
      "${v_t[$v-man]} $([ $v = with ] || pct "${v_t[with-man]}" "${v_t[$v-man]}")" \
      "${v_t[$v-batch]} $([ $v = with ] || pct "${v_t[with-batch]}" "${v_t[$v-batch]}")"
  done
fi

# ---- Chinese in Song: Noto Serif CJK (CFF, hb-subset) beside a TrueType
# Ming (AR PL UMing, galley's own subsetter), and the page's size beside
# pandoc+WeasyPrint's PDF of the same text in the same fonts ----
zh1=corpus/zh-$(printf '%0*d' ${#N} 1).md
one=$ROOT/tests/data/pdf/one-page-circular.md
t_zh_cff=$(time_cmd "$GALLEY" -q -o out/zh-cff.pdf "$zh1")
# every role in TrueType faces: Song in AR PL UMing, Hei in WenQuanYi Zen Hei
tt=(--font "Noto Serif, AR PL UMing")
for r in category meta h1 h2 h3 h4 h5 h6 caption header footer authority; do
  tt+=(--font "$r=Noto Sans, WenQuanYi Zen Hei")
done
t_zh_tt=$(time_cmd "$GALLEY" -q "${tt[@]}" -o out/zh-tt.pdf "$zh1")
"$GALLEY" -q -o out/one-cff.pdf "$one"
"$GALLEY" -q "${tt[@]}" -o out/one-tt.pdf "$one"
m_zh=$(peak_mb "$GALLEY" -q -j 1 -t pdf --outdir out/batch-zh-mem corpus/zh-*.md)
mkdir -p out/batch-zh1 && for f in $(ls corpus/zh-*.md | head -20); do cp "$f" out/batch-zh1/; done
m_zh20=$(peak_mb "$GALLEY" -q -j 1 -t pdf --outdir out/batch-zh20-mem out/batch-zh1)
s=${EPOCHREALTIME/./}; "$GALLEY" -q -j "$(nproc)" -t pdf --outdir out/batch-zh corpus/zh-*.md; e=${EPOCHREALTIME/./}
b_zh=$(awk -v n="$N" -v s="$s" -v e="$e" 'BEGIN{printf "%.1f", n/((e-s)/1e6)}')
echo
printf '%-44s %9s ms\n' "Chinese article to PDF, Noto Serif CJK (CFF)" "$t_zh_cff"
printf '%-44s %9s ms\n' "  the same in TrueType (UMing, Zen Hei)" "$t_zh_tt"
printf '%-44s %9s /s\n' "Chinese batch to PDF, -j $(nproc)" "$b_zh"
printf '%-44s %9s MB   (20 of them: %s MB)\n' "peak memory, $N Chinese PDFs in one process" "$m_zh" "$m_zh20"
printf '%-44s %9s B    (%s pages)\n' "one-page Chinese PDF, Noto Serif CJK" "$(wc -c < out/one-cff.pdf)" "$(pdfinfo out/one-cff.pdf 2>/dev/null | awk '/^Pages/{print $2}')"
printf '%-44s %9s B\n' "  the same in TrueType (UMing, Zen Hei)" "$(wc -c < out/one-tt.pdf)"
if command -v pandoc >/dev/null && command -v weasyprint >/dev/null; then
  printf '@page { size: A4; margin: 72pt 64pt }\nbody { font-family: "Noto Serif", "Noto Serif CJK SC"; font-size: 12pt; line-height: 1.6 }\nh1, h2, h3 { font-family: "Noto Sans", "Noto Sans CJK SC" }\n' > song.css
  pandoc -s --pdf-engine=weasyprint --css song.css -o out/w-one.pdf "$one" 2>/dev/null
  wp=$(pdfinfo out/w-one.pdf 2>/dev/null | awk '/^Pages/{print $2}')
  printf '%-44s %9s B    (%s pages; galley %s of its size)\n' "  pandoc+WeasyPrint, same text and fonts" "$(wc -c < out/w-one.pdf)" "$wp" \
    "$(awk -v a="$(wc -c < out/one-cff.pdf)" -v b="$(wc -c < out/w-one.pdf)" 'BEGIN{printf "%.0f%%", 100*a/b}')"
fi

if command -v pandoc >/dev/null; then
  echo
  p_epub=$(time_cmd pandoc -o out/p-short.epub "$short")
  p_big=$(time_cmd pandoc -o out/p-manual.epub manual.md)
  m_p_big=$(peak_mb pandoc -o out/p-manual.epub manual.md)
  sample=$(ls corpus/*.md | awk 'NR%5==1' | head -40)
  count=$(echo "$sample" | wc -l)
  s=${EPOCHREALTIME/./}
  echo "$sample" | xargs -P "$(nproc)" -I{} sh -c 'pandoc -o out/p-$(basename {} .md).epub {}'
  e=${EPOCHREALTIME/./}
  pb_epub=$(awk -v n="$count" -v s="$s" -v e="$e" 'BEGIN{printf "%.1f", n/((e-s)/1e6)}')
  printf '%-44s %9s ms   galley is %sx faster\n' "pandoc: short article to EPUB" "$p_epub" "$(awk -v a="$p_epub" -v b="$t_epub" 'BEGIN{printf "%.0f", a/b}')"
  printf '%-44s %9s ms   peak %s MB; galley %sx\n' "pandoc: manual to EPUB" "$p_big" "$m_p_big" "$(awk -v a="$p_big" -v b="$t_big_epub" 'BEGIN{printf "%.0f", a/b}')"
  printf '%-44s %9s /s   galley %sx\n' "pandoc: batch to EPUB, $(nproc) processes" "$pb_epub" "$(awk -v a="$b_epub" -v b="$pb_epub" 'BEGIN{printf "%.0f", a/b}')"
  p_tab=$(time_cmd pandoc -o out/p-tables.epub tables.md)
  printf '%-44s %9s ms   galley %sx\n' "pandoc: tables to EPUB" "$p_tab" "$(awk -v a="$p_tab" -v b="$t_tab_epub" 'BEGIN{printf "%.0f", a/b}')"
  if python3 -c 'import weasyprint' 2>/dev/null || command -v weasyprint >/dev/null; then
    wsample=$(echo "$sample" | head -10)
    wcount=$(echo "$wsample" | wc -l)
    s=${EPOCHREALTIME/./}
    echo "$wsample" | xargs -P "$(nproc)" -I{} sh -c 'pandoc --pdf-engine=weasyprint -o out/w-$(basename {} .md).pdf {} 2>/dev/null'
    e=${EPOCHREALTIME/./}
    pw=$(awk -v n="$wcount" -v s="$s" -v e="$e" 'BEGIN{printf "%.2f", n/((e-s)/1e6)}')
    printf '%-44s %9s /s   galley %sx\n' "pandoc+WeasyPrint: batch to PDF" "$pw" "$(awk -v a="$b_pdf" -v b="$pw" 'BEGIN{printf "%.0f", a/b}')"
    s=${EPOCHREALTIME/./}
    pandoc --pdf-engine=weasyprint -o out/w-tables.pdf tables.md 2>/dev/null
    e=${EPOCHREALTIME/./}
    pwt=$(( (e - s) / 1000 ))
    printf '%-44s %9s ms   galley %sx\n' "pandoc+WeasyPrint: tables to PDF (one run)" "$pwt" "$(awk -v a="$pwt" -v b="$t_tab_pdf" 'BEGIN{printf "%.0f", a/b}')"
  fi
else
  echo
  echo "pandoc is not installed (apt-get install pandoc weasyprint) - no comparison"
fi

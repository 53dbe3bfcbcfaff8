#!/usr/bin/env bash
# e2e_bounds.sh GALLEY - cost bounded by the input: large and pathological
# inputs converted within a peak memory bound (the resident set GNU time
# reports), and their text all there.  Runs on the plain build only: the
# sanitizers' shadow memory would say nothing about galley's own.
# Bounds are counts and sizes, never wall time; a hang is caught by the
# time limit only to end the run.
# Prints "e2e-bounds: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

LIMIT=300
RC=0 ERR= PEAK=0
# run ARGS...: galley under GNU time; RC, ERR and PEAK (KB) afterwards.
run() {
  timeout "$LIMIT" /usr/bin/time -f '%M' -o "$TMP/peak" "$GALLEY" "$@" \
    >/dev/null 2>"$TMP/run.err"
  RC=$?
  ERR=$(cat "$TMP/run.err")
  PEAK=$(tail -1 "$TMP/peak" 2>/dev/null)
  [[ $PEAK =~ ^[0-9]+$ ]] || PEAK=999999999
}
# check_peak NAME MB: the last run stayed under MB megabytes.
check_peak() {
  if [ "$RC" = 124 ]; then fail "$1" "killed after ${LIMIT}s"
  elif [ "$PEAK" -lt $(($2 * 1024)) ]; then pass "$1"
  else fail "$1" "peak $((PEAK / 1024)) MB, bound $2 MB"; fi
}

# A word of 2,000,000 letters: every break between two characters used to
# be two items of the line breaker (543 MB); now pieces of a line each.
{ head -c 2000000 /dev/zero | tr '\0' a; echo; } > word.md
for t in pdf epub; do
  run -q -o word.$t word.md
  check_eq "2 MB word to $t: exit 0" "$RC" 0
  check_peak "2 MB word to $t: peak under 100 MB" 100
done
check_eq "2 MB word: every letter in the PDF's text" \
  "$(pdftotext word.pdf - 2>/dev/null | tr -cd a | wc -c)" 2000000

# 20,000 headings of the same text (anchors were numbered by counting up).
for i in $(seq 20000); do printf '## Notes\n\ntext\n\n'; done > heads.md
for t in pdf epub; do
  run -q -o heads.$t heads.md
  check_eq "20,000 equal headings to $t: exit 0" "$RC" 0
  check_peak "20,000 equal headings to $t: peak under 100 MB" 100
done

# 100,000 keywords and 100,000 authors (each list was copied to grow).
{ echo '---'; echo 'keywords:'; seq -f '  - k%g' 100000; echo 'author:'
  seq -f '  - a%g' 100000; echo '---'; echo text; } > kw.md
for t in pdf epub; do
  run -q -o kw.$t kw.md
  check_eq "100,000 keywords to $t: exit 0" "$RC" 0
  check_peak "100,000 keywords to $t: peak under 100 MB" 100
done

# A table of 100,000 rows (the issue's size; the sanitizer suite takes
# 30,000): every row printed, each page under its repeated header.
{ printf '| a | b |\n|---|---|\n'; seq -f '| %g | row |' 100000; } > rows.md
run -q -o rows.pdf rows.md
check_eq "100,000 rows to pdf: exit 0" "$RC" 0
check_eq "100,000 rows: every row in the PDF" \
  "$(pdftotext -layout rows.pdf - | grep -c ' row$')" 100000
check_eq "100,000 rows: a header atop every page" \
  "$(pdftotext -layout rows.pdf - | grep -c '^ *a  *b *$')" \
  "$(pdfinfo rows.pdf | sed -n 's/^Pages: *//p')"

finish e2e-bounds

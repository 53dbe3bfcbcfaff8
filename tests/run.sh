#!/usr/bin/env bash
# run.sh GALLEY UNIT [ASAN_GALLEY ASAN_UNIT] - the whole suite: unit tests and
# end-to-end tests for each build given.  Ends with "N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
passed=0
failed=0
tally() { # reads "...: N passed, N failed" from the last line of a log
  local line; line=$(grep -E '^[a-z0-9 -]*: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
  if [ -z "$line" ]; then
    echo "FAIL $2: no result line (crashed?)"; tail -5 "$1"; failed=$((failed + 1)); return
  fi
  local p f
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f))
  echo "$2: $p passed, $f failed"
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
first_galley=$(realpath "$1")
san_galley=${3:-} # the sanitizer build's, when given: e2e_fonts runs its damaged fonts through it too
while [ $# -ge 2 ]; do
  galley=$1 unit=$2; shift 2
  label=$(basename "$(dirname "$galley")")
  [ "$label" = build ] && label=plain
  "$unit" >"$log" 2>&1; grep '^FAIL' "$log"; tally "$log" "unit ($label)"
  # The EPUB and style suites are mostly EPUBCheck time and run once, on the plain
  # build; the hostile inputs run on the sanitizer build, where a slip
  # shows; the PDF suite runs on both.  The fonts suite runs on the plain
  # build and sends its damaged fonts through the sanitizer build as well.
  suites="e2e e2e_pdf e2e_style e2e_bounds e2e_fonts"
  suites="$suites e2e_epub_a11y" # plain only: EPUBCheck and DAISY Ace time
  [ "$label" != plain ] && suites="e2e_pdf e2e_hostile"
  suites="$suites e2e_output e2e_gfm e2e_images e2e_circular" # both builds: outputs; GFM through both writers; images; the circular's elements
  suites="$suites e2e_tagged" # both builds: the tagged PDF's structure tree
  suites="$suites e2e_epubfonts" # both builds: the EPUB's fonts (hb-subset under the sanitizers)
  suites="$suites e2e_shaping e2e_cjk" # both builds: shaping, bidi, hyphenation; Chinese titles and last lines
  suites="$suites e2e_library" # both builds: a program built against the installed libgalley
  suites="$suites e2e_floats" # both builds: figures that float to the next page
  [ "$label" = plain ] && suites="$suites e2e_install" # plain build only: options documented, install tree
  [ "$label" = plain ] && suites="$suites e2e_pagelist" # plain build only: mostly EPUBCheck and poppler time
  for suite in $suites; do
    extra=()
    [ "$suite" = e2e_fonts ] && [ -n "$san_galley" ] && extra=("$san_galley")
    GALLEY_ROOT=$ROOT "$ROOT/tests/$suite.sh" "$galley" ${extra[@]+"${extra[@]}"} >"$log" 2>/dev/null
    grep -E '^(FAIL|skipped)' "$log"; tally "$log" "$suite ($label)"
  done
done
# valgrind on the first (plain) build: no leaks, no invalid reads or writes.
if command -v valgrind >/dev/null; then
  vdir=$(mktemp -d)
  for out in x.pdf x.epub; do
    if SOURCE_DATE_EPOCH=0 valgrind -q --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
        "$first_galley" -q --book -o "$vdir/$out" "$ROOT"/samples/*.md \
        >"$log" 2>&1; then
      passed=$((passed + 1)); echo "valgrind ($out): clean"
    else
      failed=$((failed + 1)); echo "FAIL valgrind ($out)"; head -20 "$log"
    fi
  done
  rm -rf "$vdir"
fi

# Each fuzz target runs briefly from its seed corpus and with its
# dictionary: a crash, leak, sanitizer report or timeout fails it.  The seed
# is fixed, so the run tries the same inputs every time (new ground is for
# `make fuzz`).  FUZZERS lists the binaries (the Makefile's FUZZ_TARGETS);
# build/fuzz/fuzz-T reads tests/fuzz/seeds-T/ (else tests/fuzz/seeds/) and
# tests/fuzz/T.dict when they are there.
for f in ${FUZZERS:-}; do
  t=$(basename "$f"); t=${t#fuzz-}
  seeds=$ROOT/tests/fuzz/seeds-$t
  [ -d "$seeds" ] || seeds=$ROOT/tests/fuzz/seeds
  dict=()
  [ -f "$ROOT/tests/fuzz/$t.dict" ] && dict=(-dict="$ROOT/tests/fuzz/$t.dict")
  corpus=$(mktemp -d)
  case $t in # style and font about 10 s each under the sanitizers
    convert) runs=500 ;;  # each input goes to PDF and EPUB
    font) runs=20000 ;;   # each input a font loaded, subset and embedded
    style) runs=30000 ;;  # each input files written, loaded, re-imaged
    *) runs=3000 ;;
  esac
  if GALLEY_ROOT=$ROOT "$f" -seed=1 -runs="$runs" \
      -max_total_time="${FUZZ_SMOKE_TIME:-60}" \
      -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$corpus/" "$corpus" "$seeds" \
      >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    passed=$((passed + 1)); echo "fuzz $(basename "$f"): ok (${runs:-?} inputs)"
  else
    failed=$((failed + 1)); echo "FAIL fuzz $(basename "$f")"; grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    corpus= # kept: the input that failed is in it
  fi
  [ -z "$corpus" ] || rm -rf "$corpus"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

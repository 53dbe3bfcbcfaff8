#!/usr/bin/env bash
# run.sh GALLEY UNIT [ASAN_GALLEY ASAN_UNIT] - the whole suite: unit tests and
# end-to-end tests for each build given, valgrind, and each fuzz target
# briefly.  Ends with "N passed, N failed".
#
# The steps run TEST_JOBS at a time (2, the cores the suite is meant for),
# the slowest first, each with its own log and scratch folder; their reports
# are printed in the order below whatever order they end in.  TEST_TIMES=1
# adds each step's wall and processor time (on standard error).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
JOBS=${TEST_JOBS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tally() { # LOG NAME: reads "...: N passed, N failed" from the last line of a log
  local line; line=$(grep -E '^[a-z0-9 -]*: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -1)
  if [ -z "$line" ]; then
    echo "FAIL $2: no result line (crashed?)"; tail -5 "$1"; echo "0 1" >"$TALLY"; return
  fi
  local p f
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")
  echo "$p $f" >"$TALLY"
  echo "$2: $p passed, $f failed"
}

# ---- the steps: each prints its report and leaves "PASSED FAILED" in $TALLY ----

step_unit() { # UNIT LABEL
  "$1" >"$LOG" 2>&1; grep '^FAIL' "$LOG"; tally "$LOG" "unit ($2)"
}

step_suite() { # SUITE LABEL GALLEY [ARG]
  local suite=$1 label=$2; shift 2
  GALLEY_ROOT=$ROOT "$ROOT/tests/$suite.sh" "$@" >"$LOG" 2>/dev/null
  grep -E '^(FAIL|skipped)' "$LOG"; tally "$LOG" "$suite ($label)"
}

# valgrind on the plain build: no leaks, no invalid reads or writes.
step_valgrind() { # GALLEY OUTPUT
  local vdir; vdir=$(mktemp -d)
  if SOURCE_DATE_EPOCH=0 valgrind -q --leak-check=full \
      --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
      "$1" -q --book -o "$vdir/$2" "$ROOT"/samples/*.md \
      >"$LOG" 2>&1; then
    echo "1 0" >"$TALLY"; echo "valgrind ($2): clean"
  else
    echo "0 1" >"$TALLY"; echo "FAIL valgrind ($2)"; head -20 "$LOG"
  fi
  rm -rf "$vdir"
}

# Each fuzz target runs briefly from its seed corpus and with its
# dictionary: a crash, leak, sanitizer report or timeout fails it.  The seed
# is fixed, so the run tries the same inputs every time (new ground is for
# `make fuzz`).  FUZZERS lists the binaries (the Makefile's FUZZ_TARGETS);
# build/fuzz/fuzz-T reads tests/fuzz/seeds-T/ (else tests/fuzz/seeds/) and
# tests/fuzz/T.dict when they are there.
step_fuzz() { # FUZZER
  local f=$1 t seeds corpus runs dict=()
  t=$(basename "$f"); t=${t#fuzz-}
  seeds=$ROOT/tests/fuzz/seeds-$t
  [ -d "$seeds" ] || seeds=$ROOT/tests/fuzz/seeds
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
      >"$LOG" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG")
    echo "1 0" >"$TALLY"; echo "fuzz $(basename "$f"): ok (${runs:-?} inputs)"
  else
    echo "0 1" >"$TALLY"; echo "FAIL fuzz $(basename "$f")"
    grep -E 'ERROR|SUMMARY|Test unit written' "$LOG" | head -5
    corpus= # kept: the input that failed is in it
  fi
  [ -z "$corpus" ] || rm -rf "$corpus"
}

# ---- the list, in the order the reports are printed ----
steps=() # "FUNCTION ARG..." (each word quoted for eval)
add() { local s; printf -v s '%q ' "$@"; steps+=("$s"); }
first_galley=$(realpath "$1")
san_galley=${3:-} # the sanitizer build's, when given: e2e_fonts runs its damaged fonts through it too
while [ $# -ge 2 ]; do
  galley=$1 unit=$2; shift 2
  label=$(basename "$(dirname "$galley")")
  [ "$label" = build ] && label=plain
  add step_unit "$unit" "$label"
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
    if [ "$suite" = e2e_fonts ] && [ -n "$san_galley" ]; then
      add step_suite "$suite" "$label" "$galley" "$san_galley"
    else
      add step_suite "$suite" "$label" "$galley"
    fi
  done
done
if command -v valgrind >/dev/null; then
  for out in x.pdf x.epub; do add step_valgrind "$first_galley" "$out"; done
fi
for f in ${FUZZERS:-}; do add step_fuzz "$f"; done

# ---- the order they start in: the slowest first, so the lanes end together ----
slow="e2e_hostile|e2e_epub_a11y|e2e |e2e_style|e2e_images|e2e_circular|e2e_epubfonts"
order=()
for i in "${!steps[@]}"; do [[ ${steps[$i]} =~ ^step_suite\ ($slow) ]] && order+=("$i"); done
for i in "${!steps[@]}"; do [[ ${steps[$i]} =~ ^step_suite\ ($slow) ]] || order+=("$i"); done

run_step() { # INDEX: in a subshell, its report to $work/INDEX.out
  local start=$SECONDS t
  LOG=$work/$1.log TALLY=$work/$1.tally
  eval "${steps[$1]}"
  t=$(times | tail -1) # the processor time of the step's children
  echo "$((SECONDS - start)) $t" >"$work/$1.time"
  : >"$work/$1.done"
}

passed=0 failed=0 next=0
report() { # prints the reports of the steps ended so far, in the list's order
  local p f wall user sys
  while [ "$next" -lt "${#steps[@]}" ] && [ -f "$work/$next.done" ]; do
    cat "$work/$next.out"
    read -r p f <"$work/$next.tally" || { p=0 f=1; echo "FAIL ${steps[$next]}: no tally"; }
    passed=$((passed + p)) failed=$((failed + f))
    if [ -n "${TEST_TIMES:-}" ]; then
      read -r wall user sys <"$work/$next.time"
      echo "  time: ${wall} s, processor ${user} user ${sys} sys" >&2
    fi
    next=$((next + 1))
  done
}
for i in "${order[@]}"; do
  while [ "$(jobs -pr | wc -l)" -ge "$JOBS" ]; do wait -n; report; done
  run_step "$i" >"$work/$i.out" 2>&1 &
done
wait
report
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

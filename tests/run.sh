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
while [ $# -ge 2 ]; do
  galley=$1 unit=$2; shift 2
  label=$(basename "$(dirname "$galley")")
  [ "$label" = build ] && label=plain
  "$unit" >"$log" 2>&1; grep '^FAIL' "$log"; tally "$log" "unit ($label)"
  for suite in e2e e2e_pdf; do
    GALLEY_ROOT=$ROOT "$ROOT/tests/$suite.sh" "$galley" >"$log" 2>/dev/null
    grep '^FAIL' "$log"; tally "$log" "$suite ($label)"
  done
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

# lib.sh - shared helpers for the end-to-end tests (sourced).
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1${2:+: $2}"; return 0; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi
}

# EPUBCheck with 0 errors and 0 warnings.
epub_valid() {
  local out
  out=$(java -jar /usr/share/java/epubcheck.jar "$1" 2>&1)
  if [ $? -eq 0 ] && grep -q "No errors or warnings detected" <<<"$out"; then
    return 0
  fi
  grep -E "ERROR|WARNING|FATAL" <<<"$out" | head -5 >&2
  return 1
}

check_epub() { # NAME FILE
  if epub_valid "$2" 2>"$TMP/epubcheck.err"; then pass "$1"
  else fail "$1" "$(head -3 "$TMP/epubcheck.err")"; fi
}

# XPath string value in an entry of an EPUB, namespaces ignored.
epub_xpath() { # FILE ENTRY XPATH
  unzip -p "$1" "$2" | xmllint --xpath "$3" - 2>/dev/null
}

opf() { unzip -p "$1" OEBPS/package.opf; }

# check_eq NAME GOT WANT
check_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got [$2], want [$3]"; fi
}

# check_has NAME HAYSTACK NEEDLE (fixed string)
check_has() {
  if grep -qF -- "$3" <<<"$2"; then pass "$1"; else fail "$1" "no [$3] in [${2:0:300}]"; fi
}

check_lacks() {
  if grep -qF -- "$3" <<<"$2"; then fail "$1" "found [$3]"; else pass "$1"; fi
}

# The start every suite shares: $1 is the galley binary.  Sets GALLEY, ROOT
# and TMP (a scratch folder, removed on exit, made the working folder), fixes
# the timestamps, and sends sanitizer reports where finish() looks for them.
begin() {
  GALLEY=$(realpath "$1")
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  export SOURCE_DATE_EPOCH=1700000000
  mkdir -p "$TMP/san"
  export ASAN_OPTIONS="log_path=$TMP/san/asan:detect_leaks=1"
  export UBSAN_OPTIONS="log_path=$TMP/san/ubsan:print_stacktrace=1:halt_on_error=1"
  cd "$TMP" || exit 1
}

# The end: no sanitizer report may exist; then "NAME: N passed, N failed".
finish() { # NAME
  local reports
  reports=$(cat "$TMP"/san/* 2>/dev/null)
  if [ -z "$reports" ]; then pass "no sanitizer or leak reports"
  else fail "no sanitizer or leak reports" "$(head -20 <<<"$reports")"; fi
  echo "$1: $PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

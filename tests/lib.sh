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
  export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0"
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

# ---- shared by the suites that run galley on hostile input ----

# gal ARGS...: runs galley, killed after LIMIT seconds (each suite sets
# LIMIT); the exit status is in RC (124: it hung), its stderr in ERR.
LIMIT=${LIMIT:-120}
RC=0 ERR=
gal() {
  timeout "$LIMIT" "$GALLEY" "$@" >"$TMP/gal.out" 2>"$TMP/gal.err"
  RC=$?
  ERR=$(cat "$TMP/gal.err")
}
check_rc() { # NAME WANT
  if [ "$RC" = 124 ]; then fail "$1" "hung: killed after ${LIMIT}s"
  elif [ "$RC" = "$2" ]; then pass "$1"
  else fail "$1" "exit $RC, want $2${ERR:+: $(head -c 300 <<<"$ERR")}"; fi
}

# What is wrong with a PDF: qpdf --check must exit 0 and pdftotext must read
# it without a word on stderr.  The text is kept in FILE.txt for later checks.
pdf_problems() { # PDF
  local out rc
  [ -s "$1" ] || { echo "no file $1"; return; }
  out=$(qpdf --check "$1" 2>&1)
  rc=$?
  [ $rc = 0 ] || echo "qpdf --check exit $rc: $(grep -v -e '^checking' -e '^PDF Version' -e '^File is' <<<"$out" | head -3)"
  pdftotext "$1" "$1.txt" 2>"$1.pterr"
  [ -s "$1.pterr" ] && echo "pdftotext: $(head -c 200 "$1.pterr")"
}
check_pdf() { # NAME PDF
  local p; p=$(pdf_problems "$2")
  if [ -z "$p" ]; then pass "$1"; else fail "$1" "$p"; fi
}

# Slow checks run in the background while the next conversions run (two
# cores); each prints what is wrong, and collect reports them all.
BG=() BGN=0
bg_check() { # NAME COMMAND ARGS...
  local name=$1 f=$TMP/bg.$((BGN += 1)); shift
  "$@" >"$f" 2>&1 &
  BG+=("$f|$name")
}
collect() {
  local e p
  wait
  for e in ${BG[@]+"${BG[@]}"}; do
    p=$(cat "${e%%|*}" 2>/dev/null)
    if [ -z "$p" ]; then pass "${e#*|}"; else fail "${e#*|}" "$p"; fi
  done
  BG=()
}
epubcheck_problems() { # EPUB
  local out
  out=$(epub_valid "$1" 2>&1) || echo "EPUBCheck: ${out:-failed}"
}
check_epub_bg() { bg_check "$1" epubcheck_problems "$2"; } # NAME EPUB

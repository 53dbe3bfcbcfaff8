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

# check_epub NAME FILE: EPUBCheck passes FILE with 0 errors and 0 warnings.
# A copy of FILE as it is now is queued; finish() checks the queue, so the
# verdicts come at the suite's end (check_epub_bg is the same).
EPUBCHECK_JAR=/usr/share/java/epubcheck.jar
# JVMs that check a few EPUBs and end: the optimising compiler and the
# parallel collector would cost more CPU than they save.
EPUBCHECK_JVM=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
EPUB_NAMES=()
check_epub() {
  local d=$TMP/epubcheck/${#EPUB_NAMES[@]}
  EPUB_NAMES+=("$1")
  mkdir -p "$d"
  [ -f "$2" ] && cp "$2" "$d/" || { echo "FATAL: no file $2" >"$d/out"; echo 1 >"$d/rc"; }
}
check_epub_bg() { check_epub "$@"; } # NAME EPUB

# The queue in one JVM when the JDK's source launcher is there to compile
# tests/epubcheck_batch.java (which runs EPUBCheck's command line on each
# EPUB in turn): starting a JVM and compiling EPUBCheck's schemas cost more
# than checking an EPUB.  Without it, or for an EPUB the batch left without
# a verdict, one JVM each, as `epubcheck FILE`.
epub_check_queue() {
  local i d out dirs=()
  for i in "${!EPUB_NAMES[@]}"; do
    [ -f "$TMP/epubcheck/$i/rc" ] || dirs+=("$TMP/epubcheck/$i")
  done
  if [ ${#dirs[@]} -gt 0 ] && command -v javac >/dev/null; then
    java "${EPUBCHECK_JVM[@]}" -cp "$EPUBCHECK_JAR" "$ROOT/tests/epubcheck_batch.java" \
      "${dirs[@]}" >"$TMP/epubcheck/batch.log" 2>&1
  fi
  for i in "${!EPUB_NAMES[@]}"; do
    d=$TMP/epubcheck/$i
    if [ ! -f "$d/rc" ]; then
      java "${EPUBCHECK_JVM[@]}" -jar "$EPUBCHECK_JAR" "$d"/*.epub >"$d/out" 2>&1
      echo $? >"$d/rc"
    fi
    if [ "$(cat "$d/rc")" = 0 ] && grep -q "No errors or warnings detected" "$d/out"; then
      pass "${EPUB_NAMES[$i]}"
    else
      out=$(grep -E "ERROR|WARNING|FATAL" "$d/out" | head -3)
      fail "${EPUB_NAMES[$i]}" "${out:-$(tail -3 "$d/out")}"
    fi
  done
  EPUB_NAMES=()
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

# svg_galley ARGS...: galley on a document with an SVG, without
# LeakSanitizer's check at exit.  Under the sanitizers, a process that had
# forked librsvg's child (src/image_svg.c) often ended in "Tracer caught
# signal 11", LeakSanitizer's own crash, with stderr sent to /dev/null
# (not to a file or a pipe), since shaping and the library came in; the
# address and undefined-behaviour checks stay on, and valgrind's leak
# check runs on every sample, the SVG one included (tests/run.sh).
svg_galley() { ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$GALLEY" "$@"; }

# The end: no sanitizer report may exist; then "NAME: N passed, N failed".
finish() { # NAME
  local reports
  collect
  epub_check_queue
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

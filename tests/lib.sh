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

#!/usr/bin/env bash
# e2e_install.sh GALLEY - what a packager gets: the options --help, the man
# page and the program's own option table name are the same; the libraries
# are linked shared; `make install` into a temporary PREFIX under DESTDIR
# gives a tree that converts from any folder, moved or not; a lone copy of
# the binary says where it looked for its data.  Runs on the plain build.
# Prints "e2e-install: N passed, N failed" (VERBOSE=1 lists every check).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# ---- 1. --help, the man page and the option table agree ----

# The options --help lists: its option lines are indented two columns (a
# short option first) or six (a long option alone); continuation lines,
# indented further, are left out, so an option named in a description
# does not count.
help_options() {
  "$GALLEY" --help | grep -E '^ {2}-[A-Za-z], --|^ {6}--' |
    sed -E 's/^ +//; s/  .*//' |
    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z-]*' | tr -d ' ,' | sort -u
}

# The options the man page's OPTIONS section tags (.TP then its tag line).
man_options() {
  awk '/^\.SH /{on = ($2 == "OPTIONS")} on && tag {print} {tag = on && /^\.TP/}' \
    "$ROOT/src/galley.1" | sed 's/\\-/-/g' |
    grep -oE '(^|[ ",])--?[A-Za-z][A-Za-z-]*' | tr -d ' ",' | sort -u
}

# The options getopt_long takes (src/main.c): the long table's names and
# the short option string.
source_options() {
  local src=$ROOT/src/main.c
  { sed -n 's/^ *{"\([a-z-]*\)", \(no\|required\)_argument.*/--\1/p' "$src"
    sed -n 's/.*getopt_long(argc, argv, "\([^"]*\)".*/\1/p' "$src" |
      tr -d ':' | grep -o . | sed 's/^/-/'; } | sort -u
}

test_docs() {
  local help man src
  help=$(help_options) man=$(man_options) src=$(source_options)
  check "--help lists options" test "$(wc -l <<<"$help")" -gt 15
  check "the man page lists options" test "$(wc -l <<<"$man")" -gt 15
  check "the source's option table is read" test "$(wc -l <<<"$src")" -gt 15
  check_eq "--help and the man page list the same options" \
    "$(comm -3 <(echo "$help") <(echo "$man") | tr '\n\t' ' ')" ""
  check_eq "--help lists every option the program takes, and no other" \
    "$(comm -3 <(echo "$help") <(echo "$src") | tr '\n\t' ' ')" ""
  check_has "--help documents -o -" "$("$GALLEY" --help)" "-o - writes standard"
  check_has "the man page documents -o -" "$(cat "$ROOT/src/galley.1")" \
    '\fB\-o \-\fR writes standard output'
  check_has "the man page documents --resource-path" \
    "$(man_options)" "--resource-path"
  # the comparison can fail: an option left out of one side is seen
  check_has "the comparison sees a dropped option" \
    "$(comm -3 <(echo "$help" | grep -v -- --verbose) <(echo "$man"))" "--verbose"
}
test_docs

finish e2e-install

#!/usr/bin/env bash
# e2e_install.sh GALLEY - what a packager gets: the options --help, the man
# page and the program's own option table name are the same; the program
# links libgalley.so, which links the other libraries shared; `make
# install` into a temporary PREFIX under DESTDIR gives a tree (program,
# library, header, galley.pc, modules, data) that converts from any
# folder, moved or not; a lone copy of the program and its library says
# where it looked for its data.  Runs on the plain build.
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
  { sed -n 's/^ *{"\([a-z-]*\)", \(no\|required\|optional\)_argument.*/--\1/p' "$src"
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
  if command -v groff >/dev/null; then
    check_eq "the man page formats without a warning" \
      "$(groff -man -Tutf8 -ww -z "$ROOT/src/galley.1" 2>&1)" ""
  fi
  # the comparison can fail: an option left out of one side is seen
  check_has "the comparison sees a dropped option" \
    "$(comm -3 <(echo "$help" | grep -v -- --verbose) <(echo "$man"))" "--verbose"
}
test_docs

# ---- 2. the libraries are linked shared, no soname forced ----
test_linking() {
  local dir; dir=$(dirname "$GALLEY")
  local needed; needed=$(readelf -d "$GALLEY" | grep NEEDED)
  check_has "the program links libgalley shared, by its soname" "$needed" "[libgalley.so.0]"
  check_lacks "... and no other library of galley's" "$needed" "cmark"
  local lib=$dir/libgalley.so.0
  needed=$(readelf -d "$lib" | grep NEEDED)
  check_has "libgalley links libcmark-gfm shared" "$needed" "[libcmark-gfm.so"
  check_has "... its extensions library shared" "$needed" "[libcmark-gfm-extensions.so"
  check_has "... and libyaml shared" "$needed" "[libyaml-0.so"
  check_lacks "no cmark-gfm code of its own copy" "$(nm -D "$lib" 2>&1)" " T cmark_parser_new"
  check_lacks "no libyaml code of its own copy" "$(nm -D "$lib" 2>&1)" " T yaml_parser_initialize"
  needed=$(readelf -d "$dir/galley-epub.so" | grep NEEDED)
  check_has "the EPUB module links libzip" "$needed" "[libzip.so"
  check_lacks "the EPUB module forces no libcrypto of its own" "$needed" "libcrypto"
  check_has "libdeflate is linked shared" \
    "$(readelf -d "$dir/galley-pdf.so" | grep NEEDED)" "[libdeflate.so"
}
test_linking

# ---- 3. make install: a tree that works from anywhere ----
PREFIX=/opt/galley-test-prefix
test_install() {
  local dest=$TMP/dest tree
  # a build of its own, so that the PREFIX compiled in is this one and the
  # build under test stays as it is
  # (under `make test`, not the calling make's jobserver or variables);
  # seeded with a copy of the build under test, so only what the PREFIX
  # touches (paths.h: galley.o, writer.o, resource.o; the library and the
  # program linked again) is compiled again
  local src; src=$(dirname "$GALLEY")
  if [ -d "$src/obj" ]; then
    mkdir -p "$TMP/build"
    (cd "$src" && tar cf - --exclude=./asan --exclude=./fuzz --exclude=./previews \
      --exclude='./build-*' .) | (cd "$TMP/build" && tar xf -)
  fi
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" -j2 \
    BUILD="$TMP/build" PREFIX="$PREFIX" DESTDIR="$dest" install \
    >"$TMP/make.log" 2>&1
  local rc=$?
  check_eq "make install PREFIX=... DESTDIR=...: done" "$rc" 0
  [ "$rc" = 0 ] || tail -5 "$TMP/make.log"
  tree=$dest$PREFIX
  local f
  for f in bin/galley lib/galley/galley-pdf.so lib/galley/galley-epub.so \
    lib/galley/galley-epub-fonts.so share/galley/styles/article.yaml \
    share/galley/styles/circular.yaml share/galley/styles/book.yaml \
    share/man/man1/galley.1 lib/libgalley.so.0 lib/libgalley.so \
    lib/libgalley.a include/galley.h lib/pkgconfig/galley.pc; do
    check "installed: $f" test -s "$tree/$f"
  done
  check "installed: the program is executable" test -x "$tree/bin/galley"
  check_eq "installed: libgalley.so.0 is a link to the versioned file" \
    "$(readlink "$tree/lib/libgalley.so.0")" "libgalley.so.$(sed -n 's/^#define GALLEY_VERSION "\(.*\)"/\1/p' "$ROOT/src/galley.h")"
  check_eq "installed: libgalley.so (to link with) is a link to the soname" \
    "$(readlink "$tree/lib/libgalley.so")" "libgalley.so.0"
  check_has "galley.pc names the PREFIX" "$(cat "$tree/lib/pkgconfig/galley.pc")" "prefix=$PREFIX"
  check "the data folder of PREFIX is compiled in, as a last resort" \
    grep -qa "$PREFIX/share/galley" "$tree/lib/libgalley.so.0"
  check "... and its module folder" grep -qa "$PREFIX/lib/galley" "$tree/lib/libgalley.so.0"
  check_lacks "... and no other PREFIX" "$(strings "$tree/lib/libgalley.so.0")" "/usr/local/share/galley"
  check_has "the program finds the library from where it lies" \
    "$(readelf -d "$tree/bin/galley" | grep RUNPATH)" '$ORIGIN/../lib'

  # moved elsewhere (neither PREFIX nor DESTDIR exists any more) and run
  # from another folder, with no GALLEY_DATADIR
  mkdir -p "$TMP/moved" "$TMP/work/sub"
  mv "$tree" "$TMP/moved/galley"
  rm -rf "$dest"
  cp "$ROOT/samples/news-report.md" "$ROOT/samples/circular.md" "$TMP/work/"
  cd "$TMP/work/sub" || return
  env -u GALLEY_DATADIR "$TMP/moved/galley/bin/galley" -q -o ../news.pdf ../news-report.md
  check_eq "moved tree, another folder: converts to PDF" $? 0
  check "... a PDF" test "$(head -c 5 ../news.pdf)" = "%PDF-"
  env -u GALLEY_DATADIR "$TMP/moved/galley/bin/galley" -q -o ../news.epub ../news-report.md
  check_eq "moved tree: converts to EPUB" $? 0
  check_epub "... a valid EPUB" ../news.epub
  env -u GALLEY_DATADIR "$TMP/moved/galley/bin/galley" -q --style circular \
    -t pdf,epub --outdir ../out ../circular.md
  check "moved tree: the circular style, both formats" \
    test -s ../out/circular.pdf -a -s ../out/circular.epub
  # through a symbolic link in a folder on PATH, as /usr/local/bin might hold
  mkdir -p "$TMP/bin" && ln -s "$TMP/moved/galley/bin/galley" "$TMP/bin/galley"
  env -u GALLEY_DATADIR PATH="$TMP/bin:$PATH" galley -q -o ../link.pdf ../news-report.md
  check_eq "through a symbolic link on PATH: converts" $? 0

  # a lone copy of the program and its library says every place it
  # looked for its styles, from the library's folder
  mkdir -p "$TMP/lone"
  cp "$TMP/moved/galley/bin/galley" "$TMP/lone/galley"
  cp -L "$TMP/moved/galley/lib/libgalley.so.0" "$TMP/lone/"
  env -u GALLEY_DATADIR "$TMP/lone/galley" -o ../lone.pdf ../news-report.md \
    2>"$TMP/lone.err"
  check_eq "a lone program: usage error" $? 2
  local err; err=$(cat "$TMP/lone.err")
  check_lacks "a lone program: not an unknown style" "$err" 'unknown style'
  check_has "a lone program: says what it looked for" "$err" "cannot find galley's styles"
  check_has "... beside an installed tree" "$err" "$TMP/lone/../share/galley"
  check_has "... beside a multiarch library folder" "$err" "$TMP/lone/../../share/galley"
  check_has "... in a source tree" "$err" "$TMP/lone/.., $TMP/lone/../.."
  check_has "... in the PREFIX it was built for" "$err" "$PREFIX/share/galley"
  check_has "... and how to point it at its data" "$err" "GALLEY_DATADIR"
  GALLEY_DATADIR=$TMP/nowhere "$TMP/lone/galley" -o ../lone.pdf ../news-report.md \
    2>"$TMP/lone.err"
  check_has "a GALLEY_DATADIR without styles is named too" "$(cat "$TMP/lone.err")" "$TMP/nowhere"
  check "a lone program wrote nothing" test ! -e ../lone.pdf
  cd "$TMP" || exit 1
}
test_install

finish e2e-install

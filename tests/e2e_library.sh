#!/usr/bin/env bash
# e2e_library.sh GALLEY - libgalley as a program embedding it sees it: the
# build of GALLEY (build/galley, or the sanitizer build's build/asan/galley)
# installed into a temporary PREFIX with `make install`; a program
# (tests/library/client.c) built against the installed library with
# `pkg-config --cflags --libs galley` converts Markdown bytes to PDF and
# EPUB bytes in memory, and checks messages, errors and versions; the
# same built against libgalley.a; only the API exported; the library
# finding its data from where it lies; memory running out
# (tests/library/oom.c, plain build); valgrind on the client (plain
# build).  Prints "e2e-library: N passed, N failed" (VERBOSE=1 lists every
# check).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

BUILD_DIR=$(dirname "$GALLEY")
# A sanitizer build: its library calls the sanitizers' runtime, which the
# program built against it must then bring (clang, as `make asan` uses).
SAN=
nm -D "$BUILD_DIR/libgalley.so.0" 2>/dev/null | grep -q ' U __asan' && SAN=1
if [ -n "$SAN" ]; then
  CC_TEST=clang
  SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
else
  CC_TEST=${CC:-cc}
  SAN_FLAGS=
fi
STRICT="-std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes"

# ---- 1. make install ----
PREFIX=$TMP/prefix
install_library() {
  # a build of its own, seeded with the one under test, so only what the
  # PREFIX touches is compiled again and the build under test stays as it
  # is (not under the calling make's jobserver or variables)
  local build=$TMP/build target=install
  mkdir -p "$build"
  if [ -n "$SAN" ]; then # make install-asan installs $(BUILD)/asan
    mkdir -p "$build/asan"
    (cd "$BUILD_DIR" && tar cf - .) | (cd "$build/asan" && tar xf -)
    target=install-asan
  else
    (cd "$BUILD_DIR" && tar cf - --exclude=./asan --exclude=./fuzz \
      --exclude=./clang --exclude=./previews --exclude='./build-*' .) |
      (cd "$build" && tar xf -)
  fi
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" -j2 \
    BUILD="$build" PREFIX="$PREFIX" "$target" >"$TMP/make.log" 2>&1
  local rc=$?
  check_eq "make $target PREFIX=...: done" "$rc" 0
  [ "$rc" = 0 ] || tail -5 "$TMP/make.log"
}
install_library

export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
VERSION=$(sed -n 's/^#define GALLEY_VERSION "\(.*\)"/\1/p' "$ROOT/src/galley.h")
LIB=$PREFIX/lib/libgalley.so.$VERSION

# ---- 2. pkg-config, the header, the symbols ----
test_package() {
  check_eq "pkg-config knows galley's version" \
    "$(pkg-config --modversion galley 2>&1)" "$VERSION"
  check_has "--cflags: the installed header's folder" \
    "$(pkg-config --cflags galley)" "-I$PREFIX/include"
  check_has "--libs: the installed library" "$(pkg-config --libs galley)" \
    "-L$PREFIX/lib -lgalley"
  check_has "--static --libs: what libgalley.a needs too" \
    "$(pkg-config --static --libs galley)" "-lcmark-gfm"
  check_has "the library's soname" "$(readelf -d "$LIB" | grep SONAME)" \
    "[libgalley.so.0]"
  # every name exported is declared in the header, and every declared one
  # exported, in the version node GALLEY_0
  local exported declared
  exported=$(nm -D --defined-only "$LIB" | awk '$3 != "GALLEY_0" {print $3}' | sort)
  declared=$(grep -o 'galley_[a-z_]*(' "$PREFIX/include/galley.h" | tr -d '(' |
    sort -u | sed 's/$/@@GALLEY_0/')
  check "the library exports functions" test "$(wc -l <<<"$exported")" -gt 20
  check_eq "it exports the header's functions and nothing else" \
    "$(comm -3 <(echo "$exported") <(echo "$declared") | tr '\n\t' ' ')" ""
  check_eq "libgalley.a: only the API's names are global" \
    "$(nm -g --defined-only "$PREFIX/lib/libgalley.a" | awk 'NF == 3 && $3 !~ /^galley_/' | head -3)" ""
  # the header stands alone, in strict C and in C++
  printf '#include <galley.h>\nint main(void) { return galley_version_number() < 0; }\n' >hdr.c
  check "the header compiles alone, strictly" \
    "$CC_TEST" $STRICT $(pkg-config --cflags galley) -fsyntax-only hdr.c
  if command -v g++ >/dev/null; then
    check "... and as C++" g++ -std=c++11 -Wall -Wextra -Werror \
      $(pkg-config --cflags galley) -fsyntax-only -x c++ hdr.c
  fi
}
test_package

# ---- 3. a program built against the installed library ----
# client NAME BINARY: runs `BINARY check OUT`, each "ok"/"FAIL" line a
# check of its own
run_client() {
  local label=$1 bin=$2 out=$TMP/out-$1
  mkdir -p "$out"
  "$bin" check "$out" >"$TMP/client.log" 2>"$TMP/client.err"
  local rc=$? line n=0
  while IFS= read -r line; do
    case $line in
      "ok "*) pass "$label: ${line#ok }"; n=$((n + 1)) ;;
      "FAIL "*) fail "$label: ${line#FAIL }"; n=$((n + 1)) ;;
    esac
  done <"$TMP/client.log"
  check_eq "$label: the program ran to its end" "$rc" 0
  [ "$rc" = 0 ] || head -5 "$TMP/client.err"
  check "$label: it made its checks" test "$n" -gt 60
}

test_client() {
  # shellcheck disable=SC2046
  "$CC_TEST" $STRICT $SAN_FLAGS $(pkg-config --cflags galley) \
    "$ROOT/tests/library/client.c" -o client $(pkg-config --libs galley) \
    -Wl,-rpath,"$PREFIX/lib" 2>"$TMP/cc.err"
  check_eq "the client builds with pkg-config --cflags --libs galley" $? 0
  [ -s "$TMP/cc.err" ] && head -5 "$TMP/cc.err"
  check_has "... linking the shared library" "$(readelf -d client | grep NEEDED)" \
    "[libgalley.so.0]"
  run_client shared ./client
  local out=$TMP/out-shared
  check_pdf "the PDF from memory is sound" "$out/memory.pdf"
  check_has "... and holds the text" "$(cat "$out/memory.pdf.txt")" "First paragraph"
  check_pdf "the PDF/A from memory is sound" "$out/options.pdf"
  check_epub_bg "the EPUB from memory passes EPUBCheck" "$out/memory.epub"
  check_epub_bg "the EPUB with options passes EPUBCheck" "$out/options.epub"
  check_epub_bg "the book from two documents passes EPUBCheck" "$out/book.epub"
  check_pdf "the PDF written to a file is sound" "$out/file.pdf"
  collect

  # the same program against libgalley.a: no libgalley.so needed, none of
  # galley's own names in the way
  # shellcheck disable=SC2046
  "$CC_TEST" $STRICT $SAN_FLAGS $(pkg-config --cflags galley) \
    "$ROOT/tests/library/client.c" -o client-static \
    $(pkg-config --static --libs galley | sed 's/-lgalley\b/-l:libgalley.a/') \
    2>"$TMP/cc.err"
  check_eq "the client builds against libgalley.a (pkg-config --static)" $? 0
  [ -s "$TMP/cc.err" ] && head -5 "$TMP/cc.err"
  check_lacks "... needing no libgalley.so" "$(readelf -d client-static | grep NEEDED)" \
    libgalley
  check_lacks "... and holding none of galley's inner names" \
    "$(nm -g --defined-only client-static | awk '{print $3}')" "buf_put"
  run_client static ./client-static
}
test_client

# ---- 4. the library finds its data and modules from where it lies ----
test_relocated() {
  # the installed tree moved: its PREFIX no longer exists, so only the
  # places relative to the library can be right
  mv "$PREFIX" "$TMP/moved"
  LD_LIBRARY_PATH=$TMP/moved/lib env -u GALLEY_DATADIR ./client convert \
    >"$TMP/moved.log" 2>&1
  check_eq "a moved tree: converts, the library finding its data and modules" $? 0
  check_has "... a PDF" "$(cat "$TMP/moved.log")" "a PDF of"
  # the library alone: no data anywhere
  mkdir -p "$TMP/alone"
  cp "$TMP/moved/lib/libgalley.so.$VERSION" "$TMP/alone/libgalley.so.0"
  LD_LIBRARY_PATH=$TMP/alone env -u GALLEY_DATADIR ./client convert \
    >"$TMP/alone.log" 2>&1
  check_eq "a lone library: the conversion fails" $? 1
  local log; log=$(cat "$TMP/alone.log")
  check_has "... with GALLEY_ERR_SETUP" "$log" "status 7 "
  check_has "... and a message saying where it looked" "$log" "cannot find galley's styles"
  check_has "... beside the library" "$log" "$TMP/alone/../share/galley"
  mv "$TMP/moved" "$PREFIX"
}
test_relocated

# ---- 5. memory running out, and leaks (plain build) ----
test_memory() {
  if [ -n "$SAN" ]; then
    pass "memory running out: for the plain build (the sanitizers bring their allocator)"
    return
  fi
  "$CC_TEST" $STRICT $(pkg-config --cflags galley) "$ROOT/tests/library/oom.c" \
    -o oom $(pkg-config --libs galley) -Wl,-rpath,"$PREFIX/lib" 2>"$TMP/cc.err"
  check_eq "the memory test builds" $? 0
  ./oom >"$TMP/oom.log" 2>&1
  local rc=$? line
  while IFS= read -r line; do
    case $line in
      "ok "*) pass "memory: ${line#ok }" ;;
      "FAIL "*) fail "memory: ${line#FAIL }" ;;
    esac
  done <"$TMP/oom.log"
  check_eq "memory: the program was not aborted" "$rc" 0
  check_has "memory: ... and carried on" "$(cat "$TMP/oom.log")" "carried on"
  if command -v valgrind >/dev/null; then
    mkdir -p "$TMP/out-vg"
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
      --error-exitcode=99 ./client check "$TMP/out-vg" >"$TMP/vg.log" 2>&1
    local vrc=$?
    check_eq "valgrind: the client, clean (no leaks, no invalid access)" "$vrc" 0
    [ "$vrc" = 0 ] || grep -v '^ok ' "$TMP/vg.log" | head -20
  fi
}
test_memory

finish e2e-library

#!/usr/bin/env bash
# e2e_output.sh GALLEY - where outputs land and what they may never harm:
# an output that is an input, two inputs written to one output, symbolic
# links, FIFOs, devices and sockets as outputs, the mode and owner of a
# replaced file, temporary files left by a killed galley, FIFOs met in a
# folder walk, and messages (escaped names, warnings capped per input).
# Prints "e2e-output: N passed, N failed" (VERBOSE=1 lists every check).
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

LIMIT=20 # seconds before gal (lib.sh) calls a conversion hung
is_pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ]; }
ROOTUSER=0
[ "$(id -u)" = 0 ] && ROOTUSER=1

article() { # FILE: a small article
  printf -- '---\ntitle: Output test\n---\n# Heading\n\nSome text.\n' >"$1"
}

# ---- 1. an output that is an input is refused, nothing written ----
test_same_file() {
  mkdir -p same && cd same || return
  article same.md && cp same.md orig
  gal -t pdf -o same.md same.md
  check_rc "output = input: usage error" 2
  check_has "output = input: names the output" "$ERR" "same.md: error: is the input same.md itself"
  check "output = input: the source is untouched" cmp -s same.md orig

  ln -s same.md link.pdf
  gal -o link.pdf same.md
  check_rc "output is a link to the input: refused" 2
  check_has "link to the input: names both" "$ERR" "link.pdf: error: is the input same.md itself"
  check "link to the input: source untouched" cmp -s same.md orig
  check "link to the input: the link stays" test -L link.pdf

  ln same.md hard.pdf
  gal -o hard.pdf same.md
  check_rc "output is a hard link to the input: refused" 2
  check "hard link: source untouched" cmp -s same.md orig

  article store.pdf && cp store.pdf orig-store && ln -s store.pdf in-link.md
  gal -o store.pdf in-link.md
  check_rc "input is a link to the output: refused" 2
  check "input a link to the output: the file untouched" cmp -s store.pdf orig-store

  mkdir -p sub
  gal -t pdf -o ./sub/../same.md same.md
  check_rc "another spelling of the input: refused" 2
  check "another spelling: source untouched" cmp -s same.md orig

  article b.md && cp b.md orig-b
  gal --book -t pdf -o b.md same.md b.md
  check_rc "--book onto one of its inputs: refused" 2
  check_has "--book: names the input" "$ERR" "is the input b.md itself"
  check "--book: that input untouched" cmp -s b.md orig-b

  # a.md goes to ./a.pdf, which is the second input (Markdown named .pdf)
  article a.md && article a.pdf && cp a.pdf orig-a
  gal --outdir . -t pdf a.md a.pdf
  check_rc "--outdir onto another input: refused" 2
  check_has "--outdir: names both" "$ERR" "a.pdf: error: is the input a.pdf itself"
  check "--outdir: that input untouched" cmp -s a.pdf orig-a
  check "--outdir: nothing written for the other input" test ! -e a.pdf.pdf

  mkdir -p in od/in && article in/s.md && cp in/s.md orig-s
  ln -s ../../in/s.md od/in/s.pdf
  gal -j 2 --outdir od -t pdf,epub in/s.md
  check_rc "--outdir output a link to its input: refused" 2
  check "--outdir link: input untouched" cmp -s in/s.md orig-s
  check "--outdir link: the EPUB not written either" test ! -e od/in/s.epub
  cd "$TMP" || exit 1
}

# ---- 2. links written through; FIFOs, devices, sockets written into ----
test_special_outputs() {
  mkdir -p special && cd special || return
  article a.md

  echo old >real.pdf
  ln -s real.pdf link.pdf
  gal -o link.pdf a.md
  check_rc "output through a symbolic link: written" 0
  check "the link stays a link" test -L link.pdf
  check "the link's target holds the PDF" is_pdf real.pdf

  mkdir -p tgt lk && echo old >tgt/t.pdf && ln -s ../tgt/t.pdf lk/l.pdf
  gal -o lk/l.pdf a.md
  check "a relative link into another folder: target written" is_pdf tgt/t.pdf
  check "relative link: still a link" test -L lk/l.pdf
  check_eq "relative link: no temporary file in either folder" \
    "$(ls -A tgt lk | grep -c '^\.galley')" 0

  ln -s not-yet.pdf dangling.pdf
  gal -o dangling.pdf a.md
  check "a dangling link: its target is created" is_pdf not-yet.pdf
  check "dangling link: still a link" test -L dangling.pdf

  ln -s loop1.pdf loop2.pdf && ln -s loop2.pdf loop1.pdf
  gal -o loop1.pdf a.md
  check_rc "a link loop: the input fails" 1
  check_has "a link loop: said so" "$ERR" "loop1.pdf: error: cannot follow the symbolic link"

  mkfifo fifo.pdf
  timeout 15 cat fifo.pdf >fifo-got.pdf &
  local reader=$!
  gal -o fifo.pdf a.md
  wait "$reader"
  check_rc "a FIFO as output: written" 0
  check "the FIFO stays a FIFO" test -p fifo.pdf
  check "the reader got the PDF" is_pdf fifo-got.pdf

  rm -f sock.pdf
  timeout 15 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("sock.pdf"); s.listen(1)
open("sock-ready", "w").close()
c, _ = s.accept()
with open("sock-got.pdf", "wb") as f:
    while True:
        b = c.recv(65536)
        if not b: break
        f.write(b)
' &
  local server=$!
  for _ in $(seq 100); do [ -e sock-ready ] && break; sleep 0.05; done
  gal -o sock.pdf a.md
  wait "$server"
  check_rc "a socket as output: written" 0
  check "the socket stays a socket" test -S sock.pdf
  check "the socket's listener got the PDF" is_pdf sock-got.pdf

  if [ "$ROOTUSER" = 1 ] && mknod null c 1 3 2>/dev/null; then
    gal -o null -t pdf a.md
    check_rc "a character device (null) as output: written" 0
    check "the device stays a device" test -c null
    ln -s null null-link.pdf
    gal -o null-link.pdf a.md
    check_rc "a link to a device: written" 0
    check "link to a device: the link stays" test -L null-link.pdf
    check "link to a device: the device stays" test -c null
    gal -j 2 --outdir . -t pdf,epub a.md
    check_rc "sanity: a batch beside the device" 0
  else
    echo "e2e-output: not root: device node checks skipped" >&2
  fi

  gal -o - -t pdf a.md
  check_rc "-o - writes standard output" 0
  check "-o -: a PDF on standard output" is_pdf "$TMP/gal.out"

  # a link to /proc/self/fd/1 first: before the fix it replaced the link
  # itself, which is harmless here but would not be for /dev/stdout
  ln -s /proc/self/fd/1 stdout-link.pdf
  timeout 20 "$GALLEY" -q -o stdout-link.pdf a.md >via-link.pdf 2>/dev/null
  check "a link to standard output: written to it" is_pdf via-link.pdf
  if test -L stdout-link.pdf; then
    pass "a link to standard output stays a link"
    timeout 20 "$GALLEY" -q -t pdf -o /dev/stdout a.md >stdout.pdf 2>/dev/null
    check "-o /dev/stdout into a file" is_pdf stdout.pdf
    check "/dev/stdout stays a link" test -L /dev/stdout
    echo "first line" >appended
    timeout 20 "$GALLEY" -q -t pdf -o /dev/stdout a.md >>appended 2>/dev/null
    check_eq "-o /dev/stdout keeps >> appending" "$(head -1 appended)" "first line"
    check_has "-o /dev/stdout appended the PDF" "$(sed -n 2p appended | head -c 5)" "%PDF-"
    check_eq "-o /dev/stdout into a pipe" \
      "$(timeout 20 "$GALLEY" -q -t pdf -o /dev/stdout a.md 2>/dev/null | head -c 5)" "%PDF-"
  else
    fail "a link to standard output stays a link" "replaced; /dev/stdout checks skipped"
  fi

  echo old >mode.pdf && chmod 600 mode.pdf
  gal -o mode.pdf a.md
  check "a replaced file is written" is_pdf mode.pdf
  check_eq "a replaced 0600 file stays 0600" "$(stat -c %a mode.pdf)" 600
  echo old >mode2.pdf && chmod 640 mode2.pdf
  gal -o mode2.pdf a.md
  check_eq "a replaced 0640 file stays 0640" "$(stat -c %a mode2.pdf)" 640
  rm -f new.pdf
  (umask 027 && "$GALLEY" -q -o new.pdf a.md)
  check_eq "a new file takes the umask" "$(stat -c %a new.pdf)" 640
  if [ "$ROOTUSER" = 1 ]; then
    echo old >owned.pdf && chown 4321:4322 owned.pdf && chmod 604 owned.pdf
    gal -o owned.pdf a.md
    check_eq "a replaced file keeps its owner and group" "$(stat -c %u:%g:%a owned.pdf)" 4321:4322:604
  fi

  # the longest names a folder takes: the temporary file's name must fit
  local long
  long=$(printf '\303\251%.0s' $(seq 120))x
  article "$long.md"
  gal -t pdf "$long.md"
  check_rc "an output name of 244 bytes: written" 0
  check "the long-named output exists" is_pdf "$long.pdf"
  gal -t pdf "$long.md"
  check_rc "and replaced" 0

  mkdir -p folder.pdf
  gal -o folder.pdf a.md
  check_rc "a folder as output: the input fails" 1
  check_has "a folder as output: said so" "$ERR" "folder.pdf: error: is a folder"
  cd "$TMP" || exit 1
}

# ---- 3. two inputs, one output: refused before any work ----
test_collisions() {
  mkdir -p coll/up coll/other coll/here && cd coll/here || return
  article ../up/u.md && article ../other/u.md
  gal --outdir OUT ../up/u.md ../other/u.md
  check_rc "two inputs to one output: usage error" 2
  check_has "the collision names both inputs and the output" "$ERR" \
    "error: ../up/u.md and ../other/u.md would both be written to OUT/u.pdf"
  check "nothing written (not even the folder)" test ! -e OUT
  check_lacks "no summary claiming outputs" "$ERR" "inputs:"

  gal -j 1 -t pdf,epub --outdir OUT ../up/u.md ../other/u.md
  check_rc "collision, both formats, one job: usage error" 2
  check_eq "one line per colliding output" "$(grep -c 'would both be written' <<<"$ERR")" 2
  check "nothing written with -j 1" test ! -e OUT

  article a.md
  gal -t pdf a.md a.md
  check_rc "one input given twice: usage error" 2
  check_has "given twice: said so" "$ERR" "a.md: error: is given more than once"
  check "given twice: nothing written" test ! -e a.pdf
  gal -t pdf a.md ./a.md
  check_rc "one input under two spellings: usage error" 2
  check_has "two spellings: both named" "$ERR" "a.md and ./a.md would both be written to ./a.pdf"

  mkdir -p d1 d2 && article d1/x.md && article d2/x.md
  gal --outdir o d1 d2
  check_rc "two folders with the same names under --outdir: refused" 2
  check_has "two folders: names both files" "$ERR" "d1/x.md and d2/x.md would both be written to o/x.pdf"
  check "two folders: nothing written" test ! -e o

  gal -o one.pdf d1 d2
  check_rc "-o with folders of several files: refused" 2
  check "-o with folders: nothing written" test ! -e one.pdf

  # a folder given without --outdir is written beside its files
  gal -t pdf d1 d2
  check_rc "folders without --outdir: written" 0
  check "each output beside its input" test -s d1/x.pdf -a -s d2/x.pdf
  check "nothing in the working folder" test ! -e x.pdf
  check_has "the summary counts both" "$ERR" "2 inputs: 2 written, 0 failed"
  cd "$TMP" || exit 1
}

# ---- 4. temporary files of a killed galley are cleaned up ----
test_stale_temporaries() {
  mkdir -p stale && cd stale || return
  article a.md
  local dead live
  sh -c 'exit 0' & dead=$!
  wait "$dead"
  sleep 60 & live=$!
  touch -d '1 minute ago' ".galley-tmp-$dead-a.pdf.AbCdEf" \
    ".galley-tmp-$live-a.pdf.XyZ123" ".galley-tmp-$dead-b.pdf.Qwerty" \
    ".galley-a.pdf.Old123"
  touch ".galley-tmp-$dead-a.pdf.fresh1"
  gal -t pdf a.md
  check_rc "a write beside leftovers: written" 0
  check "a dead writer's old temporary file of the output is removed" \
    test ! -e ".galley-tmp-$dead-a.pdf.AbCdEf"
  check_has "the removal is noted" "$ERR" "removed a temporary file left by galley process $dead"
  check "a live writer's temporary file is kept" test -e ".galley-tmp-$live-a.pdf.XyZ123"
  check "a dead writer's file for another output is kept" test -e ".galley-tmp-$dead-b.pdf.Qwerty"
  check "a dead writer's file seconds old is kept" test -e ".galley-tmp-$dead-a.pdf.fresh1"
  check "a file not of galley's pattern is kept" test -e ".galley-a.pdf.Old123"
  kill "$live" 2>/dev/null
  wait "$live" 2>/dev/null

  # batch workers clean up too, in an --outdir folder
  mkdir -p many/o && for i in 1 2 3; do article many/m$i.md; done
  touch -d '1 minute ago' "many/o/.galley-tmp-$dead-m2.epub.AbCdEf"
  (cd many && timeout 20 "$GALLEY" -q -j 2 -t epub --outdir o m1.md m2.md m3.md)
  check "a batch worker removes a leftover" test ! -e "many/o/.galley-tmp-$dead-m2.epub.AbCdEf"
  check_eq "a batch leaves no temporary file" "$(ls -A many/o | grep -c '^\.galley')" 0

  if command -v strace >/dev/null; then
    # LeakSanitizer cannot run under ptrace
    ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
      strace -f -e trace=openat,rename -o trace "$GALLEY" -q -t pdf a.md 2>/dev/null
    check_has "the temporary file follows the pattern" "$(cat trace)" ".galley-tmp-"
    check "... with the writer's pid and the output's name" \
      grep -qE '\.galley-tmp-[0-9]+-a\.pdf\.[A-Za-z0-9]{6}' trace
  fi
  cd "$TMP" || exit 1
}

# ---- 5. FIFOs and devices met in a folder walk are skipped ----
test_walk() {
  mkdir -p walk/d && cd walk || return
  article d/ok.md
  mkfifo d/fifo.md
  ln -s fifo.md d/fifo-link.md
  ln -s /dev/null d/null-link.md
  ln -s ok.md d/ok-link.md
  ln -s . d/self.md
  gal -j 2 --outdir o d
  check_rc "a folder holding FIFOs: converted, not hung" 0
  check_has "a FIFO in the folder: warned" "$ERR" "d/fifo.md: warning: is a FIFO, not a regular file; skipped"
  check_has "a link to a FIFO: warned" "$ERR" "d/fifo-link.md: warning: is a FIFO"
  check_has "a link to a device: warned" "$ERR" "d/null-link.md: warning: is a device"
  check "the regular file is converted" test -s o/ok.pdf
  check "a link to a regular file is converted" test -s o/ok-link.pdf
  check "nothing for the FIFO" test ! -e o/fifo.pdf
  check "nothing for the link to a device" test ! -e o/null-link.pdf
  check "a link to a folder is not walked" test ! -e o/self.pdf
  cd "$TMP" || exit 1
}

# ---- 6. messages: escaped names, warnings capped per input ----
test_messages() {
  mkdir -p msg && cd msg || return
  local esc=$'evil\033]0;owned\007\033[2J\302\233\177.md'
  printf -- '---\ntitle: T\nunknown: 1\n---\nBody\n' >"$esc"
  gal -t pdf "$esc"
  check_rc "an escape-laden name converts" 0
  check_eq "no raw ESC, BEL, C1 or DEL on stderr" \
    "$(LC_ALL=C grep -c $'[\033\007\177]\\|\302\233' "$TMP/gal.err")" 0
  check_has "the name is shown escaped" "$ERR" 'evil\x1b]0;owned\x07\x1b[2J\xc2\x9b\x7f.md:3:1: warning'
  gal -t pdf "missing-$esc"
  check_rc "a missing escape-laden input: fails" 1
  check_has "the error is escaped too" "$ERR" 'missing-evil\x1b]0;owned'
  check_eq "... with no raw ESC" "$(LC_ALL=C grep -c $'\033' "$TMP/gal.err")" 0
  gal --font-size $'\033[31mhuge' a.md
  check_rc "a usage error with an escape" 2
  check_has "the usage error is escaped" "$ERR" 'not "\x1b[31mhuge"'
  printf 'x\n' >plain.md
  gal -j 1 --verbose -t pdf plain.md "$esc"
  check_has "a verbose line escapes the name" "$ERR" 'wrote evil\x1b]0;owned'
  check_eq "... no raw ESC" "$(LC_ALL=C grep -c $'\033' "$TMP/gal.err")" 0

  { echo ---; for i in $(seq 100000); do echo "k$i: v"; done; echo ---; echo Body; } >many.md
  gal -t pdf many.md
  check_rc "100,000 unknown keys: converted" 0
  check_eq "warnings capped: 50 shown and one summary line" "$(wc -l <"$TMP/gal.err")" 51
  check_has "the summary counts the rest" "$ERR" "many.md: warning: 99950 more warnings not shown"
  gal -q -t pdf many.md
  check_eq "-q: not even the summary" "$ERR" ""

  { echo ---; for i in $(seq 60); do echo "k$i: v"; done; echo 'title: [a, b]'; echo ---; } >err.md
  gal -t pdf err.md
  check_rc "an error after 60 warnings: fails" 1
  check_has "the error is shown past the cap" "$ERR" "err.md:62:8: error: title must be a string"
  check_has "and the rest counted" "$ERR" "err.md: warning: 10 more warnings not shown"
  gal -q -t pdf err.md
  check_has "-q still shows the error" "$ERR" "error: title must be a string"

  { echo ---; for i in $(seq 70); do echo "k$i: v"; done; echo ---; echo Body; } >w1.md
  cp w1.md w2.md && cp w1.md w3.md
  for j in 1 3; do
    gal -j $j --outdir o$j w1.md w2.md w3.md
    check_rc "batch -j $j: converted" 0
    check_eq "batch -j $j: each input capped on its own" \
      "$(grep -c 'warning: 20 more warnings not shown' "$TMP/gal.err")" 3
    check_eq "batch -j $j: 50 warnings shown for each" \
      "$(grep -c '^galley: w2.md:[0-9]*:1: warning: unknown' "$TMP/gal.err")" 50
  done
  cd "$TMP" || exit 1
}

# ---- 7. off a terminal only problems and the summary; on one, the bar ----
test_progress() {
  mkdir -p prog/in && cd prog || return
  local i
  for i in $(seq -w 1 200); do
    printf -- '---\ntitle: Item %s\n---\n\nText %s.\n' "$i" "$i" >in/a$i.md
  done
  gal -j 2 -t pdf --outdir out in
  check_rc "a folder of 200: converted" 0
  check_eq "off a terminal: the summary line alone" "$(wc -l <"$TMP/gal.err")" 1
  check_has "... and it is the summary" "$ERR" "galley: 200 inputs: 200 written, 0 failed, in"
  gal -j 2 -t pdf --verbose --outdir out in
  check_eq "--verbose: a line for each file written, and the summary" \
    "$(wc -l <"$TMP/gal.err")" 201
  check_eq "--verbose names each file" "$(grep -c '^galley: wrote out/a[0-9]*\.pdf$' "$TMP/gal.err")" 200
  printf -- '---\ntitle: W\n---\n\n![x](missing.png)\n\nText.\n' >in/warn.md
  gal -j 1 -t pdf --outdir out in
  check_eq "off a terminal: the warning and the summary" "$(wc -l <"$TMP/gal.err")" 2
  check_has "... the warning" "$ERR" 'in/warn.md:5:1: warning: image "missing.png"'
  gal -q -j 2 -t pdf --outdir out in
  check_eq "-q: nothing" "$ERR" ""

  # on a terminal (script gives the batch one): the bar, redrawn at most
  # ten times a second, and the warning printed on a line of its own above
  # it, never onto it
  if command -v script >/dev/null; then
    local cmd="$GALLEY -j 2 -t pdf --outdir out in"
    timeout "$LIMIT" script -qec "$cmd" /dev/null >tty.out 2>&1 </dev/null
    check_eq "on a terminal: converted" $? 0
    local draws secs
    draws=$(grep -ao $'\033\\[K\\[' tty.out | wc -l)
    secs=$(sed -n 's/.*201 inputs: 201 written, 0 failed, in \([0-9.]*\) s.*/\1/p' tty.out)
    check "on a terminal: the bar is drawn" test "$draws" -ge 1
    check "a fast batch redraws the bar far less than once an input ($draws for 201)" \
      test "$draws" -lt 100
    check "at most ten redraws a second ($draws in ${secs:-?} s, by galley's own clock)" \
      awk -v d="$draws" -v s="${secs:-0}" 'BEGIN { exit !(s > 0 && d <= 10 * s + 2) }'
    check_eq "the warning is shown once" "$(grep -ac 'warning: image "missing.png"' tty.out)" 1
    # every message starts its line, or follows the escape that cleared the bar
    check_eq "messages land on lines of their own, not on the bar" \
      "$(grep -aoP '(^|\x1b\[K)galley: ' tty.out | wc -l)" \
      "$(grep -ao 'galley: ' tty.out | wc -l)"
    check_has "the bar's last state is shown" "$(cat -v tty.out)" "201/201"
  else
    fail "script (bsdutils) is needed for the terminal checks"
  fi
  cd "$TMP" || exit 1
}

test_same_file
test_special_outputs
test_collisions
test_stale_temporaries
test_walk
test_messages
test_progress
finish "e2e-output"

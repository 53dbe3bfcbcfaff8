# galley - Markdown articles to print PDF and EPUB 3.
#
#   make            build build/galley, build/libgalley.so and .a, the
#                   modules and build/galley.pc
#   make demo       install what is missing, build, convert samples/ into out/
#   make test       unit and end-to-end tests, plain and under ASan/UBSan,
#                   and each fuzz target briefly
#   make fuzz       run the libFuzzer targets (FUZZ_TIME seconds each)
#   make deps       install the Debian packages galley needs (uses sudo when
#                   not root)
#   make previews   PNG previews of a sample's first page at the three sizes,
#                   and of a circular's first and last pages
#   make install    PREFIX=/usr/local DESTDIR= (LIBDIR, BINDIR, INCLUDEDIR,
#                   MANDIR, RPATH: see below)
#   make clean

.DEFAULT_GOAL := all
CC      ?= cc
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
# Debian: LIBDIR=$(PREFIX)/lib/$(DEB_HOST_MULTIARCH) (the library finds its
# data from PREFIX/lib/TRIPLET too)
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
BUILD   ?= build
# The library's version, from its header; the soname's number changes only
# when a change breaks programs built against the library before.
VERSION := $(shell sed -n 's/^\#define GALLEY_VERSION "\(.*\)"/\1/p' src/galley.h)
SOVERSION = 0
# Where the program looks for libgalley.so: beside itself (the build
# tree), then LIBDIR as seen from BINDIR, so an installed tree still runs
# when moved.  A package whose LIBDIR is on the system's search path sets
# RPATH= (none).
RPATH   ?= $$ORIGIN:$$ORIGIN/$(shell realpath -m --relative-to=$(BINDIR) $(LIBDIR))
WARN     = -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
CSTD     = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE
CFLAGS  ?= -O2 -g
# The identity of this build's interfaces (the headers, the Makefile, the
# compiler and flags): the program refuses a writer module built otherwise
# (src/writer.c), and the EPUB writer such a fonts module
# (src/epub_fonts_load.c), instead of calling into structures of another
# shape.
BUILD_ID := $(shell { cat $(sort $(wildcard src/*.h)) Makefile; \
              echo '$(CC) $(CFLAGS)'; } | cksum | cut -d' ' -f1)

# The library holds the reader, the model and the styles; each writer is a
# module it loads only when its format is asked for (src/writer.h), so a
# run starts up only the libraries of the formats it writes.  The program
# (src/main.c) is a client of the library.
CORE_PKGS = libcmark-gfm yaml-0.1
PDF_PKGS  = harfbuzz harfbuzz-subset libunibreak libdeflate fribidi
EPUB_PKGS = libzip libdeflate libxml-2.0
FONTS_PKGS = harfbuzz harfbuzz-subset
# fontconfig: headers only; src/fontfind.c loads it when a style needs it.
# icu-uc: headers only too; src/wordbreak.c loads ICU for a Chinese title
# of several lines.
PKGS      = $(CORE_PKGS) $(PDF_PKGS) $(EPUB_PKGS) $(FONTS_PKGS) fontconfig icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Every library is linked shared, as Debian links it, so that a fix to one
# reaches galley with the library's package: the flags come from pkg-config
# where the package ships a .pc file.  libharu (libhpdf-dev) and libhyphen
# (libhyphen-dev) ship none in Debian 12, so they are named with plain -l
# flags.  libcmark-gfm.pc names the extensions library too.
CORE_LIBS  := $(shell pkg-config --libs $(CORE_PKGS) 2>/dev/null) -lm -pthread
PDF_LIBS   := $(shell pkg-config --libs $(PDF_PKGS) 2>/dev/null) -lhpdf -lhyphen -lm
EPUB_LIBS  := $(shell pkg-config --libs libzip libdeflate 2>/dev/null)
FONTS_LIBS := $(shell pkg-config --libs $(FONTS_PKGS) 2>/dev/null)
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(MODULE_CFLAGS) -MMD -MP \
             -I$(BUILD)
LIBS       = $(CORE_LIBS) $(PDF_LIBS) $(EPUB_LIBS) $(FONTS_LIBS)

SRC      = $(wildcard src/*.c)
# The command line's own code; it links libgalley.so and copies of the
# few utilities it uses (CLI_UTIL_OBJ below).
CLI_SRC  = src/main.c src/batch.c
PDF_SRC  = src/writer_pdf.c src/pdf.c src/pdf_font.c src/shape.c src/pdf_flate.c src/pdfa.c src/pdf_tags.c \
           src/layout.c src/font.c src/fontfind.c src/breaks.c src/linebreak.c \
           src/hyph_load.c src/ttf_subset.c src/cff.c src/font_report.c src/cjk.c \
           src/epub_text.c src/titleshape.c src/wordbreak.c src/labels.c
EPUB_SRC = src/writer_epub.c src/epub.c src/xhtml.c src/css.c src/epub_text.c \
           src/epub_fonts_load.c src/cjk.c src/labels.c
# The fonts an EPUB carries (src/epub_fonts.h) are the PDF's faces, subset
# with hb-subset: a module of their own, which the EPUB writer loads only
# for a book that carries fonts, so that an English book does not start
# HarfBuzz up.
FONTS_SRC = src/epub_fonts.c src/font.c src/shape.c src/fontfind.c src/ttf_subset.c \
            src/cff.c src/cjk.c
# libgalley exports its API and nothing else (src/galley.map), so a module
# is handed the library's stateful functions in a table (src/module_core.h,
# forwarded by module_core.c) and carries copies of the stateless
# utilities below, taken from $(BUILD)/pic/module-common.a as it needs
# them.
SHIM_SRC = src/module_core.c
COPY_SRC = src/buf.c src/arena.c src/vec.c src/strmap.c src/utf8.c src/url.c \
           src/xml.c src/sha1.c src/doc.c
CORE_SRC = $(filter-out $(PDF_SRC) $(EPUB_SRC) $(FONTS_SRC) $(CLI_SRC) $(SHIM_SRC),$(SRC))
# The library's and the modules' code is position-independent, and shows
# only what it exports (the library its API, a module its writer or the
# fonts module its galley_epub_fonts); it is compiled into $(BUILD)/pic,
# the program's own into $(BUILD)/obj.
CORE_OBJ = $(CORE_SRC:src/%.c=$(BUILD)/pic/%.o)
PDF_OBJ  = $(PDF_SRC:src/%.c=$(BUILD)/pic/%.o)
EPUB_OBJ = $(EPUB_SRC:src/%.c=$(BUILD)/pic/%.o)
FONTS_OBJ = $(FONTS_SRC:src/%.c=$(BUILD)/pic/%.o)
SHIM_OBJ = $(SHIM_SRC:src/%.c=$(BUILD)/pic/%.o)
COPY_OBJ = $(COPY_SRC:src/%.c=$(BUILD)/pic/%.o)
CLI_OBJ  = $(CLI_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_UTIL_OBJ = $(addprefix $(BUILD)/pic/,buf.o arena.o diag.o output.o oom.o)
OBJ      = $(CLI_OBJ) $(sort $(CORE_OBJ) $(PDF_OBJ) $(EPUB_OBJ) $(FONTS_OBJ) $(SHIM_OBJ))
# Everything but the program and the modules' forwarding: what the unit
# tests and fuzz targets link, calling every function directly.
LIB_OBJ  = $(sort $(CORE_OBJ) $(PDF_OBJ) $(EPUB_OBJ) $(FONTS_OBJ))
MODULES  = $(BUILD)/galley-pdf.so $(BUILD)/galley-epub.so \
           $(BUILD)/galley-epub-fonts.so
LIB_SO   = $(BUILD)/libgalley.so.$(VERSION)
LIB_LINKS = $(BUILD)/libgalley.so.$(SOVERSION) $(BUILD)/libgalley.so
# A shared object names every library it needs, so a missing function is a
# link error here rather than a failure to load; sanitizer builds leave the
# runtime's functions to the program (the asan target empties this).
NO_UNDEFINED = -Wl,--no-undefined
comma := ,
RPATH_FLAG = $(if $(RPATH),-Wl$(comma)--enable-new-dtags -Wl$(comma)-rpath$(comma)'$(RPATH)')
# librsvg's headers (for the types of what src/image_svg.c loads), as
# system headers: GLib's are not -Wpedantic clean
$(BUILD)/pic/image_svg.o: MODULE_CFLAGS = \
  $(patsubst -I%,-isystem %,$(shell pkg-config --cflags librsvg-2.0 2>/dev/null))
# The build's identity is written to $(BUILD)/build_id.h, replaced only when
# it changes (headers, Makefile, compiler or flags), and the files that
# compile it in are rebuilt then, so the program and its modules agree
# after any plain `make`.
$(BUILD)/build_id.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define GALLEY_BUILD_ID "$(BUILD_ID)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:
# The data and module folders of the PREFIX, where the library looks last
# (after the places relative to itself, src/resource.h): in
# $(BUILD)/paths.h, replaced when PREFIX or LIBDIR changes, so that `make
# install PREFIX=...` rebuilds what compiles them in.
$(BUILD)/paths.h: FORCE
	@mkdir -p $(BUILD)
	@{ echo '#define GALLEY_DATADIR_DEFAULT "$(PREFIX)/share/galley"'; \
	   echo '#define GALLEY_LIBDIR_DEFAULT "$(LIBDIR)/galley"'; } > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/pic/galley.o $(BUILD)/pic/writer.o $(BUILD)/pic/resource.o: $(BUILD)/paths.h
$(BUILD)/pic/writer.o $(BUILD)/pic/galley.o $(BUILD)/pic/writer_pdf.o \
  $(BUILD)/pic/writer_epub.o $(BUILD)/pic/epub_fonts.o \
  $(BUILD)/pic/epub_fonts_load.o: $(BUILD)/build_id.h
# The program's search path for the library, kept in a file replaced when
# it changes, so the program is linked again for another one.
$(BUILD)/rpath.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(RPATH)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
# galley.pc for pkg-config, with the folders of this PREFIX; replaced when
# they change.
$(BUILD)/galley.pc: src/galley.pc.in FORCE
	@mkdir -p $(BUILD)
	@sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
	  -e 's|@REQUIRES@|$(CORE_PKGS)|' $< > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
UNIT_SRC = $(wildcard tests/unit/*.c)

# Debian packages: build dependencies, then the validators the tests use.
DEB_BUILD = build-essential pkg-config clang libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libhyphen-dev \
            libzip-dev libhpdf-dev libunibreak-dev libharfbuzz-dev libfribidi-dev libpng-dev \
            libclang-rt-14-dev libfontconfig-dev libdeflate-dev \
            libjpeg62-turbo-dev libgif-dev libxml2-dev librsvg2-dev libicu-dev
# The fonts the built-in styles name, from Debian rather than copies in
# the repository: Latin serif and sans, code, symbols, and the CJK Song,
# Hei and Kai faces with their free TrueType stand-ins.
DEB_FONTS = fonts-noto-core fonts-noto-cjk fonts-dejavu-core fonts-droid-fallback \
            fonts-arphic-uming fonts-arphic-ukai fonts-arphic-gkai00mp fonts-wqy-zenhei
DEB_TEST  = epubcheck default-jdk-headless poppler-utils qpdf libxml2-utils \
            hyphen-en-us hyphen-de hyphen-fr icc-profiles-free parallel fonts-cantarell fonts-inter-variable \
            unzip valgrind strace time python3-pil python3-pikepdf
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The English hyphenation patterns compiled into an image galley maps at run
# time (src/hyph_load.h); without hyphen-en-us there is none and galley
# reads no patterns, as before.  The program looks for the image beside
# itself (here) and in the installed data folder.
HYPH_DIC  ?= /usr/share/hyphen/hyph_en_US.dic
HYPH_IMAGE = $(if $(wildcard $(HYPH_DIC)),$(BUILD)/hyph_en_US.bin)

SAMPLES = $(filter-out samples/README.md,$(wildcard samples/*.md))

.PHONY: all deps ace-deps demo test unit e2e asan clean install install-asan previews fuzz fuzz-build bench FORCE

all: $(BUILD)/galley $(MODULES) $(HYPH_IMAGE) $(BUILD)/libgalley.a $(BUILD)/galley.pc

# libgalley.so.VERSION, its soname libgalley.so.SOVERSION and the name
# programs link with, libgalley.so; exporting only src/galley.map's names.
$(LIB_SO): $(CORE_OBJ) src/galley.map
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libgalley.so.$(SOVERSION) \
	  -Wl,--version-script=src/galley.map $(NO_UNDEFINED) -o $@ $(CORE_OBJ) $(CORE_LIBS)
$(LIB_LINKS): $(LIB_SO)
	@ln -sf libgalley.so.$(VERSION) $(BUILD)/libgalley.so.$(SOVERSION)
	@ln -sf libgalley.so.$(SOVERSION) $(BUILD)/libgalley.so

# libgalley.a: the library's objects linked into one, every name but the
# API's made local, so that a program linking it statically meets none of
# galley's own (buf_put, diag ...).  Its writers are still the modules.
$(BUILD)/libgalley.a: $(CORE_OBJ) src/galley.map
	@echo "  AR      $@"
	@sed -n 's/^ *\(galley_[a-z_]*\);.*/\1/p' src/galley.map > $(BUILD)/api.syms
	@$(CC) -nostdlib -r -o $(BUILD)/libgalley-all.o $(CORE_OBJ)
	@objcopy --keep-global-symbols=$(BUILD)/api.syms $(BUILD)/libgalley-all.o
	@rm -f $@ && $(AR) rcs $@ $(BUILD)/libgalley-all.o

$(BUILD)/galley: $(CLI_OBJ) $(CLI_UTIL_OBJ) $(LIB_LINKS) $(BUILD)/rpath.txt
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(CLI_UTIL_OBJ) \
	  -L$(BUILD) -lgalley $(RPATH_FLAG)

$(BUILD)/pic/module-common.a: $(COPY_OBJ) $(SHIM_OBJ)
	@rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/galley-pdf.so: $(PDF_OBJ) $(BUILD)/pic/module-common.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -shared $(NO_UNDEFINED) -o $@ $^ $(PDF_LIBS)

$(BUILD)/galley-epub.so: $(EPUB_OBJ) $(BUILD)/pic/module-common.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -shared $(NO_UNDEFINED) -o $@ $^ $(EPUB_LIBS)

$(BUILD)/galley-epub-fonts.so: $(FONTS_OBJ) $(BUILD)/pic/module-common.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -shared $(NO_UNDEFINED) -o $@ $^ $(FONTS_LIBS)

$(BUILD)/hyph-image: src/tools/hyph_image.c $(BUILD)/pic/hyph_load.o $(BUILD)/pic/resource.o \
                      $(BUILD)/pic/url.o $(BUILD)/pic/buf.o $(BUILD)/pic/oom.o
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Isrc -o $@ $^ -lhyphen -ldeflate

$(BUILD)/hyph_en_US.bin: $(BUILD)/hyph-image $(HYPH_DIC)
	@echo "  GEN     $@"
	@$(BUILD)/hyph-image $(HYPH_DIC) $@

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/pic/%.o: src/%.c | $(BUILD)/pic
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(BUILD)/obj $(BUILD)/pic:
	mkdir -p $@

$(BUILD)/unit-tests: $(UNIT_SRC) $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -Isrc -o $@ $(UNIT_SRC) $(LIB_OBJ) $(LIBS)

$(BUILD)/fuzz-%: tests/fuzz/fuzz_%.c $(LIB_OBJ)
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(LIB_OBJ) $(LIBS)

-include $(OBJ:.o=.d)

# Installs only what dpkg says is missing, so a ready machine is not touched.
deps:
	@missing=""; for p in $(DEB_BUILD) $(DEB_FONTS) $(DEB_TEST); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	else echo "all Debian packages present"; fi

# DAISY Ace, which tests/e2e_epub_a11y.sh runs when it is installed (and
# says "skipped" otherwise): not in Debian, so from npm, run as
# ace-puppeteer with Debian's chromium; the browser and Electron binaries
# its installer would download come from outside the registry, so are
# skipped.  Not part of deps: it adds a browser to the machine.
DEB_ACE = chromium
ace-deps:
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(DEB_ACE) \
	  $$(command -v npm >/dev/null || echo npm)
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
	  $(SUDO) npm install -g @daisy/ace

demo: deps
	$(MAKE) all
	@mkdir -p out
	cd samples && ../$(BUILD)/galley -t pdf,epub --outdir ../out $(notdir $(SAMPLES))
	$(BUILD)/galley --book -o out/samples-book.epub $(SAMPLES)
	$(BUILD)/galley --book --style book -o out/samples-book.pdf $(SAMPLES)
	$(BUILD)/galley --style circular -o out/circular-gbt9704.pdf samples/circular.md
	$(BUILD)/galley --style circular -o out/request-gbt9704.pdf samples/request.md
	@ls -l out

# PNG previews of the first page of a sample at the three sizes, for the
# README; made from the current code.
PREVIEW_SAMPLE ?= samples/circular.md
previews: all
	@mkdir -p samples/previews build/previews
	for st in article circular; do for s in small medium large; do \
	  SOURCE_DATE_EPOCH=0 $(BUILD)/galley -q --style $$st --font-size $$s \
	    -o build/previews/$$st-$$s.pdf $(PREVIEW_SAMPLE) && \
	  pdftoppm -png -r 50 -f 1 -l 1 -singlefile build/previews/$$st-$$s.pdf \
	    samples/previews/$(notdir $(basename $(PREVIEW_SAMPLE)))-$$st-$$s \
	    || exit 1; \
	done; done
	SOURCE_DATE_EPOCH=0 $(BUILD)/galley -q -o build/previews/work-plan.pdf \
	  samples/work-plan.md && \
	  pdftoppm -png -r 50 -f 1 -l 1 -singlefile build/previews/work-plan.pdf \
	  samples/previews/work-plan-article-medium
	SOURCE_DATE_EPOCH=0 $(BUILD)/galley -q -o build/previews/multilingual.pdf \
	  samples/multilingual.md && \
	  pdftoppm -png -r 50 -f 1 -l 1 -singlefile build/previews/multilingual.pdf \
	  samples/previews/multilingual-article-medium
	SOURCE_DATE_EPOCH=0 $(BUILD)/galley -q --style circular \
	  -o build/previews/request.pdf samples/request.md && \
	  n=$$(pdfinfo build/previews/request.pdf | sed -n 's/^Pages: *//p') && \
	  pdftoppm -png -r 50 -f 1 -l 1 -singlefile build/previews/request.pdf \
	  samples/previews/request-circular-first && \
	  pdftoppm -png -r 50 -f $$n -l $$n -singlefile build/previews/request.pdf \
	  samples/previews/request-circular-last
	@ls -l samples/previews

# The sanitizer build: the same sources with ASan and UBSan, in
# $(BUILD)/asan (build/asan).
ASAN = $(BUILD)/asan
ASAN_VARS = BUILD=$(ASAN) CC=clang NO_UNDEFINED= \
  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
  LDFLAGS="-fsanitize=address,undefined"
asan:
	$(MAKE) $(ASAN_VARS) \
	  $(ASAN)/galley $(MODULES:$(BUILD)/%=$(ASAN)/%) $(ASAN)/unit-tests \
	  $(HYPH_IMAGE:$(BUILD)/%=$(ASAN)/%)

# libFuzzer targets (clang), built with ASan and UBSan in build/fuzz: one
# for each parser a user can feed.  Target T is tests/fuzz/fuzz_T.c, its
# seeds tests/fuzz/seeds-T/ (the Markdown ones share tests/fuzz/seeds/) and
# its dictionary tests/fuzz/T.dict.
FUZZ_TARGETS = reader convert style font image
FUZZ_TIME ?= 60
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined \
              -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS   = $(FUZZ_TARGETS:%=build/fuzz/fuzz-%)
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	  CFLAGS="$(FUZZ_CFLAGS)" LDFLAGS="-fsanitize=address,undefined" \
	  $(FUZZ_BINS)

# Runs each target for FUZZ_TIME seconds with its dictionary and seeds; the
# corpus grows in build/fuzz/corpus-T, crashes land in build/fuzz/.
fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  seeds=tests/fuzz/seeds-$$t; [ -d $$seeds ] || seeds=tests/fuzz/seeds; \
	  dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	  mkdir -p build/fuzz/corpus-$$t; \
	  echo "fuzz-$$t: $(FUZZ_TIME) s"; \
	  GALLEY_ROOT=$(CURDIR) build/fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) \
	    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 $$dict \
	    -artifact_prefix=build/fuzz/ build/fuzz/corpus-$$t $$seeds || exit 1; \
	done

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

FUZZ_SMOKE_TIME ?= 60
# The three builds the suite runs (plain, sanitizers, fuzz targets) are
# made with as many jobs as there are cores: one at a time they took
# longer than half of the tests.
TEST_BUILD_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test:
	@$(MAKE) --no-print-directory -j$(TEST_BUILD_JOBS) all $(BUILD)/unit-tests \
	  asan fuzz-build
	@GALLEY_ROOT=$(CURDIR) FUZZ_SMOKE_TIME=$(FUZZ_SMOKE_TIME) \
	  FUZZERS="$(FUZZ_BINS)" \
	  tests/run.sh $(BUILD)/galley $(BUILD)/unit-tests \
	  $(ASAN)/galley $(ASAN)/unit-tests

# Speed and size figures, side by side with pandoc and WeasyPrint (the
# Debian packages are installed when missing; BENCH_NO_INSTALL=1 skips that).
bench: all
	@if [ -z "$(BENCH_NO_INSTALL)" ] && \
	  ! { command -v pandoc && command -v weasyprint; } >/dev/null 2>&1; then \
	  echo "installing pandoc and weasyprint for the comparison"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -q pandoc weasyprint || true; fi
	@$(CC) -std=c11 $(WARN) -O2 -o $(BUILD)/bench-time tests/bench_time.c
	@BENCH_TIME=$(BUILD)/bench-time tests/bench.sh $(BUILD)/galley

# The sanitizer build installed (PREFIX, DESTDIR as for install), for
# tests/e2e_library.sh to build its program against.
install-asan:
	$(MAKE) $(ASAN_VARS) install

# The program, the library (shared, with its soname and development link,
# and static), its header and galley.pc, the modules in LIBDIR/galley, the
# data in PREFIX/share/galley and the man page.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/galley \
	  $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	  $(DESTDIR)$(PREFIX)/share/galley $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/galley $(DESTDIR)$(BINDIR)/galley
	install -m 644 $(LIB_SO) $(BUILD)/libgalley.a $(DESTDIR)$(LIBDIR)/
	ln -sf libgalley.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libgalley.so.$(SOVERSION)
	ln -sf libgalley.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libgalley.so
	install -m 644 src/galley.h $(DESTDIR)$(INCLUDEDIR)/galley.h
	install -m 644 $(BUILD)/galley.pc $(DESTDIR)$(LIBDIR)/pkgconfig/galley.pc
	install -m 644 $(MODULES) $(DESTDIR)$(LIBDIR)/galley/
	cp -R styles fonts $(DESTDIR)$(PREFIX)/share/galley/
	[ ! -f $(BUILD)/hyph_en_US.bin ] || install -m 644 $(BUILD)/hyph_en_US.bin $(DESTDIR)$(PREFIX)/share/galley/
	install -m 644 src/galley.1 $(DESTDIR)$(MANDIR)/man1/galley.1

clean:
	rm -rf build out

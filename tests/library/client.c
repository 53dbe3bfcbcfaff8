/* client.c - a program built against the installed libgalley (with
 * `pkg-config --cflags --libs galley`), as any program would be: it
 * converts Markdown bytes to PDF and EPUB bytes in memory and checks what
 * the API promises (galley.h).  tests/e2e_library.sh builds and runs it.
 *
 *   client check OUTDIR   every check; prints "ok NAME" or "FAIL NAME:
 *                         why" for each, and writes the outputs into
 *                         OUTDIR for the suite's validators
 *   client convert        one conversion to PDF in memory; prints its
 *                         status and messages (for a library moved or
 *                         left alone) */
#include <galley.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(const char *name, int ok, const char *why) {
  if (ok)
    printf("ok %s\n", name);
  else {
    printf("FAIL %s: %s\n", name, why ? why : "");
    failures++;
  }
}

static void check_rc(const char *name, int got, int want) {
  char why[160];
  snprintf(why, sizeof why, "got %d (%s), want %d (%s)", got,
           galley_strerror(got), want, galley_strerror(want));
  check(name, got == want, why);
}

/* ---- messages ---- */

typedef struct {
  char file[256], text[512];
  int line, column;
  galley_severity severity;
} message;

typedef struct {
  message m[64];
  int n;
} messages;

static void collect(void *userdata, const char *file, int line, int column,
                    galley_severity severity, const char *text) {
  messages *ms = userdata;
  if (ms->n == 64)
    return;
  message *m = &ms->m[ms->n++];
  snprintf(m->file, sizeof m->file, "%s", file ? file : "(none)");
  snprintf(m->text, sizeof m->text, "%s", text);
  m->line = line;
  m->column = column;
  m->severity = severity;
}

static const message *find(const messages *ms, const char *text) {
  for (int i = 0; i < ms->n; i++)
    if (strstr(ms->m[i].text, text))
      return &ms->m[i];
  return NULL;
}

static void print_messages(void *userdata, const char *file, int line,
                           int column, galley_severity severity,
                           const char *text) {
  (void)userdata;
  printf("message %s:%d:%d: %d: %s\n", file ? file : "(none)", line, column,
         (int)severity, text);
}

/* ---- helpers ---- */

static int save(const char *dir, const char *name, const void *bytes,
                size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  int ok = fwrite(bytes, 1, len, f) == len;
  return fclose(f) == 0 && ok ? 0 : -1;
}

static int has(const void *bytes, size_t len, const char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp((const char *)bytes + i, s, n) == 0)
      return 1;
  return 0;
}

static int is_pdf(const void *b, size_t len) {
  return len > 100 && memcmp(b, "%PDF-", 5) == 0 &&
         has((const char *)b + len - 32, 32, "%%EOF");
}

/* A ZIP whose first entry is the stored "mimetype" of an EPUB. */
static int is_epub(const void *b, size_t len) {
  return len > 58 && memcmp(b, "PK\3\4", 4) == 0 &&
         memcmp((const char *)b + 30, "mimetypeapplication/epub+zip", 28) == 0;
}

static const char article[] =
    "---\n"
    "title: A Library Test\n"
    "author: The Suite\n"
    "lang: en\n"
    "---\n"
    "\n"
    "First paragraph, with *emphasis* and `code`.\n"
    "\n"
    "<div>raw html</div>\n"
    "\n"
    "![a picture](picture.png)\n"
    "\n"
    "| a | b |\n"
    "|---|---|\n"
    "| 1 | 2 |\n";

/* A handler that calls galley back, which it must not. */
static int callback_rc = -1;
static void calls_back(void *userdata, const char *file, int line,
                       int column, galley_severity severity,
                       const char *text) {
  (void)file, (void)line, (void)column, (void)severity, (void)text;
  void *out = NULL;
  size_t len = 0;
  callback_rc = galley_convert_memory("x", 1, GALLEY_EPUB,
                                      (galley_options *)userdata, &out, &len);
  galley_free(out);
}

/* ---- the checks ---- */

static void versions(void) {
  check("GALLEY_VERSION is the library's version",
        strcmp(galley_version(), GALLEY_VERSION) == 0, galley_version());
  check("GALLEY_VERSION_NUMBER is the library's",
        galley_version_number() == GALLEY_VERSION_NUMBER, NULL);
  char made[32];
  snprintf(made, sizeof made, "%d.%d.%d", GALLEY_VERSION_MAJOR,
           GALLEY_VERSION_MINOR, GALLEY_VERSION_PATCH);
  check("the version macros agree", strcmp(made, GALLEY_VERSION) == 0, made);
  check("a build identity", galley_build_id() && *galley_build_id(), NULL);
  for (int s = GALLEY_OK; s <= GALLEY_ERR_MISUSE; s++)
    check("galley_strerror names every status",
          galley_strerror(s) && *galley_strerror(s) &&
              strcmp(galley_strerror(s), "unknown error") != 0,
          NULL);
  check("galley_strerror of no status", strcmp(galley_strerror(99),
                                               "unknown error") == 0, NULL);
}

static void in_memory(const char *dir) {
  void *pdf = NULL, *epub = NULL;
  size_t pdf_len = 0, epub_len = 0;
  /* the defaults: no options at all */
  int rc = galley_convert_memory(article, strlen(article), GALLEY_PDF, NULL,
                                 &pdf, &pdf_len);
  check_rc("Markdown bytes to PDF bytes, default options", rc, GALLEY_OK);
  check("... a PDF", rc == GALLEY_OK && is_pdf(pdf, pdf_len), NULL);
  if (rc == GALLEY_OK)
    save(dir, "memory.pdf", pdf, pdf_len);
  rc = galley_convert_memory(article, strlen(article), GALLEY_EPUB, NULL,
                             &epub, &epub_len);
  check_rc("Markdown bytes to EPUB bytes, default options", rc, GALLEY_OK);
  check("... an EPUB", rc == GALLEY_OK && is_epub(epub, epub_len), NULL);
  if (rc == GALLEY_OK)
    save(dir, "memory.epub", epub, epub_len);
  galley_free(pdf);
  galley_free(epub);

  /* the same with options, and what the handler hears */
  galley_options *o = galley_options_new();
  messages ms = {0};
  check("options made", o != NULL, NULL);
  check_rc("a handler set",
           galley_options_set_diagnostic_handler(o, collect, &ms), GALLEY_OK);
  check_rc("a style set", galley_options_set_style(o, "book"), GALLEY_OK);
  check_rc("large type", galley_options_set_font_size(o, GALLEY_LARGE),
           GALLEY_OK);
  check_rc("a fixed time stamp",
           galley_options_set_timestamp(o, 1700000000), GALLEY_OK);
  check_rc("PDF/A-2u", galley_options_set_pdfa(o, GALLEY_PDFA_2U), GALLEY_OK);
  check_rc("metadata set", galley_options_set_metadata(o, "title", "Set"),
           GALLEY_OK);
  rc = galley_convert_memory(article, strlen(article), GALLEY_PDF, o, &pdf,
                             &pdf_len);
  check_rc("Markdown bytes to PDF/A bytes", rc, GALLEY_OK);
  check("... a PDF", rc == GALLEY_OK && is_pdf(pdf, pdf_len), NULL);
  check("... PDF/A-2u, as set",
        rc == GALLEY_OK && has(pdf, pdf_len, "<pdfaid:conformance>U"), NULL);
  if (rc == GALLEY_OK)
    save(dir, "options.pdf", pdf, pdf_len);
  void *again = NULL;
  size_t again_len = 0;
  galley_convert_memory(article, strlen(article), GALLEY_PDF, o, &again,
                        &again_len);
  check("a fixed time stamp gives the same bytes again",
        again_len == pdf_len && again && memcmp(again, pdf, pdf_len) == 0,
        NULL);
  galley_free(again);
  galley_free(pdf);
  rc = galley_convert_memory(article, strlen(article), GALLEY_EPUB, o, &epub,
                             &epub_len);
  check_rc("Markdown bytes to EPUB bytes, with options", rc, GALLEY_OK);
  check("... an EPUB", rc == GALLEY_OK && is_epub(epub, epub_len), NULL);
  if (rc == GALLEY_OK)
    save(dir, "options.epub", epub, epub_len);
  galley_free(epub);

  const message *m = find(&ms, "raw HTML left out");
  check("the handler hears a warning", m != NULL, NULL);
  if (m) {
    check("... naming the document", strcmp(m->file, "<memory>") == 0,
          m->file);
    check("... its line", m->line == 9, NULL);
    check("... as a warning", m->severity == GALLEY_WARNING, NULL);
  }
  m = find(&ms, "image \"picture.png\" left out");
  check("bytes from memory read no local file", m != NULL, NULL);
  if (m) {
    check("... and say why", strstr(m->text, "no folder") != NULL, m->text);
    check("... at the image's line and column", m->line == 11 && m->column,
          NULL);
  }

  /* a malformed front matter: an error, with its line and column */
  ms.n = 0;
  static const char broken[] = "---\ntitle: [a, b]\n---\n\nText.\n";
  galley_document *d = NULL;
  rc = galley_read_memory(broken, strlen(broken), "broken.md", o, &d);
  check_rc("a malformed front matter: GALLEY_ERR_INPUT", rc, GALLEY_ERR_INPUT);
  check("... no document", d == NULL, NULL);
  m = find(&ms, "title must be a string");
  check("... the handler hears an error", m && m->severity == GALLEY_ERROR,
        NULL);
  if (m)
    check("... at its file, line and column",
          strcmp(m->file, "broken.md") == 0 && m->line == 2 && m->column == 8,
          m->file);
  galley_options_free(o);
}

static void documents(const char *dir) {
  galley_options *o = galley_options_new();
  messages ms = {0};
  galley_options_set_diagnostic_handler(o, collect, &ms);
  galley_options_set_timestamp(o, 0);
  static const char one[] = "# One\n\nThe first chapter.\n";
  static const char two[] = "# Two\n\nThe second chapter.\n";
  galley_document *docs[2] = {NULL, NULL};
  check_rc("a document read from memory",
           galley_read_memory(one, strlen(one), "one.md", o, &docs[0]),
           GALLEY_OK);
  check_rc("another", galley_read_memory(two, strlen(two), NULL, o, &docs[1]),
           GALLEY_OK);
  void *out = NULL;
  size_t len = 0;
  check_rc("one document, read once, to PDF",
           galley_write_memory(docs, 1, GALLEY_PDF, o, &out, &len), GALLEY_OK);
  check("... a PDF", is_pdf(out, len), NULL);
  galley_free(out);
  check_rc("... and to EPUB",
           galley_write_memory(docs, 1, GALLEY_EPUB, o, &out, &len),
           GALLEY_OK);
  check("... an EPUB", is_epub(out, len), NULL);
  galley_free(out);
  check_rc("two documents: a book",
           galley_write_memory(docs, 2, GALLEY_EPUB, o, &out, &len),
           GALLEY_OK);
  check("... an EPUB with both chapters",
        is_epub(out, len) && has(out, len, "ch0002.xhtml"), NULL);
  if (out)
    save(dir, "book.epub", out, len);
  galley_free(out);
  char path[4096];
  snprintf(path, sizeof path, "%s/file.pdf", dir);
  check_rc("a document to a file",
           galley_write_file(docs, 1, GALLEY_PDF, o, path), GALLEY_OK);
  snprintf(path, sizeof path, "%s/no-such-folder/file.pdf", dir);
  check_rc("a file that cannot be written: GALLEY_ERR_OUTPUT",
           galley_write_file(docs, 1, GALLEY_PDF, o, path),
           GALLEY_ERR_OUTPUT);
  check("... and the handler hears why", ms.n > 0, NULL);

  char *fonts = NULL;
  size_t fonts_len = 0;
  check_rc("the style's fonts listed",
           galley_list_fonts(docs, 2, o, &fonts, &fonts_len), GALLEY_OK);
  check("... as text", fonts && fonts_len == strlen(fonts) && fonts_len > 0,
        NULL);
  galley_free(fonts);
  galley_document_free(docs[0]);
  galley_document_free(docs[1]);
  galley_options_free(o);
}

static void errors(const char *dir) {
  void *out = (void *)1;
  size_t len = 1;
  check_rc("NULL bytes with a length: GALLEY_ERR_INVALID",
           galley_convert_memory(NULL, 5, GALLEY_PDF, NULL, &out, &len),
           GALLEY_ERR_INVALID);
  check("... and *out cleared", out == NULL && len == 0, NULL);
  check_rc("no place for the output: GALLEY_ERR_INVALID",
           galley_convert_memory("x", 1, GALLEY_PDF, NULL, NULL, &len),
           GALLEY_ERR_INVALID);
  check_rc("an unknown format: GALLEY_ERR_INVALID",
           galley_convert_memory("x", 1, (galley_format)7, NULL, &out, &len),
           GALLEY_ERR_INVALID);
  check_rc("no bytes at all: an empty document",
           galley_convert_memory(NULL, 0, GALLEY_EPUB, NULL, &out, &len),
           GALLEY_OK);
  galley_free(out);
  check_rc("NULL options: GALLEY_ERR_INVALID for a setter",
           galley_options_set_tagged(NULL, 1), GALLEY_ERR_INVALID);
  galley_options *o = galley_options_new();
  messages ms = {0};
  galley_options_set_diagnostic_handler(o, collect, &ms);
  check_rc("a size out of range: GALLEY_ERR_INVALID",
           galley_options_set_font_size(o, (galley_font_size)9),
           GALLEY_ERR_INVALID);
  check_rc("an unknown font role: GALLEY_ERR_INVALID",
           galley_options_set_font(o, "nose", "DejaVu Serif"),
           GALLEY_ERR_INVALID);
  check_rc("an unknown metadata key: GALLEY_ERR_INVALID",
           galley_options_set_metadata(o, "colour", "red"),
           GALLEY_ERR_INVALID);
  check("... and the handler hears it", find(&ms, "unknown metadata key") !=
                                            NULL,
        NULL);
  ms.n = 0;
  check_rc("an unknown style: GALLEY_ERR_STYLE",
           galley_options_set_style(o, "no-such-style"), GALLEY_ERR_STYLE);
  check("... and the handler hears it", ms.n > 0 && ms.m[0].severity ==
                                                        GALLEY_ERROR,
        NULL);
  check_rc("... the options keep their style",
           galley_convert_memory("x", 1, GALLEY_EPUB, o, &out, &len),
           GALLEY_OK);
  galley_free(out);
  ms.n = 0;
  check_rc("a missing input file: GALLEY_ERR_INPUT",
           galley_convert_file("no-such-file.md", GALLEY_PDF, o, "x.pdf"),
           GALLEY_ERR_INPUT);
  check("... and the handler names it",
        find(&ms, "cannot read") && strcmp(find(&ms, "cannot read")->file,
                                           "no-such-file.md") == 0,
        NULL);
  check_rc("PDF/A-2a untagged: GALLEY_ERR_INVALID",
           (galley_options_set_pdfa(o, GALLEY_PDFA_2A),
            galley_options_set_tagged(o, 0),
            galley_convert_memory("x", 1, GALLEY_PDF, o, &out, &len)),
           GALLEY_ERR_INVALID);
  galley_options_set_pdfa(o, GALLEY_PDFA_NONE);
  galley_options_set_diagnostic_handler(o, calls_back, o);
  galley_convert_memory("<b>x</b>", 8, GALLEY_EPUB, o, &out, &len);
  galley_free(out);
  check_rc("a handler that calls back: GALLEY_ERR_MISUSE", callback_rc,
           GALLEY_ERR_MISUSE);
  galley_options_free(o);
  (void)dir;
}

static int convert(void) {
  galley_options *o = galley_options_new();
  galley_options_set_diagnostic_handler(o, print_messages, NULL);
  void *out = NULL;
  size_t len = 0;
  int rc = galley_convert_memory(article, strlen(article), GALLEY_PDF, o,
                                 &out, &len);
  printf("status %d %s\n", rc, galley_strerror(rc));
  if (rc == GALLEY_OK && is_pdf(out, len))
    printf("a PDF of %zu bytes\n", len);
  galley_free(out);
  galley_options_free(o);
  galley_cleanup();
  return rc;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "convert") == 0)
    return convert() == GALLEY_OK ? 0 : 1;
  if (argc != 3 || strcmp(argv[1], "check") != 0) {
    fputs("usage: client check OUTDIR | client convert\n", stderr);
    return 2;
  }
  versions();
  in_memory(argv[2]);
  documents(argv[2]);
  errors(argv[2]);
  galley_cleanup(); /* so a leak checker sees only what was lost */
  return failures ? 1 : 0;
}

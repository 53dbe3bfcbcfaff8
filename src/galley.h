/* galley.h - libgalley: Markdown articles into print PDFs and EPUB 3
 * e-books, from a file or from memory, into a file or into memory.
 *
 * This header is the library's manual.  Build against it with
 *
 *     cc $(pkg-config --cflags galley) prog.c $(pkg-config --libs galley)
 *
 * (or `pkg-config --static --libs galley` for libgalley.a).  The smallest
 * program:
 *
 *     void *pdf;
 *     size_t len;
 *     int rc = galley_convert_memory(md, md_len, GALLEY_PDF, NULL, &pdf,
 *                                    &len);
 *     if (rc != GALLEY_OK)
 *       fprintf(stderr, "%s\n", galley_strerror(rc));
 *     else
 *       ... use pdf[0..len) ..., then galley_free(pdf);
 *
 * OBJECTS.  Two opaque handles: galley_options (what to make and how, and
 * where messages go) and galley_document (one Markdown input, read once,
 * which can then be written in both formats, or as a chapter of a book).
 * Each is made by one function and freed by one function; every string
 * and array the library hands out is freed with galley_free.  Passing
 * NULL for the options means the defaults, with messages discarded.
 *
 * RESULTS.  Every function that can fail returns a galley_status:
 * GALLEY_OK (0) or an error, which galley_strerror turns into words.  The
 * library never prints and never exits: what it has to say about an
 * input (the line and column of a malformed front matter, an image left
 * out, a font that lacks a character) goes to the diagnostic handler set
 * on the options, and a failure returns an error code.
 *
 * MEMORY.  When memory runs out inside a call, the call unwinds to its
 * entry and returns GALLEY_ERR_NOMEM (setjmp and longjmp, from the
 * allocation that failed).  Memory the failed call had in use inside
 * galley is not given back, and since the unwinding can leave what
 * galley keeps between calls (loaded fonts, the writers' state) half
 * updated, every later call that would run galley's code returns
 * GALLEY_ERR_NOMEM too: the program can report the failure, save its
 * own work and carry on without galley, rather than be killed by
 * abort().  Calls that only store a setting, free an object or read a
 * version still work.
 *
 * THREADS.  galley keeps per-process state (loaded fonts, the writers'
 * modules), so calls run one at a time: a call made while another thread
 * is inside one waits for it.  A diagnostic handler must not call galley
 * (such a call returns GALLEY_ERR_MISUSE).  An options object or a
 * document must not be used by two threads at once.  In a process that
 * forks, fork between calls (the command line forks its batch workers
 * after galley_options_prepare, so they share the fonts it loaded).
 *
 * FILES.  galley finds its styles and fonts (PREFIX/share/galley) and its
 * writer modules (PREFIX/lib/galley, loaded only when their format is
 * first written) relative to the library itself, so an installed tree
 * works wherever it is moved; then in the PREFIX it was built for.
 * $GALLEY_DATADIR names another data folder.  $SOURCE_DATE_EPOCH, when it
 * is a count of seconds, is the time stamped into every output unless
 * galley_options_set_timestamp says otherwise, so the same input gives
 * byte-identical files.
 *
 * Exported symbols carry the version node GALLEY_0; the library exports
 * nothing that is not declared here. */
#ifndef GALLEY_H
#define GALLEY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define GALLEY_API __attribute__((visibility("default")))
#else
#define GALLEY_API
#endif

/* ---- versions ---- */

/* The version of this header.  galley_version() and
 * galley_version_number() give the library's that is running, which may
 * differ from the header a program was built with. */
#define GALLEY_VERSION_MAJOR 0
#define GALLEY_VERSION_MINOR 1
#define GALLEY_VERSION_PATCH 0
#define GALLEY_VERSION "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH: 0.1.0 is 100. */
#define GALLEY_VERSION_NUMBER                                                  \
  (GALLEY_VERSION_MAJOR * 10000 + GALLEY_VERSION_MINOR * 100 +                 \
   GALLEY_VERSION_PATCH)

/* The library's GALLEY_VERSION and GALLEY_VERSION_NUMBER. */
GALLEY_API const char *galley_version(void);
GALLEY_API int galley_version_number(void);

/* The library's build identity: a checksum of its headers, Makefile and
 * compiler flags.  Its writer modules must carry the same one, or they are
 * refused (GALLEY_ERR_SETUP). */
GALLEY_API const char *galley_build_id(void);

/* ---- results ---- */

typedef enum {
  GALLEY_OK = 0,
  /* An argument is wrong: a NULL pointer where one is needed, a value
   * outside its enum, an unknown font role or metadata key. */
  GALLEY_ERR_INVALID = 1,
  /* Memory ran out (see MEMORY above). */
  GALLEY_ERR_NOMEM = 2,
  /* The input could not be read, or is not something galley converts (a
   * malformed front matter, over 64 MB); the handler was told why. */
  GALLEY_ERR_INPUT = 3,
  /* The style could not be loaded, or names fonts that cannot be found on
   * this machine; the handler was told why. */
  GALLEY_ERR_STYLE = 4,
  /* A writer could not make the document; the handler was told why. */
  GALLEY_ERR_CONVERT = 5,
  /* The output file could not be written (an earlier file of that name
   * is left as it was); the handler was told why. */
  GALLEY_ERR_OUTPUT = 6,
  /* galley's own files are missing: its data folder (styles, fonts) or a
   * writer module, or a module is from another build; the handler was
   * told where it looked. */
  GALLEY_ERR_SETUP = 7,
  /* galley was called from inside a diagnostic handler. */
  GALLEY_ERR_MISUSE = 8
} galley_status;

/* A sentence for a galley_status ("out of memory"); never NULL. */
GALLEY_API const char *galley_strerror(int status);

/* Frees what the library handed out (output bytes, texts).  NULL is
 * ignored. */
GALLEY_API void galley_free(void *p);

/* Frees what galley keeps for the process: the fonts it loaded, the
 * writers' caches.  The next call loads them again.  For leak checkers and
 * programs that are done with galley; never needed for correctness. */
GALLEY_API void galley_cleanup(void);

/* ---- options ---- */

typedef enum { GALLEY_EPUB = 1, GALLEY_PDF = 2 } galley_format;

/* Body type: the style gives the three sizes (the article style: 10.5, 12
 * and 16 pt). */
typedef enum {
  GALLEY_SMALL = 0,
  GALLEY_MEDIUM = 1, /* the default */
  GALLEY_LARGE = 2
} galley_font_size;

/* How the body is read: GitHub Flavored Markdown (tables, footnotes,
 * strikethrough, task lists, autolinks, typographic quotes; the default)
 * or strict CommonMark. */
typedef enum { GALLEY_GFM = 0, GALLEY_COMMONMARK = 1 } galley_dialect;

/* The PDF/A level written; GALLEY_PDFA_NONE (the default) for plain PDF. */
typedef enum {
  GALLEY_PDFA_NONE = 0,
  GALLEY_PDFA_1B, /* PDF 1.4, no transparency */
  GALLEY_PDFA_2B, /* PDF 1.7, transparency allowed */
  GALLEY_PDFA_2U, /* 2B, and every character maps to Unicode */
  GALLEY_PDFA_2A  /* 2U, and tagged (the structure tree) */
} galley_pdfa;

/* Whether an EPUB carries subsets of the fonts its text is drawn with. */
typedef enum {
  GALLEY_EPUB_FONTS_AUTO = -1, /* when the text has CJK characters (default) */
  GALLEY_EPUB_FONTS_OFF = 0,
  GALLEY_EPUB_FONTS_ON = 1
} galley_epub_font_mode;

typedef enum {
  GALLEY_NOTE = 0,
  GALLEY_WARNING = 1, /* something was left out or changed; output written */
  GALLEY_ERROR = 2    /* the call fails */
} galley_severity;

/* A message about an input, an option or galley's files.  file is the
 * input (as named when it was read: its path, "<stdin>", the name given
 * to galley_read_memory, "<memory>"), a style file, or the output being
 * written; NULL when the message is about none.  line and column are
 * 1-based, 0 when not known.  file and text are UTF-8 with control
 * characters, bidirectional overrides and bytes that are not UTF-8
 * written as \xNN, so they can be printed on a terminal as they are.
 * Both are valid during the call only.  At most 50 warnings and notes are
 * passed on per document read or written; one more warning then says how
 * many were left out.  Errors are always passed on.  Messages about
 * options name them as the command line does (--font, -M). */
typedef void (*galley_diagnostic_handler)(void *userdata, const char *file,
                                          int line, int column,
                                          galley_severity severity,
                                          const char *text);

typedef struct galley_options galley_options;

/* New options with the defaults: the article style in medium type, GFM,
 * plain tagged PDF, EPUB fonts for CJK text, one document per output, and
 * messages discarded.  NULL when memory runs out.  Nothing is loaded until
 * a setting or a conversion needs it. */
GALLEY_API galley_options *galley_options_new(void);

/* Frees o and the style it loaded.  NULL is ignored. */
GALLEY_API void galley_options_free(galley_options *o);

/* Where messages go: handler(userdata, ...) for each, from inside the
 * call that has something to say, so set it before the other settings
 * (loading a style reports into it).  NULL discards them. */
GALLEY_API int galley_options_set_diagnostic_handler(
    galley_options *o, galley_diagnostic_handler handler, void *userdata);

/* The style: a built-in name ("article", "book", "circular", "letter",
 * "minutes") or the path of a style file (a name with a '/' or ending in
 * .yaml or .yml).  Loaded now: GALLEY_ERR_STYLE when it cannot be (the
 * handler says where), GALLEY_ERR_SETUP when galley's data folder is
 * missing.  Fonts set before are applied to it again. */
GALLEY_API int galley_options_set_style(galley_options *o,
                                        const char *name_or_path);

/* The fonts of role ("body", "title", "h1" ... "h6", "quote", "code",
 * "meta" ...; NULL for the body, which every role naming no fonts of its
 * own follows): installed family names, with a face if wanted ("Noto
 * Serif CJK SC:bold"), or font files (FILE.ttc#2 for a face of a
 * collection), comma-separated in fallback order, at most eight.
 * GALLEY_ERR_INVALID for an unknown role, GALLEY_ERR_STYLE for a list
 * that is not one; whether the fonts exist is found when they are first
 * needed (galley_options_prepare, or the first PDF). */
GALLEY_API int galley_options_set_font(galley_options *o, const char *role,
                                       const char *fonts);

GALLEY_API int galley_options_set_font_size(galley_options *o,
                                            galley_font_size size);
GALLEY_API int galley_options_set_dialect(galley_options *o,
                                          galley_dialect dialect);
GALLEY_API int galley_options_set_pdfa(galley_options *o, galley_pdfa level);
/* A tagged PDF (the structure tree PDF/UA-1 asks for, for screen
 * readers): on (1, the default) or off (0).  GALLEY_PDFA_2A needs it. */
GALLEY_API int galley_options_set_tagged(galley_options *o, int tagged);
GALLEY_API int galley_options_set_epub_fonts(galley_options *o,
                                             galley_epub_font_mode mode);
/* An EPUB's page list: markers where the pages of the PDF of the same
 * style and size begin, and a page-list navigation, so a page can be
 * cited from either file.  -1 (the default): for a book only; 0 off; 1
 * on.  The documents are then laid out as for the PDF too. */
GALLEY_API int galley_options_set_page_list(galley_options *o, int page_list);

/* Several documents written together (galley_write_file and
 * galley_write_memory with n > 1) are always the chapters of one book,
 * whose metadata is the first one's.  Book (1) makes one document a book
 * of one chapter too, and sends the metadata set with
 * galley_options_set_metadata to the book rather than into each
 * chapter: set it before reading the chapters.  Off (0) by default. */
GALLEY_API int galley_options_set_book(galley_options *o, int book);

/* The time stamped into the outputs, in seconds since 1970 (UTC), for
 * byte-identical outputs; -1 returns to the default: $SOURCE_DATE_EPOCH
 * when set, else the time of each conversion. */
GALLEY_API int galley_options_set_timestamp(galley_options *o,
                                            long long seconds);

/* A front-matter field (title, author, date, lang, ...) set for every
 * document read with o, overriding the document's own; a list field
 * (author, keywords) takes value as one more item.  Checked now:
 * GALLEY_ERR_INVALID for an unknown key or a value the field refuses
 * (the handler says why). */
GALLEY_API int galley_options_set_metadata(galley_options *o, const char *key,
                                           const char *value);

/* A folder images may also come from, after the document's own folder
 * (absolute paths in a document are refused unless such a folder is
 * given).  May be called again for more folders. */
GALLEY_API int galley_options_add_resource_dir(galley_options *o,
                                               const char *dir);

/* Loads now what writing formats (GALLEY_EPUB | GALLEY_PDF) in o's style
 * needs, rather than on first use: the style, the writer modules and, for
 * PDF, the style's fonts.  So a missing font fails before any input is
 * read (GALLEY_ERR_STYLE; GALLEY_ERR_SETUP for a missing module), and
 * processes forked afterwards share what was loaded. */
GALLEY_API int galley_options_prepare(galley_options *o, unsigned formats);

/* ---- documents ---- */

typedef struct galley_document galley_document;

/* Reads the Markdown file at path ("-": standard input) into *doc.
 * Images resolve against the file's folder, then the resource folders.
 * GALLEY_ERR_INPUT when it cannot be read or its front matter is wrong;
 * the style is loaded first if it was not (to warn about fields it does
 * not print), so GALLEY_ERR_STYLE or GALLEY_ERR_SETUP when it cannot be.
 * On failure *doc is NULL. */
GALLEY_API int galley_read_file(const char *path, galley_options *o,
                                galley_document **doc);

/* Reads len bytes of Markdown from memory into *doc.  name names the
 * document in messages and, when it has a folder part, gives the folder
 * images resolve against (a name without one: the working folder).
 * With name NULL ("<memory>") images resolve against the first resource
 * folder, and with none no image is read at all: bytes from elsewhere
 * cannot make galley read local files. */
GALLEY_API int galley_read_memory(const char *markdown, size_t len,
                                  const char *name, galley_options *o,
                                  galley_document **doc);

/* Frees a document.  NULL is ignored. */
GALLEY_API void galley_document_free(galley_document *doc);

/* Writes docs[0..n) in format to the file at path: one document, or
 * several as the chapters of a book.  The file is replaced atomically (a
 * temporary file in its folder, renamed over it), so a failure leaves no
 * partial file and any earlier one intact; "-" writes standard output.
 * The options should be those the documents were read with. */
GALLEY_API int galley_write_file(galley_document *const *docs, size_t n,
                                 galley_format format, galley_options *o,
                                 const char *path);

/* The same into memory: *out (freed with galley_free) holds *out_len
 * bytes.  On failure *out is NULL and *out_len 0. */
GALLEY_API int galley_write_memory(galley_document *const *docs, size_t n,
                                   galley_format format, galley_options *o,
                                   void **out, size_t *out_len);

/* ---- one step ---- */

/* Reads the Markdown file input and writes it in format to the file
 * output, as galley_read_file then galley_write_file. */
GALLEY_API int galley_convert_file(const char *input, galley_format format,
                                   galley_options *o, const char *output);

/* Converts len bytes of Markdown into *out_len bytes of format at *out
 * (freed with galley_free), as galley_read_memory with no name then
 * galley_write_memory.  On failure *out is NULL and *out_len 0. */
GALLEY_API int galley_convert_memory(const char *markdown, size_t len,
                                     galley_format format, galley_options *o,
                                     void **out, size_t *out_len);

/* ---- fonts ---- */

/* What the fonts of o's style resolve to on this machine (file, face,
 * outlines, per role) and, given docs[0..n), which of their characters
 * each role's fonts lack: text (UTF-8 lines) at *out, freed with
 * galley_free; *out_len may be NULL. */
GALLEY_API int galley_list_fonts(galley_document *const *docs, size_t n,
                                 galley_options *o, char **out,
                                 size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif

/* main.c - the command line: options, which files to write, exit status.
 * Exit status: 0 all written, 1 some input failed, 2 usage error.  It
 * converts through the library's API (galley.h) and nothing else; its own
 * messages, the batch and the checks of its outputs use a few of the
 * library's utilities, linked in as copies of its own. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "arena.h"
#include "batch.h"
#include "buf.h"
#include "diag.h"
#include "galley.h"
#include "output.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: galley [options] INPUT.md|FOLDER...\n"
    "Convert Markdown articles (GitHub Flavored Markdown or CommonMark, with\n"
    "YAML front matter) to print PDFs and EPUB 3 e-books.  '-' reads\n"
    "standard input.\n"
    "\n"
    "  -o, --output PATH        write one file; its extension (.epub, .pdf)\n"
    "                           picks the format; -o - writes standard\n"
    "                           output, in the format -t names\n"
    "  -f, --from FORMAT        gfm (default: GitHub Flavored Markdown, with\n"
    "                           tables, footnotes, strikethrough, task lists\n"
    "                           and autolinks) or commonmark (strict)\n"
    "  -t, --to FORMATS         epub, pdf, or both as pdf,epub (default: from\n"
    "                           -o, else pdf)\n"
    "      --font-size SIZE     small, medium (default) or large type\n"
    "      --style NAME|FILE    article (default), book, circular, letter\n"
    "                           or minutes, or a style file (YAML; see\n"
    "                           styles/README.md)\n"
    "      --font [ROLE=]FONTS  fonts for the body (or for ROLE: h1, title,\n"
    "                           code ...): installed family names, with a\n"
    "                           face if wanted (\"Noto Serif CJK SC:bold\"),\n"
    "                           or .ttf/.otf/.ttc/.otc files (FILE.ttc#2 for\n"
    "                           its third face), comma-separated in fallback\n"
    "                           order; may be repeated\n"
    "      --outdir DIR         one output per input and format, in DIR,\n"
    "                           keeping the inputs' relative folders\n"
    "  -j, --jobs N             convert N inputs at once (default: the\n"
    "                           number of cores)\n"
    "      --book               make one book of all inputs, a chapter each;\n"
    "                           its metadata comes from the first input\n"
    "      --pdfa[=LEVEL]       write PDF/A (archival PDF): 1b, 2b, 2u (the\n"
    "                           default) or 2a (2u with the structure tree)\n"
    "      --tagged             write a tagged PDF, its structure tree as\n"
    "                           PDF/UA-1 asks, for screen readers (the default)\n"
    "      --no-tagged          leave the structure tree out\n"
    "      --epub-embed-fonts   put subsets of the fonts used into the EPUB\n"
    "                           (the default when the text has Chinese,\n"
    "                           Japanese or Korean characters)\n"
    "      --no-epub-embed-fonts  leave the fonts to the reading system\n"
    "      --page-list          mark in the EPUB where the pages of the PDF\n"
    "                           of the same style and size begin, with a\n"
    "                           page list (the default with --book)\n"
    "      --no-page-list       leave the page list out\n"
    "      --list-fonts         print what each role's fonts are on this\n"
    "                           machine (file, face, outlines) and, given\n"
    "                           inputs, which of their characters they lack;\n"
    "                           converts nothing\n"
    "      --resource-path DIRS folders (separated by :) images may also come\n"
    "                           from; by default only the input's own folder\n"
    "  -M, --metadata KEY=VAL   set a front-matter field (title, author, "
    "date,\n"
    "                           lang, ...), overriding the input's\n"
    "  -q, --quiet              print errors only\n"
    "      --verbose            print each file written\n"
    "  -v, --version            print the version\n"
    "  -h, --help               print this help\n"
    "\n"
    "A FOLDER stands for the Markdown files under it (*.md, *.markdown).\n"
    "Without -o or --outdir, each INPUT.md is written beside itself as\n"
    "INPUT.epub or INPUT.pdf.  SOURCE_DATE_EPOCH fixes every timestamp, so "
    "the\n"
    "same input gives byte-identical output.\n"
    "Exit status: 0 all written, 1 some input failed, 2 usage error.\n";

typedef struct {
  const char *output, *outdir;
  unsigned formats;
  galley_font_size size;
  galley_dialect dialect;
  int book, verbose, pdfa, quiet;
  int tagged; /* 1 unless --no-tagged */
  int epub_fonts;  /* -1 auto, 0 off, 1 on (galley_epub_font_mode) */
  int page_list;   /* -1 with a book, 0 off, 1 on */
  int list_fonts;  /* --list-fonts: report the fonts, convert nothing */
  int jobs;        /* conversions at once */
  char **metadata; /* KEY=VALUE strings from -M */
  size_t n_metadata;
  const char **resource_dirs; /* --resource-path folders */
  size_t n_resource_dirs;
  const char *style_name;
  char **fonts; /* [ROLE=]FONTS from --font */
  size_t n_fonts;
  galley_options *go; /* the library's, made from the above */
} cli;

static int usage_error(const char *fmt, const char *arg) {
  diag(DIAG_ERROR, NULL, 0, 0, fmt, arg); /* escapes what arg holds */
  fputs("Try 'galley --help'.\n", stderr);
  return EXIT_USAGE;
}

static unsigned format_of_path(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && strcasecmp(dot, ".epub") == 0)
    return GALLEY_EPUB;
  if (dot && strcasecmp(dot, ".pdf") == 0)
    return GALLEY_PDF;
  return 0;
}

static int parse_formats(const char *list, unsigned *formats) {
  *formats = 0;
  char *copy = strdup(list);
  if (!copy)
    abort();
  int ok = 1;
  for (char *save = NULL, *t = strtok_r(copy, ",", &save); t;
       t = strtok_r(NULL, ",", &save)) {
    if (strcmp(t, "epub") == 0 || strcmp(t, "epub3") == 0)
      *formats |= GALLEY_EPUB;
    else if (strcmp(t, "pdf") == 0)
      *formats |= GALLEY_PDF;
    else
      ok = 0;
  }
  free(copy);
  return ok && *formats;
}

static const char *extension(galley_format f) {
  return f == GALLEY_EPUB ? "epub" : "pdf";
}

/* mkdir -p for the folders of path. */
static int make_parents(const char *path) {
  char *p = strdup(path);
  if (!p)
    abort();
  for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      diag(DIAG_ERROR, p, 0, 0, "cannot create the folder: %s",
           strerror(errno));
      free(p);
      return -1;
    }
    *s = '/';
  }
  free(p);
  return 0;
}

/* Output path for one input: beside it, or under outdir keeping its relative
 * folder (only for relative inputs that stay below the working folder; a
 * file found in a folder given as input keeps its path inside that
 * folder). */
static void output_path(const cli *c, const batch_job *job, galley_format f,
                        buf *out) {
  const char *name = job->input;
  if (c->outdir) {
    const char *input = job->name;
    int keep_dirs = input[0] != '/' && !strstr(input, "..");
    name = input;
    if (!keep_dirs) {
      const char *slash = strrchr(input, '/');
      name = slash ? slash + 1 : input;
    }
    while (name[0] == '.' && name[1] == '/')
      name += 2;
    buf_puts(out, c->outdir);
    buf_putc(out, '/');
  }
  size_t n = strlen(name);
  if (n > 3 && strcasecmp(name + n - 3, ".md") == 0)
    n -= 3;
  else if (n > 9 && strcasecmp(name + n - 9, ".markdown") == 0)
    n -= 9;
  buf_put(out, name, n);
  buf_printf(out, ".%s", extension(f));
}

/* Where format f of job goes: -o, or the path made for the input. */
static void target_path(const cli *c, const batch_job *job, galley_format f,
                        buf *path) {
  if (c->output)
    buf_puts(path, c->output);
  else
    output_path(c, job, f, path);
}

static int write_formats(const cli *c, galley_document *const *docs,
                         size_t n, const batch_job *job) {
  int failed = 0;
  for (unsigned f = GALLEY_EPUB; f <= GALLEY_PDF; f <<= 1) {
    if (!(c->formats & f))
      continue;
    buf path = {0};
    target_path(c, job, (galley_format)f, &path);
    if ((c->outdir && make_parents(path.data) != 0) ||
        galley_write_file(docs, n, (galley_format)f, c->go, path.data) !=
            GALLEY_OK)
      failed = 1;
    else if (c->verbose) {
      buf line = {0};
      buf_puts(&line, "galley: wrote ");
      diag_escape(&line, path.data);
      buf_putc(&line, '\n');
      fwrite(line.data, 1, line.len, stderr);
      buf_free(&line);
    }
    buf_free(&path);
  }
  return failed;
}

/* --book: the inputs are read as chapters (the -M fields go to the book,
 * galley_options_set_book), then written as one. */
static int run_book(const cli *c, const batch_job *jobs, size_t n) {
  galley_document **docs = calloc(n, sizeof *docs);
  if (!docs)
    abort();
  int failed = 0;
  for (size_t i = 0; i < n; i++)
    if (galley_read_file(jobs[i].input, c->go, &docs[i]) != GALLEY_OK)
      failed = 1;
  if (!failed)
    failed = write_formats(c, docs, n, &jobs[0]);
  for (size_t i = 0; i < n; i++)
    galley_document_free(docs[i]);
  free(docs);
  return failed ? EXIT_INPUT : EXIT_OK;
}

static int convert_one(const batch_job *job, void *data) {
  const cli *c = data;
  galley_document *d = NULL;
  int failed = galley_read_file(job->input, c->go, &d) != GALLEY_OK ||
               write_formats(c, &d, 1, job) != 0;
  galley_document_free(d);
  return failed;
}

static int run_each(const cli *c, const batch_job *jobs, size_t n) {
  batch_options bo = {c->jobs, c->quiet};
  return batch_run(jobs, n, &bo, convert_one, (void *)c) ? EXIT_INPUT
                                                          : EXIT_OK;
}

/* The library's messages, printed as the program's own: errors always,
 * the rest unless -q. */
static void print_message(void *data, const char *file, int line,
                          int column, galley_severity severity,
                          const char *text) {
  const cli *c = data;
  if (c->quiet && severity != GALLEY_ERROR)
    return;
  diag_report((diag_level)severity, file, line, column, text);
}

/* The library's options from the command line's: the style with its
 * fonts (--font [ROLE=]FONTS: the role's, the body's without a role) and
 * the -M fields, each checked now.  0, or the exit status. */
static int make_options(cli *c) {
  galley_options *o = c->go = galley_options_new();
  if (!o)
    abort();
  galley_options_set_diagnostic_handler(o, print_message, c);
  galley_options_set_font_size(o, c->size);
  galley_options_set_dialect(o, c->dialect);
  galley_options_set_pdfa(o, (galley_pdfa)c->pdfa);
  galley_options_set_tagged(o, c->tagged);
  galley_options_set_epub_fonts(o, (galley_epub_font_mode)c->epub_fonts);
  galley_options_set_page_list(o, c->page_list);
  galley_options_set_book(o, c->book);
  for (size_t i = 0; i < c->n_resource_dirs; i++)
    if (galley_options_add_resource_dir(o, c->resource_dirs[i]) != GALLEY_OK)
      abort();
  if (galley_options_set_style(o, c->style_name ? c->style_name
                                                : "article") != GALLEY_OK)
    return EXIT_USAGE;
  for (size_t i = 0; i < c->n_fonts; i++) {
    const char *spec = c->fonts[i], *eq = strchr(spec, '=');
    char role[32] = "";
    if (eq) {
      size_t len = (size_t)(eq - spec);
      if (len >= sizeof role || len == 0)
        return usage_error("--font: \"%s\" names no role (body, title, h1 "
                           "... h6, quote, code, meta ...)",
                           spec);
      memcpy(role, spec, len);
      role[len] = '\0';
      spec = eq + 1;
    }
    int rc = galley_options_set_font(o, eq ? role : NULL, spec);
    if (rc == GALLEY_ERR_INVALID)
      return usage_error("--font: \"%s\" names no role (body, title, h1 "
                         "... h6, quote, code, meta ...)",
                         c->fonts[i]);
    if (rc != GALLEY_OK)
      return EXIT_USAGE;
  }
  for (size_t i = 0; i < c->n_metadata; i++) {
    char *eq = strchr(c->metadata[i], '=');
    *eq = '\0';
    int rc = galley_options_set_metadata(o, c->metadata[i], eq + 1);
    *eq = '=';
    if (rc != GALLEY_OK)
      return EXIT_USAGE;
  }
  return 0;
}

/* --list-fonts: what the style's fonts resolve to here, and with inputs,
 * which of their characters each role's fonts lack; on standard output. */
static int list_fonts(cli *c, char **inputs, int n_inputs) {
  int rc = make_options(c);
  if (rc != 0)
    return rc;
  galley_document **docs = calloc((size_t)n_inputs + 1, sizeof *docs);
  if (!docs)
    abort();
  int n = 0;
  for (int i = 0; i < n_inputs; i++)
    if (galley_read_file(inputs[i], c->go, &docs[n]) == GALLEY_OK)
      n++;
    else
      rc = EXIT_INPUT;
  char *out = NULL;
  size_t len = 0;
  if (galley_list_fonts(docs, (size_t)n, c->go, &out, &len) != GALLEY_OK)
    rc = EXIT_USAGE;
  else if (len)
    fwrite(out, 1, len, stdout);
  galley_free(out);
  for (int i = 0; i < n; i++)
    galley_document_free(docs[i]);
  free(docs);
  return rc;
}

/* ---- inputs: files, and folders walked for Markdown ---- */

typedef struct {
  batch_job *v;
  size_t n, cap;
  arena *mem;
} job_list;

static void add_job(job_list *l, const char *input, const char *name) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
    if (!l->v)
      abort();
  }
  l->v[l->n].input = arena_strndup(&l->mem, input, strlen(input));
  l->v[l->n].name = arena_strndup(&l->mem, name, strlen(name));
  l->n++;
}

static int is_markdown(const char *name) {
  size_t n = strlen(name);
  return (n > 3 && strcasecmp(name + n - 3, ".md") == 0) ||
         (n > 9 && strcasecmp(name + n - 9, ".markdown") == 0);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the Markdown files under dir in name order; rel is dir's path
 * inside the folder named on the command line.  Hidden entries and
 * symbolic links to folders are skipped, so no walk can loop.  A FIFO,
 * device or socket (or a link to one) named like Markdown is skipped with
 * a warning: opening a FIFO would wait for a writer for ever.  A link
 * that leads nowhere is kept, so that reading it says what is wrong. */
static void walk(job_list *l, const char *dir, const char *rel, int depth) {
  DIR *d = opendir(dir);
  if (!d) {
    diag(DIAG_ERROR, dir, 0, 0, "cannot read the folder: %s", strerror(errno));
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      names = realloc(names, cap * sizeof *names);
      if (!names)
        abort();
    }
    if (!(names[n++] = strdup(e->d_name)))
      abort();
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    buf path = {0}, sub = {0};
    buf_printf(&path, "%s/%s", dir, names[i]);
    buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
    struct stat st, to;
    if (lstat(path.data, &st) == 0) {
      int link = S_ISLNK(st.st_mode);
      int dangling = link && stat(path.data, &to) != 0;
      if (link && !dangling)
        st.st_mode = to.st_mode;
      if (S_ISDIR(st.st_mode)) {
        if (!link && depth < 64)
          walk(l, path.data, sub.data, depth + 1);
      } else if (!is_markdown(names[i])) {
        /* not an input */
      } else if (dangling || S_ISREG(st.st_mode)) {
        add_job(l, path.data, sub.data);
      } else {
        diag(DIAG_WARNING, path.data, 0, 0, "%s; skipped",
             S_ISFIFO(st.st_mode)  ? "is a FIFO, not a regular file"
             : S_ISSOCK(st.st_mode) ? "is a socket, not a regular file"
                                    : "is a device, not a regular file");
      }
    }
    buf_free(&path);
    buf_free(&sub);
    free(names[i]);
  }
  free(names);
}

static void expand_inputs(job_list *l, char **inputs, int n) {
  for (int i = 0; i < n; i++) {
    struct stat st;
    if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &st) == 0 &&
        S_ISDIR(st.st_mode)) {
      size_t before = l->n;
      walk(l, inputs[i], "", 0);
      if (l->n == before)
        diag(DIAG_WARNING, inputs[i], 0, 0, "no Markdown files in the folder");
    } else {
      add_job(l, inputs[i], inputs[i]);
    }
  }
}

/* ---- outputs: checked before anything is written ---- */

typedef struct {
  char *key;  /* the file it lands on, every spelling alike */
  char *path; /* as written */
  size_t job;
} planned;

static int by_key(const void *a, const void *b) {
  const planned *x = a, *y = b;
  int d = strcmp(x->key, y->key);
  return d ? d : (x->job > y->job) - (x->job < y->job);
}

typedef struct {
  dev_t dev;
  ino_t ino;
  size_t job;
} file_id;

static int by_id(const void *a, const void *b) {
  const file_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  return (x->ino > y->ino) - (x->ino < y->ino);
}

/* Refuses the run (EXIT_USAGE; nothing has been written) when an output
 * is one of the inputs (the same file under any name: a link, another
 * spelling, a hard link), or when two inputs would be written to one
 * output, which would keep only the last.  Outputs that are not regular
 * files (/dev/null, a FIFO) are written into, never replaced, so they may
 * also be inputs. */
static int check_outputs(const cli *c, const batch_job *jobs, size_t n) {
  size_t n_out = c->book ? 1 : n, max = n_out * 2, m = 0; /* two formats */
  planned *out = calloc(max, sizeof *out);
  file_id *ids = calloc(n, sizeof *ids);
  if (!out || !ids)
    abort();
  for (size_t j = 0; j < n_out; j++)
    for (unsigned f = GALLEY_EPUB; f <= GALLEY_PDF; f <<= 1) {
      if (!(c->formats & f))
        continue;
      buf path = {0};
      target_path(c, &jobs[j], (galley_format)f, &path);
      char *key = output_resolve(path.data);
      if (!key && !(key = strdup(path.data)))
        abort();
      out[m++] = (planned){key, buf_detach(&path, NULL), j};
    }
  int bad = 0;
  qsort(out, m, sizeof *out, by_key);
  for (size_t i = 1, first = 0; i < m; i++) {
    if (strcmp(out[first].key, out[i].key) != 0) {
      first = i; /* each is named beside the first of its group */
      continue;
    }
    const char *a = jobs[out[first].job].input, *b = jobs[out[i].job].input;
    if (strcmp(a, b) == 0)
      diag(DIAG_ERROR, a, 0, 0, "is given more than once; it would be written "
           "to %s each time", out[i].path);
    else
      diag(DIAG_ERROR, NULL, 0, 0, "%s and %s would both be written to %s",
           a, b, out[i].path);
    bad = 1;
  }
  size_t n_ids = 0;
  for (size_t j = 0; j < n; j++) {
    struct stat st;
    if (strcmp(jobs[j].input, "-") != 0 && stat(jobs[j].input, &st) == 0 &&
        S_ISREG(st.st_mode))
      ids[n_ids++] = (file_id){st.st_dev, st.st_ino, j};
  }
  qsort(ids, n_ids, sizeof *ids, by_id);
  for (size_t i = 0; i < m; i++) {
    struct stat st;
    if (strcmp(out[i].path, "-") == 0 || stat(out[i].path, &st) != 0 ||
        !S_ISREG(st.st_mode))
      continue;
    file_id want = {st.st_dev, st.st_ino, 0};
    const file_id *hit = bsearch(&want, ids, n_ids, sizeof *ids, by_id);
    if (hit) {
      diag(DIAG_ERROR, out[i].path, 0, 0, "is the input %s itself; "
           "refusing to write over it", jobs[hit->job].input);
      bad = 1;
    }
  }
  for (size_t i = 0; i < m; i++) {
    free(out[i].key);
    free(out[i].path);
  }
  free(out);
  free(ids);
  return bad ? EXIT_USAGE : 0;
}

int main(int argc, char **argv) {
  enum {
    OPT_FONT_SIZE = 256,
    OPT_STYLE,
    OPT_OUTDIR,
    OPT_BOOK,
    OPT_VERBOSE,
    OPT_PDFA,
    OPT_TAGGED,
    OPT_NO_TAGGED,
    OPT_RESOURCE_PATH,
    OPT_FONT,
    OPT_EPUB_FONTS,
    OPT_NO_EPUB_FONTS,
    OPT_PAGE_LIST,
    OPT_NO_PAGE_LIST,
    OPT_LIST_FONTS
  };
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'},
      {"from", required_argument, NULL, 'f'},
      {"to", required_argument, NULL, 't'},
      {"font-size", required_argument, NULL, OPT_FONT_SIZE},
      {"style", required_argument, NULL, OPT_STYLE},
      {"font", required_argument, NULL, OPT_FONT},
      {"outdir", required_argument, NULL, OPT_OUTDIR},
      {"jobs", required_argument, NULL, 'j'},
      {"book", no_argument, NULL, OPT_BOOK},
      {"pdfa", optional_argument, NULL, OPT_PDFA},
      {"tagged", no_argument, NULL, OPT_TAGGED},
      {"no-tagged", no_argument, NULL, OPT_NO_TAGGED},
      {"epub-embed-fonts", no_argument, NULL, OPT_EPUB_FONTS},
      {"no-epub-embed-fonts", no_argument, NULL, OPT_NO_EPUB_FONTS},
      {"page-list", no_argument, NULL, OPT_PAGE_LIST},
      {"no-page-list", no_argument, NULL, OPT_NO_PAGE_LIST},
      {"list-fonts", no_argument, NULL, OPT_LIST_FONTS},
      {"resource-path", required_argument, NULL, OPT_RESOURCE_PATH},
      {"metadata", required_argument, NULL, 'M'},
      {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, OPT_VERBOSE},
      {"version", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  /* Keep freed memory for reuse instead of handing it back at once: a
   * conversion frees and allocates the same few hundred KB over and over
   * (libzip's deflate state for each entry, say), and glibc's defaults
   * trimmed and regrew the heap, or mapped and unmapped blocks, each time:
   * a system call and fresh page faults every round. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  cli c = {.size = GALLEY_MEDIUM,
           .jobs = cores > 0 ? (int)cores : 1,
           .epub_fonts = -1,
           .page_list = -1,
           .tagged = 1};
  const char *to = NULL;
  c.metadata = calloc((size_t)argc, sizeof *c.metadata);
  c.fonts = calloc((size_t)argc, sizeof *c.fonts);
  /* each argument holds at most len/2 + 1 folders */
  size_t max_dirs = 1;
  for (int i = 0; i < argc; i++)
    max_dirs += strlen(argv[i]) / 2 + 1;
  c.resource_dirs = calloc(max_dirs, sizeof *c.resource_dirs);
  if (!c.metadata || !c.resource_dirs || !c.fonts)
    abort();
  int opt, rc = EXIT_OK;
  opterr = 0;
  while ((opt = getopt_long(argc, argv, "f:o:t:j:M:qvh", longopts, NULL)) != -1) {
    switch (opt) {
    case 'o':
      c.output = optarg;
      break;
    case 'f':
      /* pandoc's names: gfm (the default) or strict commonmark */
      if (strcmp(optarg, "gfm") == 0 || strcmp(optarg, "markdown") == 0)
        c.dialect = GALLEY_GFM;
      else if (strcmp(optarg, "commonmark") == 0)
        c.dialect = GALLEY_COMMONMARK;
      else {
        rc = usage_error("--from takes gfm or commonmark, not \"%s\"", optarg);
        goto out;
      }
      break;
    case 't':
      to = optarg;
      break;
    case OPT_FONT_SIZE:
      if (strcmp(optarg, "small") == 0)
        c.size = GALLEY_SMALL;
      else if (strcmp(optarg, "medium") == 0)
        c.size = GALLEY_MEDIUM;
      else if (strcmp(optarg, "large") == 0)
        c.size = GALLEY_LARGE;
      else {
        rc = usage_error("--font-size must be small, medium or large, not "
                         "\"%s\"",
                         optarg);
        goto out;
      }
      break;
    case OPT_STYLE:
      c.style_name = optarg;
      break;
    case OPT_FONT:
      c.fonts[c.n_fonts++] = optarg;
      break;
    case OPT_OUTDIR:
      c.outdir = optarg;
      break;
    case 'j': {
      char *end;
      long j = strtol(optarg, &end, 10);
      if (*end || j < 1 || j > 1024) {
        rc = usage_error("--jobs needs a number from 1 to 1024, not \"%s\"",
                         optarg);
        goto out;
      }
      c.jobs = (int)j;
      break;
    }
    case OPT_BOOK:
      c.book = 1;
      break;
    case OPT_PDFA:
      if (!optarg || strcasecmp(optarg, "2u") == 0)
        c.pdfa = GALLEY_PDFA_2U;
      else if (strcasecmp(optarg, "2b") == 0)
        c.pdfa = GALLEY_PDFA_2B;
      else if (strcasecmp(optarg, "1b") == 0)
        c.pdfa = GALLEY_PDFA_1B;
      else if (strcasecmp(optarg, "2a") == 0)
        c.pdfa = GALLEY_PDFA_2A;
      else {
        rc = usage_error("--pdfa takes 1b, 2b, 2u or 2a, not \"%s\"", optarg);
        goto out;
      }
      break;
    case OPT_TAGGED:
    case OPT_NO_TAGGED: /* the last one given wins */
      c.tagged = opt == OPT_TAGGED;
      break;
    case OPT_LIST_FONTS:
      c.list_fonts = 1;
      break;
    case OPT_EPUB_FONTS:
    case OPT_NO_EPUB_FONTS: /* the last one given wins */
      c.epub_fonts = opt == OPT_EPUB_FONTS;
      break;
    case OPT_PAGE_LIST:
    case OPT_NO_PAGE_LIST:
      c.page_list = opt == OPT_PAGE_LIST;
      break;
    case OPT_RESOURCE_PATH:
      for (char *save = NULL, *dir = strtok_r(optarg, ":", &save); dir;
           dir = strtok_r(NULL, ":", &save))
        c.resource_dirs[c.n_resource_dirs++] = dir;
      break;
    case 'M':
      if (!strchr(optarg, '=') || optarg[0] == '=') {
        rc = usage_error("-M needs KEY=VALUE, not \"%s\"", optarg);
        goto out;
      }
      c.metadata[c.n_metadata++] = optarg;
      break;
    case 'q':
      diag_set_quiet(1);
      c.quiet = 1;
      break;
    case OPT_VERBOSE:
      c.verbose = 1;
      break;
    case 'v':
      printf("galley %s (build %s)\n", galley_version(), galley_build_id());
      goto out;
    case 'h':
      fputs(usage_text, stdout);
      goto out;
    default:
      if (optopt && strchr("fotjM", optopt))
        rc = usage_error("option -%s needs a value", (char[]){(char)optopt, 0});
      else if (optopt)
        rc = usage_error("unknown option -%s", (char[]){(char)optopt, 0});
      else
        rc = usage_error("unknown or incomplete option %s", argv[optind - 1]);
      goto out;
    }
  }
  int n_inputs = argc - optind;
  char **inputs = argv + optind;
  if (c.list_fonts) {
    rc = list_fonts(&c, inputs, n_inputs);
    goto out;
  }
  if (n_inputs == 0) {
    rc = usage_error("no input files%s", "");
    goto out;
  }
  if (to && !parse_formats(to, &c.formats)) {
    rc = usage_error("--to takes epub, pdf or pdf,epub, not \"%s\"", to);
    goto out;
  }
  if (c.output) {
    unsigned from_path = format_of_path(c.output);
    if (!c.formats)
      c.formats = from_path;
    if (!c.formats) {
      rc = usage_error("cannot tell the format of \"%s\": name it .epub or "
                       ".pdf, or give -t",
                       c.output);
      goto out;
    }
    if (c.formats != GALLEY_EPUB && c.formats != GALLEY_PDF) {
      rc = usage_error("-o writes one file; use --outdir for %s",
                       "several formats");
      goto out;
    }
    if (c.outdir) {
      rc = usage_error("give -o or --outdir, not both%s", "");
      goto out;
    }
    if (n_inputs > 1 && !c.book) {
      rc = usage_error("several inputs and one -o: add --book to make one "
                       "book, or use --outdir%s",
                       "");
      goto out;
    }
  } else {
    if (!c.formats)
      c.formats = GALLEY_PDF;
    if (c.book) {
      rc = usage_error("--book needs -o BOOK.epub or -o BOOK.pdf%s", "");
      goto out;
    }
    for (int i = 0; i < n_inputs; i++)
      if (strcmp(inputs[i], "-") == 0) {
        rc = usage_error("standard input needs -o%s", "");
        goto out;
      }
  }
  if ((rc = make_options(&c)) != 0)
    goto out;
  if (c.pdfa == GALLEY_PDFA_2A && !c.tagged) {
    rc = usage_error("--pdfa=2a is a tagged PDF; leave out --no-tagged%s", "");
    goto out;
  }
  /* the style's fonts load once, before any worker is forked, and fonts
   * that cannot be found stop the run before any input is read */
  if (galley_options_prepare(c.go, c.formats) != GALLEY_OK) {
    rc = EXIT_USAGE;
    goto out;
  }
  job_list jobs = {0};
  expand_inputs(&jobs, inputs, n_inputs);
  if (jobs.n == 0)
    rc = EXIT_INPUT;
  else if ((rc = check_outputs(&c, jobs.v, jobs.n)) != 0)
    ; /* refused before anything was written */
  else if (c.book)
    rc = run_book(&c, jobs.v, jobs.n);
  else
    rc = run_each(&c, jobs.v, jobs.n);
  if (diag_error_count() && rc == EXIT_OK)
    rc = EXIT_INPUT; /* a folder that could not be read */
  free(jobs.v);
  arena_free(jobs.mem);
out:
  diag_end_input(); /* warnings held back outside any input */
  galley_options_free(c.go);
  galley_cleanup();
  free(c.fonts);
  free(c.metadata);
  free(c.resource_dirs);
  return rc;
}

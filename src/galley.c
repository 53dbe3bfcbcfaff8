/* galley.c - the library's API (galley.h) over the reader and the writers:
 * options, documents, conversions; one call at a time, messages handed to
 * the caller's handler, and memory running out turned into
 * GALLEY_ERR_NOMEM. */
#include "build_id.h"
#include "galley.h"
#include "paths.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "doc.h"
#include "image.h"
#include "meta.h"
#include "oom.h"
#include "output.h"
#include "read_md.h"
#include "resource.h"
#include "style.h"
#include "writer.h"

_Static_assert((int)GALLEY_SMALL == (int)STYLE_SMALL &&
                   (int)GALLEY_MEDIUM == (int)STYLE_MEDIUM &&
                   (int)GALLEY_LARGE == (int)STYLE_LARGE,
               "galley_font_size is style_size");
_Static_assert((int)GALLEY_GFM == (int)READ_GFM &&
                   (int)GALLEY_COMMONMARK == (int)READ_COMMONMARK,
               "galley_dialect is read_dialect");
_Static_assert((int)GALLEY_NOTE == (int)DIAG_NOTE &&
                   (int)GALLEY_WARNING == (int)DIAG_WARNING &&
                   (int)GALLEY_ERROR == (int)DIAG_ERROR,
               "galley_severity is diag_level");

typedef struct {
  int role; /* -1: the body */
  char *fonts;
} font_choice;

typedef struct {
  char *key, *value;
} meta_choice;

struct galley_options {
  galley_diagnostic_handler handler;
  void *userdata;
  char *style_name; /* NULL: article */
  style *style;     /* loaded, fonts applied; NULL until needed */
  font_choice *fonts;
  size_t n_fonts;
  style_size size;
  read_dialect dialect;
  int pdfa, tagged, epub_fonts, book;
  int page_list; /* -1: with a book, else 0 off, 1 on */
  long long timestamp; /* -1: $SOURCE_DATE_EPOCH, else now */
  int epoch_read;      /* $SOURCE_DATE_EPOCH was looked at (once) */
  long long epoch;     /* its value; -1 when unset or not a number */
  meta_choice *meta;
  size_t n_meta;
  char **dirs; /* resource folders */
  size_t n_dirs;
};

struct galley_document {
  doc *d;
};

/* ---- versions, results ---- */

const char *galley_version(void) { return GALLEY_VERSION; }
int galley_version_number(void) { return GALLEY_VERSION_NUMBER; }
const char *galley_build_id(void) { return GALLEY_BUILD_ID; }

const char *galley_strerror(int status) {
  switch (status) {
  case GALLEY_OK:
    return "no error";
  case GALLEY_ERR_INVALID:
    return "invalid argument";
  case GALLEY_ERR_NOMEM:
    return "out of memory";
  case GALLEY_ERR_INPUT:
    return "the input cannot be read or converted";
  case GALLEY_ERR_STYLE:
    return "the style or its fonts cannot be loaded";
  case GALLEY_ERR_CONVERT:
    return "the document cannot be written in that format";
  case GALLEY_ERR_OUTPUT:
    return "the output cannot be written";
  case GALLEY_ERR_SETUP:
    return "galley's data or modules are missing or from another build";
  case GALLEY_ERR_MISUSE:
    return "galley called from inside a diagnostic handler";
  default:
    return "unknown error";
  }
}

void galley_free(void *p) { free(p); }

/* ---- one call at a time ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* This thread is inside a call: a diagnostic handler calling back. */
static _Thread_local int inside;
/* Memory ran out once: what galley keeps may be half updated (galley.h). */
static int spent;
/* The options of calls given none, made on first need. */
static galley_options *fallback;

/* A call in progress: its options, the name its messages are capped
 * under, its arguments, and what it holds, freed when it returns, or when
 * memory runs out in the middle of it. */
typedef struct call call;
struct call {
  galley_options *o;
  const char *input;
  int (*body)(call *c);
  const void *args;
  doc *held_doc;
  doc **held_docs;
  buf held_bytes;
};

static void to_handler(void *ctx, diag_level level, const char *file,
                       int line, int col, const char *text) {
  const galley_options *o = ctx;
  if (o->handler)
    o->handler(o->userdata, file, line, col, (galley_severity)level, text);
}

/* The body, unwound to here when memory runs out: GALLEY_ERR_NOMEM. */
static int guarded(call *c) {
  jmp_buf jump;
  if (setjmp(jump)) {
    spent = 1;
    return GALLEY_ERR_NOMEM;
  }
  oom_catch(&jump);
  int rc = c->body(c);
  oom_release();
  return rc;
}

static int run(call *c) {
  if (inside)
    return GALLEY_ERR_MISUSE;
  pthread_mutex_lock(&lock);
  inside = 1;
  int rc = GALLEY_ERR_NOMEM;
  if (!c->o && !fallback)
    fallback = galley_options_new();
  if (!c->o)
    c->o = fallback;
  if (!spent && c->o) {
    diag_set_handler(to_handler, c->o);
    resource_set_search_path((const char *const *)c->o->dirs, c->o->n_dirs);
    diag_begin_input(c->input);
    rc = guarded(c);
    if (rc == GALLEY_ERR_NOMEM)
      diag_abandon_input(); /* no summary: it would need memory */
    else
      diag_end_input();
    doc_free(c->held_doc);
    free(c->held_docs);
    buf_free(&c->held_bytes);
    resource_set_search_path(NULL, 0);
    diag_set_handler(NULL, NULL);
  }
  inside = 0;
  pthread_mutex_unlock(&lock);
  return rc;
}

/* ---- the style ---- */

/* Loads o's style with its fonts into *out.  A built-in name needs the
 * data folder: without one, say where it was looked for rather than that
 * the style is unknown. */
static int load_style(const galley_options *o, style **out) {
  const char *name = o->style_name ? o->style_name : "article";
  size_t n = strlen(name);
  int file = strchr(name, '/') ||
             (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
             (n > 4 && strcmp(name + n - 4, ".yml") == 0);
  if (!file) {
    buf looked = {0};
    if (!resource_data_dir(GALLEY_DATADIR_DEFAULT, &looked)) {
      diag(DIAG_ERROR, NULL, 0, 0,
           "cannot find galley's styles (styles/article.yaml) in any of: "
           "%s; set GALLEY_DATADIR to the folder that holds styles/ and "
           "fonts/, or keep the library in an installed tree (PREFIX/lib "
           "beside PREFIX/share/galley)",
           looked.data);
      buf_free(&looked);
      return GALLEY_ERR_SETUP;
    }
    buf_free(&looked);
  }
  buf dir = {0};
  buf_printf(&dir, "%s/styles", resource_galley_data_dir());
  style *st = style_load(name, dir.data);
  buf_free(&dir);
  if (!st)
    return GALLEY_ERR_STYLE;
  for (size_t i = 0; i < o->n_fonts; i++)
    if (style_set_fonts(st, o->fonts[i].role, o->fonts[i].fonts, "--font") !=
        0) {
      style_free(st);
      return GALLEY_ERR_STYLE;
    }
  *out = st;
  return GALLEY_OK;
}

/* Frees o's style, first telling the writers, which may keep what they
 * resolved for it by its address. */
static void drop_style(galley_options *o) {
  if (!o->style)
    return;
  if (!spent)
    writer_forget_style(o->style);
  style_free(o->style);
  o->style = NULL;
}

static int need_style(galley_options *o) {
  if (o->style)
    return GALLEY_OK;
  style *st = NULL;
  int rc = load_style(o, &st);
  if (rc == GALLEY_OK)
    o->style = st;
  return rc;
}

/* The time stamped into outputs.  $SOURCE_DATE_EPOCH is read once per
 * options, so that a batch hears once that it is not a number. */
static time_t stamp(galley_options *o) {
  if (o->timestamp >= 0)
    return (time_t)o->timestamp;
  if (!o->epoch_read) {
    o->epoch_read = 1;
    o->epoch = -1;
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
      char *end;
      errno = 0;
      long long v = strtoll(s, &end, 10);
      if (!errno && !*end && v >= 0 && isdigit((unsigned char)*s))
        o->epoch = v;
      else
        diag(DIAG_WARNING, NULL, 0, 0,
             "SOURCE_DATE_EPOCH=\"%s\" is not a count of seconds; ignored",
             s);
    }
  }
  return o->epoch >= 0 ? (time_t)o->epoch : time(NULL);
}

/* Warns (naming the document) about front-matter fields only the circular
 * styles print, when st is not one of them, so nothing is dropped
 * silently. */
static void check_fields(const style *st, const doc *d) {
  if (!st || !d || st->head == STYLE_HEAD_CIRCULAR)
    return;
  const doc_meta *m = &d->meta;
  const struct {
    const char *key;
    int given;
  } only[] = {{"copy-number", m->copy_number != NULL},
              {"secrecy", m->secrecy != NULL},
              {"urgency", m->urgency != NULL},
              {"signer", m->n_signers > 0},
              {"attachments", m->n_attachments > 0},
              {"signature-name", m->signature_name != NULL},
              {"cc", m->n_cc > 0},
              {"printed-by", m->printed_by != NULL},
              {"printed-date", m->printed_date != NULL},
              {"present", m->n_present > 0},
              {"absent", m->n_absent > 0},
              {"attending", m->n_attending > 0}};
  buf keys = {0};
  for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
    if (only[i].given)
      buf_printf(&keys, "%s%s", keys.len ? ", " : "", only[i].key);
  if (keys.len)
    diag(DIAG_WARNING, d->path, 0, 0,
         "%s: printed by the circular, letter and minutes styles only; "
         "the %s style leaves %s out",
         keys.data, st->name ? st->name : "chosen",
         strchr(keys.data, ',') ? "them" : "it");
  buf_free(&keys);
}

/* ---- options ---- */

galley_options *galley_options_new(void) {
  galley_options *o = calloc(1, sizeof *o);
  if (!o)
    return NULL;
  o->size = STYLE_MEDIUM;
  o->dialect = READ_GFM;
  o->tagged = 1;
  o->epub_fonts = -1;
  o->page_list = -1;
  o->timestamp = -1;
  return o;
}

/* Frees o; the lock is held (drop_style tells the writers). */
static void release_options(galley_options *o) {
  drop_style(o);
  free(o->style_name);
  for (size_t i = 0; i < o->n_fonts; i++)
    free(o->fonts[i].fonts);
  free(o->fonts);
  for (size_t i = 0; i < o->n_meta; i++) {
    free(o->meta[i].key);
    free(o->meta[i].value);
  }
  free(o->meta);
  for (size_t i = 0; i < o->n_dirs; i++)
    free(o->dirs[i]);
  free(o->dirs);
  free(o);
}

void galley_options_free(galley_options *o) {
  if (!o)
    return;
  int locked = !inside; /* a handler freeing is its own lookout */
  if (locked)
    pthread_mutex_lock(&lock);
  release_options(o);
  if (locked)
    pthread_mutex_unlock(&lock);
}

int galley_options_set_diagnostic_handler(galley_options *o,
                                          galley_diagnostic_handler handler,
                                          void *userdata) {
  if (!o)
    return GALLEY_ERR_INVALID;
  o->handler = handler;
  o->userdata = userdata;
  return GALLEY_OK;
}

static int set_style_body(call *c) {
  style *st = NULL;
  int rc = load_style(c->o, &st);
  if (rc == GALLEY_OK) {
    drop_style(c->o);
    c->o->style = st;
  }
  return rc;
}

int galley_options_set_style(galley_options *o, const char *name_or_path) {
  if (!o || !name_or_path || !*name_or_path)
    return GALLEY_ERR_INVALID;
  char *name = strdup(name_or_path);
  if (!name)
    return GALLEY_ERR_NOMEM;
  char *before = o->style_name;
  o->style_name = name;
  call c = {.o = o, .body = set_style_body};
  int rc = run(&c);
  if (rc != GALLEY_OK) { /* the options stay as they were */
    o->style_name = before;
    free(name);
  } else {
    free(before);
  }
  return rc;
}

static int set_font_body(call *c) {
  galley_options *o = c->o;
  const font_choice *f = &o->fonts[o->n_fonts - 1];
  if (!o->style)
    return need_style(o); /* applies every choice, this one too */
  writer_forget_style(o->style); /* changed where it lies */
  return style_set_fonts(o->style, f->role, f->fonts, "--font") == 0
             ? GALLEY_OK
             : GALLEY_ERR_STYLE;
}

int galley_options_set_font(galley_options *o, const char *role,
                            const char *fonts) {
  if (!o || !fonts)
    return GALLEY_ERR_INVALID;
  int r = role ? style_role_parse(role) : -1;
  if (role && r < 0)
    return GALLEY_ERR_INVALID;
  font_choice *grown = realloc(o->fonts, (o->n_fonts + 1) * sizeof *grown);
  if (!grown)
    return GALLEY_ERR_NOMEM;
  o->fonts = grown;
  if (!(grown[o->n_fonts].fonts = strdup(fonts)))
    return GALLEY_ERR_NOMEM;
  grown[o->n_fonts++].role = r;
  call c = {.o = o, .body = set_font_body};
  int rc = run(&c);
  if (rc != GALLEY_OK) /* the choice is not kept */
    free(o->fonts[--o->n_fonts].fonts);
  return rc;
}

int galley_options_set_font_size(galley_options *o, galley_font_size size) {
  if (!o || size < GALLEY_SMALL || size > GALLEY_LARGE)
    return GALLEY_ERR_INVALID;
  o->size = (style_size)size;
  return GALLEY_OK;
}

int galley_options_set_dialect(galley_options *o, galley_dialect dialect) {
  if (!o || (dialect != GALLEY_GFM && dialect != GALLEY_COMMONMARK))
    return GALLEY_ERR_INVALID;
  o->dialect = (read_dialect)dialect;
  return GALLEY_OK;
}

int galley_options_set_pdfa(galley_options *o, galley_pdfa level) {
  if (!o || level < GALLEY_PDFA_NONE || level > GALLEY_PDFA_2A)
    return GALLEY_ERR_INVALID;
  o->pdfa = level;
  return GALLEY_OK;
}

int galley_options_set_tagged(galley_options *o, int tagged) {
  if (!o)
    return GALLEY_ERR_INVALID;
  o->tagged = tagged != 0;
  return GALLEY_OK;
}

int galley_options_set_epub_fonts(galley_options *o,
                                  galley_epub_font_mode mode) {
  if (!o || mode < GALLEY_EPUB_FONTS_AUTO || mode > GALLEY_EPUB_FONTS_ON)
    return GALLEY_ERR_INVALID;
  o->epub_fonts = mode;
  return GALLEY_OK;
}

int galley_options_set_page_list(galley_options *o, int page_list) {
  if (!o || page_list < -1 || page_list > 1)
    return GALLEY_ERR_INVALID;
  o->page_list = page_list;
  return GALLEY_OK;
}

int galley_options_set_book(galley_options *o, int book) {
  if (!o)
    return GALLEY_ERR_INVALID;
  o->book = book != 0;
  return GALLEY_OK;
}

int galley_options_set_timestamp(galley_options *o, long long seconds) {
  if (!o || seconds < -1)
    return GALLEY_ERR_INVALID;
  o->timestamp = seconds;
  return GALLEY_OK;
}

typedef struct {
  const char *key, *value;
} meta_args;

/* Tries the field on a document of its own, so a mistake is told now. */
static int check_meta_body(call *c) {
  const meta_args *a = c->args;
  doc *d = c->held_doc = doc_new("-M");
  return meta_set(d, a->key, a->value, "-M") == 0 ? GALLEY_OK
                                                  : GALLEY_ERR_INVALID;
}

int galley_options_set_metadata(galley_options *o, const char *key,
                                const char *value) {
  if (!o || !key || !value)
    return GALLEY_ERR_INVALID;
  meta_args a = {key, value};
  call c = {.o = o, .body = check_meta_body, .args = &a};
  int rc = run(&c);
  if (rc != GALLEY_OK)
    return rc;
  meta_choice *grown = realloc(o->meta, (o->n_meta + 1) * sizeof *grown);
  if (!grown)
    return GALLEY_ERR_NOMEM;
  o->meta = grown;
  meta_choice m = {strdup(key), strdup(value)};
  if (!m.key || !m.value) {
    free(m.key);
    free(m.value);
    return GALLEY_ERR_NOMEM;
  }
  o->meta[o->n_meta++] = m;
  return GALLEY_OK;
}

int galley_options_add_resource_dir(galley_options *o, const char *dir) {
  if (!o || !dir || !*dir)
    return GALLEY_ERR_INVALID;
  char **grown = realloc(o->dirs, (o->n_dirs + 1) * sizeof *grown);
  if (!grown)
    return GALLEY_ERR_NOMEM;
  o->dirs = grown;
  if (!(o->dirs[o->n_dirs] = strdup(dir)))
    return GALLEY_ERR_NOMEM;
  o->n_dirs++;
  return GALLEY_OK;
}

static int prepare_body(call *c) {
  unsigned formats = *(const unsigned *)c->args;
  int rc = need_style(c->o);
  if (rc != GALLEY_OK)
    return rc;
  (void)stamp(c->o); /* read now, before any fork */
  for (unsigned f = GALLEY_EPUB; f <= GALLEY_PDF; f <<= 1) {
    if (!(formats & f))
      continue;
    const writer *w = writer_for((galley_format)f);
    if (!w)
      return GALLEY_ERR_SETUP;
    if (w->prepare && w->prepare(c->o->style) != 0)
      return GALLEY_ERR_STYLE;
  }
  return GALLEY_OK;
}

int galley_options_prepare(galley_options *o, unsigned formats) {
  if (!o || (formats & ~(unsigned)(GALLEY_EPUB | GALLEY_PDF)))
    return GALLEY_ERR_INVALID;
  call c = {.o = o, .body = prepare_body, .args = &formats};
  return run(&c);
}

/* ---- documents ---- */

typedef struct {
  const char *path; /* a file, or NULL for bytes */
  const char *bytes;
  size_t len;
  const char *name;
  galley_document **out;
} read_args;

/* The folder images resolve against for bytes named name (see
 * galley_read_memory); NULL for none.  malloc'd. */
static char *folder_of(const galley_options *o, const char *name) {
  if (!name)
    return o->n_dirs ? strdup(o->dirs[0]) : NULL;
  const char *slash = strrchr(name, '/');
  if (!slash)
    return strdup(".");
  if (slash == name)
    return strdup("/");
  return strndup(name, (size_t)(slash - name));
}

static int read_body(call *c) {
  const read_args *a = c->args;
  galley_options *o = c->o;
  int rc = need_style(o); /* the fields only some styles print are told */
  if (rc != GALLEY_OK)
    return rc;
  read_set_dialect(o->dialect);
  doc *d;
  if (a->path) {
    d = read_markdown_file(a->path);
  } else {
    char *dir = folder_of(o, a->name);
    if ((a->name || o->n_dirs) && !dir)
      out_of_memory();
    d = read_markdown(a->name ? a->name : "<memory>", dir, a->bytes, a->len);
    free(dir);
  }
  read_set_dialect(READ_GFM);
  if (!d)
    return GALLEY_ERR_INPUT;
  c->held_doc = d;
  /* a book's metadata is the book's (write_body), not each chapter's */
  for (size_t i = 0; !o->book && i < o->n_meta; i++)
    if (meta_set(d, o->meta[i].key, o->meta[i].value, "-M") != 0)
      return GALLEY_ERR_INPUT;
  check_fields(o->style, d);
  galley_document *gd = malloc(sizeof *gd);
  if (!gd)
    out_of_memory();
  gd->d = d;
  c->held_doc = NULL;
  *a->out = gd;
  return GALLEY_OK;
}

static int read_doc(read_args *a, galley_options *o) {
  if (!a->out)
    return GALLEY_ERR_INVALID;
  *a->out = NULL;
  if ((!a->path && !a->bytes && a->len))
    return GALLEY_ERR_INVALID;
  if (!a->path && !a->bytes)
    a->bytes = "";
  call c = {.o = o,
            .input = a->path ? a->path : a->name ? a->name : "<memory>",
            .body = read_body,
            .args = a};
  return run(&c);
}

int galley_read_file(const char *path, galley_options *o,
                     galley_document **out) {
  if (!path)
    return GALLEY_ERR_INVALID;
  read_args a = {.path = path, .out = out};
  return read_doc(&a, o);
}

int galley_read_memory(const char *markdown, size_t len, const char *name,
                       galley_options *o, galley_document **out) {
  read_args a = {.bytes = markdown, .len = len, .name = name, .out = out};
  return read_doc(&a, o);
}

void galley_document_free(galley_document *gd) {
  if (!gd)
    return;
  doc_free(gd->d);
  free(gd);
}

/* ---- writing ---- */

typedef struct {
  galley_document *const *docs;
  size_t n;
  galley_format format;
  const char *path; /* NULL: into memory */
  void **out;
  size_t *out_len;
} write_args;

static int write_body(call *c) {
  const write_args *a = c->args;
  galley_options *o = c->o;
  int book = o->book || a->n > 1;
  if (a->format == GALLEY_PDF && o->pdfa == GALLEY_PDFA_2A && !o->tagged) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "PDF/A-2a is a tagged PDF: tagging cannot be left out");
    return GALLEY_ERR_INVALID;
  }
  int rc = need_style(o);
  if (rc != GALLEY_OK)
    return rc;
  const writer *w = writer_for(a->format);
  if (!w)
    return GALLEY_ERR_SETUP;
  doc **docs = c->held_docs = malloc(a->n * sizeof *docs);
  if (!docs)
    out_of_memory();
  for (size_t i = 0; i < a->n; i++)
    docs[i] = a->docs[i]->d;
  /* a book's metadata: its first chapter's, and what the options set */
  doc *meta = docs[0];
  if (book) {
    meta = c->held_doc = doc_new("book");
    meta_override(meta, &docs[0]->meta);
    for (size_t i = 0; i < o->n_meta; i++)
      if (meta_set(meta, o->meta[i].key, o->meta[i].value, "-M") != 0)
        return GALLEY_ERR_INPUT;
  }
  writer_options wo = {o->style,  o->size,   stamp(o),     book,
                       o->pdfa,   o->tagged, o->epub_fonts, NULL};
  /* an EPUB's page list: the print pages of the same style and size */
  writer_pages pages = {0};
  if (a->format == GALLEY_EPUB && (o->page_list > 0 ||
                                   (o->page_list < 0 && book))) {
    const writer *pdf = writer_for(GALLEY_PDF);
    if (!pdf || !pdf->paginate ||
        pdf->paginate(docs, a->n, &wo, &pages) != 0) {
      free(pages.node);
      free(pages.doc);
      return pdf ? GALLEY_ERR_CONVERT : GALLEY_ERR_SETUP;
    }
    wo.pages = &pages;
  }
  rc = w->write(docs, a->n, meta, &wo, &c->held_bytes);
  free(pages.node);
  free(pages.doc);
  if (rc != 0)
    return GALLEY_ERR_CONVERT;
  if (a->path)
    return output_write(a->path, c->held_bytes.data, c->held_bytes.len) == 0
               ? GALLEY_OK
               : GALLEY_ERR_OUTPUT;
  size_t len = 0;
  *a->out = buf_detach(&c->held_bytes, &len);
  *a->out_len = len;
  return GALLEY_OK;
}

static int write_docs(write_args *a, galley_options *o) {
  if (a->out)
    *a->out = NULL;
  if (a->out_len)
    *a->out_len = 0;
  if (!a->docs || !a->n ||
      (a->format != GALLEY_EPUB && a->format != GALLEY_PDF) ||
      (!a->path && (!a->out || !a->out_len)))
    return GALLEY_ERR_INVALID;
  for (size_t i = 0; i < a->n; i++)
    if (!a->docs[i])
      return GALLEY_ERR_INVALID;
  /* messages capped under the document's name, or a book's file */
  int book = a->n > 1 || (o ? o->book : 0);
  call c = {.o = o,
            .input = book && a->path ? a->path : a->docs[0]->d->path,
            .body = write_body,
            .args = a};
  return run(&c);
}

int galley_write_file(galley_document *const *docs, size_t n,
                      galley_format format, galley_options *o,
                      const char *path) {
  if (!path)
    return GALLEY_ERR_INVALID;
  write_args a = {docs, n, format, path, NULL, NULL};
  return write_docs(&a, o);
}

int galley_write_memory(galley_document *const *docs, size_t n,
                        galley_format format, galley_options *o, void **out,
                        size_t *out_len) {
  write_args a = {docs, n, format, NULL, out, out_len};
  return write_docs(&a, o);
}

int galley_convert_file(const char *input, galley_format format,
                        galley_options *o, const char *output) {
  if (!input || !output)
    return GALLEY_ERR_INVALID;
  galley_document *d = NULL;
  int rc = galley_read_file(input, o, &d);
  if (rc == GALLEY_OK)
    rc = galley_write_file(&d, 1, format, o, output);
  galley_document_free(d);
  return rc;
}

int galley_convert_memory(const char *markdown, size_t len,
                          galley_format format, galley_options *o, void **out,
                          size_t *out_len) {
  if (out)
    *out = NULL;
  if (out_len)
    *out_len = 0;
  if (!out || !out_len)
    return GALLEY_ERR_INVALID;
  galley_document *d = NULL;
  int rc = galley_read_memory(markdown, len, NULL, o, &d);
  if (rc == GALLEY_OK)
    rc = galley_write_memory(&d, 1, format, o, out, out_len);
  galley_document_free(d);
  return rc;
}

/* ---- fonts, and the end ---- */

typedef struct {
  galley_document *const *docs;
  size_t n;
  char **out;
  size_t *out_len;
} fonts_args;

static int list_fonts_body(call *c) {
  const fonts_args *a = c->args;
  int rc = need_style(c->o);
  if (rc != GALLEY_OK)
    return rc;
  const writer *w = writer_for(GALLEY_PDF);
  if (!w || !w->list_fonts)
    return GALLEY_ERR_SETUP;
  doc **docs = c->held_docs = malloc((a->n ? a->n : 1) * sizeof *docs);
  if (!docs)
    out_of_memory();
  for (size_t i = 0; i < a->n; i++)
    docs[i] = a->docs[i]->d;
  if (w->list_fonts(c->o->style, docs, a->n, &c->held_bytes) != 0)
    return GALLEY_ERR_STYLE;
  size_t len = 0;
  *a->out = buf_detach(&c->held_bytes, &len);
  if (a->out_len)
    *a->out_len = len;
  return GALLEY_OK;
}

int galley_list_fonts(galley_document *const *docs, size_t n,
                      galley_options *o, char **out, size_t *out_len) {
  if (out)
    *out = NULL;
  if (out_len)
    *out_len = 0;
  if (!out || (n && !docs))
    return GALLEY_ERR_INVALID;
  for (size_t i = 0; i < n; i++)
    if (!docs[i])
      return GALLEY_ERR_INVALID;
  fonts_args a = {docs, n, out, out_len};
  call c = {.o = o, .body = list_fonts_body, .args = &a};
  return run(&c);
}

void galley_cleanup(void) {
  if (inside)
    return;
  pthread_mutex_lock(&lock);
  if (!spent) {
    if (fallback)
      release_options(fallback);
    fallback = NULL;
    writer_cleanup();
    image_cache_clear();
  }
  pthread_mutex_unlock(&lock);
}

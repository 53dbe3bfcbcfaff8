/* galley.c - the library API over the reader and the writers. */
#include "galley.h"
#include "paths.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "output.h"
#include "read_md.h"
#include "resource.h"
#include "writer.h"

const char *galley_data_dir(void) {
  const char *dir = resource_data_dir(GALLEY_DATADIR_DEFAULT, NULL);
  return dir ? dir : GALLEY_DATADIR_DEFAULT;
}

style *galley_style(const char *name_or_path) {
  /* a built-in name needs the data folder: without it say where it was
   * looked for, rather than that the style is unknown */
  size_t n = strlen(name_or_path);
  int file = strchr(name_or_path, '/') ||
             (n > 5 && strcmp(name_or_path + n - 5, ".yaml") == 0) ||
             (n > 4 && strcmp(name_or_path + n - 4, ".yml") == 0);
  if (!file) {
    buf looked = {0};
    if (!resource_data_dir(GALLEY_DATADIR_DEFAULT, &looked)) {
      diag(DIAG_ERROR, NULL, 0, 0,
           "cannot find galley's styles (styles/article.yaml) in any of: "
           "%s; set GALLEY_DATADIR to the folder that holds styles/ and "
           "fonts/, or keep the program in an installed tree (PREFIX/bin "
           "beside PREFIX/share/galley)",
           looked.data);
      buf_free(&looked);
      return NULL;
    }
    buf_free(&looked);
  }
  buf dir = {0};
  buf_printf(&dir, "%s/styles", galley_data_dir());
  style *st = style_load(name_or_path, dir.data);
  buf_free(&dir);
  return st;
}

void galley_cleanup(void) { writer_cleanup(); }

int galley_prepare(const style *st, unsigned formats) {
  for (unsigned f = GALLEY_EPUB; f <= GALLEY_PDF; f <<= 1) {
    if (!(formats & f))
      continue;
    const writer *w = writer_for((galley_format)f);
    if (!w || (w->prepare && w->prepare(st) != 0))
      return -1;
  }
  return 0;
}

int galley_list_fonts(const style *st, doc *const *docs, size_t n, buf *out) {
  const writer *w = writer_for(GALLEY_PDF);
  if (!w || !w->list_fonts)
    return -1;
  return w->list_fonts(st, docs, n, out);
}

doc *galley_read(const char *path) { return read_markdown_file(path); }

void galley_check_fields(const style *st, const doc *d) {
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

int galley_write(doc *const *docs, size_t n, const doc *meta,
                 galley_format format, const galley_options *opt,
                 const char *path) {
  const writer *w = writer_for(format);
  if (!w)
    return -1;
  buf bytes = {0};
  int rc = w->write(docs, n, meta, opt, &bytes);
  if (rc == 0)
    rc = output_write(path, bytes.data, bytes.len);
  buf_free(&bytes);
  return rc;
}

time_t galley_timestamp(void) {
  const char *s = getenv("SOURCE_DATE_EPOCH");
  if (s && *s) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!errno && !*end && v >= 0 && isdigit((unsigned char)*s))
      return (time_t)v;
    diag(DIAG_WARNING, NULL, 0, 0,
         "SOURCE_DATE_EPOCH=\"%s\" is not a count of seconds; ignored", s);
  }
  return time(NULL);
}

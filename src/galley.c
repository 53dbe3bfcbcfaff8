/* galley.c - the library API over the reader and the writers. */
#include "galley.h"

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

static int has_fonts(const char *dir) {
  buf path = {0};
  buf_printf(&path, "%s/styles/article.yaml", dir);
  int ok = access(path.data, R_OK) == 0;
  buf_free(&path);
  return ok;
}

const char *galley_data_dir(void) {
  static char dir[PATH_MAX];
  if (dir[0])
    return dir;
  const char *env = getenv("GALLEY_DATADIR");
  if (env && has_fonts(env)) {
    snprintf(dir, sizeof dir, "%s", env);
    return dir;
  }
  char exe[PATH_MAX];
  if (resource_program_dir(exe, sizeof exe) == 0) {
    /* build/galley in a source tree; bin/galley beside share/galley */
    static const char *const rel[] = {"/..", "/../share/galley", "/../.."};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      char cand[PATH_MAX + 32];
      snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
      char real[PATH_MAX];
      if (realpath(cand, real) && has_fonts(real)) {
        snprintf(dir, sizeof dir, "%s", real);
        return dir;
      }
    }
  }
  snprintf(dir, sizeof dir, "%s", GALLEY_DATADIR_DEFAULT);
  return dir;
}

style *galley_style(const char *name_or_path) {
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

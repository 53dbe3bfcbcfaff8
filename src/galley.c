/* galley.c - the library API over the reader and the writers. */
#include "galley.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "epub.h"
#include "output.h"
#include "read_md.h"

doc *galley_read(const char *path) { return read_markdown_file(path); }

int galley_write(doc *const *docs, size_t n, const doc *meta,
                 galley_format format, const galley_options *opt,
                 const char *path) {
  buf bytes = {0};
  int rc;
  if (format == GALLEY_EPUB) {
    epub_options eo = {opt->style, opt->size, opt->modified,
                       opt->book || n > 1};
    rc = epub_write(docs, n, meta, &eo, &bytes);
  } else {
    diag(DIAG_ERROR, path, 0, 0, "PDF output is not available in this build");
    rc = -1;
  }
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

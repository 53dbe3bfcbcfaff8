/* fuzz_reader.c - libFuzzer target: any bytes through the Markdown and
 * front-matter reader, and a walk of the model it builds. */
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "doc.h"
#include "read_md.h"

/* Messages are what a user would read; here they would only fill the log
 * (and writing them slowed the run). */
static void discard(const char *line) { (void)line; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  diag_set_quiet(1);
  diag_set_sink(discard);
  doc *d = read_markdown("fuzz.md", ".", (const char *)data, size);
  if (d) {
    buf text = {0};
    doc_plain_text(d->root, &text);
    buf_free(&text);
  }
  doc_free(d);
  return 0;
}

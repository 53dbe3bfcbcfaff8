/* writer_epub.c - the EPUB writer's module (writer.h). */
#include "build_id.h"
#include "epub.h"
#include "epub_fonts.h"
#include "writer.h"

static int write_epub(doc *const *docs, size_t n, const doc *meta,
                      const writer_options *opt, buf *out) {
  epub_options eo = {opt->style,
                     opt->size,
                     opt->modified,
                     opt->book || n > 1,
                     opt->epub_fonts,
                     opt->pages ? opt->pages->node : NULL,
                     opt->pages ? opt->pages->doc : NULL,
                     opt->pages ? opt->pages->n : 0};
  return epub_write(docs, n, meta, &eo, out);
}

static void forget_style(const style *st) { epub_fonts_forget_style(st); }

static void cleanup_epub(void) {
  epub_cleanup();
  epub_fonts_cleanup();
}

__attribute__((visibility("default"))) const writer galley_writer_epub = {
    WRITER_ABI,   GALLEY_BUILD_ID, module_core_bind, NULL, write_epub,
    forget_style, NULL,            cleanup_epub,     NULL};

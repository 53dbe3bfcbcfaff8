/* epub_fonts_load.c - the EPUB writer's side of the fonts it carries
 * (epub_fonts.h): whether a book carries them by default, and the module
 * that does the work, loaded only for a book that does. */
#include "build_id.h"
#include "epub_fonts.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cjk.h"
#include "diag.h"
#include "epub_text.h"
#include "utf8.h"

/* ---- whether the text is CJK ---- */

static void find_cjk(void *ctx, doc_role role, int shape, int cjk,
                     const char *s, size_t len) {
  (void)role, (void)shape, (void)cjk;
  epub_text *w = ctx;
  const unsigned char *p = (const unsigned char *)s;
  while (len && !w->stop)
    w->stop = font_is_cjk_char(utf8_next(&p, &len));
}

int epub_fonts_wanted(doc *const *docs, size_t n, const style *st) {
  epub_text w = {.st = st, .text = find_cjk};
  w.ctx = &w;
  for (size_t k = 0; k < n && !w.stop; k++)
    epub_text_chapter(&w, docs[k], docs[k]->root->first_child, NULL, 1);
  epub_text_free(&w);
  return w.stop;
}

/* ---- the module ---- */

#define FONTS_MODULE "galley-epub-fonts.so"

static const epub_fonts_module *loaded;
static int tried;

/* FONTS_MODULE in the folder of the module holding this code (the build
 * tree, or PREFIX/lib/galley): the EPUB writer's was found by the program
 * (writer.c), and the fonts module is installed beside it. */
static void module_path(char *path, size_t size) {
  Dl_info info;
  const char *self =
      dladdr(&tried, &info) && info.dli_fname ? info.dli_fname : NULL;
  const char *slash = self ? strrchr(self, '/') : NULL;
  if (slash)
    snprintf(path, size, "%.*s/%s", (int)(slash - self), self, FONTS_MODULE);
  else
    snprintf(path, size, "%s", FONTS_MODULE);
}

static const epub_fonts_module *load(void) {
  char path[PATH_MAX + 64];
  module_path(path, sizeof path);
  if (access(path, R_OK) != 0) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot carry fonts in the EPUB: its module %s is missing", path);
    return NULL;
  }
  /* RTLD_NOW: a module missing a symbol fails here, not in mid-book */
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    diag(DIAG_ERROR, NULL, 0, 0, "cannot carry fonts in the EPUB: %s",
         dlerror());
    return NULL;
  }
  const epub_fonts_module *m =
      (const epub_fonts_module *)dlsym(handle, "galley_epub_fonts");
  /* (abi is checked first: it says where build is) */
  if (!m || m->abi != EPUB_FONTS_ABI || !m->build ||
      strcmp(m->build, GALLEY_BUILD_ID) != 0 || !m->bind) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot carry fonts in the EPUB: %s is from another build of "
         "galley than this program (build %s); rebuild or reinstall galley",
         path, GALLEY_BUILD_ID);
    dlclose(handle);
    return NULL;
  }
  /* the library's functions, as the EPUB writer's module was handed them */
  m->bind(module_core_get());
  return m; /* mapped for the rest of the process, as writers are */
}

const epub_fonts_module *epub_fonts_load(void) {
  if (!tried) {
    tried = 1;
    loaded = load();
  }
  return loaded;
}

void epub_fonts_provide(const epub_fonts_module *m) {
  tried = 1;
  loaded = m;
}

void epub_fonts_cleanup(void) {
  if (loaded)
    loaded->cleanup();
}

void epub_fonts_forget_style(const style *st) {
  if (loaded)
    loaded->forget_style(st);
}

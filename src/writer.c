/* writer.c - finding and loading the writers' modules (writer.h). */
#include "build_id.h"
#include "paths.h"
#include "writer.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "resource.h"

typedef struct {
  const char *file;   /* the module */
  const char *symbol; /* its writer */
  const char *label;  /* for messages */
  const writer *loaded;
  int tried;
} module;

static module modules[] = {
    {"galley-epub.so", "galley_writer_epub", "EPUB", NULL, 0},
    {"galley-pdf.so", "galley_writer_pdf", "PDF", NULL, 0},
};

/* Beside the program (a build tree, where make puts the modules next to
 * build/galley), then PREFIX/lib/galley relative to an installed
 * PREFIX/bin/galley, then the PREFIX the program was built for. */
static int find_module(const char *file, char *path, size_t size) {
  char dir[PATH_MAX];
  if (resource_program_dir(dir, sizeof dir) == 0) {
    snprintf(path, size, "%s/%s", dir, file);
    if (access(path, R_OK) == 0)
      return 0;
    snprintf(path, size, "%s/../lib/galley/%s", dir, file);
    if (access(path, R_OK) == 0)
      return 0;
  }
  snprintf(path, size, "%s/%s", GALLEY_LIBDIR_DEFAULT, file);
  return access(path, R_OK) == 0 ? 0 : -1;
}

static const writer *load(module *m) {
  char path[PATH_MAX + 64];
  if (find_module(m->file, path, sizeof path) != 0) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot write %s: its module %s is neither beside the program, nor "
         "in ../lib/galley from it, nor in %s",
         m->label, m->file, GALLEY_LIBDIR_DEFAULT);
    return NULL;
  }
  /* RTLD_NOW: a module missing a symbol fails here, not in mid-document */
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    diag(DIAG_ERROR, NULL, 0, 0, "cannot write %s: %s", m->label, dlerror());
    return NULL;
  }
  const writer *w = (const writer *)dlsym(handle, m->symbol);
  /* (abi is checked first: it says where build is) */
  if (!w || w->abi != WRITER_ABI || !w->build ||
      strcmp(w->build, GALLEY_BUILD_ID) != 0 || !w->write || !w->cleanup) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot write %s: %s is from another build of galley than this "
         "program (build %s); rebuild or reinstall galley",
         m->label, path, GALLEY_BUILD_ID);
    dlclose(handle);
    return NULL;
  }
  return w;
}

const writer *writer_for(galley_format format) {
  module *m = &modules[format == GALLEY_PDF];
  if (!m->tried) {
    m->tried = 1;
    m->loaded = load(m);
  }
  return m->loaded;
}

void writer_cleanup(void) {
  for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
    if (modules[i].loaded)
      modules[i].loaded->cleanup();
}

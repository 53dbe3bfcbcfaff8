/* writer.c - finding and loading the writers' modules (writer.h), and the
 * table of the library's functions they are handed (module_core.h). */
#include "build_id.h"
#include "paths.h"
#include "writer.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "image.h"
#include "meta.h"
#include "oom.h"
#include "resource.h"

static const module_core core = {
    vdiag,
    out_of_memory,
    image_decode,
    image_pixels_free,
    image_jpeg_cmyk,
    image_svg_clean,
    resource_extension,
    resource_image_size,
    resource_map_file,
    resource_read_file,
    resource_library_dir,
    resource_galley_data_dir,
    style_role_fonts,
    style_grid,
    style_size_name,
    style_role_name,
    meta_lang_is_cjk,
    meta_dir,
    meta_is_rtl,
};

const module_core *module_core_get(void) { return &core; }

/* The library calls its own functions: nothing to take. */
void module_core_bind(const module_core *c) { (void)c; }

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

/* Beside the library (a build tree, where make puts the modules next to
 * build/libgalley.so), in galley/ below it (PREFIX/lib/galley beside
 * PREFIX/lib/libgalley.so), in ../lib/galley (beside PREFIX/bin/PROGRAM
 * linked with libgalley.a), then in the LIBDIR galley was built for. */
static int find_module(const char *file, char *path, size_t size) {
  char dir[PATH_MAX];
  if (resource_library_dir(dir, sizeof dir) == 0) {
    static const char *const rel[] = {"", "/galley", "/../lib/galley"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      snprintf(path, size, "%s%s/%s", dir, rel[i], file);
      if (access(path, R_OK) == 0)
        return 0;
    }
  }
  snprintf(path, size, "%s/%s", GALLEY_LIBDIR_DEFAULT, file);
  return access(path, R_OK) == 0 ? 0 : -1;
}

static const writer *load(module *m) {
  char path[PATH_MAX + 64];
  if (find_module(m->file, path, sizeof path) != 0) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot write %s: its module %s is neither beside libgalley, nor "
         "in galley/ or ../lib/galley from it, nor in %s",
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
      strcmp(w->build, GALLEY_BUILD_ID) != 0 || !w->bind || !w->write ||
      !w->cleanup) {
    diag(DIAG_ERROR, NULL, 0, 0,
         "cannot write %s: %s is from another build of galley than this "
         "library (build %s); rebuild or reinstall galley",
         m->label, path, GALLEY_BUILD_ID);
    dlclose(handle);
    return NULL;
  }
  w->bind(&core);
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

void writer_forget_style(const style *st) {
  for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
    if (modules[i].loaded && modules[i].loaded->forget_style)
      modules[i].loaded->forget_style(st);
}

void writer_cleanup(void) {
  for (size_t i = 0; i < sizeof modules / sizeof *modules; i++)
    if (modules[i].loaded)
      modules[i].loaded->cleanup();
}

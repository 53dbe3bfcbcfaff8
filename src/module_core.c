/* module_core.c - in each writer module: the library's functions, called
 * through the table it was handed (module_core.h).  Linked into the
 * modules only; the library and the tests call the functions
 * themselves. */
#include "module_core.h"

#include <stdlib.h>

#include "meta.h"
#include "oom.h"
#include "resource.h"

static const module_core *core;

void module_core_bind(const module_core *c) { core = c; }

const module_core *module_core_get(void) { return core; }

void diag(diag_level level, const char *file, int line, int col,
          const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  core->vdiag(level, file, line, col, fmt, ap);
  va_end(ap);
}

void out_of_memory(void) {
  core->out_of_memory();
  abort(); /* not reached: the library's does not return */
}

int image_decode(const char *path, const char *media_type, unsigned max_w,
                 unsigned max_h, int keep_alpha, image_pixels *px,
                 const char **why) {
  return core->image_decode(path, media_type, max_w, max_h, keep_alpha, px,
                            why);
}

void image_pixels_free(image_pixels *px) { core->image_pixels_free(px); }

int image_jpeg_cmyk(const char *path) { return core->image_jpeg_cmyk(path); }

char *image_svg_clean(const unsigned char *bytes, size_t len, size_t *out_len,
                      const char **why) {
  return core->image_svg_clean(bytes, len, out_len, why);
}

const char *resource_extension(const char *media_type) {
  return core->resource_extension(media_type);
}

int resource_image_size(const char *path, const char *media_type,
                        unsigned *width, unsigned *height) {
  return core->resource_image_size(path, media_type, width, height);
}

const void *resource_map_file(const char *path, size_t min, size_t max,
                              size_t *len) {
  return core->resource_map_file(path, min, max, len);
}

char *resource_read_file(const char *path, size_t limit, size_t *len) {
  return core->resource_read_file(path, limit, len);
}

int resource_library_dir(char *dir, size_t size) {
  return core->resource_library_dir(dir, size);
}

const char *resource_galley_data_dir(void) {
  return core->resource_galley_data_dir();
}

const style_fonts *style_role_fonts(const style *s, doc_role role) {
  return core->style_role_fonts(s, role);
}

void style_grid(const style *s, style_size size, int *lines, int *chars) {
  core->style_grid(s, size, lines, chars);
}

const char *style_size_name(style_size size) {
  return core->style_size_name(size);
}

const char *style_role_name(int role) { return core->style_role_name(role); }

int meta_lang_is_cjk(const char *lang) { return core->meta_lang_is_cjk(lang); }

int meta_dir(const doc_meta *m) { return core->meta_dir(m); }

int meta_is_rtl(const doc_meta *m) { return core->meta_is_rtl(m); }

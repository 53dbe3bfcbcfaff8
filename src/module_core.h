/* module_core.h - the library's functions a writer module calls, handed
 * to it when it is loaded.
 *
 * libgalley.so exports its API (galley.h) and nothing else, so a module
 * cannot bind to the library's own functions by name.  The small
 * utilities it shares with the library (buffers, arenas, growing arrays,
 * string maps, UTF-8, URLs, XML escaping, SHA-1, the document model's
 * traversal, the words galley writes) are linked into each module as
 * copies of its own, which hold no state.  The functions that do hold the
 * library's state (messages and the caller's handler, the unwinding when
 * memory runs out, the verdicts on images, the data folders) or need its
 * libraries (the style and front-matter code, with libyaml) are called
 * through this table, which module_core.c, linked into each module, turns
 * back into the plain functions the module's code names.  The table's
 * shape is part of the build identity the library checks a module
 * against (writer.h), so it needs no version of its own. */
#ifndef GALLEY_MODULE_CORE_H
#define GALLEY_MODULE_CORE_H

#include <stdarg.h>
#include <stddef.h>

#include "diag.h"
#include "image.h"
#include "style.h"

typedef struct {
  void (*vdiag)(diag_level level, const char *file, int line, int col,
                const char *fmt, va_list ap);
  void (*out_of_memory)(void); /* does not return */
  int (*image_decode)(const char *path, const char *media_type,
                      unsigned max_w, unsigned max_h, int keep_alpha,
                      image_pixels *px, const char **why);
  void (*image_pixels_free)(image_pixels *px);
  int (*image_jpeg_cmyk)(const char *path);
  char *(*image_svg_clean)(const unsigned char *bytes, size_t len,
                           size_t *out_len, const char **why);
  const char *(*resource_extension)(const char *media_type);
  int (*resource_image_size)(const char *path, const char *media_type,
                             unsigned *width, unsigned *height);
  const void *(*resource_map_file)(const char *path, size_t min, size_t max,
                                   size_t *len);
  char *(*resource_read_file)(const char *path, size_t limit, size_t *len);
  int (*resource_library_dir)(char *dir, size_t size);
  const char *(*resource_galley_data_dir)(void);
  const style_fonts *(*style_role_fonts)(const style *s, doc_role role);
  void (*style_grid)(const style *s, style_size size, int *lines, int *chars);
  const char *(*style_size_name)(style_size size);
  const char *(*style_role_name)(int role);
  int (*meta_lang_is_cjk)(const char *lang);
  int (*meta_dir)(const doc_meta *m);
  int (*meta_is_rtl)(const doc_meta *m);
} module_core;

/* The table: in the library, its own; in a module, the one bound. */
const module_core *module_core_get(void);

/* In a module: takes the library's table, before any other call (the
 * writer's and the fonts module's bind entries). */
void module_core_bind(const module_core *core);

#endif

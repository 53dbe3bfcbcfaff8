/* resource.h - local files a document refers to (images, the cover). */
#ifndef GALLEY_RESOURCE_H
#define GALLEY_RESOURCE_H

#include <stddef.h>

#include "buf.h"

/* The folder holding galley's code, without a trailing slash: that of
 * libgalley.so (PREFIX/lib, or build/ in a source tree), or of the
 * program libgalley.a is linked into, symbolic links resolved.  0, or -1
 * when it cannot be told. */
int resource_library_dir(char *dir, size_t size);

/* Galley's data folder (styles/, fonts/): the first of $GALLEY_DATADIR (when
 * set), then from the library's folder ../share/galley (an installed tree,
 * wherever it was moved to), ../../share/galley (a multiarch
 * PREFIX/lib/TRIPLET), .. (build/ in a source tree) and ../..
 * (build/asan/), then fixed_dir (the data folder of the PREFIX it was
 * built for), that holds styles/article.yaml.  Returns a static string, or
 * NULL when no place does; looked (when not NULL) then receives the places
 * tried, separated by ", ". */
const char *resource_data_dir(const char *fixed_dir, buf *looked);

/* resource_data_dir with the data folder of the PREFIX galley was built
 * for as fixed_dir, and that folder when none holds the data. */
const char *resource_galley_data_dir(void);

/* A read-only private mapping of the regular file at path when its size
 * is within [min, max] (a FIFO or device is never opened for reading);
 * NULL otherwise.  *len receives the size; unmap with munmap.  The pages
 * are the page cache's, shared with every other galley. */
const void *resource_map_file(const char *path, size_t min, size_t max,
                              size_t *len);

/* Largest image galley reads. */
#define RESOURCE_MAX_BYTES (64u * 1024 * 1024)

/* Folders besides the document's own that images may come from (the
 * --resource-path option); the strings must outlive their use. */
void resource_set_search_path(const char *const *dirs, size_t n);

/* Resolves url, as written in a document whose folder is base_dir, to a file
 * inside base_dir or a search-path folder (searched in that order).  Returns a
 * malloc'd path and the file's media type (PNG, JPEG, GIF or SVG, sniffed from
 * its bytes), or NULL with *why saying why not: remote, unsafe, outside the
 * folder, missing, of another type, damaged (every image is decoded or, for
 * SVG, parsed and sanitised: image.h), or over the document's pixels. */
char *resource_resolve(const char *base_dir, const char *url,
                       const char **media_type, const char **why);

/* The media type of the bytes, or NULL when galley cannot embed them. */
const char *resource_sniff(const unsigned char *bytes, size_t len,
                           const char *name);

/* Reads a whole file (at most limit bytes).  Returns malloc'd bytes, or NULL
 * with errno set (EFBIG when over the limit). */
char *resource_read_file(const char *path, size_t limit, size_t *len);

/* Most image pixels one document may have decoded (each distinct file
 * counted once); an image that would pass it is refused. */
#define RESOURCE_DOC_MAX_PIXELS (100ull * 1000 * 1000)

/* Starts the count of a new document's image pixels: to be called before
 * a document's images are resolved.  Without it the count runs over every
 * document of the process. */
void resource_begin_document(void);

/* Pixel size of a PNG, JPEG or GIF file, from the check resource_resolve
 * made (kept per file), or an SVG's intrinsic size in CSS pixels (librsvg
 * reads it); 0 when it cannot be read or is damaged. */
int resource_image_size(const char *path, const char *media_type,
                        unsigned *width, unsigned *height);

/* The extension for a media type, without the dot. */
const char *resource_extension(const char *media_type);

#endif

/* resource.c - safe resolution of local files.  A document may only reach
 * files in its own folder and below: no absolute paths, no ".." above the
 * folder, no symbolic link out of it, and nothing remote is fetched. */
#include "resource.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "buf.h"
#include "url.h"

const char *resource_sniff(const unsigned char *b, size_t len,
                           const char *name) {
  if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
    return "image/jpeg";
  if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
    return "image/gif";
  size_t n = strlen(name);
  if (n > 4 && strcasecmp(name + n - 4, ".svg") == 0) {
    size_t look = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 4 <= look; i++)
      if (memcmp(b + i, "<svg", 4) == 0)
        return "image/svg+xml";
  }
  return NULL;
}

const char *resource_extension(const char *media_type) {
  if (strcmp(media_type, "image/png") == 0)
    return "png";
  if (strcmp(media_type, "image/jpeg") == 0)
    return "jpg";
  if (strcmp(media_type, "image/gif") == 0)
    return "gif";
  return "svg";
}

char *resource_read_file(const char *path, size_t limit, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  buf b = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (b.len + got > limit) {
      fclose(f);
      buf_free(&b);
      errno = EFBIG;
      return NULL;
    }
    buf_put(&b, chunk, got);
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    buf_free(&b);
    errno = EIO;
    return NULL;
  }
  return buf_detach(&b, len);
}

/* Normalises a relative path: drops "." and empty segments, resolves "..".
 * Returns -1 when ".." would climb above the start. */
static int normalise(const char *rel, buf *out) {
  const char *p = rel;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (out->len == 0)
        return -1;
      char *slash = strrchr(out->data, '/');
      out->len = slash ? (size_t)(slash - out->data) : 0;
      out->data[out->len] = '\0';
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      if (out->len)
        buf_putc(out, '/');
      buf_put(out, p, n);
    }
    p += n;
    if (*p == '/')
      p++;
  }
  return out->len ? 0 : -1;
}

/* True when the real location of path is inside the real base folder. */
static int stays_inside(const char *base_dir, const char *path) {
  char real_base[PATH_MAX], real_path[PATH_MAX];
  if (!realpath(base_dir, real_base) || !realpath(path, real_path))
    return 0;
  size_t n = strlen(real_base);
  if (n == 1) /* the base is "/" */
    return 1;
  return strncmp(real_base, real_path, n) == 0 && real_path[n] == '/';
}

static const char *const *search_dirs;
static size_t n_search_dirs;

void resource_set_search_path(const char *const *dirs, size_t n) {
  search_dirs = dirs;
  n_search_dirs = n;
}

static int inside_allowed(const char *base_dir, const char *path) {
  if (stays_inside(base_dir, path))
    return 1;
  for (size_t i = 0; i < n_search_dirs; i++)
    if (stays_inside(search_dirs[i], path))
      return 1;
  return 0;
}

/* The checks every candidate file passes before it is used. */
static char *accept_file(const char *base_dir, const char *full,
                         const char **media_type, const char **why) {
  struct stat st;
  if (stat(full, &st) != 0) {
    *why = "no such file";
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = "not a regular file";
    return NULL;
  }
  if (!inside_allowed(base_dir, full)) {
    *why = n_search_dirs ? "the file lies outside the allowed folders"
                         : "the file lies outside the document's folder";
    return NULL;
  }
  if ((unsigned long long)st.st_size > RESOURCE_MAX_BYTES) {
    *why = "the file is too large (over 64 MiB)";
    return NULL;
  }
  unsigned char head[4096];
  FILE *f = fopen(full, "rb");
  if (!f) {
    *why = strerror(errno);
    return NULL;
  }
  size_t got = fread(head, 1, sizeof head, f);
  fclose(f);
  const char *type = resource_sniff(head, got, full);
  if (!type) {
    *why = "not a PNG, JPEG, GIF or SVG image";
    return NULL;
  }
  *media_type = type;
  char *copy = strdup(full);
  if (!copy)
    abort();
  return copy;
}

char *resource_resolve(const char *base_dir, const char *url,
                       const char **media_type, const char **why) {
  switch (url_classify(url)) {
  case URL_EMPTY:
  case URL_FRAGMENT:
    *why = "no file named";
    return NULL;
  case URL_REMOTE:
    *why = "remote files are never fetched";
    return NULL;
  case URL_DANGEROUS:
    *why = "not a local file";
    return NULL;
  case URL_RELATIVE:
    break;
  }
  /* a query or fragment is not part of a file name */
  buf plain = {0}, decoded = {0}, rel = {0}, full = {0};
  char *path = NULL;
  buf_put(&plain, url, strcspn(url, "?#"));
  if (!plain.len) {
    *why = "no file name before the query or fragment";
  } else if (url_percent_decode(plain.data, &decoded) != 0) {
    *why = "malformed %-escape in the path";
  } else if (!decoded.len) {
    *why = "empty path";
  } else if (decoded.data[0] == '/') {
    if (n_search_dirs)
      path = accept_file(base_dir, decoded.data, media_type, why);
    else
      *why = "absolute paths are not allowed; --resource-path allows a folder";
  } else if (normalise(decoded.data, &rel) != 0 && !n_search_dirs) {
    *why = "the path leaves the document's folder";
  } else {
    /* lexically normalised when it stays below the folder, as URLs are */
    const char *relpath = rel.len ? rel.data : decoded.data;
    /* the document's folder first, then each --resource-path folder */
    *why = "no such file";
    for (size_t i = 0; i <= n_search_dirs && !path; i++) {
      full.len = 0;
      buf_puts(&full, i == 0 ? base_dir : search_dirs[i - 1]);
      buf_putc(&full, '/');
      buf_puts(&full, relpath);
      struct stat st;
      if (stat(full.data, &st) == 0) {
        path = accept_file(base_dir, full.data, media_type, why);
        break;
      }
    }
  }
  buf_free(&plain);
  buf_free(&decoded);
  buf_free(&rel);
  buf_free(&full);
  return path;
}

static unsigned be16(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

int resource_image_size(const char *path, const char *media_type,
                        unsigned *width, unsigned *height) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  unsigned char b[65536];
  size_t n = fread(b, 1, sizeof b, f);
  fclose(f);
  *width = *height = 0;
  if (strcmp(media_type, "image/png") == 0 && n >= 24) {
    *width = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 |
             (unsigned)b[18] << 8 | b[19];
    *height = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 |
              (unsigned)b[22] << 8 | b[23];
  } else if (strcmp(media_type, "image/jpeg") == 0) {
    /* walk the markers to the first start-of-frame */
    size_t i = 2;
    while (i + 9 < n && b[i] == 0xFF) {
      unsigned marker = b[i + 1], len = be16(b + i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
          marker != 0xC8 && marker != 0xCC) {
        *height = be16(b + i + 5);
        *width = be16(b + i + 7);
        break;
      }
      i += 2 + len;
    }
  }
  return *width > 0 && *height > 0 && *width < 100000 && *height < 100000;
}

int resource_program_dir(char *dir, size_t size) {
  ssize_t n = size > 1 ? readlink("/proc/self/exe", dir, size - 1) : -1;
  if (n <= 0)
    return -1;
  dir[n] = '\0';
  char *slash = strrchr(dir, '/');
  if (!slash)
    return -1;
  *slash = '\0';
  return 0;
}

const void *resource_map_file(const char *path, size_t min, size_t max,
                              size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  struct stat st;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (size_t)st.st_size >= min && (size_t)st.st_size <= max) {
    *len = (size_t)st.st_size;
    map = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
  }
  close(fd);
  return map == MAP_FAILED ? NULL : map;
}

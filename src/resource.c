/* resource.c - local files: reading, mapping, sniffing.  Resolving a
 * document's images (resource_resolve) is in image.c, beside the check
 * every image passes, so that the build tools, which link this file, need
 * no decoder. */
#include "paths.h"
#include "resource.h"

#include <dlfcn.h>
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

/* The file holding this code: libgalley.so, or the program libgalley.a
 * is linked into (whose name dladdr gives as it was run, so
 * /proc/self/exe says where it is). */
static int code_file(const void *anchor, char *path, size_t size) {
  Dl_info info;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0)
    exe[n] = '\0';
  struct stat self, program;
  if (dladdr(anchor, &info) && info.dli_fname &&
      strchr(info.dli_fname, '/') && realpath(info.dli_fname, path) &&
      !(n > 0 && stat(path, &self) == 0 && stat(exe, &program) == 0 &&
        self.st_dev == program.st_dev && self.st_ino == program.st_ino))
    return strlen(path) < size ? 0 : -1;
  if (n <= 0 || (size_t)n >= size)
    return -1;
  memcpy(path, exe, (size_t)n + 1);
  return 0;
}

int resource_library_dir(char *dir, size_t size) {
  /* found once: the answer cannot change while the code is mapped */
  static char found[PATH_MAX];
  static int state; /* 0 not yet, 1 found, -1 cannot be told */
  if (!state) {
    state = -1;
    char *slash;
    if (code_file(&state, found, sizeof found) == 0 &&
        (slash = strrchr(found, '/')) != NULL) {
      *slash = '\0';
      state = 1;
    }
  }
  if (state < 0 || strlen(found) >= size)
    return -1;
  memcpy(dir, found, strlen(found) + 1);
  return 0;
}

static int holds_styles(const char *dir) {
  buf path = {0};
  buf_printf(&path, "%s/styles/article.yaml", dir);
  int ok = access(path.data, R_OK) == 0;
  buf_free(&path);
  return ok;
}

/* Tries dir: 1 when it holds the data (kept in found, canonical); else
 * adds it to looked. */
static int try_data_dir(const char *dir, char *found, size_t size,
                        buf *looked) {
  char real[PATH_MAX];
  if (realpath(dir, real) && holds_styles(real)) {
    snprintf(found, size, "%s", real);
    return 1;
  }
  if (looked) {
    if (looked->len)
      buf_puts(looked, ", ");
    buf_puts(looked, dir);
  }
  return 0;
}

const char *resource_data_dir(const char *fixed_dir, buf *looked) {
  static char found[PATH_MAX];
  const char *env = getenv("GALLEY_DATADIR");
  if (env && *env && try_data_dir(env, found, sizeof found, looked))
    return found;
  char exe[PATH_MAX];
  if (resource_library_dir(exe, sizeof exe) == 0) {
    /* PREFIX/lib, a multiarch PREFIX/lib/TRIPLET (or PREFIX/bin, holding
     * a program linked with libgalley.a), then build/ and build/asan/ */
    static const char *const rel[] = {"/../share/galley",
                                      "/../../share/galley", "/..", "/../.."};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      char cand[PATH_MAX + 32];
      snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
      if (try_data_dir(cand, found, sizeof found, looked))
        return found;
    }
  }
  if (fixed_dir && try_data_dir(fixed_dir, found, sizeof found, looked))
    return found;
  return NULL;
}

const char *resource_galley_data_dir(void) {
  const char *dir = resource_data_dir(GALLEY_DATADIR_DEFAULT, NULL);
  return dir ? dir : GALLEY_DATADIR_DEFAULT;
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

/* output.c - atomic file output. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"

static int write_all(int fd, const char *p, size_t len) {
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int output_write(const char *path, const void *bytes, size_t len) {
  if (strcmp(path, "-") == 0) {
    if (write_all(STDOUT_FILENO, bytes, len) != 0) {
      diag(DIAG_ERROR, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
      return -1;
    }
    return 0;
  }
  buf tmp = {0};
  const char *slash = strrchr(path, '/');
  if (slash)
    buf_put(&tmp, path, (size_t)(slash - path + 1));
  buf_puts(&tmp, ".galley-");
  buf_puts(&tmp, slash ? slash + 1 : path);
  buf_puts(&tmp, ".XXXXXX");
  int fd = mkstemp(tmp.data);
  if (fd < 0) {
    diag(DIAG_ERROR, path, 0, 0, "cannot create the output: %s",
         strerror(errno));
    buf_free(&tmp);
    return -1;
  }
  /* An earlier file of that name is replaced only once the new bytes are
   * on disk, so a power cut cannot leave neither.  A new file is renamed
   * into place unflushed: the worst a power cut can do then is leave it
   * short, with the input untouched to convert again, and the flush cost
   * more than converting a short article (0.5-1.5 ms here). */
  struct stat old;
  int replacing = stat(path, &old) == 0;
  /* mkstemp makes the file 0600; give it the usual mode. */
  mode_t mask = umask(0);
  umask(mask);
  int failed = fchmod(fd, 0666 & ~mask) != 0 ||
               write_all(fd, bytes, len) != 0 ||
               (replacing && fsync(fd) != 0);
  int saved = errno;
  if (close(fd) != 0 && !failed)
    failed = 1, saved = errno;
  if (!failed && rename(tmp.data, path) != 0)
    failed = 1, saved = errno;
  if (failed) {
    unlink(tmp.data);
    diag(DIAG_ERROR, path, 0, 0, "cannot write the output: %s",
         strerror(saved));
  }
  buf_free(&tmp);
  return failed ? -1 : 0;
}

/* output.c - writing finished files.  What is on disk decides how: a
 * regular file is replaced atomically, a symbolic link is written through,
 * a FIFO, device or socket is written into, as rsync, git and SQLite do;
 * a device node is never turned into a regular file. */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "oom.h"

/* Temporary files are ".galley-tmp-PID-NAME.XXXXXX": the pid tells a
 * leftover of a killed galley from one still being written. */
#define TMP_PREFIX ".galley-tmp-"
enum {
  MAX_LINKS = 40,     /* as the kernel's limit: a loop ends in ELOOP */
  NAME_KEEP = 200,    /* bytes of NAME kept, so the temporary name fits */
  STALE_SECONDS = 5   /* a dead writer's file younger than this is left */
};

static char *dup_or_die(const char *s) {
  char *d = strdup(s);
  if (!d)
    out_of_memory();
  return d;
}

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

static int write_fd(int fd, const char *name, const void *bytes, size_t len) {
  if (write_all(fd, bytes, len) != 0) {
    diag(DIAG_ERROR, name, 0, 0, "cannot write: %s", strerror(errno));
    return -1;
  }
  return 0;
}

/* The descriptor /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N
 * stand for, when it is open; else -1.  Writing to the descriptor keeps
 * the shell's redirection as it is (appending, say), where opening the
 * name again or replacing what it leads to would not. */
static int std_fd(const char *path) {
  long fd = -1;
  const char *num = NULL;
  if (strcmp(path, "/dev/stdout") == 0)
    fd = STDOUT_FILENO;
  else if (strcmp(path, "/dev/stderr") == 0)
    fd = STDERR_FILENO;
  else if (strncmp(path, "/dev/fd/", 8) == 0)
    num = path + 8;
  else if (strncmp(path, "/proc/self/fd/", 14) == 0)
    num = path + 14;
  if (num) {
    char *end;
    errno = 0;
    fd = strtol(num, &end, 10);
    if (errno || end == num || *end || fd < 0 || fd > 1 << 20)
      return -1;
  }
  if (fd < 0 || fcntl((int)fd, F_GETFD) == -1)
    return -1;
  return (int)fd;
}

/* The path that symbolic links from path lead to, the last one followed
 * even when its target does not exist yet (it is then created, as a
 * shell's > would).  NULL with errno set on a loop or an unreadable link. */
static char *follow_links(const char *path) {
  char *p = dup_or_die(path);
  for (int hops = 0;; hops++) {
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
      return p;
    if (hops == MAX_LINKS) {
      free(p);
      errno = ELOOP;
      return NULL;
    }
    size_t cap = 256;
    char *target = NULL;
    ssize_t n;
    for (;;) {
      if (!(target = realloc(target, cap)))
        out_of_memory();
      n = readlink(p, target, cap);
      if (n < 0 || (size_t)n < cap)
        break;
      cap *= 2;
    }
    if (n <= 0) {
      int saved = n < 0 ? errno : ENOENT;
      free(target);
      free(p);
      errno = saved;
      return NULL;
    }
    target[n] = '\0';
    const char *slash = strrchr(p, '/');
    if (target[0] == '/' || !slash) {
      free(p);
      p = target;
    } else { /* relative to the link's own folder */
      buf joined = {0};
      buf_put(&joined, p, (size_t)(slash - p + 1));
      buf_puts(&joined, target);
      free(target);
      free(p);
      p = buf_detach(&joined, NULL);
    }
  }
}

char *output_resolve(const char *path) {
  char *t = follow_links(path);
  if (!t)
    return NULL;
  char *rp = realpath(t, NULL);
  if (rp) {
    free(t);
    return rp;
  }
  /* The file (or folders above it) does not exist yet: resolve the part
   * that does, and add the rest with "." and ".." taken as written. */
  char *dir = dup_or_die(t);
  size_t n_parts = 0, cap = 16;
  const char **parts = malloc(cap * sizeof *parts);
  if (!parts)
    out_of_memory();
  for (;;) {
    char *slash = strrchr(dir, '/');
    const char *prefix;
    if (n_parts == cap && !(parts = realloc(parts, (cap *= 2) * sizeof *parts)))
      out_of_memory();
    if (!slash) {
      parts[n_parts++] = dir;
      prefix = ".";
    } else {
      *slash = '\0';
      parts[n_parts++] = slash + 1;
      prefix = slash == dir ? "/" : dir;
    }
    if ((rp = realpath(prefix, NULL)) != NULL)
      break;
    if (!slash || slash == dir)
      break; /* not even the root or the working folder resolves */
  }
  char *result = NULL;
  if (rp) {
    buf b = {0};
    buf_puts(&b, rp);
    for (size_t i = n_parts; i-- > 0;) {
      const char *part = parts[i];
      if (!*part || strcmp(part, ".") == 0)
        continue;
      if (strcmp(part, "..") == 0) {
        char *last = strrchr(b.data, '/');
        b.len = last && last != b.data ? (size_t)(last - b.data) : 1;
        b.data[b.len] = '\0';
        continue;
      }
      if (b.len > 1)
        buf_putc(&b, '/');
      buf_puts(&b, part);
    }
    result = buf_detach(&b, NULL);
    free(rp);
  }
  free(parts);
  free(dir);
  if (!result)
    result = t, t = NULL;
  free(t);
  return result;
}

/* ---- leftovers of killed writers ---- */

/* NAME as it appears in temporary file names: cut to NAME_KEEP bytes, at
 * the start of a UTF-8 sequence. */
static size_t kept_length(const char *name) {
  size_t n = strlen(name);
  if (n <= NAME_KEEP)
    return n;
  n = NAME_KEEP;
  while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
    n--;
  return n;
}

/* The pid in a temporary file name of galley's for the output base, or 0
 * when entry is not one. */
static long tmp_pid(const char *entry, const char *base, size_t base_len) {
  size_t plen = sizeof TMP_PREFIX - 1;
  if (strncmp(entry, TMP_PREFIX, plen) != 0)
    return 0;
  const char *p = entry + plen;
  long pid = 0;
  int digits = 0;
  for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
    pid = pid * 10 + (*p - '0');
  if (!digits || *p != '-' || pid <= 0)
    return 0;
  p++;
  if (strlen(p) != base_len + 7 || strncmp(p, base, base_len) != 0 ||
      p[base_len] != '.')
    return 0;
  return pid;
}

/* The folders this process has looked in, each with the temporary files
 * of galley's it held then.  Each folder is read once per process, not
 * once per output, so a batch writing thousands of files into one folder
 * does not read it thousands of times. */
typedef struct {
  char *dir;
  char **names; /* NULL once removed or judged */
  size_t n;
} seen_dir;
static seen_dir *seen;
static size_t n_seen;

static seen_dir *look_in(const char *dir) {
  for (size_t i = 0; i < n_seen; i++)
    if (strcmp(seen[i].dir, dir) == 0)
      return &seen[i];
  if (!(seen = realloc(seen, (n_seen + 1) * sizeof *seen)))
    out_of_memory();
  seen_dir *s = &seen[n_seen++];
  *s = (seen_dir){dup_or_die(dir), NULL, 0};
  DIR *d = opendir(dir);
  if (!d)
    return s; /* creating the temporary file will say what is wrong */
  size_t cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) != 0)
      continue;
    if (s->n == cap) {
      cap = cap ? cap * 2 : 8;
      if (!(s->names = realloc(s->names, cap * sizeof *s->names)))
        out_of_memory();
    }
    s->names[s->n++] = dup_or_die(e->d_name);
  }
  closedir(d);
  return s;
}

/* Removes dir's temporary files for the output base whose writer is gone:
 * its pid names no process (or this one, so an earlier process that had
 * the pid), and the file is some seconds old, so that a writer in another
 * pid namespace sharing the folder is not robbed mid-write.  A live
 * writer's file is never touched. */
static void remove_stale(const char *dir, const char *base) {
  seen_dir *s = look_in(dir);
  size_t base_len = kept_length(base);
  for (size_t i = 0; i < s->n; i++) {
    if (!s->names[i])
      continue;
    long pid = tmp_pid(s->names[i], base, base_len);
    if (!pid)
      continue;
    int gone = pid == (long)getpid() ||
               (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
    buf path = {0};
    if (strcmp(dir, ".") != 0)
      buf_printf(&path, "%s/", dir);
    buf_puts(&path, s->names[i]);
    struct stat st;
    if (gone && lstat(path.data, &st) == 0 && S_ISREG(st.st_mode) &&
        time(NULL) - st.st_mtime >= STALE_SECONDS) {
      if (unlink(path.data) == 0)
        diag(DIAG_NOTE, path.data, 0, 0,
             "removed a temporary file left by galley process %ld", pid);
    }
    buf_free(&path);
    if (gone) { /* judged; a live writer's is looked at again next time */
      free(s->names[i]);
      s->names[i] = NULL;
    }
  }
}

/* ---- the three ways of writing ---- */

/* A FIFO, character device or socket: written into, as cat > would. */
static int write_into(const char *path, mode_t type, const void *bytes,
                      size_t len) {
  int fd;
  if (S_ISSOCK(type)) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
      diag(DIAG_ERROR, path, 0, 0, "the socket's name is too long to connect");
      return -1;
    }
    strcpy(addr.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
      int saved = errno;
      close(fd);
      fd = -1;
      errno = saved;
    }
  } else {
    fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  }
  if (fd < 0) {
    diag(DIAG_ERROR, path, 0, 0, "cannot open the output: %s",
         strerror(errno));
    return -1;
  }
  struct stat st;
  if (!S_ISSOCK(type) && (fstat(fd, &st) != 0 || S_ISREG(st.st_mode) ||
                          S_ISDIR(st.st_mode))) {
    /* it was swapped for a regular file since it was looked at: writing
     * into that would not be atomic, so leave it alone */
    diag(DIAG_ERROR, path, 0, 0, "the output changed while being opened");
    close(fd);
    return -1;
  }
  int rc = 0;
  const char *p = bytes;
  size_t left = len;
  while (left && rc == 0) {
    ssize_t n = S_ISSOCK(type) ? send(fd, p, left, MSG_NOSIGNAL)
                               : write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      rc = -1;
    else
      p += n, left -= (size_t)n;
  }
  int saved = errno;
  if (close(fd) != 0 && rc == 0)
    rc = -1, saved = errno;
  if (rc != 0)
    diag(DIAG_ERROR, path, 0, 0, "cannot write the output: %s",
         strerror(saved));
  return rc;
}

/* A regular file, new or replaced: a temporary file beside target,
 * renamed over it.  name is what the user gave, for messages. */
static int write_replacing(const char *name, const char *target,
                           const void *bytes, size_t len) {
  const char *slash = strrchr(target, '/');
  const char *base = slash ? slash + 1 : target;
  if (!*base) {
    diag(DIAG_ERROR, name, 0, 0, "names a folder, not a file");
    return -1;
  }
  buf dir = {0};
  if (!slash)
    buf_puts(&dir, ".");
  else if (slash == target)
    buf_puts(&dir, "/");
  else
    buf_put(&dir, target, (size_t)(slash - target));
  remove_stale(dir.data, base);
  buf tmp = {0};
  buf_printf(&tmp, "%s%s%s%ld-", slash ? dir.data : "",
             slash && slash != target ? "/" : "", TMP_PREFIX, (long)getpid());
  buf_put(&tmp, base, kept_length(base));
  buf_puts(&tmp, ".XXXXXX");
  buf_free(&dir);
  int fd = mkostemp(tmp.data, O_CLOEXEC);
  if (fd < 0) {
    diag(DIAG_ERROR, name, 0, 0, "cannot create the output: %s",
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
  int replacing = lstat(target, &old) == 0 && S_ISREG(old.st_mode);
  mode_t mode;
  if (replacing) {
    /* the replacement keeps the file's owner, group and permissions, as
     * far as this process may give them; set-id bits only with both */
    struct stat now;
    int same = fstat(fd, &now) == 0 && now.st_uid == old.st_uid &&
               now.st_gid == old.st_gid;
    if (!same && fchown(fd, old.st_uid, old.st_gid) == 0)
      same = 1;
    else if (!same && fchown(fd, (uid_t)-1, old.st_gid) != 0) {
      /* best effort: the group is not ours to give */
    }
    mode = old.st_mode & (same ? 07777 : 01777);
  } else {
    /* mkstemp makes the file 0600; give a new one the usual mode */
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  int failed = fchmod(fd, mode) != 0 || write_all(fd, bytes, len) != 0 ||
               (replacing && fsync(fd) != 0);
  int saved = errno;
  if (close(fd) != 0 && !failed)
    failed = 1, saved = errno;
  if (!failed && rename(tmp.data, target) != 0)
    failed = 1, saved = errno;
  if (failed) {
    unlink(tmp.data);
    diag(DIAG_ERROR, name, 0, 0, "cannot write the output: %s",
         strerror(saved));
  }
  buf_free(&tmp);
  return failed ? -1 : 0;
}

int output_write(const char *path, const void *bytes, size_t len) {
  if (strcmp(path, "-") == 0)
    return write_fd(STDOUT_FILENO, "<stdout>", bytes, len);
  int fd = std_fd(path);
  if (fd >= 0)
    return write_fd(fd, path, bytes, len);
  struct stat st;
  if (stat(path, &st) == 0) {
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))
      return write_into(path, st.st_mode, bytes, len);
    if (S_ISDIR(st.st_mode)) {
      diag(DIAG_ERROR, path, 0, 0, "is a folder, not a file");
      return -1;
    }
    if (S_ISBLK(st.st_mode)) {
      diag(DIAG_ERROR, path, 0, 0,
           "is a block device; galley does not write onto disks");
      return -1;
    }
  }
  char *target = follow_links(path);
  if (!target) {
    diag(DIAG_ERROR, path, 0, 0, "cannot follow the symbolic link: %s",
         strerror(errno));
    return -1;
  }
  int rc = write_replacing(path, target, bytes, len);
  free(target);
  return rc;
}

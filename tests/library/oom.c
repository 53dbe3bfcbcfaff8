/* oom.c - memory running out inside a call of libgalley: the call
 * returns GALLEY_ERR_NOMEM instead of the process aborting, later calls
 * that would run galley's code return it too (galley.h, MEMORY), and the
 * program carries on.  Its own malloc, calloc and realloc (which the
 * dynamic linker binds every library's calls to) refuse any request over
 * a limit once the limit is set; not for sanitizer builds or valgrind,
 * which bring allocators of their own.  tests/e2e_library.sh runs it.
 * Prints "ok NAME" or "FAIL NAME: why" for each check. */
#include <galley.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* glibc's own allocator, under its other names */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static size_t limit; /* 0: no limit */

static int refused(size_t size) {
  if (limit && size > limit) {
    errno = ENOMEM;
    return 1;
  }
  return 0;
}

void *malloc(size_t size) { return refused(size) ? NULL : __libc_malloc(size); }

void *calloc(size_t n, size_t size) {
  return n && refused(n * size) ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size) {
  return refused(size) ? NULL : __libc_realloc(p, size);
}

static int failures;

static void check(const char *name, int ok, const char *why) {
  if (ok)
    printf("ok %s\n", name);
  else {
    printf("FAIL %s: %s\n", name, why ? why : "");
    failures++;
  }
}

int main(void) {
  /* 4 MB of one paragraph: reading it needs blocks of more than 1 MB */
  size_t len = 4u << 20;
  char *md = __libc_malloc(len + 1);
  if (!md)
    return 2;
  for (size_t i = 0; i < len; i++)
    md[i] = i % 8 == 7 ? ' ' : 'a';
  md[len] = '\0';
  void *out = NULL;
  size_t out_len = 0;
  int rc = galley_convert_memory("warm", 4, GALLEY_EPUB, NULL, &out, &out_len);
  check("a conversion before memory runs short", rc == GALLEY_OK,
        galley_strerror(rc));
  galley_free(out);

  limit = 1u << 20;
  rc = galley_convert_memory(md, len, GALLEY_EPUB, NULL, &out, &out_len);
  limit = 0;
  check("memory running out: GALLEY_ERR_NOMEM", rc == GALLEY_ERR_NOMEM,
        galley_strerror(rc));
  check("... and no output", out == NULL && out_len == 0, NULL);
  rc = galley_convert_memory("after", 5, GALLEY_EPUB, NULL, &out, &out_len);
  check("a later conversion: GALLEY_ERR_NOMEM too", rc == GALLEY_ERR_NOMEM,
        galley_strerror(rc));
  galley_options *o = galley_options_new();
  check("settings that only store a value still work",
        o && galley_options_set_tagged(o, 0) == GALLEY_OK, NULL);
  galley_options_free(o);
  check("the version is still told",
        strcmp(galley_version(), GALLEY_VERSION) == 0, NULL);
  galley_cleanup();
  free(md);
  printf("the program carried on\n");
  return failures ? 1 : 0;
}

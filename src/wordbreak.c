/* wordbreak.c - word boundaries from ICU (see wordbreak.h).
 *
 * ICU is opened with dlopen on first use, as image.c opens the image
 * decoders: linked in, its libraries (with libstdc++) would add about
 * 1 ms to the start of every run, and the dictionary is needed only for a
 * Chinese title of several lines.  ICU's C functions carry its major
 * version in their names (ubrk_open_72) and so does its soname; the
 * headers' renaming macros give both, for the ICU the program was built
 * against. */
#include "wordbreak.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utypes.h>
#include <unicode/uvernum.h>

#include "diag.h"
#include "oom.h"
#include "utf8.h"

#define ICU_FNS(X) X(ubrk_open) X(ubrk_close) X(ubrk_first) X(ubrk_next)

#define STR_(x) #x
#define STR(x) STR_(x)

#define MEMBER(f) __typeof__(f) *f;
static struct {
  int tried, ok, warned;
  ICU_FNS(MEMBER)
} icu;

#define ICU_SONAME "libicuuc.so." U_ICU_VERSION_SHORT

/* memcpy, since ISO C has no cast from an object to a function pointer;
 * STR(f) is the renamed symbol, ubrk_open_72 */
#define LOOKUP(f)                                                              \
  if (ok) {                                                                    \
    void *sym = dlsym(h, STR(f));                                              \
    if (sym)                                                                   \
      memcpy(&icu.f, &sym, sizeof sym);                                        \
    else                                                                       \
      ok = 0;                                                                  \
  }

static void warn(const char *why) {
  if (icu.warned++)
    return;
  diag(DIAG_WARNING, NULL, 0, 0,
       "Chinese titles are broken into lines without a word dictionary: %s",
       why);
}

static int load_icu(void) {
  if (!icu.tried) {
    icu.tried = 1;
    void *h = dlopen(ICU_SONAME, RTLD_NOW | RTLD_LOCAL);
    int ok = h != NULL;
    ICU_FNS(LOOKUP)
    icu.ok = ok;
    if (!ok)
      warn(h ? ICU_SONAME " lacks the word break functions"
             : ICU_SONAME " (Debian's libicu" U_ICU_VERSION_SHORT
                          ") cannot be loaded");
  }
  return icu.ok;
}

unsigned char *wordbreak_bounds(const char *s, size_t len) {
  if (!len || len > WORDBREAK_MAX_BYTES || !load_icu())
    return NULL;
  /* UTF-16 for ICU, with the byte offset each unit starts at */
  UChar *u = malloc(len * sizeof *u);
  size_t *at = malloc((len + 1) * sizeof *at);
  unsigned char *bounds = calloc(len + 1, 1);
  if (!u || !at || !bounds)
    out_of_memory();
  const unsigned char *p = (const unsigned char *)s;
  size_t n = 0;
  for (size_t i = 0; i < len;) {
    uint32_t c;
    int k = utf8_decode(p + i, len - i, &c);
    if (k <= 0)
      k = 1, c = UTF8_REPLACEMENT;
    if (c >= 0x10000) {
      at[n] = i, u[n++] = (UChar)(0xD800 + ((c - 0x10000) >> 10));
      at[n] = i, u[n++] = (UChar)(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      at[n] = i, u[n++] = (UChar)c;
    }
    i += (size_t)k;
  }
  at[n] = len;
  UErrorCode err = U_ZERO_ERROR;
  /* the dictionary covers Chinese and Japanese alike; "zh" names the text */
  UBreakIterator *it = icu.ubrk_open(UBRK_WORD, "zh", u, (int32_t)n, &err);
  if (U_FAILURE(err) || !it) {
    warn("ICU's word break iterator cannot be opened (its data may be "
         "missing)");
    free(u);
    free(at);
    free(bounds);
    return NULL;
  }
  for (int32_t b = icu.ubrk_first(it); b != UBRK_DONE; b = icu.ubrk_next(it))
    if (b >= 0 && (size_t)b <= n)
      bounds[at[b]] = 1;
  icu.ubrk_close(it);
  free(u);
  free(at);
  return bounds;
}

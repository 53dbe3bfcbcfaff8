/* test.h - a minimal unit-test harness: CHECK records a result; each test
 * is a function listed in main.c. */
#ifndef GALLEY_TEST_H
#define GALLEY_TEST_H

#include <stdio.h>
#include <string.h>

extern int test_passed, test_failed;
extern const char *test_name;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      test_passed++;                                                           \
    } else {                                                                   \
      test_failed++;                                                           \
      printf("FAIL %s (%s:%d): %s\n", test_name, __FILE__, __LINE__, #cond);   \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if (g_ && w_ && strcmp(g_, w_) == 0) {                                     \
      test_passed++;                                                           \
    } else {                                                                   \
      test_failed++;                                                           \
      printf("FAIL %s (%s:%d): got \"%s\", want \"%s\"\n", test_name,          \
             __FILE__, __LINE__, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
    }                                                                          \
  } while (0)

/* A built-in style from the source tree's styles/ (loaded once, kept). */
#include "style.h"
const style *unit_style(const char *name);

#endif

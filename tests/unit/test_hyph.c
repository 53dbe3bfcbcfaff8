/* test_hyph.c - the hyphenation patterns' image: the same hyphens as the
 * .dic, and refused, never trusted, when stale, truncated or corrupt. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>

#include "hyph_load.h"
#include "test.h"

static const char dic[] = "/usr/share/hyphen/hyph_en_US.dic";

static const char *const words[] = {
    "extraordinary", "hyphenation",  "well-known",  "o'clock",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "table", "recognizance",
    "...", "a.b.c.d.e.f", "zzzzzz", "supercalifragilistic", "x"};

/* The hyphens of every word above that hyph_word takes (letters only),
 * one string. */
static void hyphens_of(const hyph_patterns *p, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    size_t n = strlen(words[w]);
    if (strspn(words[w], "abcdefghijklmnopqrstuvwxyz") != n)
      continue;
    char h[HYPH_MAX_WORD + 5] = {0};
    if (hyph_word(p, words[w], n, h) != 0)
      snprintf(h, sizeof h, "none");
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s|", h);
  }
}

/* Words of letters: every word of the samples and 200,000 made up, some
 * from the commonest letters (where patterns match often), lengths 1 to
 * HYPH_MAX_WORD - 1.  The number of words whose hyphens differ. */
static int same_on_many(const hyph_patterns *a, const hyph_patterns *b) {
  static const char common[] = "etaoinshrdlucmfwypvbgkjqxz";
  uint32_t seed = 777;
  int differ = 0;
  char word[HYPH_MAX_WORD];
  for (int round = 0; round < 200000; round++) {
    seed = seed * 1664525u + 1013904223u;
    size_t n = 1 + (seed >> 8) % (HYPH_MAX_WORD - 1);
    if (round % 2)
      n = 5 + (seed >> 8) % 12; /* mostly word-like lengths */
    for (size_t i = 0; i < n; i++) {
      seed = seed * 1664525u + 1013904223u;
      size_t span = round % 3 ? 10 : 26;
      word[i] = common[(seed >> 16) % span];
    }
    word[n] = '\0';
    char ha[HYPH_MAX_WORD + 5] = {0}, hb[HYPH_MAX_WORD + 5] = {0};
    int ra = hyph_word(a, word, n, ha), rb = hyph_word(b, word, n, hb);
    if (ra != rb || (ra == 0 && memcmp(ha, hb, n) != 0))
      differ++;
  }
  return differ;
}

static char dir[] = "/tmp/galley-hyph-XXXXXX";
static char bad[64];

/* b with its header's CRC made to agree with the rest. */
static unsigned char *with_crc(unsigned char *b, size_t len) {
  hyph_image_header h;
  memcpy(&h, b, sizeof h);
  h.body_crc = (uint32_t)libdeflate_crc32(0, b + sizeof h, len - sizeof h);
  memcpy(b, &h, sizeof h);
  return b;
}

/* Writes len bytes as the image and loads it: 1 when accepted (and then
 * used on the words, which must not go out of bounds), else 0. */
static int accepted(const unsigned char *bytes, size_t len, const char *src) {
  FILE *f = fopen(bad, "wb");
  if (!f)
    return -1;
  fwrite(bytes, 1, len, f);
  fclose(f);
  hyph_patterns *p = hyph_load_image(bad, src);
  if (!p)
    return 0;
  char out[2048];
  hyphens_of(p, out, sizeof out);
  hyph_free(p);
  return 1;
}

void test_hyph_image_same_and_hostile(void) {
  if (access(dic, R_OK) != 0)
    return; /* hyphen-en-us is not installed: no image to make */
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  char image[64];
  snprintf(image, sizeof image, "%s/en.bin", dir);
  snprintf(bad, sizeof bad, "%s/bad.bin", dir);
  CHECK(hyph_image_write(dic, image) == 0);

  /* the same hyphens as the .dic */
  hyph_patterns *from_dic = hyph_load(dic), *from_image =
                                                hyph_load_image(image, dic);
  CHECK(from_dic && from_image);
  if (!from_dic || !from_image) {
    hyph_free(from_dic);
    hyph_free(from_image);
    return;
  }
  char want[2048], got[2048];
  hyphens_of(from_dic, want, sizeof want);
  hyphens_of(from_image, got, sizeof got);
  CHECK_STR(got, want);
  CHECK(hyph_dict(from_image) == NULL); /* read in place, nothing built */
  CHECK(strstr(want, "0988989898000|") != NULL); /* ex-tra-or-di-nary */
  /* and on many more words: each one's hyphens from libhyphen over the
   * .dic and from the walk over the image */
  CHECK(same_on_many(from_dic, from_image) == 0);
  hyph_free(from_dic);
  hyph_free(from_image);
  CHECK(hyph_load_image("/nonexistent/en.bin", dic) == NULL);
  CHECK(hyph_load_image(image, "/nonexistent/en.dic") == NULL);

  FILE *f = fopen(image, "rb");
  struct stat st;
  if (!f || fstat(fileno(f), &st) != 0) {
    CHECK(!"read the image");
    return;
  }
  size_t len = (size_t)st.st_size;
  unsigned char *img = malloc(len + 1), *b = malloc(len + 1);
  CHECK(fread(img, 1, len, f) == len);
  fclose(f);
  CHECK(accepted(img, len, dic) == 1);
  hyph_image_header h;
  memcpy(&h, img, sizeof h);
  size_t states_at = sizeof h;
  size_t trans_at = states_at + h.n_states * sizeof(hyph_image_state);
  size_t matches_at = trans_at + h.n_trans * sizeof(HyphenTrans);

  /* truncated, or longer */
  size_t cuts[] = {0, 1, sizeof h - 1, sizeof h, trans_at, len / 2, len - 1};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++)
    CHECK(accepted(img, cuts[i], dic) == 0);
  memcpy(b, img, len);
  b[len] = 0;
  CHECK(accepted(b, len + 1, dic) == 0);

/* One header field changed: refused. */
#define HEADER_CASE(field, value)                                              \
  do {                                                                         \
    hyph_image_header c = h;                                                   \
    c.field = value;                                                           \
    memcpy(b, img, len);                                                       \
    memcpy(b, &c, sizeof c);                                                   \
    CHECK(accepted(b, len, dic) == 0);                                         \
  } while (0)
  HEADER_CASE(magic[0], 'G');
  HEADER_CASE(version, HYPH_IMAGE_VERSION + 1);
  HEADER_CASE(byte_order, 0x04030201u);
  HEADER_CASE(trans_size, 16);
  HEADER_CASE(src_size, h.src_size + 1);     /* stale: another .dic */
  HEADER_CASE(src_mtime_s, h.src_mtime_s - 1); /* stale: changed since */
  HEADER_CASE(n_states, 0);
  HEADER_CASE(n_states, h.n_states - 1);
  HEADER_CASE(n_states, 0xffffffffu);
  HEADER_CASE(n_trans, h.n_trans + 2);
  HEADER_CASE(matches_len, h.matches_len + 1);
  HEADER_CASE(utf8, 0);
  HEADER_CASE(lhmin, -1);
  HEADER_CASE(cset[0], 'X'); /* says UTF-8 for another character set */
  memcpy(b, img, len);
  memset(b + offsetof(hyph_image_header, cset), 'x', MAX_NAME);
  CHECK(accepted(b, len, dic) == 0); /* not ended */

/* One field of state S changed: refused, as the CRC no longer agrees.
 * CRAFTED: the same with the CRC made to agree, as a file made to pass the
 * loader's checks would be: accepted, and the walk over it checks what it
 * reads, staying in bounds and ending (accepted() runs it over the words;
 * the sanitizer build runs this too). */
#define DAMAGED_STATE(s, field, value, crafted)                                \
  do {                                                                         \
    hyph_image_state r;                                                        \
    memcpy(b, img, len);                                                       \
    memcpy(&r, b + states_at + (s) * sizeof r, sizeof r);                      \
    r.field = value;                                                           \
    memcpy(b + states_at + (s) * sizeof r, &r, sizeof r);                      \
    CHECK(accepted((crafted) ? with_crc(b, len) : b, len, dic) == (crafted));  \
  } while (0)
#define STATE_CASE(s, field, value) DAMAGED_STATE(s, field, value, 0)
#define CRAFTED(s, field, value) DAMAGED_STATE(s, field, value, 1)
  size_t last = h.n_states - 1;
  STATE_CASE(0, fallback, 0);          /* the root falls back to itself */
  STATE_CASE(5, fallback, 5);          /* a cycle */
  STATE_CASE(5, fallback, -2);
  STATE_CASE(last, fallback, (int32_t)last + 7);
  STATE_CASE(0, trans, h.n_trans);     /* transitions past the end */
  STATE_CASE(0, num_trans, h.n_trans + 1);
  STATE_CASE(last, trans, 0xfffffff0u); /* and overflowing */
  STATE_CASE(last, num_trans, 0x20u);
  STATE_CASE(1, match, h.matches_len);  /* a match past the block */
  STATE_CASE(1, match, 0xfffffffeu);
  /* a state no transition reaches */
  STATE_CASE(0, num_trans, 1);

  /* transitions: out of range, backwards, to a state reached already */
  HyphenTrans t;
  int32_t targets[] = {-1, 0, (int32_t)h.n_states, INT32_MAX, 2};
  for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
    memcpy(b, img, len);
    memcpy(&t, b + trans_at + 3 * sizeof t, sizeof t);
    t.new_state = targets[i];
    memcpy(b + trans_at + 3 * sizeof t, &t, sizeof t);
    CHECK(accepted(b, len, dic) == 0);
  }
  /* match strings: the last not ended, one too long for its state */
  memcpy(b, img, len);
  b[len - 1] = '9';
  CHECK(accepted(b, len, dic) == 0);
  memcpy(b, img, len);
  memset(b + matches_at, '9', h.matches_len - 1);
  CHECK(accepted(b, len, dic) == 0);

  /* the same damage with the CRC made to agree (see DAMAGED_STATE) */
  CRAFTED(0, fallback, 0); /* the root falls back to itself */
  CRAFTED(5, fallback, 5); /* a cycle */
  CRAFTED(5, fallback, (int32_t)h.n_states);
  CRAFTED(0, trans, h.n_trans);
  CRAFTED(0, num_trans, h.n_trans + 1);
  CRAFTED(last, trans, 0xfffffff0u);
  CRAFTED(1, match, h.matches_len);
  CRAFTED(1, match, 0xfffffffeu);
  for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
    memcpy(b, img, len);
    for (size_t k = 0; k < h.n_trans; k++) { /* every transition */
      memcpy(&t, b + trans_at + k * sizeof t, sizeof t);
      t.new_state = targets[i] == 2 ? (int32_t)k % 7 : targets[i];
      memcpy(b + trans_at + k * sizeof t, &t, sizeof t);
    }
    CHECK(accepted(with_crc(b, len), len, dic) == 1);
  }
  memcpy(b, img, len);
  memset(b + matches_at, '9', h.matches_len - 1); /* one endless match */
  CHECK(accepted(with_crc(b, len), len, dic) == 1);

  /* stale against a .dic that changed: a copy, touched */
  char copy[64];
  snprintf(copy, sizeof copy, "%s/en.dic", dir);
  FILE *in = fopen(dic, "rb"), *out = fopen(copy, "wb");
  int c;
  while (in && out && (c = getc(in)) != EOF)
    putc(c, out);
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  CHECK(hyph_image_write(copy, image) == 0);
  hyph_patterns *p = hyph_load_image(image, copy);
  CHECK(p != NULL);
  hyph_free(p);
  struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};
  utimensat(AT_FDCWD, copy, times, 0);
  CHECK(hyph_load_image(image, copy) == NULL);

  /* random bytes anywhere: accepted or refused, never out of bounds (the
   * sanitizer build runs this too) or looping */
  uint32_t seed = 12345;
  int taken = 0;
  for (int round = 0; round < 400; round++) {
    memcpy(b, img, len);
    int n_bytes = 1 + round % 4;
    for (int k = 0; k < n_bytes; k++) {
      seed = seed * 1664525u + 1013904223u;
      size_t at = (seed >> 8) % len;
      /* half the time in the header and states, where the numbers are */
      if (round % 2)
        at = (seed >> 8) % matches_at;
      seed = seed * 1664525u + 1013904223u;
      b[at] = (unsigned char)(seed >> 24);
    }
    int a = accepted(b, len, dic);
    CHECK(a == 0 || a == 1);
    taken += a == 1;
  }
  CHECK(taken < 400);

  free(img);
  free(b);
  remove(bad);
  remove(image);
  remove(copy);
  rmdir(dir);
}

/* Tests of the text utilities: UTF-8, SHA-1, the string map, XML, URLs. */
#include <stdlib.h>

#include "buf.h"
#include "doc.h"
#include "sha1.h"
#include "strmap.h"
#include "test.h"
#include "url.h"
#include "utf8.h"
#include "xml.h"

void test_utf8_decode_rejects_ill_formed(void) {
  uint32_t cp = 0;
  CHECK(utf8_decode((const unsigned char *)"A", 1, &cp) == 1 && cp == 'A');
  CHECK(utf8_decode((const unsigned char *)"\xE4\xB8\xAD", 3, &cp) == 3 &&
        cp == 0x4E2D);
  CHECK(utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp) == 4 &&
        cp == 0x1F600);
  CHECK(utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp) ==
        0); /* overlong */
  CHECK(utf8_decode((const unsigned char *)"\xE0\x80\xAF", 3, &cp) == 0);
  CHECK(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp) ==
        0); /* surrogate */
  CHECK(utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp) == 0);
  CHECK(utf8_decode((const unsigned char *)"\xE4\xB8", 2, &cp) ==
        0); /* truncated */
  CHECK(utf8_decode((const unsigned char *)"\x80", 1, &cp) == 0);
}

void test_utf8_repair_replaces_maximal_subparts(void) {
  buf out = {0};
  size_t first = 99;
  /* "a" + truncated 3-byte + "b" + lone continuation + NUL + "c" */
  const char in[] = "a\xE4\xB8"
                    "b\x80"
                    "\0c";
  size_t bad = utf8_repair(in, sizeof in - 1, &out, &first);
  CHECK(bad == 3);
  CHECK(first == 1);
  CHECK_STR(out.data, "a\xEF\xBF\xBD"
                      "b\xEF\xBF\xBD\xEF\xBF\xBD"
                      "c");
  buf_free(&out);
  bad = utf8_repair("ok \xE4\xB8\xAD", 6, &out, &first);
  CHECK(bad == 0);
  CHECK_STR(out.data, "ok \xE4\xB8\xAD");
  buf_free(&out);
}

static void hex(const unsigned char *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++)
    sprintf(out + 2 * i, "%02x", d[i]);
}

void test_sha1_known_vectors(void) {
  unsigned char d[20];
  char h[41];
  sha1_ctx c;
  sha1_init(&c);
  sha1_update(&c, "abc", 3);
  sha1_final(&c, d);
  hex(d, 20, h);
  CHECK_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
  sha1_init(&c);
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha1_update(&c, two, strlen(two));
  sha1_final(&c, d);
  hex(d, 20, h);
  CHECK_STR(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

void test_strmap_add_get_grow(void) {
  strmap m = {0};
  static char keys[500][8];
  int added = 0;
  for (int i = 0; i < 500; i++) {
    snprintf(keys[i], sizeof keys[i], "k%d", i);
    added += strmap_add(&m, keys[i], i);
  }
  CHECK(added == 500);
  CHECK(strmap_add(&m, "k7", 1000) == 0);
  CHECK(strmap_get(&m, "k7") == 7);
  CHECK(strmap_get(&m, "k499") == 499);
  CHECK(strmap_get(&m, "nope") == -1);
  strmap_free(&m);
  CHECK(strmap_get(&m, "k1") == -1);
}

void test_xml_escape_drops_forbidden(void) {
  buf out = {0};
  const char in[] = "a<b>&\"c\x01\x1f\t\n\xEF\xBF\xBE"
                    "d";
  xml_escape(&out, in, sizeof in - 1);
  CHECK_STR(out.data, "a&lt;b&gt;&amp;&quot;c\t\nd");
  buf_free(&out);
}

void test_url_classify_schemes(void) {
  CHECK(url_classify("https://example.org") == URL_REMOTE);
  CHECK(url_classify("MAILTO:a@b.c") == URL_REMOTE);
  CHECK(url_classify("//cdn.example.org/x") == URL_REMOTE);
  CHECK(url_classify("#intro") == URL_FRAGMENT);
  CHECK(url_classify("") == URL_EMPTY);
  CHECK(url_classify("images/a.png") == URL_RELATIVE);
  CHECK(url_classify("a:b/../c") == URL_DANGEROUS);
  CHECK(url_classify("javascript:alert(1)") == URL_DANGEROUS);
  CHECK(url_classify("JaVaScRiPt:alert(1)") == URL_DANGEROUS);
  CHECK(url_classify("data:text/html,x") == URL_DANGEROUS);
  CHECK(url_classify("file:///etc/passwd") == URL_DANGEROUS);
  CHECK(url_classify("./x:y") == URL_RELATIVE);
  /* browsers ignore tabs and newlines, and leading controls */
  CHECK(url_classify("java\tscript:alert(1)") == URL_DANGEROUS);
  CHECK(url_classify("java\nscript:alert(1)") == URL_DANGEROUS);
  CHECK(url_classify(" \x01javascript:x") == URL_DANGEROUS);
}

void test_url_hosts(void) {
  CHECK(url_host_is_valid("https://example.org/a"));
  CHECK(url_host_is_valid("http://user@example.org:8080/?q#f"));
  CHECK(url_host_is_valid("http://[::1]:80/"));
  CHECK(url_host_is_valid("https://中国政府网.政务/"));
  CHECK(url_host_is_valid("mailto:a@b.c"));
  CHECK(!url_host_is_valid("https://../"));
  CHECK(!url_host_is_valid("https://foo.bar.%60baz"));
  CHECK(!url_host_is_valid("https://"));
  CHECK(!url_host_is_valid("http:example.org"));
  CHECK(!url_host_is_valid("http://a:8x/"));
  CHECK(url_host_is_valid("http://a.b:65535/"));
  CHECK(!url_host_is_valid("http://a.b:65536/"));
  CHECK(!url_host_is_valid("http://[::1]:99999/"));
  CHECK(!url_host_is_valid("http://[::1]x/"));
  CHECK(!url_host_is_valid("mailto:"));
  CHECK(!url_host_is_valid("mailto:?subject=x"));
  CHECK(!url_host_is_valid("tel:"));
  CHECK(url_host_is_valid("tel:+4930123"));
}

void test_utf8_noncharacters(void) {
  CHECK(utf8_is_noncharacter(0xFFFF));
  CHECK(utf8_is_noncharacter(0xFFFE));
  CHECK(utf8_is_noncharacter(0xFDD0));
  CHECK(utf8_is_noncharacter(0xFDEF));
  CHECK(utf8_is_noncharacter(0x10FFFF));
  CHECK(utf8_is_noncharacter(0x1FFFE));
  CHECK(!utf8_is_noncharacter(0xFFFD));
  CHECK(!utf8_is_noncharacter(0xFDCF));
  CHECK(!utf8_is_noncharacter(0xFDF0));
  CHECK(!utf8_is_noncharacter(0x4E00));
}

void test_doc_outline_depth_within_bound(void) {
  size_t small[8] = {0, 1, 50, 300, 700, 0, 0, 0};
  CHECK(doc_outline_depth(small) == 3); /* 351; level 4 would make 1,051 */
  size_t flat[8] = {0, 1, 20000, 0, 0, 0, 0, 0};
  CHECK(doc_outline_depth(flat) == 1); /* the title alone */
  size_t all[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  CHECK(doc_outline_depth(all) == 7);
  size_t chapters[8] = {5000, 0, 3, 0, 0, 0, 0, 0};
  CHECK(doc_outline_depth(chapters) == 1); /* level 1 always stays */
}

void test_url_escape_and_decode(void) {
  buf out = {0};
  url_escape_href(&out, "https://e.org/a b?x=1&y='2'#f%20g\xE4\xB8\xAD[]");
  CHECK_STR(out.data,
            "https://e.org/a%20b?x=1&amp;y=&#39;2&#39;#f%20g%E4%B8%AD%5B%5D");
  buf_free(&out);
  url_escape_href(&out, "http://[::1]:8080/[x]");
  CHECK_STR(out.data, "http://[::1]:8080/%5Bx%5D");
  buf_free(&out);
  CHECK(url_percent_decode("a%20b%e4%b8%ad", &out) == 0);
  CHECK_STR(out.data, "a b\xE4\xB8\xAD");
  buf_free(&out);
  CHECK(url_percent_decode("a%2", &out) == -1);
  buf_free(&out);
  CHECK(url_percent_decode("a%00b", &out) == -1);
  buf_free(&out);
}

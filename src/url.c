/* url.c - URL classification: which links are safe to keep (the same safe
 * default as cmark's renderers: no javascript:, vbscript:, file: or data:). */
#include "url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const safe_schemes[] = {"http", "https", "ftp", "ftps",
                                           "mailto", "tel", "news"};

url_kind url_classify(const char *url) {
  while (*url == ' ' || *url == '\t')
    url++;
  if (!*url)
    return URL_EMPTY;
  if (*url == '#')
    return URL_FRAGMENT;
  /* A scheme is letters, digits, + - . before the first colon, starting with
   * a letter, and the colon comes before any / ? #. */
  const char *p = url;
  if (isalpha((unsigned char)*p)) {
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
      p++;
    if (*p == ':') {
      size_t n = (size_t)(p - url);
      for (size_t i = 0; i < sizeof safe_schemes / sizeof *safe_schemes; i++)
        if (strlen(safe_schemes[i]) == n &&
            strncasecmp(url, safe_schemes[i], n) == 0)
          return URL_REMOTE;
      return URL_DANGEROUS;
    }
  }
  if (url[0] == '/' && url[1] == '/')
    return URL_REMOTE; /* protocol-relative */
  return URL_RELATIVE;
}

void url_escape_href(buf *out, const char *url) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    unsigned c = *p;
    if (c == '&')
      buf_puts(out, "&amp;");
    else if (c == '\'')
      buf_puts(out, "&#39;");
    else if (c == '%' && isxdigit(p[1]) && isxdigit(p[2]))
      buf_putc(out, '%');
    else if (c < 0x80 && (isalnum(c) || strchr("-_.~!*();:@=+$,/?#[]", (int)c)))
      buf_putc(out, (char)c);
    else {
      buf_putc(out, '%');
      buf_putc(out, hex[c >> 4]);
      buf_putc(out, hex[c & 15]);
    }
  }
}

static int hexval(int c) {
  return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int url_percent_decode(const char *in, buf *out) {
  for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
    if (*p != '%') {
      buf_putc(out, (char)*p);
      continue;
    }
    if (!isxdigit(p[1]) || !isxdigit(p[2]))
      return -1;
    int v = hexval(p[1]) * 16 + hexval(p[2]);
    if (v == 0)
      return -1;
    buf_putc(out, (char)v);
    p += 2;
  }
  return 0;
}

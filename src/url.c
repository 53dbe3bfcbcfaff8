/* url.c - URL classification: which links are safe to keep (the same safe
 * default as cmark's renderers: no javascript:, vbscript:, file: or data:). */
#include "url.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const safe_schemes[] = {"http",   "https", "ftp", "ftps",
                                           "mailto", "tel",   "news"};

url_kind url_classify(const char *raw) {
  /* As browsers do (WHATWG URL): leading spaces and controls are dropped,
   * and tabs and newlines anywhere are ignored, so "java\tscript:" is
   * recognised for what it is. */
  char url[80];
  size_t n = 0;
  const unsigned char *p0 = (const unsigned char *)raw;
  while (*p0 && *p0 <= ' ')
    p0++;
  for (; *p0 && n + 1 < sizeof url; p0++)
    if (*p0 != '\t' && *p0 != '\n' && *p0 != '\r')
      url[n++] = (char)*p0;
  url[n] = '\0';
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
      size_t len = (size_t)(p - url);
      for (size_t i = 0; i < sizeof safe_schemes / sizeof *safe_schemes; i++)
        if (strlen(safe_schemes[i]) == len &&
            strncasecmp(url, safe_schemes[i], len) == 0)
          return URL_REMOTE;
      return URL_DANGEROUS;
    }
  }
  if (url[0] == '/' && url[1] == '/')
    return URL_REMOTE; /* protocol-relative */
  return URL_RELATIVE;
}

/* A port: digits up to 65535; empty is allowed (RFC 3986 3.2.3). */
static int port_is_valid(const char *p, size_t len) {
  unsigned long v = 0;
  for (size_t i = 0; i < len; i++) {
    if (!isdigit((unsigned char)p[i]))
      return 0;
    v = v * 10 + (unsigned)(p[i] - '0');
    if (v > 65535)
      return 0;
  }
  return 1;
}

int url_host_is_valid(const char *url) {
  const char *p = strstr(url, "//");
  const char *colon = strchr(url, ':');
  if (colon && (!p || p != colon + 1)) {
    /* no authority: fine for mailto: and tel: with an address, not for
     * web schemes ("mailto:" alone names nobody) */
    size_t n = (size_t)(colon - url);
    const char *rest = colon + 1;
    while (*rest == ' ')
      rest++;
    if (*rest == '\0' || *rest == '?' || *rest == '#')
      return 0;
    return !((n == 4 && strncasecmp(url, "http", 4) == 0) ||
             (n == 5 && strncasecmp(url, "https", 5) == 0) ||
             (n == 3 && strncasecmp(url, "ftp", 3) == 0) ||
             (n == 4 && strncasecmp(url, "ftps", 4) == 0));
  }
  if (!p)
    return 1;
  const char *host = p + 2;
  size_t len = strcspn(host, "/?#");
  const char *at = memchr(host, '@', len);
  if (at) {
    len -= (size_t)(at + 1 - host);
    host = at + 1;
  }
  if (len && host[0] == '[') { /* IPv6 literal */
    size_t i = 1;
    while (i < len && (isxdigit((unsigned char)host[i]) || host[i] == ':' ||
                       host[i] == '.'))
      i++;
    if (!(i > 1 && i < len && host[i] == ']'))
      return 0;
    return i + 1 == len || (host[i + 1] == ':' &&
                            port_is_valid(host + i + 2, len - i - 2));
  }
  const char *port = memchr(host, ':', len);
  if (port) {
    if (!port_is_valid(port + 1, (size_t)(host + len - port - 1)))
      return 0;
    len = (size_t)(port - host);
  }
  if (len == 0)
    return 0;
  size_t label = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)host[i];
    if (c == '.') {
      if (label == 0)
        return 0;
      label = 0;
    } else if (isalnum(c) || c == '-' || c >= 0x80) {
      label++;
    } else {
      return 0;
    }
  }
  return 1;
}

static int keeps(unsigned c) {
  return c < 0x80 && (isalnum(c) || strchr("-_.~!*();:@=+$,/?#&'", (int)c));
}

void url_percent_encode(buf *out, const char *url) {
  static const char hex[] = "0123456789ABCDEF";
  /* the brackets of an IPv6 host stay: only the authority may hold them */
  const char *auth = strstr(url, "//");
  const char *auth_end = auth ? auth + 2 + strcspn(auth + 2, "/?#") : NULL;
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    unsigned c = *p;
    int in_host = auth && (const char *)p > auth &&
                  (const char *)p < auth_end && (c == '[' || c == ']');
    if ((c == '%' && isxdigit(p[1]) && isxdigit(p[2])) || keeps(c) ||
        in_host) {
      buf_putc(out, (char)c);
    } else {
      buf_putc(out, '%');
      buf_putc(out, hex[c >> 4]);
      buf_putc(out, hex[c & 15]);
    }
  }
}

void url_escape_href(buf *out, const char *url) {
  buf plain = {0};
  url_percent_encode(&plain, url);
  for (size_t i = 0; i < plain.len; i++) {
    char c = plain.data[i];
    if (c == '&')
      buf_puts(out, "&amp;");
    else if (c == '\'')
      buf_puts(out, "&#39;");
    else
      buf_putc(out, c);
  }
  buf_free(&plain);
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

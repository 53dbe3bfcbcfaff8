/* url.h - what a link or image URL points at, and how to write it in XML. */
#ifndef GALLEY_URL_H
#define GALLEY_URL_H

#include "buf.h"

typedef enum {
  URL_EMPTY,     /* "" */
  URL_FRAGMENT,  /* "#anchor" inside this document */
  URL_REMOTE,    /* http, https, ftp, mailto, tel */
  URL_RELATIVE,  /* a path with no scheme */
  URL_DANGEROUS, /* javascript:, vbscript:, data:, file: and other schemes */
} url_kind;

url_kind url_classify(const char *url);

/* For a URL_REMOTE url: 0 when its host cannot be parsed (no host, a label
 * that is empty, characters no host name has), so no reader can follow it. */
int url_host_is_valid(const char *url);

/* Appends url percent-encoded where RFC 3986 needs it (ASCII out). */
void url_percent_encode(buf *out, const char *url);

/* The same, then XML-escaped for an attribute. */
void url_escape_href(buf *out, const char *url);

/* Decodes %XX escapes into out; returns -1 for a malformed escape or %00. */
int url_percent_decode(const char *in, buf *out);

#endif

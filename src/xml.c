/* xml.c - XML escaping. */
#include "xml.h"

#include <string.h>

void xml_escape(buf *out, const char *s, size_t len) {
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *rep = NULL;
    size_t skip = 1;
    if (c == '&')
      rep = "&amp;";
    else if (c == '<')
      rep = "&lt;";
    else if (c == '>')
      rep = "&gt;";
    else if (c == '"')
      rep = "&quot;";
    else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      rep = ""; /* forbidden (0x7F is allowed but never wanted) */
    else if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
             ((unsigned char)s[i + 2] == 0xBE ||
              (unsigned char)s[i + 2] == 0xBF))
      rep = "", skip = 3; /* U+FFFE, U+FFFF */
    if (!rep)
      continue;
    buf_put(out, s + run, i - run);
    buf_puts(out, rep);
    i += skip - 1;
    run = i + 1;
  }
  buf_put(out, s + run, len - run);
}

void xml_escape_str(buf *out, const char *s) { xml_escape(out, s, strlen(s)); }

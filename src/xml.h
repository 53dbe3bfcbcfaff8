/* xml.h - text into XML. */
#ifndef GALLEY_XML_H
#define GALLEY_XML_H

#include <stddef.h>

#include "buf.h"

/* Appends s escaped for XML text and attribute values, leaving out the
 * characters XML 1.0 forbids (C0 controls but tab and newline, U+FFFE,
 * U+FFFF).  Input must be valid UTF-8. */
void xml_escape(buf *out, const char *s, size_t len);
void xml_escape_str(buf *out, const char *s);

#endif

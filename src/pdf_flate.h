/* pdf_flate.h - stream data deflated by galley rather than by libharu. */
#ifndef GALLEY_PDF_FLATE_H
#define GALLEY_PDF_FLATE_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stddef.h>

/* zlib levels.  Page contents, maps and CMaps at 5.  Font programs (most
 * of a Chinese document's bytes) at 3: a quarter less work than at 5 for
 * a CJK subset, for 4% more bytes. */
enum { PDF_FLATE_CONTENTS = 5, PDF_FLATE_FONTS = 3 };

/* Writes len bytes into the stream dictionary s, deflated at level, and
 * marks it /FlateDecode.  0, or -1 (libharu's error handler has been
 * told). */
int pdf_flate_write(HPDF_Dict s, const void *bytes, size_t len, int level);

/* Replaces what the stream dictionary s holds with the same, deflated at
 * level. */
int pdf_flate_stream(HPDF_Dict s, int level);

#endif

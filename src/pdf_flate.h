/* pdf_flate.h - stream data deflated by galley rather than by libharu. */
#ifndef GALLEY_PDF_FLATE_H
#define GALLEY_PDF_FLATE_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stddef.h>

/* libdeflate levels (1-12) for page contents, maps and CMaps, and for font
 * programs (most of a Chinese document's bytes).  Against zlib at 5 and 3
 * before: a Chinese article 3% smaller for 27% fewer instructions in
 * deflate; the manual 0.5% smaller.  Fonts at 6 would save another 1.3% of
 * a Chinese article's bytes for 5% more instructions in all. */
enum { PDF_FLATE_CONTENTS = 6, PDF_FLATE_FONTS = 4 };

/* Writes len bytes into the stream dictionary s, deflated at level, and
 * marks it /FlateDecode.  0, or -1 (libharu's error handler has been
 * told). */
int pdf_flate_write(HPDF_Dict s, const void *bytes, size_t len, int level);

/* Replaces what the stream dictionary s holds with the same, deflated at
 * level. */
int pdf_flate_stream(HPDF_Dict s, int level);

/* Frees the compressors kept for the process. */
void pdf_flate_cleanup(void);

#endif

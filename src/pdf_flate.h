/* pdf_flate.h - stream data deflated by galley rather than by libharu. */
#ifndef GALLEY_PDF_FLATE_H
#define GALLEY_PDF_FLATE_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stddef.h>

/* Writes len bytes into the stream dictionary s, deflated, and marks it
 * /FlateDecode.  0, or -1 (libharu's error handler has been told). */
int pdf_flate_write(HPDF_Dict s, const void *bytes, size_t len);

/* Replaces what the stream dictionary s holds with the same, deflated. */
int pdf_flate_stream(HPDF_Dict s);

#endif

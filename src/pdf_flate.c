/* pdf_flate.c - deflating streams here rather than in libharu.
 *
 * libharu deflates at zlib's default level 6, and deflate was the largest
 * part of writing a PDF (a third of a batch's instructions, most of them on
 * the CJK font programs and the page contents).  Lower levels, chosen in
 * pdf_flate.h, cost a Chinese article 14% fewer instructions in all and
 * the 150-page manual 4%, for files 3% and 0.5% larger.  libharu writes a
 * stream's bytes as they are when its filter is NONE, and drops any
 * /Filter entry then; the dictionary's write hook, called before its
 * closing ">>", puts the /Filter back. */
#include "pdf_flate.h"

#include <hpdf_streams.h>
#include <stdlib.h>
#include <zlib.h>

#include "buf.h"

static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream out) {
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

int pdf_flate_write(HPDF_Dict s, const void *bytes, size_t len, int level) {
  uLongf cap = compressBound((uLong)len);
  Bytef *z = malloc(cap ? cap : 1);
  if (!z)
    abort();
  int rc = compress2(z, &cap, (const Bytef *)bytes, (uLong)len, level);
  if (rc == Z_OK &&
      HPDF_Stream_Write(s->stream, z, (HPDF_UINT)cap) == HPDF_OK) {
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_filter;
  } else if (rc != Z_OK) {
    HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, (HPDF_STATUS)rc);
  }
  free(z);
  return rc == Z_OK && s->write_fn ? 0 : -1;
}

int pdf_flate_stream(HPDF_Dict s, int level) {
  buf data = {0};
  HPDF_UINT n = HPDF_MemStream_GetBufCount(s->stream);
  for (HPDF_UINT i = 0; i < n; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(s->stream, i, &len);
    if (p && len)
      buf_put(&data, p, len);
  }
  HPDF_MemStream_FreeData(s->stream);
  int rc = pdf_flate_write(s, data.data ? data.data : "", data.len, level);
  buf_free(&data);
  return rc;
}

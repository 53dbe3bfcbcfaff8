/* pdf_flate.c - deflating streams here rather than in libharu.
 *
 * libharu deflates with zlib at level 6, and deflate was the largest part
 * of writing a PDF (two fifths of a batch's time, most of it on the CJK
 * font programs and the page contents).  libdeflate compresses a whole
 * buffer at once, which is all a PDF stream needs, in about half zlib's
 * time for files as small or smaller; one compressor per level serves the
 * whole process.  libharu writes a stream's bytes as they are when its
 * filter is NONE, and drops any /Filter entry then; the dictionary's write
 * hook, called before its closing ">>", puts the /Filter back. */
#include "pdf_flate.h"

#include <hpdf_streams.h>
#include <libdeflate.h>
#include <stdlib.h>

#include "buf.h"
#include "oom.h"

static struct libdeflate_compressor *compressors[13]; /* by level, 1-12 */

static struct libdeflate_compressor *compressor(int level) {
  if (level < 1 || level > 12)
    level = 6;
  if (!compressors[level])
    compressors[level] = libdeflate_alloc_compressor(level);
  return compressors[level];
}

static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream out) {
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

int pdf_flate_write(HPDF_Dict s, const void *bytes, size_t len, int level) {
  struct libdeflate_compressor *c = compressor(level);
  if (!c) {
    HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    return -1;
  }
  size_t cap = libdeflate_zlib_compress_bound(c, len);
  void *z = malloc(cap);
  if (!z)
    out_of_memory();
  size_t n = libdeflate_zlib_compress(c, bytes, len, z, cap);
  if (n == 0) /* cannot happen with a buffer of the bound's size */
    HPDF_SetError(s->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
  else if (HPDF_Stream_Write(s->stream, z, (HPDF_UINT)n) == HPDF_OK) {
    s->filter = HPDF_STREAM_FILTER_NONE;
    s->write_fn = write_filter;
  }
  free(z);
  return n && s->write_fn ? 0 : -1;
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

void pdf_flate_cleanup(void) {
  for (size_t i = 0; i < sizeof compressors / sizeof *compressors; i++) {
    libdeflate_free_compressor(compressors[i]);
    compressors[i] = NULL;
  }
}

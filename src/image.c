/* image.c - images decoded or parsed once, before either writer sees them.
 *
 * The program links no shared library but libc, so the decoders are
 * loaded with dlopen when the first image of a run is checked (by the
 * soname their headers belong to), each function looked up with the type
 * its header declares.  Every decoder reads through one source (a file or
 * bytes in memory) and reports through longjmp or an error code, never by
 * ending the process. */
#include "image.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gif_lib.h>
#include <jerror.h>
#include <jpeglib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <png.h>

#include "buf.h"
#include "image_svg.h"
#include "oom.h"
#include "resource.h"
#include "strmap.h"
#include "url.h"

/* ---- the libraries, loaded on first use ---- */

#define PNG_FNS(X)                                                             \
  X(png_create_read_struct) X(png_create_info_struct)                          \
  X(png_destroy_read_struct) X(png_set_longjmp_fn) X(png_longjmp)              \
  X(png_error) X(png_get_error_ptr) X(png_set_read_fn) X(png_get_io_ptr)       \
  X(png_set_user_limits) X(png_read_info) X(png_get_IHDR) X(png_set_expand)    \
  X(png_set_strip_16) X(png_set_gray_to_rgb) X(png_set_add_alpha)              \
  X(png_set_interlace_handling) X(png_read_update_info) X(png_get_rowbytes)    \
  X(png_read_row) X(png_read_end) X(png_get_valid)
#define JPEG_FNS(X)                                                            \
  X(jpeg_std_error) X(jpeg_CreateDecompress) X(jpeg_destroy_decompress)        \
  X(jpeg_read_header) X(jpeg_start_decompress) X(jpeg_read_scanlines)          \
  X(jpeg_finish_decompress) X(jpeg_resync_to_restart)
#define GIF_FNS(X)                                                             \
  X(DGifOpen) X(DGifCloseFile) X(DGifGetRecordType) X(DGifGetImageDesc)        \
  X(DGifGetLine) X(DGifGetExtension) X(DGifGetExtensionNext) X(GifErrorString)
#define XML_FNS(X)                                                             \
  X(xmlReadMemory) X(xmlFreeDoc) X(xmlDocGetRootElement) X(xmlUnlinkNode)      \
  X(xmlFreeNode) X(xmlRemoveProp) X(xmlNodeSetName) X(xmlSaveToIO)            \
  X(xmlSaveDoc) X(xmlSaveClose)

#define MEMBER(f) __typeof__(f) *f;
static struct { int tried, ok; PNG_FNS(MEMBER) } pl;
static struct { int tried, ok; JPEG_FNS(MEMBER) } jl;
static struct { int tried, ok; GIF_FNS(MEMBER) } gl;
static struct { int tried, ok; XML_FNS(MEMBER) } xl;

/* memcpy, since ISO C has no cast from an object to a function pointer */
#define LOOKUP(f)                                                              \
  if (ok) {                                                                    \
    void *sym = dlsym(h, #f);                                                  \
    if (sym)                                                                   \
      memcpy(&L.f, &sym, sizeof sym);                                          \
    else                                                                       \
      ok = 0;                                                                  \
  }
#define LOAD(lib, soname, FNS)                                                 \
  do {                                                                         \
    if (!lib.tried) {                                                          \
      lib.tried = 1;                                                           \
      void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);                         \
      int ok = h != NULL;                                                      \
      FNS(LOOKUP)                                                              \
      lib.ok = ok;                                                             \
    }                                                                          \
  } while (0)

#define STR_(x) #x
#define STR(x) STR_(x)

static int load_png(void) {
#define L pl
  LOAD(pl, "libpng" STR(PNG_LIBPNG_VER_DLLNUM) ".so." STR(PNG_LIBPNG_VER_SONUM),
       PNG_FNS);
#undef L
  return pl.ok;
}
static int load_jpeg(void) {
#define L jl
  LOAD(jl, "libjpeg.so." STR(JPEG_LIB_VERSION), JPEG_FNS);
#undef L
  return jl.ok;
}
static int load_gif(void) {
#define L gl
  /* giflib 5.1 and 5.2 both have soname 7 */
  LOAD(gl, "libgif.so.7", GIF_FNS);
#undef L
  return gl.ok;
}
static int load_xml(void) {
#define L xl
  LOAD(xl, "libxml2.so.2", XML_FNS);
#undef L
  return xl.ok;
}

/* ---- where bytes come from ---- */

typedef struct {
  FILE *f;
  const unsigned char *p;
  size_t len, pos;
} source;

static size_t source_read(source *s, void *out, size_t n) {
  if (s->f)
    return fread(out, 1, n, s->f);
  size_t left = s->len - s->pos;
  if (n > left)
    n = left;
  memcpy(out, s->p + s->pos, n);
  s->pos += n;
  return n;
}

/* ---- shrinking by averaging, a row at a time ---- */

/* Rows come in as RGB, or RGBA when the image has transparency (in_ch 3 or
 * 4); they go out as RGB (alpha composited onto white) or, when the caller
 * keeps alpha, RGBA (ch 3 or 4).  Colours with alpha are averaged weighted
 * by it, so transparent pixels lend the edges no colour. */
typedef struct {
  unsigned max_w, max_h; /* the box to fit */
  int keep_alpha;        /* RGBA out when the rows have alpha */
  unsigned sw, sh;       /* source size as fed */
  unsigned ow, oh;       /* output size */
  int in_ch, ch;         /* channels in and out */
  unsigned char *out;    /* ow * oh * ch */
  uint64_t *acc;         /* sums for the output row being built */
  unsigned *cols;        /* source columns per output column */
  unsigned *col_of;      /* output column of each source column */
  unsigned y, oy, rows_in;
  int same; /* no shrinking: rows go straight to out */
} shrink;

static int shrink_begin(shrink *s, unsigned sw, unsigned sh, int alpha) {
  s->sw = sw, s->sh = sh;
  s->ow = sw, s->oh = sh;
  s->in_ch = alpha ? 4 : 3;
  s->ch = alpha && s->keep_alpha ? 4 : 3;
  if (sw > s->max_w || sh > s->max_h) {
    double k = (double)s->max_w / sw;
    if ((double)s->max_h / sh < k)
      k = (double)s->max_h / sh;
    s->ow = (unsigned)(sw * k + 0.5);
    s->oh = (unsigned)(sh * k + 0.5);
    s->ow = s->ow < 1 ? 1 : s->ow > sw ? sw : s->ow;
    s->oh = s->oh < 1 ? 1 : s->oh > sh ? sh : s->oh;
  }
  s->same = s->ow == sw && s->oh == sh;
  s->out = calloc((size_t)s->ow * s->oh, (size_t)s->ch);
  s->acc = calloc((size_t)s->ow * s->ch, sizeof *s->acc);
  s->cols = calloc(s->ow, sizeof *s->cols);
  s->col_of = calloc(sw, sizeof *s->col_of);
  if (!s->out || !s->acc || !s->cols || !s->col_of)
    return -1;
  for (unsigned x = 0; x < sw; x++) {
    s->col_of[x] = (unsigned)((uint64_t)x * s->ow / sw);
    s->cols[s->col_of[x]]++;
  }
  return 0;
}

static void shrink_flush(shrink *s) {
  if (s->same || !s->rows_in || s->oy >= s->oh)
    return;
  int ch = s->ch;
  unsigned char *o = s->out + (size_t)s->oy * s->ow * ch;
  for (unsigned x = 0; x < s->ow; x++) {
    uint64_t n = (uint64_t)s->cols[x] * s->rows_in;
    const uint64_t *a = s->acc + (size_t)ch * x;
    if (ch == 3) {
      for (int k = 0; k < 3; k++)
        o[3 * x + k] = (unsigned char)((a[k] + n / 2) / n);
    } else {
      uint64_t w = a[3]; /* the colours are sums of colour times alpha */
      for (int k = 0; k < 3; k++)
        o[4 * x + k] = (unsigned char)(w ? (a[k] + w / 2) / w : 0);
      o[4 * x + 3] = (unsigned char)((w + n / 2) / n);
    }
  }
  memset(s->acc, 0, (size_t)s->ow * ch * sizeof *s->acc);
  s->rows_in = 0;
}

/* One source row, of in_ch channels. */
static void shrink_row(shrink *s, const unsigned char *px) {
  if (s->y >= s->sh)
    return;
  if (s->same) {
    unsigned char *o = s->out + (size_t)s->y++ * s->ow * s->ch;
    if (s->in_ch == s->ch) {
      memcpy(o, px, (size_t)s->sw * s->ch);
      return;
    }
    for (unsigned x = 0; x < s->sw; x++) { /* onto white */
      unsigned al = px[4 * x + 3];
      for (int k = 0; k < 3; k++)
        o[3 * x + k] =
            (unsigned char)((px[4 * x + k] * al + 255 * (255 - al) + 127) / 255);
    }
    return;
  }
  unsigned oy = (unsigned)((uint64_t)s->y * s->oh / s->sh);
  if (oy != s->oy)
    shrink_flush(s), s->oy = oy;
  uint64_t *a = s->acc;
  const unsigned *col_of = s->col_of;
  if (s->in_ch == 3) {
    for (unsigned x = 0; x < s->sw; x++) {
      unsigned ox = col_of[x];
      a[3 * ox] += px[3 * x];
      a[3 * ox + 1] += px[3 * x + 1];
      a[3 * ox + 2] += px[3 * x + 2];
    }
  } else if (s->ch == 3) {
    /* onto white */
    for (unsigned x = 0; x < s->sw; x++) {
      unsigned ox = col_of[x], al = px[4 * x + 3];
      for (int k = 0; k < 3; k++)
        a[3 * ox + k] += (px[4 * x + k] * al + 255 * (255 - al) + 127) / 255;
    }
  } else {
    for (unsigned x = 0; x < s->sw; x++) {
      unsigned ox = col_of[x], al = px[4 * x + 3];
      for (int k = 0; k < 3; k++)
        a[4 * ox + k] += (uint64_t)px[4 * x + k] * al;
      a[4 * ox + 3] += al;
    }
  }
  s->rows_in++;
  s->y++;
}

static void shrink_free(shrink *s) {
  free(s->out);
  free(s->acc);
  free(s->cols);
  free(s->col_of);
  s->out = NULL, s->acc = NULL, s->cols = NULL, s->col_of = NULL;
}

/* ---- PNG ---- */

typedef struct {
  char *msg; /* 128 bytes */
} png_errors;

static void png_on_error(png_structp png, png_const_charp msg) {
  png_errors *e = pl.png_get_error_ptr(png);
  snprintf(e->msg, 128, "%s", msg ? msg : "unknown error");
  pl.png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg) {
  (void)png; /* an ancillary chunk's bad CRC: libpng drops the chunk */
  (void)msg;
}

static void png_read_cb(png_structp png, png_bytep out, size_t n) {
  if (source_read(pl.png_get_io_ptr(png), out, n) != n)
    pl.png_error(png, "the file ends early");
}

/* Interlaced PNGs above this are read from their last pass alone when an
 * output is wanted (its rows are every other row, whole). */
#define PNG_WHOLE_MAX (4u * 1024 * 1024)

static image_status png_run(source *src, shrink *out, unsigned long long limit,
                            unsigned *width, unsigned *height,
                            unsigned long long *pixels, char *msg) {
  png_errors e = {msg};
  png_structp png = pl.png_create_read_struct(PNG_LIBPNG_VER_STRING, &e,
                                              png_on_error, png_on_warning);
  png_infop info = png ? pl.png_create_info_struct(png) : NULL;
  /* volatile: they change between setjmp and a longjmp back to it */
  volatile image_status st = IMAGE_BAD;
  unsigned char *volatile row = NULL, *volatile whole = NULL;
  if (!png || !info) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  if (setjmp(*pl.png_set_longjmp_fn(png, longjmp, sizeof(jmp_buf))))
    goto done;
  pl.png_set_read_fn(png, src, png_read_cb);
  pl.png_set_user_limits(png, 100000, 100000);
  pl.png_read_info(png, info);
  png_uint_32 w = 0, h = 0;
  int depth = 0, color = 0, interlace = 0;
  pl.png_get_IHDR(png, info, &w, &h, &depth, &color, &interlace, NULL, NULL);
  unsigned long long n = (unsigned long long)w * h;
  if (n > IMAGE_MAX_PIXELS) {
    snprintf(msg, 128, "over %llu M pixels", IMAGE_MAX_PIXELS >> 20);
    goto done;
  }
  if (n > limit) {
    st = IMAGE_OVER;
    goto done;
  }
  int last_pass_only = 0, passes = 1;
  /* alpha (a channel or a tRNS chunk) is read as RGBA; an image without it
   * as RGB straight away */
  int alpha = (color & PNG_COLOR_MASK_ALPHA) ||
              pl.png_get_valid(png, info, PNG_INFO_tRNS);
  if (out) {
    pl.png_set_expand(png);
    pl.png_set_strip_16(png);
    pl.png_set_gray_to_rgb(png);
    if (alpha)
      pl.png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    last_pass_only =
        interlace != PNG_INTERLACE_NONE && n > PNG_WHOLE_MAX && h >= 2;
  }
  if (!last_pass_only)
    passes = pl.png_set_interlace_handling(png);
  pl.png_read_update_info(png, info);
  size_t stride = pl.png_get_rowbytes(png, info);
  row = malloc(stride ? stride : 1);
  if (!row) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  if (!out) {
    /* every row of every pass, into one row: only the reading matters */
    for (int p = 0; p < passes; p++)
      for (png_uint_32 y = 0; y < h; y++)
        pl.png_read_row(png, row, NULL);
  } else if (last_pass_only) {
    if (shrink_begin(out, w, h / 2, alpha) != 0) {
      snprintf(msg, 128, "out of memory");
      goto done;
    }
    for (int p = 0; p < 7; p++) {
      unsigned rows = PNG_PASS_COLS(w, p) ? PNG_PASS_ROWS(h, p) : 0;
      for (unsigned y = 0; y < rows; y++) {
        pl.png_read_row(png, row, NULL);
        if (p == 6)
          shrink_row(out, row);
      }
    }
  } else if (passes > 1) {
    /* interlaced and small: whole, since each pass fills in the last */
    whole = malloc((size_t)h * stride);
    if (!whole || shrink_begin(out, w, h, alpha) != 0) {
      snprintf(msg, 128, "out of memory");
      goto done;
    }
    for (int p = 0; p < passes; p++)
      for (png_uint_32 y = 0; y < h; y++)
        pl.png_read_row(png, whole + y * stride, NULL);
    for (png_uint_32 y = 0; y < h; y++)
      shrink_row(out, whole + y * stride);
  } else {
    if (shrink_begin(out, w, h, alpha) != 0) {
      snprintf(msg, 128, "out of memory");
      goto done;
    }
    for (png_uint_32 y = 0; y < h; y++) {
      pl.png_read_row(png, row, NULL);
      shrink_row(out, row);
    }
  }
  pl.png_read_end(png, NULL);
  if (out)
    shrink_flush(out);
  *width = w, *height = h, *pixels = n;
  st = IMAGE_OK;
done:
  free(row);
  free(whole);
  if (png)
    pl.png_destroy_read_struct(&png, info ? &info : NULL, NULL);
  return st;
}

/* ---- JPEG ---- */

/* Memory libjpeg may take (a progressive image is held whole, as DCT
 * coefficients: 3 to 6 bytes a pixel, so about 16 M pixels fit). */
#define JPEG_MAX_MEMORY (48l * 1024 * 1024)

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char *msg;
} jpeg_errors;

static void jpeg_fail(j_common_ptr c) {
  jpeg_errors *e = (jpeg_errors *)c->err;
  if (c->err->msg_code == JERR_NO_BACKING_STORE)
    snprintf(e->msg, 128,
             "over %ld MiB to decode: a progressive JPEG is held whole",
             JPEG_MAX_MEMORY >> 20);
  else
    c->err->format_message(c, e->msg);
  longjmp(e->jump, 1);
}

/* A warning from libjpeg means damaged data, which it would paper over
 * (a truncated file is "Premature end of JPEG file" and grey rows);
 * only notes about the metadata are let pass. */
static void jpeg_message(j_common_ptr c, int level) {
  if (level >= 0)
    return;
  switch (c->err->msg_code) {
  case JWRN_ADOBE_XFORM:
  case JWRN_JFIF_MAJOR:
  case JWRN_BOGUS_ICC:
    return;
  default:
    jpeg_fail(c);
  }
}

static void jpeg_output(j_common_ptr c) {
  (void)c;
}

typedef struct {
  struct jpeg_source_mgr pub;
  source *src;
  JOCTET bytes[16384];
} jpeg_input;

static void jpeg_src_init(j_decompress_ptr c) {
  (void)c;
}

static boolean jpeg_src_fill(j_decompress_ptr c) {
  jpeg_input *in = (jpeg_input *)c->src;
  size_t n = source_read(in->src, in->bytes, sizeof in->bytes);
  if (n == 0) {
    jpeg_errors *e = (jpeg_errors *)c->err;
    snprintf(e->msg, 128, "the file ends early");
    longjmp(e->jump, 1);
  }
  in->pub.next_input_byte = in->bytes;
  in->pub.bytes_in_buffer = n;
  return TRUE;
}

static void jpeg_src_skip(j_decompress_ptr c, long n) {
  while (n > 0) {
    if ((size_t)n <= c->src->bytes_in_buffer) {
      c->src->next_input_byte += n;
      c->src->bytes_in_buffer -= (size_t)n;
      return;
    }
    n -= (long)c->src->bytes_in_buffer;
    c->src->bytes_in_buffer = 0;
    jpeg_src_fill(c);
  }
}

static void jpeg_src_term(j_decompress_ptr c) {
  (void)c;
}

/* CMYK into RGB in place, by the plain formula (no colour profile): what
 * is printed is close, not exact.  Adobe's files store the inks inverted. */
static void cmyk_to_rgb(unsigned char *p, unsigned w, int inverted) {
  for (size_t i = 0; i < w; i++) {
    unsigned k = p[4 * i + 3];
    if (!inverted)
      k = 255 - k;
    for (int j = 0; j < 3; j++) {
      unsigned v = p[4 * i + j];
      if (!inverted)
        v = 255 - v;
      p[3 * i + j] = (unsigned char)((v * k + 127) / 255);
    }
  }
}

/* Progressive files may have any number of scans, each a pass over the
 * whole image; libjpeg-turbo's own tools stop at 500. */
#define JPEG_MAX_SCANS 500

static void jpeg_progress(j_common_ptr c) {
  if (c->is_decompressor &&
      ((j_decompress_ptr)c)->input_scan_number > JPEG_MAX_SCANS) {
    jpeg_errors *e = (jpeg_errors *)c->err;
    snprintf(e->msg, 128, "over %d progressive scans", JPEG_MAX_SCANS);
    longjmp(e->jump, 1);
  }
}

static image_status jpeg_run(source *src, shrink *out, unsigned long long limit,
                             unsigned *width, unsigned *height,
                             unsigned long long *pixels, char *msg) {
  struct jpeg_decompress_struct c;
  jpeg_errors e;
  jpeg_input in;
  struct jpeg_progress_mgr progress;
  memset(&c, 0, sizeof c);
  memset(&in, 0, sizeof in);
  memset(&progress, 0, sizeof progress);
  c.err = jl.jpeg_std_error(&e.pub);
  e.pub.error_exit = jpeg_fail;
  e.pub.emit_message = jpeg_message;
  e.pub.output_message = jpeg_output;
  e.msg = msg;
  volatile image_status st = IMAGE_BAD;
  unsigned char *volatile row = NULL;
  volatile int created = 0, cmyk = 0;
  if (setjmp(e.jump))
    goto done;
  jl.jpeg_CreateDecompress(&c, JPEG_LIB_VERSION,
                           sizeof(struct jpeg_decompress_struct));
  created = 1;
  c.mem->max_memory_to_use = JPEG_MAX_MEMORY;
  progress.progress_monitor = jpeg_progress;
  c.progress = &progress;
  in.src = src;
  in.pub.init_source = jpeg_src_init;
  in.pub.fill_input_buffer = jpeg_src_fill;
  in.pub.skip_input_data = jpeg_src_skip;
  in.pub.resync_to_restart = jl.jpeg_resync_to_restart;
  in.pub.term_source = jpeg_src_term;
  c.src = &in.pub;
  jl.jpeg_read_header(&c, TRUE);
  unsigned long long n = (unsigned long long)c.image_width * c.image_height;
  if (n > IMAGE_MAX_PIXELS) {
    snprintf(msg, 128, "over %llu M pixels", IMAGE_MAX_PIXELS >> 20);
    goto done;
  }
  if (n > limit) {
    st = IMAGE_OVER;
    goto done;
  }
  if (!out) {
    /* every coefficient is still decoded, but only one value per block
     * is transformed back into pixels */
    c.scale_num = 1, c.scale_denom = 8;
  } else {
    if (c.num_components == 4) {
      c.out_color_space = JCS_CMYK; /* made RGB below, row by row */
      cmyk = 1;
    } else if (c.num_components == 1 || c.num_components == 3) {
      c.out_color_space = JCS_RGB;
    } else {
      snprintf(msg, 128, "%d colour components", c.num_components);
      goto done;
    }
    /* the largest reduction libjpeg does itself (1/2, 1/4, 1/8) that
     * keeps at least the pixels the box needs */
    double k = 1;
    if (c.image_width > out->max_w || c.image_height > out->max_h) {
      k = (double)out->max_w / c.image_width;
      if ((double)out->max_h / c.image_height < k)
        k = (double)out->max_h / c.image_height;
    }
    unsigned d = 8;
    while (d > 1 && (((c.image_width + d - 1) / d) < c.image_width * k ||
                     ((c.image_height + d - 1) / d) < c.image_height * k))
      d /= 2;
    c.scale_num = 1, c.scale_denom = d;
  }
  jl.jpeg_start_decompress(&c);
  size_t stride = (size_t)c.output_width * c.output_components;
  row = malloc(stride ? stride : 1);
  if (!row || (out && shrink_begin(out, c.output_width, c.output_height, 0))) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  while (c.output_scanline < c.output_height) {
    JSAMPROW rows[1] = {row};
    if (jl.jpeg_read_scanlines(&c, rows, 1) != 1) {
      snprintf(msg, 128, "the file ends early");
      goto done;
    }
    if (out && cmyk)
      cmyk_to_rgb(row, c.output_width, c.saw_Adobe_marker);
    if (out)
      shrink_row(out, row);
  }
  jl.jpeg_finish_decompress(&c);
  if (out)
    shrink_flush(out);
  *width = c.image_width, *height = c.image_height, *pixels = n;
  st = IMAGE_OK;
done:
  free(row);
  if (created)
    jl.jpeg_destroy_decompress(&c);
  return st;
}

/* ---- GIF (checked, not drawn) ---- */

static int gif_read_cb(GifFileType *g, GifByteType *out, int n) {
  return n > 0 ? (int)source_read(g->UserData, out, (size_t)n) : 0;
}

#define GIF_MAX_FRAMES 10000

static image_status gif_run(source *src, unsigned long long limit,
                            unsigned *width, unsigned *height,
                            unsigned long long *pixels, char *msg) {
  int err = 0;
  GifFileType *g = gl.DGifOpen(src, gif_read_cb, &err);
  if (!g) {
    const char *s = gl.GifErrorString(err);
    snprintf(msg, 128, "%s", s ? s : "cannot be opened");
    return IMAGE_BAD;
  }
  image_status st = IMAGE_BAD;
  unsigned long long n = 0;
  unsigned frames = 0;
  GifPixelType *row = NULL;
  int failed = 0;
  if (g->SWidth <= 0 || g->SHeight <= 0) {
    snprintf(msg, 128, "no screen size");
    goto done;
  }
  for (;;) {
    GifRecordType type;
    if (gl.DGifGetRecordType(g, &type) == GIF_ERROR) {
      failed = 1;
      break;
    }
    if (type == TERMINATE_RECORD_TYPE)
      break;
    if (type == EXTENSION_RECORD_TYPE) {
      int code;
      GifByteType *ext = NULL;
      if (gl.DGifGetExtension(g, &code, &ext) == GIF_ERROR) {
        failed = 1;
        break;
      }
      while (ext && !failed)
        failed = gl.DGifGetExtensionNext(g, &ext) == GIF_ERROR;
      if (failed)
        break;
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) {
      snprintf(msg, 128, "an unknown record");
      goto done;
    }
    if (gl.DGifGetImageDesc(g) == GIF_ERROR) {
      failed = 1;
      break;
    }
    int fw = g->Image.Width, fh = g->Image.Height;
    if (fw <= 0 || fh <= 0 || ++frames > GIF_MAX_FRAMES) {
      snprintf(msg, 128, fw <= 0 || fh <= 0 ? "an empty frame"
                                            : "over 10000 frames");
      goto done;
    }
    n += (unsigned long long)fw * fh;
    if (n > IMAGE_MAX_PIXELS) {
      snprintf(msg, 128, "over %llu M pixels", IMAGE_MAX_PIXELS >> 20);
      goto done;
    }
    if (n > limit) {
      st = IMAGE_OVER;
      goto done;
    }
    GifPixelType *grown = realloc(row, (size_t)fw);
    if (!grown) {
      snprintf(msg, 128, "out of memory");
      goto done;
    }
    row = grown;
    for (int y = 0; y < fh && !failed; y++)
      failed = gl.DGifGetLine(g, row, fw) == GIF_ERROR;
    if (failed)
      break;
  }
  if (failed) {
    const char *s = gl.GifErrorString(g->Error);
    snprintf(msg, 128, "%s", s ? s : "unreadable");
  } else if (!frames) {
    snprintf(msg, 128, "no image in it");
  } else {
    *width = (unsigned)g->SWidth, *height = (unsigned)g->SHeight;
    *pixels = n;
    st = IMAGE_OK;
  }
done:
  free(row);
  gl.DGifCloseFile(g, &err);
  return st;
}

/* The first frame of a GIF on its logical screen, as RGBA rows (RGB when
 * nothing is transparent): a frame smaller than the screen leaves the rest
 * transparent, as browsers show it, and the transparent colour of the
 * frame's graphic control extension is too.  The file was checked whole
 * before (gif_run). */
static image_status gif_first_frame(source *src, shrink *out, unsigned *width,
                                    unsigned *height, char *msg) {
  int err = 0;
  GifFileType *g = gl.DGifOpen(src, gif_read_cb, &err);
  if (!g) {
    const char *s = gl.GifErrorString(err);
    snprintf(msg, 128, "%s", s ? s : "cannot be opened");
    return IMAGE_BAD;
  }
  image_status st = IMAGE_BAD;
  GifPixelType *idx = NULL;
  unsigned char *row = NULL;
  int transparent = -1, failed = 0;
  unsigned sw = g->SWidth > 0 ? (unsigned)g->SWidth : 0,
           sh = g->SHeight > 0 ? (unsigned)g->SHeight : 0;
  if (!sw || !sh || (unsigned long long)sw * sh > IMAGE_MAX_PIXELS) {
    snprintf(msg, 128, "a screen of %u x %u pixels", sw, sh);
    goto done;
  }
  for (;;) {
    GifRecordType type;
    if (gl.DGifGetRecordType(g, &type) == GIF_ERROR) {
      failed = 1;
      break;
    }
    if (type == TERMINATE_RECORD_TYPE) {
      snprintf(msg, 128, "no image in it");
      goto done;
    }
    if (type == EXTENSION_RECORD_TYPE) {
      int code;
      GifByteType *ext = NULL;
      if (gl.DGifGetExtension(g, &code, &ext) == GIF_ERROR) {
        failed = 1;
        break;
      }
      /* graphic control: flags, delay (2 bytes), transparent index */
      if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4)
        transparent = (ext[1] & 1) ? ext[4] : -1;
      while (ext && !failed)
        failed = gl.DGifGetExtensionNext(g, &ext) == GIF_ERROR;
      if (failed)
        break;
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) {
      snprintf(msg, 128, "an unknown record");
      goto done;
    }
    if (gl.DGifGetImageDesc(g) == GIF_ERROR) {
      failed = 1;
      break;
    }
    break;
  }
  if (failed) {
    const char *s = gl.GifErrorString(g->Error);
    snprintf(msg, 128, "%s", s ? s : "unreadable");
    goto done;
  }
  const GifImageDesc *d = &g->Image;
  const ColorMapObject *map = d->ColorMap ? d->ColorMap : g->SColorMap;
  if (!map || !map->Colors || map->ColorCount <= 0) {
    snprintf(msg, 128, "no colour table");
    goto done;
  }
  unsigned fw = d->Width > 0 ? (unsigned)d->Width : 0,
           fh = d->Height > 0 ? (unsigned)d->Height : 0;
  if (!fw || !fh || (unsigned long long)fw * fh > IMAGE_MAX_PIXELS) {
    snprintf(msg, 128, "a frame of %u x %u pixels", fw, fh);
    goto done;
  }
  idx = malloc((size_t)fw * fh);
  row = malloc((size_t)sw * 4);
  if (!idx || !row) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  /* an interlaced frame's rows come in four passes */
  static const unsigned start[] = {0, 4, 2, 1}, step[] = {8, 8, 4, 2};
  for (int p = 0; p < (d->Interlace ? 4 : 1) && !failed; p++)
    for (unsigned y = d->Interlace ? start[p] : 0; y < fh && !failed;
         y += d->Interlace ? step[p] : 1)
      failed = gl.DGifGetLine(g, idx + (size_t)y * fw, (int)fw) == GIF_ERROR;
  if (failed) {
    const char *s = gl.GifErrorString(g->Error);
    snprintf(msg, 128, "%s", s ? s : "unreadable");
    goto done;
  }
  unsigned left = d->Left > 0 ? (unsigned)d->Left : 0,
           top = d->Top > 0 ? (unsigned)d->Top : 0;
  int alpha = transparent >= 0 || left > 0 || top > 0 ||
              (unsigned long long)left + fw < sw ||
              (unsigned long long)top + fh < sh;
  if (shrink_begin(out, sw, sh, alpha) != 0) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  int ch = alpha ? 4 : 3;
  for (unsigned y = 0; y < sh; y++) {
    memset(row, 0, (size_t)sw * ch);
    if (y >= top && y - top < fh) {
      const GifPixelType *in = idx + (size_t)(y - top) * fw;
      for (unsigned x = left; x < sw && x - left < fw; x++) {
        int i = in[x - left];
        if (i == transparent)
          continue;
        /* an index past the table is black, as giflib's own tools draw it */
        unsigned char *o = row + (size_t)x * ch;
        if (i < map->ColorCount)
          o[0] = map->Colors[i].Red, o[1] = map->Colors[i].Green,
          o[2] = map->Colors[i].Blue;
        if (alpha)
          o[3] = 255;
      }
    }
    shrink_row(out, row);
  }
  shrink_flush(out);
  *width = sw, *height = sh;
  st = IMAGE_OK;
done:
  free(idx);
  free(row);
  gl.DGifCloseFile(g, &err);
  return st;
}

/* ---- SVG ---- */

static int has_prefix(const char *s, const char *prefix) {
  return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A data: URI of a raster image (it cannot reach out or run anything). */
static int data_image(const char *v) {
  static const char *const ok[] = {"data:image/png", "data:image/jpeg",
                                   "data:image/gif"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    if (has_prefix(v, ok[i]) &&
        (v[strlen(ok[i])] == ';' || v[strlen(ok[i])] == ','))
      return 1;
  return 0;
}

/* True when a value (an attribute, a style sheet) could reach outside the
 * file or run code: url() other than #fragment or a data: image, @import,
 * javascript:, expression(), or any CSS escape, which could spell those. */
static int reaches_out(const char *v) {
  if (strchr(v, '\\'))
    return 1;
  for (const char *p = v; *p; p++) {
    if (has_prefix(p, "@import") || has_prefix(p, "javascript:") ||
        has_prefix(p, "vbscript:") || has_prefix(p, "expression("))
      return 1;
    if (has_prefix(p, "url(")) {
      const char *q = p + 4;
      while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' ||
             *q == '"' || *q == '\'')
        q++;
      if (*q != '#' && !data_image(q))
        return 1;
    }
  }
  return 0;
}

/* The text of a node's children (an attribute's value, a style sheet). */
static void text_of(xmlNodePtr first, buf *out) {
  out->len = 0;
  for (xmlNodePtr k = first; k; k = k->next)
    if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
        k->content)
      buf_puts(out, (const char *)k->content);
  buf_putc(out, '\0');
}

static const char *const SVG_NS = "http://www.w3.org/2000/svg";

static int drop_element(xmlNodePtr n, buf *scratch) {
  static const char *const banned[] = {
      "script", "foreignObject", "iframe",  "embed",  "object",
      "handler", "listener",     "audio",   "video",  "frame",
      "frameset", "applet",      "link",    "meta",   "base"};
  const char *name = (const char *)n->name;
  for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
    if (strcasecmp(name, banned[i]) == 0)
      return 1;
  /* XHTML inside the drawing could carry anything */
  if (n->ns && n->ns->href &&
      strcmp((const char *)n->ns->href, "http://www.w3.org/1999/xhtml") == 0)
    return 1;
  if (strcasecmp(name, "style") == 0) {
    text_of(n->children, scratch);
    return reaches_out(scratch->data);
  }
  /* an animation may set an href or a handler later */
  if (strcasecmp(name, "set") == 0 || has_prefix(name, "animate")) {
    for (xmlAttrPtr a = n->properties; a; a = a->next)
      if (strcasecmp((const char *)a->name, "attributeName") == 0) {
        text_of(a->children, scratch);
        const char *v = scratch->data;
        const char *colon = strchr(v, ':');
        if (colon)
          v = colon + 1;
        if (strcasecmp(v, "href") == 0 || has_prefix(v, "on"))
          return 1;
      }
  }
  return 0;
}

static int clean_attributes(xmlNodePtr n, buf *scratch) {
  int dropped = 0;
  for (xmlAttrPtr a = n->properties, next; a; a = next) {
    next = a->next;
    const char *name = (const char *)a->name;
    text_of(a->children, scratch);
    const char *v = scratch->data;
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
      v++;
    int bad = has_prefix(name, "on") || reaches_out(v);
    if (strcasecmp(name, "href") == 0 || strcasecmp(name, "src") == 0)
      bad = bad || !(v[0] == '#' || data_image(v));
    if (strcasecmp(name, "base") == 0 && a->ns) /* xml:base */
      bad = 1;
    if (bad) {
      xl.xmlRemoveProp(a);
      dropped = 1;
    }
  }
  return dropped;
}

static void unlink_anchor(xmlNodePtr n) {
  static const char *const link_only[] = {"target", "download", "ping", "rel",
                                          "hreflang", "referrerpolicy", "type"};
  xl.xmlNodeSetName(n, (const xmlChar *)"g");
  for (xmlAttrPtr a = n->properties, next; a; a = next) {
    next = a->next;
    int drop = a->ns && a->ns->href &&
               strcmp((const char *)a->ns->href,
                      "http://www.w3.org/1999/xlink") == 0;
    for (size_t i = 0; i < sizeof link_only / sizeof *link_only && !drop; i++)
      drop = !a->ns && strcmp((const char *)a->name, link_only[i]) == 0;
    if (drop || strcmp((const char *)a->name, "href") == 0)
      xl.xmlRemoveProp(a);
  }
}

/* The node after n in document order, skipping n's children; NULL past
 * the end of top's subtree. */
static xmlNodePtr next_outside(xmlNodePtr n, xmlNodePtr top) {
  while (n && n != top && !n->next)
    n = n->parent;
  return n && n != top ? n->next : NULL;
}

static int save_cb(void *ctx, const char *bytes, int len) {
  buf_put(ctx, bytes, (size_t)len);
  return len;
}

static int close_cb(void *ctx) {
  (void)ctx;
  return 0;
}

static char svg_why[160];

char *image_svg_clean(const unsigned char *bytes, size_t len, size_t *out_len,
                      const char **why) {
  *why = svg_why;
  if (len > IMAGE_SVG_MAX_BYTES) {
    snprintf(svg_why, sizeof svg_why, "the SVG is over %u MiB",
             IMAGE_SVG_MAX_BYTES >> 20);
    return NULL;
  }
  if (!load_xml()) {
    snprintf(svg_why, sizeof svg_why, "libxml2 (libxml2.so.2) is missing");
    return NULL;
  }
  /* UTF-8 is forced below, so a DOCTYPE cannot hide in another encoding;
   * refused outright, entities and all (no "billion laughs") */
  if (memmem(bytes, len, "<!DOCTYPE", 9) || memmem(bytes, len, "<!ENTITY", 8)) {
    snprintf(svg_why, sizeof svg_why,
             "the SVG has a DOCTYPE, which galley refuses");
    return NULL;
  }
  if (len > (size_t)INT32_MAX)
    return NULL;
  /* no network, no DTD, no entity expansion; nesting is bounded by
   * libxml2's default depth limit (XML_PARSE_HUGE is not given) */
  xmlDocPtr d = xl.xmlReadMemory((const char *)bytes, (int)len, NULL, "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOERROR |
                                     XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (!d) {
    snprintf(svg_why, sizeof svg_why, "the SVG is damaged: not well-formed XML");
    return NULL;
  }
  char *result = NULL;
  buf scratch = {0}, saved = {0};
  xmlNodePtr root = xl.xmlDocGetRootElement(d);
  if (d->intSubset || d->extSubset) {
    snprintf(svg_why, sizeof svg_why,
             "the SVG has a DOCTYPE, which galley refuses");
    goto done;
  }
  if (!root || strcmp((const char *)root->name, "svg") != 0 || !root->ns ||
      strcmp((const char *)root->ns->href, SVG_NS) != 0) {
    snprintf(svg_why, sizeof svg_why,
             "the file is not an SVG (no <svg> root in the SVG namespace)");
    goto done;
  }
  /* processing instructions outside the root (xml-stylesheet) */
  for (xmlNodePtr k = d->children, next; k; k = next) {
    next = k->next;
    if (k->type == XML_PI_NODE || k->type == XML_DTD_NODE ||
        k->type == XML_COMMENT_NODE) {
      xl.xmlUnlinkNode(k);
      xl.xmlFreeNode(k);
    }
  }
  /* a walk in document order, without recursion */
  for (xmlNodePtr n = root; n;) {
    int drop = n->type == XML_PI_NODE || n->type == XML_ENTITY_REF_NODE ||
               n->type == XML_COMMENT_NODE ||
               (n->type == XML_ELEMENT_NODE && n != root &&
                drop_element(n, &scratch));
    if (drop) {
      xmlNodePtr next = next_outside(n, root);
      xl.xmlUnlinkNode(n);
      xl.xmlFreeNode(n);
      n = next;
      continue;
    }
    if (n->type == XML_ELEMENT_NODE) {
      /* An image shown by <img> follows no link, and EPUBCheck wants a
       * title on every SVG link: a link becomes a plain group. */
      if (strcmp((const char *)n->name, "a") == 0)
        unlink_anchor(n);
      clean_attributes(n, &scratch);
      if (n->children) {
        n = n->children;
        continue;
      }
    }
    n = next_outside(n, root);
  }
  xmlSaveCtxtPtr save = xl.xmlSaveToIO(save_cb, close_cb, &saved, "UTF-8", 0);
  if (!save || xl.xmlSaveDoc(save, d) < 0) {
    if (save)
      xl.xmlSaveClose(save);
    snprintf(svg_why, sizeof svg_why, "the SVG cannot be written back");
    goto done;
  }
  if (xl.xmlSaveClose(save) < 0 || !saved.len) {
    snprintf(svg_why, sizeof svg_why, "the SVG cannot be written back");
    goto done;
  }
  result = buf_detach(&saved, out_len);
done:
  buf_free(&scratch);
  buf_free(&saved);
  xl.xmlFreeDoc(d);
  return result;
}

/* ---- checking ---- */

static char check_why[200];

static image_status run_check(source *src, const char *media_type,
                              unsigned long long limit, unsigned *width,
                              unsigned *height, unsigned long long *pixels) {
  char msg[128] = "";
  image_status st = IMAGE_BAD;
  const char *kind = "image";
  *width = *height = 0;
  *pixels = 0;
  if (strcmp(media_type, "image/png") == 0) {
    kind = "PNG";
    if (load_png())
      st = png_run(src, NULL, limit, width, height, pixels, msg);
    else
      snprintf(msg, sizeof msg, "libpng is missing");
  } else if (strcmp(media_type, "image/jpeg") == 0) {
    kind = "JPEG";
    if (load_jpeg())
      st = jpeg_run(src, NULL, limit, width, height, pixels, msg);
    else
      snprintf(msg, sizeof msg, "libjpeg (libjpeg.so.62) is missing");
  } else if (strcmp(media_type, "image/gif") == 0) {
    kind = "GIF";
    if (load_gif())
      st = gif_run(src, limit, width, height, pixels, msg);
    else
      snprintf(msg, sizeof msg, "libgif (libgif.so.7) is missing");
  } else if (strcmp(media_type, "image/svg+xml") == 0) {
    buf all = {0};
    char chunk[65536];
    size_t got;
    while (all.len <= IMAGE_SVG_MAX_BYTES &&
           (got = source_read(src, chunk, sizeof chunk)) > 0)
      buf_put(&all, chunk, got);
    const char *why = NULL;
    size_t n = 0;
    char *clean = image_svg_clean((const unsigned char *)(all.data ? all.data : ""),
                                  all.len, &n, &why);
    buf_free(&all);
    if (clean) {
      free(clean);
      return IMAGE_OK;
    }
    snprintf(check_why, sizeof check_why, "%s", why);
    return IMAGE_BAD;
  }
  if (st == IMAGE_BAD) {
    if (strstr(msg, "missing"))
      snprintf(check_why, sizeof check_why, "cannot check the %s: %s", kind,
               msg);
    else if (strncmp(msg, "over ", 5) == 0)
      snprintf(check_why, sizeof check_why, "the %s is too large: %s", kind,
               msg);
    else
      snprintf(check_why, sizeof check_why, "the %s data is damaged: %s",
               kind, msg);
  }
  return st;
}

image_status image_check_mem(const unsigned char *bytes, size_t len,
                             const char *media_type, unsigned long long limit,
                             unsigned *width, unsigned *height,
                             unsigned long long *pixels, const char **why) {
  source src = {NULL, bytes, len, 0};
  image_status st = run_check(&src, media_type, limit, width, height, pixels);
  *why = check_why;
  return st;
}

/* The verdicts kept, by path; an entry stays valid while the file's
 * identity, size and times do. */
typedef struct {
  char *path;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime, ctime;
  image_status status;
  unsigned width, height;
  unsigned long long pixels;
  char *why;
} verdict;

static verdict **verdicts;
static size_t n_verdicts;
static strmap verdict_index;

static int same_file(const verdict *v, const struct stat *st) {
  return v->dev == st->st_dev && v->ino == st->st_ino &&
         v->size == st->st_size && v->mtime.tv_sec == st->st_mtim.tv_sec &&
         v->mtime.tv_nsec == st->st_mtim.tv_nsec &&
         v->ctime.tv_sec == st->st_ctim.tv_sec &&
         v->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

image_status image_check(const char *path, const char *media_type,
                         unsigned long long limit, unsigned *width,
                         unsigned *height, unsigned long long *pixels,
                         const char **why) {
  /* a kept verdict costs a stat, not an open */
  struct stat st;
  int k = strmap_get(&verdict_index, path);
  verdict *v = k >= 0 ? verdicts[k] : NULL;
  if (v && stat(path, &st) == 0 && same_file(v, &st)) {
    *width = v->width, *height = v->height, *pixels = v->pixels;
    *why = v->why ? v->why : "";
    if (v->status == IMAGE_OK && v->pixels > limit)
      return IMAGE_OVER;
    return v->status;
  }
  FILE *f = fopen(path, "rb");
  if (!f || fstat(fileno(f), &st) != 0) {
    snprintf(check_why, sizeof check_why, "cannot read the image: %s",
             strerror(errno));
    *why = check_why;
    if (f)
      fclose(f);
    return IMAGE_BAD;
  }
  source src = {f, NULL, 0, 0};
  image_status status =
      run_check(&src, media_type, limit, width, height, pixels);
  if (status == IMAGE_OK && ferror(f)) {
    snprintf(check_why, sizeof check_why, "cannot read the image: %s",
             strerror(EIO));
    status = IMAGE_BAD;
  }
  fclose(f);
  *why = check_why;
  if (status == IMAGE_OVER) /* the limit is the caller's: not kept */
    return status;
  if (!v) {
    v = calloc(1, sizeof *v);
    verdict **grown = realloc(verdicts, (n_verdicts + 1) * sizeof *verdicts);
    if (!v || !grown || !(v->path = strdup(path)))
      out_of_memory();
    verdicts = grown;
    verdicts[n_verdicts] = v;
    strmap_add(&verdict_index, v->path, (int)n_verdicts++);
  }
  free(v->why);
  v->why = NULL;
  v->dev = st.st_dev, v->ino = st.st_ino, v->size = st.st_size;
  v->mtime = st.st_mtim, v->ctime = st.st_ctim;
  v->status = status;
  v->width = *width, v->height = *height, v->pixels = *pixels;
  if (status != IMAGE_OK && !(v->why = strdup(check_why)))
    out_of_memory();
  *why = v->why ? v->why : "";
  return status;
}

void image_cache_clear(void) {
  for (size_t i = 0; i < n_verdicts; i++) {
    free(verdicts[i]->path);
    free(verdicts[i]->why);
    free(verdicts[i]);
  }
  free(verdicts);
  verdicts = NULL;
  n_verdicts = 0;
  strmap_free(&verdict_index);
  memset(&verdict_index, 0, sizeof verdict_index);
}

/* ---- decoding for the PDF ---- */

/* All of a source, up to IMAGE_SVG_MAX_BYTES and one more (so that an SVG
 * over the limit is refused by image_svg_clean, not cut). */
static void read_all(source *src, buf *all) {
  char chunk[65536];
  size_t got;
  while (all->len <= IMAGE_SVG_MAX_BYTES &&
         (got = source_read(src, chunk, sizeof chunk)) > 0)
    buf_put(all, chunk, got);
}

/* An SVG sanitised, then drawn by librsvg to fit the box (made larger as
 * well as smaller: a drawing has no pixels of its own). */
static image_status svg_run(source *src, shrink *out, unsigned *width,
                            unsigned *height, char *msg) {
  buf all = {0};
  read_all(src, &all);
  const char *why = NULL;
  size_t n = 0;
  char *clean = image_svg_clean(
      (const unsigned char *)(all.data ? all.data : ""), all.len, &n, &why);
  buf_free(&all);
  if (!clean) {
    snprintf(msg, 128, "%s", why);
    return IMAGE_BAD;
  }
  image_status st = IMAGE_BAD;
  unsigned char *rgba = NULL;
  double iw = 0, ih = 0;
  if (image_svg_size(clean, n, &iw, &ih, msg) == 0) {
    double k = out->max_w / iw;
    if (out->max_h / ih < k)
      k = out->max_h / ih;
    double w = iw * k + 0.5, h = ih * k + 0.5;
    unsigned pw = w < 1 ? 1 : w > out->max_w ? out->max_w : (unsigned)w;
    unsigned ph = h < 1 ? 1 : h > out->max_h ? out->max_h : (unsigned)h;
    rgba = image_svg_render(clean, n, pw, ph, msg);
    if (rgba && shrink_begin(out, pw, ph, 1) != 0)
      snprintf(msg, 128, "out of memory");
    else if (rgba) {
      for (unsigned y = 0; y < ph; y++)
        shrink_row(out, rgba + (size_t)y * pw * 4);
      shrink_flush(out);
      *width = pw, *height = ph;
      st = IMAGE_OK;
    }
  }
  free(rgba);
  free(clean);
  return st;
}

/* Splits the shrunk pixels into RGB and an alpha plane, the plane left out
 * when every pixel is opaque. */
static int split_alpha(shrink *s, image_pixels *px) {
  size_t n = (size_t)s->ow * s->oh;
  px->width = s->ow, px->height = s->oh;
  if (s->ch == 3) {
    px->rgb = s->out;
    s->out = NULL;
    return 0;
  }
  int opaque = 1;
  for (size_t i = 0; i < n && opaque; i++)
    opaque = s->out[4 * i + 3] == 255;
  px->rgb = malloc(n * 3);
  px->alpha = opaque ? NULL : malloc(n);
  if (!px->rgb || (!opaque && !px->alpha))
    return -1;
  for (size_t i = 0; i < n; i++) {
    memcpy(px->rgb + 3 * i, s->out + 4 * i, 3);
    if (px->alpha)
      px->alpha[i] = s->out[4 * i + 3];
  }
  return 0;
}

static int decode_run(source *src, const char *media_type, unsigned max_w,
                      unsigned max_h, int keep_alpha, image_pixels *px,
                      const char **why) {
  static char decode_why[200];
  char msg[128] = "";
  *why = decode_why;
  memset(px, 0, sizeof *px);
  const char *kind = strcmp(media_type, "image/png") == 0    ? "PNG"
                     : strcmp(media_type, "image/jpeg") == 0 ? "JPEG"
                     : strcmp(media_type, "image/gif") == 0  ? "GIF"
                     : strcmp(media_type, "image/svg+xml") == 0 ? "SVG"
                                                                : NULL;
  if (!kind) {
    snprintf(decode_why, sizeof decode_why, "not a PNG, JPEG, GIF or SVG");
    return -1;
  }
  int loaded = kind[0] == 'P'   ? load_png()
               : kind[0] == 'J' ? load_jpeg()
               : kind[0] == 'G' ? load_gif()
                                : 1;
  if (!loaded) {
    snprintf(decode_why, sizeof decode_why, "the %s decoder (%s) is missing",
             kind,
             kind[0] == 'P'   ? "libpng"
             : kind[0] == 'J' ? "libjpeg"
                              : "libgif");
    return -1;
  }
  shrink s = {.max_w = max_w ? max_w : 1,
              .max_h = max_h ? max_h : 1,
              .keep_alpha = keep_alpha};
  unsigned w = 0, h = 0;
  unsigned long long n = 0;
  image_status st =
      kind[0] == 'P'   ? png_run(src, &s, IMAGE_MAX_PIXELS, &w, &h, &n, msg)
      : kind[0] == 'J' ? jpeg_run(src, &s, IMAGE_MAX_PIXELS, &w, &h, &n, msg)
      : kind[0] == 'G' ? gif_first_frame(src, &s, &w, &h, msg)
                       : svg_run(src, &s, &w, &h, msg);
  int rc = -1;
  if (st != IMAGE_OK || !s.out)
    snprintf(decode_why, sizeof decode_why, "the %s cannot be %s: %s", kind,
             kind[0] == 'S' ? "drawn" : "decoded",
             st == IMAGE_OK ? "no pixels" : msg);
  else if (split_alpha(&s, px) != 0)
    snprintf(decode_why, sizeof decode_why, "out of memory");
  else
    rc = 0;
  if (rc != 0)
    image_pixels_free(px);
  shrink_free(&s);
  return rc;
}

int image_decode(const char *path, const char *media_type, unsigned max_w,
                 unsigned max_h, int keep_alpha, image_pixels *px,
                 const char **why) {
  static char open_why[160];
  memset(px, 0, sizeof *px);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(open_why, sizeof open_why, "cannot open the file: %s",
             strerror(errno));
    *why = open_why;
    return -1;
  }
  source src = {f, NULL, 0, 0};
  int rc = decode_run(&src, media_type, max_w, max_h, keep_alpha, px, why);
  fclose(f);
  return rc;
}

int image_decode_mem(const unsigned char *bytes, size_t len,
                     const char *media_type, unsigned max_w, unsigned max_h,
                     int keep_alpha, image_pixels *px, const char **why) {
  source src = {NULL, bytes, len, 0};
  return decode_run(&src, media_type, max_w, max_h, keep_alpha, px, why);
}

int image_jpeg_cmyk(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  int c, comps = 0;
  if (getc(f) != 0xFF || getc(f) != 0xD8)
    goto done;
  /* marker by marker to the frame header (SOF0-15 but DHT, JPG, DAC) */
  while ((c = getc(f)) != EOF) {
    if (c != 0xFF)
      break;
    while ((c = getc(f)) == 0xFF)
      ;
    if (c == EOF || c == 0xD9 || c == 0xDA)
      break;
    if (c == 0x01 || (c >= 0xD0 && c <= 0xD7))
      continue;
    int hi = getc(f), lo = getc(f);
    if (hi == EOF || lo == EOF)
      break;
    long len = hi << 8 | lo;
    if (c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC) {
      /* precision, height, width, then the number of components */
      if (len >= 8 && fseek(f, 5, SEEK_CUR) == 0)
        comps = getc(f);
      break;
    }
    if (len < 2 || fseek(f, len - 2, SEEK_CUR) != 0)
      break;
  }
done:
  fclose(f);
  return comps == 4;
}

void image_pixels_free(image_pixels *px) {
  free(px->rgb);
  free(px->alpha);
  px->rgb = px->alpha = NULL;
}

/* ---- resolving: which files a document may use ----
 *
 * A document may only reach files in its own folder and below (or the
 * --resource-path folders): no absolute paths, no ".." above the folder,
 * no symbolic link out of it, and nothing remote is fetched. */

/* Normalises a relative path: drops "." and empty segments, resolves "..".
 * Returns -1 when ".." would climb above the start. */
static int normalise(const char *rel, buf *out) {
  const char *p = rel;
  while (*p) {
    const char *end = strchr(p, '/');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == 2 && p[0] == '.' && p[1] == '.') {
      if (out->len == 0)
        return -1;
      char *slash = strrchr(out->data, '/');
      out->len = slash ? (size_t)(slash - out->data) : 0;
      out->data[out->len] = '\0';
    } else if (n > 0 && !(n == 1 && p[0] == '.')) {
      if (out->len)
        buf_putc(out, '/');
      buf_put(out, p, n);
    }
    p += n;
    if (*p == '/')
      p++;
  }
  return out->len ? 0 : -1;
}

/* True when the real location of path is inside the real base folder. */
static int stays_inside(const char *base_dir, const char *path) {
  char real_base[PATH_MAX], real_path[PATH_MAX];
  if (!realpath(base_dir, real_base) || !realpath(path, real_path))
    return 0;
  size_t n = strlen(real_base);
  if (n == 1) /* the base is "/" */
    return 1;
  return strncmp(real_base, real_path, n) == 0 && real_path[n] == '/';
}

static const char *const *search_dirs;
static size_t n_search_dirs;

void resource_set_search_path(const char *const *dirs, size_t n) {
  search_dirs = dirs;
  n_search_dirs = n;
}

static int inside_allowed(const char *base_dir, const char *path) {
  if (stays_inside(base_dir, path))
    return 1;
  for (size_t i = 0; i < n_search_dirs; i++)
    if (stays_inside(search_dirs[i], path))
      return 1;
  return 0;
}

/* The images the current document has used, and their pixels. */
static strmap doc_files;
static char **doc_keys;
static size_t n_doc_keys;
static unsigned long long doc_pixels;

static void note_file(char *key) {
  char **grown = realloc(doc_keys, (n_doc_keys + 1) * sizeof *doc_keys);
  if (!grown)
    out_of_memory();
  doc_keys = grown;
  doc_keys[n_doc_keys++] = key;
  strmap_add(&doc_files, key, 1);
}

void resource_begin_document(void) {
  strmap_free(&doc_files);
  memset(&doc_files, 0, sizeof doc_files);
  for (size_t i = 0; i < n_doc_keys; i++)
    free(doc_keys[i]);
  free(doc_keys);
  doc_keys = NULL;
  n_doc_keys = 0;
  doc_pixels = 0;
}

/* The checks every candidate file passes before it is used. */
static char *accept_file(const char *base_dir, const char *full,
                         const char **media_type, const char **why) {
  struct stat st;
  if (stat(full, &st) != 0) {
    *why = "no such file";
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = "not a regular file";
    return NULL;
  }
  if (!inside_allowed(base_dir, full)) {
    *why = n_search_dirs ? "the file lies outside the allowed folders"
                         : "the file lies outside the document's folder";
    return NULL;
  }
  if ((unsigned long long)st.st_size > RESOURCE_MAX_BYTES) {
    *why = "the file is too large (over 64 MiB)";
    return NULL;
  }
  unsigned char head[4096];
  FILE *f = fopen(full, "rb");
  if (!f) {
    *why = strerror(errno);
    return NULL;
  }
  size_t got = fread(head, 1, sizeof head, f);
  fclose(f);
  const char *type = resource_sniff(head, got, full);
  if (!type) {
    *why = "not a PNG, JPEG, GIF or SVG image";
    return NULL;
  }
  /* decoded (or parsed) once here, before either writer sees it, within
   * what the document has left of its pixels */
  int counted = strmap_get(&doc_files, full) >= 0;
  unsigned long long left =
      counted ? IMAGE_MAX_PIXELS
              : doc_pixels < RESOURCE_DOC_MAX_PIXELS
                    ? RESOURCE_DOC_MAX_PIXELS - doc_pixels
                    : 0;
  unsigned w = 0, h = 0;
  unsigned long long pixels = 0;
  const char *bad = NULL;
  image_status ok = image_check(full, type, left, &w, &h, &pixels, &bad);
  if (ok == IMAGE_BAD) {
    *why = bad;
    return NULL;
  }
  if (ok == IMAGE_OVER) {
    *why = "with it the document's images would come to over "
           "100 M pixels, galley's limit for one document";
    return NULL;
  }
  char *copy = strdup(full);
  if (!copy)
    out_of_memory();
  if (!counted) {
    doc_pixels += pixels;
    char *key = strdup(full);
    if (!key)
      out_of_memory();
    note_file(key);
  }
  *media_type = type;
  return copy;
}

char *resource_resolve(const char *base_dir, const char *url,
                       const char **media_type, const char **why) {
  switch (url_classify(url)) {
  case URL_EMPTY:
  case URL_FRAGMENT:
    *why = "no file named";
    return NULL;
  case URL_REMOTE:
    *why = "remote files are never fetched";
    return NULL;
  case URL_DANGEROUS:
    *why = "not a local file";
    return NULL;
  case URL_RELATIVE:
    break;
  }
  /* a query or fragment is not part of a file name */
  buf plain = {0}, decoded = {0}, rel = {0}, full = {0};
  char *path = NULL;
  buf_put(&plain, url, strcspn(url, "?#"));
  if (!plain.len) {
    *why = "no file name before the query or fragment";
  } else if (url_percent_decode(plain.data, &decoded) != 0) {
    *why = "malformed %-escape in the path";
  } else if (!decoded.len) {
    *why = "empty path";
  } else if (decoded.data[0] == '/') {
    if (n_search_dirs)
      path = accept_file(base_dir, decoded.data, media_type, why);
    else
      *why = "absolute paths are not allowed; --resource-path allows a folder";
  } else if (normalise(decoded.data, &rel) != 0 && !n_search_dirs) {
    *why = "the path leaves the document's folder";
  } else {
    /* lexically normalised when it stays below the folder, as URLs are */
    const char *relpath = rel.len ? rel.data : decoded.data;
    /* the document's folder first, then each --resource-path folder */
    *why = "no such file";
    for (size_t i = 0; i <= n_search_dirs && !path; i++) {
      full.len = 0;
      buf_puts(&full, i == 0 ? base_dir : search_dirs[i - 1]);
      buf_putc(&full, '/');
      buf_puts(&full, relpath);
      struct stat st;
      if (stat(full.data, &st) == 0) {
        path = accept_file(base_dir, full.data, media_type, why);
        break;
      }
    }
  }
  buf_free(&plain);
  buf_free(&decoded);
  buf_free(&rel);
  buf_free(&full);
  return path;
}

/* An SVG's intrinsic size in whole CSS pixels, from librsvg. */
static int svg_file_size(const char *path, unsigned *width, unsigned *height) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  source src = {f, NULL, 0, 0};
  buf all = {0};
  read_all(&src, &all);
  fclose(f);
  const char *why = NULL;
  size_t n = 0;
  char *clean = image_svg_clean(
      (const unsigned char *)(all.data ? all.data : ""), all.len, &n, &why);
  buf_free(&all);
  double w = 0, h = 0;
  char msg[128];
  int ok = clean && image_svg_size(clean, n, &w, &h, msg) == 0;
  free(clean);
  if (!ok)
    return 0;
  *width = w < 1 ? 1 : w > 100000 ? 100000 : (unsigned)(w + 0.5);
  *height = h < 1 ? 1 : h > 100000 ? 100000 : (unsigned)(h + 0.5);
  return 1;
}

int resource_image_size(const char *path, const char *media_type,
                        unsigned *width, unsigned *height) {
  *width = *height = 0;
  if (strcmp(media_type, "image/svg+xml") == 0)
    return svg_file_size(path, width, height);
  /* the verdict accept_file had made, unless the file changed since */
  unsigned long long pixels = 0;
  const char *why = NULL;
  return image_check(path, media_type, IMAGE_MAX_PIXELS, width, height,
                     &pixels, &why) == IMAGE_OK &&
         *width > 0 && *height > 0;
}

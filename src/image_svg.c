/* image_svg.c - SVG drawings sized and drawn with librsvg, loaded on first
 * use (by soname, as image.c loads the decoders); cairo and GLib come with
 * it, and their functions are looked up through its handle. */
#include "image_svg.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <librsvg/rsvg.h>

#define RSVG_FNS(X)                                                            \
  X(rsvg_handle_new_from_data) X(rsvg_handle_set_dpi)                          \
  X(rsvg_handle_get_intrinsic_size_in_pixels)                                  \
  X(rsvg_handle_get_intrinsic_dimensions) X(rsvg_handle_render_document)       \
  X(g_object_unref) X(g_error_free) X(cairo_image_surface_create_for_data)     \
  X(cairo_format_stride_for_width) X(cairo_surface_flush) X(cairo_create)      \
  X(cairo_status)

/* Time a drawing may take before its child is ended. */
#define SVG_DRAW_SECONDS 60

#define MEMBER(f) __typeof__(f) *f;
static struct { int tried, ok; RSVG_FNS(MEMBER) } rl;

/* memcpy, since ISO C has no cast from an object to a function pointer */
#define LOOKUP(f)                                                              \
  if (ok) {                                                                    \
    void *sym = dlsym(h, #f);                                                  \
    if (sym)                                                                   \
      memcpy(&rl.f, &sym, sizeof sym);                                         \
    else                                                                       \
      ok = 0;                                                                  \
  }

static int load_rsvg(char *msg) {
  if (!rl.tried) {
    rl.tried = 1;
    void *h = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
    int ok = h != NULL;
    RSVG_FNS(LOOKUP)
    rl.ok = ok;
  }
  if (!rl.ok)
    snprintf(msg, 128, "librsvg (librsvg-2.so.2, Debian's librsvg2-2) is "
                       "missing");
  return rl.ok;
}

static RsvgHandle *open_svg(const char *bytes, size_t len, char *msg) {
  if (!load_rsvg(msg))
    return NULL;
  GError *err = NULL;
  /* no base file: librsvg can resolve no reference against anything */
  RsvgHandle *h =
      rl.rsvg_handle_new_from_data((const guint8 *)bytes, len, &err);
  if (!h) {
    snprintf(msg, 128, "librsvg cannot read the SVG: %s",
             err && err->message ? err->message : "unknown error");
    if (err)
      rl.g_error_free(err);
    return NULL;
  }
  rl.rsvg_handle_set_dpi(h, 96); /* CSS units: 96 px to the inch */
  return h;
}

int image_svg_size(const char *bytes, size_t len, double *width,
                   double *height, char *msg) {
  RsvgHandle *h = open_svg(bytes, len, msg);
  if (!h)
    return -1;
  double w = 0, ht = 0;
  if (!rl.rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &ht) || w <= 0 ||
      ht <= 0) {
    /* a size in percent, or none: the viewBox's, else a browser's default
     * for a replaced element */
    gboolean has_w, has_h, has_vb;
    RsvgLength lw, lh;
    RsvgRectangle vb;
    rl.rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh,
                                            &has_vb, &vb);
    if (has_vb && vb.width > 0 && vb.height > 0)
      w = vb.width, ht = vb.height;
    else
      w = 300, ht = 150;
  }
  rl.g_object_unref(h);
  *width = w, *height = ht;
  return 0;
}

/* What the drawing child hands back, in memory shared with it. */
typedef struct {
  volatile int done; /* set last, when the pixels are all there */
  char msg[128];
} draw_report;
#define PIXELS_AT 4096 /* past the report, aligned for cairo */

/* In the child: draws into the shared pixels (cairo's ARGB32). */
static void draw_child(const char *bytes, size_t len, unsigned width,
                       unsigned height, int stride, unsigned char *shared) {
  draw_report *r = (draw_report *)shared;
  RsvgHandle *h = open_svg(bytes, len, r->msg);
  if (!h)
    return;
  cairo_surface_t *s = rl.cairo_image_surface_create_for_data(
      shared + PIXELS_AT, CAIRO_FORMAT_ARGB32, (int)width, (int)height,
      stride);
  cairo_t *cr = rl.cairo_create(s);
  if (rl.cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    snprintf(r->msg, sizeof r->msg, "out of memory");
    return;
  }
  RsvgRectangle box = {0, 0, width, height};
  GError *err = NULL;
  if (!rl.rsvg_handle_render_document(h, cr, &box, &err)) {
    snprintf(r->msg, sizeof r->msg, "librsvg cannot draw the SVG: %s",
             err && err->message ? err->message : "unknown error");
    return;
  }
  rl.cairo_surface_flush(s);
  r->done = 1;
}

/* The drawing is done in a child process that ends with _exit: Pango, which
 * draws an SVG's text, leaves threads at work on fontconfig's caches that
 * would race with any ending of fontconfig in this process (galley's own,
 * src/fontfind.c) and memory a leak checker reports; and a drawing that
 * crashes or runs away takes only the child with it. */
unsigned char *image_svg_render(const char *bytes, size_t len, unsigned width,
                                unsigned height, char *msg) {
  if (width == 0 || height == 0 || width > 32767 || height > 32767) {
    snprintf(msg, 128, "cannot draw the SVG at %u x %u pixels", width, height);
    return NULL;
  }
  if (!load_rsvg(msg)) /* loaded here, so that each child has it mapped */
    return NULL;
  int stride = rl.cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32,
                                                (int)width);
  size_t size = PIXELS_AT + (size_t)stride * height;
  unsigned char *shared = mmap(NULL, size, PROT_READ | PROT_WRITE,
                               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (stride <= 0 || shared == MAP_FAILED) {
    snprintf(msg, 128, "out of memory");
    return NULL;
  }
  draw_report *r = (draw_report *)shared;
  pid_t pid = fork();
  if (pid == 0) {
    alarm(SVG_DRAW_SECONDS); /* a drawing that runs away is ended */
    draw_child(bytes, len, width, height, stride, shared);
    _exit(0);
  }
  int status = 0;
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  unsigned char *out = NULL;
  if (pid < 0)
    snprintf(msg, 128, "cannot start drawing the SVG: %s", strerror(errno));
  else if (!r->done && r->msg[0])
    snprintf(msg, 128, "%s", r->msg);
  else if (!r->done && WIFSIGNALED(status))
    snprintf(msg, 128, "librsvg %s drawing the SVG",
             WTERMSIG(status) == SIGALRM ? "took too long" : "crashed");
  else if (!r->done)
    snprintf(msg, 128, "librsvg failed to draw the SVG");
  else if (!(out = malloc((size_t)width * height * 4)))
    snprintf(msg, 128, "out of memory");
  /* cairo's ARGB32 is a native-endian word per pixel, premultiplied */
  for (unsigned y = 0; out && y < height; y++) {
    const unsigned char *row = shared + PIXELS_AT + (size_t)y * (size_t)stride;
    unsigned char *o = out + (size_t)y * width * 4;
    for (unsigned x = 0; x < width; x++) {
      uint32_t v;
      memcpy(&v, row + 4 * (size_t)x, 4);
      unsigned a = v >> 24, c[3] = {(v >> 16) & 255, (v >> 8) & 255, v & 255};
      for (int k = 0; k < 3; k++) /* most pixels are opaque or clear */
        o[4 * x + k] = (unsigned char)(a == 255 ? c[k]
                                       : a ? (c[k] * 255 + a / 2) / a
                                           : 0);
      o[4 * x + 3] = (unsigned char)a;
    }
  }
  munmap(shared, size);
  return out;
}

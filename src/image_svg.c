/* image_svg.c - SVG drawings sized and drawn with librsvg, loaded on first
 * use (by soname, as image.c loads the decoders); cairo and GLib come with
 * it, and their functions are looked up through its handle. */
#include "image_svg.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <librsvg/rsvg.h>

#define RSVG_FNS(X)                                                            \
  X(rsvg_handle_new_from_data) X(rsvg_handle_set_dpi)                          \
  X(rsvg_handle_get_intrinsic_size_in_pixels)                                  \
  X(rsvg_handle_get_intrinsic_dimensions) X(rsvg_handle_render_document)       \
  X(g_object_unref) X(g_error_free) X(cairo_image_surface_create)              \
  X(cairo_image_surface_get_data) X(cairo_image_surface_get_stride)            \
  X(cairo_surface_status) X(cairo_surface_flush) X(cairo_surface_destroy)      \
  X(cairo_create) X(cairo_status) X(cairo_destroy)

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

/* What librsvg's text leaves behind: Pango's font map for the thread and
 * the fontconfig patterns it holds (a leak checker's report otherwise). */
static struct {
  void (*set_default)(void *fontmap);
  void (*fc_fini)(void);
} drop;

void image_svg_release(void) {
  if (drop.set_default)
    drop.set_default(NULL);
}

/* FcFini finds nothing more to free when galley's own font finding ended
 * fontconfig first (src/fontfind.c), which it may only after Pango let go */
static void unload_rsvg(void) {
  image_svg_release();
  if (drop.fc_fini)
    drop.fc_fini();
}

static int load_rsvg(char *msg) {
  if (!rl.tried) {
    rl.tried = 1;
    void *h = dlopen("librsvg-2.so.2", RTLD_NOW | RTLD_LOCAL);
    int ok = h != NULL;
    RSVG_FNS(LOOKUP)
    rl.ok = ok;
    if (ok) {
      void *f = dlsym(h, "pango_cairo_font_map_set_default");
      void *g = dlsym(h, "FcFini");
      if (f)
        memcpy(&drop.set_default, &f, sizeof f);
      if (g)
        memcpy(&drop.fc_fini, &g, sizeof g);
      atexit(unload_rsvg);
    }
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

unsigned char *image_svg_render(const char *bytes, size_t len, unsigned width,
                                unsigned height, char *msg) {
  if (width == 0 || height == 0 || width > 32767 || height > 32767) {
    snprintf(msg, 128, "cannot draw the SVG at %u x %u pixels", width, height);
    return NULL;
  }
  RsvgHandle *h = open_svg(bytes, len, msg);
  if (!h)
    return NULL;
  unsigned char *out = NULL;
  cairo_surface_t *s =
      rl.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)width, (int)height);
  cairo_t *cr = NULL;
  if (rl.cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  cr = rl.cairo_create(s);
  if (rl.cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  RsvgRectangle box = {0, 0, width, height};
  GError *err = NULL;
  if (!rl.rsvg_handle_render_document(h, cr, &box, &err)) {
    snprintf(msg, 128, "librsvg cannot draw the SVG: %s",
             err && err->message ? err->message : "unknown error");
    if (err)
      rl.g_error_free(err);
    goto done;
  }
  rl.cairo_surface_flush(s);
  const unsigned char *px = rl.cairo_image_surface_get_data(s);
  int stride = rl.cairo_image_surface_get_stride(s);
  out = malloc((size_t)width * height * 4);
  if (!px || !out) {
    free(out);
    out = NULL;
    snprintf(msg, 128, "out of memory");
    goto done;
  }
  /* cairo's ARGB32 is a native-endian word per pixel, premultiplied */
  for (unsigned y = 0; y < height; y++) {
    const unsigned char *row = px + (size_t)y * (size_t)stride;
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
done:
  if (cr)
    rl.cairo_destroy(cr);
  rl.cairo_surface_destroy(s);
  rl.g_object_unref(h);
  return out;
}

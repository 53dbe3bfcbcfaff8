/* fontfind.c - fontconfig lookups.  One listing per family name: the
 * fonts whose family is exactly that name, and nothing fontconfig would
 * offer as a look-alike, so a user who names "FangSong" on a machine
 * without it gets the style's next choice.  A listing is cheap beside a
 * match, which scores every installed font.
 *
 * fontconfig is loaded with dlopen on the first lookup: only styles naming
 * fonts galley does not bundle need it, and linking it (with FreeType and
 * expat) cost every PDF run about 0.4 ms of start-up. */
#include "fontfind.h"

#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define FC_FUNCTIONS(X)                                                        \
  X(FcInit)                                                                    \
  X(FcFini)                                                                    \
  X(FcPatternCreate)                                                           \
  X(FcPatternAddString)                                                        \
  X(FcPatternAddBool)                                                          \
  X(FcPatternDestroy)                                                          \
  X(FcObjectSetCreate)                                                         \
  X(FcObjectSetAdd)                                                            \
  X(FcObjectSetDestroy)                                                        \
  X(FcFontList)                                                                \
  X(FcFontSetDestroy)                                                          \
  X(FcPatternGetString)                                                        \
  X(FcPatternGetInteger)

static struct {
#define FIELD(name) __typeof__(&name) name;
  FC_FUNCTIONS(FIELD)
#undef FIELD
} fc;

static int ready; /* 1 loaded and initialised, -1 failed, 0 not tried */

static int load(void) {
  void *lib = dlopen("libfontconfig.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    diag(DIAG_WARNING, NULL, 0, 0,
         "installed fonts cannot be looked up: %s", dlerror());
    return -1;
  }
  void *sym;
#define LOOKUP(name)                                                           \
  if (!(sym = dlsym(lib, #name))) {                                            \
    diag(DIAG_WARNING, NULL, 0, 0,                                             \
         "installed fonts cannot be looked up: fontconfig lacks %s", #name);   \
    dlclose(lib);                                                              \
    return -1;                                                                 \
  }                                                                            \
  memcpy(&fc.name, &sym, sizeof sym);
  FC_FUNCTIONS(LOOKUP)
#undef LOOKUP
  if (fc.FcInit())
    return 1;
  diag(DIAG_WARNING, NULL, 0, 0,
       "installed fonts cannot be looked up: fontconfig did not start");
  dlclose(lib);
  return -1;
}

static int init(void) {
  if (!ready)
    ready = load();
  return ready == 1;
}

/* The listing's pattern and properties; NULL when out of memory. */
static FcPattern *family_pattern(const char *family) {
  FcPattern *pat = fc.FcPatternCreate();
  if (pat && fc.FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family) &&
      fc.FcPatternAddBool(pat, FC_SCALABLE, FcTrue))
    return pat;
  if (pat)
    fc.FcPatternDestroy(pat);
  return NULL;
}

static FcObjectSet *listed_properties(void) {
  static const char *const props[] = {FC_FILE,  FC_INDEX, FC_WEIGHT,
                                      FC_SLANT, FC_WIDTH, FC_FONTFORMAT};
  FcObjectSet *os = fc.FcObjectSetCreate();
  for (size_t i = 0; os && i < sizeof props / sizeof *props; i++)
    if (!fc.FcObjectSetAdd(os, props[i])) {
      fc.FcObjectSetDestroy(os);
      os = NULL;
    }
  return os;
}

/* How far a face is from shape: lower is nearer; weight, slant, and
 * width (a family may list its condensed faces under its own name). */
static int distance(int weight, int slant, int width, font_shape shape) {
  int want = (shape & FONT_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
  int italic = slant != FC_SLANT_ROMAN;
  return abs(weight - want) + abs(width - FC_WIDTH_NORMAL) +
         (italic != ((shape & FONT_ITALIC) != 0)) * 1000;
}

fontfind_result fontfind_family(const char *family, fontfind_face faces[4]) {
  memset(faces, 0, 4 * sizeof *faces);
  if (!init())
    return FONTFIND_NONE;
  FcPattern *pat = family_pattern(family);
  FcObjectSet *os = listed_properties();
  FcFontSet *set = pat && os ? fc.FcFontList(NULL, pat, os) : NULL;
  int best[4] = {0};
  char not_tt[64] = ""; /* the first other format seen */
  for (int i = 0; set && i < set->nfont; i++) {
    FcPattern *f = set->fonts[i];
    FcChar8 *file, *format;
    int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN,
        width = FC_WIDTH_NORMAL;
    if (fc.FcPatternGetString(f, FC_FILE, 0, &file) != FcResultMatch)
      continue;
    /* TrueType and CFF (OpenType) outlines can be embedded; Type 1,
     * bitmap and other formats are reported rather than loaded badly */
    if (fc.FcPatternGetString(f, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
        strcmp((const char *)format, "TrueType") != 0 &&
        strcmp((const char *)format, "CFF") != 0) {
      if (!not_tt[0])
        snprintf(not_tt, sizeof not_tt, "%s", (const char *)format);
      continue;
    }
    fc.FcPatternGetInteger(f, FC_INDEX, 0, &index);
    fc.FcPatternGetInteger(f, FC_WEIGHT, 0, &weight);
    fc.FcPatternGetInteger(f, FC_SLANT, 0, &slant);
    fc.FcPatternGetInteger(f, FC_WIDTH, 0, &width);
    int bold = weight >= FC_WEIGHT_DEMIBOLD, italic = slant != FC_SLANT_ROMAN;
    /* a face serves its own shape, and the regular one when there is no
     * true regular; ties go to the first file name, so the choice does not
     * hang on the order fontconfig lists them in */
    for (int s = 0; s < 4; s++) {
      if (s != (bold | (italic << 1)) && s != FONT_REGULAR)
        continue;
      int d = distance(weight, slant, width, (font_shape)s) + 1;
      int nearer = !best[s] || d < best[s] ||
                   (d == best[s] &&
                    strcmp((const char *)file, faces[s].path) < 0);
      if (!nearer)
        continue;
      char *copy = strdup((const char *)file);
      if (!copy)
        continue;
      free(faces[s].path);
      faces[s] = (fontfind_face){copy, (unsigned)index & 0xFFFF};
      best[s] = d; /* index high bits: variable-font instances */
    }
  }
  if (set)
    fc.FcFontSetDestroy(set);
  if (os)
    fc.FcObjectSetDestroy(os);
  if (pat)
    fc.FcPatternDestroy(pat);
  if (faces[FONT_REGULAR].path)
    return FONTFIND_OK;
  fontfind_free(faces);
  if (!not_tt[0])
    return FONTFIND_NONE;
  /* fontconfig names FreeType's formats: "Type 1", "CID Type 1", "BDF",
   * "PCF", "Windows FNT" ... */
  diag(DIAG_WARNING, NULL, 0, 0,
       "font \"%s\" is installed only as a %s font, not TrueType or "
       "OpenType; the PDF writer cannot embed it, so it is skipped",
       family, not_tt);
  return FONTFIND_NOT_TT;
}

void fontfind_free(fontfind_face faces[4]) {
  for (int s = 0; s < 4; s++) {
    free(faces[s].path);
    faces[s].path = NULL;
  }
}

void fontfind_cleanup(void) {
  if (ready == 1) {
    fc.FcFini();
    ready = 0; /* a failure is remembered: it is said once */
  }
}

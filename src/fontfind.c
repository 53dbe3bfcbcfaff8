/* fontfind.c - fontconfig lookups.  fontconfig always answers with its
 * best match, so the answer is kept only when one of the matched font's
 * family names is the one asked for: a user who names "FangSong" on a
 * machine without it gets the style's next choice, not a look-alike. */
#include "fontfind.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int ready;

static int init(void) {
  if (!ready)
    ready = FcInit() ? 1 : -1;
  return ready == 1;
}

static int family_matches(FcPattern *font, const char *family) {
  FcChar8 *name;
  for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) ==
                  FcResultMatch;
       i++)
    if (strcasecmp((const char *)name, family) == 0)
      return 1;
  return 0;
}

fontfind_result fontfind_system(const char *family, font_shape shape,
                                char **path, unsigned *index, int *exact) {
  *path = NULL;
  *index = 0;
  *exact = 0;
  if (!init())
    return FONTFIND_NONE;
  int bold = shape & FONT_BOLD, italic = shape & FONT_ITALIC;
  FcPattern *pat = FcPatternCreate();
  if (!pat)
    return FONTFIND_NONE;
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
  fontfind_result res = FONTFIND_NONE;
  if (FcConfigSubstitute(NULL, pat, FcMatchPattern)) {
    FcDefaultSubstitute(pat);
    FcResult r;
    FcPattern *m = FcFontMatch(NULL, pat, &r);
    FcChar8 *file = NULL, *format = NULL;
    int idx = 0, weight = 0, slant = 0;
    if (m && family_matches(m, family) &&
        FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
      FcPatternGetInteger(m, FC_INDEX, 0, &idx);
      FcPatternGetInteger(m, FC_WEIGHT, 0, &weight);
      FcPatternGetInteger(m, FC_SLANT, 0, &slant);
      /* libharu reads TrueType outlines only; CFF-based OpenType is
       * reported rather than loaded badly */
      if (FcPatternGetString(m, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
          strcmp((const char *)format, "TrueType") != 0) {
        res = FONTFIND_NOT_TT;
      } else {
        *path = strdup((const char *)file);
        *index = (unsigned)idx & 0xFFFF; /* high bits: variable instances */
        *exact = (bold ? weight >= FC_WEIGHT_DEMIBOLD
                       : weight < FC_WEIGHT_DEMIBOLD) &&
                 (italic ? slant != FC_SLANT_ROMAN : slant == FC_SLANT_ROMAN);
        res = *path ? FONTFIND_OK : FONTFIND_NONE;
      }
    }
    if (m)
      FcPatternDestroy(m);
  }
  FcPatternDestroy(pat);
  return res;
}

void fontfind_cleanup(void) {
  if (ready == 1)
    FcFini();
  ready = 0;
}

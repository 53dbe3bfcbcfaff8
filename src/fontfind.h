/* fontfind.h - installed font families, found through fontconfig. */
#ifndef GALLEY_FONTFIND_H
#define GALLEY_FONTFIND_H

#include "font.h"

typedef enum {
  FONTFIND_OK,
  FONTFIND_NONE,  /* no installed family has that name */
  FONTFIND_NOT_TT /* found, but not TrueType outlines (CFF .otf) */
} fontfind_result;

/* The file and face index of family's face nearest to shape; *exact is set
 * when the face really has that weight and slant.  *path is malloc'd. */
fontfind_result fontfind_system(const char *family, font_shape shape,
                                char **path, unsigned *index, int *exact);
/* Releases fontconfig's memory (at exit, for leak checkers). */
void fontfind_cleanup(void);

#endif

/* fontfind.h - installed font families, found through fontconfig. */
#ifndef GALLEY_FONTFIND_H
#define GALLEY_FONTFIND_H

#include "font.h"

typedef enum {
  FONTFIND_OK,
  FONTFIND_NONE,  /* no installed family has that name */
  FONTFIND_NOT_TT /* found, but only in a format galley cannot embed */
} fontfind_result;

typedef struct {
  char *path; /* malloc'd; NULL when the family has no face of the shape */
  unsigned index;
} fontfind_face;

/* The faces of the installed family named family (its exact name, in any
 * case), one per shape [font_shape]: OK when it has a regular face or at
 * least one face to stand in for it.  Free with fontfind_free. */
fontfind_result fontfind_family(const char *family, fontfind_face faces[4]);
void fontfind_free(fontfind_face faces[4]);
/* Releases fontconfig's memory (at exit, for leak checkers). */
void fontfind_cleanup(void);

#endif

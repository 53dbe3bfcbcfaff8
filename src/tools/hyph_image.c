/* hyph_image DIC IMAGE - writes the image of a libhyphen pattern file that
 * galley maps at run time instead of parsing the file (see hyph_load.h).
 * A file that has no image (one libhyphen's own loader reads) is said and
 * left alone: galley then parses it, and the build goes on. */
#include <stdio.h>

#include "hyph_load.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: hyph_image DIC IMAGE\n");
    return 2;
  }
  remove(argv[2]); /* no stale image stays behind a failure */
  int rc = hyph_image_write(argv[1], argv[2]);
  if (rc == 1)
    fprintf(stderr, "%s: patterns of a kind read at run time; no image\n",
            argv[1]);
  return rc < 0 ? 1 : 0;
}

/* style_image.c - writes the tree of a style file into an image that
 * galley loads instead of parsing the file (src/ytree_image.h).
 *   style-image STYLE.yaml IMAGE.ytree */
#include <stdio.h>

#include "ytree_image.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fputs("usage: style-image STYLE.yaml IMAGE.ytree\n", stderr);
    return 2;
  }
  return ytree_image_write(argv[1], argv[2]) == 0 ? 0 : 1;
}

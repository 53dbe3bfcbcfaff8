/* font_report.h - what a style's fonts resolve to on this machine, and
 * how much of a document they can draw: the text of `galley --list-fonts`,
 * so that a user can see why a PDF looks as it does. */
#ifndef GALLEY_FONT_REPORT_H
#define GALLEY_FONT_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "doc.h"
#include "font.h"
#include "style.h"

/* Appends the report for style st, whose fonts lf holds (resolved in fs),
 * to out; with documents, the characters each role uses and which of them
 * its fonts lack. */
void font_report(const font_set *fs, const style *st, const font_stacks *lf,
                 doc *const *docs, size_t n, buf *out);

#endif

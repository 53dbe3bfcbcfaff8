/* read_md.h - Markdown with YAML front matter -> document model. */
#ifndef GALLEY_READ_MD_H
#define GALLEY_READ_MD_H

#include <stddef.h>

#include "doc.h"

/* Inputs larger than this are refused rather than half-converted. */
#define READ_MAX_INPUT (64u * 1024 * 1024)
/* Links with longer addresses keep only their text (PDF strings are at most
 * 64 KB, and no real address comes near this). */
#define READ_MAX_URL 8192
/* Quotes, lists and inline spans nested deeper than this are flattened. */
#define READ_MAX_NESTING 64

/* What the body is read as: GitHub Flavored Markdown (tables,
 * strikethrough, autolinks, task lists and footnotes; the default) or
 * strict CommonMark. */
typedef enum { READ_GFM, READ_COMMONMARK } read_dialect;
void read_set_dialect(read_dialect dialect);

/* A line holding more '|' than this turns tables off for its document:
 * Debian's cmark-gfm takes time growing with the square of a row's cells
 * (80,000 '|' on a line: 6.3 s). */
#define READ_MAX_TABLE_PIPES 1000

/* Reads bytes named path (for messages; "<...>" names no file, so lends
 * no title); image paths resolve against base_dir, and with no base_dir
 * (bytes from memory with no name) no image is read.  Returns NULL after
 * reporting an error. */
doc *read_markdown(const char *path, const char *base_dir, const char *bytes,
                   size_t len);

/* Reads a file ("-" is standard input) into a document. */
doc *read_markdown_file(const char *path);

#endif

/* meta.h - YAML front matter and command-line metadata into doc_meta. */
#ifndef GALLEY_META_H
#define GALLEY_META_H

#include "doc.h"

/* Parses the YAML between the front-matter fences.  first_line is the file
 * line of the first YAML line, so messages point into the file.  Returns 0,
 * or -1 after reporting each error. */
int meta_parse(doc *d, const char *yaml, size_t len, int first_line);

/* Sets one field from "key=value" text (the -M option); list fields take
 * the value as one more item.  Returns 0, or -1 after reporting. */
/* Appends s to out with ill-formed UTF-8, control characters (but tab and
 * newline) and noncharacters replaced by U+FFFD: text from outside the
 * document (the command line, file names) made fit for the outputs. */
void meta_clean_text(const char *s, size_t len, buf *out);

int meta_set(doc *d, const char *key, const char *value, const char *origin);

/* Copies every field set in src into dst (dst's arena owns the copies). */
void meta_override(doc *dst, const doc_meta *src);

/* ISO 8601 calendar date, optionally with a time: 2026-03-14,
 * 2026-03-14T09:30, 2026-03-14T09:30:00+08:00.  Years and months alone too. */
int meta_valid_date(const char *s);
/* A well-formed BCP 47 tag (the shape only, not the registry). */
int meta_valid_lang(const char *s);
/* True when s holds nothing but spaces and control characters. */
int meta_is_blank(const char *s);

/* The standard's form of a document number (GB/T 9704-2012 7.2.5) into
 * out: "[2026]07号" with the code before it becomes "〔2026〕7号" (any
 * brackets around the four-digit year, no 第, no leading zeros, 号 after
 * the serial number).  Returns 0, or -1 (out untouched) when value is not
 * of that shape. */
int meta_normalise_number(const char *value, buf *out);

/* The direction front matter gives the text: -1 right to left, 1 left to
 * right, 0 none (each paragraph's from its first strong character). */
int meta_dir(const doc_meta *m);
/* The document runs right to left (dir: rtl, or no dir and a language
 * written right to left: Arabic, Hebrew, Persian, Urdu ...): its blocks
 * are indented from the right and list markers stand on the right. */
int meta_is_rtl(const doc_meta *m);

/* True for languages whose text follows CJK line-breaking rules. */
int meta_lang_is_cjk(const char *lang);

#endif

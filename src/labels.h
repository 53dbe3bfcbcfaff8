/* labels.h - the words galley itself puts on the page, per language. */
#ifndef GALLEY_LABELS_H
#define GALLEY_LABELS_H

#include "buf.h"
#include "doc.h"

/* The line under the title: document number, date, author(s), source. */
void labels_meta_line(const doc *d, buf *out);
/* The date written for readers: "14 March 2026", "2026年3月14日". */
void labels_date(const char *iso, const char *lang, buf *out);
/* "Contents" / "目录" */
const char *labels_contents(const char *lang);

/* Who issues a circular: authority, else source, else the first author;
 * NULL when none is given. */
const char *labels_issuer(const doc_meta *m);

#endif

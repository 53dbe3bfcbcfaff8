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
/* "Cover" / "封面" */
const char *labels_cover(const char *lang);
/* The cover image's text alternative: "Cover: TITLE" / "封面：TITLE". */
void labels_cover_alt(const char *lang, const char *title, buf *out);

/* Who issues a circular: authority, else source, else the first author;
 * NULL when none is given. */
const char *labels_issuer(const doc_meta *m);

/* The name a circular is signed with: signature-name when given, else the issuer without the trailing
 * "文件" (or "联合文件") of the usual mark (临江市档案局文件 is signed
 * 临江市档案局).
 * Returns the issuer (NULL when none) and sets *len to the bytes of it
 * that make the name. */
const char *labels_signer(const doc_meta *m, size_t *len);

/* The words of a circular's other elements (GB/T 9704-2012): the printing
 * date with 印发 ("2026年3月14日印发"); the leads "附件：", "抄送：" and
 * "签发人："; the names copied to, separated by "，" and closed by "。".
 * Each is appended to out. */
void labels_printed(const doc_meta *m, buf *out);
void labels_attachment_lead(const doc_meta *m, buf *out);
void labels_cc_lead(const doc_meta *m, buf *out);
void labels_signer_lead(const doc_meta *m, buf *out);
void labels_cc_line(const doc_meta *m, buf *out);

/* Minutes' attendance (GB/T 9704-2012 10.3): which 0, 1, 2 for present,
 * absent, attending; appends "出席：" (请假：, 列席：) to lead and the
 * names joined by "、" to names. */
void labels_attendance(const doc_meta *m, int which, buf *lead, buf *names);

/* A circular's addressees (主送机关, GB/T 9704 7.3.2): the document's
 * first block when it is a paragraph of names ending in a full-width colon
 * (no 。！？； in it), set flush left; NULL otherwise. */
const doc_node *labels_addressee(const doc *d);

#endif

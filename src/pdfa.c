/* pdfa.c - PDF/A-1b, -2b, -2u and -2a by hand (2a's structure tree is
 * pdf_tags.c's).  libharu 2.3's own PDF/A support writes the XMP
 * unescaped from whatever Info holds when it is called, misspells the
 * output intent's DestOutputProfile key and seeds the file ID from the
 * clock; so galley builds these objects itself with libharu's object API. */
#include "pdfa.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "pdf.h"
#include "xml.h"

static void xmp_text(buf *x, const char *element, const char *value) {
  buf_printf(x, "<%s>", element);
  xml_escape_str(x, value);
  buf_printf(x, "</%s>\n", element);
}

/* dc:title and dc:description are language alternatives, dc:creator an
 * ordered list: XMP says so, and PDF/A validators check it. */
static void xmp_alt(buf *x, const char *element, const char *value) {
  buf_printf(x, "<%s><rdf:Alt><rdf:li xml:lang=\"x-default\">", element);
  xml_escape_str(x, value);
  buf_printf(x, "</rdf:li></rdf:Alt></%s>\n", element);
}

static void build_xmp(buf *x, const doc_meta *m, const char *when,
                      int level) {
  buf_puts(
      x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
         "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
  xmp_alt(x, "dc:title", m->title);
  if (m->n_authors) {
    buf_puts(x, "<dc:creator><rdf:Seq>");
    for (size_t i = 0; i < m->n_authors; i++) {
      buf_puts(x, "<rdf:li>");
      xml_escape_str(x, m->authors[i]);
      buf_puts(x, "</rdf:li>");
    }
    buf_puts(x, "</rdf:Seq></dc:creator>\n");
  }
  const char *subject = m->description ? m->description : m->subtitle;
  if (subject)
    xmp_alt(x, "dc:description", subject);
  buf_puts(x, "</rdf:Description>\n<rdf:Description rdf:about=\"\" "
              "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
  xmp_text(x, "xmp:CreatorTool", "galley");
  xmp_text(x, "xmp:CreateDate", when);
  xmp_text(x, "xmp:ModifyDate", when);
  buf_puts(x, "</rdf:Description>\n<rdf:Description rdf:about=\"\" "
              "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
  xmp_text(x, "pdf:Producer", "Haru Free PDF Library 2.3.0");
  if (m->n_keywords) {
    buf k = {0};
    for (size_t i = 0; i < m->n_keywords; i++) {
      if (i)
        buf_puts(&k, ", ");
      buf_puts(&k, m->keywords[i]);
    }
    xmp_text(x, "pdf:Keywords", k.data);
    buf_free(&k);
  }
  if (level)
    buf_printf(x,
               "</rdf:Description>\n<rdf:Description rdf:about=\"\" "
               "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
               "<pdfaid:part>%d</pdfaid:part>\n"
               "<pdfaid:conformance>%s</pdfaid:conformance>\n",
               level == GALLEY_PDFA_1B ? 1 : 2,
               level == GALLEY_PDFA_2A   ? "A"
               : level == GALLEY_PDFA_2U ? "U"
                                         : "B");
  buf_puts(x, "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
              "<?xpacket end=\"w\"?>");
}

int pdf_xmp_add(HPDF_Doc pdf, int level, const doc *meta, time_t when) {
  char stamp[32];
  struct tm tm;
  gmtime_r(&when, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  HPDF_Dict xmp = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!xmp)
    return -1;
  xmp->filter = HPDF_STREAM_FILTER_NONE; /* PDF/A: metadata is not filtered */
  buf x = {0};
  build_xmp(&x, &meta->meta, stamp, level);
  HPDF_STATUS rc = HPDF_Dict_AddName(xmp, "Type", "Metadata");
  rc += HPDF_Dict_AddName(xmp, "Subtype", "XML");
  rc += HPDF_Stream_Write(xmp->stream, (const HPDF_BYTE *)x.data,
                          (HPDF_UINT)x.len);
  rc += HPDF_Dict_Add(pdf->catalog, "Metadata", xmp);
  buf_free(&x);
  return rc == HPDF_OK ? 0 : -1;
}

int pdfa_prepare(HPDF_Doc pdf, int level, const doc *meta, time_t when,
                 const unsigned char id_seed[16]) {
  if (access(PDF_SRGB_PROFILE, R_OK) != 0) {
    diag(DIAG_ERROR, PDF_SRGB_PROFILE, 0, 0,
         "PDF/A needs this sRGB profile (Debian package icc-profiles-free)");
    return -1;
  }
  /* PDF/A-1 is based on PDF 1.4, PDF/A-2 on 1.7 (ISO 32000-1) */
  pdf->pdf_version = level == GALLEY_PDFA_1B ? HPDF_VER_14 : HPDF_VER_17;

  HPDF_STATUS rc = pdf_xmp_add(pdf, level, meta, when) == 0 ? HPDF_OK : 1;

  HPDF_OutputIntent icc = HPDF_LoadIccProfileFromFile(pdf, PDF_SRGB_PROFILE, 3);
  HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
  HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
  if (!icc || !intent || !intents)
    return -1;
  rc += HPDF_Xref_Add(pdf->xref, intent);
  rc += HPDF_Dict_AddName(intent, "Type", "OutputIntent");
  rc += HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
  rc += HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                      HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
  rc += HPDF_Dict_Add(intent, "Info",
                      HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", NULL));
  rc += HPDF_Dict_Add(intent, "DestOutputProfile", icc);
  rc += HPDF_Array_Add(intents, intent);
  rc += HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);

  HPDF_Array id = HPDF_Array_New(pdf->mmgr);
  if (!id)
    return -1;
  rc += HPDF_Dict_Add(pdf->trailer, "ID", id);
  rc +=
      HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id_seed, 16));
  rc +=
      HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)id_seed, 16));
  if (rc != HPDF_OK) {
    diag(DIAG_ERROR, NULL, 0, 0, "libharu cannot set up PDF/A");
    return -1;
  }
  return 0;
}

/* pdf_tags.c - the structure tree of a tagged PDF.
 *
 * Layout records an element for every paragraph, heading, list part,
 * quote, figure, table cell and note, and each mark names its element.
 * Here an element becomes a StructElem when its first content is drawn,
 * under its parent (made first), so the tree holds only elements with
 * content, in the order the pages show them; each marked-content sequence
 * adds its MCID to the element's /K, and the page's ParentTree array maps
 * the MCID back.  Everything is attached to the document as it is made,
 * so libharu frees it whatever happens. */
#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf_tags {
  HPDF_Doc pdf;
  const layout *l;
  HPDF_Page *pages;
  HPDF_Dict root, document;
  HPDF_Dict *elems;    /* per layout element: made, or NULL */
  size_t *elem_page;   /* the page in its /Pg, or SIZE_MAX */
  HPDF_Array *mcids;   /* per page: MCID -> element (the ParentTree's) */
  HPDF_Array nums;     /* the ParentTree's keys and values */
  size_t next_key;     /* the next StructParent key, after the pages' */
  long *notes;         /* the Note elements made, for the IDTree */
  size_t n_notes;
};

/* A StructElem of type under parent, the last of parent's kids. */
static HPDF_Dict new_elem(pdf_tags *t, const char *type, HPDF_Dict parent) {
  HPDF_MMgr mm = t->pdf->mmgr;
  HPDF_Dict e = HPDF_Dict_New(mm);
  HPDF_Array k = HPDF_Array_New(mm);
  if (!e || !k || HPDF_Xref_Add(t->pdf->xref, e) != HPDF_OK)
    return NULL;
  /* /Type /StructElem is optional: left out, a tenth of the tree's bytes */
  HPDF_STATUS rc = HPDF_Dict_AddName(e, "S", type);
  rc += HPDF_Dict_Add(e, "P", parent);
  rc += HPDF_Dict_Add(e, "K", k);
  HPDF_Array kids = HPDF_Dict_GetItem(parent, "K", HPDF_OCLASS_ARRAY);
  rc += kids ? HPDF_Array_Add(kids, e) : HPDF_Dict_Add(parent, "K", e);
  return rc == HPDF_OK ? e : NULL;
}

/* Element se, made with its ancestors on first use; the Document for -1. */
static HPDF_Dict elem(pdf_tags *t, long se) {
  if (se < 0 || (size_t)se >= t->l->n_structs)
    return t->document;
  if (t->elems[se])
    return t->elems[se];
  const lay_struct *s = &t->l->structs[se];
  HPDF_Dict parent = elem(t, s->parent < se ? s->parent : -1);
  HPDF_Dict e = parent ? new_elem(t, s->type, parent) : NULL;
  if (!e)
    return NULL;
  if (s->alt) {
    HPDF_Binary alt = pdf_text_string(t->pdf, s->alt);
    if (alt)
      HPDF_Dict_Add(e, "Alt", alt); /* failures reach the error handler */
  }
  if (s->lang)
    HPDF_Dict_Add(e, "Lang", HPDF_String_New(t->pdf->mmgr, s->lang, NULL));
  if (strcmp(s->type, "Note") == 0) { /* PDF/UA: each Note has an ID */
    char id[32];
    snprintf(id, sizeof id, "note-%010ld", se); /* sorts as it counts */
    HPDF_Dict_Add(e, "ID", HPDF_String_New(t->pdf->mmgr, id, NULL));
    long *grown = realloc(t->notes, (t->n_notes + 1) * sizeof *t->notes);
    if (!grown)
      abort();
    t->notes = grown;
    t->notes[t->n_notes++] = se;
  }
  HPDF_Dict scope = strcmp(s->type, "TH") == 0 ? HPDF_Dict_New(t->pdf->mmgr)
                                               : NULL;
  if (scope && HPDF_Dict_Add(e, "A", scope) == HPDF_OK) {
    HPDF_Dict_AddName(scope, "O", "Table"); /* a header of its column */
    HPDF_Dict_AddName(scope, "Scope", "Column");
  }
  t->elems[se] = e;
  return e;
}

pdf_tags *pdf_tags_new(HPDF_Doc pdf, const layout *l, HPDF_Page *pages) {
  pdf_tags *t = calloc(1, sizeof *t);
  size_t n = l->n_structs ? l->n_structs : 1;
  if (!t || !(t->elems = calloc(n, sizeof *t->elems)) ||
      !(t->elem_page = malloc(n * sizeof *t->elem_page)) ||
      !(t->mcids = calloc(l->n_pages ? l->n_pages : 1, sizeof *t->mcids)))
    abort();
  for (size_t i = 0; i < n; i++)
    t->elem_page[i] = SIZE_MAX;
  t->pdf = pdf, t->l = l, t->pages = pages, t->next_key = l->n_pages;
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_Dict tree = HPDF_Dict_New(mm), mark = HPDF_Dict_New(mm),
            prefs = HPDF_Dict_New(mm);
  t->root = HPDF_Dict_New(mm);
  t->nums = HPDF_Array_New(mm);
  if (!tree || !mark || !prefs || !t->root || !t->nums ||
      HPDF_Xref_Add(pdf->xref, t->root) != HPDF_OK) {
    pdf_tags_free(t);
    return NULL;
  }
  HPDF_STATUS rc = HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot");
  rc += HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", t->root);
  rc += HPDF_Dict_Add(tree, "Nums", t->nums);
  rc += HPDF_Dict_Add(t->root, "ParentTree", tree);
  rc += HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
  rc += HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
  /* PDF/UA: the window shows the title, not the file's name */
  rc += HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE));
  rc += HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", prefs);
  if (l->lang && *l->lang)
    rc += HPDF_Dict_Add(pdf->catalog, "Lang",
                        HPDF_String_New(mm, l->lang, NULL));
  t->document = rc == HPDF_OK ? new_elem(t, "Document", t->root) : NULL;
  for (size_t i = 0; i < l->n_pages && t->document; i++) {
    /* the pages' keys first: the Nums array stays in key order */
    t->mcids[i] = HPDF_Array_New(mm);
    if (!t->mcids[i])
      break;
    rc += HPDF_Array_AddNumber(t->nums, (HPDF_INT32)i);
    rc += HPDF_Array_Add(t->nums, t->mcids[i]);
    rc += HPDF_Dict_AddNumber(pages[i], "StructParents", (HPDF_INT32)i);
    rc += HPDF_Dict_AddName(pages[i], "Tabs", "S"); /* structure order */
  }
  if (!t->document || rc != HPDF_OK ||
      (l->n_pages && !t->mcids[l->n_pages - 1])) {
    pdf_tags_free(t);
    return NULL;
  }
  return t;
}

void pdf_tags_begin(pdf_tags *t, size_t page, long se, buf *ops) {
  HPDF_Dict e = se >= 0 ? elem(t, se) : NULL;
  HPDF_Array k = e ? HPDF_Dict_GetItem(e, "K", HPDF_OCLASS_ARRAY) : NULL;
  if (!k) {
    buf_puts(ops, "/Artifact BMC\n");
    return;
  }
  HPDF_Array mcids = t->mcids[page];
  int mcid = (int)HPDF_Array_Items(mcids);
  HPDF_Array_Add(mcids, e); /* failures reach the error handler */
  if (t->elem_page[se] == SIZE_MAX) {
    t->elem_page[se] = page;
    HPDF_Dict_Add(e, "Pg", t->pages[page]);
  }
  if (t->elem_page[se] == page) {
    HPDF_Array_AddNumber(k, mcid);
  } else { /* continued from an earlier page */
    HPDF_Dict mcr = HPDF_Dict_New(t->pdf->mmgr);
    if (mcr && HPDF_Array_Add(k, mcr) == HPDF_OK) {
      HPDF_Dict_AddName(mcr, "Type", "MCR");
      HPDF_Dict_Add(mcr, "Pg", t->pages[page]);
      HPDF_Dict_AddNumber(mcr, "MCID", mcid);
    }
  }
  buf_printf(ops, "/%s <</MCID %d>> BDC\n", t->l->structs[se].type, mcid);
}

void pdf_tags_link(pdf_tags *t, size_t page, long se, HPDF_Annotation a) {
  /* the Link element of the link's text holds the annotation too; a link
   * whose text is not its own element gets a Link of its own */
  int own = se >= 0 && (size_t)se < t->l->n_structs &&
            strcmp(t->l->structs[se].type, "Link") == 0;
  HPDF_Dict parent = elem(t, se);
  HPDF_Dict link = own || !parent ? parent : new_elem(t, "Link", parent);
  HPDF_Dict objr = HPDF_Dict_New(t->pdf->mmgr);
  HPDF_Array k = link ? HPDF_Dict_GetItem(link, "K", HPDF_OCLASS_ARRAY) : NULL;
  if (!k || !objr || HPDF_Array_Add(k, objr) != HPDF_OK)
    return;
  HPDF_Dict_AddName(objr, "Type", "OBJR");
  HPDF_Dict_Add(objr, "Obj", a);
  HPDF_Dict_Add(objr, "Pg", t->pages[page]);
  if (!own)
    HPDF_Dict_Add(link, "Pg", t->pages[page]);
  HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)t->next_key);
  HPDF_Array_AddNumber(t->nums, (HPDF_INT32)t->next_key);
  HPDF_Array_Add(t->nums, link);
  t->next_key++;
}

static int by_index(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* The IDTree the elements' IDs need: a name tree, its keys in order. */
static void id_tree(pdf_tags *t) {
  HPDF_MMgr mm = t->pdf->mmgr;
  HPDF_Dict tree = HPDF_Dict_New(mm);
  HPDF_Array names = HPDF_Array_New(mm);
  if (!tree || !names || HPDF_Dict_Add(tree, "Names", names) != HPDF_OK ||
      HPDF_Dict_Add(t->root, "IDTree", tree) != HPDF_OK)
    return;
  qsort(t->notes, t->n_notes, sizeof *t->notes, by_index);
  for (size_t i = 0; i < t->n_notes; i++) {
    char id[32];
    snprintf(id, sizeof id, "note-%010ld", t->notes[i]);
    HPDF_Array_Add(names, HPDF_String_New(mm, id, NULL));
    HPDF_Array_Add(names, t->elems[t->notes[i]]);
  }
}

void pdf_tags_free(pdf_tags *t) {
  if (!t)
    return;
  if (t->root)
    HPDF_Dict_AddNumber(t->root, "ParentTreeNextKey",
                        (HPDF_INT32)t->next_key);
  if (t->root && t->n_notes)
    id_tree(t);
  free(t->notes);
  free(t->elems);
  free(t->elem_page);
  free(t->mcids);
  free(t);
}

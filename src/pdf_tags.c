/* pdf_tags.c - the structure tree of a tagged PDF.
 *
 * Layout records an element for every paragraph, heading, list part,
 * quote, figure, table cell and note, and each mark names its element.
 * Here an element becomes a StructElem when its page is first drawn on,
 * under its parent (made first), so the tree holds only elements with
 * content, in the order the pages show them: on each page in layout's
 * order (the document's, which draws images before text), with a figure
 * floated to the next page's top among the text of the page that passed
 * it; each marked-content sequence
 * adds its MCID to the element's /K, and the page's ParentTree array maps
 * the MCID back.  Everything is attached to the document as it is made,
 * so libharu frees it whatever happens.
 *
 * A long document has tens of thousands of elements, and a libharu
 * dictionary costs about 150 bytes an entry (each key has room for 127
 * characters): so an element's /S, /P, /Pg and /K are kept in a small
 * record of galley's own and written by the dictionary's write hook, and
 * only its rarer entries (/Alt, /Lang, /ID, /A) are libharu's. */
#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"

/* Entries an array is given at most: libharu refuses arrays over 32,767
 * entries, and PDF/A-1 (after PDF 1.4's implementation limits) any over
 * 8,191.  An element with more kids puts the rest in a Div of its own; the
 * ParentTree is a number tree of leaves of NUMS_MAX keys. */
#define KIDS_MAX 8000
#define NUMS_MAX 2000

/* A kid of an element: marked content (MCID on page), an element, or an
 * annotation held by an object reference (OBJR, on page). */
typedef struct {
  enum { KID_MCID, KID_ELEM, KID_OBJR } kind;
  int mcid;
  HPDF_Dict obj;  /* the element or annotation */
  HPDF_Page page; /* the MCID's or annotation's page */
} elem_kid;

/* What an element's dictionary writes through its hook. */
typedef struct {
  const char *type; /* a layout type: a string literal */
  HPDF_Dict parent;
  HPDF_Page pg; /* its /Pg: the page of its first MCID; or NULL */
  elem_kid *kids;
  size_t n, cap;
} elem_rec;

static unsigned obj_num(const void *obj) {
  return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static HPDF_STATUS write_elem(HPDF_Dict d, HPDF_Stream stream) {
  const elem_rec *r = d->attr;
  buf b = {0};
  buf_printf(&b, "/S /%s\n/P %u 0 R\n", r->type, obj_num(r->parent));
  if (r->pg)
    buf_printf(&b, "/Pg %u 0 R\n", obj_num(r->pg));
  buf_puts(&b, "/K [");
  for (size_t i = 0; i < r->n; i++) {
    const elem_kid *k = &r->kids[i];
    if (k->kind == KID_ELEM)
      buf_printf(&b, " %u 0 R", obj_num(k->obj));
    else if (k->kind == KID_OBJR)
      buf_printf(&b, " <</Type /OBJR /Obj %u 0 R /Pg %u 0 R>>",
                 obj_num(k->obj), obj_num(k->page));
    else if (k->page == r->pg)
      buf_printf(&b, " %d", k->mcid);
    else /* continued from an earlier page */
      buf_printf(&b, " <</Type /MCR /Pg %u 0 R /MCID %d>>", obj_num(k->page),
                 k->mcid);
  }
  buf_puts(&b, " ]\n");
  HPDF_STATUS rc = HPDF_Stream_Write(stream, (const HPDF_BYTE *)b.data,
                                     (HPDF_UINT)b.len);
  buf_free(&b);
  return rc;
}

static void free_elem(HPDF_Dict d) {
  elem_rec *r = d->attr;
  if (r)
    free(r->kids);
  free(r);
  d->attr = NULL;
}

static void add_kid(elem_rec *r, elem_kid k) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 2;
    elem_kid *grown = realloc(r->kids, cap * sizeof *grown);
    if (!grown)
      out_of_memory();
    r->kids = grown, r->cap = cap;
  }
  r->kids[r->n++] = k;
}

struct pdf_tags {
  HPDF_Doc pdf;
  const layout *l;
  HPDF_Page *pages;
  HPDF_Dict root, document;
  HPDF_Dict *elems;    /* per layout element: made, or NULL */
  HPDF_Array *mcids;   /* per page: MCID -> element (the ParentTree's) */
  HPDF_Array leaves;   /* the ParentTree's Kids */
  HPDF_Dict leaf;      /* the last of them, filling */
  long first_key;      /* the first key in leaf */
  size_t next_key;     /* the next StructParent key, after the pages' */
  long *notes;         /* the Note elements made, for the IDTree */
  size_t n_notes;
  size_t made_page;    /* 1 + the last page whose elements are made */
  long *floated; /* floated elements: figures keep their order, so the
                    pages that passed them only go up */
  size_t n_floated, next_floated;
  long *order;         /* scratch: a page's elements to make */
  size_t cap_order;
};

static HPDF_Dict make_elem(pdf_tags *t, const char *type, HPDF_Dict parent);

/* Where a new kid of parent goes: parent, or when its kids are many, the
 * Div at their end (made here if need be). */
static HPDF_Dict home_of(pdf_tags *t, HPDF_Dict parent) {
  const elem_rec *r = parent == t->root ? NULL : parent->attr;
  if (!r || r->n < KIDS_MAX)
    return parent;
  const elem_kid *last = &r->kids[r->n - 1];
  const elem_rec *lr = last->kind == KID_ELEM ? last->obj->attr : NULL;
  /* galley writes no Div but these */
  if (lr && strcmp(lr->type, "Div") == 0)
    return home_of(t, last->obj);
  return make_elem(t, "Div", parent);
}

/* The ParentTree's entry key -> value, in a new leaf when the last is full. */
static void parent_tree_add(pdf_tags *t, long key, void *value) {
  HPDF_MMgr mm = t->pdf->mmgr;
  HPDF_Array nums =
      t->leaf ? HPDF_Dict_GetItem(t->leaf, "Nums", HPDF_OCLASS_ARRAY) : NULL;
  if (!nums || HPDF_Array_Items(nums) >= 2 * NUMS_MAX) {
    HPDF_Dict leaf = HPDF_Dict_New(mm);
    nums = HPDF_Array_New(mm);
    if (!leaf || !nums || HPDF_Xref_Add(t->pdf->xref, leaf) != HPDF_OK ||
        HPDF_Dict_Add(leaf, "Nums", nums) != HPDF_OK ||
        HPDF_Array_Add(t->leaves, leaf) != HPDF_OK)
      return;
    t->leaf = leaf;
    t->first_key = key;
    HPDF_Array limits = HPDF_Array_New(mm);
    if (limits && HPDF_Dict_Add(leaf, "Limits", limits) == HPDF_OK) {
      HPDF_Array_AddNumber(limits, (HPDF_INT32)key);
      HPDF_Array_AddNumber(limits, (HPDF_INT32)key);
    }
  }
  HPDF_Array_AddNumber(nums, (HPDF_INT32)key);
  HPDF_Array_Add(nums, value); /* failures reach the error handler */
  HPDF_Array limits = HPDF_Dict_GetItem(t->leaf, "Limits", HPDF_OCLASS_ARRAY);
  HPDF_Number last = limits ? HPDF_Array_GetItem(limits, 1, HPDF_OCLASS_NUMBER)
                            : NULL;
  if (last)
    last->value = (HPDF_INT32)key;
}

/* A StructElem of type, the last of parent's kids. */
static HPDF_Dict make_elem(pdf_tags *t, const char *type, HPDF_Dict parent) {
  HPDF_Dict e = HPDF_Dict_New(t->pdf->mmgr);
  if (!e || HPDF_Xref_Add(t->pdf->xref, e) != HPDF_OK)
    return NULL;
  /* libharu gives every dictionary room for 20 entries at once; an element
   * has at most four of libharu's */
  e->list->items_per_block = 4;
  elem_rec *r = calloc(1, sizeof *r);
  if (!r)
    out_of_memory();
  /* /Type /StructElem is optional: left out, a tenth of the tree's bytes */
  r->type = type, r->parent = parent;
  e->attr = r, e->write_fn = write_elem, e->free_fn = free_elem;
  if (parent == t->root)
    return HPDF_Dict_Add(parent, "K", e) == HPDF_OK ? e : NULL;
  add_kid(parent->attr, (elem_kid){KID_ELEM, 0, e, NULL});
  return e;
}

/* A StructElem of type under parent (or its last Div when it has many). */
static HPDF_Dict new_elem(pdf_tags *t, const char *type, HPDF_Dict parent) {
  HPDF_Dict home = home_of(t, parent);
  return home ? make_elem(t, type, home) : NULL;
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
      out_of_memory();
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

static int by_index(const void *a, const void *b);

/* Adds element se to the page's elements to make; a Link or Span inside
 * a paragraph is made as it is drawn, between the paragraph's own runs, so
 * the paragraph stands for it. */
static void add_order(pdf_tags *t, size_t *n, long se) {
  const layout *l = t->l;
  while (se >= 0 && (size_t)se < l->n_structs && l->structs[se].parent >= 0 &&
         l->structs[se].parent < se &&
         (strcmp(l->structs[se].type, "Link") == 0 ||
          strcmp(l->structs[se].type, "Span") == 0))
    se = l->structs[se].parent;
  if (se < 0 || (size_t)se >= l->n_structs || t->elems[se] ||
      (*n && t->order[*n - 1] == se))
    return;
  if (*n == t->cap_order) {
    size_t cap = t->cap_order ? t->cap_order * 2 : 64;
    long *grown = realloc(t->order, cap * sizeof *grown);
    if (!grown)
      abort();
    t->order = grown, t->cap_order = cap;
  }
  t->order[(*n)++] = se;
}

/* Makes the elements page shows, and those floated past its text, in
 * layout's order, before the page's first mark. */
static void make_page_elems(pdf_tags *t, size_t page) {
  if (t->made_page > page || page >= t->l->n_pages)
    return;
  t->made_page = page + 1;
  const lay_page *lp = &t->l->pages[page];
  size_t n = 0;
  for (size_t i = 0; i < lp->n_texts; i++)
    add_order(t, &n, lp->texts[i].se);
  for (size_t i = 0; i < lp->n_images; i++)
    add_order(t, &n, lp->images[i].se);
  for (size_t i = 0; i < lp->n_links; i++)
    add_order(t, &n, lp->links[i].se);
  while (t->next_floated < t->n_floated &&
         t->l->structs[t->floated[t->next_floated]].float_from <= page) {
    long se = t->floated[t->next_floated++];
    if (t->l->structs[se].float_from == page)
      add_order(t, &n, se);
  }
  qsort(t->order, n, sizeof *t->order, by_index);
  for (size_t i = 0; i < n; i++)
    if (!t->elems[t->order[i]])
      elem(t, t->order[i]);
}

pdf_tags *pdf_tags_new(HPDF_Doc pdf, const layout *l, HPDF_Page *pages) {
  pdf_tags *t = calloc(1, sizeof *t);
  size_t n = l->n_structs ? l->n_structs : 1;
  if (!t || !(t->elems = calloc(n, sizeof *t->elems)) ||
      !(t->mcids = calloc(l->n_pages ? l->n_pages : 1, sizeof *t->mcids)))
    out_of_memory();
  t->pdf = pdf, t->l = l, t->pages = pages, t->next_key = l->n_pages;
  for (size_t i = 0; i < l->n_structs; i++)
    if (l->structs[i].floated) {
      long *grown = realloc(t->floated, (t->n_floated + 1) * sizeof *grown);
      if (!grown)
        abort();
      t->floated = grown;
      t->floated[t->n_floated++] = (long)i;
    }
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_Dict tree = HPDF_Dict_New(mm), mark = HPDF_Dict_New(mm),
            prefs = HPDF_Dict_New(mm);
  t->root = HPDF_Dict_New(mm);
  t->leaves = HPDF_Array_New(mm);
  if (!tree || !mark || !prefs || !t->root || !t->leaves ||
      HPDF_Xref_Add(pdf->xref, t->root) != HPDF_OK) {
    pdf_tags_free(t);
    return NULL;
  }
  HPDF_STATUS rc = HPDF_Dict_AddName(t->root, "Type", "StructTreeRoot");
  rc += HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", t->root);
  rc += HPDF_Dict_Add(tree, "Kids", t->leaves);
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
    parent_tree_add(t, (long)i, t->mcids[i]);
    rc += HPDF_Dict_AddNumber(pages[i], "StructParents", (HPDF_INT32)i);
    if (pdf->pdf_version >= HPDF_VER_15) /* /Tabs came with PDF 1.5 */
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
  make_page_elems(t, page);
  HPDF_Dict e = se >= 0 ? elem(t, se) : NULL;
  elem_rec *r = e && e != t->document ? e->attr : NULL;
  if (!r) {
    buf_puts(ops, "/Artifact BMC\n");
    return;
  }
  HPDF_Array mcids = t->mcids[page];
  int mcid = (int)HPDF_Array_Items(mcids);
  if (mcid >= KIDS_MAX) { /* a page of runs past counting: left unread */
    buf_puts(ops, "/Artifact BMC\n");
    return;
  }
  HPDF_Array_Add(mcids, e); /* failures reach the error handler */
  if (!r->pg)
    r->pg = t->pages[page];
  add_kid(r, (elem_kid){KID_MCID, mcid, NULL, t->pages[page]});
  buf_printf(ops, "/%s <</MCID %d>> BDC\n", t->l->structs[se].type, mcid);
}

void pdf_tags_bbox(pdf_tags *t, long se, double x, double y, double w,
                   double h) {
  HPDF_Dict e = se >= 0 && (size_t)se < t->l->n_structs ? t->elems[se] : NULL;
  if (!e || HPDF_Dict_GetItem(e, "A", HPDF_OCLASS_DICT))
    return; /* an image drawn twice keeps its first box */
  HPDF_Dict attrs = HPDF_Dict_New(t->pdf->mmgr);
  HPDF_Array box = HPDF_Array_New(t->pdf->mmgr);
  if (!attrs || !box || HPDF_Dict_Add(e, "A", attrs) != HPDF_OK ||
      HPDF_Dict_Add(attrs, "BBox", box) != HPDF_OK)
    return;
  HPDF_Dict_AddName(attrs, "O", "Layout");
  const double v[4] = {x, y, x + w, y + h};
  for (int i = 0; i < 4; i++)
    HPDF_Array_AddReal(box, (HPDF_REAL)v[i]);
}

void pdf_tags_link(pdf_tags *t, size_t page, long se, HPDF_Annotation a) {
  make_page_elems(t, page);
  /* the Link element of the link's text holds the annotation too; a link
   * whose text is not its own element gets a Link of its own */
  int own = se >= 0 && (size_t)se < t->l->n_structs &&
            strcmp(t->l->structs[se].type, "Link") == 0;
  HPDF_Dict parent = elem(t, se);
  HPDF_Dict link = own || !parent ? parent : new_elem(t, "Link", parent);
  elem_rec *r = link && link != t->document ? link->attr : NULL;
  if (!r)
    return;
  add_kid(r, (elem_kid){KID_OBJR, 0, (HPDF_Dict)a, t->pages[page]});
  if (!r->pg)
    r->pg = t->pages[page];
  HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)t->next_key);
  parent_tree_add(t, (long)t->next_key, link);
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
  free(t->floated);
  free(t->order);
  free(t->elems);
  free(t->mcids);
  free(t);
}

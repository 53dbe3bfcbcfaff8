/* font.c - faces through HarfBuzz: coverage and advances from the font's
 * own tables; TrueType outlines subset with ttf_subset.c, CFF outlines with
 * HarfBuzz's hb-subset.  A font that cannot be drawn and embedded is
 * refused when it is opened, saying why. */
#include "font.h"
#include "oom.h"
#include "shape.h"

#include <errno.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cff.h"
#include "diag.h"
#include "fontfind.h"
#include "ttf_subset.h"
#include "vec.h"

struct font_face {
  char *name; /* file name, for messages and PDF resource names */
  char *path;
  unsigned index; /* in a collection (.ttc) */
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *font;
  unsigned upem;
  double ascender, descender;
  double strike_pos, strike_size; /* ems above the baseline, thickness */
  int cjk, has_bold;
  font_outlines outlines;
  hb_set_t *used;
  int16_t *advance; /* BMP cache in font units; 0 unknown, -2 not covered */
  void *pdf;
};

struct font_family {
  char *name;
  font_face *shape[4]; /* [font_shape]; NULL: the family lacks it */
  int missing;         /* looked for and not found */
};

enum { MAX_FONT_FILE = 64 << 20 };

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p) {
  return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* What the file is, when it is not a TrueType font or collection: NULL for
 * the sfnt signatures galley reads (and OpenType's CFF one, told later). */
static const char *not_sfnt(const unsigned char *d, size_t len) {
  if (len >= 4 && (!memcmp(d, "wOFF", 4) || !memcmp(d, "wOF2", 4)))
    return "a WOFF web font, not a TrueType file (convert it to .ttf first)";
  if ((len >= 2 && d[0] == 0x80 && d[1] == 0x01) ||
      (len >= 2 && !memcmp(d, "%!", 2)))
    return "a PostScript Type 1 font, not a TrueType one";
  if (len >= 4 && (!memcmp(d, "\0\1\0\0", 4) || !memcmp(d, "true", 4) ||
                   !memcmp(d, "OTTO", 4) || !memcmp(d, "ttcf", 4))) {
    if (len >= 12)
      return NULL;
    return "truncated: the file ends inside its header";
  }
  if (len == 0)
    return "the file is empty";
  return "not a font file (it does not start as a TrueType or OpenType font "
         "does)";
}

/* The table directory of face index in the file: what is wrong with it,
 * or NULL, with the tags galley cares about found in *has. */
enum {
  HAS_GLYF = 1,
  HAS_LOCA = 2,
  HAS_CFF = 4,
  HAS_CMAP = 8,
  HAS_BITMAPS = 16,
  HAS_CFF2 = 32,
  HAS_FVAR = 64
};
static const char *check_directory(const unsigned char *d, size_t len,
                                   unsigned index, int *has, char *why,
                                   size_t why_size) {
  *has = 0;
  size_t at = 0;
  if (!memcmp(d, "ttcf", 4)) {
    uint32_t n = be32(d + 8);
    if (index >= n || 12 + 4 * (size_t)(index + 1) > len) {
      snprintf(why, why_size,
               index >= n ? "a collection of %u faces, without face %u"
                          : "truncated: the collection's list of %u faces "
                            "runs past the end of the file (face %u)",
               (unsigned)n, index);
      return why;
    }
    at = be32(d + 12 + 4 * (size_t)index);
    if (at > len || len - at < 12)
      return "truncated: a face of the collection starts past the end of "
             "the file";
    if (memcmp(d + at, "\0\1\0\0", 4) && memcmp(d + at, "true", 4) &&
        memcmp(d + at, "OTTO", 4))
      return "damaged: a face of the collection is not a TrueType font";
  }
  size_t n = be16(d + at + 4);
  if ((len - at - 12) / 16 < n)
    return "truncated: its table directory runs past the end of the file";
  if (n == 0)
    return "damaged: it has no tables";
  for (size_t i = 0; i < n; i++) {
    const unsigned char *rec = d + at + 12 + 16 * i;
    static const struct {
      char tag[5];
      int bit;
    } wanted[] = {{"glyf", HAS_GLYF}, {"loca", HAS_LOCA}, {"CFF ", HAS_CFF},
                  {"CFF2", HAS_CFF2}, {"cmap", HAS_CMAP}, {"EBDT", HAS_BITMAPS},
                  {"CBDT", HAS_BITMAPS}, {"sbix", HAS_BITMAPS},
                  {"fvar", HAS_FVAR}, {"head", 0},        {"hhea", 0},
                  {"maxp", 0},        {"hmtx", 0}};
    for (size_t k = 0; k < sizeof wanted / sizeof *wanted; k++) {
      if (memcmp(rec, wanted[k].tag, 4) != 0)
        continue;
      uint32_t off = be32(rec + 8), size = be32(rec + 12);
      if (off > len || size > len - off) {
        snprintf(why, why_size,
                 "truncated: its %.4s table runs past the end of the file, "
                 "which is %zu bytes long",
                 wanted[k].tag, len);
        return why;
      }
      *has |= wanted[k].bit;
    }
  }
  return NULL;
}

/* Whether the face maps some character of the Basic Multilingual Plane
 * (libharu's reach) to a real glyph: characters most fonts have first,
 * then, for an unusual font, every one its cmap lists. */
void font_ttf_tables(hb_face_t *face, ttf_source *src, hb_blob_t *blobs[6]) {
  static const hb_tag_t tags[6] = {
      HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'),
      HB_TAG('m', 'a', 'x', 'p'), HB_TAG('h', 'm', 't', 'x'),
      HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f')};
  ttf_table *t[6] = {&src->head, &src->hhea, &src->maxp,
                     &src->hmtx, &src->loca, &src->glyf};
  for (int i = 0; i < 6; i++) {
    blobs[i] = hb_face_reference_table(face, tags[i]);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blobs[i], &len);
    *t[i] = (ttf_table){data, data ? len : 0};
  }
}

void font_ttf_tables_release(hb_blob_t *blobs[6]) {
  for (int i = 0; i < 6; i++)
    hb_blob_destroy(blobs[i]);
}

static const char *check_characters(hb_face_t *face, hb_font_t *font) {
  static const uint32_t common[] = {'A', 'a', '0', ' ', 0x4E00, 0x3042,
                                    0xAC00, 0x0410, 0x05D0, 0x0627, 0x0915,
                                    0x0E01, 0x2022, 0xF041, 0xF020};
  hb_codepoint_t g;
  for (size_t i = 0; i < sizeof common / sizeof *common; i++)
    if (hb_font_get_nominal_glyph(font, common[i], &g) && g != 0)
      return NULL;
  hb_set_t *set = hb_set_create();
  hb_face_collect_unicodes(face, set);
  const char *why = hb_set_is_empty(set)
                        ? "its character map (cmap) maps no characters"
                        : "its character map (cmap) maps no character below "
                          "U+10000 to a glyph, and the PDF writer draws "
                          "only those";
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (why && hb_set_next(set, &cp) && cp < 0x10000)
    if (hb_font_get_nominal_glyph(font, cp, &g) && g != 0)
      why = NULL;
  hb_set_destroy(set);
  return why;
}

/* Whether the CFF table of face can be read, and whether it is CID-keyed. */
static const char *check_cff(hb_face_t *face, font_outlines *outlines) {
  hb_blob_t *t = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
  unsigned len = 0;
  const char *d = hb_blob_get_data(t, &len);
  int keyed = cff_read((const unsigned char *)d, len, 0, NULL);
  hb_blob_destroy(t);
  *outlines = keyed == 1 ? FONT_CFF_CID : FONT_CFF;
  return keyed < 0 ? "damaged: its CFF table (the PostScript outlines) cannot "
                     "be read"
                   : NULL;
}

/* Whether the glyph programs of the common characters a CFF face has can
 * be run: one that cannot would fail the subset, and so the document.
 * (Each glyph is not run as it is first used: that cost 5% of a Chinese
 * document, for a fault a sample finds in any font damaged as a whole.) */
static const char *check_charstrings(hb_font_t *font) {
  static const uint32_t sample[] = {'A', 'a', '0', 'e', 0x4E00, 0x4E2D,
                                    0x3001, 0x3042, 0xAC00, 0x0410};
  for (size_t i = 0; i < sizeof sample / sizeof *sample; i++) {
    hb_codepoint_t g;
    hb_glyph_extents_t ext;
    if (hb_font_get_nominal_glyph(font, sample[i], &g) && g != 0 &&
        !hb_font_get_glyph_extents(font, g, &ext))
      return "damaged: the glyph programs of its CFF table cannot be run";
  }
  return NULL;
}

/* What keeps the font in blob (face index) from being drawn and embedded:
 * NULL when nothing does.  why has room for the longer messages. */
static const char *font_problem(hb_blob_t *blob, unsigned index,
                                hb_face_t *face, hb_font_t *font,
                                font_outlines *outlines, int *variable,
                                char *why, size_t why_size) {
  unsigned len = 0;
  const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &len);
  const char *bad = not_sfnt(d, d ? len : 0);
  int has;
  *outlines = FONT_TRUETYPE;
  if (!bad)
    bad = check_directory(d, len, index, &has, why, why_size);
  if (bad)
    return bad;
  *variable = (has & HAS_FVAR) != 0;
  if ((has & HAS_CFF2) && !(has & (HAS_GLYF | HAS_CFF)))
    return "it has CFF2 outlines (a variable OpenType font), which a PDF "
           "cannot hold; use a static instance of it (an .otf with CFF "
           "outlines or a .ttf)";
  if ((has & HAS_CFF) && !(has & HAS_GLYF)) {
    if ((bad = check_cff(face, outlines)) || (bad = check_charstrings(font)))
      return bad;
    if (!(has & HAS_CMAP))
      return "it has no character map (cmap table), so no character can be "
             "drawn with it";
    return check_characters(face, font);
  }
  if (!(has & HAS_GLYF) || !(has & HAS_LOCA))
    return has & HAS_BITMAPS ? "it has bitmap glyphs only, no outlines"
           : has & HAS_GLYF  ? "damaged: it has a glyf table but no loca table"
                             : "it has no glyph outlines (no glyf table)";
  hb_blob_t *blobs[6];
  ttf_source src;
  font_ttf_tables(face, &src, blobs);
  const char *tables = ttf_check(&src);
  font_ttf_tables_release(blobs);
  if (tables)
    return tables;
  if (!(has & HAS_CMAP))
    return "it has no character map (cmap table), so no character can be "
           "drawn with it";
  return check_characters(face, font);
}

/* A CJK face whose hhea ascent and descent hold its line gap as well
 * (Noto CJK: 1.16 and -0.29 em, where its ideographs fill the em box from
 * 0.88 to -0.12) is placed by the em box its OS/2 table gives, as CJK
 * text is set: else its lines would sit low and its boxes overlap. */
static void use_em_box(font_face *f) {
  hb_blob_t *t = hb_face_reference_table(f->face, HB_TAG('O', 'S', '/', '2'));
  unsigned len = 0;
  const unsigned char *d = (const unsigned char *)hb_blob_get_data(t, &len);
  if (d && len >= 74 && f->ascender - f->descender > 1.3) {
    double asc = (int16_t)be16(d + 68) / (double)f->upem,
           desc = (int16_t)be16(d + 70) / (double)f->upem;
    if (asc > 0 && desc <= 0 && asc - desc > 0.95 && asc - desc < 1.1) {
      f->ascender = asc;
      f->descender = desc;
    }
  }
  hb_blob_destroy(t);
}

/* Opens a face from a file; NULL after reporting at level (an error for
 * the bundled fonts, a warning for a user's, which are then skipped), with
 * what is wrong with it. */
static font_face *face_open(const char *path, unsigned index,
                            diag_level level) {
  struct stat st;
  if (stat(path, &st) != 0) {
    diag(level, path, 0, 0, "cannot open the font: %s", strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > MAX_FONT_FILE) {
    diag(level, path, 0, 0, "%s",
         S_ISDIR(st.st_mode)     ? "a folder, not a font file"
         : !S_ISREG(st.st_mode) ? "not a regular file, so not read as a font"
                                 : "a font file larger than 64 MB");
    return NULL;
  }
  errno = 0;
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
  if (!blob) {
    diag(level, path, 0, 0, "cannot read the font%s%s", errno ? ": " : "",
         errno ? strerror(errno) : "");
    return NULL;
  }
  hb_face_t *face = hb_face_create(blob, index);
  hb_font_t *font = hb_font_create(face);
  char why[256];
  font_outlines outlines;
  int variable = 0;
  const char *bad = font_problem(blob, index, face, font, &outlines,
                                 &variable, why, sizeof why);
  if (bad) {
    diag(level, path, 0, 0, "cannot use this font: %s", bad);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
  }
  font_face *f = calloc(1, sizeof *f);
  /* zeroed by calloc, so only the pages of the blocks used are touched */
  int16_t *adv = calloc(65536, sizeof *adv);
  if (!f || !adv)
    out_of_memory();
  const char *base = strrchr(path, '/');
  f->name = strdup(base ? base + 1 : path);
  f->path = strdup(path);
  f->index = index;
  f->blob = blob;
  f->face = face;
  f->font = font;
  f->upem = hb_face_get_upem(face);
  hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
  hb_font_extents_t ext;
  hb_font_get_h_extents(f->font, &ext);
  f->ascender = (double)ext.ascender / f->upem;
  f->descender = (double)ext.descender / f->upem;
  /* the strikeout line from OS/2, or HarfBuzz's estimate without one */
  hb_position_t pos = 0, size = 0;
  hb_ot_metrics_get_position_with_fallback(
      f->font, HB_OT_METRICS_TAG_STRIKEOUT_OFFSET, &pos);
  hb_ot_metrics_get_position_with_fallback(
      f->font, HB_OT_METRICS_TAG_STRIKEOUT_SIZE, &size);
  f->strike_pos = pos > 0 && pos < (hb_position_t)f->upem
                      ? (double)pos / f->upem
                      : 0.3;
  f->strike_size = size > 0 && size < (hb_position_t)f->upem / 4
                       ? (double)size / f->upem
                       : 0.05;
  f->used = hb_set_create();
  f->advance = adv;
  f->outlines = outlines;
  if (variable)
    diag(DIAG_WARNING, path, 0, 0,
         "a variable font: it is drawn at its default instance, and bold "
         "is drawn by stroking unless a bold face is installed beside it");
  if (!f->name || !f->path)
    out_of_memory();
  hb_codepoint_t g;
  f->cjk = hb_font_get_nominal_glyph(f->font, 0x4E2D, &g); /* 中 */
  if (f->cjk)
    use_em_box(f);
  return f;
}

static void face_free(font_face *f) {
  if (!f)
    return;
  shape_forget(); /* its runs, before another face can take its address */
  hb_set_destroy(f->used);
  hb_font_destroy(f->font);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  free(f->advance);
  free(f->name);
  free(f->path);
  free(f);
}

/* The face in path at index, opened once per process. */
static font_face *face_get(font_set *fs, const char *path, unsigned index,
                           diag_level level) {
  for (size_t i = 0; i < fs->n_all; i++)
    if (fs->all[i]->index == index && strcmp(fs->all[i]->path, path) == 0)
      return fs->all[i];
  font_face *f = face_open(path, index, level);
  if (!f)
    return NULL;
  fs->all = vec_grow(fs->all, &fs->cap_all, fs->n_all + 1, sizeof *fs->all);
  fs->all[fs->n_all++] = f;
  return f;
}

/* Families Debian packages install, by the names styles use, where those
 * packages put them: found without fontconfig, whose start-up (reading
 * its configuration and cache) costs more than a short document.  A file
 * not there (another system, the package not installed) sends the name to
 * fontconfig like any other. */
#define NOTO "/usr/share/fonts/truetype/noto/"
#define NOTO_CJK "/usr/share/fonts/opentype/noto/"
#define DEJAVU "/usr/share/fonts/truetype/dejavu/"
#define ARPHIC "/usr/share/fonts/truetype/arphic/"
typedef struct {
  const char *file; /* NULL: the family has no such face */
  unsigned index;
} known_face;
static const struct {
  const char *name;
  known_face face[4]; /* regular, bold, italic, bold italic */
} known[] = {
    {"Noto Serif",
     {{NOTO "NotoSerif-Regular.ttf", 0}, {NOTO "NotoSerif-Bold.ttf", 0},
      {NOTO "NotoSerif-Italic.ttf", 0}, {NOTO "NotoSerif-BoldItalic.ttf", 0}}},
    {"Noto Sans",
     {{NOTO "NotoSans-Regular.ttf", 0}, {NOTO "NotoSans-Bold.ttf", 0},
      {NOTO "NotoSans-Italic.ttf", 0}, {NOTO "NotoSans-BoldItalic.ttf", 0}}},
    {"Noto Serif CJK SC",
     {{NOTO_CJK "NotoSerifCJK-Regular.ttc", 2},
      {NOTO_CJK "NotoSerifCJK-Bold.ttc", 2}}},
    {"Noto Sans CJK SC",
     {{NOTO_CJK "NotoSansCJK-Regular.ttc", 2},
      {NOTO_CJK "NotoSansCJK-Bold.ttc", 2}}},
    {"DejaVu Sans Mono",
     {{DEJAVU "DejaVuSansMono.ttf", 0}, {DEJAVU "DejaVuSansMono-Bold.ttf", 0},
      {DEJAVU "DejaVuSansMono-Oblique.ttf", 0},
      {DEJAVU "DejaVuSansMono-BoldOblique.ttf", 0}}},
    {"DejaVu Sans", {{DEJAVU "DejaVuSans.ttf", 0}}},
    {"Noto Serif Hebrew",
     {{NOTO "NotoSerifHebrew-Regular.ttf", 0},
      {NOTO "NotoSerifHebrew-Bold.ttf", 0}}},
    {"Noto Sans Hebrew",
     {{NOTO "NotoSansHebrew-Regular.ttf", 0},
      {NOTO "NotoSansHebrew-Bold.ttf", 0}}},
    {"Noto Naskh Arabic",
     {{NOTO "NotoNaskhArabic-Regular.ttf", 0},
      {NOTO "NotoNaskhArabic-Bold.ttf", 0}}},
    {"Noto Sans Arabic",
     {{NOTO "NotoSansArabic-Regular.ttf", 0},
      {NOTO "NotoSansArabic-Bold.ttf", 0}}},
    {"Droid Sans Fallback",
     {{"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0}}},
    {"AR PL UKai", {{ARPHIC "ukai.ttc", 0}}},
    {"AR PL UKai CN", {{ARPHIC "ukai.ttc", 0}}},
    {"AR PL UMing", {{ARPHIC "uming.ttc", 0}}},
    {"AR PL UMing CN", {{ARPHIC "uming.ttc", 0}}},
    {"AR PL KaitiM GB",
     {{"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0}}},
    {"WenQuanYi Zen Hei", {{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0}}},
};

static font_family *family_add(font_set *fs, const char *name) {
  font_family *fam = calloc(1, sizeof *fam);
  if (!fam || !(fam->name = strdup(name)))
    out_of_memory();
  fs->families = vec_grow(fs->families, &fs->cap_families,
                          fs->n_families + 1, sizeof *fs->families);
  fs->families[fs->n_families++] = fam;
  return fam;
}

/* The length of name less a face index "#N" at its end, *index set to N
 * (0 without one). */
static size_t strip_index(const char *name, unsigned *index) {
  size_t n = strlen(name), k = n;
  *index = 0;
  while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9' && n - k < 5)
    k--;
  if (k == n || k == 0 || name[k - 1] != '#')
    return n;
  *index = (unsigned)strtoul(name + k, NULL, 10);
  return k - 1;
}

static int is_font_file(const char *name) {
  unsigned index;
  size_t n = strip_index(name, &index);
  static const char *const ext[] = {".ttf", ".ttc", ".otf", ".otc"};
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (n > 4 && strncasecmp(name + n - 4, ext[i], 4) == 0)
      return 1;
  return memchr(name, '/', n) != NULL;
}

/* The shape a "Family:style" suffix asks for: -1 when s names none. */
static int style_suffix(const char *s) {
  static const struct {
    const char *name;
    font_shape shape;
  } styles[] = {{"regular", FONT_REGULAR}, {"bold", FONT_BOLD},
                {"italic", FONT_ITALIC},   {"bold italic", FONT_BOLD_ITALIC},
                {"oblique", FONT_ITALIC},  {"bold oblique", FONT_BOLD_ITALIC}};
  for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
    if (strcasecmp(s, styles[i].name) == 0)
      return (int)styles[i].shape;
  return -1;
}

typedef enum { FOUND, NOT_FOUND, FAILED } find_result;

static find_result family_find(font_set *fs, const char *name,
                               const char *base_dir, font_family **out);

/* "Family:bold": the family's face of that shape as a family of its own,
 * for a role set wholly in it (a title in a bold Song for 小标宋). */
static find_result face_as_family(font_set *fs, const char *name,
                                  const char *colon, font_shape shape,
                                  const char *base_dir, font_family **out) {
  char *base = strndup(name, (size_t)(colon - name));
  if (!base)
    out_of_memory();
  font_family *whole = NULL;
  find_result r = family_find(fs, base, base_dir, &whole);
  font_face *f = r == FOUND ? whole->shape[shape] : NULL;
  if (r == FOUND && !f)
    diag(DIAG_WARNING, NULL, 0, 0, "font \"%s\" has no %s face", base,
         colon + 1);
  free(base);
  font_family *fam = family_add(fs, name);
  fam->missing = f == NULL;
  if (!f)
    return r == FAILED ? FAILED : NOT_FOUND;
  fam->shape[FONT_REGULAR] = f;
  if (shape & FONT_BOLD)
    fam->shape[FONT_BOLD] = f;
  *out = fam;
  return FOUND;
}

/* A family by name: one Debian installs (known[]), a file (relative to
 * base_dir; "file.ttc#2" for a face of a collection), "Family:style", or
 * one fontconfig knows. */
static find_result family_find(font_set *fs, const char *name,
                               const char *base_dir, font_family **out) {
  buf key = {0};
  if (is_font_file(name) && name[0] != '/')
    buf_printf(&key, "%s/%s", base_dir, name);
  else
    buf_puts(&key, name);
  for (size_t i = 0; i < fs->n_families; i++)
    if (strcmp(fs->families[i]->name, key.data) == 0) {
      *out = fs->families[i];
      buf_free(&key);
      return fs->families[i]->missing ? NOT_FOUND : FOUND;
    }
  const char *colon = strrchr(name, ':');
  int shape = colon && !is_font_file(name) ? style_suffix(colon + 1) : -1;
  if (shape >= 0) {
    buf_free(&key);
    return face_as_family(fs, name, colon, (font_shape)shape, base_dir, out);
  }
  find_result res = NOT_FOUND;
  font_face *faces[4] = {0};
  for (size_t i = 0; i < sizeof known / sizeof *known && res == NOT_FOUND;
       i++) {
    if (strcasecmp(known[i].name, name) != 0 ||
        access(known[i].face[0].file, R_OK) != 0)
      continue;
    res = FOUND;
    for (int s = 0; s < 4 && res == FOUND; s++) {
      const known_face *k = &known[i].face[s];
      if (k->file && access(k->file, R_OK) == 0 &&
          !(faces[s] = face_get(fs, k->file, k->index, DIAG_WARNING)))
        res = FAILED;
    }
  }
  if (res == NOT_FOUND && is_font_file(name)) {
    /* a user's file that cannot be used is skipped, like a name not found */
    unsigned index;
    char *path = strndup(key.data, strip_index(key.data, &index));
    if (!path)
      out_of_memory();
    if (access(path, R_OK) == 0)
      res = (faces[0] = face_get(fs, path, index, DIAG_WARNING)) ? FOUND
                                                                 : NOT_FOUND;
    else
      diag(DIAG_WARNING, path, 0, 0, "cannot read the font: %s",
           strerror(errno));
    free(path);
  } else if (res == NOT_FOUND) {
    fontfind_face found[4];
    fontfind_result r = fontfind_family(name, found);
    /* FONTFIND_NOT_TT: fontfind_family has said in what form it is */
    if (r == FONTFIND_OK) {
      for (int s = 0; s < 4; s++)
        if (found[s].path)
          faces[s] = face_get(fs, found[s].path, found[s].index, DIAG_WARNING);
      fontfind_free(found);
      for (int s = 1; s < 4; s++)
        if (faces[s] == faces[0])
          faces[s] = NULL; /* the regular face standing in: not a shape */
      res = faces[0] ? FOUND : NOT_FOUND;
    }
  }
  /* a name looked for once is known, found or not: each lookup lists the
   * installed fonts */
  font_family *fam = family_add(fs, key.data);
  fam->missing = res != FOUND;
  if (res == FOUND) {
    memcpy(fam->shape, faces, sizeof faces);
    if (fam->shape[FONT_BOLD])
      fam->shape[FONT_BOLD]->has_bold = 1;
    if (fam->shape[FONT_BOLD_ITALIC])
      fam->shape[FONT_BOLD_ITALIC]->has_bold = 1;
    *out = fam;
  }
  buf_free(&key);
  return res;
}

font_set *font_set_load(void) {
  font_set *fs = calloc(1, sizeof *fs);
  if (!fs)
    out_of_memory();
  static const char *const last_resort[] = {"DejaVu Sans",
                                            "Droid Sans Fallback"};
  for (int i = 0; i < 2; i++) {
    font_family *fam;
    if (family_find(fs, last_resort[i], ".", &fam) != FOUND) {
      font_set_free(fs);
      return NULL;
    }
    fs->fallback.fam[fs->fallback.n++] = fam;
  }
  return fs;
}

void font_set_free(font_set *fs) {
  if (!fs)
    return;
  for (size_t i = 0; i < fs->n_all; i++)
    face_free(fs->all[i]);
  for (size_t i = 0; i < fs->n_families; i++) {
    free(fs->families[i]->name);
    free(fs->families[i]);
  }
  free(fs->all);
  free(fs->families);
  free(fs);
  fontfind_cleanup();
}

void font_set_reset_usage(font_set *fs) {
  for (size_t i = 0; i < fs->n_all; i++) {
    hb_set_clear(fs->all[i]->used);
    fs->all[i]->pdf = NULL;
  }
}

int font_stack_resolve(font_set *fs, const style_fonts *names,
                       font_stack *out) {
  memset(out, 0, sizeof *out);
  /* files named in a style file are found beside it */
  char base[4096] = ".";
  const char *slash = names->file ? strrchr(names->file, '/') : NULL;
  if (slash && (size_t)(slash - names->file) < sizeof base) {
    memcpy(base, names->file, (size_t)(slash - names->file));
    base[slash - names->file] = '\0';
  }
  int failed = 0;
  for (int i = 0; i < names->n; i++) {
    font_family *fam = NULL;
    find_result r = family_find(fs, names->name[i], base, &fam);
    if (r == FOUND)
      out->fam[out->n++] = fam;
    failed |= r == FAILED;
  }
  if (out->n)
    return 0;
  if (!failed) {
    buf list = {0};
    for (int i = 0; i < names->n; i++)
      buf_printf(&list, "%s\"%s\"", i ? ", " : "", names->name[i]);
    diag(DIAG_ERROR, names->file, names->line, 0,
         "font: none of %s is installed or a readable font file (a face "
         "is named as \"Family:bold\": regular, bold, italic or bold "
         "italic)",
         list.data ? list.data : "");
    buf_free(&list);
  }
  return -1;
}

int font_stacks_resolve(font_set *fs, const style *st, font_stacks *out) {
  memset(out, 0, sizeof *out);
  int rc = 0;
  /* the body first: roles that name no fonts take its stack */
  if (font_stack_resolve(fs, &st->role[DOC_ROLE_BODY].font,
                         &out->role[DOC_ROLE_BODY]) != 0)
    return -1;
  for (int r = 0; r < DOC_ROLE_COUNT; r++) {
    if (r == DOC_ROLE_BODY)
      continue;
    if (!st->role[r].font.n)
      out->role[r] = out->role[DOC_ROLE_BODY];
    else if (font_stack_resolve(fs, &st->role[r].font, &out->role[r]) != 0)
      rc = -1;
  }
  out->role[DOC_ROLE_CODE].keep_latin = 1;
  out->code_span = out->role[DOC_ROLE_CODE];
  if (st->cjk_latin.n &&
      font_stack_resolve(fs, &st->cjk_latin, &out->cjk_latin) != 0)
    rc = -1;
  if (st->cjk_emphasis.n &&
      font_stack_resolve(fs, &st->cjk_emphasis, &out->cjk_emphasis) != 0)
    rc = -1;
  out->rules.cjk_latin = out->cjk_latin.n ? &out->cjk_latin : NULL;
  out->rules.cjk_emphasis = out->cjk_emphasis.n ? &out->cjk_emphasis : NULL;
  return rc;
}

font_face *font_family_face(const font_family *fam, font_shape shape,
                            int *fake_bold) {
  static const font_shape nearer[4][4] = {
      {FONT_REGULAR, FONT_REGULAR, FONT_REGULAR, FONT_REGULAR},
      {FONT_BOLD, FONT_REGULAR, FONT_REGULAR, FONT_REGULAR},
      {FONT_ITALIC, FONT_REGULAR, FONT_REGULAR, FONT_REGULAR},
      {FONT_BOLD_ITALIC, FONT_BOLD, FONT_ITALIC, FONT_REGULAR}};
  font_face *f = NULL;
  for (int i = 0; i < 4 && !f; i++)
    f = fam->shape[nearer[shape][i]];
  *fake_bold = (shape & FONT_BOLD) && f && !f->has_bold;
  return f;
}

font_face *font_family_shape(const font_family *fam, font_shape shape) {
  return fam->shape[shape];
}

const char *font_family_name(const font_family *fam) { return fam->name; }

const font_family *font_set_family(const font_set *fs, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < fs->n_families; i++) {
    const char *key = fs->families[i]->name;
    size_t k = strlen(key);
    /* a file named relative to a style is known by its full path */
    if (!strcmp(key, name) ||
        (k > n && key[k - n - 1] == '/' && !strcmp(key + k - n, name)))
      return fs->families[i]->missing ? NULL : fs->families[i];
  }
  return NULL;
}

/* advance[cp]: 0 not yet looked up, -2 not covered, -3 a combining mark
 * the face has (no advance of its own), else the advance in font units */
enum { ADVANCE_NONE = -2, ADVANCE_MARK = -3 };

static int is_mark(uint32_t cp) {
  hb_unicode_general_category_t c =
      hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
  return c == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
         c == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
         c == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

int font_covers(font_face *f, uint32_t cp) {
  /* the Basic Multilingual Plane only, as the PDF's codes were once */
  if (cp >= 0x10000)
    return 0;
  return font_advance(f, cp) > 0 || f->advance[cp] == ADVANCE_MARK;
}

double font_advance(font_face *f, uint32_t cp) {
  int16_t *slot = cp < 65536 ? &f->advance[cp] : NULL;
  if (slot && *slot != 0)
    return *slot < 0 ? 0 : (double)*slot / f->upem;
  hb_codepoint_t glyph;
  double adv = 0;
  int covered = hb_font_get_nominal_glyph(f->font, cp, &glyph);
  if (covered)
    adv = (double)hb_font_get_glyph_h_advance(f->font, glyph);
  /* a mark (an Arabic vowel sign, a combining accent) is covered with no
   * advance: the shaper places it on its base */
  if (slot)
    *slot = covered && adv > 0 && adv < 32000 ? (int16_t)adv
            : covered && is_mark(cp)          ? ADVANCE_MARK
                                              : ADVANCE_NONE;
  if (!covered || adv <= 0)
    return 0;
  return adv / f->upem;
}

double font_ascender(const font_face *f) { return f->ascender; }
double font_descender(const font_face *f) { return f->descender; }
double font_strike_position(const font_face *f) { return f->strike_pos; }
double font_strike_size(const font_face *f) { return f->strike_size; }
int font_is_cjk(const font_face *f) { return f->cjk; }
const char *font_name(const font_face *f) { return f->name; }
const char *font_path(const font_face *f) { return f->path; }
font_outlines font_outlines_of(const font_face *f) { return f->outlines; }
unsigned font_index(const font_face *f) { return f->index; }
void font_use(font_face *f, uint32_t cp) { hb_set_add(f->used, cp); }
int font_used_any(const font_face *f) { return !hb_set_is_empty(f->used); }
void *font_pdf_handle(const font_face *f) { return f->pdf; }
void font_set_pdf_handle(font_face *f, void *handle) { f->pdf = handle; }

/* The first family in stack whose face covers cp; cjk_only takes only CJK
 * faces (for punctuation a Latin face also has). */
static font_face *pick_in(const font_stack *stack, font_shape shape,
                          uint32_t cp, int cjk_only, int *fake_bold) {
  for (int i = 0; stack && i < stack->n; i++) {
    font_face *f = font_family_face(stack->fam[i], shape, fake_bold);
    if (f && (!cjk_only || f->cjk) && font_covers(f, cp))
      return f;
  }
  return NULL;
}

/* The Noto face for a Hebrew or Arabic character, of the kind of the
 * stack's first family (sans or serif), found the first time it is
 * needed: opening every face a style might need cost about 1.7 ms a face
 * on every run. */
static font_face *pick_script(font_set *fs, const font_stack *stack,
                              font_shape shape, uint32_t cp,
                              int *synthetic_bold) {
  int script = (cp >= 0x0590 && cp <= 0x05FF) || (cp >= 0xFB1D && cp <= 0xFB4F)
                   ? 0
               : (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
                       (cp >= 0x08A0 && cp <= 0x08FF) ||
                       (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF)
                   ? 1
                   : -1;
  if (script < 0)
    return NULL;
  int sans = stack->n && strstr(font_family_name(stack->fam[0]), "Sans");
  int k = script * 2 + (sans ? 1 : 0);
  static const char *const names[4] = {"Noto Serif Hebrew", "Noto Sans Hebrew",
                                       "Noto Naskh Arabic", "Noto Sans Arabic"};
  if (!fs->script_tried[k]) {
    fs->script_tried[k] = 1;
    if (family_find(fs, names[k], ".", &fs->script[k]) != FOUND)
      fs->script[k] = NULL;
  }
  if (!fs->script[k])
    return NULL;
  font_stack one = {.fam = {fs->script[k]}, .n = 1};
  return pick_in(&one, shape, cp, 0, synthetic_bold);
}

font_face *font_pick(font_set *fs, const font_stack *stack,
                     const font_rules *rules, font_shape shape, int cjk_text,
                     uint32_t cp, int *synthetic_bold) {
  *synthetic_bold = 0;
  int want_cjk =
      font_is_cjk_char(cp) || (cjk_text && font_is_ambiguous_punct(cp));
  font_face *f = NULL;
  if (want_cjk) {
    /* CJK text has no italic: emphasis takes the style's emphasis face */
    if ((shape & FONT_ITALIC) && rules)
      f = pick_in(rules->cjk_emphasis, shape & FONT_BOLD ? FONT_BOLD : 0, cp, 1,
                  synthetic_bold);
    if (!f)
      f = pick_in(stack, shape, cp, 1, synthetic_bold);
  }
  if (!f && cjk_text && rules && rules->cjk_latin && !stack->keep_latin) {
    /* CJK documents may set their Latin letters in one face that sits
     * well beside the CJK one (a circular's Times New Roman).  What that
     * face lacks comes from the CJK faces first. */
    f = pick_in(rules->cjk_latin, shape, cp, 0, synthetic_bold);
    if (!f && !want_cjk)
      f = pick_in(stack, shape, cp, 1, synthetic_bold);
  }
  if (!f)
    f = pick_in(stack, shape, cp, 0, synthetic_bold);
  if (!f && cp >= 0x0590)
    f = pick_script(fs, stack, shape, cp, synthetic_bold);
  if (!f)
    f = pick_in(&fs->fallback, shape, cp, 0, synthetic_bold);
  return f;
}

char *font_subset(font_face *f, const uint16_t *gids, size_t n,
                  uint16_t *new_gids, size_t *len) {
  hb_blob_t *blobs[6];
  ttf_source src;
  font_ttf_tables(f->face, &src, blobs);
  buf out = {0};
  int rc = ttf_subset(&src, gids, n, new_gids, &out);
  font_ttf_tables_release(blobs);
  if (rc != 0) {
    buf_free(&out);
    return NULL;
  }
  return buf_detach(&out, len);
}

/* hb-subset keeps glyph order, so the glyphs asked for are numbered in
 * the subset as in the font, and the CIDs of a CID-keyed font stay in its
 * charset; the subset's numbering is read back from the plan all the same. */
char *font_subset_cff(font_face *f, const uint16_t *gids, size_t n,
                      uint16_t *codes, size_t *len) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in)
    return NULL;
  hb_set_t *glyphs = hb_subset_input_glyph_set(in);
  hb_set_add(glyphs, 0);
  for (size_t i = 0; i < n; i++)
    hb_set_add(glyphs, gids[i]);
  /* the outlines only: the PDF draws glyphs by number, so no layout
   * tables and no closure over them; no hints (a page is printed) and no
   * subroutines (measured on Noto Serif CJK: a smaller file once
   * compressed, and a faster subset) */
  hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const hb_tag_t dropped[] = {
      HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
      HB_TAG('G', 'D', 'E', 'F'), HB_TAG('B', 'A', 'S', 'E'),
      HB_TAG('J', 'S', 'T', 'F'), HB_TAG('V', 'O', 'R', 'G'),
      HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
      HB_TAG('k', 'e', 'r', 'n'), HB_TAG('n', 'a', 'm', 'e'),
      HB_TAG('c', 'm', 'a', 'p'), HB_TAG('D', 'S', 'I', 'G')};
  for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
    hb_set_add(drop, dropped[i]);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING |
                                    HB_SUBSET_FLAGS_DESUBROUTINIZE);
  hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->face, in);
  hb_subset_input_destroy(in);
  hb_face_t *sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
  char *out = NULL;
  if (sub) {
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    unsigned n_glyphs = hb_face_get_glyph_count(sub);
    hb_blob_t *t = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
    unsigned size = 0;
    const char *d = hb_blob_get_data(t, &size);
    uint16_t *cids = malloc((n_glyphs + 1) * sizeof *cids);
    if (!cids)
      out_of_memory();
    int ok = d && size && n_glyphs &&
             cff_read((const unsigned char *)d, size, n_glyphs, cids) >= 0;
    for (size_t i = 0; ok && i < n; i++) {
      hb_codepoint_t g = hb_map_get(old_to_new, gids[i]);
      ok = g < n_glyphs;
      codes[i] = ok ? cids[g] : 0;
    }
    if (ok && (out = malloc(size)) != NULL) {
      memcpy(out, d, size);
      *len = size;
    }
    free(cids);
    hb_blob_destroy(t);
    hb_face_destroy(sub);
  }
  hb_subset_plan_destroy(plan);
  return out;
}

hb_face_t *font_hb_face(const font_face *f) { return f->face; }
hb_font_t *font_hb_font(const font_face *f) { return f->font; }
unsigned font_upem(const font_face *f) { return f->upem; }

void font_used_blocks(const font_face *f, unsigned char used[256]) {
  memset(used, 0, 256);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(f->used, &cp))
    if (cp < 0x10000)
      used[cp >> 8] = 1;
}

void font_blank_sides(font_face *f, uint32_t cp, double *left, double *right) {
  *left = *right = 0;
  hb_codepoint_t glyph;
  hb_glyph_extents_t ext;
  if (!hb_font_get_nominal_glyph(f->font, cp, &glyph) ||
      !hb_font_get_glyph_extents(f->font, glyph, &ext))
    return;
  double adv = (double)hb_font_get_glyph_h_advance(f->font, glyph);
  double l = ext.x_bearing, r = adv - (ext.x_bearing + ext.width);
  *left = l > 0 ? l / f->upem : 0;
  *right = r > 0 ? r / f->upem : 0;
}

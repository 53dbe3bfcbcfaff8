/* meta.c - front matter.  libyaml gives events, not a tree: we accept a
 * mapping of known keys to strings or lists of strings and refuse aliases
 * outright, so no document can make us expand a "billion laughs". */
#include "meta.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"
#include "utf8.h"

typedef enum { FIELD_TEXT, FIELD_LIST } field_kind;

typedef struct {
  const char *key;
  field_kind kind;
  size_t offset; /* of the const char * (TEXT) or const char ** (LIST) */
  size_t count;  /* LIST: of its size_t count */
} field;

#define TEXT_FIELD(name)                                                       \
  { #name, FIELD_TEXT, offsetof(doc_meta, name), 0 }
#define LIST_FIELD(key, name)                                                  \
  { key, FIELD_LIST, offsetof(doc_meta, name), offsetof(doc_meta, n_##name) }
static const field fields[] = {
    TEXT_FIELD(title),
    TEXT_FIELD(subtitle),
    LIST_FIELD("author", authors),
    TEXT_FIELD(date),
    TEXT_FIELD(lang),
    TEXT_FIELD(dir),
    TEXT_FIELD(source),
    TEXT_FIELD(category),
    LIST_FIELD("keywords", keywords),
    TEXT_FIELD(number),
    TEXT_FIELD(authority),
    TEXT_FIELD(identifier),
    TEXT_FIELD(rights),
    TEXT_FIELD(description),
    TEXT_FIELD(cover),
    {"copy-number", FIELD_TEXT, offsetof(doc_meta, copy_number), 0},
    TEXT_FIELD(secrecy),
    TEXT_FIELD(urgency),
    LIST_FIELD("signer", signers),
    LIST_FIELD("attachments", attachments),
    LIST_FIELD("cc", cc),
    LIST_FIELD("present", present),
    LIST_FIELD("absent", absent),
    LIST_FIELD("attending", attending),
    {"printed-by", FIELD_TEXT, offsetof(doc_meta, printed_by), 0},
    {"printed-date", FIELD_TEXT, offsetof(doc_meta, printed_date), 0},
    {"signature-name", FIELD_TEXT, offsetof(doc_meta, signature_name), 0},
};
enum { N_FIELDS = sizeof fields / sizeof fields[0] };

static const field *find_field(const char *key) {
  for (size_t i = 0; i < N_FIELDS; i++)
    if (strcmp(fields[i].key, key) == 0)
      return &fields[i];
  return NULL;
}

static const char **text_slot(doc_meta *m, const field *f) {
  return (const char **)((char *)m + f->offset);
}

static size_t *count_slot(doc_meta *m, const field *f) {
  return (size_t *)((char *)m + f->count);
}

static void list_add(doc *d, const field *f, const char *value) {
  const char ***items = (const char ***)((char *)&d->meta + f->offset);
  size_t *n = count_slot(&d->meta, f);
  /* The array doubles whenever the count reaches a power of two, so a
   * list of 100,000 keywords is copied about twice, not 100,000 times. */
  if ((*n & (*n - 1)) == 0) {
    const char **grown = doc_alloc(d, (*n ? *n * 2 : 1) * sizeof *grown);
    if (*n)
      memcpy(grown, *items, *n * sizeof *grown);
    *items = grown;
  }
  (*items)[(*n)++] = doc_strdup(d, value);
}

static int is_digits(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

int meta_valid_date(const char *s) {
  size_t n = strlen(s);
  if (n < 4 || !is_digits(s, 4))
    return 0;
  if (n == 4)
    return 1;
  if (s[4] != '-' || n < 7 || !is_digits(s + 5, 2))
    return 0;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  if (month < 1 || month > 12)
    return 0;
  if (n == 7)
    return 1;
  if (s[7] != '-' || n < 10 || !is_digits(s + 8, 2))
    return 0;
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day < 1 || day > days[month - 1])
    return 0;
  if (n == 10)
    return 1;
  /* a time: THH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM] */
  const char *t = s + 10;
  if ((*t != 'T' && *t != ' ') || !is_digits(t + 1, 2) || t[3] != ':' ||
      !is_digits(t + 4, 2))
    return 0;
  if ((t[1] - '0') * 10 + (t[2] - '0') > 23 ||
      (t[4] - '0') * 10 + (t[5] - '0') > 59)
    return 0;
  t += 6;
  if (*t == ':') {
    if (!is_digits(t + 1, 2) || (t[1] - '0') * 10 + (t[2] - '0') > 60)
      return 0;
    t += 3;
    if (*t == '.') {
      t++;
      if (!isdigit((unsigned char)*t))
        return 0;
      while (isdigit((unsigned char)*t))
        t++;
    }
  }
  if (*t == 'Z')
    return t[1] == '\0';
  if (*t == '+' || *t == '-') {
    /* zones run from -14:00 to +14:00 (XML Schema's dateTime) */
    if (!is_digits(t + 1, 2) || t[3] != ':' || !is_digits(t + 4, 2) ||
        t[6] != '\0')
      return 0;
    int minutes = ((t[1] - '0') * 10 + (t[2] - '0')) * 60 +
                  (t[4] - '0') * 10 + (t[5] - '0');
    return (t[4] - '0') * 10 + (t[5] - '0') <= 59 && minutes <= 14 * 60;
  }
  return *t == '\0';
}

int meta_valid_lang(const char *s) {
  /* primary subtag of 2-8 letters, then subtags of 1-8 letters or digits */
  int len = 0, first = 1;
  for (const char *p = s;; p++) {
    if (*p == '-' || *p == '\0') {
      if (len == 0 || len > 8 || (first && len < 2))
        return 0;
      if (*p == '\0')
        return 1;
      len = 0;
      first = 0;
      continue;
    }
    if (first ? !isalpha((unsigned char)*p) : !isalnum((unsigned char)*p))
      return 0;
    len++;
  }
}

int meta_is_blank(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s > ' ' && *s != 0x7F)
      return 0;
  return 1;
}

int meta_lang_is_cjk(const char *lang) {
  if (!lang)
    return 0;
  static const char *const cjk[] = {"zh", "ja", "ko", "yue", "wuu", "lzh"};
  for (size_t i = 0; i < sizeof cjk / sizeof cjk[0]; i++) {
    size_t n = strlen(cjk[i]);
    if (strncasecmp(lang, cjk[i], n) == 0 &&
        (lang[n] == '\0' || lang[n] == '-'))
      return 1;
  }
  return 0;
}

int meta_dir(const doc_meta *m) {
  return !m->dir || !strcmp(m->dir, "auto") ? 0 : !strcmp(m->dir, "rtl") ? -1 : 1;
}

int meta_is_rtl(const doc_meta *m) {
  if (meta_dir(m))
    return meta_dir(m) < 0;
  static const char *const rtl[] = {"ar", "he", "fa", "ur", "yi", "ps",
                                    "sd", "ug", "dv", "ckb", "syr"};
  for (size_t i = 0; m->lang && i < sizeof rtl / sizeof rtl[0]; i++) {
    size_t n = strlen(rtl[i]);
    if (strncasecmp(m->lang, rtl[i], n) == 0 &&
        (m->lang[n] == '\0' || m->lang[n] == '-'))
      return 1;
  }
  return 0;
}

/* Checks one value for its field; reports and returns -1 when it is wrong. */
static int check_value(const doc *d, const field *f, const char *value,
                       int line, int col) {
  if ((strcmp(f->key, "date") == 0 || strcmp(f->key, "printed-date") == 0) &&
      !meta_valid_date(value)) {
    diag(DIAG_ERROR, d->path, line, col,
         "%s \"%s\" is not an ISO 8601 date (write 2026-03-14)", f->key,
         value);
    return -1;
  }
  if (strcmp(f->key, "copy-number") == 0 &&
      (strlen(value) > 6 || !is_digits(value, (int)strlen(value)))) {
    diag(DIAG_ERROR, d->path, line, col,
         "copy-number \"%s\" is not a serial of up to 6 digits (GB/T "
         "9704-2012 7.2.1: write 000012 or 12)",
         value);
    return -1;
  }
  if (strcmp(f->key, "dir") == 0 && strcmp(value, "ltr") != 0 &&
      strcmp(value, "rtl") != 0 && strcmp(value, "auto") != 0) {
    diag(DIAG_ERROR, d->path, line, col,
         "dir \"%s\" is not a direction (write rtl, ltr or auto)", value);
    return -1;
  }
  if (strcmp(f->key, "lang") == 0 && !meta_valid_lang(value)) {
    diag(DIAG_ERROR, d->path, line, col,
         "lang \"%s\" is not a BCP 47 language tag (write en, zh-CN)", value);
    return -1;
  }
  return 0;
}

/* ---- the document number (发文字号, GB/T 9704-2012 7.2.5) ---- */

static int is_open_bracket(uint32_t c) {
  return c == '[' || c == '(' || c == '{' || c == 0xFF3B || c == 0xFF08 ||
         c == 0xFF5B || c == 0x3010 || c == 0x3014 || c == 0x3016 ||
         c == 0x3018 || c == 0x301A || c == 0x2985 || c == 0xFE5D ||
         c == 0xFE59;
}

static int is_close_bracket(uint32_t c) {
  return c == ']' || c == ')' || c == '}' || c == 0xFF3D || c == 0xFF09 ||
         c == 0xFF5D || c == 0x3011 || c == 0x3015 || c == 0x3017 ||
         c == 0x3019 || c == 0x301B || c == 0x2986 || c == 0xFE5E ||
         c == 0xFE5A;
}

static int digit_of(uint32_t c) {
  if (c >= '0' && c <= '9')
    return (int)(c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) /* full-width digits */
    return (int)(c - 0xFF10);
  return -1;
}

/* Reads one character at *i of s; 0 at the end. */
static uint32_t next_cp(const char *s, size_t *i) {
  uint32_t cp = 0;
  size_t n = strlen(s + *i);
  if (!n)
    return 0;
  int len = utf8_decode((const unsigned char *)s + *i, n, &cp);
  *i += len > 0 ? (size_t)len : 1;
  return len > 0 ? cp : 0xFFFD;
}

static int is_space_cp(uint32_t c) {
  return c == ' ' || c == '\t' || c == 0x3000;
}

/* Writes the standard's form of a document number into out: the agency
 * code as written, the year in 〔〕 whatever brackets were typed, the serial
 * number without 第 and leading zeros, then 号.  Returns 0, or -1 when v
 * is not a code, a bracketed four-digit year and a serial number. */
int meta_normalise_number(const char *v, buf *out) {
  size_t i = 0, prefix_end = 0;
  uint32_t c;
  /* the agency code: everything before the first bracket */
  for (;;) {
    c = next_cp(v, &i);
    if (!c)
      return -1;
    if (is_open_bracket(c))
      break;
    if (!is_space_cp(c))
      prefix_end = i;
  }
  do
    c = next_cp(v, &i);
  while (is_space_cp(c));
  int year = 0, digits = 0;
  for (; digit_of(c) >= 0; c = next_cp(v, &i), digits++)
    year = year * 10 + digit_of(c);
  while (is_space_cp(c))
    c = next_cp(v, &i);
  if (digits != 4 || !is_close_bracket(c))
    return -1;
  do
    c = next_cp(v, &i);
  while (is_space_cp(c));
  if (c == 0x7B2C) { /* 第 */
    do
      c = next_cp(v, &i);
    while (is_space_cp(c));
  }
  unsigned long serial = 0;
  digits = 0;
  for (; digit_of(c) >= 0; c = next_cp(v, &i), digits++) {
    if (serial > 100000000UL)
      return -1;
    serial = serial * 10 + (unsigned long)digit_of(c);
  }
  while (is_space_cp(c))
    c = next_cp(v, &i);
  if (c == 0x53F7) /* 号 */
    c = next_cp(v, &i);
  while (is_space_cp(c))
    c = next_cp(v, &i);
  if (!digits || !serial || c)
    return -1;
  buf_printf(out, "%.*s\u3014%04d\u3015%lu\u53F7", (int)prefix_end, v, year,
             serial);
  return 0;
}

/* The document number as the standard writes it, or as typed with a
 * warning when it cannot be read as one.  Numbers of ASCII text only (an
 * English document's "No. 12") are left alone. */
static const char *document_number(doc *d, const char *value, int line,
                                   int col) {
  buf out = {0};
  const char *r = NULL;
  if (meta_normalise_number(value, &out) == 0) {
    r = doc_strndup(d, out.data, out.len);
  } else {
    int ascii = 1;
    for (const char *p = value; *p; p++)
      ascii &= (unsigned char)*p < 0x80;
    if (!ascii)
      diag(DIAG_WARNING, d->path, line, col,
           "number \"%s\" is not of the form 机关代字〔2026〕7号 "
           "(GB/T 9704-2012 7.2.5: a bracketed four-digit year, then the "
           "serial number and 号); printed as typed",
           value);
  }
  buf_free(&out);
  return r ? r : doc_strdup(d, value);
}

/* A copy number (份号) as the standard prints it: six digits, zeros
 * before (the value is checked: at most six ASCII digits). */
static const char *copy_number(doc *d, const char *value) {
  char six[8] = "000000";
  size_t n = strlen(value);
  memcpy(six + 6 - n, value, n);
  return doc_strndup(d, six, 6);
}

/* Returns -1 when the value is wrong (reported), 0 when set.  A blank
 * value (spaces and control characters only) counts as not given: templates
 * leave fields as '', and an empty title or creator is no metadata. */
static int set_field(doc *d, const field *f, const char *value, int line,
                     int col) {
  if (meta_is_blank(value))
    return 0;
  if (check_value(d, f, value, line, col) != 0)
    return -1;
  if (strcmp(f->key, "number") == 0)
    *text_slot(&d->meta, f) = document_number(d, value, line, col);
  else if (strcmp(f->key, "copy-number") == 0) /* six digits, 7.2.1 */
    *text_slot(&d->meta, f) = copy_number(d, value);
  else if (f->kind == FIELD_TEXT)
    *text_slot(&d->meta, f) = doc_strdup(d, value);
  else
    list_add(d, f, value);
  if (strcmp(f->key, "cover") == 0)
    d->meta.cover_line = line;
  return 0;
}

/* A YAML null: an empty plain scalar, ~ or null. */
static int is_null(const yaml_event_t *ev) {
  const char *v = (const char *)ev->data.scalar.value;
  return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         (v[0] == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
          strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0);
}

typedef struct {
  doc *d;
  yaml_parser_t parser;
  int first_line;
  int errors;
  int depth; /* open mappings and sequences */
} fm_parser;

enum { META_MAX_DEPTH = 16 };

static int line_of(const fm_parser *p, yaml_mark_t m) {
  return p->first_line + (int)m.line;
}

/* Next event; a parse error or an alias is reported and ends the parse. */
static int next_event(fm_parser *p, yaml_event_t *ev) {
  if (!yaml_parser_parse(&p->parser, ev)) {
    yaml_mark_t m = p->parser.problem_mark;
    diag(DIAG_ERROR, p->d->path, line_of(p, m), (int)m.column + 1,
         "malformed front matter: %s%s%s",
         p->parser.problem ? p->parser.problem : "syntax error",
         p->parser.context ? " " : "",
         p->parser.context ? p->parser.context : "");
    return -1;
  }
  /* libyaml rescans its open flow levels for every token, so nesting
   * 100,000 deep costs it minutes: stop at a depth no metadata needs. */
  if (ev->type == YAML_SEQUENCE_START_EVENT ||
      ev->type == YAML_MAPPING_START_EVENT) {
    if (++p->depth > META_MAX_DEPTH) {
      diag(DIAG_ERROR, p->d->path, line_of(p, ev->start_mark),
           (int)ev->start_mark.column + 1,
           "front matter nested deeper than %d levels", META_MAX_DEPTH);
      yaml_event_delete(ev);
      return -1;
    }
  } else if (ev->type == YAML_SEQUENCE_END_EVENT ||
             ev->type == YAML_MAPPING_END_EVENT) {
    p->depth--;
  }
  if (ev->type == YAML_ALIAS_EVENT) {
    diag(DIAG_ERROR, p->d->path, line_of(p, ev->start_mark),
         (int)ev->start_mark.column + 1,
         "front matter uses a YAML alias (*%s); aliases are not allowed",
         (const char *)ev->data.alias.anchor);
    yaml_event_delete(ev);
    return -1;
  }
  return 0;
}

/* Skips a whole value whose first event is ev (already read). */
static int skip_value(fm_parser *p, yaml_event_t *ev) {
  int depth = 0;
  for (;;) {
    if (ev->type == YAML_SEQUENCE_START_EVENT ||
        ev->type == YAML_MAPPING_START_EVENT)
      depth++;
    else if (ev->type == YAML_SEQUENCE_END_EVENT ||
             ev->type == YAML_MAPPING_END_EVENT)
      depth--;
    yaml_event_delete(ev);
    if (depth == 0)
      return 0;
    if (next_event(p, ev) != 0)
      return -1;
  }
}

static const char *kind_name(yaml_event_type_t t) {
  return t == YAML_MAPPING_START_EVENT ? "a mapping" : "a list";
}

/* Reads the value of key f; ev holds its first event.  A wrong value is
 * reported and counted; -1 means the YAML itself is broken. */
static int read_value(fm_parser *p, const field *f, yaml_event_t *ev) {
  doc *d = p->d;
  int line = line_of(p, ev->start_mark), col = (int)ev->start_mark.column + 1;
  if (ev->type == YAML_SCALAR_EVENT) {
    if (!is_null(ev) &&
        set_field(d, f, (const char *)ev->data.scalar.value, line, col) != 0)
      p->errors++;
    yaml_event_delete(ev);
    return 0;
  }
  if (f->kind == FIELD_TEXT || ev->type == YAML_MAPPING_START_EVENT) {
    diag(DIAG_ERROR, d->path, line, col, "%s must be %s, not %s", f->key,
         f->kind == FIELD_TEXT ? "a string" : "a string or a list of strings",
         kind_name(ev->type));
    p->errors++;
    return skip_value(p, ev);
  }
  yaml_event_delete(ev); /* the sequence start */
  for (;;) {
    if (next_event(p, ev) != 0)
      return -1;
    if (ev->type == YAML_SEQUENCE_END_EVENT) {
      yaml_event_delete(ev);
      return 0;
    }
    line = line_of(p, ev->start_mark);
    col = (int)ev->start_mark.column + 1;
    if (ev->type != YAML_SCALAR_EVENT) {
      diag(DIAG_ERROR, d->path, line, col,
           "each item of %s must be a string, not %s", f->key,
           kind_name(ev->type));
      p->errors++;
      if (skip_value(p, ev) != 0)
        return -1;
      continue;
    }
    if (!is_null(ev) &&
        set_field(d, f, (const char *)ev->data.scalar.value, line, col) != 0)
      p->errors++;
    yaml_event_delete(ev);
  }
}

static int parse_mapping(fm_parser *p) {
  doc *d = p->d;
  unsigned seen = 0; /* one bit per field */
  yaml_event_t ev;
  for (;;) {
    if (next_event(p, &ev) != 0)
      return -1;
    if (ev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&ev);
      return 0;
    }
    int line = line_of(p, ev.start_mark), col = (int)ev.start_mark.column + 1;
    if (ev.type != YAML_SCALAR_EVENT) {
      diag(DIAG_ERROR, d->path, line, col,
           "front-matter keys must be plain words, not %s", kind_name(ev.type));
      return -1;
    }
    char key[64];
    snprintf(key, sizeof key, "%s", (const char *)ev.data.scalar.value);
    yaml_event_delete(&ev);
    const field *f = find_field(key);
    if (next_event(p, &ev) != 0)
      return -1;
    if (!f) {
      diag(DIAG_WARNING, d->path, line, col,
           "unknown front-matter key \"%s\" ignored", key);
      if (skip_value(p, &ev) != 0)
        return -1;
      continue;
    }
    unsigned bit = 1u << (f - fields);
    if (seen & bit) {
      diag(DIAG_ERROR, d->path, line, col, "\"%s\" is given twice", key);
      p->errors++;
      if (skip_value(p, &ev) != 0)
        return -1;
      continue;
    }
    seen |= bit;
    if (read_value(p, f, &ev) != 0)
      return -1;
  }
}

int meta_parse(doc *d, const char *yaml, size_t len, int first_line) {
  fm_parser p = {.d = d, .first_line = first_line};
  if (!yaml_parser_initialize(&p.parser)) {
    diag(DIAG_ERROR, d->path, first_line, 0, "cannot start the YAML parser");
    return -1;
  }
  yaml_parser_set_input_string(&p.parser, (const unsigned char *)yaml, len);
  yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
  int rc = 0;
  yaml_event_t ev;
  int done = 0;
  while (!done && rc == 0) {
    if (next_event(&p, &ev) != 0) {
      rc = -1;
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
      yaml_event_delete(&ev);
      break;
    case YAML_STREAM_END_EVENT:
      yaml_event_delete(&ev);
      done = 1;
      break;
    case YAML_MAPPING_START_EVENT:
      yaml_event_delete(&ev);
      rc = parse_mapping(&p);
      break;
    case YAML_SCALAR_EVENT:
      if (is_null(&ev)) { /* an empty front matter */
        yaml_event_delete(&ev);
        break;
      }
      /* fall through */
    default:
      diag(DIAG_ERROR, d->path, line_of(&p, ev.start_mark),
           (int)ev.start_mark.column + 1,
           "front matter must be a mapping of key: value lines");
      yaml_event_delete(&ev);
      rc = -1;
      break;
    }
  }
  yaml_parser_delete(&p.parser);
  return rc != 0 || p.errors ? -1 : 0;
}

void meta_clean_text(const char *s, size_t len, buf *out) {
  buf repaired = {0};
  utf8_repair(s, len, &repaired, NULL);
  const unsigned char *p = (const unsigned char *)repaired.data;
  size_t left = repaired.len;
  while (left) {
    uint32_t cp = utf8_next(&p, &left);
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp < 0xA0) ||
        utf8_is_noncharacter(cp))
      cp = UTF8_REPLACEMENT;
    utf8_encode(out, cp);
  }
  buf_free(&repaired);
}

int meta_set(doc *d, const char *key, const char *value, const char *origin) {
  const field *f = find_field(key);
  if (!f) {
    diag(DIAG_ERROR, origin, 0, 0, "unknown metadata key \"%s\"", key);
    return -1;
  }
  /* A value from the command line has not been through the reader's
   * cleaning: ill-formed UTF-8, controls and noncharacters become U+FFFD
   * here, so they never reach the XML of the EPUB raw. */
  buf clean = {0};
  meta_clean_text(value, strlen(value), &clean);
  const char *saved = d->path;
  d->path = origin;
  int rc = set_field(d, f, clean.data ? clean.data : "", 0, 0);
  d->path = saved;
  buf_free(&clean);
  /* A title given here replaces the one a leading heading lent: that
   * heading is then text of the document again, not the title. */
  if (rc == 0 && strcmp(f->key, "title") == 0)
    d->title_heading = NULL;
  return rc;
}

void meta_override(doc *dst, const doc_meta *src) {
  if (src->cover_file) {
    dst->meta.cover_file = doc_strdup(dst, src->cover_file);
    dst->meta.cover_media_type = src->cover_media_type;
  }
  for (size_t i = 0; i < N_FIELDS; i++) {
    const field *f = &fields[i];
    if (f->kind == FIELD_TEXT) {
      const char *v = *text_slot((doc_meta *)src, f);
      if (v)
        *text_slot(&dst->meta, f) = doc_strdup(dst, v);
      continue;
    }
    size_t n = *count_slot((doc_meta *)src, f);
    if (!n)
      continue;
    const char **items = *(const char ***)((char *)src + f->offset);
    *count_slot(&dst->meta, f) = 0;
    for (size_t k = 0; k < n; k++)
      list_add(dst, f, items[k]);
  }
}

/* main.c - runs every unit test and prints "unit: N passed, N failed". */
#include <stdio.h>

#include "test.h"

int test_passed, test_failed;
const char *test_name;

#define TESTS(X)                                                               \
  X(utf8_decode_rejects_ill_formed)                                            \
  X(utf8_repair_replaces_maximal_subparts)                                     \
  X(sha1_known_vectors)                                                        \
  X(strmap_add_get_grow)                                                       \
  X(xml_escape_drops_forbidden)                                                \
  X(url_classify_schemes)                                                      \
  X(url_hosts)                                                                 \
  X(url_escape_and_decode)                                                     \
  X(utf8_noncharacters)                                                        \
  X(doc_outline_depth_within_bound)                                            \
  X(meta_dates)                                                                \
  X(meta_langs)                                                                \
  X(doc_iter_order_and_skip)                                                   \
  X(reader_front_matter_fields)                                                \
  X(reader_front_matter_errors)                                                \
  X(reader_bom_crlf_invalid_utf8)                                              \
  X(reader_blocks_and_lists)                                                   \
  X(reader_inlines)                                                            \
  X(reader_heading_anchors)                                                    \
  X(reader_title_fallbacks)                                                    \
  X(reader_nesting_is_bounded)                                                 \
  X(reader_images_resolve_safely)                                              \
  X(reader_gfm_extensions)                                                     \
  X(reader_commonmark_dialect)                                                 \
  X(reader_table_guard)                                                        \
  X(style_css_sizes)                                                           \
  X(style_builtins)                                                            \
  X(style_files_extend_and_report)                                             \
  X(style_font_option)                                                         \
  X(labels_dates_and_meta_line)                                                \
  X(circular_document_numbers)                                                 \
  X(circular_signer_and_addressee)                                             \
  X(breaks_cjk_punctuation)                                                    \
  X(breaks_latin_words)                                                        \
  X(linebreak_total_fit)                                                       \
  X(linebreak_final_hyphen)                                                    \
  X(linebreak_overlong_word)                                                   \
  X(linebreak_no_lonely_cjk_last_line)                                         \
  X(linebreak_no_lonely_cjk_with_punctuation)                                 \
  X(linebreak_first_fit_for_long_paragraphs)                                   \
  X(titleshape_between_words)                                                  \
  X(titleshape_no_lone_character)                                              \
  X(wordbreak_icu)                                                             \
  X(layout_sizes_and_margins)                                                  \
  X(layout_widows_and_orphans)                                                 \
  X(floats_fill_the_page)                                                      \
  X(hyph_image_same_and_hostile)                                               \
  X(ttf_subset_closure_and_tables)                                             \
  X(ttf_subset_hostile)                                                         \
  X(shape_ligatures_and_kerning)                                               \
  X(shape_cjk_local_forms_and_halt)                                            \
  X(ytree_load_as_parsed)

#define DECLARE(name) void test_##name(void);
TESTS(DECLARE)

int main(void) {
#define RUN(name)                                                              \
  test_name = #name;                                                           \
  test_##name();
  TESTS(RUN)
  printf("unit: %d passed, %d failed\n", test_passed, test_failed);
  return test_failed ? 1 : 0;
}

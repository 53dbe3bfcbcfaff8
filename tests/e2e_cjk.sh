#!/usr/bin/env bash
# e2e_cjk.sh GALLEY - Chinese line breaking, read back from the PDF: a
# circular's title of several lines broken between words (ICU's dictionary)
# in the shapes of GB/T 9704-2012, no paragraph's last line holding one
# character with only its closing punctuation, and ICU loaded only for a
# title that needs it.  Prints "e2e-cjk: N passed, N failed".
set -u
ROOT=${GALLEY_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
. "$ROOT/tests/lib.sh"
begin "$1"

# Words of page 1 as "xMin yMin xMax yMax text" lines.
words() { # FILE
  pdftotext -f 1 -l 1 -bbox "$1" - 2>/dev/null |
    sed -n 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)" yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2 \3 \4 \5/p'
}
# The title's lines as "width text": the words between the document number
# and the body, grouped by their tops.
title_lines() { # FILE
  words "$1" | awk '$5 ~ /〔/ && !on { on = 1; next } $5 ~ /^正文/ { on = 0 }
    on { if ($2 != top) { n++; x0[n] = $1; t[n] = "" } top = $2; x1[n] = $3; t[n] = t[n] $5 }
    END { for (i = 1; i <= n; i++) printf "%.1f %s\n", x1[i] - x0[i], t[i] }'
}
circular_md() { # TITLE
  printf -- '---\ntitle: "%s"\nlang: zh-CN\nnumber: "测发〔2026〕1号"\nauthority: 测试局\ndate: 2026-01-02\n---\n\n正文。\n' "$1"
}
chars() { LC_ALL=C.UTF-8 bash -c 'x=$1; echo ${#x}' _ "$1"; }

# What is wrong with a title's lines; nothing when all is well: fewer than
# two lines, a shape that is neither an inverted trapezoid nor a diamond, a
# line starting with closing punctuation or holding one character (its
# punctuation aside), or a KEEP word cut between lines.
title_faults() { # FILE KEEP...
  local f=$1 w t n=0 i c= inc=0 fell=0 up=0 k all
  shift
  local -a ws ts
  while read -r w t; do
    [ -n "$t" ] || continue
    ws[n]=$w ts[n]=$t n=$((n + 1))
  done <<<"$(title_lines "$f")"
  [ "$n" -ge 2 ] || c="$c lines:$n"
  for ((i = 0; i < n; i++)); do
    t=${ts[i]}
    case $t in —* | ）* | 」* | 。* | ，* | 、* | 》* | ”*) c="$c starts-closing:$t" ;; esac
    [ "$(chars "$(sed 's/[）」。，、》”]//g' <<<"$t")")" -gt 1 ] || c="$c lone:$t"
  done
  for ((i = 1; i < n; i++)); do
    if awk -v a="${ws[i - 1]}" -v b="${ws[i]}" 'BEGIN { exit !(b > a + 0.5) }'; then
      inc=1; [ "$fell" = 1 ] && up=1
    elif awk -v a="${ws[i - 1]}" -v b="${ws[i]}" 'BEGIN { exit !(b < a - 0.5) }'; then
      fell=1
    fi
  done
  if [ "$inc" = 1 ] && { [ "$n" -lt 3 ] || [ "$up" = 1 ] || [ "$fell" = 0 ]; }; then
    c="$c shape:${ws[*]}"
  fi
  all=$(printf '%s' "${ts[@]}")
  for k in "$@"; do
    [ "$(grep -o -- "$k" <<<"$all" | wc -l)" = "$(printf '%s\n' "${ts[@]}" | grep -o -- "$k" | wc -l)" ] ||
      c="$c cut:$k"
  done
  printf '%s' "$c"
}

# ---- 1. a circular's title breaks between words ----
# Titles the balancer without a dictionary cut inside a word (档 / 案,
# 进 / 展, 要 / 点, 工 / 程, 数 / 字, 文 / 献); each KEEP word must stay on
# one line, and the shape rules still hold.
while IFS='|' read -r title keep; do
  circular_md "$title" > title.md
  for size in medium large; do
    gal -q --style circular --font-size "$size" -o title.pdf title.md
    check_rc "circular title converts ($size): $title" 0
    # shellcheck disable=SC2086
    bad=$(title_faults title.pdf $keep)
    got=$(title_lines title.pdf | awk '{ printf "%s%s", s, $2; s = " / " }')
    if [ -z "$bad" ]; then pass "title between words ($size): $got"
    else fail "title between words ($size): $title" "$got:$bad"; fi
  done
done <<'T'
关于报送2026年第一季度档案工作进展情况的通知|档案 工作 进展 情况 季度
关于进一步做好档案工作进展情况统计报送工作的通知|档案 工作 进展 情况 统计
关于印发2026年全市档案工作要点和重点工作进展情况的通知|档案 工作 要点 重点 进展 情况
关于做好全市档案馆库房改造工程进展情况统计工作的通知|库房 改造 工程 进展 情况
关于开展全市档案馆馆藏档案数字化质量抽查工作的通知|数字 质量 抽查
关于征集临江市地方历史文献资料和实物档案的公告|地方 历史 文献 资料
关于进一步加强全市基层档案工作人员队伍建设的意见|基层 档案 工作 人员 队伍
T

# ---- 2. no last line of one character and its closing punctuation ----
# Paragraphs of 20 to 48 characters, each ending in 测试）。 (and 测试。”,
# 测试。): whatever the measure, one of them would leave 试）。 alone on
# its last line if the rule counted only the character.
lonely_md() { # STYLE-FRONT
  printf -- '---\ntitle: 检验\nlang: zh-CN\n%s---\n\n' "$1"
  local base=档案数字化工作档案数字化工作档案数字化工作档案数字化工作档案数字化工作档案数字化工作档案数字化工作
  local n end
  for end in '测试）。' '测试。”' '测试。'; do
    for n in $(seq 20 48); do
      printf '%s%s\n\n' "$(LC_ALL=C.UTF-8 bash -c 'x=$1; echo "${x:0:$2}"' _ "$base" "$n")" "$end"
    done
  done
}
# Lines of the PDF's text that hold one character and nothing but closing
# punctuation after it.
lonely_lines() { # PDF
  local line rest
  pdftotext -layout "$1" - 2>/dev/null | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' |
    while IFS= read -r line; do
      rest=$(sed 's/[）」』》〉】〕。，、；：！？”’]//g' <<<"$line")
      [ "$rest" != "$line" ] && [ "$(chars "$rest")" = 1 ] && echo "$line"
    done
}
for style in article circular; do
  front=
  [ "$style" = circular ] && front='number: "测发〔2026〕1号"\nauthority: 检验局\ndate: 2026-01-02\n'
  lonely_md "$(printf "$front")" > lonely-$style.md
  gal -q --style "$style" -o lonely-$style.pdf lonely-$style.md
  check_rc "$style: paragraphs convert" 0
  check_pdf "$style: paragraphs PDF clean" lonely-$style.pdf
  got=$(lonely_lines lonely-$style.pdf)
  check_eq "$style: no last line of one character and its punctuation" "$(tr '\n' ' ' <<<"$got")" " "
  # the paragraphs are all there: 3 endings x 29 lengths
  check_eq "$style: every paragraph set" \
    "$(pdftotext lonely-$style.pdf - 2>/dev/null | tr -d '\n' | grep -o '测试' | wc -l)" "$((3 * 29))"
done

# ---- 3. ICU only for a title that needs it ----
# libicuuc is opened for a circular whose title takes several lines, and not
# for an English article, a Chinese article or a circular of a one-line
# title.
if command -v strace >/dev/null; then
  printf -- '---\ntitle: Short\n---\n\nNo Chinese here.\n' > en.md
  printf -- '---\ntitle: 关于测试的通知\nlang: zh-CN\n---\n\n正文段落。\n' > zh.md
  circular_md "关于测试标题的通知" > one.md
  circular_md "关于印发2026年全市档案工作要点和重点工作进展情况的通知" > two.md
  for f in en zh one two; do
    st=article
    case $f in one | two) st=circular ;; esac
    # (LeakSanitizer cannot run under ptrace)
    ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
      strace -f -e trace=openat -o $f.trace "$GALLEY" -q --style $st -o $f.pdf $f.md
  done
  check_lacks "English article: ICU not loaded" "$(cat en.trace)" "libicu"
  check_lacks "Chinese article: ICU not loaded" "$(cat zh.trace)" "libicu"
  check_lacks "circular, one-line title: ICU not loaded" "$(cat one.trace)" "libicu"
  check_has "circular, two-line title: ICU loaded" "$(cat two.trace)" "libicuuc.so"
else
  fail "strace is not installed"
fi

# An article's Chinese title is set in the same shapes, between words
printf -- '---\ntitle: 关于做好二〇二六年度档案数字化成果验收和移交工作的通知\nlang: zh-CN\n---\n\n正文。\n' > art.md
for size in medium large; do
  "$GALLEY" -q --font-size $size -o art.pdf art.md
  first=$(pdftotext -l 1 art.pdf - 2>/dev/null | head -1)
  check_eq "article title ($size): first line ends between words" "$first" \
    "关于做好二〇二六年度档案数字化"
done

finish e2e-cjk

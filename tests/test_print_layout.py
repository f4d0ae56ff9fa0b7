"""writers/layout: the room a printed text needs, and where its lines break."""

from __future__ import annotations

import itertools

import pytest

from jinguo_xl.writers.layout import (
    NO_LINE_END,
    NO_LINE_START,
    break_lines,
    header_lines,
    lines_for,
    text_width,
)

REASONS = [
    "达标：培训次数（按户累计） 15/20，销售/收入 1.97/2 万元（另有 1 行金额疑似以元填写，未计入）",
    "培训次数（按户累计） 66/40；销售/收入 4.62/2 万元",
    "达标（另有 4 个错误待改正）",
    "“联系电话”填写了 11 位以外的号码：请改为 11 位手机号或带区号的固定电话；改正后重新校验",
    "基本达标：带动就业 9/10（原则上）",
    "培训人次 40/50（原则上）；培训合格率 84.44%/70%；转移就业率 60%/50%",
]


@pytest.mark.parametrize("text", REASONS)
@pytest.mark.parametrize("width", [12, 20, 36, 54])
def test_lines_break_where_a_chinese_typesetter_would(text, width):
    broken = break_lines(text, width)
    assert broken.replace("\n", "") == text  # nothing but line breaks added
    lines = broken.split("\n")
    for before, line in itertools.pairwise(lines):
        assert line.strip() and line[0] not in NO_LINE_START, lines  # no lone "）", no "；…"
        assert before.rstrip()[-1] not in NO_LINE_END, lines
    room = width - 1
    # each line fits (a number or a word longer than the line is never split)
    assert all(text_width(line.rstrip()) <= room or " " not in line.strip() for line in lines)
    if all(text_width(line) <= room for line in lines):
        assert lines_for(broken, width) == len(lines)  # the row gets exactly their height


def test_numbers_and_words_are_never_split():
    broken = break_lines("培训合格率 84.44%/70%；转移就业率 60%/50%", 12)
    assert len(broken.split("\n")) > 2
    assert any("84.44%/70%" in line for line in broken.split("\n"))


def test_a_short_text_and_existing_breaks_are_kept():
    assert break_lines("达标", 12) == "达标"
    assert break_lines("第一行\n第二行", 40) == "第一行\n第二行"


def test_a_break_prefers_a_pause_to_the_middle_of_a_word():
    assert break_lines(REASONS[1], 36) == "培训次数（按户累计） 66/40；\n销售/收入 4.62/2 万元"


@pytest.mark.parametrize(
    ("header", "width", "shown"),
    [
        ("销售/收入（万元）", 11, "销售/收入\n（万元）"),
        ("其中贫困妇女（万元）", 14, "其中贫困妇女\n（万元）"),
        ("巾帼扶贫家庭工坊", 10, "巾帼扶贫\n家庭工坊"),
        ("巾帼脱贫基地", 9, "巾帼脱贫\n基地"),
        ("名单状态", 8.5, "名单\n状态"),
        ("基地数", 8, "基地数"),
    ],
)
def test_headers_break_before_their_unit_or_between_words(header, width, shown):
    assert header_lines(header, width) == shown

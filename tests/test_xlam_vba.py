"""The VBA text rules: each guard stops the very mistake Excel or pyOpenVBA lets through."""

from __future__ import annotations

import pytest

from jinguo_xl.xlam import vba

GOOD = 'Attribute VB_Name = "M"\r\nSub A(x)\r\nEnd Sub\r\n'


def test_clean_module_has_no_problems():
    assert vba.module_problems("M", GOOD) == []


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        ("M", GOOD.replace("Sub A(x)", 'Sub A(x)\r\n    MsgBox "校验"'), "非 ASCII 字符“校”"),
        ("M", GOOD.replace("\r\nEnd Sub", "\nEnd Sub"), "单独的换行符"),
        ("M", GOOD.replace('"M"', '"Other"'), 'Attribute VB_Name = "M"'),
        ("Bad-Name", GOOD.replace('"M"', '"Bad-Name"'), "模块名“Bad-Name”不合法"),
        ("M", GOOD + "Private Sub Workbook_Open()\r\nEnd Sub\r\n", "自动运行的过程 Workbook_Open"),
        ("M", GOOD + "Sub Auto_Open()\r\nEnd Sub\r\n", "自动运行的过程 Auto_Open"),
        ("M", GOOD + "' " + "x" * 1100 + "\r\n", "超过 VBA 允许的 1023 个字符"),
    ],
)
def test_module_guard_names_the_problem(name, source, expected):
    problems = vba.module_problems(name, source)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("functions", "expected"),
    [
        ({"JINGUO_A": ("date",)}, "参数 date 是 VBA 保留字"),
        ({"JINGUO_A": ("type", "x")}, "参数 type 是 VBA 保留字"),
        ({"End": ()}, "函数名 End 是 VBA 保留字"),
        ({"AB12": ()}, "会被 Excel 当成单元格地址"),
        ({"R1C1": ()}, "会被 Excel 当成单元格地址"),
        ({"JinguoRibbon": ()}, "与模块同名"),
        ({"jinguo_a": (), "JINGUO_A": ()}, "重复定义"),
    ],
)
def test_udf_guard_names_the_problem(functions, expected):
    problems = vba.udf_problems(functions, ["JinguoRibbon", "xlwings"])
    assert any(expected in p for p in problems), problems


def test_udf_guard_accepts_the_real_names():
    assert vba.udf_problems({"JINGUO_STATUS": ("base_type", "table")}, ["xlwings"]) == []


def test_to_crlf_leaves_no_bare_line_feed():
    text = vba.to_crlf("a\nb\r\nc\rd")
    assert text == "a\r\nb\r\nc\r\nd" and "\n" not in text.replace("\r\n", "")


def test_expand_text_makes_the_module_ascii_and_adds_the_decoder():
    out = vba.expand_text('Sub A()\n    MsgBox T("请先打开")\nEnd Sub\n')
    assert 'U("8BF7514862535F00")' in out and "Private Function U(" in out
    assert all(ord(ch) < 127 for ch in out)
    assert vba.expand_text("Sub A()\nEnd Sub\n") == "Sub A()\nEnd Sub\n"  # no T(): no decoder


def test_public_procedures_skip_private_and_count_parameters():
    source = "Public Sub A(x, y)\r\nPrivate Sub B(z)\r\nFunction C()\r\nSub D(control As X)\r\n"
    assert vba.public_procedures(source) == [("A", 2), ("C", 0), ("D", 1)]


def test_raise_if_lists_every_problem():
    with pytest.raises(vba.VBAError) as err:
        vba.raise_if(["一", "二"])
    assert "- 一" in err.value.message and "- 二" in err.value.message


def test_text_outside_the_bmp_is_written_as_its_surrogate_pair():
    # 𠀀 (CJK Extension B) and an emoji: two UTF-16 units each, as a VBA String holds them.
    assert vba.utf16_hex("巾𠀀😀") == "5DFE" + "D840DC00" + "D83DDE00"
    assert vba.vba_hex_call("𠀀") == 'U("D840DC00")'
    assert all(len(vba.utf16_hex(ch)) % 4 == 0 for ch in "a巾𠀀😀")


def test_text_that_is_not_unicode_stops_the_build():
    with pytest.raises(vba.VBAError, match=r"U\+D800（第 2 个字符）"):
        vba.vba_hex_call("巾\ud800")


def test_a_cut_to_excel_limits_never_splits_a_pair():
    assert vba.utf16_prefix("ab𠀀", 3) == "ab"
    assert vba.utf16_prefix("ab𠀀", 4) == "ab𠀀"
    assert vba.utf16_prefix("巾帼", 255) == "巾帼"

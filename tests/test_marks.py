"""The record of marked cells and the rules for taking marks back, as plain data."""

from __future__ import annotations

import pytest

from jinguo_xl.excel import marks
from tests import fake_excel as fx

OURS = "巾帼统计：错误：联系电话无效"


def _t(note=None, added=OURS, fill=None, painted="#F8CBAD", sheet="统计表", cell="D11"):
    return marks.Touched(sheet, cell, fill, note, painted, added)


def test_the_record_survives_excel_turning_typed_text_into_numbers_and_formulas():
    touched = [
        _t(sheet="2020", note="=SUM(这是备注)", fill="#FFFF00"),
        _t(sheet="0.5", cell="H11", note="", added="巾帼统计：警告：妇女类型"),
    ]
    rows = marks.record_rows(touched)
    assert rows[0] == marks.RECORD_HEADER
    # what Excel keeps after Range.Value = rows (numbers and formulas are what it converts)
    stored = [[fx.excel_typed(v)[0] if fx.excel_typed(v)[1] is None else None for v in row]
              for row in rows]
    assert marks.read_record(stored) == touched


def test_a_record_of_the_previous_version_is_read_with_sheet_names_that_became_numbers():
    rows = [["工作表", "单元格"], [2020.0, "D11"], ["统计表", "$H$12"], ["统计表", "不是单元格"]]
    assert marks.read_record(rows) == [
        marks.Touched("2020", "D11", None, None, None, None),
        marks.Touched("统计表", "H12", None, None, None, None),
    ]
    assert marks.read_record([["别的表头"], ["统计表", "D11"]]) == []
    assert marks.read_record(None) == []


def test_our_text_goes_after_the_clerks_note_and_comes_out_again():
    assert marks.with_ours(None, OURS) == OURS
    assert marks.with_ours("待核实", OURS) == "待核实\n\n" + OURS
    assert marks.without_ours("待核实\n\n" + OURS, _t(note="待核实")) == ("set", "待核实")
    assert marks.without_ours(OURS, _t()) == ("delete", None)


@pytest.mark.parametrize(
    ("current", "touched", "expected"),
    [
        (None, _t(), ("keep", None)),  # the clerk deleted our note
        ("她自己的批注", _t(), ("keep", None)),  # and wrote her own
        ("已核实\n" + OURS, _t(), ("set", "已核实")),  # she wrote above ours
        ("待核实（已打电话）\n\n" + OURS, _t(note="待核实"), ("set", "待核实（已打电话）")),
        ("待核实", _t(note="待核实"), ("keep", None)),  # ours never got there
        (OURS, _t(added=None), ("delete", None)),  # previous version's record
        ("她自己的批注", _t(added=None), ("keep", None)),
    ],
)
def test_clearing_removes_only_our_words(current, touched, expected):
    assert marks.without_ours(current, touched) == expected


def test_a_fill_is_put_back_only_where_our_colour_is_still_there():
    assert marks.restore_fill("#F8CBAD", _t(fill="#FFFF00"))
    assert not marks.restore_fill("#00FF00", _t(fill="#FFFF00"))
    assert marks.restore_fill("#00FF00", _t(painted=None))  # previous version: always


def test_colours_convert_between_excel_numbers_and_hex():
    assert marks.hex_to_bgr("#F8CBAD") == 0xADCBF8
    assert marks.bgr_to_hex(0xADCBF8) == "#F8CBAD"


def test_cells_become_column_runs_and_union_addresses_under_excels_limit():
    cells = ["D11", "D12", "D13", "D20", "H11", "AB7", "AB8", "B2"]
    assert marks.runs(cells) == ["B2", "D11:D13", "D20", "H11", "AB7:AB8"]
    scattered = [f"D{r}" for r in range(10, 2010, 2)]  # every other row: no runs
    unions = marks.union_addresses(scattered)
    assert all(len(a) <= marks.MAX_ADDRESS for a in unions)
    assert [c for a in unions for c in marks.cells_of(a)] == scattered
    assert len(unions) <= 25  # 1000 scattered cells, about 45 to a call


def test_long_notes_are_cut_into_pieces_excel_takes_whole():
    assert marks.pieces("短") == ["短"]
    text = "甲" * 600
    assert [len(p) for p in marks.pieces(text)] == [255, 255, 90]
    assert "".join(marks.pieces(text)) == text

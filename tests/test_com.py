"""ComBook's bulk operations against the call-counting Excel model: results and call counts."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from jinguo_xl.excel import com, macros
from tests import fake_excel as fx


@pytest.fixture
def sheet_with_fills_and_notes(tmp_path):
    """D2:D5 no fill, D6 yellow, D7 blue; notes on B2 and D6; E9 formatted only far down."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    for r in range(1, 8):
        ws.cell(r, 4, f"值{r}")
    ws["D6"].fill = PatternFill("solid", fgColor="FFFFFF00")
    ws["D7"].fill = PatternFill("solid", fgColor="FF0000FF")
    ws["B2"].comment = Comment("第一条", "王")
    ws["D6"].comment = Comment("第二条", "王")
    ws["E900000"].fill = PatternFill("solid", fgColor="FFFFFF00")  # formatting only
    path = tmp_path / "批注.xlsx"
    wb.save(path)
    book = fx.open_book(path)
    return book, com.ComBook(book.api)


def _calls(book, action):
    start = book.app.calls.n
    result = action()
    return result, book.app.calls.n - start


def test_fills_of_a_uniform_block_cost_one_question_and_mixed_blocks_are_split(
    sheet_with_fills_and_notes,
):
    book, cb = sheet_with_fills_and_notes
    cb.sheets()
    plain, n_plain = _calls(book, lambda: cb.fills("统计表", ["D2", "D3", "D4", "D5"]))
    assert plain == dict.fromkeys(["D2", "D3", "D4", "D5"]) and n_plain == 3
    mixed, _ = _calls(book, lambda: cb.fills("统计表", ["D2", "D3", "D4", "D5", "D6", "D7"]))
    assert mixed == {"D2": None, "D3": None, "D4": None, "D5": None, "D6": "#FFFF00",
                     "D7": "#0000FF"}


def test_painting_goes_by_union_and_none_removes_the_fill(sheet_with_fills_and_notes):
    book, cb = sheet_with_fills_and_notes
    cb.sheets()
    _, n = _calls(book, lambda: cb.paint("统计表", ["D2", "D4", "D5", "H3"], "#F8CBAD"))
    assert n == 3  # Range("D2,D4:D5,H3"), Interior, Color
    assert cb.fills("统计表", ["D2", "D4", "H3"]) == dict.fromkeys(["D2", "D4", "H3"], "#F8CBAD")
    cb.paint("统计表", ["D2"], None)
    assert cb.fills("统计表", ["D2"]) == {"D2": None}


def test_notes_are_read_per_sheet_and_written_in_two_calls(sheet_with_fills_and_notes):
    book, cb = sheet_with_fills_and_notes
    cb.sheets()
    assert cb.notes("统计表") == {"B2": "第一条", "D6": "第二条"}
    _, n = _calls(book, lambda: cb.add_note("统计表", "D3", "巾帼统计：错误"))
    assert n == 2 and cb.note("统计表", "D3") == "巾帼统计：错误"
    long = "乙" * 600
    cb.set_note("统计表", "D6", long)
    assert cb.note("统计表", "D6") == long  # written in 255-character pieces


def test_revise_note_reads_and_changes_one_comment_object(sheet_with_fills_and_notes):
    book, cb = sheet_with_fills_and_notes
    cb.sheets()
    action, n = _calls(book, lambda: cb.revise_note("统计表", "B2", lambda text: ("delete", None)))
    assert action == "delete" and n == 4 and cb.note("统计表", "B2") is None
    assert cb.revise_note("统计表", "D6", lambda text: ("set", text + "！")) == "set"
    assert cb.note("统计表", "D6") == "第二条！"
    assert cb.revise_note("统计表", "A1", lambda text: ("delete", None)) == "keep"


def test_the_read_ends_at_the_last_value_not_at_far_away_formatting(sheet_with_fills_and_notes):
    _, cb = sheet_with_fills_and_notes
    assert cb.extent("统计表") == (7, 4)
    grid = cb.read("统计表", 7, 4)
    assert grid[6] == [None, None, None, "值7"]


def test_a_stray_value_far_below_is_read_up_to_the_cap_and_reported(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws["A1"], ws["B2"], ws["A5000"] = "表头", 1, " "
    wb.save(tmp_path / "远处.xlsx")
    cb = com.ComBook(fx.open_book(tmp_path / "远处.xlsx").api)
    monkeypatch.setattr(macros, "MAX_READ_CELLS", 2000)
    sheets, cut = macros.read_sheets(cb, ["统计表"])
    assert len(sheets[0][1]) == 1000
    assert cut == ["“统计表”表在第 1000 行以下还有内容（直到第 5000 行），按钮只检查了前 1000 行；"
                   "请删除远处多余的内容，或用 jinguo-xl check 检查整个文件。"]


def test_com_values_become_what_the_engine_reads():
    class PyTime(dt.datetime):  # pywintypes hands over timezone-aware datetimes
        pass

    aware = PyTime(2020, 3, 5, tzinfo=dt.UTC)
    assert com.clean(aware) == dt.datetime(2020, 3, 5)
    assert com.clean(-2146826246) is None  # #N/A arrives as an integer error code
    assert com.clean(True) is True and com.clean(1.5) == 1.5 and com.clean("甲") == "甲"
    assert com.as_grid("单格", 1, 1) == [["单格"]]
    assert com.as_grid(((1.0, None), ("a", -2146826281)), 2, 2) == [[1.0, None], ["a", None]]
    assert [com.col_letter(i) for i in (1, 26, 27, 16384)] == ["A", "Z", "AA", "XFD"]


def test_sheets_are_added_after_the_last_and_written_in_one_block(sheet_with_fills_and_notes):
    book, cb = sheet_with_fills_and_notes
    cb.sheets()
    _, n = _calls(book, lambda: cb.write("新表", [["甲", 1], ["乙"]], hidden=True))
    assert [ws.name for ws in book.api.sheets] == ["统计表", "新表"]
    assert cb.read("新表", 2, 2) == [["甲", 1.0], ["乙", None]]
    assert book.api.sheet("新表").visible == 0 and n <= 8

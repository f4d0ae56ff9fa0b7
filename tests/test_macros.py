"""The ribbon adapter driven through xlwings' own Book API on its remote engine (no Excel).

The remote engine queues every write as an action in ``book.json()``; these tests assert on
those actions: which cells were coloured, which notes added, which sheets written, which alert
shown. (It is PolyForm-Noncommercial code inside xlwings, used here in tests only.)
"""

from __future__ import annotations

import datetime as dt

import pytest
import xlwings as xw

from jinguo_xl.excel import logic, macros
from jinguo_xl.reader import load_grids
from tests.conftest import base_line, people, stacked, woman, write_xlsx


def _payload_values(grid):
    out = []
    for row in grid:
        cells = []
        for v in row:
            if isinstance(v, (dt.date, dt.datetime)):
                cells.append(v.isoformat())
            else:
                cells.append("" if v is None else v)
        out.append(cells)
    width = max((len(r) for r in out), default=1)
    return [r + [""] * (width - len(r)) for r in out] or [[""]]


def _book(tmp_path, rows, extra_sheets=()):
    grid = stacked(base_line() + "    所属区县：城口县", {"手工制作": rows})
    path = write_xlsx(tmp_path / "城口县" / "某社.xlsx", {"统计表": grid})
    sheets = [
        {"name": n, "values": _payload_values(g), "pictures": [], "tables": [], "notes": []}
        for n, g in load_grids(path)
    ]
    sheets.extend(extra_sheets)
    payload = {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }
    return xw.Book(json=payload)


def _actions(book, func):
    return [a for a in book.json()["actions"] if a["func"] == func]


@pytest.fixture
def book_with_mistakes(tmp_path):
    rows = [*people(2, extra=[0.5]), woman("张玉兰", "1381", kind="贫困户", extra=[1])]
    return _book(tmp_path, rows)


def test_check_colours_bad_cells_in_blocks_adds_notes_and_writes_the_list(book_with_mistakes):
    macros.run("check_workbook", book_with_mistakes)
    colours = {
        (a["start_row"], a["start_column"], a["args"][0])
        for a in _actions(book_with_mistakes, "setRangeColor")
    }
    assert (10, 3, logic.COLORS["error"]) in colours  # D11
    assert (10, 7, logic.COLORS["warning"]) in colours  # H11
    notes = _actions(book_with_mistakes, "addNote")
    assert [n["args"][0] for n in notes] == ["$D$11", "$H$11"]
    assert notes[0]["args"][1].startswith("巾帼统计：错误：联系电话无效")
    added = [a["args"][1] for a in _actions(book_with_mistakes, "addSheet")]
    assert added == [logic.PROBLEMS_SHEET, logic.MARKS_SHEET]
    problem_rows = next(
        a["values"]
        for a in _actions(book_with_mistakes, "setValues")
        if a["values"][0] == logic.PROBLEM_HEADER
    )
    assert problem_rows[1][:3] == ["错误", "统计表", "D11"]
    (alert,) = _actions(book_with_mistakes, "alert")
    assert alert["args"][0].startswith("未达标：") and alert["args"][1] == "巾帼统计"


def test_clear_removes_the_recorded_marks_and_our_sheets(tmp_path):
    record = {
        "name": logic.MARKS_SHEET,
        "values": [["工作表", "单元格"], ["统计表", "D11"], ["统计表", "H11"]],
        "pictures": [],
        "tables": [],
        "notes": [],
    }
    problems = {
        "name": logic.PROBLEMS_SHEET,
        "values": [logic.PROBLEM_HEADER],
        "pictures": [],
        "tables": [],
        "notes": [],
    }
    book = _book(tmp_path, people(1, extra=[1]), extra_sheets=[problems, record])
    macros.run("clear_marks", book)
    cleared = _actions(book, "setRangeColor")
    assert [(a["start_row"], a["start_column"], a["args"][0]) for a in cleared] == [
        (10, 3, None),
        (10, 7, None),
    ]
    deleted = _actions(book, "sheetDelete")
    assert len(deleted) == 2
    assert "已清除 2 个单元格的标记" in _actions(book, "alert")[0]["args"][0]


def test_compute_status_writes_one_block(tmp_path):
    book = _book(tmp_path, people(20, sessions=3, extra=[0.5]))
    macros.run("compute_status", book)
    (sheet,) = [a["args"][1] for a in _actions(book, "addSheet")]
    assert sheet == logic.STATUS_SHEET
    block = next(a for a in _actions(book, "setValues") if a["values"][0][0].startswith("达标情况"))
    assert block["values"][2][:2] == ["基地结论", "达标"]
    assert _actions(book, "alert")[0]["args"][0].startswith("达标：培训人次 60/50")


def test_help_and_unknown_button_answer_in_chinese(tmp_path):
    book = _book(tmp_path, people(1, extra=[1]))
    macros.run("show_help", book)
    macros.run("no_such_button", book)
    texts = [a["args"][0] for a in _actions(book, "alert")]
    assert texts[0].startswith("巾帼统计加载项") and "未知的按钮" in texts[1]


def test_a_failing_handler_becomes_a_sentence(tmp_path, monkeypatch):
    book = _book(tmp_path, people(1, extra=[1]))

    def broken(adapter, rules):
        raise OSError("磁盘已满")

    monkeypatch.setitem(macros.HANDLERS, "show_help", broken)
    macros.run("show_help", book)
    assert _actions(book, "alert")[0]["args"][0].startswith("操作没有完成：磁盘已满")


def test_cells_are_coloured_in_column_runs():
    cells = ["D11", "D12", "D13", "D20", "H11", "AB7", "AB8", "B2"]
    assert macros.runs(cells) == ["B2", "D11:D13", "D20", "H11", "AB7:AB8"]


def test_consolidate_folder_writes_a_master_beside_the_folder(tmp_path, rules):
    from jinguo_xl.demo import write_demo

    write_demo(tmp_path / "县文件夹", rules)
    book = _book(tmp_path / "book", people(1, extra=[1]))
    target = macros.consolidate_folder(
        macros.BookAdapter(book), rules, tmp_path / "县文件夹", open_master=False
    )
    assert target.parent == tmp_path and target.name.startswith("县文件夹_汇总_")
    assert "已汇总 14 个文件、14 个基地" in _actions(book, "alert")[0]["args"][0]


def test_export_masked_needs_a_saved_book(tmp_path, rules):
    book = _book(tmp_path, people(1, extra=[1]))
    assert macros.export_masked(macros.BookAdapter(book), rules) is None
    assert "请先保存" in _actions(book, "alert")[0]["args"][0]

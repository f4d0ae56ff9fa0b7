"""The ribbon buttons, run against a call-counting model of Excel loaded from real .xlsx files.

Each test opens a workbook written to disk (a clerk's own, or the committed template), presses
buttons through ``macros.run`` as the ribbon does, and compares the whole workbook cell by cell
(values, formulas, fills, notes, sheets) with how it was before.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import types
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from jinguo_xl.excel import macros, marks, session
from jinguo_xl.excel.com import ComBook
from tests import fake_excel as fx
from tests.conftest import base_line, people, stacked, woman, write_xlsx

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "统计表模板_2020.xlsx"
NOW = dt.datetime(2026, 12, 1, 10, 30)
YELLOW = "FFFFFF00"
CLERK_NOTE = "王会计：电话待核实，下周补"


def _grid(rows):
    return stacked(base_line() + "    所属区县：城口县", {"手工制作": rows})


def _mistakes():
    """Two good rows, then a 4-digit phone (D11, error) and an unknown women type (H11)."""
    return [*people(2, extra=[0.5]), woman("张玉兰", "1381", kind="贫困户", extra=[1])]


@pytest.fixture
def clerk_book_with_notes_and_fills(tmp_path):
    """A clerk's own workbook: the flagged D11 is yellow with her note; a sheet named 2020."""
    sheets = {"统计表": _grid(_mistakes()), "2020": _grid(_mistakes())}
    path = write_xlsx(tmp_path / "城口县" / "某社.xlsx", sheets)
    wb = openpyxl.load_workbook(path)
    ws = wb["统计表"]
    ws["D11"].fill = PatternFill("solid", fgColor=YELLOW)
    ws["D11"].comment = Comment(CLERK_NOTE, "王会计")
    ws["H11"].fill = PatternFill("solid", fgColor="FF00B0F0")
    ws["A1"].comment = Comment("表头照抄通知", "王会计")
    wb["2020"]["H11"].comment = Comment("=这是备注，不是公式", "王会计")
    wb.save(path)
    return fx.open_book(path)


@pytest.fixture(scope="module")
def _filled_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "城口县" / "统计表.xlsx"
    path.parent.mkdir()
    shutil.copyfile(TEMPLATE, path)
    wb = openpyxl.load_workbook(path)
    wb["基本信息"]["B4"], wb["基本信息"]["B5"] = "示例合作社", "巾帼扶贫车间"
    ws = wb["手工制作"]
    for row, (name, phone) in enumerate([("张一", "13800130001"), ("张二", "12345")], start=5):
        ws[f"B{row}"], ws[f"C{row}"] = name, f"城口县鸡鸣乡青山村{row}组"
        ws[f"D{row}"], ws[f"E{row}"] = phone, "2020-03-01"
    wb.save(path)
    return path


@pytest.fixture
def template_with_bad_rows(_filled_template):
    """A copy of the committed template: base named (leader left blank), two rows, one wrong."""
    return fx.open_book(_filled_template)


def _press(book, button):
    macros.run(button, book, now=NOW)
    return book.app.alerts[-1] if book.app.alerts else None


def _cell(book, sheet, ref):
    r, c = fx.parse_cell(ref)
    return book.api.sheet(sheet).cells.get((r, c))


# ---------------------------------------------------------------- check → clear gives it all back


def test_check_then_clear_gives_back_a_clerks_workbook_cell_by_cell(
    clerk_book_with_notes_and_fills,
):
    book = clerk_book_with_notes_and_fills
    before = fx.snapshot(book.api)
    text = _press(book, "check_workbook")
    assert text.startswith("未达标：") and "已在 8 个单元格上标色并加批注" in text
    d11 = _cell(book, "统计表", "D11")
    assert d11.fill == marks.hex_to_bgr("#F8CBAD")
    assert d11.note.startswith(CLERK_NOTE + "\n\n巾帼统计：错误：联系电话无效")
    assert _cell(book, "2020", "D11").note.startswith("巾帼统计：错误：")
    record = book.api.sheet(marks.RECORD_SHEET)
    assert record.visible == 0
    recorded = marks.read_record(ComBook(book.api).read(marks.RECORD_SHEET, 9, 6))
    assert sorted({t.sheet for t in recorded}) == ["2020", "统计表"]  # 2020 stays text
    assert _press(book, "clear_marks").startswith("已清除 8 个单元格的标记")
    assert fx.snapshot(book.api) == before


def test_check_then_clear_gives_back_the_committed_template_cell_by_cell(template_with_bad_rows):
    book = template_with_bad_rows
    before = fx.snapshot(book.api)
    text = _press(book, "check_workbook")
    assert "个单元格上标色并加批注" in text
    info_marks = [t for t in marks.read_record(
        ComBook(book.api).read(marks.RECORD_SHEET, 200, 6)) if t.sheet == "基本信息"]
    assert info_marks and all(t.fill is not None for t in info_marks)  # yellow input cells
    assert _cell(book, "手工制作", "D6").fill == marks.hex_to_bgr("#F8CBAD")
    _press(book, "clear_marks")
    assert fx.snapshot(book.api) == before


def test_a_second_check_first_takes_back_the_first_checks_marks(clerk_book_with_notes_and_fills):
    book = clerk_book_with_notes_and_fills
    before = fx.snapshot(book.api)
    _press(book, "check_workbook")
    _press(book, "check_workbook")
    assert _cell(book, "统计表", "D11").note.count("巾帼统计：") == 1
    _press(book, "clear_marks")
    assert fx.snapshot(book.api) == before


def test_what_the_clerk_changed_after_the_check_survives_clearing(clerk_book_with_notes_and_fills):
    book = clerk_book_with_notes_and_fills
    _press(book, "check_workbook")
    d11 = _cell(book, "统计表", "D11")
    d11.note = "已打电话核实。\n" + d11.note  # she wrote above our text
    _cell(book, "2020", "H11").fill = marks.hex_to_bgr("#00FF00")  # and recoloured a cell
    text = _press(book, "clear_marks")
    assert "其中 1 个单元格的颜色或批注在校验后被改动过" in text
    assert d11.note == "已打电话核实。\n" + CLERK_NOTE
    assert d11.fill == marks.hex_to_bgr("#FFFF00")
    assert _cell(book, "2020", "H11").fill == marks.hex_to_bgr("#00FF00")


def test_notes_longer_than_excel_takes_at_once_are_written_and_restored_whole(tmp_path):
    long_note = "核对记录：" + "甲乙丙丁" * 80  # 325 characters
    path = write_xlsx(tmp_path / "城口县" / "长批注.xlsx", {"统计表": _grid(_mistakes())})
    wb = openpyxl.load_workbook(path)
    wb["统计表"]["D11"].comment = Comment(long_note, "王会计")
    wb.save(path)
    book = fx.open_book(path)
    before = fx.snapshot(book.api)
    _press(book, "check_workbook")
    note = _cell(book, "统计表", "D11").note
    assert note.startswith(long_note + "\n\n巾帼统计：错误：联系电话无效") and len(note) > 400
    _press(book, "clear_marks")
    assert fx.snapshot(book.api) == before


def test_records_of_the_previous_version_are_still_cleared(clerk_book_with_notes_and_fills):
    book = clerk_book_with_notes_and_fills
    com = ComBook(book.api)
    com.paint("2020", ["D11"], "#F8CBAD")
    com.add_note("2020", "D11", "巾帼统计：错误：联系电话无效")
    com.write(marks.RECORD_SHEET, [["工作表", "单元格"], [2020.0, "D11"]], hidden=True)
    assert _press(book, "clear_marks").startswith("已清除 1 个单元格的标记")
    d11 = _cell(book, "2020", "D11")
    assert d11.fill is None and d11.note is None
    assert marks.RECORD_SHEET not in ComBook(book.api).sheet_names()


# ---------------------------------------------------------------- failures never strand marks


def test_a_failure_at_any_write_leaves_only_marks_that_clear_removes(
    clerk_book_with_notes_and_fills,
):
    book = clerk_book_with_notes_and_fills
    before = fx.snapshot(book.api)
    calls = book.app.calls
    calls.writes = 0
    _press(book, "check_workbook")
    total = calls.writes
    _press(book, "clear_marks")
    assert total > 10
    for fail_at in range(1, total + 1):
        calls.writes, calls.fail_at = 0, fail_at
        text = _press(book, "check_workbook")
        assert text.startswith("操作没有完成：Excel 报告“写入失败") and "-2147352567" not in text
        calls.fail_at = None
        _press(book, "clear_marks")
        assert fx.snapshot(book.api) == before, f"write {fail_at} of {total}"


def test_a_protected_sheet_is_refused_before_any_change(clerk_book_with_notes_and_fills):
    book = clerk_book_with_notes_and_fills
    book.api.sheet("2020").ProtectContents = True
    before = fx.snapshot(book.api)
    book.app.calls.writes = 0
    text = _press(book, "check_workbook")
    assert "工作表“2020”受保护" in text and "撤消工作表保护" in text
    assert book.app.calls.writes == 0 and fx.snapshot(book.api) == before


def test_a_protected_workbook_structure_is_refused_before_any_change(
    clerk_book_with_notes_and_fills,
):
    book = clerk_book_with_notes_and_fills
    book.api.ProtectStructure = True
    before = fx.snapshot(book.api)
    for button in ("check_workbook", "compute_status"):
        assert "结构受保护" in _press(book, button)
    assert fx.snapshot(book.api) == before


def test_excel_settings_are_put_back_after_success_and_after_failure(
    clerk_book_with_notes_and_fills, monkeypatch
):
    book = clerk_book_with_notes_and_fills
    xl = book.app.api
    xl.state["Calculation"] = -4135  # the clerk works with manual calculation
    clerk_settings = dict(xl.state)
    seen = {}

    def broken(press):
        seen.update(xl.state)
        raise ValueError("坏了")

    _press(book, "check_workbook")
    assert xl.state == clerk_settings
    monkeypatch.setitem(macros.HANDLERS, "check_workbook", broken)
    assert _press(book, "check_workbook").startswith("操作没有完成：坏了")
    assert seen == {"ScreenUpdating": False, "EnableEvents": False, "DisplayAlerts": False,
                    "Calculation": -4135}
    assert xl.state == clerk_settings


def test_a_busy_excel_is_reported_after_a_bounded_wait(clerk_book_with_notes_and_fills,
                                                       monkeypatch):
    book = clerk_book_with_notes_and_fills
    monkeypatch.setattr(session, "READY_WAIT_S", 0.3)
    book.app.api.ready_after = 10**6
    assert _press(book, "check_workbook").startswith("Excel 正忙")
    assert book.app.calls.writes == 0


def test_excel_rejecting_a_call_mid_way_is_reported_as_busy(clerk_book_with_notes_and_fills,
                                                            monkeypatch):
    book = clerk_book_with_notes_and_fills

    def rejected(press):
        raise fx.ComError("", hresult=-2147418111)

    monkeypatch.setitem(macros.HANDLERS, "show_help", rejected)
    assert _press(book, "show_help").startswith("Excel 正忙")


def test_failures_before_excel_is_reached_still_end_in_one_chinese_message(monkeypatch):
    shown = []
    monkeypatch.setattr(session, "show", lambda text, alert=None: shown.append((text, alert)))

    def no_caller():
        raise RuntimeError("Could not find the calling workbook")

    monkeypatch.setattr(macros, "_caller", no_caller)
    macros.run("check_workbook")
    monkeypatch.setitem(sys.modules, "jinguo_xl.rules", None)  # a broken installation
    macros.run("show_help", app=fx.FakeApp())
    assert shown[0][0].startswith("操作没有完成：Could not find") and shown[0][1] is None
    assert shown[1][0].startswith("巾帼统计加载项没有找到所需的程序组件")
    assert len(shown) == 2


# ---------------------------------------------------------------- 计算达标


def test_compute_status_on_the_template_keeps_every_formula_and_changes_nothing(
    template_with_bad_rows,
):
    book = template_with_bad_rows
    before = fx.snapshot(book.api)
    formulas = {k: v[1] for k, v in before.items() if k != "sheets" and v[1]}
    assert len(formulas) > 1000
    text = _press(book, "compute_status")
    assert text.startswith("本工作簿是统计表模板") and "按当前内容判定：未达标" in text
    assert fx.snapshot(book.api) == before
    assert book.app.calls.writes == 0


def test_compute_status_writes_a_dated_sheet_of_its_own_on_a_clerks_book(tmp_path):
    path = write_xlsx(tmp_path / "城口县" / "达标.xlsx",
                      {"统计表": _grid(people(20, sessions=3, extra=[0.5]))})
    book = fx.open_book(path)
    before = fx.snapshot(book.api)
    text = _press(book, "compute_status")
    assert text.startswith("达标：培训人次 60/50")
    assert "计算于 2026-12-01 10:30" in text
    com = ComBook(book.api)
    rows = com.read(macros.RESULT_SHEET, *com.extent(macros.RESULT_SHEET))
    assert rows[1][0] == "计算于 2026-12-01 10:30，修改数据后请重新点击“计算达标”"
    assert rows[5][:2] == ["基地结论", "达标"]
    _press(book, "compute_status")  # refreshed in place, not a second sheet
    after = fx.snapshot(book.api)
    assert [n for n, _ in after["sheets"]] == ["统计表", macros.RESULT_SHEET]
    assert {k: v for k, v in after.items() if k.startswith("统计表!")} == {
        k: v for k, v in before.items() if k.startswith("统计表!")
    }


def test_compute_status_never_writes_over_a_clerks_sheet_of_the_same_name(tmp_path):
    sheets = {"统计表": _grid(people(2, extra=[0.5])), macros.RESULT_SHEET: [["我的笔记"]]}
    path = write_xlsx(tmp_path / "城口县" / "同名.xlsx", sheets)
    book = fx.open_book(path)
    before = fx.snapshot(book.api)
    assert "不是本加载项生成的" in _press(book, "compute_status")
    assert fx.snapshot(book.api) == before


# ---------------------------------------------------------------- speed


def test_500_flagged_rows_cost_two_calls_each_to_mark_and_four_to_clear(tmp_path):
    """A note is one Range and one AddComment; colours and reads go by block."""
    rows = people(500, extra=[1])
    for row in rows:
        row[3] = "1381"  # every phone too short: one error per row, in one column
    path = write_xlsx(tmp_path / "城口县" / "大表.xlsx", {"统计表": _grid(rows)})
    book = fx.open_book(path)
    before = fx.snapshot(book.api)
    calls = book.app.calls
    start = calls.n
    text = _press(book, "check_workbook")
    assert "已在 500 个单元格上标色并加批注" in text
    assert calls.n - start <= 2 * 500 + 100  # the previous adapter: about 10,000
    start = calls.n
    _press(book, "clear_marks")
    assert calls.n - start <= 4 * 500 + 100
    assert fx.snapshot(book.api) == before


# ---------------------------------------------------------------- buttons that read files


def test_buttons_that_need_no_workbook_work_without_one(tmp_path, rules):
    app = fx.FakeApp()
    macros.run("show_help", app=app)
    macros.run("check_workbook", app=app)
    assert app.alerts[0].startswith("巾帼统计加载项")
    assert app.alerts[1] == "请先打开一个统计表工作簿，再点击按钮。"
    target = macros.new_ledger(macros.Press(app, None, rules), tmp_path / "新台账.xlsx")
    assert target.is_file() and app.api.opened == [str(target)]


def test_a_book_in_protected_view_is_told_to_enable_editing(monkeypatch):
    import xlwings as xw

    app = fx.FakeApp()
    app.api.ActiveProtectedViewWindow = object()

    def no_caller():
        raise RuntimeError("no caller")

    monkeypatch.setattr(xw.Book, "caller", staticmethod(no_caller))
    monkeypatch.setattr(xw, "apps", types.SimpleNamespace(active=app))
    macros.run("check_workbook")
    macros.run("show_help")
    assert "受保护的视图" in app.alerts[0] and "启用编辑" in app.alerts[0]
    assert app.alerts[1].startswith("巾帼统计加载项")


def test_consolidate_folder_writes_a_master_and_opens_it_in_the_same_excel(tmp_path, rules):
    from jinguo_xl.demo import write_demo

    write_demo(tmp_path / "县文件夹", rules)
    app = fx.FakeApp()
    text = macros.consolidate_folder(macros.Press(app, None, rules, NOW), tmp_path / "县文件夹")
    assert "已汇总 14 个文件、14 个基地" in text
    master = tmp_path / "县文件夹_汇总_20261201.xlsx"
    assert master.is_file() and app.api.opened == [str(master)]


def test_consolidate_folder_asks_to_save_open_books_of_that_folder_first(tmp_path, rules):
    path = write_xlsx(tmp_path / "县" / "甲.xlsx", {"统计表": _grid(people(1, extra=[1]))})
    book = fx.open_book(path)
    book.api.Saved = False
    with pytest.raises(session.Refusal, match=r"“甲\.xlsx”在 Excel 中打开着且有尚未保存的修改"):
        macros.consolidate_folder(macros.Press(book.app, None, rules), tmp_path / "县")
    assert not list(tmp_path.glob("*_汇总_*"))


def test_export_masked_reads_the_saved_file_and_refuses_unsaved_edits(tmp_path, rules):
    path = write_xlsx(tmp_path / "城口县" / "甲.xlsx", {"统计表": _grid(people(1, extra=[1]))})
    book = fx.open_book(path)
    book.api.Saved = False
    assert "尚未保存的修改" in _press(book, "export_masked")
    book.api.Saved = True
    assert _press(book, "export_masked").startswith("已导出脱敏副本：甲_脱敏.xlsx")
    assert (path.parent / "甲_脱敏.xlsx").is_file()


def test_export_masked_finds_a_onedrive_book_in_the_local_sync_folder(tmp_path, monkeypatch):
    root = tmp_path / "OneDrive"
    path = write_xlsx(root / "文档" / "城口县" / "乙.xlsx", {"统计表": _grid(people(1, extra=[1]))})
    monkeypatch.setenv("OneDrive", str(root))
    url = "https://d.docs.live.net/4a1b2c3d/%E6%96%87%E6%A1%A3/城口县/乙.xlsx"
    book = fx.open_book(path, fullname=url)
    assert _press(book, "export_masked").startswith("已导出脱敏副本：乙_脱敏.xlsx")
    book = fx.open_book(path, fullname="https://contoso-my.sharepoint.com/personal/w/无此文件.xlsx")
    assert "OneDrive/SharePoint" in _press(book, "export_masked")


def test_unknown_button_answers_in_chinese():
    app = fx.FakeApp()
    macros.run("no_such_button", app=app)
    assert app.alerts == ["未知的按钮：no_such_button。请更新巾帼统计加载项。"]

"""Ribbon entry points: ``run(control_id)`` → read the open book → plain logic → block edits.

Everything the buttons decide lives in :mod:`jinguo_xl.excel.logic`; this module only moves
values between Excel and that logic, in whole blocks (one read per sheet, one write per block,
colours applied to unions of addresses), because every COM call costs a round trip.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import xlwings as xw

from jinguo_xl.excel import logic
from jinguo_xl.rules import Rules, load_rules

_CELL = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def runs(cells: Iterable[str]) -> list[str]:
    """Cells → column runs (``D11``, ``D12``, ``D13`` → ``D11:D13``): one call per run.

    Marks cluster in columns (a column of phone numbers typed the same wrong way), so runs
    cut the number of calls; unlike multi-area addresses they work on every xlwings engine.
    """
    by_col: dict[str, list[int]] = {}
    for cell in cells:
        m = _CELL.match(cell)
        if m:
            by_col.setdefault(m.group(1), []).append(int(m.group(2)))
    out = []
    for col in sorted(by_col, key=lambda c: (len(c), c)):
        rows = sorted(set(by_col[col]))
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
            if row is not None:
                start = prev = row
    return out


class BookAdapter:
    """The few operations the macros need on an xlwings Book, each done in bulk."""

    def __init__(self, book: Any) -> None:
        self.book = book

    # ------------------------------------------------------------------ reading
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def read_sheets(self) -> list[tuple[str, logic.Grid]]:
        """Every sheet's used range as a grid anchored at A1 (one read per sheet)."""
        out = []
        for sheet in self.book.sheets:
            if sheet.name in (logic.PROBLEMS_SHEET, logic.MARKS_SHEET):
                continue
            rng = sheet.used_range
            values = rng.options(ndim=2).value or []
            pad_cols = [None] * (rng.column - 1)
            grid = [[None] * (len(pad_cols) + rng.shape[1]) for _ in range(rng.row - 1)]
            grid.extend(pad_cols + list(row) for row in values)
            out.append((sheet.name, grid))
        return out

    def read_values(self, name: str) -> logic.Grid | None:
        if name not in self.sheet_names():
            return None
        return self.book.sheets[name].used_range.options(ndim=2).value

    @property
    def fullname(self) -> str:
        try:
            return str(self.book.fullname)
        except Exception:  # an unsaved book has no path on some engines
            return ""

    # ------------------------------------------------------------------ writing
    def replace_sheet(self, name: str, rows: logic.Grid, *, visible: bool = True) -> None:
        """Write ``rows`` to a fresh sheet ``name`` (an old one is removed) in one block."""
        if name in self.sheet_names():
            self.book.sheets[name].delete()
        sheet = self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])
        if rows:
            sheet["A1"].value = rows
            sheet["A1"].expand("right").font.bold = True
        if not visible:
            sheet.visible = False

    def colour(self, sheet: str, cells: Iterable[str], color: str | None) -> None:
        ws = self.book.sheets[sheet]
        for address in runs(cells):
            ws.range(address).color = color

    def annotate(self, sheet: str, cell: str, text: str) -> None:
        rng = self.book.sheets[sheet].range(cell)
        note = rng.note
        if note is not None:
            note.delete()
        rng.add_note(text)

    def remove_note(self, sheet: str, cell: str) -> None:
        note = self.book.sheets[sheet].range(cell).note
        if note is not None and str(note.text).startswith(logic.NOTE_PREFIX):
            note.delete()

    def alert(self, text: str) -> None:
        self.book.app.alert(text, title="巾帼统计")


# ---------------------------------------------------------------------- buttons


def _clear(adapter: BookAdapter) -> int:
    cells = logic.plan_clear(adapter.read_values(logic.MARKS_SHEET))
    present = set(adapter.sheet_names())
    by_sheet: dict[str, list[str]] = {}
    for sheet, cell in cells:
        if sheet in present:
            by_sheet.setdefault(sheet, []).append(cell)
    for sheet, addresses in by_sheet.items():
        adapter.colour(sheet, addresses, None)
        for cell in addresses:
            adapter.remove_note(sheet, cell)
    for name in (logic.PROBLEMS_SHEET, logic.MARKS_SHEET):
        if name in adapter.sheet_names():
            adapter.book.sheets[name].delete()
    return len(cells)


def check_workbook(adapter: BookAdapter, rules: Rules) -> logic.CheckPlan:
    """校验本表."""
    _clear(adapter)
    plan = logic.plan_check(
        adapter.read_sheets(), rules, file=Path(adapter.fullname).name, fullname=adapter.fullname
    )
    by_sheet: dict[tuple[str, str], list[str]] = {}
    for mark in plan.marks:
        by_sheet.setdefault((mark.sheet, mark.severity), []).append(mark.cell)
    for (sheet, severity), cells in by_sheet.items():
        adapter.colour(sheet, cells, logic.COLORS[severity])
    for mark in plan.marks:
        adapter.annotate(mark.sheet, mark.cell, mark.note)
    adapter.replace_sheet(logic.PROBLEMS_SHEET, plan.problems)
    adapter.replace_sheet(logic.MARKS_SHEET, logic.marks_to_record(plan.marks), visible=False)
    adapter.alert(plan.summary)
    return plan


def clear_marks(adapter: BookAdapter, rules: Rules) -> None:
    """清除标记."""
    n = _clear(adapter)
    adapter.alert(f"已清除 {n} 个单元格的标记。")


def compute_status(adapter: BookAdapter, rules: Rules) -> None:
    """计算达标."""
    report = logic.evaluate_open_book(
        adapter.read_sheets(), rules, file=Path(adapter.fullname).name, fullname=adapter.fullname
    )
    adapter.replace_sheet(logic.STATUS_SHEET, logic.plan_status(report, rules))
    adapter.alert(report.reason)


def new_ledger(adapter: BookAdapter, rules: Rules, target: Path | None = None) -> Path | None:
    """新建台账: the official template saved where the clerk chooses, then opened."""
    from jinguo_xl.writers.template import write_template

    if target is None:
        chosen = adapter.book.app.api.GetSaveAsFilename(
            InitialFileName=f"统计表_{dt.date.today():%Y%m%d}.xlsx",
            FileFilter="Excel 工作簿 (*.xlsx), *.xlsx",
        )
        if not chosen:
            return None
        target = Path(str(chosen))
    write_template(target, rules)
    xw.Book(str(target))
    return target


def _choose_folder(adapter: BookAdapter) -> Path | None:
    """Excel's own folder picker (msoFileDialogFolderPicker = 4)."""
    dialog = adapter.book.app.api.FileDialog(4)
    dialog.Title = "选择要汇总的文件夹（含各区县或各基地的统计表）"
    if dialog.Show() != -1:
        return None
    return Path(str(dialog.SelectedItems(1)))


def consolidate_folder(
    adapter: BookAdapter, rules: Rules, folder: Path | None = None, *, open_master: bool = True
) -> Path | None:
    """汇总区县工作簿: every workbook under a folder → a master beside it, then opened."""
    from jinguo_xl.batch import consolidate_to
    from jinguo_xl.engine import iter_workbooks

    folder = folder or _choose_folder(adapter)
    if folder is None:
        return None
    files = [(p, p.relative_to(folder).as_posix()) for p, _ in iter_workbooks([folder])]
    if not files:
        adapter.alert(f"文件夹“{folder.name}”中没有找到统计表工作簿。")
        return None
    target = folder.parent / f"{folder.name}_汇总_{dt.date.today():%Y%m%d}.xlsx"
    result, summary = consolidate_to(files, target, rules.year)
    rows = summary["rows_in_master"]
    failed = [i for i in result.inputs if i.kind == "unreadable"]
    text = (
        f"已汇总 {len(files) - len(failed)} 个文件、{len(result.counted)} 个基地、"
        f"{rows} 行，汇总表：{target.name}"
    )
    if failed:
        text += f"\n无法读取 {len(failed)} 个文件，原因见汇总表“说明”表。"
    adapter.alert(text)
    if open_master:
        xw.Book(str(target))
    return target


def export_masked(adapter: BookAdapter, rules: Rules) -> Path | None:
    """导出脱敏副本: the saved workbook, masked, written beside it."""
    from jinguo_xl.writers.masked import write_masked_copy

    source = Path(adapter.fullname)
    if not source.is_file():
        adapter.alert("请先保存本工作簿，再导出脱敏副本。")
        return None
    target = source.with_name(f"{source.stem}_脱敏{source.suffix}")
    n = write_masked_copy(source, target, rules)
    adapter.alert(f"已导出脱敏副本：{target.name}（按已保存的内容，脱敏 {n} 个单元格）。")
    return target


def show_help(adapter: BookAdapter, rules: Rules) -> None:
    """帮助."""
    adapter.alert(logic.HELP_TEXT)


HANDLERS: dict[str, Callable[..., object]] = {
    "check_workbook": check_workbook,
    "clear_marks": clear_marks,
    "compute_status": compute_status,
    "consolidate_folder": consolidate_folder,
    "export_masked": export_masked,
    "new_ledger": new_ledger,
    "show_help": show_help,
}


def run(control_id: str, book: Any = None) -> None:
    """The one entry the ribbon calls: ``RunPython "…; m.run('check_workbook')"``."""
    book = book if book is not None else xw.Book.caller()
    adapter = BookAdapter(book)
    handler = HANDLERS.get(control_id)
    if handler is None:
        adapter.alert(f"未知的按钮：{control_id}。请更新巾帼统计加载项。")
        return
    try:
        handler(adapter, load_rules())
    except Exception as exc:  # the ribbon's boundary: a clerk sees a sentence, not a traceback
        adapter.alert(
            f"操作没有完成：{exc}\n请保存工作簿后重试；如仍失败，请用 jinguo-xl check 检查文件。"
        )

"""Ribbon entry points: ``run(control_id)`` → one quiet transaction → the button's work.

What each button changes, and only that:

- 校验本表 undoes its previous marks, records every cell it is about to touch (previous fill
  and note) in the hidden sheet ``_jinguo_marks`` *before* touching it, then colours the cells,
  adds its text to their notes (beside the clerk's own) and writes the 问题清单 sheet.
- 清除标记 puts back exactly what the record says, only where our mark is still there.
- 计算达标 never touches the template's self-judging sheets; other workbooks get a dated result
  sheet of their own.

All Excel access goes through :class:`jinguo_xl.excel.com.ComBook`; the decisions live in
:mod:`jinguo_xl.excel.logic` and :mod:`jinguo_xl.excel.marks`. The imports that can fail
(xlwings, the rules, the engine) happen inside ``run``'s ``try``, so every failure reaches the
clerk as one Chinese sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinguo_xl.excel import location, marks, session
from jinguo_xl.excel.com import MAX_READ_CELLS, ComBook
from jinguo_xl.excel.session import Refusal
from jinguo_xl.excel.texts import HELP, TEXT, TITLE

if TYPE_CHECKING:
    from jinguo_xl.excel.logic import Grid, Mark
    from jinguo_xl.rules import Rules

PROBLEMS_SHEET = "问题清单"
RESULT_SHEET = "达标计算结果"
TEMPLATE_STATUS_SHEET = "达标情况"
TEMPLATE_NAMES = ("基地结论",)  # defined names only the template has
OUR_SHEETS = frozenset({PROBLEMS_SHEET, marks.RECORD_SHEET, RESULT_SHEET})
NEEDS_BOOK = frozenset({"check_workbook", "clear_marks", "compute_status", "export_masked"})


@dataclass
class Press:
    """One button press: the calling Excel, its workbook (None for buttons that need none)."""

    app: Any  # an xlwings App: ``.api`` is Excel's Application, ``.alert`` a message box
    book: ComBook | None
    rules: Rules
    now: dt.datetime = field(default_factory=dt.datetime.now)

    @property
    def workbook(self) -> ComBook:
        if self.book is None:
            raise Refusal(TEXT["no-book"])
        return self.book


# ---------------------------------------------------------------------- reading


def _data_sheets(book: ComBook) -> list[str]:
    return [n for n in book.sheet_names() if n not in OUR_SHEETS]


def read_sheets(book: ComBook, names: Sequence[str]) -> tuple[list[tuple[str, Grid]], list[str]]:
    """Each sheet's values from A1 to its last filled cell, and a sentence per sheet cut short.

    A sheet too large to read in one block (a stray value far below the table) is read down to
    ``MAX_READ_CELLS`` cells and the clerk is told which rows were left out.
    """
    out, cut = [], []
    for name in names:
        rows, cols = book.extent(name)
        keep = rows if rows * cols <= MAX_READ_CELLS else max(1, MAX_READ_CELLS // cols)
        if keep < rows:
            cut.append(TEXT["read-cut"].format(sheet=name, rows=keep, last=rows))
        out.append((name, book.read(name, keep, cols)))
    return out, cut


def _source(book: ComBook) -> tuple[str, str]:
    """The file name and the path whose folder names the county (OneDrive books included)."""
    fullname = book.fullname
    return Path(location.folder_source(fullname)).name, location.folder_source(fullname)


def _refuse_protected(book: ComBook, names: Sequence[str], *, structure: bool = True) -> None:
    """Stop before the first change when Excel would refuse one of them."""
    if structure and book.structure_protected:
        raise Refusal(TEXT["structure-protected"])
    locked = [n for n in names if book.protected(n)]
    if locked:
        raise Refusal(TEXT["sheets-protected"].format(sheets="".join(f"“{n}”" for n in locked)))


def _ours(book: ComBook, name: str, first: str) -> bool:
    """Whether sheet ``name`` is one we wrote (its A1 reads ``first``) or left empty."""
    return book.read(name, 1, 1) == [[first]] or book.extent(name) == (0, 0)


# ---------------------------------------------------------------------- marks


def _undo_marks(book: ComBook) -> tuple[int, int]:
    """Put back what the record says; (cells restored, cells the clerk changed since, kept)."""
    names = book.sheet_names()
    if PROBLEMS_SHEET in names and _ours(book, PROBLEMS_SHEET, "级别"):
        book.delete_sheet(PROBLEMS_SHEET)
    if marks.RECORD_SHEET not in names:
        return 0, 0
    touched = marks.read_record(book.read(marks.RECORD_SHEET, *book.extent(marks.RECORD_SHEET)))
    present = set(names)
    by_sheet: dict[str, list[marks.Touched]] = {}
    for t in touched:
        if t.sheet in present:
            by_sheet.setdefault(t.sheet, []).append(t)
    kept = 0
    for sheet, items in by_sheet.items():
        current = book.fills(sheet, [t.cell for t in items])
        restore: dict[str | None, list[str]] = {}
        for t in items:
            if marks.restore_fill(current.get(t.cell), t):
                restore.setdefault(t.fill, []).append(t.cell)
            else:
                kept += 1
        for fill, cells in restore.items():
            book.paint(sheet, cells, fill)
        for t in items:
            book.revise_note(sheet, t.cell, lambda current, t=t: marks.without_ours(current, t))
    book.delete_sheet(marks.RECORD_SHEET)
    return len(touched), kept


def _touch_list(book: ComBook, plan_marks: Sequence[Mark], colours: dict[str, str]
                ) -> list[marks.Touched]:
    """The cells about to be marked with their fill and note as they are now."""
    by_sheet: dict[str, list[Mark]] = {}
    for m in plan_marks:
        by_sheet.setdefault(m.sheet, []).append(m)
    out = []
    for sheet, items in by_sheet.items():
        fills = book.fills(sheet, [m.cell for m in items])
        notes = book.notes(sheet)
        for m in items:
            out.append(marks.Touched(sheet, m.cell, fills.get(m.cell), notes.get(m.cell),
                                     colours[m.severity], m.note))
    return out


def _apply(book: ComBook, touched: Sequence[marks.Touched]) -> int:
    """Colour and annotate the recorded cells; returns notes that Excel would not take."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for t in touched:
        groups.setdefault((t.sheet, t.painted), []).append(t.cell)
    for (sheet, fill), cells in groups.items():
        book.paint(sheet, cells, fill)
    skipped = 0
    for t in touched:
        if t.added is None:
            continue
        if t.note is None:
            book.add_note(t.sheet, t.cell, t.added)
            continue
        try:
            book.set_note(t.sheet, t.cell, marks.with_ours(t.note, t.added))
        except Exception:  # a threaded comment's note cannot be edited; the colour stays
            skipped += 1
    return skipped


# ---------------------------------------------------------------------- buttons


def check_workbook(press: Press) -> str:
    """校验本表."""
    from jinguo_xl.excel import logic

    book = press.workbook
    names = _data_sheets(book)
    _refuse_protected(book, [*names, *(n for n in OUR_SHEETS if n in book.sheets())])
    _undo_marks(book)
    sheets, cut = read_sheets(book, [n for n in names if n not in logic.OWN_SHEETS])
    file, source = _source(book)
    plan = logic.plan_check(sheets, press.rules, file=file, fullname=source)
    touched = _touch_list(book, plan.marks, logic.COLORS)
    book.write(marks.RECORD_SHEET, marks.record_rows(touched), hidden=True)  # before any mark
    skipped = _apply(book, touched)
    if PROBLEMS_SHEET in book.sheets():
        if not _ours(book, PROBLEMS_SHEET, "级别"):
            raise Refusal(TEXT["sheet-not-ours"].format(sheet=PROBLEMS_SHEET))
        book.clear_sheet(PROBLEMS_SHEET)
    book.write(PROBLEMS_SHEET, plan.problems)
    lines = [plan.summary, *cut]
    if skipped:
        lines.append(TEXT["notes-skipped"].format(n=skipped, sheet=PROBLEMS_SHEET))
    return "\n".join(lines)


def clear_marks(press: Press) -> str:
    """清除标记."""
    book = press.workbook
    if marks.RECORD_SHEET not in book.sheets():
        _undo_marks(book)  # a 问题清单 left without its record
        return TEXT["cleared-none"]
    touched = marks.read_record(book.read(marks.RECORD_SHEET, *book.extent(marks.RECORD_SHEET)))
    _refuse_protected(book, sorted({t.sheet for t in touched} & set(book.sheets())))
    n, kept = _undo_marks(book)
    text = TEXT["cleared"].format(n=n)
    return text + ("\n" + TEXT["cleared-kept"].format(n=kept) if kept else "")


def is_template(book: ComBook) -> bool:
    """Whether the workbook judges itself with formulas (the official template)."""
    if any(book.has_name(n) for n in TEMPLATE_NAMES):
        return True
    names = book.sheet_names()
    return TEMPLATE_STATUS_SHEET in names and book.has_formulas(TEMPLATE_STATUS_SHEET)


def compute_status(press: Press) -> str:
    """计算达标: the template is only recalculated; other books get a dated sheet of ours."""
    from jinguo_xl.excel import logic

    book = press.workbook
    template = is_template(book)
    names = [n for n in _data_sheets(book) if n not in logic.OWN_SHEETS]
    sheets, cut = read_sheets(book, names)
    file, source = _source(book)
    report = logic.evaluate_open_book(sheets, press.rules, file=file, fullname=source)
    if template:
        press.app.api.Calculate()
        return "\n".join([TEXT["template-status"].format(reason=report.reason), *cut])
    exists = RESULT_SHEET in book.sheets()
    _refuse_protected(book, [RESULT_SHEET] if exists else [], structure=not exists)
    title = TEXT["status-title"]
    if exists:
        if not _ours(book, RESULT_SHEET, title):
            raise Refusal(TEXT["sheet-not-ours"].format(sheet=RESULT_SHEET))
        book.clear_sheet(RESULT_SHEET)
    when = f"{press.now:%Y-%m-%d %H:%M}"
    rows: list[list[object]] = [[title], [TEXT["status-stamp"].format(when=when)], []]
    rows.extend(logic.plan_status(report, press.rules))
    book.write(RESULT_SHEET, rows)
    done = TEXT["status-written"].format(reason=report.reason, sheet=RESULT_SHEET, when=when)
    return "\n".join([done, *cut])


def _open(press: Press, path: Path) -> None:
    """Open ``path`` in the Excel the button was pressed in (not in some other window)."""
    press.app.api.Workbooks.Open(str(path))


def new_ledger(press: Press, target: Path | None = None) -> Path | None:
    """新建台账: the official template saved where the clerk chooses, then opened."""
    from jinguo_xl.writers.template import write_template

    if target is None:
        chosen = press.app.api.GetSaveAsFilename(
            InitialFileName=f"统计表_{press.now:%Y%m%d}.xlsx",
            FileFilter="Excel 工作簿 (*.xlsx), *.xlsx",
        )
        if not chosen:
            return None
        target = Path(str(chosen))
    write_template(target, press.rules)
    _open(press, target)
    return target


def _choose_folder(press: Press) -> Path | None:
    """Excel's own folder picker (msoFileDialogFolderPicker = 4)."""
    dialog = press.app.api.FileDialog(4)
    dialog.Title = "选择要汇总的文件夹（含各区县或各基地的统计表）"
    if dialog.Show() != -1:
        return None
    return Path(str(dialog.SelectedItems(1)))


def unsaved_books_in(press: Press, folder: Path) -> list[str]:
    """Workbooks open in this Excel, inside ``folder``, with edits not yet saved."""
    out = []
    for wb in press.app.api.Workbooks:
        local = location.local_path(str(wb.FullName))
        if local is not None and folder in local.parents and not wb.Saved:
            out.append(str(wb.Name))
    return out


def consolidate_folder(
    press: Press, folder: Path | None = None, *, open_master: bool = True
) -> str | None:
    """汇总区县工作簿: every workbook under a folder → a master beside it, then opened."""
    from jinguo_xl.run.batch import consolidate_to
    from jinguo_xl.run.files import Passed, survey

    folder = folder or _choose_folder(press)
    if folder is None:
        return None
    unsaved = unsaved_books_in(press, folder)
    if unsaved:
        raise Refusal(TEXT["unsaved-in-folder"].format(books="".join(f"“{n}”" for n in unsaved)))
    found, others = survey([folder])
    files = [(p, p.relative_to(folder).as_posix()) for p, _ in found]
    if not files:
        return TEXT["folder-empty"].format(folder=folder.name)
    passed = [
        Passed(p.path, p.path.relative_to(folder).as_posix(), p.action, p.reason) for p in others
    ]
    target = folder.parent / f"{folder.name}_汇总_{press.now:%Y%m%d}.xlsx"
    result, summary = consolidate_to(files, target, press.rules.year, passed=passed)
    failed = [i for i in result.inputs if i.kind == "unreadable"]
    text = TEXT["consolidated"].format(
        files=sum(i.kind in ("workbook", "master", "template") for i in result.inputs),
        bases=len(result.counted),
        rows=summary["rows_in_master"], name=target.name,
    )
    if failed:
        text += TEXT["consolidated-failed"].format(n=len(failed))
    if open_master:
        _open(press, target)
    return text


def export_masked(press: Press) -> str:
    """导出脱敏副本: the saved workbook, masked, written beside it."""
    from jinguo_xl.writers.masked import write_masked_copy

    book = press.workbook
    source = location.local_path(book.fullname)
    if source is None:
        raise Refusal(location.where_message(book.fullname))
    if not book.saved:
        raise Refusal(TEXT["unsaved"].format(button="导出脱敏副本"))
    target = source.with_name(f"{source.stem}_脱敏{source.suffix}")
    n = write_masked_copy(source, target, press.rules)
    return TEXT["masked-written"].format(name=target.name, n=n)


def show_help(press: Press) -> str:
    """帮助."""
    return HELP


HANDLERS: dict[str, Callable[[Press], object]] = {
    "check_workbook": check_workbook,
    "clear_marks": clear_marks,
    "compute_status": compute_status,
    "consolidate_folder": consolidate_folder,
    "export_masked": export_masked,
    "new_ledger": new_ledger,
    "show_help": show_help,
}


# ---------------------------------------------------------------------- the entry


def _caller() -> tuple[Any, Any]:
    """The book the button was pressed in and its Excel; (None, app) when there is no book."""
    import xlwings as xw

    try:
        book = xw.Book.caller()
        return book, book.app
    except Exception:
        pass
    try:
        app = xw.apps.active
    except Exception:
        app = None
    if app is None:
        raise Refusal(TEXT["no-excel"])
    return None, app


def _no_book(app: Any) -> Refusal:
    """Why there is no workbook to work on: none open, or one still in Protected View."""
    try:
        in_protected_view = app.api.ActiveProtectedViewWindow is not None
    except Exception:
        in_protected_view = False
    return Refusal(TEXT["protected-view" if in_protected_view else "no-book"])


def run(control_id: str, book: Any = None, *, app: Any = None, now: dt.datetime | None = None
        ) -> None:
    """The one entry the ribbon calls: ``RunPython "…; m.run('check_workbook')"``.

    ``book`` and ``app`` are xlwings objects (or stand-ins with ``.api``); by default the
    calling workbook and its Excel. Whatever happens, the clerk sees exactly one message.
    """
    alert: Callable[[str], object] | None = None
    try:
        if book is None and app is None:
            book, app = _caller()
        elif app is None:
            app = book.app
        alert = lambda text: app.alert(text, title=TITLE)  # noqa: E731
        handler = HANDLERS.get(control_id)
        if handler is None:
            raise Refusal(TEXT["unknown-button"].format(id=control_id))
        if book is None and control_id in NEEDS_BOOK:
            raise _no_book(app)
        from jinguo_xl.rules import load_rules

        session.bound_busy_retries()
        session.wait_ready(app.api)
        press = Press(app, None if book is None else ComBook(book.api), load_rules())
        if now is not None:
            press.now = now
        with session.quiet(app.api):
            outcome = handler(press)
        text = outcome if isinstance(outcome, str) else None
    except Exception as exc:  # the ribbon's boundary: a clerk sees a sentence, not a traceback
        text = session.describe(exc)
    if text:
        session.show(text, alert)

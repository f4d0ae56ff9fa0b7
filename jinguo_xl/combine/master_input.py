"""Reading a master written by ``jinguo-xl consolidate`` back as the bases it holds.

A county consolidates its bases and sends the master; the city consolidates the counties'
masters. Each base is rebuilt from the master's 基地 and 妇女明细 sheets with its ORIGINAL file,
sheet and row, and its status is re-derived from the rows by the engine (never copied), so a
row is counted once however many levels it passed through.

A master is recognised by its content — its 基地 and 妇女明细 sheets with their header rows —
not only by the hidden marker sheet, which a clerk may delete or lose by copying the sheets into
a new workbook; read as a base, a master would count every base a second time. A masked master
is refused whatever its marker says: the masked names and phones in 妇女明细 show it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from python_calamine import CalamineWorkbook

from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    BASE_HEADER,
    FINDING_COLUMNS,
    MARKER_SHEET,
    WOMEN_COLUMNS,
    WOMEN_HEADER,
    Columns,
    headers,
)
from jinguo_xl.count.report import FileReport, evaluate_ledger
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.findings import Code, Finding, Severity
from jinguo_xl.findings.messages import UNKNOWN_COUNTY
from jinguo_xl.read.kinds import looks_masked, small_part
from jinguo_xl.read.ledger import FieldValue, Ledger, RawRow, RawTable
from jinguo_xl.rules import Rules

_MARKER_BYTES = f'name="{MARKER_SHEET}"'.encode()
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_CONTENT_SHEETS = ("基地", "妇女明细")
_HEADER_SCAN = 12  # rows searched for a header row (a copied sheet may gain a title line)
MASTER_MASKED = Code.MASTER_MASKED.template
_SEVERITY_LABELS = {severity.label for severity in Severity}
# The columns a base is rebuilt from: 妇女明细's under the rules' column keys (金额 goes to the
# table's own money column), 基地's under the base field keys.
_WOMEN_READ = tuple(c.key for c in WOMEN_COLUMNS if c.read_back)
_BASE_READ = tuple(c.key for c in BASE_COLUMNS if c.read_back)
_FINDING_KEYS = tuple(c.key for c in FINDING_COLUMNS)


def is_master(path: Path) -> bool:
    """True for a master: its marker sheet, or its 基地 and 妇女明细 sheets with their headers."""
    book = small_part(path, "xl/workbook.xml")  # b"" when damaged: the guarded reader says why
    if not book:
        return False
    if _MARKER_BYTES in book:
        return True
    names = {m.group(1).decode("utf-8", "replace") for m in _SHEET_NAME.finditer(book)}
    if not all(name in names for name in _CONTENT_SHEETS):
        return False
    try:
        wb = CalamineWorkbook.from_path(str(path))
        return all(
            _header_at(wb.get_sheet_by_name(name).to_python(nrows=_HEADER_SCAN), header)
            is not None
            for name, header in zip(_CONTENT_SHEETS, (BASE_HEADER, WOMEN_HEADER), strict=True)
        )
    except Exception:  # unreadable here: the guarded reader will say why, as for any file
        return False


def _header_at(grid: list[list[object]], header: list[str]) -> int | None:
    return next((i for i, row in enumerate(grid) if list(row[: len(header)]) == header), None)


def _records(wb: CalamineWorkbook, name: str, columns: Columns) -> list[dict[str, object]]:
    """A long table's rows keyed by column key, found below its header row."""
    grid = wb.get_sheet_by_name(name).to_python()
    start = _header_at(grid, headers(columns))
    if start is None:
        raise UnreadableWorkbook(f"汇总表的“{name}”工作表被改动过，无法再次汇总；请使用原始汇总表")
    keys = [c.key for c in columns]
    return [dict(zip(keys, row, strict=False)) for row in grid[start + 1 :]]


def _finding_from_row(row: list[object]) -> Finding | None:
    cells = dict(zip(_FINDING_KEYS, list(row) + [""] * len(_FINDING_KEYS), strict=False))
    label, file, sheet, cell = cells["severity"], cells["file"], cells["sheet"], cells["cell"]
    column, message, code = cells["column"], cells["message"], cells["code"]
    known = Code.lookup(code)
    if str(label) not in _SEVERITY_LABELS or known is None:
        return None
    return Finding.restore(
        known, str(message), file=str(file), sheet=str(sheet), cell=str(cell), column=str(column)
    )


def read_master(path: Path, rules: Rules) -> list[FileReport]:
    """The bases held by a master, each as the report of its original file."""
    try:
        wb = CalamineWorkbook.from_path(str(path))
        marker_rows = (
            wb.get_sheet_by_name(MARKER_SHEET).to_python() if MARKER_SHEET in wb.sheet_names else []
        )
        marker = {str(r[0]): str(r[1]) for r in marker_rows if len(r) >= 2}
        if marker.get("masked") == "yes":
            raise UnreadableWorkbook(MASTER_MASKED)
        bases = _records(wb, "基地", BASE_COLUMNS)
        women = _records(wb, "妇女明细", WOMEN_COLUMNS)
        if looks_masked((w.get("name") for w in women), (w.get("phone") for w in women)):
            raise UnreadableWorkbook(MASTER_MASKED)  # the data shows it, whatever the flag says
        problems = (
            wb.get_sheet_by_name("问题清单").to_python()[1:] if "问题清单" in wb.sheet_names else []
        )
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # a damaged master is an unreadable file, like any other
        raise UnreadableWorkbook(
            f"汇总表无法读取（{exc.__class__.__name__}），请重新生成后提交"
        ) from None

    ledgers: dict[str, Ledger] = {}
    for b in bases:
        file = str(b["file"])
        if file in ledgers:
            continue
        ledger = Ledger(file=file, path=None, sheets=("基地",))
        for key in _BASE_READ:
            value = b.get(key)
            if value in (None, "") or (key == "county" and value == UNKNOWN_COUNTY):
                continue
            ledger.fields[key] = FieldValue(value, "基地")
        ledgers[file] = ledger
    tables: dict[tuple[str, str], RawTable] = {}
    for w in women:
        file, industry = str(w["file"]), str(w["industry"])
        ledger = ledgers.get(file)
        spec = rules.tables.get(industry)
        if ledger is None or spec is None:
            continue
        values = {key: w.get(key) for key in _WOMEN_READ}
        if spec.money:
            values[spec.money] = w.get("money")
        cols = {key: i for i, key in enumerate(values)}
        sheet = str(w["sheet"])
        table = tables.get((file, industry))
        if table is None:
            table = tables[(file, industry)] = RawTable(industry, sheet, 0, cols, {})
            ledger.tables.append(table)
        at = w.get("row")
        row = int(float(at)) - 1 if at not in (None, "") else 0
        table.rows.append(RawRow(sheet, row, values, cols))
    findings: dict[str, list[Finding]] = defaultdict(list)
    for row in problems:
        f = _finding_from_row(list(row))
        if f is not None and f.code is not Code.BASE_SENT_TWICE:
            findings[f.file].append(f)
    reports = []
    for file, ledger in ledgers.items():
        report = evaluate_ledger(ledger, rules)
        report.findings = findings.get(file, [])
        reports.append(report)
    return reports


def master_report(path: Path, shown: str, rules: Rules) -> FileReport:
    """How ``check`` shows a master: as a master (no base with errors), or refused if masked."""
    try:
        reports = read_master(path, rules)
    except UnreadableWorkbook as exc:
        return FileReport(shown, path, ok=False, error=exc.message, reason=exc.message)
    rows = sum(r.rows_read for r in reports)
    note = (
        f"这是汇总表（jinguo-xl consolidate 生成，含 {len(reports)} 个基地、{rows} 行数据），"
        "不是基地工作簿，未按基地校验；汇总时可与其他工作簿一起交给 consolidate，"
        "其中的基地不会重复计算"
    )
    return FileReport(shown, path, reason=note, skipped=note)

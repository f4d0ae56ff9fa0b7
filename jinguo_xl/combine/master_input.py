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

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook

from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    BASE_HEADER,
    FINDING_COLUMNS,
    MARKER_SHEET,
    PROVENANCE_KEYS,
    TIME_FORMAT,
    WOMEN_COLUMNS,
    WOMEN_COLUMNS_V1,
    WOMEN_HEADER,
    Columns,
    headers,
    index_of,
)
from jinguo_xl.count.report import FileReport, Provenance, evaluate_ledger
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.findings import Code, Finding, Findings, Severity
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
# The columns a base is rebuilt from: 妇女明细's under the rules' column keys (the amount as
# typed goes to the table's own money column, to be checked again: one typed in 元 is left out
# again), 基地's under the base field keys.
_TYPED_MONEY = "money_typed"
_WOMEN_READ = tuple(c.key for c in WOMEN_COLUMNS if c.read_back and c.key != _TYPED_MONEY)
# What the master recorded of each source (spec §8) is read apart from the base's fields.
_BASE_READ = tuple(c.key for c in BASE_COLUMNS if c.read_back and c.key not in PROVENANCE_KEYS)
_FINDING_KEYS = tuple(c.key for c in FINDING_COLUMNS)


def may_be_master(names: Sequence[str]) -> bool:
    """Sheet names a master has: its marker, or its 基地 and 妇女明细 sheets. Told before any
    cell is read, so that an ordinary workbook needs no second look at its package."""
    return MARKER_SHEET in names or all(name in names for name in _CONTENT_SHEETS)


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
        grids = [wb.get_sheet_by_name(n).to_python(nrows=_HEADER_SCAN) for n in _CONTENT_SHEETS]
        return _header_at(grids[0], BASE_HEADER) is not None and any(
            _header_at(grids[1], header) is not None
            for header in (WOMEN_HEADER, headers(WOMEN_COLUMNS_V1))
        )
    except Exception:  # unreadable here: the guarded reader will say why, as for any file
        return False


def _header_at(grid: list[list[object]], header: list[str]) -> int | None:
    return next((i for i, row in enumerate(grid) if list(row[: len(header)]) == header), None)


def _records(
    wb: CalamineWorkbook, name: str, columns: Columns, *older: Columns
) -> list[dict[str, object]]:
    """A long table's rows keyed by column key, found below its header row (the current
    layout's, else an ``older`` one's); each keeps its 0-based sheet row under ``_row`` (a row
    with no source is pointed at)."""
    grid = wb.get_sheet_by_name(name).to_python()
    for layout in (columns, *older):
        start = _header_at(grid, headers(layout))
        if start is not None:
            columns = layout
            break
    else:
        raise UnreadableWorkbook(f"汇总表的“{name}”工作表被改动过，无法再次汇总；请使用原始汇总表")
    keys = [c.key for c in columns]
    out = []
    for at, row in enumerate(grid[start + 1 :], start=start + 1):
        if any(v not in (None, "") for v in row):
            out.append({**dict(zip(keys, row, strict=False)), "_row": at})
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _provenance(b: dict[str, object]) -> Provenance:
    """The source's SHA-256, file time and whether the master left it out, as recorded."""
    mtime = 0.0
    stamp = _text(b.get("mtime"))
    if stamp:
        try:
            mtime = dt.datetime.strptime(stamp, TIME_FORMAT).timestamp()
        except ValueError:
            mtime = 0.0
    counts = _text(b.get("counts"))
    superseded = ""
    if counts.startswith("否"):
        found = _SUPERSEDED.search(counts)
        superseded = found.group(1) if found else "（另一份）"
    sha = _text(b.get("sha256")).lower()
    return Provenance(sha if _SHA.fullmatch(sha) else "", mtime, superseded)


_SUPERSEDED = re.compile(r"以 ?(.+?) ?为准")
_SHA = re.compile(r"[0-9a-f]{64}")


def _finding_from_row(row: list[object]) -> Finding | None:
    cells = dict(zip(_FINDING_KEYS, list(row) + [""] * len(_FINDING_KEYS), strict=False))
    label, file, sheet, cell = cells["severity"], cells["file"], cells["sheet"], cells["cell"]
    column, message, code = cells["column"], cells["message"], cells["code"]
    known = Code.lookup(code)
    if str(label) not in _SEVERITY_LABELS or known is None:
        return None
    # the master breaks a message into printed lines (writers.layout.break_lines): unbroken
    text = str(message).replace("\n", "")
    return Finding.restore(
        known, text, file=str(file), sheet=str(sheet), cell=str(cell), column=str(column)
    )


def read_master(path: Path, rules: Rules) -> list[FileReport]:
    """The bases held by a master, each as the report of its original file."""
    return read_master_rows(path, rules, str(path))[0]


def read_master_rows(
    path: Path, rules: Rules, shown: str
) -> tuple[list[FileReport], list[Finding]]:
    """The bases held by a master, and the errors about its rows that have no source (typed
    in by hand: spec §8, not counted) under the master's name ``shown``."""
    try:
        wb = CalamineWorkbook.from_path(str(path))
        marker_rows = (
            wb.get_sheet_by_name(MARKER_SHEET).to_python() if MARKER_SHEET in wb.sheet_names else []
        )
        marker = {str(r[0]): str(r[1]) for r in marker_rows if len(r) >= 2}
        if marker.get("masked") == "yes":
            raise UnreadableWorkbook(MASTER_MASKED)
        bases = _records(wb, "基地", BASE_COLUMNS)
        women = _records(wb, "妇女明细", WOMEN_COLUMNS, WOMEN_COLUMNS_V1)
        for w in women:  # format 1: 金额（万元） held the amount as typed
            w.setdefault(_TYPED_MONEY, w.get("money"))
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

    orphans = Findings(shown)
    ledgers: dict[tuple[str, str], Ledger] = {}
    by_file: dict[str, list[Ledger]] = defaultdict(list)
    provenance: dict[tuple[str, str], Provenance] = {}
    for b in bases:
        file, part = _text(b.get("file")), _text(b.get("part"))
        if not file:
            orphans.add(
                Code.MASTER_ROW_NO_SOURCE, "基地", int(b["_row"]),
                index_of(BASE_COLUMNS, "name"), column="带动基地名称", detail="来源文件为空",
            )
            continue
        if (file, part) in ledgers:
            continue
        ledger = Ledger(file=file, path=None, sheets=("基地",))
        ledger.part = part
        for key in _BASE_READ:
            value = b.get(key)
            if value in (None, "") or (key == "county" and value == UNKNOWN_COUNTY):
                continue
            ledger.fields[key] = FieldValue(value, "基地")
        ledgers[(file, part)] = ledger
        by_file[file].append(ledger)
        provenance[(file, part)] = _provenance(b)
    tables: dict[tuple[str, str, str], RawTable] = {}
    for w in women:
        file, industry = _text(w.get("file")), _text(w.get("industry"))
        ledger = _owner(by_file.get(file, []), _text(w.get("sheet")))
        spec = rules.tables.get(industry)
        if ledger is None or spec is None:
            why = (
                "来源文件为空" if not file
                else f"“{file}”不在“基地”表中" if ledger is None
                else f"产业“{industry}”无法识别"
            )
            orphans.add(
                Code.MASTER_ROW_NO_SOURCE, "妇女明细", int(w["_row"]),
                index_of(WOMEN_COLUMNS, "name"), column="带动妇女姓名", detail=why,
            )
            continue
        values = {key: w.get(key) for key in _WOMEN_READ}
        if spec.money:
            values[spec.money] = w.get(_TYPED_MONEY)
        cols = {key: i for i, key in enumerate(values)}
        sheet = str(w["sheet"])
        table = tables.get((file, ledger.part, industry))
        if table is None:
            table = tables[(file, ledger.part, industry)] = RawTable(industry, sheet, 0, cols, {})
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
    for (file, part), ledger in ledgers.items():
        report = evaluate_ledger(ledger, rules)
        own = findings.get(file, [])
        siblings = by_file[file]
        if len(siblings) > 1:
            # A workbook of several bases: each keeps the findings of its own sheets, the first
            # also those about the whole file.
            sheets = set(part.split("、")) | {t.sheet for t in ledger.tables}
            first = ledger is siblings[0]
            own = [f for f in own if f.sheet in sheets or (first and not f.sheet)]
        report.findings = own
        report.provenance = provenance[(file, part)]
        reports.append(report)
    return reports, list(orphans)


def _owner(candidates: list[Ledger], sheet: str) -> Ledger | None:
    """The base of a source file a 妇女明细 row belongs to: the only one, or the one whose
    sheets hold the row's sheet (a workbook of several bases)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for ledger in candidates:
        if sheet in ledger.part.split("、"):
            return ledger
    return None


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

"""A workbook's verdict from its ledger: validate → targets, as a :class:`FileReport`.

The CLI, the UDFs, the ribbon macros and the consolidation all count through
:func:`evaluate_ledger`, so that a status is computed the same way wherever the clerk sees it.
Reading a file from disk is :func:`jinguo_xl.run.files.check_file`, one stage up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jinguo_xl.count.targets import TableResult, base_status, evaluate_table
from jinguo_xl.findings import Code, Finding, Findings, Severity, count_by_severity
from jinguo_xl.findings.messages import STATUS_EMPTY, STATUS_UNDECIDED
from jinguo_xl.labels import strip_parenthetical
from jinguo_xl.privacy.redact import hide_numbers
from jinguo_xl.read.ledger import Ledger, RawTable
from jinguo_xl.rules import Rules
from jinguo_xl.validate.workbook import BaseInfo, CleanTable, check_ledger


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a master records of each source file, so a later consolidation ranks copies of a
    base as the first one did (spec §8): its bytes' SHA-256, its file time, and the copy that
    superseded it ("" when it counted)."""

    sha256: str = ""
    mtime: float = 0.0
    superseded_by: str = ""


@dataclass(slots=True)
class FileReport:
    """Everything known about one workbook; ``ok`` is False when it could not be read at all."""

    file: str
    path: Path | None
    ok: bool = True
    error: str | None = None
    base: BaseInfo | None = None
    tables: list[CleanTable] = field(default_factory=list)
    results: list[TableResult] = field(default_factory=list)
    status: str = STATUS_EMPTY
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    # Rows whose typed amount counts in no total, by reason, over all tables (see TableResult).
    left_out: dict[str, int] = field(default_factory=dict)
    # One of the project's own outputs that is no base (a master, a blank template): why it was
    # not checked as one. Such a report has no base and counts in no total.
    skipped: str = ""
    # The sheets of the base, when its workbook holds several bases ("" for one base).
    part: str = ""
    # For a base read back from a master: what the master recorded of its source.
    provenance: Provenance | None = None

    @property
    def rows_read(self) -> int:
        return sum(len(t.rows) for t in self.tables)

    @property
    def error_count(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    def totals(self, rules: Rules, *, counted_only: bool = False) -> dict[str, Decimal]:
        """Money totals by the 样表's money headers (产品收入, 代销产品, 发展产业收入)."""
        out: dict[str, Decimal] = {}
        for spec in rules.tables.values():
            if spec.money:
                out.setdefault(money_label(spec.header_of(spec.money, rules.columns)), Decimal(0))
        for table in self.tables:
            if not table.spec.money:
                continue
            label = money_label(table.spec.header_of(table.spec.money, rules.columns))
            for row in table.rows:
                if row.money is not None and (row.counted or not counted_only):
                    out[label] += row.money
        return out

    def to_json(self, rules: Rules) -> dict[str, object]:
        base = self.base
        return {
            "file": self.file,
            "part": self.part or None,
            # ``ok`` (kept for programs that read it) and ``read`` say the file could be read,
            # not that it is free of errors: ``finding_counts`` says that.
            "ok": self.ok,
            "read": self.ok,
            "skipped": self.skipped or None,
            "error": self.error,
            "base": None
            if base is None
            else {
                "name": hide_numbers(base.name),
                "type": base.type,
                "leader": hide_numbers(base.leader),
                "county": base.county,
                "township": hide_numbers(base.township) or None,
                "households": base.households,
                "type_raw": hide_numbers(base.type_raw),
                "county_in_scope": base.county_in_scope,
                "county_confirmed": base.county_confirmed,
                "deep_poverty_township": base.deep_poverty,
                "year": base.year,
                "fill_date": base.fill_date.isoformat() if base.fill_date else None,
            },
            "status": self.status if self.ok else None,
            "reason": self.reason if self.ok else None,
            "tables": [
                {
                    "industry": r.industry,
                    "sheet": r.sheet,
                    "rows": r.rows,
                    "metrics": r.metrics.to_json(),
                    "targets": [t.to_json() for t in r.targets],
                    "status": r.status,
                    "reason": r.reason,
                    "left_out": r.left_out,
                }
                for r in self.results
                if r.rows
            ],
            "totals": {k: float(v) for k, v in self.totals(rules).items()},
            "totals_counted": {
                k: float(v) for k, v in self.totals(rules, counted_only=True).items()
            },
            "rows_read": self.rows_read,
            "left_out": self.left_out,
            "finding_counts": count_by_severity(self.findings),
            "findings": [f.to_dict() for f in self.findings],
        }


def money_label(header: str) -> str:
    """``产品收入（万元）`` → ``产品收入``: the key the totals are reported under."""
    return strip_parenthetical(header)


def evaluate_ledger(ledger: Ledger, rules: Rules) -> FileReport:
    """Validate and count an already read ledger (used for grids from the open workbook too)."""
    checked = check_ledger(ledger, rules)
    report = FileReport(
        ledger.file,
        ledger.path,
        base=checked.base,
        tables=checked.tables,
        findings=checked.findings,
        part=ledger.part,
    )
    report.results = [evaluate_table(t, checked.base, rules) for t in checked.tables]
    report.status, report.reason = base_status(report.results)
    if checked.unnamed:
        report.status, report.reason = _unnamed_status(checked.unnamed, report.reason)
    unread = _flag_unread(report, ledger)
    if unread:
        report.status, report.reason = _unread_status(unread, report.reason)
    _flag_hidden(report, ledger)
    _flag_typed_over(report, ledger)
    for result in report.results:
        for why, n in result.left_out.items():
            report.left_out[why] = report.left_out.get(why, 0) + n
    _flag_households(report, ledger)
    return report


def _unnamed_status(unnamed: list[RawTable], reason: str) -> tuple[str, str]:
    """A filled table of unknown industry cannot be judged, and the base with it neither:
    calling it 未填报 would hide rows the clerk typed."""
    parts = []
    for t in unnamed:
        maybe = f"（可能是{'或'.join(t.candidates)}）" if t.candidates else ""
        parts.append(f"工作表“{t.sheet}”中有 {len(t.rows)} 行数据的表无法确定产业{maybe}")
    text = f"{STATUS_UNDECIDED}：" + "；".join(parts)
    if reason and not reason.startswith(STATUS_EMPTY):
        text += f"；其他表：{reason}"
    return STATUS_UNDECIDED, text


def _flag_unread(report: FileReport, ledger: Ledger) -> list[str]:
    """Rows typed but read into no table (a lost header; a table of a workbook of several
    bases that names none of them): errors, and why the base cannot be judged (spec §8)."""
    found = Findings(report.file)
    why: list[str] = []
    for sheet, row, n in ledger.headerless:
        found.add(Code.HEADERLESS_DATA, sheet, row, 0, value=n, detail=row + 1)
        why.append(f"工作表“{sheet}”第 {row + 1} 行起有 {n} 行数据找不到表头")
    for sheet, row, _col, n in ledger.unattributed:
        why.append(f"工作表“{sheet}”第 {row + 1} 行的表（{n} 行）无法确定属于哪个基地")
    report.findings.extend(found)
    return why


def _unread_status(why: list[str], reason: str) -> tuple[str, str]:
    """The base cannot be judged while rows it may own were not read: 未填报 would hide them."""
    text = f"{STATUS_UNDECIDED}：" + "；".join(why)
    if reason and not reason.startswith((STATUS_EMPTY, STATUS_UNDECIDED)):
        text += f"；已读取的表：{reason}"
    return STATUS_UNDECIDED, text


def _flag_hidden(report: FileReport, ledger: Ledger) -> None:
    """Rows read from a hidden sheet (a warning: a backup sheet changes a verdict unseen) and
    hidden or filtered rows of a shown sheet (a hint: a filter is a view), both counted."""
    if not ledger.hidden_sheets and not ledger.hidden_rows:
        return  # the usual workbook: nothing hidden, no row to look at
    found = Findings(report.file)
    per_sheet: dict[str, tuple[int, int, int]] = {}  # sheet → (rows, first row, its col)
    hidden_rows = ledger.hidden_rows
    for table in report.tables:
        hidden_here = 0
        for i in range(table.n):
            sheet = table.sheet_of(i)
            row = table.grid_rows[i]
            if sheet in ledger.hidden_sheets:
                n, first, col = per_sheet.get(sheet, (0, row, table.at(i, "name")[1]))
                per_sheet[sheet] = (n + 1, min(first, row), col)
            elif row in hidden_rows.get(sheet, ()):
                hidden_here += 1
        if hidden_here:
            found.add(Code.HIDDEN_ROWS_READ, table.sheet, *table.at(0, "name"), value=hidden_here)
    for sheet, (n, first, col) in per_sheet.items():
        found.add(Code.HIDDEN_SHEET_READ, sheet, first, col, value=n, detail=sheet)
    report.findings.extend(found)


def _flag_typed_over(report: FileReport, ledger: Ledger) -> None:
    """A template whose verdict cell holds a typed value: what the workbook shows is no longer
    computed from its data, and whoever reads it would be misled."""
    found = Findings(report.file)
    for sheet, cells in ledger.typed_over.items():
        for (row, col), name in cells.items():
            found.add(Code.VERDICT_TYPED_OVER, sheet, row, col, detail=name)
    report.findings.extend(found)


def _flag_households(report: FileReport, ledger: Ledger) -> None:
    """Say how 帮扶户数 was settled for per-household targets (declared, derived, understated)."""
    base = report.base
    if base is None:
        return
    declared = ledger.fields.get("households")  # the cell a clerk corrects
    found = Findings(report.file)
    for result, table in zip(report.results, report.tables, strict=True):
        m = result.metrics
        if m.households is None or not table.rows:
            continue
        first = table.rows[0]
        if base.households is None:
            found.add(
                Code.HOUSEHOLDS_DERIVED,
                table.sheet,
                *first.name_at,
                column="帮扶户数",
                value=m.households,
            )
        elif base.households < m.households_found:
            at = (
                (declared.sheet, declared.row, declared.col)
                if declared
                else (table.sheet, *first.name_at)
            )
            found.add(
                Code.HOUSEHOLDS_UNDERSTATED,
                *at,
                column="帮扶户数",
                value=base.households,
                detail=m.households_found,
            )
    report.findings.extend(found)

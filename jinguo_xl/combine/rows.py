"""The rows of the master's tables, built once for every reader of them.

The master writer (:mod:`jinguo_xl.writers.master`) writes these rows and the Python API
(:mod:`jinguo_xl.api`) turns them into DataFrames, so a figure can never differ between the
workbook the office opens and the frame an analyst computes with. Each builder returns plain
values in the order of its table's columns in :mod:`jinguo_xl.combine.layout`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from jinguo_xl.combine.consolidation import (
    STATUSES,
    Consolidation,
    CountyFigures,
    Entry,
    by_county,
    county_of,
)
from jinguo_xl.combine.layout import INPUT_KINDS, PERSON_KEYS, TIME_FORMAT
from jinguo_xl.findings import Finding, Severity, by_severity, count_by_severity
from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.privacy.mask import mask_address, mask_cell, mask_name, mask_phone
from jinguo_xl.rules import Rules
from jinguo_xl.validate.workbook import CleanRow

if TYPE_CHECKING:
    from jinguo_xl.combine.roster import RosterStatus

Row = list[object]
_MONEY_AT = PERSON_KEYS.index("money")
_TYPED_AT = PERSON_KEYS.index("money_typed")
# Shown for a figure the table cannot have (乡村旅游 and 家政服务 have no money column): a
# blank, never a 0.00 that reads as "sold nothing".
NOT_APPLICABLE = "—"


def status_text(status: str, errors: int) -> str:
    """``达标（另有 4 个错误待改正）``: a verdict reached with errors still open must not read
    as a plain 达标 (the errors may hide rows that were not counted)."""
    if errors and status in (STATUS_MET, STATUS_BASIC):
        return f"{status}（另有 {errors} 个错误待改正）"
    return status


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _rate(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _yes_no(value: bool | None, raw: object) -> object:
    if value is None:
        return raw if raw not in (None, "") else None
    return "是" if value else "否"


def _severities(findings: Iterable[Finding]) -> tuple[int, int]:
    counts = count_by_severity(findings)
    return counts[Severity.ERROR], counts[Severity.WARNING]


def counts_text(entry: Entry) -> str:
    """计入汇总: 是, or which copy of the same base counts instead."""
    return "是" if entry.counts else f"否（以 {entry.superseded_by} 为准）"


def target_text(entry: Entry, industry: str) -> str:
    result = next((r for r in entry.report.results if r.industry == industry), None)
    if result is None:
        return ""
    return "；".join(t.text() + ("（原则上）" if t.in_principle else "") for t in result.targets)


def base_rows(entries: Iterable[Entry]) -> list[Row]:
    """基地: one row per base per filled table (one row for a base without any)."""
    rows: list[Row] = []
    for entry in entries:
        report = entry.report
        base = report.base
        assert base is not None
        errors, warnings = _severities(report.findings)
        common = [
            county_of(entry),
            base.township,
            "是" if base.deep_poverty else "否",
            base.name,
            base.type or base.type_raw,
        ]
        money = {t.industry for t in report.tables if t.spec.money}
        filled = [r for r in report.results if r.rows] or [None]
        for r in filled:
            m = r.metrics if r else None
            sales = _sales(m, r is not None and r.industry in money)
            rows.append(
                [
                    *common,
                    r.industry if r else "",
                    base.leader,
                    base.households,
                    base.year,
                    base.fill_date,
                    status_text(r.status if r else report.status, errors),
                    r.reason if r else report.reason,
                    m.training_person_times if m else None,
                    m.training_sessions if m else None,
                    m.household_sessions if m else None,
                    m.employed if m else None,
                    *sales,
                    _rate(m.pass_rate) if m else None,
                    _rate(m.employment_rate) if m else None,
                    m.startups if m else None,
                    m.households if m else None,
                    target_text(entry, r.industry) if r else "",
                    r.rows if r else 0,
                    errors,
                    warnings,
                    counts_text(entry),
                    report.file,
                    entry.origin,
                    report.part,
                    time_text(entry.mtime),
                    entry.sha256,
                ]
            )
    return rows


def _sales(metrics: object, has_money: bool) -> list[object]:
    """销售/收入 (counted women, all rows) of a table: its sums, or 不适用 (—) for a table
    without a money column (乡村旅游, 家政服务), or blank for a base without a filled table."""
    if metrics is None:
        return [None, None]
    if not has_money:
        return [NOT_APPLICABLE, NOT_APPLICABLE]
    return [_money(metrics.sales_wan), _money(metrics.sales_wan_all)]  # type: ignore[attr-defined]


def time_text(mtime: float) -> str:
    """A file time as 基地 records it (seconds: a later level compares it again)."""
    return dt.datetime.fromtimestamp(mtime).strftime(TIME_FORMAT) if mtime else ""


def base_summary_rows(result: Consolidation) -> list[Row]:
    """One row per counted base: its fields, verdict, totals over its tables (summed as 汇总
    sums them), and the superseded copies of it that were sent too."""
    resent: dict[tuple[str, str], list[str]] = defaultdict(list)
    for entry in result.entries:
        if not entry.counts:
            resent[entry.key].append(entry.origin)
    rows: list[Row] = []
    for entry in result.counted:
        report = entry.report
        base = report.base
        assert base is not None
        errors, warnings = _severities(report.findings)
        figures = CountyFigures()
        figures.add(report)
        filled = [t for t in report.tables if t.rows]
        rows.append(
            [
                county_of(entry),
                base.township,
                "是" if base.deep_poverty else "否",
                base.name,
                base.type or base.type_raw,
                "、".join(r.industry for r in report.results if r.rows),
                base.leader,
                base.households,
                base.year,
                base.fill_date,
                status_text(report.status, errors),
                report.reason,
                report.rows_read,
                figures.trained,
                figures.employed,
                *_sales(figures if filled else None, any(t.spec.money for t in filled)),
                errors,
                warnings,
                "；".join(resent.get(entry.key, ())),
                report.file,
                entry.origin,
            ]
        )
    return rows


def person_values(row: CleanRow, mask: bool) -> Row:
    """A row's own cells (序号 … 备注), normalised where they could be read, else as typed;
    with ``mask``, names, phones and addresses masked, and a phone typed anywhere else too.

    金额（万元） is the amount that counts (None for one left out: typed in 元, a phone, a
    second entry of the row); 金额（填写） is what the clerk typed, whatever became of it."""
    raw = row.raw
    name = row.name or raw.get("name")
    phone = row.phone or raw.get("phone")
    address = row.address
    if mask:
        name, phone, address = mask_name(name), mask_phone(phone), mask_address(address)
    typed = _first_money(raw)
    if typed is None:
        typed = _money(row.money)  # read as typed: a number (float, as the sheet holds it)
    values = [
        row.seq,
        name,
        address,
        phone,
        row.train_date or raw.get("train_date"),
        row.train_content,
        row.money,
        typed,
        _yes_no(row.qualified, raw.get("qualified")),
        _yes_no(row.employed, raw.get("employed")),
        _yes_no(row.startup, raw.get("startup")),
        row.women_type or raw.get("women_type"),
        row.note,
    ]
    if mask:  # a phone typed in 备注, 妇女类型 or an amount must not survive the mask
        values = [
            mask_cell(v, money=i in (_MONEY_AT, _TYPED_AT)) for i, v in enumerate(values)
        ]
    return values


def _first_money(raw: dict[str, object]) -> object:
    for key in ("income", "sales", "industry_income"):
        if raw.get(key) not in (None, ""):
            return raw[key]
    return None


def women_rows(result: Consolidation, mask: bool) -> list[Row]:
    """妇女明细: every row read (counted or not), with its own problems and its source; its
    金额（万元） sums to the headline's 销售/收入合计 (only amounts that count are in it)."""
    problems: dict[tuple[str, str, int | None], list[str]] = {}
    for f in result.findings:
        if f.excel_row is not None and f.severity is not Severity.INFO:
            problems.setdefault((f.file, f.sheet, f.excel_row), []).append(f.message)
    rows: list[Row] = []
    for entry in result.entries:
        base = entry.report.base
        assert base is not None
        for table in entry.report.tables:
            for row in table.rows:
                issues = problems.get((entry.report.file, row.sheet, row.excel_row), [])
                person = person_values(row, mask)
                if not entry.counts:  # a copy of the base that does not count: no amount
                    person[_MONEY_AT] = None
                rows.append(
                    [
                        county_of(entry),
                        base.name,
                        base.type or base.type_raw,
                        table.industry,
                        *person,
                        "是" if row.counted else "否",
                        "；".join(issues),
                        "是" if entry.counts else "否",
                        entry.report.file,
                        row.sheet,
                        row.excel_row,
                    ]
                )
    return rows


def duplicate_rows(result: Consolidation, mask: bool) -> list[Row]:
    """重复人员: one row per person per base they appear under."""
    rows: list[Row] = []
    for d in result.duplicates:
        name = mask_name(d.name) if mask else d.name
        phone = mask_phone(d.phone) if mask else d.phone
        for entry in d.bases:
            base = entry.report.base
            rows.append(
                [
                    name,
                    phone,
                    len(d.bases),
                    county_of(entry),
                    base.name if base else "",
                    entry.report.file,
                ]
            )
    return rows


def finding_rows(findings: Sequence[Finding]) -> list[Row]:
    """问题清单: errors first, then warnings, then notes (stable within each)."""
    return [
        [f.severity.label, f.file, f.sheet, f.cell, f.column, f.message, f.code.value]
        for f in by_severity(findings)
    ]


def ranking_rows(result: Consolidation) -> list[Row]:
    """推荐排名: the bases that met their targets, by how far they exceed them."""
    rows: list[Row] = []
    for i, (entry, value) in enumerate(result.ranking, start=1):
        base = entry.report.base
        industries = "、".join(r.industry for r in entry.report.results if r.rows)
        rows.append(
            [
                i,
                county_of(entry),
                base.name if base else "",
                base.type if base else "",
                industries,
                status_text(entry.report.status, entry.report.error_count),
                value,
                entry.report.reason,
                entry.report.file,
            ]
        )
    return rows


def township_rows(result: Consolidation, rules: Rules) -> list[Row]:
    """深度贫困乡镇: each listed township, its bases by type, and whether it is covered."""
    type_names = [bt.name for bt in rules.base_types]
    return [
        [
            t.township.county,
            t.township.name,
            "已核实" if t.township.confirmed else "待核实",
            *(t.by_type[n] for n in type_names),
            t.bases,
            coverage_text(t.bases, t.covered),
        ]
        for t in result.townships
    ]


def coverage_text(bases: int, covered: bool) -> str:
    """是否覆盖: a township is covered only by a base with a counted row."""
    if covered:
        return "已覆盖"
    return "有基地但未填报" if bases else "未覆盖"


SUMMARY_STATUSES = (*STATUSES, STATUS_UNDECIDED)


def county_rows(
    result: Consolidation, rules: Rules, roster: RosterStatus | None = None
) -> list[Row]:
    """汇总 按区县: every key county (one that sent nothing too), then the others; whether
    each reported (应报 / 已报 / 未报 against the roster when there is one), its counted
    bases by type and status, and their figures."""
    type_names = [bt.name for bt in rules.base_types]
    rows: list[Row] = []
    figures = by_county(result, rules)
    if roster is not None:
        for name in roster.counties:
            figures.setdefault(name, CountyFigures())
    for name, f in figures.items():
        county = rules.county(name)
        status = "" if county is None else ("已核实" if county.confirmed else "待核实")
        if roster is not None:
            r = roster.counties.get(name)
            reported: list[object] = [r.expected, r.reported, r.missing] if r else [0, 0, 0]
        else:
            reported = ["已报送" if f.bases else "未报送"]
        rows.append(
            [
                name,
                status or "名单外",
                *reported,
                f.bases,
                *(f.by_type[t] for t in type_names),
                *(f.by_status[s] for s in SUMMARY_STATUSES),
                f.rows,
                f.trained,
                f.employed,
                f.sales_wan_all,
                f.sales_wan,
            ]
        )
    return rows


def county_total_row(rows: Sequence[Row], roster: bool = False) -> Row:
    """全市合计 under 按区县: every count and figure summed (the headline's figures)."""
    first = 5 if roster else 3  # after 区县, 名单状态 and the report columns
    total: Row = ["全市合计", ""]
    total += [sum(int(row[c]) for row in rows) for c in range(2, first)] if roster else [""]  # type: ignore[call-overload]
    for c in range(first, len(rows[0]) if rows else first):
        values = [row[c] for row in rows]
        if any(isinstance(v, Decimal) for v in values):
            total.append(sum((Decimal(v) for v in values), Decimal(0)))  # type: ignore[arg-type]
        else:
            total.append(sum(int(v) for v in values))  # type: ignore[call-overload]
    return total


def input_rows(result: Consolidation) -> list[Row]:
    """说明's input files: each file given, what it was read as, its SHA-256 and counts."""
    return [
        [i.file, INPUT_KINDS[i.kind], i.bases, i.rows, i.error or "", "；".join(i.places),
         i.sha256]
        for i in result.inputs
    ]

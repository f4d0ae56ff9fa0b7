"""The engine over one table range, as Excel hands it over: a 2-D list of cell values.

The UDFs (``=JINGUO_STATUS(…)``) and the ribbon macros see a table range, not a file. These
functions give them the same counting as ``jinguo-xl check``: the range goes through the same
grid reader (header found by label), the same row checks and the same targets, so a status in a
cell always equals the status the CLI prints for the same workbook.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from jinguo_xl.count.report import FileReport, evaluate_ledger, money_label
from jinguo_xl.findings import Code, Finding, Severity, by_severity
from jinguo_xl.labels import norm_label, strip_parenthetical
from jinguo_xl.read.grid import (
    Grid,
    fitting_industries,
    header_keys,
    is_header,
    lookups_for,
    parse_grids,
)
from jinguo_xl.read.ledger import FieldValue, Ledger
from jinguo_xl.rules import Rules, load_rules


def as_rows(grid: object) -> list[list[object]]:
    """Excel hands a single cell as a scalar and a single row as a flat list: make it 2-D."""
    if grid is None:
        return []
    if not isinstance(grid, (list, tuple)):
        return [[grid]]
    if grid and not isinstance(grid[0], (list, tuple)):
        return [list(grid)]
    if isinstance(grid, list) and set(map(type, grid)) == {list}:
        return grid  # already rows of lists: nothing here changes them, so no copy
    return [list(r) for r in grid]


def table_report(
    grid: object,
    industry: str,
    *,
    base_type: object = None,
    households: object = None,
    sheet: str | None = None,
    rules: Rules | None = None,
) -> FileReport:
    """Check and count one table range (header row included) as a base of ``base_type``.

    In the template every table is passed to several formulas (its status cell, its row
    checks, the 达标情况 sheet's status and metrics), all recalculated together after an edit;
    the report is kept with the rules for the last few distinct (range contents, arguments), so
    only the first of them pays for the count. Reports are never modified after they are made.
    """
    rules = rules or load_rules()
    rows = as_rows(grid)
    reports = cached_reports(rules)
    try:
        key: tuple[object, ...] | None = (
            industry,
            base_type,
            households,
            sheet,
            tuple(map(tuple, rows)),
        )
        cached = reports.get(key)
    except TypeError:  # a cell value that cannot be hashed: count without the cache
        key, cached = None, None
    if cached is not None:
        reports.move_to_end(key)
        return cached
    report = _table_report(rows, industry, base_type, households, sheet, rules)
    if key is not None:
        reports[key] = report
        while len(reports) > _REPORTS_MAX:
            reports.popitem(last=False)
    return report


_REPORTS_MAX = 32  # six tables, a few argument variants each


def cached_reports(rules: Rules) -> OrderedDict[tuple[object, ...], FileReport]:
    """The reports :func:`table_report` keeps for ``rules``, least recently used first; they
    live with that rules object, so rules loaded from another file never see them."""
    return rules.derived(_new_reports)


def _new_reports(rules: Rules) -> OrderedDict[tuple[object, ...], FileReport]:
    return OrderedDict()


def _table_report(
    rows: list[list[object]],
    industry: str,
    base_type: object,
    households: object,
    sheet: str | None,
    rules: Rules,
) -> FileReport:
    name = sheet or industry
    ledger = Ledger(file="", path=None)
    if base_type not in (None, ""):
        ledger.fields["type"] = FieldValue(base_type, name)
    if households not in (None, ""):
        ledger.fields["households"] = FieldValue(households, name)
    # The range is read as a sheet named after the industry, so no caption is needed.
    parse_grids([(industry, rows)], rules, ledger=ledger)
    ledger.sheets = (name,)
    return evaluate_ledger(ledger, rules)


def header_index(grid: Grid, rules: Rules) -> int | None:
    """0-based index of the header row inside the range, or None when there is none."""
    lk = lookups_for(rules)
    return next((i for i, row in enumerate(grid) if is_header(header_keys(row, lk))), None)


def infer_industry(grid: object, rules: Rules) -> str | None:
    """The industry a table's columns fit (是否合格 → 家政服务 …); the first fit when two tables
    share the same columns (手工制作 and 加工制造 are checked alike)."""
    rows = as_rows(grid)
    head = header_index(rows, rules)
    if head is None:
        return None
    fits = fitting_industries(set(header_keys(rows[head], lookups_for(rules)).values()), rules)
    return fits[0] if fits else None


_ROW_CODES_SKIPPED = {Code.HOUSEHOLDS_DERIVED, Code.HOUSEHOLDS_UNDERSTATED}


def row_problems(
    grid: object, industry: str, *, rules: Rules | None = None, base_type: object = None
) -> list[str]:
    """One text per row *below the header*: the row's problems in Chinese, ``""`` when fine.

    Only errors and warnings are shown; a cell has room for what the clerk must change.
    """
    rules = rules or load_rules()
    rows = as_rows(grid)
    head = header_index(rows, rules)
    if head is None:
        return []
    report = table_report(rows, industry, base_type=base_type, rules=rules)
    by_row: dict[int, list[Finding]] = {}
    for f in report.findings:
        if f.excel_row is None or f.severity is Severity.INFO or f.code in _ROW_CODES_SKIPPED:
            continue
        by_row.setdefault(f.excel_row - 1, []).append(f)
    out = [""] * (len(rows) - head - 1)  # most rows have nothing to say
    for index, found in by_row.items():
        if head < index < len(rows):
            found = by_severity(found)
            text = "；".join(f"{f.severity.label}：{f.message}" for f in found)
            out[index - head - 1] = text
    return out


def money_total(
    grid: object,
    header: object,
    *,
    counted_only: bool = False,
    rules: Rules | None = None,
) -> Decimal:
    """Sum of one money column (by its header, e.g. 产品收入) over the range's data rows."""
    rules = rules or load_rules()
    rows = as_rows(grid)
    wanted = strip_parenthetical(norm_label(header))
    head = header_index(rows, rules)
    if head is None:
        raise ValueError("区域中没有找到统计表表头")
    # 产品收入 is the money column of two tables; any table with that column counts it alike.
    spec_industry = next(
        (
            industry
            for industry, spec in rules.tables.items()
            if spec.money and money_label(spec.header_of(spec.money, rules.columns)) == wanted
        ),
        None,
    )
    if spec_industry is None:
        raise ValueError(f"“{header}”不是金额列（产品收入、代销产品或发展产业收入）")
    report = table_report(rows, spec_industry, rules=rules)
    return report.totals(rules, counted_only=counted_only).get(wanted, Decimal(0))

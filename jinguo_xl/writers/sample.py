"""Workbooks in the layouts clerks really send, written from plain data.

Used by the demo and by tests that need many realistic files: the bare 样表 with all six tables
stacked on one sheet (caption line, Word-style header with line breaks, the legend of 妇女类型),
and one sheet per industry with the base fields as label cell + value cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from jinguo_xl.rules import Rules
from jinguo_xl.writers.atomic import save_atomic

# The 样表 was a Word table: several header cells break their text over lines.
_WORD_BREAKS = {
    "带动妇女姓名": "带动\n妇女姓名",
    "产品收入（万元）": "产品收入\n（万元）",
    "代销产品（万元）": "代销产品\n（万元）",
}
LAYOUTS = ("stacked", "per_sheet")

Row = Mapping[str, object]


def _headers(rules: Rules, industry: str, *, with_added: bool) -> list[tuple[str, str]]:
    spec = rules.tables[industry]
    out = []
    for key in spec.columns:
        if key in spec.added and not with_added:
            continue
        text = spec.header_of(key, rules.columns)
        out.append((key, _WORD_BREAKS.get(text, text)))
    return out


def _as_text(ws: Worksheet) -> None:
    """openpyxl takes any string starting with ``=`` for a formula; data is data."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def write_sample(
    path: Path,
    rules: Rules,
    base: Mapping[str, object],
    tables: Mapping[str, Sequence[Row]],
    *,
    layout: str = "stacked",
    legend: bool = True,
) -> Path:
    """Write one base's workbook. ``base`` maps base-field labels (带动基地名称 …) to values;
    ``tables`` maps an industry to its rows (column key → value)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    wb = Workbook()
    if layout == "stacked":
        _stacked(wb, rules, base, tables, legend=legend)
    else:
        _per_sheet(wb, rules, base, tables)
    for ws in wb.worksheets:
        _as_text(ws)
    return save_atomic(Path(path), lambda tmp: wb.save(tmp))


def _stacked(
    wb: Workbook,
    rules: Rules,
    base: Mapping[str, object],
    tables: Mapping[str, Sequence[Row]],
    *,
    legend: bool,
) -> None:
    ws = wb.active
    ws.title = "统计表"
    ws.append([f"{rules.title}（样表）"])
    ws["A1"].font = Font(bold=True, size=14)
    first = ["带动基地名称", "创建基地类型", "基地负责人姓名"]
    ws.append(["    ".join(f"{k}：{base.get(k, '')}" for k in first)])
    extra = [(k, v) for k, v in base.items() if k not in first]
    if extra:
        ws.append(["    ".join(f"{k}：{v}" for k, v in extra)])
    for industry in rules.industries:
        ws.append([])
        ws.append([f"{industry}带动统计表："])
        headers = _headers(rules, industry, with_added=True)
        ws.append([text for _, text in headers])
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True)
        if legend:
            wt_col = [k for k, _ in headers].index("women_type")
            for kind in rules.women_types:
                row: list[object] = [None] * len(headers)
                row[wt_col] = kind
                ws.append(row)
        for i, data in enumerate(tables.get(industry, ()), start=1):
            ws.append([i if key == "seq" else data.get(key) for key, _ in headers])


def _per_sheet(
    wb: Workbook, rules: Rules, base: Mapping[str, object], tables: Mapping[str, Sequence[Row]]
) -> None:
    info = wb.active
    info.title = "基本信息"
    for label, value in base.items():
        info.append([label, value])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 36
    for industry, rows in tables.items():
        ws = wb.create_sheet(industry)
        headers = _headers(rules, industry, with_added=True)
        ws.append([text.replace("\n", "") for _, text in headers])
        for i, data in enumerate(rows, start=1):
            ws.append([i if key == "seq" else data.get(key) for key, _ in headers])

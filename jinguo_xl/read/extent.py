"""Sheets whose few values lie far apart, which the fast cell reader would make enormous.

python-calamine holds a sheet as one dense rectangle from A1 to its last value. A 统计表 of 30
rows plus one stray space typed at row 1,000,000 (a clerk pressed Ctrl+↓ and typed) becomes a
rectangle of twenty million cells: seconds and a gigabyte for one file. Formatting alone is
harmless (calamine skips cells without values); only far-away *values* are. We find such sheets
from the sheet XML before calamine sees them, by comparing the rectangle the last value implies
with the number of values actually there, and the reader streams those sheets instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jinguo_xl.read.formulas import (
    cells_without_formula,
    col_index,
    local_names,
    uncached_in_sheet,
    verdict_cells,
)
from jinguo_xl.read.package import Package

# Rectangles up to this many cells are read the fast way whatever their density.
DENSE_OK = 2_000_000
# Beyond it, a rectangle this many times larger than its values is read by streaming.
SPARSE_FACTOR = 20
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})[0-9]{1,7}"')
_HEAD_BYTES = 64 * 1024
# The used range Excel records: its last column bounds every value's column.
_DIMENSION = re.compile(rb'<dimension\b[^>]*\bref="(?:[A-Z]{1,3}[0-9]+:)?([A-Z]{1,3})[0-9]+"')


_FILLED_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})[0-9]{1,7}"[^>]*?(?<!/)>')


def _last_value_row_and_col(xml: bytes) -> tuple[int, int]:
    """1-based row and 0-based column of the last cell holding a value (0, 0 when none)."""
    end = max(xml.rfind(b"</v>"), xml.rfind(b"</is>"))
    if end < 0:
        return 0, 0
    row_start = xml.rfind(b"<row", 0, end)
    row = None
    if row_start >= 0:
        row = _ROW_NUMBER.search(xml, row_start, xml.find(b">", row_start) + 1)
    cell_start = xml.rfind(b"<c ", 0, end)
    col = _CELL_REF.match(xml, cell_start) if cell_start >= 0 else None
    return (int(row.group(1)) if row else 0), (col_index(col.group(1)) if col else 0)


def sparse_width(xml: bytes) -> int | None:
    """Columns to read when the sheet is too sparse to hold as one rectangle, else None.

    The rectangle the fast reader would build runs from A1 to the last value; when it holds
    more than ``DENSE_OK`` cells and ``SPARSE_FACTOR`` times more cells than values, the sheet
    is streamed, as wide as its widest cell with content (so no value is left out).
    """
    last_row, last_col = _last_value_row_and_col(xml)
    dimension = _DIMENSION.search(xml, 0, 2048)
    if dimension:
        # The recorded range is a hint only (a file can state A1:A1 and hold XFD1048576): it
        # decides the common case when the last value lies inside it.
        dim_col = col_index(dimension.group(1))
        if last_col <= dim_col and last_row * (dim_col + 1) <= DENSE_OK:
            return None
    head_cols = [col_index(m.group(1)) for m in _CELL_REF.finditer(xml[:_HEAD_BYTES])]
    cells = last_row * (max([last_col, *head_cols]) + 1)
    if cells <= DENSE_OK:
        return None
    values = xml.count(b"</v>") + xml.count(b"</is>")
    if cells <= SPARSE_FACTOR * max(values, 1):
        return None
    return max((col_index(m.group(1)) for m in _FILLED_CELL.finditer(xml)), default=0) + 1


_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden\s*=\s*["\'](?:1|true)["\'][^>]*>')


def hidden_rows(xml: bytes) -> set[int]:
    """0-based rows the sheet hides (hidden by hand or by a filter): a view, not a deletion.

    ``xml`` has its element names without prefixes (see ``local_names``)."""
    out: set[int] = set()
    for m in _HIDDEN_ROW.finditer(xml):
        number = _ROW_NUMBER.search(m.group(0))
        if number:
            out.add(int(number.group(1)) - 1)
    return out


@dataclass(slots=True)
class PackageScan:
    """What one pass over the sheets' XML tells beyond the cell values (by sheet name)."""

    sparse: dict[str, int] = field(default_factory=dict)  # sheets to stream → width
    uncached: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # formula cells
    hidden: dict[str, set[int]] = field(default_factory=dict)  # hidden or filtered-out rows
    # The template's verdict cells that hold a typed value, not their formula: cell → name
    typed_over: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)


def scan_package(package: Package) -> PackageScan:
    """Each sheet's XML read once: sheets to stream, formulas without a result, hidden rows,
    and the template's verdict cells typed over.

    Element names are compared without their namespace prefix, so ``<x:c>`` and Strict
    OOXML sheets are scanned like the usual spelling.
    """
    scan = PackageScan()
    sheets = package.sheet_xml()
    workbook = next(
        (xml for part, xml in package.parts.items() if part.lower().endswith("workbook.xml")), b""
    )
    wanted: dict[str, dict[tuple[int, int], str]] = {}
    for verdict, (sheet, row, col) in verdict_cells(workbook).items():
        wanted.setdefault(sheet, {})[(row, col)] = verdict
    for sheet, cells in wanted.items():
        if sheet in sheets:
            typed = cells_without_formula(local_names(sheets[sheet]), set(cells))
            if typed:
                scan.typed_over[sheet] = {at: cells[at] for at in sorted(typed)}
    for name, raw in sheets.items():
        xml = local_names(raw)
        width = sparse_width(xml)
        if width is not None:
            scan.sparse[name] = width
        cells = uncached_in_sheet(xml)
        if cells:
            scan.uncached[name] = cells
        if b"hidden" in xml:
            rows = hidden_rows(xml)
            if rows:
                scan.hidden[name] = rows
    return scan

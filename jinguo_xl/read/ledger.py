"""What the reader hands on: a workbook's base information and its tables, still raw.

Every value keeps where it came from (sheet and 0-based grid position), so that every later
finding can point at the exact Excel cell. Nothing here is interpreted yet; that is
:mod:`jinguo_xl.validate.workbook`'s job.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path

from jinguo_xl.findings import Findings, cell_ref


@dataclass(slots=True)
class FieldValue:
    """One base-information value (带动基地名称 …) and the cell it was read from (0-based;
    None when it came from no cell, e.g. a master's 基地 sheet or a value the macro passed)."""

    raw: object
    sheet: str
    _: KW_ONLY  # a position is named: FieldValue(raw, sheet, row=r, col=c)
    row: int | None = None
    col: int | None = None

    @property
    def cell(self) -> str:
        return "" if self.row is None or self.col is None else cell_ref(self.row, self.col)


class RawRow:
    """One data row of a table: column key → raw cell value, and its Excel position.

    A row read in a block keeps no dict of its own: its values sit in the table's column
    store and are gathered into ``values`` only when someone asks (a row with findings).
    """

    __slots__ = ("_index", "_store", "_values", "cols", "row", "sheet")

    def __init__(
        self,
        sheet: str,
        row: int,  # 0-based grid row; the Excel row is row + 1
        values: dict[str, object] | None,
        cols: dict[str, int],  # column key → 0-based column index
        store: dict[str, list[object]] | None = None,
        index: int = 0,
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.cols = cols
        self._values = values
        self._store = store
        self._index = index

    @property
    def values(self) -> dict[str, object]:
        if self._values is None:
            i = self._index
            self._values = {k: col[i] for k, col in (self._store or {}).items()}
        return self._values

    @property
    def excel_row(self) -> int:
        return self.row + 1

    def cell(self, key: str) -> str:
        """Excel address of column ``key`` in this row (the 姓名 cell when the key is absent)."""
        col = self.cols.get(key, self.cols.get("name", 0))
        return cell_ref(self.row, col)


@dataclass(slots=True)
class RawTable:
    """One industry table as found: its header mapping and its data rows."""

    industry: str | None
    sheet: str
    header_row: int  # 0-based
    cols: dict[str, int]  # column key → 0-based column index
    headers: dict[str, str]  # column key → header text as typed
    rows: list[RawRow] = field(default_factory=list)
    candidates: tuple[str, ...] = ()  # industries the columns fit, when no caption said
    # Column key → the rows' values, kept by the grid reader alongside ``rows``; valid while
    # ``stored`` equals ``len(rows)`` (rows added another way make the store stale).
    store: dict[str, list[object]] = field(default_factory=dict)
    stored: int = 0

    def add(self, sheet: str, row: int, values: dict[str, object]) -> None:
        """Append one row, keeping the column store in step."""
        if self.stored == len(self.rows):
            for key in self.cols:
                self.store.setdefault(key, []).append(values.get(key))
            self.stored += 1
        self.rows.append(RawRow(sheet, row, values, self.cols))

    def column(self, key: str) -> list[object]:
        """The rows' raw values of column ``key`` (None where a row has no such cell)."""
        if self.stored == len(self.rows) and (key in self.store or key not in self.cols):
            hit = self.store.get(key)
            return hit if hit is not None else [None] * len(self.rows)
        return [r.values.get(key) for r in self.rows]

    @property
    def header_at(self) -> tuple[int, int]:
        """0-based (row, col) of the header's first cell: where findings about the table point."""
        return self.header_row, min(self.cols.values()) if self.cols else 0


@dataclass(slots=True)
class Ledger:
    """A workbook read: base fields, tables (one per industry), and the reader's findings."""

    file: str  # path as shown to the clerk
    path: Path | None
    fields: dict[str, FieldValue] = field(default_factory=dict)
    tables: list[RawTable] = field(default_factory=list)
    findings: Findings = field(init=False)
    folder_county: str | None = None  # county named by the nearest parent folder
    # sheet → 0-based (row, col) of formulas saved without a result (see formulas.py)
    uncached: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    # sheet → 0-based (row, col) of a merged cell → (first row, first col, last row) of its merge
    merged: dict[str, dict[tuple[int, int], tuple[int, int, int]]] = field(default_factory=dict)
    sheets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.findings = Findings(self.file)

    @property
    def rows_read(self) -> int:
        return sum(len(t.rows) for t in self.tables)

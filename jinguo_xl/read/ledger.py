"""What the reader hands on: a workbook's base information and its tables, still raw.

Every value keeps where it came from (sheet and 0-based grid position), so that every later
finding can point at the exact Excel cell. Nothing here is interpreted yet; that is
:mod:`jinguo_xl.validate.workbook`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import overload

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


class RawRows(Sequence[RawRow]):
    """``RawTable.rows``: the table's data rows. A row the grid reader took in bulk becomes a
    :class:`RawRow` only when someone looks at the rows; their number and truth cost nothing,
    and the row check reads whole columns without ever making them."""

    __slots__ = ("_table",)

    def __init__(self, table: RawTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table._made) + len(self._table._later)

    def __bool__(self) -> bool:
        return bool(self._table._made or self._table._later)

    @overload
    def __getitem__(self, index: int) -> RawRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[RawRow]: ...
    def __getitem__(self, index: int | slice) -> RawRow | list[RawRow]:
        return self._table._made_rows()[index]

    def __iter__(self) -> Iterator[RawRow]:
        return iter(self._table._made_rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RawRows):
            other = list(other)
        return isinstance(other, list) and self._table._made_rows() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._table._made_rows())

    def append(self, row: RawRow) -> None:
        self._table._made_rows().append(row)

    def extend(self, rows: Iterable[RawRow]) -> None:
        taken = list(rows)  # ``rows`` may be these very rows
        self._table._made_rows().extend(taken)


@dataclass(slots=True)
class RawTable:
    """One industry table as found: its header mapping and its data rows."""

    industry: str | None
    sheet: str
    header_row: int  # 0-based
    cols: dict[str, int]  # column key → 0-based column index
    headers: dict[str, str]  # column key → header text as typed
    candidates: tuple[str, ...] = ()  # industries the columns fit, when no caption said
    # The base the table belongs to, by its place in ``Ledger.section_names`` (None while no
    # 带动基地名称 had been read on its sheet above it).
    section: int | None = None
    # Column key → the rows' values, kept by the grid reader alongside ``rows``; valid while
    # ``stored`` equals ``len(rows)`` (rows added another way make the store stale).
    store: dict[str, list[object]] = field(default_factory=dict)
    stored: int = 0
    # The rows made so far, then the sheet rows of those not made yet (all of this sheet, their
    # values in the store at their own index): see RawRows.
    _made: list[RawRow] = field(default_factory=list, init=False, repr=False)
    _later: list[int] = field(default_factory=list, init=False, repr=False)
    # Column key → the distinct values of the column, when the reader knows them already (a
    # table read in one take); dropped by any other row added.
    _distinct: dict[str, set[object]] | None = field(default=None, init=False, repr=False)

    @property
    def rows(self) -> RawRows:
        return RawRows(self)

    def _count(self) -> int:
        return len(self._made) + len(self._later)

    def _made_rows(self) -> list[RawRow]:
        """Every row as a :class:`RawRow`, making those not made yet."""
        if self._later:
            start = len(self._made)
            sheet, cols, store = self.sheet, self.cols, self.store
            self._made.extend(
                RawRow(sheet, row, None, cols, store, start + i)
                for i, row in enumerate(self._later)
            )
            self._later = []
        return self._made

    def add(self, sheet: str, row: int, values: dict[str, object]) -> None:
        """Append one row, keeping the column store in step."""
        self._distinct = None
        if self.stored == self._count():
            for key in self.cols:
                self.store.setdefault(key, []).append(values.get(key))
            self.stored += 1
            if sheet == self.sheet and values.keys() == self.cols.keys():
                self._later.append(row)  # the store holds exactly these values
                return
        self._made_rows().append(RawRow(sheet, row, values, self.cols))

    def take(
        self,
        sheet: str,
        rows: Sequence[int],
        columns: Sequence[Sequence[object]],
        distinct: dict[str, set[object]] | None = None,
    ) -> None:
        """Append rows read a column at a time: ``columns`` holds one sequence per key of
        ``cols``, in its order; ``distinct``, when given, each column's distinct values."""
        first = not self._count()
        self._distinct = distinct if first else None
        if self.stored != self._count() or sheet != self.sheet:
            keys = list(self.cols)
            for i, row in enumerate(rows):
                self.add(sheet, row, {k: col[i] for k, col in zip(keys, columns, strict=True)})
            return
        for key, col in zip(self.cols, columns, strict=True):
            self.store.setdefault(key, []).extend(col)
        self._later.extend(rows)
        self.stored += len(rows)

    def column(self, key: str) -> list[object]:
        """The rows' raw values of column ``key`` (None where a row has no such cell)."""
        count = self._count()
        if self.stored == count and (key in self.store or key not in self.cols):
            hit = self.store.get(key)
            return hit if hit is not None else [None] * count
        return [r.values.get(key) for r in self.rows]

    def distinct(self, key: str) -> set[object] | None:
        """The distinct values of column ``key`` when already known (not to be changed)."""
        known = self._distinct
        if known is None or self.stored != self._count():
            return None
        return known.get(key)

    def row_numbers(self) -> list[int]:
        """0-based sheet row of each data row (no row object is made)."""
        return [r.row for r in self._made] + self._later

    def row_sheets(self) -> list[str]:
        """The sheet of each data row when some came from another sheet (else empty)."""
        if all(r.sheet == self.sheet for r in self._made):
            return []
        return [r.sheet for r in self._made] + [self.sheet] * len(self._later)

    def row_cols(self) -> list[dict[str, int]]:
        """Column positions of each data row (blocks joined from elsewhere keep their own)."""
        return [r.cols for r in self._made] + [self.cols] * len(self._later)

    def where(self, index: int) -> tuple[str, int, dict[str, int]]:
        """(sheet, 0-based sheet row, column positions) of data row ``index``."""
        made = self._made
        if index < len(made):
            row = made[index]
            return row.sheet, row.row, row.cols
        return self.sheet, self._later[index - len(made)], self.cols

    def row_values(self, index: int) -> dict[str, object]:
        """Data row ``index`` as typed, column key → value."""
        if index < len(self._made):
            return self._made[index].values
        return {key: col[index] for key, col in self.store.items()}

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
    # sheet → "hidden" / "veryhidden" for the sheets Excel does not show (their rows count)
    hidden_sheets: dict[str, str] = field(default_factory=dict)
    # sheet → 0-based rows hidden by hand or by a filter (a view: their data counts)
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)
    # sheet → 0-based (row, col) → name of the template's verdict cells holding a typed value
    typed_over: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    # Rows that look like data on a sheet where no table header could be found: (sheet,
    # 0-based first row, number of rows). They cannot be counted, and the base cannot be judged.
    headerless: list[tuple[str, int, int]] = field(default_factory=list)
    # The sheets where the base is named, when a workbook holding several bases was split into
    # one ledger per base (see read/bases.py); "" for a workbook of one base.
    part: str = ""
    # Every 带动基地名称 read (as matching sees it: labels.name_key), in order: more than one
    # means several bases.
    section_names: list[str] = field(default_factory=list)
    # Every base-information value read: (section, key, value), section None before any name.
    field_log: list[tuple[int | None, str, FieldValue]] = field(default_factory=list)
    # The ledgers of each base when the workbook holds several (empty for one base).
    parts: list[Ledger] = field(default_factory=list)
    # Tables of a workbook of several bases that sit on no base's sheet: (sheet, 0-based
    # header row and column, rows). They cannot be counted for any base.
    unattributed: list[tuple[str, int, int, int]] = field(default_factory=list)

    def section_for(self, name: str) -> int:
        """The section of the base whose name key is ``name``, opened on first sight."""
        if name not in self.section_names:
            self.section_names.append(name)
        return self.section_names.index(name)

    def __post_init__(self) -> None:
        self.findings = Findings(self.file)

    @property
    def rows_read(self) -> int:
        return sum(len(t.rows) for t in self.tables)

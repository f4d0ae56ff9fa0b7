"""A table's rows checked column by column (spec §7), driven by the rules' column kinds.

Each column is parsed as a whole by the parser of its kind (:mod:`jinguo_xl.vocabulary.columns`),
each
distinct value once; the checks then look at whole columns (blank where required, a date outside
the year, a training date without its content) and only the rows with something to report cost
a finding. Rows are not objects until someone asks for them: :class:`CleanTable` keeps one list
per column, and :class:`CleanRow` is a view of one index of those lists.

A row with findings is never dropped; each field that could be read still counts (spec §4),
and a field that could not be read contributes nothing.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress
from operator import attrgetter
from typing import overload

from jinguo_xl.findings import Code, Finding, Findings
from jinguo_xl.read.ledger import RawTable
from jinguo_xl.rules import Rules, TableSpec
from jinguo_xl.vocabulary.columns import (
    column_parse,
    parse_column,
    parsers_for,
    suspect_threshold,
)
from jinguo_xl.vocabulary.normalize import Parsed

# Codes of an amount that was typed but counts nowhere → the reason the master and the verdict
# show (spec §7: an implausible value never carries a total or a target).
LEFT_OUT: dict[Code, str] = {
    Code.MONEY_SUSPECT_YUAN: "金额疑似以元填写",
    Code.MONEY_PHONE_LIKE: "金额像电话号码",
    Code.MONEY_INVALID: "金额无法识别",
    Code.MONEY_NEGATIVE: "金额为负数",
}


@dataclass(slots=True, eq=False)
class CleanTable:
    """One industry table: its parsed columns, and what each row needs beyond them."""

    industry: str
    sheet: str
    spec: TableSpec
    headers: dict[str, str]
    has_columns: frozenset[str]
    cols: dict[str, int]  # column key → 0-based column index in the sheet
    grid_rows: list[int]  # 0-based sheet row of each data row
    row_cols: list[dict[str, int]]  # each row's own column positions (joined blocks differ)
    values: dict[str, list[object]]  # column key → parsed value per row (None: blank/unread)
    counted: list[bool]  # one of the women the targets count (未脱贫妇女 / 贫困妇女)
    train_filled: list[bool]  # 培训时间 or 培训内容 typed (readable or not)
    raw: dict[int, dict[str, object]] = field(default_factory=dict)  # as typed, rows flagged
    left_out: dict[int, str] = field(default_factory=dict)  # row → why its amount counts nowhere
    # The sheet of each row when the table was joined from several sheets (else empty).
    row_sheets: list[str] = field(default_factory=list)
    _persons: list[tuple[str, str]] | None = None
    _nones: list[None] | None = None

    @property
    def n(self) -> int:
        return len(self.grid_rows)

    def col(self, key: str) -> list[object]:
        """Parsed values of column ``key``; all None when the table has no such column."""
        hit = self.values.get(key)
        if hit is not None:
            return hit
        if self._nones is None:
            self._nones = [None] * self.n
        return self._nones

    @property
    def money(self) -> list[object]:
        """The table's counted amount column (``spec.money``); amounts left out are None."""
        return self.col(self.spec.money) if self.spec.money else self.col("")

    @property
    def persons(self) -> list[tuple[str, str]]:
        """Identity of each row's woman: 姓名 + 联系电话 (spec §4)."""
        if self._persons is None:
            names, phones = self.col("name"), self.col("phone")
            if None in names or None in phones:
                names = [name or "" for name in names]
                phones = [phone or "" for phone in phones]
            self._persons = list(zip(names, phones, strict=True))  # type: ignore[arg-type]
        return self._persons

    @property
    def rows(self) -> RowViews:
        """The rows as :class:`CleanRow` views, made only when looked at."""
        return RowViews(self)

    def sheet_of(self, i: int) -> str:
        """The sheet row ``i`` was read from."""
        return self.row_sheets[i] if self.row_sheets else self.sheet

    def at(self, i: int, key: str) -> tuple[int, int]:
        """0-based (row, col) of column ``key`` in row ``i`` (the 姓名 cell when it is absent)."""
        cols = self.row_cols[i]
        return self.grid_rows[i], cols.get(key, cols.get("name", 0))


class RowViews(Sequence["CleanRow"]):
    """``table.rows``: a sequence whose length and truth cost nothing (no row is built)."""

    __slots__ = ("_t",)

    def __init__(self, table: CleanTable) -> None:
        self._t = table

    def __len__(self) -> int:
        return self._t.n

    @overload
    def __getitem__(self, index: int) -> CleanRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[CleanRow]: ...
    def __getitem__(self, index: int | slice) -> CleanRow | list[CleanRow]:
        if isinstance(index, slice):
            return [CleanRow(self._t, i) for i in range(self._t.n)[index]]
        if not -self._t.n <= index < self._t.n:
            raise IndexError(index)
        return CleanRow(self._t, index % self._t.n)

    def __iter__(self) -> Iterator[CleanRow]:
        table = self._t
        return (CleanRow(table, i) for i in range(table.n))


class CleanRow:
    """Row ``i`` of a :class:`CleanTable`: values by the rules' column keys, and the typed
    accessors the counting and the master's row sheet use."""

    __slots__ = ("_i", "_t")

    def __init__(self, table: CleanTable, index: int) -> None:
        self._t = table
        self._i = index

    def get(self, key: str) -> object:
        return self._t.col(key)[self._i]

    @property
    def values(self) -> dict[str, object]:
        return {key: column[self._i] for key, column in self._t.values.items()}

    @property
    def sheet(self) -> str:
        return self._t.sheet_of(self._i)

    @property
    def excel_row(self) -> int:
        return self._t.grid_rows[self._i] + 1

    @property
    def name_at(self) -> tuple[int, int]:
        """0-based (row, col) of this row's 姓名 cell."""
        return self._t.at(self._i, "name")

    @property
    def seq(self) -> object:
        return self.get("seq")

    @property
    def name(self) -> str:
        return self.get("name") or ""  # type: ignore[return-value]

    @property
    def address(self) -> str:
        return self.get("address") or ""  # type: ignore[return-value]

    @property
    def phone(self) -> str | None:
        return self.get("phone")  # type: ignore[return-value]

    @property
    def train_date(self) -> dt.date | None:
        return self.get("train_date")  # type: ignore[return-value]

    @property
    def train_content(self) -> str:
        return self.get("train_content") or ""  # type: ignore[return-value]

    @property
    def train_filled(self) -> bool:
        return self._t.train_filled[self._i]

    @property
    def money(self) -> Decimal | None:
        return self._t.money[self._i]  # type: ignore[return-value]

    @property
    def money_left_out(self) -> str | None:
        return self._t.left_out.get(self._i)

    @property
    def qualified(self) -> bool | None:
        return self.get("qualified")  # type: ignore[return-value]

    @property
    def employed(self) -> bool | None:
        return self.get("employed")  # type: ignore[return-value]

    @property
    def startup(self) -> bool | None:
        return self.get("startup")  # type: ignore[return-value]

    @property
    def women_type(self) -> str | None:
        return self.get("women_type")  # type: ignore[return-value]

    @property
    def counted(self) -> bool:
        return self._t.counted[self._i]

    @property
    def note(self) -> str:
        return self.get("note") or ""  # type: ignore[return-value]

    @property
    def raw(self) -> dict[str, object]:
        return self._t.raw.get(self._i, {})

    @property
    def person(self) -> tuple[str, str]:
        return self._t.persons[self._i]


def missing_code(kind: str) -> Code:
    """The finding for a blank required cell: ``name-missing`` …, or the generic one."""
    return Code.lookup(f"{kind.replace('_', '-')}-missing") or Code.VALUE_MISSING


def _fmt_dec(value: Decimal) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class _Rows:
    """Findings of one table, kept per row so they come out row by row, left to right."""

    def __init__(self, file: str, table: RawTable, spec: TableSpec, rules: Rules) -> None:
        self.file, self.table, self.spec, self.rules = file, table, spec, rules
        self.made = Findings(file)  # builds each finding; the order is set by findings()
        self.by_row: dict[int, list[Finding]] = {}
        self.late = Findings(file)  # findings about the table, after its rows
        self.flagged: set[int] = set()  # rows with a finding: their cells as typed are kept

    def flag(self, i: int, code: Code, key: str, **params: object) -> None:
        sheet, row, cols = self.table.where(i)
        # blocks of one industry joined from two places keep their own columns
        col = cols.get(key, cols.get("name", 0))
        self.flagged.add(i)
        column = self.spec.header_of(key, self.rules.columns)
        found = self.made.add(code, sheet, row, col, column=column, **params)
        self.by_row.setdefault(i, []).append(found)

    def findings(self) -> list[Finding]:
        """Row by row, and within a row left to right (a stable sort keeps a cell's order)."""
        out: list[Finding] = []
        for i in sorted(self.by_row):
            found = self.by_row[i]
            found.sort(key=_COL)
            out.extend(found)
        return out


def check_rows(
    table: RawTable, spec: TableSpec, rules: Rules, year: int, file: str
) -> tuple[CleanTable, list[Finding]]:
    """Parse and check every row of ``table``, column by column.

    A column is parsed once per distinct value; then only the distinct results that call for
    a finding (a code, a required blank, an amount typed as text, a date outside the year)
    send us through the column's cells to find their rows. A clean column costs a few C-level
    passes.
    """
    parsers = parsers_for(rules)
    out = _Rows(file, table, spec, rules)
    n = len(table.rows)
    values: dict[str, list[object]] = {}
    date_blank: list[bool] = [True] * n
    left_out: dict[int, str] = {}
    for key in spec.columns if n else ():  # a table left empty has nothing to parse
        column = rules.columns[key]
        # An absent column reads as blank cells: required ones are then reported row by row.
        cells = table.column(key)
        if not column.checked:  # kept as typed (序号)
            values[key] = cells
            continue
        parser = parsers[key]
        is_date = key == "train_date"
        parsed: list[Parsed] | None = None
        view = column_parse(parser, cells, table.distinct(key))
        if view is None:  # numbers of mixed types, or an unhashable value: cell by cell
            parsed = parse_column(parser, cells)
            vals = values[key] = list(map(_VALUE, parsed))
            notable: list[Parsed] = parsed
            if is_date:
                date_blank = [p.empty for p in parsed]
        else:  # the usual column, read through its distinct values
            vals = values[key] = view.values
            # Only values whose parse has a code or no value can call for a finding.
            notable = list(map(view.result, view.notable))
            if is_date:
                blank = {v for v in view.notable if view.result(v).empty}
                date_blank = list(map(blank.__contains__, cells))
        suspect = (
            not _NO_CODES.issuperset(map(_CODE, notable))
            or (column.required and None in map(_VALUE, notable))
            or (
                is_date
                and _outside(vals if view is None else map(view.value_of.get, view.distinct), year)
            )
        )
        as_text: set[object] = set()
        if column.kind == "money":
            read = parser if view is None else view.result
            as_text = {
                v
                for v in (set(cells) if view is None else view.distinct)
                if v.__class__ is str and (q := read(v)).code is None and q.value is not None
            }
        if not (suspect or as_text):
            continue
        if parsed is None:
            parsed = list(map(view.result, cells))  # type: ignore[union-attr]
        ids = list(map(id, parsed))
        distinct = dict(zip(ids, parsed, strict=True))
        flagged = {
            pid
            for pid, p in distinct.items()
            if p.code is not None
            or (p.value is None and column.required)
            or (is_date and p.value is not None and p.value.year != year)  # type: ignore[union-attr]
        }
        if not flagged and not as_text:
            continue
        for i, pid in enumerate(ids):
            if pid in flagged:
                _flag_cell(out, i, parsed[i], key, column.kind, column.required, year, rules)
                code = parsed[i].code
                if column.kind == "money" and code in LEFT_OUT:
                    vals[i] = None
                    if key == spec.money:
                        left_out[i] = LEFT_OUT[code]  # type: ignore[index]
            elif cells[i] in as_text:
                out.flag(i, Code.MONEY_AS_TEXT, key)
    if not n:
        values = {key: [] for key in spec.columns}
    content = values.get("train_content") or [None] * n
    dated = list(map(operator.not_, date_blank))
    described = list(map(bool, content))
    if dated != described:  # a training with its date or its content alone
        for i in compress(range(n), map(operator.ne, dated, described)):
            if dated[i]:
                out.flag(i, Code.TRAINING_CONTENT_MISSING, "train_content")
            else:
                out.flag(i, Code.TRAINING_DATE_MISSING, "train_date")
    types = values.get("women_type") or [None] * n
    clean = CleanTable(
        industry=table.industry or "",
        sheet=table.sheet,
        spec=spec,
        headers=table.headers,
        has_columns=frozenset(table.cols),
        cols=table.cols,
        grid_rows=table.row_numbers(),
        row_cols=table.row_cols(),
        values=values,
        counted=list(map(rules.counted_women.__contains__, types)),
        train_filled=list(map(operator.or_, dated, described)),
        left_out=left_out,
        row_sheets=table.row_sheets(),
    )
    _flag_duplicates(clean, out)
    # The cells as typed are only needed to show what could not be read.
    clean.raw = {i: table.row_values(i) for i in out.flagged}
    return clean, out.findings() + out.late


_VALUE = attrgetter("value")
_COL = attrgetter("col")
_CODE = attrgetter("code")
_NO_CODES = frozenset({None})


def _outside(dates: Iterable[object], year: int) -> bool:
    """Some date (None aside) lies outside the statistics year (each date looked at once)."""
    return any(d.year != year for d in set(dates) if d is not None)  # type: ignore[attr-defined]


def _flag_cell(
    out: _Rows,
    i: int,
    p: Parsed,
    key: str,
    kind: str,
    required: bool,
    year: int,
    rules: Rules,
) -> None:
    """The findings of one cell whose parse called for them, in the order a clerk reads."""
    if p.code is None:
        if p.value is None:
            out.flag(i, missing_code(kind), key)
        else:
            out.flag(i, Code.DATE_OUTSIDE_YEAR, key, detail=p.value.isoformat(), value=year)  # type: ignore[attr-defined]
        return
    if p.code is Code.MONEY_SUSPECT_YUAN:
        threshold = suspect_threshold(rules.money_suspect_wan)
        out.flag(i, p.code, key, detail=_fmt_dec(p.value), value=_fmt_dec(threshold))  # type: ignore[arg-type]
    else:
        out.flag(i, p.code, key, detail=p.detail)
    if key == "train_date" and p.value is not None and p.value.year != year:  # type: ignore[attr-defined]
        out.flag(i, Code.DATE_OUTSIDE_YEAR, key, detail=p.value.isoformat(), value=year)  # type: ignore[attr-defined]


DOUBLE_ENTRY = "重复录入"


def _flag_duplicates(table: CleanTable, out: _Rows) -> None:
    """The same 姓名 + 电话 + 培训时间 + 培训内容 twice within the base (any of its sheets,
    hidden ones too): a warning on the second row naming the first, and the second row counts
    in no figure (spec §7: a repeated row never raises a metric). It stays listed."""
    if len(set(table.persons)) == table.n:
        return  # no two rows of one woman (the persons are wanted by the counting anyway)
    seen: dict[tuple[object, ...], int] = {}
    names, phones = table.col("name"), table.col("phone")
    dates, contents = table.col("train_date"), table.col("train_content")
    keys = list(zip(names, phones, dates, contents, strict=True))
    if len(set(keys)) == len(keys):
        return  # no two rows alike: the usual table
    money = table.values.get(table.spec.money) if table.spec.money else None
    for i in range(table.n):
        if not names[i]:
            continue
        key = (names[i], phones[i] or "", dates[i], contents[i] or "")
        first = seen.get(key)
        if first is None:
            seen[key] = i
            continue
        out.flagged.add(i)
        sheet = table.sheet_of(i)
        where = f"第 {table.grid_rows[first] + 1} 行"
        if table.sheet_of(first) != sheet:
            where = f"工作表“{table.sheet_of(first)}”{where}"
        out.late.add(
            Code.ROW_DUPLICATE, sheet, *table.at(i, "name"), column="带动妇女姓名", value=where
        )
        table.counted[i] = False
        table.train_filled[i] = False
        if money is not None:
            money[i] = None
        table.left_out[i] = DOUBLE_ENTRY



"""A table's rows checked column by column (spec §7), driven by the rules' column kinds.

Each column is parsed as a whole by the parser of its kind (:mod:`jinguo_xl.columns`), each
distinct value once; the checks then look at whole columns (blank where required, a date outside
the year, a training date without its content) and only the rows with something to report cost
a finding. Rows are not objects until someone asks for them: :class:`CleanTable` keeps one list
per column, and :class:`CleanRow` is a view of one index of those lists.

A row with findings is never dropped; each field that could be read still counts (spec §4),
and a field that could not be read contributes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from jinguo_xl.columns import parse_column, parsers_for, suspect_threshold
from jinguo_xl.findings import Finding, cell_ref, make_finding
from jinguo_xl.ledger import RawTable
from jinguo_xl.messages import FINDINGS
from jinguo_xl.rules import Rules, TableSpec

# Codes of an amount that was typed but counts nowhere → the reason the master and the verdict
# show (spec §7: an implausible value never carries a total or a target).
LEFT_OUT: dict[str, str] = {
    "money-suspect-yuan": "金额疑似以元填写",
    "money-phone-like": "金额像电话号码",
    "money-invalid": "金额无法识别",
    "money-negative": "金额为负数",
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
    values: dict[str, list[object]]  # column key → parsed value per row (None: blank/unread)
    counted: list[bool]  # one of the women the targets count (未脱贫妇女 / 贫困妇女)
    train_filled: list[bool]  # 培训时间 or 培训内容 typed (readable or not)
    codes: dict[int, list[str]] = field(default_factory=dict)  # row → codes of its findings
    raw: dict[int, dict[str, object]] = field(default_factory=dict)  # as typed, rows with codes
    left_out: dict[int, str] = field(default_factory=dict)  # row → why its amount counts nowhere
    _rows: list[CleanRow] | None = None
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
            self._persons = [
                (name or "", phone or "")  # type: ignore[misc]
                for name, phone in zip(self.col("name"), self.col("phone"), strict=True)
            ]
        return self._persons

    @property
    def rows(self) -> list[CleanRow]:
        if self._rows is None:
            self._rows = [CleanRow(self, i) for i in range(self.n)]
        return self._rows

    def cell(self, i: int, key: str) -> str:
        """Excel address of column ``key`` in row ``i`` (the 姓名 cell when the key is absent)."""
        return cell_ref(self.grid_rows[i], self.cols.get(key, self.cols.get("name", 0)))


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
        return self._t.sheet

    @property
    def excel_row(self) -> int:
        return self._t.grid_rows[self._i] + 1

    @property
    def name_cell(self) -> str:
        return self._t.cell(self._i, "name")

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
    def codes(self) -> list[str]:
        return self._t.codes.get(self._i, [])

    @property
    def raw(self) -> dict[str, object]:
        return self._t.raw.get(self._i, {})

    @property
    def person(self) -> tuple[str, str]:
        return self._t.persons[self._i]


def missing_code(kind: str) -> str:
    """The finding for a blank required cell: ``name-missing`` …, or the generic one."""
    code = f"{kind.replace('_', '-')}-missing"
    return code if code in FINDINGS else "value-missing"


def _fmt_dec(value: Decimal) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class _Rows:
    """Findings of one table, kept per row so they come out row by row, left to right."""

    def __init__(self, file: str, table: RawTable, spec: TableSpec, rules: Rules) -> None:
        self.file, self.table, self.spec, self.rules = file, table, spec, rules
        self.by_row: dict[int, list[Finding]] = {}
        self.codes: dict[int, list[str]] = {}
        self.late: list[Finding] = []  # findings about the table, after its rows

    def flag(self, i: int, code: str, key: str, **params: object) -> None:
        raw = self.table.rows[i]
        cols = self.table.cols
        self.codes.setdefault(i, []).append(code)
        self.by_row.setdefault(i, []).append(
            make_finding(
                code,
                file=self.file,
                sheet=raw.sheet,
                cell=cell_ref(raw.row, cols.get(key, cols.get("name", 0))),
                column=self.spec.header_of(key, self.rules.columns),
                row=raw.row + 1,
                **params,
            )
        )

    def findings(self) -> list[Finding]:
        return [f for i in sorted(self.by_row) for f in self.by_row[i]]


def check_rows(
    table: RawTable, spec: TableSpec, rules: Rules, year: int, file: str
) -> tuple[CleanTable, list[Finding]]:
    """Parse and check every row of ``table``, column by column."""
    rows = table.rows
    parsers = parsers_for(rules)
    out = _Rows(file, table, spec, rules)
    n = len(rows)
    values: dict[str, list[object]] = {}
    raw_cols: dict[str, list[object]] = {}
    date_typed: list[bool] = [False] * n
    left_out: dict[int, str] = {}
    for key in spec.columns:
        column = rules.columns[key]
        if key not in table.cols:
            if column.required:
                for i in range(n):
                    out.flag(i, missing_code(column.kind), key)
            continue
        cells = raw_cols[key] = [r.values.get(key) for r in rows]
        if not column.checked:  # kept as typed (序号)
            values[key] = cells
            continue
        parsed = parse_column(parsers[key], cells)
        values[key] = [p.value for p in parsed]
        if key == "train_date":
            date_typed = [not p.empty for p in parsed]
        kind = column.kind
        for i, p in enumerate(parsed):
            if p.code is None:
                if p.value is None:
                    if column.required:
                        out.flag(i, missing_code(kind), key)
                elif kind == "money" and cells[i].__class__ is str:
                    out.flag(i, "money-as-text", key)
                elif key == "train_date" and p.value.year != year:  # type: ignore[union-attr]
                    out.flag(i, "date-outside-year", key, detail=p.value.isoformat(), value=year)  # type: ignore[union-attr]
                continue
            if p.code == "money-suspect-yuan":
                threshold = suspect_threshold(rules.money_suspect_wan)
                out.flag(i, p.code, key, detail=_fmt_dec(p.value), value=_fmt_dec(threshold))  # type: ignore[arg-type]
            else:
                out.flag(i, p.code, key, detail=p.detail)
            if kind == "money" and p.code in LEFT_OUT:
                values[key][i] = None
                if key == spec.money:
                    left_out[i] = LEFT_OUT[p.code]
            elif key == "train_date" and p.value is not None and p.value.year != year:  # type: ignore[union-attr]
                out.flag(i, "date-outside-year", key, detail=p.value.isoformat(), value=year)  # type: ignore[union-attr]
    content = values.get("train_content") or [None] * n
    for i in range(n):
        if date_typed[i] and not content[i]:
            out.flag(i, "training-content-missing", "train_content")
        elif content[i] and not date_typed[i]:
            out.flag(i, "training-date-missing", "train_date")
    counted_types = rules.counted_women
    types = values.get("women_type") or [None] * n
    clean = CleanTable(
        industry=table.industry or "",
        sheet=table.sheet,
        spec=spec,
        headers=table.headers,
        has_columns=frozenset(table.cols),
        cols=table.cols,
        grid_rows=[r.row for r in rows],
        values=values,
        counted=[t in counted_types for t in types],
        train_filled=[d or bool(c) for d, c in zip(date_typed, content, strict=True)],
        left_out=left_out,
    )
    _flag_duplicates(clean, out)
    clean.codes = out.codes
    # The cells as typed are only needed to show what could not be read.
    clean.raw = {i: rows[i].values for i in out.codes}
    return clean, out.findings() + out.late


def _flag_duplicates(table: CleanTable, out: _Rows) -> None:
    """The same 姓名 + 电话 + 培训时间 + 培训内容 twice: a warning on the second row's name."""
    seen: dict[tuple[object, ...], int] = {}
    names, phones = table.col("name"), table.col("phone")
    dates, contents = table.col("train_date"), table.col("train_content")
    for i in range(table.n):
        if not names[i]:
            continue
        key = (names[i], phones[i] or "", dates[i], contents[i] or "")
        first = seen.get(key)
        if first is None:
            seen[key] = table.grid_rows[i] + 1
            continue
        out.codes.setdefault(i, []).append("row-duplicate")
        out.late.append(
            make_finding(
                "row-duplicate",
                file=out.file,
                sheet=table.sheet,
                cell=table.cell(i, "name"),
                column="带动妇女姓名",
                row=table.grid_rows[i] + 1,
                value=first,
            )
        )



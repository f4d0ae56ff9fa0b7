"""Sheet grids → a :class:`Ledger`: find base fields, captions, header rows and data rows.

This is pure: it takes 2-D lists of cell values, whatever read them (python-calamine for files,
xlwings for the open workbook), and finds the 统计表 in them by label, never by position. It reads
the project's template, the bare 样表 with six tables stacked on one sheet, one sheet per
industry, shifted headers, extra columns, base fields in one cell or as label + value cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, count, islice, repeat, zip_longest
from operator import is_

from jinguo_xl.findings import Code, Findings
from jinguo_xl.labels import name_key, norm_label, strip_parenthetical
from jinguo_xl.read.ledger import FieldValue, Ledger, RawTable
from jinguo_xl.rules import Rules

Grid = Sequence[Sequence[object]]

# A header row must show at least this many known columns, the name column among them.
MIN_HEADER_COLUMNS = 4
_TOTAL_WORDS = frozenset({"合计", "小计", "总计", "合计：", "总合计"})
# Columns whose presence tells the industry when no caption or sheet name does.
DISTINCTIVE = {
    "qualified": ("家政服务",),
    "startup": ("乡村旅游",),
    "industry_income": ("种植养殖",),
    "sales": ("农村电商",),
}


# Columns a header may leave out whatever the rules say: neither tells one table from another.
_NEVER_TELLING = frozenset({"seq", "note"})


def fitting_industries(keys: set[str], rules: Rules) -> tuple[str, ...]:
    """The industries whose table a header of column ``keys`` fits, in the rules' order.

    A column only one table has decides alone (是否合格 → 家政服务); otherwise every table whose
    required columns are all there fits (手工制作 and 加工制造 share theirs). The file reader
    and the cell functions both ask here, so a range and a file are told apart alike.
    """
    for key, industries in DISTINCTIVE.items():
        if key in keys:
            return industries
    shown = keys | _NEVER_TELLING
    return tuple(ind for ind, spec in rules.tables.items() if set(spec.required) <= shown)


# The sheet from its first data row on, by column: that row, the columns, each column's
# distinct values, blank values and totals words (合计 …), and the rows that may end a block.
_SheetColumns = tuple[
    int,
    list[tuple[object, ...]],
    list[set[object]],
    list[set[object]],
    list[set[object]],
    list[int],
]


class _AllBlank:
    """The blank values of a column no row reaches: every cell there reads as None."""

    def __contains__(self, value: object) -> bool:
        return True


_ALL_BLANK = _AllBlank()


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class _Lookups:
    headers: dict[str, str]  # normalised header → column key (any table)
    table_headers: dict[str, dict[str, str]]  # industry → normalised header → key
    caption: re.Pattern[str]
    field_pattern: re.Pattern[str]
    field_labels: dict[str, str]  # normalised label → base-field key
    seen: dict[str, str | None]  # raw cell text → column key or None (cache: sheets repeat)


def _lookups(rules: Rules) -> _Lookups:
    headers: dict[str, str] = {}
    for col in rules.columns.values():
        for label in (col.header, *col.aliases):
            headers.setdefault(norm_label(label), col.key)
            headers.setdefault(strip_parenthetical(norm_label(label)), col.key)
    table_headers = {
        industry: {norm_label(text): key for key, text in spec.headers.items()}
        for industry, spec in rules.tables.items()
    }
    caption = re.compile(
        "("
        + "|".join(map(re.escape, rules.industries))
        + ")(?:类)?(?:带动)?(?:帮扶)?(?:情况)?统计表"
    )
    field_labels: dict[str, str] = {}
    for bf in rules.base_fields:
        for label in (bf.label, *bf.aliases):
            field_labels[norm_label(label)] = bf.key
    # Longest labels first so that 带动基地名称 wins over 基地名称 at the same place.
    alternatives = sorted(field_labels, key=len, reverse=True)
    field_pattern = re.compile(
        "(" + "|".join(r"\s*".join(map(re.escape, lbl)) for lbl in alternatives) + r")\s*："
    )
    return _Lookups(headers, table_headers, caption, field_pattern, field_labels, {})


def lookups_for(rules: Rules) -> _Lookups:
    """The lookups of ``rules``, built once and kept with that rules object."""
    return rules.derived(_lookups)


def header_keys(cells: Sequence[object], lk: _Lookups) -> dict[int, str]:
    """Column index → column key for every cell of ``cells`` that is a known header label."""
    found: dict[int, str] = {}
    seen = lk.seen
    for col, value in enumerate(cells):
        if value.__class__ is not str:
            continue
        key = seen.get(value, "")
        if key == "":
            label = norm_label(value)
            key = lk.headers.get(label) or lk.headers.get(strip_parenthetical(label))
            if len(seen) < 100_000:
                seen[value] = key
        if key:
            found[col] = key
    return found


def is_header(keys: dict[int, str]) -> bool:
    """A header row shows enough known columns, the name column among them."""
    return len(set(keys.values())) >= MIN_HEADER_COLUMNS and "name" in keys.values()


# Every character NFKC turns into the colon a field label ends with.
_COLONS = frozenset(":：﹕︓")


def _field_text(value: object) -> str:
    """Raw cell text with full-width colon and parentheses, as the field pattern expects."""
    text = unicodedata.normalize("NFKC", str(value))
    return text.translate(str.maketrans({"(": "（", ")": "）", ":": "："}))


class _SheetParser:
    """Walks one sheet top to bottom, keeping the state a clerk's eye would keep."""

    def __init__(self, name: str, grid: Grid, rules: Rules, lk: _Lookups, ledger: Ledger) -> None:
        self.name = name
        self.grid = grid
        self.rules = rules
        self.lk = lk
        self.ledger = ledger
        self.table: RawTable | None = None
        self.pending_caption: str | None = None
        self.sheet_industry = rules.industry_in(name)
        self.skipped_legend: list[int] = []
        self.skipped_seq_only = 0
        self.merges_reported: set[tuple[tuple[int, int, int], str]] = set()
        # The base named on this sheet so far, and the fields read before its name.
        self.section: int | None = None
        self.pending: list[tuple[str, FieldValue]] = []
        # Rows that look like data while no table header is open: first row, how many.
        self.loose_first: int | None = None
        self.loose_rows = 0
        # The sheet a column at a time, for every data block (see _sheet_columns).
        self._by_column: _SheetColumns | bool | None = None

    # ------------------------------------------------------------------ helpers
    def _finding(self, code: Code, row: int, col: int, **kw: object) -> None:
        self.ledger.findings.add(code, self.name, row, col, **kw)

    def _header(self, key: str) -> str:
        """The Chinese header of column ``key`` in the open table, as the 样表 prints it."""
        spec = self.rules.tables.get(self.table.industry or "") if self.table else None
        return spec.header_of(key, self.rules.columns) if spec else self.rules.columns[key].header

    # ------------------------------------------------------------------ walk
    def run(self) -> None:
        skip = -1
        bulk = not self.ledger.merged.get(self.name)  # merged cells need the row-by-row path
        walk = enumerate(self.grid)
        for r, cells in walk:
            if r == skip or all(
                v is None or (v.__class__ is str and not v.strip()) for v in cells
            ):
                continue
            keys = header_keys(cells, self.lk)
            if keys:  # most rows are data and name no column at all
                if len(set(keys.values())) >= MIN_HEADER_COLUMNS - 1:
                    two_row = self._two_row_header(r, cells, keys)
                    if two_row is not None:
                        cells, keys, skip = two_row
                if is_header(keys):
                    self._close_table()
                    self._open_table(r, cells, keys)
                    continue
            caption = self._caption(cells)
            if caption:
                self._close_table()
                self.pending_caption = caption
                self._scan_fields(r, cells)
                continue
            if self.table is not None:
                if bulk:
                    taken = self._data_block(r) - r - 1  # the rows below r the block took
                    next(islice(walk, taken, taken), None)  # passed over at C speed
                else:
                    self._data_row(r, cells)
            elif not self._scan_fields(r, cells) and looks_like_data(cells):
                if self.loose_first is None:
                    self.loose_first = r
                self.loose_rows += 1
        self._close_table()
        self._flush_pending()
        if self.loose_rows >= HEADERLESS_ROWS and self.loose_first is not None:
            self.ledger.headerless.append((self.name, self.loose_first, self.loose_rows))

    def _data_block(self, r0: int) -> int:
        """The rows from ``r0`` on that are data of the open table, a column at a time.

        Row ``r0`` is known to be data. The block ends at the next header or caption row;
        the first row not taken is returned. Each test looks at a column's distinct values
        once (a sheet repeats its dates, contents and types), so a row costs a few C-level
        steps instead of a dozen Python ones; rows needing a closer look (a field line, a
        totals line, the 样表's legend) still get it one by one, exactly as :meth:`_data_row`.
        """
        table = self.table
        assert table is not None
        by_column = self._sheet_columns(r0)
        if by_column is None:  # an unhashable cell value: the row-by-row path copes with it
            self._data_row(r0, self.grid[r0])
            return r0 + 1
        base, columns, distincts, blanks, words, marks = by_column
        end = self._block_end(r0, marks, blanks)
        rows, n = self.grid[r0:end], end - r0
        lo, hi = r0 - base, end - base  # the block within the columns
        keys = list(table.cols)
        at = list(table.cols.values())
        width = len(columns)
        key_cols = [columns[c][lo:hi] if c < width else (None,) * n for c in at]
        # The cells of column c are blank where blank[c] holds them (a column the rows do not
        # reach is blank throughout).
        blank = [blanks[c] if c < width else _ALL_BLANK for c in at]
        name_at = keys.index("name") if "name" in table.cols else -1
        seq_at = keys.index("seq") if "seq" in table.cols else -1
        name_blank = (
            list(map(blank[name_at].__contains__, key_cols[name_at])) if name_at >= 0 else None
        )
        totals = self._total_rows(columns, words, lo, hi)
        uncached = self.ledger.uncached.get(self.name)
        # A row with a name that is no totals line is data, whatever else it holds; the others
        # (and every row of a sheet with formulas lacking a value) get the careful look.
        if uncached:
            special = set(range(n))
        elif name_blank is None:
            special = set(range(n))  # no name column: every row gets the careful look
        else:
            special = set(compress(range(n), name_blank)) | totals
        sheet = self.name
        if not special and lo == 0 and hi == len(columns[0]):
            # All the sheet's data rows, plain: its columns' distinct values are those worked
            # out for the sheet, handed on so that the row check need not work them out again.
            distinct = {k: distincts[c] if c < width else {None} for k, c in table.cols.items()}
            table.take(sheet, range(r0, end), key_cols, distinct)
            return end
        start = 0  # first row of the current run of plain data rows
        for i in [*sorted(special), n]:
            if start < i:
                self._take_run(r0, start, i, key_cols)
            if i == n:
                break
            start = i + 1
            r = r0 + i
            cells = rows[i]
            if all(v in b for v, b in zip(cells, blanks, strict=False)):
                continue  # a blank row
            filled = sum(col[i] not in b for col, b in zip(key_cols, blank, strict=True))
            if not filled:
                self._scan_fields(r, cells)  # the row is not blank: something sits beside
                continue
            if i in totals:
                self._finding(Code.TOTAL_ROW_SKIPPED, r, table.cols.get("name", 0))
                continue
            if filled == 1 and seq_at >= 0 and key_cols[seq_at][i] not in blank[seq_at]:
                if self._field_line(cells):  # 带动基地名称：… typed in the 序号 column
                    self._scan_fields(r, cells)
                else:
                    self.skipped_seq_only += 1
                continue
            if (name_blank is None or name_blank[i]) and self._is_legend(cells):
                self.skipped_legend.append(r + 1)
                continue
            if (name_blank is None or name_blank[i]) and self._field_line(cells):
                self._scan_fields(r, cells)  # 带动基地名称：… typed inside the block
                continue
            row_values = {key: col[i] for key, col in zip(keys, key_cols, strict=True)}
            if uncached:
                for key, col in table.cols.items():
                    if key != "seq" and (r, col) in uncached and _is_empty(row_values[key]):
                        self._finding(Code.FORMULA_NO_VALUE, r, col, column=self._header(key))
            table.add(sheet, r, row_values)
        return r0 + n

    def _take_run(self, r0: int, a: int, b: int, key_cols: list[Sequence[object]]) -> None:
        """Rows ``a`` to ``b`` of a block, all plain data, appended a column at a time."""
        table = self.table
        assert table is not None
        whole = a == 0 and b == len(key_cols[0]) if key_cols else False
        columns = key_cols if whole else [col[a:b] for col in key_cols]
        table.take(self.name, range(r0 + a, r0 + b), columns)

    def _sheet_columns(self, r0: int) -> _SheetColumns | None:
        """The sheet from ``r0`` (its first data row) on, by column, with what the data blocks
        ask of each column's distinct values: which are blank, which are a totals word, and
        the rows that may be a header or caption. Worked out at the sheet's first data block
        for every block below it; None when a cell value cannot be hashed. A set made from a
        whole column judges any part of it alike."""
        if self._by_column is None:
            try:
                self._by_column = self._by_column_of(r0)
            except TypeError:
                self._by_column = False
        return self._by_column or None

    def _by_column_of(self, base: int) -> _SheetColumns:
        lk = self.lk
        seen = lk.seen
        columns = list(zip_longest(*self.grid[base:]))
        distincts: list[set[object]] = []
        blanks: list[set[object]] = []
        words: list[set[object]] = []
        marks: set[int] = set()
        for col in columns:
            blank: set[object] = {None}
            total: set[object] = set()
            marked: set[object] = set()
            values = set(col)
            distincts.append(values)
            distinct = list(values)
            # Only texts can be blank, a label or a totals word: picked out at C speed.
            for value in compress(distinct, map(is_, map(type, distinct), repeat(str))):
                if not value.strip():
                    blank.add(value)
                key = seen.get(value, "")
                if key == "":
                    key = header_keys((value,), lk).get(0)  # fills the cache while it has room
                if key or "统计表" in value:
                    marked.add(value)
                if "计" in value and norm_label(value) in _TOTAL_WORDS:
                    total.add(value)
            blanks.append(blank)
            words.append(total)
            if marked:
                marks.update(compress(count(base), map(marked.__contains__, col)))
        return base, columns, distincts, blanks, words, sorted(marks)

    def _block_end(self, r0: int, marks: list[int], blanks: list[set[object]]) -> int:
        """The first non-blank header or caption row after ``r0`` (the sheet's length if none):
        only rows holding a known header label or the word 统计表 are looked at closely."""
        lk = self.lk
        for r in marks[bisect_right(marks, r0) :]:
            cells = self.grid[r]
            if all(v in b for v, b in zip(cells, blanks, strict=False)):
                continue  # blank rows are skipped
            keys = header_keys(cells, lk)
            if keys:
                if len(set(keys.values())) >= MIN_HEADER_COLUMNS - 1:
                    two_row = self._two_row_header(r, cells, keys)
                    if two_row is not None:
                        keys = two_row[1]
                if is_header(keys):
                    return r
            if self._caption(cells):
                return r
        return len(self.grid)

    def _total_rows(
        self, columns: list[tuple[object, ...]], words: list[set[object]], lo: int, hi: int
    ) -> set[int]:
        """Rows (of the block, ``lo`` to ``hi`` in the columns) that are a totals line: 合计 in
        序号, 姓名 or a cell up to the first of them."""
        table = self.table
        assert table is not None
        lead = min(table.cols.get("name", 0), table.cols.get("seq", 0))
        looked = {table.cols[k] for k in ("seq", "name") if k in table.cols} | set(range(lead + 1))
        found: set[int] = set()
        for c in looked:
            if c < len(columns) and words[c]:
                found.update(compress(count(), map(words[c].__contains__, columns[c][lo:hi])))
        return found

    def _two_row_header(
        self, r: int, cells: Sequence[object], keys: dict[int, str]
    ) -> tuple[list[object], dict[int, str], int] | None:
        """A header typed over two rows, e.g. 培训 merged above 时间 | 内容, or 带动 above 妇女姓名.

        Returns the combined header cells, their keys and the row to skip, when the second row
        names more columns than the first alone; otherwise None.
        """
        if r + 1 >= len(self.grid):
            return None
        below = self.grid[r + 1]
        width = max(len(cells), len(below))
        combined: list[object] = []
        parent: object = None
        for c in range(width):
            top = cells[c] if c < len(cells) else None
            sub = below[c] if c < len(below) else None
            if not _is_empty(top):
                parent = top
            if c in keys or not isinstance(sub, str) or _is_empty(sub):
                combined.append(top)
                continue
            # A merged parent cell holds its text only in its first column.
            head = top if not _is_empty(top) else parent
            joined = f"{norm_label(head)}{norm_label(sub)}" if head is not None else ""
            combined.append(joined if header_keys([joined], self.lk) else sub)
        new_keys = header_keys(combined, self.lk)
        if len(set(new_keys.values())) > len(set(keys.values())) and is_header(new_keys):
            return combined, new_keys, r + 1
        return None

    def _caption(self, cells: Sequence[object]) -> str | None:
        for value in cells:
            if value.__class__ is str and "统计表" in value:
                match = self.lk.caption.search(norm_label(value))
                if match:
                    return match.group(1)
        return None

    def _open_table(self, r: int, cells: Sequence[object], keys: dict[int, str]) -> None:
        industry = self.pending_caption or self.sheet_industry
        candidates: tuple[str, ...] = ()
        if industry is None:
            candidates = fitting_industries(set(keys.values()), self.rules)
            if len(candidates) == 1:
                industry = candidates[0]
        self.pending_caption = None
        cols: dict[str, int] = {}
        headers: dict[str, str] = {}
        specific = self.lk.table_headers.get(industry or "", {})
        for col, key in keys.items():
            key = specific.get(norm_label(cells[col]), key)
            if key in cols:
                self._finding(Code.COLUMN_DUPLICATE, r, col, column=str(cells[col]).strip())
                continue
            cols[key] = col
            headers[key] = " ".join(str(cells[col]).split())
        self.table = RawTable(
            industry, self.name, r, cols, headers, candidates=candidates, section=self.section
        )

    def _close_table(self) -> None:
        table = self.table
        if table is None:
            return
        col = min(table.cols.values()) if table.cols else 0
        if self.skipped_legend and table.rows:
            rows = self.skipped_legend
            span = f"第 {rows[0]} 行" if len(rows) == 1 else f"第 {rows[0]}–{rows[-1]} 行"
            self._finding(
                Code.LEGEND_ROWS_SKIPPED,
                rows[0] - 1,
                table.cols.get("women_type", col),
                column="妇女类型",
                value=len(rows),
                detail=span,
            )
        if self.skipped_seq_only:
            self._finding(
                Code.SEQ_ONLY_ROWS_SKIPPED, table.header_row, col, value=self.skipped_seq_only
            )
        self.skipped_legend = []
        self.skipped_seq_only = 0
        self.ledger.tables.append(table)
        self.table = None

    def _data_row(self, r: int, cells: Sequence[object]) -> None:
        table = self.table
        assert table is not None
        width = len(cells)
        values = {key: (cells[col] if col < width else None) for key, col in table.cols.items()}
        merged = self.ledger.merged.get(self.name)
        if merged:
            self._merged_values(r, values, merged)
        # _is_empty inlined: this runs for every cell of every data row.
        filled = {
            k for k, v in values.items() if v is not None and (v.__class__ is not str or v.strip())
        }
        if not filled:
            mapped = set(table.cols.values())
            if any(not _is_empty(v) for c, v in enumerate(cells) if c not in mapped):
                self._scan_fields(r, cells)
            return
        if "name" not in filled and self._field_line(cells):
            self._scan_fields(r, cells)  # 带动基地名称：… typed between two blocks
            return
        # A totals line says 合计 in its first columns (序号 or 姓名, or the cell before them).
        lead = min(table.cols.get("name", 0), table.cols.get("seq", 0))
        heads = [values.get("seq"), values.get("name"), *cells[: lead + 1]]
        # Every total word has 计: the cheap test first, the normalised one only then.
        if any(v.__class__ is str and "计" in v and norm_label(v) in _TOTAL_WORDS for v in heads):
            self._finding(Code.TOTAL_ROW_SKIPPED, r, table.cols.get("name", 0))
            return
        if filled <= {"seq"}:
            self.skipped_seq_only += 1
            return
        if "name" not in filled and self._is_legend(cells):
            self.skipped_legend.append(r + 1)
            return
        uncached = self.ledger.uncached.get(self.name)
        if uncached:
            for key, col in table.cols.items():
                if key != "seq" and (r, col) in uncached and _is_empty(values[key]):
                    self._finding(Code.FORMULA_NO_VALUE, r, col, column=self._header(key))
        table.add(self.name, r, values)

    def _merged_values(
        self,
        r: int,
        values: dict[str, object],
        merged: dict[tuple[int, int], tuple[int, int, int]],
    ) -> None:
        """Cells a clerk merged down several rows (one woman's 姓名 and 联系电话 over her
        trainings, one date or 培训内容 for a group) hold their value only in the first row;
        each row they cover gets it, as Excel means it (spec §8). A merged amount is not
        copied (it would count several times): the first row keeps it and the clerk is told.
        A row with nothing typed of its own (but 序号) gets nothing: it is not a data row."""
        table = self.table
        assert table is not None
        columns = self.rules.columns
        own: bool | None = None  # worked out only when a merged block asks for it
        for key, col in table.cols.items():
            block = merged.get((r, col))
            if block is None or block[0] <= table.header_row or not _is_empty(values[key]):
                continue
            first = self.grid[block[0]]
            value = first[block[1]] if block[1] < len(first) else None
            kind = columns[key].kind if key in columns else ""
            if _is_empty(value):
                continue
            if kind != "money":
                if own is None:
                    own = any(
                        not _is_empty(v) and k != "seq" and merged.get((r, table.cols[k])) is None
                        for k, v in values.items()
                    )
                if not own:
                    continue
                values[key] = value
                self._report_merge(Code.MERGED_FILLED, block, key, value)
            elif kind == "money":
                self._report_merge(Code.MERGED_MONEY, block, key, value)

    def _report_merge(
        self, code: Code, block: tuple[int, int, int], key: str, value: object
    ) -> None:
        """One finding per merged block and column, on the block's first cell."""
        if (block, key) in self.merges_reported:
            return
        self.merges_reported.add((block, key))
        self._finding(
            code,
            block[0],
            block[1],
            column=self._header(key),
            detail=f"{block[0] + 1}–{block[2] + 1}",
            value=str(value)[:30],
        )

    def _is_legend(self, cells: Sequence[object]) -> bool:
        """A row holding only the 样表's list of 妇女类型 (and perhaps 序号) is form, not data."""
        kinds = set(self.rules.women_types)
        seq_col = self.table.cols.get("seq") if self.table else None
        tokens: list[str] = []
        for c, v in enumerate(cells):
            if _is_empty(v) or c == seq_col:
                continue
            if not isinstance(v, str):
                return False
            tokens.extend(re.split(r"[\s、,，/]+", v.strip()))
        tokens = [t for t in tokens if t]
        return bool(tokens) and all(t in kinds for t in tokens)

    def _field_line(self, cells: Sequence[object]) -> bool:
        """The row holds a ``带动基地名称：…`` style field (a name cell is never one). A field
        has a colon: cells without one are passed over before any normalising."""
        return any(
            v.__class__ is str
            and _COLONS.intersection(v)
            and self.lk.field_pattern.search(_field_text(v)) is not None
            for v in cells
        )

    def _scan_fields(self, r: int, cells: Sequence[object]) -> bool:
        """Pick up ``标签：值`` in one cell, or a label cell followed by its value cell; True
        when the row held a field label."""
        found = False
        for c, value in enumerate(cells):
            if not isinstance(value, str) or not value.strip():
                continue
            text = _field_text(value)
            matches = list(self.lk.field_pattern.finditer(text))
            if not matches:
                key = self.lk.field_labels.get(norm_label(text))
                if key:
                    found = True
                    self._take_right(key, r, c, cells)
                continue
            found = True
            for i, m in enumerate(matches):
                key = self.lk.field_labels[norm_label(m.group(1))]
                end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
                inline = text[m.end() : end].strip()
                if inline:
                    self._set_field(key, inline, r, c)
                elif i == len(matches) - 1:
                    self._take_right(key, r, c, cells)
        return found

    def _take_right(self, key: str, r: int, c: int, cells: Sequence[object]) -> None:
        blank_at = c + 1  # where a finding about the blank field should point
        for c2 in range(c + 1, min(len(cells), c + 8)):
            value = cells[c2]
            if _is_empty(value):
                continue
            if isinstance(value, str):
                text = _field_text(value)
                if self.lk.field_pattern.match(text.strip()) or self.lk.field_labels.get(
                    norm_label(text)
                ):
                    blank_at = c  # the next label follows at once: point at this label
                    break
            self._set_field(key, value, r, c2)
            return
        # Left blank: remember where its input cell is, so a finding can point there.
        blank = FieldValue(None, self.name, row=r, col=blank_at)
        self._log(key, blank)
        self.ledger.fields.setdefault(key, blank)

    def _log(self, key: str, value: FieldValue) -> None:
        """Keep the value under the base named on this sheet (fields typed above the name wait
        for it), so a workbook of several bases can be told apart afterwards."""
        if key == "name" and not _is_empty(value.raw):
            self.section = self.ledger.section_for(name_key(value.raw))
            self._flush_pending()
        if self.section is None:
            self.pending.append((key, value))
        else:
            self.ledger.field_log.append((self.section, key, value))

    def _flush_pending(self) -> None:
        """Fields read before the sheet named its base go to that base (or to none)."""
        for key, value in self.pending:
            self.ledger.field_log.append((self.section, key, value))
        self.pending = []

    def _set_field(self, key: str, value: object, r: int, c: int) -> None:
        fields = self.ledger.fields
        if isinstance(value, str):
            value = " ".join(value.split())
        found = FieldValue(value, self.name, row=r, col=c)
        self._log(key, found)
        if key not in fields or _is_empty(fields[key].raw):
            fields[key] = found
            return
        if norm_label(fields[key].raw) != norm_label(value):
            label = next(bf.label for bf in self.rules.base_fields if bf.key == key)
            self._finding(
                Code.BASE_FIELD_CONFLICT, r, c, column=label, detail=f"{fields[key].raw} / {value}"
            )


def parse_grids(
    sheets: Sequence[tuple[str, Grid]],
    rules: Rules,
    *,
    file: str = "",
    ledger: Ledger | None = None,
) -> Ledger:
    """Find base fields and tables in ``sheets`` (name, grid) and return the ledger.

    A workbook naming several bases (one per sheet, or one per block) also gets one ledger
    per base in ``ledger.parts`` (spec §8: never merged silently)."""
    ledger = ledger or Ledger(file=file, path=None)
    ledger.sheets = tuple(name for name, _ in sheets)
    lk = lookups_for(rules)
    for name, grid in sheets:
        _SheetParser(name, grid, rules, lk, ledger).run()
    if len(ledger.section_names) > 1:
        from jinguo_xl.read.bases import split_bases

        ledger.parts = split_bases(ledger, rules)
        for part in ledger.parts:
            _resolve_industries(part, rules)
            part.findings.extend(merge_same_industry(part))
        return ledger  # the parts own the tables: joining them here would mix the bases
    _resolve_industries(ledger, rules)
    ledger.findings.extend(merge_same_industry(ledger))
    return ledger


# Rows that look like data before any header on a sheet: this many make a lost header.
HEADERLESS_ROWS = 3
_PHONE_LIKE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
_NAME_LIKE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")


def looks_like_data(cells: Sequence[object]) -> bool:
    """A row a clerk would read as one woman's line: a phone number, or a date beside a
    short Chinese name. Used where no table header is open, to tell a lost header."""
    dated = named = False
    for v in cells:
        if v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if 13_000_000_000 <= v < 20_000_000_000:
                return True
            continue
        if isinstance(v, (dt.date, dt.datetime)):
            dated = True
            continue
        if isinstance(v, str):
            text = re.sub(r"[\s-]", "", v)
            if _PHONE_LIKE.match(text):
                return True
            if _NAME_LIKE.match(v.strip()):
                named = True
    return dated and named


def _resolve_industries(ledger: Ledger, rules: Rules) -> None:
    """Settle tables whose industry the columns left open, using the declared 帮扶产业."""
    declared = ledger.fields.get("industry")
    declared_name = rules.industry_in(declared.raw) if declared is not None else None
    kept: list[RawTable] = []
    for table in ledger.tables:
        if table.industry is None:
            if declared_name and (not table.candidates or declared_name in table.candidates):
                table.industry = declared_name
            elif not table.rows:
                continue  # an empty, unnamed header block says nothing
            else:
                maybe = "或".join(table.candidates)
                ledger.findings.add(
                    Code.TABLE_INDUSTRY_UNKNOWN,
                    table.sheet,
                    *table.header_at,
                    value=len(table.rows),
                    detail=f"（可能是{maybe}）" if maybe else "",
                )
        kept.append(table)
    ledger.tables = kept


def merge_same_industry(ledger: Ledger) -> Findings:
    """One table per industry: blocks of the same industry are joined, with a warning."""
    merged: dict[str, RawTable] = {}
    findings = Findings(ledger.file)
    out: list[RawTable] = []
    for table in ledger.tables:
        if table.industry is None:
            out.append(table)
            continue
        first = merged.get(table.industry)
        if first is None:
            merged[table.industry] = table
            out.append(table)
            continue
        if not first.rows:
            # the first block was left empty: the filled one stands in its place
            slot = next(i for i, t in enumerate(out) if t is first)
            out[slot] = merged[table.industry] = table
            continue
        if table.rows:
            findings.add(Code.TABLE_DUPLICATE, table.sheet, *table.header_at, value=table.industry)
            first.rows.extend(table.rows)
    ledger.tables = out
    return findings

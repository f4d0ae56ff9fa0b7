"""The workbook as the buttons touch it: a few bulk operations on Excel's object model.

Every property read, property write or method call on an Excel object is one cross-process
COM round trip, so this is the only place that talks to Excel, and it talks in bulk: one read
per sheet (bounded by the last cell that holds anything, not by ``UsedRange``, which formatting
can stretch to row 1,048,576), one call per union of cells for colours, two calls per note.

It uses only this part of Excel's object model (``Workbook``, ``Worksheets``, ``Worksheet``,
``Range``, ``Interior``, ``Comment``, ``Names``), which xlwings hands out as ``book.api`` on
Windows and which the tests model in a fake that counts calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jinguo_xl.excel import marks
from jinguo_xl.findings import column_letter

XL_NONE = -4142  # xlColorIndexNone
XL_FORMULAS = -4123  # Find: look in formulas, so a formula showing "" still counts as content
XL_BY_ROWS, XL_BY_COLUMNS, XL_PREVIOUS = 1, 2, 2
XL_SHEET_HIDDEN = 0
# A grid read in one block is at most this many cells; past it the rows below are not read
# and the clerk is told which (the command line streams such sheets instead).
MAX_READ_CELLS = 2_000_000

Grid = list[list[object]]


def col_letter(index: int) -> str:
    """1 → A, 27 → AA: Excel's own 1-based column numbers, as COM counts them."""
    return column_letter(index - 1)


def clean(value: object) -> object:
    """One COM cell value as the engine expects it.

    COM hands numbers over as floats and error values (#N/A, #DIV/0!) as integers, and dates as
    timezone-aware pywintypes datetimes; the engine wants naive datetimes and no error codes.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return None  # an error value such as #N/A: nothing the clerk entered
    if isinstance(value, dt.datetime):
        return dt.datetime(
            value.year, value.month, value.day, value.hour, value.minute, value.second
        )
    return value


def as_grid(value: object, rows: int, cols: int) -> Grid:
    """``Range.Value`` (a scalar for one cell, tuples of tuples otherwise) as a list grid."""
    if rows == 1 and cols == 1 and not isinstance(value, tuple):
        return [[clean(value)]]
    return [[clean(v) for v in row] for row in value or ()]


class ComBook:
    """One open workbook, through its COM ``Workbook`` object."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self._sheets: dict[str, Any] | None = None

    # ---------------------------------------------------------------- workbook
    @property
    def name(self) -> str:
        return str(self.api.Name)

    @property
    def fullname(self) -> str:
        return str(self.api.FullName)

    @property
    def saved(self) -> bool:
        return bool(self.api.Saved)

    @property
    def structure_protected(self) -> bool:
        return bool(self.api.ProtectStructure)

    def has_name(self, name: str) -> bool:
        """Whether the workbook defines ``name`` (the template's ``基地结论``)."""
        try:
            self.api.Names.Item(name)
        except Exception:
            return False
        return True

    def sheets(self) -> dict[str, Any]:
        """Worksheet objects by name, in workbook order (read once, kept)."""
        if self._sheets is None:
            self._sheets = {str(ws.Name): ws for ws in self.api.Worksheets}
        return self._sheets

    def sheet_names(self) -> list[str]:
        return list(self.sheets())

    # ---------------------------------------------------------------- sheets
    def protected(self, name: str) -> bool:
        return bool(self.sheets()[name].ProtectContents)

    def has_formulas(self, name: str) -> bool:
        """Whether any cell of the sheet holds a formula (``HasFormula`` is None when some do)."""
        return self.sheets()[name].UsedRange.HasFormula is not False

    def extent(self, name: str) -> tuple[int, int]:
        """Rows and columns from A1 to the last cell holding anything (0, 0 for an empty sheet).

        Found with ``Find`` from the end, so formatting down to row 1,048,576 costs nothing.
        """
        cells = self.sheets()[name].Cells
        last_row = cells.Find(
            What="*", LookIn=XL_FORMULAS, SearchOrder=XL_BY_ROWS, SearchDirection=XL_PREVIOUS
        )
        if last_row is None:
            return 0, 0
        last_col = cells.Find(
            What="*", LookIn=XL_FORMULAS, SearchOrder=XL_BY_COLUMNS, SearchDirection=XL_PREVIOUS
        )
        return int(last_row.Row), int(last_col.Column)

    def read(self, name: str, rows: int, cols: int) -> Grid:
        """The values of A1 down to (rows, cols) in one call."""
        if rows < 1 or cols < 1:
            return []
        value = self.sheets()[name].Range(f"A1:{col_letter(cols)}{rows}").Value
        return as_grid(value, rows, cols)

    def add_sheet(self, name: str) -> Any:
        """A new worksheet ``name`` after the last one."""
        sheets = self.api.Worksheets
        ws = sheets.Add(After=sheets.Item(sheets.Count))
        ws.Name = name
        self.sheets()[name] = ws
        return ws

    def write(self, name: str, rows: Sequence[Sequence[object]], *, hidden: bool = False) -> None:
        """Write ``rows`` from A1 into sheet ``name`` (created if missing), in one call."""
        ws = self.sheets().get(name) or self.add_sheet(name)
        width = max((len(r) for r in rows), default=0)
        if rows and width:
            block = tuple(tuple(r) + (None,) * (width - len(r)) for r in rows)
            ws.Range(f"A1:{col_letter(width)}{len(rows)}").Value = block
        if hidden:
            ws.Visible = XL_SHEET_HIDDEN

    def clear_sheet(self, name: str) -> None:
        self.sheets()[name].Cells.Clear()

    def delete_sheet(self, name: str) -> None:
        self.sheets().pop(name).Delete()

    # ---------------------------------------------------------------- fills
    def fills(self, name: str, cells: Iterable[str]) -> dict[str, str | None]:
        """Each cell's fill as ``#RRGGBB`` (None: no fill), asked per union of cells.

        A union whose cells share one fill answers in one go (the common case: data cells have
        none); a mixed union (Excel answers None) is split in halves until each part agrees.
        """
        ws = self.sheets()[name]
        out: dict[str, str | None] = {}
        pending = marks.union_addresses(cells)
        while pending:
            address = pending.pop()
            interior = ws.Range(address).Interior
            index = interior.ColorIndex
            colour = None if index == XL_NONE else interior.Color
            block = marks.cells_of(address)
            if index == XL_NONE or (index is not None and colour is not None):
                fill = None if index == XL_NONE else marks.bgr_to_hex(colour)
                out.update(dict.fromkeys(block, fill))
            elif len(block) == 1:  # cannot be mixed; keep what Excel says
                out[block[0]] = None if colour is None else marks.bgr_to_hex(colour)
            else:
                half = len(block) // 2
                pending.extend(marks.union_addresses(block[:half]))
                pending.extend(marks.union_addresses(block[half:]))
        return out

    def paint(self, name: str, cells: Iterable[str], fill: str | None) -> None:
        """Give ``cells`` the fill ``#RRGGBB`` (None: no fill), one call per union of cells."""
        ws = self.sheets()[name]
        for address in marks.union_addresses(cells):
            interior = ws.Range(address).Interior
            if fill is None:
                interior.ColorIndex = XL_NONE
            else:
                interior.Color = marks.hex_to_bgr(fill)

    # ---------------------------------------------------------------- notes
    def notes(self, name: str) -> dict[str, str]:
        """Every note on the sheet by cell (``D11``): one pass over the sheet's notes."""
        comments = self.sheets()[name].Comments
        out = {}
        for i in range(1, int(comments.Count) + 1):
            note = comments.Item(i)
            out[str(note.Parent.Address).replace("$", "")] = str(note.Text())
        return out

    def note(self, name: str, cell: str) -> str | None:
        note = self.sheets()[name].Range(cell).Comment
        return None if note is None else str(note.Text())

    def revise_note(
        self, name: str, cell: str, decide: Callable[[str | None], tuple[str, str | None]]
    ) -> str:
        """Read a cell's note and delete it or replace its text, on the one Comment object.

        ``decide`` maps the current text (None: no note) to ``("keep" | "delete" | "set",
        new text)``; four calls for a note, two where there is none. Returns the action.
        """
        note = self.sheets()[name].Range(cell).Comment
        action, text = decide(None if note is None else str(note.Text()))
        if note is None or action == "keep":
            return "keep"
        if action == "delete":
            note.Delete()
        elif text is not None:
            first, *rest = marks.pieces(text)
            note.Text(Text=first)
            self._append(note, len(first), rest)
        return action

    def add_note(self, name: str, cell: str, text: str) -> None:
        """A new note (the cell has none): two calls for any note under 255 characters."""
        first, *rest = marks.pieces(text)
        note = self.sheets()[name].Range(cell).AddComment(first)
        self._append(note, len(first), rest)

    def set_note(self, name: str, cell: str, text: str) -> None:
        """Replace the text of the cell's existing note."""
        first, *rest = marks.pieces(text)
        note = self.sheets()[name].Range(cell).Comment
        note.Text(Text=first)
        self._append(note, len(first), rest)

    @staticmethod
    def _append(note: Any, length: int, rest: list[str]) -> None:
        for piece in rest:
            note.Text(Text=piece, Start=length + 1, Overwrite=False)
            length += len(piece)

    def delete_note(self, name: str, cell: str) -> None:
        self.sheets()[name].Range(cell).ClearComments()

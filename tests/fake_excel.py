"""A stand-in for Excel's object model, as far as the ribbon buttons use it, that counts calls.

Real Excel cannot run here, so the buttons' COM code runs against this model instead. It keeps
the state the buttons must give back (values, formulas, fills, notes, sheets, application
settings) and behaves as Excel does where it matters: every property read, write or method
call counts as one round trip; a multi-area range answers ``None`` when its cells differ;
strings written to cells are converted the way Excel converts typed text ("2020" becomes a
number); strings passed to notes are cut at 255 characters; protected sheets and a protected
workbook structure refuse changes with a COM-style error; any write can be made to fail.

A workbook is loaded from a real .xlsx with openpyxl (values, formulas, solid fills, notes,
protection), so tests start from the committed template or a clerk's workbook.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

XL_NONE = -4142
WHITE = 16777215
_ADDR = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")
_ERRORS = {"#NULL!": -2146826288, "#DIV/0!": -2146826281, "#VALUE!": -2146826273,
           "#REF!": -2146826265, "#NAME?": -2146826259, "#NUM!": -2146826252,
           "#N/A": -2146826246}


class ComError(Exception):
    """Shaped like pywintypes.com_error: (hresult, text, excepinfo, argerror)."""

    def __init__(self, text: str, hresult: int = -2147352567) -> None:
        super().__init__(hresult, "发生意外。", (0, "Microsoft Excel", text, None, 0, -2146827284),
                         None)


class Calls:
    """Every round trip, in order."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.writes = 0
        self.fail_at: int | None = None  # the n-th write (1-based) raises

    @property
    def n(self) -> int:
        return len(self.log)

    def write(self, what: str) -> None:
        self.writes += 1
        if self.fail_at is not None and self.writes >= self.fail_at:
            raise ComError(f"写入失败（第 {self.writes} 次）：{what}")


class Com:
    """Counts each access to an Excel-style (capitalised) member as one COM call."""

    _calls: Calls

    def __getattribute__(self, name: str) -> Any:
        if name[:1].isupper():
            object.__getattribute__(self, "_calls").log.append(
                f"{type(self).__name__}.{name}"
            )
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name[:1].isupper():
            self._calls.log.append(f"set {type(self).__name__}.{name}")
        object.__setattr__(self, name, value)


def raw(obj: object, name: str) -> Any:
    """A member read by the model itself, which Excel would not see as a call."""
    return object.__getattribute__(obj, name)


def col_index(col: str) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


def col_letter(index: int) -> str:
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def parse_cell(ref: str) -> tuple[int, int]:
    m = _ADDR.match(ref)
    assert m, ref
    return int(m.group(2)), col_index(m.group(1))


def excel_typed(value: object) -> tuple[object, str | None]:
    """What a cell holds after ``Range.Value = value``: (value, formula)."""
    if isinstance(value, str):
        if value.startswith("="):
            return None, value
        try:
            return float(value), None
        except ValueError:
            return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value), None
    return value, None


class Cell:
    __slots__ = ("fill", "formula", "note", "threaded", "value")

    def __init__(self) -> None:
        self.value: object = None
        self.formula: str | None = None
        self.fill: int | None = None
        self.note: str | None = None
        self.threaded = False

    def empty(self) -> bool:
        return self.value is None and self.formula is None and self.fill is None and not self.note


class FakeApp:
    """What the buttons take from an xlwings App: ``.api`` and ``.alert``."""

    def __init__(self, calls: Calls | None = None) -> None:
        self.calls = calls or Calls()
        self.api = Application(self.calls)
        self.alerts: list[str] = []

    def alert(self, text: str, title: str = "") -> None:
        self.alerts.append(text)


class FakeBook:
    """What the buttons take from an xlwings Book: ``.api`` and ``.app``."""

    def __init__(self, app: FakeApp, api: Workbook) -> None:
        self.app = app
        self.api = api


class Application(Com):
    def __init__(self, calls: Calls) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "books", [])
        object.__setattr__(self, "state", {"ScreenUpdating": True, "EnableEvents": True,
                                           "DisplayAlerts": True, "Calculation": -4105})
        object.__setattr__(self, "ready_after", 0)  # Ready answers False this many times
        object.__setattr__(self, "ActiveProtectedViewWindow", None)
        object.__setattr__(self, "opened", [])

    def __getattr__(self, name: str) -> Any:
        state = object.__getattribute__(self, "state")
        if name in state:
            return state[name]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.state:
            self._calls.log.append(f"set Application.{name}")
            self.state[name] = value
            return
        super().__setattr__(name, value)

    @property
    def Ready(self) -> bool:
        if self.ready_after > 0:
            object.__setattr__(self, "ready_after", self.ready_after - 1)
            return False
        return True

    @property
    def Workbooks(self) -> Workbooks:
        return Workbooks(self._calls, self)

    def Calculate(self) -> None:
        pass


class Workbooks(Com):
    def __init__(self, calls: Calls, app: Application) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "app", app)

    def __iter__(self) -> Iterator[Workbook]:
        return iter(list(self.app.books))

    def Open(self, path: str) -> None:
        self.app.opened.append(path)  # the buttons only open their result for the clerk


class Workbook(Com):
    def __init__(self, calls: Calls, app: Application, name: str, fullname: str) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "app", app)
        object.__setattr__(self, "Name", name)
        object.__setattr__(self, "FullName", fullname)
        object.__setattr__(self, "Saved", True)
        object.__setattr__(self, "ProtectStructure", False)
        object.__setattr__(self, "sheets", [])
        object.__setattr__(self, "names", set())
        app.books.append(self)

    @property
    def Worksheets(self) -> Worksheets:
        return Worksheets(self._calls, self)

    @property
    def Names(self) -> Names:
        return Names(self._calls, self)

    def sheet(self, name: str) -> Worksheet:
        return next(ws for ws in self.sheets if ws.name == name)

    def write(self, what: str) -> None:
        self._calls.write(what)
        object.__setattr__(self, "Saved", False)


class Names(Com):
    def __init__(self, calls: Calls, wb: Workbook) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "wb", wb)

    def Item(self, name: str) -> str:
        if name not in self.wb.names:
            raise ComError("找不到名称")
        return name


class Worksheets(Com):
    def __init__(self, calls: Calls, wb: Workbook) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "wb", wb)

    def __iter__(self) -> Iterator[Worksheet]:
        return iter(list(self.wb.sheets))

    @property
    def Count(self) -> int:
        return len(self.wb.sheets)

    def Item(self, key: int | str) -> Worksheet:
        if isinstance(key, int):
            return self.wb.sheets[key - 1]
        return self.wb.sheet(key)

    def Add(self, After: Worksheet | None = None) -> Worksheet:
        if raw(self.wb, "ProtectStructure"):
            raise ComError("工作簿受保护，不能更改。")
        self.wb.write("Worksheets.Add")
        ws = Worksheet(self._calls, self.wb, f"Sheet{len(self.wb.sheets) + 1}")
        at = self.wb.sheets.index(After) + 1 if After is not None else 0
        self.wb.sheets.insert(at, ws)
        return ws


class Worksheet(Com):
    def __init__(self, calls: Calls, wb: Workbook, name: str) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "wb", wb)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "cells", {})
        object.__setattr__(self, "visible", -1)
        object.__setattr__(self, "ProtectContents", False)

    # -- state helpers (not COM)
    def cell(self, row: int, col: int) -> Cell:
        return self.cells.setdefault((row, col), Cell())

    def guard(self, what: str) -> None:
        if raw(self, "ProtectContents"):
            raise ComError("您试图更改的单元格或图表位于受保护的工作表中。")
        self.wb.write(what)

    # -- COM
    @property
    def Name(self) -> str:
        return self.name

    @Name.setter
    def Name(self, value: str) -> None:
        if raw(self.wb, "ProtectStructure"):
            raise ComError("工作簿受保护，不能更改。")
        if any(ws.name == value for ws in self.wb.sheets):
            raise ComError("该名称已被使用。")
        object.__setattr__(self, "name", value)

    @property
    def Visible(self) -> int:
        return self.visible

    @Visible.setter
    def Visible(self, value: int) -> None:
        if raw(self.wb, "ProtectStructure"):
            raise ComError("工作簿受保护，不能更改。")
        object.__setattr__(self, "visible", value)

    def Range(self, address: str) -> Range:
        areas = []
        for part in address.split(","):
            first, _, last = part.partition(":")
            r1, c1 = parse_cell(first)
            r2, c2 = parse_cell(last or first)
            areas.append((r1, c1, r2, c2))
        return Range(self._calls, self, areas)

    @property
    def Cells(self) -> Range:
        return Range(self._calls, self, [(1, 1, 1048576, 16384)])

    @property
    def UsedRange(self) -> Range:
        used = [k for k, c in self.cells.items() if not c.empty()]
        if not used:
            return Range(self._calls, self, [(1, 1, 1, 1)])
        rows = [r for r, _ in used]
        cols = [c for _, c in used]
        return Range(self._calls, self, [(min(rows), min(cols), max(rows), max(cols))])

    @property
    def Comments(self) -> Comments:
        return Comments(self._calls, self)

    def Delete(self) -> None:
        if raw(self.wb, "ProtectStructure"):
            raise ComError("工作簿受保护，不能更改。")
        self.wb.write("Worksheet.Delete")
        self.wb.sheets.remove(self)


class Range(Com):
    def __init__(self, calls: Calls, ws: Worksheet, areas: list[tuple[int, int, int, int]]) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "areas", areas)

    def cell_keys(self) -> list[tuple[int, int]]:
        return [(r, c) for r1, c1, r2, c2 in self.areas
                for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def present(self) -> list[Cell]:
        """Cells of the range that hold anything (the whole sheet is never materialised)."""
        out = []
        for (r, c), cell in self.ws.cells.items():
            if any(r1 <= r <= r2 and c1 <= c <= c2 for r1, c1, r2, c2 in self.areas):
                out.append(cell)
        return out

    def _size(self) -> int:
        return sum((r2 - r1 + 1) * (c2 - c1 + 1) for r1, c1, r2, c2 in self.areas)

    @property
    def Row(self) -> int:
        return self.areas[0][0]

    @property
    def Column(self) -> int:
        return self.areas[0][1]

    @property
    def Address(self) -> str:
        r, c = self.areas[0][:2]
        return f"${col_letter(c)}${r}"

    @property
    def Value(self) -> object:
        (r1, c1, r2, c2), = self.areas

        def get(r: int, c: int) -> object:
            cell = self.ws.cells.get((r, c))
            if cell is None or cell.value is None:
                return None
            v = cell.value
            if isinstance(v, str) and v in _ERRORS:
                return _ERRORS[v]
            if isinstance(v, int) and not isinstance(v, bool):
                return float(v)
            return v

        if r1 == r2 and c1 == c2:
            return get(r1, c1)
        return tuple(tuple(get(r, c) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1))

    @Value.setter
    def Value(self, value: object) -> None:
        self.ws.guard("Range.Value")
        (r1, c1, r2, c2), = self.areas
        rows = value if isinstance(value, (tuple, list)) else ((value,),)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if r1 + i <= r2 and c1 + j <= c2:
                    cell = self.ws.cell(r1 + i, c1 + j)
                    cell.value, cell.formula = excel_typed(v)

    @property
    def HasFormula(self) -> bool | None:
        cells = self.present()
        with_formula = sum(1 for c in cells if c.formula)
        if with_formula == 0:
            return False
        return True if with_formula == self._size() else None

    @property
    def Interior(self) -> Interior:
        return Interior(self._calls, self)

    @property
    def Comment(self) -> Comment | None:
        r, c = self.areas[0][:2]
        cell = self.ws.cells.get((r, c))
        return Comment(self._calls, self.ws, r, c) if cell is not None and cell.note is not None \
            else None

    def AddComment(self, text: str) -> Comment:
        r, c = self.areas[0][:2]
        cell = self.ws.cell(r, c)
        if cell.note is not None:
            raise ComError("无法添加批注：单元格已有批注。")
        self.ws.guard("Range.AddComment")
        cell.note = text[:255]
        return Comment(self._calls, self.ws, r, c)

    def ClearComments(self) -> None:
        self.ws.guard("Range.ClearComments")
        for cell in self.present():
            cell.note = None
            cell.threaded = False

    def Clear(self) -> None:
        self.ws.guard("Range.Clear")
        inside = {id(cell) for cell in self.present()}
        for key in [k for k, cell in self.ws.cells.items() if id(cell) in inside]:
            del self.ws.cells[key]

    def Find(self, What: str, LookIn: int, SearchOrder: int, SearchDirection: int
             ) -> Range | None:
        keys = [k for k, c in self.ws.cells.items() if c.value is not None or c.formula]
        if not keys:
            return None
        if SearchOrder == 1:  # xlByRows: the last row, then its last column
            r, c = max(keys)
        else:
            r, c = max(keys, key=lambda k: (k[1], k[0]))
        return Range(self._calls, self.ws, [(r, c, r, c)])


class Interior(Com):
    def __init__(self, calls: Calls, rng: Range) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "rng", rng)

    def _fills(self) -> set[int | None]:
        cells = self.rng.ws.cells
        return {cells[k].fill if k in cells else None for k in self.rng.cell_keys()}

    @property
    def ColorIndex(self) -> int | None:
        fills = self._fills()
        if len(fills) > 1:
            return None
        return XL_NONE if fills == {None} else 6

    @ColorIndex.setter
    def ColorIndex(self, value: int) -> None:
        assert value == XL_NONE
        self.rng.ws.guard("Interior.ColorIndex")
        for r, c in self.rng.cell_keys():
            self.rng.ws.cell(r, c).fill = None

    @property
    def Color(self) -> int | None:
        shown = {WHITE if f is None else f for f in self._fills()}
        return shown.pop() if len(shown) == 1 else None

    @Color.setter
    def Color(self, value: int) -> None:
        self.rng.ws.guard("Interior.Color")
        for r, c in self.rng.cell_keys():
            self.rng.ws.cell(r, c).fill = value


class Comments(Com):
    def __init__(self, calls: Calls, ws: Worksheet) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "ws", ws)

    def _keys(self) -> list[tuple[int, int]]:
        return sorted(k for k, c in self.ws.cells.items() if c.note is not None)

    @property
    def Count(self) -> int:
        return len(self._keys())

    def Item(self, i: int) -> Comment:
        r, c = self._keys()[i - 1]
        return Comment(self._calls, self.ws, r, c)


class Comment(Com):
    def __init__(self, calls: Calls, ws: Worksheet, row: int, col: int) -> None:
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "key", (row, col))

    @property
    def Parent(self) -> Range:
        r, c = self.key
        return Range(self._calls, self.ws, [(r, c, r, c)])

    def Text(self, Text: str | None = None, Start: int | None = None,
             Overwrite: bool = False) -> str:
        cell = self.ws.cells[self.key]
        if Text is None:
            return cell.note or ""
        if cell.threaded:
            raise ComError("不能编辑会话式批注。")
        self.ws.guard("Comment.Text")
        piece = Text[:255]
        if Start is None:
            cell.note = piece
        else:
            old = cell.note or ""
            at = Start - 1
            cell.note = old[:at] + piece + old[at + (len(piece) if Overwrite else 0):]
        return cell.note

    def Delete(self) -> None:
        self.ws.guard("Comment.Delete")
        self.ws.cells[self.key].note = None


# ---------------------------------------------------------------------- loading and comparing


def _argb_to_bgr(argb: str) -> int:
    r, g, b = int(argb[2:4], 16), int(argb[4:6], 16), int(argb[6:8], 16)
    return r | (g << 8) | (b << 16)


@functools.lru_cache(maxsize=64)
def _parse(path: Path, mtime: float) -> tuple[bool, frozenset[str], list[tuple[Any, ...]]]:
    """The file's workbook and cells as plain data, read once per file version."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    structure = bool(formulas.security and formulas.security.lockStructure)
    sheets = []
    for ws_f in formulas.worksheets:
        ws_v = values[ws_f.title]
        cells = {}
        for src in list(ws_f._cells.values()):  # only the cells stored, not the whole rectangle
            value, formula, fill, note = src.value, None, None, None
            if isinstance(value, str) and value.startswith("="):
                formula, value = value, ws_v[src.coordinate].value
            f = src.fill
            if f is not None and f.fill_type == "solid" and isinstance(f.fgColor.rgb, str):
                fill = _argb_to_bgr(f.fgColor.rgb)
            if src.comment is not None:
                note = src.comment.text
            if value is not None or formula or fill is not None or note is not None:
                cells[(src.row, src.column)] = (value, formula, fill, note)
        sheets.append((ws_f.title, bool(ws_f.protection.sheet), ws_f.sheet_state, cells))
    return structure, frozenset(formulas.defined_names.keys()), sheets


def load(path: Path, app: Application | None = None, *, fullname: str | None = None) -> Workbook:
    """A workbook as Excel would open it: values (cached results), formulas, fills, notes."""
    app = app or FakeApp().api
    structure, names, sheets = _parse(path, path.stat().st_mtime)
    wb = Workbook(raw(app, "_calls"), app, path.name, fullname or str(path))
    object.__setattr__(wb, "ProtectStructure", structure)
    wb.names.update(names)
    for title, protected, state, cells in sheets:
        ws = Worksheet(raw(app, "_calls"), wb, title)
        object.__setattr__(ws, "ProtectContents", protected)
        if state != "visible":
            object.__setattr__(ws, "visible", 0)
        wb.sheets.append(ws)
        for key, (value, formula, fill, note) in cells.items():
            cell = ws.cells[key] = Cell()
            cell.value, cell.formula, cell.fill, cell.note = value, formula, fill, note
    return wb


def open_book(path: Path, *, fullname: str | None = None) -> FakeBook:
    """``path`` opened in a fresh fake Excel, as the xlwings Book a button receives."""
    app = FakeApp()
    return FakeBook(app, load(path, app.api, fullname=fullname))


def snapshot(wb: Workbook) -> dict[str, Any]:
    """Everything a clerk could see, cell by cell: sheets, values, formulas, fills, notes."""
    out: dict[str, Any] = {"sheets": [(ws.name, ws.visible) for ws in wb.sheets]}
    for ws in wb.sheets:
        for (r, c), cell in ws.cells.items():
            if not cell.empty():
                out[f"{ws.name}!{col_letter(c)}{r}"] = (cell.value, cell.formula, cell.fill,
                                                        cell.note)
    return out

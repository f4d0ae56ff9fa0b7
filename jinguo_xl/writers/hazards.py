"""Formula hazards that only Excel and WPS would show, found by reading the formulas.

LibreOffice, the spreadsheet engine the tests can run, evaluates ``INDEX(range, n)`` lazily
and treats ``ROW()`` as a number everywhere, so a template can recalculate perfectly there and
still fail in Excel. This module reads a workbook's formulas and defined names the way Excel
builds its dependency tree and reports three hazards:

* **Circular references.** Excel makes *every* cell of a referenced range a precedent of the
  formula, whatever INDEX or IF would pick at run time. A formula whose range takes in a cell
  that depends on the formula itself is a loop: Excel warns on opening and stops calculating it.
* **ROW() or COLUMN() without an argument inside an array-evaluating function** (SUMPRODUCT,
  MMULT, …, or an array formula). There Excel returns a one-element array, and functions such as
  INDEX that expect a number give ``#VALUE!``.
* **Criteria taken from cell text** in COUNTIF(S), SUMIF(S), AVERAGEIF(S) and the lookup value of
  MATCH / VLOOKUP / HLOOKUP. Excel gives ``#VALUE!`` for a criterion longer than 255 characters,
  and a clerk's cell can be any length.

The template's tests run :func:`scan` over a generated template; ``addin/windows_check.py``
confirms on a real Excel what this can only predict.
"""

from __future__ import annotations

import bisect
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

MAX_ROW, MAX_COL = 1048576, 16384
# Functions that evaluate their arguments as arrays in an ordinary (not Ctrl+Shift+Enter) cell.
ARRAY_FUNCTIONS = frozenset(
    {"SUMPRODUCT", "MMULT", "FREQUENCY", "TRANSPOSE", "SUMX2MY2", "SUMX2PY2", "SUMXMY2",
     "TREND", "GROWTH", "LINEST", "LOGEST"}
)
# Function → which arguments (1-based) are criteria or lookup values limited to 255 characters.
_ODD_FROM_3 = "odd≥3"
_EVEN = "even"
CRITERIA_ARGS: dict[str, object] = {
    "COUNTIF": {2},
    "SUMIF": {2},
    "AVERAGEIF": {2},
    "COUNTIFS": _EVEN,
    "SUMIFS": _ODD_FROM_3,
    "AVERAGEIFS": _ODD_FROM_3,
    "MATCH": {1},
    "VLOOKUP": {1},
    "HLOOKUP": {1},
}

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
Node = tuple[str, str, int, int]  # ("cell", sheet, column, row) or ("name", scope, name, 0)


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle of cells on one sheet, as a formula refers to it."""

    sheet: str
    c1: int
    r1: int
    c2: int
    r2: int


@dataclass
class Formula:
    """One formula (of a cell or a defined name) and what it refers to."""

    node: Node
    text: str
    areas: list[Area] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@dataclass
class Hazards:
    """What :func:`scan` found; every list holds readable places (``'计算'!B7``)."""

    formulas: int
    cycles: list[list[str]]
    row_in_array: list[str]
    cell_criteria: list[str]

    @property
    def ok(self) -> bool:
        return not (self.cycles or self.row_in_array or self.cell_criteria)

    def summary(self) -> str:
        return (
            f"{self.formulas} formulas: {len(self.cycles)} cycles "
            f"({sum(len(c) for c in self.cycles)} cells on them), "
            f"{len(self.row_in_array)} ROW()/COLUMN() in array functions, "
            f"{len(self.cell_criteria)} criteria taken from cells "
            f"({sum('built with &' in c for c in self.cell_criteria)} built with &)"
        )


def place(node: Node) -> str:
    kind, sheet, col, row = node
    if kind == "name":
        return f"{sheet}!{col}" if sheet else str(col)
    return f"{quote_sheetname(sheet)}!{get_column_letter(col)}{row}"


def _area(text: str, sheet: str) -> Area | None:
    """The area of a reference operand, or None when it is a defined name."""
    if "!" in text:
        sheet_part, text = text.rsplit("!", 1)
        if sheet_part.startswith("'") and sheet_part.endswith("'"):
            sheet_part = sheet_part[1:-1].replace("''", "'")
        sheet = sheet_part
    try:
        c1, r1, c2, r2 = range_boundaries(text.replace("$", ""))
    except (ValueError, TypeError):
        return None
    return Area(sheet, c1 or 1, r1 or 1, c2 or MAX_COL, r2 or MAX_ROW)


def _criteria_arg(function: str, index: int) -> bool:
    spec = CRITERIA_ARGS.get(function)
    if spec == _EVEN:
        return index % 2 == 0
    if spec == _ODD_FROM_3:
        return index >= 3 and index % 2 == 1
    return isinstance(spec, set) and index in spec


@dataclass
class _Frame:
    kind: str  # "FUNC", "PAREN", "ARRAY"
    name: str = ""
    index: int = 1
    refs: int = 0
    joins: int = 0  # & operators in the current argument


def parse(node: Node, text: str, sheet: str, *, array: bool = False) -> tuple[
    Formula, list[str], list[str]
]:
    """The references of one formula, and its hazards of the second and third kind.

    ``sheet`` resolves references without a sheet name; ``array`` says the formula is an
    array formula, where every part is evaluated as an array."""
    formula = Formula(node, text)
    row_hazards: list[str] = []
    criteria_hazards: list[str] = []
    stack: list[_Frame] = []
    items = Tokenizer(text if text.startswith("=") else "=" + text).items
    for i, tok in enumerate(items):
        if tok.type == Token.OPERAND and tok.subtype == Token.RANGE:
            area = _area(tok.value, sheet)
            if area is None:
                formula.names.append(tok.value)
            else:
                formula.areas.append(area)
            for frame in stack:
                frame.refs += 1
        elif tok.type == Token.OP_IN and tok.value == "&":
            for frame in stack:
                frame.joins += 1
        elif tok.type == Token.FUNC and tok.subtype == Token.OPEN:
            name = tok.value.lstrip(":").rstrip("(").upper().removeprefix("_XLFN.")
            if name in ("ROW", "COLUMN"):
                bare = i + 1 < len(items) and items[i + 1].type == Token.FUNC
                inside = array or any(f.name in ARRAY_FUNCTIONS for f in stack)
                if bare and inside:
                    row_hazards.append(f"{place(node)}: {name}() inside an array evaluation")
            stack.append(_Frame("FUNC", name))
        elif tok.type == Token.PAREN and tok.subtype == Token.OPEN:
            stack.append(_Frame("PAREN"))
        elif tok.type == Token.ARRAY and tok.subtype == Token.OPEN:
            stack.append(_Frame("ARRAY"))
        elif tok.subtype == Token.CLOSE or (tok.type == Token.SEP and tok.subtype == Token.ARG):
            # Close the argument of the innermost function (not of a parenthesis or array).
            frame = stack[-1] if stack else None
            if frame is not None and frame.kind == "FUNC":
                if frame.refs and _criteria_arg(frame.name, frame.index):
                    how = "built with & from cells" if frame.joins else "taken from a cell"
                    criteria_hazards.append(
                        f"{place(node)}: {frame.name} argument {frame.index} {how}"
                    )
                frame.index += 1
                frame.refs = frame.joins = 0
            if tok.subtype == Token.CLOSE and stack:
                stack.pop()
    return formula, row_hazards, criteria_hazards


class _Index:
    """Where the formula cells are, to find the ones inside a referenced area quickly."""

    def __init__(self, nodes: list[Node]) -> None:
        rows: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for _, sheet, col, row in nodes:
            rows[sheet][col].append(row)
        self.rows = {s: {c: sorted(r) for c, r in cols.items()} for s, cols in rows.items()}
        self.cols = {s: sorted(cols) for s, cols in self.rows.items()}

    def inside(self, area: Area) -> list[Node]:
        out: list[Node] = []
        cols = self.cols.get(area.sheet, [])
        for col in cols[bisect.bisect_left(cols, area.c1) : bisect.bisect_right(cols, area.c2)]:
            rows = self.rows[area.sheet][col]
            lo, hi = bisect.bisect_left(rows, area.r1), bisect.bisect_right(rows, area.r2)
            out.extend(("cell", area.sheet, col, r) for r in rows[lo:hi])
        return out


def _cycles(graph: dict[Node, list[Node]]) -> list[list[Node]]:
    """Strongly connected components with a loop (Tarjan's algorithm, without recursion)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    found: list[list[Node]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, pos = work.pop()
            if pos == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph.get(node, [])
            recurse = False
            while pos < len(succ):
                nxt = succ[pos]
                pos += 1
                if nxt not in index:
                    work.append((node, pos))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def defined_names(path: Path) -> list[tuple[str, str, str]]:
    """(sheet or "", name, formula) of every defined name, read from the package itself:
    openpyxl drops a print area it cannot parse, and Excel would still calculate it."""
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    sheets = [s.get("name", "") for s in root.iter(f"{_MAIN}sheet")]
    out = []
    for dn in root.iter(f"{_MAIN}definedName"):
        local = dn.get("localSheetId")
        scope = sheets[int(local)] if local is not None else ""
        out.append((scope, dn.get("name", "").removeprefix("_xlnm."), dn.text or ""))
    return out


def scan(path: Path | str) -> Hazards:
    """Every hazard of the workbook at ``path`` (.xlsx or .xlsm)."""
    path = Path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the print areas openpyxl cannot keep
        wb = load_workbook(path)
    parsed: list[Formula] = []
    row_hazards: list[str] = []
    criteria_hazards: list[str] = []

    def add(node: Node, text: str, sheet: str, array: bool = False) -> None:
        formula, rows, criteria = parse(node, text, sheet, array=array)
        parsed.append(formula)
        row_hazards.extend(rows)
        criteria_hazards.extend(criteria)

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    add(("cell", ws.title, cell.column, cell.row), value.text, ws.title, True)
                elif isinstance(value, str) and value.startswith("="):
                    add(("cell", ws.title, cell.column, cell.row), value, ws.title)
    for scope, name, text in defined_names(path):
        add(("name", scope, name, 0), text, scope)

    cells = _Index([f.node for f in parsed if f.node[0] == "cell"])
    names = {f.node[1:3]: f.node for f in parsed if f.node[0] == "name"}
    graph: dict[Node, list[Node]] = {}
    for f in parsed:
        precedents: list[Node] = []
        for area in f.areas:
            precedents.extend(cells.inside(area))
        scope = f.node[1]
        for name in f.names:
            target = names.get((scope, name)) or names.get(("", name))
            if target is not None:
                precedents.append(target)
        graph[f.node] = precedents
    cycles = [sorted(place(n) for n in c) for c in _cycles(graph)]
    return Hazards(len(parsed), sorted(cycles), row_hazards, criteria_hazards)

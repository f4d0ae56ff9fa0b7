"""The one entry point from a file to a :class:`Ledger`: ``read_workbook(path)``.

Files arrive from dozens of offices. Before any parser sees a file we look at its first bytes,
so that an encrypted workbook, a renamed CSV or web page, an old .xls and a truncated download
each get a sentence the clerk can act on instead of a library's traceback. Cells are read with
python-calamine (values only: macros never run, formulas give their cached results) into
:class:`Sheet` objects (``read_sheets(path)``), which hold plain values only: the library's
workbook is closed before they are handed out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError

from jinguo_xl.errors import (
    PASSWORD_PROTECTED,
    READ_CRASHED,
    READ_MEMORY,
    UnreadableWorkbook,
)
from jinguo_xl.read.extent import PackageScan, scan_package
from jinguo_xl.read.formats import not_a_workbook
from jinguo_xl.read.grid import Grid, parse_grids
from jinguo_xl.read.kinds import template_work_sheets
from jinguo_xl.read.ledger import Ledger
from jinguo_xl.read.legacy import OLE_MAGIC, BrokenContainer, Encryption, legacy_encryption
from jinguo_xl.read.package import MAX_FILE_BYTES, as_transitional, open_package
from jinguo_xl.rules import Rules, load_rules

# Read by content (the first bytes decide), so an extension only says a file is worth opening:
# Excel's workbooks and templates, the binary .xlsb, OpenDocument .ods, and WPS's .et/.ett
# (which WPS writes in the legacy compound format or as a zip package).
WORKBOOK_SUFFIXES = (
    ".xlsx", ".xlsm", ".xls", ".xltx", ".xltm", ".xlt", ".xlsb", ".ods", ".et", ".ett",
)
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_COUNTY_FOLDER = re.compile(r"^.{1,12}(?:县|区|自治县)$")
# Excel encrypts some protected .xls files with its built-in password and opens them without
# asking: there is no password for the clerk to remove, but saving as .xlsx drops the
# encryption.
DEFAULT_ENCRYPTED = (
    "工作簿被 Excel 用内置密码加密（通常因为设了工作簿或工作表保护），无法直接读取；请用 Excel "
    "或 WPS 打开（不需要输入密码）后另存为 .xlsx 再提交"
)
DAMAGED = (
    "文件无法作为 Excel 工作簿读取（文件已损坏或格式不受支持），请用 Excel 或 WPS 打开后"
    "另存为 .xlsx 再提交"
)


def _sniff(path: Path) -> str:
    """Say what the file really is: 'zip', 'ole', or raise with the reason in Chinese."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise UnreadableWorkbook("文件不存在") from None
    except OSError as exc:
        raise UnreadableWorkbook(f"无法打开文件（{exc.strerror or exc}）") from None
    if not head:
        raise UnreadableWorkbook("文件是空的（0 字节），请重新保存后提交")
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    lowered = head.lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        raise UnreadableWorkbook(
            "这是网页（HTML/XML）文件改了扩展名，不是 Excel 工作簿。请用 Excel 或 WPS 打开后"
            "“另存为 Excel 工作簿（.xlsx）”再提交"
        )
    if _looks_like_text(head):
        raise UnreadableWorkbook(
            "这是文本（CSV）文件改了扩展名，不是 Excel 工作簿。请用 Excel 或 WPS 打开后"
            "“另存为 Excel 工作簿（.xlsx）”再提交"
        )
    raise UnreadableWorkbook("文件不是 Excel 工作簿或已损坏，请重新保存为 .xlsx 后提交")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * len(text)
    return False


def _read_bytes(path: Path) -> bytes:
    """The whole file, refused unread when it is far larger than any 统计表."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableWorkbook(
                f"文件有 {size // (1024 * 1024)} MB，远大于任何统计表，请只提交统计表本身"
            )
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableWorkbook(f"无法打开文件（{exc.strerror or exc}）") from None


def _check_ole(data: bytes) -> None:
    """An encrypted .xlsx (its package inside an OLE file with an EncryptionInfo stream) or an
    encrypted .xls (FILEPASS at the start of its workbook stream) is refused with the password
    sentence; an OLE file broken on the way to that stream is refused as damaged, before the
    cell reader can loop over its sector chains."""
    if _ENCRYPTION_STREAM in data:
        raise UnreadableWorkbook(PASSWORD_PROTECTED)
    try:
        encryption = legacy_encryption(data)
    except BrokenContainer:
        raise UnreadableWorkbook(DAMAGED) from None
    if encryption is Encryption.PASSWORD:
        raise UnreadableWorkbook(PASSWORD_PROTECTED)
    if encryption is Encryption.DEFAULT:
        raise UnreadableWorkbook(DEFAULT_ENCRYPTED)


def _folder_text(name: str) -> str:
    """A folder name as text: one copied from a Windows share may arrive as GBK bytes that are
    not UTF-8 (surrogate escapes in Python); those are read as GB18030, so ``城口县`` still
    names its county."""
    if not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def folder_county(path: Path, rules: Rules) -> str | None:
    """County named by the nearest parent folder (``城口县/``, ``酉阳/``), else None."""
    for parent in path.parents:
        name = _folder_text(parent.name).strip()
        if not name:
            continue
        official = rules.resolve_county(name)
        if official:
            return official
        if _COUNTY_FOLDER.match(name):
            return name
    return None


Cell = tuple[int, int]
# Merges larger than this are layout (a title across the page), never one value per row.
MAX_MERGE_CELLS = 5_000


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as the file holds it, in plain Python values.

    The table finder needs the values and two facts the fast reader hides (merges, formulas
    that were never calculated); nothing of the library that read the file is kept, and that
    library's workbook is closed before the sheet is handed out.
    """

    name: str
    grid: Grid  # rows of cell values anchored at A1 (a streamed sheet's empty rows are ``()``)
    # 0-based (row, col) of every merged cell except the first → (first row, first column,
    # last row) of its merge
    merged: Mapping[Cell, tuple[int, int, int]] = field(default_factory=dict)
    uncached: frozenset[Cell] = frozenset()  # 0-based cells of formulas without a result
    # Read row by row (openpyxl) because its values lie far apart; merges are not read then.
    streamed: bool = False
    visibility: str = "visible"  # "hidden" or "veryhidden" for a sheet Excel does not show
    hidden_rows: frozenset[int] = frozenset()  # 0-based rows hidden by hand or by a filter
    # The template's verdict cells holding a typed value instead of their formula → their name
    typed_over: Mapping[Cell, str] = field(default_factory=dict)


def _merged_cells(ranges: object) -> dict[Cell, tuple[int, int, int]]:
    """0-based (row, col) of every merged cell except the first → (first row, first column,
    last row) of its merge."""
    out: dict[Cell, tuple[int, int, int]] = {}
    for (r0, c0), (r1, c1) in ranges or ():  # type: ignore[attr-defined]
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGE_CELLS:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = (r0, c0, r1)
    return out


class SheetNamesMatched(Exception):
    """Raised by :func:`read_sheets` when ``stop_at`` accepts the workbook's sheet names: the
    caller wanted to know before any cell is read (a master is read another way)."""


def read_sheets(
    path: Path | str, *, stop_at: Callable[[Sequence[str]], bool] | None = None
) -> tuple[Sheet, ...]:
    """Every sheet of the workbook at ``path`` (hidden ones too), in the workbook's order.

    The package is checked (encryption, bombs by real unpacked bytes, markup declarations)
    before the cell reader sees it; each sheet's XML is then scanned once for what the fast
    reader cannot tell us and whether a sheet is too sparse for it. The file is read into
    memory once and parsed from there, so a name that is not valid UTF-8 (a folder copied from
    a Windows share) reads like any other. Raises :class:`UnreadableWorkbook` only.
    """
    path = Path(path)
    kind = _sniff(path)
    data = _read_bytes(path)
    scan = PackageScan()
    strict = False
    if kind == "zip":
        package = open_package(data)
        scan = scan_package(package)
        strict = package.strict
    else:
        _check_ole(data)
    try:
        return _read_cells(data, scan, strict=strict, stop_at=stop_at)
    except (UnreadableWorkbook, SheetNamesMatched):
        raise
    except MemoryError:
        raise UnreadableWorkbook(READ_MEMORY) from None
    except PasswordError:
        raise UnreadableWorkbook(PASSWORD_PROTECTED) from None
    except Exception:
        # The library boundary: calamine's own errors (CalamineError: XmlError, ZipError,
        # WorksheetNotFound …) and whatever openpyxl raises on a sheet it streams all mean
        # the same to the clerk.
        raise UnreadableWorkbook(DAMAGED) from None
    except BaseException as exc:
        # A panic inside the Rust reader (pyo3's PanicException) derives from BaseException;
        # interrupts and exits still go through.
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise UnreadableWorkbook(READ_CRASHED) from None


def _visibility(metadata: object) -> str:
    """calamine's SheetVisibleEnum as "visible", "hidden" or "veryhidden"."""
    return str(getattr(metadata, "visible", "Visible")).rsplit(".", 1)[-1].lower()


def _read_cells(
    data: bytes,
    scan: PackageScan,
    *,
    strict: bool,
    stop_at: Callable[[Sequence[str]], bool] | None = None,
) -> tuple[Sheet, ...]:
    """The sheets' values: calamine for each sheet, openpyxl for the sparse ones; calamine's
    workbook is closed on the way out, whatever happens. Chart sheets hold no cells and are
    passed over."""
    sheets: list[Sheet] = []
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        if stop_at is not None and stop_at(book.sheet_names):
            raise SheetNamesMatched
        shown = {m.name: _visibility(m) for m in book.sheets_metadata}
        for name in book.sheet_names:
            formulas = frozenset(scan.uncached.get(name, ()))
            facts = {
                "visibility": shown.get(name, "visible"),
                "hidden_rows": frozenset(scan.hidden.get(name, ())),
                "typed_over": scan.typed_over.get(name, {}),
            }
            if name in scan.sparse:
                grid = _stream_grid(data, name, scan.sparse[name], strict=strict)
                sheets.append(Sheet(name, grid, uncached=formulas, streamed=True, **facts))
                continue
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = _merged_cells(sheet.merged_cell_ranges)
            sheets.append(Sheet(name, grid, merged, formulas, **facts))
    return tuple(sheets)


def load_grids(path: Path | str) -> list[tuple[str, Grid]]:
    """Every sheet (hidden ones too) as (name, grid of values anchored at A1)."""
    return [(sheet.name, sheet.grid) for sheet in read_sheets(path)]


def _as_calamine(value: object) -> object:
    """openpyxl's cell value as calamine gives it: a date without a time is a ``date``."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _stream_grid(
    data: bytes, name: str, width: int, *, strict: bool = False
) -> list[Sequence[object]]:
    """One sheet read row by row (openpyxl, read-only, values only), for the rare sheet with
    values far apart. Empty rows share one empty tuple, so a stray value a million rows down
    costs a pointer per row rather than a row of cells; row numbers stay as in Excel. openpyxl
    knows only the transitional namespaces, so a Strict package is handed over rewritten."""
    import openpyxl

    source = io.BytesIO(as_transitional(data) if strict else data)
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        grid: list[Sequence[object]] = []
        blank: object = None  # openpyxl yields one shared tuple for every missing row
        sheet = book[name]
        sheet.reset_dimensions()  # the recorded range can understate the sheet: read it all
        for row in sheet.iter_rows(max_col=width, values_only=True):
            if row is blank:
                grid.append(())
            elif any(v is not None for v in row):
                grid.append([_as_calamine(v) for v in row])
            else:
                blank = row
                grid.append(())
        return grid
    finally:
        book.close()


def read_workbook(
    path: Path | str,
    *,
    rules: Rules | None = None,
    display: str | None = None,
    stop_at: Callable[[Sequence[str]], bool] | None = None,
) -> Ledger:
    """Read one workbook into a ledger. Raises :class:`UnreadableWorkbook` (and, when
    ``stop_at`` accepts the sheet names, :class:`SheetNamesMatched` before any cell is read)."""
    path = Path(path)
    rules = rules or load_rules()
    ledger = Ledger(file=display or str(path), path=path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnreadableWorkbook(not_a_workbook(path, WORKBOOK_SUFFIXES))
    sheets = read_sheets(path, stop_at=stop_at)
    ledger.uncached = {s.name: set(s.uncached) for s in sheets if s.uncached}
    ledger.merged = {s.name: dict(s.merged) for s in sheets if s.merged}
    ledger.hidden_sheets = {s.name: s.visibility for s in sheets if s.visibility != "visible"}
    ledger.hidden_rows = {s.name: set(s.hidden_rows) for s in sheets if s.hidden_rows}
    ledger.typed_over = {s.name: dict(s.typed_over) for s in sheets if s.typed_over}
    # Before the sheets are parsed: the ledgers of a workbook of several bases take it over.
    ledger.folder_county = folder_county(path.resolve().parent / path.name, rules)
    working = template_work_sheets(s.name for s in sheets)
    parse_grids([(s.name, s.grid) for s in sheets if s.name not in working], rules, ledger=ledger)
    ledger.sheets = tuple(s.name for s in sheets)  # every sheet: the kind of file tells by them
    return ledger


def read_grids(
    sheets: Sequence[tuple[str, Grid]], *, rules: Rules | None = None, file: str = ""
) -> Ledger:
    """The same reading for grids already in memory (the open workbook, through xlwings)."""
    return parse_grids(sheets, rules or load_rules(), file=file)

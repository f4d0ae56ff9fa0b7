"""The master's long tables written as sheet XML rows, spliced into the package xlsxwriter made.

A municipal master holds millions of cells (200 000 women × 22 columns). xlsxwriter spends about
5 µs on each one (a dimension check, a cell object, attribute lists, escaping), which made the
write three quarters of a consolidation. The rows of the long tables are plain values with
two or three formats, so this module writes them as the same XML xlsxwriter itself writes in
its constant-memory mode (inline strings, its own escaping of control characters, numbers as
``%.16G``, dates as serial numbers with the date format) into a temporary file, and after the
workbook is closed puts them into the sheet after the header row xlsxwriter wrote. Everything
else (formats, widths, filters, frozen panes, print setup, charts) is still xlsxwriter's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

STRING_MAX = 32767  # Excel's limit on one cell's text, as xlsxwriter truncates it
SPLICED_LEVEL = 3
_TAILS_KEPT = 200_000  # cell tails remembered per table (a column's repeated values)
_EPOCH = dt.date(1899, 12, 31)
_XML_SPECIAL = re.compile(r"[&<>]")
# xlsxwriter's escaping of text for inline strings (xmlwriter.py, 3.x): an existing "_xHHHH_"
# gets its underscore escaped, then control characters become "_xHHHH_". Kept here rather than
# imported from xlsxwriter's internals; tests/test_bulk.py compares the two writers cell by cell.
_ESCAPE_LOOKALIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL_CHARS = re.compile(r"([\x00-\x08\x0b-\x1f])")


def _text_xml(text: str) -> str:
    """One string as xlsxwriter writes it inline: control characters as ``_xHHHH_``."""
    if len(text) > STRING_MAX:
        text = text[:STRING_MAX]
    if "_x" in text:
        text = _ESCAPE_LOOKALIKE.sub(r"_x005F\1", text)
    text = _CONTROL_CHARS.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    if _XML_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def finite(value: float | Decimal) -> bool:
    try:
        return math.isfinite(value)
    except (ValueError, TypeError):  # Decimal('sNaN') and the like: written as text
        return False


@dataclass
class BulkSheet:
    """Rows for one sheet, waiting in a temporary file for the package to be closed."""

    index: int  # the worksheet's position: its part is xl/worksheets/sheet{index+1}.xml
    path: Path
    last_row: int  # 0-based
    columns: int


class BulkRows:
    """Writes rows of plain values as ``<row>`` XML; formats are xlsxwriter Format objects."""

    def __init__(
        self,
        folder: Path,
        prefix: str,
        *,
        date_format: Any,
        money_format: Any,
        plain_format: Any = None,
    ) -> None:
        # ``prefix`` is the master's own temporary prefix (".汇总.~<pid>."; writers.atomic), so a
        # run killed outright leaves nothing the next write of that master does not remove, and
        # a run writing the same master at the same time leaves these files alone.
        self.folder = folder
        self.prefix = prefix
        self.date_xf = date_format._get_xf_index()
        self.money_xf = money_format._get_xf_index()
        # a column's plain format gives way to the date and money formats, as in the master's
        # own cell writer
        self.plain_xf = plain_format._get_xf_index() if plain_format is not None else None
        self.sheets: list[BulkSheet] = []

    def write(
        self,
        sheet_index: int,
        first_row: int,
        rows: Iterable[Sequence[object]],
        columns: int,
        formats: dict[int, Any],
        height: Callable[[Sequence[object]], float | None] | None = None,
    ) -> int:
        """Write ``rows`` from 0-based ``first_row``; returns the last row written.

        ``height(row)`` gives a row its height in points (wrapped text: LibreOffice and WPS
        do not fit row heights when they open a file), None for the default."""
        names = [xl_col_to_name(c) for c in range(columns)]
        styles = {c: f._get_xf_index() for c, f in formats.items()}
        self._tails: dict[tuple[int, type, object], str] = {}
        fd, tmp = tempfile.mkstemp(prefix=f"{self.prefix}rows.", suffix=".xlsx", dir=self.folder)
        path = Path(tmp)
        r = first_row - 1
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
                for r, row in enumerate(rows, start=first_row):
                    ht = height(row) if height else None
                    out.write(self._row(r + 1, row, names, styles, ht))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.sheets.append(BulkSheet(sheet_index, path, max(r, first_row - 1), columns))
        return r

    def _row(
        self,
        number: int,
        row: Sequence[object],
        names: list[str],
        styles: dict[int, int],
        height: float | None = None,
    ) -> str:
        # As xlsxwriter's set_row writes it: whole pixels in points, customHeight so it is kept.
        ht = f' ht="{int(height * 4 / 3 + 0.5) * 0.75:g}" customHeight="1"' if height else ""
        parts = [f'<row r="{number}"{ht}>']
        tails = self._tails
        for c, value in enumerate(row):
            # A column repeats its values (区县, 妇女类型, 培训内容, 是/否, file names): the XML
            # after a cell's address is made once per column and value.
            key = (c, value.__class__, value)
            try:
                tail = tails.get(key)
            except TypeError:  # an unhashable value: made each time
                tail = None
            if tail is None:
                tail = self._tail(value, styles.get(c)) or ""  # "": a blank left out
                if len(tails) < _TAILS_KEPT:
                    with contextlib.suppress(TypeError):
                        tails[key] = tail
            if tail:
                parts.append(f'<c r="{names[c]}{number}"{tail}')
        parts.append("</row>")
        return "".join(parts)

    def _tail(self, value: object, xf: int | None) -> str | None:
        """A cell's XML after its address (``' s="3" t="inlineStr"><is>…</is></c>'``), or
        None for a blank left out."""
        if value is None or value == "":
            # a formatted blank, as xlsxwriter's write_blank leaves it; a blank in the
            # column's plain (alignment-only) format shows nothing and is left out
            if xf is not None and xf != self.plain_xf:
                return f' s="{xf}"/>'
            return None
        if isinstance(value, bool):
            body, kind = _text_xml("是" if value else "否"), "inlineStr"
        elif isinstance(value, (int, float, Decimal)) and finite(value):
            if isinstance(value, Decimal) and xf in (None, self.plain_xf):
                xf = self.money_xf
            body, kind = f"<v>{float(value):.16G}</v>", ""
        elif isinstance(value, (dt.date, dt.datetime)):
            serial = (dt.date(value.year, value.month, value.day) - _EPOCH).days
            serial += serial > 59  # Excel counts 1900-02-29, as xlsxwriter does
            xf = self.date_xf if xf in (None, self.plain_xf) else xf
            body, kind = f"<v>{serial}</v>", ""
        else:
            body, kind = _text_xml(str(value)), "inlineStr"
        style = f' s="{xf}"' if xf is not None else ""
        typ = f' t="{kind}"' if kind else ""
        return f"{style}{typ}>{body}</c>"

    def splice(self, package: Path) -> None:
        """Put each sheet's rows after the rows xlsxwriter wrote, and widen its dimension."""
        if not self.sheets:
            return
        by_part = {f"xl/worksheets/sheet{s.index + 1}.xml": s for s in self.sheets}
        fd, tmp = tempfile.mkstemp(
            prefix=f"{self.prefix}splice.", suffix=".xlsx", dir=package.parent
        )
        os.close(fd)
        try:
            with zipfile.ZipFile(package) as src, zipfile.ZipFile(
                tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True
            ) as dst:
                for info in src.infolist():
                    data = src.read(info)
                    sheet = by_part.get(info.filename)
                    if sheet is None:
                        dst.writestr(info, data)
                    else:
                        _write_spliced(dst, info, data.decode("utf-8"), sheet)
            os.replace(tmp, package)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def cleanup(self) -> None:
        """Remove the temporary row files: they hold personal data."""
        for sheet in self.sheets:
            sheet.path.unlink(missing_ok=True)


def _write_spliced(
    dst: zipfile.ZipFile, info: zipfile.ZipInfo, xml: str, sheet: BulkSheet
) -> None:
    last = f"{xl_col_to_name(max(sheet.columns - 1, 0))}{sheet.last_row + 1}"
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml, count=1)
    if "</sheetData>" in xml:
        head, tail = xml.split("</sheetData>", 1)
    else:  # xlsxwriter writes <sheetData/> for a sheet with no rows
        head, tail = xml.split("<sheetData/>", 1)
        head += "<sheetData>"
    entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    # The long tables are most of the package: compressed at level 3 they are written in
    # 40 % of level 6's time for a package about 15 % larger.
    entry._compresslevel = SPLICED_LEVEL  # type: ignore[attr-defined]
    with dst.open(entry, "w", force_zip64=True) as out:
        out.write(head.encode("utf-8"))
        with open(sheet.path, "rb") as rows:
            shutil.copyfileobj(rows, out, 1024 * 1024)
        out.write(b"</sheetData>" + tail.encode("utf-8"))


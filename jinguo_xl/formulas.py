"""Formula cells that carry no cached result, found in the sheet XML of an .xlsx package.

A workbook produced by a script (or saved with manual calculation) can hold formulas that were
never calculated. Cell readers then see an empty cell, and a row would silently lose its money
or its 是/否. We look for ``<c>`` elements with an ``<f>`` and no ``<v>`` so the reader can say
so on the exact cell instead.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml import ElementTree

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_VALUE = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name inside the package, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if target:
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            parts[sheet.get("name", "")] = part
    return parts


def uncached_in_sheet(xml: bytes) -> set[tuple[int, int]]:
    """0-based (row, col) of the formula cells of one sheet's XML that have no cached value."""
    cells: set[tuple[int, int]] = set()
    if b"<f" not in xml:
        return cells
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        if b"<f" in body and not _VALUE.search(body):
            ref = _REF.search(m.group(1))
            if ref:
                cells.add((int(ref.group(2)) - 1, col_index(ref.group(1))))
    return cells

"""Formula cells that carry no cached result, found in the sheet XML of an .xlsx package.

A workbook produced by a script (or saved with manual calculation) can hold formulas that were
never calculated. Cell readers then see an empty cell, and a row would silently lose its money
or its 是/否. We look for ``<c>`` elements with an ``<f>`` and no ``<v>`` so the reader can say
so on the exact cell instead.

The template's verdict cells are looked at the same way: a verdict that holds a typed value
instead of its formula no longer says anything about the data.
"""

from __future__ import annotations

import html
import re

from jinguo_xl.read.package import find_bytes

_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_VALUE = re.compile(rb"<v\b[^>]*>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_DECLARED_PREFIX = re.compile(rb"xmlns:([A-Za-z_][\w.\-]*)\s*=")
_ELEMENT_PREFIX = re.compile(rb"<(/?)[A-Za-z_][\w.\-]*:")


def col_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


def local_names(xml: bytes) -> bytes:
    """The sheet XML with namespace prefixes dropped from element names (``<x:c>`` → ``<c>``).

    The cell reader matches elements by local name whatever their prefix, so the scans must
    too, or a sheet written as ``<x:c r="XFD1048576">`` slips past them. A prefix has to be
    declared (``xmlns:x=``), so sheets without a prefixed element, nearly all, are recognised
    by a few fast searches and returned unchanged.
    """
    prefixes = set()
    at = find_bytes(xml, b"xmlns:", rare=5)
    while at >= 0:
        m = _DECLARED_PREFIX.match(xml, at)
        if m:
            prefixes.add(m.group(1))
        at = find_bytes(xml, b"xmlns:", at + 6, rare=5)
    if not any(xml.find(b"<" + p + b":") >= 0 or xml.find(b"</" + p + b":") >= 0 for p in prefixes):
        return xml
    return _ELEMENT_PREFIX.sub(rb"<\1", xml)


def uncached_in_sheet(xml: bytes) -> set[tuple[int, int]]:
    """0-based (row, col) of the formula cells of one sheet's XML that have no cached value."""
    cells: set[tuple[int, int]] = set()
    if find_bytes(xml, b"<f", rare=1) < 0:
        return cells
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        if b"<f" in body and not _VALUE.search(body):
            ref = _REF.search(m.group(1))
            if ref:
                cells.add((int(ref.group(2)) - 1, col_index(ref.group(1))))
    return cells


# ---------------------------------------------------------------------- typed-over verdicts

# The template's verdict cells, by defined name (writers/native.py names them so): the base's
# verdict and one per industry table.
BASE_VERDICT_NAME = "基地结论"
TABLE_VERDICT_PREFIX = "结论_"
_DEFINED = re.compile(rb"<definedName\b([^>]*)>([^<]*)</definedName>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')
_TARGET = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def verdict_cells(workbook_xml: bytes) -> dict[str, tuple[str, int, int]]:
    """The template's verdict names → (sheet, 0-based row, 0-based col) of their cell.

    Names whose target is gone (``#REF!``: the sheet was deleted) or is not one cell are left
    out; so are names scoped to one sheet (``localSheetId``), which the template never uses."""
    out: dict[str, tuple[str, int, int]] = {}
    if find_bytes(workbook_xml, BASE_VERDICT_NAME.encode(), rare=3) < 0:
        return out  # not the template: the usual workbook pays one search
    for m in _DEFINED.finditer(local_names(workbook_xml)):
        attrs = m.group(1)
        named = _NAME_ATTR.search(attrs)
        if named is None or b"localSheetId" in attrs:
            continue
        name = html.unescape(named.group(1).decode("utf-8", "replace"))
        if name != BASE_VERDICT_NAME and not name.startswith(TABLE_VERDICT_PREFIX):
            continue
        target = _TARGET.match(html.unescape(m.group(2).decode("utf-8", "replace")).strip())
        if target is None:
            continue
        sheet = (target.group(1) or "").replace("''", "'") or target.group(2)
        letters, row = target.group(3).encode(), int(target.group(4))
        out[name] = (sheet, row - 1, col_index(letters))
    return out


def cells_without_formula(xml: bytes, cells: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Those of the 0-based ``cells`` of one sheet's XML that hold no formula (a typed value,
    or nothing at all)."""
    with_formula: set[tuple[int, int]] = set()
    for m in _CELL.finditer(xml):
        ref = _REF.search(m.group(1))
        if ref is None:
            continue
        at = (int(ref.group(2)) - 1, col_index(ref.group(1)))
        if at in cells and b"<f" in (m.group(2) or b""):
            with_formula.add(at)
    return cells - with_formula

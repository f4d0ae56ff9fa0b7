"""Formula cells that carry no cached result, found in the sheet XML of an .xlsx package.

A workbook produced by a script (or saved with manual calculation) can hold formulas that were
never calculated. Cell readers then see an empty cell, and a row would silently lose its money
or its 是/否. We look for ``<c>`` elements with an ``<f>`` and no ``<v>`` so the reader can say
so on the exact cell instead.
"""

from __future__ import annotations

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

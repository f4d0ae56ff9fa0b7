"""How much room a text needs on a printed sheet: column widths and row heights.

Excel fits a row to its wrapped text when it shows it; LibreOffice and WPS do not when they open
a file, and no spreadsheet does it for a row that a program wrote with a height. A master that
prints with its 说明 cut after "…应为11" is worse than none, so every wrapped row gets an
explicit height, estimated generously from its text: a Chinese character takes about two
widths of the digit 0 (the unit of a column width), a line about 16 points in the CJK fonts
LibreOffice and WPS fall back to.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable

LINE_PT = 16.0  # one line of 11-point text, CJK fallback fonts included
PAD_PT = 4.0
WIDE = 1.9  # a Chinese character in column-width units (widths of "0"), Excel and WPS
MAX_LINES = 25  # 25 lines = 404 pt; Excel's row height limit is 409 pt


def text_width(text: str) -> float:
    """Width of one line of ``text`` in column-width units."""
    if text.isascii():
        return len(text) * 1.1
    return sum(WIDE if unicodedata.east_asian_width(ch) in "WFA" else 1.1 for ch in text)


def lines_for(text: object, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide."""
    if text is None or text == "":
        return 1
    return _lines(str(text), width)


@functools.lru_cache(maxsize=8192)
def _lines(text: str, width: float) -> int:
    # a master repeats the same names, files and messages on many rows: measure each once
    room = max(width - 1.0, 1.0)  # cell padding
    total = 0
    for part in text.split("\n"):
        total += max(1, math.ceil(text_width(part) / room))
    return min(total, MAX_LINES)


def row_height(cells: Iterable[tuple[object, float]]) -> float | None:
    """Height in points for a row of wrapped cells (text, column width); None when every
    cell fits on one line, so the row keeps the default height."""
    lines = 1
    for text, width in cells:
        if text is None or text == "":
            continue
        text = str(text)
        if len(text) * WIDE <= width - 1.0 and "\n" not in text:
            continue  # fits on one line whatever its characters: the common case, made cheap
        lines = max(lines, _lines(text, width))
    return None if lines <= 1 else lines * LINE_PT + PAD_PT


def header_width(header: str, *, least: float = 8, most: float = 16) -> float:
    """A column width for a header: the whole header when short, else room for it on two
    or three wrapped lines."""
    return max(least, min(most, math.ceil(text_width(header)) + 2))

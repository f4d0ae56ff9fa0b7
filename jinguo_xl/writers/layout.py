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


# Never at the start of a printed line (closing marks, pauses), never at its end (opening
# marks): a line holding only "）", or one starting with "；", reads as a slip.
NO_LINE_START = frozenset("）)」』》〉】〕”’，。、；：！？,.;:!?%…·—/")
NO_LINE_END = frozenset("（(「『《〈【〔“‘")
_FILL = 0.9  # of a column's room: renderers' fonts differ, a line must not wrap again
_PAUSES = frozenset("，。、；： ")  # a line may end after these
_LOOK_BACK = 8  # units a break may move back to end a line at a pause


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _units(text: str) -> list[str]:
    """Unbreakable pieces: one CJK character, or a run of other non-space characters (a
    number, ``84.44%/70%``, a cell address), or a run of spaces."""
    units: list[str] = []
    for ch in text:
        last = units[-1][-1] if units else ""
        spaces = ch == " " and last == " "
        word = ch != " " and not _is_wide(ch) and last not in ("", " ") and not _is_wide(last)
        if spaces or word:
            units[-1] += ch
        else:
            units.append(ch)
    return units


def break_lines(text: str, width: float) -> str:
    """``text`` with line breaks where a column ``width`` units wide wraps it, placed as a
    Chinese typesetter would: never before a closing mark or a pause (，；）…), never after
    an opening one, never inside a number or a word. Breaks already in the text are kept, and
    nothing else changes: without its line breaks the text is what it was.

    A printed cell then shows exactly these lines in every spreadsheet (a renderer's own
    wrapping may leave a lone "）" on the last line), and its row gets exactly their height."""
    room = max(width - 1.0, 1.0) * _FILL
    lines: list[str] = []
    for part in text.split("\n"):
        lines += _break_part(part, room)
    return "\n".join(lines)


def _break_part(part: str, room: float) -> list[str]:
    if text_width(part) <= room:
        return [part]
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for unit in _units(part):
        if not line and not unit.strip():
            continue  # no line starts with spaces
        w = text_width(unit)
        if line and unit.strip() and used + w > room:
            carried: list[str] = []
            # after a pause or a space close by, rather than inside a word (销 / 售)
            pause = next(
                (
                    i
                    for i in range(len(line) - 1, max(len(line) - _LOOK_BACK, 0), -1)
                    if line[i][-1] in _PAUSES
                    and sum(map(text_width, line[: i + 1])) >= room / 2  # a line, not a stub
                ),
                None,
            )
            if pause is not None:
                carried, line[:] = line[pause + 1 :], line[: pause + 1]
            # a closing mark stays with what it closes, an opening mark with what it opens
            while len(line) > 1 and (
                (carried[0] if carried else unit)[0] in NO_LINE_START
                or line[-1][-1] in NO_LINE_END
            ):
                carried.insert(0, line.pop())
            if (carried[0] if carried else unit)[0] in NO_LINE_START:
                line += [*carried, unit]  # nothing to carry: the mark hangs past the edge
                used += sum(map(text_width, carried)) + w
                continue
            lines.append(line)  # a space before the break stays: the text is unchanged
            line = carried
            used = sum(text_width(u) for u in carried)
        line.append(unit)
        used += w
    lines.append(line)
    return ["".join(line) for line in lines if line]


def header_lines(header: str, width: float) -> str:
    """A header broken for a narrow column: before its "（…）" when both parts fit
    (销售/收入 / （万元）), Chinese words between two-character words (巾帼脱贫 / 基地), else
    as :func:`break_lines` places it."""
    room = max(width - 1.0, 1.0)  # our own words, measured for the narrowest column
    at = header.find("（")
    if text_width(header) <= room:
        return header
    if at > 0 and max(text_width(header[:at]), text_width(header[at:])) <= room:
        return f"{header[:at]}\n{header[at:]}"
    if at < 0 and all(map(_is_wide, header)):
        # Chinese words are mostly two characters: 名单 / 状态, 巾帼脱贫 / 基地
        fits = [
            n for n in range(2, len(header), 2)
            if max(text_width(header[:n]), text_width(header[n:])) <= room
        ]
        if fits:
            return f"{header[: fits[-1]]}\n{header[fits[-1] :]}"
    return break_lines(header, width / _FILL)

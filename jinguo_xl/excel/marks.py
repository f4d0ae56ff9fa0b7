"""The marks 校验本表 leaves on a clerk's cells, and how 清除标记 takes exactly those back.

A mark changes two things the clerk may already have set: the cell's fill and its note. So
before anything is coloured, each touched cell's previous fill and note go into the hidden
record sheet together with the text we add; 清除标记 puts the fill back and cuts our text out of
the note (or deletes the note only where we created it). The record is written *before* the
first mark, so a failure half-way still leaves a record from which every mark can be undone.

Everything here is plain data: no Excel, so every decision is tested on any machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RECORD_SHEET = "_jinguo_marks"
RECORD_HEADER = ["工作表", "单元格", "原底色", "原批注", "所加底色", "所加批注"]
_LEGACY_HEADER = ["工作表", "单元格"]
NOTE_PREFIX = "巾帼统计："
# Our text added to a clerk's own note is separated from theirs by a blank line.
NOTE_GAP = "\n\n"
# Excel rejects a multi-area address longer than 255 characters; stay a little under.
MAX_ADDRESS = 250
# Strings passed to an Excel object may be cut at 255 characters: long notes go in pieces.
NOTE_PIECE = 255
_TEXT = "|"  # every recorded text starts with it, so Excel never reads "2020" as a number
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")


@dataclass(frozen=True, slots=True)
class Touched:
    """One cell a check marked: where, what it looked like before, and the note text we added.

    ``fill`` is the previous fill as ``#RRGGBB`` (None: no fill); ``note`` the previous note text
    (None: no note); ``painted`` the fill we gave the cell and ``added`` the note text we added.
    Both are None only in records of older versions, which painted and replaced unconditionally.
    """

    sheet: str
    cell: str
    fill: str | None
    note: str | None
    painted: str | None
    added: str | None


# ---------------------------------------------------------------- the record sheet


def _encode(value: str | None) -> str | None:
    return None if value is None else _TEXT + value


def _decode(value: object) -> str | None:
    """A recorded field back to text; numbers from records of older versions become text too."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value[1:] if value.startswith(_TEXT) else value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def record_rows(touched: Sequence[Touched]) -> list[list[str | None]]:
    """The record sheet's rows, header first; every field stored as text."""
    rows: list[list[str | None]] = [list(RECORD_HEADER)]
    for t in touched:
        fields = (t.sheet, t.cell, t.fill, t.note, t.painted, t.added)
        rows.append([_encode(f) for f in fields])
    return rows


def read_record(rows: Sequence[Sequence[object]] | None) -> list[Touched]:
    """The touched cells listed in a record sheet (this version's or an older one's)."""
    if not rows:
        return []
    header = [_decode(v) for v in rows[0]]
    legacy = header[:6] != RECORD_HEADER
    if legacy and header[:2] != _LEGACY_HEADER:
        return []
    out = []
    for row in rows[1:]:
        fields = [_decode(v) for v in row] + [None] * 6
        sheet, cell = fields[0], (fields[1] or "").replace("$", "").upper()
        if sheet is None or not _CELL.match(cell):
            continue
        if legacy:
            out.append(Touched(sheet, cell, None, None, None, None))
        else:
            out.append(Touched(sheet, cell, *fields[2:6]))
    return out


# ---------------------------------------------------------------- notes


def with_ours(previous: str | None, ours: str) -> str:
    """The note a marked cell shows: ours alone, or the clerk's note with ours after a gap."""
    return ours if previous is None else previous + NOTE_GAP + ours


def without_ours(current: str | None, t: Touched) -> tuple[str, str | None]:
    """What 清除标记 does to a note: ``("keep", None)``, ``("delete", None)`` or ``("set", text)``.

    The clerk may have edited the note since the check; their words are never removed. Only
    our exact text is cut out; a note we created is deleted only if nothing else was typed in.
    """
    if current is None:
        return "keep", None
    if t.added is None:  # an older version's record: its notes replaced the clerk's
        return ("delete", None) if current.startswith(NOTE_PREFIX) else ("keep", None)
    if t.note is None:
        if current == t.added:
            return "delete", None
        if t.added in current:
            return "set", current.replace(t.added, "", 1).strip("\n")
        return "keep", None
    if current == with_ours(t.note, t.added):
        return "set", t.note
    for block in (NOTE_GAP + t.added, t.added):
        if block in current:
            return "set", current.replace(block, "", 1)
    return "keep", None


def restore_fill(current: str | None, t: Touched) -> bool:
    """Whether 清除标记 puts back the previous fill: only where our colour is still there."""
    return t.painted is None or current == t.painted


def pieces(text: str, size: int = NOTE_PIECE) -> list[str]:
    """A note's text in pieces Excel takes whole (one piece for every ordinary note)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# ---------------------------------------------------------------- colours and addresses


def bgr_to_hex(value: int) -> str:
    """Excel's colour number (blue·green·red bytes) → ``#RRGGBB``."""
    value = int(value)
    return f"#{value & 0xFF:02X}{(value >> 8) & 0xFF:02X}{(value >> 16) & 0xFF:02X}"


def hex_to_bgr(colour: str) -> int:
    """``#RRGGBB`` → Excel's colour number."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return r | (g << 8) | (b << 16)


def split_cell(cell: str) -> tuple[str, int]:
    m = _CELL.match(cell)
    if not m:
        raise ValueError(cell)
    return m.group(1), int(m.group(2))


def _col_key(col: str) -> tuple[int, str]:
    return len(col), col


def runs(cells: Iterable[str]) -> list[str]:
    """Cells → column runs (``D11``, ``D12``, ``D13`` → ``D11:D13``).

    Marks cluster in columns (a column of phone numbers typed the same wrong way), so runs make
    the union addresses short and the calls few.
    """
    by_col: dict[str, set[int]] = {}
    for cell in cells:
        col, row = split_cell(cell)
        by_col.setdefault(col, set()).add(row)
    out = []
    for col in sorted(by_col, key=_col_key):
        rows = sorted(by_col[col])
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            out.append(f"{col}{start}" if start == prev else f"{col}{start}:{col}{prev}")
            if row is not None:
                start = prev = row
    return out


def union_addresses(cells: Iterable[str], limit: int = MAX_ADDRESS) -> list[str]:
    """Cells → as few multi-area addresses (``D11:D13,H11``) as Excel's length limit allows."""
    out: list[str] = []
    current = ""
    for run in runs(cells):
        if current and len(current) + 1 + len(run) > limit:
            out.append(current)
            current = ""
        current = f"{current},{run}" if current else run
    if current:
        out.append(current)
    return out


def cells_of(address: str) -> list[str]:
    """Every cell of a union address (only used to split a mixed-fill block in halves)."""
    out = []
    for part in address.split(","):
        first, _, last = part.partition(":")
        c1, r1 = split_cell(first)
        c2, r2 = split_cell(last or first)
        if c1 != c2:
            raise ValueError(part)  # runs are always within one column
        out.extend(f"{c1}{r}" for r in range(r1, r2 + 1))
    return out

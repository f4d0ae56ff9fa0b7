"""Findings: bad data as values, never as exceptions.

Like frictionless-py's errors, a finding is a stable :class:`Code` (which carries its severity
and message template) and the position the clerk sees: file, sheet, the 0-based grid row and
column of the cell, and the column's Chinese header. The Excel address (``D7``), the Excel row
and the ``file!sheet!cell`` a clerk goes to are derived here and nowhere else, so every stage
hands over positions as the reader found them and tests assert on ``(sheet, cell, code)``.

Every finding is built by :meth:`Findings.add`, the one place a message is filled in and its
parameters redacted.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from jinguo_xl.findings.messages import Code, Scope, Severity
from jinguo_xl.privacy.redact import redact_param

__all__ = [
    "Code",
    "Finding",
    "Findings",
    "Scope",
    "Severity",
    "by_severity",
    "cell_ref",
    "column_letter",
    "count_by_severity",
    "parse_cell",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: its code, its message as built, and where it points (0-based)."""

    code: Code
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None  # 0-based grid row of the cell; the Excel row is row + 1
    col: int | None = None  # 0-based grid column of the cell
    column: str = ""  # the column's (or base field's) Chinese header

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def cell(self) -> str:
        """``D7``, or ``""`` for a finding about a whole file."""
        if self.row is None or self.col is None:
            return ""
        return cell_ref(self.row, self.col)

    @property
    def excel_row(self) -> int | None:
        """The 1-based Excel row a finding about a sheet's contents belongs to.

        None for a finding about the base's information (see :class:`Scope`): it points at the
        cell to correct, but no row of a table carries it.
        """
        if self.row is None or self.code.scope is Scope.BASE:
            return None
        return self.row + 1

    @property
    def place(self) -> str:
        """``手工制作!D7`` — where to go inside the workbook."""
        return "!".join(part for part in (self.sheet, self.cell) if part)

    @property
    def where(self) -> str:
        """``城口县/某合作社.xlsx!手工制作!D7`` — the address a clerk can go to."""
        return "!".join(part for part in (self.file, self.place) if part)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: plain strings, the Excel cell and the Excel row (if any)."""
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "column": self.column,
            "row": self.excel_row,
        }

    @classmethod
    def restore(
        cls, code: Code, message: str, *, file: str, sheet: str, cell: str, column: str
    ) -> Finding:
        """A finding as one of our own outputs listed it (a master's 问题清单), message as is.

        The message was built and redacted when the finding was first made; only its address
        is turned back into a position.
        """
        row, col = parse_cell(cell) or (None, None)
        return cls(code, message, file, sheet, row, col, column)


class Findings(list[Finding]):
    """The findings of one workbook (or of one consolidation), in the order they were found.

    :meth:`add` is the only way a finding is made: it takes a :class:`Code` member (a bare
    string is refused), fills the code's message from the finding's own fields and redacts
    every parameter, so no check can quote a phone (in any spelling) or a home address into a
    message, the JSON or the master.
    """

    __slots__ = ("file",)

    def __init__(self, file: str = "", found: Iterable[Finding] = ()) -> None:
        super().__init__(found)
        self.file = file

    def add(
        self,
        code: Code,
        sheet: str = "",
        row: int | None = None,
        col: int | None = None,
        *,
        column: str = "",
        file: str | None = None,
        **params: object,
    ) -> Finding:
        """Build the finding ``code`` at 0-based (``row``, ``col``) of ``sheet`` and keep it."""
        if not isinstance(code, Code):
            raise TypeError(f"a finding code must be a Code member, not {code!r}")
        fields = {"detail": "", "value": "", "reason": "", "column": column, **params}
        message = code.template.format(**{k: redact_param(v, column) for k, v in fields.items()})
        found = Finding(
            code, message, self.file if file is None else file, sheet, row, col, column
        )
        self.append(found)
        return found

    def copy(self) -> Findings:  # type: ignore[override]
        return Findings(self.file, self)

    def __reduce__(self) -> tuple[object, ...]:
        return (Findings, (self.file, list(self)))


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """Every severity, most important first, with how many findings have it."""
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then hints; found order kept within each (a stable sort)."""
    return sorted(findings, key=_SEVERITY)


_SEVERITY = attrgetter("severity")


@functools.lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → ``D7``."""
    return f"{column_letter(col)}{row + 1}"


_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


def parse_cell(text: str) -> tuple[int, int] | None:
    """``D7`` → 0-based (6, 3), the inverse of :func:`cell_ref`; None for anything else."""
    m = _CELL.fullmatch(str(text).strip().upper())
    if m is None:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1

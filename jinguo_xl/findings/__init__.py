"""Findings: bad data as values, never as exceptions.

Like frictionless-py's errors, a finding is a stable code, a severity and the position the clerk
sees (file, sheet, Excel cell and the column's Chinese header); the message is built from the
finding's own fields by :mod:`jinguo_xl.findings.messages`, so tests assert on ``(sheet, cell,
code)``.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

from jinguo_xl.findings.messages import FINDINGS
from jinguo_xl.privacy.redact import redact_param

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    column: str = ""
    row: int | None = None

    @property
    def where(self) -> str:
        """``城口县/某合作社.xlsx!手工制作!D7`` — the address a clerk can go to."""
        return "!".join(part for part in (self.file, self.sheet, self.cell) if part)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_finding(
    code: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    column: str = "",
    row: int | None = None,
    **params: object,
) -> Finding:
    """Build a finding; its severity and message come from the code's registry entry.

    Every parameter is redacted here, the one place messages are built, so no check can quote
    a phone (in any spelling) or a home address into a message, the JSON or the master.
    """
    severity, template = FINDINGS[code]
    fields = {"detail": "", "value": "", "column": column, **params}
    fields = {k: redact_param(v, column) for k, v in fields.items()}
    return Finding(code, severity, template.format(**fields), file, sheet, cell, column, row)


def count_by_severity(findings: list[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


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

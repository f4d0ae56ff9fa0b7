"""The one exception family for runs that cannot go on.

Bad *data* never raises: it becomes findings. These exceptions are for a file that cannot be
read at all or a rules file that is wrong; each carries a Chinese message the CLI prints as is.
"""

from __future__ import annotations


class JinguoError(Exception):
    """Base class: anything the CLI reports as "could not run" rather than as a finding."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RulesError(JinguoError):
    """The rules file is missing or inconsistent; raised at load time, never mid-count."""


class UnreadableWorkbook(JinguoError):
    """A file is not a workbook this tool can read (corrupt, encrypted, not a spreadsheet)."""

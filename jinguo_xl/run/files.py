"""One file from disk to its :class:`FileReport`, and the workbooks a list of paths names.

Reading (:mod:`jinguo_xl.read`), recognising the project's own outputs, and counting
(:mod:`jinguo_xl.count`) meet here: a master is read back as the bases it holds
(:mod:`jinguo_xl.combine.master_input`), a blank template is skipped, a masked copy refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from jinguo_xl.combine.master_input import is_master, master_report
from jinguo_xl.count.report import FileReport, evaluate_ledger
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.read.kinds import (
    BLANK_TEMPLATE,
    MASKED_COPY,
    MASKED_REFUSAL,
    TEMPLATE_SKIPPED,
    workbook_kind,
)
from jinguo_xl.read.reader import WORKBOOK_SUFFIXES, read_workbook
from jinguo_xl.rules import Rules, load_rules


def check_file(
    path: Path | str, *, rules: Rules | None = None, display: str | None = None
) -> FileReport:
    """Read and check one workbook; an unreadable file gives ``ok=False`` with the reason."""
    rules = rules or load_rules()
    path = Path(path)
    shown = display or str(path)
    if is_master(path):  # by its content: a master is no base with errors
        return master_report(path, shown, rules)
    try:
        ledger = read_workbook(path, rules=rules, display=shown)
    except UnreadableWorkbook as exc:
        return FileReport(shown, path, ok=False, error=exc.message, reason=exc.message)
    kind = workbook_kind(path, ledger)
    if kind == MASKED_COPY:
        return FileReport(shown, path, ok=False, error=MASKED_REFUSAL, reason=MASKED_REFUSAL)
    if kind == BLANK_TEMPLATE:
        return FileReport(shown, path, reason=TEMPLATE_SKIPPED, skipped=TEMPLATE_SKIPPED)
    return evaluate_ledger(ledger, rules)


def iter_workbooks(paths: Iterable[Path | str]) -> Iterator[tuple[Path, str]]:
    """Files named and workbooks found in folders (recursively), with the path to show.

    Excel's lock files (``~$名称.xlsx``) and hidden files are skipped; the order is stable.
    """
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in WORKBOOK_SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
            for f in found:
                yield f, display_path(f)
        else:
            yield p, display_path(p)


def missing_paths(paths: Iterable[Path | str]) -> list[str]:
    """The paths given that do not exist: a typo must be said, not read as an empty folder."""
    return [str(p) for p in paths if not Path(p).exists()]


def display_path(path: Path) -> str:
    """Relative to the working folder when inside it, so reports name 城口县/某合作社.xlsx."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()

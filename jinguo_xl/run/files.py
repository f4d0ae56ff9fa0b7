"""One file from disk to its :class:`FileReport`, and the workbooks a list of paths names.

Reading (:mod:`jinguo_xl.read`), recognising the project's own outputs, and counting
(:mod:`jinguo_xl.count`) meet here: a master is read back as the bases it holds
(:mod:`jinguo_xl.combine.master_input`), a blank template is skipped, a masked copy refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.combine.master_input import is_master, master_report, may_be_master
from jinguo_xl.count.report import FileReport, evaluate_ledger
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.read.formats import READ, REFUSE, SKIP, Verdict, judge
from jinguo_xl.read.kinds import (
    BLANK_TEMPLATE,
    MASKED_COPY,
    MASKED_REFUSAL,
    TEMPLATE_SKIPPED,
    workbook_kind,
)
from jinguo_xl.read.ledger import Ledger
from jinguo_xl.read.reader import WORKBOOK_SUFFIXES, SheetNamesMatched, read_workbook
from jinguo_xl.rules import Rules, load_rules


def read_base_workbook(path: Path, rules: Rules, shown: str) -> Ledger | None:
    """The ledger of a workbook, or None for a master (told by its content: a master is read
    back as the bases it holds). Only a workbook with a master's sheet names gets the closer
    look; any other is read in one opening. Raises :class:`UnreadableWorkbook` only."""
    try:
        return read_workbook(path, rules=rules, display=shown, stop_at=may_be_master)
    except SheetNamesMatched:
        if is_master(path):
            return None
        return read_workbook(path, rules=rules, display=shown)


def reports_of(path: Path, ledger: Ledger, rules: Rules) -> list[FileReport]:
    """The reports of a workbook read: one per base, or why it is none (a masked copy is
    refused, a blank template skipped)."""
    shown = ledger.file
    kind = workbook_kind(path, ledger)
    if kind == MASKED_COPY:
        return [FileReport(shown, path, ok=False, error=MASKED_REFUSAL, reason=MASKED_REFUSAL)]
    if kind == BLANK_TEMPLATE:
        return [FileReport(shown, path, reason=TEMPLATE_SKIPPED, skipped=TEMPLATE_SKIPPED)]
    return [evaluate_ledger(part, rules) for part in ledger.parts or [ledger]]


def check_path(
    path: Path | str, *, rules: Rules | None = None, display: str | None = None
) -> list[FileReport]:
    """Read and check one workbook: one report per base it holds (a bundle of several bases
    gives several, spec §8); an unreadable file gives one report with ``ok=False``; a master
    one report saying what it holds."""
    rules = rules or load_rules()
    path = Path(path)
    shown = display or str(path)
    try:
        ledger = read_base_workbook(path, rules, shown)
    except UnreadableWorkbook as exc:
        return [FileReport(shown, path, ok=False, error=exc.message, reason=exc.message)]
    if ledger is None:
        return [master_report(path, shown, rules)]
    return reports_of(path, ledger, rules)


def check_file(
    path: Path | str, *, rules: Rules | None = None, display: str | None = None
) -> FileReport:
    """The report of a workbook of one base (the first base of a bundle of several)."""
    return check_path(path, rules=rules, display=display)[0]


@dataclass(frozen=True, slots=True)
class Passed:
    """A file found under an input folder and not read: skipped or refused, and why."""

    path: Path
    shown: str
    action: str  # formats.SKIP or formats.REFUSE
    reason: str


def survey(paths: Iterable[Path | str]) -> tuple[list[tuple[Path, str]], list[Passed]]:
    """Every file under the inputs, accounted for (spec §8): the workbooks to read (files
    named, and workbook formats found in folders) and the files passed over with the reason.

    Folders are walked recursively in a stable order; a folder reached through a link is
    followed once (a link back to a folder already walked is a loop, listed and not followed),
    and a folder that cannot be opened is listed as refused.
    """
    read: list[tuple[Path, str]] = []
    passed: list[Passed] = []
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            read.append((p, display_path(p)))
            continue
        seen: set[tuple[int, int]] = set()
        found: list[tuple[Path, str]] = []
        for folder, dirs, names in os.walk(p, onerror=_refuser(p, passed), followlinks=True):
            here = Path(folder)
            try:
                st = here.stat()
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                dirs[:] = []
                passed.append(
                    Passed(here, display_path(here), SKIP, "文件夹链接指回已读取的文件夹，已跳过")
                )
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs.sort()
            for name in sorted(names):
                f = here / name
                verdict = judge(f, WORKBOOK_SUFFIXES)
                if verdict.action == READ and not f.exists():
                    verdict = Verdict(REFUSE, "快捷方式（链接）指向的文件不存在")
                if verdict.action == READ:
                    found.append((f, display_path(f)))
                else:
                    passed.append(Passed(f, display_path(f), verdict.action, verdict.reason))
        read.extend(sorted(found))
    return read, passed


def _refuser(top: Path, passed: list[Passed]) -> Callable[[OSError], None]:
    """os.walk's error callback: a folder that cannot be opened is listed, with why."""

    def refused(error: OSError) -> None:
        where = Path(error.filename) if error.filename else top
        reason = f"无法打开文件夹（{error.strerror or error}），其中的文件没有读取"
        passed.append(Passed(where, display_path(where), REFUSE, reason))

    return refused


def iter_workbooks(paths: Iterable[Path | str]) -> Iterator[tuple[Path, str]]:
    """Files named and workbooks found in folders (recursively), with the path to show;
    :func:`survey` says what else the folders held."""
    yield from survey(paths)[0]


def missing_paths(paths: Iterable[Path | str]) -> list[str]:
    """The paths given that do not exist: a typo must be said, not read as an empty folder."""
    return [str(p) for p in paths if not Path(p).exists()]


def display_path(path: Path) -> str:
    """Relative to the working folder when inside it, so reports name 城口县/某合作社.xlsx."""
    here = Path.cwd()
    # As found first (a county folder reached through a link keeps the name it has here),
    # then with links resolved (a working folder that is itself reached through a link).
    for shown, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(here))),
                        (path.resolve(), here.resolve())):
        try:
            return shown.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()

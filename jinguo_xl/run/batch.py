"""Reading many inputs for ``check`` and ``consolidate``: workbooks and masters, in parallel.

Each file is read in a guarded worker process (:mod:`jinguo_xl.read.guard`): processes are what use
both cores, and a file that crashes, exhausts or hangs the native reader costs only its own
worker. One unreadable file is listed with its reason and never stops the batch. A progress
line is drawn on a terminal only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from jinguo_xl.combine.consolidation import Consolidation, Entry, InputFile, consolidate, sha256_of
from jinguo_xl.combine.master_input import is_master, read_master
from jinguo_xl.count.report import FileReport
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.read.guard import run_guarded
from jinguo_xl.read.roster import Roster
from jinguo_xl.rules import load_rules
from jinguo_xl.run.files import check_file

PARALLEL_FROM = 16  # below this many files one guarded worker is enough

Loaded = tuple[InputFile, list[FileReport]]


def printable_name(name: str) -> str:
    """A file name as text every output can hold: bytes that are not UTF-8 (a GBK name from a
    Windows share, kept by Python as surrogate escapes) shown as ``\\xb3\\xc7``."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _jobs(files: Sequence[tuple[Path, str]], rules_year: int) -> list[tuple[str, str, int]]:
    """Worker jobs: the real path to open, the name to show (always printable)."""
    return [(os.fspath(p), printable_name(shown), rules_year) for p, shown in files]


def load_one(path: str, shown: str, rules_year: int) -> Loaded:
    """One input → its description and the base reports it holds (never raises)."""
    p = Path(path)
    rules = load_rules(rules_year)
    try:
        digest = sha256_of(p)
        mtime = p.stat().st_mtime
    except OSError as exc:
        return InputFile(shown, "", "unreadable", f"无法打开文件（{exc.strerror}）"), []
    if is_master(p):
        try:
            reports = read_master(p, rules)
        except UnreadableWorkbook as exc:
            return InputFile(shown, digest, "unreadable", exc.message, mtime=mtime), []
        rows = sum(r.rows_read for r in reports)
        return InputFile(shown, digest, "master", None, len(reports), rows, mtime), reports
    report = check_file(p, rules=rules, display=shown)
    if not report.ok:
        return InputFile(shown, digest, "unreadable", report.error, mtime=mtime), []
    return InputFile(shown, digest, "workbook", None, 1, report.rows_read, mtime), [report]


def _not_loaded(job: tuple[str, str, int], reason: str) -> Loaded:
    """The description of an input whose worker crashed, ran out of memory or timed out."""
    path, shown, _ = job
    try:
        digest, mtime = sha256_of(Path(path)), Path(path).stat().st_mtime
    except OSError:
        digest, mtime = "", 0.0
    return InputFile(shown, digest, "unreadable", reason, mtime=mtime), []


def _workers(total: int, workers: int | None) -> int:
    if workers:
        return workers
    return 1 if total < PARALLEL_FROM else min(os.cpu_count() or 1, 8)


def load_all(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[Loaded]:
    """Load every input, in input order, each in a guarded worker; in parallel when many."""
    jobs = _jobs(files, rules_year)
    return run_guarded(
        load_one, jobs, _not_loaded, workers=_workers(len(jobs), workers), progress=progress
    )


def check_one(path: str, shown: str, rules_year: int) -> FileReport:
    """One workbook checked (in a worker): the report ``check`` prints."""
    return check_file(Path(path), rules=load_rules(rules_year), display=shown)


def _not_checked(job: tuple[str, str, int], reason: str) -> FileReport:
    path, shown, _ = job
    return FileReport(shown, Path(path), ok=False, error=reason, reason=reason)


def check_all(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[FileReport]:
    """Check every workbook, in input order, each in a guarded worker."""
    jobs = _jobs(files, rules_year)
    return run_guarded(
        check_one, jobs, _not_checked, workers=_workers(len(jobs), workers), progress=progress
    )


def build(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Consolidation:
    """Inputs → the consolidation (pure counting; nothing is written)."""
    rules = load_rules(rules_year)
    loaded = load_all(files, rules_year, progress=progress)
    inputs = [item for item, _ in loaded]
    entries = [
        Entry(report, item.file, item.mtime) for item, reports in loaded for report in reports
    ]
    return consolidate(inputs, entries, rules)


def consolidate_to(
    files: Sequence[tuple[Path, str]], output: Path, rules_year: int, *, mask: bool = False,
    progress: Callable[[int, int], None] | None = None,
    write_progress: Callable[[int, int], None] | None = None,
    roster: Roster | None = None,
) -> tuple[Consolidation, dict[str, object]]:
    """Read, count and write the master: the one path the CLI, the demo and the ribbon share;
    with ``roster``, the master's 报送情况 and the summary's ``roster`` say who has reported.

    ``progress`` follows the reading, ``write_progress`` the master's sheets (a large master
    takes seconds to write, and a bar stuck at 300/300 looks like a hang)."""
    from jinguo_xl.combine.consolidation import summary_json
    from jinguo_xl.combine.roster import match_roster, roster_json
    from jinguo_xl.run.files import display_path
    from jinguo_xl.writers.master import write_master

    rules = load_rules(rules_year)
    result = build(files, rules_year, progress=progress)
    status = match_roster(roster, result, rules) if roster is not None else None
    result.extra["rows_in_master"] = write_master(
        output, result, rules, mask=mask, progress=write_progress, roster=status
    )
    result.extra["roster"] = status
    summary = summary_json(result, rules, printable_name(display_path(output)))
    if status is not None:
        summary["roster"] = roster_json(status)
    return result, summary


def terminal_progress(
    stream=None, label: str = "读取中"
) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; None when output goes to a file or pipe.

    ``stream`` defaults to the ``sys.stderr`` of the moment of the call, not of the import."""
    stream = sys.stderr if stream is None else stream
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show

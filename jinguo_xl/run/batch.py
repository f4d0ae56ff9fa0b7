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

from jinguo_xl.combine.consolidation import (
    Consolidation,
    Entry,
    InputFile,
    consolidate,
    one_per_submission,
    sha256_of,
)
from jinguo_xl.combine.master_input import read_master_rows
from jinguo_xl.count.report import FileReport
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.findings import Finding, Findings
from jinguo_xl.read.formats import REFUSE
from jinguo_xl.read.guard import run_guarded
from jinguo_xl.read.roster import Roster
from jinguo_xl.rules import load_rules
from jinguo_xl.run.files import Passed, check_path, read_base_workbook, reports_of

PARALLEL_FROM = 16  # below this many files one guarded worker is enough

# An input: its description, the bases it holds, and the errors about rows it holds that
# belong to no base (a master's rows typed in by hand).
Loaded = tuple[InputFile, list[FileReport], list[Finding]]


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
        return InputFile(shown, "", "unreadable", f"无法打开文件（{exc.strerror}）"), [], []
    try:
        ledger = read_base_workbook(p, rules, shown)
        if ledger is None:  # a master: the bases it holds, each with its original source
            found, orphans = read_master_rows(p, rules, shown)
            rows = sum(r.rows_read for r in found)
            item = InputFile(shown, digest, "master", None, len(found), rows, mtime)
            return item, found, orphans
    except UnreadableWorkbook as exc:
        return InputFile(shown, digest, "unreadable", exc.message, mtime=mtime), [], []
    reports = reports_of(p, ledger, rules)
    if not reports[0].ok:
        return InputFile(shown, digest, "unreadable", reports[0].error, mtime=mtime), [], []
    rows = sum(r.rows_read for r in reports)
    return InputFile(shown, digest, "workbook", None, len(reports), rows, mtime), reports, []


def _not_loaded(job: tuple[str, str, int], reason: str) -> Loaded:
    """The description of an input whose worker crashed, ran out of memory or timed out."""
    path, shown, _ = job
    try:
        digest, mtime = sha256_of(Path(path)), Path(path).stat().st_mtime
    except OSError:
        digest, mtime = "", 0.0
    return InputFile(shown, digest, "unreadable", reason, mtime=mtime), [], []


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


def check_one(path: str, shown: str, rules_year: int) -> list[FileReport]:
    """One workbook checked (in a worker): the reports ``check`` prints, one per base."""
    return check_path(Path(path), rules=load_rules(rules_year), display=shown)


def _not_checked(job: tuple[str, str, int], reason: str) -> list[FileReport]:
    path, shown, _ = job
    return [FileReport(shown, Path(path), ok=False, error=reason, reason=reason)]


def check_all(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[FileReport]:
    """Check every workbook, in input order, each in a guarded worker (a workbook of several
    bases gives one report per base)."""
    jobs = _jobs(files, rules_year)
    found = run_guarded(
        check_one, jobs, _not_checked, workers=_workers(len(jobs), workers), progress=progress
    )
    return [report for reports in found for report in reports]


def refused_reports(passed: Sequence[Passed]) -> list[FileReport]:
    """The files of the input folders refused by name (a CSV, a Word document …), as reports
    that could not be read: ``check`` lists them and exits 1, as for a damaged workbook."""
    return [
        FileReport(printable_name(p.shown), p.path, ok=False, error=p.reason, reason=p.reason)
        for p in passed
        if p.action == REFUSE
    ]


def _entries(item: InputFile, reports: list[FileReport]) -> list[Entry]:
    """The bases of one input as entries: a master's carry what it recorded of their source
    (bytes, file time, left out or not), so a later level ranks copies as it did."""
    out = []
    for report in reports:
        prov = report.provenance
        if item.kind == "master" and prov is not None:
            out.append(
                Entry(report, item.file, prov.mtime or item.mtime, sha256=prov.sha256,
                      was_superseded=bool(prov.superseded_by))
            )
        else:
            out.append(Entry(report, item.file, item.mtime, sha256=item.sha256))
    return out


def build(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    passed: Sequence[Passed] = (),
) -> Consolidation:
    """Inputs → the consolidation (pure counting; nothing is written). ``passed`` are the
    files of the input folders not read (listed in 说明 with the reason)."""
    rules = load_rules(rules_year)
    loaded = load_all(files, rules_year, progress=progress)
    own = Findings("")
    inputs, entries = one_per_submission(
        [(item, _entries(item, reports)) for item, reports, _ in loaded], own
    )
    kept = {id(item) for item in inputs}
    own.extend(f for item, _, orphans in loaded if id(item) in kept for f in orphans)
    for p in passed:
        kind = "unreadable" if p.action == REFUSE else "skipped"
        inputs.append(InputFile(printable_name(p.shown), "", kind, p.reason))
    return consolidate(inputs, entries, rules, own)


def consolidate_to(
    files: Sequence[tuple[Path, str]], output: Path, rules_year: int, *, mask: bool = False,
    passed: Sequence[Passed] = (),
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
    result = build(files, rules_year, progress=progress, passed=passed)
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

"""Reading many inputs for a consolidation: base workbooks and masters, in parallel.

Each file is read in a worker process (python-calamine releases nothing to share, so processes
are what use both cores); one unreadable file is listed with its reason and never stops the
batch. A progress line is drawn on a terminal only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinguo_xl.consolidate import Consolidation, Entry, InputFile, consolidate, sha256_of
from jinguo_xl.engine import FileReport, check_file
from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.master_input import is_master, read_master
from jinguo_xl.rules import load_rules

PARALLEL_FROM = 16  # below this many files a process pool costs more than it saves

Loaded = tuple[InputFile, list[FileReport]]


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


def _load_star(args: tuple[str, str, int]) -> Loaded:
    return load_one(*args)


def load_all(
    files: Sequence[tuple[Path, str]],
    rules_year: int,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[Loaded]:
    """Load every input, in input order; in parallel when there are many."""
    jobs = [(str(p), shown, rules_year) for p, shown in files]
    total = len(jobs)
    results: list[Loaded] = []
    workers = workers or min(os.cpu_count() or 1, 8)
    if total < PARALLEL_FROM or workers < 2:
        for i, job in enumerate(jobs, start=1):
            results.append(_load_star(job))
            if progress:
                progress(i, total)
        return results
    chunksize = max(1, total // (workers * 8))
    with ProcessPoolExecutor(workers) as pool:
        for i, loaded in enumerate(pool.map(_load_star, jobs, chunksize=chunksize), start=1):
            results.append(loaded)
            if progress:
                progress(i, total)
    return results


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
) -> tuple[Consolidation, dict[str, object]]:
    """Read, count and write the master: the one path the CLI, the demo and the ribbon share."""
    from jinguo_xl.consolidate import summary_json
    from jinguo_xl.engine import display_path
    from jinguo_xl.writers.master import write_master

    rules = load_rules(rules_year)
    result = build(files, rules_year, progress=progress)
    result.extra["rows_in_master"] = write_master(output, result, rules, mask=mask)
    return result, summary_json(result, rules, display_path(output))


def terminal_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; None when output goes to a file or pipe."""
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r读取中 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show

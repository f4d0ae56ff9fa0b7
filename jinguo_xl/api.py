"""The Python API: check a workbook or consolidate many, and look at the result as DataFrames.

::

    import jinguo_xl

    result = jinguo_xl.consolidate(["区县报送"])
    result.bases().groupby("区县")["培训人次"].sum()

The same guarded reading as the command line (:mod:`jinguo_xl.run.batch`: each file in a
worker process, an unreadable file listed with its reason, never stopping the rest), and the
same rows as the master workbook (:mod:`jinguo_xl.combine.rows`), with the master's Chinese
headers (:mod:`jinguo_xl.combine.layout`). Nothing is written to disk.

Columns are typed by what they hold: counts as ``Int64``, amounts and rates as ``float64``,
dates as ``datetime64[ns]``, text as ``string``; an empty cell is a missing value. A cell typed
by the clerk that could not be read as its column's type (a 培训时间 of “三月”) is missing here;
the master shows it as typed and its 本行问题 says why.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from jinguo_xl.combine import rows as build
from jinguo_xl.combine.consolidation import Consolidation, Entry
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    BASE_SUMMARY_COLUMNS,
    DUPLICATE_COLUMNS,
    FINDING_COLUMNS,
    INPUT_COLUMNS,
    RANKING_COLUMNS,
    ROSTER_COLUMNS,
    WOMEN_COLUMNS,
    Column,
    county_columns,
    headers,
    township_columns,
)
from jinguo_xl.combine.roster import RosterStatus, match_roster, roster_rows
from jinguo_xl.count.report import FileReport
from jinguo_xl.read.roster import Roster, read_roster
from jinguo_xl.rules import Rules, load_rules
from jinguo_xl.run.batch import build as build_consolidation
from jinguo_xl.run.batch import check_all
from jinguo_xl.run.files import display_path, missing_paths, survey

__all__ = ["Consolidated", "Report", "check", "consolidate", "frame"]

PathLike = str | os.PathLike[str]


def check(path: PathLike, *, rules_year: int = 2020) -> Report:
    """Check one workbook (or recognise a master or a blank template), as ``jinguo-xl check``.

    Raises FileNotFoundError for a path that does not exist; a file that cannot be read gives
    a :class:`Report` with ``ok`` False and the reason in ``error``."""
    _require(path)
    p = Path(path)
    reports = check_all([(p, display_path(p))], rules_year)
    if len(reports) > 1:
        names = "、".join(r.base.name for r in reports if r.base)
        raise ValueError(
            f"{p.name} 中有 {len(reports)} 个基地（{names}），请用 jinguo_xl.consolidate 查看"
        )
    return Report(reports[0], load_rules(rules_year))


def consolidate(
    paths: PathLike | Iterable[PathLike],
    *,
    rules_year: int = 2020,
    roster: PathLike | Roster | None = None,
) -> Consolidated:
    """Read every workbook named or found in the folders (recursively) and consolidate them, as
    ``jinguo-xl consolidate`` does, without writing a master.

    Counties' masters are read back as the bases they hold; the same base sent twice counts
    once (the later 填报日期, else the newer file). With ``roster`` (a 名单 workbook, or one
    already read), :meth:`Consolidated.roster` says who has reported; a bad roster raises
    :class:`~jinguo_xl.read.roster.RosterError` before any workbook is read."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    _require(*given)
    rules = load_rules(rules_year)
    if roster is not None and not isinstance(roster, Roster):
        roster = read_roster(Path(roster), rules)
    files, passed = survey(given)
    result = build_consolidation(files, rules_year, passed=passed)
    status = match_roster(roster, result, rules) if roster is not None else None
    return Consolidated(result, rules, status)


def _require(*paths: PathLike) -> None:
    missing = missing_paths(paths)
    if missing:
        raise FileNotFoundError("找不到：" + "、".join(missing))


class Report:
    """One workbook checked: its verdict, its tables' figures and its findings.

    ``report`` is the underlying :class:`~jinguo_xl.count.report.FileReport`."""

    def __init__(self, report: FileReport, rules: Rules) -> None:
        self.report = report
        self.rules = rules

    @property
    def file(self) -> str:
        return self.report.file

    @property
    def ok(self) -> bool:
        """False when the file could not be read at all (``error`` says why)."""
        return self.report.ok

    @property
    def error(self) -> str | None:
        return self.report.error

    @property
    def status(self) -> str:
        """达标, 基本达标, 未达标, 未填报 or 无法判定 (empty for a file that was not checked)."""
        return self.report.status if self.report.ok and not self.report.skipped else ""

    @property
    def reason(self) -> str:
        return self.report.reason

    def tables(self) -> pd.DataFrame:
        """One row per filled table: its figures, each target (actual/required), its verdict;
        the columns of the master's 基地 sheet (without 计入汇总 and 读取自)."""
        if self.report.base is None:
            rows: list[build.Row] = []
        else:
            rows = build.base_rows([Entry(self.report, self.report.file, 0.0)])
        keep = [i for i, c in enumerate(BASE_COLUMNS) if c.key not in ("counts", "origin")]
        return frame([BASE_COLUMNS[i] for i in keep], [[row[i] for i in keep] for row in rows])

    def findings(self) -> pd.DataFrame:
        """Every finding, errors first: the columns of the master's 问题清单."""
        return frame(FINDING_COLUMNS, build.finding_rows(self.report.findings))

    def __repr__(self) -> str:
        if not self.ok:
            return f"<Report {self.file}: 无法读取（{self.error}）>"
        if self.report.skipped:
            return f"<Report {self.file}: 未校验（{self.report.skipped}）>"
        errors = self.report.error_count
        return f"<Report {self.file}: {self.status}，{self.report.rows_read} 行，{errors} 个错误>"


class Consolidated:
    """Many workbooks consolidated: the master's tables as DataFrames.

    ``consolidation`` is the underlying :class:`~jinguo_xl.combine.consolidation.Consolidation`
    (every base as found, duplicates resolved, findings, townships, ranking)."""

    def __init__(
        self, consolidation: Consolidation, rules: Rules, roster: RosterStatus | None = None
    ) -> None:
        self.consolidation = consolidation
        self.rules = rules
        self.roster_status = roster

    def roster(self) -> pd.DataFrame:
        """The master's 报送情况: one row per roster base (已报送, 已更正 or 未报送, with the
        file that counts), then the bases sent that are not on the roster (名单外). Raises
        ValueError when no roster was given."""
        if self.roster_status is None:
            raise ValueError("汇总时没有给出名单：请用 consolidate(路径, roster=名单文件)")
        return frame(ROSTER_COLUMNS, roster_rows(self.roster_status))

    def bases(self) -> pd.DataFrame:
        """One row per base counted: its fields, verdict and reason, totals over its tables,
        errors and warnings, and its file. A base sent twice is one row (the copy that
        counts); 重复报送（未计入） names the copies left out."""
        return frame(BASE_SUMMARY_COLUMNS, build.base_summary_rows(self.consolidation))

    def tables(self) -> pd.DataFrame:
        """The master's 基地 sheet: one row per base per filled table, superseded copies of a
        base included (计入汇总 says which copy counts)."""
        return frame(BASE_COLUMNS, build.base_rows(self.consolidation.entries))

    def women(self, *, mask: bool = False) -> pd.DataFrame:
        """The master's 妇女明细: every row read, counted or not, with where it came from;
        ``mask`` masks names, phones and addresses as ``consolidate --mask`` does."""
        return frame(WOMEN_COLUMNS, build.women_rows(self.consolidation, mask))

    def findings(self) -> pd.DataFrame:
        """The master's 问题清单: every finding (each once), errors first."""
        return frame(FINDING_COLUMNS, build.finding_rows(self.consolidation.findings))

    def duplicates(self, *, mask: bool = False) -> pd.DataFrame:
        """The master's 重复人员: the same 姓名 + 联系电话 under two or more bases."""
        return frame(DUPLICATE_COLUMNS, build.duplicate_rows(self.consolidation, mask))

    def counties(self) -> pd.DataFrame:
        """汇总's table 按区县: every key county (one that sent nothing too), whether it
        reported (应报 / 已报 / 未报 with a roster), its counted bases by type and verdict,
        and their figures. The master's 全市合计 row is left out: sum the columns."""
        types = [bt.name for bt in self.rules.base_types]
        status = self.roster_status
        columns = county_columns(types, build.SUMMARY_STATUSES, roster=status is not None)
        return frame(columns, build.county_rows(self.consolidation, self.rules, status))

    def townships(self) -> pd.DataFrame:
        """The master's 深度贫困乡镇: each listed township's bases by type and its coverage."""
        columns = township_columns(bt.name for bt in self.rules.base_types)
        return frame(columns, build.township_rows(self.consolidation, self.rules))

    def ranking(self) -> pd.DataFrame:
        """The master's 推荐排名 (for reference, not a selection)."""
        return frame(RANKING_COLUMNS, build.ranking_rows(self.consolidation))

    def inputs(self) -> pd.DataFrame:
        """The files given, as 说明 lists them: what each was read as, or why it could not be."""
        return frame(INPUT_COLUMNS, build.input_rows(self.consolidation))

    def __repr__(self) -> str:
        result = self.consolidation
        failed = sum(i.kind == "unreadable" for i in result.inputs)
        text = (
            f"<Consolidated: {len(result.inputs)} 个文件，{len(result.counted)} 个基地计入汇总，"
            f"{result.rows_read} 行数据"
        )
        return text + (f"，{failed} 个文件无法读取>" if failed else ">")


# ---------------------------------------------------------------------- typed frames


def frame(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """Rows in the order of ``columns`` → a DataFrame headed and typed by the column specs."""
    data = {c.header: _series(c.kind, [row[i] for row in rows]) for i, c in enumerate(columns)}
    return pd.DataFrame(data, columns=headers(columns))


def _series(kind: str, values: list[object]) -> pd.Series:
    if kind == "text":
        return pd.Series([_text(v) for v in values], dtype="string")
    if kind == "int":
        return pd.Series([_int(v) for v in values], dtype="Int64")
    if kind in ("money", "ratio", "rate"):
        return pd.Series([_float(v) for v in values], dtype="float64")
    if kind == "date":
        return pd.Series([_date(v) for v in values], dtype="datetime64[ns]")
    return pd.Series([None if v in (None, "") else v for v in values], dtype=object)


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or a name read as a number: 13800138000, not 1.38e10
    return str(value)


def _int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal, Fraction)) and _finite(value) and value == int(value):
        return int(value)
    return None


def _float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        return np.nan
    return float(value) if _finite(value) else np.nan


def _finite(value: float | Decimal | Fraction) -> bool:
    try:
        return math.isfinite(value)
    except (TypeError, ValueError):  # a signalling Decimal NaN
        return False


_NS_FIRST, _NS_LAST = pd.Timestamp.min.date(), pd.Timestamp.max.date()


def _date(value: object) -> pd.Timestamp | None:
    if isinstance(value, dt.date):
        day = dt.date(value.year, value.month, value.day)
        if _NS_FIRST < day < _NS_LAST:
            return pd.Timestamp(day)
    return None

"""Many checked workbooks → one municipal picture (pure: no file is written here).

Counties send folders of base workbooks or their own consolidated masters. Every base is
counted once: the same base sent twice (two files, or a file and a master holding it) is
flagged and the later 填报日期 (else the newer file) counts. Every row read stays in the result,
counted or not, so rows read always equals rows in the master.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from jinguo_xl.combine.layout import TIME_FORMAT
from jinguo_xl.count.left_out import left_out_rows
from jinguo_xl.count.report import FileReport
from jinguo_xl.findings import Code, Finding, Findings
from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
    UNKNOWN_COUNTY,
)
from jinguo_xl.labels import name_key, norm_label
from jinguo_xl.read.kinds import TEMPLATE_SKIPPED
from jinguo_xl.rules import Rules, Township

STATUSES = (STATUS_MET, STATUS_BASIC, STATUS_NOT_MET, STATUS_EMPTY)


@dataclass(slots=True)
class InputFile:
    """One file given to the consolidation, as the 说明 sheet lists it."""

    file: str
    sha256: str
    # "workbook" | "master" | "template" (blank, skipped) | "skipped" (no workbook: a lock
    # file, a scan …) | "unreadable" (refused, with the reason in ``error``)
    kind: str
    error: str | None = None
    bases: int = 0
    rows: int = 0
    mtime: float = 0.0
    # Other places the same bytes were found (read once: spec §8, same bytes, same submission).
    places: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    """One base as found in one source; ``counts`` is False for a superseded copy."""

    report: FileReport
    origin: str  # the input file it was read from (a workbook, or a master holding it)
    mtime: float  # the source file's own time (recorded by a master for the bases it holds)
    counts: bool = True
    superseded_by: str = ""
    sha256: str = ""  # the source file's bytes ("" when a master did not record them)
    # The master it was read from had found a later copy of this base: kept on a tie.
    was_superseded: bool = False

    @property
    def key(self) -> tuple[str, str]:
        base = self.report.base
        assert base is not None
        unnamed = f"（未命名）{self.report.file}{self.report.part}"
        return (name_key(base.name) or unnamed, base.county)

    @property
    def source(self) -> tuple[str, str]:
        """One submission: the source's bytes and the base's sheets in it."""
        return (self.sha256, self.report.part)


@dataclass(slots=True)
class Duplicate:
    name: str
    phone: str
    bases: list[Entry]


@dataclass(slots=True)
class TownshipCoverage:
    """A deep-poverty township's bases by type; ``filled`` of them have a counted row."""

    township: Township
    by_type: dict[str, int]
    filled: int = 0

    @property
    def bases(self) -> int:
        return sum(self.by_type.values())

    @property
    def covered(self) -> bool:
        """Covered only by a base with at least one counted row: a 未填报 base is a name on
        paper, not help given."""
        return self.filled > 0


@dataclass(slots=True)
class Consolidation:
    """The municipal picture. Each entry's report keeps its own findings; the consolidation
    keeps only what it found itself (a base sent twice …) in ``own_findings``, and
    :attr:`findings` joins the two for output."""

    inputs: list[InputFile]
    entries: list[Entry]
    own_findings: list[Finding]
    duplicates: list[Duplicate]
    townships: list[TownshipCoverage]
    ranking: list[tuple[Entry, float]]
    rules_year: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def counted(self) -> list[Entry]:
        return [e for e in self.entries if e.counts]

    @property
    def rows_read(self) -> int:
        return sum(e.report.rows_read for e in self.entries)

    @property
    def findings(self) -> list[Finding]:
        """Every finding, as 问题清单, the summary and the terminal list it: the consolidation's
        own first, then each entry's in the entries' order.

        A base read twice from the same original (its file and a master holding it) brings the
        same findings twice: each is listed once.
        """
        out = list(self.own_findings)
        seen: set[tuple[object, ...]] = set()
        for entry in self.entries:
            for f in entry.report.findings:
                key = (f.file, f.sheet, f.row, f.col, f.code, f.message)
                if key not in seen:
                    seen.add(key)
                    out.append(f)
        return out


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------- building


def one_per_submission(
    loaded: Sequence[tuple[InputFile, list[Entry]]], findings: Findings
) -> tuple[list[InputFile], list[Entry]]:
    """Same bytes, same submission (spec §8): a file found twice is read once and listed once
    with every place it was found; a base a master holds whose source file was also given
    (or is held by an earlier master) is counted from one copy only. Hints, not warnings."""
    inputs: list[InputFile] = []
    first: dict[str, InputFile] = {}
    kept: list[tuple[InputFile, list[Entry]]] = []
    for item, entries in loaded:
        seen = first.get(item.sha256) if item.sha256 else None
        if seen is not None:
            seen.places.append(item.file)
            findings.add(Code.SAME_FILE, file=item.file, detail=seen.file)
            continue
        if item.sha256:
            first[item.sha256] = item
        inputs.append(item)
        kept.append((item, entries))
    direct = {e.source: e for item, entries in kept if item.kind != "master" for e in entries}
    out: list[Entry] = []
    held: set[tuple[str, str]] = set()
    for item, entries in kept:
        if item.kind != "master":
            out.extend(entries)
            continue
        same: list[Entry] = []
        for e in entries:
            (same if e.sha256 and (e.source in direct or e.source in held) else out).append(e)
            if e.source in direct:
                _county_from_master(direct[e.source], e, findings)
        held.update(e.source for e in entries if e.sha256)
        if same:
            names = "、".join(f"“{e.report.file}”" for e in same[:3])
            more = f"等 {len(same)} 个文件" if len(same) > 3 else ""
            findings.add(Code.SAME_IN_MASTER, file=item.file, value=len(same), detail=names + more)
    return inputs, out


def _county_from_master(kept: Entry, dropped: Entry, findings: Findings) -> None:
    """The file given again outside any county folder keeps the county the master it is also
    in had for it (from its folder or its 所属区县): the same submission, the same county."""
    mine, theirs = kept.report.base, dropped.report.base
    if mine is None or theirs is None:
        return
    if mine.county == UNKNOWN_COUNTY and theirs.county != UNKNOWN_COUNTY:
        mine.county, mine.county_in_scope = theirs.county, theirs.county_in_scope
        findings.add(
            Code.COUNTY_FROM_MASTER,
            file=kept.report.file,
            column="所属区县",
            value=theirs.county,
            detail=dropped.origin,
        )


def _fill(e: Entry) -> object:
    return e.report.base.fill_date if e.report.base else None


def _rank(e: Entry) -> tuple[object, ...]:
    """Which copy of a base counts (spec §8, in the README): the later 填报日期 (a copy with a
    date before one without); then the newer file time; then the copy a master had kept;
    then the later file path and sheet, so that the choice never depends on input order."""
    fill = _fill(e)
    return (fill is not None, fill or 0, e.mtime, not e.was_superseded, e.report.file,
            e.report.part)


def _why_chosen(winner: Entry, loser: Entry) -> str:
    """The first part of the rank that tells the two copies apart, in words."""
    if (_fill(winner) is not None) != (_fill(loser) is not None):
        return "只有这一份填写了填报日期"
    if _fill(winner) != _fill(loser):
        return f"填报日期较晚（{_fill(winner)}）"
    if winner.mtime != loser.mtime:
        stamp = dt.datetime.fromtimestamp(winner.mtime).strftime(TIME_FORMAT)
        return f"填报日期相同或都未填写，文件时间较新（{stamp}）"
    if winner.was_superseded != loser.was_superseded:
        return "填报日期和文件时间都相同，原汇总表已以这一份为准"
    return "填报日期和文件时间都相同，按文件路径的字符顺序取排在后面的一份"


def _match_unknown_counties(entries: list[Entry], findings: Findings, rules: Rules) -> None:
    """A copy whose county is unknown but whose base name (and 负责人, when both give one)
    is that of a base of exactly one county is that base (spec §8): never a second base."""
    counties: dict[str, set[str]] = defaultdict(set)
    leaders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in entries:
        base = e.report.base
        if base is not None and base.county != UNKNOWN_COUNTY and name_key(base.name):
            counties[name_key(base.name)].add(base.county)
            leaders[(name_key(base.name), base.county)].add(norm_label(base.leader))
    for e in entries:
        base = e.report.base
        if base is None or base.county != UNKNOWN_COUNTY or not name_key(base.name):
            continue
        found = counties.get(name_key(base.name), set())
        if len(found) != 1:
            continue
        (county,) = found
        known = leaders[(name_key(base.name), county)] - {""}
        if norm_label(base.leader) and known and norm_label(base.leader) not in known:
            continue
        base.county = county
        base.county_in_scope = rules.resolve_county(county) is not None
        findings.add(
            Code.COUNTY_FROM_BASE,
            file=e.report.file,
            column="所属区县",
            value=county,
            detail=f"“{base.name}”" + (f"（负责人 {base.leader}）" if base.leader else ""),
        )


def _resolve_duplicates(entries: list[Entry], findings: Findings) -> None:
    """The same base twice: one copy counts by :func:`_rank`; all stay listed, and 问题清单
    says for each copy left out which one counts and why."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.key].append(entry)
    for group in groups.values():
        if len(group) < 2:
            continue
        winner = max(group, key=_rank)
        for entry in group:
            if entry is winner:
                continue
            entry.counts = False
            entry.superseded_by = winner.origin
            findings.add(
                Code.BASE_SENT_TWICE,
                file=entry.report.file,
                column="带动基地名称",
                detail=winner.origin,
                origin=entry.origin,
                value=entry.report.base.name if entry.report.base else "",
                reason=f"（{_why_chosen(winner, entry)}）",
            )


def _cross_base_duplicates(entries: Iterable[Entry]) -> list[Duplicate]:
    """The same 姓名 + 联系电话 under two or more distinct bases (rows without a phone are not
    matched: a common name alone would link strangers)."""
    where: dict[tuple[str, str], dict[tuple[str, str], Entry]] = defaultdict(dict)
    for entry in entries:
        for table in entry.report.tables:
            for row in table.rows:
                if row.name and row.phone:
                    where[(row.name, row.phone)].setdefault(entry.key, entry)
    out = [
        Duplicate(name, phone, list(bases.values()))
        for (name, phone), bases in where.items()
        if len(bases) > 1
    ]
    out.sort(key=lambda d: (d.name, d.phone))
    return out


def _townships(entries: Iterable[Entry], rules: Rules) -> list[TownshipCoverage]:
    coverage = {
        t: TownshipCoverage(t, {bt.name: 0 for bt in rules.base_types}) for t in rules.townships
    }
    for entry in entries:
        base = entry.report.base
        if base is not None and base.township_entry is not None and base.type:
            coverage[base.township_entry].by_type[base.type] += 1
            if any(any(table.counted) for table in entry.report.tables):
                coverage[base.township_entry].filled += 1
    return list(coverage.values())


def score(report: FileReport) -> float | None:
    """How far a base exceeds its targets: the smallest actual/required ratio over its filled
    tables (for an OR target, the better branch). None when it has no target results."""
    ratios = []
    for result in report.results:
        if not result.rows or not result.targets:
            continue
        by_group: dict[str, list[float]] = defaultdict(list)
        for t in result.targets:
            if t.actual is None or not t.required:
                value = 0.0
            else:
                value = float(Fraction(t.actual) / Fraction(t.required))
            by_group[t.or_group or f"_{t.metric}"].append(value)
        ratios.extend(max(values) for values in by_group.values())
    return min(ratios) if ratios else None


def _ranking(entries: Iterable[Entry]) -> list[tuple[Entry, float]]:
    scored = [
        (e, s)
        for e in entries
        if e.report.status in (STATUS_MET, STATUS_BASIC)
        if (s := score(e.report)) is not None
    ]
    scored.sort(
        key=lambda item: (
            -item[1],
            item[0].report.base.name if item[0].report.base else "",
            item[0].report.file,
        )
    )
    return scored


def consolidate(
    inputs: Sequence[InputFile],
    entries: list[Entry],
    rules: Rules,
    extra_findings: Sequence[Finding] = (),
) -> Consolidation:
    """Resolve duplicates and compute every cross-base table from checked entries."""
    order = {c.name: i for i, c in enumerate(rules.counties)}

    def place(e: Entry) -> tuple[object, ...]:
        county = county_of(e)
        return (
            county == UNKNOWN_COUNTY,
            order.get(county, len(order)),
            county,
            e.report.file,
            e.origin,
        )

    # A blank template is one of our own outputs, not a 未填报 base: listed, never counted.
    skipped = {e.origin for e in entries if e.report.skipped}
    entries = sorted((e for e in entries if not e.report.skipped), key=place)
    inputs = [
        InputFile(i.file, i.sha256, "template", None, 0, 0, i.mtime, i.places)
        if i.file in skipped
        else i
        for i in inputs
    ]
    own = Findings("", extra_findings)
    _match_unknown_counties(entries, own, rules)
    entries.sort(key=place)  # a county found above moves its base among its county's
    _resolve_duplicates(entries, own)
    counted = [e for e in entries if e.counts]
    return Consolidation(
        inputs=list(inputs),
        entries=entries,
        own_findings=own,
        duplicates=_cross_base_duplicates(counted),
        townships=_townships(counted, rules),
        ranking=_ranking(counted),
        rules_year=rules.year,
    )


# ---------------------------------------------------------------------- figures


def county_of(entry: Entry) -> str:
    return entry.report.base.county if entry.report.base else UNKNOWN_COUNTY


def county_order(result: Consolidation, rules: Rules) -> list[str]:
    """All 14 counties in the rules' order (a county that sent nothing is shown, not
    hidden), then any other county, 未知区县 last."""
    seen = {county_of(e) for e in result.entries}
    listed = [c.name for c in rules.counties]
    others = sorted(seen - set(listed) - {UNKNOWN_COUNTY})
    return listed + others + ([UNKNOWN_COUNTY] if UNKNOWN_COUNTY in seen else [])


@dataclass(slots=True)
class CountyFigures:
    bases: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    rows: int = 0
    trained: int = 0
    employed: int = 0
    sales_wan: Decimal = Decimal(0)
    sales_wan_all: Decimal = Decimal(0)

    def add(self, report: FileReport) -> None:
        base = report.base
        self.bases += 1
        self.by_type[base.type if base and base.type else "类型未知"] += 1
        self.by_status[report.status] += 1
        self.rows += report.rows_read
        for r in report.results:
            self.trained += r.metrics.training_person_times
            self.employed += r.metrics.employed or 0
            self.sales_wan += r.metrics.sales_wan
            self.sales_wan_all += r.metrics.sales_wan_all


def by_county(result: Consolidation, rules: Rules) -> dict[str, CountyFigures]:
    """Figures per county over the counted bases (superseded copies excluded)."""
    out = {c: CountyFigures() for c in county_order(result, rules)}
    for entry in result.counted:
        out[county_of(entry)].add(entry.report)
    return out


def by_combination(result: Consolidation, rules: Rules) -> dict[tuple[str, str], CountyFigures]:
    """Figures per type × industry (every allowed combination, plus any other that occurs)."""
    out = {(bt.name, ind): CountyFigures() for bt in rules.base_types for ind in bt.industries}
    for entry in result.counted:
        report = entry.report
        base_type = report.base.type if report.base and report.base.type else "类型未知"
        for r in report.results:
            if not r.rows:
                continue
            fig = out.setdefault((base_type, r.industry), CountyFigures())
            fig.bases += 1
            fig.by_status[r.status] += 1
            fig.rows += r.rows
            fig.trained += r.metrics.training_person_times
            fig.employed += r.metrics.employed or 0
            fig.sales_wan += r.metrics.sales_wan
            fig.sales_wan_all += r.metrics.sales_wan_all
    return out


def summary_json(result: Consolidation, rules: Rules, master: str) -> dict[str, object]:
    """The ``--json`` answer of ``jinguo-xl consolidate``."""
    by_status = dict.fromkeys(STATUSES, 0)
    for entry in result.counted:
        by_status[entry.report.status] = by_status.get(entry.report.status, 0) + 1
    if not by_status.get(STATUS_UNDECIDED):
        by_status.pop(STATUS_UNDECIDED, None)
    counties = {
        name: {
            "bases": f.bases,
            "rows": f.rows,
            "sales_wan_all": float(f.sales_wan_all),
            "sales_wan": float(f.sales_wan),
            "trained": f.trained,
            "employed": f.employed,
        }
        for name, f in by_county(result, rules).items()
    }
    rows = result.rows_read
    return {
        "master": master,
        "files_read": sum(1 for i in result.inputs if i.kind not in ("unreadable", "skipped")),
        "files_failed": [
            {"file": i.file, "error": i.error} for i in result.inputs if i.kind == "unreadable"
        ],
        "files_skipped": [
            {"file": i.file, "reason": i.error or TEMPLATE_SKIPPED}
            for i in result.inputs
            if i.kind in ("template", "skipped")
        ],
        "files_same": {i.file: i.places for i in result.inputs if i.places},
        "rows_read": rows,
        "rows_in_master": result.extra.get("rows_in_master", rows),
        "bases": len(result.counted),
        "bases_listed": len(result.entries),
        "by_status": by_status,
        "counties": counties,
        "townships": [
            {
                "county": t.township.county,
                "township": t.township.name,
                "bases": t.bases,
                "bases_filled": t.filled,
                "covered": t.covered,
                "confirmed": t.township.confirmed,
            }
            for t in result.townships
        ],
        "townships_named": len(rules.townships),
        "townships_in_notice": rules.notice_township_count,
        "cross_base_duplicates": len(result.duplicates),
        # rows typed but kept out of the totals or targets, by reason (see left_out.py)
        "left_out": left_out_rows(e.report for e in result.counted),
        "findings": dict(Counter(f.severity for f in result.findings)),
    }

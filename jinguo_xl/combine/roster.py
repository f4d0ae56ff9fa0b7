"""Who has reported: the submissions of a consolidation matched to the roster (名单).

A base on the roster is matched by its county and its name after normalising width, spaces
and punctuation (:func:`jinguo_xl.labels.name_key`), nothing looser: a near miss (the short
and the full name of one cooperative, a typo) is shown as a suggestion for a person to
confirm, never taken as a match, because a wrong match would hide a base that did not report.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from jinguo_xl.combine.consolidation import Consolidation, Entry, county_of
from jinguo_xl.combine.rows import status_text
from jinguo_xl.findings import Severity, count_by_severity
from jinguo_xl.findings.messages import UNKNOWN_COUNTY
from jinguo_xl.labels import name_key
from jinguo_xl.read.roster import Roster, RosterBase
from jinguo_xl.rules import Rules

REPORTED, CORRECTED, MISSING, UNLISTED = "已报送", "已更正", "未报送", "名单外"
STATES = (REPORTED, CORRECTED, MISSING, UNLISTED)
NEAR_RATIO = 0.75  # SequenceMatcher ratio from which two names may be the same base
NEAR_SHORTEST = 4  # a name contained in another counts as near only from this length

Row = list[object]


@dataclass(slots=True)
class RosterLine:
    """One row of 报送情况: a roster base (and the copies sent of it), or a base sent that is
    not on the roster. ``entries`` are every copy, the counting one first."""

    county: str
    name: str
    state: str
    base: RosterBase | None = None
    entries: list[Entry] = field(default_factory=list)
    suggestion: str = ""

    @property
    def counting(self) -> Entry | None:
        return self.entries[0] if self.entries else None


@dataclass(slots=True)
class CountyStatus:
    expected: int = 0
    reported: int = 0
    corrected: int = 0
    missing: int = 0
    unlisted: int = 0


@dataclass(slots=True)
class RosterStatus:
    """The roster against what arrived: one line per roster base, then the 名单外 ones."""

    roster: Roster
    lines: list[RosterLine]
    counties: dict[str, CountyStatus]

    def of(self, county: str) -> list[RosterLine]:
        return [line for line in self.lines if line.county == county]


def _groups(result: Consolidation) -> dict[tuple[str, str], list[Entry]]:
    """Every copy sent, by (county, name key); the copy that counts first in each group."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in result.entries:
        base = entry.report.base
        if base is None:
            continue
        groups[(county_of(entry), name_key(base.name))].append(entry)
    for group in groups.values():
        group.sort(key=lambda e: not e.counts)  # stable: the counting copy first
    return groups


def near(a: str, b: str) -> bool:
    """Two name keys that may be the same base: one holds the other, or they differ by a few
    characters."""
    if not a or not b or a == b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) >= NEAR_SHORTEST and short in long_:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= NEAR_RATIO


def _closest(key: str, candidates: list[tuple[str, object]]) -> object | None:
    """The candidate whose key is nearest ``key`` among the near ones, else None."""
    scored = [
        (difflib.SequenceMatcher(None, key, k).ratio(), i)
        for i, (k, _) in enumerate(candidates)
        if near(key, k)
    ]
    if not scored:
        return None
    return candidates[max(scored)[1]][1]


def match_roster(roster: Roster, result: Consolidation, rules: Rules) -> RosterStatus:
    """Match every roster base to the copies sent of it; list the bases sent that are not on
    it; suggest near misses both ways."""
    groups = _groups(result)
    lines: list[RosterLine] = []
    for base in roster.bases:
        entries = groups.pop(base.key, [])
        state = MISSING if not entries else (CORRECTED if len(entries) > 1 else REPORTED)
        lines.append(RosterLine(base.county, base.name, state, base, entries))
    unlisted = [
        RosterLine(county, group[0].report.base.name, UNLISTED, None, group)  # type: ignore[union-attr]
        for (county, _), group in groups.items()
    ]
    missing = [line for line in lines if line.state == MISSING]
    for line in unlisted:
        key = name_key(line.name)
        pool = [(name_key(m.name), m) for m in missing if line.county in (m.county, UNKNOWN_COUNTY)]
        found = _closest(key, pool)
        if isinstance(found, RosterLine):
            where = "" if found.county == line.county else f"{found.county}的"
            line.suggestion = (
                f"可能是名单中的{where}“{found.name}”（名单第 {found.base.row} 行）："  # type: ignore[union-attr]
                "请核对后把名单或统计表中的名称改为一致"
            )
            file = line.counting.report.file if line.counting else ""
            found.suggestion = (
                f"可能已以“{line.name}”报送（{file}）：请核对后把名单或统计表中的名称改为一致"
            )
    order = {c.name: i for i, c in enumerate(rules.counties)}

    def place(line: RosterLine) -> tuple[object, ...]:
        return (
            line.state == UNLISTED,
            line.county == UNKNOWN_COUNTY,
            order.get(line.county, len(order)),
            line.county,
            STATES.index(line.state) if line.state != UNLISTED else 0,
            line.base.row if line.base else 0,
            line.name,
        )

    lines.extend(unlisted)
    lines.sort(key=place)
    return RosterStatus(roster, lines, _by_county(lines, rules))


def _by_county(lines: list[RosterLine], rules: Rules) -> dict[str, CountyStatus]:
    """应报 / 已报 / 未报 / 名单外 per county: the 14 in the rules' order, then the others."""
    out = {c.name: CountyStatus() for c in rules.counties}
    for line in lines:
        figures = out.setdefault(line.county, CountyStatus())
        if line.state == UNLISTED:
            figures.unlisted += 1
            continue
        figures.expected += 1
        if line.state == MISSING:
            figures.missing += 1
        else:
            figures.reported += 1
            figures.corrected += line.state == CORRECTED
    if UNKNOWN_COUNTY in out:  # last, as everywhere
        out[UNKNOWN_COUNTY] = out.pop(UNKNOWN_COUNTY)
    return out


# ---------------------------------------------------------------------- rows


def _note(line: RosterLine) -> str:
    """说明: which copy counts, what differs from the roster, and any near miss."""
    parts: list[str] = []
    counting = line.counting
    if line.state == CORRECTED and counting is not None:
        others = "、".join(e.origin for e in line.entries[1:])
        parts.append(f"共 {len(line.entries)} 份，以 {counting.origin} 为准；未计入：{others}")
    if line.state == MISSING:
        parts.append("未收到该基地的统计表")
    if line.state == UNLISTED:
        parts.append("报送了，但不在名单中")
    base = counting.report.base if counting else None
    if line.base is not None and base is not None:
        if line.base.type and base.type and line.base.type != base.type:
            parts.append(f"名单中的类型为{line.base.type}，统计表中为{base.type}")
        if (
            line.base.township
            and base.township
            and name_key(line.base.township) != name_key(base.township)
        ):
            parts.append(f"名单中的乡镇为{line.base.township}，统计表中为{base.township}")
    if line.suggestion:
        parts.append(line.suggestion)
    return "；".join(parts)


def roster_rows(status: RosterStatus) -> list[Row]:
    """报送情况: one row per roster base, then 名单外, in ``ROSTER_COLUMNS``' order."""
    rows: list[Row] = []
    for line in status.lines:
        counting = line.counting
        report = counting.report if counting else None
        base = report.base if report else None
        errors = count_by_severity(report.findings)[Severity.ERROR] if report else 0
        rows.append(
            [
                line.county,
                line.name,
                (line.base.type if line.base else "") or (base.type if base else "") or "",
                (line.base.township if line.base else "") or (base.township if base else ""),
                line.state,
                len(line.entries),
                report.file if report else "",
                base.fill_date if base else None,
                report.rows_read if report else None,
                status_text(report.status, errors) if report else "",
                _note(line),
            ]
        )
    return rows


def roster_county_rows(status: RosterStatus) -> list[Row]:
    """报送情况's table per county, with a 全市合计 row last."""
    rows: list[Row] = [
        [name, f.expected, f.reported, f.corrected, f.missing, f.unlisted]
        for name, f in status.counties.items()
    ]
    total = [sum(int(row[c]) for row in rows) for c in range(1, 6)]  # type: ignore[call-overload]
    return [*rows, ["全市合计", *total]]


def roster_json(status: RosterStatus) -> dict[str, object]:
    """The ``roster`` object of ``jinguo-xl consolidate --json``."""
    count = {s: sum(line.state == s for line in status.lines) for s in STATES}
    return {
        "file": status.roster.file,
        "expected": len(status.roster.bases),
        "reported": count[REPORTED] + count[CORRECTED],
        "corrected": count[CORRECTED],
        "missing": count[MISSING],
        "unlisted": count[UNLISTED],
        "counties": {
            name: {
                "expected": f.expected,
                "reported": f.reported,
                "corrected": f.corrected,
                "missing": f.missing,
                "unlisted": f.unlisted,
            }
            for name, f in status.counties.items()
        },
        "bases": [
            {
                "county": line.county,
                "name": line.name,
                "state": line.state,
                "versions": len(line.entries),
                "file": line.counting.report.file if line.counting else None,
                "suggestion": line.suggestion or None,
            }
            for line in status.lines
        ],
    }

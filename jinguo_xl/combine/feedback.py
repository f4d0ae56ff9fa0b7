"""What goes back to each county: its share of the master, as the rows of its feedback workbook.

The office sends every county the list of what to correct. Each county gets exactly its own:
its bases with their verdicts, the errors and warnings of its files (the rows of 问题清单,
in the same order), the roster bases it has not sent, the women it shares with other bases,
and its files that could not be read. Messages are already redacted (no phone is quoted), and
the shared women are listed by name and base only, never by phone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinguo_xl.combine.consolidation import Consolidation, Entry, county_of, county_order
from jinguo_xl.combine.layout import FINDING_COLUMNS, TYPE_WIDTH, Column, Columns
from jinguo_xl.combine.rows import counts_text, finding_rows, status_text
from jinguo_xl.findings import Finding, Severity, by_severity, count_by_severity
from jinguo_xl.findings.messages import UNKNOWN_COUNTY
from jinguo_xl.read.reader import folder_county
from jinguo_xl.rules import Rules

if TYPE_CHECKING:
    from jinguo_xl.combine.roster import RosterLine, RosterStatus

Row = list[object]
C = Column

FEEDBACK_BASE_COLUMNS: Columns = (
    C("name", "带动基地名称", width=28, wrap=True),
    C("type", "创建基地类型", width=TYPE_WIDTH),
    C("township", "所在乡镇", width=10, wrap=True),
    C("status", "结论", width=12, wrap=True, breaks=True),
    C("reason", "理由", width=40, wrap=True, breaks=True),
    C("errors", "错误", "int", width=6),
    C("warnings", "警告", "int", width=6),
    C("counts", "计入汇总", width=12, wrap=True),
    C("file", "来源文件", width=30, wrap=True),
)
# 问题清单's columns without its code: the county reads Chinese only.
FEEDBACK_FINDING_COLUMNS: Columns = tuple(
    C(c.key, c.header, c.kind, c.width, wrap=c.wrap or c.key == "file", breaks=c.breaks)
    for c in FINDING_COLUMNS
    if c.key != "code"
)
FEEDBACK_MISSING_COLUMNS: Columns = (
    C("name", "带动基地名称（名单）", width=30, wrap=True),
    C("type", "创建基地类型", width=TYPE_WIDTH),
    C("township", "所在乡镇（街道）", width=12, wrap=True),
    C("leader", "基地负责人姓名", width=10, wrap=True),
    C("row", "名单行号", "int", width=8),
    C("note", "说明", width=50, wrap=True),
)
FEEDBACK_DUPLICATE_COLUMNS: Columns = (
    C("name", "带动妇女姓名", width=10),
    C("bases", "基地数", "int", width=6),
    C("here", "本区县的基地", width=30, wrap=True),
    C("elsewhere", "其他基地（区县）", width=36, wrap=True),
)
FEEDBACK_UNREADABLE_COLUMNS: Columns = (
    C("file", "文件", width=40, wrap=True),
    C("error", "无法读取的原因", width=60, wrap=True),
)


@dataclass(slots=True)
class CountyFeedback:
    """One county's share of the consolidation, ready to be written."""

    county: str
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # errors and warnings only
    missing: list[RosterLine] = field(default_factory=list)
    duplicates: list[Row] = field(default_factory=list)
    unreadable: list[Row] = field(default_factory=list)
    expected: int | None = None  # roster bases of the county (None without a roster)

    @property
    def errors(self) -> int:
        return count_by_severity(self.findings)[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return count_by_severity(self.findings)[Severity.WARNING]

    @property
    def nothing_to_fix(self) -> bool:
        """Nothing in any list, and bases received (or, with a roster, none expected): the
        county is told 无需修改. Without a roster, a county that sent nothing is asked to."""
        received = bool(self.entries) or self.expected is not None
        return received and not (
            self.findings or self.missing or self.duplicates or self.unreadable
        )

    def base_rows(self) -> list[Row]:
        rows: list[Row] = []
        for entry in self.entries:
            report = entry.report
            base = report.base
            counts = count_by_severity(report.findings)
            errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
            rows.append(
                [
                    base.name if base else "",
                    (base.type or base.type_raw) if base else "",
                    base.township if base else "",
                    status_text(report.status, errors),
                    report.reason,
                    errors,
                    warnings,
                    counts_text(entry),
                    report.file,
                ]
            )
        return rows

    def finding_rows(self) -> list[Row]:
        """The county's rows of 问题清单, in its order, without the code column."""
        keep = [i for i, c in enumerate(FINDING_COLUMNS) if c.key != "code"]
        return [[row[i] for i in keep] for row in finding_rows(self.findings)]

    def missing_rows(self) -> list[Row]:
        return [
            [
                line.name,
                line.base.type if line.base else "",
                line.base.township if line.base else "",
                line.base.leader if line.base else "",
                line.base.row if line.base else None,
                line.suggestion or "未收到该基地的统计表，请督促报送",
            ]
            for line in self.missing
        ]


def _base_label(entry: Entry) -> str:
    base = entry.report.base
    return f"{base.name if base else ''}（{entry.report.file}）"


def county_feedback(
    result: Consolidation, rules: Rules, roster: RosterStatus | None = None
) -> list[CountyFeedback]:
    """Every county's feedback: the 14 key counties, the roster's, then any other found."""
    names = county_order(result, rules)
    if roster is not None:
        names += [c for c in roster.counties if c not in names]
    out = {name: CountyFeedback(name) for name in names}
    if roster is not None:
        for name, figures in roster.counties.items():
            out[name].expected = figures.expected
    file_county: dict[str, str] = {}
    for entry in result.entries:
        county = county_of(entry)
        out[county].entries.append(entry)
        file_county.setdefault(entry.report.file, county)
    for f in by_severity(result.findings):
        county = file_county.get(f.file)
        if county is not None and f.severity in (Severity.ERROR, Severity.WARNING):
            out[county].findings.append(f)
    if roster is not None:
        from jinguo_xl.combine.roster import MISSING

        for line in roster.lines:
            if line.state == MISSING:
                out[line.county].missing.append(line)
    for d in result.duplicates:
        by_county: dict[str, list[Entry]] = defaultdict(list)
        for entry in d.bases:
            by_county[county_of(entry)].append(entry)
        for county, here in by_county.items():
            elsewhere = [e for e in d.bases if county_of(e) != county]
            out[county].duplicates.append(
                [
                    d.name,
                    len(d.bases),
                    "\n".join(_base_label(e) for e in here),
                    "\n".join(f"{county_of(e)}：{_base_label(e)}" for e in elsewhere),
                ]
            )
    for item in result.inputs:
        if item.kind != "unreadable":
            continue
        county = folder_county(Path(item.file), rules) or UNKNOWN_COUNTY
        out.setdefault(county, CountyFeedback(county)).unreadable.append(
            [item.file, item.error or ""]
        )
    return list(out.values())

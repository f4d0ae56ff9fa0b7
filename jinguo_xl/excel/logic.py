"""What each ribbon button decides, as plain functions over cell values (no xlwings here).

The adapter in :mod:`jinguo_xl.excel.macros` reads the open workbook into grids, calls these,
and applies the returned edits in blocks. Keeping the decisions here means they are tested on
real workbook values on any machine, and Excel only ever sees a few bulk writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.count.report import FileReport, evaluate_ledger
from jinguo_xl.count.targets import fmt_number, fmt_percent
from jinguo_xl.findings import Finding, Severity, by_severity, count_by_severity
from jinguo_xl.read.grid import parse_grids
from jinguo_xl.read.ledger import Ledger
from jinguo_xl.read.reader import folder_county
from jinguo_xl.rules import Rules

PROBLEMS_SHEET = "问题清单"
MARKS_SHEET = "_jinguo_marks"  # hidden: which cells the last check coloured
STATUS_SHEET = "达标情况"
NOTE_PREFIX = "巾帼统计："
# The template's helper sheet of per-row formulas (jinguo_xl.writers.native.HELPER_SHEET):
# derived values, never data; reading it would cost as much as the tables themselves.
HELPER_SHEET = "计算"
OWN_SHEETS = frozenset({PROBLEMS_SHEET, MARKS_SHEET, STATUS_SHEET, HELPER_SHEET})
COLORS = {Severity.ERROR: "#F8CBAD", Severity.WARNING: "#FFF2CC"}
PROBLEM_HEADER = ["级别", "工作表", "单元格", "列", "说明", "代码"]

Grid = list[list[object]]


@dataclass(frozen=True, slots=True)
class Mark:
    """One cell to colour and annotate: the worst severity and every message for it."""

    sheet: str
    cell: str
    severity: Severity
    note: str


@dataclass(slots=True)
class CheckPlan:
    marks: list[Mark]
    problems: list[list[object]]  # the 问题清单 sheet, header first
    summary: str
    report: FileReport


def evaluate_open_book(
    sheets: Sequence[tuple[str, Grid]], rules: Rules, *, file: str = "", fullname: str = ""
) -> FileReport:
    """The engine over the open workbook's sheets (our own output sheets left out)."""
    own = [(n, g) for n, g in sheets if n not in OWN_SHEETS]
    ledger = Ledger(file=file, path=Path(fullname) if fullname else None)
    if fullname:
        ledger.folder_county = folder_county(Path(fullname), rules)
    parse_grids(own, rules, ledger=ledger)
    if not ledger.parts:
        return evaluate_ledger(ledger, rules)
    # A workbook of several bases (spec §8): each judged alone; the clerk's marks and list
    # cover all of them, and the summary names each base's verdict.
    reports = [evaluate_ledger(part, rules) for part in ledger.parts]
    first = reports[0]
    for other in reports[1:]:
        first.findings.extend(other.findings)
    first.reason = "；".join(
        f"{r.base.name if r.base else '（未命名）'}（工作表 {r.part}）{r.reason}" for r in reports
    )
    return first


def plan_check(
    sheets: Sequence[tuple[str, Grid]], rules: Rules, *, file: str = "", fullname: str = ""
) -> CheckPlan:
    """校验本表: cells to mark, the 问题清单 rows and the summary shown to the clerk."""
    report = evaluate_open_book(sheets, rules, file=file, fullname=fullname)
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in report.findings:
        if f.severity in COLORS and f.sheet and f.cell:
            by_cell.setdefault((f.sheet, f.cell), []).append(f)
    marks = []
    for (sheet, cell), found in by_cell.items():
        severity = min(f.severity for f in found)  # the most important: error, else warning
        text = "\n".join(f"{f.severity.label}：{f.message}" for f in found)
        marks.append(Mark(sheet, cell, severity, NOTE_PREFIX + text))
    problems: list[list[object]] = [list(PROBLEM_HEADER)]
    for f in by_severity(report.findings):
        problems.append([f.severity.label, f.sheet, f.cell, f.column, f.message, f.code.value])
    counts = count_by_severity(report.findings)
    summary = (
        f"{report.reason}\n\n错误 {counts[Severity.ERROR]} 条，警告 {counts[Severity.WARNING]} 条，"
        f"提示 {counts[Severity.INFO]} 条。"
    )
    if marks:
        summary += f"\n已在 {len(marks)} 个单元格上标色并加批注，全部问题见“{PROBLEMS_SHEET}”表。"
    else:
        summary += "\n没有需要修改的单元格。"
    return CheckPlan(marks, problems, summary, report)


def marks_to_record(marks: Sequence[Mark]) -> Grid:
    """The hidden record of coloured cells, so 清除标记 undoes exactly what was done."""
    return [["工作表", "单元格"], *([m.sheet, m.cell] for m in marks)]


def plan_clear(record: Grid | None) -> list[tuple[str, str]]:
    """清除标记: the (sheet, cell) pairs the last check coloured, read from its record."""
    if not record:
        return []
    out = []
    for row in record[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and isinstance(row[1], str) and row[1]:
            out.append((row[0], row[1]))
    return out


def plan_status(report: FileReport, rules: Rules) -> Grid:
    """计算达标: the 达标情况 sheet as values — each filled table's metrics, targets, status."""
    rows: Grid = [[f"达标情况（{report.base.name if report.base else ''}）"], []]
    rows.append(["基地结论", report.status, report.reason])
    rows.append([])
    rows.append(["产业", "工作表", "行数", "结论", "指标", "实际", "要求", "是否达到", "说明"])
    for result in report.results:
        if not result.rows:
            continue
        rows.append(
            [
                result.industry,
                result.sheet,
                result.rows,
                result.status,
                "",
                "",
                "",
                "",
                result.reason,
            ]
        )
        for t in result.targets:
            if t.actual is None:
                actual = "无法统计"
            elif t.unit == "%":
                actual = fmt_percent(t.actual)
            else:
                actual = float(t.actual)
            required = fmt_percent(t.required) if t.unit == "%" else float(t.required)
            note = ("原则上" if t.in_principle else "") + ("（或）" if t.or_group else "")
            rows.append(["", "", "", "", t.label, actual, required, "是" if t.met else "否", note])
        m = result.metrics
        extra = [
            ("培训场次", m.training_sessions),
            ("销售/收入（全部人员，万元）", fmt_number(m.sales_wan_all)),
        ]
        for label, value in extra:
            rows.append(["", "", "", "", label, value, "", "", "参考"])
    width = max(len(r) for r in rows)
    return [r + [None] * (width - len(r)) for r in rows]


HELP_TEXT = (
    "巾帼统计加载项\n\n"
    "校验本表：检查本工作簿的统计表，把有问题的单元格标色并加批注，生成“问题清单”表。\n"
    "清除标记：去掉上次校验加的颜色和批注，删除“问题清单”表。\n"
    "计算达标：按通知的目标计算各表的指标和结论，写入“达标情况”表。\n"
    "汇总区县工作簿：选择一个文件夹，把其中所有统计表汇总成一个总表并打开。\n"
    "导出脱敏副本：把本工作簿另存一份，姓名、电话、住址已脱敏，可对外报送。\n"
    "新建台账：按官方模板新建一个空白统计表。\n\n"
    "单元格函数：JINGUO_STATUS、JINGUO_CHECK、JINGUO_TOTAL、JINGUO_METRIC、JINGUO_TARGET。\n"
    "没有安装加载项的电脑（包括 WPS）：模板中的合计仍然有效，达标判定请用命令 jinguo-xl check。"
)

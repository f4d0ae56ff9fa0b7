"""A report in a few Chinese lines for the terminal: one base, a batch, a consolidation.

The CLI prints these and the demo prints the same summary; neither formats figures itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from jinguo_xl.count.report import FileReport
from jinguo_xl.count.targets import fmt_number
from jinguo_xl.findings import by_severity, count_by_severity
from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.privacy.redact import hide_numbers
from jinguo_xl.rules import Rules

FIRST_FINDINGS = 10


def _amount(value: object) -> str:
    """fmt_number that cannot fail: a figure too large or not finite is shown as typed."""
    try:
        return fmt_number(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def render_report(report: FileReport, rules: Rules, *, all_findings: bool = False) -> str:
    """One base in Chinese: status and reason, money totals, findings by severity."""
    lines = [f"■ {report.file}" + (f"（工作表 {report.part}）" if report.part else "")]
    if not report.ok:
        lines.append(f"  无法读取：{report.error}")
        return "\n".join(lines) + "\n"
    if report.skipped:  # a master or a blank template: said what it is, not checked as a base
        lines.append(f"  提示：{report.skipped}")
        return "\n".join(lines) + "\n"
    base = report.base
    assert base is not None
    township = f" {base.township}" if base.township else ""
    deep = "（深度贫困乡镇）" if base.deep_poverty else ""
    kind = base.type or base.type_raw or "（类型未填）"
    lines.append(  # typed text: a phone typed beside a name must not reach the screen
        hide_numbers(
            f"  基地：{base.name or '（未填写名称）'}｜{kind}"
            f"｜负责人 {base.leader or '未填'}｜{base.county}{township}{deep}"
        )
    )
    lines.append(f"  结论：{report.reason}")
    for r in report.results:
        if r.rows:
            lines.append(f"    · {r.industry}（工作表“{r.sheet}”，{r.rows} 行）：{r.reason}")
    totals = report.totals(rules)
    counted = report.totals(rules, counted_only=True)
    money = "，".join(
        f"{k} {_amount(v)} 万元（其中贫困妇女 {_amount(counted[k])}）"
        for k, v in totals.items()
        if v or counted[k]
    )
    if money:
        lines.append(f"  金额合计：{money}")
    counts = count_by_severity(report.findings)
    lines.append("  问题：" + "，".join(f"{s.label} {n} 条" for s, n in counts.items()))
    ordered = by_severity(report.findings)
    shown = ordered if all_findings else ordered[:FIRST_FINDINGS]
    for f in shown:
        lines.append(f"    [{f.severity.label}] {f.place}：{f.message}")
    if len(ordered) > len(shown):
        lines.append(
            f"    ……另有 {len(ordered) - len(shown)} 条，加 --all-findings 查看全部，"
            "或加 --json 导出"
        )
    return "\n".join(lines) + "\n"


def render_summary(reports: Sequence[FileReport]) -> str:
    read = [r for r in reports if r.ok and not r.skipped]
    failed = sum(not r.ok for r in reports)
    skipped = len(reports) - len(read) - failed
    by_status: dict[str, int] = {}
    for r in read:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    order = [STATUS_MET, STATUS_BASIC, STATUS_NOT_MET, STATUS_EMPTY, STATUS_UNDECIDED]
    status_text = "，".join(f"{k} {by_status[k]} 个" for k in order if k in by_status)
    rows = sum(r.rows_read for r in read)
    errors = sum(r.error_count for r in read)
    text = (
        f"共 {len(reports)} 个文件：读取 {len(read)} 个，无法读取 {failed} 个；"
        f"数据行 {rows} 行；错误 {errors} 条。"
    )
    if skipped:
        text += f"\n另有 {skipped} 个文件不是基地工作簿（汇总表或空白模板），未按基地校验。"
    if status_text:
        text += f"\n达标情况：{status_text}"
    return text


def render_consolidation(summary: dict) -> str:
    """The consolidation in a few Chinese lines."""
    by_status = "，".join(f"{k} {v} 个" for k, v in summary["by_status"].items())
    covered = sum(1 for t in summary["townships"] if t["covered"])
    lines = [
        f"已生成汇总表：{summary['master']}",
        f"读取文件 {summary['files_read']} 个，无法读取 {len(summary['files_failed'])} 个；"
        f"数据行 {summary['rows_read']} 行，汇总表中 {summary['rows_in_master']} 行。",
        f"基地 {summary['bases']} 个：{by_status}。" + _resent(summary),
        f"深度贫困乡镇已覆盖 {covered}/{summary['townships_named']}（通知为 "
        f"{summary['townships_in_notice']} 个）；"
        f"跨基地重复人员 {summary['cross_base_duplicates']} 人。",
    ]
    if summary.get("left_out"):
        lines.append(
            "未计入合计或目标的行："
            + "；".join(f"{why} {n} 行" for why, n in summary["left_out"].items())
            + "（逐行位置见汇总表的“问题清单”）"
        )
    if roster := summary.get("roster"):
        lines.append(
            f"名单 {roster['file']}：应报 {roster['expected']} 个基地，已报 {roster['reported']} 个"
            f"（其中已更正 {roster['corrected']} 个），未报 {roster['missing']} 个，"
            f"名单外 {roster['unlisted']} 个（见汇总表的“报送情况”）。"
        )
    if feedback := summary.get("feedback"):
        lines.append(
            f"已在 {feedback['folder']} 写出 {len(feedback['files'])} 个区县的问题清单，"
            "供退回修改。"
        )
    for failed in summary["files_failed"]:
        lines.append(f"  无法读取：{failed['file']}：{failed['error']}")
    for skipped in summary.get("files_skipped", []):
        lines.append(f"  已跳过：{skipped['file']}：{skipped['reason']}")
    for file, places in summary.get("files_same", {}).items():
        lines.append(f"  同一文件：{file} 也出现在 {'、'.join(places)}，只计一次")
    return "\n".join(lines)


def _resent(summary: dict) -> str:
    """Copies of a base already counted: listed in the master, not counted twice."""
    extra = summary["bases_listed"] - summary["bases"]
    if not extra:
        return ""
    return (
        f"另有重复报送 {extra} 份（同一基地报送了不止一次）未计入，"
        "以填报日期较晚（其次文件较新）的一份为准，见汇总表“基地”表的“计入汇总”列。"
    )

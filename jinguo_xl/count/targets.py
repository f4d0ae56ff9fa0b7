"""Metrics per filled table, the targets of the base's type × industry, and the status (spec §4–5).

Counts are exact: money is summed as Decimal, rates are compared as fractions (45/64 ≥ 0.7 is
decided without rounding), and every status carries its reason in words so that a clerk can see
how it was reached (``未达标：培训人次 45/50，带动就业 12/20``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.rules import Rules, Target
from jinguo_xl.validate.workbook import LEFT_OUT, BaseInfo, CleanTable
from jinguo_xl.vocabulary.metrics import METRICS, Context, Metrics, compute

__all__ = ["Metrics", "TableResult", "TargetResult", "base_status", "evaluate_table"]

# Worse statuses sort higher: a base takes the worst over its filled tables.
_SEVERITY = {STATUS_MET: 0, STATUS_BASIC: 1, STATUS_NOT_MET: 2, STATUS_UNDECIDED: 3}


@dataclass(slots=True)
class TargetResult:
    metric: str
    label: str
    unit: str
    required: Fraction
    actual: int | Decimal | Fraction | None
    met: bool
    in_principle: bool
    or_group: str | None
    why_unknown: str = ""  # why ``actual`` is None
    undecidable: bool = False  # a required column is missing: the figure cannot be judged
    note: str = ""  # amounts left out of this figure, shown when the target is missed

    def to_json(self) -> dict[str, object]:
        def num(value: object) -> object:
            if isinstance(value, Fraction) and value.denominator == 1:
                return int(value)
            if isinstance(value, (Decimal, Fraction)):
                return float(value)
            return value

        return {
            "metric": self.metric,
            "label": self.label,
            "required": num(self.required),
            "actual": num(self.actual),
            "met": self.met,
            "in_principle": self.in_principle,
            "or_group": self.or_group,
        }

    def text(self) -> str:
        """``培训人次 45/50`` — actual over required, in the unit the clerk reads."""
        if self.actual is None:
            return f"{self.label} 无法统计（{self.why_unknown}）"
        note = f"（{self.note}）" if self.note and not self.met else ""
        if self.unit == "%":
            return f"{self.label} {fmt_percent(self.actual)}/{fmt_percent(self.required)}{note}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label} {fmt_number(self.actual)}/{fmt_number(self.required)}{unit}{note}"


@dataclass(slots=True)
class TableResult:
    industry: str
    sheet: str
    rows: int
    metrics: Metrics
    targets: list[TargetResult] = field(default_factory=list)
    status: str = STATUS_EMPTY
    reason: str = ""
    # Rows whose typed amount counts in no total, by reason (``金额疑似以元填写`` → 1).
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def margin(self) -> float | None:
        """How far the table exceeds its targets: the smallest actual/required ratio."""
        ratios = []
        for t in self.targets:
            if t.actual is None or not t.required:
                continue
            ratios.append(float(Fraction(t.actual) / Fraction(t.required)))
        return min(ratios) if ratios else None


def fmt_number(value: object) -> str:
    """45 → ``45``; Decimal 3.90 → ``3.9``; 2.125 → ``2.13`` (two decimals at most)."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        q = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        q = Decimal(value)  # type: ignore[arg-type]
    text = f"{q.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".rstrip("0").rstrip(".")
    return text or "0"


def fmt_percent(value: object) -> str:
    return fmt_number(Fraction(value) * 100) + "%"  # type: ignore[arg-type]


# ---------------------------------------------------------------------- metrics


def compute_metrics(
    table: CleanTable, rules: Rules, declared_households: int | None, per_household: bool
) -> Metrics:
    """Count the rules' metrics (spec §4) over one table's columns."""
    return compute(table, Context(rules, declared_households, per_household))


# ---------------------------------------------------------------------- targets and status


def required_for(target: Target, households: int | None) -> Fraction:
    """The threshold; per-household targets accumulate over the households (spec §5). The
    cell function JINGUO_TARGET shows this same figure."""
    required = Fraction(str(target.min))
    return required * (households or 1) if target.per_household else required


def _why_unknown(metric: str, rules: Rules, table: CleanTable) -> str:
    if metric == "employed":
        return f"表中没有“{table.spec.header_of('employed', rules.columns)}”列"
    return "没有培训记录"


def _absent(metric: str, rules: Rules, table: CleanTable) -> str:
    """``缺少“产品收入（万元）”列`` when a required column of the metric is not in the table."""
    spec = table.spec
    missing = [
        f"“{spec.header_of(k, rules.columns)}”"
        for k in METRICS[metric].needs(spec)
        if k in spec.columns and k not in spec.optional and k not in table.has_columns
    ]
    return f"缺少{'、'.join(missing)}列" if missing else ""


def left_out_counts(reasons: Iterable[str]) -> dict[str, int]:
    """Rows whose typed amount counts nowhere, by reason, in the reasons' fixed order."""
    found = Counter(reasons)
    return {reason: found[reason] for reason in LEFT_OUT.values() if found[reason]}


def _left_out_note(metric: str, table: CleanTable) -> str:
    """``另有 1 行金额疑似以元填写，未计入`` for a figure counted from the money column."""
    spec = table.spec
    if not table.left_out or not spec.money or spec.money not in METRICS[metric].needs(spec):
        return ""
    every_row = metric == "sales_wan_all"
    counts = left_out_counts(
        why for i, why in table.left_out.items() if every_row or table.counted[i]
    )
    if not counts:
        return ""
    return "另有 " + "、".join(f"{n} 行{why}" for why, n in counts.items()) + "，未计入"


def evaluate_table(table: CleanTable, base: BaseInfo, rules: Rules) -> TableResult:
    """Metrics, target results and status of one filled table of one base."""
    bt = rules.base_type(base.type) if base.type else None
    per_household = bool(bt and bt.per_household)
    metrics = compute_metrics(table, rules, base.households, per_household)
    result = TableResult(table.industry, table.sheet, table.n, metrics)
    result.left_out = left_out_counts(table.left_out.values())
    if not table.n:
        result.status, result.reason = STATUS_EMPTY, f"{STATUS_EMPTY}：表中没有数据"
        return result
    if bt is None:
        result.status = STATUS_UNDECIDED
        result.reason = f"{STATUS_UNDECIDED}：创建基地类型未填写或无法识别，无法对照目标"
        return result
    if not rules.allowed(bt.name, table.industry):
        result.status = STATUS_NOT_MET
        result.reason = (
            f"{STATUS_NOT_MET}：{bt.name}不能填报{table.industry}表"
            f"（可选：{'、'.join(bt.industries)}）"
        )
        return result
    for target in rules.targets_for(bt.name, table.industry):
        metric = rules.metrics[target.metric]
        absent = _absent(target.metric, rules, table)
        actual = None if absent else metrics.get(target.metric)
        required = required_for(target, metrics.households)
        met = actual is not None and Fraction(actual) >= Fraction(required)
        why = absent or ("" if actual is not None else _why_unknown(target.metric, rules, table))
        result.targets.append(
            TargetResult(
                target.metric,
                metric.label,
                metric.unit,
                required,
                actual,
                met,
                target.in_principle,
                target.or_group,
                why,
                undecidable=bool(absent),
                note=_left_out_note(target.metric, table),
            )
        )
    result.status, result.reason = _status(result.targets)
    return result


def _status(results: list[TargetResult]) -> tuple[str, str]:
    """达标 / 基本达标 / 未达标 with the figures that decided it."""
    groups: dict[str, list[TargetResult]] = {}
    hard_missed: list[str] = []
    soft_missed: list[str] = []
    undecided: list[str] = []  # missed only because a required column is absent
    for r in results:
        if r.or_group:
            groups.setdefault(r.or_group, []).append(r)
        elif r.undecidable:
            undecided.append(r.text() + ("（原则上）" if r.in_principle else ""))
        elif not r.met:
            (soft_missed if r.in_principle else hard_missed).append(
                r.text() + ("（原则上）" if r.in_principle else "")
            )
    for members in groups.values():
        if not any(m.met for m in members):
            text = " 或 ".join(m.text() for m in members)
            (undecided if any(m.undecidable for m in members) else hard_missed).append(text)
    if hard_missed:
        # Decided by the figures that could be counted; the uncountable ones are still named.
        return STATUS_NOT_MET, f"{STATUS_NOT_MET}：" + "，".join(
            hard_missed + soft_missed + undecided
        )
    if undecided:
        return STATUS_UNDECIDED, f"{STATUS_UNDECIDED}：" + "，".join(undecided + soft_missed)
    if soft_missed:
        return STATUS_BASIC, f"{STATUS_BASIC}：" + "，".join(soft_missed)
    shown = []
    seen_groups: set[str] = set()
    for r in results:
        if r.or_group:
            if r.or_group in seen_groups:
                continue
            seen_groups.add(r.or_group)
            members = groups[r.or_group]
            shown.append(" 或 ".join(m.text() for m in members))
        else:
            shown.append(r.text())
    return STATUS_MET, f"{STATUS_MET}：" + "，".join(shown)


def base_status(results: list[TableResult]) -> tuple[str, str]:
    """The worst status over the filled tables; 未填报 when none is filled."""
    filled = [r for r in results if r.rows]
    if not filled:
        return STATUS_EMPTY, f"{STATUS_EMPTY}：没有填写任何带动统计表"
    worst = max(filled, key=lambda r: _SEVERITY.get(r.status, 0))
    if len(filled) == 1:
        return worst.status, worst.reason
    parts = [f"{r.industry}{r.reason}" for r in filled]
    return worst.status, f"{worst.status}：" + "；".join(parts)

"""Excel functions ``=JINGUO_*(…)``: thin wrappers over the engine, pure in their arguments.

Each function reads only what Excel passes in (a table range as a 2-D list, a type, an
industry), never the workbook behind Excel's back, and is not volatile, so Excel recalculates
it only when its inputs change. No exception ever reaches a cell: anything unexpected becomes a
short Chinese sentence. The docstrings are the function wizard's help.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import wraps
from typing import Any, TypeVar

import xlwings as xw

from jinguo_xl.count.targets import required_for
from jinguo_xl.errors import JinguoError
from jinguo_xl.excel.sheetcalc import (
    as_rows,
    header_index,
    infer_industry,
    money_total,
    row_problems,
    table_report,
)
from jinguo_xl.labels import norm_label
from jinguo_xl.rules import load_rules

F = TypeVar("F", bound=Callable[..., Any])
CATEGORY = "巾帼统计"
# Excel turns a string longer than this inside an array result into #VALUE! (xlwings issue
# 456), and a single cell shows no more either: every text a function returns fits.
MAX_TEXT = 255


def fit(text: str) -> str:
    """``text`` cut to :data:`MAX_TEXT` characters, the cut marked with ``…``."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _cell_message(exc: Exception) -> str:
    """The Chinese sentence a cell shows instead of an exception."""
    if isinstance(exc, JinguoError):
        return f"无法计算：{exc.message}"
    if isinstance(exc, ValueError):
        return f"无法计算：{exc}"
    return f"无法计算：参数有误（{exc.__class__.__name__}），请检查公式引用的区域"


def _cell_safe(fn: F) -> F:
    """Turn any exception into a Chinese sentence: a cell must never show a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # the cell boundary
            return fit(_cell_message(exc))
        return fit(result) if isinstance(result, str) else result

    return wrapper  # type: ignore[return-value]


def _industry(text: object) -> str:
    industry = load_rules().industry_in(text)
    if industry is None:
        raise ValueError(
            f"“{text}”不是产业名称（手工制作、家政服务、农村电商、乡村旅游、种植养殖、加工制造）"
        )
    return industry


def _metric_key(text: object) -> str:
    rules = load_rules()
    label = norm_label(text)
    for key, metric in rules.metrics.items():
        if label in (key, norm_label(metric.label)):
            return key
    names = "、".join(m.label for m in rules.metrics.values())
    raise ValueError(f"“{text}”不是指标名称（可用：{names}）")


def _number(value: object) -> object:
    if isinstance(value, (Decimal, Fraction)):
        return float(value)
    return "" if value is None else value


@xw.func(category=CATEGORY)
@xw.arg("base_type", doc="创建基地类型，如 巾帼扶贫车间（可引用“基本信息”中的 基地类型）")
@xw.arg("industry", doc="产业，如 手工制作")
@xw.arg("table", ndim=2, doc="统计表区域，含表头行")
@xw.arg("households", doc="帮扶户数（家庭工坊填写，可省略）")
@_cell_safe
def JINGUO_STATUS(
    base_type: Any, industry: Any, table: Any, households: Any = None
) -> str:
    """按2020年通知的目标判定本表：达标、基本达标或未达标，并写明实际值/要求值。"""
    report = table_report(table, _industry(industry), base_type=base_type, households=households)
    return report.reason


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, doc="统计表区域，含表头行")
@xw.arg("industry", doc="产业，如 手工制作（可省略）")
def JINGUO_CHECK(table: Any, industry: Any = None) -> list[list[str]]:
    """逐行检查统计表：表头以下每一行一个结果，没有问题的行为空。请以数组公式输入在表头下方各行。"""
    # Exactly one row per row below the range's first row, so a fixed-size array formula
    # (Excel 2016 has no spilling) is filled completely and never shows #N/A; no legacy
    # ``expand``, which would rewrite the template's array formula behind the clerk's back.
    height = max(len(table) - 1, 1) if isinstance(table, (list, tuple)) else 1
    try:
        texts = _check_texts(as_rows(table), industry, height)
    except Exception as exc:  # the cell boundary, as in _cell_safe
        texts = [_cell_message(exc)]
    # Messages about the whole range go in the first cell; the rest of the array stays blank.
    return [[fit(text)] for text in (texts + [""] * height)[:height]]


def _check_texts(rows: list[list[object]], industry: object, height: int) -> list[str]:
    rules = load_rules()
    chosen = rules.industry_in(industry) if industry else infer_industry(rows, rules)
    if chosen is None:
        return ['无法判断是哪一类产业的表，请在第二个参数写明产业，如 "手工制作"']
    if header_index(rows, rules) is None:
        return ["区域中找不到统计表的表头（序号、姓名、妇女类型……），请让区域从表头行开始"]
    problems = row_problems(rows, chosen, rules=rules)
    # Rows above the header (a range started too high) get blanks, keeping alignment.
    return ([""] * (height - len(problems)) + problems)[-height:]


@xw.func(category=CATEGORY)
@xw.arg("table", ndim=2, doc="统计表区域，含表头行")
@xw.arg("header", doc="金额列的表头：产品收入、代销产品或发展产业收入")
@xw.arg("counted_only", doc="TRUE 时只合计贫困妇女（未脱贫妇女、贫困妇女）")
@_cell_safe
def JINGUO_TOTAL(table: Any, header: Any, counted_only: Any = False) -> Any:
    """合计一个金额列（万元），能读懂“1.5万”“15000元”这样的文字金额。"""
    return float(money_total(table, header, counted_only=bool(counted_only)))


@xw.func(category=CATEGORY)
@xw.arg("base_type", doc="创建基地类型")
@xw.arg("industry", doc="产业")
@xw.arg("table", ndim=2, doc="统计表区域，含表头行")
@xw.arg("metric", doc="指标：培训人次、培训场次、培训次数（按户累计）、带动就业、销售/收入……")
@xw.arg("households", doc="帮扶户数（家庭工坊，可省略）")
@_cell_safe
def JINGUO_METRIC(
    base_type: Any, industry: Any, table: Any, metric: Any, households: Any = None
) -> Any:
    """计算本表的一项指标（按通知的计数规则）。"""
    key = _metric_key(metric)
    report = table_report(table, _industry(industry), base_type=base_type, households=households)
    result = next((r for r in report.results if r.rows), None)
    if result is None:
        return ""
    return _number(result.metrics.get(key))


@xw.func(category=CATEGORY)
@xw.arg("base_type", doc="创建基地类型")
@xw.arg("industry", doc="产业")
@xw.arg("metric", doc="指标名称，如 培训人次")
@xw.arg("households", doc="帮扶户数（家庭工坊的目标按户累加，可省略）")
@_cell_safe
def JINGUO_TARGET(
    base_type: Any, industry: Any, metric: Any, households: Any = None
) -> Any:
    """通知规定的目标值（比率以小数表示，如 0.7 即 70%）。"""
    rules = load_rules()
    official = rules.resolve_type(base_type)
    if official is None:
        return f"无法计算：“{base_type}”不是创建基地类型"
    key = _metric_key(metric)
    ind = _industry(industry)
    target = next((t for t in rules.targets_for(official, ind) if t.metric == key), None)
    if target is None:
        return f"{official}·{ind}没有“{rules.metrics[key].label}”目标"
    count = None
    if target.per_household and households not in (None, ""):
        count = max(1, int(float(households)))  # type: ignore[arg-type]
    return float(required_for(target, count))

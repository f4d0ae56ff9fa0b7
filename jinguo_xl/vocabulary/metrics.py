"""Metric names → the functions that count them over one table's columns (spec §4).

The rules file lists the metrics its targets use (``training_person_times``, ``sales_wan`` …);
each name must have a function registered here with :func:`metric`, or the rules file is refused
when loaded (so a target can never fail at count time). A later notice that measures something
new adds one function and one rules entry; nothing else changes.

Every function receives the table's parsed columns
(:class:`~jinguo_xl.validate.workbook.CleanTable`) and
a :class:`Context`; it works on whole columns, not on row objects.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import partial
from itertools import compress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinguo_xl.rules import Rules, TableSpec
    from jinguo_xl.validate.workbook import CleanTable

Value = int | Decimal | Fraction | None


@dataclass(frozen=True, slots=True)
class Context:
    """What a metric may need besides the table: the rules and the base's declared 帮扶户数."""

    rules: Rules
    declared_households: int | None
    per_household: bool


@dataclass(frozen=True, slots=True)
class MetricImpl:
    fn: Callable[[CleanTable, Context], Value]
    # Column keys the figure is counted from, given the table (a money metric reads the
    # table's own money column): without one of them the figure means nothing.
    needs: Callable[[TableSpec], tuple[str, ...]]


METRICS: dict[str, MetricImpl] = {}


def metric(
    name: str, needs: tuple[str, ...] | Callable[[TableSpec], tuple[str, ...]] = ()
) -> Callable[[Callable[[CleanTable, Context], Value]], Callable[[CleanTable, Context], Value]]:
    """Register ``fn`` as the way to count metric ``name``."""
    needed = needs if callable(needs) else (lambda spec, fixed=tuple(needs): fixed)

    def register(
        fn: Callable[[CleanTable, Context], Value],
    ) -> Callable[[CleanTable, Context], Value]:
        METRICS[name] = MetricImpl(fn, needed)
        return fn

    return register


class Metrics:
    """The figures of one table, by metric name; ``m.sales_wan`` reads ``m.values["sales_wan"]``."""

    __slots__ = ("values",)

    def __init__(self, values: dict[str, Value] | None = None) -> None:
        self.values: dict[str, Value] = dict(values or {})

    def __getattr__(self, name: str) -> Value:
        if name.startswith("__") or name == "values":  # pickling probes before __init__ ran
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getstate__(self) -> dict[str, Value]:
        return self.values

    def __setstate__(self, state: dict[str, Value]) -> None:
        self.values = state

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Metrics) and other.values == self.values

    def __repr__(self) -> str:
        return f"Metrics({self.values!r})"

    def get(self, key: str) -> Value:
        return self.values.get(key)

    def to_json(self) -> dict[str, object]:
        def conv(value: object) -> object:
            return float(value) if isinstance(value, (Decimal, Fraction)) else value

        return {k: conv(v) for k, v in self.values.items() if k != "households_found"}


# Always counted, whatever the rules' targets: the master and the JSON show them.
EXTRAS = ("households_found", "priority_share")


def compute(table: CleanTable, ctx: Context) -> Metrics:
    """Every metric of the rules, and the extras, over one table."""
    keys = [*ctx.rules.metrics, *(k for k in EXTRAS if k not in ctx.rules.metrics)]
    return Metrics({k: METRICS[k].fn(table, ctx) for k in keys})


# ---------------------------------------------------------------------- the 2020 metrics
#
# Each figure is counted with C-level passes over whole columns (compress, filter, set): a
# table is counted several times per recalculation in the open workbook.

_NOT_NONE = partial(operator.is_not, None)


def _money_column(spec: TableSpec) -> tuple[str, ...]:
    return (spec.money,) if spec.money else ()


_TRAINING = ("train_date", "train_content")


@metric("training_person_times", needs=_TRAINING)
def training_person_times(t: CleanTable, ctx: Context) -> int:
    """Rows of counted women with 培训时间 or 培训内容 typed (one row is one 人次)."""
    return sum(map(operator.and_, t.counted, t.train_filled))


@metric("training_sessions", needs=_TRAINING)
def training_sessions(t: CleanTable, ctx: Context) -> int:
    """Distinct (date, content) over all rows."""
    pairs = set(zip(t.col("train_date"), t.col("train_content"), strict=True))
    return sum(1 for d, c in pairs if d is not None and c)


def _households(addresses: Iterable[object]) -> list[object]:
    """Addresses as household keys: compared without spaces of any width (spec §4), so
    ``青山村 2组`` and ``青山村  2组`` are one household."""
    return ["".join(a.split()) if isinstance(a, str) else a for a in addresses]


@metric("household_sessions", needs=("address", *_TRAINING))
def household_sessions(t: CleanTable, ctx: Context) -> int:
    """Distinct (address, date, content) of counted women: each household's own trainings."""
    homes = _households(t.col("address"))
    rows = zip(homes, t.col("train_date"), t.col("train_content"), strict=True)
    return sum(1 for a, d, c in set(compress(rows, t.counted)) if a and d is not None and c)


def _employed_needs(spec: TableSpec) -> tuple[str, ...]:
    return _money_column(spec) if spec.employed_by == "money" else ("employed",)


@metric("employed", needs=_employed_needs)
def employed(t: CleanTable, ctx: Context) -> int | None:
    """Distinct counted women employed: 是否就业 = 是, or income > 0 where the table has no
    是否就业 (spec §4 Decision); None when the table lacks its optional 是否就业 column."""
    spec = t.spec
    persons = compress(t.persons, t.counted)
    if spec.employed_by == "money":
        positive = {m for m in set(t.money) if m is not None and m > 0}  # each amount once
        earning = map(positive.__contains__, compress(t.money, t.counted))
        return len(set(compress(persons, earning)))
    if "employed" not in t.has_columns:
        return None
    return len(set(compress(persons, compress(t.col("employed"), t.counted))))


@metric("sales_wan", needs=_money_column)
def sales_wan(t: CleanTable, ctx: Context) -> Decimal:
    """The table's money column summed over counted women (amounts left out are None)."""
    return sum(filter(_NOT_NONE, compress(t.money, t.counted)), Decimal(0))


@metric("sales_wan_all", needs=_money_column)
def sales_wan_all(t: CleanTable, ctx: Context) -> Decimal:
    """The same over all rows: the table's own 合计."""
    return sum(filter(_NOT_NONE, t.money), Decimal(0))


def _rate(t: CleanTable, key: str, name: str) -> Fraction | None:
    """Rows with ``key`` = 是 among rows with a training, over all women (spec §4)."""
    if name not in t.spec.rates:
        return None
    trained = sum(t.train_filled)
    if not trained:
        return None
    hits = sum(1 for _ in filter(None, compress(t.col(key), t.train_filled)))
    return Fraction(hits, trained)


@metric("pass_rate", needs=("qualified", *_TRAINING))
def pass_rate(t: CleanTable, ctx: Context) -> Fraction | None:
    return _rate(t, "qualified", "pass_rate")


@metric("employment_rate", needs=("employed", *_TRAINING))
def employment_rate(t: CleanTable, ctx: Context) -> Fraction | None:
    return _rate(t, "employed", "employment_rate")


@metric("startups", needs=("startup",))
def startups(t: CleanTable, ctx: Context) -> int:
    """Distinct women (any type) with 是否创业 = 是."""
    return len(set(compress(t.persons, t.col("startup"))))


@metric("households_found")
def households_found(t: CleanTable, ctx: Context) -> int:
    """Distinct addresses of counted women."""
    return sum(1 for a in set(compress(_households(t.col("address")), t.counted)) if a)


@metric("households")
def households(t: CleanTable, ctx: Context) -> int | None:
    """帮扶户数 for per-household targets: as declared, else the addresses found, at least 1."""
    if not ctx.per_household:
        return None
    return ctx.declared_households or max(1, households_found(t, ctx))


@metric("priority_share")
def priority_share(t: CleanTable, ctx: Context) -> Fraction | None:
    """未脱贫妇女 among the counted women's 人次 (the notice says 优先, without a ratio)."""
    taken = list(map(operator.and_, t.counted, t.train_filled))
    total = sum(taken)
    if not total:
        return None
    hits = list(compress(t.col("women_type"), taken)).count(ctx.rules.priority_women)
    return Fraction(hits, total)

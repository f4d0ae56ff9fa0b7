"""The notice as data: ``load_rules(year)`` → frozen dataclasses, checked at load time.

A rules file that contradicts itself (a target on an industry its type may not take, a table
naming an unknown column, an alias pointing nowhere) fails here, before any workbook is counted,
so a bad 2021 file can never produce quietly wrong statuses.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, cast

from jinguo_xl.errors import RulesError
from jinguo_xl.labels import norm_label
from jinguo_xl.vocabulary.columns import PARSERS
from jinguo_xl.vocabulary.metrics import METRICS

# A kind is known when it has a parser, a metric when it has a counting function: the rules
# file is refused at load otherwise, never at count time.
COLUMN_KINDS = frozenset(PARSERS)
METRIC_KINDS = frozenset({"count", "money", "rate"})
EMPLOYED_BY = frozenset({"yes", "money"})

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BaseType:
    name: str
    short: str
    aliases: tuple[str, ...]
    industries: tuple[str, ...]
    per_household: bool


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]
    kind: str
    required: bool = False  # a data row must fill it (name-missing …)
    checked: bool = True  # False: kept as typed, never parsed nor reported (序号)


@dataclass(frozen=True, slots=True)
class TableSpec:
    industry: str
    caption: str
    columns: tuple[str, ...]
    optional: frozenset[str]
    added: frozenset[str]
    money: str | None
    employed_by: str
    headers: dict[str, str]  # key → the 样表's header text for this table
    rates: frozenset[str]  # rate metrics this table reports (家政服务)

    def header_of(self, key: str, columns: dict[str, Column]) -> str:
        """The Chinese header this table prints for column ``key``."""
        return self.headers.get(key) or columns[key].header

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.optional)


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str
    kind: str
    unit: str


@dataclass(frozen=True, slots=True)
class Target:
    base_type: str
    industry: str
    metric: str
    min: float
    or_group: str | None = None
    in_principle: bool = False
    per_household: bool = False


@dataclass(frozen=True, slots=True)
class County:
    name: str
    aliases: tuple[str, ...]
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Township:
    name: str
    county: str  # official county name when the county is in scope, else as written
    confirmed: bool


@dataclass(frozen=True, slots=True)
class BaseField:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool


class _Derived(dict[object, object]):
    """Values computed from one :class:`Rules` object, kept with it (see :meth:`Rules.derived`).

    Rules made by ``dataclasses.replace``, a deep copy or a pickle start with an empty memo, so
    they are never handed a value built from the rules they came from. (A shallow copy shares
    every field of the original, this one included.)
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[_Derived], tuple[()]]:
        return (_Derived, ())


@dataclass(frozen=True, slots=True)
class Rules:
    year: int
    title: str
    money_suspect_wan: float
    notice_township_count: int
    women_types: tuple[str, ...]
    counted_women: frozenset[str]
    priority_women: str
    women_aliases: dict[str, str]
    base_types: tuple[BaseType, ...]
    columns: dict[str, Column]
    tables: dict[str, TableSpec]  # industry → spec, in the 样表's order
    metrics: dict[str, Metric]
    targets: tuple[Target, ...]
    counties: tuple[County, ...]
    townships: tuple[Township, ...]
    base_fields: tuple[BaseField, ...]
    _type_lookup: dict[str, str] = field(repr=False, default_factory=dict)
    _county_lookup: dict[str, str] = field(repr=False, default_factory=dict)
    # Not an argument: ``dataclasses.replace`` makes rules with a memo of their own.
    _derived: _Derived = field(init=False, repr=False, compare=False, default_factory=_Derived)

    def derived(self, build: Callable[[Rules], T]) -> T:
        """``build(self)``, computed once for this rules object and kept with it.

        Header lookups and bound parsers are costly to build and used for every sheet and
        table; keeping them on the rules object they came from (keyed by ``build``) means
        another rules object, even one at the same address after this one is gone, can
        never be handed them.
        """
        memo = self._derived
        try:
            return cast(T, memo[build])
        except KeyError:
            value = memo[build] = build(self)
            return value

    @property
    def industries(self) -> tuple[str, ...]:
        return tuple(self.tables)

    def industry_in(self, text: object) -> str | None:
        """The industry named anywhere in ``text`` (a sheet name, 帮扶产业, a formula's
        argument: ``手工制作类`` → 手工制作), or None."""
        label = norm_label(text)
        return next((i for i in self.industries if i in label), None)

    def base_type(self, name: str) -> BaseType:
        return next(t for t in self.base_types if t.name == name)

    def resolve_type(self, text: object) -> str | None:
        """Official type name for ``text`` (full or short form), or None."""
        return self._type_lookup.get(norm_label(text))

    def resolve_county(self, text: object) -> str | None:
        """Official name of one of the 14 counties for ``text`` (full or short form), or None."""
        return self._county_lookup.get(norm_label(text))

    def county(self, name: str) -> County | None:
        return next((c for c in self.counties if c.name == name), None)

    def targets_for(self, base_type: str, industry: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.base_type == base_type and t.industry == industry)

    def allowed(self, base_type: str, industry: str) -> bool:
        return industry in self.base_type(base_type).industries


def _tuple(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"规则文件错误：{key} 应为文字列表")
    return tuple(value)


# The fields each kind of entry may have: a misspelt one (``mni = 5``) is an error, not a
# silently ignored line.
_FIELDS = {
    "columns": {"key", "header", "aliases", "kind", "required", "check"},
    "metrics": {"key", "label", "kind", "unit"},
    "targets": {
        "base_type",
        "industry",
        "metric",
        "min",
        "or_group",
        "in_principle",
        "per_household",
    },
}


def _line(text: str, field_name: str, value: object) -> int | None:
    """1-based line of ``field_name = value`` in the rules text (TOML keeps no positions)."""
    name, val = re.escape(field_name), re.escape(str(value))
    wanted = re.compile(rf"^\s*{name}\s*=\s*\"?{val}\"?\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), 1):
        if wanted.match(line):
            return number
    return None


def _at(text: str, source: str, field_name: str, value: object) -> str:
    line = _line(text, field_name, value)
    return f"{source} 第 {line} 行" if line else source


def _check_implemented(data: dict[str, Any], text: str, source: str) -> None:
    """Every kind, metric and target field the file names must exist in the program."""
    for section, allowed in _FIELDS.items():
        for entry in data.get(section, []):
            if not isinstance(entry, dict):
                continue
            for name in entry:
                if name not in allowed:
                    where = _at(text, source, name, entry[name])
                    raise RulesError(
                        f"规则文件错误（{where}）：{section} 中没有“{name}”这一项，"
                        f"可用的有：{'、'.join(sorted(allowed))}"
                    )
    for entry in data.get("columns", []):
        kind = entry.get("kind")
        if kind not in PARSERS:
            raise RulesError(
                f"规则文件错误（{_at(text, source, 'kind', kind)}）：列 {entry.get('key')} 的类型"
                f" {kind} 未知，可用的类型：{'、'.join(sorted(PARSERS))}"
            )
    for entry in data.get("metrics", []):
        key = entry.get("key")
        if key not in METRICS:
            raise RulesError(
                f"规则文件错误（{_at(text, source, 'key', key)}）：指标 {key} 没有对应的计算方法"
                "（需要在 jinguo_xl/vocabulary/metrics.py 中加入）"
            )
    metric_keys = {m.get("key") for m in data.get("metrics", [])}
    for entry in data.get("targets", []):
        key = entry.get("metric")
        if key not in metric_keys:
            raise RulesError(
                f"规则文件错误（{_at(text, source, 'metric', key)}）：目标使用了未定义的指标 {key}"
            )


def _build(data: dict[str, Any], source: str, text: str = "") -> Rules:
    try:
        _check_implemented(data, text, source)
        return _build_checked(data)
    except RulesError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(f"规则文件 {source} 缺少或写错了字段：{exc}") from exc


def _build_checked(data: dict[str, Any]) -> Rules:
    women = data["women"]
    women_types = _tuple(women, "types")
    counted = frozenset(_tuple(women, "counted"))
    if not counted <= set(women_types) or women["priority"] not in counted:
        raise RulesError("规则文件错误：计入目标的妇女类型必须是妇女类型之一")
    aliases = dict(women.get("aliases", {}))
    if bad := [a for a, t in aliases.items() if t not in women_types]:
        raise RulesError(f"规则文件错误：妇女类型别名指向未知类型：{bad}")

    columns: dict[str, Column] = {}
    for raw in data["columns"]:
        col = Column(
            raw["key"],
            raw["header"],
            _tuple(raw, "aliases"),
            raw["kind"],
            bool(raw.get("required", False)),
            bool(raw.get("check", True)),
        )
        if col.kind not in COLUMN_KINDS:
            raise RulesError(f"规则文件错误：列 {col.key} 的类型 {col.kind} 未知")
        if col.key in columns:
            raise RulesError(f"规则文件错误：列 {col.key} 重复")
        columns[col.key] = col

    tables: dict[str, TableSpec] = {}
    for raw in data["tables"]:
        spec = TableSpec(
            industry=raw["industry"],
            caption=raw["caption"],
            columns=_tuple(raw, "columns"),
            optional=frozenset(_tuple(raw, "optional")),
            added=frozenset(_tuple(raw, "added")),
            money=raw.get("money"),
            employed_by=raw["employed_by"],
            headers=dict(raw.get("headers", {})),
            rates=frozenset(_tuple(raw, "rates")),
        )
        unknown = (set(spec.columns) | spec.optional | spec.added | set(spec.headers)) - set(
            columns
        )
        if unknown or (spec.money and spec.money not in spec.columns):
            raise RulesError(f"规则文件错误：{spec.industry} 表引用了未定义的列 {sorted(unknown)}")
        if not {"name", "phone", "women_type"} <= set(spec.columns):
            raise RulesError(f"规则文件错误：{spec.industry} 表缺少姓名、电话或妇女类型列")
        if (
            spec.employed_by not in EMPLOYED_BY
            or (spec.employed_by == "money" and not spec.money)
            or (spec.employed_by == "yes" and "employed" not in spec.columns)
        ):
            raise RulesError(f"规则文件错误：{spec.industry} 表的 employed_by 无法计算")
        tables[spec.industry] = spec
    rate_keys = {r["key"] for r in data["metrics"] if r["kind"] == "rate"}
    for spec in tables.values():
        if bad := spec.rates - rate_keys:
            raise RulesError(f"规则文件错误：{spec.industry} 表的比率 {sorted(bad)} 未定义")

    base_types = tuple(
        BaseType(
            r["name"],
            r["short"],
            _tuple(r, "aliases"),
            _tuple(r, "industries"),
            bool(r.get("per_household", False)),
        )
        for r in data["base_types"]
    )
    type_lookup: dict[str, str] = {}
    for bt in base_types:
        if bad := set(bt.industries) - set(tables):
            raise RulesError(f"规则文件错误：{bt.name} 的产业 {sorted(bad)} 没有统计表")
        for alias in (bt.name, bt.short, *bt.aliases):
            type_lookup[norm_label(alias)] = bt.name

    metrics = {}
    for r in data["metrics"]:
        metric = Metric(r["key"], r["label"], r["kind"], r.get("unit", ""))
        if metric.kind not in METRIC_KINDS:
            raise RulesError(f"规则文件错误：指标 {metric.key} 的类型未知")
        metrics[metric.key] = metric

    type_names = {bt.name: bt for bt in base_types}
    targets = []
    for r in data["targets"]:
        target = Target(
            r["base_type"],
            r["industry"],
            r["metric"],
            float(r["min"]),
            r.get("or_group"),
            bool(r.get("in_principle", False)),
            bool(r.get("per_household", False)),
        )
        bt = type_names.get(target.base_type)
        if bt is None or target.industry not in bt.industries:
            raise RulesError(
                f"规则文件错误：目标 {target.base_type}·{target.industry} 不是允许的组合"
            )
        if target.metric not in metrics:
            raise RulesError(f"规则文件错误：目标使用了未定义的指标 {target.metric}")
        if target.per_household and not bt.per_household:
            raise RulesError(f"规则文件错误：{bt.name} 的目标不能按户累加")
        targets.append(target)
    for bt in base_types:
        for industry in bt.industries:
            if not any(t.base_type == bt.name and t.industry == industry for t in targets):
                raise RulesError(f"规则文件错误：{bt.name}·{industry} 没有目标")

    counties = tuple(
        County(r["name"], _tuple(r, "aliases"), bool(r["confirmed"])) for r in data["counties"]
    )
    county_lookup = {}
    for c in counties:
        for alias in (c.name, *c.aliases):
            county_lookup[norm_label(alias)] = c.name
    townships = tuple(
        Township(
            r["name"], county_lookup.get(norm_label(r["county"]), r["county"]), bool(r["confirmed"])
        )
        for r in data["townships"]
    )
    base_fields = tuple(
        BaseField(r["key"], r["label"], _tuple(r, "aliases"), bool(r.get("required", False)))
        for r in data["base_fields"]
    )
    return Rules(
        year=int(data["year"]),
        title=data["title"],
        money_suspect_wan=float(data["money_suspect_wan"]),
        notice_township_count=int(data["notice_township_count"]),
        women_types=women_types,
        counted_women=counted,
        priority_women=women["priority"],
        women_aliases=aliases,
        base_types=base_types,
        columns=columns,
        tables=tables,
        metrics=metrics,
        targets=tuple(targets),
        counties=counties,
        townships=townships,
        base_fields=base_fields,
        _type_lookup=type_lookup,
        _county_lookup=county_lookup,
    )


def available_years() -> list[int]:
    """Years for which a rules file ships with the package."""
    folder = resources.files(__package__)
    return sorted(int(p.name[:-5]) for p in folder.iterdir() if p.name.endswith(".toml"))


def load_rules_file(path: Path) -> Rules:
    """Load and check one rules file (used for a notice file kept outside the package)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"无法读取规则文件 {Path(path).name}：{exc}") from exc
    return _build(data, Path(path).name, Path(path).read_text(encoding="utf-8"))


@cache
def load_rules(year: int = 2020) -> Rules:
    """The rules of the notice of ``year``, loaded once per process."""
    resource = resources.files(__package__) / f"{year}.toml"
    if not resource.is_file():
        raise RulesError(f"没有 {year} 年的规则文件（现有：{available_years()}）")
    text = resource.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{year} 年规则文件格式错误：{exc}") from exc
    return _build(data, f"{year}.toml", text)

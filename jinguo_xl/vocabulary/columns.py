"""Column kinds → parsers: how a column declared in the rules file is read.

The rules file gives every column a ``kind`` (``phone``, ``date``, ``money`` …). The row check
never asks which column it is looking at to choose a parser: it asks the column's kind, here,
once per table. So a later notice that adds a column of an existing kind (a second 是/否
column, another amount) needs a line in its rules file and no code; a kind with no parser here
is refused when the rules are loaded.

Parsers take one cell value and return a :class:`~jinguo_xl.vocabulary.normalize.Parsed`. A table
is parsed column by column: :func:`column_parse` parses each distinct value once (a date, a
培训内容 or a 妇女类型 repeats down hundreds of rows), keeps what the row check asks of it
beside the parser's memo, and hands every row holding it its value with one dict lookup;
:func:`parse_column` is the cell-by-cell way for columns that mix numeric types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from jinguo_xl.vocabulary import normalize as nz

if TYPE_CHECKING:
    from jinguo_xl.rules import Rules

Parser = Callable[[object], nz.Parsed]

_BLANK: nz.Parsed = nz.Parsed(None)


@nz.remembered
def parse_text(value: object) -> nz.Parsed[str]:
    """Free text (住址, 培训内容, 备注): trimmed, never a finding."""
    text = nz.clean_text(value)
    return nz.Parsed(text) if text else _BLANK


def _plain(parser: Parser) -> Callable[[Rules], Parser]:
    return lambda rules: parser


def _money(rules: Rules) -> Parser:
    return nz.bound(nz.parse_money, suspect_above=suspect_threshold(rules.money_suspect_wan))


def _women_type(rules: Rules) -> Parser:
    return nz.bound(nz.parse_women_type, rules.women_types, rules.women_aliases)


# kind → factory of the parser with this year's rules bound in.
PARSERS: dict[str, Callable[[Rules], Parser]] = {
    "int": _plain(nz.parse_int),
    "name": _plain(nz.parse_name),
    "address": _plain(parse_text),
    "phone": _plain(nz.parse_phone),
    "date": _plain(nz.parse_date),
    "text": _plain(parse_text),
    "money": _money,
    "yesno": _plain(nz.parse_yes_no),
    "women_type": _women_type,
}


@lru_cache(maxsize=8)
def suspect_threshold(wan: float) -> Decimal:
    """The rules' 疑似以元填写 threshold as an exact Decimal (50 → Decimal("50"))."""
    return Decimal(str(wan))


def parsers_for(rules: Rules) -> dict[str, Parser]:
    """Column key → its parser, bound once per rules object and kept with it (the memo of a
    bound parser is shared by every table of the run)."""
    return rules.derived(_bind_parsers)


def _bind_parsers(rules: Rules) -> dict[str, Parser]:
    by_kind = {kind: make(rules) for kind, make in PARSERS.items()}
    return {key: by_kind[col.kind] for key, col in rules.columns.items()}


# Types that compare equal across classes (1 == 1.0 == True): a column mixing two of them is
# keyed by (type, value), so that 1 and True are not read as one value.
_NUMERIC = frozenset({int, float, bool, Decimal})


def parse_column(parser: Parser, cells: Sequence[object]) -> list[nz.Parsed]:
    """Every cell of one column parsed, cell by cell: the way for the columns
    :func:`column_parse` declines (numbers of mixed types, an unhashable value). A value is
    parsed once per (class, value), so 1 and True are not read as one value."""
    seen: dict[object, nz.Parsed] = {}
    out: list[nz.Parsed] = []
    append = out.append
    for value in cells:
        if value is None:
            append(_BLANK)
            continue
        key = value if value.__class__ is str else (value.__class__, value)
        try:
            hit = seen.get(key)
        except TypeError:
            append(parser(value))
            continue
        if hit is None:
            hit = seen[key] = parser(value)
        append(hit)
    return out


_NONE = type(None)


@dataclass(slots=True)
class _View:
    """Beside a parser's memo, for one class of values: each value's parsed value, and the
    values whose parse carries a code or no value (the only ones a finding can come from)."""

    value_of: dict[object, object] = field(default_factory=dict)
    notable: set[object] = field(default_factory=set)


_VIEWS: WeakKeyDictionary[Parser, dict[type, _View]] = WeakKeyDictionary()


@dataclass(slots=True)
class ColumnParse:
    """One column read through its distinct values (see :func:`column_parse`)."""

    values: list[object]  # each cell's parsed value (None: blank or unreadable)
    distinct: set[object]  # the cells' distinct values, None among them when a cell is blank
    notable: set[object]  # those whose parse carries a code or no value, None included
    value_of: dict[object, object]  # a distinct value → its parsed value (not None itself)
    result: Callable[[object], nz.Parsed]  # a cell value → its parse


def column_parse(
    parser: Parser, cells: Sequence[object], distinct: set[object] | None = None
) -> ColumnParse | None:
    """The column's parsed values with one dict lookup per cell, and the few distinct values
    that can lead to a finding; None when the column mixes numeric types (1, 1.0 and True are
    equal but read differently) or holds an unhashable value, and must be parsed cell by cell
    (:func:`parse_column`).

    For the usual column, one class of values besides blanks, each value's parsed value and
    notability are kept beside the parser's memo, so a column of values seen before (a
    county's dates, types and addresses; a recalculated table's phones) costs a few C-level
    passes over its cells and no parser call. A column of several classes (dates typed as
    text beside real dates) has its distinct values parsed once, here. ``distinct``, the
    cells' distinct values when the caller knows them, is only read.
    """
    if distinct is None:
        try:
            distinct = set(cells)
        except TypeError:
            return None
    classes = set(map(type, distinct))
    if not _NUMERIC.isdisjoint(classes):  # an equal value of another numeric type may hide
        classes = set(map(type, cells))
        if len(classes & _NUMERIC) > 1:
            return None
    classes.discard(_NONE)
    memos = nz.memos_of(parser)
    view = _view(parser, classes.pop()) if memos is not None and len(classes) == 1 else _View()
    fresh = distinct.difference(view.value_of)
    fresh.discard(None)
    if len(view.value_of) + len(fresh) > _VIEW_MAX:
        view = _View()  # a full view: this column's values only
        fresh = distinct - {None}
    results: dict[object, nz.Parsed] = {}
    for value in fresh:
        p = results[value] = parser(value)  # parsed (and remembered in the parser's memo)
        view.value_of[value] = p.value
        if p.code is not None or p.value is None:
            view.notable.add(value)

    def result(value: object) -> nz.Parsed:
        """The parse of one cell value: the memo's (or this column's) very object."""
        if value is None:
            return _BLANK
        memo = memos.get(value.__class__) if memos is not None else None
        hit = memo.get(value) if memo is not None else None
        return hit if hit is not None else results.get(value) or parser(value)

    notable = view.notable.intersection(distinct)
    if None in distinct:
        notable.add(None)
    return ColumnParse(
        list(map(view.value_of.get, cells)), distinct, notable, view.value_of, result
    )


def _view(parser: Parser, cls: type) -> _View:
    """The view kept beside the memo of ``parser`` for values of class ``cls``."""
    views = _VIEWS.get(parser)
    if views is None:
        views = _VIEWS[parser] = {}
    view = views.get(cls)
    if view is None:
        view = views[cls] = _View()
    return view


_VIEW_MAX = 100_000

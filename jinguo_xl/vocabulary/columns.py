"""Column kinds → parsers: how a column declared in the rules file is read.

The rules file gives every column a ``kind`` (``phone``, ``date``, ``money`` …). The row check
never asks which column it is looking at to choose a parser: it asks the column's kind, here,
once per table. So a later notice that adds a column of an existing kind (a second 是/否
column, another amount) needs a line in its rules file and no code; a kind with no parser here
is refused when the rules are loaded.

Parsers take one cell value and return a :class:`~jinguo_xl.vocabulary.normalize.Parsed`. A table
is parsed
column by column: :func:`parse_column` parses each distinct value once (a date, a 培训内容 or a
妇女类型 repeats down hundreds of rows) and hands the same result to every row holding it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from jinguo_xl.vocabulary import normalize as nz

if TYPE_CHECKING:
    from jinguo_xl.rules import Rules

Parser = Callable[[object], nz.Parsed]

_BLANK: nz.Parsed = nz.Parsed(None)


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
    """Every cell of one column parsed; each distinct value is parsed once.

    The usual column holds one type besides blanks (texts, or numbers, or dates): its distinct
    values are parsed and the results handed out with one C-level ``map``. A column mixing
    numeric types, or holding an unhashable value, is keyed cell by cell instead.
    """
    try:
        classes = set(map(type, cells))
        if len(classes & _NUMERIC) <= 1:
            table: dict[object, nz.Parsed] = {v: parser(v) for v in set(cells)}
            table[None] = _BLANK
            return list(map(table.__getitem__, cells))
    except TypeError:
        pass
    return _parse_keyed(parser, cells)


def _parse_keyed(parser: Parser, cells: Sequence[object]) -> list[nz.Parsed]:
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

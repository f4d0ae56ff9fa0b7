"""Pure parsers for single cell values typed by village clerks.

The 2020 statistics tables reach us as workbooks filled in by hand: phone numbers stored as
floats, dates typed as ``2020.3.5`` or ``2020年3月5日-7日``, money in 元 where 万元 was asked,
``√`` for 是. Every later step (validation, counting, the targets) needs one canonical value per
cell, and every deviation must become a *finding* the clerk can act on, never an exception that
stops a county's whole batch. So each parser here:

* takes whatever a reader returns (``None``, ``str``, ``int``, ``float``, ``bool``, dates,
  times, ``Decimal``; in fact any object) and never raises;
* returns a :class:`Parsed`: the normalised value, a finding :class:`~jinguo_xl.findings.Code`
  when something must be reported, and a short Chinese detail for the message;
* treats a blank cell as ``Parsed(None)`` with no code, because whether a blank is allowed is the
  caller's business (required-ness depends on the table and the column).

Details never contain a full phone number: findings lists are mailed between offices.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, ParamSpec, TypeVar

from jinguo_xl.findings import Code

__all__ = [
    "MONEY_MAX_WAN",
    "MONEY_SUSPECT_WAN",
    "SERIAL_MAX",
    "SERIAL_MIN",
    "YES_WORDS",
    "Parsed",
    "clean_text",
    "parse_date",
    "parse_int",
    "parse_money",
    "parse_name",
    "parse_phone",
    "parse_women_type",
    "parse_yes_no",
]

T = TypeVar("T")
P = ParamSpec("P")


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """The outcome of reading one cell: a value, a finding code, or neither (blank cell).

    Invariant kept by every parser: a non-blank cell always yields a value or a code, so
    ``value is None and code is None`` means exactly "the cell was blank".
    """

    value: T | None
    code: Code | None = None
    detail: str = ""

    @property
    def empty(self) -> bool:
        """True when the input cell was blank (``None``, ``""`` or whitespace only)."""
        return self.value is None and self.code is None


# Rows above this many 万元 in one cell are suspected of being typed in 元 (rules default).
MONEY_SUSPECT_WAN = Decimal(50)

_UNPRINTABLE = "（无法显示的内容）"
_UNREADABLE = "无法识别此格内容"
_QUOTE_MAX = 30

# Whitespace control characters separate words, so they become a space; the other control and
# zero-width characters (pasted from web pages and WeChat) are dropped.
_CONTROL_MAP: dict[int, str | None] = {
    c: None
    for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)
}
_CONTROL_MAP.update({c: " " for c in (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029)})

# Dash look-alikes clerks type between digits (NFKC leaves most of them alone).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
_DASH_MAP = str.maketrans(dict.fromkeys(_DASHES, "-") | {"〜": "~", "。": ".", "｡": "."})

_WS = re.compile(r"\s+")
_LONG_DIGITS = re.compile(r"[0-9]{9,}")


_MEMO_MAX = 100_000

# Results by the value's class, then by the value: the class keeps 1, 1.0 and True apart, and a
# whole column of one class can be looked up in one dict (see memos_of).
Memos = dict[type, dict[object, Parsed[T]]]


def _remembered(
    memo: dict[tuple[object, ...], Parsed[T]],
    key: tuple[object, ...],
    compute: Callable[[], Parsed[T]],
) -> Parsed[T]:
    """``memo[key]``, computed and kept on first use; an unhashable cell value (a list a test
    or a macro hands in) is parsed every time rather than remembered."""
    try:
        hit = memo.get(key)
    except TypeError:
        return compute()
    if hit is None:
        hit = compute()
        if len(memo) < _MEMO_MAX:
            memo[key] = hit
    return hit


def _recall(memos: Memos[T], value: object, compute: Callable[[], Parsed[T]]) -> Parsed[T]:
    """The result for one cell value, computed and kept (per class) on first use."""
    memo = memos.get(value.__class__)
    if memo is None:
        memo = memos.setdefault(value.__class__, {})
    try:
        hit = memo.get(value)
    except TypeError:
        return compute()
    if hit is None:
        hit = compute()
        if len(memo) < _MEMO_MAX:
            memo[value] = hit
    return hit


def memos_of(parser: Callable[[object], Parsed[T]]) -> Memos[T] | None:
    """What a one-argument parser made here remembers, class → value → result, or None for
    a parser that remembers nothing. A column parse reads it directly, so a column whose
    values were all seen before costs one dict lookup per cell and no call."""
    return getattr(parser, "memos", None)


def remembered(fn: Callable[[object], Parsed[T]]) -> Callable[[object], Parsed[T]]:
    """``fn`` with its results remembered per (class, value), readable with :func:`memos_of`."""
    memos: Memos[T] = {}

    @functools.wraps(fn)
    def parse(value: object) -> Parsed[T]:
        return _recall(memos, value, lambda: fn(value))

    parse.memos = memos  # type: ignore[attr-defined]
    return parse


def _guarded(code: Code) -> Callable[[Callable[P, Parsed[T]]], Callable[P, Parsed[T]]]:
    """Safety net: a parser bug must become a finding for one cell, not a crashed batch.

    The wrapped function stays reachable as ``__wrapped__`` so tests can check that ordinary
    inputs never need the net.
    """

    def decorate(fn: Callable[P, Parsed[T]]) -> Callable[P, Parsed[T]]:
        # A sheet repeats the same values (dates, types, 是/否) thousands of times; results are
        # immutable, so they are memoised per (type, value) — the type keeps 1, 1.0 and True apart.
        memos: Memos[T] = {}
        memo: dict[tuple[object, ...], Parsed[T]] = {}  # calls with more than the cell value

        def call(*args: P.args, **kwargs: P.kwargs) -> Parsed[T]:
            try:
                return fn(*args, **kwargs)
            except Exception:
                return Parsed(None, code, _UNREADABLE)

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Parsed[T]:
            if not kwargs and len(args) == 1:  # the common case
                return _recall(memos, args[0], lambda: call(*args))
            # Mappings (the rules' alias table) are keyed by their content.
            key = tuple(
                (a.__class__, frozenset(a.items()) if isinstance(a, dict) else a) for a in args
            ) + tuple(sorted(kwargs.items()))
            return _remembered(memo, key, lambda: call(*args, **kwargs))

        wrapper.memos = memos  # type: ignore[attr-defined]
        return wrapper

    return decorate


# ---------------------------------------------------------------------- text


def _float_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite() or abs(value.adjusted()) > 40:
        return str(value)
    if value == value.to_integral_value():
        value = value.to_integral_value()
    return format(value, "f")


def clean_text(value: object) -> str:
    """Return the cell as trimmed text: the common first step of every parser.

    Integral floats lose their ``.0`` because Excel stores typed phone numbers and counts as
    floats (``13812345678.0``). Line breaks and tabs become spaces, other control and zero-width
    characters are removed, and leading/trailing whitespace (full-width spaces included) goes.
    """
    if value is None:
        return ""
    if value.__class__ is str and value.isprintable():  # the usual cell: nothing to remove
        return value.strip()
    try:
        if isinstance(value, bool):
            text = "TRUE" if value else "FALSE"
        elif isinstance(value, float):
            text = _float_text(value)
        elif isinstance(value, Decimal):
            text = _decimal_text(value)
        else:
            text = str(value)
        return text.translate(_CONTROL_MAP).strip()
    except Exception:
        return _UNPRINTABLE


def _mask(text: str) -> str:
    """Hide the middle of long digit runs so a detail never carries a full phone number."""
    return _LONG_DIGITS.sub(
        lambda m: m.group()[:3] + "*" * (len(m.group()) - 7) + m.group()[-4:], text
    )


def _quote(text: str) -> str:
    """``“raw”`` for a detail: shortened, and with long digit runs masked."""
    if len(text) > _QUOTE_MAX:
        text = text[:_QUOTE_MAX] + "…"
    return f"“{_mask(text)}”"


def _nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII; dash look-alikes to ``-``."""
    return unicodedata.normalize("NFKC", text).translate(_DASH_MAP)


def _fmt_decimal(value: Decimal) -> str:
    """``1.5``, ``10``, never ``1E+1``: how an amount reads in a detail."""
    try:
        n = value.normalize()
        return format(n, "f") if abs(n.adjusted()) <= 40 else str(n)
    except ArithmeticError:
        return str(value)


# ---------------------------------------------------------------------- phone

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_PHONE_SPLIT = re.compile(r"[/,、;|]+")
_PHONE_PUNCT = str.maketrans(dict.fromkeys("-.()[]【】", None))
_ASCII_DIGITS = re.compile(r"[0-9]+")


def _phone_form(digits: str) -> tuple[str, Code | None] | None:
    """Canonical form of one digit string and its code, or None when it is no phone number."""
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086") and _MOBILE.fullmatch(digits[4:]):
        digits = digits[4:]
    if _MOBILE.fullmatch(digits):
        return digits, None
    if digits.startswith("0") and len(digits) >= 10:
        # 010 and 02x are the only 3-digit area codes, all with 8-digit local numbers;
        # 4-digit area codes (03xx..09xx) have 7- or 8-digit local numbers.
        if digits.startswith(("010", "02")):
            area, local, ok_len = digits[:3], digits[3:], (8,)
        elif digits[1] in "3456789":
            area, local, ok_len = digits[:4], digits[4:], (7, 8)
        else:
            return None
        if len(local) in ok_len and local[0] != "0":
            return f"{area}-{local}", None
        return None
    if len(digits) == 8 and digits[0] in "2345678":
        return f"023-{digits}", Code.PHONE_NO_AREA_CODE
    return None


def _phone_token(token: str) -> str:
    token = token.translate(_PHONE_PUNCT)
    return token[1:] if token.startswith("+") else token


def _phone_part(part: str) -> tuple[list[tuple[str, Code | None]], str]:
    """Numbers in one separator-free part (spaces allowed); ``(numbers, "")`` or ``([], bad)``."""
    whole = _phone_token(_WS.sub("", part))
    if _ASCII_DIGITS.fullmatch(whole):
        form = _phone_form(whole)
        if form:
            return [form], ""
    # Several numbers separated by spaces only: take digit groups until each forms a number.
    found: list[tuple[str, Code | None]] = []
    acc = ""
    for token in part.split():
        acc += _phone_token(token)
        form = _phone_form(acc) if _ASCII_DIGITS.fullmatch(acc) else None
        if form:
            found.append(form)
            acc = ""
    if acc or len(found) < 2:
        return [], whole
    return found, ""


def _phone_problem(bad: str) -> str:
    """What is wrong with a non-number, in words that never repeat the digits."""
    digits = "".join(_ASCII_DIGITS.findall(bad))
    if not digits:
        return "没有填写号码"
    if digits != bad:
        return "含有数字以外的字符"
    if len(digits) == 11 and digits[0] == "1":
        return "不是有效的手机号（第二位应为3到9）"
    if digits[0] == "0" and 10 <= len(digits) <= 12:
        return "区号或号码位数不对"
    return f"位数不对（共{len(digits)}位，应为11位手机号或带区号的座机号）"


@_guarded(Code.PHONE_INVALID)
def parse_phone(value: object) -> Parsed[str]:
    """Read a contact phone: ``13812345678`` for mobiles, ``023-67125297`` for landlines.

    Phones identify a woman together with her name (spec §4), so spellings of one number must
    meet in one form: full-width digits, spaces, dashes, dots, parentheses and ``+86`` are
    dropped. A bare 8-digit number is assumed to be a Chongqing landline (warning). A cell with
    several numbers keeps the first valid one (warning). A landline typed into a number cell
    lost its leading 0 in Excel; it is restored silently.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        return Parsed(None, Code.PHONE_INVALID, "不是电话号码")
    if (
        isinstance(value, (int, float, Decimal))
        and _ASCII_DIGITS.fullmatch(text)
        and _phone_form(text) is None
        and (restored := _phone_form("0" + text)) is not None
    ):
        return Parsed(restored[0])
    text = _nfkc(text)
    if re.fullmatch(r"[0-9]+\.0+", text):
        text = text.split(".")[0]
    numbers: list[tuple[str, Code | None]] = []
    bad: list[str] = []
    for part in _PHONE_SPLIT.split(text):
        if not _phone_token(_WS.sub("", part)):
            continue  # only punctuation, such as a stray dash
        found, problem = _phone_part(part)
        numbers.extend(found)
        if problem or not found:
            bad.append(problem)
    if not numbers:
        return Parsed(None, Code.PHONE_INVALID, _phone_problem(bad[0] if bad else ""))
    first, code = numbers[0]
    if len(numbers) + len(bad) > 1:
        return Parsed(
            first, Code.PHONE_MULTIPLE, f"一格中有{len(numbers) + len(bad)}项，采用第一个号码"
        )
    if code == Code.PHONE_NO_AREA_CODE:
        return Parsed(first, code, "没有区号，按重庆区号023计")
    return Parsed(first)


# ---------------------------------------------------------------------- date

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 once the 1900 leap bug is absorbed
SERIAL_MIN, SERIAL_MAX = 36526, 55153  # 2000-01-01 .. 2050-12-31
_DATE_HINT = "请写成 2020年3月5日 或 2020-03-05"

_TIME_TAIL = re.compile(r"(?:\s+|T)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$")
_START = re.compile(
    r"(?P<y>[0-9]{4})(?:年(?P<m1>[0-9]{1,2})月(?P<d1>[0-9]{1,2})[日号]?"
    r"|[./-](?P<m2>[0-9]{1,2})[./-](?P<d2>[0-9]{1,2})"
    r"|(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))"
)
_RANGE_SEP = re.compile(r"-+|~+|至|到")
_END_FULL = (
    re.compile(r"([0-9]{4})[./-]([0-9]{1,2})[./-]([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})[日号]?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
)
_END_MONTH_DAY = (
    re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})"),
    re.compile(r"([0-9]{1,2})月([0-9]{1,2})[日号]?"),
    re.compile(r"([0-9]{2})([0-9]{2})"),
)
_END_DAY = re.compile(r"([0-9]{1,2})[日号]?")
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")


def _serial_date(serial: float | Decimal) -> Parsed[dt.date] | None:
    if SERIAL_MIN <= serial < SERIAL_MAX + 1:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        return Parsed(day, Code.DATE_SERIAL, day.isoformat())
    return None


def _date_or_none(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _range_end(start: dt.date, rest: str) -> dt.date | str | None:
    """End of a range from the text after the separator; a problem string if it is wrong."""
    for pattern in _END_FULL:
        if m := pattern.fullmatch(rest):
            end = _date_or_none(*(int(g) for g in m.groups()))
            if end is None:
                return "结束日期不存在"
            return end if end >= start else "结束日期早于开始日期"
    for pattern in _END_MONTH_DAY:
        if m := pattern.fullmatch(rest):
            month, day = int(m.group(1)), int(m.group(2))
            if month < start.month:  # 2020.12.30-1.2 runs into the next year
                end = _date_or_none(start.year + 1, month, day)
            else:
                end = _date_or_none(start.year, month, day)
            if end is None:
                return "结束日期不存在"
            return end if end >= start else "结束日期早于开始日期"
    if m := _END_DAY.fullmatch(rest):
        day = int(m.group(1))
        end = _date_or_none(start.year, start.month, day)
        if end is not None and end < start:  # 3.30-2 runs into the next month
            y, mo = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
            end = _date_or_none(y, mo, day)
        return end if end is not None else "结束日期不存在"
    return None


def _date_problem(compact: str, quoted: str) -> str:
    if re.fullmatch(r"[0-9]{4}(?:年|[./-])?", compact):
        return f"{quoted}只有年份，缺少月和日，{_DATE_HINT}"
    if re.fullmatch(r"[0-9]{4}(?:年|[./-])[0-9]{1,2}(?:月|[./-])?", compact):
        return f"{quoted}缺少日，{_DATE_HINT}"
    if re.match(r"[0-9]{1,2}(?:月|[./-])[0-9]{1,2}", compact):
        return f"{quoted}缺少年份，{_DATE_HINT}"
    return f"{quoted}不是日期，{_DATE_HINT}"


@_guarded(Code.DATE_INVALID)
def parse_date(value: object) -> Parsed[dt.date]:
    """Read a training date; a range counts as its first day.

    Date cells arrive as real dates, as Excel serial numbers (a cell formatted as number), or as
    text in the many ways clerks write dates. A year is never guessed: ``3月5日`` is reported,
    because the year decides whether the training counts for 2020 at all.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    quoted = _quote(text)
    if isinstance(value, bool):
        return Parsed(None, Code.DATE_INVALID, f"{quoted}不是日期，{_DATE_HINT}")
    if isinstance(value, dt.time):
        return Parsed(None, Code.DATE_INVALID, f"{quoted}只有时间，没有日期，{_DATE_HINT}")
    if isinstance(value, (int, float, Decimal)) and not _EIGHT_DIGITS.fullmatch(text):
        # A number that is not a typed 20200305: an Excel serial, or nothing.
        finite = not (
            (isinstance(value, float) and not math.isfinite(value))
            or (isinstance(value, Decimal) and not value.is_finite())
        )
        parsed = _serial_date(value) if finite else None
        return parsed or Parsed(None, Code.DATE_INVALID, f"{quoted}不是日期，{_DATE_HINT}")
    norm = _nfkc(text)
    if _SERIAL_TEXT.fullmatch(norm) and (parsed := _serial_date(Decimal(norm))):
        return parsed
    compact = _WS.sub("", _TIME_TAIL.sub("", norm)).rstrip(".")
    m = _START.match(compact)
    if m is None:
        return Parsed(None, Code.DATE_INVALID, _date_problem(compact, quoted))
    month = int(m.group("m1") or m.group("m2") or m.group("m3"))
    day = int(m.group("d1") or m.group("d2") or m.group("d3"))
    start = _date_or_none(int(m.group("y")), month, day)
    rest = compact[m.end() :]
    sep = _RANGE_SEP.match(rest) if rest else None
    if rest and sep is None:
        return Parsed(None, Code.DATE_INVALID, _date_problem(compact, quoted))
    if start is None:
        return Parsed(None, Code.DATE_INVALID, f"{quoted}这一天不存在，{_DATE_HINT}")
    if sep is None:
        return Parsed(start)
    end = _range_end(start, rest[sep.end() :])
    if end is None:
        return Parsed(None, Code.DATE_INVALID, _date_problem(compact, quoted))
    if isinstance(end, str):
        return Parsed(None, Code.DATE_INVALID, f"{quoted}{end}，{_DATE_HINT}")
    return Parsed(start, Code.DATE_RANGE, f"{start.isoformat()}至{end.isoformat()}")


# ---------------------------------------------------------------------- money

_NUMBER = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)"
_MONEY = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>万元|万|千元|千|百元|元|块钱|块)?")
_UNIT_DIVISOR = {
    "": 1,
    "万元": 1,
    "万": 1,
    "千元": 10,
    "千": 10,
    "百元": 100,
    "元": 10000,
    "块钱": 10000,
    "块": 10000,
}


# No single row of a village base earns this many 万元; a larger figure is a slip, not money.
MONEY_MAX_WAN = Decimal(10) ** 8
_TOO_LARGE = "数值过大，不是以万元计的金额"


def _looks_like_phone(amount: Decimal) -> bool:
    """A whole number whose digits form a mobile, or a landline that lost its leading 0."""
    if amount != amount.to_integral_value() or not 9 <= amount.adjusted() + 1 <= 15:
        return False
    digits = format(amount.to_integral_value(), "f")
    return _phone_form(digits) is not None or _phone_form("0" + digits) is not None


def _money_result(
    amount: Decimal,
    code: Code | None = None,
    detail: str = "",
    suspect_above: Decimal = MONEY_SUSPECT_WAN,
) -> Parsed[Decimal]:
    """The amount and its finding. A phone-like or implausibly large amount has no value, so
    it can never be counted; a suspect one keeps its value for the message, and the row check
    leaves it out of every total (spec §7, changed 2026-12-01)."""
    if amount < 0:
        return Parsed(None, Code.MONEY_NEGATIVE, "金额是负数")
    if amount == 0:
        amount = abs(amount)  # -0 reads as 0
    if _looks_like_phone(amount):
        return Parsed(None, Code.MONEY_PHONE_LIKE, "")
    if amount >= MONEY_MAX_WAN:
        return Parsed(None, Code.MONEY_INVALID, _TOO_LARGE)
    if amount > suspect_above:  # even 1500万 typed with its unit: no single row is that big
        return Parsed(
            amount,
            Code.MONEY_SUSPECT_YUAN,
            f"单行超过{_fmt_decimal(suspect_above)}万元，疑似以元填写",
        )
    return Parsed(amount, code, detail)


@_guarded(Code.MONEY_INVALID)
def parse_money(value: object, *, suspect_above: Decimal = MONEY_SUSPECT_WAN) -> Parsed[Decimal]:
    """Read an amount in 万元, the unit the tables ask for.

    Amounts are summed against targets in 万元, so an amount typed in 元 would count ten
    thousand times over: explicit units are converted (warning), and a bare amount above
    ``suspect_above`` 万元 (the rules file's threshold) in one row is kept but flagged as
    probably typed in 元. Floats go through ``str`` so that 1.1 stays ``Decimal("1.1")``.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    invalid: Parsed[Decimal] = Parsed(None, Code.MONEY_INVALID, f"{_quote(text)}不是数字")
    if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        return invalid
    if isinstance(value, Decimal):
        return _money_result(value, suspect_above=suspect_above) if value.is_finite() else invalid
    if isinstance(value, int):
        return _money_result(Decimal(value), suspect_above=suspect_above)
    if isinstance(value, float):
        return (
            _money_result(Decimal(str(value)), suspect_above=suspect_above)
            if math.isfinite(value)
            else invalid
        )
    compact = _WS.sub("", _nfkc(text))
    m = _MONEY.fullmatch(compact)
    if m is None:
        phone = parse_phone(text)
        if phone.value is not None and phone.code is None:  # 138-0013-8800, 023-67125297
            return Parsed(None, Code.MONEY_PHONE_LIKE, "")
        return invalid
    try:
        amount = Decimal(m.group("num").replace(",", ""))
    except InvalidOperation:
        return invalid
    unit = m.group("unit") or ""
    if not unit:
        return _money_result(amount, suspect_above=suspect_above)
    wan = amount / _UNIT_DIVISOR[unit]
    return _money_result(wan, Code.MONEY_CONVERTED, f"{_quote(text)}按 {_fmt_decimal(wan)} 万元计")


# ---------------------------------------------------------------------- yes / no

# Read as 是 after NFKC and casefold (the template's formulas take the same list).
YES_WORDS = frozenset({"√", "✓", "✔", "y", "yes", "1", "1.0", "true", "对", "有"})
_YES = YES_WORDS
_NO = frozenset({"×", "✗", "✘", "x", "n", "no", "0", "0.0", "false", "无"})


@_guarded(Code.YESNO_INVALID)
def parse_yes_no(value: object) -> Parsed[bool]:
    """Read a 是/否 cell (是否合格, 是否就业, 是否创业).

    The 样表 asks for 是 or 否; ticks, crosses, Y/N and 1/0 are understood but reported so the
    tables converge on the asked form. A real boolean (a checkbox cell, or our own output fed
    back) is taken as is.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    if isinstance(value, bool):
        return Parsed(value)
    key = _nfkc(text).strip().casefold()
    if key == "是":
        return Parsed(True)
    if key == "否":
        return Parsed(False)
    if key in _YES:
        return Parsed(True, Code.YESNO_CONVERTED, f"{_quote(text)}按“是”计")
    if key in _NO:
        return Parsed(False, Code.YESNO_CONVERTED, f"{_quote(text)}按“否”计")
    return Parsed(None, Code.YESNO_INVALID, f"填的是{_quote(text)}")


# ---------------------------------------------------------------------- women type


def bound(
    parser: Callable[..., Parsed[T]], *extra: object, **kw: object
) -> Callable[[object], Parsed[T]]:
    """``parser`` with its rule arguments fixed, memoised on the cell value alone.

    The general memo keys a call by all its arguments, which for the rules' alias tables costs
    more than the parse; a row check binds them once per run instead.
    """
    memos: Memos[T] = {}

    def parse(value: object) -> Parsed[T]:
        return _recall(memos, value, lambda: parser(value, *extra, **kw))

    parse.memos = memos  # type: ignore[attr-defined]
    return parse


@_guarded(Code.WOMEN_TYPE_INVALID)
def parse_women_type(
    value: object, canonical: Sequence[str], aliases: Mapping[str, str]
) -> Parsed[str]:
    """Read 妇女类型 against the rules' canonical names and aliases.

    Only 未脱贫妇女 and 贫困妇女 count towards the targets, so a type that cannot be read must be
    reported rather than guessed. The lists come from the year's rules file, not from code.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    key = _WS.sub("", text)
    names = [c for c in canonical if isinstance(c, str)]
    if key in {_WS.sub("", c) for c in names}:
        return Parsed(next(c for c in names if _WS.sub("", c) == key))
    for alias, target in aliases.items():
        if isinstance(alias, str) and isinstance(target, str) and _WS.sub("", alias) == key:
            return Parsed(target, Code.WOMEN_TYPE_ALIAS, f"{_quote(text)}按“{target}”计")
    listed = "、".join(names)
    return Parsed(None, Code.WOMEN_TYPE_INVALID, f"{_quote(text)}不是{listed}之一")


# ---------------------------------------------------------------------- name and integers


@_guarded(Code.NAME_INVALID)
def parse_name(value: object) -> Parsed[str]:
    """Read a woman's name; inner spaces (``张 三``, used to align two-character names) go.

    The name is kept even when it looks wrong, because it still identifies the row for the
    clerk; the detail never repeats it.
    """
    text = clean_text(value)
    if not text:
        return Parsed(None)
    name = _WS.sub("", text)
    if not isinstance(value, str):
        return Parsed(name, Code.NAME_INVALID, "姓名应为文字")
    if any(ch.isdigit() for ch in name):
        return Parsed(name, Code.NAME_INVALID, "姓名含数字")
    if not 2 <= len(name) <= 20:
        return Parsed(name, Code.NAME_INVALID, "姓名长度应为2到20个字")
    return Parsed(name)


_INT_MAX_DIGITS = 100  # far beyond any count; keeps int() away from huge inputs
_INT_TEXT = re.compile(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0*)?(?:户|年度|年|人|个|家|次)?"
)


@_guarded(Code.INT_INVALID)
def parse_int(value: object) -> Parsed[int]:
    """Read a non-negative whole number such as 帮扶户数 or 统计年度 (``3户``, ``2020年``)."""
    text = clean_text(value)
    if not text:
        return Parsed(None)
    invalid: Parsed[int] = Parsed(None, Code.INT_INVALID, f"{_quote(text)}不是非负整数")
    if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
        return invalid
    if isinstance(value, int):
        return Parsed(int(value)) if value >= 0 else invalid
    if isinstance(value, float):
        ok = math.isfinite(value) and value.is_integer() and value >= 0
        return Parsed(int(value)) if ok else invalid
    if isinstance(value, Decimal):
        # adjusted() bounds the digit count, so int() never builds a billion-digit number.
        ok = value.is_finite() and value >= 0 and value.adjusted() <= _INT_MAX_DIGITS
        ok = ok and value == value.to_integral_value()
        return Parsed(int(value)) if ok else invalid
    m = _INT_TEXT.fullmatch(_WS.sub("", _nfkc(text)))
    if m is None or len(m.group("num")) > _INT_MAX_DIGITS:
        return invalid
    return Parsed(int(m.group("num").replace(",", "")))

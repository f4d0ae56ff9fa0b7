"""The one definition of what a phone, a 身份证号 and a home address look like, in any spelling.

Used by everything that hides personal data: quoted values in messages, JSON and 问题清单
(:mod:`~jinguo_xl.privacy.redact`), the masked copy and the masked master (cell by cell and
part by part, :mod:`~jinguo_xl.privacy.parts`), and the leak scan that refuses to publish a
masked file that still holds any (:mod:`~jinguo_xl.privacy.leaks`).

Clerks type these every way there is, so text is first normalised with an index map back to
the original: full-width and other Unicode digits become ASCII digits, zero-width characters
vanish, odd spaces (thin, en, ideographic …) become a space, compatibility forms (``，`` ``＋``
``（``) their ASCII twins. Then:

* phones: mobiles ``1[3-9]`` + 9 digits, with ``+86``/``0086``/``86`` in front, groups 3-4-4
  or 3-8 split by any one of ``- — – · / _ , 一 . ( )`` or spaces; landlines with an area code
  (``023-67125297``, ``(023)6712-5297``);
* 身份证号: 18 characters (a plausible birth date inside; the last one may be ``X``), old
  15-digit numbers, either with spaces between the groups, and an 18-digit number that
  Excel turned into ``5.00233199207085E+17`` (region and birth date still readable);
* addresses: a village or community followed by a house part (青山村3组, 幸福社区2栋),
  a street with a number (民族路18号), an estate with a building (阳光小区3栋), a building
  with a unit or room (3栋2单元, 2单元501室).

Masks keep the ends of a number (``138****8000``) and an address up to its township; the
character used for hidden digits is a parameter, since ``*`` is not allowed in a sheet name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

KIND_PHONE = "电话号码"
KIND_ID = "身份证号"
KIND_ADDRESS = "住址"
ADDRESS_HIDDEN = "（住址已隐去）"

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_SPACES = frozenset("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                    "\u2009\u200a\u202f\u205f\u3000")
# One separator a clerk puts between the groups of a number (after normalisation).
_SEP_CHARS = r"\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00b7\u30fb\uff65./_,、\u4e00"
_S = rf"(?:[ ]*[{_SEP_CHARS}][ ]*|[ ]+)?"
_LEFT = r"(?<![0-9A-Fa-f])"  # not inside a longer number or a hex token (a digest, a GUID)
_PREFIX = rf"(?:(?:\+|00)[ ]*86{_S}|86[ ]*-?[ ]*|\(\+?86\)[ ]*)?"
_MOBILE = (
    rf"1[3-9]\d{_S}\d{{4}}{_S}\d{{4}}|1[3-9]\d\d{_S}\d{{3}}{_S}\d{{4}}"
    rf"|1[3-9]\d\d{_S}\d{{4}}{_S}\d{{3}}|1 [3-9](?: \d){{9}}"
)
_LANDLINE = rf"(?:\(0[1-9]\d{{1,2}}\)[ ]*|0[1-9]\d{{1,2}}{_S})(?:[2-9]\d{{2,3}}{_S}\d{{4}})"
_DATE8 = r"(?:18|19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_DATE6 = r"\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_SP = r"[ ]?"
_ID18 = rf"[1-9]\d{{5}}{_SP}{_DATE8}{_SP}\d{{3}}[\dXx]"
_ID15 = rf"[1-9]\d{{5}}{_SP}{_DATE6}{_SP}\d{{3}}"
# A long number Excel showed in scientific notation: 18 digits → E+17, 15 → E+14, 11 → E+10.
_SCI = r"\d[.]\d{5,}[Ee]\+?0?(?:1[0-7])"

_NUMBER = re.compile(
    rf"(?=[0-9+(]){_LEFT}(?:(?P<sci>{_SCI})|(?P<id>{_ID18}|{_ID15})|(?P<phone>{_PREFIX}(?:{_MOBILE})"
    rf"|{_LANDLINE}))(?![Xx]?[0-9])"
)
_NUMBER_HINT = re.compile(r"\d")
# Local numbers that are only ever examples of the format ("如 023-12345678").
_PLACEHOLDERS = ("1234567", "12345678")

_CN_NUM = "一二三四五六七八九十百零两"
_N = rf"(?:\d+|[{_CN_NUM}]+)"
_PLACE = r"[^\s“”\"'，,；;：:（）()<>]"
_ADDRESS = re.compile(
    "(?:"
    + "|".join(
        (
            rf"{_PLACE}{{0,16}}?(?:村|社区|居委会?){_PLACE}{{0,12}}?{_N}[ ]*"
            r"(?:组|社|队|号|栋|幢|单元|室|楼)",
            rf"{_PLACE}{{0,16}}?[\u4e00-\u9fff](?:街|路|巷|大道|弄)[ ]*{_N}[ ]*(?:号|弄|栋|幢)",
            rf"{_PLACE}{{0,16}}?小区[ ]*{_N}[ ]*(?:栋|幢|号楼|单元|号|期)",
            rf"{_N}[ ]*(?:栋|幢|号楼)[ ]*{_N}[ ]*(?:单元|号|室)",
            rf"{_N}[ ]*单元[ ]*{_N}[ ]*(?:室|号|楼)",
        )
    )
    + ")"
    + rf"(?:[ ]*(?:{_N}|[-－]){_PLACE}{{0,3}}?(?:组|社|号|栋|幢|单元|室|楼|层))*"
)
# Every address shape ends in a number and a house word: without one, no address to look for.
_HOUSE_START = re.compile("[组社队号栋幢单室楼弄期]")
_NUMBER_END = re.compile(rf"(?:\d|[{_CN_NUM}])[ ]*$")
_TOWNSHIP = re.compile(r"^(.*(?:乡|镇|街道))")
_COUNTY = re.compile(r"^(.*?(?:自治县|县|市|(?<![小社])区))")


@dataclass(frozen=True, slots=True)
class Hit:
    """One piece of personal data in a text: where (in the original text), what, and its mask."""

    start: int
    end: int
    kind: str
    text: str  # as found (original spelling)
    digits: str  # the ASCII digits (and X) of a number; "" for an address


# One character for one: full-width forms as ASCII, odd spaces as a space. Text holding only
# these (nearly all text) is normalised by one ``str.translate``, positions unchanged.
_ONE_FOR_ONE = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFF01, 0xFF5F)}
_ONE_FOR_ONE.update({ord(ch): " " for ch in _SPACES})
_SLOW = re.compile("[" + "".join(sorted(_ZERO_WIDTH)) + "]")
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit of another script


def normalise(text: str) -> tuple[str, list[int] | None]:
    """``text`` with digits in ASCII, zero-width characters gone, spaces and punctuation in
    their plain forms; and for each character of the result its index in ``text`` (None
    when every character stayed where it was)."""
    if text.isascii():
        return text, None
    if not _SLOW.search(text):
        norm = text.translate(_ONE_FOR_ONE)
        if norm.isascii() or not _OTHER_DIGIT.search(norm):
            return norm, None
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isascii():
            out.append(ch)
        elif ch in _ZERO_WIDTH:
            continue
        elif ch in _SPACES:
            out.append(" ")
        elif ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        else:
            plain = unicodedata.normalize("NFKC", ch)
            out.append(plain if len(plain) == 1 and plain.isascii() else ch)
        index.append(i)
    index.append(len(text))
    return "".join(out), index


def _digits_of(found: str) -> str:
    return "".join(ch for ch in found if ch.isdigit() or ch in "Xx").upper()


def find(text: str, *, addresses: bool = True, numbers: bool = True) -> list[Hit]:
    """Every phone and 身份证号 (unless ``numbers`` is False) and address (unless
    ``addresses`` is False) in ``text``, in order."""
    if not isinstance(text, str) or len(text) < 4:
        return []
    has_digit = numbers and (
        _NUMBER_HINT.search(text) is not None or any(ch.isdecimal() for ch in text)
    )
    has_place = addresses and any(
        _NUMBER_END.search(text, max(0, m.start() - 4), m.start())
        for m in _HOUSE_START.finditer(text)
    )
    if not has_digit and not has_place:
        return []
    norm, index = normalise(text)

    def span(m: re.Match[str]) -> tuple[int, int]:
        if index is None:
            return m.start(), m.end()
        return index[m.start()], index[m.end() - 1] + 1

    hits: list[Hit] = []
    if has_digit:
        for m in _NUMBER.finditer(norm):
            kind = KIND_PHONE if m.group("phone") else KIND_ID
            if kind == KIND_PHONE and _digits_of(m.group()).endswith(_PLACEHOLDERS):
                continue  # the format example in a message (023-12345678), no one's number
            if m.group("sci") and m.group("sci").lower().split("e")[1].lstrip("+0") == "10":
                kind = KIND_PHONE
            s, e = span(m)
            hits.append(Hit(s, e, kind, text[s:e], _digits_of(m.group())))
    if has_place:
        blanked = list(norm)
        for m in _NUMBER.finditer(norm) if hits else ():
            blanked[m.start() : m.end()] = " " * (m.end() - m.start())
        for m in _ADDRESS.finditer("".join(blanked)):
            s, e = span(m)
            hits.append(Hit(s, e, KIND_ADDRESS, text[s:e], ""))
    hits.sort(key=lambda h: h.start)
    return hits


def hide_digits(digits: str, star: str = "*") -> str:
    """``13800138000`` → ``138****8000``: the first three and last four digits stay (an X too)."""
    prefix = ""
    if len(digits) >= 13 and digits.startswith("86") and digits[2] == "1":
        prefix, digits = "+86 ", digits[2:]
    elif len(digits) >= 15 and digits.startswith("0086"):
        prefix, digits = "+86 ", digits[4:]
    head, tail = (3, 4) if len(digits) >= 11 else (2, 2)
    return prefix + digits[:head] + star * (len(digits) - head - tail) + digits[-tail:]


def _mask_number(hit: Hit, star: str) -> str:
    if hit.text.lower().count("e") == 1 and "." in hit.text:  # 5.00233199207085E+17
        mantissa, exponent = hit.text.lower().split("e")
        return f"{mantissa[:1]}.{star * (len(mantissa) - 2)}E{exponent.upper()}"
    found = hit.text.strip()
    if found.startswith("(0") or (found[:1] == "0" and not found.startswith("00")):
        digits = hit.digits
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{star * (len(digits) - area - 4)}{digits[-4:]}"
    if hit.digits.endswith("X"):  # the check character stays, as redaction always showed it
        return hide_digits(hit.digits[:-1], star) + hit.text.strip()[-1]
    return hide_digits(hit.digits, star)


def mask_address(text: str) -> str:
    """An address cut after its township (or county): 城口县鸡鸣乡青山村3组 → 城口县鸡鸣乡."""
    if m := _TOWNSHIP.match(text):
        kept = m.group(1)
        return kept if not _ADDRESS.search(kept) else ""
    if m := _COUNTY.match(text):
        return m.group(1)
    return ""


def mask(
    text: str,
    *,
    star: str = "*",
    addresses: bool = True,
    numbers: bool = True,
    seen: Callable[[Hit], None] | None = None,
) -> str:
    """``text`` with every phone, 身份证号 and address hidden; ``seen`` is told of each hit."""
    hits = find(text, addresses=addresses, numbers=numbers)
    if not hits:
        return text
    out, last = [], 0
    for hit in hits:
        out.append(text[last : hit.start])
        if hit.kind == KIND_ADDRESS:
            out.append(mask_address(hit.text) + ADDRESS_HIDDEN)
        else:
            out.append(_mask_number(hit, star))
        last = hit.end
        if seen:
            seen(hit)
    out.append(text[last:])
    return "".join(out)


def excerpt(hit: Hit) -> str:
    """What a report may show of a hit: its kind and its masked form, never the value."""
    if hit.kind == KIND_ADDRESS:
        return (mask_address(hit.text) + ADDRESS_HIDDEN)[:30]
    return _mask_number(hit, "*")

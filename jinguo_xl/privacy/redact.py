"""Redaction of cell values quoted into messages, so a findings list can be mailed safely.

Clerks type a phone in every spelling (``138-0013-8800``, ``138 0013 8800``, full-width
``１３８…``, ``+86 138…``, ``(023)6712-5297``) and in every column, and a message that quotes
the cell back would carry it to the county, the JSON and the master's 问题清单. So every quoted
value goes through :func:`redact`: digit runs are joined across the separators people use,
full-width and other Unicode digits count as digits, and a run of 7 or more digits keeps only
its ends. Dates (``2020-03-05``) are left alone, because a clerk needs to see them. A home
address (a village followed by a 组/号/栋…) is cut after its township, like the masked copy
does, and a value from the 家庭住址 column is never quoted at all.

What a phone, an ID or an address looks like is defined once, in
:mod:`~jinguo_xl.privacy.patterns` (the masked copy, the masked master and the leak scan use
the same module); this module adds the broader rule for quoted values: any other run of 7 or
more digits is hidden too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jinguo_xl.privacy import patterns
from jinguo_xl.privacy.patterns import ADDRESS_HIDDEN

# Separators that people put inside phone numbers. En and em dashes are left out on purpose:
# the tool writes row ranges as ``1000–1005``, and those must stay readable.
_SEP = r"[ \t\u00a0\u3000\-\u2010\u2011\u2212\uff0d.\uff0e()（）]"
# A run may end in the X of an 18-digit 身份证号.
_RUN = re.compile(rf"(?:[+＋]\s*)?[(（]?\d(?:{_SEP}*\d)*(?:(?<=\d)[xX](?![A-Za-z]))?")
_DECIMAL = re.compile(r"(\d+)([.．]\d+)")
_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d\d\s*[-./年\u2010\u2011\uff0d\uff0e]\s*\d{1,2}\s*[-./月\u2010\u2011\uff0d\uff0e]"
    r"\s*\d{1,2}(?!\d)日?"
)
MIN_DIGITS = 7
# Column labels whose values are addresses: never quoted.
_ADDRESS_LABELS = ("住址", "地址", "住所")


def _digits(text: str) -> str:
    """The decimal digits of ``text`` as ASCII (full-width and other scripts included)."""
    return "".join(str(int(ch)) for ch in text if ch.isdecimal())


def _hide_digits(digits: str) -> str:
    """``13800138800`` → ``138****8800``; a +86 prefix is shown as such, shorter runs keep 2+2."""
    return patterns.hide_digits(digits)


Seen = Callable[[str], None]


def _hide_run(run: str, seen: Seen | None) -> str:
    if m := _DECIMAL.fullmatch(run):  # an amount such as 500000.5: only its whole part counts
        whole = m.group(1)
        if len(whole) < MIN_DIGITS:
            return run
        if seen:
            seen(_digits(whole))
        return _hide_digits(_digits(whole)) + m.group(2)
    digits = _digits(run)
    if len(digits) < MIN_DIGITS:
        return run
    check = run[-1] if run[-1] in "xX" else ""
    if seen:
        seen(digits + check.upper())
    return _hide_digits(digits) + check


def hide_numbers(text: str, seen: Seen | None = None) -> str:
    """``text`` with every run of 7+ digits (across separators) hidden; dates kept.

    ``seen`` is told the digits of each hidden run, so a caller can say what it hid. A value
    that is no text (a base field left blank) comes back as it is."""
    if not isinstance(text, str) or not any(ch.isdecimal() for ch in text):
        return text
    # Phones and IDs in every spelling (loose separators, scientific notation) first.
    text = patterns.mask(
        text, addresses=False, seen=(lambda hit: seen(hit.digits)) if seen else None
    )
    out, last = [], 0
    for m in _DATE.finditer(text):
        out.append(_RUN.sub(lambda r: _hide_run(r.group(), seen), text[last : m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(_RUN.sub(lambda r: _hide_run(r.group(), seen), text[last:]))
    return "".join(out)


def hide_address(text: str) -> str:
    """``text`` with every home address (village or street and house part) cut after its
    township."""
    return patterns.mask(text, numbers=False)


def redact(value: object) -> str:
    """``value`` as text fit to quote: phone-like digit runs and home addresses hidden."""
    text = "" if value is None else str(value)
    return hide_address(hide_numbers(text)) if text else text


def is_address_label(label: object) -> bool:
    """True for a column whose values are home addresses (家庭住址, 地址 …)."""
    text = "" if label is None else str(label)
    return any(word in text for word in _ADDRESS_LABELS)


def redact_param(value: object, column: object = "") -> object:
    """A message parameter made safe; numbers the tool computed pass through unchanged."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value if abs(value) < 10 ** (MIN_DIGITS - 1) else redact(value)
    if is_address_label(column) and any(ch.isalpha() for ch in str(value or "")):
        return ADDRESS_HIDDEN  # a row range such as 5–12 (no letters) stays
    return redact(value)

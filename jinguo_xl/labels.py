"""Canonical form of the labels clerks type, so that matching is by meaning, not by keystrokes.

The 样表 was a Word table: its header cells carry line breaks (``产品收入\\n（万元）``), and
retyped copies mix half- and full-width parentheses, spaces and trailing colons. Every header,
caption and base-field label is compared after :func:`norm_label`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACE = re.compile(r"\s+")
_TRANSLATE = str.maketrans({"(": "（", ")": "）", ":": "：", "*": "", "＊": ""})


def norm_label(value: object) -> str:
    """Return ``value`` as a label key: no whitespace, full-width parentheses, no trailing colon."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _norm_text(value)
    return _norm_text(str(value))


@functools.lru_cache(maxsize=65536)
def _norm_text(value: str) -> str:
    """Cached: a sheet repeats the same texts (types, dates, contents) thousands of times."""
    # NFKC turns full-width parentheses into half-width; translate back after it on purpose.
    text = unicodedata.normalize("NFKC", str(value)).translate(_TRANSLATE)
    text = _SPACE.sub("", text.replace("\u3000", ""))
    return text.rstrip("：")


def strip_parenthetical(label: str) -> str:
    """``是否就业（脱贫基地选填）`` → ``是否就业``: the part before any parenthesised note."""
    return re.sub(r"（[^（）]*）", "", label)


def name_key(value: object) -> str:
    """A base's name as matching sees it: :func:`norm_label` without any punctuation, so that
    ``示例·城口县（鸡鸣乡）合作社`` and ``示例城口县鸡鸣乡合作社`` are one base (the 名单 and the
    统计表 are typed by different people)."""
    return _name_key(norm_label(value))


@functools.lru_cache(maxsize=8192)
def _name_key(label: str) -> str:
    return "".join(ch for ch in label if not unicodedata.category(ch).startswith("P"))

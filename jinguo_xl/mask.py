"""Masking of the personal data of poor women, for every copy that leaves the office.

Names keep the surname (张* for two characters, 张*明 for three, 欧阳*明 for four or more),
phones keep the first three and last four digits (138****5678; landlines keep the area code),
addresses are cut after the township. Counting always happens before masking.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^(\d{3})\d{4}(\d{4})$")
_TOWNSHIP = re.compile(r"^(.*?(?:乡|镇|街道))")
_COUNTY = re.compile(r"^(.*?(?:自治县|县|区))")
# Two-character compound surnames common in Chongqing's counties.
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "长孙", "慕容", "尉迟")


def mask_name(name: object) -> str:
    """张三 → 张*; 张三丰 → 张*丰; 欧阳娜娜 → 欧阳*娜."""
    text = "" if name is None else "".join(str(name).split())
    if not text:
        return ""
    if len(text) == 1:
        return "*"
    surname = text[:2] if text.startswith(_COMPOUND) and len(text) > 2 else text[:1]
    rest = text[len(surname) :]
    if len(rest) <= 1:
        return surname + "*"
    return surname + "*" * (len(rest) - 1) + rest[-1]


def mask_phone(phone: object) -> str:
    """13812345678 → 138****5678; 023-67125297 → 023-****5297; anything else → ****."""
    raw = "" if phone is None else "".join(str(phone).split())
    if not raw:
        return ""
    digits = raw.replace("-", "")
    if digits.startswith("0") and digits.isdigit() and len(digits) >= 10:
        head = raw.split("-")[0] if "-" in raw else digits[: 3 if digits[1] in "12" else 4]
        return f"{head}-****{digits[-4:]}"
    if m := _MOBILE.match(digits):
        return f"{m.group(1)}****{m.group(2)}"
    return "****"


def mask_address(address: object) -> str:
    """城口县鸡鸣乡青山村3组 → 城口县鸡鸣乡; without a township, only the county is kept."""
    text = "" if address is None else "".join(str(address).split())
    if not text:
        return ""
    if m := _TOWNSHIP.match(text):
        return m.group(1)
    if m := _COUNTY.match(text):
        return m.group(1)
    return "（已隐去）"

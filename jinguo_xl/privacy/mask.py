"""Masking of the personal data of poor women, for every copy that leaves the office.

Names keep the surname (张* for two characters, 张*明 for three, 欧阳*明 for four or more),
phones keep the first three and last four digits (138****5678; landlines keep the area code),
addresses are cut after the township. Counting always happens before masking.
"""

from __future__ import annotations

import math
import re

from jinguo_xl.privacy import patterns
from jinguo_xl.privacy.redact import hide_address, hide_numbers

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
    # Whatever is kept is masked too: "电话13800139700，城口县鸡鸣乡…" keeps no phone.
    if m := _TOWNSHIP.match(text):
        return patterns.mask(m.group(1))
    if m := _COUNTY.match(text):
        return patterns.mask(m.group(1))
    return "（已隐去）"


# ---------------------------------------------------------------------- numbers in any cell

KIND_PHONE = "电话号码"
KIND_ID = "身份证号"
KIND_CARD = "银行卡号"
KIND_NUMBER = "长数字"
KIND_NAME = "姓名"
KIND_ADDRESS = "住址"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE_ANY = re.compile(r"^(?:86)?1[3-9]\d{9}$")


def is_id_number(text: str) -> bool:
    """An 18-character 身份证号 whose check digit is right, or an old 15-digit one."""
    if len(text) == 15:
        return text.isdigit() and text[0] != "0"
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == text[17].upper()


def is_bank_card(digits: str) -> bool:
    """16–19 digits passing the Luhn check, as every bank card number does."""
    if not (16 <= len(digits) <= 19 and digits.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def number_kind(digits: str) -> str:
    """What a long run of digits most likely is, for the list of what a mask hid."""
    if is_id_number(digits):
        return KIND_ID
    if is_bank_card(digits):
        return KIND_CARD
    if _MOBILE_ANY.match(digits) or (digits.startswith("0") and 10 <= len(digits) <= 12):
        return KIND_PHONE
    return KIND_NUMBER


def mask_text(text: str) -> tuple[str, list[str]]:
    """``text`` with every phone, 身份证号, bank card or other 7+-digit run hidden.

    Returns the masked text and the kind of each run hidden (empty when nothing was)."""
    kinds: list[str] = []
    text = patterns.mask(text, addresses=False, seen=lambda hit: kinds.append(hit.kind))
    masked = hide_numbers(text, lambda digits: kinds.append(number_kind(digits)))
    return masked, kinds


def number_digits(value: object) -> str | None:
    """The digits of a whole number typed as a number (13800138000 or 1.38e10), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return None
    if abs(value) >= 1e20:
        return None
    return str(abs(int(value)))


def phone_like_number(value: object, *, money: bool) -> str | None:
    """The kind of a numeric cell that is personal data, or None.

    In a money column only a mobile number or an ID/card-length number counts (a large
    amount typed in 元 is a counting problem, not personal data); elsewhere any whole number
    of 7 or more digits does, since no 样表 column other than money holds such numbers."""
    digits = number_digits(value)
    if digits is None or len(digits) < 7:
        return None
    kind = number_kind(digits)
    if money and kind == KIND_NUMBER and len(digits) < 15:
        return None
    return kind


def mask_cell(value: object, *, money: bool = False) -> object:
    """Any cell value with its phones, ID and card numbers and home addresses hidden.

    Used by ``consolidate --mask`` on every column it copies (备注, 妇女类型, amounts …), so a
    phone typed in the wrong column does not survive the mask."""
    if isinstance(value, str):
        return hide_address(mask_text(value)[0])
    if phone_like_number(value, money=money) is None:
        return value
    digits = number_digits(value)
    return hide_numbers(digits) if digits else value

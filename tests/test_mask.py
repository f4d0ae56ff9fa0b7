"""Masking rules for names, phones and addresses."""

from __future__ import annotations

import pytest

from jinguo_xl.mask import mask_address, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧阳*娜"),
        ("欧阳娜", "欧阳*"),
        ("王小明明", "王**明"),
        ("李", "*"),
        ("", ""),
        (None, ""),
        (" 张 三 ", "张*"),
    ],
)
def test_names_keep_the_surname(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("023-67125297", "023-****5297"),
        ("0851-1234567", "0851-****4567"),
        ("138 1234 5678", "138****5678"),
        ("12", "****"),
        (None, ""),
    ],
)
def test_phones_keep_prefix_and_last_four(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("城口县鸡鸣乡青山村3组", "城口县鸡鸣乡"),
        ("酉阳县车田乡", "酉阳县车田乡"),
        ("石柱县南宾街道某小区5栋", "石柱县南宾街道"),
        ("城口县某村", "城口县"),
        ("青山村3组", "（已隐去）"),
        ("", ""),
    ],
)
def test_addresses_are_cut_to_the_township(address, masked):
    assert mask_address(address) == masked

"""Masking rules for names, phones and addresses."""

from __future__ import annotations

import pytest

from jinguo_xl.privacy.mask import (
    KIND_CARD,
    KIND_ID,
    KIND_NUMBER,
    KIND_PHONE,
    is_bank_card,
    is_id_number,
    mask_address,
    mask_cell,
    mask_name,
    mask_phone,
    mask_text,
)


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


# ---------------------------------------------------------------------- numbers in any cell


def test_an_id_number_needs_its_check_digit():
    assert is_id_number("11010519491231002X") and is_id_number("11010519491231002x")
    assert not is_id_number("110105194912310021")  # wrong check digit: some other number
    assert is_id_number("110105491231002")  # the old 15-digit form


def test_a_bank_card_passes_luhn():
    assert is_bank_card("6228480402564890018") and is_bank_card("4111111111111111")
    assert not is_bank_card("6228480402564890011") and not is_bank_card("411111111111")


def test_mask_text_hides_each_long_run_and_says_what_it_was():
    text = "身份证 11010519491231002X 卡 6228480402564890018 电话 138-0013-8800 编号 1234567"
    masked, kinds = mask_text(text)
    assert masked == (
        "身份证 110**********1002X 卡 622************0018 电话 138****8800 编号 12***67"
    )
    assert sorted(kinds) == sorted([KIND_ID, KIND_CARD, KIND_PHONE, KIND_NUMBER])
    assert mask_text("2020-03-05 培训 3 次") == ("2020-03-05 培训 3 次", [])


@pytest.mark.parametrize(
    ("value", "money", "masked"),
    [
        (13800138803.0, True, "138****8803"),  # a phone typed as an amount
        (15000000, True, 15000000),  # an amount typed in 元: a counting problem, kept
        (15000000, False, "15****00"),  # the same digits elsewhere are personal
        (1.5, False, 1.5),
        ("电话１３８００１３８８００，住青山村3组", False, "电话138****8800，（住址已隐去）"),
        ("城口县鸡鸣乡青山村3组", False, "城口县鸡鸣乡（住址已隐去）"),
    ],
)
def test_mask_cell_hides_phones_in_any_column(value, money, masked):
    assert mask_cell(value, money=money) == masked

"""Single-cell parsers: every form clerks type, the boundaries, and that nothing ever raises."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jinguo_xl.findings import Code, Severity
from jinguo_xl.vocabulary import normalize as nz
from jinguo_xl.vocabulary.normalize import (
    Parsed,
    clean_text,
    parse_date,
    parse_int,
    parse_money,
    parse_name,
    parse_phone,
    parse_women_type,
    parse_yes_no,
)

D = dt.date
CANONICAL = ("未脱贫妇女", "贫困妇女", "留守妇女", "普通妇女")
ALIASES = {
    "未脱贫": "未脱贫妇女",
    "贫困户": "贫困妇女",
    "建档立卡贫困妇女": "贫困妇女",
    "建档立卡": "贫困妇女",
    "留守": "留守妇女",
    "普通": "普通妇女",
    "一般妇女": "普通妇女",
}


def women_type(value: object) -> Parsed[str]:
    return parse_women_type(value, CANONICAL, ALIASES)


PARSERS = {
    "phone": parse_phone,
    "date": parse_date,
    "money": parse_money,
    "yes_no": parse_yes_no,
    "women_type": women_type,
    "name": parse_name,
    "int": parse_int,
}
BLANKS = [None, "", "   ", "\u3000", "\t\n", " \u3000 \r\n"]


# ---------------------------------------------------------------------- Parsed and clean_text


def test_parsed_empty_and_frozen() -> None:
    assert Parsed(None).empty
    assert not Parsed(None, "phone-invalid", "x").empty
    assert not Parsed("13812345678").empty
    with pytest.raises(AttributeError):
        Parsed(1).value = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  张三  ", "张三"),
        ("\u3000张三\u3000", "张三"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        (Decimal("13812345678.0"), "13812345678"),
        (1.5, "1.5"),
        (-0.0, "0"),
        (True, "TRUE"),
        (D(2020, 3, 5), "2020-03-05"),
        ("城口县\n鸡鸣乡", "城口县 鸡鸣乡"),
        ("张\x00三\x7f", "张三"),
        ("\u200b\ufeff张三", "张三"),
    ],
)
def test_clean_text(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("blank", BLANKS)
def test_blank_is_empty_without_code(name: str, blank: object) -> None:
    result = PARSERS[name](blank)
    assert result == Parsed(None)
    assert result.empty


# ---------------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        ("13812345678", "13812345678", None),
        (13812345678, "13812345678", None),
        (13812345678.0, "13812345678", None),
        ("13812345678.0", "13812345678", None),
        (" 138 1234 5678 ", "13812345678", None),
        ("138-1234-5678", "13812345678", None),
        ("138.1234.5678", "13812345678", None),
        ("１３８１２３４５６７８", "13812345678", None),
        ("１３８－１２３４－５６７８", "13812345678", None),
        ("138\u30001234\u30005678", "13812345678", None),
        ("+8613812345678", "13812345678", None),
        ("+86 138 1234 5678", "13812345678", None),
        ("8613812345678", "13812345678", None),
        ("008613812345678", "13812345678", None),
        ("19912345678", "19912345678", None),
        ("023-67125297", "023-67125297", None),
        ("02367125297", "023-67125297", None),
        ("(023)67125297", "023-67125297", None),
        ("（023）6712 5297", "023-67125297", None),
        ("023—67125297", "023-67125297", None),
        ("010-12345678", "010-12345678", None),
        ("0851-5123456", "0851-5123456", None),
        ("0851-85123456", "0851-85123456", None),
        ("08515123456", "0851-5123456", None),
        (2367125297, "023-67125297", None),  # 023… typed into a number cell lost its 0
        (2367125297.0, "023-67125297", None),
        ("67125297", "023-67125297", "phone-no-area-code"),
        (67125297, "023-67125297", "phone-no-area-code"),
        ("6712-5297", "023-67125297", "phone-no-area-code"),
        ("13812345678/13987654321", "13812345678", "phone-multiple"),
        ("13812345678,13987654321", "13812345678", "phone-multiple"),
        ("13812345678，13987654321", "13812345678", "phone-multiple"),
        ("13812345678、023-67125297", "13812345678", "phone-multiple"),
        ("13812345678;13987654321", "13812345678", "phone-multiple"),
        ("13812345678；13987654321", "13812345678", "phone-multiple"),
        ("13812345678 13987654321", "13812345678", "phone-multiple"),
        ("13812345678\n13987654321", "13812345678", "phone-multiple"),
        ("138 1234 5678 139 8765 4321", "13812345678", "phone-multiple"),
        ("023-67125297 13812345678", "023-67125297", "phone-multiple"),
        ("无/13812345678", "13812345678", "phone-multiple"),
        ("13812345678/", "13812345678", None),
        ("1381234567", None, "phone-invalid"),
        ("138123456789", None, "phone-invalid"),
        ("12812345678", None, "phone-invalid"),
        ("1234567", None, "phone-invalid"),
        ("0231234567", None, "phone-invalid"),
        ("01112345678", None, "phone-invalid"),
        ("18812345678", "18812345678", None),
        ("98765432", None, "phone-invalid"),  # 8 digits must start with 2–8
        ("13812345678 张三", None, "phone-invalid"),
        ("13812345678（本人）", None, "phone-invalid"),
        ("无", None, "phone-invalid"),
        ("不详", None, "phone-invalid"),
        ("1.38123E+10", None, "phone-invalid"),
        (1.5, None, "phone-invalid"),
        (True, None, "phone-invalid"),
        (D(2020, 3, 5), None, "phone-invalid"),
        (dt.time(8, 30), None, "phone-invalid"),
    ],
)
def test_parse_phone(raw: object, value: str | None, code: str | None) -> None:
    result = parse_phone(raw)
    assert (result.value, result.code) == (value, code)


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("1381234567", "位数不对（共10位，应为11位手机号或带区号的座机号）"),
        ("12812345678", "不是有效的手机号（第二位应为3到9）"),
        ("0231234567", "区号或号码位数不对"),
        ("13812345678（本人）", "含有数字以外的字符"),
        ("无", "没有填写号码"),
    ],
)
def test_phone_invalid_detail_never_echoes_number(raw: str, detail: str) -> None:
    result = parse_phone(raw)
    assert result.detail == detail
    assert not re.search(r"[0-9]{5,}", result.detail)


# ---------------------------------------------------------------------- date


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        (D(2020, 3, 5), D(2020, 3, 5), None),
        (dt.datetime(2020, 3, 5, 14, 30), D(2020, 3, 5), None),
        (43895, D(2020, 3, 5), "date-serial"),
        (43895.0, D(2020, 3, 5), "date-serial"),
        (43895.75, D(2020, 3, 5), "date-serial"),
        (Decimal("43895"), D(2020, 3, 5), "date-serial"),
        ("43895", D(2020, 3, 5), "date-serial"),
        (36526, D(2000, 1, 1), "date-serial"),
        (36525, None, "date-invalid"),
        (55153, D(2050, 12, 31), "date-serial"),
        (55153.9, D(2050, 12, 31), "date-serial"),
        (55154, None, "date-invalid"),
        (20200305, D(2020, 3, 5), None),
        (20200305.0, D(2020, 3, 5), None),
        ("2020.3.5", D(2020, 3, 5), None),
        ("2020.03.05", D(2020, 3, 5), None),
        ("2020-03-05", D(2020, 3, 5), None),
        ("2020-3-5", D(2020, 3, 5), None),
        ("2020/3/5", D(2020, 3, 5), None),
        ("2020年3月5日", D(2020, 3, 5), None),
        ("2020年3月5号", D(2020, 3, 5), None),
        ("2020年3月5", D(2020, 3, 5), None),
        ("20200305", D(2020, 3, 5), None),
        (" 2020 年 3 月 5 日 ", D(2020, 3, 5), None),
        ("2020. 3. 5", D(2020, 3, 5), None),
        ("２０２０．３．５", D(2020, 3, 5), None),
        ("２０２０年３月５日", D(2020, 3, 5), None),
        ("2020／3／5", D(2020, 3, 5), None),
        ("2020。3。5", D(2020, 3, 5), None),
        ("2020.3.5.", D(2020, 3, 5), None),
        ("2020-03-05 00:00:00", D(2020, 3, 5), None),
        ("2020/3/5 8:30", D(2020, 3, 5), None),
        ("2020-03-05T00:00:00", D(2020, 3, 5), None),
        ("2020.2.29", D(2020, 2, 29), None),
        ("2020.3.5-3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5-2020.3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5—3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5——3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5－3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5~3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5～3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5至3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5到3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5 - 3.7", D(2020, 3, 5), "date-range"),
        ("2020.3.5-7", D(2020, 3, 5), "date-range"),
        ("2020-03-05-03-07", D(2020, 3, 5), "date-range"),
        ("2020年3月5日-7日", D(2020, 3, 5), "date-range"),
        ("2020年3月5-7日", D(2020, 3, 5), "date-range"),
        ("2020年3月5日至3月7日", D(2020, 3, 5), "date-range"),
        ("2020年3月5日-2020年3月7日", D(2020, 3, 5), "date-range"),
        ("20200305-20200307", D(2020, 3, 5), "date-range"),
        ("2020.12.30-1.2", D(2020, 12, 30), "date-range"),
        ("2020.3.30-2", D(2020, 3, 30), "date-range"),
        ("2020.2.30", None, "date-invalid"),
        ("2019.2.29", None, "date-invalid"),
        ("2020.13.1", None, "date-invalid"),
        ("2020.3.5-3.32", None, "date-invalid"),
        ("2020.3.7-3.5", None, "date-invalid"),
        ("2020.3.7-2020.3.5", None, "date-invalid"),
        ("2020.3.5-", None, "date-invalid"),
        ("2020.3.5号下午", None, "date-invalid"),
        ("三月", None, "date-invalid"),
        ("2020.3", None, "date-invalid"),
        ("2020年3月", None, "date-invalid"),
        ("2020-03", None, "date-invalid"),
        ("2020", None, "date-invalid"),
        (2020, None, "date-invalid"),
        ("3月5日", None, "date-invalid"),
        ("3.5", None, "date-invalid"),
        ("20.3.5", None, "date-invalid"),
        ("二〇二〇年三月五日", None, "date-invalid"),
        (True, None, "date-invalid"),
        (dt.time(8, 30), None, "date-invalid"),
        (dt.timedelta(days=3), None, "date-invalid"),
        (float("nan"), None, "date-invalid"),
        (Decimal("sNaN"), None, "date-invalid"),
    ],
)
def test_parse_date(raw: object, value: D | None, code: str | None) -> None:
    result = parse_date(raw)
    assert (result.value, result.code) == (value, code)


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("2020年3月", "“2020年3月”缺少日，请写成 2020年3月5日 或 2020-03-05"),
        ("2020.3", "“2020.3”缺少日，请写成 2020年3月5日 或 2020-03-05"),
        ("2020", "“2020”只有年份，缺少月和日，请写成 2020年3月5日 或 2020-03-05"),
        ("3月5日", "“3月5日”缺少年份，请写成 2020年3月5日 或 2020-03-05"),
        ("三月", "“三月”不是日期，请写成 2020年3月5日 或 2020-03-05"),
        ("2019.2.29", "“2019.2.29”这一天不存在，请写成 2020年3月5日 或 2020-03-05"),
        ("2020.3.7-3.5", "“2020.3.7-3.5”结束日期早于开始日期，请写成 2020年3月5日 或 2020-03-05"),
    ],
)
def test_date_invalid_detail(raw: str, detail: str) -> None:
    assert parse_date(raw).detail == detail


def test_date_details_for_range_and_serial() -> None:
    assert parse_date("2020年3月5日至3月7日").detail == "2020-03-05至2020-03-07"
    assert parse_date("2020.12.30-1.2").detail == "2020-12-30至2021-01-02"
    assert parse_date(43895).detail == "2020-03-05"


def test_date_detail_masks_a_phone_typed_in_the_date_column() -> None:
    detail = parse_date("13812345678").detail
    assert "13812345678" not in detail
    assert "138****5678" in detail


def test_date_detail_is_shortened() -> None:
    detail = parse_date("培训" * 40).detail
    assert "…" in detail
    assert len(detail) < 80


# ---------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        (0, Decimal(0), None),
        (3, Decimal(3), None),
        (1.1, Decimal("1.1"), None),
        (0.3, Decimal("0.3"), None),
        (Decimal("2.50"), Decimal("2.5"), None),
        ("1.5", Decimal("1.5"), None),
        (" 1.5 ", Decimal("1.5"), None),
        ("１．５", Decimal("1.5"), None),
        (".5", Decimal("0.5"), None),
        ("12,345.5", Decimal("12345.5"), "money-suspect-yuan"),
        ("1,500.5", Decimal("1500.5"), "money-suspect-yuan"),
        ("1.5万", Decimal("1.5"), "money-converted"),
        ("1.5万元", Decimal("1.5"), "money-converted"),
        ("1.5 万元", Decimal("1.5"), "money-converted"),
        ("１．５万元", Decimal("1.5"), "money-converted"),
        ("15000元", Decimal("1.5"), "money-converted"),
        ("15,000 元", Decimal("1.5"), "money-converted"),
        ("15，000元", Decimal("1.5"), "money-converted"),
        ("1.5千元", Decimal("0.15"), "money-converted"),
        ("1.5千", Decimal("0.15"), "money-converted"),
        ("5百元", Decimal("0.05"), "money-converted"),
        ("800块", Decimal("0.08"), "money-converted"),
        ("1000000元", Decimal(100), "money-suspect-yuan"),  # converted, still no single row's
        (13800138802, None, "money-phone-like"),
        (13800138802.0, None, "money-phone-like"),
        ("138 0013 8802", None, "money-phone-like"),
        ("138-0013-8800", None, "money-phone-like"),
        ("１３８００１３８８０２", None, "money-phone-like"),
        ("023-67125297", None, "money-phone-like"),
        (2367125297, None, "money-phone-like"),  # a landline typed as a number lost its 0
        (1e26, None, "money-invalid"),
        (Decimal("1E+26"), None, "money-invalid"),
        (Decimal("-Infinity"), None, "money-invalid"),
        ("1E+26", None, "money-invalid"),
        ("Infinity", None, "money-invalid"),
        (123456789, None, "money-invalid"),
        ("-0", Decimal(0), None),
        (-0.0, Decimal(0), None),
        (-1, None, "money-negative"),
        (-0.5, None, "money-negative"),
        ("-1.5", None, "money-negative"),
        ("－1.5", None, "money-negative"),
        ("-15000元", None, "money-negative"),
        (True, None, "money-invalid"),
        (False, None, "money-invalid"),
        ("abc", None, "money-invalid"),
        ("1,5", None, "money-invalid"),
        ("1.5美元", None, "money-invalid"),
        ("约1.5万", None, "money-invalid"),
        (".", None, "money-invalid"),
        ("1e5", None, "money-invalid"),
        (float("nan"), None, "money-invalid"),
        (float("inf"), None, "money-invalid"),
        (Decimal("NaN"), None, "money-invalid"),
        (D(2020, 3, 5), None, "money-invalid"),
        (50, Decimal(50), None),
        ("50", Decimal(50), None),
        (Decimal("50.00"), Decimal(50), None),
        (50.01, Decimal("50.01"), "money-suspect-yuan"),
        ("50.01", Decimal("50.01"), "money-suspect-yuan"),
        (15000, Decimal(15000), "money-suspect-yuan"),
    ],
)
def test_parse_money(raw: object, value: Decimal | None, code: str | None) -> None:
    result = parse_money(raw)
    assert (result.value, result.code) == (value, code)


def test_money_details() -> None:
    assert parse_money("1.5万元").detail == "“1.5万元”按 1.5 万元计"
    assert parse_money("15000元").detail == "“15000元”按 1.5 万元计"
    assert parse_money("150000元").detail == "“150000元”按 15 万元计"
    assert parse_money("abc").detail == "“abc”不是数字"
    assert parse_money(60).detail == "单行超过50万元，疑似以元填写"
    assert parse_money(1e26).detail == "数值过大，不是以万元计的金额"
    assert parse_money("138 0013 8802").detail == ""  # never repeats the digits


def test_money_float_keeps_its_decimal_text() -> None:
    assert str(parse_money(1.1).value) == "1.1"


# ---------------------------------------------------------------------- yes / no

YES_FORMS = [
    "√",
    "✓",
    "✔",
    "Y",
    "y",
    "yes",
    "Yes",
    "YES",
    1,
    1.0,
    "1",
    "1.0",
    "True",
    "TRUE",
    "对",
    "有",
    "Ｙ",
]
NO_FORMS = ["×", "✗", "✘", "X", "x", "N", "n", "no", "No", 0, 0.0, "0", "0.0", "False", "无"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("是", True),
        ("否", False),
        (" 是 ", True),
        ("\u3000否", False),
        (True, True),
        (False, False),
    ],
)
def test_yes_no_plain(raw: object, value: bool) -> None:
    assert parse_yes_no(raw) == Parsed(value)


@pytest.mark.parametrize("raw", YES_FORMS)
def test_yes_converted(raw: object) -> None:
    result = parse_yes_no(raw)
    assert (result.value, result.code) == (True, "yesno-converted")


@pytest.mark.parametrize("raw", NO_FORMS)
def test_no_converted(raw: object) -> None:
    result = parse_yes_no(raw)
    assert (result.value, result.code) == (False, "yesno-converted")


@pytest.mark.parametrize("raw", ["好", "是的吧", 2, "2", -1, "是/否", D(2020, 1, 1)])
def test_yes_no_invalid(raw: object) -> None:
    result = parse_yes_no(raw)
    assert (result.value, result.code) == (None, "yesno-invalid")


def test_yes_no_details() -> None:
    assert parse_yes_no("√").detail == "“√”按“是”计"
    assert parse_yes_no("×").detail == "“×”按“否”计"
    assert parse_yes_no("好").detail == "填的是“好”"


# ---------------------------------------------------------------------- women type


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        ("未脱贫妇女", "未脱贫妇女", None),
        ("贫困妇女", "贫困妇女", None),
        ("留守妇女", "留守妇女", None),
        ("普通妇女", "普通妇女", None),
        (" 贫困 妇女\n", "贫困妇女", None),
        ("未脱贫", "未脱贫妇女", "women-type-alias"),
        ("贫困户", "贫困妇女", "women-type-alias"),
        ("建档立卡贫困妇女", "贫困妇女", "women-type-alias"),
        ("建档立卡", "贫困妇女", "women-type-alias"),
        (" 建档 立卡 ", "贫困妇女", "women-type-alias"),
        ("留守", "留守妇女", "women-type-alias"),
        ("普通", "普通妇女", "women-type-alias"),
        ("一般妇女", "普通妇女", "women-type-alias"),
        ("其他", None, "women-type-invalid"),
        ("贫困妇女（建档立卡）", None, "women-type-invalid"),
        (1, None, "women-type-invalid"),
        (True, None, "women-type-invalid"),
    ],
)
def test_parse_women_type(raw: object, value: str | None, code: str | None) -> None:
    result = women_type(raw)
    assert (result.value, result.code) == (value, code)


def test_women_type_details() -> None:
    assert women_type("贫困户").detail == "“贫困户”按“贫困妇女”计"
    assert women_type("其他").detail == "“其他”不是未脱贫妇女、贫困妇女、留守妇女、普通妇女之一"


def test_women_type_bad_rules_do_not_raise() -> None:
    result = parse_women_type("贫困妇女", None, None)  # type: ignore[arg-type]
    assert (result.value, result.code) == (None, "women-type-invalid")


# ---------------------------------------------------------------------- name and integers


@pytest.mark.parametrize(
    ("raw", "value", "code", "detail"),
    [
        ("张三", "张三", None, ""),
        (" 张 三 ", "张三", None, ""),
        ("张\u3000三", "张三", None, ""),
        ("欧阳娜娜", "欧阳娜娜", None, ""),
        ("阿依古丽·买买提", "阿依古丽·买买提", None, ""),
        ("张", "张", "name-invalid", "姓名长度应为2到20个字"),
        ("张" * 20, "张" * 20, None, ""),
        ("张" * 21, "张" * 21, "name-invalid", "姓名长度应为2到20个字"),
        ("张三3", "张三3", "name-invalid", "姓名含数字"),
        ("张三２", "张三２", "name-invalid", "姓名含数字"),
        (123, "123", "name-invalid", "姓名应为文字"),
        (D(2020, 3, 5), "2020-03-05", "name-invalid", "姓名应为文字"),
    ],
)
def test_parse_name(raw: object, value: str, code: str | None, detail: str) -> None:
    assert parse_name(raw) == Parsed(value, code, detail)


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        (3, 3, None),
        (0, 0, None),
        (3.0, 3, None),
        (Decimal("3.00"), 3, None),
        ("3", 3, None),
        (" 3 ", 3, None),
        ("３", 3, None),
        ("3户", 3, None),
        ("3 户", 3, None),
        ("2020年", 2020, None),
        ("2020年度", 2020, None),
        ("3.0", 3, None),
        ("1,000", 1000, None),
        (-1, None, "int-invalid"),
        (-1.0, None, "int-invalid"),
        ("-3", None, "int-invalid"),
        (3.5, None, "int-invalid"),
        ("3.5", None, "int-invalid"),
        ("三户", None, "int-invalid"),
        (True, None, "int-invalid"),
        (float("inf"), None, "int-invalid"),
        (D(2020, 1, 1), None, "int-invalid"),
        ("9" * 200, None, "int-invalid"),
    ],
)
def test_parse_int(raw: object, value: int | None, code: str | None) -> None:
    result = parse_int(raw)
    assert (result.value, result.code) == (value, code)


# ---------------------------------------------------------------------- never raises

ANY_CELL = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.booleans(),
    st.none(),
    st.decimals(),
)


class _Boom:
    def __str__(self) -> str:
        raise RuntimeError("boom")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("boom")

    __hash__ = None  # type: ignore[assignment]


class _BadStr:
    def __str__(self) -> str:
        return 42  # type: ignore[return-value]


class _LoudInt(int):
    def __str__(self) -> str:
        raise ValueError("no")


WEIRD = [
    _Boom(),
    _BadStr(),
    _LoudInt(5),
    10**5000,
    Decimal("1E+999999999"),
    Decimal("-1E-99999"),
    object(),
    [1, 2],
    {"a": 1},
    b"13812345678",
    1 + 2j,
    float("-inf"),
    "\ud800",
]


def _check_result(name: str, raw: object, result: object) -> None:
    assert isinstance(result, Parsed)
    assert isinstance(result.detail, str)
    assert result.code is None or isinstance(result.code, Code), result.code
    # A blank cell and only a blank cell gives neither a value nor a code.
    assert result.empty == (clean_text(raw) == "")
    if name == "phone":
        assert not re.search(r"[0-9]{5,}", result.detail)


@pytest.mark.parametrize("name", PARSERS)
@pytest.mark.parametrize("raw", WEIRD, ids=lambda w: type(w).__name__)
def test_weird_objects_never_raise(name: str, raw: object) -> None:
    _check_result(name, raw, PARSERS[name](raw))
    assert isinstance(clean_text(raw), str)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(raw=ANY_CELL)
def test_never_raises(raw: object) -> None:
    assert isinstance(clean_text(raw), str)
    for name, parser in PARSERS.items():
        _check_result(name, raw, parser(raw))
        # The safety net is for the unforeseen; ordinary cells must not need it.
        inner = getattr(parser, "__wrapped__", None)
        if inner is not None:
            _check_result(name, raw, inner(raw))
    _check_result("women_type", raw, parse_women_type.__wrapped__(raw, CANONICAL, ALIASES))


# ---------------------------------------------------------------------- idempotence

_FW = str.maketrans("0123456789", "０１２３４５６７８９")


@st.composite
def typed_dates(draw: st.DrawFn) -> object:
    day = draw(st.dates(min_value=D(2000, 1, 1), max_value=D(2050, 12, 31)))
    form = draw(
        st.sampled_from(
            [
                "{y}.{m}.{d}",
                "{y}-{m:02d}-{d:02d}",
                "{y}/{m}/{d}",
                "{y}年{m}月{d}日",
                "{y}年{m}月{d}号",
                "{y}{m:02d}{d:02d}",
                "{y}-{m:02d}-{d:02d} 00:00:00",
                "{y}.{m}.{d}-{m}.{d}",
                "{y} 年 {m} 月 {d} 日",
            ]
        )
    )
    text = form.format(y=day.year, m=day.month, d=day.day)
    if draw(st.booleans()):
        text = text.translate(_FW)
    return draw(st.sampled_from([text, day, (day - D(1899, 12, 30)).days]))


@st.composite
def typed_money(draw: st.DrawFn) -> object:
    amount = draw(st.decimals(min_value=0, max_value=10**6, places=2))
    unit = draw(st.sampled_from(["", "万", "万元", "元", " 元", "千元"]))
    return draw(st.sampled_from([f"{amount}{unit}", amount, float(amount), int(amount)]))


@st.composite
def typed_yes_no(draw: st.DrawFn) -> object:
    return draw(st.sampled_from(["是", "否", " 是 ", True, False, *YES_FORMS, *NO_FORMS]))


@st.composite
def typed_women_type(draw: st.DrawFn) -> object:
    return draw(st.sampled_from([*CANONICAL, *ALIASES, " 贫困 妇女 "]))


MOBILE = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
LANDLINE = st.one_of(
    st.from_regex(r"\A0(?:10|2[0-9])[2-9][0-9]{7}\Z"),
    st.from_regex(r"\A0[3-9][0-9]{2}[2-9][0-9]{6,7}\Z"),
)


@st.composite
def typed_phone(draw: st.DrawFn) -> object:
    number = draw(st.one_of(MOBILE, LANDLINE, st.from_regex(r"\A[2-8][0-9]{7}\Z")))
    return draw(st.sampled_from([number, int(number), f"{number} / 13812345678"]))


def _is_error(code: Code | None) -> bool:
    return code is not None and code.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("parser", "strategy", "allowed"),
    [
        (parse_phone, st.one_of(typed_phone(), ANY_CELL), {None}),
        (parse_date, st.one_of(typed_dates(), ANY_CELL), {None}),
        (parse_money, st.one_of(typed_money(), ANY_CELL), {None, "money-suspect-yuan"}),
        (parse_yes_no, st.one_of(typed_yes_no(), ANY_CELL), {None}),
        (women_type, st.one_of(typed_women_type(), ANY_CELL), {None}),
    ],
    ids=["phone", "date", "money", "yes_no", "women_type"],
)
def test_idempotent(
    parser: Callable[[object], Parsed[Any]],
    strategy: st.SearchStrategy[object],
    allowed: set[str | None],
) -> None:
    @settings(max_examples=150)
    @given(raw=strategy)
    def check(raw: object) -> None:
        first = parser(raw)
        if first.value is None:
            return
        again = parser(first.value)
        assert again.value == first.value
        assert type(again.value) is type(first.value)
        assert again.code in allowed
        # A kept value is never turned into a new error (a suspect amount stays suspect).
        assert again.code == first.code or not _is_error(again.code)

    check()


# ---------------------------------------------------------------------- phone round trip


@st.composite
def messy_mobile(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(MOBILE)
    out = []
    for ch in number:
        out.append(ch.translate(_FW) if draw(st.booleans()) else ch)
        out.append(draw(st.sampled_from(["", "", "", " ", "-", "－", "\u3000", "."])))
    prefix = draw(st.sampled_from(["", "", "+86", "+86 ", "86", "0086", "＋８６"]))
    return number, prefix + "".join(out)


@settings(max_examples=200)
@given(case=messy_mobile())
def test_phone_round_trip(case: tuple[str, str]) -> None:
    number, typed = case
    result = parse_phone(typed)
    assert (result.value, result.code) == (number, None)
    assert parse_phone(result.value) == Parsed(number)


@settings(max_examples=100)
@given(number=LANDLINE, sep=st.sampled_from(["", "-", " ", "—", "－"]), paren=st.booleans())
def test_landline_round_trip(number: str, sep: str, paren: bool) -> None:
    area_len = 3 if number.startswith(("010", "02")) else 4
    area, local = number[:area_len], number[area_len:]
    typed = f"({area}){local}" if paren else f"{area}{sep}{local}"
    result = parse_phone(typed)
    assert (result.value, result.code) == (f"{area}-{local}", None)
    assert parse_phone(result.value) == Parsed(result.value)


@settings(max_examples=100)
@given(
    a=MOBILE,
    b=st.one_of(MOBILE, LANDLINE),
    sep=st.sampled_from(["/", ",", "，", "、", ";", "；", " ", "  ", "\n", " / "]),
)
def test_two_numbers_keep_the_first(a: str, b: str, sep: str) -> None:
    result = parse_phone(f"{a}{sep}{b}")
    assert (result.value, result.code) == (a, "phone-multiple")


def test_module_constants() -> None:
    assert Decimal(50) == nz.MONEY_SUSPECT_WAN
    assert (nz.SERIAL_MIN, nz.SERIAL_MAX) == (36526, 55153)

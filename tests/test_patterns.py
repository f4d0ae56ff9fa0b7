"""The one pattern module: every spelling of a phone, a 身份证号 and an address, as a table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinguo_xl.privacy.patterns import KIND_ADDRESS, KIND_ID, KIND_PHONE, find, mask, normalise
from jinguo_xl.privacy.redact import redact

FOUND = [
    # (text, kinds found, masked text)
    ("13800138000", [KIND_PHONE], "138****8000"),
    ("电话：138-0013-8000", [KIND_PHONE], "电话：138****8000"),
    ("138—0013—8000", [KIND_PHONE], "138****8000"),
    ("138–0013–8000", [KIND_PHONE], "138****8000"),
    ("138·0013·8000", [KIND_PHONE], "138****8000"),
    ("138/0013/8000", [KIND_PHONE], "138****8000"),
    ("138_0013_8000", [KIND_PHONE], "138****8000"),
    ("138\u200b0013\u200b8000", [KIND_PHONE], "138****8000"),
    ("138\u20090013\u20098000", [KIND_PHONE], "138****8000"),
    ("138\u202f0013\u202f8000", [KIND_PHONE], "138****8000"),
    ("138，0013，8000", [KIND_PHONE], "138****8000"),
    ("138一0013一8000", [KIND_PHONE], "138****8000"),
    ("138 0013 8000", [KIND_PHONE], "138****8000"),
    ("1380 013 8000", [KIND_PHONE], "138****8000"),
    ("1 3 8 0 0 1 3 8 0 0 0", [KIND_PHONE], "138****8000"),
    ("+86 138 0013 8000", [KIND_PHONE], "+86 138****8000"),
    ("0086-13800138000", [KIND_PHONE], "+86 138****8000"),
    ("8613800138000", [KIND_PHONE], "+86 138****8000"),
    ("１３８００１３８０００", [KIND_PHONE], "138****8000"),
    ("１３８－００１３－８０００", [KIND_PHONE], "138****8000"),
    ("Tel13800138000", [KIND_PHONE], "Tel138****8000"),
    ("(023)6712-5298", [KIND_PHONE], "023-****5298"),
    ("023-67125297", [KIND_PHONE], "023-****5297"),
    ("1.38001380000E+10", [KIND_PHONE], "1.***********E+10"),
    ("500233199207085012", [KIND_ID], "500***********5012"),
    ("50023319920708501X", [KIND_ID], "500**********8501X"),
    ("50023319920708501x", [KIND_ID], "500**********8501x"),
    ("500233 19920708 5012", [KIND_ID], "500***********5012"),
    ("500233920708501", [KIND_ID], "500********8501"),
    ("５００２３３１９９２０７０８５０１２", [KIND_ID], "500***********5012"),
    ("5.00233199207085E+17", [KIND_ID], "5.**************E+17"),
    ("5.00233199207085e17", [KIND_ID], "5.**************E17"),
    ("城口县鸡鸣乡青山村3组", [KIND_ADDRESS], "城口县鸡鸣乡（住址已隐去）"),
    ("城口县鸡鸣乡青山村三组", [KIND_ADDRESS], "城口县鸡鸣乡（住址已隐去）"),
    ("幸福社区2栋3单元", [KIND_ADDRESS], "（住址已隐去）"),
    ("重庆市渝中区民族路18号", [KIND_ADDRESS], "重庆市（住址已隐去）"),
    ("解放碑八一路 6 号", [KIND_ADDRESS], "（住址已隐去）"),
    ("十八梯巷12号", [KIND_ADDRESS], "（住址已隐去）"),
    ("阳光小区3栋2单元501室", [KIND_ADDRESS], "（住址已隐去）"),
    ("住5栋2单元", [KIND_ADDRESS], "住（住址已隐去）"),
    ("2单元501室", [KIND_ADDRESS], "（住址已隐去）"),
    ("电话13800139700，城口县鸡鸣乡青山村三组",
     [KIND_PHONE, KIND_ADDRESS], "电话138****9700，城口县鸡鸣乡（住址已隐去）"),
    ("13800138000青山村3组", [KIND_PHONE, KIND_ADDRESS], "138****8000（住址已隐去）"),
]

NOT_FOUND = [
    "2020-03-05",
    "2020年3月5日",
    "第 1000–1005 行",
    "500000.5",
    "金额12345678元",
    "1234567",
    "13，5，7，9，11，13",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "{00000000-0000-0000-0000-000000000000}",
    "城口县鸡鸣乡",
    "青山村巾帼示范基地",
    "手工制作带动统计表",
    "138****8000",
    "5.**************E+17",
    "城口县鸡鸣乡（住址已隐去）",
    "1.5",
    "43895",
    "请改为带区号的座机号（如 023-12345678）",
]


@pytest.mark.parametrize(("text", "kinds", "masked"), FOUND)
def test_each_spelling_is_found_and_masked(text, kinds, masked):
    assert [hit.kind for hit in find(text)] == kinds
    assert mask(text) == masked
    assert find(mask(text)) == []  # a mask never leaves something to find


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_text_is_left_alone(text):
    assert find(text) == []
    assert mask(text) == text


@pytest.mark.parametrize(("text", "kinds", "masked"), FOUND)
def test_quoted_values_in_messages_use_the_same_patterns(text, kinds, masked):
    assert find(redact(text)) == []


def test_a_wide_star_masks_where_an_asterisk_is_not_allowed():
    assert mask("电话13800138000", star="＊") == "电话138＊＊＊＊8000"


def test_hits_point_into_the_original_text():
    text = "联系１３８\u200b００１３\u200b８０００。"
    (hit,) = find(text)
    assert text[hit.start : hit.end] == "１３８\u200b００１３\u200b８０００"
    assert hit.digits == "13800138000"


def test_normalise_maps_each_character_back():
    norm, index = normalise("a\u200b１，b")
    assert norm == "a1,b"
    assert index == [0, 2, 3, 4, 5]


_ALPHABET = "0123456789１３８ -—–·/_，一.()+X村组路号栋单元室乡镇青山民族阳光小区\u200b\u2009"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_a_masked_text_holds_nothing_the_patterns_would_find(text):
    assert find(mask(text)) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**8 - 1), st.sampled_from(["-", " ", "—", "一", "，"]))
def test_every_mobile_number_is_found_with_any_separator(tail, sep):
    digits = f"139{tail:08d}"
    text = f"电话{digits[:3]}{sep}{digits[3:7]}{sep}{digits[7:]}。"
    (hit,) = find(text)
    assert hit.kind == KIND_PHONE and hit.digits == digits

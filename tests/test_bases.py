"""A workbook naming several bases, split into one ledger per base (spec §8)."""

from __future__ import annotations

from jinguo_xl.findings import Code
from jinguo_xl.read.grid import parse_grids
from tests.conftest import base_line, people, stacked


def _parse(sheets, rules):
    return parse_grids(list(sheets.items()), rules, file="捆.xlsx")


def test_one_base_per_sheet_gives_one_ledger_each_with_its_own_fields(rules):
    ledger = _parse(
        {
            "封面": [["所属区县：城口县"], ["填报日期：2020-09-01"]],
            "甲": stacked(base_line("甲合作社", leader="王一"), {"手工制作": people(3, extra=[1])}),
            "乙": stacked(base_line("乙合作社", leader="李二"), {"手工制作": people(4, extra=[1])}),
        },
        rules,
    )
    assert [p.fields["name"].raw for p in ledger.parts] == ["甲合作社", "乙合作社"]
    assert [p.fields["leader"].raw for p in ledger.parts] == ["王一", "李二"]
    # the cover sheet's fields apply to every base of the workbook
    assert {p.fields["county"].raw for p in ledger.parts} == {"城口县"}
    assert [p.rows_read for p in ledger.parts] == [3, 4]
    assert [p.part for p in ledger.parts] == ["甲", "乙"]
    assert not any(f.code is Code.BASE_FIELD_CONFLICT for p in ledger.parts for f in p.findings)


def test_blocks_of_two_bases_down_one_sheet_are_two_bases(rules):
    grid = [
        *stacked(base_line("甲合作社"), {"手工制作": people(3, extra=[1])}),
        *stacked(base_line("乙合作社"), {"手工制作": people(5, extra=[1], start_phone=50)})[1:],
    ]
    ledger = _parse({"统计表": grid}, rules)
    assert [(p.fields["name"].raw, p.rows_read) for p in ledger.parts] == [
        ("甲合作社", 3),
        ("乙合作社", 5),
    ]


def test_a_base_named_on_every_industry_sheet_is_still_one_base(rules):
    ledger = _parse(
        {
            "手工制作": stacked(base_line("甲合作社"), {"手工制作": people(3, extra=[1])}),
            "加工制造": stacked(base_line("甲 合作社"), {"加工制造": people(2, extra=[1])}),
            # the same name with other punctuation and width: still the same base (spec §8)
            "种植养殖": stacked(base_line("甲·合作社（）"), {"种植养殖": people(1)}),
        },
        rules,
    )
    assert ledger.parts == [] and ledger.rows_read == 6


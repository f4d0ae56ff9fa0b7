"""The master's layout spec: one definition the writer, the reader and the API agree on."""

from __future__ import annotations

import pytest

from jinguo_xl.combine import layout
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    BASE_HEADER,
    BASE_SUMMARY_COLUMNS,
    DUPLICATE_COLUMNS,
    FINDING_COLUMNS,
    INPUT_COLUMNS,
    PERSON_KEYS,
    PROVENANCE_KEYS,
    RANKING_COLUMNS,
    WOMEN_COLUMNS,
    WOMEN_HEADER,
    Column,
    county_columns,
    header_of,
    headers,
    index_of,
    township_columns,
)
from jinguo_xl.combine.rows import SUMMARY_STATUSES

TABLES = {
    "基地": BASE_COLUMNS,
    "妇女明细": WOMEN_COLUMNS,
    "重复人员": DUPLICATE_COLUMNS,
    "问题清单": FINDING_COLUMNS,
    "推荐排名": RANKING_COLUMNS,
    "说明": INPUT_COLUMNS,
    "bases()": BASE_SUMMARY_COLUMNS,
}


def test_keys_and_headers_are_unique_within_each_table(rules):
    types = [bt.name for bt in rules.base_types]
    every = {
        **TABLES,
        "深度贫困乡镇": township_columns(types),
        "汇总": county_columns(types, SUMMARY_STATUSES),
    }
    for name, columns in every.items():
        keys = [c.key for c in columns]
        assert len(set(keys)) == len(keys), name
        assert len(set(headers(columns))) == len(columns), name


def test_women_read_back_under_the_rules_column_keys(rules):
    read_back = [c.key for c in WOMEN_COLUMNS if c.read_back]
    # the amount as typed goes back into the table's own money column, the rest by key
    assert set(read_back) - {"money_typed"} <= set(rules.columns)
    assert "money_typed" in read_back and "money_typed" not in rules.columns
    assert [k for k in PERSON_KEYS if k != "money"] == read_back


def test_the_base_fields_read_back_are_the_rules_base_fields(rules):
    fields = {f.key for f in rules.base_fields} | {"county", "township", "year", "fill_date"}
    provenance = {c.key for c in BASE_COLUMNS if c.read_back} - fields
    assert provenance == set(PROVENANCE_KEYS)


def test_per_base_frame_shares_the_base_sheet_headers_where_meanings_agree():
    base = {c.key: c.header for c in BASE_COLUMNS}
    shared = [c for c in BASE_SUMMARY_COLUMNS if c.key in base]
    assert shared and all(base[c.key] == c.header for c in shared)


def test_header_rows_and_lookups():
    assert headers(BASE_COLUMNS) == BASE_HEADER and headers(WOMEN_COLUMNS) == WOMEN_HEADER
    assert header_of(WOMEN_COLUMNS, "money") == "金额（万元）"
    assert WOMEN_HEADER[index_of(WOMEN_COLUMNS, "money")] == "金额（万元）"
    with pytest.raises(KeyError):
        header_of(BASE_COLUMNS, "no-such-key")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown column kind"):
        Column("x", "某列", "percent")


def test_every_sheet_of_the_master_has_a_note():
    assert set(layout.SHEET_NOTES) == set(layout.SHEETS)

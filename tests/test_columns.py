"""A column read through its distinct values agrees with reading every cell on its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jinguo_xl.vocabulary.columns import column_parse, parse_column, parsers_for

_CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "是", "否", "√", "张三", "2020.3.5", "3月5日", "12万元", "abc"]),
    st.text(max_size=6),
    st.floats(allow_nan=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=-10, max_value=10**11),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6),
    st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2021, 12, 31)),
)


def _agrees(parser, cells) -> None:
    view = column_parse(parser, cells)
    one_by_one = [parser(c) if c is not None else parse_column(parser, [None])[0] for c in cells]
    if view is None:  # numbers of mixed types: the cell-by-cell path reads them
        assert len({type(c) for c in cells} & {int, float, bool, Decimal}) > 1
        return
    assert view.values == [p.value for p in one_by_one]
    assert [view.result(c) for c in cells] == one_by_one
    assert view.distinct == set(cells)
    assert view.notable == {
        c for c, p in zip(cells, one_by_one, strict=True) if p.code is not None or p.value is None
    }
    told = column_parse(parser, cells, set(cells))  # the distinct values known beforehand
    assert told is not None and told.values == view.values and told.notable == view.notable


@pytest.mark.parametrize("key", ["name", "phone", "train_date", "income", "qualified", "note"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(_CELLS, max_size=30))
def test_a_column_read_by_distinct_values_matches_each_cell_read_alone(rules, key, cells):
    parser = parsers_for(rules)[key]
    _agrees(parser, cells)
    _agrees(parser, cells)  # the second time from what the first one kept
    _agrees(parser, list(reversed(cells)))


def test_one_class_columns_and_mixed_ones(rules):
    dates = parsers_for(rules)["train_date"]
    _agrees(dates, [dt.datetime(2020, 3, 5), None, "2020.3.6", "3月5日", dt.datetime(2019, 1, 1)])
    _agrees(dates, ["2020-01-02"] * 5 + [None, "  "])
    assert column_parse(parsers_for(rules)["phone"], [13800138000.0, 13800138000]) is None
    assert column_parse(parsers_for(rules)["name"], [["张三"]]) is None  # unhashable

"""One table range as Excel passes it: same status, problems per row, money totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jinguo_xl.excel.sheetcalc import money_total, row_problems, table_report
from jinguo_xl.read.reader import load_grids
from jinguo_xl.run.files import check_file
from tests.conftest import HEADERS, base_line, people, woman, write_xlsx


@pytest.fixture
def table_with_mistakes():
    """Header, two good rows, one blank pre-formatted row, one row with three problems."""
    return [
        HEADERS["手工制作"],
        *people(2, extra=[0.5]),
        [None] * 9,
        woman("张玉兰", "1381", address="", extra=["1.5万"], kind="贫困户"),
    ]


def test_row_problems_align_with_rows_below_the_header(table_with_mistakes):
    problems = row_problems(table_with_mistakes, "手工制作")
    assert len(problems) == 4
    assert problems[:3] == ["", "", ""]
    assert problems[3].startswith("错误：缺少家庭住址")
    assert "警告：“产品收入（万元）”“1.5万”按 1.5 万元计" in problems[3]


def test_range_without_header_has_no_problems_to_show():
    assert row_problems([["a", "b"], [1, 2]], "手工制作") == []
    assert row_problems(None, "手工制作") == []


def test_money_totals_all_and_counted(table_with_mistakes):
    table_with_mistakes.append(woman("李秀英", "13800130009", kind="留守妇女", extra=[2]))
    assert money_total(table_with_mistakes, "产品收入") == Decimal("4.5")
    assert money_total(table_with_mistakes, "产品收入（万元）", counted_only=True) == Decimal("2.5")
    with pytest.raises(ValueError, match="不是金额列"):
        money_total(table_with_mistakes, "妇女类型")


def test_status_of_a_range_equals_the_cli_for_the_same_workbook(tmp_path):
    rows = people(25, sessions=2, extra=[0.5])[:49]
    path = write_xlsx(
        tmp_path / "x.xlsx", {"手工制作": [[base_line()], HEADERS["手工制作"], *rows]}
    )
    from_file = check_file(path)
    ((_, grid),) = load_grids(path)
    from_range = table_report(grid[1:], "手工制作", base_type="巾帼扶贫车间")
    assert from_range.status == from_file.status == "未达标"
    assert from_range.reason == from_file.reason == "未达标：培训人次 49/50"


def test_formulas_on_the_same_range_share_one_count(table_with_mistakes):
    first = table_report(table_with_mistakes, "手工制作", base_type="巾帼扶贫车间")
    again = table_report(
        [list(r) for r in table_with_mistakes], "手工制作", base_type="巾帼扶贫车间"
    )
    assert again is first  # same contents and arguments: counted once


def test_an_edited_cell_is_counted_afresh(table_with_mistakes):
    before = table_report(table_with_mistakes, "手工制作")
    edited = [list(r) for r in table_with_mistakes]
    edited[-1][3] = "13800130009"  # the clerk fixes the phone number
    after = table_report(edited, "手工制作")
    assert after is not before
    assert "phone-invalid" in {f.code for f in before.findings}
    assert "phone-invalid" not in {f.code for f in after.findings}


def test_an_unhashable_cell_value_is_counted_without_the_cache(table_with_mistakes):
    odd = [list(r) for r in table_with_mistakes]
    odd[1][8] = ["a list", "in a cell"]
    assert (
        table_report(odd, "手工制作").rows_read
        == table_report(table_with_mistakes, "手工制作").rows_read
    )


def test_reports_kept_for_one_rules_object_are_never_handed_to_another(table_with_mistakes, rules):
    import dataclasses

    from jinguo_xl.excel.sheetcalc import cached_reports

    easy = dataclasses.replace(
        rules, targets=tuple(dataclasses.replace(t, min=0.0) for t in rules.targets)
    )
    assert easy.year == rules.year
    strict = table_report(table_with_mistakes, "手工制作", base_type="巾帼扶贫车间", rules=rules)
    lenient = table_report(table_with_mistakes, "手工制作", base_type="巾帼扶贫车间", rules=easy)
    assert strict.status == "未达标" and lenient.status == "达标"
    assert [r.status for r in cached_reports(easy).values()] == ["达标"]
    assert strict in cached_reports(rules).values()


def test_a_range_is_told_apart_like_a_file(rules):
    """A header without 序号 and 备注 fits 手工制作 even under rules that list both as required,
    in a formula's range as in a file."""
    import dataclasses

    from jinguo_xl.excel.sheetcalc import infer_industry
    from jinguo_xl.read.grid import parse_grids

    spec = dataclasses.replace(rules.tables["手工制作"], optional=frozenset())
    strict = dataclasses.replace(rules, tables={**rules.tables, "手工制作": spec})
    grid = [HEADERS["手工制作"][1:-1], *(row[1:-1] for row in people(2, extra=[0.5]))]
    (table,) = parse_grids([("Sheet1", grid)], strict).tables
    assert table.candidates == ("手工制作", "加工制造")
    assert infer_industry(grid, strict) == "手工制作"

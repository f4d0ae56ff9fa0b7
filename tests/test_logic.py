"""Ribbon decisions on real workbook values: marks, 问题清单, clear record, 达标情况."""

from __future__ import annotations

from jinguo_xl.excel import logic
from jinguo_xl.read.reader import load_grids
from tests.conftest import base_line, people, stacked, woman, write_xlsx


def _sheets(tmp_path, rows, *, kind="巾帼扶贫车间"):
    grid = stacked(base_line(kind=kind), {"手工制作": rows})
    path = write_xlsx(tmp_path / "城口县" / "某社.xlsx", {"统计表": grid})
    return load_grids(path), path


def test_check_marks_each_bad_cell_once_with_all_its_messages(tmp_path, rules):
    rows = [*people(2, extra=[0.5]), woman("张玉兰", "1381", kind="贫困户", extra=["1.5万"])]
    sheets, path = _sheets(tmp_path, rows)
    plan = logic.plan_check(sheets, rules, file=path.name, fullname=str(path))
    marks = {(m.sheet, m.cell): m for m in plan.marks}
    assert set(marks) == {("统计表", "D11"), ("统计表", "G11"), ("统计表", "H11")}
    assert marks[("统计表", "D11")].severity == "error"
    assert marks[("统计表", "H11")].severity == "warning"
    assert marks[("统计表", "D11")].note.startswith("巾帼统计：错误：联系电话无效")
    assert plan.problems[0] == logic.PROBLEM_HEADER
    assert plan.problems[1][:4] == ["错误", "统计表", "D11", "联系电话"]
    assert plan.report.base.county == "城口县"  # from the folder of the open book
    assert "错误 1 条，警告 2 条" in plan.summary and "“问题清单”" in plan.summary


def test_our_own_output_sheets_are_not_read_as_data(tmp_path, rules):
    sheets, _ = _sheets(tmp_path, people(2, extra=[0.5]))
    polluted = [*sheets, (logic.PROBLEMS_SHEET, [logic.PROBLEM_HEADER, ["错误", "统计表", "D9"]])]
    a = logic.plan_check(sheets, rules)
    b = logic.plan_check(polluted, rules)
    assert a.report.reason == b.report.reason and a.problems == b.problems


def test_clear_undoes_exactly_the_recorded_marks(tmp_path, rules):
    sheets, _ = _sheets(tmp_path, [woman("张玉兰", "1381", extra=[1])])
    plan = logic.plan_check(sheets, rules)
    record = logic.marks_to_record(plan.marks)
    assert logic.plan_clear(record) == [(m.sheet, m.cell) for m in plan.marks]
    assert logic.plan_clear(None) == [] and logic.plan_clear([["工作表", "单元格"]]) == []


def test_status_sheet_lists_targets_actual_and_required(tmp_path, rules):
    sheets, _ = _sheets(tmp_path, people(20, sessions=2, extra=[0.5]))
    report = logic.evaluate_open_book(sheets, rules)
    rows = logic.plan_status(report, rules)
    assert rows[2][:2] == ["基地结论", "未达标"]
    targets = {r[4]: r[5:8] for r in rows if r[4] in ("培训人次", "带动就业")}
    assert targets == {"培训人次": [40.0, 50.0, "否"], "带动就业": [20.0, 20.0, "是"]}
    assert len({len(r) for r in rows}) == 1  # a rectangle: one block write

"""The JINGUO_* functions on values as xlwings passes them, equal to the CLI for the same file."""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.excel import udfs
from jinguo_xl.run.files import check_file
from tests.conftest import HEADERS, base_line, people, woman, write_xlsx


def _as_xlwings(grid):
    """xlwings gives None for blanks, floats for numbers and datetime for dates."""
    out = []
    for row in grid:
        cells = []
        for v in row:
            if v == "":
                v = None
            elif isinstance(v, int) and not isinstance(v, bool):
                v = float(v)
            elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                v = dt.datetime(v.year, v.month, v.day)
            cells.append(v)
        out.append(cells)
    return out


@pytest.fixture
def filled(tmp_path):
    rows = [*people(24, sessions=2, extra=[0.5]), woman("张玉兰", "1381", extra=["1.5万"])]
    grid = [[base_line()], HEADERS["手工制作"], *rows]
    path = write_xlsx(tmp_path / "城口县" / "某社.xlsx", {"手工制作": grid})
    table = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("手工制作").to_python()[1:]
    return path, _as_xlwings(table)


def test_status_equals_the_cli_for_the_same_workbook(filled):
    path, table = filled
    assert udfs.JINGUO_STATUS("巾帼扶贫车间", "手工制作", table) == check_file(path).reason
    reason = check_file(path).reason
    assert reason == "未达标：培训人次 49/50"
    assert udfs.JINGUO_STATUS("扶贫车间", "手工制作", table) == reason  # short type name


def test_check_returns_one_row_per_data_row(filled):
    _, table = filled
    column = udfs.JINGUO_CHECK(table, "手工制作")
    assert len(column) == len(table) - 1 and all(len(c) == 1 for c in column)
    assert column[0] == [""] and column[-1][0].startswith("错误：联系电话无效")
    assert udfs.JINGUO_CHECK(table) == column  # industry inferred from the columns


def test_total_reads_text_amounts(filled):
    _, table = filled
    assert udfs.JINGUO_TOTAL(table, "产品收入") == pytest.approx(25.5)
    assert udfs.JINGUO_TOTAL(table, "产品收入", True) == pytest.approx(25.5)


def test_metric_and_target(filled):
    _, table = filled
    assert udfs.JINGUO_METRIC("巾帼扶贫车间", "手工制作", table, "培训人次") == 49
    assert udfs.JINGUO_METRIC("巾帼扶贫车间", "手工制作", table, "employed") == 25
    assert udfs.JINGUO_TARGET("巾帼扶贫车间", "家政服务", "培训合格率") == 0.7
    assert udfs.JINGUO_TARGET("家庭工坊", "手工制作", "培训次数（按户累计）", 3) == 60
    assert udfs.JINGUO_TARGET("巾帼扶贫车间", "手工制作", "带动创业").endswith("没有“带动创业”目标")


@pytest.mark.parametrize(
    "call",
    [
        lambda: udfs.JINGUO_STATUS("巾帼扶贫车间", "钓鱼", [[1]]),
        lambda: udfs.JINGUO_STATUS(None, None, None),
        lambda: udfs.JINGUO_TOTAL([[object()]], "产品收入"),
        lambda: udfs.JINGUO_METRIC("巾帼扶贫车间", "手工制作", [["x"]], "幸福指数"),
        lambda: udfs.JINGUO_TARGET("示范点", "手工制作", "培训人次"),
        lambda: udfs.JINGUO_TARGET("家庭工坊", "手工制作", "培训人次", "很多"),
    ],
)
def test_garbage_gives_a_chinese_sentence_not_a_traceback(call):
    result = call()
    assert isinstance(result, str) and any("\u4e00" <= ch <= "\u9fff" for ch in result)
    assert "Traceback" not in result


def test_garbage_table_for_check_is_one_message():
    (only,) = udfs.JINGUO_CHECK([["a", "b"]])
    assert "无法判断" in only[0]


def test_check_fills_the_whole_array_when_the_range_has_no_header():
    column = udfs.JINGUO_CHECK([["x"], ["y"], ["z"]], "手工制作")
    assert len(column) == 2 and "找不到统计表的表头" in column[0][0] and column[1] == [""]


def test_check_keeps_rows_aligned_when_the_range_starts_above_the_header(filled):
    _, table = filled
    below = udfs.JINGUO_CHECK(table, "手工制作")
    shifted = udfs.JINGUO_CHECK([["手工制作带动统计表：", None], *table], "手工制作")
    assert shifted == [[""], *below]


def test_check_gives_as_many_rows_as_the_empty_template_range(rules):
    from jinguo_xl.writers.template import build_template

    ws = build_template(rules)["手工制作"]
    grid = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=1003, max_col=12)]
    column = udfs.JINGUO_CHECK(grid, "手工制作")
    assert len(column) == 999 and {c[0] for c in column} == {""}


def test_no_text_a_function_returns_is_longer_than_excel_takes(filled, monkeypatch):
    assert udfs.fit("字" * 300) == "字" * 254 + "…" and len(udfs.fit("字" * 300)) == 255
    assert udfs.fit("短句") == "短句"
    _, table = filled
    monkeypatch.setattr(udfs, "MAX_TEXT", 12)
    column = [text for (text,) in udfs.JINGUO_CHECK(table, "手工制作")]
    assert column[-1].startswith("错误：联系电话") and column[-1].endswith("…")
    assert max(len(text) for text in column) == 12
    status = udfs.JINGUO_STATUS("巾帼扶贫车间", "手工制作", table)
    assert len(status) == 12 and status.endswith("…")
    assert len(udfs.JINGUO_STATUS("巾帼扶贫车间", "不存在的产业", table)) == 12


def test_every_function_the_template_calls_exists_with_that_many_arguments(rules):
    import inspect
    import re

    from jinguo_xl.writers.template import build_template

    wb = build_template(rules)
    calls = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                text = getattr(c.value, "text", c.value)
                if isinstance(text, str):
                    calls.update(re.findall(r"(JINGUO_\w+)\(([^()]*)\)", text))
    assert {name for name, _ in calls} == {"JINGUO_STATUS", "JINGUO_CHECK"}
    for name, args in calls:
        params = inspect.signature(getattr(udfs, name)).parameters
        assert len(args.split(",")) <= len(params), name


def test_the_udf_module_itself_needs_no_pandas_or_openpyxl():
    # The first JINGUO_* call in an Excel session pays this import; xlwings brings pandas in
    # by itself when it has it, but nothing on our path may need it.
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['pandas'] = None; sys.modules['openpyxl'] = None; "
        "import jinguo_xl.excel.udfs as u; "
        "print(u.JINGUO_TARGET('巾帼扶贫车间', '手工制作', '培训人次'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(out.stdout) == 50

"""The long tables written as XML rows are, cell by cell, what xlsxwriter itself writes."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.writers.master import _Book

AWKWARD_ROWS = [
    ["张玉兰", 1, 2.5, Decimal("1.25"), dt.date(2020, 3, 5), True, None, ""],
    [
        "=1+1",
        -3,
        1e-7,
        Decimal("12345678.9"),
        dt.datetime(2020, 12, 31, 0, 0),
        False,
        "x",
        " 前后空格 ",
    ],
    [
        "含\x01控制\x1f字符",
        0,
        float("nan"),
        Decimal("0"),
        dt.date(1900, 1, 15),
        "是",
        "_x0041_",
        "a&b<c>",
    ],
    ["😀" * 10, 10**15, float("inf"), None, None, None, "@提及", "长" * 40_000],
    ["+86 138", 3.0, -0.0, Decimal("-2.50"), dt.date(2020, 2, 29), "否", "\t制表", "末尾换行\n"],
]
HEADER = ["姓名", "整数", "小数", "金额", "日期", "是否", "备注", "长文本"]


def _write(path: Path, bulk: bool) -> Path:
    book = _Book(path)
    try:
        # wrapped columns: every other column top-aligned, rows as tall as their text
        book.table("明细", HEADER, AWKWARD_ROWS, formats={6: book.wrap}, bulk=bulk, wrap=(0, 7))
        book.wb.close()
        book.bulk.splice(path)
    finally:
        book.bulk.cleanup()
    return path


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("bulk")
    return _write(root / "xlsxwriter.xlsx", False), _write(root / "bulk.xlsx", True)


def test_values_read_back_the_same(both):
    plain, bulk = (
        CalamineWorkbook.from_path(str(p)).get_sheet_by_name("明细").to_python() for p in both
    )
    assert bulk == plain
    assert len(bulk) == len(AWKWARD_ROWS) + 1


def test_types_and_formats_read_back_the_same_in_openpyxl(both):
    plain, bulk = (openpyxl.load_workbook(p)["明细"] for p in both)
    assert bulk.max_row == plain.max_row == len(AWKWARD_ROWS) + 1
    assert bulk.dimensions == plain.dimensions
    for row_b, row_p in zip(bulk.iter_rows(), plain.iter_rows(), strict=True):
        for b, p in zip(row_b, row_p, strict=True):
            assert (b.value, b.data_type, b.number_format, b.alignment.wrap_text) == (
                p.value,
                p.data_type,
                p.number_format,
                p.alignment.wrap_text,
            ), b.coordinate
    assert bulk["A3"].value == "=1+1" and bulk["A3"].data_type == "s"  # text, never a formula


def test_row_heights_are_the_same_and_fit_the_wrapped_text(both):
    from jinguo_xl.writers.layout import LINE_PT, MAX_LINES

    heights = [
        [openpyxl.load_workbook(p)["明细"].row_dimensions[r].height for r in range(1, 7)]
        for p in both
    ]
    assert heights[0] == heights[1]
    # the 40 000-character text asks for the most lines a row may have; a short row keeps
    # the default height
    assert heights[1][4] >= MAX_LINES * LINE_PT and heights[1][1] is None


def test_the_finish_is_still_xlsxwriters(both):
    ws = openpyxl.load_workbook(both[1])["明细"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:H{len(AWKWARD_ROWS) + 1}"


def test_no_temporary_file_is_left_beside_the_package(both):
    assert sorted(p.name for p in both[1].parent.iterdir()) == ["bulk.xlsx", "xlsxwriter.xlsx"]


def test_an_error_mid_write_removes_the_rows_written_so_far(tmp_path):
    def rows():
        yield ["张玉兰", 1]
        raise RuntimeError("disk full")

    book = _Book(tmp_path / "m.xlsx")
    with pytest.raises(RuntimeError):
        book.table("明细", ["姓名", "数"], rows(), bulk=True)
    book.bulk.cleanup()
    assert list(tmp_path.iterdir()) == []


def test_the_spliced_sheet_is_sound_xml_in_a_sound_zip(both):
    from defusedxml import ElementTree

    with zipfile.ZipFile(both[1]) as zf:
        assert zf.testzip() is None
        ElementTree.fromstring(zf.read("xl/worksheets/sheet1.xml"))

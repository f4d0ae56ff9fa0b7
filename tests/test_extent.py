"""Sheets with values far apart are streamed instead of held as one huge rectangle."""

from __future__ import annotations

import openpyxl
import pytest

from jinguo_xl.read import extent
from jinguo_xl.read.formulas import local_names
from jinguo_xl.read.package import open_package
from jinguo_xl.read.reader import _stream_grid, load_grids
from jinguo_xl.run.files import check_file
from tests.conftest import HEADERS, base_line, people, write_xlsx


def _sheet_xml(cells: list[tuple[int, str, str]]) -> bytes:
    """Sheet XML with (row, column letters, value) cells, rows in order as Excel writes them."""
    rows: dict[int, list[str]] = {}
    for r, c, v in cells:
        rows.setdefault(r, []).append(f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    return f"<worksheet><sheetData>{body}</sheetData></worksheet>".encode()


def test_a_stray_value_a_million_rows_down_is_sparse():
    table = [(r, c, "x") for r in range(1, 31) for c in "ABCDEFGHI"]
    xml = _sheet_xml([*table, (1_000_000, "T", " ")])
    assert extent.sparse_width(xml) == 20  # as wide as the stray cell in column T


def test_a_large_dense_table_is_not_sparse():
    xml = _sheet_xml([(r, c, "x") for r in range(1, 120_001) for c in "ABCDEFGHIJKLMNOPQRST"])
    assert extent.sparse_width(xml) is None


def test_formatting_without_values_is_not_sparse():
    xml = _sheet_xml([(r, "A", "x") for r in range(1, 31)]).replace(
        b"</sheetData>", b'<row r="1000000" s="3"><c r="T1000000" s="3"/></row></sheetData>'
    )
    assert extent.sparse_width(xml) is None


def test_a_namespace_prefixed_stray_value_is_seen():
    table = [(r, c, "x") for r in range(1, 31) for c in "ABCDEFGHI"]
    plain = _sheet_xml([*table, (1_048_576, "XFD", " ")])
    prefixed = (
        plain.replace(b"<", b"<x:").replace(b"<x:/", b"</x:")
        .replace(b"<x:worksheet>", b'<x:worksheet xmlns:x="urn:main">')
    )
    assert b"<c " not in prefixed
    assert extent.sparse_width(local_names(prefixed)) == 16_384


def test_a_dimension_that_understates_the_range_is_not_trusted():
    table = [(r, c, "x") for r in range(1, 200) for c in "ABC"]
    xml = _sheet_xml([*table, (200_000, "Z", "far")]).replace(
        b"<sheetData>", b'<dimension ref="A1:C199"/><sheetData>'
    )
    assert extent.sparse_width(xml) == 26


def test_sheets_without_prefixed_elements_are_left_as_they_are():
    xml = _sheet_xml([(1, "A", "x")]).replace(
        b"<worksheet>", b'<worksheet xmlns:r="urn:r"><x r:id="a"/>'
    )
    assert local_names(xml) is xml


@pytest.fixture
def stray_value_far_below(tmp_path):
    """A base's table of 30 women, and a space a clerk typed in T1000000."""
    grid = [[base_line()], HEADERS["手工制作"], *people(30, extra=[0.5])]
    path = write_xlsx(tmp_path / "城口县" / "远处有字.xlsx", {"手工制作": grid})
    wb = openpyxl.load_workbook(path)
    wb["手工制作"].cell(row=1_000_000, column=20, value="备注")
    wb.save(path)
    return path


def test_the_stray_value_sheet_is_streamed_with_excel_row_numbers(stray_value_far_below):
    package = open_package(stray_value_far_below.read_bytes())
    scan = extent.scan_package(package)
    assert (scan.sparse, scan.uncached) == ({"手工制作": 20}, {})
    ((_, grid),) = load_grids(stray_value_far_below)
    assert len(grid) == 1_000_000 and grid[-1][19] == "备注"
    assert sum(1 for row in grid if row) == 33  # the rest share one empty row
    report = check_file(stray_value_far_below)
    assert report.ok and report.rows_read == 30


def test_streaming_reads_a_normal_sheet_exactly_like_the_fast_reader(tmp_path, rules):
    grid = [[base_line()], HEADERS["手工制作"], *people(12, sessions=2, extra=["1.5万"])]
    path = write_xlsx(tmp_path / "城口县" / "普通.xlsx", {"手工制作": grid})
    ((_, fast),) = load_grids(path)
    streamed = _stream_grid(path.read_bytes(), "手工制作", 9)
    norm = [[None if v == "" else v for v in row] for row in fast]
    assert [list(r) + [None] * (9 - len(r)) for r in streamed] == [
        (r + [None] * 9)[:9] for r in norm
    ]


def test_a_prefixed_far_value_under_a_small_recorded_range_is_streamed_and_kept(tmp_path):
    """``<x:c r="XFD1048576">`` below a ``<dimension ref="A1:I32">`` that leaves it out: the
    fast reader would try to allocate 512 GB; the sheet is streamed and the value kept."""
    import zipfile

    src = write_xlsx(tmp_path / "源.xlsx", {"手工制作": [[base_line()], *people(30)]})
    path = tmp_path / "前缀.xlsx"
    stray = b'<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is>'
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet ", b'<worksheet xmlns:x="' + main + b'" ', 1)
                data = data.replace(b"</sheetData>", stray + b"</x:c></x:row></sheetData>")
                assert b'<dimension ref="A1:' in data
            zout.writestr(item, data)
    assert extent.scan_package(open_package(path.read_bytes())).sparse == {"手工制作": 16_384}
    ((_, grid),) = load_grids(path)
    assert len(grid) == 1_048_576 and grid[-1][16_383] == "x"
    assert sum(1 for row in grid if row) == 32


# ------------------------------------------------------------------ the template's verdicts


def test_verdict_names_are_found_with_their_cells():
    from jinguo_xl.read.formulas import verdict_cells

    book = (
        '<workbook xmlns="x"><definedNames>'
        "<definedName name=\"基地结论\">'达标情况'!$C$3</definedName>"
        "<definedName name=\"结论_手工制作\">达标情况!$C$7</definedName>"
        "<definedName name=\"结论_家政服务\">#REF!</definedName>"
        "<definedName name=\"结论_农村电商\">'O''Neil 表'!B2</definedName>"
        '<definedName name="结论_乡村旅游" localSheetId="1">达标情况!$C$9</definedName>'
        "<definedName name=\"Print_Area\">达标情况!$A$1:$J$12</definedName>"
        "</definedNames></workbook>"
    ).encode()
    assert verdict_cells(book) == {
        "基地结论": ("达标情况", 2, 2),
        "结论_手工制作": ("达标情况", 6, 2),
        "结论_农村电商": ("O'Neil 表", 1, 1),
    }
    assert verdict_cells(b"<workbook><definedNames/></workbook>") == {}


def _template_copy(rules, tmp_path, typed: dict[str, str]):
    from jinguo_xl.writers.template import FIRST_DATA_ROW, build_template

    wb = build_template(rules, 12)
    info = wb["基本信息"]
    info["B4"], info["B5"] = "示例合作社", "巾帼扶贫车间"
    for i, row in enumerate(people(8, extra=[0.5])):
        for j, value in enumerate(row[1:8], start=2):
            wb["手工制作"].cell(row=FIRST_DATA_ROW + i, column=j, value=value)
    for ref, value in typed.items():
        sheet, cell = ref.split("!")
        wb[sheet][cell] = value
    path = tmp_path / "模板副本.xlsx"
    wb.save(path)
    return path


def test_a_verdict_typed_over_is_flagged_at_its_cell(rules, tmp_path):
    path = _template_copy(rules, tmp_path, {"达标情况!C3": "达标", "达标情况!C7": "达标：好"})
    report = check_file(path)
    flagged = [f for f in report.findings if f.code.value == "verdict-typed-over"]
    assert [(f.sheet, f.cell) for f in flagged] == [("达标情况", "C3"), ("达标情况", "C7")]
    assert "基地结论" in flagged[0].message and "结论_手工制作" in flagged[1].message
    assert flagged[0].severity.label == "错误"
    assert report.reason.startswith("未达标")  # the tool judges the data, not the typing


def test_a_template_with_its_formulas_is_not_flagged(rules, tmp_path):
    report = check_file(_template_copy(rules, tmp_path, {}))
    assert not [f for f in report.findings if f.code.value == "verdict-typed-over"]

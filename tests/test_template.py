"""The official template: layout, native totals, in-cell formulas, and a real engine's view."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.run.files import check_file
from jinguo_xl.writers import native
from jinguo_xl.writers.template import (
    DATA_ROWS,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INFO_FIELDS,
    LAST_DATA_ROW,
    build_template,
    save_template,
    write_template,
)
from tests.conftest import type_base_info
from tests.printing import (
    ASCII_WORD,
    line_start_slips,
    overlapping,
    page_words,
    plain,
    small_words,
    text_of,
    type_ruler,
)

COMMITTED = Path(__file__).parent.parent / "templates" / "统计表模板_2020.xlsx"


@pytest.fixture(scope="module")
def template(tmp_path_factory, rules):
    return write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx", rules)


@pytest.fixture(scope="module")
def wb(rules):
    return build_template(rules)


def _fill(
    rules, target: Path, rows, *, base_type="巾帼扶贫车间", sheet="手工制作", data_rows=DATA_ROWS
) -> Path:
    """A clerk's copy: base information typed into the input cells, rows under the header."""
    wb = build_template(rules, data_rows)
    type_base_info(wb, {
        "带动基地名称": "示例·模板测试合作社",
        "创建基地类型": base_type,
        "基地负责人姓名": "王经理",
        "所属区县": "城口县",
        "所在乡镇（街道）": "鸡鸣乡",
    })
    ws = wb[sheet]
    for i, values_row in enumerate(rows):
        for j, value in enumerate(values_row, start=2):
            ws.cell(row=FIRST_DATA_ROW + i, column=j, value=value)
    return save_template(wb, target)


def _rows(n: int, money):
    return [
        (
            f"张{'一二三四五六七八九十'[i % 10]}{'甲乙丙丁戊己庚辛壬癸'[i // 10 % 10]}"
            f"{'子丑寅卯辰'[i // 100 - 1] if i >= 100 else ''}",
            f"青山村{i + 1}组",
            f"1380013{i:04d}",
            dt.date(2020, 3, 5),
            "竹编技艺",
            money(i),
            "贫困妇女" if i % 3 else "留守妇女",
        )
        for i in range(n)
    ]


def test_sheets_are_named_in_chinese_in_the_sample_form_order(wb, rules):
    assert wb.sheetnames == ["基本信息", *rules.industries, "达标情况", "计算"]
    assert wb["计算"].sheet_state == "hidden"


def test_info_block_has_label_and_named_input_cells(wb):
    info = wb["基本信息"]
    for i, (label, name, _, _) in enumerate(INFO_FIELDS, start=4):
        assert info.cell(row=i, column=1).value == label
        ((sheet, ref),) = wb.defined_names[name].destinations
        assert (sheet, ref) == ("基本信息", f"$B${i}")


def test_headers_are_the_sample_form_plus_added_and_check_columns(wb, rules):
    for industry, spec in rules.tables.items():
        ws = wb[industry]
        # Broken into lines before a bracket where the column is narrow (产品收入 / （万元）).
        headers = [c.value.replace("\n", "") for c in ws[HEADER_ROW]]
        assert headers == [spec.header_of(k, rules.columns) for k in spec.columns]
        if industry == "手工制作":
            assert ws["G4"].value == "产品收入\n（万元）"
        assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_dropdowns_cover_type_industry_county_women_and_yes_no(wb, rules):
    info_lists = [
        dv.formula1 for dv in wb["基本信息"].data_validations.dataValidation if dv.type == "list"
    ]
    assert any("巾帼扶贫家庭工坊" in f for f in info_lists)
    assert any("加工制造" in f for f in info_lists)
    assert any("酉阳土家族苗族自治县" in f for f in info_lists)
    ws = wb["家政服务"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    last = LAST_DATA_ROW
    assert lists[f"G5:G{last}"] == '"是,否"' and lists[f"H5:H{last}"] == '"是,否"'
    assert lists[f"I5:I{last}"] == '"未脱贫妇女,贫困妇女,留守妇女,普通妇女"'


def test_formats_totals_native_verdict_and_addin_beside_it(wb):
    ws = wb["手工制作"]
    assert ws["E5"].number_format == "yyyy-mm-dd" and ws["G5"].number_format == "0.00"
    assert ws["D5"].number_format == "@"
    assert ws[f"G{LAST_DATA_ROW}"].number_format == "0.00"
    assert ws["C3"].value == f"=SUM($G${FIRST_DATA_ROW}:$G${LAST_DATA_ROW})"
    assert f'SUMIF($H$5:$H${LAST_DATA_ROW},"未脱贫妇女"' in ws["E3"].value
    # The verdict and the add-in's line under it, in column A which no helper formula reads.
    shown = ws["A2"].value
    assert shown.startswith('="达标情况："&结论_手工制作&')
    assert f"JINGUO_CHECK($A$4:$I${LAST_DATA_ROW}" in shown and "ERROR.TYPE(" in shown
    # Nothing below the header but what the clerk types: a formula cell would be printed.
    assert all(c.value is None for row in ws.iter_rows(min_row=FIRST_DATA_ROW) for c in row)


def test_empty_template_is_recognised_as_blank_not_as_a_base(template):
    report = check_file(template)
    assert report.ok and report.skipped and report.rows_read == 0
    assert report.status == "未填报" and "空白模板" in report.reason


def test_filled_copy_is_read_like_any_workbook(rules, tmp_path):
    path = _fill(rules, tmp_path / "城口县.xlsx", _rows(60, lambda i: 0.5 if i < 30 else None))
    report = check_file(path)
    assert report.base.county == "城口县" and report.base.deep_poverty
    (result,) = [r for r in report.results if r.rows]
    assert result.sheet == "手工制作" and result.rows == 60
    assert report.reason == "未达标：培训人次 40/50"
    assert [f.code for f in report.findings if f.severity != "info"] == []


def test_committed_template_is_what_the_command_produces_today(template):
    def parts(path):
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}

    assert parts(COMMITTED) == parts(template)


def test_the_template_stays_light(template):
    """Every helper formula written out in full, so the file is what any tool saves again;
    still under 1 MB (it was 0.69 MB of shared formulas that openpyxl wrote out as 4.9 MB)."""
    assert COMMITTED.stat().st_size < 1_000_000
    helper = openpyxl.load_workbook(template)[native.HELPER_SHEET]
    shared = [c for row in helper.iter_rows() for c in row
              if isinstance(c.value, str) and c.value == "="]
    assert shared == []
    formulas = sum(
        1 for ws in openpyxl.load_workbook(template).worksheets for row in ws.iter_rows()
        for c in row if isinstance(c.value, str) and c.value.startswith("=")
    )
    assert formulas < 50_000  # was 154,818


def test_openpyxl_keeps_the_template_as_it_is(rules, tmp_path):
    """A tool that opens and saves the template (openpyxl here; WPS and old scripts alike)
    must keep its print areas without a warning and not blow it up."""
    rows = _rows(200, lambda i: 0.3)
    filled = _fill(rules, tmp_path / "填好.xlsx", rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Print area cannot be set to Defined name" and others
        wb = openpyxl.load_workbook(filled)
    areas = {ws.title: ws.print_area for ws in wb.worksheets if ws.print_area}
    again = tmp_path / "再存.xlsx"
    wb.save(again)
    assert openpyxl.load_workbook(again)["达标情况"].print_area == areas["达标情况"]
    assert again.stat().st_size <= 1.5 * filled.stat().st_size
    assert again.stat().st_size < 1_000_000
    assert check_file(again).reason == check_file(filled).reason


# ------------------------------------------------------------------ a real spreadsheet engine

soffice = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(soffice is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def engine_view(tmp_path_factory, rules, template):
    """A filled copy, recalculated and saved by LibreOffice, and the empty template and the
    filled copy printed to PDF: one soffice call for all three."""
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path_factory.mktemp("engine")
    rows = _rows(52, lambda i: round(0.1 * (i % 7) + 0.05, 2) if i % 4 else None)
    rows[7] = (*rows[7][:2], "1381", *rows[7][3:])  # a phone number cut short
    rows[20] = (*rows[20][:6], "家庭主妇")  # not a 妇女类型
    filled = _fill(rules, folder / "城口县.xlsx", rows, data_rows=60)
    empty = folder / "空白.xlsx"
    empty.write_bytes(template.read_bytes())
    printed = _fill(rules, folder / "打印.xlsx", rows)  # the full template, 52 rows filled
    # … and a second table, so that the base verdict names two tables' verdicts.
    wb = openpyxl.load_workbook(printed)
    for i, values in enumerate(_rows(12, lambda i: "是" if i % 2 else "否")):
        for j, value in enumerate(values[:5], start=2):
            wb["家政服务"].cell(row=FIRST_DATA_ROW + i, column=j, value=value)
        wb["家政服务"].cell(row=FIRST_DATA_ROW + i, column=7, value=values[5])
        wb["家政服务"].cell(row=FIRST_DATA_ROW + i, column=9, value=values[6])
    wb.save(printed)
    ruler = type_ruler(folder / "字号.xlsx")
    out = folder / "out"
    for fmt, files in (("xlsx:Calc MS Excel 2007 XML", [filled]),
                       ("pdf", [empty, printed, ruler])):
        subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
             "--convert-to", fmt, "--outdir", str(out), *map(str, files)],
            check=True, capture_output=True, timeout=300,
        )
    return filled, out


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@needs_soffice
def test_native_totals_and_verdict_after_recalculation(engine_view, rules):
    path, out = engine_view
    book = CalamineWorkbook.from_path(str(out / path.name))
    grid = book.get_sheet_by_name("手工制作").to_python()
    native_all, native_counted = grid[2][2], grid[2][4]
    report = check_file(path)
    totals = report.totals(rules)
    counted = report.totals(rules, counted_only=True)
    assert Decimal(str(native_all)).quantize(Decimal("0.01")) == totals["产品收入"]
    assert Decimal(str(native_counted)).quantize(Decimal("0.01")) == counted["产品收入"]
    assert native_all > native_counted > 0
    # The verdict is the formulas' own; the add-in's place says it is not loaded.
    # (the add-in's line stays away when it is not loaded; 达标情况 says so)
    assert grid[1][0] == "达标情况：" + report.reason and report.reason.startswith("未达标")
    # The recalculated copy is still read the same way.
    assert check_file(out / path.name).reason == report.reason


@needs_soffice
def test_prints_only_what_is_filled(engine_view):
    _, out = engine_view
    empty, filled = _pages(out / "空白.pdf"), _pages(out / "打印.pdf")
    # One page per sheet for the empty template (not hundreds of blank rows each), and two
    # across for 达标情况 (its verdicts and figures at full size) …
    assert empty == 9
    # … and the filled tables' 52 and 12 rows on two or three more pages.
    assert empty + 2 <= filled <= empty + 3


@needs_soffice
def test_the_printed_template_is_chinese_whole_and_nine_points_or_more(engine_view):
    """Blank and filled, every printed page: no English word, no line starting with a closing
    mark or a pause, no text printed over other text, nothing smaller than 9 pt."""
    _, out = engine_view
    for name in ("空白", "打印"):
        pdf = out / f"{name}.pdf"
        assert ASCII_WORD.findall(text_of(pdf, "-layout")) == [], name
        assert line_start_slips(pdf) == [], name
        assert overlapping(page_words(pdf)) == [], name
        small = small_words(pdf, out / "字号.pdf")
        assert small == [], (name, small[:10])


@needs_soffice
def test_the_first_page_gives_the_verdict_and_the_status_sheet_prints_whole(engine_view):
    """Where a clerk starts, the base's verdict; 达标情况 at full size on two pages, each
    with 产业 and the header, every verdict whole, 不适用 where a table has no such column."""
    path, out = engine_view
    report = check_file(path.parent / "打印.xlsx")
    filled = [r for r in report.results if r.rows]
    assert [r.industry for r in filled] == ["手工制作", "家政服务"]
    pages = text_of(out / "打印.pdf").split("\f")
    assert "基地结论" in pages[0] and plain(report.reason) in plain(pages[0])
    verdicts, figures = pages[-3], pages[-2]  # the hidden working sheet is not printed
    for page in (verdicts, figures):
        assert "产业" in page and all(industry in page for industry in ("手工制作", "加工制造"))
    assert "结论（表格公式）" in verdicts and "培训合格率" in figures
    for result in report.results:
        assert plain(result.reason) in plain(verdicts)
    assert report.reason.startswith("未达标：手工制作")
    assert "不适用" in figures


@needs_soffice
def test_in_cell_functions_on_the_recalculated_template_equal_the_cli(engine_view):
    """The ranges the add-in's formulas pass, as a spreadsheet engine saved them, given to
    the JINGUO_* functions: the same verdict and the same bad rows as ``jinguo-xl check``."""
    from jinguo_xl.excel import udfs

    path, out = engine_view
    book = CalamineWorkbook.from_path(str(out / path.name))
    sheet = book.get_sheet_by_name("手工制作").to_python()
    table = [row[:9] for row in sheet[HEADER_ROW - 1 : HEADER_ROW + 60]]
    base_type = "巾帼扶贫车间"

    cli = check_file(path)
    assert udfs.JINGUO_STATUS(base_type, "手工制作", table, None) == cli.reason

    column = udfs.JINGUO_CHECK(table, "手工制作")
    assert len(column) == len(table) - 1 == 52
    flagged = {FIRST_DATA_ROW + i for i, (text,) in enumerate(column) if text}
    cli_rows = {f.excel_row for f in cli.findings if f.severity != "info" and f.sheet == "手工制作"}
    assert flagged == cli_rows == {FIRST_DATA_ROW + 7, FIRST_DATA_ROW + 20}
    assert "联系电话" in column[7][0] and "妇女类型" in column[20][0]

"""The official template: layout, native totals, in-cell formulas, and a real engine's view."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.engine import check_file
from jinguo_xl.writers.template import (
    CHECK_HEADER,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INFO_FIELDS,
    LAST_DATA_ROW,
    write_template,
)

COMMITTED = Path(__file__).parent.parent / "templates" / "统计表模板_2020.xlsx"


@pytest.fixture(scope="module")
def template(tmp_path_factory, rules):
    return write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx", rules)


@pytest.fixture(scope="module")
def wb(template):
    return openpyxl.load_workbook(template)


def _fill(
    template: Path, target: Path, rows, *, base_type="巾帼扶贫车间", sheet="手工制作"
) -> Path:
    """A clerk's copy: base information typed into the input cells, rows under the header."""
    wb = openpyxl.load_workbook(template)
    info = wb["基本信息"]
    values = {
        "带动基地名称": "示例·模板测试合作社",
        "创建基地类型": base_type,
        "基地负责人姓名": "王经理",
        "所属区县": "城口县",
        "所在乡镇（街道）": "鸡鸣乡",
    }
    for row in range(1, info.max_row + 1):
        label = info.cell(row=row, column=1).value
        if label in values:
            info.cell(row=row, column=2, value=values[label])
    ws = wb[sheet]
    for i, values_row in enumerate(rows):
        for j, value in enumerate(values_row, start=2):
            ws.cell(row=FIRST_DATA_ROW + i, column=j, value=value)
    wb.save(target)
    return target


def _rows(n: int, money):
    return [
        (
            f"张{'一二三四五六七八九十'[i % 10]}{'甲乙丙丁戊己庚辛壬癸'[i // 10]}",
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
    assert wb.sheetnames == ["基本信息", *rules.industries, "达标情况"]


def test_info_block_has_label_and_named_input_cells(wb):
    info = wb["基本信息"]
    for i, (label, name, _, _) in enumerate(INFO_FIELDS, start=4):
        assert info.cell(row=i, column=1).value == label
        ((sheet, ref),) = wb.defined_names[name].destinations
        assert (sheet, ref) == ("基本信息", f"$B${i}")


def test_headers_are_the_sample_form_plus_added_and_check_columns(wb, rules):
    for industry, spec in rules.tables.items():
        ws = wb[industry]
        headers = [c.value for c in ws[HEADER_ROW]][: len(spec.columns) + 1]
        assert headers == [*(spec.header_of(k, rules.columns) for k in spec.columns), CHECK_HEADER]
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
    assert lists["G5:G1004"] == '"是,否"' and lists["H5:H1004"] == '"是,否"'
    assert lists["I5:I1004"] == '"未脱贫妇女,贫困妇女,留守妇女,普通妇女"'


def test_formats_totals_and_wrapped_addin_formulas(wb):
    ws = wb["手工制作"]
    assert ws["E5"].number_format == "yyyy-mm-dd" and ws["G5"].number_format == "0.00"
    assert ws["D5"].number_format == "@"
    assert ws["C3"].value == f"=SUM($G${FIRST_DATA_ROW}:$G${LAST_DATA_ROW})"
    assert 'SUMIF($H$5:$H$1004,"未脱贫妇女"' in ws["E3"].value
    assert ws["C2"].value.startswith('=IFERROR(JINGUO_STATUS(基地类型,"手工制作",')
    array = ws["J5"].value
    assert array.ref == "J5:J1004" and array.text.startswith("=IFERROR(JINGUO_CHECK(")
    assert len(ws.conditional_formatting) == 1


def test_empty_template_reads_as_not_filled_with_findings_on_input_cells(template):
    report = check_file(template)
    assert report.ok and report.status == "未填报" and report.rows_read == 0
    where = {f.code: f"{f.sheet}!{f.cell}" for f in report.findings}
    assert where["base-name-missing"] == "基本信息!B4"
    assert where["base-type-missing"] == "基本信息!B5"


def test_filled_copy_is_read_like_any_workbook(template, tmp_path):
    path = _fill(template, tmp_path / "城口县.xlsx", _rows(60, lambda i: 0.5 if i < 30 else None))
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


# ------------------------------------------------------------------ a real spreadsheet engine

soffice = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(soffice is None, reason="LibreOffice (soffice) not installed")


def _convert(src: Path, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"out-{fmt.split(':')[0]}"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    (result,) = out.iterdir()
    return result


@needs_soffice
def test_native_totals_equal_the_engine_totals_after_recalculation(template, tmp_path):
    path = _fill(
        template,
        tmp_path / "filled.xlsx",
        _rows(45, lambda i: round(0.1 * (i % 7) + 0.05, 2) if i % 4 else None),
    )
    recalculated = _convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    grid = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name("手工制作").to_python()
    native_all, native_counted = grid[2][2], grid[2][4]
    report = check_file(path)
    rules_totals = report.totals(__import__("jinguo_xl.rules").rules.load_rules())
    counted = report.totals(__import__("jinguo_xl.rules").rules.load_rules(), counted_only=True)
    assert Decimal(str(native_all)).quantize(Decimal("0.01")) == rules_totals["产品收入"]
    assert Decimal(str(native_counted)).quantize(Decimal("0.01")) == counted["产品收入"]
    assert native_all > native_counted > 0
    # Without the add-in the status cell shows the hint, not #NAME?
    assert grid[1][2].startswith("未加载巾帼统计加载项")
    # The recalculated copy is still read the same way.
    assert check_file(recalculated).reason == report.reason


@needs_soffice
def test_template_renders_to_pdf(template, tmp_path):
    pdf = _convert(template, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


@needs_soffice
def test_in_cell_functions_on_the_recalculated_template_equal_the_cli(template, tmp_path):
    """The ranges the template's formulas pass, as a spreadsheet engine computes them, given to
    the JINGUO_* functions: the same verdict and the same bad rows as ``jinguo-xl check``."""
    from jinguo_xl.excel import udfs

    rows = _rows(52, lambda i: 0.5)
    rows[7] = (*rows[7][:2], "1381", *rows[7][3:])  # a phone number cut short
    rows[20] = (*rows[20][:6], "家庭主妇")  # not a 妇女类型
    path = _fill(template, tmp_path / "城口县.xlsx", rows)
    recalculated = _convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path)
    book = CalamineWorkbook.from_path(str(recalculated))
    sheet = book.get_sheet_by_name("手工制作").to_python()
    # $A$4:$I$1004, with column A's =IF(B5="","",ROW()-4) computed by the engine.
    table = [row[:9] for row in sheet[HEADER_ROW - 1 : LAST_DATA_ROW]]
    assert table[1][0] == 1 and table[-1][0] == ""
    base_type = "巾帼扶贫车间"

    cli = check_file(path)
    assert udfs.JINGUO_STATUS(base_type, "手工制作", table, None) == cli.reason
    assert cli.reason.startswith("未达标")

    column = udfs.JINGUO_CHECK(table, "手工制作")
    assert len(column) == LAST_DATA_ROW - HEADER_ROW  # fills the J5:J1004 array exactly
    flagged = {FIRST_DATA_ROW + i for i, (text,) in enumerate(column) if text}
    cli_rows = {f.row for f in cli.findings if f.severity != "info" and f.sheet == "手工制作"}
    assert flagged == cli_rows == {FIRST_DATA_ROW + 7, FIRST_DATA_ROW + 20}
    assert "联系电话" in column[7][0] and "妇女类型" in column[20][0]
    total = udfs.JINGUO_TOTAL(table, "产品收入")
    assert Decimal(str(total)) == cli.totals(__import__("jinguo_xl.rules").rules.load_rules())[
        "产品收入"
    ]

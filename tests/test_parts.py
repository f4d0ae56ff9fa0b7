"""Every part of a package masked (scrub) and searched (scan), on real workbooks."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from jinguo_xl.privacy.parts import scan, scan_bytes, scrub
from tests.privacy_corpus import PLANTED, clerk_workbook, hostile_workbook, independent_leaks

# Every part class the hostile workbook plants data in, as the scan names it.
PART_CLASSES = {
    "文档属性（标题、主题、作者、关键词、备注）",
    "自定义文档属性",
    "工作簿（工作表名称、定义的名称）",
    "工作表“统计表”（单元格、公式、页眉页脚、数据验证提示、超链接文字）",
    "工作表“统计表”的超链接地址",
    "批注",
    "批注（新式批注）",
    "外部链接（缓存的数值）",
    "外部链接的文件路径",
    "图形、文本框中的文字",
    "图表（标题和缓存的数值）",
}


@pytest.fixture
def hostile(tmp_path):
    return hostile_workbook(tmp_path / "原件.xlsx")


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_the_scan_finds_the_planted_data_in_every_part_class(hostile):
    leaks = scan(_parts(hostile).items())
    assert {leak.where for leak in leaks} == PART_CLASSES
    shown = " ".join(leak.excerpt for leak in leaks)
    assert "138****8127" in shown  # the external link's cached value
    assert "5.**************E+17" in shown  # the ID Excel keeps in scientific notation
    for digits in ("13800138127", "13800138000", "500233199207085012"):
        assert digits not in shown  # the report itself never carries a number


def test_scrub_leaves_nothing_for_either_scan(hostile):
    scrubbed = scrub(hostile.read_bytes())
    assert scan_bytes(scrubbed.data) == []
    out = hostile.with_name("scrubbed.xlsx")
    out.write_bytes(scrubbed.data)
    assert independent_leaks(out) == []
    assert independent_leaks(hostile) != []
    assert "xl/externalLinks/externalLink1.xml" in scrubbed.changed


def test_sheet_names_and_formulas_are_masked_alike_and_stay_valid(hostile):
    out = hostile.with_name("scrubbed.xlsx")
    out.write_bytes(scrub(hostile.read_bytes()).data)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["统计表", "电话138＊＊＊＊8126"]
    assert wb["统计表"]["L5"].value == "='电话138＊＊＊＊8126'!A1"
    assert wb["统计表"]["L4"].value == '=HYPERLINK("tel:138＊＊＊＊8123","拨打")'


def test_a_personal_number_in_a_numeric_place_becomes_zero(tmp_path):
    path = tmp_path / "数字.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = 13800138000
    wb.active["A2"] = 500233199207085012
    wb.active["A3"] = 1.5
    wb.save(path)
    out = tmp_path / "out.xlsx"
    out.write_bytes(scrub(path.read_bytes()).data)
    ws = openpyxl.load_workbook(out).active
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == [0, 0, 1.5]


def test_a_phone_split_over_rich_text_runs_is_found_and_joined_masked(tmp_path):
    path = clerk_workbook(tmp_path / "富文本.xlsx")
    parts = _parts(path)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    rich = (
        '<c r="Z1" t="inlineStr"><is><r><t>电话138</t></r><r><rPr><b/></rPr><t>0013</t></r>'
        "<r><t>8000</t></r></is></c>"
    )
    sheet = sheet.replace("</row>", rich + "</row>", 1)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    leaks = scan_bytes(data.getvalue())
    assert any(leak.excerpt == "138****8000" for leak in leaks)
    scrubbed = scrub(data.getvalue())
    assert scan_bytes(scrubbed.data) == []
    with zipfile.ZipFile(io.BytesIO(scrubbed.data)) as z:
        assert "电话138****8000" in z.read("xl/worksheets/sheet1.xml").decode()


def test_an_ordinary_clerk_workbook_keeps_its_structure(tmp_path):
    path = clerk_workbook(tmp_path / "普通.xlsx")
    scrubbed = scrub(path.read_bytes())
    out = tmp_path / "out.xlsx"
    out.write_bytes(scrubbed.data)
    before, after = openpyxl.load_workbook(path), openpyxl.load_workbook(out)
    assert before.sheetnames == after.sheetnames
    ws = after["统计表"]
    assert ws["B9"].value == before["统计表"]["B9"].value  # names are the cell masker's job
    assert ws["D9"].value == "138****0000"
    assert ws["C9"].value == "城口县鸡鸣乡（住址已隐去）"


def test_every_planted_value_is_distinct():
    assert len(set(PLANTED.values())) == len(PLANTED)

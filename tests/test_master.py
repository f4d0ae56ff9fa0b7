"""The master as a spreadsheet: sheets, Excel-native finish, charts, print setup, a real engine."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from jinguo_xl.cli import main
from jinguo_xl.demo import write_demo
from jinguo_xl.writers.master import MARKER_SHEET, SHEETS


@pytest.fixture(scope="module")
def master(tmp_path_factory, rules):
    root = tmp_path_factory.mktemp("master")
    write_demo(root / "in", rules)
    out = root / "全市汇总.xlsx"
    assert main(["consolidate", str(root / "in"), "-o", str(out), "--json"]) in (0, 1)
    return out


def test_sheets_in_chinese_and_the_marker_hidden(master):
    wb = openpyxl.load_workbook(master)
    assert wb.sheetnames == [*SHEETS, MARKER_SHEET]
    assert wb[MARKER_SHEET].sheet_state == "hidden"


def test_tables_have_frozen_headers_filters_formats_and_print_setup(master):
    wb = openpyxl.load_workbook(master)
    for name in ("基地", "妇女明细", "问题清单", "重复人员", "深度贫困乡镇"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.print_title_rows == "$1:$1", name
    women = wb["妇女明细"]
    money_col = [c.value for c in women[1]].index("金额（万元）") + 1
    assert women.cell(row=2, column=money_col).number_format == "0.00"
    assert wb["推荐排名"].print_title_rows == "$3:$3"


def test_no_formulas_anywhere(master):
    wb = openpyxl.load_workbook(master)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert not any(c.data_type == "f" for c in row), ws.title


def test_summary_has_two_native_charts(master):
    with zipfile.ZipFile(master) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        bar = zf.read(charts[0]).decode()
        assert "<c:barChart>" in bar and 'val="stacked"' in bar
        assert "汇总" in bar  # series refer to the 汇总 sheet's county table


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_renders_the_master_to_pdf(master, tmp_path):
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(master),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / f"{master.stem}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000

"""The master as a spreadsheet: sheets, Excel-native finish, charts, print setup, a real engine."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from unittest import mock

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    DUPLICATE_COLUMNS,
    FINDING_COLUMNS,
    MARKER_SHEET,
    SHEETS,
    WOMEN_COLUMNS,
    header_of,
    index_of,
)


@pytest.fixture(scope="module")
def master(demo_master):
    return demo_master[1]


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
    money_col = [c.value for c in women[1]].index(header_of(WOMEN_COLUMNS, "money")) + 1
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


def _sheet(master, name):
    return [list(r) for r in openpyxl.load_workbook(master)[name].iter_rows(values_only=True)]


def test_summary_shows_the_rows_left_out_beside_the_totals(master):
    rows = _sheet(master, "汇总")
    cells = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None}
    label = next(k for k, v in cells.items() if v == "未计入合计或目标的行（原因 / 行数）")
    assert label[0] == 2  # on the first line of the headline, beside the totals
    side = {
        cells[(r, label[1])]: cells.get((r, label[1] + 5))
        for r in range(label[0] + 1, label[0] + 6)
        if (r, label[1]) in cells
    }
    # the demo's slips: one amount typed in 元, two rows whose 妇女类型 cannot be read
    assert side["金额疑似以元填写，金额未计入"] == "1 行"
    assert side["妇女类型无法识别，不计入目标"] == "2 行"
    headline = {row[0]: row[1] for row in rows[2:16] if row and row[0]}
    assert headline["销售/收入合计（万元）"] < 200  # the 15 000 typed in 元 is not in it


def test_charts_use_fixed_status_colours_whole_number_axes_and_every_status(master):
    with zipfile.ZipFile(master) as zf:
        bar, money = (zf.read(f"xl/charts/chart{i}.xml").decode() for i in (1, 2))
    colours = re.findall(r'<c:ser>.*?<a:srgbClr val="([0-9A-F]{6})"', bar, re.S)
    assert colours == ["2E9E44", "F0A30A", "D9342B", "A6A6A6", "7E57C2"]
    names = re.findall(r"<c:tx>.*?<c:f>汇总!\$([A-Z]+)\$", bar, re.S)
    header = _sheet(master, "汇总")
    top = next(i for i, row in enumerate(header) if row[0] == "区县")
    plotted = [header[top][ord(col) - 65] for col in names]
    assert plotted == ["达标", "基本达标", "未达标", "未填报", "无法判定"]
    for xml in (bar, money):
        assert '<c:majorUnit val="' in xml and '<c:min val="0"/>' in xml
        unit = float(re.search(r'<c:majorUnit val="([\d.]+)"', xml).group(1))
        assert unit >= 1 and unit.is_integer()
        assert 'formatCode="0"' in xml
    assert re.search(r'<c:majorUnit val="1"/>', bar)  # the demo has at most 2 bases a county


def test_a_verdict_with_open_errors_says_so(master):
    rows = _sheet(master, "基地")
    head = rows[0]
    status = head.index(header_of(BASE_COLUMNS, "status"))
    errors = head.index(header_of(BASE_COLUMNS, "errors"))
    with_errors = [r for r in rows[1:] if r[errors] and r[status].startswith(("达标", "基本达标"))]
    assert with_errors, "the demo has bases that meet their targets with errors open"
    for r in with_errors:
        plain = r[status].split("（")[0]
        assert r[status] == f"{plain}（另有 {r[errors]} 个错误待改正）"
    clean = [r for r in rows[1:] if r[status] in ("达标", "基本达标")]
    assert clean and all(not r[errors] for r in clean)


def test_wrapped_rows_have_explicit_heights_and_headers_fit(master):
    from jinguo_xl.writers.layout import LINE_PT, lines_for

    wb = openpyxl.load_workbook(master)
    ws = wb["问题清单"]
    file, message = (
        get_column_letter(index_of(FINDING_COLUMNS, key) + 1) for key in ("file", "message")
    )
    widths = {c: ws.column_dimensions[c].width for c in (file, message)}
    tall = 0
    for r in range(2, ws.max_row + 1):
        lines = max(lines_for(ws[f"{c}{r}"].value, widths[c]) for c in (file, message))
        assert ws[f"{message}{r}"].alignment.wrap_text
        if lines > 1:
            tall += 1
            assert ws.row_dimensions[r].height >= lines * LINE_PT, r
    assert tall  # the demo's phone message needs two lines at least
    summary = wb["汇总"]
    top = next(r for r in range(1, 40) if summary[f"A{r}"].value == "区县")
    assert summary.row_dimensions[top].height >= 2 * LINE_PT  # 巾帼扶贫家庭工坊 on two lines
    for name in SHEETS:
        setup = wb[name].page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9, name


# ---------------------------------------------------------------------- printed through LibreOffice


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        [
            (float(a), float(b), float(c), float(d), html.unescape(w))
            for a, b, c, d, w in re.findall(pattern, page)
        ]
        for page in out.split("<page ")[1:]
    ]


def _overlapping(pages) -> list[tuple[int, str, str]]:
    """Words printed over each other: what a row too low for its wrapped text looks like
    (LibreOffice draws the lines that do not fit over the next row, or clips them)."""
    found = []
    for p, words in enumerate(pages, start=1):
        active: list[tuple[float, float, float, float, str]] = []
        for w in sorted(words, key=lambda w: w[1]):
            active = [a for a in active if a[3] > w[1]]
            for a in active:
                dx = min(a[2], w[2]) - max(a[0], w[0])
                dy = min(a[3], w[3]) - max(a[1], w[1])
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (w[2] - w[0]) * (w[3] - w[1]))
                if dx > 0 and dy > 0 and dx * dy > 0.3 * smaller:
                    found.append((p, a[4], w[4]))
            active.append(w)
    return found


def _plain(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)  # pdftotext joins wrapped lines, dropping a final "-"


@pytest.fixture(scope="module")
def printed(master, tmp_path_factory, rules):
    """The master and a copy whose rows are one line high, printed in one LibreOffice run."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler not installed")
    from jinguo_xl.run.batch import build
    from jinguo_xl.run.files import iter_workbooks
    from jinguo_xl.writers import master as writer

    out = tmp_path_factory.mktemp("printed")
    low = out / "行高不足.xlsx"
    result = build(list(iter_workbooks([master.parent / "jinguo_demo"])), rules.year)
    with mock.patch.object(writer, "row_height", lambda cells: 20.0):
        writer.write_master(low, result, rules)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(master),
            str(low),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out / f"{master.stem}.pdf", out / f"{low.stem}.pdf"


def test_the_printed_master_has_its_pages_in_order(printed):
    pdf, _ = printed
    pages = [" ".join(w[4] for w in words) for words in _words(pdf)]
    assert 10 <= len(pages) <= 60, len(pages)
    assert "按区县" in pages[0] and "未计入合计或目标的行（原因" in pages[0]
    assert "各区县基地数（按结论）" in _plain(pages[1]) and "按区县" not in pages[1]
    assert "带动基地名称" in pages[2]  # 基地 starts on a page of its own


def test_no_printed_text_is_cut_or_overprinted(printed, master):
    pdf, _ = printed
    assert _overlapping(_words(pdf)) == []
    text = _plain(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    )
    checked = 0
    for sheet, spec, keys in (
        ("问题清单", FINDING_COLUMNS, ("file", "message")),
        ("基地", BASE_COLUMNS, ("county", "name", "status", "reason", "targets")),
        ("重复人员", DUPLICATE_COLUMNS, ("base", "file")),
    ):
        rows = _sheet(master, sheet)
        for key in keys:
            c, name = index_of(spec, key), header_of(spec, key)
            assert rows[0][c] == name
            for row in rows[1:]:
                if row[c]:
                    checked += 1
                    assert _plain(str(row[c])) in text, (sheet, name, row[c])
    assert checked > 100


def test_the_print_check_sees_rows_too_low_for_their_text(printed):
    _, low = printed
    assert _overlapping(_words(low))

"""The master as a spreadsheet: sheets, Excel-native finish, charts, print setup, a real engine."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from unittest import mock

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from jinguo_xl.combine import rows as build
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
from tests.printing import (
    ASCII_WORD,
    line_start_slips,
    overlapping,
    page_words,
    picture_tools,
    plain,
    small_words,
    text_of,
    type_ruler,
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
    # each figure right of its label (label across two columns, figure across the next two)
    headline = {row[0]: row[2] for row in rows[2:16] if row and row[0]}
    assert headline["销售/收入合计（万元）"] < 200  # the 15 000 typed in 元 is not in it


def test_charts_use_fixed_status_colours_whole_number_axes_and_every_status(master):
    with zipfile.ZipFile(master) as zf:
        bar, money = (zf.read(f"xl/charts/chart{i}.xml").decode() for i in (1, 2))
    colours = re.findall(r'<c:ser>.*?<a:srgbClr val="([0-9A-F]{6})"', bar, re.S)
    assert colours == ["2E9E44", "F0A30A", "D9342B", "A6A6A6", "7E57C2"]
    names = re.findall(r"<c:tx>.*?<c:f>汇总!\$([A-Z]+)\$", bar, re.S)
    header = _sheet(master, "汇总")
    top = next(i for i, row in enumerate(header) if row[0] == "区县")
    plotted = [header[top][ord(col) - 65].replace("\n", "") for col in names]
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
        shown = r[status].replace("\n", "")  # printed over lines the writer placed
        plain = shown.split("（")[0]
        assert shown == f"{plain}（另有 {r[errors]} 个错误待改正）"
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


@pytest.fixture(scope="module")
def printed(master, tmp_path_factory, rules):
    """The master, a copy whose rows are one line high and the type ruler, printed in one
    LibreOffice run."""
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
    ruler = type_ruler(out / "字号.xlsx")
    pdfs = picture_tools().print_to_pdf([master, low, ruler], out)
    return pdfs[0], pdfs[1], pdfs[2]


def test_the_printed_master_has_its_pages_in_order(printed):
    pdf, *_ = printed
    pages = [" ".join(w[4] for w in words) for words in page_words(pdf)]
    assert 10 <= len(pages) <= 400, len(pages)
    assert "按区县" in pages[0] and "未计入合计或目标的行（原因" in pages[0]
    assert "全市合计" in pages[0]  # the counties' table whole on page 1
    assert "按类型 × 产业" in pages[1] and "按区县" not in pages[1]
    assert "各区县基地数（按结论）" in plain(pages[2])
    assert "带动基地名称" in pages[3]  # 基地 starts on a page of its own


def test_no_printed_text_is_cut_or_overprinted(printed, master):
    pdf, *_ = printed
    assert overlapping(page_words(pdf)) == []
    text = plain(
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
                    # each line the writer placed, whole (other cells' text may come between)
                    for line in str(row[c]).split("\n"):
                        assert plain(line) in text, (sheet, name, row[c])
    assert checked > 100


def test_the_print_check_sees_rows_too_low_for_their_text(printed):
    _, low, _ = printed
    assert overlapping(page_words(low))


# ---------------------------------------------------------------------- what clerks print

_FILE_CELLS = (("基地", BASE_COLUMNS, ("file", "origin")), ("妇女明细", WOMEN_COLUMNS, ("file",)),
               ("问题清单", FINDING_COLUMNS, ("file",)), ("重复人员", DUPLICATE_COLUMNS, ("file",)))
def test_the_printed_master_embeds_a_chinese_font(printed):
    """Without a CJK font every Chinese character prints as an empty box (as the README's
    picture once did): the PDF must embed one, and the text must come back from it."""
    pdf, *_ = printed
    tools = picture_tools()
    assert tools.has_cjk_font(pdf), tools.pdf_fonts(pdf)
    assert "重庆市妇联" in text_of(pdf, "-f", "1", "-l", "1")


def test_page_one_prints_every_text_of_the_summary(printed, master):
    pdf, *_ = printed
    page = plain(text_of(pdf, "-f", "1", "-l", "1"))
    rows = _sheet(master, "汇总")
    top = next(i for i, row in enumerate(rows) if row[0] == "全市合计")
    texts = [
        line
        for row in rows[: top + 1]
        for v in row
        if isinstance(v, str)
        for line in v.split("\n")  # each line of a header broken in two
        if line.strip()
    ]
    assert len(texts) > 40
    missing = [t for t in texts if plain(t) not in page]
    assert missing == []


def test_no_english_word_is_printed_except_in_file_names(printed, master):
    """Clerks read Chinese: finding codes, checksums and the tool's name stay off paper; only
    file names (which a clerk typed or received) and numbers may hold Latin letters."""
    pdf, *_ = printed
    allowed: set[str] = set()
    for sheet, columns, keys in _FILE_CELLS:
        rows = _sheet(master, sheet)
        for key in keys:
            c = index_of(columns, key)
            allowed |= {w for row in rows[1:] for w in ASCII_WORD.findall(str(row[c] or ""))}
    for row in _sheet(master, "说明"):
        allowed |= set(ASCII_WORD.findall(str(row[0] or ""))) if "/" in str(row[0]) else set()
    assert {"jinguo", "demo", "xlsx"} <= allowed
    words = ASCII_WORD.findall(text_of(pdf, "-layout"))
    assert words, "the demo's file names are printed"
    assert sorted(set(words) - allowed) == []


def test_no_printed_line_starts_with_a_closing_mark_or_is_one(printed):
    """A reason wrapped onto a line holding only "）", a message line starting with "；"."""
    pdf, *_ = printed
    assert line_start_slips(pdf) == []


def test_nothing_is_printed_smaller_than_nine_points(printed):
    """Each word at least as tall as the same kind of text printed at 9 pt and 100 %."""
    pdf, _, ruler = printed
    small = small_words(pdf, ruler)
    assert small == [], small[:20]


def test_figures_and_figure_like_texts_line_up_on_page_one(printed):
    """9/17 and 7 / 8 sit right-aligned under the headline's numbers, not left of them."""
    pdf, *_ = printed
    words = sorted(page_words(pdf)[0], key=lambda w: w[1])
    label = next(w for w in words if w[4].startswith("基地数（计入汇总）"))
    right = [w for w in words if w[0] > label[2] and w[1] < label[1] + 200]
    first = {}
    for w in right:
        first.setdefault(w[4], w)
    edges = {text: first[text][2] for text in ("14", "666", "87.02", "9/17", "8")}
    assert max(edges.values()) - min(edges.values()) < 2, edges


def test_dates_do_not_run_into_the_next_column(printed):
    """基地's 填报日期 once printed as "2020-08-31达标", the date over its column's edge."""
    pdf, *_ = printed
    words = [w[4] for page in page_words(pdf) for w in page]
    assert "2020-08-31" in words
    verdicts = "|".join(build.SUMMARY_STATUSES)
    assert [w for w in words if re.match(rf"\d{{4}}-\d{{2}}-\d{{2}}({verdicts})", w)] == []


def test_tables_without_a_money_column_print_a_dash_not_zero(printed, master):
    pdf, *_ = printed
    rows = _sheet(master, "基地")
    industry = index_of(BASE_COLUMNS, "industry")
    sales = index_of(BASE_COLUMNS, "sales_wan")
    without = [r for r in rows[1:] if r[industry] in ("乡村旅游", "家政服务")]
    assert without and {r[sales] for r in without} == {"—"}
    # two figures a table in 基地, one a combination in 汇总's 按类型 × 产业
    assert text_of(pdf, "-layout").count("—") >= 2 * len(without) + 3

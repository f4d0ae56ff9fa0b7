"""Feedback for each county (``--feedback 退回/``): one workbook per county holding exactly its
own share of the master, printable, Chinese only, no phone quoted."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from jinguo_xl.cli import main
from jinguo_xl.combine.feedback import FEEDBACK_FINDING_COLUMNS
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    FINDING_COLUMNS,
    ROSTER_COLUMNS,
    ROSTER_SHEET,
    index_of,
)
from jinguo_xl.writers.feedback import SUFFIX, feedback_path
from tests.conftest import NEVER_SENT
from tests.printing import overlapping, page_words, plain


def _sheet(path: Path, name: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _by_county_from_master(master: Path) -> dict[str, list[list[object]]]:
    """问题清单's errors and warnings of the master, by the county of their file (基地)."""
    bases = _sheet(master, "基地")
    county_at, file_at = index_of(BASE_COLUMNS, "county"), index_of(BASE_COLUMNS, "file")
    county_of = {r[file_at]: r[county_at] for r in bases[1:] if r[file_at]}
    out: dict[str, list[list[object]]] = defaultdict(list)
    keep = [i for i, c in enumerate(FINDING_COLUMNS) if c.key != "code"]
    file_at = index_of(FINDING_COLUMNS, "file")
    for row in _sheet(master, "问题清单")[1:]:
        if row[0] in ("错误", "警告"):
            out[county_of[row[file_at]]].append([row[i] for i in keep])
    return out


def test_one_workbook_per_county(demo_roster, rules):
    files = sorted(p.name for p in demo_roster["feedback"].iterdir())
    counties = [c.name for c in rules.counties]
    assert files == sorted(f"{c}{SUFFIX}" for c in counties)
    assert demo_roster["json"]["feedback"]["files"] == [f"{c}{SUFFIX}" for c in counties]


def test_each_county_gets_exactly_its_findings_cell_by_cell(demo_roster, rules):
    expected = _by_county_from_master(demo_roster["master"])
    assert sum(len(v) for v in expected.values()) > 5
    seen = 0
    for county in rules.counties:
        path = feedback_path(demo_roster["feedback"], county.name)
        names = openpyxl.load_workbook(path, read_only=True).sheetnames
        rows = _sheet(path, "问题")[1:] if "问题" in names else []
        assert rows == expected.get(county.name, []), county.name
        if rows:
            assert _sheet(path, "问题")[0] == [c.header for c in FEEDBACK_FINDING_COLUMNS]
        seen += len(rows)
    assert seen == sum(len(v) for v in expected.values())


def test_bases_of_the_county_with_verdict_and_reason(demo_roster):
    path = feedback_path(demo_roster["feedback"], "城口县")
    rows = _sheet(path, "基地")
    assert rows[0][:5] == ["带动基地名称", "创建基地类型", "所在乡镇", "结论", "理由"]
    verdicts = {r[0]: (r[3], r[4]) for r in rows[1:]}
    assert set(verdicts) == {"示例·城口县刺绣家庭工坊", "示例·城口县鸡鸣乡巾帼竹编扶贫车间"}
    status, reason = verdicts["示例·城口县刺绣家庭工坊"]
    assert status == "达标" and reason.startswith("达标：")
    assert rows[1][-1].endswith(".xlsx") and rows[1][-2] == "是"  # 来源文件, 计入汇总


def test_missing_roster_bases_go_to_their_county(demo_roster):
    for county, name in NEVER_SENT:
        path = feedback_path(demo_roster["feedback"], county)
        assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["说明", "未报送"]
        (row,) = _sheet(path, "未报送")[1:]
        assert row[0] == name and "未收到" in row[-1]
        guide = {r[0]: r[1] for r in _sheet(path, "说明") if r[0]}
        assert guide["结论"].startswith("需要修改") and guide["名单中应报 / 未报"] == "1 个 / 1 个"


def test_a_county_with_nothing_to_fix_gets_one_page(demo_roster, rules):
    quiet = []
    for county in rules.counties:
        path = feedback_path(demo_roster["feedback"], county.name)
        guide = {r[0]: r[1] for r in _sheet(path, "说明") if r[0]}
        if guide["结论"].startswith("无需修改"):
            quiet.append(county.name)
            assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["说明"]
    # 武隆区, 丰都县, 秀山: on no roster line and sent nothing; 巫溪县: its two bases are clean
    assert {"武隆区", "丰都县", "秀山土家族苗族自治县", "巫溪县"} <= set(quiet)
    assert "城口县" not in quiet and "巫山县" not in quiet


def test_duplicates_across_bases_are_listed_without_phones(demo_roster):
    women = _sheet(demo_roster["master"], "妇女明细")
    at = women[0].index("联系电话")
    phones = {re.sub(r"\D", "", str(r[at])) for r in women[1:] if r[at]}
    phones = {p for p in phones if len(p) >= 7}
    assert len(phones) > 100
    shared = 0
    for path in demo_roster["feedback"].iterdir():
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    digits = re.sub(r"\D", "", "" if value is None else str(value))
                    assert not any(p in digits for p in phones), (path.name, value)
                    text = "" if value is None else str(value)
                    assert not re.search(r"[a-z]{3,}-[a-z]{3,}", text), (path.name, text)  # codes
        if "重复人员" in wb.sheetnames:
            rows = _sheet(path, "重复人员")
            assert rows[0] == ["带动妇女姓名", "基地数", "本区县的基地", "其他基地（区县）"]
            shared += len(rows) - 1
    assert shared >= demo_roster["json"]["cross_base_duplicates"]


def test_feedback_without_a_roster_asks_silent_counties_to_report(demo_master, tmp_path):
    folder, _ = demo_master
    out = tmp_path / "退回"
    assert main(
        ["consolidate", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--feedback", str(out)]
    ) in (0, 1)
    guide = {r[0]: r[1] for r in _sheet(feedback_path(out, "巫山县"), "说明") if r[0]}
    assert guide["结论"].startswith("未收到本区县报送的统计表")
    guide = {r[0]: r[1] for r in _sheet(feedback_path(out, "巫溪县"), "说明") if r[0]}
    assert guide["结论"].startswith("无需修改")


def test_a_feedback_folder_inside_an_input_folder_is_refused(demo_master, tmp_path, capsys):
    folder, _ = demo_master
    copy = tmp_path / "区县报送"
    shutil.copytree(folder, copy)
    code = main(
        [
            "consolidate",
            str(copy),
            "-o",
            str(tmp_path / "汇总.xlsx"),
            "--feedback",
            str(copy / "退回"),
        ]
    )
    assert code == 2 and "在输入文件夹" in capsys.readouterr().err
    assert not (copy / "退回").exists() and not (tmp_path / "汇总.xlsx").exists()


# ---------------------------------------------------------------- printed


@pytest.fixture(scope="module")
def printed(demo_roster, tmp_path_factory):
    """The master (with 报送情况) and 城口县's feedback, printed in one LibreOffice run."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or poppler not installed")
    out = tmp_path_factory.mktemp("printed")
    feedback = feedback_path(demo_roster["feedback"], "城口县")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(demo_roster["master"]),
            str(feedback),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out / f"{demo_roster['master'].stem}.pdf", out / f"{feedback.stem}.pdf"


def _text(pdf: Path) -> str:
    return plain(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_the_printed_roster_sheet_has_every_text_whole(printed, demo_roster):
    master_pdf, _ = printed
    pages = page_words(master_pdf)
    assert overlapping(pages) == []
    text = _text(master_pdf)
    grid = _sheet(demo_roster["master"], ROSTER_SHEET)
    checked = 0
    for key in ("county", "name", "file", "status", "note"):
        c = index_of(ROSTER_COLUMNS, key)
        for row in grid:
            if len(row) > c and isinstance(row[c], str) and row[c]:
                for line in row[c].split("\n"):  # each printed line the writer placed
                    assert plain(line) in text, (key, row[c])
                checked += 1
    assert checked > 40


def test_the_printed_feedback_has_every_text_whole(printed, demo_roster):
    _, feedback_pdf = printed
    pages = page_words(feedback_pdf)
    assert overlapping(pages) == []
    text = _text(feedback_pdf)
    path = feedback_path(demo_roster["feedback"], "城口县")
    checked = 0
    files: set[str] = set()
    for ws in openpyxl.load_workbook(path, read_only=True).worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str) and value:
                    for line in value.split("\n"):  # each printed line the writer placed
                        assert plain(line) in text, (ws.title, value)
                    checked += 1
                    files |= set(re.findall(r"[A-Za-z]{2,}", value)) if ".xls" in value else set()
    assert checked > 20
    first = " ".join(w[4] for w in pages[0])
    assert "城口县·巾帼示范基地统计表问题清单" in first.replace(" ", "")
    # what a county clerk reads: no English word but in file names, no lone "）" or "；…"
    raw = subprocess.run(
        ["pdftotext", str(feedback_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = set(re.findall(r"[A-Za-z]{2,}", raw))
    assert words and words <= files, sorted(words - files)
    assert [w for page in pages for w in page if w[4][0] in "）；，"] == []


def test_feedback_sheets_print_on_a4_landscape_with_repeated_headers(demo_roster):
    wb = openpyxl.load_workbook(feedback_path(demo_roster["feedback"], "城口县"))
    assert wb.sheetnames[0] == "说明" and "问题" in wb.sheetnames
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        if ws.title != "说明":
            assert ws.print_title_rows == "$1:$1", ws.title
            assert ws.freeze_panes == "A2", ws.title
    wrapped = wb["问题"]
    assert all(wrapped.row_dimensions[r].height for r in range(2, wrapped.max_row + 1))

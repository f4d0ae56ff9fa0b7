"""Spec §8 end to end: submissions as county and municipal offices really receive them.

Each situation is consolidated through the CLI into a real master and compared with a clean
workbook holding the same honest data: the same bases, rows and verdicts, no row counted twice,
every file found listed in 说明, and never exit 0 when rows were left unread.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.cli import main
from jinguo_xl.findings import Code
from jinguo_xl.run.files import check_path
from tests.conftest import base_line, people, stacked, write_xlsx

CLEAN_STATUS = "未达标"  # 30 women once each: 培训人次 30/50 for a 扶贫车间 · 手工制作


def _clean(path: Path, name: str = "甲合作社", n: int = 30, **kw: object) -> Path:
    rows = people(n, extra=[0.5], **kw)
    return write_xlsx(path, {"手工制作": stacked(base_line(name), {"手工制作": rows})})


def _consolidate(capsys, *args: str) -> tuple[int, dict]:
    code = main(["consolidate", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _inputs(master: Path) -> list[list[object]]:
    """说明's input table, header first."""
    grid = CalamineWorkbook.from_path(str(master)).get_sheet_by_name("说明").to_python()
    start = next(i for i, row in enumerate(grid) if row and row[0] == "文件")
    return [row for row in grid[start:] if row and row[0] not in ("", None)]


def _codes(summary_master: Path) -> list[str]:
    grid = CalamineWorkbook.from_path(str(summary_master)).get_sheet_by_name("问题清单")
    return [row[-1] for row in grid.to_python()[1:]]


def _set_time(path: Path, stamp: float) -> None:
    os.utime(path, (stamp, stamp))


# ---------------------------------------------------------------------- same bytes


def test_the_same_file_in_two_county_folders_is_one_submission(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    original = _clean(tmp_path / "收" / "城口县" / "甲合作社.xlsx")
    (tmp_path / "收" / "巫溪县").mkdir()
    shutil.copy2(original, tmp_path / "收" / "巫溪县" / "甲.xlsx")
    _, summary = _consolidate(capsys, "收", "-o", "汇总.xlsx")
    assert summary["bases"] == 1 and summary["bases_listed"] == 1
    assert summary["rows_read"] == 30
    assert summary["files_same"] == {"收/城口县/甲合作社.xlsx": ["收/巫溪县/甲.xlsx"]}
    rows = _inputs(tmp_path / "汇总.xlsx")
    assert len(rows) == 2  # header + one file, with the other place beside it
    places = rows[0].index("同一文件也出现在")
    assert rows[1][0] == "收/城口县/甲合作社.xlsx" and rows[1][places] == "收/巫溪县/甲.xlsx"
    assert Code.SAME_FILE.value in _codes(tmp_path / "汇总.xlsx")
    assert Code.BASE_SENT_TWICE.value not in _codes(tmp_path / "汇总.xlsx")


def test_the_demo_folder_with_its_own_master_reads_each_row_once(tmp_path, capsys):
    assert main(["demo", str(tmp_path / "演示")]) == 0
    capsys.readouterr()
    _, summary = _consolidate(capsys, str(tmp_path / "演示"), "-o", str(tmp_path / "x.xlsx"))
    assert summary["bases"] == 14 and summary["bases_listed"] == 14
    assert summary["rows_read"] == 666 and summary["rows_in_master"] == 666
    codes = _codes(tmp_path / "x.xlsx")
    assert Code.BASE_SENT_TWICE.value not in codes
    assert codes.count(Code.SAME_IN_MASTER.value) == 1


# ---------------------------------------------------------------------- resubmissions


def _county_with_correction(root: Path, *, same_time: bool = False) -> None:
    """城口县 holds 初报 (40 rows) and 更正 (60 rows) of one base, no 填报日期."""
    first = _clean(root / "城口县" / "甲合作社（初报）.xlsx", n=40)
    second = _clean(root / "城口县" / "甲合作社（更正）.xlsx", n=60)
    _set_time(first, 1_600_000_000)
    _set_time(second, 1_600_000_000 if same_time else 1_600_086_400)


@pytest.mark.parametrize("same_time", [False, True], ids=["newer_file", "same_file_time"])
def test_a_county_master_keeps_its_decision_at_the_city(tmp_path, monkeypatch, capsys, same_time):
    monkeypatch.chdir(tmp_path)
    _county_with_correction(tmp_path / "县", same_time=same_time)
    _, county = _consolidate(capsys, "县", "-o", "城口县汇总.xlsx")
    assert county["bases"] == 1 and county["by_status"]["达标"] == 1  # 更正: 60/50
    # The city gets the county master alone, and then with the correction again beside it.
    (tmp_path / "市").mkdir()
    shutil.copy2("城口县汇总.xlsx", tmp_path / "市" / "城口县汇总.xlsx")
    _, city = _consolidate(capsys, "市", "-o", "全市.xlsx")
    assert city["bases"] == 1 and city["by_status"]["达标"] == 1
    assert city["rows_read"] == 100 and city["counties"]["城口县"]["trained"] == 60
    _, again = _consolidate(capsys, "市", "县", "-o", "全市2.xlsx")
    assert again["bases"] == 1 and again["by_status"]["达标"] == 1
    assert again["rows_read"] == 100  # the sources inside the master are the same files
    grid = CalamineWorkbook.from_path("全市.xlsx").get_sheet_by_name("问题清单").to_python()
    told = [row for row in grid if row[-1] == Code.BASE_SENT_TWICE.value]
    assert len(told) == 1 and "初报" in told[0][1]
    # On a tie the county took the later path (更正); the city keeps the county's choice.
    reason = "原汇总表已以这一份为准" if same_time else "文件时间较新"
    assert reason in told[0][5]


def test_a_name_typed_with_other_punctuation_is_the_same_base(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    first = _clean(tmp_path / "城口县" / "初报.xlsx", name="示例·甲合作社", n=40)
    later = _clean(tmp_path / "城口县" / "更正.xlsx", name="示例甲合作社", n=60)
    _set_time(first, 1_600_000_000)
    _set_time(later, 1_600_086_400)
    _, summary = _consolidate(capsys, "城口县", "-o", "汇总.xlsx")
    assert summary["bases"] == 1 and summary["bases_listed"] == 2
    assert summary["counties"]["城口县"]["trained"] == 60


def test_a_file_also_held_by_a_master_keeps_the_masters_county(tmp_path, monkeypatch, capsys):
    """The city gets the 巫溪县 master and, outside any county folder, the same file again: one
    submission, counted from the file, in the county the master had for it."""
    monkeypatch.chdir(tmp_path)
    source = _clean(tmp_path / "巫溪县" / "丁合作社.xlsx", name="丁合作社")
    _consolidate(capsys, "巫溪县", "-o", "巫溪县汇总.xlsx")
    (tmp_path / "市").mkdir()
    shutil.copy2("巫溪县汇总.xlsx", tmp_path / "市")
    shutil.copy2(source, tmp_path / "市" / "丁合作社（又一份）.xlsx")
    _, city = _consolidate(capsys, "市", "-o", "全市.xlsx")
    assert city["bases"] == 1 and city["rows_read"] == 30
    assert "未知区县" not in city["counties"] and city["counties"]["巫溪县"]["bases"] == 1
    assert Code.COUNTY_FROM_MASTER.value in _codes(tmp_path / "全市.xlsx")


def test_a_correction_outside_any_county_folder_is_the_same_base(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    first = _clean(tmp_path / "城口县" / "甲合作社.xlsx", n=40)
    later = _clean(tmp_path / "收件箱" / "甲合作社更正.xlsx", n=60)
    _set_time(first, 1_600_000_000)
    _set_time(later, 1_600_086_400)
    _, summary = _consolidate(capsys, "城口县", "收件箱", "-o", "汇总.xlsx")
    assert summary["bases"] == 1 and summary["bases_listed"] == 2
    assert "未知区县" not in summary["counties"]
    assert summary["counties"]["城口县"]["trained"] == 60
    assert Code.COUNTY_FROM_BASE.value in _codes(tmp_path / "汇总.xlsx")


# ---------------------------------------------------------------------- several bases


def test_three_bases_in_one_workbook_are_three_bases(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    names = ("甲合作社", "乙合作社", "丙合作社")
    sheets = {
        name: stacked(base_line(name), {"手工制作": people(30, extra=[0.5], start_phone=100 * i)})
        for i, name in enumerate(names)
    }
    write_xlsx(tmp_path / "城口县" / "三个基地.xlsx", sheets)
    reports = check_path(tmp_path / "城口县" / "三个基地.xlsx")
    assert [r.base.name for r in reports] == list(names)
    assert [r.rows_read for r in reports] == [30, 30, 30]
    assert [r.part for r in reports] == list(names)
    clean = check_path(_clean(tmp_path / "单独" / "甲合作社.xlsx"))[0]
    assert {r.status for r in reports} == {clean.status} == {CLEAN_STATUS}
    assert not any(f.code is Code.BASE_FIELD_CONFLICT for r in reports for f in r.findings)
    _, summary = _consolidate(capsys, "城口县", "-o", "汇总.xlsx")
    assert summary["bases"] == 3 and summary["rows_read"] == 90
    assert summary["counties"]["城口县"]["bases"] == 3  # each base keeps the folder's county
    # read back at the next level, still three bases with their own rows
    _, city = _consolidate(capsys, "汇总.xlsx", "-o", "全市.xlsx")
    assert city["bases"] == 3 and city["rows_read"] == 90
    assert city["by_status"][CLEAN_STATUS] == 3


def test_a_table_on_no_base_sheet_of_a_bundle_is_an_error(tmp_path):
    sheets = {
        "甲": stacked(base_line("甲合作社"), {"手工制作": people(5, extra=[0.5])}),
        "乙": stacked(base_line("乙合作社"), {"手工制作": people(5, extra=[0.5])}),
        "无名": [["手工制作带动统计表："], *stacked("", {"手工制作": people(4, extra=[0.5])})[3:]],
    }
    reports = check_path(write_xlsx(tmp_path / "捆.xlsx", sheets))
    assert len(reports) == 2
    first = reports[0]
    assert [f.sheet for f in first.findings if f.code is Code.TABLE_NO_BASE] == ["无名"]
    assert first.status == "无法判定"
    assert sum(r.rows_read for r in reports) == 10


# ---------------------------------------------------------------------- hidden, repeated


def test_a_very_hidden_backup_sheet_does_not_change_the_verdict(tmp_path):
    path = _clean(tmp_path / "甲合作社.xlsx")
    wb = openpyxl.load_workbook(path)
    backup = wb.copy_worksheet(wb["手工制作"])
    backup.title = "备份"
    backup.sheet_state = "veryHidden"
    wb["手工制作"].row_dimensions[12].hidden = True  # a filtered-out row is still a row
    wb.save(path)
    report = check_path(path)[0]
    clean = check_path(_clean(tmp_path / "干净.xlsx"))[0]
    assert report.status == clean.status == CLEAN_STATUS
    assert report.results[0].metrics == clean.results[0].metrics
    hidden = [f for f in report.findings if f.code is Code.HIDDEN_SHEET_READ]
    assert [(f.sheet, "30 行" in f.message) for f in hidden] == [("备份", True)]
    repeated = [f for f in report.findings if f.code is Code.ROW_DUPLICATE]
    assert len(repeated) == 30 and all(f.sheet == "备份" for f in repeated)
    assert "工作表“手工制作”第" in repeated[0].message
    assert [f.code for f in report.findings].count(Code.HIDDEN_ROWS_READ) == 1


# ---------------------------------------------------------------------- unread rows


def test_data_whose_header_was_pasted_over_is_an_error_not_empty(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    grid = stacked(base_line("甲合作社"), {"手工制作": people(61, extra=[0.5])}, legend=False)
    grid[3] = ["2020年3月", "培训名单", None, None, None]  # the header row, pasted over
    write_xlsx(tmp_path / "城口县" / "甲合作社.xlsx", {"手工制作": grid})
    report = check_path(tmp_path / "城口县" / "甲合作社.xlsx")[0]
    assert report.status == "无法判定"
    (lost,) = [f for f in report.findings if f.code is Code.HEADERLESS_DATA]
    assert "61 行数据" in lost.message and lost.cell == "A5"
    assert main(["check", "城口县"]) == 1


def test_rows_typed_into_a_county_master_are_errors_not_counted(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _clean(tmp_path / "城口县" / "甲合作社.xlsx")
    _consolidate(capsys, "城口县", "-o", "县汇总.xlsx")
    wb = openpyxl.load_workbook("县汇总.xlsx")
    women = wb["妇女明细"]
    women.append(["城口县", "甲合作社", "巾帼扶贫车间", "手工制作", None, "手填人", "某村",
                  "13800139999"])
    wb.save("县汇总（改）.xlsx")
    code, summary = _consolidate(capsys, "县汇总（改）.xlsx", "-o", "全市.xlsx")
    assert code == 1
    assert summary["rows_read"] == 30  # the typed row is not counted
    grid = CalamineWorkbook.from_path("全市.xlsx").get_sheet_by_name("问题清单").to_python()
    (typed,) = [row for row in grid if row[-1] == Code.MASTER_ROW_NO_SOURCE.value]
    assert typed[:4] == ["错误", "县汇总（改）.xlsx", "妇女明细", f"F{women.max_row}"]


# ---------------------------------------------------------------------- every file


def test_every_file_in_a_county_folder_is_accounted_for(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    county = tmp_path / "收" / "城口县"
    source = _clean(tmp_path / "原件.xlsx")
    for kind in ("ods", "xls"):
        subprocess.run(
            ["soffice", "--headless", "--convert-to", kind, str(source), "--outdir", str(tmp_path)],
            check=True, capture_output=True, timeout=240,
        )
    county.mkdir(parents=True)
    shutil.copy(tmp_path / "原件.xls", county / "甲（WPS）.et")  # WPS's legacy compound format
    (tmp_path / "原件.xls").unlink()
    shutil.move(tmp_path / "原件.ods", county / "乙.ods")
    (county / "丙.csv").write_text("姓名,电话\n张三,13800138000\n", encoding="utf-8")
    (county / "说明.wps").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    (county / "~$甲.xlsx").write_bytes(b"lock")
    (county / "扫描件.pdf").write_bytes(b"%PDF-1.4")
    linked = tmp_path / "别处" / "酉阳县"
    _clean(linked / "丁合作社.xlsx", name="丁合作社")
    (tmp_path / "收" / "酉阳县").symlink_to(linked, target_is_directory=True)
    (linked / "回到上级").symlink_to(tmp_path / "收", target_is_directory=True)  # a loop
    code, summary = _consolidate(capsys, "收", "-o", "汇总.xlsx")
    assert code == 1  # a CSV and a .wps may hold data that was not read
    listed = {row[0]: row[1] for row in _inputs(tmp_path / "汇总.xlsx")[1:]}
    assert listed["收/城口县/甲（WPS）.et"] == "基地工作簿"
    assert listed["收/城口县/乙.ods"] == "基地工作簿"
    assert listed["收/城口县/丙.csv"] == "无法读取"
    assert listed["收/城口县/说明.wps"] == "无法读取"
    assert listed["收/城口县/~$甲.xlsx"] == "不是报表（已跳过）"
    assert listed["收/城口县/扫描件.pdf"] == "不是报表（已跳过）"
    assert listed["收/酉阳县/丁合作社.xlsx"] == "基地工作簿"
    assert listed["收/酉阳县/回到上级"] == "不是报表（已跳过）"
    assert summary["bases"] == 2  # 甲 (.et and .ods are the same base: one counts) and 丁
    (youyang,) = [c for c in summary["counties"] if c.startswith("酉阳")]
    assert summary["counties"][youyang]["rows"] == 30


# ---------------------------------------------------------------------- merged cells


def test_one_womans_merged_name_and_phone_cover_her_trainings(tmp_path):
    rows = people(15, extra=[0.5], sessions=2)
    rows.sort(key=lambda r: (r[1], r[4]))  # each woman's two trainings together
    grid = stacked(base_line("甲合作社"), {"手工制作": rows}, legend=False)
    path = write_xlsx(tmp_path / "合并.xlsx", {"手工制作": grid})
    wb = openpyxl.load_workbook(path)
    ws = wb["手工制作"]
    first = 5  # the first data row (title, base line, caption, header above)
    for i in range(15):
        top = first + 2 * i
        for col in ("B", "D"):  # 姓名, 联系电话
            ws[f"{col}{top + 1}"] = None
            ws.merge_cells(f"{col}{top}:{col}{top + 1}")
    wb.save(path)
    report = check_path(path)[0]
    clean = check_path(write_xlsx(tmp_path / "干净.xlsx", {"手工制作": grid}))[0]
    codes = {f.code for f in report.findings}
    assert Code.NAME_MISSING not in codes and Code.PHONE_MISSING not in codes
    assert Code.MERGED_FILLED in codes
    assert report.results[0].metrics == clean.results[0].metrics
    assert report.status == clean.status

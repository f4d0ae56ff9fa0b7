"""Masters read back as the bases they hold; a tampered or masked master is refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from jinguo_xl.cli import main
from jinguo_xl.combine.layout import MARKER_SHEET
from jinguo_xl.combine.master_input import is_master, read_master
from jinguo_xl.demo import write_demo
from jinguo_xl.findings import Code
from jinguo_xl.run.batch import load_one
from jinguo_xl.run.files import check_file
from tests.conftest import base_line, people, stacked, write_xlsx


@pytest.fixture
def county_master(tmp_path, rules):
    files = write_demo(tmp_path / "in", rules)
    out = tmp_path / "县汇总.xlsx"
    main(
        [
            "consolidate",
            str(tmp_path / "in" / "彭水县"),
            str(tmp_path / "in" / "城口县"),
            "-o",
            str(out),
            "--json",
        ]
    )
    return out, [f for f in files if f.parent.name in ("彭水县", "城口县")]


def test_bases_come_back_with_the_same_status_and_rows(county_master, rules, capsys):
    out, files = county_master
    assert is_master(out) and not is_master(files[0])
    back = {r.base.name: r for r in read_master(out, rules)}
    for f in files:
        direct = check_file(f, rules=rules)
        again = back[direct.base.name]
        assert (again.status, again.reason, again.rows_read) == (
            direct.status,
            direct.reason,
            direct.rows_read,
        )
        assert {(x.sheet, x.cell, x.code) for x in again.findings} == {
            (x.sheet, x.cell, x.code) for x in direct.findings
        }


def test_a_master_whose_sheets_were_edited_is_refused(county_master, rules, tmp_path):
    out, _ = county_master
    wb = openpyxl.load_workbook(out)
    wb["妇女明细"].delete_rows(1)
    edited = tmp_path / "改过.xlsx"
    wb.save(edited)
    item, reports, _ = load_one(str(edited), "改过.xlsx", rules.year)
    assert item.kind == "unreadable" and "被改动过" in item.error and reports == []


# ---------------------------------------------------------------------- recognised by content


@pytest.fixture
def two_bases(tmp_path, monkeypatch):
    """A county folder of two bases and the master consolidated from it (plain and masked)."""
    monkeypatch.chdir(tmp_path)
    county = tmp_path / "城口县"
    write_xlsx(
        county / "甲.xlsx",
        {"统计表": stacked(base_line("甲合作社"), {"手工制作": people(10, sessions=2, extra=[1])})},
    )
    second = people(6, extra=[1], start_phone=50)
    write_xlsx(
        county / "乙.xlsx", {"统计表": stacked(base_line("乙合作社"), {"手工制作": second})}
    )
    assert main(["consolidate", str(county), "-o", "县汇总.xlsx", "--json"]) == 0
    assert main(["consolidate", str(county), "-o", "县汇总脱敏.xlsx", "--mask", "--json"]) == 0
    return county


def _trained(capsys, *args: str) -> dict:
    capsys.readouterr()
    main(["consolidate", *args, "-o", "市汇总.xlsx", "--json"])
    return json.loads(capsys.readouterr().out)["counties"]["城口县"]


def _without_marker(source: Path, target: Path) -> Path:
    wb = openpyxl.load_workbook(source)
    del wb[MARKER_SHEET]
    wb.save(target)
    return target


def _sheets_copied(source: Path, target: Path) -> Path:
    """What a clerk does with 'move or copy sheet': the values in a new workbook, no marker."""
    old = openpyxl.load_workbook(source)
    new = openpyxl.Workbook()
    new.remove(new.active)
    for ws in old.worksheets:
        if ws.title == MARKER_SHEET:
            continue
        copy = new.create_sheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    copy.cell(row=cell.row, column=cell.column, value=cell.value)
    new.save(target)
    return target


@pytest.mark.parametrize("strip", [_without_marker, _sheets_copied])
def test_a_master_without_its_marker_is_still_read_as_a_master(two_bases, capsys, rules, strip):
    alone = _trained(capsys, str(two_bases))
    stripped = strip(Path("县汇总.xlsx"), two_bases / "县汇总（副本）.xlsx")
    assert is_master(stripped)
    together = _trained(capsys, str(two_bases))  # the folder now holds the master too
    assert (together["trained"], together["rows"], together["bases"]) == (
        alone["trained"],
        alone["rows"],
        alone["bases"],
    ) == (26, 26, 2)
    item, reports, _ = load_one(str(stripped), "县汇总（副本）.xlsx", rules.year)
    assert item.kind == "master" and len(reports) == 2


def test_check_says_a_master_is_a_master(two_bases, capsys):
    stripped = _without_marker(Path("县汇总.xlsx"), Path("无标记.xlsx"))
    capsys.readouterr()
    assert main(["check", str(stripped)]) == 0
    out = capsys.readouterr().out
    assert "这是汇总表" in out and "含 2 个基地、26 行数据" in out
    assert "错误" not in out.split("\n")[1]  # not a base with errors


@pytest.mark.parametrize("tamper", ["flag", "marker"])
def test_a_masked_master_is_refused_whatever_its_flag_says(two_bases, rules, tmp_path, tamper):
    target = tmp_path / "改过的脱敏汇总.xlsx"
    if tamper == "flag":
        wb = openpyxl.load_workbook("县汇总脱敏.xlsx")
        for row in wb[MARKER_SHEET].iter_rows():
            if row[0].value == "masked":
                row[1].value = "no"
        wb.save(target)
    else:
        _without_marker(Path("县汇总脱敏.xlsx"), target)
    item, reports, _ = load_one(str(target), target.name, rules.year)
    assert item.kind == "unreadable" and reports == []
    assert item.error == Code.MASTER_MASKED.template


def test_findings_come_back_from_the_master_as_they_were_made(county_master, rules):
    """Position, Excel row, column and message: a finding read back from 问题清单 is the one
    the base's own check makes (a base finding names no row either way)."""
    out, files = county_master
    back = {r.base.name: r for r in read_master(out, rules)}
    for f in files:
        direct = check_file(f, rules=rules)
        again = back[direct.base.name]

        def seen(report):
            return {
                (x.sheet, x.row, x.col, x.excel_row, x.code, x.column, x.message)
                for x in report.findings
            }

        assert seen(again) == seen(direct)


def _as_format_one(master: Path, to: Path) -> Path:
    """The master as format 1 wrote it: no 金额（填写）, the amount as typed in 金额（万元）."""
    wb = openpyxl.load_workbook(master)
    ws = wb["妇女明细"]
    header = [c.value for c in ws[1]]
    money, typed = header.index("金额（万元）") + 1, header.index("金额（填写）") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=money).value = ws.cell(row=r, column=typed).value
    ws.delete_cols(typed)
    wb.save(to)
    return to


def test_amounts_left_out_come_back_left_out_from_this_format_and_the_last(rules, tmp_path):
    """金额（万元） is blank for an amount left out; the typed value read back is checked again,
    so the row is left out again, for the same reason, in a master of either format."""
    files = [
        f for f in write_demo(tmp_path / "in", rules) if f.parent.name in ("黔江区", "彭水县")
    ]
    out = tmp_path / "县汇总.xlsx"
    main(["consolidate", *map(str, files), "-o", str(out), "--json"])
    old = _as_format_one(out, tmp_path / "旧格式.xlsx")
    assert is_master(old)
    def left_out(report):
        return sorted(
            (row.sheet, row.excel_row, row.money_left_out)
            for t in report.tables
            for row in t.rows
            if row.money_left_out
        )

    direct = {r.base.name: r for r in (check_file(f, rules=rules) for f in files)}
    reasons = {why for r in direct.values() for *_, why in left_out(r)}
    assert reasons == {"重复录入", "金额疑似以元填写"}  # 彭水 a row twice, 黔江 15000 in 元
    for master in (out, old):
        back = {r.base.name: r for r in read_master(master, rules)}
        for name, report in direct.items():
            assert left_out(back[name]) == left_out(report), (master.name, name)
            assert back[name].totals(rules) == report.totals(rules), (master.name, name)

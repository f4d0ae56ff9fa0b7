"""Masters read back as the bases they hold; a tampered or masked master is refused clearly."""

from __future__ import annotations

import openpyxl
import pytest

from jinguo_xl.batch import load_one
from jinguo_xl.cli import main
from jinguo_xl.demo import write_demo
from jinguo_xl.engine import check_file
from jinguo_xl.master_input import is_master, read_master


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
    item, reports = load_one(str(edited), "改过.xlsx", rules.year)
    assert item.kind == "unreadable" and "被改动过" in item.error and reports == []

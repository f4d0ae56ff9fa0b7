"""Masked copies: personal cells masked wherever the reader finds them, the rest unchanged."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest

from jinguo_xl.cli import main
from tests.conftest import base_line, stacked, woman, write_xlsx


@pytest.fixture
def workbook(tmp_path):
    grid = stacked(
        base_line(),
        {
            "手工制作": [
                woman("张玉兰", "13812345678", extra=[1.5]),
                woman("欧阳娜娜", "023-67125297", extra=[0.5]),
            ]
        },
    )
    path = write_xlsx(tmp_path / "原件.xlsx", {"统计表": grid, "其他": [["备注：张玉兰"]]})
    wb = openpyxl.load_workbook(path)
    wb["统计表"]["G9"].number_format = "0.00"
    wb.save(path)
    return path


def test_mask_command_masks_people_and_keeps_everything_else(workbook, tmp_path, capsys):
    before = hashlib.sha256(workbook.read_bytes()).hexdigest()
    out = tmp_path / "脱敏.xlsx"
    assert main(["mask", str(workbook), "-o", str(out)]) == 0
    assert "脱敏 6 个单元格" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["统计表"]
    assert [ws["B9"].value, ws["C9"].value, ws["D9"].value] == [
        "张*兰",
        "城口县鸡鸣乡",
        "138****5678",
    ]
    assert [ws["B10"].value, ws["D10"].value] == ["欧阳*娜", "023-****5297"]
    assert ws["G9"].value == 1.5 and ws["G9"].number_format == "0.00"
    assert ws["H9"].value == "贫困妇女" and ws["A4"].value == "序号"
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == before


def test_mask_refuses_to_overwrite_the_source_and_old_xls(workbook, tmp_path, capsys):
    assert main(["mask", str(workbook), "-o", str(workbook)]) == 1
    assert "不能覆盖原文件" in capsys.readouterr().err
    xls = tmp_path / "旧.xls"
    xls.write_bytes(b"x")
    assert main(["mask", str(xls), "-o", str(tmp_path / "o.xlsx")]) == 1
    assert "另存为 .xlsx" in capsys.readouterr().err

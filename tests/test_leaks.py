"""``jinguo-xl scan``: every part of any workbook searched, reported part by part in Chinese."""

from __future__ import annotations

import zipfile

from jinguo_xl.cli import main
from jinguo_xl.read.leaks import scan_file
from tests.privacy_corpus import clerk_workbook, hostile_workbook
from tests.test_parts import PART_CLASSES


def test_scan_lists_every_part_holding_planted_data_and_exits_1(tmp_path, capsys):
    path = hostile_workbook(tmp_path / "原件.xlsx")
    assert main(["scan", str(path)]) == 1
    out = capsys.readouterr().out
    for where in PART_CLASSES:
        assert f"  {where}：" in out
    assert "原件.xlsx —— 发现" in out
    assert "13800138" not in out.replace("138****", "")  # excerpts are masked
    assert "退出码 1" in out


def test_scan_of_a_masked_copy_finds_nothing_and_exits_0(tmp_path, capsys):
    source = hostile_workbook(tmp_path / "原件.xlsx")
    copy = tmp_path / "副本.xlsx"
    assert main(["mask", str(source), "-o", str(copy)]) == 0
    capsys.readouterr()
    assert main(["scan", str(copy)]) == 0
    assert "未发现电话号码、身份证号或住址" in capsys.readouterr().out


def test_scan_names_the_cell(tmp_path):
    report = scan_file(clerk_workbook(tmp_path / "普通.xlsx"))
    cells = {(leak.cell, leak.kind) for leak in report.leaks}
    assert ("D9", "电话号码") in cells
    assert ("C9", "住址") in cells


def test_a_folder_is_scanned_file_by_file(tmp_path, capsys):
    clerk_workbook(tmp_path / "区县" / "甲.xlsx")
    copy = tmp_path / "区县" / "乙.xlsx"
    assert main(["mask", str(clerk_workbook(tmp_path / "乙原件.xlsx")), "-o", str(copy)]) == 0
    capsys.readouterr()
    assert main(["scan", str(tmp_path / "区县")]) == 1
    out = capsys.readouterr().out
    assert "共检查 2 个文件：1 个含个人信息，0 个无法检查" in out


def test_a_damaged_or_hostile_file_gets_a_chinese_reason_not_a_traceback(tmp_path, capsys):
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    bomb = tmp_path / "声明.xlsx"
    with zipfile.ZipFile(clerk_workbook(tmp_path / "x.xlsx")) as zin, zipfile.ZipFile(
        bomb, "w"
    ) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "docProps/core.xml":
                decl = b'<!DOCTYPE x [<!ENTITY a "13800138000">]><cp:coreProperties'
                data = data.replace(b"<cp:coreProperties", decl, 1)
            zout.writestr(item, data)
    assert main(["scan", str(broken), str(bomb)]) == 1
    captured = capsys.readouterr()
    assert "损坏.xlsx —— 无法检查：文件已损坏" in captured.out
    assert "声明.xlsx —— 无法检查：" in captured.out and "DOCTYPE" in captured.out
    assert "Traceback" not in captured.out + captured.err


def test_a_missing_path_is_a_usage_error(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "没有.xlsx")]) == 2
    assert "找不到" in capsys.readouterr().err

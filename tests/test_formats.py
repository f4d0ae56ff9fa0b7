"""What a file found in a county folder is, by its name: read, skipped or refused, with why."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinguo_xl.read.formats import READ, REFUSE, SKIP, judge, not_a_workbook
from jinguo_xl.read.reader import WORKBOOK_SUFFIXES


@pytest.mark.parametrize(
    ("name", "action", "words"),
    [
        ("甲合作社.xlsx", READ, ""),
        ("甲合作社.XLSX", READ, ""),
        ("甲（WPS）.et", READ, ""),
        ("模板.ett", READ, ""),
        ("二进制.xlsb", READ, ""),
        ("开放格式.ods", READ, ""),
        ("模板.xltx", READ, ""),
        ("旧版.xls", READ, ""),
        ("~$甲合作社.xlsx", SKIP, "临时锁定文件"),
        (".~lock.甲.xlsx#", SKIP, "隐藏文件"),
        ("Thumbs.db", SKIP, "系统生成"),
        ("desktop.ini", SKIP, "系统生成"),
        ("扫描件.pdf", SKIP, ".pdf"),
        ("照片.jpg", SKIP, ".jpg"),
        ("无扩展名", SKIP, "无扩展名"),
        ("名单.csv", REFUSE, "CSV"),
        ("说明.wps", REFUSE, "WPS 文字"),
        ("统计表.docx", REFUSE, "Word"),
        ("统计表.doc", REFUSE, "Word"),
        ("打包.zip", REFUSE, "解压"),
        ("打包.rar", REFUSE, "解压"),
        ("导出.html", REFUSE, "网页"),
    ],
)
def test_every_file_gets_an_action_and_a_chinese_reason(name, action, words):
    verdict = judge(Path("城口县") / name, WORKBOOK_SUFFIXES)
    assert verdict.action == action
    assert words in verdict.reason
    assert (verdict.reason == "") == (action == READ)


def test_a_file_named_on_the_command_line_is_told_how_to_save_it():
    assert "另存为" in not_a_workbook(Path("名单.csv"), WORKBOOK_SUFFIXES)
    told = not_a_workbook(Path("图.png"), WORKBOOK_SUFFIXES)
    assert "不支持的文件类型“.png”" in told and ".et" in told

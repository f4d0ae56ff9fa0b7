"""The project's own outputs in a county folder: each recognised by its content and treated
as what it is — a blank template skipped, a filled one a base, a masked copy refused."""

from __future__ import annotations

import json

import openpyxl
import pytest
from openpyxl.packaging.custom import CustomPropertyList

from jinguo_xl.cli import main
from jinguo_xl.combine.layout import INPUT_COLUMNS, headers
from jinguo_xl.read.kinds import looks_masked
from jinguo_xl.run.files import check_file
from jinguo_xl.writers.template import FIRST_DATA_ROW, write_template
from tests.conftest import base_line, people, stacked, type_base_info, write_xlsx


@pytest.fixture
def folder(tmp_path, monkeypatch, rules):
    """A county folder as it reaches the office: one base, the blank template a clerk left in
    it under another name, a filled template, and a masked copy of the base."""
    monkeypatch.chdir(tmp_path)
    county = tmp_path / "城口县"
    grid = stacked(base_line("甲合作社"), {"手工制作": people(12, extra=[0.5])})
    write_xlsx(county / "甲合作社.xlsx", {"统计表": grid})
    blank = write_template(county / "新建 Microsoft Excel 工作表.xlsx", rules, data_rows=20)
    wb = openpyxl.load_workbook(blank)
    type_base_info(wb, {"带动基地名称": "乙模板合作社"})
    for i, person in enumerate(people(3, extra=[1], start_phone=50)):
        for j, value in enumerate(person[1:], start=2):
            wb["手工制作"].cell(row=FIRST_DATA_ROW + i, column=j, value=value)
    wb.save(county / "乙合作社.xlsx")
    copy = county / "甲合作社(1).xlsx"
    assert main(["mask", str(county / "甲合作社.xlsx"), "-o", str(copy)]) == 0
    return county


def test_check_skips_the_blank_template_reads_the_filled_one_and_refuses_the_masked_copy(
    folder, capsys
):
    capsys.readouterr()
    main(["check", str(folder), "--json"])
    files = {f["file"].split("/")[-1]: f for f in json.loads(capsys.readouterr().out)["files"]}
    blank = files["新建 Microsoft Excel 工作表.xlsx"]
    assert blank["ok"] and "空白模板" in blank["skipped"] and blank["base"] is None
    assert files["乙合作社.xlsx"]["base"]["name"] == "乙模板合作社"
    assert files["乙合作社.xlsx"]["rows_read"] == 3
    masked = files["甲合作社(1).xlsx"]
    assert not masked["ok"] and masked["error"].startswith("这是脱敏副本，请用原件")
    assert masked["findings"] == []  # no 联系电话无效 for each masked phone
    main(["check", str(folder)])
    text = capsys.readouterr().out
    assert "未填报 1" not in text and "这是未填写的空白模板" in text
    assert "共 4 个文件：读取 2 个，无法读取 1 个" in text


def test_consolidate_lists_the_blank_template_and_counts_neither_it_nor_the_masked_copy(
    folder, tmp_path
):
    master = tmp_path / "汇总.xlsx"
    main(["consolidate", str(folder), "-o", str(master)])
    wb = openpyxl.load_workbook(master, read_only=True)
    bases = list(wb["基地"].iter_rows(values_only=True))
    assert {r[3] for r in bases} >= {"乙模板合作社", "甲合作社"}
    assert not any(r[0] == "未知区县" for r in bases)  # the template is no phantom base
    notes = {r[0]: r for r in wb["说明"].iter_rows(values_only=True) if r and r[0]}
    assert notes["城口县/新建 Microsoft Excel 工作表.xlsx"][1] == "空白模板（已跳过）"
    refused = notes["城口县/甲合作社(1).xlsx"]
    why = headers(INPUT_COLUMNS).index("未读取的原因")
    assert refused[1] == "无法读取" and refused[why].startswith("这是脱敏副本，请用原件")
    women = list(wb["妇女明细"].iter_rows(values_only=True))
    assert len(women) - 1 == 12 + 3  # each real row once: no masked twin, no template rows


def test_a_masked_copy_is_known_by_its_data_when_the_property_is_gone(folder, rules):
    copy = folder / "甲合作社(1).xlsx"
    wb = openpyxl.load_workbook(copy)
    wb.custom_doc_props = CustomPropertyList()
    wb.save(copy)
    report = check_file(copy, rules=rules)
    assert not report.ok and report.error.startswith("这是脱敏副本，请用原件")


@pytest.mark.parametrize(
    ("names", "phones", "masked"),
    [
        (["张*兰", "欧阳*娜", "李*"], ["138****5678", "023-****5297", ""], True),
        (["张*", "李秀英", "王小梅"], ["13812345678", "13812345679", "13812345670"], False),
        (["张*兰"], [None], False),  # one masked-looking name alone is a clerk's slip
        (["张玉兰"], ["138****5678"], False),
        ([], [], False),
    ],
)
def test_masking_is_read_from_most_names_and_phones(names, phones, masked):
    assert looks_masked(names, phones) is masked

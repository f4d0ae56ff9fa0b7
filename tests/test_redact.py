"""Quoted values never carry a phone (in any spelling) or a home address out of the office."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata

import openpyxl
import pytest

from jinguo_xl.cli import main
from jinguo_xl.findings import Code, Findings
from jinguo_xl.privacy.redact import ADDRESS_HIDDEN, redact
from tests.conftest import HEADERS, base_line, people, stacked, woman, write_xlsx

# Every spelling of a phone a clerk has typed; each a different number so a leak names itself.
SPELLINGS = {
    "dashes": "138-0013-8801",
    "spaces": "138 0013 8802",
    "full-width": "１３８００１３８８０３",
    "plus86": "+86 138 0013 8804",
    "86-dash": "86-13800138805",
    "dots": "138.0013.8806",
    "plain": "13800138807",
    "landline": "(023)6712-5298",
    "full-width-dashes": "１３８－００１３－８８０９",
}
ADDRESS = "城口县鸡鸣乡青山村3组"


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _leaks(output: str) -> list[str]:
    """Spellings of which 7 consecutive digits appear in ``output`` once separators are gone."""
    runs = re.findall(r"\d(?:[ \-.()+]*\d)*", unicodedata.normalize("NFKC", output))
    joined = [_digits(r) for r in runs]
    found = []
    for label, phone in SPELLINGS.items():
        d = _digits(phone)
        pieces = {d[i : i + 7] for i in range(len(d) - 6)}
        if any(p in run for p in pieces for run in joined):
            found.append(label)
    return found


@pytest.mark.parametrize("label", sorted(SPELLINGS))
def test_every_phone_spelling_is_hidden_in_a_quoted_value(label):
    quoted = redact(f"“{SPELLINGS[label]}”不是数字")
    assert _leaks(quoted) == []
    assert quoted.endswith("”不是数字")


def test_dates_row_ranges_and_amounts_stay_readable():
    assert redact("2020-03-05 - 2020-03-08") == "2020-03-05 - 2020-03-08"
    assert redact("第 1000–1005 行") == "第 1000–1005 行"
    assert redact("“500000.5”") == "“500000.5”"
    assert redact("13800138800") == "138****8800"
    assert redact("+86 138 0013 8800") == "+86 138****8800"


def test_an_address_is_cut_after_its_township_wherever_it_is_quoted():
    expected = f"妇女类型“城口县鸡鸣乡{ADDRESS_HIDDEN}”不是之一"
    assert redact(f"妇女类型“{ADDRESS}”不是之一") == expected
    assert redact("住在鸡鸣乡青山村三组") == f"住在鸡鸣乡{ADDRESS_HIDDEN}"
    # A base named after its village is no address: nothing house-level follows.
    assert redact("城口县鸡鸣乡青山村巾帼扶贫车间") == "城口县鸡鸣乡青山村巾帼扶贫车间"


def test_a_value_from_the_address_column_is_never_quoted():
    f = Findings().add(Code.MERGED_FILLED, column="家庭住址", detail="5–9", value="鸡鸣乡青山村")
    assert "青山村" not in f.message and ADDRESS_HIDDEN in f.message and "5–9" in f.message


@pytest.fixture
def leaky_folder(tmp_path, monkeypatch):
    """A county folder whose clerk typed phones in every column and an address as a type."""
    monkeypatch.chdir(tmp_path)
    spellings = list(SPELLINGS.values())
    rows = people(20, extra=[0.5])
    for i, phone in enumerate(spellings):
        rows.append(woman(f"李{'一二三四五六七八九'[i]}", f"1391234{i:04d}", extra=[phone]))
        rows.append(woman(f"王{'一二三四五六七八九'[i]}", f"1391235{i:04d}", kind=phone, extra=[1]))
        rows.append(woman(f"赵{phone}", f"1391236{i:04d}", extra=[1], note=f"电话 {phone}"))
        rows.append(woman(f"钱{'一二三四五六七八九'[i]}", phone, date=phone, extra=[1]))
    rows.append(woman("孙大妹", "13912370000", kind=ADDRESS, extra=[1]))
    rows.append(woman("周大妹", "13912370001", extra=[ADDRESS]))
    house = [
        [None, f"刘{'一二三四五六七八九'[i]}", "城口县鸡鸣乡青山村2组", f"1391238{i:04d}",
         dt.date(2020, 4, 1), "家政", phone, phone, "贫困妇女", None]
        for i, phone in enumerate(spellings)
    ]
    line = base_line("漏电话合作社", kind=f"巾帼扶贫车间 {SPELLINGS['dots']}")
    line += f"    联系电话：{SPELLINGS['dashes']}"  # lands in 负责人 and 类型 as typed
    book = stacked(line, {"手工制作": rows, "家政服务": house})
    write_xlsx(tmp_path / "城口县" / "漏电话合作社.xlsx", {"统计表": book})
    assert len(HEADERS["家政服务"]) == len(house[0])
    return tmp_path / "城口县"


def test_check_text_and_json_quote_no_phone_and_no_address(leaky_folder, capsys):
    main(["check", str(leaky_folder)])
    text = capsys.readouterr().out
    main(["check", str(leaky_folder), "--json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    messages = [f["message"] for f in data["files"][0]["findings"]]
    # The bad cells are reported, each where it is …
    assert sum("妇女类型" in m for m in messages) >= len(SPELLINGS)
    assert any(ADDRESS_HIDDEN in m for m in messages)
    # … and no spelling of any phone, nor the village, reaches the clerk's screen or the JSON.
    assert _leaks(text) == [] and _leaks(out) == []
    assert "青山村3组" not in text and "青山村3组" not in out


def test_the_masters_problem_list_and_notes_quote_no_phone(leaky_folder, tmp_path, capsys):
    master = tmp_path / "全市汇总.xlsx"
    main(["consolidate", str(leaky_folder), "-o", str(master)])
    wb = openpyxl.load_workbook(master, read_only=True)
    problems = [str(v) for row in wb["问题清单"].iter_rows(values_only=True) for v in row if v]
    notes = [
        str(v)
        for row in wb["说明"].iter_rows(values_only=True)
        for v in row
        if v and not re.fullmatch(r"[0-9a-f]{64}", str(v))  # the inputs' SHA-256
    ]
    assert len(problems) > 50
    assert _leaks("\n".join(problems)) == [] and _leaks("\n".join(notes)) == []
    assert not any("青山村3组" in p for p in problems)

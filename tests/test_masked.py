"""Masked copies: personal cells masked wherever the reader finds them, the rest unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

import openpyxl
import pytest

from jinguo_xl.cli import main
from tests.conftest import HEADERS, base_line, stacked, woman, write_xlsx


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


# Personal numbers a clerk typed where the 样表 has no room for them; each must be hidden.
SECRETS = {
    "id": "11010519491231002X",
    "card": "6228480402564890018",
    "dashes": "138-0013-8801",
    "full-width": "１３８００１３８８０２",
    "spaces": "138 0013 8803",
    "plus86": "+86 138 0013 8804",
    "base-phone": "13800138805",
}


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _leaked(values: list[object]) -> list[str]:
    """Secrets of which 7 consecutive digits survive anywhere in ``values``."""
    runs = [
        _digits(r)
        for v in values
        for r in re.findall(r"\d(?:[ \-.+]*\d)*", unicodedata.normalize("NFKC", str(v)))
    ]
    found = []
    for label, secret in {**SECRETS, "as-number": "13800138806"}.items():
        d = _digits(secret)
        if any(d[i : i + 7] in run for i in range(len(d) - 6) for run in runs):
            found.append(label)
    return found


@pytest.fixture
def personal_everywhere(tmp_path):
    """A base whose clerk added 身份证号 and 银行卡号 columns, typed phones in 备注, 妇女类型 and
    the amount, put the leader's phone in the base line and kept a 人员名单 sheet of her own."""
    header = [*HEADERS["手工制作"], "身份证号", "银行卡号", None]
    rows = [
        [*woman("张玉兰", "13812345678", extra=[1.5], note=f"本人电话 {SECRETS['dashes']}"),
         SECRETS["id"], SECRETS["card"], SECRETS["spaces"]],
        [*woman("李秀英", "13812345679", extra=[13800138806], kind=SECRETS["full-width"]),
         "110105491231002", 4111111111111111, None],
        [*woman("王小梅", "13812345670", extra=[SECRETS["plus86"]]), None, None, None],
        [*woman("赵小红", "13812345671", extra=[15000000], date=dt.date(2020, 5, 6)),
         None, None, None],
    ]
    grid = [
        ["重庆市妇联2020年就业帮扶巾帼示范基地帮扶贫困妇女情况统计表（样表）"],
        [base_line() + f"    联系电话：{SECRETS['base-phone']}"],
        ["手工制作带动统计表："],
        header,
        *rows,
    ]
    roster = [["姓名", "身份证号码", "手机"], ["孙大妹", "500229199001011238", "13912345678"]]
    return write_xlsx(tmp_path / "原件.xlsx", {"统计表": grid, "人员名单": roster})


def test_mask_hides_personal_numbers_in_every_column_and_lists_them(
    personal_everywhere, tmp_path, capsys
):
    before = personal_everywhere.read_bytes()
    out = tmp_path / "脱敏.xlsx"
    assert main(["mask", str(personal_everywhere), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert _leaked(values) == []
    ws = wb["统计表"]
    # The added columns are masked whatever they hold; amounts and dates stay as typed.
    assert ws["J5"].value == "110**********1002X" and ws["K6"].value == "411*********1111"
    assert ws["G5"].value == 1.5 and ws["G8"].value == 15000000
    assert ws["E8"].value == dt.datetime(2020, 5, 6)
    assert ws["G6"].value == "138****8806"  # a phone typed as an amount is no amount
    roster = wb["人员名单"]
    assert [c.value for c in roster[2]] == ["孙*妹", "500***********1238", "139****5678"]
    # The clerk is told what was masked, by sheet, column and kind.
    for line in (
        "工作表“统计表” 身份证号（J列）：身份证号 2 格",
        "工作表“统计表” 银行卡号（K列）：银行卡号 2 格",
        "工作表“统计表” 备注（I列）：电话号码 1 格",
        "工作表“统计表” 妇女类型（H列）：电话号码 1 格",
        "工作表“统计表” 产品收入（万元）（G列）：电话号码 2 格",
        "工作表“统计表” L列：电话号码 1 格",
        "工作表“统计表” A列：电话号码 1 格",
        "工作表“人员名单” 身份证号码（B列）：身份证号 1 格",
    ):
        assert line in said, said
    assert wb.custom_doc_props["jinguo-xl"].value == "masked-copy"
    assert personal_everywhere.read_bytes() == before


def test_consolidate_mask_hides_phones_typed_in_any_column(personal_everywhere, tmp_path):
    plain, masked = tmp_path / "汇总.xlsx", tmp_path / "汇总脱敏.xlsx"
    assert main(["consolidate", str(personal_everywhere), "-o", str(plain)]) in (0, 1)
    assert main(["consolidate", str(personal_everywhere), "-o", str(masked), "--mask"]) in (0, 1)
    def women(path):
        sheet = openpyxl.load_workbook(path, read_only=True)["妇女明细"]
        return [v for row in sheet.iter_rows(values_only=True) for v in row if v]

    assert {"dashes", "full-width", "spaces", "plus86", "as-number"} <= set(_leaked(women(plain)))
    assert _leaked(women(masked)) == []
    # Statistics are computed before masking: the masked master counts exactly the same.
    def bases(path):
        sheet = openpyxl.load_workbook(path, read_only=True)["基地"]
        return list(sheet.iter_rows(values_only=True))

    # Only the text differs: a phone in the 负责人 line is masked there too, part by part.
    from jinguo_xl.privacy.patterns import mask

    as_masked = [tuple(mask(v) if isinstance(v, str) else v for v in r) for r in bases(plain)]
    assert bases(masked) == as_masked
    assert "王经理 联系电话：138****8805" in bases(masked)[1]


# ---------------------------------------------------------------- guarded, every layout


def _far_value(path, cell, value):
    wb = openpyxl.load_workbook(path)
    wb["统计表"][cell] = value
    wb.save(path)
    return path


@pytest.mark.parametrize(("cell", "value"), [("T300000", " "), ("XFD1048576", "x")])
def test_a_far_away_stray_value_is_masked_in_bounded_memory(tmp_path, capsys, cell, value):
    from tests.privacy_corpus import clerk_workbook, independent_leaks

    source = _far_value(clerk_workbook(tmp_path / "原件.xlsx"), cell, value)
    out = tmp_path / "副本.xlsx"
    assert main(["mask", str(source), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "联系电话（D列）：电话号码 4 格" in captured.out
    assert "Traceback" not in captured.err
    assert independent_leaks(out) == []
    assert openpyxl.load_workbook(out, read_only=True)["统计表"].max_row == int(cell[-7:].lstrip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    ))


def test_a_strict_ooxml_file_is_masked(tmp_path, capsys):
    import zipfile

    from jinguo_xl.read.package import STRICT_MAIN, STRICT_REL, TRANSITIONAL_MAIN, TRANSITIONAL_REL
    from tests.privacy_corpus import clerk_workbook, independent_leaks

    plain = clerk_workbook(tmp_path / "普通.xlsx")
    strict = tmp_path / "严格.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith((".xml", ".rels")):
                data = data.replace(TRANSITIONAL_MAIN, STRICT_MAIN)
                data = data.replace(TRANSITIONAL_REL, STRICT_REL)
            z.writestr(item.filename, data)
    out = tmp_path / "副本.xlsx"
    assert main(["mask", str(strict), "-o", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert independent_leaks(out) == []
    assert openpyxl.load_workbook(out)["统计表"]["D9"].value == "138****0000"


def test_a_full_disk_gives_one_chinese_line_and_leaves_the_old_copy(tmp_path):
    import resource
    import signal
    import subprocess
    import sys

    from tests.privacy_corpus import clerk_workbook

    source = clerk_workbook(tmp_path / "原件.xlsx")
    out = tmp_path / "副本.xlsx"
    out.write_bytes(b"old copy")

    def small_files() -> None:  # writes beyond 4 KB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    run = subprocess.run(
        [sys.executable, "-m", "jinguo_xl", "mask", str(source), "-o", str(out)],
        capture_output=True, text=True, preexec_fn=small_files, timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0, run.stderr
    assert "无法生成脱敏副本：无法写入" in run.stderr and "磁盘空间不足" in run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr
    assert out.read_bytes() == b"old copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["副本.xlsx", "原件.xlsx"]


def test_a_copy_the_leak_scan_rejects_is_not_published(tmp_path, capsys, monkeypatch):
    """Were any part left unmasked, the scan refuses it: here the part-by-part masking is
    switched off, so the cells are masked but the comment and properties are not."""
    import jinguo_xl.writers.masked as masked
    from jinguo_xl.privacy.parts import Scrubbed
    from tests.privacy_corpus import hostile_workbook

    monkeypatch.setattr(masked, "scrub", lambda data: Scrubbed(data, {}, []))
    source = hostile_workbook(tmp_path / "原件.xlsx")
    out = tmp_path / "副本.xlsx"
    out.write_bytes(b"old copy")
    assert main(["mask", str(source), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("无法生成脱敏副本：脱敏后在") and "未写出脱敏文件" in err
    assert "13800138" not in err.replace("138****", "")
    assert out.read_bytes() == b"old copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["副本.xlsx", "原件.xlsx"]


def test_a_formula_linked_to_another_workbook_becomes_its_masked_value(tmp_path, capsys):
    import zipfile

    from tests.privacy_corpus import hostile_workbook

    source = hostile_workbook(tmp_path / "原件.xlsx")
    out = tmp_path / "副本.xlsx"
    assert main(["mask", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已删除：指向其他工作簿的外部链接" in printed
    assert "已删除：批注（新式批注）" in printed
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if "externalLink" in n]
    assert openpyxl.load_workbook(out)["统计表"]["L6"].value is None


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice missing")
def test_a_masked_copy_opens_and_calculates_in_a_real_spreadsheet_engine(tmp_path):
    """Renamed sheets and the formulas that refer to them still agree (LibreOffice recalculates
    the copy): ``='电话138＊＊＊＊8126'!A1`` finds its sheet."""
    import shutil
    import subprocess

    from tests.privacy_corpus import hostile_workbook, independent_leaks

    copy = tmp_path / "副本.xlsx"
    assert main(["mask", str(hostile_workbook(tmp_path / "原件.xlsx")), "-o", str(copy)]) == 0
    outdir = tmp_path / "lo"
    subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation=file://{tmp_path}/profile",
         "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), str(copy)],
        check=True, capture_output=True, timeout=180,
    )
    wb = openpyxl.load_workbook(outdir / "副本.xlsx", data_only=True)
    assert wb.sheetnames == ["统计表", "电话138＊＊＊＊8126"]
    assert wb["统计表"]["L5"].value == "负责人"
    assert wb["统计表"]["L4"].value == "拨打"
    assert independent_leaks(outdir / "副本.xlsx") == []


def test_a_sheet_formatted_to_the_last_row_is_masked_in_bounded_memory(tmp_path, capsys):
    """A million empty formatted ``<row/>`` elements (row heights set down to row 1 048 576):
    ``check`` reads the file, and ``mask`` masks it, leaving the empty rows out."""
    import zipfile

    from tests.privacy_corpus import clerk_workbook, independent_leaks

    plain = clerk_workbook(tmp_path / "普通.xlsx")
    source = tmp_path / "格式到底.xlsx"
    rows = b"".join(
        b'<row r="%d" s="1" customFormat="1" ht="15" customHeight="1"/>' % r
        for r in range(30, 1_048_577)
    )
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            z.writestr(item.filename, data)
    out = tmp_path / "副本.xlsx"
    assert main(["mask", str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "已删除：没有内容、只设了格式的行 1048547 行" in printed
    assert "联系电话（D列）：电话号码 4 格" in printed
    assert independent_leaks(out) == []

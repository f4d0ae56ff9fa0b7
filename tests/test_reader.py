"""Files as they arrive: formats, broken and disguised files, and the county from the folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile

from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.read.reader import folder_county, read_workbook
from tests.conftest import HEADERS, base_line, people, stacked, write_xlsx


@pytest.fixture
def sample_xlsx(tmp_path):
    grid = stacked(base_line(), {"手工制作": people(3, extra=[0.5])})
    return write_xlsx(tmp_path / "样表.xlsx", {"统计表": grid})


def test_reads_xlsx_rows_and_fields(sample_xlsx):
    ledger = read_workbook(sample_xlsx, display="样表.xlsx")
    assert ledger.file == "样表.xlsx"
    assert ledger.fields["type"].raw == "巾帼扶贫车间"
    assert [len(t.rows) for t in ledger.tables if t.rows] == [3]


def test_reads_legacy_xls(tmp_path):
    path = tmp_path / "旧格式.xls"
    path.write_bytes(_plain_xls(tmp_path))
    ledger = read_workbook(path)
    (table,) = ledger.tables
    assert table.industry == "手工制作" and len(table.rows) == 2
    assert table.rows[1].values["income"] == 1.5


def test_reads_xlsm_as_data_only(tmp_path, sample_xlsx):
    # An .xlsm is the same package with a macro-enabled content type; we only read its cells.
    src = zipfile.ZipFile(sample_xlsx)
    path = tmp_path / "带宏.xlsm"
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            out.writestr(item, data)
    ledger = read_workbook(path)
    assert sum(len(t.rows) for t in ledger.tables) == 3


@pytest.mark.parametrize(
    ("situation", "content", "message"),
    [
        ("empty", b"", "文件是空的"),
        ("random_bytes", bytes(range(256)) * 8, "不是 Excel 工作簿或已损坏"),
        ("csv_renamed", "序号,姓名,电话\n1,张三,13800130001\n".encode("gb18030"), "CSV"),
        ("html_renamed", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
    ],
)
def test_disguised_or_broken_files_get_a_clear_message(tmp_path, situation, content, message):
    path = tmp_path / f"{situation}.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path)
    assert message in err.value.message


def test_truncated_zip_says_incomplete(tmp_path, sample_xlsx):
    data = sample_xlsx.read_bytes()
    path = tmp_path / "半截.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableWorkbook, match="压缩包不完整"):
        read_workbook(path)


def test_word_document_renamed(tmp_path):
    path = tmp_path / "通知.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(UnreadableWorkbook, match="Word 文档"):
        read_workbook(path)


def test_encrypted_workbook_asks_to_remove_the_password(tmp_path, sample_xlsx):
    encrypted = io.BytesIO()
    with sample_xlsx.open("rb") as fh:
        OOXMLFile(fh).encrypt("123456", encrypted)
    path = tmp_path / "加密.xlsx"
    path.write_bytes(encrypted.getvalue())
    assert msoffcrypto.olefile.isOleFile(str(path))
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path)
    assert err.value.message == "工作簿设有打开密码，请去掉密码后重新提交"


def test_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch):
    import jinguo_xl.read.package as package

    monkeypatch.setattr(package, "MAX_PART_BYTES", 1024 * 1024)
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (2 * 1024 * 1024))
    with pytest.raises(UnreadableWorkbook, match="疑似恶意文件"):
        read_workbook(path)


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "数据.csv"
    path.write_text("a,b")
    with pytest.raises(UnreadableWorkbook, match="CSV 文本文件，不是工作簿"):
        read_workbook(path)


def test_reading_never_modifies_the_input(sample_xlsx):
    before = hashlib.sha256(sample_xlsx.read_bytes()).hexdigest()
    read_workbook(sample_xlsx)
    assert hashlib.sha256(sample_xlsx.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("folders", "county"),
    [
        (("城口县",), "城口县"),
        (("2020年", "酉阳", "第一批"), "酉阳土家族苗族自治县"),
        (("涪陵区",), "涪陵区"),
        (("收件箱",), None),
    ],
)
def test_county_from_nearest_parent_folder(tmp_path, rules, folders, county):
    path = tmp_path.joinpath(*folders, "x.xlsx")
    assert folder_county(path, rules) == county


def test_formula_without_cached_value_is_a_finding_on_its_cell(tmp_path):
    """A script wrote formulas and nobody opened the file in Excel: no results to read."""
    import openpyxl

    from jinguo_xl.run.files import check_file
    from tests.conftest import woman

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "手工制作"
    ws.append([base_line()])
    ws.append(HEADERS["手工制作"])
    ws.append(woman("张三", "13800130001", extra=["=0.5*2"]))
    ws.append(["=ROW()-2", *woman("李四", "13800130002", extra=[0.5])[1:]])  # 序号 may be blank
    path = tmp_path / "公式.xlsx"
    wb.save(path)
    report = check_file(path)
    found = [
        (f.cell, f.code, f.column, f.severity)
        for f in report.findings
        if f.code == "formula-no-value"
    ]
    assert found == [("G3", "formula-no-value", "产品收入（万元）", "error")]
    assert report.rows_read == 2


# ---------------------------------------------------------------- merged cells


def _merged_workbook(tmp_path, merges: list[str], *, rows=None, tail_blank: int = 0):
    """手工制作 with four women under a one-cell base line and a header (rows 1–2), data from
    row 3; ``merges`` are Excel ranges merged after the values are written."""
    import datetime as dt

    import openpyxl

    from tests.conftest import HEADERS, base_line, woman, write_xlsx

    rows = rows or [
        woman(f"张{c}兰", f"1380013000{i}", date=dt.date(2020, 5, 1), extra=[0.5])
        for i, c in enumerate("一二三四")
    ]
    grid = [[base_line()], HEADERS["手工制作"], *rows, *([[None] * 9] * tail_blank)]
    path = write_xlsx(tmp_path / "城口县" / "合并.xlsx", {"手工制作": grid})
    wb = openpyxl.load_workbook(path)
    for ref in merges:
        wb["手工制作"].merge_cells(ref)
    wb.save(path)
    return path


def test_a_date_content_and_type_merged_down_a_group_count_for_every_row(tmp_path):
    path = _merged_workbook(tmp_path, ["E3:E6", "F3:F6", "H3:H6"])
    ledger = read_workbook(path)
    (table,) = ledger.tables
    assert [row.values["women_type"] for row in table.rows] == ["贫困妇女"] * 4
    assert len({str(row.values["train_date"]) for row in table.rows}) == 1
    filled = {f.cell: f for f in ledger.findings if f.code == "merged-filled"}
    assert set(filled) == {"E3", "F3", "H3"}
    assert filled["H3"].severity == "info" and "第 3–6 行" in filled["H3"].message


def test_a_merged_amount_counts_once_and_the_clerk_is_told(tmp_path):
    from jinguo_xl.rules import load_rules
    from jinguo_xl.run.files import check_file

    path = _merged_workbook(tmp_path, ["G3:G6"])
    report = check_file(path)
    assert str(report.totals(load_rules())["产品收入"]) in ("0.5", "0.50")
    (warning,) = [f for f in report.findings if f.code == "merged-money"]
    assert warning.cell == "G3" and warning.severity == "warning"
    assert "拆分单元格" in warning.message


def test_a_merge_running_into_blank_rows_adds_no_rows(tmp_path):
    path = _merged_workbook(tmp_path, ["E3:E9", "H3:H9"], tail_blank=3)
    (table,) = read_workbook(path).tables
    assert len(table.rows) == 4


def test_merged_header_cells_are_read_as_a_two_row_header(tmp_path):
    import datetime as dt

    import openpyxl

    from tests.conftest import TWO_ROW_HEADER, write_xlsx

    header_top, header_sub = TWO_ROW_HEADER
    row = [
        1,
        "张玉兰",
        "城口县鸡鸣乡青山村1组",
        "13800130001",
        dt.date(2020, 5, 1),
        "竹编",
        0.5,
        "贫困妇女",
        None,
    ]
    path = write_xlsx(
        tmp_path / "城口县" / "表头合并.xlsx", {"手工制作": [header_top, header_sub, row]}
    )
    wb = openpyxl.load_workbook(path)
    ws = wb["手工制作"]
    ws.merge_cells("E1:F1")
    for col in "ABCDGHI":
        ws.merge_cells(f"{col}1:{col}2")
    wb.save(path)
    ledger = read_workbook(path)
    (table,) = ledger.tables
    assert {"train_date", "train_content", "name"} <= set(table.cols)
    assert len(table.rows) == 1 and not [f for f in ledger.findings if f.code.startswith("merged")]


def test_a_page_wide_layout_merge_is_not_spread_over_its_cells():
    from jinguo_xl.read.reader import MAX_MERGE_CELLS, _merged_cells

    cells = _merged_cells([((0, 0), (999, 25)), ((4, 4), (6, 4))])  # 26 000 cells, then 3
    assert MAX_MERGE_CELLS < 26_000
    assert cells == {(5, 4): (4, 4, 6), (6, 4): (4, 4, 6)}
    assert _merged_cells(None) == {}


# ---------------------------------------------------------------- Strict OOXML, odd names


def _strict_twin(path, name: str):
    """The same package with the ISO/IEC 29500 Strict namespaces Excel writes on request."""
    from jinguo_xl.read.package import STRICT_MAIN, STRICT_REL, TRANSITIONAL_MAIN, TRANSITIONAL_REL

    twin = path.with_name(name)
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(twin, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith((".xml", ".rels")):
                data = data.replace(TRANSITIONAL_MAIN, STRICT_MAIN).replace(
                    TRANSITIONAL_REL, STRICT_REL
                )
            zout.writestr(item.filename, data)
    return twin


def _verdict(path):
    from jinguo_xl.run.files import check_file

    report = check_file(path, display="同一个文件")
    return (
        report.ok,
        report.status,
        report.reason,
        report.rows_read,
        sorted((f.code, f.sheet, f.cell) for f in report.findings),
    )


def test_a_strict_file_gets_the_verdict_of_its_transitional_twin(tmp_path):
    """Uncached formulas and a far-away value are seen in the Strict spelling too."""
    import openpyxl

    from tests.conftest import woman

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "手工制作"
    ws.append([base_line()])
    ws.append(HEADERS["手工制作"])
    ws.append(woman("张三", "13800130001", extra=["=0.5*2"]))
    for i in range(2, 30):
        ws.append(woman(f"妇女{i}", f"138001300{i:02d}", extra=[0.5]))
    ws.cell(row=1_000_000, column=20, value="备注")
    path = tmp_path / "过渡.xlsx"
    wb.save(path)
    strict = _strict_twin(path, "严格.xlsx")
    with zipfile.ZipFile(strict) as zf:
        assert b"purl.oclc.org/ooxml/spreadsheetml/main" in zf.read("xl/workbook.xml")
    transitional = _verdict(path)
    assert ("formula-no-value", "手工制作", "G3") in transitional[4]
    assert transitional[3] == 29
    assert _verdict(strict) == transitional


def test_a_native_panic_while_reading_is_an_unreadable_file(tmp_path, sample_xlsx, monkeypatch):
    """pyo3's PanicException derives from BaseException; it must not escape as a traceback."""
    import jinguo_xl.read.reader as reader
    from jinguo_xl.errors import READ_CRASHED

    class PanicException(BaseException):
        pass

    class Exploding:
        @staticmethod
        def from_filelike(_):
            raise PanicException("index out of bounds")

    monkeypatch.setattr(reader, "CalamineWorkbook", Exploding)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(sample_xlsx)
    assert err.value.message == READ_CRASHED


def test_a_workbook_in_a_folder_named_in_gbk_is_read_with_its_county(tmp_path, rules):
    import os

    folder = tmp_path / os.fsdecode("城口县".encode("gbk"))
    grid = stacked(base_line(), {"手工制作": people(3)})
    path = write_xlsx(folder / "正常.xlsx", {"统计表": grid})
    ledger = read_workbook(path, rules=rules)
    assert folder_county(path, rules) == "城口县"
    assert ledger.folder_county == "城口县"


# ---------------------------------------------------------------- sheets, closing, typed errors


def test_sheets_come_as_objects_with_merges_formulas_and_how_they_were_read(tmp_path):
    import openpyxl

    from jinguo_xl.read.reader import Sheet, read_sheets

    grid = [[base_line()], HEADERS["手工制作"], *people(2, extra=[0.5])]
    path = write_xlsx(tmp_path / "两表.xlsx", {"手工制作": grid, "备用": [["说明"]]})
    wb = openpyxl.load_workbook(path)
    wb["手工制作"]["G3"] = "=0.5*2"  # written by a script: no cached result
    wb["手工制作"].merge_cells("H3:H4")
    wb["备用"].cell(row=1_000_000, column=3, value="末行")  # far away: streamed
    wb.save(path)

    data, spare = read_sheets(path)
    assert isinstance(data, Sheet) and data.name == "手工制作" and not data.streamed
    assert list(data.grid[1][:9]) == HEADERS["手工制作"] and data.grid[3][1] == grid[3][1]
    assert dict(data.merged) == {(3, 7): (2, 7, 3)}
    assert data.uncached == {(2, 6)}
    assert spare.name == "备用" and spare.streamed and not spare.merged and not spare.uncached
    assert len(spare.grid) == 1_000_000
    assert spare.grid[0][0] == "说明" and spare.grid[-1][2] == "末行"
    with pytest.raises(AttributeError):
        data.name = "别的"  # frozen: a sheet read is never changed afterwards


class _BookSpy:
    """Stands in for python-calamine's workbook class and keeps every workbook it opened."""

    def __init__(self, real):
        self.real = real
        self.opened = []

    def from_filelike(self, filelike):
        book = self.real.from_filelike(filelike)
        self.opened.append(book)
        return book


def _closed(book) -> bool:
    from python_calamine import WorkbookClosed

    try:
        book.get_sheet_by_index(0)
    except WorkbookClosed:
        return True
    return False


def test_the_calamine_workbook_is_closed_after_reading(sample_xlsx, monkeypatch):
    import jinguo_xl.read.reader as reader

    spy = _BookSpy(reader.CalamineWorkbook)
    monkeypatch.setattr(reader, "CalamineWorkbook", spy)
    ledger = read_workbook(sample_xlsx)
    assert [len(t.rows) for t in ledger.tables if t.rows] == [3]
    (book,) = spy.opened
    assert _closed(book)


def test_the_calamine_workbook_is_closed_when_reading_fails_midway(sample_xlsx, monkeypatch):
    import jinguo_xl.read.reader as reader

    spy = _BookSpy(reader.CalamineWorkbook)
    monkeypatch.setattr(reader, "CalamineWorkbook", spy)

    def broken(ranges):
        raise ValueError("merge list unreadable")

    monkeypatch.setattr(reader, "_merged_cells", broken)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(sample_xlsx)
    assert err.value.message == reader.DAMAGED
    (book,) = spy.opened
    assert _closed(book)


@pytest.mark.parametrize(
    ("kind", "text", "reason"),
    [
        # calamine's type decides, whatever its text says
        ("PasswordError", "workbook is locked", "PASSWORD_PROTECTED"),
        ("WorksheetNotFound", "no sheet named password", "DAMAGED"),
        ("XmlError", "encrypted-looking attribute", "DAMAGED"),
        ("ZipError", "invalid Zip archive", "DAMAGED"),
        ("CalamineError", "Cannot detect file format", "DAMAGED"),
    ],
)
def test_calamine_errors_are_told_apart_by_type(sample_xlsx, monkeypatch, kind, text, reason):
    import python_calamine

    import jinguo_xl.read.reader as reader

    error = getattr(python_calamine, kind)(text)

    class Refusing:
        @staticmethod
        def from_filelike(_):
            raise error

    monkeypatch.setattr(reader, "CalamineWorkbook", Refusing)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(sample_xlsx)
    assert err.value.message == getattr(reader, reason)
    assert reader.PASSWORD_PROTECTED == "工作簿设有打开密码，请去掉密码后重新提交"


def test_a_workbook_calamine_types_as_password_protected_gets_the_password_sentence(tmp_path):
    """The error type caught is the one calamine really raises for an encrypted workbook (read
    from its path); read from memory, as here, the container's encryption stream is seen first
    and the clerk gets the same sentence either way."""
    from python_calamine import CalamineWorkbook, PasswordError

    import jinguo_xl.read.reader as reader

    encrypted = io.BytesIO()
    plain = write_xlsx(tmp_path / "明文.xlsx", {"统计表": [[base_line()]]})
    with plain.open("rb") as fh:
        OOXMLFile(fh).encrypt("123456", encrypted)
    path = tmp_path / "加密.xlsx"
    path.write_bytes(encrypted.getvalue())
    with pytest.raises(PasswordError):
        CalamineWorkbook.from_path(str(path))
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path)
    assert err.value.message == reader.PASSWORD_PROTECTED


# ---------------------------------------------------------------- encrypted legacy .xls

CORPUS = Path(__file__).parent / "corpus"
_BIFF8_BOF = bytes.fromhex("0908100000060500")  # BOF record, BIFF8, workbook globals


def _plain_xls(tmp_path: Path) -> bytes:
    """A small .xls as xlwt writes it: its Workbook stream starts at sector 0, whole sectors."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("手工制作")
    grid = [[base_line()], HEADERS["手工制作"], *people(2, extra=[1.5])]
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value if not hasattr(value, "year") else value.isoformat())
    path = tmp_path / "明文.xls"
    wb.save(str(path))
    return path.read_bytes()


def _with_filepass(data: bytes, xor_verifier: int) -> bytes:
    """The same file with an XOR FILEPASS right after its BOF, as Excel places it. The 16 bytes
    of INTERFACEHDR, MMS and INTERFACEEND that xlwt writes there become FILEPASS (10 bytes) and
    INTERFACEHDR (6), so the stream keeps its length and every later record its place."""
    at = data.index(_BIFF8_BOF) + 20  # after BOF's 4-byte header and 16-byte body
    interface = data[at : at + 6]
    assert [interface[:2], data[at + 6 : at + 8], data[at + 12 : at + 16]] == [
        b"\xe1\x00",
        b"\xc1\x00",
        b"\xe2\x00\x00\x00",
    ]
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, xor_verifier)
    return data[:at] + filepass + interface + data[at + 16 :]


@pytest.mark.parametrize(
    "name",
    [
        "exceldatareader/Test_git_issue_242_std_rc4_pwd_password.xls",  # RC4 CryptoAPI
        "exceldatareader/Test_git_issue_242_xor_pwd_password.xls",  # BIFF5, XOR obfuscation
        "exceldatareader/Test_git_issue_477_crypto_keylength40.xls",  # CryptoAPI, 40-bit key
        "sheetjs/password_2002_40_972000.xls",  # RC4
        "sheetjs/password_2002_40_xor.xls",  # BIFF8, XOR obfuscation
        "sheetjs/password_2002_128_strong.xls",  # CryptoAPI, stream kept in the mini stream
    ],
)
def test_an_encrypted_xls_asks_to_remove_the_password(name):
    import jinguo_xl.read.reader as reader

    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(CORPUS / name)
    assert err.value.message == reader.PASSWORD_PROTECTED


def test_an_xls_encrypted_with_excels_builtin_password_is_not_said_to_have_one():
    """Excel opens this file without asking for a password (msoffcrypto decrypts it with the
    built-in one, and not a file with a password of its own): the clerk is told to save it as
    .xlsx, not to remove a password they never set."""
    import jinguo_xl.read.reader as reader

    builtin = CORPUS / "exceldatareader/protectedsheet-xxx.xls"
    own = CORPUS / "exceldatareader/Test_git_issue_242_std_rc4_pwd_password.xls"
    office = msoffcrypto.OfficeFile(io.BytesIO(builtin.read_bytes()))
    office.load_key(password="VelvetSweatshop")
    office.decrypt(io.BytesIO())
    office = msoffcrypto.OfficeFile(io.BytesIO(own.read_bytes()))
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        office.load_key(password="VelvetSweatshop")
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(builtin)
    assert err.value.message == reader.DEFAULT_ENCRYPTED
    assert "不需要输入密码" in reader.DEFAULT_ENCRYPTED


def test_an_xls_is_judged_by_its_filepass_record(tmp_path):
    """The same xlwt file reads without a FILEPASS record and is refused with one; an XOR
    verifier of Excel's built-in password gets the sentence without a password to remove."""
    import jinguo_xl.read.reader as reader

    plain = _plain_xls(tmp_path)
    verdicts = {}
    for label, data in {
        "plain": plain,
        "own": _with_filepass(plain, 0x5678),
        "builtin": _with_filepass(plain, 0x9A0A),
    }.items():
        path = tmp_path / f"{label}.xls"
        path.write_bytes(data)
        try:
            ledger = read_workbook(path)
            verdicts[label] = [len(t.rows) for t in ledger.tables]
        except UnreadableWorkbook as exc:
            verdicts[label] = exc.message
    assert verdicts == {
        "plain": [2],
        "own": reader.PASSWORD_PROTECTED,
        "builtin": reader.DEFAULT_ENCRYPTED,
    }


def _fat_offset(data: bytes, sector: int) -> int:
    """Where the FAT entry of ``sector`` lies (small files: the first FAT sector)."""
    (first_fat,) = struct.unpack_from("<I", data, 76)
    return (first_fat + 1) * 512 + sector * 4


@pytest.mark.parametrize(
    "damage",
    ["cut in half", "first sector garbled", "chain loops", "chain runs past the end"],
)
def test_a_broken_xls_gets_the_damaged_sentence(tmp_path, damage):
    """Damage on the way to or in the workbook stream is the damaged sentence, read in this
    very process: a looping sector chain ends the check rather than hanging it."""
    import jinguo_xl.read.reader as reader

    plain = bytearray(_plain_xls(tmp_path))
    start = plain.index(_BIFF8_BOF)
    assert start == 512  # the Workbook stream starts at sector 0
    if damage == "cut in half":
        data = bytes(plain[: len(plain) // 2])
    elif damage == "first sector garbled":
        plain[start : start + 512] = bytes(range(256)) * 2
        data = bytes(plain)
    elif damage == "chain loops":  # sector 1 leads back to sector 0
        struct.pack_into("<I", plain, _fat_offset(plain, 1), 0)
        data = bytes(plain)
    else:
        struct.pack_into("<I", plain, _fat_offset(plain, 0), 0x7FFF)
        data = bytes(plain)
    path = tmp_path / "坏.xls"
    path.write_bytes(data)
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path)
    assert err.value.message == reader.DAMAGED


def test_an_xls_whose_directory_links_back_is_still_read(tmp_path):
    """Sibling links pointing back at an entry or at the root are followed once: the check
    ends, and a file whose cells are intact is read."""
    data = bytearray(_plain_xls(tmp_path))
    (shift,) = struct.unpack_from("<H", data, 30)
    (directory,) = struct.unpack_from("<I", data, 48)
    workbook = (directory + 1) * (1 << shift) + 128  # entry 1, the Workbook stream
    assert data[workbook : workbook + 16] == "Workbook".encode("utf-16-le")
    struct.pack_into("<II", data, workbook + 68, 1, 0)  # left: itself, right: the root
    path = tmp_path / "回环.xls"
    path.write_bytes(bytes(data))
    (table,) = read_workbook(path).tables
    assert len(table.rows) == 2


def test_the_templates_working_sheets_are_never_read_as_data(tmp_path, rules):
    """A clerk inserted a line above a table's header: the template's working sheet (its
    formulas' per-row results) must still not be read as a table or as rows without a header."""
    from jinguo_xl.read.kinds import TEMPLATE_WORK_SHEETS
    from jinguo_xl.run.files import check_path
    from jinguo_xl.writers import native
    from jinguo_xl.writers.template import STATUS_SHEET

    assert {native.HELPER_SHEET, STATUS_SHEET} == TEMPLATE_WORK_SHEETS
    path = tmp_path / "模板.xlsx"
    from jinguo_xl.writers.template import write_template

    write_template(path, rules)
    wb = openpyxl.load_workbook(path)
    helper = wb[native.HELPER_SHEET]
    for r in range(5, 60):  # what a recalculated helper sheet holds: names, phones, dates
        helper.cell(r, 1, f"李{r}花")
        helper.cell(r, 2, f"1380013{r:04d}")
        helper.cell(r, 3, dt.date(2020, 3, 5))
    wb.save(path)
    (report,) = check_path(path)
    assert not [f for f in report.findings if f.sheet in TEMPLATE_WORK_SHEETS]
    assert report.rows_read == 0

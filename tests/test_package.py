"""Package guards: real unpacked bytes against the limits, markup declarations in any spelling."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.read import package
from jinguo_xl.read.package import STRICT_MAIN, open_package

_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="统计表" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'


def _package(extra: dict[str, bytes] | None = None, *, sheet: bytes = _SHEET) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def _understate_sizes(data: bytes, part: str, size: int) -> bytes:
    """Rewrite both the local and the central header of ``part`` to claim ``size`` bytes."""
    buf = bytearray(data)
    name = part.encode()
    local = buf.find(b"PK\x03\x04")
    while local >= 0:
        n = struct.unpack_from("<H", buf, local + 26)[0]
        if bytes(buf[local + 30 : local + 30 + n]) == name:
            struct.pack_into("<I", buf, local + 22, size)
        local = buf.find(b"PK\x03\x04", local + 4)
    central = buf.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46 : central + 46 + n]) == name:
            struct.pack_into("<I", buf, central + 24, size)
        central = buf.find(b"PK\x01\x02", central + 4)
    return bytes(buf)


def test_the_sheets_of_a_good_package_are_kept_for_the_scans():
    found = open_package(_package())
    assert found.sheets == {"统计表": "xl/worksheets/sheet1.xml"}
    assert found.sheet_xml() == {"统计表": _SHEET}
    assert not found.strict


def test_headers_that_understate_a_part_do_not_hide_its_real_size(monkeypatch):
    monkeypatch.setattr(package, "MAX_PART_BYTES", 1024 * 1024)
    bomb = _package({"xl/styles.xml": b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>"})
    lying = _understate_sizes(bomb, "xl/styles.xml", 100)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/styles.xml").file_size == 100
    with pytest.raises(UnreadableWorkbook, match=r"styles\.xml.*解压后异常巨大"):
        open_package(lying)


def test_the_budget_counts_all_parts_together(monkeypatch):
    monkeypatch.setattr(package, "MAX_PACKAGE_BYTES", 2 * 1024 * 1024)
    parts = {f"xl/media/p{i}.xml": b"<p>" + b"x" * (600 * 1024) + b"</p>" for i in range(4)}
    with pytest.raises(UnreadableWorkbook, match="解压后异常巨大"):
        open_package(_package(parts))
    assert open_package(_package(dict(list(parts.items())[:2]))).unpacked > 1024 * 1024


def test_a_part_unpacking_a_thousandfold_is_a_bomb(monkeypatch):
    monkeypatch.setattr(package, "RATIO_FROM", 1024 * 1024)
    with pytest.raises(UnreadableWorkbook, match="疑似恶意文件"):
        open_package(_package({"xl/styles.xml": b" " * (4 * 1024 * 1024)}))


_DOCTYPE = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
_ROOT = "<worksheet><sheetData/></worksheet>"


@pytest.mark.parametrize(
    ("situation", "part", "data"),
    [
        ("utf-8 sheet", "xl/worksheets/sheet1.xml", f'<?xml version="1.0"?>{_DOCTYPE}{_ROOT}'),
        ("lower case", "xl/worksheets/sheet1.xml", f"<!doctype x>{_ROOT}"),
        ("after a long comment", "xl/worksheets/sheet1.xml", f"<!--{'c' * 600_000}-->{_DOCTYPE}"),
        ("after instructions", "xl/worksheets/sheet1.xml", "<?pi x?>" * 90_000 + _DOCTYPE),
        ("upper-case part name", "xl/theme/THEME1.XML", f"{_DOCTYPE}<a/>"),
        ("part without extension", "customXml/item", f"{_DOCTYPE}<a/>"),
        ("entity alone", "xl/styles.xml", '<!ENTITY a "b"><a/>'),
    ],
)
def test_a_markup_declaration_is_refused_wherever_it_is(situation, part, data):
    encoded = data.encode("utf-8")
    parts = {part: encoded} if part != "xl/worksheets/sheet1.xml" else {}
    sheet = encoded if part == "xl/worksheets/sheet1.xml" else _SHEET
    with pytest.raises(UnreadableWorkbook, match="DOCTYPE 或实体声明"):
        open_package(_package(parts, sheet=sheet))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("declared", [True, False])
def test_a_declaration_in_a_wide_encoding_is_seen(encoding, declared):
    head = f'<?xml version="1.0" encoding="{encoding}"?>' if declared else ""
    data = f"{head}<!--{'注' * 200_000}-->{_DOCTYPE}{_ROOT}".encode(encoding)
    with pytest.raises(UnreadableWorkbook, match="DOCTYPE 或实体声明"):
        open_package(_package({"xl/styles.xml": data}))


def test_a_wide_sheet_is_kept_as_utf8_and_comments_and_cdata_are_allowed():
    sheet = "<!-- 注释 --><worksheet><sheetData><![CDATA[<!x>]]></sheetData></worksheet>"
    found = open_package(_package(sheet=sheet.encode("utf-16")))
    assert found.sheet_xml()["统计表"] == sheet.encode("utf-8")


def test_an_encoding_in_which_markup_is_not_ascii_is_refused():
    data = b'<?xml version="1.0" encoding="UTF-7"?><a>+ADwAIQ-DOCTYPE</a>'
    with pytest.raises(UnreadableWorkbook, match="字符编码（utf-7）"):
        open_package(_package({"xl/styles.xml": data}))


def test_strict_packages_are_recognised_and_their_sheets_found():
    strict = _WORKBOOK.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", STRICT_MAIN
    ).replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/workbook.xml", strict)
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS)
        zf.writestr("xl/worksheets/sheet1.xml", _SHEET)
    found = open_package(out.getvalue())
    assert found.strict and found.sheets == {"统计表": "xl/worksheets/sheet1.xml"}


def test_a_truncated_package_is_damaged():
    data = _package({"xl/styles.xml": bytes(range(256)) * 4000})
    with pytest.raises(UnreadableWorkbook, match="文件已损坏"):
        open_package(data[: len(data) // 2])


def test_an_unknown_compression_method_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("xl/workbook.xml", _WORKBOOK)
    with pytest.raises(UnreadableWorkbook, match="压缩方式"):
        open_package(out.getvalue())


@pytest.mark.parametrize("needle", [b"<!", b"<f", b"xmlns:", b"-->", b"]]>"])
def test_find_bytes_finds_what_bytes_find_finds(needle):
    """The search by one rare byte agrees with ``bytes.find`` at every start, also in a text
    so full of that byte that it gives up on it."""
    rng = random.Random(7)
    alphabet = [b"<", b"!", b"f", b"x", b"mlns", b":", b"-", b">", b"]", b"a", needle]
    texts = [
        b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80))) for _ in range(300)
    ]
    texts += [b"!" * 40 + needle, b":" * 40 + needle + b":" * 3, needle, needle[:-1], b""]
    rare = len(needle) - 1 if needle == b"xmlns:" else 1
    for text in texts:
        for start in range(len(text) + 2):
            assert package.find_bytes(text, needle, start, rare=rare) == text.find(needle, start)

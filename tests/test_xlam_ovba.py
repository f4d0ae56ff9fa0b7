"""The independent MS-OVBA check: the shipped add-in passes, and each deviation is caught."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import olefile
import pyopenvba
import pytest
from oletools.olevba import decompress_stream
from pyopenvba.cfb import CFB
from pyopenvba.vba import compress

from jinguo_xl.xlam import build, ovba

EXCEL_WRITTEN_ADDIN = (
    Path(pyopenvba.__file__).parent / "_templates" / "blank_files" / "blank_excel_addin.xlam"
)


@pytest.fixture(scope="module")
def shipped_project() -> bytes:
    with zipfile.ZipFile(build.DEFAULT_OUTPUT) as z:
        return z.read(ovba.VBA_PART)


def _with_stream(vba_bin: bytes, path: tuple[str, ...], change) -> bytes:
    """The project with one stream rewritten (``dir`` edited decompressed)."""
    cfb = CFB.from_bytes(vba_bin)
    data = cfb.get_stream_at(path[:-1], path[-1])
    data = compress(change(ovba.decompress(data))) if path[-1] == "dir" else change(data)
    cfb.write_stream_at(path[:-1], path[-1], data)
    return cfb.to_bytes()


def test_the_shipped_addin_follows_the_spec(shipped_project):
    assert ovba.problems(shipped_project, build.PROJECT_NAME) == []
    assert ovba.xlam_problems(build.DEFAULT_OUTPUT.read_bytes(), build.PROJECT_NAME) == []


def test_the_dir_stream_is_read_record_by_record(shipped_project):
    with olefile.OleFileIO(io.BytesIO(shipped_project)) as ole:
        info = ovba.parse_dir(ovba.decompress(ole.openstream("VBA/dir").read()))
    assert info.project_name == "jinguo_xl"
    assert info.trailing == b""
    assert info.references == ["MSForms", "Office"]
    names = [m.name for m in info.modules]
    assert {"xlwings", "JinguoRibbon", "xlwings_udfs", "JinguoUdfHelp", "ThisWorkbook"} <= set(
        names
    )
    assert all(m.stream_name == m.name for m in info.modules)
    assert {m.name for m in info.modules if m.procedural} == {
        "xlwings",
        "JinguoRibbon",
        "xlwings_udfs",
        "JinguoUdfHelp",
    }


def test_four_zero_bytes_after_the_dir_terminator_are_caught(shipped_project):
    bad = _with_stream(shipped_project, ("VBA", "dir"), lambda raw: raw + b"\0\0\0\0")
    assert ovba.problems(bad, "jinguo_xl") == [
        "dir 流在终止记录（0x0010 + 保留字 0）之后还有 4 个字节"
        "（MS-OVBA 2.3.4.2 规定其后不再有内容）"
    ]


def test_a_blank_line_inside_workspace_is_caught(shipped_project):
    def blank_before_ribbon(text: bytes) -> bytes:
        return text.replace(b"\r\nJinguoRibbon=0", b"\r\n\r\nJinguoRibbon=0")

    bad = _with_stream(shipped_project, ("PROJECT",), blank_before_ribbon)
    found = ovba.problems(bad, "jinguo_xl")
    assert any("[Workspace] 中不能有空行" in p for p in found), found
    assert any("JinguoRibbon=0, 0, 0, 0, C”出现在 [Workspace] 的空行之后" in p for p in found)


def test_a_trailing_blank_line_after_workspace_is_caught(shipped_project):
    bad = _with_stream(shipped_project, ("PROJECT",), lambda text: text + b"\r\n")
    assert any("[Workspace] 中不能有空行" in p for p in ovba.problems(bad, "jinguo_xl"))


def test_the_quickstart_project_name_is_caught(shipped_project):
    def rename(raw: bytes) -> bytes:
        return raw.replace(b"\x04\x00\x09\x00\x00\x00jinguo_xl", b"\x04\x00\x07\x00\x00\x00MyAddin")

    bad = _with_stream(shipped_project, ("VBA", "dir"), rename)
    bad = _with_stream(bad, ("PROJECT",), lambda t: t.replace(b'"jinguo_xl"', b'"MyAddin"'))
    assert ovba.problems(bad, "jinguo_xl") == [
        "VBA 工程名为“MyAddin”，应为 jinguo_xl（英文字母开头，只含英文字母、数字和下划线）"
    ]


def test_names_that_disagree_between_dir_and_project_are_caught(shipped_project):
    def rename(text: bytes) -> bytes:
        return text.replace(b"Module=JinguoRibbon", b"Module=Jinguo2")

    bad = _with_stream(shipped_project, ("PROJECT",), rename)
    found = ovba.problems(bad, "jinguo_xl")
    assert "模块 JinguoRibbon 在 PROJECT 流中没有声明（MS-OVBA 2.3.4.2.3.2）" in found
    assert "PROJECT 流声明的模块 Jinguo2 在 dir 流中不存在" in found


def test_a_module_stream_that_names_another_module_is_caught(shipped_project):
    cfb = CFB.from_bytes(shipped_project)
    help_stream = cfb.get_stream_in_storage("VBA", "JinguoUdfHelp")
    cfb.write_stream_in_storage("VBA", "JinguoRibbon", help_stream)
    found = ovba.problems(cfb.to_bytes(), "jinguo_xl")
    assert any(p.startswith("模块流 JinguoRibbon 的第一行") for p in found), found


def test_a_wrong_reserved_field_in_dir_is_caught(shipped_project):
    def version_reserved_5(raw: bytes) -> bytes:
        at = raw.index(b"\x09\x00\x04\x00\x00\x00")
        return raw[:at] + b"\x09\x00\x05\x00\x00\x00" + raw[at + 6 :]

    bad = _with_stream(shipped_project, ("VBA", "dir"), version_reserved_5)
    assert ovba.problems(bad, "jinguo_xl") == [
        "dir 流 PROJECTVERSION 的保留字段为 0x5，规范要求 0x4（MS-OVBA 2.3.4.2）"
    ]


def test_a_project_line_out_of_grammar_is_caught(shipped_project):
    bad = _with_stream(
        shipped_project, ("PROJECT",), lambda t: t.replace(b'HelpContextID="0"', b"HelpContextID=0")
    )
    found = ovba.problems(bad, "jinguo_xl")
    assert any("HelpContextID=0" in p and "应为 HelpContextID=" in p for p in found), found


def test_a_project_written_by_excel_passes_the_structural_checks():
    """Excel's own output is the positive control: only our own write rules set it apart."""
    with zipfile.ZipFile(EXCEL_WRITTEN_ADDIN) as z:
        found = ovba.problems(z.read(ovba.VBA_PART), "jinguo_xl")
    assert found == [
        "_VBA_PROJECT 流带有编译缓存，写入时版本须为 0xFFFF 且不含缓存",
        "VBA 工程名为“VBAProject”，应为 jinguo_xl（英文字母开头，只含英文字母、数字和下划线）",
    ]


def test_decompression_agrees_with_two_other_implementations(shipped_project):
    rng = random.Random(7)
    words = [b"Dim ", b"As String", b"\r\n", b"End Sub", b"x", b"ChrW(&H8BF7)", b"  "]
    sample = b"".join(rng.choice(words) for _ in range(3000))  # several 4096-byte chunks
    assert ovba.decompress(compress(sample)) == sample
    with olefile.OleFileIO(io.BytesIO(shipped_project)) as ole:
        raw = ole.openstream("VBA/dir").read()
    assert ovba.decompress(raw) == bytes(decompress_stream(bytearray(raw)))


def test_a_bad_compressed_container_is_a_chinese_error():
    with pytest.raises(ovba.OvbaFormatError, match="签名不是 0x01"):
        ovba.decompress(b"\x02\x00\x00", "dir")
    with pytest.raises(ovba.OvbaFormatError, match="0b011"):
        ovba.decompress(b"\x01\x00\x00", "dir")

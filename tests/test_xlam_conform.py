"""The writer's output brought to the spec: each known pyOpenVBA deviation is undone."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import olefile
import xlwings
from oletools.olevba import VBA_Parser
from pyopenvba.cfb import CFB
from pyopenvba.vba import compress

from jinguo_xl.xlam import build, conform, ovba

QUICKSTART = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


def _shipped() -> bytes:
    with zipfile.ZipFile(build.DEFAULT_OUTPUT) as z:
        return z.read(ovba.VBA_PART)


def _as_pyopenvba_writes_it(vba_bin: bytes) -> bytes:
    """The shipped project with the three deviations pyOpenVBA 6.5.0 and the template leave."""
    cfb = CFB.from_bytes(vba_bin)
    raw = ovba.decompress(cfb.get_stream_in_storage("VBA", "dir"))
    raw = raw.replace(b"\x04\x00\x09\x00\x00\x00jinguo_xl", b"\x04\x00\x07\x00\x00\x00MyAddin")
    cfb.write_stream_in_storage("VBA", "dir", compress(raw + b"\0\0\0\0"))
    text = cfb.get_stream("PROJECT").replace(b'"jinguo_xl"', b'"MyAddin"')
    cfb.write_stream("PROJECT", text.replace(b"\r\nJinguoRibbon=", b"\r\n\r\nJinguoRibbon="))
    return cfb.to_bytes()


def _sources(vba_bin: bytes) -> dict[str, str]:
    parser = VBA_Parser("x.bin", data=vba_bin)
    try:
        return {name: code for (_, _, name, code) in parser.extract_macros()}
    finally:
        parser.close()


def test_every_deviation_the_writer_leaves_is_undone():
    broken = _as_pyopenvba_writes_it(_shipped())
    assert len(ovba.problems(broken, "jinguo_xl")) >= 3
    fixed = conform.conform(broken, "jinguo_xl")
    assert ovba.problems(fixed, "jinguo_xl") == []
    assert _sources(fixed) == _sources(_shipped())


def test_the_project_text_keeps_workspace_together_and_names_the_project():
    fixed = conform.conform(_as_pyopenvba_writes_it(_shipped()), "jinguo_xl")
    with olefile.OleFileIO(io.BytesIO(fixed)) as ole:
        text = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="jinguo_xl"\r\n' in text
    workspace = text.split("[Workspace]\r\n", 1)[1]
    assert workspace.endswith("JinguoUdfHelp=0, 0, 0, 0, C\r\n")
    assert "\r\n\r\n" not in workspace


def test_the_xlwings_template_keeps_only_the_module_the_build_replaces():
    """xlwings ships its template with the ``xlwings`` module in bare LF lines; the build puts
    its own CRLF text there, and conforming fixes everything else."""
    with zipfile.ZipFile(QUICKSTART) as z:
        template = z.read(ovba.VBA_PART)
    assert any("空行" in p for p in ovba.problems(template, "jinguo_xl"))
    assert ovba.problems(conform.conform(template, "jinguo_xl"), "jinguo_xl") == [
        '模块流 xlwings 的第一行“Attribute VB_Name = "xlwings"”'
        "不是以 CRLF 结尾的 Attribute VB_Name 行，或与模块名不符"
    ]


def test_conforming_twice_changes_nothing():
    once = conform.conform(_shipped(), "jinguo_xl")
    assert conform.conform(once, "jinguo_xl") == once

"""The built add-in read back by independent tools: pyOpenVBA, oletools, a headless VBA run."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwings
from oletools import mraptor
from oletools.olevba import VBA_Parser
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication

from jinguo_xl.excel import udfs
from jinguo_xl.excel.macros import HANDLERS
from jinguo_xl.xlam import build, ribbon, vba
from jinguo_xl.xlam.ovba import VBA_PART
from jinguo_xl.xlam.package import RIBBON_PART


@pytest.fixture(scope="module")
def freshly_built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "jinguo_xl.xlam"
    build.build(out)
    return out


def _modules(path: Path) -> dict[str, str]:
    with ExcelFile(path) as book:
        return book.vba_modules()


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_committed_addin_is_what_the_build_makes_today(freshly_built):
    assert _modules(freshly_built) == _modules(build.DEFAULT_OUTPUT)
    for part in (RIBBON_PART, "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", VBA_PART):
        assert _part(freshly_built, part) == _part(build.DEFAULT_OUTPUT, part), part


def test_building_twice_gives_the_same_bytes(freshly_built, tmp_path):
    again = tmp_path / "again.xlam"
    build.build(again)
    assert again.read_bytes() == freshly_built.read_bytes()


def test_pyopenvba_reads_back_every_module_intact(freshly_built):
    with ExcelFile(freshly_built) as book:
        assert book.validate() == []
        modules = book.vba_modules()
        refs = {r.name for r in book.references()}
    assert {"xlwings", "JinguoRibbon", "xlwings_udfs", "JinguoUdfHelp"} <= set(modules)
    assert "RibbonMyAddin" not in modules
    assert "Office" in refs  # IRibbonControl
    for name in build.OUR_MODULES:
        assert vba.module_problems(name, modules[name]) == []


def test_the_xlwings_module_is_the_installed_version_named_for_this_project(freshly_built):
    text = _modules(freshly_built)["xlwings"]
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in text
    assert 'PROJECT_NAME As String = "jinguo_xl"' in text
    assert f"xlwings64-{xlwings.__version__}.dll" in text


def test_excel_loads_the_dll_of_its_own_bitness(freshly_built):
    text = _modules(freshly_built)["xlwings"]
    assert build._dll_for_win64(text, xlwings.__version__) == (64, 32)
    swapped = text.replace("#If Win64 Then", "#If Win32 Then")
    assert build._dll_for_win64(swapped, xlwings.__version__) is None


def test_a_writer_deviation_left_in_place_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(build.conform, "conform", lambda vba_bin, name: vba_bin)
    out = tmp_path / "out.xlam"
    with pytest.raises(vba.VBAError, match="dir 流在终止记录") as raised:
        build.build(out)
    assert "VBA 工程名为“MyAddin”" in str(raised.value)
    assert "[Workspace] 中不能有空行" in str(raised.value)
    assert not out.exists()


def test_olevba_sees_the_three_modules_and_a_wrapper_for_every_udf(freshly_built):
    parser = VBA_Parser(str(freshly_built))
    macros = {f: code for (_, _, f, code) in parser.extract_macros()}
    parser.close()
    assert {"xlwings.bas", "JinguoRibbon.bas", "xlwings_udfs.bas"} <= set(macros)
    wrapped = set(re.findall(r"^Function (\w+)\(", macros["xlwings_udfs.bas"], re.MULTILINE))
    assert wrapped == {n for n in dir(udfs) if n.startswith("JINGUO_")}


def test_mraptor_rates_it_macro_ok_and_would_flag_an_auto_run(freshly_built):
    parser = VBA_Parser(str(freshly_built))
    code = "\n".join(c for (_, _, _, c) in parser.extract_macros())
    parser.close()
    scan = mraptor.MacroRaptor(code)
    scan.scan()
    assert not scan.suspicious, scan.get_flags()
    flagged = mraptor.MacroRaptor(code + "\nSub Workbook_Open()\nEnd Sub\n")
    flagged.scan()
    assert flagged.suspicious  # the check above can fail


def test_every_button_resolves_to_a_one_argument_public_sub(freshly_built):
    xml = _part(freshly_built, RIBBON_PART).decode("utf-8")
    modules = _modules(freshly_built)
    standard = {n: modules[n] for n in build.OUR_MODULES}
    assert ribbon.problems(xml, standard, set(HANDLERS)) == []


def _headless(path: Path) -> ExcelApplication:
    """The ribbon module in pyOpenVBA's VBA interpreter, with RunPython printing its command."""
    modules = _modules(path)
    app = ExcelApplication.open(path, with_vba=False)
    app.add_module(modules["JinguoRibbon"], name="JinguoRibbon")
    app.add_module(
        "Public Sub RunPython(cmd)\r\n    Debug.Print cmd\r\nEnd Sub\r\n"
        "Public Sub RegisterUdfHelp()\r\n    Debug.Print \"help\"\r\nEnd Sub\r\n",
        name="Stubs",
    )
    app.add_module("Public Id As String\r\n", name="FakeRibbonControl", kind="class")
    app.add_module(
        "Public Sub Click(id)\r\n    Dim c As New FakeRibbonControl\r\n    c.Id = id\r\n"
        '    Application.Run "JinguoRibbon.OnAction", c\r\nEnd Sub\r\n',
        name="Harness",
    )
    return app


def test_each_ribbon_button_runs_exactly_its_python_command(freshly_built):
    _, buttons = ribbon.parse(_part(freshly_built, RIBBON_PART).decode("utf-8"))
    for button in buttons:
        app = _headless(freshly_built)
        app.run("Harness.Click", button.id)
        assert app.console == [
            "help",
            f"import jinguo_xl.excel.macros as m; m.run('{button.id}')",
        ]


def test_a_hostile_control_id_cannot_break_out_of_the_command(freshly_built):
    app = _headless(freshly_built)
    app.run("Harness.Click", "x'); import os; os.system('calc")
    assert app.console[-1] == "import jinguo_xl.excel.macros as m; m.run('ximportosossystemcalc')"


def test_the_chinese_decoder_gives_back_the_text_in_vba(freshly_built):
    app = ExcelApplication.open(freshly_built, with_vba=False)
    decoder = vba.HEX_DECODER.replace("Private Function", "Public Function")
    app.add_module(decoder, name="Decoder")
    text = "请先打开一个统计表工作簿，再点击按钮。"
    assert app.run("Decoder.U", vba.utf16_hex(text)) == text
    # Outside the BMP: VBA joins the surrogate pair's two ChrW units back into one character.
    rare = "巾𠀀帼😀"
    joined = app.run("Decoder.U", vba.utf16_hex(rare))
    assert joined.encode("utf-16-le", "surrogatepass").decode("utf-16-le") == rare


def test_a_source_with_an_auto_run_macro_stops_the_build(tmp_path):
    source = tmp_path / "addin"
    shutil.copytree(build.SOURCE_DIR, source, ignore=shutil.ignore_patterns("*.xlam"))
    bas = source / "JinguoRibbon.bas"
    bas.write_text(bas.read_text("utf-8") + "\nSub Auto_Open()\nEnd Sub\n", "utf-8")
    out = tmp_path / "out.xlam"
    with pytest.raises(vba.VBAError, match="Auto_Open"):
        build.build(out, source)
    assert not out.exists()


def test_a_chinese_literal_outside_t_stops_the_build(tmp_path):
    source = tmp_path / "addin"
    shutil.copytree(build.SOURCE_DIR, source, ignore=shutil.ignore_patterns("*.xlam"))
    bas = source / "JinguoRibbon.bas"
    bas.write_text(bas.read_text("utf-8").replace('"jinguo_xl"', '"巾帼"', 1), "utf-8")
    with pytest.raises(vba.VBAError, match="非 ASCII"):
        build.collect(source)


def test_the_config_sheet_is_what_xlwings_reads(freshly_built):
    with zipfile.ZipFile(io.BytesIO(freshly_built.read_bytes())) as z:
        workbook = z.read("xl/workbook.xml").decode()
    assert 'name="jinguo_xl.conf"' in workbook


def test_building_away_from_the_sources_says_where_to_run_it(tmp_path):
    with pytest.raises(vba.VBAError, match=r"JinguoRibbon\.bas"):
        build.collect(tmp_path)

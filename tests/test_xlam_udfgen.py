"""UDF wrappers written by xlwings' own generator, with the real decorators, off Windows."""

from __future__ import annotations

import inspect
import re
import sys

import xlwings as xw
from xlwings import conversion

from jinguo_xl.excel import udfs
from jinguo_xl.xlam import udfgen


def test_every_decorated_function_gets_a_wrapper_calling_our_module():
    text, infos = udfgen.generate()
    public = sorted(n for n in dir(udfs) if n.startswith("JINGUO_"))
    assert [i.name for i in infos] == public
    wrapped = re.findall(r"^Function (\w+)\(", text, re.MULTILINE)
    assert sorted(wrapped) == public
    for name in public:
        call = f'XLPy.CallUDF("jinguo_xl.excel.udfs", "{name}", '
        assert call in text
    assert "ActiveWorkbook, Application.Caller" in text and "ThisWorkbook" not in text
    assert "Application.Volatile" not in text  # recalculated only when inputs change


def test_wrapper_parameters_follow_the_python_signatures():
    _, infos = udfgen.generate()
    for info in infos:
        params = tuple(inspect.signature(getattr(udfs, info.name)).parameters)
        assert info.params == params
        assert info.category == "巾帼统计"
        assert "\u4e00" <= info.doc[0] <= "\u9fff"  # Chinese help for the function wizard


def test_every_converter_is_one_xlwings_can_read_and_write_on_windows():
    # An annotation like ``object`` or ``float | str`` becomes a converter xlwings does not
    # know, and every call would show an AttributeError in the cell.
    _, infos = udfgen.generate()
    for info in infos:
        for convert in info.converters:
            assert convert is None or convert in conversion.accessors, (info.name, convert)


def test_generation_leaves_the_process_as_it_was():
    before = set(sys.modules)
    func = xw.func
    udfgen.generate()
    assert xw.func is func
    assert not {"pythoncom", "pywintypes", "win32com.client", "xlwings.udfs"} & (
        set(sys.modules) - before
    )
    assert not hasattr(udfs.JINGUO_STATUS, "__xlfunc__")  # the imported module is untouched


def test_help_module_registers_chinese_help_without_auto_run():
    _, infos = udfgen.generate()
    text = udfgen.help_module(infos)
    assert "Public Sub RegisterUdfHelp()" in text
    assert text.count("Application.MacroOptions") == len(infos)
    assert all(ord(ch) < 127 for ch in text)
    assert "Workbook_Open" not in text and "Auto_Open" not in text
    # Showing the add-in to register help must hand the clerk's workbook back to the button.
    assert text.index("Set userBook = ActiveWorkbook") < text.index("ThisWorkbook.IsAddin = False")
    assert "If Not userBook Is Nothing Then userBook.Activate" in text
    category = "".join(f"{ord(c):04X}" for c in "巾帼统计")
    assert f'Category:=U("{category}")' in text

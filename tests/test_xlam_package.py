"""The add-in package around the VBA: parts, relationships, config sheet, properties."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from defusedxml import ElementTree

from jinguo_xl.xlam import package
from jinguo_xl.xlam.build import DEFAULT_OUTPUT

PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@pytest.fixture(scope="module")
def committed_addin() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(DEFAULT_OUTPUT.read_bytes()))


def test_every_part_is_sound_and_typed(committed_addin):
    assert committed_addin.testzip() is None
    names = committed_addin.namelist()
    assert names[0] == "[Content_Types].xml" and len(names) == len(set(names))
    types = committed_addin.read("[Content_Types].xml").decode()
    for name in names:
        if name.endswith((".xml", ".rels")):
            ElementTree.fromstring(committed_addin.read(name))  # well-formed
        ext = name.rsplit(".", 1)[-1]
        assert f'PartName="/{name}"' in types or f'Extension="{ext}"' in types, name
    assert 'PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.addin' in types
    assert 'ContentType="application/vnd.ms-office.vbaProject"' in types


def test_the_ribbon_part_is_the_only_one_and_is_related(committed_addin):
    names = committed_addin.namelist()
    assert package.RIBBON_PART in names and "customUI/customUI.xml" not in names
    rels = ElementTree.fromstring(committed_addin.read("_rels/.rels"))
    ribbons = [r for r in rels.iter(f"{PKG_NS}Relationship") if r.get("Type") == package.RIBBON_REL]
    assert [r.get("Target") for r in ribbons] == [package.RIBBON_PART]
    ids = [r.get("Id") for r in rels.iter(f"{PKG_NS}Relationship")]
    assert len(ids) == len(set(ids))
    for rel in rels.iter(f"{PKG_NS}Relationship"):
        assert rel.get("Target") in names


def test_config_sheet_holds_only_keys_with_values_and_keeps_its_code_name(committed_addin):
    workbook = committed_addin.read("xl/workbook.xml").decode()
    assert 'name="jinguo_xl.conf"' in workbook and "_myaddin" not in workbook
    sheet = committed_addin.read("xl/worksheets/sheet1.xml").decode()
    assert '<sheetPr codeName="Sheet2"/>' in sheet or 'codeName="Sheet2"' in sheet
    strings = re.findall(r"<t>([^<]*)</t>", committed_addin.read("xl/sharedStrings.xml").decode())
    assert strings == ["UDF Modules", "jinguo_xl.excel.udfs", "ADD_WORKBOOK_TO_PYTHONPATH", "false"]


def test_no_trace_of_the_template_author_or_machine(committed_addin):
    for name in committed_addin.namelist():
        if name.endswith((".xml", ".rels")):
            text = committed_addin.read(name).decode()
            assert "Users\\" not in text and "Felix" not in text, name
    core = committed_addin.read("docProps/core.xml").decode()
    assert "<dc:creator>jinguo_xl</dc:creator>" in core and "2020-01-01T00:00:00Z" in core


def test_an_empty_config_value_is_refused():
    with pytest.raises(ValueError, match="配置项不能为空"):
        package.config_sheet([("Interpreter_Win", "")], "")

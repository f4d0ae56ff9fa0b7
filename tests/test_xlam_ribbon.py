"""The ribbon XML against the callbacks and Python handlers it relies on."""

from __future__ import annotations

import pytest

from jinguo_xl.excel.macros import HANDLERS
from jinguo_xl.xlam import ribbon
from jinguo_xl.xlam.build import SOURCE_DIR

XML = (SOURCE_DIR / "customUI14.xml").read_text("utf-8")
CALLBACK = {"JinguoRibbon": "Public Sub OnAction(control As IRibbonControl)\r\nEnd Sub\r\n"}


def test_the_tab_has_a_chinese_button_for_every_macro():
    tab, buttons = ribbon.parse(XML)
    assert tab == "巾帼统计"
    assert {b.id for b in buttons} == set(HANDLERS)
    labels = {b.id: b.label for b in buttons}
    assert labels["check_workbook"] == "校验本表"
    assert labels["consolidate_folder"] == "汇总区县工作簿"
    assert all(b.supertip and b.on_action == "JinguoRibbon.OnAction" for b in buttons)


def test_the_committed_ribbon_has_no_problems():
    assert ribbon.problems(XML, CALLBACK, set(HANDLERS)) == []


def test_a_callback_that_does_not_resolve_is_reported():
    broken = XML.replace('onAction="JinguoRibbon.OnAction"', 'onAction="JinguoRibbon.Nope"', 1)
    assert any("JinguoRibbon.Nope" in p for p in ribbon.problems(broken, CALLBACK, set(HANDLERS)))


def test_a_callback_with_the_wrong_parameters_is_reported():
    two = {"JinguoRibbon": "Public Sub OnAction(control As IRibbonControl, x)\r\nEnd Sub\r\n"}
    assert any("正好有一个参数" in p for p in ribbon.problems(XML, two, set(HANDLERS)))


def test_unknown_icon_unsafe_id_and_missing_handler_are_reported():
    xml = XML.replace('imageMso="Help"', 'imageMso="HelpMe"').replace(
        'id="show_help"', 'id="show&amp;help"'
    )
    found = ribbon.problems(xml, CALLBACK, set(HANDLERS))
    assert any("HelpMe" in p for p in found)
    assert any("只能用英文字母" in p for p in found)
    assert any("show_help 没有对应的按钮" in p for p in found)
    assert any("show&help（帮助）在 Python 中没有对应" in p for p in found)


def test_a_2006_ribbon_is_refused():
    with pytest.raises(ValueError, match="2009/07"):
        ribbon.parse(XML.replace("2009/07/customui", "2006/01/customui"))

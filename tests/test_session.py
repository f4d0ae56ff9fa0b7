"""A button press as one transaction: settings restored, busy Excel bounded, Chinese failures."""

from __future__ import annotations

import sys
import types

import pytest

from jinguo_xl.excel import session
from tests import fake_excel as fx


def test_quiet_switches_excel_off_and_restores_the_clerks_settings_even_on_failure():
    xl = fx.FakeApp().api
    xl.state.update(ScreenUpdating=True, Calculation=-4135)  # manual already: left alone
    clerk = dict(xl.state)
    with pytest.raises(ValueError), session.quiet(xl):
        assert xl.state == {"ScreenUpdating": False, "EnableEvents": False,
                            "DisplayAlerts": False, "Calculation": -4135}
        raise ValueError
    assert xl.state == clerk
    assert "set Application.Calculation" not in xl._calls.log


def test_quiet_goes_on_when_excel_refuses_a_setting():
    class NoBookOpen:
        ScreenUpdating = True
        EnableEvents = True
        DisplayAlerts = True

        @property
        def Calculation(self):
            raise fx.ComError("没有打开的工作簿时不能设置计算模式")

    xl = NoBookOpen()
    with session.quiet(xl):
        assert xl.ScreenUpdating is False
    assert xl.ScreenUpdating is True and xl.DisplayAlerts is True


def test_waiting_for_a_busy_excel_ends_with_a_message():
    xl = fx.FakeApp().api
    xl.ready_after = 3
    slept = []
    session.wait_ready(xl, timeout=10, sleep=slept.append)
    assert len(slept) == 3
    xl.ready_after = 10**6
    with pytest.raises(session.Refusal, match="Excel 正忙"):
        session.wait_ready(xl, timeout=0.05, sleep=lambda s: None)


def test_xlwings_gives_up_on_rejected_calls_after_a_bounded_number_of_tries(monkeypatch):
    fake = types.ModuleType("xlwings._xlwindows")
    fake.N_COM_ATTEMPTS = 0  # xlwings' default: for ever
    monkeypatch.setitem(sys.modules, "xlwings._xlwindows", fake)
    session.bound_busy_retries()
    assert fake.N_COM_ATTEMPTS == session.BUSY_ATTEMPTS


@pytest.mark.parametrize(
    ("exc", "start"),
    [
        (session.Refusal("请先保存。"), "请先保存。"),
        (fx.ComError("您试图更改的单元格位于受保护的工作表中。"),
         "操作没有完成：Excel 报告“您试图更改的单元格位于受保护的工作表中。”"),
        (fx.ComError("", hresult=-2147418111), "Excel 正忙"),
        (type("ExcelBusyError", (Exception,), {})(), "Excel 正忙"),
        (ModuleNotFoundError("No module named 'pythoncom'", name="pythoncom"),
         "巾帼统计加载项没有找到所需的程序组件（pythoncom）"),
        (OSError("磁盘已满"), "操作没有完成：磁盘已满"),
        (KeyError(), "操作没有完成：KeyError"),
    ],
)
def test_every_failure_is_one_chinese_sentence(exc, start):
    text = session.describe(exc)
    assert text.startswith(start)
    assert "-2147" not in text and "Traceback" not in text


def test_a_message_falls_back_when_excel_cannot_show_it(capsys):
    def broken(text):
        raise fx.ComError("Excel 已关闭")

    session.show("请先打开一个统计表工作簿。", broken)
    if sys.platform != "win32":
        assert capsys.readouterr().err == "请先打开一个统计表工作簿。\n"
    shown = []
    session.show("完成", shown.append)
    assert shown == ["完成"]

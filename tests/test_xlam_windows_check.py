"""The Windows check script: importable off Windows, and its steps judge what Excel reports."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "addin" / "windows_check.py"


@pytest.fixture
def windows_check():
    spec = importlib.util.spec_from_file_location("windows_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules.pop("windows_check", None)
    return module


def test_the_script_imports_on_any_os_and_runs_nothing(windows_check):
    assert callable(windows_check.main)
    assert windows_check.failures == 0
    assert windows_check.COMPILE_CONTROL_ID == 578


class _Control:
    """The VBE's Compile button: disabled once the project has compiled."""

    def __init__(self, compiles: bool) -> None:
        self.Enabled = True
        self.compiles = compiles

    def Execute(self) -> None:
        self.Enabled = not self.compiles


def _excel(control: _Control | None, trusted: bool = True) -> SimpleNamespace:
    project = SimpleNamespace(Name="jinguo_xl")

    def workbooks(name: str) -> SimpleNamespace:
        if not trusted:
            return SimpleNamespace()  # no VBProject attribute: access refused
        return SimpleNamespace(VBProject=project)

    bars = SimpleNamespace(FindControl=lambda Id: control)
    vbe = SimpleNamespace(CommandBars=bars, ActiveVBProject=None)
    return SimpleNamespace(api=SimpleNamespace(Workbooks=workbooks, VBE=vbe))


@pytest.mark.parametrize(("compiles", "failures"), [(True, 0), (False, 1)])
def test_compile_step_reads_the_compile_button(windows_check, capsys, compiles, failures):
    windows_check.check_vba_compiles(_excel(_Control(compiles)), "jinguo_xl.xlam")
    out = capsys.readouterr().out
    assert windows_check.failures == failures
    assert ("通过  VBA 工程编译通过" in out) == compiles


def test_compile_step_without_trust_access_says_what_to_tick(windows_check, capsys):
    windows_check.check_vba_compiles(_excel(_Control(True), trusted=False), "jinguo_xl.xlam")
    assert "信任对 VBA 工程对象模型的访问" in capsys.readouterr().out
    assert windows_check.failures == 0


def _book(circular: dict[str, str], values: dict[str, object]) -> SimpleNamespace:
    """Excel's Workbook as the template check reads it: sheets with their CircularReference
    (a cell or None) and names whose range holds a value (an error is a number through COM)."""
    sheets = [
        SimpleNamespace(
            Name=name,
            CircularReference=SimpleNamespace(Address=circular[name]) if name in circular else None,
        )
        for name in ("基本信息", "手工制作", "达标情况", "计算")
    ]

    def names(name: str) -> SimpleNamespace:
        return SimpleNamespace(RefersToRange=SimpleNamespace(Value=values[name]))

    return SimpleNamespace(Worksheets=sheets, Names=names)


def _verdicts(rules, **override: object) -> dict[str, object]:
    from jinguo_xl.writers import native

    values: dict[str, object] = {native.BASE_VERDICT: "未填报：没有填写任何带动统计表"}
    for industry in rules.industries:
        values[native.verdict_name(industry)] = "未填报：表中没有数据"
    values.update(override)
    return values


def _app() -> SimpleNamespace:
    return SimpleNamespace(api=SimpleNamespace(CalculateFull=lambda: None))


def test_template_step_passes_without_loop_or_error(windows_check, capsys, rules):
    windows_check.check_template_calculates(
        _app(), _book({}, _verdicts(rules)), "空白模板", list(rules.industries)
    )
    out = capsys.readouterr().out
    assert windows_check.failures == 0
    assert "通过  空白模板：没有循环引用" in out and "全部是文字" in out


def test_template_step_reports_a_loop_and_an_error_value(windows_check, capsys, rules):
    values = _verdicts(rules, **{"结论_手工制作": -2146826273})  # #VALUE! through COM
    windows_check.check_template_calculates(
        _app(), _book({"手工制作": "$C$2"}, values), "空白模板", list(rules.industries)
    )
    out = capsys.readouterr().out
    assert windows_check.failures == 2
    assert "失败  空白模板：没有循环引用：手工制作!$C$2" in out
    assert "结论_手工制作 = -2146826273" in out

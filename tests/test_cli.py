"""``jinguo-xl`` as a clerk runs it: Chinese text, the JSON shape, exit codes."""

from __future__ import annotations

import json

import pytest

from jinguo_xl.cli import main
from tests.conftest import base_line, people, stacked, woman, write_xlsx


@pytest.fixture
def county_folder(tmp_path, monkeypatch):
    """A county folder with one clean base, one base with a bad phone, and a broken file."""
    monkeypatch.chdir(tmp_path)
    good = stacked(base_line("甲合作社"), {"手工制作": people(25, sessions=2, extra=[0.5])})
    write_xlsx(tmp_path / "城口县" / "甲合作社.xlsx", {"统计表": good})
    bad = stacked(base_line("乙合作社"), {"手工制作": [woman("张玉兰", "1380013", extra=[1])]})
    write_xlsx(tmp_path / "城口县" / "乙合作社.xlsx", {"统计表": bad})
    (tmp_path / "城口县" / "丙合作社.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "城口县" / "~$甲合作社.xlsx").write_bytes(b"lock file")
    return tmp_path / "城口县"


def test_check_json_has_the_required_shape(county_folder, capsys):
    code = main(["check", "城口县", "--json"])
    out = json.loads(capsys.readouterr().out)
    files = {f["file"]: f for f in out["files"]}
    assert sorted(files) == ["城口县/丙合作社.xlsx", "城口县/乙合作社.xlsx", "城口县/甲合作社.xlsx"]
    good = files["城口县/甲合作社.xlsx"]
    assert good["ok"] is True and good["error"] is None
    assert good["base"] == good["base"] | {
        "name": "甲合作社",
        "type": "巾帼扶贫车间",
        "leader": "王经理",
        "county": "城口县",
        "township": None,
        "households": None,
    }
    assert good["status"] == "达标" and good["reason"].startswith("达标：")
    (table,) = good["tables"]
    assert table["industry"] == "手工制作" and table["sheet"] == "统计表" and table["rows"] == 50
    assert table["metrics"] | {} == table["metrics"]
    assert set(table["metrics"]) >= {
        "training_person_times",
        "training_sessions",
        "household_sessions",
        "employed",
        "sales_wan",
        "sales_wan_all",
        "pass_rate",
        "employment_rate",
        "startups",
        "households",
    }
    assert table["metrics"]["sales_wan"] == 25.0 and table["metrics"]["pass_rate"] is None
    assert table["targets"][0] == {
        "metric": "training_person_times",
        "label": "培训人次",
        "required": 50,
        "actual": 50,
        "met": True,
        "in_principle": False,
        "or_group": None,
    }
    assert good["totals"] == {"产品收入": 25.0, "代销产品": 0.0, "发展产业收入": 0.0}
    bad = files["城口县/乙合作社.xlsx"]
    finding = next(f for f in bad["findings"] if f["code"] == "phone-invalid")
    assert {k: finding[k] for k in ("severity", "sheet", "cell", "column")} == {
        "severity": "error",
        "sheet": "统计表",
        "cell": "D9",
        "column": "联系电话",
    }
    broken = files["城口县/丙合作社.xlsx"]
    assert broken["ok"] is False and "不是 Excel 工作簿" in broken["error"]
    assert code == 1


def test_check_text_output_in_chinese(county_folder, capsys):
    code = main(["check", str(county_folder / "乙合作社.xlsx")])
    out = capsys.readouterr().out
    assert "结论：未达标：培训人次 1/50，带动就业 1/20" in out
    assert "[错误] 统计表!D9：联系电话无效" in out
    assert "金额合计：产品收入 1 万元（其中贫困妇女 1）" in out
    assert code == 1


def test_clean_file_exits_zero(county_folder, capsys):
    assert main(["check", str(county_folder / "甲合作社.xlsx")]) == 0
    assert "错误 0 条" in capsys.readouterr().out


def test_nothing_to_read_and_missing_path_exit_two(tmp_path, capsys):
    assert main(["check", str(tmp_path)]) == 2
    assert "没有找到可读取的工作簿" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "nope.xlsx")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_wrong_usage_exits_two_in_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "用法错误" in capsys.readouterr().err
    assert main([]) == 2


def test_unknown_rules_year_cannot_run(tmp_path, capsys):
    assert main(["--rules-year", "1999", "check", str(tmp_path)]) == 2
    assert "没有 1999 年的规则文件" in capsys.readouterr().err


def test_every_command_has_chinese_help(capsys):
    from jinguo_xl.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():
        assert command.description, name
        for action in command._actions:
            if action.dest != "help":
                assert action.help and any("\u4e00" <= ch <= "\u9fff" for ch in action.help), (
                    name,
                    action.dest,
                )


def test_template_command_writes_the_official_template(tmp_path, capsys):
    target = tmp_path / "新台账.xlsx"
    assert main(["template", "-o", str(target)]) == 0
    assert "已生成模板" in capsys.readouterr().out
    from openpyxl import load_workbook

    assert load_workbook(target).sheetnames[0] == "基本信息"
    assert main(["template", "-o", str(tmp_path / "x.csv")]) == 2


def test_addin_build_writes_an_xlam_and_names_the_functions(tmp_path, capsys):
    target = tmp_path / "jinguo_xl.xlam"
    assert main(["addin", "build", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert target.is_file() and "已构建加载项" in out and "JINGUO_STATUS" in out
    assert main(["addin", "build", "-o", str(tmp_path / "x.xlsm")]) == 2


def test_addin_install_status_remove_against_a_trial_profile(tmp_path, capsys):
    profile = tmp_path / "用户"
    assert main(["addin", "status", "--profile", str(profile)]) == 1
    assert "未安装" in capsys.readouterr().out
    assert main(["addin", "install", "--profile", str(profile)]) == 0
    out = capsys.readouterr().out
    assert "XLSTART" in out and "巾帼统计" in out
    assert main(["addin", "status", "--profile", str(profile)]) == 0
    assert "已安装" in capsys.readouterr().out
    assert main(["addin", "remove", "--profile", str(profile)]) == 0
    assert "已移除" in capsys.readouterr().out


def test_addin_install_without_a_windows_profile_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.delenv("USERPROFILE", raising=False)
    monkeypatch.delenv("APPDATA", raising=False)
    assert main(["addin", "install"]) == 2
    assert "Windows" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_is_a_clear_error(county_folder, tmp_path, capsys):
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x")
    code = main(["consolidate", str(county_folder), "-o", str(blocker / "汇总.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "无法写入" in err and "Traceback" not in err

"""``jinguo-xl`` as a clerk runs it: Chinese text, the JSON shape, exit codes."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from decimal import Decimal

import openpyxl
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


# ---------------------------------------------------------------------- one language

# Words of argparse's own English (usage, help, errors): none may reach a clerk.
_ARGPARSE_ENGLISH = re.compile(
    r"\b(usage|positional|optional|options|arguments?|required|show|this|help|message|exit|"
    r"invalid|choice|choose|from|unrecognized|expected|one|the|following|program's|version|"
    r"number|ambiguous|could|match|not|allowed|with|ignored|explicit|value)\b",
    re.IGNORECASE,
)


def _english(text: str) -> list[str]:
    """argparse words left in ``text`` once the program name and option names are taken out."""
    return _ARGPARSE_ENGLISH.findall(re.sub(r"jinguo-xl|-{1,2}[A-Za-z][\w-]*", "", text))


def _all_parsers():
    from jinguo_xl.cli import build_parser

    parser = build_parser()
    found = [((), parser)]
    for prefix, p in found:
        for action in p._actions:
            if action.choices and isinstance(action.choices, dict):
                found.extend(((*prefix, name), sub) for name, sub in action.choices.items())
    return found


def test_every_help_and_usage_is_chinese(capsys):
    parsers = _all_parsers()
    assert len(parsers) >= 11  # the program, 6 commands, the add-in actions
    for prefix, _ in parsers:
        with pytest.raises(SystemExit) as exc:
            main([*prefix, "-h"])
        assert exc.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：jinguo-xl"), prefix
        assert "参数：" in out or "选项：" in out
        assert "参数:" not in out and "选项:" not in out  # full-width, as 用法：
        assert "显示本说明后退出" in out
        assert not _english(out), (prefix, out)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], "缺少必填的参数：路径"),
        (["consolidate", "甲"], "缺少必填的参数：-o/--output"),
        (["frobnicate"], "命令 不能是 “frobnicate”，只能是 “check”、“consolidate”"),
        (["check", "甲", "--bogus"], "无法识别的参数：--bogus"),
        (["consolidate", "甲", "-o"], "-o/--output 后面要写一个值"),
        (["--rules-year", "二〇二〇", "check", "甲"], "--rules-year 应为整数，不能是 “二〇二〇”"),
        (["addin", "polish"], "操作 不能是 “polish”"),
    ],
)
def test_usage_errors_are_chinese_and_exit_two(argv, expected, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：jinguo-xl") and expected in err, err
    assert not _english(err), err


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["check", "甲", "--bogus"], "用法：jinguo-xl check "),
        (["consolidate", "甲", "-o", "汇总.xlsx", "--bogus"], "用法：jinguo-xl consolidate "),
        (["addin", "build", "--bogus"], "用法：jinguo-xl addin build "),
        (["--bogus"], "用法：jinguo-xl [-h]"),
    ],
)
def test_an_unknown_option_shows_the_usage_of_its_command(argv, usage, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage) and "无法识别的参数：--bogus" in err, err


def test_an_empty_folder_is_named_in_the_message(tmp_path, capsys):
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert f"在 {empty} 中没有找到可读取的工作簿" in capsys.readouterr().err


def test_json_ok_means_read_and_errors_are_counted_apart(county_folder, capsys):
    main(["check", "城口县", "--json"])
    files = json.loads(capsys.readouterr().out)["files"]
    with_errors = [f for f in files if f["finding_counts"].get("error")]
    assert with_errors and all(f["ok"] is True and f["read"] is True for f in with_errors)
    assert all(f["ok"] == f["read"] for f in files)


def test_an_unforeseen_argparse_message_is_not_shown_in_english():
    from jinguo_xl.cli import zh_usage_error

    assert zh_usage_error("some future wording of argparse") == "命令行参数有误"


# ---------------------------------------------------------------------- why the exit code


def test_check_says_why_it_exits_one(county_folder, capsys):
    assert main(["check", "城口县"]) == 1
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-1].startswith("退出码 1：1 个错误，1 个文件无法读取；"), out[-1]
    assert main(["check", "城口县", "--json"]) == 1
    captured = capsys.readouterr()
    json.loads(captured.out)  # the JSON stays pure; the reason goes to stderr
    assert captured.err.startswith("退出码 1：1 个错误，1 个文件无法读取")


def test_consolidate_says_why_and_counts_resent_bases(county_folder, tmp_path, capsys):
    resent = tmp_path / "重报" / "城口县"
    resent.mkdir(parents=True)
    # Opened and saved again (other bytes): a resubmission, not the same file twice.
    openpyxl.load_workbook(county_folder / "甲合作社.xlsx").save(resent / "甲合作社.xlsx")
    code = main(["consolidate", "城口县", "重报", "-o", str(tmp_path / "汇总.xlsx")])
    out = capsys.readouterr().out
    assert code == 1
    assert "基地 2 个：" in out and "另有重复报送 1 份" in out and "未计入" in out
    assert out.rstrip().splitlines()[-1].startswith("退出码 1：1 个错误，1 个文件无法读取；详见")


# ---------------------------------------------------------------------- environment


def _subprocess_cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "jinguo_xl", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_ctrl_c_while_writing_prints_one_line_and_keeps_the_old_master(county_folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    assert main(["consolidate", "城口县", "-o", str(out), "--json"]) == 1
    before = out.read_bytes()
    script = (
        "import time\n"
        "import jinguo_xl.writers.master as m\n"
        "def hang(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(60)\n"
        "m._ranking = hang\n"
        "from jinguo_xl.cli import main\n"
        f"raise SystemExit(main(['consolidate', '城口县', '-o', {str(out)!r}]))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "已中断，原有汇总表未改动\n"
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["汇总.xlsx", "城口县"])


def test_output_into_a_closed_pipe_ends_quietly(county_folder, tmp_path):
    proc = _subprocess_cli("check", "城口县", "--all-findings", cwd=tmp_path)
    proc.stdout.close()  # like `| head -1` that has already gone
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert proc.returncode in (0, 141), err
    assert err == "", err


def test_json_is_valid_and_text_survives_non_finite_and_huge_numbers(tmp_path, capsys):
    from jinguo_xl.cli import json_safe, print_json

    data = {"a": float("inf"), "b": [float("nan"), Decimal("1E+400"), Decimal("sNaN")]}
    assert json_safe(data) == {"a": None, "b": [None, None, None]}
    print_json({"x": Decimal("1E+26"), "y": -float("inf")})
    assert json.loads(capsys.readouterr().out) == {"x": 1e26, "y": None}

    grid = stacked(
        base_line("丁合作社"), {"手工制作": [woman("张玉兰", "13800130001", extra=[1e26])]}
    )
    write_xlsx(tmp_path / "丁合作社.xlsx", {"统计表": grid})
    assert main(["check", str(tmp_path / "丁合作社.xlsx")]) == 1
    captured = capsys.readouterr()
    assert "结论：" in captured.out and "Traceback" not in captured.err
    assert main(["check", str(tmp_path / "丁合作社.xlsx"), "--json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)["files"]
    assert any(f["code"].startswith("money-") for f in report["findings"])


def test_the_master_write_reports_progress(county_folder, tmp_path, rules):
    import io

    from jinguo_xl.run.batch import consolidate_to, terminal_progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    seen: list[tuple[int, int]] = []
    files = [(p, p.name) for p in sorted(county_folder.glob("[甲乙]*.xlsx"))]
    consolidate_to(
        files, tmp_path / "汇总.xlsx", rules.year, write_progress=lambda d, t: seen.append((d, t))
    )
    assert [d for d, _ in seen] == list(range(1, len(seen) + 1)) and len(seen) >= 9
    assert {t for _, t in seen} == {len(seen)}
    screen = Tty()
    show = terminal_progress(screen, label="写出汇总表")
    show(3, 11)
    assert screen.getvalue() == "\r写出汇总表 [########......................] 3/11"


def test_consolidate_names_the_rows_left_out_of_the_totals(tmp_path, capsys):
    rows = [
        woman("张玉兰", "13800130001", extra=[15000]),  # typed in 元
        woman("李秀英", "13800130002", extra=[0.5], kind="五保户"),
        woman("王桂芳", "13800130003", extra=[0.5]),
    ]
    grid = stacked(base_line("戊合作社"), {"手工制作": rows})
    write_xlsx(tmp_path / "城口县" / "戊合作社.xlsx", {"统计表": grid})
    main(["consolidate", str(tmp_path / "城口县"), "-o", str(tmp_path / "汇总.xlsx")])
    out = capsys.readouterr().out
    assert (
        "未计入合计或目标的行：金额疑似以元填写，金额未计入 1 行；妇女类型无法识别，不计入目标 1 行"
        in out
    )
    main(["consolidate", str(tmp_path / "城口县"), "-o", str(tmp_path / "汇总.xlsx"), "--json"])
    assert json.loads(capsys.readouterr().out)["left_out"] == {
        "金额疑似以元填写，金额未计入": 1,
        "妇女类型无法识别，不计入目标": 1,
    }

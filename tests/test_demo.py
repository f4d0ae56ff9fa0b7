"""The built-in sample data: all 11 combinations, every status, typical mistakes, fictional."""

from __future__ import annotations

import shlex
import subprocess
import sys

from jinguo_xl.cli import main
from jinguo_xl.demo import PLANS, write_demo
from jinguo_xl.run.files import check_file


def test_demo_covers_every_combination_and_status(tmp_path, rules):
    files = write_demo(tmp_path, rules)
    reports = [check_file(f, rules=rules) for f in files]
    assert all(r.ok for r in reports)
    combos = {(r.base.type, t.industry) for r in reports for t in r.tables if t.rows}
    assert combos == {(bt.name, ind) for bt in rules.base_types for ind in bt.industries}
    assert {r.status for r in reports} == {"达标", "基本达标", "未达标", "未填报"}
    assert {r.base.county for r in reports} >= {
        "城口县",
        "酉阳土家族苗族自治县",
        "石柱土家族自治县",
    }
    assert sum(r.base.deep_poverty for r in reports) >= 6
    codes = {f.code for r in reports for f in r.findings}
    assert codes >= {
        "phone-invalid",
        "money-suspect-yuan",
        "money-converted",
        "yesno-converted",
        "women-type-alias",
        "women-type-invalid",
        "date-invalid",
        "row-duplicate",
        "address-missing",
    }


def test_demo_people_are_clearly_fictional(tmp_path, rules):
    files = write_demo(tmp_path, rules)
    for f in files:
        report = check_file(f, rules=rules)
        assert report.base.name.startswith("示例")
        for table in report.tables:
            for row in table.rows:
                assert row.note == "示例数据，人员均为虚构"
                assert row.phone is None or row.phone.startswith("1380013")
    assert len(files) == len(PLANS)


def test_demo_is_deterministic(tmp_path, rules):
    a = [check_file(f, rules=rules) for f in write_demo(tmp_path / "a", rules)]
    b = [check_file(f, rules=rules) for f in write_demo(tmp_path / "b", rules)]
    assert [(r.status, r.reason, r.rows_read) for r in a] == [
        (r.status, r.reason, r.rows_read) for r in b
    ]


def test_demo_command_prints_where_everything_is(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "示例 演示"]) == 0
    out = capsys.readouterr().out
    assert f"写入 {len(PLANS)} 个示例工作簿" in out
    assert "达标情况：" in out
    demo = tmp_path / "示例 演示"
    # inputs apart from outputs: the sample folder holds only the samples
    assert sorted(p.name for p in demo.iterdir()) == [
        "全市汇总.xlsx",
        "样例工作簿",
        "统计表模板.xlsx",
    ]
    assert len(list((demo / "样例工作簿").rglob("*.xlsx"))) == len(PLANS)
    assert (demo / "样例工作簿" / "城口县").is_dir()
    assert "汇总表：示例 演示/全市汇总.xlsx（14 个基地" in out
    assert "…" not in out


def test_demo_hints_paste_and_run_as_printed(tmp_path, capsys, monkeypatch):
    """The closing commands, pasted into a shell where the virtual environment is not
    active, run and read only the samples (nothing the demo itself wrote)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["pytest"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no jinguo-xl on PATH
    assert main(["demo", "示例 演示"]) == 0
    lines = capsys.readouterr().out.splitlines()
    commands = [
        line.strip() for line in lines if line.startswith("  ") and " -m jinguo_xl " in line
    ]
    assert len(commands) == 3, lines
    check_one, check_all, consolidate = commands
    assert check_one.startswith(f"{sys.executable} -m jinguo_xl check '示例 演示/样例工作簿/")
    done = subprocess.run(check_all, shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # the samples carry typical mistakes
    assert f"共 {len(PLANS)} 个文件：读取 {len(PLANS)} 个，无法读取 0 个" in done.stdout
    done = subprocess.run(consolidate, shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert "已生成汇总表：示例 演示/全市汇总.xlsx" in done.stdout, done.stderr
    assert f"读取文件 {len(PLANS)} 个，无法读取 0 个" in done.stdout


def test_the_command_named_in_hints_is_the_one_running(tmp_path, monkeypatch):
    from jinguo_xl.demo import cli_command, shell_quote

    script = tmp_path / "my venv" / "bin" / "jinguo-xl"
    monkeypatch.setattr(sys, "argv", [str(script), "demo"])
    assert cli_command() == shlex.quote(str(script))
    monkeypatch.setattr(sys, "argv", ["-c"])
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cli_command() == f"{shell_quote(sys.executable)} -m jinguo_xl"
    assert shell_quote("城口县/甲.xlsx") == "城口县/甲.xlsx"
    assert shell_quote("a b/c'd.xlsx") == shlex.quote("a b/c'd.xlsx")


def test_corpus_plans_cover_counties_and_combinations_at_the_asked_size(tmp_path, rules):
    from jinguo_xl.demo import corpus_plans, write_plans

    plans = corpus_plans(22, 40, rules)
    assert len({p.folder for p in plans}) == 14
    assert len({(p.type, p.industry) for p in plans}) == 11
    files = write_plans(tmp_path, plans, rules, seed=1)
    reports = [check_file(f, rules=rules) for f in files]
    sizes = [r.rows_read for r in reports]
    assert all(30 <= n <= 60 for n in sizes), sizes
    assert sum(r.error_count for r in reports) == 0

"""The built-in sample data: all 11 combinations, every status, typical mistakes, fictional."""

from __future__ import annotations

from jinguo_xl.cli import main
from jinguo_xl.demo import PLANS, write_demo
from jinguo_xl.engine import check_file


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


def test_demo_command_prints_where_everything_is(tmp_path, capsys):
    assert main(["demo", str(tmp_path / "示例")]) == 0
    out = capsys.readouterr().out
    assert f"写入 {len(PLANS)} 个示例工作簿" in out
    assert "达标情况：" in out
    assert (tmp_path / "示例" / "城口县").is_dir()
    assert (tmp_path / "示例" / "全市汇总.xlsx").is_file()
    assert (tmp_path / "示例" / "统计表模板.xlsx").is_file()
    assert "汇总表：" in out and "14 个基地" in out


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

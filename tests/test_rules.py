"""The notice as data: the 2020 file loads, says what the spec says, and bad files fail early."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
import tomli_w

from jinguo_xl.errors import RulesError
from jinguo_xl.rules import available_years, load_rules, load_rules_file


def _raw():
    return tomllib.loads((resources.files("jinguo_xl.rules") / "2020.toml").read_text("utf-8"))


def test_every_shipped_rules_file_loads():
    assert 2020 in available_years()
    for year in available_years():
        assert load_rules(year).year == year


def test_eleven_type_industry_combinations_each_have_targets(rules):
    combos = [(bt.name, ind) for bt in rules.base_types for ind in bt.industries]
    assert len(combos) == 11
    assert all(rules.targets_for(*c) for c in combos)


def test_table_headers_are_the_sample_form_plus_one_added_column(rules):
    def headers(industry):
        spec = rules.tables[industry]
        return [spec.header_of(k, rules.columns) for k in spec.columns]

    assert headers("手工制作") == [
        "序号",
        "带动妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "产品收入（万元）",
        "妇女类型",
        "备注",
    ]
    assert headers("农村电商")[6:8] == ["代销产品（万元）", "是否就业（脱贫基地选填）"]
    assert rules.tables["农村电商"].added == {"employed"}
    assert headers("家政服务")[6:8] == ["是否合格", "是否就业"]
    assert headers("种植养殖")[7] == "发展产业收入（万元）（扶贫工坊选填）"


def test_targets_read_as_the_notice_says(rules):
    t = {(x.base_type, x.industry, x.metric): x for x in rules.targets}
    assert t[("巾帼脱贫基地", "种植养殖", "training_person_times")].min == 100
    assert (
        t[("巾帼脱贫基地", "农村电商", "employed")].or_group
        == t[("巾帼脱贫基地", "农村电商", "sales_wan")].or_group
    )
    assert t[("巾帼脱贫基地", "乡村旅游", "employed")].in_principle
    assert t[("巾帼扶贫车间", "家政服务", "training_person_times")].in_principle
    assert t[("巾帼扶贫车间", "家政服务", "pass_rate")].min == 0.7
    assert t[("巾帼扶贫家庭工坊", "手工制作", "household_sessions")].per_household
    assert t[("巾帼扶贫家庭工坊", "乡村旅游", "startups")].min == 1


@pytest.mark.parametrize(
    ("text", "official"),
    [
        ("巾帼扶贫车间", "巾帼扶贫车间"),
        ("扶贫工坊", "巾帼扶贫家庭工坊"),
        ("家庭工坊", "巾帼扶贫家庭工坊"),
        (" 脱贫基地 ", "巾帼脱贫基地"),
        ("示范基地", None),
    ],
)
def test_type_spellings(rules, text, official):
    assert rules.resolve_type(text) == official


def test_scope_lists_with_confirmed_flags(rules):
    assert len(rules.counties) == 14
    assert {c.name for c in rules.counties if not c.confirmed} == {
        "万州区",
        "武隆区",
        "丰都县",
        "秀山土家族苗族自治县",
    }
    assert rules.resolve_county("开县") == "开州区"
    assert len(rules.townships) == 17 and rules.notice_township_count == 18
    dashun = next(t for t in rules.townships if t.name == "大顺乡")
    assert dashun.county == "涪陵区" and not dashun.confirmed
    assert next(t for t in rules.townships if t.name == "车田乡").county == "酉阳土家族苗族自治县"


@pytest.mark.parametrize(
    ("situation", "mutate", "message"),
    [
        (
            "target_on_disallowed_industry",
            lambda d: d["targets"].append(
                {
                    "base_type": "巾帼扶贫车间",
                    "industry": "种植养殖",
                    "metric": "employed",
                    "min": 1,
                }
            ),
            "不是允许的组合",
        ),
        ("unknown_metric", lambda d: d["targets"][0].update(metric="happiness"), "未定义的指标"),
        (
            "combination_without_target",
            lambda d: d.update(targets=[t for t in d["targets"] if t["industry"] != "乡村旅游"]),
            "没有目标",
        ),
        (
            "table_with_unknown_column",
            lambda d: d["tables"][0]["columns"].append("age"),
            "未定义的列",
        ),
        (
            "women_alias_to_nowhere",
            lambda d: d["women"]["aliases"].update({"x": "外星人"}),
            "别名指向未知类型",
        ),
        ("missing_key", lambda d: d.pop("counties"), "缺少或写错了字段"),
        (
            "per_household_on_workshop",
            lambda d: d["targets"][5].update(per_household=True),
            "不能按户累加",
        ),
    ],
)
def test_inconsistent_rules_fail_at_load_time(tmp_path, situation, mutate, message):
    data = _raw()
    mutate(data)
    path = tmp_path / f"{situation}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(RulesError, match=message):
        load_rules_file(path)


def test_unparseable_rules_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("year = = 2020", encoding="utf-8")
    with pytest.raises(RulesError, match="无法读取规则文件"):
        load_rules_file(path)

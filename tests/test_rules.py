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


# ------------------------------------------------------------------ rules name what the program has


def _text_2020() -> str:
    return (resources.files("jinguo_xl.rules") / "2020.toml").read_text("utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line == needle)


@pytest.mark.parametrize(
    ("situation", "added", "needle", "message"),
    [
        (
            "metric_without_function",
            '[[metrics]]\nkey = "happiness"\nlabel = "幸福指数"\nkind = "count"\n',
            'key = "happiness"',
            "指标 happiness 没有对应的计算方法",
        ),
        (
            "column_of_unknown_kind",
            '[[columns]]\nkey = "age"\nheader = "年龄"\nkind = "age"\n',
            'kind = "age"',
            "列 age 的类型 age 未知",
        ),
        (
            "target_field_misspelt",
            '[[targets]]\nbase_type = "巾帼扶贫车间"\nindustry = "手工制作"\n'
            'metric = "employed"\nmni = 5\n',
            "mni = 5",
            "targets 中没有“mni”这一项",
        ),
        (
            "target_on_unknown_metric",
            '[[targets]]\nbase_type = "巾帼扶贫车间"\nindustry = "手工制作"\n'
            'metric = "happiness"\nmin = 5\n',
            'metric = "happiness"',
            "目标使用了未定义的指标 happiness",
        ),
    ],
)
def test_rules_naming_what_has_no_implementation_fail_at_load_with_the_line(
    tmp_path, situation, added, needle, message
):
    text = _text_2020() + "\n" + added
    path = tmp_path / f"{situation}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules_file(path)
    assert message in caught.value.message
    assert f"{situation}.toml 第 {_line_of(text, needle)} 行" in caught.value.message


_NOTICE_2021 = """
[[columns]]
key = "insured"
header = "是否参保"
kind = "yesno"

[[metrics]]
key = "insured_women"
label = "参保人数"
kind = "count"
unit = ""

[[targets]]
base_type = "巾帼扶贫车间"
industry = "手工制作"
metric = "insured_women"
min = 2
"""


@pytest.fixture
def notice_2021(tmp_path):
    """An imaginary 2021 notice: one new 是/否 column, one new metric and its target; the
    only code it needs is the metric's function, registered here."""
    from jinguo_xl.vocabulary.metrics import METRICS, metric

    @metric("insured_women", needs=("insured",))
    def insured_women(t, ctx):
        flags = t.col("insured")
        return len({p for p, c, f in zip(t.persons, t.counted, flags, strict=True) if c and f})

    text = _text_2020().replace("year = 2020", "year = 2021", 1)
    old = '"income", "women_type", "note"]\noptional = ["seq", "note"]\nmoney = "income"'
    assert text.count(old) == 2  # 手工制作 and 加工制造
    text = text.replace(old, old.replace('"income", ', '"income", "insured", '), 1)
    path = tmp_path / "2021.toml"
    path.write_text(text + _NOTICE_2021, encoding="utf-8")
    try:
        yield load_rules_file(path)
    finally:
        METRICS.pop("insured_women")


@pytest.mark.parametrize(("insured", "status"), [(["是", "√"], "达标"), (["是", "否"], "未达标")])
def test_a_new_column_and_metric_need_only_the_metric_function(
    tmp_path, notice_2021, insured, status
):
    from jinguo_xl.run.files import check_file
    from tests.conftest import HEADERS, base_line, people, write_xlsx

    header = list(HEADERS["手工制作"])
    header.insert(header.index("产品收入\n（万元）") + 1, "是否参保")
    rows = people(20, sessions=3, extra=[0.5, None])
    rows[0][7], rows[1][7] = insured
    grid = [[base_line()], ["手工制作带动统计表："], header, *rows]
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid}), rules=notice_2021)
    (result,) = [r for r in report.results if r.rows]
    assert result.metrics.insured_women == (2 if status == "达标" else 1)
    assert report.status == status
    assert f"参保人数 {result.metrics.insured_women}/2" in report.reason
    converted = [(f.cell, f.column) for f in report.findings if f.code == "yesno-converted"]
    assert converted == ([("H5", "是否参保")] if status == "达标" else [])


# ---------------------------------------------------------------- values kept with the rules


def test_a_derived_value_is_built_once_and_kept_with_its_own_rules_object(rules):
    import copy
    import dataclasses
    import pickle

    built = []

    def build(r):
        built.append(r)
        return object()

    first = rules.derived(build)
    assert rules.derived(build) is first and built == [rules]
    other = dataclasses.replace(rules, money_suspect_wan=1000.0)
    assert other.derived(build) is not first and built == [rules, other]
    for twin in (copy.deepcopy(rules), pickle.loads(pickle.dumps(rules))):
        assert twin == rules
        assert twin.derived(build) is not first
    assert rules.derived(build) is first


def test_bound_parsers_follow_the_rules_they_were_bound_with(rules):
    import dataclasses

    from jinguo_xl.vocabulary.columns import parsers_for

    assert parsers_for(rules)["income"](80).code == "money-suspect-yuan"  # above 50 万元
    lenient = dataclasses.replace(rules, money_suspect_wan=100.0)
    assert parsers_for(lenient)["income"](80).code is None
    assert parsers_for(rules)["income"](80).code == "money-suspect-yuan"
    assert parsers_for(rules) is parsers_for(rules)


@pytest.mark.parametrize(
    ("text", "industry"),
    [("手工制作类", "手工制作"), (" 家政 服务 ", "家政服务"), ("Sheet1", None), (None, None)],
)
def test_the_industry_named_in_a_text(rules, text, industry):
    assert rules.industry_in(text) == industry

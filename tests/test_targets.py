"""Spec §4–5: metrics, every target, boundaries and statuses, counted from grids in memory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from jinguo_xl.count.targets import fmt_number
from jinguo_xl.run.files import check_file
from tests.conftest import HEADERS, base_line, judge, people, stacked, woman, write_xlsx


def check(tmp_path, kind: str, industry: str, rows, *, extra_lines=(), name="test.xlsx"):
    grid = stacked(base_line(kind=kind), {industry: rows})
    grid[2:2] = [[line] for line in extra_lines]
    return judge({"统计表": grid}, file=f"城口县/{name}")


def table(report):
    (result,) = [r for r in report.results if r.rows]
    return result


def targets(result):
    return {t.metric: (t.actual, t.required, t.met) for t in result.targets}


# ------------------------------------------------------------------ 扶贫车间 · 手工制作 / 加工制造


@pytest.mark.parametrize("industry", ["手工制作", "加工制造"])
def test_workshop_exactly_at_both_thresholds_is_met(tmp_path, industry):
    # 20 women with income (employed) trained twice = 40 人次, plus 10 more women without income
    rows = people(20, sessions=2, extra=[0.5]) + people(
        10, prefix="李", extra=[None], start_phone=100
    )
    report = check(tmp_path, "巾帼扶贫车间", industry, rows)
    result = table(report)
    assert targets(result) == {"training_person_times": (50, 50, True), "employed": (20, 20, True)}
    assert result.status == report.status == "达标"
    assert result.metrics.training_sessions == 2  # 李's one date is 张's first: the same session
    assert result.metrics.sales_wan == Decimal("20.0")


def test_workshop_one_short_is_not_met_with_reason(tmp_path):
    rows = people(19, sessions=2, extra=[0.5]) + people(
        11, prefix="李", extra=[None], start_phone=100
    )
    report = check(tmp_path, "巾帼扶贫车间", "手工制作", rows)
    assert report.status == "未达标"
    assert report.reason == "未达标：培训人次 49/50，带动就业 19/20"
    assert targets(table(report))["training_person_times"] == (49, 50, False)


def test_only_counted_women_count_toward_targets(tmp_path):
    rows = (
        people(20, sessions=2, extra=[0.5])
        + people(30, prefix="赵", kind="留守妇女", extra=[1.0], start_phone=200)
        + people(5, prefix="钱", kind="普通妇女", extra=[1.0], start_phone=300)
    )
    report = check(tmp_path, "巾帼扶贫车间", "手工制作", rows)
    result = table(report)
    assert targets(result)["training_person_times"] == (40, 50, False)
    assert result.metrics.employed == 20
    assert result.metrics.sales_wan == Decimal("20.0")
    assert result.metrics.sales_wan_all == Decimal("55.0")
    assert report.totals(pytest.importorskip("jinguo_xl.rules").load_rules())["产品收入"] == 55


def test_unpoverty_women_count_and_their_share_is_reported(tmp_path):
    rows = people(10, kind="未脱贫妇女", extra=[1]) + people(
        30, prefix="李", extra=[1], start_phone=100
    )
    result = table(check(tmp_path, "巾帼扶贫车间", "手工制作", rows))
    assert result.metrics.training_person_times == 40
    assert result.metrics.priority_share == Fraction(1, 4)


def test_employed_counts_distinct_women_not_rows(tmp_path):
    rows = people(5, sessions=4, extra=[0.1])  # 5 women, 20 rows, each with income
    result = table(check(tmp_path, "巾帼扶贫车间", "加工制造", rows))
    assert result.metrics.employed == 5
    assert result.metrics.training_person_times == 20


# ------------------------------------------------------------------ 扶贫车间 · 家政服务


def _housekeeping(trained: int, qualified: int, employed: int):
    rows = []
    for i in range(trained):
        extra = ["是" if i < qualified else "否", "是" if i < employed else "否"]
        rows.append(
            woman(
                f"周{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'子丑寅卯辰巳午未申酉'[i // 10 % 10]}"
                f"{'东南西北中'[i // 100]}",
                f"1380013{i:04d}",
                extra=extra,
                content="母婴护理",
            )
        )
    return rows


def test_housekeeping_rates_exactly_at_70_and_50_percent_are_met(tmp_path):
    report = check(tmp_path, "巾帼扶贫车间", "家政服务", _housekeeping(60, 42, 30))
    result = table(report)
    assert result.metrics.pass_rate == Fraction(7, 10)
    assert result.metrics.employment_rate == Fraction(1, 2)
    assert report.status == "达标"
    assert "培训合格率 70%/70%" in report.reason and "转移就业率 50%/50%" in report.reason


def test_housekeeping_rate_just_below_half_is_not_met_unrounded(tmp_path):
    # 29/59 = 49.15% — would round to 49%, and is below 50% exactly
    report = check(tmp_path, "巾帼扶贫车间", "家政服务", _housekeeping(59, 59, 29))
    assert report.status == "未达标"
    assert report.reason == "未达标：转移就业率 49.15%/50%"


def test_housekeeping_person_times_missed_in_principle_is_basic(tmp_path):
    report = check(tmp_path, "巾帼扶贫车间", "家政服务", _housekeeping(49, 40, 30))
    assert report.status == "基本达标"
    assert report.reason == "基本达标：培训人次 49/50（原则上）"


def test_housekeeping_rates_count_all_women_not_only_counted(tmp_path):
    rows = _housekeeping(10, 10, 10)
    for row in rows[:5]:
        row[-2] = "留守妇女"
    result = table(check(tmp_path, "巾帼扶贫车间", "家政服务", rows))
    assert result.metrics.pass_rate == 1 and result.metrics.training_person_times == 5


# ------------------------------------------------------------------ 脱贫基地


def test_poverty_base_planting_thresholds(tmp_path):
    rows = people(20, sessions=5, extra=["是", None])
    report = check(tmp_path, "巾帼脱贫基地", "种植养殖", rows)
    assert targets(table(report)) == {
        "training_person_times": (100, 100, True),
        "employed": (20, 20, True),
    }


@pytest.mark.parametrize(
    ("employed", "sales", "status"),
    [
        (5, 0, "达标"),  # OR: the employment branch alone
        (0, 20, "达标"),  # OR: the sales branch alone
        (4, 19.99, "未达标"),  # neither
    ],
)
def test_poverty_base_ecommerce_or_target(tmp_path, employed, sales, status):
    rows = people(10, extra=[None, "否"])
    for i in range(employed):
        rows[i][7] = "是"
    rows[-1][6] = sales or None
    report = check(tmp_path, "巾帼脱贫基地", "农村电商", rows)
    assert report.status == status
    if status == "未达标":
        assert report.reason == "未达标：带动就业 4/5 或 销售/收入 19.99/20 万元"


def test_ecommerce_without_the_added_column_can_only_meet_by_sales(tmp_path):
    header = [
        "序号",
        "带动妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "代销产品（万元）",
        "妇女类型",
        "备注",
    ]
    rows = [woman("张三", "13800130001", extra=[5])]
    grid = [[base_line(kind="巾帼脱贫基地")], ["农村电商带动统计表："], header, *rows]
    path = write_xlsx(tmp_path / "a.xlsx", {"s": grid})
    report = check_file(path)
    assert report.reason == (
        "未达标：带动就业 无法统计（表中没有“是否就业（脱贫基地选填）”列） 或 销售/收入 5/20 万元"
    )
    assert ("s", "A3", "column-optional-missing") in {
        (f.sheet, f.cell, f.code) for f in report.findings
    }
    rows[0][6] = 20
    path = write_xlsx(tmp_path / "b.xlsx", {"s": [grid[0], grid[1], header, *rows]})
    assert check_file(path).status == "达标"


@pytest.mark.parametrize(("employed", "status"), [(10, "达标"), (9, "基本达标")])
def test_poverty_base_tourism_in_principle(tmp_path, employed, status):
    rows = people(12, extra=["否", None])
    for i in range(employed):
        rows[i][6] = "是"
    assert check(tmp_path, "巾帼脱贫基地", "乡村旅游", rows).status == status


# ------------------------------------------------------------------ 家庭工坊 (per household)


def _workshop_rows(households: int, sessions: int, *, money: float, industry_extra=None):
    rows = []
    for h in range(households):
        for s in range(sessions):
            extra = industry_extra(h, s) if industry_extra else [money]
            rows.append(
                woman(
                    f"吴{'甲乙丙丁戊'[h]}",
                    f"1380013{h:04d}",
                    address=f"城口县鸡鸣乡青山村{h + 1}组",
                    date=dt.date(2020, 3, 1) + dt.timedelta(days=s),
                    extra=extra,
                )
            )
    return rows


def test_family_workshop_targets_accumulate_over_derived_households(tmp_path):
    # 2 households × 20 trainings, 0.05 万元 each row → 2 万元: exactly 20·2 and 1·2
    report = check(tmp_path, "巾帼扶贫家庭工坊", "手工制作", _workshop_rows(2, 20, money=0.05))
    result = table(report)
    assert result.metrics.households == 2
    assert targets(result) == {
        "household_sessions": (40, 40, True),
        "sales_wan": (Decimal("2.00"), 2, True),
    }
    assert report.status == "达标"
    assert any(f.code == "households-derived" for f in report.findings)


def test_family_workshop_declared_households_raise_the_target(tmp_path):
    report = check(
        tmp_path,
        "巾帼扶贫家庭工坊",
        "手工制作",
        _workshop_rows(2, 20, money=0.05),
        extra_lines=["帮扶户数：3"],
    )
    result = table(report)
    assert result.metrics.households == 3
    assert report.reason == "未达标：培训次数（按户累计） 40/60，销售/收入 2/3 万元"


def test_family_workshop_declared_fewer_than_found_is_a_warning(tmp_path):
    report = check(
        tmp_path,
        "巾帼扶贫家庭工坊",
        "手工制作",
        _workshop_rows(2, 20, money=0.05),
        extra_lines=["帮扶户数：1"],
    )
    assert table(report).metrics.households == 1
    assert report.status == "达标"
    assert [f.code for f in report.findings if f.severity == "warning"] == [
        "households-understated"
    ]


def test_session_attended_by_two_households_counts_once_for_each(tmp_path):
    rows = [
        woman("吴甲", "13800130001", address="青山村1组", extra=[0.5]),
        woman("吴乙", "13800130002", address="青山村2组", extra=[0.5]),
        woman("吴丙", "13800130003", address="青山村2组", extra=[0.5]),
    ]  # same household
    result = table(check(tmp_path, "巾帼扶贫家庭工坊", "加工制造", rows))
    assert result.metrics.training_sessions == 1
    assert result.metrics.household_sessions == 2
    assert result.metrics.households == 2


def test_one_household_typed_with_different_spaces_counts_once(tmp_path):
    rows = [
        woman("吴甲", "13800130001", address="青山村 2组", extra=[0.5]),
        woman("吴乙", "13800130002", address="青山村  2组", extra=[0.5]),
        woman("吴丙", "13800130003", address="青山村\u30002 组", extra=[0.5]),
        woman("吴丁", "13800130004", address="青山村3组", extra=[0.5]),
    ]
    result = table(check(tmp_path, "巾帼扶贫家庭工坊", "加工制造", rows))
    assert result.metrics.households == 2
    assert result.metrics.household_sessions == 2


def test_family_workshop_tourism_needs_a_startup_per_household(tmp_path):
    def extra(h, s):
        return [None, "是" if (h == 0 and s == 0) else "否"]

    rows = _workshop_rows(1, 20, money=0, industry_extra=extra)
    assert check(tmp_path, "巾帼扶贫家庭工坊", "乡村旅游", rows).status == "达标"
    rows = _workshop_rows(2, 20, money=0, industry_extra=extra)
    report = check(tmp_path, "巾帼扶贫家庭工坊", "乡村旅游", rows, name="two.xlsx")
    assert report.reason == "未达标：带动创业 1/2"


@pytest.mark.parametrize(
    ("industry", "sessions", "money"),
    [("加工制造", 10, 0.1), ("农村电商", 10, 0.2), ("种植养殖", 10, 0.2)],
)
def test_family_workshop_ten_sessions_industries_at_threshold(tmp_path, industry, sessions, money):
    def extra(h, s):
        if industry == "农村电商":
            return [money, None]
        if industry == "种植养殖":
            return [None, money]
        return [money]

    rows = _workshop_rows(1, sessions, money=money, industry_extra=extra)
    report = check(tmp_path, "巾帼扶贫家庭工坊", industry, rows)
    assert report.status == "达标", report.reason
    rows = _workshop_rows(1, sessions - 1, money=money, industry_extra=extra)
    assert check(tmp_path, "巾帼扶贫家庭工坊", industry, rows, name="b.xlsx").status == "未达标"


# ------------------------------------------------------------------ status of the base


def test_type_not_allowed_for_industry_is_an_error_and_not_met(tmp_path):
    report = check(tmp_path, "巾帼扶贫车间", "种植养殖", people(3, extra=["是", None]))
    assert report.status == "未达标"
    assert "巾帼扶贫车间不能填报种植养殖表" in report.reason
    assert any(f.code == "industry-not-allowed" and f.severity == "error" for f in report.findings)


def test_base_takes_the_worst_status_of_its_tables(tmp_path):
    grid = stacked(
        base_line(kind="巾帼扶贫家庭工坊"),
        {
            "手工制作": _workshop_rows(1, 20, money=0.05),
            "加工制造": _workshop_rows(1, 3, money=0.5),
        },
    )
    report = check_file(write_xlsx(tmp_path / "x.xlsx", {"s": grid}))
    assert [r.status for r in report.results if r.rows] == ["达标", "未达标"]
    assert report.status == "未达标"
    assert report.reason.startswith("未达标：手工制作达标：")


def test_empty_workbook_is_not_filled(tmp_path):
    grid = stacked(base_line(), {"手工制作": []})
    report = check_file(write_xlsx(tmp_path / "x.xlsx", {"s": grid}))
    assert report.status == "未填报"
    assert [f.code for f in report.findings if f.severity != "info"] == [
        "county-unknown",
        "no-tables",
    ]


def test_unknown_type_cannot_be_decided(tmp_path):
    report = check(tmp_path, "巾帼示范点", "手工制作", people(3, extra=[1]))
    assert report.status == "无法判定"
    assert any(f.code == "base-type-invalid" for f in report.findings)


@pytest.mark.parametrize(
    ("value", "text"),
    [(45, "45"), (Decimal("3.90"), "3.9"), (Decimal("2.125"), "2.13"), (Fraction(1, 3), "0.33")],
)
def test_fmt_number(value, text):
    assert fmt_number(value) == text


# ------------------------------------------------------------------ amounts left out (spec §7)


def _one_household(amounts):
    """One 家庭工坊 household trained 20 times; the first rows carry ``amounts``."""
    rows = _workshop_rows(1, 20, money=None)
    for row, amount in zip(rows, amounts, strict=False):
        row[6] = amount
    return rows


def test_amount_typed_in_yuan_is_left_out_and_named_in_the_reason(tmp_path):
    report = check(tmp_path, "巾帼扶贫家庭工坊", "手工制作", _one_household([0.4, 15000]))
    result = table(report)
    assert result.metrics.sales_wan == result.metrics.sales_wan_all == Decimal("0.4")
    assert report.reason == "未达标：销售/收入 0.4/1 万元（另有 1 行金额疑似以元填写，未计入）"
    assert result.left_out == report.left_out == {"金额疑似以元填写": 1}
    assert report.totals(__import__("jinguo_xl.rules").rules.load_rules()) == {
        "产品收入": Decimal("0.4"),
        "代销产品": Decimal(0),
        "发展产业收入": Decimal(0),
    }
    (f,) = [f for f in report.findings if f.code == "money-suspect-yuan"]
    assert (f.severity, f.cell) == ("error", "G10")  # below the caption, header and legend
    assert "15000" in f.message and "未计入" in f.message


def test_a_met_target_does_not_mention_the_rows_left_out(tmp_path):
    report = check(tmp_path, "巾帼扶贫家庭工坊", "手工制作", _one_household([1, 15000]))
    assert report.reason == "达标：培训次数（按户累计） 20/20，销售/收入 1/1 万元"
    assert report.left_out == {"金额疑似以元填写": 1}


def test_phone_in_a_money_cell_counts_nowhere_and_is_never_quoted(tmp_path):
    rows = people(20, sessions=3, extra=[0.5])
    rows[0][6] = "138 0013 8802"
    rows[1][6] = 13800138803
    rows[2][6] = "很多"
    report = check(tmp_path, "巾帼扶贫车间", "手工制作", rows)
    result = table(report)
    assert result.metrics.sales_wan == Decimal("28.5")  # 57 rows × 0.5
    assert result.left_out == {"金额像电话号码": 2, "金额无法识别": 1}
    assert targets(result)["employed"] == (20, 20, True)  # each woman has other paid rows
    assert all("8802" not in f.message and "8803" not in f.message for f in report.findings)
    assert [f.severity for f in report.findings if f.code == "money-phone-like"] == ["error"] * 2


def test_employment_by_income_names_the_rows_left_out(tmp_path):
    rows = people(20, sessions=3, extra=[0.5])
    rows[0][6] = 15000  # 张一一's only paid row is now left out
    rows[20][6] = rows[40][6] = None
    report = check(tmp_path, "巾帼扶贫车间", "手工制作", rows)
    assert report.reason == "未达标：带动就业 19/20（另有 1 行金额疑似以元填写，未计入）"


def _renamed_money_header(industry: str) -> list[str]:
    return [("收入(万元)" if "万元" in h else h) for h in HEADERS[industry]]


def test_missing_money_column_cannot_be_judged_rather_than_zero(tmp_path):
    rows = _one_household([1])
    grid = [[base_line(kind="巾帼扶贫家庭工坊")], ["手工制作带动统计表："]]
    grid += [_renamed_money_header("手工制作"), *rows]
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid}))
    assert report.status == "无法判定"
    assert report.reason == (
        "无法判定：销售/收入 无法统计（缺少“产品收入（万元）”列）"
    )
    sales = next(t for t in table(report).targets if t.metric == "sales_wan")
    assert (sales.actual, sales.met, sales.undecidable) == (None, False, True)
    assert ("s", "A3", "column-missing") in {(f.sheet, f.cell, f.code) for f in report.findings}


def test_missing_money_column_is_named_beside_a_target_missed_on_its_own(tmp_path):
    grid = [[base_line()], ["手工制作带动统计表："], _renamed_money_header("手工制作")]
    grid += people(10, extra=[1])
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid}))
    assert report.reason == (
        "未达标：培训人次 10/50，带动就业 无法统计（缺少“产品收入（万元）”列）"
    )

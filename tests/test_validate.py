"""Row and base checks (spec §7): each finding has its code, severity and the right cell."""

from __future__ import annotations

import datetime as dt

import pytest

from jinguo_xl.run.files import check_file
from tests.conftest import HEADERS, base_line, judge, people, woman, write_xlsx


def findings_of(
    tmp_path, rows, *, industry="手工制作", kind="巾帼扶贫车间", lines=(), folder="城口县"
):
    grid = [
        [base_line(kind=kind)],
        *[[line] for line in lines],
        [f"{industry}带动统计表："],
        HEADERS[industry],
        *rows,
    ]
    report = judge({"表": grid}, file=f"{folder}/x.xlsx" if folder else "x.xlsx")
    return report, {(f.cell, f.code) for f in report.findings}


def test_a_clean_row_has_no_findings(tmp_path):
    report, _ = findings_of(tmp_path, [woman("张玉兰", "13800130001", extra=[0.5])])
    assert [f for f in report.findings if f.severity != "info"] == []


@pytest.mark.parametrize(
    ("row", "cell", "code", "severity"),
    [
        (woman("", "13800130001", extra=[1]), "B4", "name-missing", "error"),
        (woman("张3", "13800130001", extra=[1]), "B4", "name-invalid", "error"),
        (woman("张玉兰", "13800130001", address="", extra=[1]), "C4", "address-missing", "error"),
        (woman("张玉兰", "", extra=[1]), "D4", "phone-missing", "error"),
        (woman("张玉兰", "1380013000", extra=[1]), "D4", "phone-invalid", "error"),
        (woman("张玉兰", "67125297", extra=[1]), "D4", "phone-no-area-code", "warning"),
        (woman("张玉兰", "13800130001", date="三月初", extra=[1]), "E4", "date-invalid", "error"),
        (
            woman("张玉兰", "13800130001", date=dt.date(2019, 12, 30), extra=[1]),
            "E4",
            "date-outside-year",
            "warning",
        ),
        (
            woman("张玉兰", "13800130001", date="2020.3.5-3.7", extra=[1]),
            "E4",
            "date-range",
            "info",
        ),
        (
            woman("张玉兰", "13800130001", content="", extra=[1]),
            "F4",
            "training-content-missing",
            "error",
        ),
        (woman("张玉兰", "13800130001", extra=["很多"]), "G4", "money-invalid", "error"),
        (woman("张玉兰", "13800130001", extra=[-1]), "G4", "money-negative", "error"),
        (woman("张玉兰", "13800130001", extra=["15000元"]), "G4", "money-converted", "warning"),
    (woman("张玉兰", "13800130001", extra=["0.5"]), "G4", "money-as-text", "warning"),
        (woman("张玉兰", "13800130001", extra=[15000]), "G4", "money-suspect-yuan", "error"),
        (
            woman("张玉兰", "13800130001", extra=["138 0013 8802"]),
            "G4",
            "money-phone-like",
            "error",
        ),
        (woman("张玉兰", "13800130001", kind="", extra=[1]), "H4", "women-type-missing", "error"),
        (
            woman("张玉兰", "13800130001", kind="贫困户", extra=[1]),
            "H4",
            "women-type-alias",
            "warning",
        ),
        (
            woman("张玉兰", "13800130001", kind="五保户", extra=[1]),
            "H4",
            "women-type-invalid",
            "error",
        ),
    ],
)
def test_row_finding_lands_on_its_cell(tmp_path, row, cell, code, severity):
    report, found = findings_of(tmp_path, [row])
    assert (cell, code) in found
    (f,) = [f for f in report.findings if f.code == code]
    assert f.severity == severity and f.sheet == "表" and f.excel_row == 4
    assert f.where == f"城口县/x.xlsx!表!{cell}" or f.where.endswith(f"x.xlsx!表!{cell}")


def test_training_content_without_date(tmp_path):
    row = woman("张玉兰", "13800130001", extra=[1])
    row[4] = None
    _, found = findings_of(tmp_path, [row])
    assert ("E4", "training-date-missing") in found


def test_yes_no_variants_and_garbage(tmp_path):
    rows = [
        woman("张玉兰", "13800130001", extra=["√", "否"]),
        woman("李秀英", "13800130002", extra=["好", "是"]),
    ]
    report, found = findings_of(tmp_path, rows, industry="家政服务")
    assert ("G4", "yesno-converted") in found
    assert ("G5", "yesno-invalid") in found
    (conv,) = [f for f in report.findings if f.code == "yesno-converted"]
    assert conv.column == "是否合格" and "“√”按“是”计" in conv.message


def test_double_entry_points_at_the_second_row_name(tmp_path):
    row = woman("张玉兰", "13800130001", extra=[1])
    report, found = findings_of(tmp_path, [row, list(row)])
    assert ("B5", "row-duplicate") in found
    assert "第 4 行" in next(f.message for f in report.findings if f.code == "row-duplicate")


def test_rows_with_findings_still_count(tmp_path):
    rows = [
        woman("张玉兰", "1380013000", extra=["15000元"]),  # bad phone, converted money
        woman("李秀英", "13800130002", kind="五保户", extra=[2]),
    ]  # not counted
    report, _ = findings_of(tmp_path, rows)
    (result,) = [r for r in report.results if r.rows]
    assert result.metrics.training_person_times == 1
    assert float(result.metrics.sales_wan) == 1.5
    assert float(result.metrics.sales_wan_all) == 3.5
    assert report.rows_read == 2


def test_messages_never_copy_a_phone_number_or_address(tmp_path):
    rows = [
        woman("张玉兰", "138001300019", address="", extra=[1]),
        woman("李秀英", "67125297", address="城口县鸡鸣乡青山村9组", extra=[1]),
    ]
    report, _ = findings_of(tmp_path, rows)
    text = " ".join(f.message for f in report.findings)
    assert "138001300019" not in text and "67125297" not in text and "青山村9组" not in text


# ------------------------------------------------------------------ base information


def test_base_type_short_form_is_accepted_with_warning(tmp_path):
    report, found = findings_of(
        tmp_path, [woman("张玉兰", "13800130001", extra=[1])], kind="扶贫车间"
    )
    assert report.base.type == "巾帼扶贫车间"
    assert ("A1", "base-type-alias") in found


def test_missing_base_fields(tmp_path):
    grid = [
        ["手工制作带动统计表："],
        HEADERS["手工制作"],
        woman("张玉兰", "13800130001", extra=[1]),
    ]
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid}))
    codes = {f.code: f.severity for f in report.findings}
    assert codes["base-name-missing"] == "error"
    assert codes["base-type-missing"] == "error"
    assert codes["leader-missing"] == "warning"


@pytest.mark.parametrize(
    ("line", "folder", "county", "code"),
    [
        ("所属区县：酉阳", "收件箱", "酉阳土家族苗族自治县", None),
        ("所属区县：涪陵区", "收件箱", "涪陵区", "county-outside-scope"),
        (None, "石柱", "石柱土家族自治县", "county-from-folder"),
        (None, "收件箱", "未知区县", "county-unknown"),
    ],
)
def test_county_from_field_folder_or_unknown(tmp_path, line, folder, county, code):
    report, found = findings_of(
        tmp_path,
        [woman("张玉兰", "13800130001", extra=[1])],
        lines=[line] if line else [],
        folder=folder,
    )
    assert report.base.county == county
    county_codes = {c for _, c in found if c.startswith("county")}
    assert county_codes == ({code} if code else set())


@pytest.mark.parametrize(
    ("county", "township", "name", "deep"),
    [
        ("城口县", "鸡鸣乡", "鸡鸣乡", True),
        ("城口", "鸡鸣", "鸡鸣乡", True),  # without suffix, unambiguous in the county
        ("酉阳县", "酉阳县车田乡", "车田乡", True),
        ("城口县", "修齐镇", "修齐镇", False),
        ("巫溪县", "鸡鸣乡", "鸡鸣乡", False),  # listed township, but of another county
    ],
)
def test_deep_poverty_township_matching(tmp_path, county, township, name, deep):
    report, _ = findings_of(
        tmp_path,
        [woman("张玉兰", "13800130001", extra=[1])],
        lines=[f"所属区县：{county}    所在乡镇（街道）：{township}"],
    )
    assert report.base.township == name
    assert report.base.deep_poverty is deep


def test_invalid_households_and_year(tmp_path):
    report, found = findings_of(
        tmp_path,
        [woman("张玉兰", "13800130001", extra=[1])],
        kind="巾帼扶贫家庭工坊",
        lines=["帮扶户数：若干    统计年度：2021    填报日期：九月"],
    )
    assert {c for _, c in found} >= {"households-invalid", "year-mismatch", "fill-date-invalid"}
    assert report.base.households is None


def test_declared_industry_mismatch_warns(tmp_path):
    _, found = findings_of(
        tmp_path, [woman("张玉兰", "13800130001", extra=[1])], lines=["帮扶产业：加工制造"]
    )
    assert ("A2", "industry-mismatch") in {(c, code) for c, code in found}


def test_missing_required_column_is_an_error_on_the_header(tmp_path):
    header = [h for h in HEADERS["手工制作"] if h != "家庭住址"]
    row = woman("张玉兰", "13800130001", extra=[1])
    del row[2]
    grid = [[base_line()], ["手工制作带动统计表："], header, row]
    report = check_file(write_xlsx(tmp_path / "x.xlsx", {"s": grid}))
    (f,) = [f for f in report.findings if f.code == "column-missing"]
    assert (f.cell, f.column, f.severity) == ("A3", "家庭住址", "error")


def test_households_understated_points_at_the_declared_count(tmp_path):
    info = [
        ["带动基地名称", "示例工坊"],
        ["创建基地类型", "巾帼扶贫家庭工坊"],
        ["基地负责人姓名", "王经理"],
        ["所属区县", "城口县"],
        ["所在乡镇（街道）", "鸡鸣乡"],
        ["帮扶产业", "手工制作"],
        ["帮扶户数", 1],
    ]
    rows = [
        woman("张玉兰", "13800130001", address="青山村1组", extra=[1]),
        woman("李秀英", "13800130002", address="青山村2组", extra=[1]),
    ]
    sheets = {"基本信息": info, "手工制作": [HEADERS["手工制作"], *rows]}
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", sheets))
    (f,) = [f for f in report.findings if f.code == "households-understated"]
    assert (f.sheet, f.cell) == ("基本信息", "B7")


def test_implausible_household_count_is_an_error_not_a_target(tmp_path):
    report, found = findings_of(
        tmp_path,
        [woman("张玉兰", "13800130001", extra=[1])],
        kind="巾帼扶贫家庭工坊",
        lines=["帮扶户数：100000000000000000000000000"],
    )
    assert ("A2", "households-implausible") in found
    assert report.base.households is None
    assert report.reason == "未达标：培训次数（按户累计） 1/20"  # one derived household


def test_unnamed_filled_table_is_reported_and_cannot_be_judged(tmp_path):
    info = [["带动基地名称", "示例车间"], ["创建基地类型", "巾帼扶贫车间"], ["帮扶产业", None]]
    sheets = {"基本信息": info, "Sheet1": [HEADERS["加工制造"], *people(24, extra=[0.5])]}
    report = check_file(write_xlsx(tmp_path / "城口县" / "x.xlsx", sheets))
    codes = {(f.sheet, f.cell, f.code) for f in report.findings}
    assert ("Sheet1", "A1", "table-industry-unknown") in codes
    assert not any(c == "no-tables" for *_, c in codes)
    (f,) = [f for f in report.findings if f.code == "table-industry-unknown"]
    assert "24 行" in f.message and "手工制作或加工制造" in f.message
    assert report.status == "无法判定"
    assert report.reason == (
        "无法判定：工作表“Sheet1”中有 24 行数据的表无法确定产业（可能是手工制作或加工制造）"
    )

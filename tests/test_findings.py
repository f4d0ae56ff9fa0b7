"""The finding model: codes, severities, positions and the one builder."""

from __future__ import annotations

import json
import pickle

import pytest

from jinguo_xl.findings import (
    Code,
    Finding,
    Findings,
    Scope,
    Severity,
    by_severity,
    cell_ref,
    column_letter,
    count_by_severity,
    parse_cell,
)
from jinguo_xl.privacy.redact import ADDRESS_HIDDEN

# ---------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("row", "col", "cell"),
    [(0, 0, "A1"), (6, 3, "D7"), (9, 25, "Z10"), (0, 26, "AA1"), (1_048_575, 16_383, "XFD1048576")],
)
def test_a_position_and_its_excel_address_convert_both_ways(row, col, cell):
    assert cell_ref(row, col) == cell
    assert parse_cell(cell) == (row, col)


@pytest.mark.parametrize("text", ["", "7", "D", "D0", "1D", "D7!", "手工制作!D7", "ABCD1"])
def test_anything_but_an_address_parses_to_nothing(text):
    assert parse_cell(text) is None


def test_column_letters_run_past_z():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_the_cell_the_row_and_the_address_come_from_the_position():
    out = Findings("城口县/某合作社.xlsx")
    f = out.add(Code.PHONE_INVALID, "手工制作", 6, 3, detail="位数不对")
    assert (f.row, f.col) == (6, 3)
    assert f.cell == "D7"
    assert f.excel_row == 7
    assert f.place == "手工制作!D7"
    assert f.where == "城口县/某合作社.xlsx!手工制作!D7"


def test_a_finding_about_the_base_points_at_its_cell_but_names_no_row():
    f = Findings("x.xlsx").add(Code.BASE_NAME_MISSING, "统计表", 1, 1, column="带动基地名称")
    assert Code.BASE_NAME_MISSING.scope is Scope.BASE
    assert (f.cell, f.excel_row, f.where) == ("B2", None, "x.xlsx!统计表!B2")


def test_a_finding_about_a_whole_file_has_no_cell():
    f = Findings().add(Code.BASE_SENT_TWICE, file="a.xlsx", detail="b.xlsx", origin="a.xlsx")
    assert (f.sheet, f.cell, f.excel_row, f.place, f.where) == ("", "", None, "", "a.xlsx")


def test_the_json_form_keeps_its_keys_and_plain_strings():
    f = Findings("x.xlsx").add(Code.MONEY_NEGATIVE, "表", 3, 6, column="产品收入（万元）")
    d = f.to_dict()
    assert list(d) == ["code", "severity", "message", "file", "sheet", "cell", "column", "row"]
    assert d == {
        "code": "money-negative",
        "severity": "error",
        "message": "“产品收入（万元）”不能为负数，请改正",
        "file": "x.xlsx",
        "sheet": "表",
        "cell": "G4",
        "column": "产品收入（万元）",
        "row": 4,
    }
    assert type(d["code"]) is str and type(d["severity"]) is str
    assert json.loads(json.dumps(d)) == d


def test_a_finding_restored_from_a_listing_is_the_finding_that_was_listed():
    out = Findings("x.xlsx")
    made = out.add(Code.DATE_INVALID, "表", 11, 4, column="培训时间", detail="“昨天”")
    listed = made.to_dict()
    again = Finding.restore(
        Code.lookup(listed["code"]),
        listed["message"],
        file=listed["file"],
        sheet=listed["sheet"],
        cell=listed["cell"],
        column=listed["column"],
    )
    assert again == made
    assert Finding.restore(made.code, "x", file="", sheet="", cell="", column="").cell == ""


# ---------------------------------------------------------------------- codes and severities


def test_a_code_is_its_stable_string_and_knows_its_severity_and_message():
    assert Code.PHONE_INVALID == "phone-invalid"
    assert Code.PHONE_INVALID.severity is Severity.ERROR
    assert Code.LEGEND_ROWS_SKIPPED.severity is Severity.INFO
    assert "联系电话无效" in Code.PHONE_INVALID.template
    assert Code.lookup("phone-invalid") is Code.PHONE_INVALID
    assert Code.lookup("phone-invaild") is None and Code.lookup(None) is None


def test_a_misspelt_code_fails_where_it_is_written():
    with pytest.raises(AttributeError):
        _ = Code.PHONE_INVAILD  # type: ignore[attr-defined]


def test_severities_order_by_importance_not_by_spelling():
    assert Severity.ERROR < Severity.WARNING < Severity.INFO
    assert sorted(["info", "error", "warning"]) == ["error", "info", "warning"]  # by spelling
    assert sorted([Severity.INFO, Severity.ERROR, Severity.WARNING]) == list(Severity)
    assert min(Severity.WARNING, Severity.ERROR) is Severity.ERROR
    assert [s.value for s in Severity] == ["error", "warning", "info"]
    assert [s.label for s in Severity] == ["错误", "警告", "提示"]


def test_findings_sort_errors_first_keeping_their_found_order():
    out = Findings("x.xlsx")
    hint = out.add(Code.TOTAL_ROW_SKIPPED, "表", 20, 1)
    late = out.add(Code.NAME_MISSING, "表", 9, 1)
    warn = out.add(Code.PHONE_MULTIPLE, "表", 5, 3)
    early = out.add(Code.PHONE_MISSING, "表", 8, 3)
    assert by_severity(out) == [late, early, warn, hint]


def test_counts_list_every_severity_most_important_first():
    out = Findings()
    out.add(Code.PHONE_MULTIPLE, "表", 5, 3)
    out.add(Code.PHONE_MULTIPLE, "表", 6, 3)
    counts = count_by_severity(out)
    assert list(counts) == [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert counts == {"error": 0, "warning": 2, "info": 0}
    assert json.dumps(counts) == '{"error": 0, "warning": 2, "info": 0}'


# ---------------------------------------------------------------------- the builder


def test_the_collector_builds_the_message_from_the_findings_own_fields():
    out = Findings("x.xlsx")
    f = out.add(Code.VALUE_MISSING, "表", 4, 2, column="培训内容")
    g = out.add(Code.ROW_DUPLICATE, "表", 5, 1, column="带动妇女姓名", value="第 5 行")
    assert f.message == "缺少“培训内容”，请补填"
    assert "与第 5 行" in g.message
    assert list(out) == [f, g] and out.file == "x.xlsx" and f.file == "x.xlsx"
    assert out.add(Code.NO_TABLES, "表", 0, 0, file="y.xlsx").file == "y.xlsx"


def test_the_collector_refuses_a_bare_string_code():
    with pytest.raises(TypeError):
        Findings().add("phone-invalid", "表", 1, 1)  # type: ignore[arg-type]


def test_every_parameter_is_redacted_where_the_message_is_built():
    out = Findings()
    phone = out.add(Code.INT_INVALID, "表", 3, 7, column="备注", detail="“138-0013-8800”不是整数")
    assert "8800" in phone.message and "0013" not in phone.message
    home = out.add(Code.MERGED_FILLED, "表", 3, 2, column="家庭住址", detail="4–9", value="青山村")
    assert "青山村" not in home.message and ADDRESS_HIDDEN in home.message and "4–9" in home.message
    count = out.add(Code.SEQ_ONLY_ROWS_SKIPPED, "表", 2, 0, value=12)
    assert "12 行" in count.message  # numbers the tool computed pass through


def test_a_collector_copies_and_travels_between_processes_with_its_file():
    out = Findings("x.xlsx")
    out.add(Code.PHONE_MISSING, "表", 8, 3)
    copy = out.copy()
    copy.add(Code.NAME_MISSING, "表", 9, 1)
    assert (len(out), len(copy), copy.file) == (1, 2, "x.xlsx")
    again = pickle.loads(pickle.dumps(copy))
    assert isinstance(again, Findings) and again.file == "x.xlsx" and again == copy
    assert again[0].code is Code.PHONE_MISSING

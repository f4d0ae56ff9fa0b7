"""Hazards only Excel and WPS would show, found by reading the formulas: none in the template,
and each one found in a small workbook written to show it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula

from jinguo_xl.writers import hazards
from jinguo_xl.writers.template import write_template


@pytest.fixture(scope="module")
def template_hazards(tmp_path_factory, rules) -> hazards.Hazards:
    """The generated template with 12 rows per table: the same formulas, fewer rows."""
    path = write_template(tmp_path_factory.mktemp("tpl") / "模板.xlsx", rules, data_rows=12)
    return hazards.scan(path)


def test_the_template_has_no_circular_reference_in_excels_eyes(template_hazards, rules):
    # Every helper formula, every figure and verdict, and the names: 6 × 12 helper rows at least.
    assert template_hazards.formulas > 6 * 12 * 20
    assert template_hazards.cycles == []


def test_the_template_has_no_row_inside_an_array_function(template_hazards):
    assert template_hazards.row_in_array == []


def test_the_template_takes_no_criterion_from_a_cell(template_hazards):
    assert template_hazards.cell_criteria == []
    assert template_hazards.ok


def _save(tmp_path: Path, cells: dict[str, object], names: dict[str, str] | None = None) -> Path:
    """A workbook with sheets 表 and 计算 holding ``cells`` ('表!C2' → formula)."""
    wb = Workbook()
    wb.active.title = "表"
    wb.create_sheet("计算")
    for where, value in cells.items():
        sheet, ref = where.split("!")
        wb[sheet][ref] = value
    for name, text in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    path = tmp_path / "示例.xlsx"
    wb.save(path)
    return path


def test_a_cycle_through_a_range_that_holds_the_verdict_is_found(tmp_path):
    """The template's old loop: the verdict shown above the table, inside the range the helper
    reads by position. LibreOffice follows only the cell INDEX returns and sees no loop."""
    path = _save(
        tmp_path,
        {
            "表!C2": "=结论",
            "表!B5": "张三",
            "计算!A5": "=INDEX('表'!$B$1:$I$20,5,0)",
            "计算!B1": '=IF(COUNTA(计算!$A$5:$A$9)>0,"达标","未填报")',
        },
        {"结论": "'计算'!$B$1"},
    )
    found = hazards.scan(path)
    assert found.cycles == [["'表'!C2", "'计算'!A5", "'计算'!B1", "结论"]]
    assert not found.ok


def test_a_range_starting_below_the_verdict_is_no_cycle(tmp_path):
    path = _save(
        tmp_path,
        {
            "表!C2": "=结论",
            "计算!A5": "=INDEX('表'!$B$5:$I$20,1,0)",
            "计算!B1": "=COUNTA(计算!$A$5:$A$9)",
        },
        {"结论": "'计算'!$B$1"},
    )
    assert hazards.scan(path).cycles == []


def test_a_cell_referring_to_itself_is_a_cycle(tmp_path):
    path = _save(tmp_path, {"表!A1": "=SUM(A1:A3)"})
    assert hazards.scan(path).cycles == [["'表'!A1"]]


def test_row_without_argument_inside_sumproduct_is_found(tmp_path):
    path = _save(
        tmp_path,
        {
            "计算!A5": '=SUMPRODUCT(--(LEN(INDEX(\'表\'!$B$1:$I$20,ROW(),0)&"")>0))',
            "计算!A6": "=SUMPRODUCT(MMULT(1,COLUMN()))",
            # Allowed: ROW() at the top of a formula, ROW(range) as SUMPRODUCT's own array.
            "计算!A7": "=INDEX('表'!$B$1:$B$20,ROW())",
            "计算!A8": "=SUMPRODUCT(MAX($B$1:$B$3*ROW($B$1:$B$3)))",
            "计算!A9": "=ROW()-4",
        },
    )
    found = hazards.scan(path)
    assert found.row_in_array == [
        "'计算'!A5: ROW() inside an array evaluation",
        "'计算'!A6: COLUMN() inside an array evaluation",
    ]


def test_row_inside_an_array_formula_is_found(tmp_path):
    wb = Workbook()
    wb.active["A1"] = ArrayFormula("A1", "=SUM(INDEX($B$1:$B$9,ROW()))")
    path = tmp_path / "数组.xlsx"
    wb.save(path)
    assert len(hazards.scan(path).row_in_array) == 1


def test_criteria_taken_from_cells_are_found(tmp_path):
    path = _save(
        tmp_path,
        {
            "计算!A5": '=COUNTIFS($B$4:$B4,1,$C$4:$C4,"="&SUBSTITUTE($C5,"~","~~"))',
            "计算!A6": "=COUNTIF($C$4:$C5,$C6)",
            "计算!A7": '=SUMIFS($D:$D,$B:$B,"是",$C:$C,"<"&$E7)',
            "计算!A8": "=MATCH($C8&\"|\"&$D8,$F:$F,0)",
            # Allowed: constant criteria; a reference as a criteria range.
            "计算!A9": '=SUMIF($H$5:$H$20,"未脱贫妇女",$G$5:$G$20)+COUNTIFS($B:$B,">0")',
        },
    )
    found = hazards.scan(path)
    assert found.cell_criteria == [
        "'计算'!A5: COUNTIFS argument 4 built with & from cells",
        "'计算'!A6: COUNTIF argument 2 taken from a cell",
        "'计算'!A7: SUMIFS argument 5 built with & from cells",
        "'计算'!A8: MATCH argument 1 built with & from cells",
    ]
    assert found.cycles == [] and found.row_in_array == []

"""The official 统计表 as an Excel template: what clerks fill in, with checks in the cells.

Everything that must work without the add-in is native Excel (dropdowns, number formats, SUM
totals over all rows and over counted women), so a copy opened in WPS or LibreOffice still shows
correct totals. What needs the engine (row checks, target status) is a ``JINGUO_*`` formula
wrapped in ``IFERROR``, so without the add-in the cell shows a short hint instead of ``#NAME?``.
The reader finds this layout like any other: caption line, header by label, base fields as label
cell + input cell.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from jinguo_xl.rules import Rules
from jinguo_xl.writers.atomic import save_atomic

DATA_ROWS = 1000  # pre-formatted rows per industry sheet: room for a large base
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
LAST_DATA_ROW = HEADER_ROW + DATA_ROWS
INFO_SHEET = "基本信息"
STATUS_SHEET = "达标情况"
CHECK_HEADER = "校验结果"
NO_ADDIN = "未加载巾帼统计加载项（合计仍有效；达标判定请用加载项或 jinguo-xl check）"
# Fixed document times, so that the committed template is reproducible.
_STAMP = dt.datetime(2020, 3, 1)

# (label, defined name, number format, hint shown when the cell is selected)
INFO_FIELDS: tuple[tuple[str, str, str | None, str], ...] = (
    ("带动基地名称", "基地名称", None, "开展帮扶的企业或大户的单位全称"),
    ("创建基地类型", "基地类型", None, "巾帼脱贫基地、巾帼扶贫车间或巾帼扶贫家庭工坊"),
    ("基地负责人姓名", "负责人", None, "基地负责人的姓名"),
    ("所属区县", "所属区县", None, "从下拉列表选择；不在列表中的区县可直接填写"),
    ("所在乡镇（街道）", "所在乡镇", None, "写全称，如 鸡鸣乡"),
    ("帮扶产业", "帮扶产业", None, "基地的产业类型，填写对应产业的工作表"),
    ("帮扶户数", "帮扶户数", "0", "家庭工坊填写帮扶的贫困妇女家庭户数，目标按户累加"),
    ("统计年度", "统计年度", "0", "通知年度"),
    ("填报日期", "填报日期", "yyyy-mm-dd", "填表当天的日期"),
)

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")
_ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
_WARN_FILL = PatternFill("solid", fgColor="FFF2CC")
_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WIDTHS = {
    "seq": 6,
    "name": 12,
    "address": 28,
    "phone": 15,
    "train_date": 12,
    "train_content": 16,
    "women_type": 12,
    "note": 14,
}


def _list_validation(values: list[str], *, strict: bool = True, prompt: str = "") -> DataValidation:
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.showErrorMessage = True
    dv.errorStyle = "stop" if strict else "warning"
    dv.errorTitle = "请从下拉列表选择"
    dv.error = "可选：" + "、".join(values)
    if prompt:
        dv.showInputMessage = True
        dv.prompt = prompt
    return dv


def _print_setup(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True


def _info_sheet(wb: Workbook, rules: Rules) -> Worksheet:
    ws = wb.active
    ws.title = INFO_SHEET
    ws["A1"] = rules.title
    ws["A1"].font = _TITLE
    ws["A2"] = "请在黄色格中填写；带下拉箭头的格请从列表选择。"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 40
    for i, (label, name, fmt, hint) in enumerate(INFO_FIELDS, start=4):
        ws.cell(row=i, column=1, value=label).font = _BOLD
        cell = ws.cell(row=i, column=2)
        cell.fill = _INPUT_FILL
        cell.border = _BORDER
        if fmt:
            cell.number_format = fmt
        ref = f"{quote_sheetname(INFO_SHEET)}!$B${i}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
        dv = None
        if name == "基地类型":
            dv = _list_validation([bt.name for bt in rules.base_types], prompt=hint)
        elif name == "帮扶产业":
            dv = _list_validation(list(rules.industries), prompt=hint)
        elif name == "所属区县":
            dv = _list_validation([c.name for c in rules.counties], strict=False, prompt=hint)
        elif name == "帮扶户数":
            dv = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="1", allow_blank=True
            )
            dv.error, dv.errorTitle, dv.prompt = "请填写正整数", "帮扶户数", hint
            dv.showErrorMessage = dv.showInputMessage = True
        else:
            dv = DataValidation(allow_blank=True)
            dv.prompt, dv.showInputMessage = hint, True
        ws.add_data_validation(dv)
        dv.add(cell.coordinate)
    ws["B" + str(3 + [f[1] for f in INFO_FIELDS].index("统计年度") + 1)] = rules.year
    _print_setup(ws, "1:1")
    return ws


def _col_range(col: int) -> str:
    letter = get_column_letter(col)
    return f"${letter}${FIRST_DATA_ROW}:${letter}${LAST_DATA_ROW}"


def table_ref(rules: Rules, industry: str) -> str:
    """The table range (header row and data rows) of ``industry``'s sheet, for formulas."""
    last = get_column_letter(len(rules.tables[industry].columns))
    return f"{quote_sheetname(industry)}!$A${HEADER_ROW}:${last}${LAST_DATA_ROW}"


def _industry_sheet(wb: Workbook, rules: Rules, industry: str) -> Worksheet:
    spec = rules.tables[industry]
    ws = wb.create_sheet(industry)
    keys = list(spec.columns)
    ncols = len(keys)
    check_col = ncols + 1
    ws.cell(row=1, column=1, value=spec.caption).font = _TITLE
    local = f"$A${HEADER_ROW}:${get_column_letter(ncols)}${LAST_DATA_ROW}"
    ws.cell(row=2, column=1, value="达标情况：").font = _BOLD
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2)
    status = f'=IFERROR(JINGUO_STATUS(基地类型,"{industry}",{local},帮扶户数),"{NO_ADDIN}")'
    ws.cell(row=2, column=3, value=status).font = _BOLD
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=ncols)
    wt = keys.index("women_type") + 1
    if spec.money:
        money = keys.index(spec.money) + 1
        m_rng, w_rng = _col_range(money), _col_range(wt)
        ws.cell(row=3, column=1, value="合计（万元）：").font = _BOLD
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
        ws.cell(row=3, column=3, value=f"=SUM({m_rng})").number_format = "0.00"
        ws.cell(row=3, column=4, value="其中贫困妇女：").font = _BOLD
        counted = "+".join(
            f'SUMIF({w_rng},"{kind}",{m_rng})'
            for kind in sorted(rules.counted_women, key=rules.women_types.index)
        )
        ws.cell(row=3, column=5, value=f"={counted}").number_format = "0.00"
    for col, key in enumerate(keys, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=spec.header_of(key, rules.columns))
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        letter = get_column_letter(col)
        kind = rules.columns[key].kind
        ws.column_dimensions[letter].width = _WIDTHS.get(key, 14 if kind != "money" else 12)
        fmt = {"money": "0.00", "date": "yyyy-mm-dd", "phone": "@"}.get(kind)
        for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
            c = ws.cell(row=row, column=col)
            c.border = _BORDER
            if fmt:
                c.number_format = fmt
        if kind == "yesno":
            dv = _list_validation(["是", "否"])
            ws.add_data_validation(dv)
            dv.add(_col_range(col).replace("$", ""))
        elif kind == "women_type":
            dv = _list_validation(list(rules.women_types))
            ws.add_data_validation(dv)
            dv.add(_col_range(col).replace("$", ""))
    name_letter = get_column_letter(keys.index("name") + 1)
    for row in range(FIRST_DATA_ROW, LAST_DATA_ROW + 1):
        ws.cell(row=row, column=1, value=f'=IF({name_letter}{row}="","",ROW()-{HEADER_ROW})')
    head = ws.cell(row=HEADER_ROW, column=check_col, value=CHECK_HEADER)
    head.font, head.fill, head.border = _BOLD, _HEAD_FILL, _BORDER
    head.alignment = Alignment(horizontal="center", vertical="center")
    check_letter = get_column_letter(check_col)
    ws.column_dimensions[check_letter].width = 60
    span = f"{check_letter}{FIRST_DATA_ROW}:{check_letter}{LAST_DATA_ROW}"
    ws[f"{check_letter}{FIRST_DATA_ROW}"] = ArrayFormula(
        span, f'=IFERROR(JINGUO_CHECK({local},"{industry}"),"")'
    )
    whole = f"A{FIRST_DATA_ROW}:{check_letter}{LAST_DATA_ROW}"
    first_check = f"${check_letter}{FIRST_DATA_ROW}"
    ws.conditional_formatting.add(
        whole,
        FormulaRule(formula=[f'LEFT({first_check},2)="错误"'], fill=_ERROR_FILL, stopIfTrue=True),
    )
    ws.conditional_formatting.add(
        whole,
        FormulaRule(formula=[f'LEFT({first_check},2)="警告"'], fill=_WARN_FILL, stopIfTrue=True),
    )
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.row_dimensions[HEADER_ROW].height = 45
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    ws.print_area = f"A1:{check_letter}{LAST_DATA_ROW}"
    return ws


STATUS_COLUMNS = ("产业", "已填行数", "达标情况")


def _status_sheet(wb: Workbook, rules: Rules) -> Worksheet:
    """Per industry: rows filled, status, and each metric actual / required."""
    ws = wb.create_sheet(STATUS_SHEET)
    ws["A1"] = "达标情况（由加载项计算；未加载时请用 jinguo-xl check）"
    ws["A1"].font = _TITLE
    metric_keys = [m for m in rules.metrics if m != "sales_wan_all"]
    header = [*STATUS_COLUMNS, *(rules.metrics[m].label for m in metric_keys)]
    for col, text in enumerate(header, start=1):
        c = ws.cell(row=3, column=col, value=text)
        c.font, c.fill, c.border = _BOLD, _HEAD_FILL, _BORDER
        c.alignment = Alignment(wrap_text=True, horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = 12
    ws.column_dimensions["C"].width = 50
    for r, industry in enumerate(rules.industries, start=4):
        ref = table_ref(rules, industry)
        name_col = get_column_letter(rules.tables[industry].columns.index("name") + 1)
        names = (
            f"{quote_sheetname(industry)}!${name_col}${FIRST_DATA_ROW}:${name_col}${LAST_DATA_ROW}"
        )
        ws.cell(row=r, column=1, value=industry).border = _BORDER
        ws.cell(row=r, column=2, value=f"=COUNTA({names})").border = _BORDER
        ws.cell(
            row=r,
            column=3,
            value=(
                f'=IF(B{r}=0,"未填报",IFERROR(JINGUO_STATUS(基地类型,"{industry}",{ref},帮扶户数),'
                f'"{NO_ADDIN}"))'
            ),
        ).border = _BORDER
        for col, key in enumerate(metric_keys, start=4):
            cell = ws.cell(
                row=r,
                column=col,
                value=(
                    f'=IF(B{r}=0,"",IFERROR(JINGUO_METRIC(基地类型,"{industry}",{ref},"{key}",'
                    f'帮扶户数),""))'
                ),
            )
            cell.border = _BORDER
            cell.number_format = "0.00" if rules.metrics[key].kind != "count" else "0"
    last = 3 + len(rules.industries)
    statuses = f"C4:C{last}"
    overall = (
        f'=IF(COUNTIF({statuses},"无法判定*")>0,"无法判定",'
        f'IF(COUNTIF({statuses},"未达标*")>0,"未达标",'
        f'IF(COUNTIF({statuses},"基本达标*")>0,"基本达标",'
        f'IF(COUNTIF({statuses},"达标*")>0,"达标","未填报"))))'
    )
    ws.cell(row=last + 2, column=1, value="基地结论").font = _BOLD
    ws.cell(row=last + 2, column=3, value=overall).font = _BOLD
    ws.freeze_panes = "B4"
    _print_setup(ws, "3:3")
    return ws


def build_template(rules: Rules) -> Workbook:
    """The template workbook in memory (used by ``write_template`` and the 新建台账 button)."""
    wb = Workbook()
    _info_sheet(wb, rules)
    for industry in rules.industries:
        _industry_sheet(wb, rules, industry)
    _status_sheet(wb, rules)
    wb.properties.creator = "jinguo_xl"
    wb.properties.title = rules.title
    wb.properties.created = wb.properties.modified = _STAMP
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_template(path: Path, rules: Rules) -> Path:
    """Write the template to ``path`` atomically."""
    wb = build_template(rules)
    return save_atomic(Path(path), lambda tmp: wb.save(tmp))

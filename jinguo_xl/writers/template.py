"""The official 统计表 as an Excel template: what clerks fill in, with checks in the cells.

The template judges itself with the spreadsheet's own functions (:mod:`jinguo_xl.writers.native`):
every metric, target, table verdict and the base verdict, in Excel without the add-in, in WPS and
in LibreOffice. Where the add-in is loaded its full check (``JINGUO_*``) shows beside the native
verdict and a disagreement is spelled out; only ``#NAME?`` (the add-in is not loaded) is turned
into a hint, every other error shows as itself. The reader finds this layout like any other:
caption line, header by label, base fields as label cell + input cell.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from jinguo_xl.rules import Rules
from jinguo_xl.writers import native
from jinguo_xl.writers.atomic import save_atomic
from jinguo_xl.writers.layout import break_lines, text_width

DATA_ROWS = 600  # pre-formatted rows per industry sheet, and the most a table can have
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
LAST_DATA_ROW = HEADER_ROW + DATA_ROWS
INFO_SHEET = "基本信息"
STATUS_SHEET = "达标情况"
NO_ADDIN = (
    "未加载巾帼统计加载项：达标判定由表格公式完成，逐行问题请在装有加载项的电脑上点“校验本表”"
)
SAME_AS_ADDIN = "加载项结论相同"
ADDIN_DIFFERS = "与加载项结论不同（以加载项为准）："
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
_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WIDTHS = {
    "seq": 6,
    "name": 15,
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


def header_lines(text: str, width: float) -> str:
    """A header too wide for its column, broken before each bracketed part (产品收入 / （万元）),
    never inside a word: the reader and the formulas compare headers without whitespace."""
    if text_width(text) <= (width - 1) * 0.9 or "（" not in text:
        return text
    return text[0] + text[1:].replace("（", "\n（")


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
    # The verdict where a clerk starts: the base's, which names each filled table's verdict
    # and figures (a copy of the protected named cell on 达标情况).
    ws["A2"] = "基地结论"
    ws["A2"].font, ws["A2"].alignment = _BOLD, Alignment(vertical="top")
    verdict = ws["B2"]
    verdict.value = f'=IF(ISERROR({native.BASE_VERDICT}),"",{native.BASE_VERDICT})'
    verdict.font, verdict.alignment = _BOLD, Alignment(wrap_text=True, vertical="top")
    # Five lines of about 37 characters: a base that filled three tables is named whole.
    ws.merge_cells("B2:F2")
    ws.row_dimensions[2].height = 75
    ws["A3"] = "请在黄色格中填写；带下拉箭头的格请从列表选择。各表的数字见“达标情况”表。"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 12
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


def _col_range(col: int, last_row: int = LAST_DATA_ROW) -> str:
    letter = get_column_letter(col)
    return f"${letter}${FIRST_DATA_ROW}:${letter}${last_row}"


def table_ref(rules: Rules, industry: str, last_row: int = LAST_DATA_ROW) -> str:
    """The table range (header row and data rows) of ``industry``'s sheet, for formulas."""
    last = get_column_letter(len(rules.tables[industry].columns))
    return f"{quote_sheetname(industry)}!$A${HEADER_ROW}:${last}${last_row}"


ROW_PROBLEMS = "加载项逐行校验：{n} 行有问题，点“校验本表”标出"
VERDICT_LABEL = "达标情况："


def _addin_summary(industry: str, local: str, layout: StatusLayout) -> str:
    """The add-in's verdict compared with the native one (as 达标情况 compares them), and how
    many rows its full check finds problems in, for the line under the verdict. ``#NAME?``
    (not loaded) gives "" (the 达标情况 sheet says so); any other error shows as itself."""
    verdict = layout.ref(industry, "addin")
    compare = layout.ref(industry, "compare")
    count = f'SUMPRODUCT(--(JINGUO_CHECK({local},"{industry}")<>""))'
    rows = (
        f'IF(ISERROR({count}),IF(ERROR.TYPE({count})=5,"",{count}),'
        f'"；"&SUBSTITUTE("{ROW_PROBLEMS}","{{n}}",{count}))'
    )
    return (
        f'IF(ISERROR({verdict}),{verdict},IF(OR({verdict}="",{verdict}="{NO_ADDIN}"),"",'
        f'CHAR(10)&"加载项："&IF({compare}="一致","{SAME_AS_ADDIN}","{ADDIN_DIFFERS}"&{verdict})'
        f"&{rows}))"
    )


def _not_loaded(call: str) -> str:
    """``call`` as is, except ``#NAME?`` (the add-in is not loaded) which becomes the hint.

    Every other error (a real failure of the add-in) shows as itself, never hidden."""
    return f'IF(ISERROR({call}),IF(ERROR.TYPE({call})=5,"{NO_ADDIN}",{call}),{call})'


STATUS_COLUMNS = ("产业", "已填行数", "结论（表格公式）")
# Figures shown per industry on the 达标情况 sheet: (key in metric_formulas, header, format).
_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("training_person_times", "培训人次", "0"),
    ("training_sessions", "培训场次", "0"),
    ("household_sessions", "培训次数（按户累计）", "0"),
    ("employed", "带动就业", "0"),
    ("sales_wan", "销售/收入（万元）", "0.00"),
    ("sales_wan_all", "销售/收入（全部人员，万元）", "0.00"),
    ("pass_rate", "培训合格率", "0.00%"),
    ("employment_rate", "转移就业率", "0.00%"),
    ("startups", "带动创业", "0"),
    ("households", "按户计算的户数", "0"),
    ("households_found", "贫困妇女的不同家庭数", "0"),
    ("trained", "填写了培训的行数", "0"),
    ("qualified", "其中合格行数", "0"),
    ("employed_rows", "其中就业行数", "0"),
    *((f"left_out_{i}", f"贫困妇女{why}（未计入）的行数", "0")
      for i, why in enumerate(native.LEFT_OUT, start=1)),
    ("error_rows", "含错误值的行数", "0"),
    ("pool_over", "超出计算范围的行数", "0"),
    ("last_row", "最后一行数据所在行", "0"),
    ("overflow", "计算范围以下的已填格数", "0"),
    ("header_row", "表头是读取范围的第几行", "0"),
    ("last_read", "表格公式计算到第几行", "0"),
    ("present", "工作表还在", "General"),
    ("header_found", "找到表头", "0"),
    ("filled_rows", "有内容的行数（第 3 行以下）", "0"),
    ("verdict_raw", "结论（出错检查之前）", "General"),
)
# Figures that need a column some tables do not have: (figure, the column it is counted from).
_NEEDS_COLUMN = {
    "pass_rate": "qualified",
    "employment_rate": "employed",
    "startups": "startup",
    "sales_wan": "money",
    "sales_wan_all": "money",
}
NOT_APPLICABLE_TEXT = "不适用"


def not_applicable(rules: Rules, industry: str) -> set[str]:
    """The figures ``industry``'s table cannot have (培训合格率 in 手工制作, 销售 in 家政服务):
    shown as 不适用, never as a false 0. A figure some target asks of the table stays."""
    spec = rules.tables[industry]
    targeted = {
        t.metric for bt in rules.base_types if industry in bt.industries
        for t in rules.targets_for(bt.name, industry)
    }
    out = set()
    for figure, column in _NEEDS_COLUMN.items():
        has = bool(spec.money) if column == "money" else column in spec.columns
        if not has and figure not in targeted:
            out.add(figure)
    return out


# The verdict when a formula fails all the same (an edit nobody foresaw): said, never #REF!.
FORMULA_ERROR = (
    "无法判定：表格公式无法计算（工作表的结构被改动过），请" + native.CHECK_ELSEWHERE
)
_PRINTED_FIGURES = 10  # the metrics of spec §4; the rest are the counts behind them
ADDIN_HEADER = "加载项结论（完整校验）"
COMPARE_HEADER = "两者是否一致"
_STATUS_HEAD_ROW = 6


@dataclass(frozen=True, slots=True)
class StatusLayout:
    """Where each industry's row sits on the 达标情况 sheet."""

    rows: dict[str, int]
    columns: dict[str, int]  # figure key → column

    def ref(self, industry: str, key: str) -> str:
        col = get_column_letter(self.columns[key])
        return f"{quote_sheetname(STATUS_SHEET)}!${col}${self.rows[industry]}"

    def local(self, industry: str, key: str) -> str:
        return f"${get_column_letter(self.columns[key])}${self.rows[industry]}"


def status_layout(rules: Rules) -> StatusLayout:
    figures = [k for k, _, _ in _FIGURES]
    # What is printed first (产业, 已填行数, the verdict and the figures of spec §4), then the
    # add-in's verdict and the counts behind the figures, on screen only.
    keys = ["industry", "rows", "verdict", *figures[:_PRINTED_FIGURES], "addin", "compare",
            *figures[_PRINTED_FIGURES:]]
    columns = {k: i for i, k in enumerate(keys, start=1)}
    rows = {ind: _STATUS_HEAD_ROW + 1 + i for i, ind in enumerate(rules.industries)}
    return StatusLayout(rows, columns)


def _industry_sheet(
    wb: Workbook, rules: Rules, industry: str, layout: StatusLayout, last_row: int
) -> Worksheet:
    spec = rules.tables[industry]
    ws = wb.create_sheet(industry)
    keys = list(spec.columns)
    ncols = len(keys)
    ws.cell(row=1, column=1, value=spec.caption).font = _TITLE
    local = f"$A${HEADER_ROW}:${get_column_letter(ncols)}${last_row}"
    # The verdict (and the add-in's beside it) in column A, the 序号 column no formula reads:
    # the helper formulas read every other column from row 1 down, and a verdict inside
    # what they read would be a circular reference in Excel.
    assert keys[0] == "seq", "column A must be 序号: the verdict is shown there"
    verdict = ws.cell(
        row=2,
        column=1,
        value=(
            f'="{VERDICT_LABEL}"&{native.verdict_name(industry)}&'
            + _addin_summary(industry, local, layout)
        ),
    )
    verdict.font = _BOLD
    verdict.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 45
    wt = keys.index("women_type") + 1
    if spec.money:
        money = keys.index(spec.money) + 1
        m_rng, w_rng = _col_range(money, last_row), _col_range(wt, last_row)
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
        letter = get_column_letter(col)
        kind = rules.columns[key].kind
        width = _WIDTHS.get(key, 14 if kind != "money" else 12)
        header = header_lines(spec.header_of(key, rules.columns), width)
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = width
        fmt = {"money": "0.00", "date": "yyyy-mm-dd", "phone": "@"}.get(kind)
        if fmt:
            # A number format only: it shows nothing, so an empty row is not printed.
            first = ws.cell(row=FIRST_DATA_ROW, column=col)
            first.number_format = fmt
            for row in range(FIRST_DATA_ROW + 1, last_row + 1):
                # The same style for the whole column, copied rather than looked up per cell.
                ws.cell(row=row, column=col)._style = copy(first._style)
        if kind == "yesno":
            dv = _list_validation(["是", "否"])
            ws.add_data_validation(dv)
            dv.add(_col_range(col, last_row).replace("$", ""))
        elif kind == "women_type":
            dv = _list_validation(list(rules.women_types))
            ws.add_data_validation(dv)
            dv.add(_col_range(col, last_row).replace("$", ""))
    # No formula, border or fill below the header: a spreadsheet prints every cell that shows
    # something, so an empty template would print hundreds of blank rows. The grid of a row
    # appears when something is typed in it (conditional formatting, which is not printed
    # for an empty row), and no print area is set: a fixed one would print empty rows, one
    # made by a formula is dropped by tools such as openpyxl.
    last_letter = get_column_letter(ncols)
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.row_dimensions[HEADER_ROW].height = 45
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    grid = DifferentialStyle(border=_BORDER)
    rows = f"A{FIRST_DATA_ROW}:{last_letter}{last_row}"
    filled = f"COUNTBLANK($B{FIRST_DATA_ROW}:${last_letter}{FIRST_DATA_ROW})<{ncols - 1}"
    ws.conditional_formatting.add(rows, Rule(type="expression", dxf=grid, formula=[filled]))
    return ws


def _helper_sheet(wb: Workbook, pool: native.Pool) -> Worksheet:
    """The hidden sheet of pool formulas (see :mod:`native`): per industry its extent, where
    its rows end in the pool and its header row; below, one pool row per table row."""
    ws = wb.create_sheet(native.HELPER_SHEET)
    ws["A1"] = "表格公式的计算列（自动计算，请勿修改；各产业表的行依次排在下面）"
    labels = {
        native.NAMES_ROW: "产业表",
        native.EXTENT_ROW: "占用行数",
        native.END_ROW: "排到第几行",
        native.HEADER_POS_ROW: "表头在第几行",
    }
    for row, label in labels.items():
        ws.cell(row=row, column=native.POSITION_COL, value=label).font = _BOLD
    for industry in pool.industries:
        col = native.SUMMARY_COL + pool.index(industry) - 1
        ws.cell(row=native.NAMES_ROW, column=col, value=industry).font = _BOLD
        ws.cell(row=native.EXTENT_ROW, column=col, value=pool.extent_formula(industry))
        ws.cell(row=native.END_ROW, column=col, value=pool.end_formula(industry))
        ws.cell(row=native.HEADER_POS_ROW, column=col, value=pool.header_formula(industry))
    first = native.POOL_FIRST_ROW
    ws.cell(row=native.TITLE_ROW, column=native.POSITION_COL, value="计算·第几行")
    for key, col in pool.cols.items():
        # "计算·" keeps a title from reading as a table header; no title names a personal
        # column (住址, 电话), so a masked copy keeps these formulas, which then count
        # the masked values.
        ws.cell(row=native.TITLE_ROW, column=col, value="计算·" + pool.titles[key])
    for industry in pool.industries:
        title = f"计算·{industry}·行有内容"
        ws.cell(row=native.TITLE_ROW, column=pool.scan_col(industry), value=title)
    scans = {pool.scan_col(i): pool.scan_formula(i) for i in pool.industries}
    for row in range(first, first + max(pool.rows, pool.reach)):
        # The only ROW() without an argument in the template, at the top of its formula.
        ws.cell(row=row, column=native.POSITION_COL, value=f"=ROW()-{first - 1}")
        if row <= pool.last_row:
            for key, col in pool.cols.items():
                ws.cell(row=row, column=col, value=native.row_formula(pool.formulas[key], row))
        if row < first + pool.reach:
            for col, formula in scans.items():
                ws.cell(row=row, column=col, value=native.row_formula(formula, row))
    # Hidden, and protected without a password, so no clerk types into it by accident.
    ws.sheet_state = "hidden"
    protect(ws)
    return ws


def _status_sheet(
    wb: Workbook, rules: Rules, layout: StatusLayout, pool: native.Pool, last_row: int
) -> Worksheet:
    """Per industry: rows filled, the native verdict, every figure, and the add-in's verdict."""
    ws = wb.create_sheet(STATUS_SHEET)
    # Column A is printed on every page (产业), so its cells up here are short labels; the
    # texts they name are in column C, on the first page, never cut at a page boundary.
    ws["A1"], ws["C1"] = "达标情况", "由表格公式自动计算，不装加载项也有效"
    ws["A1"].font = _TITLE
    ws["A2"], ws["C2"] = "说明", (
        "逐行问题（电话无效、日期无法识别、金额疑似以元填写等）请用加载项的“校验本表”查看；"
        "加载项与表格公式的结论不同时，以加载项为准。"
    )
    last_printed = layout.columns[_FIGURES[_PRINTED_FIGURES - 1][0]]
    ws["C2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 45
    ws["A3"], ws["A4"] = "基地结论", "基地类型"
    for label in (ws["A2"], ws["A3"], ws["A4"]):
        # Beside the top of the value it names (the verdict's row is tall).
        label.font, label.alignment = _BOLD, Alignment(vertical="top")
    type_cell = "$C$4"
    ws[type_cell.replace("$", "")] = "=" + native.type_formula(rules, "基地类型")
    wb.defined_names[native.TYPE_CELL] = DefinedName(
        native.TYPE_CELL, attr_text=f"{quote_sheetname(STATUS_SHEET)}!{type_cell}"
    )
    headers = {
        "industry": STATUS_COLUMNS[0],
        "rows": STATUS_COLUMNS[1],
        "verdict": STATUS_COLUMNS[2],
        **{k: label for k, label, _ in _FIGURES},
        "addin": ADDIN_HEADER,
        "compare": COMPARE_HEADER,
    }
    widths = {"verdict": 50, "addin": 50, "compare": 14, "industry": 12, "rows": 10}
    for key, col in layout.columns.items():
        width = widths.get(key, 12.5)
        # Line breaks placed as a typesetter would (never a lone "（" or "）" on a line).
        c = ws.cell(row=_STATUS_HEAD_ROW, column=col, value=break_lines(headers[key], width))
        c.font, c.fill, c.border = _BOLD, _HEAD_FILL, _BORDER
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[_STATUS_HEAD_ROW].height = 45
    rows: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    helper = quote_sheetname(native.HELPER_SHEET)
    for industry in pool.industries:
        r = layout.rows[industry]
        spec = rules.tables[industry]
        cells = {k: layout.local(industry, k) for k in layout.columns}
        present = cells["present"]
        figures = native.metric_formulas(pool, industry, rules)
        name_rng = native.input_range(spec, "name", industry, pool.reach)
        of = pool.of(industry)
        at = f"SUMPRODUCT(MAX({of}*{pool.span('d')}*{pool.span('at')}))"
        figures["last_row"] = f"IF({at}=0,0,ROW(INDEX({name_rng},{at})))"
        figures["header_row"] = f"{helper}!{pool.summary(industry, native.HEADER_POS_ROW)}"
        # Whether a header row is there at all, and whether anything is typed below the
        # template's caption lines: a table whose header was deleted cannot be read.
        figures["header_found"] = f'--(SUMPRODUCT({of},--({pool.span("hk")}<>""))>0)'
        figures["filled_rows"] = (
            f"SUMPRODUCT({of},--({pool.span('cnt')}>0),--({pool.span('at')}>3))"
        )
        read = f"MIN({pool.reach},ROWS({name_rng}))"
        figures["last_read"] = f"ROW(INDEX({name_rng},{read}))"
        # Cells typed (or formulas showing something) below the last row the helpers read;
        # a formula showing "" is blank to COUNTBLANK, as it is to the engine.
        cols = (
            f"{quote_sheetname(industry)}!$B$1:"
            f"${get_column_letter(len(spec.columns))}$1048576"
        )
        below = f"INDEX({cols},{read}+1,0):INDEX({cols},ROWS({cols}),0)"
        figures["overflow"] = f"ROWS({below})*COLUMNS({below})-COUNTBLANK({below})"
        # The tables before this one and this one hold more rows than the pool has, and this
        # one holds something below the template's caption lines (an empty table past the
        # pool is just empty: 未填报, as the CLI says).
        extent = f"{helper}!{pool.summary(industry, native.EXTENT_ROW)}"
        end = f"{helper}!{pool.summary(industry, native.END_ROW)}"
        figures["pool_over"] = f"IF({extent}<={HEADER_ROW},0,{end}-{pool.rows})"
        found = cells["households_found"]
        figures["households"] = native.households_formula("帮扶户数", found, type_cell, rules)
        trained = cells["trained"]
        qualified = cells["qualified"] if "qualified" in figures else "0"
        employed_rows = cells["employed_rows"] if "employed_rows" in figures else "0"
        figures["pass_rate"] = f'IF({trained}=0,"",{qualified}/{trained})'
        figures["employment_rate"] = f'IF({trained}=0,"",{employed_rows}/{trained})'
        # A figure the table has no column for is said to be so, never shown as a false 0.
        for key in not_applicable(rules, industry):
            figures[key] = f'"{NOT_APPLICABLE_TEXT}"'
        # An industry sheet deleted (a base fills one or two of them): its figures are blank,
        # its table is not filled, and every other verdict stands.
        figures = {
            k: f"IF({present},{f},{'0' if k == 'rows' else chr(34) * 2})"
            for k, f in figures.items()
        }
        # Deleting rows or columns leaves the sheet's input columns, deleting the sheet
        # does not; column A (the verdict shown there) stays out of it.
        figures["present"] = native.sheet_present(rules, industry, pool.reach)
        ws.cell(row=r, column=layout.columns["industry"], value=industry)
        ws.cell(row=r, column=layout.columns["rows"], value="=" + figures["rows"])
        for key, _, fmt in _FIGURES:
            value = figures.get(key, '""')
            c = ws.cell(row=r, column=layout.columns[key], value="=" + value)
            c.number_format = fmt
        refs = dict(cells)
        refs["pass_rate_num"], refs["employment_rate_num"] = qualified, employed_rows
        refs["last"] = cells["last_read"]
        refs["pool_rows"] = str(pool.rows)
        if spec.money:
            money_metrics = ["sales_wan", "sales_wan_all"]
            if spec.employed_by == "money":
                money_metrics.append("employed")
            refs["money_metrics"] = ",".join(money_metrics)
        ws.cell(
            row=r,
            column=layout.columns["verdict_raw"],
            value="=" + native.table_verdict(industry, rules, refs, type_cell),
        )
        verdict = ws.cell(
            row=r,
            column=layout.columns["verdict"],
            value=f'=IF(ISERROR({cells["verdict_raw"]}),"{FORMULA_ERROR}",{cells["verdict_raw"]})',
        )
        verdict.alignment = Alignment(wrap_text=True, vertical="top")
        wb.defined_names[native.verdict_name(industry)] = DefinedName(
            native.verdict_name(industry), attr_text=layout.ref(industry, "verdict")
        )
        rows[industry], verdicts[industry] = cells["rows"], cells["verdict"]
        call = (
            f'JINGUO_STATUS(基地类型,"{industry}",{table_ref(rules, industry, last_row)},帮扶户数)'
        )
        addin = layout.local(industry, "addin")
        ws.cell(row=r, column=layout.columns["addin"], value=f'=IF({cells["rows"]}=0,"",'
                f"{_not_loaded(call)})").alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(
            row=r,
            column=layout.columns["compare"],
            value=(
                f'=IF(ISERROR({addin}),"加载项出错",IF(OR({addin}="",{addin}="{NO_ADDIN}"),"",'
                f'IF({addin}={cells["verdict"]},"一致","不一致")))'
            ),
        )
        for key, col in layout.columns.items():
            c = ws.cell(row=r, column=col)
            c.border = _BORDER
            if key not in ("industry", "verdict", "addin", "compare"):
                # Figures and 不适用 alike at the right, as numbers stand.
                c.alignment = Alignment(horizontal="right", vertical="top")
            elif key == "industry":
                c.alignment = Alignment(vertical="top")
        # Room for a verdict of three lines at its printed width: the six rows, the header
        # and the base verdict fit on one A4 page down.
        ws.row_dimensions[r].height = 45
    base = ws["C3"]
    base.value = "=" + native.base_verdict(list(rules.industries), verdicts)
    base.font = _BOLD
    base.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=3, end_row=3,
                   end_column=layout.columns["verdict"] + 2)
    ws.row_dimensions[3].height = 60
    wb.defined_names[native.BASE_VERDICT] = DefinedName(
        native.BASE_VERDICT, attr_text=f"{quote_sheetname(STATUS_SHEET)}!$C$3"
    )
    ws.freeze_panes = f"B{_STATUS_HEAD_ROW + 1}"
    _print_setup(ws, f"{_STATUS_HEAD_ROW}:{_STATUS_HEAD_ROW}")
    # The printout: verdicts and the figures a clerk reads, at full size over as many pages
    # as they need (not shrunk onto one), with 产业 and the header on every page; the
    # columns after them stay on screen only.
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 100
    ws.print_title_cols = "A:A"
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_area = f"A1:{get_column_letter(last_printed)}{max(layout.rows.values())}"
    # Every cell is a formula: locked, and the sheet protected without a password, so that a
    # verdict cannot be typed over by a plain keystroke (审阅 → 撤销工作表保护 lifts it).
    protect(ws)
    return ws


def protect(ws: Worksheet) -> None:
    """Protect ``ws`` without a password: locked cells (all, by default) cannot be typed
    over; columns and rows can still be resized, and sorting and filtering stay allowed.

    Only the template's working sheets are protected. The clerk's sheets stay open: the
    add-in's 校验本表 colours and annotates their cells, and a clerk may paste a whole table
    with its title at A1; what they show of the verdict is a copy of the named cells here."""
    ws.protection = SheetProtection(
        sheet=True,
        formatColumns=False,
        formatRows=False,
        sort=False,
        autoFilter=False,
        selectLockedCells=False,
        selectUnlockedCells=False,
    )


def build_template(
    rules: Rules, data_rows: int = DATA_ROWS, *, pool_rows: int | None = None
) -> Workbook:
    """The template workbook in memory (used by ``write_template`` and the 新建台账 button).

    ``data_rows`` is the number of pre-formatted rows per industry sheet, and the most a
    table can have; ``pool_rows`` the helper rows all tables share (by default
    :data:`native.POOL_ROWS`; for a small template, room for two full tables). Tests use small
    numbers to keep a spreadsheet engine's recalculation short."""
    last_row = HEADER_ROW + data_rows
    wb = Workbook()
    _info_sheet(wb, rules)
    layout = status_layout(rules)
    for industry in rules.industries:
        _industry_sheet(wb, rules, industry, layout, last_row)
    assert native.TEMPLATE_HEADER_ROW == HEADER_ROW
    reach = last_row
    small = 2 * reach + len(rules.tables) * HEADER_ROW  # two full tables and four empty ones
    pool = native.build_pool(rules, reach, pool_rows or min(native.POOL_ROWS, small))
    _status_sheet(wb, rules, layout, pool, last_row)
    _helper_sheet(wb, pool)
    wb.properties.creator = "jinguo_xl"
    wb.properties.title = rules.title
    wb.properties.created = wb.properties.modified = _STAMP
    wb.calculation.fullCalcOnLoad = True
    return wb


def save_template(wb: Workbook, path: Path) -> Path:
    """Save a template (perhaps filled in since) atomically."""
    return save_atomic(Path(path), wb.save)


def write_template(path: Path, rules: Rules, data_rows: int = DATA_ROWS) -> Path:
    """Write the template to ``path`` atomically."""
    return save_template(build_template(rules, data_rows), path)

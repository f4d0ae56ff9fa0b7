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
import io
import zipfile
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jinguo_xl.rules import Rules
from jinguo_xl.writers import native
from jinguo_xl.writers.atomic import save_atomic

DATA_ROWS = 1000  # pre-formatted rows per industry sheet: room for a large base
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
LAST_DATA_ROW = HEADER_ROW + DATA_ROWS
INFO_SHEET = "基本信息"
STATUS_SHEET = "达标情况"
NO_ADDIN = "未加载巾帼统计加载项（达标判定由表格公式完成；逐行问题请用加载项或 jinguo-xl check）"
SAME_AS_ADDIN = "加载项结论相同"
ADDIN_DIFFERS = "与加载项结论不同，请用 jinguo-xl check 核对："
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


def _col_range(col: int, last_row: int = LAST_DATA_ROW) -> str:
    letter = get_column_letter(col)
    return f"${letter}${FIRST_DATA_ROW}:${letter}${last_row}"


def table_ref(rules: Rules, industry: str, last_row: int = LAST_DATA_ROW) -> str:
    """The table range (header row and data rows) of ``industry``'s sheet, for formulas."""
    last = get_column_letter(len(rules.tables[industry].columns))
    return f"{quote_sheetname(industry)}!$A${HEADER_ROW}:${last}${last_row}"


ADDIN_COL = 8  # row 3 from column H: the add-in's verdict beside the native one (row 2)
ROW_PROBLEMS = "加载项逐行校验：{n} 行有问题，点“校验本表”标出"


def _addin_summary(industry: str, local: str, layout: StatusLayout) -> str:
    """Row 3 of an industry sheet: the add-in's verdict compared with the native one, and how
    many rows its full check finds problems in. ``#NAME?`` (not loaded) gives the hint; any
    other error shows as itself."""
    verdict = layout.ref(industry, "addin")
    count = f'SUMPRODUCT(--(JINGUO_CHECK({local},"{industry}")<>""))'
    rows = (
        f'IF(ISERROR({count}),IF(ERROR.TYPE({count})=5,"",{count}),'
        f'"；"&SUBSTITUTE("{ROW_PROBLEMS}","{{n}}",{count}))'
    )
    return (
        f'IF(ISERROR({verdict}),{verdict},IF({verdict}="","",IF({verdict}="{NO_ADDIN}",{verdict},'
        f'IF({verdict}=$C$2,"{SAME_AS_ADDIN}","{ADDIN_DIFFERS}"&{verdict})&{rows})))'
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
    ("last_row", "最后一行数据所在行", "0"),
    ("overflow", "计算范围以下的已填格数", "0"),
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
    keys = ["industry", "rows", "verdict", "addin", "compare", *(k for k, _, _ in _FIGURES)]
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
    ws.cell(row=2, column=1, value="达标情况：").font = _BOLD
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=2)
    verdict = ws.cell(row=2, column=3, value=f"={native.verdict_name(industry)}")
    verdict.font = _BOLD
    verdict.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=ncols)
    ws.row_dimensions[2].height = 30
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
        cell = ws.cell(row=HEADER_ROW, column=col, value=spec.header_of(key, rules.columns))
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        letter = get_column_letter(col)
        kind = rules.columns[key].kind
        ws.column_dimensions[letter].width = _WIDTHS.get(key, 14 if kind != "money" else 12)
        fmt = {"money": "0.00", "date": "yyyy-mm-dd", "phone": "@"}.get(kind)
        first = ws.cell(row=FIRST_DATA_ROW, column=col)
        first.border = _BORDER
        if fmt:
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
    # The add-in's verdict and its count of rows with problems, beside the native verdict.
    # No formula below the header: a spreadsheet prints every formula cell, so an empty
    # template would print a thousand blank rows.
    last_letter = get_column_letter(ncols)
    ws.cell(row=3, column=ADDIN_COL - 1, value="加载项：").font = _BOLD
    addin = ws.cell(row=3, column=ADDIN_COL, value="=" + _addin_summary(industry, local, layout))
    addin.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=ADDIN_COL, end_row=3, end_column=ncols)
    ws.row_dimensions[3].height = 30
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.row_dimensions[HEADER_ROW].height = 45
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    # Print only down to the last filled row (at least the header and one row): the print area
    # follows the data through INDEX, which is not volatile.
    sheet = quote_sheetname(industry)
    last = layout.ref(industry, "last_row")
    ws.defined_names["Print_Area"] = DefinedName(
        "Print_Area",
        attr_text=(
            f"{sheet}!$A$1:INDEX({sheet}!${last_letter}:${last_letter},"
            f"MAX({FIRST_DATA_ROW},{last}))"
        ),
    )
    return ws


def _helper_sheet(wb: Workbook, blocks: list[native.Block], *, all_rows: bool) -> Worksheet:
    """The hidden sheet of per-row helper formulas (see :mod:`native`).

    Without ``all_rows`` only the first formula row is written; :func:`write_template` shares
    it down the sheet in the saved file."""
    ws = wb.create_sheet(native.HELPER_SHEET)
    ws["A1"] = "表格公式的计算列（自动计算，请勿修改；每行对应各产业表的同一行）"
    ws["A2"], ws["B2"] = "计算到第几行：", blocks[0].last_row
    last = blocks[0].last_row if all_rows else FIRST_DATA_ROW
    ws.cell(row=HEADER_ROW, column=native.POSITION_COL, value="计算·第几个数据行")
    for row in range(FIRST_DATA_ROW, last + 1):
        # The only ROW() without an argument in the template, at the top of its formula.
        ws.cell(row=row, column=native.POSITION_COL, value=f"=ROW()-{FIRST_DATA_ROW - 1}")
    for b in blocks:
        first = b.cols[next(iter(b.cols))]
        ws.cell(row=HEADER_ROW - 1, column=first, value=b.industry).font = _BOLD
        for key, col in b.cols.items():
            # "计算·" keeps a title from reading as a table header; no title names a personal
            # column (住址, 电话), so a masked copy keeps these formulas, which then count
            # the masked values.
            ws.cell(row=HEADER_ROW, column=col, value="计算·" + b.titles[key])
            template = b.formulas[key]
            last = b.last_row if all_rows else b.first_row
            for row in range(b.first_row, last + 1):
                ws.cell(row=row, column=col, value=native.row_formula(template, row))
    # Hidden, so no clerk types into it. Not sheet-protected: the add-in's 校验本表 refuses to
    # run on a workbook with a protected sheet it would read.
    ws.sheet_state = "hidden"
    return ws


def _status_sheet(
    wb: Workbook, rules: Rules, layout: StatusLayout, blocks: list[native.Block], last_row: int
) -> Worksheet:
    """Per industry: rows filled, the native verdict, every figure, and the add-in's verdict."""
    ws = wb.create_sheet(STATUS_SHEET)
    ws["A1"] = "达标情况（由表格公式自动计算，Excel、WPS、LibreOffice 中均有效）"
    ws["A1"].font = _TITLE
    ws["A2"] = (
        "逐行问题（电话无效、日期无法识别、金额疑似以元填写等）请用加载项的“校验本表”"
        "或命令 jinguo-xl check 查看；两者的结论不同时以 jinguo-xl check 为准。"
    )
    ws["A3"], ws["A4"] = "基地结论", "识别的基地类型"
    ws["A3"].font = ws["A4"].font = _BOLD
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
    for key, col in layout.columns.items():
        c = ws.cell(row=_STATUS_HEAD_ROW, column=col, value=headers[key])
        c.font, c.fill, c.border = _BOLD, _HEAD_FILL, _BORDER
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.row_dimensions[_STATUS_HEAD_ROW].height = 60
    for key, width in (("verdict", 60), ("addin", 50), ("compare", 14)):
        ws.column_dimensions[get_column_letter(layout.columns[key])].width = width
    rows: dict[str, str] = {}
    verdicts: dict[str, str] = {}
    for b in blocks:
        industry, r = b.industry, layout.rows[b.industry]
        figures = native.metric_formulas(b, rules)
        figures["last_row"] = f"SUMPRODUCT(MAX({b.span('d')}*ROW({b.span('d')})))"
        spec = rules.tables[industry]
        # Filled cells below the rows the helpers read, found by position (inserted rows move
        # the limit with them). From the first data row down: the verdict shown above the
        # table is not in the range.
        cols = (
            f"{quote_sheetname(industry)}!$B${FIRST_DATA_ROW}:"
            f"${get_column_letter(len(spec.columns))}$1048576"
        )
        figures["overflow"] = (
            f"COUNTA(INDEX({cols},{last_row - HEADER_ROW + 1},0):INDEX({cols},ROWS({cols}),0))"
        )
        cells = {k: layout.local(industry, k) for k in layout.columns}
        found = cells["households_found"]
        figures["households"] = native.households_formula("帮扶户数", found, type_cell, rules)
        trained = cells["trained"]
        qualified = cells["qualified"] if "qualified" in figures else "0"
        employed_rows = cells["employed_rows"] if "employed_rows" in figures else "0"
        figures["pass_rate"] = f'IF({trained}=0,"",{qualified}/{trained})'
        figures["employment_rate"] = f'IF({trained}=0,"",{employed_rows}/{trained})'
        ws.cell(row=r, column=layout.columns["industry"], value=industry)
        ws.cell(row=r, column=layout.columns["rows"], value="=" + figures["rows"])
        for key, _, fmt in _FIGURES:
            value = figures.get(key, '""')
            c = ws.cell(row=r, column=layout.columns[key], value="=" + value)
            c.number_format = fmt
        refs = dict(cells)
        refs["pass_rate_num"], refs["employment_rate_num"] = qualified, employed_rows
        refs["last"] = str(last_row)
        if spec.money:
            money_metrics = ["sales_wan", "sales_wan_all"]
            if spec.employed_by == "money":
                money_metrics.append("employed")
            refs["money_metrics"] = ",".join(money_metrics)
        verdict = ws.cell(
            row=r,
            column=layout.columns["verdict"],
            value="=" + native.table_verdict(industry, rules, refs, type_cell),
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
        for col in layout.columns.values():
            ws.cell(row=r, column=col).border = _BORDER
    base = ws["C3"]
    base.value = "=" + native.base_verdict(list(rules.industries), rows, verdicts)
    base.font = _BOLD
    base.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=8)
    ws.row_dimensions[3].height = 45
    wb.defined_names[native.BASE_VERDICT] = DefinedName(
        native.BASE_VERDICT, attr_text=f"{quote_sheetname(STATUS_SHEET)}!$C$3"
    )
    ws.freeze_panes = f"B{_STATUS_HEAD_ROW + 1}"
    _print_setup(ws, f"{_STATUS_HEAD_ROW}:{_STATUS_HEAD_ROW}")
    # The printout: verdicts and the figures a clerk reads; the counting columns after them
    # stay on screen only.
    last_shown = get_column_letter(layout.columns[_FIGURES[_PRINTED_FIGURES - 1][0]])
    ws.print_area = f"A1:{last_shown}{max(layout.rows.values())}"
    return ws


def build_template(
    rules: Rules, data_rows: int = DATA_ROWS, *, all_helper_rows: bool = True
) -> Workbook:
    """The template workbook in memory (used by ``write_template`` and the 新建台账 button).

    ``data_rows`` is the number of pre-formatted rows per industry sheet; tests use a small
    number to keep a spreadsheet engine's recalculation short."""
    last_row = HEADER_ROW + data_rows
    wb = Workbook()
    _info_sheet(wb, rules)
    layout = status_layout(rules)
    for industry in rules.industries:
        _industry_sheet(wb, rules, industry, layout, last_row)
    blocks = native.build_blocks(rules, FIRST_DATA_ROW, last_row)
    _status_sheet(wb, rules, layout, blocks, last_row)
    _helper_sheet(wb, blocks, all_rows=all_helper_rows)
    wb.properties.creator = "jinguo_xl"
    wb.properties.title = rules.title
    wb.properties.created = wb.properties.modified = _STAMP
    wb.calculation.fullCalcOnLoad = True
    return wb


def save_template(wb: Workbook, path: Path) -> Path:
    """Save a workbook made by ``build_template(..., all_helper_rows=False)`` (perhaps filled
    in since) atomically, its helper formulas stored as shared formulas down the sheet."""
    helper_ws = wb[native.HELPER_SHEET]
    helper = f"xl/worksheets/sheet{wb.sheetnames.index(native.HELPER_SHEET) + 1}.xml"
    last_row = int(helper_ws["B2"].value)

    def write(tmp: Path) -> None:
        buffer = io.BytesIO()
        wb.save(buffer)
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(
            tmp, "w", zipfile.ZIP_DEFLATED
        ) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == helper:
                    text = native.share_formulas(data.decode("utf-8"), FIRST_DATA_ROW, last_row)
                    data = text.encode("utf-8")
                dst.writestr(info, data)

    return save_atomic(Path(path), write)


def write_template(path: Path, rules: Rules, data_rows: int = DATA_ROWS) -> Path:
    """Write the template to ``path`` atomically."""
    return save_template(build_template(rules, data_rows, all_helper_rows=False), path)

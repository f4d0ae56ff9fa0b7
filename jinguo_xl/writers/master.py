"""The municipal master workbook: what the office reads, filters, prints and trusts.

Written with xlsxwriter (values only, no formulas that break under a filter; every text from an
input is written as text, never as a formula), with native charts, frozen headers, autofilters
and A4 landscape print setup. A hidden sheet marks the file as ours, so that a county master can
itself be consolidated by the city without counting any row twice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from jinguo_xl.combine import rows as build
from jinguo_xl.combine.consolidation import (
    STATUSES,
    Consolidation,
    by_combination,
    by_county,
)
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    DUPLICATE_COLUMNS,
    FINDING_COLUMNS,
    FORMAT_VERSION,
    INPUT_COLUMNS,
    MARKER_SHEET,
    RANKING_COLUMNS,
    ROSTER_COLUMNS,
    ROSTER_COUNTY_COLUMNS,
    ROSTER_SHEET,
    ROSTER_SHEET_NOTE,
    SHEET_NOTES,
    SHEETS,
    WOMEN_COLUMNS,
    Column,
    county_columns,
    headers,
    index_of,
    township_columns,
)
from jinguo_xl.count.left_out import left_out_rows
from jinguo_xl.findings import Severity, count_by_severity
from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.rules import Rules
from jinguo_xl.version import __version__
from jinguo_xl.writers.atomic import atomic_path, temp_prefix
from jinguo_xl.writers.bulk import BulkRows, finite
from jinguo_xl.writers.layout import (
    LINE_PT,
    PAD_PT,
    break_lines,
    header_lines,
    header_width,
    row_height,
    text_width,
)
from jinguo_xl.writers.masked import finish_masked_file

if TYPE_CHECKING:
    from jinguo_xl.combine.roster import RosterStatus

# Long tables print at a fixed scale, their columns spread over as many pages as they need:
# 11-point text at 90 % is 9.9 points on paper. Shrinking a table to fit a page made it 5.
PRINT_SCALE = 90
FIT_MAX = 72  # widest a column is made to fit its text; longer text wraps
DATE_WIDTH = 12  # 2020-08-31 in any renderer's font, without running into the next column
# Column-width units on an A4 landscape page at PRINT_SCALE (784 points between the margins;
# a unit is 7 pixels in Excel, about 9 where LibreOffice falls back to a wider font: the
# smaller page), and the share of it the repeated first columns may take.
PAGE_UNITS = 125
REPEAT_SHARE = 0.4


class _Book:
    """Formats and the per-sheet finish shared by every sheet of the master."""

    def __init__(self, path: Path, final: Path | None = None) -> None:
        self.wb = xlsxwriter.Workbook(
            str(path),
            {
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_date_format": "yyyy-mm-dd",
                # Rows go straight to disk: a municipal master holds 100 000s of rows.
                "constant_memory": True,
            },
        )
        self.wb.set_properties(
            {
                "title": "巾帼示范基地汇总表",
                "author": "jinguo_xl",
                "comments": "由 jinguo-xl consolidate 生成",
            }
        )
        f = self.wb.add_format
        self.head = f(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
            }
        )
        self.title = f({"bold": True, "font_size": 14})
        self.bold = f({"bold": True})
        # Top-aligned throughout: beside a wrapped cell, a value sits on its first line.
        # Figures right-aligned, and so is a text in a figure's place ("—", "9/17", "7 / 8").
        self.wan = f({"num_format": "0.00", "valign": "top", "align": "right"})
        self.pct = f({"num_format": "0.0%", "valign": "top", "align": "right"})
        self.right = f({"valign": "top", "align": "right"})
        self.right_wrap = f({"valign": "top", "align": "right", "text_wrap": True})
        self.date = f({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.top = f({"valign": "top"})
        self.wrap = f({"text_wrap": True, "valign": "top"})
        self.note = f({"italic": True, "font_color": "#7F6000"})
        self.note_wrap = f(
            {"italic": True, "font_color": "#7F6000", "text_wrap": True, "valign": "top"}
        )
        self.label = f({"bold": True, "text_wrap": True, "valign": "top"})
        self.total = f({"bold": True, "valign": "top", "top": 1})
        self.total_money = f({"bold": True, "valign": "top", "top": 1, "num_format": "0.00"})
        self.left_out = f({"font_color": "#C00000", "text_wrap": True, "valign": "top"})
        self.bulk = BulkRows(
            Path(path).parent,
            temp_prefix(final or path),
            date_format=self.date,
            money_format=self.wan,
            plain_format=self.top,
        )

    def table(
        self,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        first_row: int = 0,
        widths: dict[int, float] | None = None,
        formats: dict[int, Any] | None = None,
        filter_: bool = True,
        bulk: bool = False,
        wrap: Sequence[int] = (),
        fit: Sequence[int] = (),
        breaks: Sequence[int] = (),
        printed: int | None = None,
    ) -> Any:
        """A sheet of ``header`` and ``rows``; ``bulk`` for the long tables (see writers.bulk:
        written the way xlsxwriter writes them, without its per-cell cost).

        Columns in ``fit`` are widened to their longest text (up to ``FIT_MAX``); columns in
        ``wrap`` wrap their text and every row gets the height its longest text needs; in
        ``breaks`` the writer places the line breaks itself (see writers.layout.break_lines).
        Each column is at least as wide as its header, so no header wraps. Only the first
        ``printed`` columns print (the rest are for programs). Nothing is cut when printed."""
        ws = self.wb.get_worksheet_by_name(name) or self.wb.add_worksheet(name)
        width = [max(w, math.ceil(text_width(h)) + 2) for w, h in
                 zip(column_widths(header, widths), header, strict=True)]
        for c in fit:
            longest = max((text_width(v) for v in {str(row[c] or "") for row in rows}), default=0)
            width[c] = min(FIT_MAX, max(width[c], math.ceil(longest) + 2))
        for c, w in enumerate(width):
            ws.set_column(c, c, w)
        self.header(ws, first_row, header, width)
        formats = dict(formats or {})
        for c in wrap:
            formats.setdefault(c, self.wrap)
        if wrap:
            for c in range(len(header)):
                formats.setdefault(c, self.top)
        if breaks:
            rows = [
                [
                    break_lines(v, width[c]) if c in breaks and isinstance(v, str) and v else v
                    for c, v in enumerate(row)
                ]
                for row in rows
            ]

        def height(row: Sequence[object]) -> float | None:
            return row_height((row[c], width[c]) for c in wrap if c < len(row))

        if bulk:
            self.bulk.write(
                ws.index, first_row + 1, rows, len(header), formats, height if wrap else None
            )
        else:
            for r, row in enumerate(rows, start=first_row + 1):
                if wrap and (ht := height(row)):
                    ws.set_row(r, ht)
                for c, value in enumerate(row):
                    self.cell(ws, r, c, value, formats.get(c))
        last_row = first_row + max(len(rows), 1)
        if filter_:
            ws.autofilter(first_row, 0, last_row, len(header) - 1)
            ws.freeze_panes(first_row + 1, 0)
        self.print_setup(ws, first_row, columns=len(header), widths=width[: printed or None])
        if printed is not None and printed < len(header):
            ws.print_area(0, 0, last_row, printed - 1)
        return ws

    def columns_table(
        self,
        name: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        first_row: int = 0,
        bulk: bool = False,
        printed: int | None = None,
    ) -> Any:
        """A table laid out by its column specs (:mod:`jinguo_xl.combine.layout`): headers,
        number formats by kind, widths, wrapped and fitted columns."""
        number = {"money": self.wan, "ratio": self.wan, "rate": self.pct}
        widths = {i: c.width for i, c in enumerate(columns) if c.width is not None}
        for i, c in enumerate(columns):
            if c.kind == "date":
                widths[i] = max(widths.get(i, 0), DATE_WIDTH)
        return self.table(
            name,
            headers(columns),
            rows,
            first_row=first_row,
            widths=widths,
            formats={i: number[c.kind] for i, c in enumerate(columns) if c.kind in number},
            bulk=bulk,
            wrap=[i for i, c in enumerate(columns) if c.wrap],
            fit=[i for i, c in enumerate(columns) if c.fit],
            breaks=[i for i, c in enumerate(columns) if c.breaks],
            printed=printed,
        )

    def header(
        self,
        ws: Any,
        r: int,
        header: Sequence[str],
        width: Sequence[float],
        *,
        breaks: bool = False,
    ) -> None:
        """A header row, tall enough for its longest wrapped header (plus the filter button).
        With ``breaks`` (a printed summary, never read back) a header too long for its narrow
        column is broken where a reader expects (销售/收入 / （万元）, 巾帼扶贫 / 家庭工坊)."""
        if breaks:
            header = [header_lines(h, w) for h, w in zip(header, width, strict=False)]
        # three spaces of room for the filter button beside the header text
        ht = row_height((f"{h}   ", w) for h, w in zip(header, width, strict=False))
        ws.set_row(r, ht or LINE_PT + PAD_PT)
        ws.write_row(r, 0, header, self.head)

    def note_row(
        self, ws: Any, r: int, text: str, columns: int, widths: Sequence[float]
    ) -> None:
        """A note across the table's width (as much of it as prints on the first page),
        wrapped, with the row height it needs."""
        while columns > 1 and sum(widths[:columns]) > PAGE_UNITS:
            columns -= 1
        room = sum(widths[:columns])
        ws.set_row(r, row_height([(text, room)]) or LINE_PT + PAD_PT)
        if columns > 1:
            ws.merge_range(r, 0, r, columns - 1, text, self.note_wrap)
        else:
            ws.write_string(r, 0, text, self.note_wrap)

    def cell(self, ws: Any, r: int, c: int, value: object, fmt: Any = None) -> None:
        if fmt is self.top:
            if value is None or value == "":
                return  # an alignment-only blank shows nothing (as in writers.bulk)
            if isinstance(value, (Decimal, dt.date)):
                fmt = None  # the type's own format below, top-aligned too
        if value is None or value == "":
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "是" if value else "否", fmt)
        elif isinstance(value, (int, float, Decimal)) and not finite(value):
            ws.write_string(r, c, str(value), fmt)  # Excel has no NaN or infinity
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, Decimal):
            ws.write_number(r, c, float(value), fmt or self.wan)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(
                r, c, dt.datetime(value.year, value.month, value.day), fmt or self.date
            )
        else:
            ws.write_string(r, c, str(value), fmt)

    def print_setup(
        self,
        ws: Any,
        header_row: int | None,
        columns: int = 0,
        pages_wide: int = 0,
        widths: Sequence[float] = (),
    ) -> None:
        """A4 landscape, header rows repeated; wide tables span pages across, keeping their
        first columns (county, base) on every page so a printed page can still be read, as
        long as they leave most of the page to the other columns."""
        ws.set_landscape()
        ws.set_paper(9)
        if pages_wide:  # a page laid out to be one page wide (汇总, 说明)
            ws.fit_to_pages(pages_wide, 0)
        else:  # a table: readable type, its columns over as many pages as they need
            ws.set_print_scale(PRINT_SCALE)
            ws.print_across()
            if sum(widths) > PAGE_UNITS:
                kept = next(
                    (k for k in (4, 2, 1) if sum(widths[:k]) <= REPEAT_SHARE * PAGE_UNITS), 0
                )
                if kept:
                    ws.repeat_columns(0, kept - 1)
        if header_row is not None:
            ws.repeat_rows(header_row)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")


# ---------------------------------------------------------------------- sheets


def column_widths(header: Sequence[str], widths: dict[int, float] | None = None) -> list[float]:
    """Each column's width: as given, else fitted to its header (see writers.layout)."""
    return [(widths or {}).get(c, header_width(h)) for c, h in enumerate(header)]


# Fixed colours, so a colour means the same status in every chart, viewer and print.
STATUS_COLOURS = {
    STATUS_MET: "#2E9E44",  # green
    STATUS_BASIC: "#F0A30A",  # amber
    STATUS_NOT_MET: "#D9342B",  # red
    STATUS_EMPTY: "#A6A6A6",  # grey
    STATUS_UNDECIDED: "#7E57C2",  # purple
}
MONEY_COLOUR = "#4472C4"
# 汇总's columns: 区县, 名单状态, the report columns, 基地数, the types, the five statuses,
# then the figures; narrow, their headers broken over two lines, so that the page prints
# one page wide at about 90 % (readable type).
# 区县 holds 酉阳土家族苗族自治县 on one line; 名单状态's column 按类型 × 产业's 产业 (手工制作).
SUMMARY_WIDTHS = {0: 20, 1: 8.5}
SUMMARY_TYPE_WIDTH = 9
SUMMARY_COUNT_WIDTH = 7  # 未达标, 基地数 on one line
SUMMARY_FIGURE_WIDTHS = [7, 6.5, 6.5, 10, 12.5]
SUMMARY_MARGIN = 0.3  # inches left and right: room for the county table at a readable size
CHART_HEIGHT = 330  # pixels: the two charts share one printed page
COMBO_MONEY_AT = 9
CHART_FONT = 11  # points: shrunk with the page to fit it, still 9 or more on paper


def nice_step(largest: float, ticks: int = 8) -> int:
    """A whole-number axis step (1, 2, 5, 10, 20, 50 …) giving at most ``ticks`` steps: a
    count of bases never steps by 0.5."""
    step = 1
    while step * ticks < largest:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 …
            step = int(step * factor)
            if step * ticks >= largest:
                break
    return step


def _integer_axis(name: str, largest: float) -> dict[str, object]:
    step = nice_step(largest)
    top = max(step, -(-int(largest) // step) * step)
    return {
        "name": name,
        "min": 0,
        "max": top,
        "major_unit": step,
        "num_format": "0",
        "num_font": {"size": CHART_FONT},
        "name_font": {"size": CHART_FONT},
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }


def _summary(
    book: _Book, result: Consolidation, rules: Rules, roster: RosterStatus | None = None
) -> None:
    ws = book.wb.add_worksheet("汇总")
    type_names = [bt.name for bt in rules.base_types]
    statuses = build.SUMMARY_STATUSES
    columns = county_columns(type_names, statuses, roster=roster is not None)
    header = headers(columns)
    first_type = index_of(columns, f"type:{type_names[0]}")
    widths: list[float] = [
        SUMMARY_WIDTHS.get(
            c,
            SUMMARY_TYPE_WIDTH
            if first_type <= c < first_type + len(type_names)
            else SUMMARY_COUNT_WIDTH,
        )
        for c in range(len(header))
    ]
    if roster is None:
        widths[index_of(columns, "reported")] = 6.5
    widths[-len(SUMMARY_FIGURE_WIDTHS) :] = SUMMARY_FIGURE_WIDTHS
    # 按类型 × 产业 below shares the columns: its 10th, 销售/收入（万元）, needs two lines' room
    widths[COMBO_MONEY_AT] = max(widths[COMBO_MONEY_AT], SUMMARY_FIGURE_WIDTHS[-2])
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.write(0, 0, f"{rules.title}·汇总", book.title)

    counted = result.counted
    status_count = {s: sum(e.report.status == s for e in counted) for s in statuses}
    counties = by_county(result, rules)
    total_all = sum((f.sales_wan_all for f in counties.values()), Decimal(0))
    total_counted = sum((f.sales_wan for f in counties.values()), Decimal(0))
    covered = sum(t.covered for t in result.townships)
    findings = result.findings
    counts = count_by_severity(findings)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    resent = len(result.entries) - len(counted)
    headline: list[tuple[str, object]] = [
        ("基地数（计入汇总）", len(counted)),
        *((f"其中{s}", status_count[s]) for s in statuses if s in STATUSES or status_count[s]),
        *([("重复报送未计入（份）", resent)] if resent else []),
        ("数据行（读取）", result.rows_read),
        # with copies left out, the rows of the counted bases (全市合计's 数据行) too
        *([("其中计入汇总的基地", sum(f.rows for f in counties.values()))] if resent else []),
        ("培训人次（计入目标的妇女）", sum(f.trained for f in counties.values())),
        ("带动就业（人）", sum(f.employed for f in counties.values())),
        ("销售/收入合计（万元）", total_all),
        ("其中贫困妇女（万元）", total_counted),
        ("深度贫困乡镇已覆盖", f"{covered}/{len(rules.townships)}"),
        ("跨基地重复人员（人）", len(result.duplicates)),
        ("问题：错误 / 警告（条）", f"{errors} / {warnings}"),
    ]
    # Beside the totals: the rows typed but kept out of them, and why (rows, 问题清单 has each).
    left = left_out_rows(e.report for e in counted)
    side: list[tuple[str, object, Any]] = [("未计入合计或目标的行（原因 / 行数）", "", book.label)]
    side += [(why, f"{n} 行", book.left_out) for why, n in left.items()]
    if not left:
        side.append(("无：读取到的金额和妇女类型都已计入", "", book.wrap))
    else:
        side.append(("逐行位置见“问题清单”，改正后重新汇总", "", book.note_wrap))
    side.append(
        (
            f"深度贫困乡镇：通知为 {rules.notice_township_count} 个，名单列出 "
            f"{len(rules.townships)} 个（见“深度贫困乡镇”表）",
            "",
            book.note_wrap,
        )
    )
    label_from = first_type + 1
    label_to, count_col = label_from + len(type_names) + 1, label_from + len(type_names) + 2
    label_room = sum(widths[label_from : label_to + 1])
    # the headline: a label across 区县 and 名单状态, its figure right-aligned beside it
    head_room, value_room = widths[0] + widths[1], widths[2] + widths[3]
    for i in range(max(len(headline), len(side))):
        r = 2 + i
        cells: list[tuple[object, float]] = []
        if i < len(headline):
            label = break_lines(headline[i][0], head_room)
            cells += [(label, head_room), (headline[i][1], value_room)]
        if i < len(side):
            cells.append((side[i][0], label_room))
        if ht := row_height(cells):
            ws.set_row(r, ht)
        if i < len(headline):
            label, value = headline[i]
            ws.merge_range(r, 0, r, 1, break_lines(label, head_room), book.label)
            # figures and 9/17, 7 / 8 alike: right-aligned, top-aligned
            fmt = book.wan if isinstance(value, Decimal) else book.right_wrap
            ws.merge_range(r, 2, r, 3, "", fmt)
            book.cell(ws, r, 2, value, fmt)
        if i < len(side):
            text, count, fmt = side[i]
            ws.merge_range(r, label_from, r, label_to, text, fmt)
            if count:
                ws.write_string(r, count_col, str(count), fmt)

    top = max(len(headline), len(side)) + 4
    ws.write_string(top - 1, 0, "按区县", book.bold)
    book.header(ws, top, header, widths, breaks=True)
    rows = build.county_rows(result, rules, roster)
    total = build.county_total_row(rows, roster is not None)
    for r, row in enumerate([*rows, total], start=top + 1):
        if ht := row_height([(row[0], widths[0])]):
            ws.set_row(r, ht)
        for c, value in enumerate(row):
            plain = None if isinstance(value, Decimal) else book.top  # Decimal: 0.00, top
            if row is total:
                plain = book.total_money if isinstance(value, Decimal) else book.total
            book.cell(ws, r, c, value, book.wrap if c == 0 and row is not total else plain)
    last = top + len(rows)  # the counties (the charts leave 全市合计 out)

    combo_top = last + 4
    ws.write_string(combo_top - 1, 0, "按类型 × 产业（每张已填写的表）", book.bold)
    c_header = [
        "创建基地类型",
        "产业",
        "表数",
        *STATUSES[:3],
        "数据行",
        "培训人次",
        "带动就业",
        "销售/收入（万元）",
    ]
    book.header(ws, combo_top, c_header, widths, breaks=True)
    combos = by_combination(result, rules)
    for r, ((base_type, industry), f) in enumerate(combos.items(), start=combo_top + 1):
        spec = rules.tables.get(industry)
        row = [
            base_type,
            industry,
            f.bases,
            *(f.by_status[s] for s in STATUSES[:3]),
            f.rows,
            f.trained,
            f.employed,
            # no money column in the table (乡村旅游, 家政服务): not a 0.00
            f.sales_wan_all if spec is not None and spec.money else build.NOT_APPLICABLE,
        ]
        for c, value in enumerate(row):
            book.cell(ws, r, c, value, book.right if value == build.NOT_APPLICABLE else None)
    charts_row = combo_top + len(combos) + 3
    # page 1 the totals and the counties, page 2 type × industry, page 3 the charts (whole):
    # at a readable size the three do not fit on one page
    ws.set_h_pagebreaks([combo_top - 1, charts_row - 1])

    if rows:
        chart = book.wb.add_chart({"type": "column", "subtype": "stacked"})
        for status in statuses:
            col = index_of(columns, f"status:{status}")
            colour = STATUS_COLOURS[status]
            chart.add_series(
                {
                    "name": ["汇总", top, col],
                    "categories": ["汇总", top + 1, 0, last, 0],
                    "values": ["汇总", top + 1, col, last, col],
                    "fill": {"color": colour},
                    "border": {"color": colour},
                    "gap": 60,
                }
            )
        chart.set_title({"name": "各区县基地数（按结论）", "name_font": {"size": 14}})
        chart.set_x_axis({"num_font": {"size": CHART_FONT}})
        most = max((f.bases for f in counties.values()), default=1)
        chart.set_y_axis(_integer_axis("基地数", most))
        chart.set_legend({"position": "right", "font": {"size": CHART_FONT}})
        # as wide as the tables above: a chart filling half the page is hard to read
        chart_width = int(sum(w * 7 + 5 for w in widths))
        chart.set_size({"width": chart_width, "height": CHART_HEIGHT})
        ws.insert_chart(charts_row, 0, chart)
        money = book.wb.add_chart({"type": "column"})
        money_col = len(header) - 2
        money.add_series(
            {
                "name": "销售/收入（万元）",
                "categories": ["汇总", top + 1, 0, last, 0],
                "values": ["汇总", top + 1, money_col, last, money_col],
                "fill": {"color": MONEY_COLOUR},
                "border": {"color": MONEY_COLOUR},
                "data_labels": {
                    "value": True, "num_format": "0.00", "font": {"size": CHART_FONT}
                },
                "gap": 60,
            }
        )
        largest = max((float(f.sales_wan_all) for f in counties.values()), default=1.0)
        money.set_title(
            {"name": "各区县销售/收入（万元，不含未计入的行）", "name_font": {"size": 14}}
        )
        money.set_x_axis({"num_font": {"size": CHART_FONT}})
        money.set_y_axis(_integer_axis("万元", largest if math.isfinite(largest) else 1.0))
        money.set_legend({"none": True})
        money.set_size({"width": chart_width, "height": CHART_HEIGHT})
        ws.insert_chart(charts_row + 18, 0, money)
        # a cell below the charts, so the print range takes them in
        ws.write_blank(charts_row + 36, 0, None, book.wrap)
    book.print_setup(ws, None, pages_wide=1)
    ws.set_margins(left=SUMMARY_MARGIN, right=SUMMARY_MARGIN, top=0.6, bottom=0.6)


def _roster(book: _Book, status: RosterStatus) -> None:
    """报送情况: the counties' 应报 / 已报 / 未报 / 名单外, then every roster base and every
    base sent that is not on the roster."""
    from jinguo_xl.combine.roster import roster_county_rows, roster_json, roster_rows

    ws = book.wb.add_worksheet(ROSTER_SHEET)
    widths = _spec_widths(ROSTER_COLUMNS)
    figures = roster_json(status)
    book.note_row(
        ws,
        0,
        f"名单：{status.roster.file}。应报 {figures['expected']} 个基地，"
        f"已报 {figures['reported']} 个"
        f"（其中已更正 {figures['corrected']} 个），未报 {figures['missing']} 个；名单外 "
        f"{figures['unlisted']} 个。名称按区县 + 基地名称（忽略全半角、空格和标点）对应；"
        "“说明”中的“可能是…”只是提示，请人工核对后把名单或统计表中的名称改为一致。",
        len(ROSTER_COLUMNS),
        widths,
    )
    county_rows = roster_county_rows(status)
    book.header(ws, 2, headers(ROSTER_COUNTY_COLUMNS), widths)
    for r, row in enumerate(county_rows, start=3):
        last = r == 2 + len(county_rows)
        if ht := row_height([(row[0], widths[0])]):
            ws.set_row(r, ht)
        for c, value in enumerate(row):
            book.cell(ws, r, c, value, book.total if last else (book.wrap if c == 0 else book.top))
    first = 3 + len(county_rows) + 1
    book.columns_table(ROSTER_SHEET, ROSTER_COLUMNS, roster_rows(status), first_row=first)


def _bases(book: _Book, result: Consolidation) -> None:
    # the checksum is for a later level's program, not for paper
    book.columns_table(
        "基地", BASE_COLUMNS, build.base_rows(result.entries),
        printed=index_of(BASE_COLUMNS, "sha256"),
    )


def _women(book: _Book, result: Consolidation, mask: bool) -> int:
    rows = build.women_rows(result, mask)
    book.columns_table("妇女明细", WOMEN_COLUMNS, rows, bulk=True)
    return len(rows)


def _duplicates(book: _Book, result: Consolidation, mask: bool) -> None:
    book.columns_table("重复人员", DUPLICATE_COLUMNS, build.duplicate_rows(result, mask))


def _townships(book: _Book, result: Consolidation, rules: Rules) -> None:
    columns = township_columns(bt.name for bt in rules.base_types)
    rows = build.township_rows(result, rules)
    ws = book.columns_table("深度贫困乡镇", columns, rows)
    missing = rules.notice_township_count - len(rules.townships)
    note = (
        f"通知要求 {rules.notice_township_count} 个深度贫困乡镇各建立至少 1 个基地；名单目前列出 "
        f"{len(rules.townships)} 个"
        + (f"，另有 {missing} 个待市妇联补充" if missing > 0 else "")
        + "。标为“待核实”的乡镇请核实后修改规则文件。"
    )
    book.note_row(ws, len(rows) + 2, note, len(columns), _spec_widths(columns))


def _findings(book: _Book, result: Consolidation) -> None:
    rows = build.finding_rows(result.findings)
    # 代码 (phone-invalid …) is for programs and filters: kept, last, but not printed
    book.columns_table(
        "问题清单", FINDING_COLUMNS, rows, bulk=True, printed=index_of(FINDING_COLUMNS, "code")
    )


def _ranking(book: _Book, result: Consolidation) -> None:
    ws = book.wb.add_worksheet("推荐排名")
    # Rows are streamed in order (constant_memory): the note above the table goes first.
    book.note_row(
        ws,
        0,
        "本表按超出目标的程度排序（各项目标“实际/要求”中最小的倍数），仅供 9 月评选"
        "优秀示范基地参考，不是评选结论。只列出达标和基本达标的基地。",
        len(RANKING_COLUMNS),
        _spec_widths(RANKING_COLUMNS),
    )
    book.columns_table("推荐排名", RANKING_COLUMNS, build.ranking_rows(result), first_row=2)


def _spec_widths(columns: Sequence[Column]) -> list[float]:
    return column_widths(
        headers(columns), {i: c.width for i, c in enumerate(columns) if c.width is not None}
    )


def _readme(
    book: _Book,
    result: Consolidation,
    rules: Rules,
    rows_in_master: int,
    now: dt.datetime,
    mask: bool,
    *,
    with_roster: bool = False,
) -> None:
    ws = book.wb.add_worksheet("说明")
    kinds = Counter(i.kind for i in result.inputs)
    copies = sum(len(i.places) for i in result.inputs)
    lines: list[tuple[str, object]] = [
        ("生成时间", now.strftime("%Y-%m-%d %H:%M:%S")),
        ("工具版本", __version__),
        ("规则", f"{rules.year} 年通知（{rules.title}）"),
        ("是否脱敏", "是：姓名、电话、住址已脱敏，所有统计在脱敏前完成" if mask else "否"),
        ("找到的文件", len(result.inputs) + copies),
        ("读取成功", len(result.inputs) - kinds["unreadable"] - kinds["skipped"]),
        ("无法读取", kinds["unreadable"]),
        ("不是报表（已跳过）", kinds["skipped"]),
        ("同一文件的其他副本（只计一次）", copies),
        ("读取的数据行", result.rows_read),
        ("“妇女明细”中的行", rows_in_master),
        ("核对", "一致" if rows_in_master == result.rows_read else "不一致，请报告"),
        ("基地（计入汇总 / 全部列出）", f"{len(result.counted)} / {len(result.entries)}"),
    ]
    widths = [
        max(w, math.ceil(text_width(c.header)) + 2)
        for w, c in zip(_spec_widths(INPUT_COLUMNS), INPUT_COLUMNS, strict=True)
    ]
    value_room = sum(widths[1:_README_VALUE_TO + 1])
    ws.write_string(0, 0, "说明", book.title)
    for i, (label, value) in enumerate(lines, start=2):
        ws.write_string(i, 0, label, book.label)
        if isinstance(value, str) and text_width(value) > widths[1] - 1:
            # a sentence: across the columns beside, wrapped, top-aligned as its label
            if ht := row_height([(value, value_room)]):
                ws.set_row(i, ht)
            ws.merge_range(i, 1, i, _README_VALUE_TO, value, book.wrap)
        else:  # a figure, or a short text in its place (14 / 14, 一致): right-aligned
            book.cell(ws, i, 1, value, book.right)
    r = len(lines) + 4
    ws.write_string(r - 1, 0, "各工作表内容", book.bold)
    notes = dict(SHEET_NOTES)
    names = list(SHEETS)
    if with_roster:
        names.insert(1, ROSTER_SHEET)
        notes[ROSTER_SHEET] = ROSTER_SHEET_NOTE
    for i, name in enumerate(names):
        if ht := row_height([(notes[name], value_room)]):
            ws.set_row(r + i, ht)
        ws.write_string(r + i, 0, name, book.top)
        ws.merge_range(r + i, 1, r + i, _README_VALUE_TO, notes[name], book.wrap)
    r += len(names) + 2
    ws.write_string(r - 1, 0, "输入文件", book.bold)
    book.header(ws, r, headers(INPUT_COLUMNS), widths)
    wrapped = [c for c, col in enumerate(INPUT_COLUMNS) if col.wrap]
    rows = build.input_rows(result)
    for i, values in enumerate(rows, start=r + 1):
        if ht := row_height([(values[c], widths[c]) for c in wrapped]):
            ws.set_row(i, ht)
        for c, value in enumerate(values):
            book.cell(ws, i, c, value, book.wrap if c in wrapped else book.top)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    book.print_setup(ws, r, pages_wide=1)
    # the checksum (last) is for programs comparing files, not for paper
    ws.print_area(0, 0, r + max(len(rows), 1), len(INPUT_COLUMNS) - 2)


# 说明's values span the input table's columns 类型 … 未读取的原因.
_README_VALUE_TO = 4


def write_master(
    path: Path,
    result: Consolidation,
    rules: Rules,
    *,
    mask: bool = False,
    now: Callable[[], dt.datetime] = dt.datetime.now,
    progress: Callable[[int, int], None] | None = None,
    roster: RosterStatus | None = None,
) -> int:
    """Write the master atomically; returns the number of rows in 妇女明细.

    With ``roster`` (the submissions matched to the 名单), 报送情况 follows 汇总.
    ``progress(done, total)`` is called after each sheet and after each packaging step."""
    step = _Steps(progress, len(SHEETS) + 3 + (roster is not None))
    written = 0
    with atomic_path(Path(path)) as tmp:
        book = _Book(tmp, Path(path))
        try:
            written = _write_sheets(book, result, rules, mask, now, step, roster)
            book.wb.close()
            step()
            book.bulk.splice(tmp)
            if mask:  # every part masked and leak-scanned before it replaces anything
                finish_masked_file(tmp)
            step()
        finally:
            book.bulk.cleanup()
    step()
    return written


class _Steps:
    """Counts the write's steps for a progress callback (a no-op without one)."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress:
            self.progress(self.done, self.total)


def _write_sheets(
    book: _Book,
    result: Consolidation,
    rules: Rules,
    mask: bool,
    now: Callable[[], dt.datetime],
    step: Callable[[], None],
    roster: RosterStatus | None = None,
) -> int:
    """Every sheet, in the order the office reads them; returns the rows in 妇女明细."""
    _summary(book, result, rules, roster)
    step()
    if roster is not None:
        _roster(book, roster)
        step()
    _bases(book, result)
    step()
    written = _women(book, result, mask)
    step()
    _duplicates(book, result, mask)
    step()
    _townships(book, result, rules)
    step()
    _findings(book, result)
    step()
    _ranking(book, result)
    step()
    _readme(book, result, rules, written, now(), mask, with_roster=roster is not None)
    step()
    marker = book.wb.add_worksheet(MARKER_SHEET)
    for i, (k, v) in enumerate(
        [
            ("format", FORMAT_VERSION),
            ("tool", f"jinguo-xl {__version__}"),
            ("rules_year", str(rules.year)),
            ("masked", "yes" if mask else "no"),
        ]
    ):
        marker.write_string(i, 0, k)
        marker.write_string(i, 1, v)
    marker.hide()
    return written

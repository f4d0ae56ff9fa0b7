"""The roster template (名单模板): the office's list of expected bases, with dropdowns.

The county, type and industry cells offer the rules' own names, so a roster typed from it
matches the 统计表 without retyping; the check on reading (:mod:`jinguo_xl.read.roster`) stays
the safeguard for rosters typed elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from jinguo_xl.read.roster import ROSTER_FIELDS, ROSTER_SHEET
from jinguo_xl.rules import Rules
from jinguo_xl.writers.atomic import atomic_path
from jinguo_xl.writers.layout import LINE_PT, PAD_PT, row_height

ROWS = 500  # rows offered with dropdowns
LISTS_SHEET = "_lists"
GUIDE_SHEET = "填写说明"
WIDTHS = {"county": 22, "name": 34, "type": 18, "industry": 12, "township": 16, "leader": 14}
NOTE_WIDTH = 30
GUIDE = (
    "填写说明：每行一个应报送的基地。区县、创建基地类型、帮扶产业请从下拉列表中选择；"
    "带动基地名称请与基地统计表中的名称一致（全半角、空格和标点不影响对应）。"
    "同一区县的同一基地只能写一行。汇总时：jinguo-xl consolidate 区县报送 -o 全市汇总.xlsx "
    "--roster 名单.xlsx"
)


def write_roster_template(path: Path, rules: Rules) -> Path:
    """Write an empty roster with its dropdowns, atomically; returns ``path``."""
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False})
        wb.set_properties({"title": "巾帼示范基地名单", "author": "jinguo_xl"})
        head = wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        )
        text = wb.add_format({"num_format": "@", "valign": "top", "text_wrap": True})
        note = wb.add_format(
            {"italic": True, "font_color": "#7F6000", "text_wrap": True, "valign": "top"}
        )
        ws = wb.add_worksheet(ROSTER_SHEET)
        lists = wb.add_worksheet(LISTS_SHEET)
        choices = {
            "county": [c.name for c in rules.counties],
            "type": [bt.name for bt in rules.base_types],
            "industry": list(rules.industries),
        }
        for c, values in enumerate(choices.values()):
            lists.write_column(0, c, values)
        lists.hide()
        widths = []
        for c, (key, header, _, required) in enumerate(ROSTER_FIELDS):
            width = WIDTHS.get(key, NOTE_WIDTH)
            widths.append(width)
            ws.set_column(c, c, width, text)
            ws.write_string(0, c, header + ("（必填）" if required else ""), head)
            if key in choices:
                col = "ABC"[list(choices).index(key)]
                ws.data_validation(
                    1,
                    c,
                    ROWS,
                    c,
                    {
                        "validate": "list",
                        "source": f"={LISTS_SHEET}!${col}$1:${col}${len(choices[key])}",
                        "error_title": header,
                        "error_message": f"请从下拉列表中选择{header}",
                    },
                )
        ws.set_row(0, LINE_PT * 2 + PAD_PT)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_footer("&C第 &P 页，共 &N 页")
        guide = wb.add_worksheet(GUIDE_SHEET)  # beside the list, never read as a row of it
        guide.set_column(0, 0, sum(widths) * 0.6)
        guide.set_row(0, row_height([(GUIDE, sum(widths) * 0.6)]) or LINE_PT + PAD_PT)
        guide.write_string(0, 0, GUIDE, note)
        guide.set_landscape()
        guide.set_paper(9)
        ws.activate()
        wb.close()
    return path

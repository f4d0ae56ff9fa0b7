"""Rows a clerk typed that count in no total or target, by reason.

A headline total can only be trusted when the rows kept out of it are visible beside it: one
amount typed in 元 once made a county's sales look 15 000 万元. The master's 汇总 and the
terminal summary of ``consolidate`` show these counts; the reasons come from the findings, so
a base read back from a county master is counted the same way as one read from its workbook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from jinguo_xl.count.report import FileReport
from jinguo_xl.findings import Code
from jinguo_xl.validate.rowcheck import DOUBLE_ENTRY
from jinguo_xl.validate.workbook import LEFT_OUT

# Finding codes of a row left out of the targets (its amount still counts in 全部人员).
WOMEN_TYPE_CODES = {
    Code.WOMEN_TYPE_INVALID: "妇女类型无法识别，不计入目标",
    Code.WOMEN_TYPE_MISSING: "妇女类型未填写，不计入目标",
}


# A row typed twice within a base counts once: the second copy counts in no figure.
DOUBLE_ENTRY_WHY = f"{DOUBLE_ENTRY}，只计一次"


def left_out_rows(reports: Iterable[FileReport]) -> dict[str, int]:
    """Reason → number of rows, in a fixed order of reasons."""
    found: Counter[str] = Counter()
    for report in reports:
        for f in report.findings:
            if f.code in LEFT_OUT:
                found[f"{LEFT_OUT[f.code]}，金额未计入"] += 1
            elif f.code in WOMEN_TYPE_CODES:
                found[WOMEN_TYPE_CODES[f.code]] += 1
            elif f.code is Code.ROW_DUPLICATE:
                found[DOUBLE_ENTRY_WHY] += 1
    order = [
        *(f"{why}，金额未计入" for why in LEFT_OUT.values()),
        *WOMEN_TYPE_CODES.values(),
        DOUBLE_ENTRY_WHY,
    ]
    return {why: found[why] for why in order if found[why]}

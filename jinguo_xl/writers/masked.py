"""A masked copy of a workbook: the same file, formatting kept, personal data cut.

Used before a workbook leaves the office (publicity material, reports upward): in every table
the reader finds, 姓名 becomes 张*/张*明, 联系电话 138****5678 and 家庭住址 is cut after the
township. Cells are located by the same reader that counts, so a retyped 样表 is masked as
reliably as the template. The input file is never touched.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.findings import column_letter
from jinguo_xl.mask import mask_address, mask_name, mask_phone
from jinguo_xl.reader import read_workbook
from jinguo_xl.rules import Rules
from jinguo_xl.writers.atomic import save_atomic

_MASKERS = {"name": mask_name, "phone": mask_phone, "address": mask_address}


def write_masked_copy(source: Path, target: Path, rules: Rules) -> int:
    """Write a masked copy of ``source`` to ``target``; returns the number of cells masked."""
    source, target = Path(source), Path(target)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnreadableWorkbook("只能为 .xlsx 或 .xlsm 工作簿生成脱敏副本，请先另存为 .xlsx")
    if source.resolve() == target.resolve():
        raise UnreadableWorkbook("脱敏副本不能覆盖原文件，请换一个文件名")
    ledger = read_workbook(source, rules=rules)
    try:
        wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception as exc:  # the reader accepted it; openpyxl may still refuse odd packages
        raise UnreadableWorkbook(
            f"无法打开工作簿生成脱敏副本（{exc.__class__.__name__}）"
        ) from None
    masked = 0
    for table in ledger.tables:
        ws = wb[table.sheet]
        for row in table.rows:
            for key, mask in _MASKERS.items():
                col = row.cols.get(key)
                if col is None:
                    continue
                cell = ws[f"{column_letter(col)}{row.excel_row}"]
                if cell.value not in (None, ""):
                    cell.value = mask(cell.value)
                    cell.data_type = "s"
                    masked += 1
    save_atomic(target, lambda tmp: wb.save(tmp))
    return masked

"""What kind of workbook this is: a base, or one of the project's own outputs.

A county folder often holds, beside the bases, the files this tool wrote: the official
template (blank, or filled in as a base), a masked copy made with ``jinguo-xl mask`` and a
master from ``jinguo-xl consolidate``. Each must be treated as what it is — a blank template
is no 未填报 base, a masked copy has no phones left to check and must never be counted, a
master holds bases that are already counted elsewhere. File names say nothing (clerks rename
files), so the decision is taken from the content: the sheets and defined names the template
writer lays out, and names and phones that show the masking. A document property the mask
writes is read too, but never needed: the data alone decides when the property is gone.
(Masters are recognised in :mod:`jinguo_xl.combine.master_input`.)
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from jinguo_xl.labels import norm_label
from jinguo_xl.read.ledger import Ledger

BASE = "base"
BLANK_TEMPLATE = "blank-template"
MASKED_COPY = "masked-copy"

MASKED_REFUSAL = (
    "这是脱敏副本，请用原件：姓名和联系电话已被隐去（如“张*兰”“138****5678”），"
    "无法校验，也不能计入汇总"
)
TEMPLATE_SKIPPED = (
    "这是未填写的空白模板（没有基地名称，也没有任何数据行），已跳过，不计为未填报基地"
)

# The template's own sheets and defined names (see writers/template.py).
_TEMPLATE_SHEETS = frozenset({"基本信息", "达标情况"})
_TEMPLATE_NAMES = ('name="基地结论"'.encode(), 'name="识别类型"'.encode())
_MASKED_PROPERTY = b'name="jinguo-xl"'
_MASKED_VALUE = b"masked-copy"
# What the mask leaves: 张*、张*兰、欧阳*娜 and 138****5678、023-****5297.
MASKED_NAME = re.compile(r"^[^\s*]{1,2}\*+[^\s*]?$|^\*$")
MASKED_PHONE = re.compile(r"^(?:\d{3}\*{4}\d{4}|0\d{2,3}-\*{4}\d{4}|\*{4})$")


# The template's sheets that hold its formulas' workings and verdicts, never data: the reader
# passes them over in a workbook that has the template's sheets, whatever a clerk did to the
# tables (spec: the CLI never reads them as data).
TEMPLATE_WORK_SHEETS = frozenset({"计算", "达标情况"})


def template_work_sheets(names: Iterable[str]) -> frozenset[str]:
    """The template's working sheets among ``names``, when the workbook is the template."""
    present = set(names)
    if present >= _TEMPLATE_SHEETS and present >= TEMPLATE_WORK_SHEETS:
        return TEMPLATE_WORK_SHEETS
    return frozenset()


_PART_MAX = 4 * 1024 * 1024


def small_part(path: Path, name: str) -> bytes:
    """A small package part, or b"" when it is missing, damaged or larger than a real one.

    Read before the guarded reader judges the file, so it must neither raise (a damaged
    deflate stream raises zlib.error) nor inflate more than a bounded amount."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as part:
            return part.read(_PART_MAX)
    except Exception:
        return b""


def has_masked_property(path: Path) -> bool:
    """The document property ``jinguo-xl mask`` writes (one piece of evidence, not the only)."""
    custom = small_part(path, "docProps/custom.xml")
    return _MASKED_PROPERTY in custom and _MASKED_VALUE in custom


def looks_masked(names: Iterable[object], phones: Iterable[object]) -> bool:
    """True when most names and phones present look like the mask's output.

    Half or more of the filled names and phones must be masked, and at least two cells (a
    masked row has both): a clerk who typed one ``张*`` for an unknown name is no masked copy."""
    seen = masked = 0
    for values, pattern in ((names, MASKED_NAME), (phones, MASKED_PHONE)):
        for value, times in _tally(values):
            if value.__class__ is str:
                if "*" not in value:  # the mask always leaves a *
                    seen += times if value.strip() else 0
                    continue
                text = "".join(value.split())
            else:
                text = "" if value is None else "".join(str(value).split())
            if not text:
                continue
            seen += times
            masked += times if pattern.match(text) else 0
    return masked >= 2 and masked * 2 >= seen


def _tally(values: Iterable[object]) -> Iterable[tuple[object, int]]:
    """Each distinct value once, with how often it occurs (a column repeats its blanks).

    Values that compare equal yet print differently (1, 1.0 and True; 0.0 and -0.0) are
    numbers, never blank and never masked, so taking one for all of them changes no count;
    texts are equal only when they are the same text."""
    values = list(values)
    try:
        return Counter(values).items()
    except TypeError:  # an unhashable value: every cell on its own
        return ((value, 1) for value in values)


def _ledger_looks_masked(ledger: Ledger) -> bool:
    names = chain.from_iterable(table.column("name") for table in ledger.tables)
    phones = chain.from_iterable(table.column("phone") for table in ledger.tables)
    return looks_masked(names, phones)


def is_template(path: Path, ledger: Ledger) -> bool:
    """The project's template: its 基本信息 and 达标情况 sheets, or its defined names."""
    if {norm_label(s) for s in ledger.sheets} >= _TEMPLATE_SHEETS:
        return True
    book = small_part(path, "xl/workbook.xml")
    return any(name in book for name in _TEMPLATE_NAMES)


def _blank(ledger: Ledger) -> bool:
    name = ledger.fields.get("name")
    return not ledger.rows_read and (name is None or not str(name.raw or "").strip())


def workbook_kind(path: Path, ledger: Ledger) -> str:
    """:data:`BASE`, :data:`BLANK_TEMPLATE` or :data:`MASKED_COPY`, from the file's content."""
    if ledger.rows_read and _ledger_looks_masked(ledger):
        return MASKED_COPY
    if not ledger.rows_read and has_masked_property(path):  # the package is opened only then
        return MASKED_COPY
    if _blank(ledger) and is_template(path, ledger):
        return BLANK_TEMPLATE
    return BASE

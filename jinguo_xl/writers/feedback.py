"""One feedback workbook per county (``退回/城口县_问题清单.xlsx``): what it must correct.

Written like the master (:mod:`jinguo_xl.writers.master`: A4 landscape, headers repeated on
every page, wrapped text with the row heights it needs), each file atomically. Every county
gets a file, so the office can send the same message to all: a county with nothing to fix
gets a one-page 无需修改.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jinguo_xl.combine.consolidation import Consolidation
from jinguo_xl.combine.feedback import (
    FEEDBACK_BASE_COLUMNS,
    FEEDBACK_DUPLICATE_COLUMNS,
    FEEDBACK_FINDING_COLUMNS,
    FEEDBACK_MISSING_COLUMNS,
    FEEDBACK_UNREADABLE_COLUMNS,
    CountyFeedback,
    county_feedback,
)
from jinguo_xl.combine.layout import Column
from jinguo_xl.rules import Rules
from jinguo_xl.writers.atomic import atomic_path
from jinguo_xl.writers.layout import LINE_PT, PAD_PT, row_height
from jinguo_xl.writers.master import _Book

if TYPE_CHECKING:
    from jinguo_xl.combine.roster import RosterStatus

SUFFIX = "_问题清单.xlsx"
GUIDE_SHEET = "说明"
LABEL_WIDTH, VALUE_WIDTH = 20, 90
SHEETS: tuple[tuple[str, str, tuple[Column, ...]], ...] = (
    ("基地", "本区县报送的每个基地：结论、理由、错误和警告数", FEEDBACK_BASE_COLUMNS),
    ("问题", "每条错误和警告：文件、工作表、单元格和改法", FEEDBACK_FINDING_COLUMNS),
    ("未报送", "名单中本区县尚未报送的基地", FEEDBACK_MISSING_COLUMNS),
    (
        "重复人员",
        "同一妇女（姓名 + 电话相同）出现在两个及以上基地，请核实",
        FEEDBACK_DUPLICATE_COLUMNS,
    ),
    ("无法读取", "无法读取的文件及原因", FEEDBACK_UNREADABLE_COLUMNS),
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def feedback_path(folder: Path, county: str) -> Path:
    """``退回/城口县_问题清单.xlsx`` (a county name is never a path)."""
    return Path(folder) / f"{_UNSAFE.sub('_', county) or '未知区县'}{SUFFIX}"


def write_feedback(
    folder: Path,
    result: Consolidation,
    rules: Rules,
    roster: RosterStatus | None = None,
    *,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> list[Path]:
    """Write every county's workbook into ``folder`` (created if needed); returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now().strftime("%Y-%m-%d %H:%M")
    written = []
    for feedback in county_feedback(result, rules, roster):
        path = feedback_path(folder, feedback.county)
        with atomic_path(path) as tmp:
            book = _Book(tmp, path)
            try:
                _write(book, feedback, rules, stamp, roster is not None)
                book.wb.close()
            finally:
                book.bulk.cleanup()
        written.append(path)
    return written


def _tables(feedback: CountyFeedback) -> list[tuple[str, str, tuple[Column, ...], list]]:
    """The sheets this county needs (an empty list is not printed)."""
    rows = (
        feedback.base_rows(),
        feedback.finding_rows(),
        feedback.missing_rows(),
        feedback.duplicates,
        feedback.unreadable,
    )
    return [
        (name, note, columns, table)
        for (name, note, columns), table in zip(SHEETS, rows, strict=True)
        if table
    ]


def _verdict(feedback: CountyFeedback, roster_given: bool) -> str:
    if feedback.nothing_to_fix and not feedback.entries:
        return "无需修改：名单中没有本区县的基地，也未收到本区县的报送。"
    if feedback.nothing_to_fix:
        missing = "，名单中的基地均已报送" if roster_given else ""
        return f"无需修改：本区县报送的 {len(feedback.entries)} 个基地没有错误和警告{missing}。"
    if not feedback.entries and not feedback.unreadable and not feedback.missing:
        return "未收到本区县报送的统计表：如有应报送的基地，请尽快报送。"
    return "需要修改：请按下列各表逐条改正，改好后重新报送整个工作簿。"


def _write(
    book: _Book, feedback: CountyFeedback, rules: Rules, stamp: str, roster_given: bool
) -> None:
    tables = _tables(feedback)
    if feedback.nothing_to_fix:
        tables = []  # one page: the verdict and the bases received
    lines: list[tuple[str, str]] = [
        ("结论", _verdict(feedback, roster_given)),
        ("生成时间", stamp),
        ("规则", f"{rules.year} 年通知（{rules.title}）"),
        (
            "收到的基地",
            f"{sum(e.counts for e in feedback.entries)} 个计入汇总"
            + (
                f"（另有重复报送 {len(feedback.entries) - sum(e.counts for e in feedback.entries)}"
                " 份未计入）"
                if not all(e.counts for e in feedback.entries)
                else ""
            ),
        ),
        ("错误 / 警告", f"{feedback.errors} 条 / {feedback.warnings} 条"),
    ]
    if feedback.expected is not None:
        lines.append(("名单中应报 / 未报", f"{feedback.expected} 个 / {len(feedback.missing)} 个"))
    lines += [
        ("跨基地重复人员", f"{len(feedback.duplicates)} 人"),
        ("无法读取的文件", f"{len(feedback.unreadable)} 个"),
    ]
    if feedback.nothing_to_fix:
        lines += [
            (f"基地 {i}", f"{row[0]}：{row[3]}（{row[8]}）")
            for i, row in enumerate(feedback.base_rows(), start=1)
        ]
    else:
        lines += [(name, f"{note}（{len(rows)} 行）") for name, note, _, rows in tables]
        if tables:
            lines.append(("隐私", "问题说明中不含电话号码；重复人员只列姓名和基地。"))
    _guide(book, f"{feedback.county}·巾帼示范基地统计表问题清单", lines)
    for name, _, columns, rows in tables:
        book.columns_table(name, columns, rows)


def _guide(book: _Book, title: str, lines: Sequence[tuple[str, str]]) -> None:
    """说明: the title, the verdict first, then the counts; each value wrapped to its height."""
    ws = book.wb.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, LABEL_WIDTH)
    ws.set_column(1, 1, VALUE_WIDTH)
    ws.set_row(0, LINE_PT + PAD_PT + 6)
    ws.write_string(0, 0, title, book.title)
    for r, (label, value) in enumerate(lines, start=2):
        ws.set_row(r, row_height([(label, LABEL_WIDTH), (value, VALUE_WIDTH)]) or LINE_PT + PAD_PT)
        ws.write_string(r, 0, label, book.label)
        ws.write_string(r, 1, value, book.wrap)
    book.print_setup(ws, None, pages_wide=1)

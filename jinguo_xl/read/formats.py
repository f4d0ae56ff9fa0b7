"""What a file found in a county folder is, by its name: a workbook to read, or why not.

Counties' folders hold more than workbooks: WPS files, CSV exports, Word cover letters, scans,
Excel's lock files. Every file found is accounted for (spec §8): a workbook format is read (its
content then decides, see :mod:`jinguo_xl.read.reader`), a file that may hold the table in a
form we cannot read is refused with a sentence saying how to save it, and anything else is
listed as skipped with its reason. Nothing is passed over without a word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

READ = "read"
SKIP = "skip"
REFUSE = "refuse"

SAVE_AS = "请用 Excel 或 WPS 打开后“另存为 Excel 工作簿（.xlsx）”再提交"
_WORD = "不是表格；如果统计表填在其中，请把表格复制到 Excel 统计表模板后提交"

# Suffix → why a file that may hold the 统计表 cannot be read as it is.
_REFUSED = {
    ".csv": f"这是 CSV 文本文件，不是工作簿（基地信息和表头格式都会丢失）；{SAVE_AS}",
    ".txt": f"这是文本文件，不是工作簿；如果其中是统计表，{SAVE_AS}",
    ".tsv": f"这是文本文件，不是工作簿；如果其中是统计表，{SAVE_AS}",
    ".wps": f"这是 WPS 文字文档，{_WORD}",
    ".doc": f"这是 Word 文档，{_WORD}",
    ".docx": f"这是 Word 文档，{_WORD}",
    ".numbers": "这是 Numbers 表格，无法读取；请导出为 Excel 工作簿（.xlsx）再提交",
    ".zip": "这是压缩包，其中的文件没有读取；请解压后再汇总",
    ".rar": "这是压缩包，其中的文件没有读取；请解压后再汇总",
    ".7z": "这是压缩包，其中的文件没有读取；请解压后再汇总",
    ".uos": f"这是其他表格软件的格式，无法读取；{SAVE_AS}",
    ".dbf": f"这是数据库文件，不是工作簿；{SAVE_AS}",
    ".xml": f"这是 XML 文件，不是工作簿；{SAVE_AS}",
    ".htm": f"这是网页文件，不是工作簿；{SAVE_AS}",
    ".html": f"这是网页文件，不是工作簿；{SAVE_AS}",
    ".mht": f"这是网页文件，不是工作簿；{SAVE_AS}",
    ".mhtml": f"这是网页文件，不是工作簿；{SAVE_AS}",
}
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with one file found, and why (empty for a file that is read)."""

    action: str  # READ, SKIP or REFUSE
    reason: str = ""


def judge(path: Path, suffixes: tuple[str, ...]) -> Verdict:
    """Read, skip or refuse the file at ``path`` (found in a folder), by its name alone."""
    name = path.name
    suffix = path.suffix.lower()
    if name.startswith("~$"):
        return Verdict(SKIP, "Excel 或 WPS 打开文件时生成的临时锁定文件，不是报表，已跳过")
    if name.lower() in _SYSTEM_FILES:
        return Verdict(SKIP, "系统生成的文件，不是报表，已跳过")
    if name.startswith("."):
        return Verdict(SKIP, "隐藏文件，不是报表，已跳过；如果是统计表，请改名（去掉开头的“.”）")
    if suffix in suffixes:
        return Verdict(READ)
    if suffix in _REFUSED:
        return Verdict(REFUSE, _REFUSED[suffix])
    shown = suffix or "（无扩展名）"
    return Verdict(SKIP, f"不是工作簿（文件类型 {shown}），未读取")


def not_a_workbook(path: Path, suffixes: tuple[str, ...]) -> str:
    """The sentence for a file given by name that is no workbook format."""
    verdict = judge(path, suffixes)
    if verdict.action == REFUSE:
        return verdict.reason
    return (
        f"不支持的文件类型“{path.suffix or '（无扩展名）'}”，请提交 .xlsx、.xlsm、.xls、.xlsb、"
        ".ods 或 WPS 的 .et 工作簿"
    )

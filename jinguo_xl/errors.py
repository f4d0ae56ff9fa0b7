"""The one exception family for runs that cannot go on.

Bad *data* never raises: it becomes findings. These exceptions are for a file that cannot be
read at all or a rules file that is wrong; each carries a Chinese message the CLI prints as is.
"""

from __future__ import annotations

# What the clerk is told when reading a file brought down or outlasted the reading process.
READ_CRASHED = "读取时程序异常退出，文件可能已损坏；请在 Excel 中打开后另存为 .xlsx 再提交"
READ_MEMORY = (
    "读取时所需内存超过上限，文件可能已损坏或异常巨大；请在 Excel 中打开后另存为 .xlsx 再提交"
)
# Any encrypted workbook (.xlsx, .xls, .xlsb, .ods): the package guards and the reader say it.
PASSWORD_PROTECTED = "工作簿设有打开密码，请去掉密码后重新提交"
READ_TIMEOUT = (
    "读取超过 {seconds} 秒仍未完成，文件可能已损坏或异常巨大；请在 Excel 中打开后另存为 .xlsx"
    " 再提交"
)


class JinguoError(Exception):
    """Base class: anything the CLI reports as "could not run" rather than as a finding."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RulesError(JinguoError):
    """The rules file is missing or inconsistent; raised at load time, never mid-count."""


class UnreadableWorkbook(JinguoError):
    """A file is not a workbook this tool can read (corrupt, encrypted, not a spreadsheet)."""

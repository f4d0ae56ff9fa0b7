"""``jinguo-xl scan``: is there a phone, a 身份证号 or an address anywhere in this file?

Any workbook, ours or not, before it is sent: every XML part of the package is searched with
the patterns the masks use (:mod:`jinguo_xl.privacy.parts`), after the same guards as reading
(:func:`~jinguo_xl.read.package.open_package`: size, bombs, markup declarations), in a guarded
worker like ``check``. The report names each part and cell and shows only masked excerpts.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinguo_xl.errors import UnreadableWorkbook
from jinguo_xl.privacy.parts import Leak, scan
from jinguo_xl.read.guard import run_guarded
from jinguo_xl.read.package import MAX_FILE_BYTES, open_package

_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")


@dataclass(slots=True)
class ScanReport:
    """One file's leaks, or the Chinese reason it could not be scanned."""

    shown: str
    leaks: list[Leak] = field(default_factory=list)
    error: str = ""

    def by_part(self) -> dict[str, list[Leak]]:
        out: dict[str, list[Leak]] = {}
        for leak in self.leaks:
            out.setdefault(leak.where, []).append(leak)
        return out


def scan_file(path: Path, shown: str = "") -> ScanReport:
    """Every phone, ID and address in every part of the workbook at ``path`` (never raises)."""
    shown = shown or path.name
    if path.suffix.lower() not in _ZIP_SUFFIXES:
        return ScanReport(shown, error="只能检查 .xlsx 或 .xlsm 工作簿，请先另存为 .xlsx")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableWorkbook(
                f"文件有 {path.stat().st_size // (1024 * 1024)} MB，远大于任何统计表，无法检查"
            )
        data = path.read_bytes()
        open_package(data)  # the guards: refuses bombs and declarations before any parsing
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir()]
    except UnreadableWorkbook as exc:
        return ScanReport(shown, error=exc.message)
    except OSError as exc:
        return ScanReport(shown, error=f"无法打开文件（{exc.strerror or exc}）")
    except (zipfile.BadZipFile, ValueError, EOFError):
        return ScanReport(shown, error="文件已损坏（压缩包不完整），无法检查")
    return ScanReport(shown, scan(parts))


def scan_one(path: str, shown: str) -> ScanReport:
    return scan_file(Path(path), shown)


def scan_all(files: Sequence[tuple[Path, str]]) -> list[ScanReport]:
    """Scan every file, in input order, each in a guarded worker."""
    jobs = [(os.fspath(p), shown) for p, shown in files]
    return run_guarded(
        scan_one, jobs, lambda job, reason: ScanReport(job[1], error=reason), workers=1
    )

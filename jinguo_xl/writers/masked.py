"""A masked copy of a workbook: the same file, formatting kept, personal data cut.

Used before a workbook leaves the office (publicity material, reports upward). Clerks put
personal data wherever there is room, so masking is not limited to the 样表's three columns:

* in every table the reader finds, 姓名 becomes 张*/张*明, 联系电话 138****5678 and 家庭住址
  is cut after the township (cells located by the same reader that counts);
* columns added beside the 样表 whose header names personal data (身份证号, 银行卡号, 账号,
  手机, 电话, 姓名, 住址 …) are masked whatever their cells hold, and so are such columns in
  sheets without a table;
* every other text cell in every sheet (备注, 妇女类型, base information …) has each run of 7 or
  more digits hidden — a phone in any spelling, a 身份证号 (check digit verified) or a bank
  card (Luhn) — and each home address cut; a number cell is masked when it is a phone, ID or
  card number (outside money columns: any whole number of 7 or more digits).

Then the rest of the package (:mod:`jinguo_xl.privacy.parts`): comments, headers and
footers, document properties, hyperlinks, data-validation prompts, defined names, sheet names,
drawing and chart text. A formula that takes its value from another workbook is replaced by
its (masked) value and the external link, whose cache holds the linked cells, is removed.
Before anything is written, every part of the finished package is scanned for phones, 身份证号
and addresses; if one remains the copy is not written and the reason names the part.

Only cells that exist are visited, so a stray value far away (T300000, XFD1048576) costs
nothing; :func:`mask_guarded` runs the whole job in a guarded worker like ``check``.

The copy carries a document property saying it is masked, and its data shows it too
(:mod:`jinguo_xl.read.kinds` looks at both), so it is never counted again. The input is never
touched; what was masked is returned per sheet and column for the clerk to see.
"""

from __future__ import annotations

import errno
import io
import os
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.packaging.custom import StringProperty

from jinguo_xl.errors import JinguoError, UnreadableWorkbook
from jinguo_xl.findings import column_letter
from jinguo_xl.labels import norm_label
from jinguo_xl.privacy.mask import (
    KIND_ADDRESS,
    KIND_CARD,
    KIND_ID,
    KIND_NAME,
    KIND_PHONE,
    mask_address,
    mask_name,
    mask_phone,
    mask_text,
    number_digits,
    phone_like_number,
)
from jinguo_xl.privacy.parts import (
    Leak,
    Scrubbed,
    content_classes,
    labels,
    scan_bytes,
    scrub,
)
from jinguo_xl.privacy.redact import hide_address, hide_numbers
from jinguo_xl.read.guard import run_guarded
from jinguo_xl.read.ledger import Ledger
from jinguo_xl.read.package import STRICT_MAIN, as_transitional
from jinguo_xl.read.reader import read_workbook
from jinguo_xl.rules import Rules, load_rules
from jinguo_xl.writers.atomic import remove_stale, save_atomic

MASKED_PROPERTY = "jinguo-xl"
MASKED_VALUE = "masked-copy"

_ROW_MASKERS: dict[str, tuple[str, Callable[[object], str]]] = {
    "name": (KIND_NAME, mask_name),
    "phone": (KIND_PHONE, mask_phone),
    "address": (KIND_ADDRESS, mask_address),
}
# Words in a header that name personal data, and what the column holds. Checked in order.
_HEADER_WORDS: tuple[tuple[str, str], ...] = (
    ("身份证", KIND_ID),
    ("证件号", KIND_ID),
    ("银行卡", KIND_CARD),
    ("卡号", KIND_CARD),
    ("账号", KIND_CARD),
    ("帐号", KIND_CARD),
    ("手机", KIND_PHONE),
    ("电话", KIND_PHONE),
    ("联系方式", KIND_PHONE),
    ("姓名", KIND_NAME),
    ("住址", KIND_ADDRESS),
    ("地址", KIND_ADDRESS),
)
_HEADER_MAX = 12
_LABELLED = re.compile("[：:]")


@dataclass(frozen=True, slots=True)
class MaskedColumn:
    """How many cells of one column of one sheet were masked, and as what."""

    sheet: str
    column: str  # the header as typed, or ``F列`` when the column has none
    kind: str
    cells: int

    def describe(self) -> str:
        return f"工作表“{self.sheet}” {self.column}：{self.kind} {self.cells} 格"


@dataclass(slots=True)
class MaskResult:
    columns: list[MaskedColumn]
    parts: dict[str, int] = field(default_factory=dict)  # package part → texts masked there
    removed: list[str] = field(default_factory=list)  # what could not be masked, so was cut

    @property
    def cells(self) -> int:
        return sum(c.cells for c in self.columns)


def header_kind(text: object) -> str | None:
    """The kind of personal data a header names (``身份证号码`` → 身份证号), else None."""
    if not isinstance(text, str):
        return None
    label = norm_label(text)
    if not label or len(label) > _HEADER_MAX or any(ch.isdigit() for ch in label):
        return None
    if "基地" in label or "负责人" in label or "单位" in label:
        return None  # base information, not a person helped
    return next((kind for word, kind in _HEADER_WORDS if word in label), None)


def _mask_as(kind: str, value: object) -> tuple[str, str]:
    """Mask ``value`` from a column known to hold ``kind``; returns (masked, kind reported)."""
    if kind == KIND_NAME:
        return mask_name(value), kind
    if kind == KIND_ADDRESS:
        return mask_address(value), kind
    if not isinstance(value, str):
        digits = number_digits(value)
        if digits is not None and len(digits) >= 7:
            return hide_numbers(digits), kind
        return "****", kind
    masked, kinds = mask_text(value)
    return (masked if kinds else "****"), kind  # a short number is still personal: cut


def _existing(ws) -> list:
    """The cells a sheet really holds, row by row: never the empty rectangle up to a stray
    value at T300000 or XFD1048576 (openpyxl would create every cell of it)."""
    return [ws._cells[key] for key in sorted(ws._cells)]


def _existing_rows(ws) -> dict[int, list]:
    rows: dict[int, list] = defaultdict(list)
    for cell in _existing(ws):
        rows[cell.row].append(cell)
    return rows


class _Masker:
    """Masks one openpyxl workbook in place and counts what it masked."""

    def __init__(self, wb: openpyxl.Workbook) -> None:
        self.wb = wb
        self.done: set[tuple[str, int, int]] = set()  # (sheet, row 1-based, col 1-based)
        self.counts: Counter[tuple[str, str, str]] = Counter()
        # Per sheet: (first row, last row, column → header) of each table or headed block.
        self.spans: dict[str, list[tuple[int, int, dict[int, str]]]] = {}
        self.money: dict[str, set[int]] = {}
        self.header_rows: dict[str, set[int]] = {}

    def label(self, sheet: str, row: int, col: int) -> str:
        letter = column_letter(col - 1)
        header = next(
            (h[col] for lo, hi, h in self.spans.get(sheet, ()) if lo <= row <= hi and col in h),
            None,
        )
        return f"{header}（{letter}列）" if header else f"{letter}列"

    def put(self, sheet: str, row: int, col: int, value: str, kind: str) -> None:
        cell = self.wb[sheet].cell(row=row, column=col)
        cell.value = value
        cell.data_type = "s"
        self.done.add((sheet, row, col))
        self.counts[(sheet, self.label(sheet, row, col), kind)] += 1

    def tables(self, ledger: Ledger, rules: Rules) -> None:
        for table in ledger.tables:
            sheet = table.sheet
            if sheet not in self.wb.sheetnames:
                continue
            ws = self.wb[sheet]
            hrow = table.header_row + 1
            self.header_rows.setdefault(sheet, set()).add(hrow)
            labels = {c + 1: norm_label(table.headers.get(k, "")) for k, c in table.cols.items()}
            last = max((r.excel_row for r in table.rows), default=hrow)
            self.spans.setdefault(sheet, []).append((hrow + 1, last, labels))
            spec = rules.tables.get(table.industry or "")
            if spec and spec.money and spec.money in table.cols:
                self.money.setdefault(sheet, set()).add(table.cols[spec.money] + 1)
            extra: dict[int, str] = {}
            known = {c + 1 for c in table.cols.values()}
            for cell in [ws._cells[k] for k in sorted(ws._cells) if k[0] == hrow]:
                kind = header_kind(cell.value)
                if kind and cell.column not in known:
                    extra[cell.column] = kind
                    labels[cell.column] = norm_label(cell.value)
            for row in table.rows:
                r = row.excel_row
                for key, (kind, mask) in _ROW_MASKERS.items():
                    col = row.cols.get(key)
                    if col is None:
                        continue
                    value = ws.cell(row=r, column=col + 1).value
                    if value not in (None, ""):
                        self.put(sheet, r, col + 1, mask(value), kind)
                for col, kind in extra.items():
                    value = getattr(ws._cells.get((r, col)), "value", None)
                    if value not in (None, ""):
                        self.put(sheet, r, col, *_mask_as(kind, value))

    def headed_columns(self) -> None:
        """Personal-data columns in sheets (or parts of sheets) where no table was found."""
        for ws in self.wb.worksheets:
            sheet = ws.title
            stops = sorted(self.header_rows.get(sheet, ()))
            rows = _existing_rows(ws)
            by_column: dict[int, list] = defaultdict(list)
            for cells in rows.values():
                for c in cells:
                    by_column[c.column].append(c)
            for row in rows.values():
                found = [(c.row, c.column, header_kind(c.value)) for c in row]
                found = [f for f in found if f[2] and (sheet, f[0], f[1]) not in self.done]
                if not found or found[0][0] in stops:
                    continue
                if any(isinstance(c.value, str) and _LABELLED.search(c.value) for c in row):
                    continue  # a base-information line, whose values sit beside the labels
                for r0, col, kind in found:
                    end = next((s for s in stops if s > r0), ws.max_row + 1)
                    label = {col: norm_label(ws.cell(r0, col).value)}
                    self.spans.setdefault(sheet, []).append((r0 + 1, end - 1, label))
                    for below in by_column[col]:
                        r = below.row
                        if not r0 < r < end or (sheet, r, col) in self.done:
                            continue
                        value = below.value
                        if value in (None, "") or header_kind(value):
                            continue
                        if kind == KIND_NAME and not (isinstance(value, str) and len(value) <= 6):
                            continue
                        self.put(sheet, r, col, *_mask_as(kind, value))

    def every_cell(self) -> None:
        """Digits and addresses in any other cell of any sheet."""
        for ws in self.wb.worksheets:
            sheet = ws.title
            money = self.money.get(sheet, set())
            for cell in _existing(ws):
                value = cell.value
                if value is None or (sheet, cell.row, cell.column) in self.done:
                    continue
                if isinstance(value, str):
                    if cell.data_type == "f" or not value.strip():
                        continue
                    masked, kinds = mask_text(value)
                    cut = hide_address(masked)
                    if cut != masked:
                        kinds.append(KIND_ADDRESS)
                    for kind in dict.fromkeys(kinds):
                        self.put(sheet, cell.row, cell.column, cut, kind)
                elif (kind := phone_like_number(value, money=cell.column in money)) is not None:
                    digits = str(abs(int(value)))
                    self.put(sheet, cell.row, cell.column, hide_numbers(digits), kind)

    def result(self) -> MaskResult:
        order = {name: i for i, name in enumerate(self.wb.sheetnames)}
        cols = [MaskedColumn(s, c, k, n) for (s, c, k), n in self.counts.items()]
        cols.sort(key=lambda m: (order.get(m.sheet, 0), m.column, m.kind))
        return MaskResult(cols)


# A sheet formatted down to row 1 048 576 holds a million empty ``<row/>`` (or empty styled
# ``<c/>``) elements; openpyxl would make an object of each. Past this many, the empty ones
# are left out of the copy: they carry formatting only, below or between the data.
_EMPTY_FROM = 50_000
_EMPTY_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*/>")
_EMPTY_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*/>")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.I)


def _without_empty_rows(data: bytes) -> tuple[bytes, int]:
    """The package with the empty rows and cells of over-formatted sheets left out; returns
    it and how many rows were left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        big = [
            i for i in archive.infolist()
            if _SHEET_PART.match(i.filename) and i.file_size > 1_000_000
        ]
        if not big:
            return data, 0
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    dropped = 0
    for info in big:
        xml = parts[info.filename]
        if xml.count(b"row ") + xml.count(b"<c ") < _EMPTY_FROM:
            continue
        xml, rows = _EMPTY_ROW.subn(b"", xml)
        if xml.count(b"<c ") > _EMPTY_FROM:
            xml = _EMPTY_CELL.sub(b"", xml)
        parts[info.filename] = xml
        dropped += rows
    if not dropped:
        return data, 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue(), dropped


def _open(source: Path) -> tuple[openpyxl.Workbook, bytes, int]:
    """The workbook for openpyxl, its package bytes, and the number of empty formatted rows
    left out; a Strict OOXML file (which ``check`` reads) is read through its transitional
    twin, in memory."""
    data = source.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {n.lower(): n for n in archive.namelist()}
            book = archive.read(names["xl/workbook.xml"])[:4096]
        if STRICT_MAIN in book:
            data = as_transitional(data)
        data, dropped = _without_empty_rows(data)
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=source.suffix.lower() == ".xlsm")
        return wb, data, dropped
    except MemoryError:
        raise
    except Exception as exc:  # the reader accepted it; openpyxl may still refuse odd packages
        raise UnreadableWorkbook(
            f"无法打开工作簿生成脱敏副本（{exc.__class__.__name__}）"
        ) from None


_EXTERNAL_REF = re.compile(r"\[\d+\]")
_EXTERNAL_LABELS = {"外部链接（缓存的数值）", "外部链接的文件路径"}
REMOVED_LINKS = "指向其他工作簿的外部链接（这些公式已换成脱敏后的结果）"


def _drop_external_links(wb: openpyxl.Workbook, data: bytes) -> bool:
    """Formulas that read another workbook (``=[1]花名册!C2``) become their cached value, and
    the link, whose cache holds every linked cell, is removed. True when there was one."""
    if not getattr(wb, "_external_links", None):
        return False
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False)
    for ws in wb.worksheets:
        cached = values[ws.title] if ws.title in values.sheetnames else None
        for cell in _existing(ws):
            formula = cell.value if cell.data_type == "f" else None
            if isinstance(formula, str) and _EXTERNAL_REF.search(formula):
                value = cached._cells.get((cell.row, cell.column)) if cached else None
                cell.value = getattr(value, "value", None)
    for name in [n for n, d in wb.defined_names.items() if _EXTERNAL_REF.search(d.value or "")]:
        del wb.defined_names[name]
    wb._external_links = []
    return True


class MaskLeak(UnreadableWorkbook):
    """The finished copy still holds personal data: it is not written."""

    def __init__(self, leaks: list[Leak]) -> None:
        first = leaks[0]
        more = f"等 {len(leaks)} 处" if len(leaks) > 1 else ""
        super().__init__(
            f"脱敏后在{first.where}{' ' + first.cell if first.cell else ''}中仍发现"
            f"{first.kind}（{first.excerpt}）{more}，未写出脱敏文件（原有文件未改动）；请把这些内容删除或改写后重试"
        )
        self.leaks = leaks


def mask_workbook(source: Path, target: Path, rules: Rules) -> MaskResult:
    """Write a masked copy of ``source`` to ``target``; returns what was masked, by column.

    Raises :class:`MaskLeak` (and writes nothing) when the leak scan still finds personal
    data in any part of the finished copy."""
    source, target = Path(source), Path(target)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnreadableWorkbook("只能为 .xlsx 或 .xlsm 工作簿生成脱敏副本，请先另存为 .xlsx")
    if source.resolve() == target.resolve():
        raise UnreadableWorkbook("脱敏副本不能覆盖原文件，请换一个文件名")
    try:
        ledger: Ledger | None = read_workbook(source, rules=rules)
    except MemoryError:
        # The counting reader lays a sheet out as a grid, and a value at XFD1048576 makes
        # that grid too large; the copy is still masked, by headers and cell by cell, and
        # the leak scan below stands behind it.
        ledger = None
    wb, data, dropped = _open(source)
    linked = _drop_external_links(wb, data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        held = content_classes(archive.namelist())
    del data
    masker = _Masker(wb)
    if ledger is not None:
        masker.tables(ledger, rules)
    masker.headed_columns()
    masker.every_cell()
    props = wb.custom_doc_props
    for prop in [p for p in props.props if p.name == MASKED_PROPERTY]:
        props.props.remove(prop)
    props.append(StringProperty(name=MASKED_PROPERTY, value=MASKED_VALUE))
    buffer = io.BytesIO()
    wb.save(buffer)
    result = masker.result()
    del wb, masker  # the workbook's cells are no longer needed: free them before the scrub
    scrubbed = scrub(buffer.getvalue())
    del buffer
    leaks = scan_bytes(scrubbed.data)
    if leaks:
        raise MaskLeak(leaks)
    save_atomic(target, lambda tmp: tmp.write_bytes(scrubbed.data))
    named = labels(scrubbed.data)
    for part, count in scrubbed.changed.items():
        label = named.get(part, part)
        result.parts[label] = result.parts.get(label, 0) + count
    with zipfile.ZipFile(io.BytesIO(scrubbed.data)) as archive:
        kept = content_classes(archive.namelist())
    result.removed = ([REMOVED_LINKS] if linked else []) + scrubbed.removed
    if dropped:
        result.removed.append(
            f"没有内容、只设了格式的行 {dropped} 行（如一直设到最后一行的行高或格式）"
        )
    result.removed += sorted(held - kept - (_EXTERNAL_LABELS if linked else set()))
    return result


def write_masked_copy(source: Path, target: Path, rules: Rules) -> int:
    """Write a masked copy of ``source`` to ``target``; returns the number of cells masked."""
    return mask_workbook(source, target, rules).cells


def finish_masked_file(path: Path) -> Scrubbed:
    """A masked file just written (the ``--mask`` master, before it replaces the old one):
    every part scrubbed, then scanned; raises :class:`MaskLeak` when anything remains, so the
    caller's temporary file is dropped and nothing is published."""
    path = Path(path)
    scrubbed = scrub(path.read_bytes())
    leaks = scan_bytes(scrubbed.data)
    if leaks:
        raise MaskLeak(leaks)
    path.write_bytes(scrubbed.data)
    return scrubbed


# ---------------------------------------------------------------------- guarded


@dataclass(slots=True)
class MaskOutcome:
    """What a guarded mask run came to: the result, or the Chinese reason it has none."""

    result: MaskResult | None
    error: str = ""
    write_failed: bool = False  # the copy was made but could not be written (disk, rights)


def write_error(target: Path, exc: OSError) -> str:
    """One Chinese line for an output that could not be written."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = "磁盘空间不足"
    else:
        why = exc.strerror or exc.__class__.__name__
    return (
        f"无法写入“{target}”（{why}）：原有文件未改动。如果它正在 Excel 或 WPS 中打开，"
        "请关闭后重试；或换一个有足够空间和写入权限的文件夹"
    )


def mask_one(source: str, target: str, rules_year: int) -> MaskOutcome:
    """One masked copy, in a worker: never raises for a bad file or a failed write."""
    try:
        return MaskOutcome(mask_workbook(Path(source), Path(target), load_rules(rules_year)))
    except JinguoError as exc:
        return MaskOutcome(None, exc.message)
    except OSError as exc:
        return MaskOutcome(None, write_error(Path(target), exc), write_failed=True)


# Masking rewrites and scans every part: a template-based workbook with 140 000 helper
# formulas takes about 40 s on a busy machine, so the limit is wider than reading's.
MASK_TIME_LIMIT = 300.0


def mask_guarded(
    source: Path, target: Path, rules_year: int, *, time_limit: float = MASK_TIME_LIMIT
) -> MaskOutcome:
    """:func:`mask_one` in a guarded worker (memory and time limits, as ``check`` reads)."""
    job = (os.fspath(source), os.fspath(target), rules_year)
    outcome = run_guarded(
        mask_one, [job], lambda _, reason: MaskOutcome(None, reason), workers=1,
        time_limit=time_limit,
    )[0]
    if outcome.result is None:
        remove_stale(Path(target))  # a worker stopped mid-write leaves its temporary file
    return outcome

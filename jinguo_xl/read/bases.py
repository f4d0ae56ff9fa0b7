"""A workbook that names several bases, split into one ledger per base (spec §8).

Counties bundle: one workbook with a sheet per base, or the 样表's block repeated for each
base down one sheet. Read as one base, the first would inherit the others' women and the others
would vanish from the city's list. So the reader notes which 带动基地名称 each field and table
was read under (:attr:`Ledger.field_log`, :attr:`RawTable.section`), and here each base gets its
own ledger: its fields (a field read on no base's sheet, such as 所属区县 on a cover sheet,
applies to every base of the workbook), its tables, and the findings of its sheets. A table
read under no base cannot be given to one: it is an error, and its rows count for no base.
"""

from __future__ import annotations

from jinguo_xl.findings import Code
from jinguo_xl.labels import norm_label
from jinguo_xl.read.ledger import Ledger
from jinguo_xl.rules import Rules


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _part_fields(ledger: Ledger, section: int, rules: Rules, part: Ledger) -> None:
    """The base's own fields, first value wins (a different one is a conflict, as for a
    workbook of one base); then the workbook's loose fields where the base has none."""
    labels = {bf.key: bf.label for bf in rules.base_fields}
    fields = part.fields
    for where, key, value in ledger.field_log:
        if where != section:
            continue
        held = fields.get(key)
        if held is None or (_is_blank(held.raw) and not _is_blank(value.raw)):
            fields[key] = value
            continue
        if _is_blank(value.raw) or norm_label(held.raw) == norm_label(value.raw):
            continue
        part.findings.add(
            Code.BASE_FIELD_CONFLICT,
            value.sheet,
            value.row,
            value.col,
            column=labels.get(key, key),
            detail=f"{held.raw} / {value.raw}",
        )
    for where, key, value in ledger.field_log:
        if where is None and key != "name" and not _is_blank(value.raw):
            held = fields.get(key)
            if held is None or _is_blank(held.raw):
                fields[key] = value


def split_bases(ledger: Ledger, rules: Rules) -> list[Ledger]:
    """One ledger per base named in ``ledger`` (which holds more than one)."""
    sheets_of: dict[int, list[str]] = {i: [] for i in range(len(ledger.section_names))}
    for section, key, value in ledger.field_log:
        if section is not None and key == "name" and value.sheet not in sheets_of[section]:
            sheets_of[section].append(value.sheet)
    parts: list[Ledger] = []
    for section, sheets in sheets_of.items():
        part = Ledger(file=ledger.file, path=ledger.path)
        part.part = "、".join(sheets)
        part.folder_county = ledger.folder_county
        part.uncached = ledger.uncached
        part.merged = ledger.merged
        part.hidden_sheets = ledger.hidden_sheets
        part.hidden_rows = ledger.hidden_rows
        part.typed_over = ledger.typed_over
        _part_fields(ledger, section, rules, part)
        part.tables = [t for t in ledger.tables if t.section == section]
        own = {t.sheet for t in part.tables} | set(sheets)
        part.sheets = tuple(s for s in ledger.sheets if s in own)
        part.headerless = [h for h in ledger.headerless if h[0] in own]
        parts.append(part)
    first = parts[0]
    for table in ledger.tables:
        if table.section is None and table.rows:
            row, col = table.header_at
            first.unattributed.append((table.sheet, row, col, len(table.rows)))
            first.findings.add(
                Code.TABLE_NO_BASE,
                table.sheet,
                row,
                col,
                value=len(table.rows),
                detail="、".join(f"“{p.fields['name'].raw}”" for p in parts if "name" in p.fields),
            )
    # The reader's own findings go with the sheet they are on; a base-information conflict
    # between two bases is no conflict: each base was given its own fields above.
    by_sheet = {s: p for p in parts for s in p.sheets}
    for finding in ledger.findings:
        if finding.code is not Code.BASE_FIELD_CONFLICT:
            by_sheet.get(finding.sheet, first).findings.append(finding)
    first.headerless.extend(h for h in ledger.headerless if h[0] not in by_sheet)
    return parts

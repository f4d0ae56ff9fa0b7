"""The roster (名单): the bases the office expects to report, read from a small workbook.

Counting what arrived does not tell an office what is missing; a roster does. It is typed by
the office (or made from ``jinguo-xl roster template``), one row per base. It is the reference
every submission is matched against, so a roster that is wrong is refused as a whole: one
Chinese error naming each cell to change, and nothing is written from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinguo_xl.errors import JinguoError
from jinguo_xl.findings import cell_ref
from jinguo_xl.labels import name_key, norm_label, strip_parenthetical
from jinguo_xl.read.reader import read_sheets
from jinguo_xl.rules import Rules

ROSTER_SHEET = "名单"
# key, header (as the template writes it), other headers a typed roster may use, required
ROSTER_FIELDS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    ("county", "区县", ("所属区县", "区县名称"), True),
    ("name", "带动基地名称", ("基地名称", "基地"), True),
    ("type", "创建基地类型", ("基地类型", "类型"), False),
    ("industry", "帮扶产业", ("产业",), False),
    ("township", "所在乡镇（街道）", ("所在乡镇", "乡镇", "乡镇（街道）"), False),
    ("leader", "基地负责人姓名", ("负责人", "基地负责人", "负责人姓名"), False),
    ("note", "备注", (), False),
)
ROSTER_HEADERS = tuple(header for _, header, _, _ in ROSTER_FIELDS)
HEADER_ROWS_SEARCHED = 10
MAX_LISTED = 10  # problems named in the one error (the rest are counted)


class RosterError(JinguoError):
    """A roster that cannot be used: unreadable, without its columns, or with bad rows."""


@dataclass(frozen=True, slots=True)
class RosterBase:
    """One expected base: its county (the official name), its name as the office typed it,
    and where it stands in the roster (for messages)."""

    county: str
    name: str
    type: str = ""
    industry: str = ""
    township: str = ""
    leader: str = ""
    note: str = ""
    sheet: str = ROSTER_SHEET
    row: int = 0  # 1-based Excel row

    @property
    def key(self) -> tuple[str, str]:
        """(county, name) as matching compares them."""
        return (self.county, name_key(self.name))


@dataclass(frozen=True, slots=True)
class Roster:
    file: str
    bases: tuple[RosterBase, ...]

    def counties(self) -> list[str]:
        return list(dict.fromkeys(b.county for b in self.bases))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _short(text: str, most: int = 20) -> str:
    """A cell quoted in a message: long text cut (the cell reference says where it is)."""
    return text if len(text) <= most else text[:most] + "…"


def _field_of(header: object) -> str | None:
    label = norm_label(header)
    if not label:
        return None
    for key, main, others, _ in ROSTER_FIELDS:
        names = {norm_label(main), *(norm_label(o) for o in others)}
        if label in names or strip_parenthetical(label) in names:
            return key
    return None


def _find_header(grid: list) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first few) naming 区县 or 带动基地名称, and each field's column."""
    for r, row in enumerate(grid[:HEADER_ROWS_SEARCHED]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            key = _field_of(value)
            if key and key not in found:
                found[key] = c
        if "county" in found or "name" in found:
            return r, found
    return None


def read_roster(path: Path | str, rules: Rules, *, display: str | None = None) -> Roster:
    """Read and check a roster; raises :class:`RosterError` (one message, every bad cell)."""
    path = Path(path)
    shown = display or path.name
    if not path.is_file():
        raise RosterError(f"找不到名单文件：{shown}")
    try:
        sheets = read_sheets(path)
    except JinguoError as exc:
        raise RosterError(f"名单 {shown} 无法读取：{exc.message}") from None
    chosen = next((s for s in sheets if s.name == ROSTER_SHEET), None)
    located = None
    for sheet in ([chosen] if chosen else []) + [s for s in sheets if s is not chosen]:
        located = _find_header(list(sheet.grid))
        if located:
            chosen = sheet
            break
    if chosen is None or located is None:
        raise RosterError(
            f"名单 {shown} 中找不到表头：第一行应为“{'、'.join(ROSTER_HEADERS)}”"
            "（可用 jinguo-xl roster template 生成名单模板）"
        )
    header_row, columns = located
    where = f"{shown}!{chosen.name}"
    missing = [main for key, main, _, required in ROSTER_FIELDS if required and key not in columns]
    if missing:
        raise RosterError(
            f"名单 {where} 第 {header_row + 1} 行的表头缺少“{'”“'.join(missing)}”列；"
            f"表头应为“{'、'.join(ROSTER_HEADERS)}”"
        )
    bases, problems = _rows(list(chosen.grid), header_row, columns, rules, where, chosen.name)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:MAX_LISTED])
        more = f"\n  另有 {len(problems) - MAX_LISTED} 处" if len(problems) > MAX_LISTED else ""
        raise RosterError(
            f"名单 {shown} 有 {len(problems)} 处需要改正，未生成任何文件：\n{listed}{more}"
        )
    if not bases:
        raise RosterError(f"名单 {where} 中没有基地：请在表头下逐行填写区县和带动基地名称")
    return Roster(shown, tuple(bases))


def _rows(
    grid: list,
    header_row: int,
    columns: dict[str, int],
    rules: Rules,
    where: str,
    sheet: str,
) -> tuple[list[RosterBase], list[str]]:
    """Each filled row → a base; each bad cell → a sentence naming it."""
    bases: list[RosterBase] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    type_names = {bt.name for bt in rules.base_types}
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        values = {key: _text(row[c]) if c < len(row) else "" for key, c in columns.items()}
        if not any(values.values()):
            continue

        def at(key: str, r: int = r) -> str:
            return f"{where}!{cell_ref(r, columns[key])}"

        county_text, name = values.get("county", ""), values.get("name", "")
        county = rules.resolve_county(county_text) if county_text else None
        if not county_text:
            problems.append(f"{at('county')}：区县未填写")
        elif county is None:
            problems.append(
                f"{at('county')}：区县“{_short(county_text)}”不是 14 个国家扶贫工作重点区县之一，"
                "请从下拉列表中选择"
            )
        if not name:
            problems.append(f"{at('name')}：带动基地名称未填写")
        base_type = values.get("type", "")
        if base_type:
            resolved = rules.resolve_type(base_type)
            if resolved is None or resolved not in type_names:
                problems.append(
                    f"{at('type')}：创建基地类型“{_short(base_type)}”应为"
                    f"{'、'.join(bt.name for bt in rules.base_types)}之一"
                )
            else:
                base_type = resolved
        industry = values.get("industry", "")
        if industry and rules.industry_in(industry) is None:
            problems.append(
                f"{at('industry')}：帮扶产业“{_short(industry)}”应为{'、'.join(rules.industries)}之一"
            )
        if county is None or not name:
            continue
        base = RosterBase(
            county,
            name,
            base_type,
            rules.industry_in(industry) or industry,
            values.get("township", ""),
            values.get("leader", ""),
            values.get("note", ""),
            sheet,
            r + 1,
        )
        if base.key in seen:
            problems.append(
                f"{at('name')}：与 {seen[base.key]} 是同一个基地（{county} {name}），请删去其中一行"
            )
            continue
        seen[base.key] = cell_ref(r, columns["name"])
        bases.append(base)
    return bases, problems

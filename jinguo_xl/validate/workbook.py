"""Ledger → typed rows, base information and every finding (spec §7), never raising.

All findings are collected in one pass, as pandera's lazy mode does: a clerk wants the whole
list at once. A row with findings is never dropped; each field that could be read still counts
(spec §4), and a field that could not be read contributes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jinguo_xl.findings import Code, Findings
from jinguo_xl.findings.messages import UNKNOWN_COUNTY
from jinguo_xl.labels import norm_label
from jinguo_xl.read.ledger import Ledger, RawTable
from jinguo_xl.rules import Rules, Township
from jinguo_xl.validate.rowcheck import LEFT_OUT, CleanRow, CleanTable, check_rows
from jinguo_xl.vocabulary import normalize as nz

# The row types live with the column-wise row check; they are part of this module's interface.
__all__ = ["LEFT_OUT", "BaseInfo", "Checked", "CleanRow", "CleanTable", "check_ledger"]

# A family workshop helps a handful of households; more than this is a typing slip.
HOUSEHOLDS_MAX = 10_000


@dataclass(slots=True)
class BaseInfo:
    name: str = ""
    type: str | None = None
    type_raw: str = ""
    leader: str = ""
    county: str = UNKNOWN_COUNTY
    county_in_scope: bool = False
    county_confirmed: bool | None = None
    township: str = ""
    township_entry: Township | None = None
    industry: str | None = None
    households: int | None = None  # as declared
    year: int = 0
    fill_date: dt.date | None = None

    @property
    def deep_poverty(self) -> bool:
        return self.township_entry is not None


@dataclass(slots=True)
class Checked:
    base: BaseInfo
    tables: list[CleanTable]
    findings: Findings
    unnamed: list[RawTable] = field(default_factory=list)  # filled, industry unknown


def _text(value: object) -> str:
    return nz.clean_text(value)


# ---------------------------------------------------------------------- base information


def _check_base(ledger: Ledger, rules: Rules, out: Findings) -> BaseInfo:
    base = BaseInfo(year=rules.year)
    fields = ledger.fields
    first_sheet = ledger.sheets[0] if ledger.sheets else ""

    def where(key: str) -> tuple[str, int | None, int | None]:
        """The field's input cell; the first sheet's A1 when the workbook has no such field."""
        fv = fields.get(key)
        return (fv.sheet, fv.row, fv.col) if fv else (first_sheet, 0, 0)

    def label(key: str) -> str:
        return next(bf.label for bf in rules.base_fields if bf.key == key)

    base.name = _text(fields["name"].raw) if "name" in fields else ""
    if not base.name:
        out.add(Code.BASE_NAME_MISSING, *where("name"), column=label("name"))
    base.leader = _text(fields["leader"].raw) if "leader" in fields else ""
    if not base.leader:
        out.add(Code.LEADER_MISSING, *where("leader"), column=label("leader"))

    base.type_raw = _text(fields["type"].raw) if "type" in fields else ""
    if not base.type_raw:
        out.add(Code.BASE_TYPE_MISSING, *where("type"), column=label("type"))
    else:
        base.type = rules.resolve_type(base.type_raw)
        if base.type is None:
            out.add(
                Code.BASE_TYPE_INVALID, *where("type"), column=label("type"), detail=base.type_raw
            )
        elif norm_label(base.type_raw) != base.type:
            out.add(
                Code.BASE_TYPE_ALIAS,
                *where("type"),
                column=label("type"),
                detail=base.type_raw,
                value=base.type,
            )

    _check_county(base, ledger, rules, out, where("county"))
    township_raw = _text(fields["township"].raw) if "township" in fields else ""
    if township_raw:
        base.township, base.township_entry, ambiguous = match_township(
            rules, base.county, township_raw
        )
        if ambiguous:
            out.add(
                Code.TOWNSHIP_AMBIGUOUS,
                *where("township"),
                column=label("township"),
                detail=township_raw,
            )

    if "industry" in fields and _text(fields["industry"].raw):
        raw = _text(fields["industry"].raw)
        base.industry = next((i for i in rules.industries if i in norm_label(raw)), None)
        if base.industry is None:
            out.add(Code.INDUSTRY_INVALID, *where("industry"), column=label("industry"), detail=raw)

    if "households" in fields and _text(fields["households"].raw):
        parsed = nz.parse_int(fields["households"].raw)
        if parsed.value is None or parsed.value < 1:
            out.add(
                Code.HOUSEHOLDS_INVALID,
                *where("households"),
                column=label("households"),
                detail=_text(fields["households"].raw),
            )
        elif parsed.value > HOUSEHOLDS_MAX:
            # 1E+26 households would scale every per-household target past any figure.
            out.add(
                Code.HOUSEHOLDS_IMPLAUSIBLE,
                *where("households"),
                column=label("households"),
                value=HOUSEHOLDS_MAX,
            )
        else:
            base.households = parsed.value
            bt = rules.base_type(base.type) if base.type else None
            if bt is not None and not bt.per_household:
                out.add(
                    Code.HOUSEHOLDS_NOT_WORKSHOP, *where("households"), column=label("households")
                )

    if "year" in fields and _text(fields["year"].raw):
        parsed = nz.parse_int(fields["year"].raw)
        if parsed.value is None:
            out.add(
                Code.YEAR_INVALID,
                *where("year"),
                column=label("year"),
                detail=_text(fields["year"].raw),
                value=rules.year,
            )
        else:
            base.year = parsed.value
            if parsed.value != rules.year:
                out.add(
                    Code.YEAR_MISMATCH,
                    *where("year"),
                    column=label("year"),
                    detail=parsed.value,
                    value=rules.year,
                )

    if "fill_date" in fields and _text(fields["fill_date"].raw):
        parsed_date = nz.parse_date(fields["fill_date"].raw)
        if parsed_date.value is None:
            out.add(
                Code.FILL_DATE_INVALID,
                *where("fill_date"),
                column=label("fill_date"),
                detail=_text(fields["fill_date"].raw),
            )
        base.fill_date = parsed_date.value
    return base


def _check_county(
    base: BaseInfo,
    ledger: Ledger,
    rules: Rules,
    out: Findings,
    where: tuple[str, int | None, int | None],
) -> None:
    raw = _text(ledger.fields["county"].raw) if "county" in ledger.fields else ""
    column = "所属区县"
    if raw:
        official = rules.resolve_county(raw)
        base.county = official or raw
    elif ledger.folder_county:
        base.county = ledger.folder_county
        out.add(Code.COUNTY_FROM_FOLDER, *where, column=column, value=base.county)
    else:
        out.add(Code.COUNTY_UNKNOWN, *where, column=column)
        return
    county = rules.county(base.county)
    if county is None:
        out.add(Code.COUNTY_OUTSIDE_SCOPE, *where, column=column, detail=base.county)
        return
    base.county_in_scope = True
    base.county_confirmed = county.confirmed


def match_township(rules: Rules, county: str, text: str) -> tuple[str, Township | None, bool]:
    """Match a typed township against the deep-poverty list of its county (spec scope).

    Returns (name to show, list entry or None, ambiguous). A name without its 乡/镇 suffix is
    accepted only when exactly one listed township of that county fits.
    """
    name = norm_label(text)
    if county:
        c = rules.county(county)
        for prefix in (county, *(c.aliases if c else ())):
            if name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix) :]
                break
    in_county = [t for t in rules.townships if t.county == county] if county else []
    pool = in_county or [t for t in rules.townships if county in ("", UNKNOWN_COUNTY)]
    exact = [t for t in pool if t.name == name]
    if exact:
        return exact[0].name, exact[0], False
    if name and name[-1] not in "乡镇街道":
        fits = [t for t in pool if t.name[:-1] == name]
        if len(fits) == 1:
            return fits[0].name, fits[0], False
        if len(fits) > 1:
            return name, None, True
    return name, None, False


# ---------------------------------------------------------------------- rows


def _check_table(
    table: RawTable, base: BaseInfo, rules: Rules, out: Findings
) -> CleanTable | None:
    if table.industry is None:
        return None
    spec = rules.tables[table.industry]
    if table.rows:
        for key in spec.required:
            if key not in table.cols:
                out.add(
                    Code.COLUMN_MISSING,
                    table.sheet,
                    *table.header_at,
                    column=spec.header_of(key, rules.columns),
                    value=table.industry,
                )
        for key in spec.added:
            if key not in table.cols and base.type and rules.targets_for(base.type, spec.industry):
                needs = [t for t in rules.targets_for(base.type, spec.industry) if t.metric == key]
                if needs:
                    out.add(
                        Code.COLUMN_OPTIONAL_MISSING,
                        table.sheet,
                        *table.header_at,
                        column=spec.header_of(key, rules.columns),
                        value=table.industry,
                        detail="无法统计带动就业人数，只能按其他指标判定是否达标",
                    )
    clean, findings = check_rows(table, spec, rules, base.year, out.file)
    out.extend(findings)
    return clean


# ---------------------------------------------------------------------- entry


def check_ledger(ledger: Ledger, rules: Rules) -> Checked:
    """Validate everything in ``ledger``: base fields, each table's header and rows."""
    out = ledger.findings.copy()  # the reader's findings first; the ledger is left as read
    base = _check_base(ledger, rules, out)
    tables: list[CleanTable] = []
    for raw in ledger.tables:
        checked = _check_table(raw, base, rules, out)
        if checked is not None:
            tables.append(checked)
    filled = [t for t in tables if t.n]
    for t in filled:
        if base.type and not rules.allowed(base.type, t.industry):
            allowed = "、".join(rules.base_type(base.type).industries)
            out.add(
                Code.INDUSTRY_NOT_ALLOWED,
                t.sheet,
                *_first_header(ledger, t),
                value=t.industry,
                detail=base.type,
                allowed=allowed,
            )
        if base.industry and base.industry != t.industry:
            fv = ledger.fields["industry"]
            out.add(
                Code.INDUSTRY_MISMATCH,
                fv.sheet,
                fv.row,
                fv.col,
                column="帮扶产业",
                detail=base.industry,
                value=t.industry,
            )
    unnamed = [t for t in ledger.tables if t.industry is None and t.rows]
    if not filled and not unnamed:
        out.add(Code.NO_TABLES, ledger.sheets[0] if ledger.sheets else "", 0, 0)
    return Checked(base, tables, out, unnamed)


def _first_header(ledger: Ledger, table: CleanTable) -> tuple[int, int]:
    raw = next(t for t in ledger.tables if t.industry == table.industry)
    return raw.header_at

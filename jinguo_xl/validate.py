"""Ledger → typed rows, base information and every finding (spec §7), never raising.

All findings are collected in one pass, as pandera's lazy mode does: a clerk wants the whole
list at once. A row with findings is never dropped; each field that could be read still counts
(spec §4), and a field that could not be read contributes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from jinguo_xl import normalize as nz
from jinguo_xl.findings import Finding, make_finding
from jinguo_xl.labels import norm_label
from jinguo_xl.ledger import Ledger, RawRow, RawTable
from jinguo_xl.messages import UNKNOWN_COUNTY
from jinguo_xl.rules import Rules, TableSpec, Township


@dataclass(slots=True)
class CleanRow:
    """One woman's one training, with every field in its normalised form."""

    sheet: str
    excel_row: int
    name_cell: str
    seq: object
    name: str
    address: str
    phone: str | None
    train_date: dt.date | None
    train_filled: bool  # 培训时间 or 培训内容 typed (readable or not)
    train_content: str
    money: Decimal | None
    qualified: bool | None
    employed: bool | None
    startup: bool | None
    women_type: str | None
    counted: bool  # one of the women the targets count (未脱贫妇女 / 贫困妇女)
    note: str
    codes: list[str] = field(default_factory=list)  # codes of this row's findings
    raw: dict[str, object] = field(default_factory=dict)  # cells as typed, rows with findings
    money_left_out: str | None = None  # why a typed amount is in no total (LEFT_OUT reasons)

    @property
    def person(self) -> tuple[str, str]:
        """Identity of a woman: 姓名 + 联系电话 (spec §4)."""
        return (self.name, self.phone or "")


# A family workshop helps a handful of households; more than this is a typing slip.
HOUSEHOLDS_MAX = 10_000

# Codes of an amount that was typed but counts nowhere → the reason the master and the verdict
# show (spec §7: an implausible value never carries a total or a target).
LEFT_OUT: dict[str, str] = {
    "money-suspect-yuan": "金额疑似以元填写",
    "money-phone-like": "金额像电话号码",
    "money-invalid": "金额无法识别",
    "money-negative": "金额为负数",
}


@dataclass(slots=True)
class CleanTable:
    industry: str
    sheet: str
    spec: TableSpec
    headers: dict[str, str]
    rows: list[CleanRow]
    has_columns: frozenset[str]


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
    findings: list[Finding]
    unnamed: list[RawTable] = field(default_factory=list)  # filled, industry unknown


class _Collector:
    def __init__(self, ledger: Ledger) -> None:
        self.file = ledger.file
        self.items: list[Finding] = list(ledger.findings)

    def add(
        self,
        code: str,
        sheet: str,
        cell: str,
        *,
        column: str = "",
        row: int | None = None,
        **params: object,
    ) -> None:
        self.items.append(
            make_finding(
                code, file=self.file, sheet=sheet, cell=cell, column=column, row=row, **params
            )
        )


def _text(value: object) -> str:
    return nz.clean_text(value)


# ---------------------------------------------------------------------- base information


def _check_base(ledger: Ledger, rules: Rules, out: _Collector) -> BaseInfo:
    base = BaseInfo(year=rules.year)
    fields = ledger.fields
    first_sheet = ledger.sheets[0] if ledger.sheets else ""

    def where(key: str) -> tuple[str, str]:
        fv = fields.get(key)
        return (fv.sheet, fv.cell) if fv else (first_sheet, "A1")

    def label(key: str) -> str:
        return next(bf.label for bf in rules.base_fields if bf.key == key)

    base.name = _text(fields["name"].raw) if "name" in fields else ""
    if not base.name:
        out.add("base-name-missing", *where("name"), column=label("name"))
    base.leader = _text(fields["leader"].raw) if "leader" in fields else ""
    if not base.leader:
        out.add("leader-missing", *where("leader"), column=label("leader"))

    base.type_raw = _text(fields["type"].raw) if "type" in fields else ""
    if not base.type_raw:
        out.add("base-type-missing", *where("type"), column=label("type"))
    else:
        base.type = rules.resolve_type(base.type_raw)
        if base.type is None:
            out.add("base-type-invalid", *where("type"), column=label("type"), detail=base.type_raw)
        elif norm_label(base.type_raw) != base.type:
            out.add(
                "base-type-alias",
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
                "township-ambiguous",
                *where("township"),
                column=label("township"),
                detail=township_raw,
            )

    if "industry" in fields and _text(fields["industry"].raw):
        raw = _text(fields["industry"].raw)
        base.industry = next((i for i in rules.industries if i in norm_label(raw)), None)
        if base.industry is None:
            out.add("industry-invalid", *where("industry"), column=label("industry"), detail=raw)

    if "households" in fields and _text(fields["households"].raw):
        parsed = nz.parse_int(fields["households"].raw)
        if parsed.value is None or parsed.value < 1:
            out.add(
                "households-invalid",
                *where("households"),
                column=label("households"),
                detail=_text(fields["households"].raw),
            )
        elif parsed.value > HOUSEHOLDS_MAX:
            # 1E+26 households would scale every per-household target past any figure.
            out.add(
                "households-implausible",
                *where("households"),
                column=label("households"),
                value=HOUSEHOLDS_MAX,
            )
        else:
            base.households = parsed.value
            bt = rules.base_type(base.type) if base.type else None
            if bt is not None and not bt.per_household:
                out.add("households-not-workshop", *where("households"), column=label("households"))

    if "year" in fields and _text(fields["year"].raw):
        parsed = nz.parse_int(fields["year"].raw)
        if parsed.value is None:
            out.add(
                "year-invalid",
                *where("year"),
                column=label("year"),
                detail=_text(fields["year"].raw),
                value=rules.year,
            )
        else:
            base.year = parsed.value
            if parsed.value != rules.year:
                out.add(
                    "year-mismatch",
                    *where("year"),
                    column=label("year"),
                    detail=parsed.value,
                    value=rules.year,
                )

    if "fill_date" in fields and _text(fields["fill_date"].raw):
        parsed_date = nz.parse_date(fields["fill_date"].raw)
        if parsed_date.value is None:
            out.add(
                "fill-date-invalid",
                *where("fill_date"),
                column=label("fill_date"),
                detail=_text(fields["fill_date"].raw),
            )
        base.fill_date = parsed_date.value
    return base


def _check_county(
    base: BaseInfo, ledger: Ledger, rules: Rules, out: _Collector, where: tuple[str, str]
) -> None:
    raw = _text(ledger.fields["county"].raw) if "county" in ledger.fields else ""
    column = "所属区县"
    if raw:
        official = rules.resolve_county(raw)
        base.county = official or raw
    elif ledger.folder_county:
        base.county = ledger.folder_county
        out.add("county-from-folder", *where, column=column, value=base.county)
    else:
        out.add("county-unknown", *where, column=column)
        return
    county = rules.county(base.county)
    if county is None:
        out.add("county-outside-scope", *where, column=column, detail=base.county)
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


def _check_row(
    raw: RawRow,
    spec: TableSpec,
    rules: Rules,
    year: int,
    out: _Collector,
) -> CleanRow:
    v = raw.values
    codes: list[str] = []
    parse_women_type, parse_money = _parsers(rules)

    def flag(code: str, key: str, **params: object) -> None:
        codes.append(code)
        column = spec.header_of(key, rules.columns)
        out.add(code, raw.sheet, raw.cell(key), column=column, row=raw.excel_row, **params)

    def apply(parsed: nz.Parsed, key: str, **params: object) -> None:
        if parsed.code:
            flag(parsed.code, key, detail=parsed.detail, **params)

    name_p = nz.parse_name(v.get("name"))
    if name_p.empty:
        flag("name-missing", "name")
    else:
        apply(name_p, "name")
    name = name_p.value or ""

    address = _text(v.get("address"))
    if not address:
        flag("address-missing", "address")

    phone_p = nz.parse_phone(v.get("phone"))
    if phone_p.empty:
        flag("phone-missing", "phone")
    else:
        apply(phone_p, "phone")

    date_p = nz.parse_date(v.get("train_date"))
    apply(date_p, "train_date")
    if date_p.value is not None and date_p.value.year != year:
        flag("date-outside-year", "train_date", detail=date_p.value.isoformat(), value=year)
    content = _text(v.get("train_content"))
    date_typed = not date_p.empty
    if date_typed and not content:
        flag("training-content-missing", "train_content")
    if content and not date_typed:
        flag("training-date-missing", "train_date")

    money: Decimal | None = None
    left_out: str | None = None
    if spec.money and spec.money in raw.cols:
        threshold = _suspect_threshold(rules.money_suspect_wan)
        money_p = parse_money(v.get(spec.money))
        money = money_p.value
        if money_p.code is None and money is not None and isinstance(v.get(spec.money), str):
            flag("money-as-text", spec.money)
        if money_p.code == "money-suspect-yuan":
            flag(
                money_p.code, spec.money, detail=_fmt_dec(money_p.value), value=_fmt_dec(threshold)
            )
        else:
            apply(money_p, spec.money)
        if money_p.code in LEFT_OUT:
            money, left_out = None, LEFT_OUT[money_p.code]

    flags: dict[str, bool | None] = {}
    for key in ("qualified", "employed", "startup"):
        if key in spec.columns and key in raw.cols:
            yn = nz.parse_yes_no(v.get(key))
            apply(yn, key)
            flags[key] = yn.value
        else:
            flags[key] = None

    wt_p = parse_women_type(v.get("women_type"))
    if wt_p.empty:
        flag("women-type-missing", "women_type")
    else:
        apply(wt_p, "women_type")

    return CleanRow(
        sheet=raw.sheet,
        excel_row=raw.excel_row,
        name_cell=raw.cell("name"),
        seq=v.get("seq"),
        name=name,
        address=address,
        phone=phone_p.value,
        train_date=date_p.value,
        train_filled=date_typed or bool(content),
        train_content=content,
        money=money,
        qualified=flags["qualified"],
        employed=flags["employed"],
        startup=flags["startup"],
        women_type=wt_p.value,
        counted=wt_p.value in rules.counted_women,
        note=_text(v.get("note")),
        codes=codes,
        # The cells as typed are only needed to show what could not be read; rows without
        # findings drop them, which halves the memory of a municipal batch.
        raw=v if codes else {},
        money_left_out=left_out,
    )


_BOUND: dict[int, tuple[Rules, Callable[[object], nz.Parsed], Callable[[object], nz.Parsed]]] = {}


def _parsers(rules: Rules) -> tuple[Callable[[object], nz.Parsed], Callable[[object], nz.Parsed]]:
    """(妇女类型, 金额) parsers with this year's rules bound in; kept per rules object."""
    hit = _BOUND.get(id(rules))
    if hit is None or hit[0] is not rules:
        hit = (
            rules,
            nz.bound(nz.parse_women_type, rules.women_types, rules.women_aliases),
            nz.bound(
                nz.parse_money, suspect_above=_suspect_threshold(rules.money_suspect_wan)
            ),
        )
        if len(_BOUND) < 16:
            _BOUND[id(rules)] = hit
    return hit[1], hit[2]


@functools.lru_cache(maxsize=8)
def _suspect_threshold(wan: float) -> Decimal:
    return Decimal(str(wan))


def _fmt_dec(value: Decimal) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _check_table(
    table: RawTable, base: BaseInfo, rules: Rules, out: _Collector
) -> CleanTable | None:
    if table.industry is None:
        return None
    spec = rules.tables[table.industry]
    cell = table.header_cell
    if table.rows:
        for key in spec.required:
            if key not in table.cols:
                out.add(
                    "column-missing",
                    table.sheet,
                    cell,
                    column=spec.header_of(key, rules.columns),
                    row=table.header_row + 1,
                    value=table.industry,
                )
        for key in spec.added:
            if key not in table.cols and base.type and rules.targets_for(base.type, spec.industry):
                needs = [t for t in rules.targets_for(base.type, spec.industry) if t.metric == key]
                if needs:
                    out.add(
                        "column-optional-missing",
                        table.sheet,
                        cell,
                        column=spec.header_of(key, rules.columns),
                        row=table.header_row + 1,
                        value=table.industry,
                        detail="无法统计带动就业人数，只能按其他指标判定是否达标",
                    )
    rows = [_check_row(r, spec, rules, base.year, out) for r in table.rows]
    _flag_duplicates(rows, table, out)
    return CleanTable(table.industry, table.sheet, spec, table.headers, rows, frozenset(table.cols))


def _flag_duplicates(rows: list[CleanRow], table: RawTable, out: _Collector) -> None:
    seen: dict[tuple[object, ...], int] = {}
    for row in rows:
        if not row.name:
            continue
        key = (row.name, row.phone or "", row.train_date, row.train_content)
        if key in seen:
            row.codes.append("row-duplicate")
            out.add(
                "row-duplicate",
                row.sheet,
                row.name_cell,
                column="带动妇女姓名",
                row=row.excel_row,
                value=seen[key],
            )
        else:
            seen[key] = row.excel_row


# ---------------------------------------------------------------------- entry


def check_ledger(ledger: Ledger, rules: Rules) -> Checked:
    """Validate everything in ``ledger``: base fields, each table's header and rows."""
    out = _Collector(ledger)
    base = _check_base(ledger, rules, out)
    tables: list[CleanTable] = []
    for raw in ledger.tables:
        checked = _check_table(raw, base, rules, out)
        if checked is not None:
            tables.append(checked)
    filled = [t for t in tables if t.rows]
    for t in filled:
        if base.type and not rules.allowed(base.type, t.industry):
            allowed = "、".join(rules.base_type(base.type).industries)
            out.add(
                "industry-not-allowed",
                t.sheet,
                _first_cell(ledger, t),
                value=t.industry,
                detail=base.type,
                allowed=allowed,
            )
        if base.industry and base.industry != t.industry:
            fv = ledger.fields["industry"]
            out.add(
                "industry-mismatch",
                fv.sheet,
                fv.cell,
                column="帮扶产业",
                detail=base.industry,
                value=t.industry,
            )
    unnamed = [t for t in ledger.tables if t.industry is None and t.rows]
    if not filled and not unnamed:
        out.add("no-tables", ledger.sheets[0] if ledger.sheets else "", "A1")
    return Checked(base, tables, out.items, unnamed)


def _first_cell(ledger: Ledger, table: CleanTable) -> str:
    raw = next(t for t in ledger.tables if t.industry == table.industry)
    return raw.header_cell

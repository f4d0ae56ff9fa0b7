"""The template judges itself: spreadsheet formulas for every metric, target and verdict.

Most county offices open the template in WPS, or in an Excel where no add-in is installed, so
the verdict must come from the spreadsheet's own functions. Everything here is generated from
the rules file (types, industries, columns, targets), so a new year's rules give a new template
without hand-written formulas.

Design, and why:

* **A hidden helper sheet** (:data:`HELPER_SHEET`) holds one block of columns per
  industry. Helper row ``r`` reads the ``n``-th row of the table's data rows by *position*
  (``INDEX(手工制作!$B$5:$B$1004,$A5)``, column A holding ``n``), so the clerk's sheets stay
  unprotected: typing, pasting, inserting or deleting rows and sorting never leave a row
  without its formulas, and never shift a helper onto the wrong row.
* **No circular reference in Excel's eyes**: Excel makes every cell of a referenced range a
  precedent, whatever INDEX picks. The ranges therefore start at the first data row, below the
  verdict shown at the top of each industry sheet (checked by :mod:`jinguo_xl.writers.hazards`).
* **ROW() only at the top of a formula**: the position column holds the only ``ROW()``
  without an argument; inside SUMPRODUCT Excel would make it an array and INDEX would give
  ``#VALUE!``. Whether a row holds data is a plain sum of one test per column.
* **Distinct counts without criteria**: each distinct count is a column of "first occurrence"
  flags — a row qualifies and no earlier qualifying row has the same key. The earlier rows are
  compared with ``=`` inside SUMPRODUCT, not with COUNTIFS criteria: a criterion built from a
  clerk's text breaks in Excel past 255 characters and reads ``* ? ~`` as wildcards; ``=`` has
  neither limit. The metric is the column's sum.
* **Only Excel 2010 functions**, no array entry, no volatile functions; the reason text is put
  together with ``&`` and ``MID`` (no ``TEXTJOIN``), numbers as ``ROUND(x,2)&""`` as the engine
  prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from openpyxl.utils import get_column_letter, quote_sheetname

from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.labels import norm_label
from jinguo_xl.rules import Rules, TableSpec, Target
from jinguo_xl.vocabulary.normalize import SERIAL_MAX, SERIAL_MIN

HELPER_SHEET = "计算"
POSITION_COL = 1  # helper column A: which data row (1, 2, …) the helper row reads
# Why a typed amount counts in no total, in the engine's order (lo column: 1, 2, 3, 4).
LEFT_OUT = ("金额疑似以元填写", "金额像电话号码", "金额无法识别", "金额为负数")
TYPE_CELL = "识别类型"  # defined name: the official type the formulas recognised, or ""
BASE_VERDICT = "基地结论"
TOTAL_WORDS = ("合计", "小计", "总计", "总合计")
# Whitespace the engine strips: ASCII and full-width spaces, line breaks.
_FULL_SPACE = "\u3000"
_YES = ("是", "√", "✓", "✔", "y", "yes", "1", "true", "对", "有")
_DIGITS = "0123456789"
_FULL_DIGITS = "０１２３４５６７８９"
_UNITS = (("万元", 1), ("千元", 10), ("百元", 100), ("块钱", 10000), ("万", 1), ("千", 10),
          ("元", 10000), ("块", 10000))


# Helper columns holding 0/1 flags (the others hold text or numbers, blank as "").
_FLAGS = frozenset({"d", "k", "t", "s1", "hs", "af", "lo", "ef", "sf"})


def verdict_name(industry: str) -> str:
    """The defined name of one table's verdict cell, e.g. ``结论_手工制作``."""
    return f"结论_{industry}"


def q(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def _array(values: tuple[str, ...] | list[str]) -> str:
    return "{" + ",".join(q(v) for v in values) + "}"


def clean(ref: str) -> str:
    """The cell as the engine's ``clean_text`` sees it: line breaks and full-width spaces as
    spaces, trimmed."""
    return f'TRIM(SUBSTITUTE(SUBSTITUTE({ref},"{_FULL_SPACE}"," "),CHAR(10)," "))'


def no_space(ref: str) -> str:
    """All spaces removed (names, 妇女类型 and types are compared without them)."""
    inner = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({ref},"{_FULL_SPACE}","")," ",""),CHAR(10),"")'
    return inner


def strip_chars(ref: str, chars: str) -> str:
    out = ref
    for ch in chars:
        out = f'SUBSTITUTE({out},{q(ch)},"")'
    return out


def fmt_num(expr: str) -> str:
    """How the engine prints a figure: at most two decimals, no trailing zeros."""
    return f'ROUND({expr},2)&""'


def fmt_pct(expr: str) -> str:
    return f'ROUND(({expr})*100,2)&"%"'


# ---------------------------------------------------------------------- helper columns


@dataclass
class Block:
    """One industry's helper columns on the helper sheet."""

    industry: str
    spec: TableSpec
    first_col: int
    first_row: int
    last_row: int
    cols: dict[str, int] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)  # key → formula with {r}, {p}
    titles: dict[str, str] = field(default_factory=dict)

    def column(self, key: str, title: str, formula: str, *, gated: bool = True) -> None:
        """Add a helper column. A gated column gives a blank row its empty value (0 for the
        flags, "" for texts) without evaluating the formula: most of the rows are blank."""
        if gated:
            empty = "0" if key in _FLAGS or key.startswith("y_") else '""'
            formula = f"=IF({self.here('cnt')}=0,{empty},{formula[1:]})"
        self.cols[key] = self.first_col + len(self.cols)
        self.formulas[key] = formula
        self.titles[key] = title

    def letter(self, key: str) -> str:
        """Column letter of ``key``; a key not added yet is the column being added (a
        first-occurrence flag counts over its own column)."""
        return get_column_letter(self.cols.get(key, self.first_col + len(self.cols)))

    def here(self, key: str) -> str:
        """Same-row reference to a helper column inside a formula template."""
        return f"${self.letter(key)}{{r}}"

    def above(self, key: str) -> str:
        """The helper column from two rows above the first helper row down to the row above
        (for first occurrences): two cells at least, so that every engine sees a range."""
        return f"${self.letter(key)}${self.first_row - 2}:${self.letter(key)}{{p}}"

    def first_of(self, flag: str, keys: list[str]) -> str:
        """1 when no earlier row has ``flag`` = 1 and the same ``keys``, else 0.

        Compared with ``=`` (exact, case-insensitive, any length), never as COUNTIFS criteria:
        see the module's docstring."""
        same = "*".join(f"({self.above(k)}={self.here(k)})" for k in keys)
        return f"IF(SUMPRODUCT(({self.above(flag)}=1)*{same})=0,1,0)"

    def span(self, key: str) -> str:
        """The whole helper column, absolute, for sums on other sheets."""
        letter = self.letter(key)
        return (
            f"{quote_sheetname(HELPER_SHEET)}!${letter}${self.first_row}:"
            f"${letter}${self.last_row}"
        )


def position() -> str:
    """The helper row's position among the data rows (1 for the first), from column A."""
    return f"${get_column_letter(POSITION_COL)}{{r}}"


def _input(spec: TableSpec, key: str, industry: str, first_row: int, last_row: int) -> str:
    """The input cell of ``key`` in the helper row's own position among the data rows.

    The range grows when the clerk inserts rows inside it, and INDEX by position keeps each
    helper row on the same row number whatever was inserted, deleted or sorted. It starts at
    the first data row: the verdict shown above the table must not be one of its cells."""
    letter = get_column_letter(spec.columns.index(key) + 1)
    rng = f"{quote_sheetname(industry)}!${letter}${first_row}:${letter}${last_row}"
    return f"INDEX({rng},{position()})"


def _digits_only(expr: str) -> str:
    """TRUE when ``expr`` is a non-empty run of ASCII digits."""
    return f'AND(LEN({expr})>0,{strip_chars(expr, _DIGITS)}="")'


def _phone_digits(raw: str) -> str:
    """The first number of a phone cell as a string of digits (full-width digits, spaces,
    dashes, dots, brackets and ``+`` removed; several numbers split at ``/ , 、 ; |``)."""
    text = raw + '&""'
    for full, ascii_ in zip(_FULL_DIGITS, _DIGITS, strict=True):
        text = f'SUBSTITUTE({text},"{full}","{ascii_}")'
    for sep in ("，", ",", "、", ";", "；", "|", "／"):
        text = f'SUBSTITUTE({text},"{sep}","/")'
    first = f'LEFT({text},FIND("/",{text}&"/")-1)'
    return strip_chars(first, " " + _FULL_SPACE + "-.()（）[]【】+－—")


def build_blocks(rules: Rules, first_row: int, last_row: int) -> list[Block]:
    """The helper columns of every industry, as formula templates."""
    blocks = []
    col = POSITION_COL + 1
    for industry, spec in rules.tables.items():
        b = Block(industry, spec, col, first_row, last_row)
        _fill_block(b, rules)
        blocks.append(b)
        col += len(b.cols) + 1  # one empty column between blocks
    return blocks


def _fill_block(b: Block, rules: Rules) -> None:
    spec, ind = b.spec, b.industry
    inp = {k: _input(spec, k, ind, b.first_row, b.last_row) for k in spec.columns}
    h = b.here
    filled = "+".join(
        f'(LEN(TRIM(SUBSTITUTE({inp[k]}&"","{_FULL_SPACE}"," ")))>0)'
        for k in spec.columns
        if k != "seq"
    )
    b.column("cnt", "已填格数", f"={filled}", gated=False)
    b.column("n", "人名键", "=" + no_space(inp["name"] + '&""'))
    b.column("w", "妇女类型（去空格）", "=" + no_space(inp["women_type"] + '&""'))
    canon = [norm_label(t) for t in rules.women_types]
    totals = _array(list(TOTAL_WORDS))
    b.column(
        "d",
        "数据行",
        f"=IF({h('cnt')}=0,0,IF(OR({h('n')}={totals}),0,"
        f"IF(AND({h('n')}=\"\",{h('cnt')}=1,OR({h('w')}={_array(canon)})),0,1)))",
    )
    counted = [norm_label(t) for t in rules.women_types if t in rules.counted_women]
    counted += [norm_label(a) for a, t in rules.women_aliases.items() if t in rules.counted_women]
    b.column("k", "计入目标", f"={h('d')}*OR({h('w')}={_array(counted)})")
    b.column("a", "户（去空格）", "=" + clean(inp["address"] + '&""'))
    b.column("c", "培训内容", "=" + clean(inp["train_content"] + '&""'))
    b.column("dt", "培训时间（文字）", "=" + clean(inp["train_date"] + '&""'))
    b.column("t", "已填培训", f'={h("d")}*((LEN({h("dt")})+LEN({h("c")}))>0)')
    # The date: a serial number in range, 8 digits (20200305), or text rewritten to y-m-d.
    sep_text = no_space(h("dt"))
    for old, new in (("年", "-"), ("月", "-"), ("日", ""), ("号", ""), (".", "-"), ("/", "-"),
                     ("至", "-"), ("到", "-"), ("~", "-"), ("—", "-"), ("－", "-")):
        sep_text = f"SUBSTITUTE({sep_text},{q(old)},{q(new)})"
    b.column("du", "培训时间（规整）", f'={sep_text}&"---"')
    u = h("du")
    p1 = f'FIND("-",{u})'
    p2 = f'FIND("-",{u},{p1}+1)'
    p3 = f'FIND("-",{u},{p2}+1)'
    y, m, d = (
        f"LEFT({u},{p1}-1)",
        f"MID({u},{p1}+1,{p2}-{p1}-1)",
        f"MID({u},{p2}+1,{p3}-{p2}-1)",
    )
    ymd_ok = (
        f"AND(LEN({y})=4,LEN({m})>=1,LEN({m})<=2,LEN({d})>=1,LEN({d})<=2,"
        f"{strip_chars(y + '&' + m + '&' + d, _DIGITS)}=\"\")"
    )
    text_date = (
        f"IF({ymd_ok},IF(AND(MONTH(DATE({y},{m},{d}))=--{m},DAY(DATE({y},{m},{d}))=--{d}),"
        f'DATE({y},{m},{d}),""),"")'
    )
    dt_ = h("dt")
    eight = (
        f"IF(AND(MONTH(DATE(LEFT({dt_},4),MID({dt_},5,2),MID({dt_},7,2)))=--MID({dt_},5,2),"
        f"DAY(DATE(LEFT({dt_},4),MID({dt_},5,2),MID({dt_},7,2)))=--MID({dt_},7,2)),"
        f'DATE(LEFT({dt_},4),MID({dt_},5,2),MID({dt_},7,2)),"")'
    )
    serial_ok = f"AND(--{dt_}>={SERIAL_MIN},--{dt_}<{SERIAL_MAX + 1})"
    raw_date = inp["train_date"]
    b.column(
        "dv",
        "培训日期",
        f'=IF({dt_}="","",IF(AND(LEN({dt_})=8,{_digits_only(dt_)}),{eight},'
        f"IF(ISNUMBER({raw_date}),IF(AND({raw_date}>={SERIAL_MIN},{raw_date}<{SERIAL_MAX + 1}),"
        f'INT({raw_date}),""),'
        f"IF(AND(LEN({dt_})=5,{_digits_only(dt_)}),IF({serial_ok},--{dt_},\"\"),{text_date}))))",
    )
    # Phone → identity. Digits of the first number, then its canonical form or "".
    b.column("pd", "号码·数字", "=" + _phone_digits(inp["phone"]))
    pd = h("pd")
    strip86 = (
        f'IF(AND(LEN({pd})=13,LEFT({pd},2)="86",LEFT(MID({pd},3,20),1)="1"),MID({pd},3,20),'
        f'IF(AND(LEN({pd})=15,LEFT({pd},4)="0086"),MID({pd},5,20),{pd}))'
    )
    b.column("pe", "号码·去国家码", f"={strip86}")
    pe = h("pe")
    mobile = f'AND(LEN({pe})=11,LEFT({pe},1)="1",OR(MID({pe},2,1)={_array(list("3456789"))}))'
    short_area = f'OR(LEFT({pe},3)="010",LEFT({pe},2)="02")'
    land3 = f'AND({short_area},LEN({pe})=11,MID({pe},4,1)<>"0")'
    land4 = (
        f'AND(NOT({short_area}),LEFT({pe},1)="0",OR(MID({pe},2,1)={_array(list("3456789"))}),'
        f'OR(LEN({pe})=11,LEN({pe})=12),MID({pe},5,1)<>"0")'
    )
    local8 = f'AND(LEN({pe})=8,OR(LEFT({pe},1)={_array(list("2345678"))}))'
    b.column(
        "ph",
        "号码·规整",
        f'=IF(NOT({_digits_only(pe)}),"",IF({mobile},{pe},IF({land3},LEFT({pe},3)&"-"&MID({pe},4,20),'
        f'IF({land4},LEFT({pe},4)&"-"&MID({pe},5,20),IF({local8},"023-"&{pe},"")))))',
    )
    b.column("pk", "人名与号码", f'={h("n")}&"|"&{h("ph")}')
    # First occurrences: training sessions over all rows, households' sessions over counted.
    b.column(
        "s1",
        "新场次",
        f'=IF(AND({h("d")}=1,{h("dv")}<>"",{h("c")}<>""),'
        f'{b.first_of("s1", ["dv", "c"])},0)',
    )
    b.column(
        "hs",
        "新户次",
        f'=IF(AND({h("k")}=1,{h("a")}<>"",{h("dv")}<>"",{h("c")}<>""),'
        f'{b.first_of("hs", ["a", "dv", "c"])},0)',
    )
    b.column(
        "af",
        "新户",
        f'=IF(AND({h("k")}=1,{h("a")}<>""),'
        f'{b.first_of("af", ["a"])},0)',
    )
    if spec.money:
        raw = inp[spec.money]
        b.column("mt", "金额（文字）", "=" + strip_chars(clean(raw + '&""'), " ,，"))
        mt = h("mt")
        unit = '""'
        for text, _ in reversed(_UNITS):
            n = len(text)
            unit = f'IF(RIGHT({mt},{n})={q(text)},{q(text)},{unit})'
        b.column("mu", "金额单位", f"=IF(ISNUMBER({raw}),\"\",{unit})")
        num = f"LEFT({mt},LEN({mt})-LEN({h('mu')}))"
        rest = strip_chars(num, _DIGITS)
        divisor = "1"
        for text, div in _UNITS:
            divisor = f"IF({h('mu')}={q(text)},{div},{divisor})"
        text_value = (
            f'IF(AND(LEN({num})>0,OR({rest}="",AND({rest}=".",LEN({num})>1))),'
            f'--{num}/{divisor},"")'
        )
        b.column("mv", "金额（万元）", f'=IF({mt}="","",IF(ISNUMBER({raw}),{raw},{text_value}))')
        limit = rules.money_suspect_wan
        b.column("m", "计入的金额", f'=IF({h("mv")}="","",IF(AND({h("mv")}>=0,{h("mv")}<={limit}),'
                                  f'{h("mv")},""))')
        mv = h("mv")
        bare = strip_chars(mt, "-()（）")
        text_phone = (
            f'AND({_digits_only(bare)},OR(AND(LEN({bare})=11,LEFT({bare},1)="1"),'
            f'AND(LEFT({bare},1)="0",LEN({bare})>=10,LEN({bare})<=12)))'
        )
        whole = f'AND(INT({mv})={mv},LEN(INT({mv})&"")>=10,LEN(INT({mv})&"")<=11)'
        b.column(
            "lo",
            "金额未计入的原因",
            f'=IF({mt}="",0,IF({mv}="",IF({text_phone},2,3),IF({mv}<0,4,IF({whole},2,'
            f"IF({mv}>=100000000,3,IF({mv}>{limit},1,0))))))",
        )
    for key in ("qualified", "employed", "startup"):
        if key in spec.columns:
            typed = clean(inp[key] + '&""')
            b.column(
                "y_" + key,
                spec.header_of(key, rules.columns),
                f"=--OR(LOWER({typed})={_array(list(_YES))})",
            )
    employed_cond = (
        f"N({h('m')})>0" if spec.employed_by == "money" else f"{h('y_employed')}=1"
    )
    b.column(
        "ef",
        "新就业人员",
        f"=IF(AND({h('k')}=1,{employed_cond}),"
        f'{b.first_of("ef", ["pk"])},0)',
    )
    if "startup" in spec.columns:
        b.column(
            "sf",
            "新创业人员",
            f"=IF(AND({h('d')}=1,{h('y_startup')}=1),"
            f'{b.first_of("sf", ["pk"])},0)',
        )


def row_formula(template: str, r: int) -> str:
    return template.replace("{r}", str(r)).replace("{p}", str(r - 1))


# ---------------------------------------------------------------------- metrics and verdicts


@dataclass
class TableCells:
    """Where one industry's figures live on the 达标情况 sheet (absolute references)."""

    rows: str
    metrics: dict[str, str]
    trained: str
    households: str
    suspect: str


def metric_formulas(b: Block, rules: Rules) -> dict[str, str]:
    """Formulas (without ``=``) for each metric of spec §4 over one block."""
    s = b.span
    out = {
        "rows": f"SUM({s('d')})",
        "training_person_times": f"SUMPRODUCT({s('k')},{s('t')})",
        "training_sessions": f"SUM({s('s1')})",
        "household_sessions": f"SUM({s('hs')})",
        "employed": f"SUM({s('ef')})",
        "trained": f"SUM({s('t')})",
        "households_found": f"SUM({s('af')})",
        "startups": f"SUM({s('sf')})" if "sf" in b.cols else "0",
    }
    if b.spec.money:
        out["sales_wan"] = f"SUMPRODUCT({s('k')},{s('m')})"
        out["sales_wan_all"] = f"SUMPRODUCT({s('d')},{s('m')})"
        out["suspect"] = f"SUMPRODUCT({s('k')},--({s('lo')}=1))"
        for i in range(1, len(LEFT_OUT) + 1):
            out[f"left_out_{i}"] = f"SUMPRODUCT({s('k')},--({s('lo')}={i}))"
    else:
        out["sales_wan"] = out["sales_wan_all"] = "0"
        out["suspect"] = "0"
        for i in range(1, len(LEFT_OUT) + 1):
            out[f"left_out_{i}"] = "0"
    if "qualified" in b.spec.columns:
        out["qualified"] = f"SUMPRODUCT({s('t')},{s('y_qualified')})"
    if "employed" in b.spec.columns:
        out["employed_rows"] = f"SUMPRODUCT({s('t')},{s('y_employed')})"
    return out


def _target_parts(
    target: Target, rules: Rules, cells: dict[str, str], households: str
) -> tuple[str, str]:
    """(met condition, text) formulas for one target: ``培训人次 45/50``."""
    metric = rules.metrics[target.metric]
    req = Fraction(str(target.min))
    required = f"{req.numerator}/{req.denominator}" if req.denominator != 1 else str(req)
    if target.per_household:
        required = f"({required})*{households}"
    label = metric.label
    if metric.kind == "rate":
        num, den = cells[target.metric + "_num"], cells["trained"]
        met = f"AND({den}>0,{num}*{req.denominator}>={req.numerator}*{den})"
        text = (
            f'IF({den}=0,{q(label + " 无法统计（没有培训记录）")},'
            f'{q(label + " ")}&{fmt_pct(num + "/" + den)}&"/"&{fmt_pct(required)})'
        )
        return met, text
    actual = cells[target.metric]
    if metric.kind == "money":
        met = f"ROUND({actual},9)>=ROUND({required},9)"
    else:
        met = f"{actual}>={required}"
    unit = f" {metric.unit}" if metric.unit else ""
    text = f'{q(label + " ")}&{fmt_num(actual)}&"/"&{fmt_num(required)}&{q(unit)}'
    if target.metric in cells.get("money_metrics", "").split(","):
        text += f'&IF({met},"",{left_out_note(cells)})'
    return met, text


def left_out_note(cells: dict[str, str]) -> str:
    """``（另有 1 行金额疑似以元填写，未计入）`` when counted rows' amounts were left out, as
    the engine adds it to a missed figure counted from the money column."""
    parts = "&".join(
        f'IF({cells[f"left_out_{i}"]}>0,"、"&{cells[f"left_out_{i}"]}&{q(" 行" + why)},"")'
        for i, why in enumerate(LEFT_OUT, start=1)
    )
    total = "+".join(cells[f"left_out_{i}"] for i in range(1, len(LEFT_OUT) + 1))
    return f'IF(({total})=0,"","（另有 "&MID({parts},2,200)&"，未计入）")'


def table_verdict(industry: str, rules: Rules, cells: dict[str, str], type_ref: str) -> str:
    """The verdict formula of one table: status, ``：`` and the reason, as the engine words it."""
    branches = []
    for bt in rules.base_types:
        if industry not in bt.industries:
            reason = (
                f"{STATUS_NOT_MET}：{bt.name}不能填报{industry}表（可选：{'、'.join(bt.industries)}）"
            )
            branches.append((bt.name, q(reason)))
            continue
        households = cells["households"]
        targets = rules.targets_for(bt.name, industry)
        hard, soft, shown, groups = [], [], [], {}
        for t in targets:
            met, text = _target_parts(t, rules, cells, households)
            if t.or_group:
                if t.or_group not in groups:
                    groups[t.or_group] = []
                    shown.append(("group", t.or_group))
                groups[t.or_group].append((met, text))
            else:
                shown.append(("one", text))
                if t.in_principle:
                    soft.append(f'IF({met},"","，"&{text}&"（原则上）")')
                else:
                    hard.append(f'IF({met},"","，"&{text})')
        for members in groups.values():
            any_met = "OR(" + ",".join(m for m, _ in members) + ")"
            joined = '&" 或 "&'.join(t for _, t in members)
            hard.append(f'IF({any_met},"","，"&{joined})')
        shown_texts = []
        for kind, value in shown:
            if kind == "one":
                shown_texts.append(value)
            else:
                shown_texts.append('&" 或 "&'.join(t for _, t in groups[value]))
        hard_s = "&".join(hard) if hard else '""'
        soft_s = "&".join(soft) if soft else '""'
        met_all = '&"，"&'.join(shown_texts)
        formula = (
            f'IF(({hard_s})<>"",{q(STATUS_NOT_MET + "：")}&MID({hard_s}&{soft_s},2,2000),'
            f'IF(({soft_s})<>"",{q(STATUS_BASIC + "：")}&MID({soft_s},2,2000),'
            f'{q(STATUS_MET + "：")}&{met_all}))'
        )
        branches.append((bt.name, formula))
    out = q(f"{STATUS_UNDECIDED}：创建基地类型未填写或无法识别，无法对照目标")
    for name, formula in reversed(branches):
        out = f"IF({type_ref}={q(name)},{formula},{out})"
    out = f'IF({cells["rows"]}=0,{q(STATUS_EMPTY + "：表中没有数据")},{out})'
    if "overflow" in cells and "last" in cells:
        # Rows typed below the helper rows would be left out silently: say so instead.
        below = (
            f"{STATUS_UNDECIDED}：第 {cells['last']} 行以下还有数据，表格公式只计算到第 "
            f"{cells['last']} 行，请用 jinguo-xl check 判定"
        )
        out = f"IF({cells['overflow']}>0,{q(below)},{out})"
    return out


def type_formula(rules: Rules, cell: str) -> str:
    """The official base type for the typed 创建基地类型, or "" (as ``Rules.resolve_type``)."""
    key = no_space(cell + '&""')
    key = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({key},"(","（"),")","）"),"：","")'
    out = '""'
    for bt in reversed(rules.base_types):
        names = sorted({norm_label(n) for n in (bt.name, bt.short, *bt.aliases)})
        out = f"IF(OR({key}={_array(names)}),{q(bt.name)},{out})"
    return out


def households_formula(cell: str, found: str, type_ref: str, rules: Rules) -> str:
    """帮扶户数 as counted: the declared whole number ≥ 1, else the distinct addresses (≥ 1);
    only for types whose targets accumulate per household."""
    text = no_space(cell + '&""')
    for suffix in ("户",):
        text = f'SUBSTITUTE({text},"{suffix}","")'
    declared = (
        f"IF(ISNUMBER({cell}),IF(AND({cell}>=1,{cell}=INT({cell})),{cell},0),"
        f'IF(AND(LEN({text})>0,{strip_chars(text, _DIGITS)}=""),--{text},0))'
    )
    per = [bt.name for bt in rules.base_types if bt.per_household]
    if not per:
        return '""'
    return (
        f'IF(OR({type_ref}={_array(per)}),IF({declared}>=1,{declared},MAX(1,{found})),"")'
    )


def base_verdict(industries: list[str], rows: dict[str, str], verdicts: dict[str, str]) -> str:
    """The worst table verdict; one filled table gives its own words, several are listed."""
    filled = "+".join(f"({rows[i]}>0)" for i in industries)
    severity = [STATUS_UNDECIDED, STATUS_NOT_MET, STATUS_BASIC, STATUS_MET]
    worst = '""'
    for status in reversed(severity):
        any_ = "OR(" + ",".join(
            f'AND({rows[i]}>0,LEFT({verdicts[i]},{len(status) + 1})={q(status + "：")})'
            for i in industries
        ) + ")"
        worst = f"IF({any_},{q(status)},{worst})"
    listed = "&".join(f'IF({rows[i]}>0,"；"&{q(i)}&{verdicts[i]},"")' for i in industries)
    single = "&".join(f'IF({rows[i]}>0,{verdicts[i]},"")' for i in industries)
    return (
        f'IF({filled}=0,{q(STATUS_EMPTY + "：没有填写任何带动统计表")},'
        f'IF({filled}=1,{single},{worst}&"："&MID({listed},2,4000)))'
    )


# ---------------------------------------------------------------------- shared formulas

_ROW = re.compile(r'<row r="(\d+)"[^>]*>(.*?)</row>', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>', re.S)


def share_formulas(xml: str, first_row: int, last_row: int) -> str:
    """Turn the helper sheet's first formula row into shared formulas down to ``last_row``.

    Excel writes a column of identical formulas this way itself: the text is stored once and
    each cell below says "same as above, shifted". The template shrinks from megabytes to
    kilobytes and a spreadsheet parses each helper formula once instead of a thousand times.
    """
    match = next(m for m in _ROW.finditer(xml) if int(m.group(1)) == first_row)
    letters: list[str] = []

    def shared(cell: re.Match[str]) -> str:
        letter, attrs, formula = cell.group(1), cell.group(3), cell.group(4)
        si = len(letters)
        letters.append(letter)
        ref = f"{letter}{first_row}:{letter}{last_row}"
        head = f'<f t="shared" ref="{ref}" si="{si}">'
        return f'<c r="{letter}{first_row}"{attrs}>{head}{formula}</f></c>'

    first = _CELL.sub(shared, match.group(0))
    below = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{x}{r}"><f t="shared" si="{i}"/></c>' for i, x in enumerate(letters))
        + "</row>"
        for r in range(first_row + 1, last_row + 1)
    )
    xml = xml[: match.start()] + first + below + xml[match.end() :]
    return re.sub(
        r'<dimension ref="([A-Z]+)1:([A-Z]+)\d+"\s*/>',
        lambda m: f'<dimension ref="{m.group(1)}1:{m.group(2)}{last_row}"/>',
        xml,
        count=1,
    )

"""The template judges itself: spreadsheet formulas for every metric, target and verdict.

Most county offices open the template in WPS, or in an Excel where no add-in is installed, so
the verdict must come from the spreadsheet's own functions. Everything here is generated from
the rules file (types, industries, columns, targets), so a new year's rules give a new template
without hand-written formulas.

Design, and why:

* **A hidden helper sheet** (:data:`HELPER_SHEET`) holds one *pool* of helper rows shared by
  all six industry sheets, laid end to end: each sheet takes the pool rows from its row 1 down
  to its last cell with content, so a base that fills one table of 200 rows uses about 220
  pool rows, not six blocks of a thousand. Pool row ``i`` reads row ``n`` of table ``t`` by
  *position* (``CHOOSE(t, INDEX(手工制作!$B$1:$B$1004,n), …)``), so the clerk's sheets stay
  unprotected: typing, pasting, inserting or deleting rows and sorting never leave a row
  without its formulas, and never shift a helper onto the wrong row. Long expressions are
  split over columns (the date's parts, the phone's digits), so each formula stays short:
  a spreadsheet keeps every formula's parsed form in memory, and a file saved by a tool that
  writes every formula out in full (openpyxl, WPS) stays small.
* **No circular reference in Excel's eyes**: Excel makes every cell of a referenced range a
  precedent, whatever INDEX picks. The input ranges leave out column A, where the verdict is
  shown on each industry sheet (checked by :mod:`jinguo_xl.writers.hazards`).
* **ROW() only at the top of a formula**: the position column holds the only ``ROW()``
  without an argument; inside SUMPRODUCT Excel would make it an array and INDEX would give
  ``#VALUE!``. A table's extent is ``MAX(INDEX((1-ISBLANK(range))*ROW(range),0))``: ROW of a
  range, made an array by INDEX in a plain cell.
* **Distinct counts without criteria**: each distinct count is a key column ("" where the row
  does not qualify, the table's number in front) and a column of "first occurrence" flags: no
  earlier pool row has the same key. The keys are compared with ``=`` inside SUMPRODUCT over
  the whole column, not with COUNTIFS criteria: a criterion built from a clerk's text breaks
  in Excel past 255 characters and reads ``* ? ~`` as wildcards; ``=`` has neither limit.
  The metric is the column's sum over the table's rows.
* **Only Excel 2010 functions**, no array entry, no volatile functions; the reason text is put
  together with ``&`` and ``MID`` (no ``TEXTJOIN``), numbers as ``ROUND(x,2)&""`` as the engine
  prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname

from jinguo_xl.findings.messages import (
    STATUS_BASIC,
    STATUS_EMPTY,
    STATUS_MET,
    STATUS_NOT_MET,
    STATUS_UNDECIDED,
)
from jinguo_xl.labels import norm_label
from jinguo_xl.rules import Rules, TableSpec, Target
from jinguo_xl.vocabulary.normalize import SERIAL_MAX, SERIAL_MIN, YES_WORDS

HELPER_SHEET = "计算"
TEMPLATE_HEADER_ROW = 4  # the header row of the template's tables (template.HEADER_ROW)
# Where a clerk can have a table judged when the formulas cannot: said in every such verdict.
CHECK_ELSEWHERE = "用加载项的“校验本表”或区县妇联的汇总程序判定"
POSITION_COL = 1  # helper column A: the pool row's number (1, 2, …)
# Why a typed amount counts in no total, in the engine's order (lo column: 1, 2, 3, 4).
LEFT_OUT = ("金额疑似以元填写", "金额像电话号码", "金额无法识别", "金额为负数")
TYPE_CELL = "识别类型"  # defined name: the official type the formulas recognised, or ""
BASE_VERDICT = "基地结论"
TOTAL_WORDS = ("合计", "小计", "总计", "总合计")
# Whitespace the engine strips: ASCII, no-break and full-width spaces, tabs, line breaks.
_FULL_SPACE = "\u3000"
_NBSP = "\u00a0"
# 是/否 spellings read as 是: the engine's own list (spec §7), so that both read the same.
_YES = ("是", *sorted(YES_WORDS))
_DIGITS = "0123456789"
_FULL_DIGITS = "０１２３４５６７８９"
_UNITS = (("万元", 1), ("千元", 10), ("百元", 100), ("块钱", 10000), ("万", 1), ("千", 10),
          ("元", 10000), ("块", 10000))


# Helper columns holding 0/1 flags (the others hold text or numbers, blank as "").
_FLAGS = frozenset({"hf", "d", "u", "k", "t", "s1", "hs", "af", "lo", "ef", "sf"})


def verdict_name(industry: str) -> str:
    """The defined name of one table's verdict cell, e.g. ``结论_手工制作``."""
    return f"结论_{industry}"


def q(text: str) -> str:
    """A formula string literal."""
    return '"' + text.replace('"', '""') + '"'


def _array(values: tuple[str, ...] | list[str]) -> str:
    return "{" + ",".join(q(v) for v in values) + "}"


def _spaces_to(ref: str, to: str) -> str:
    """Every whitespace character the engine strips (no-break and full-width spaces, tabs,
    line breaks) replaced by ``to``. The no-break space is written as itself, not CHAR(160):
    CHAR follows the system's code page, and a Chinese Windows has no character 160."""
    out = ref
    for ch in (_FULL_SPACE, _NBSP):
        out = f'SUBSTITUTE({out},"{ch}",{q(to)})'
    for code in (9, 10, 13):
        out = f"SUBSTITUTE({out},CHAR({code}),{q(to)})"
    return out


def clean(ref: str) -> str:
    """The cell as the engine's ``clean_text`` sees it: every space as a space, trimmed."""
    return f"TRIM({_spaces_to(ref, ' ')})"


def no_space(ref: str) -> str:
    """All spaces removed (names, 妇女类型 and types are compared without them)."""
    return f'SUBSTITUTE({_spaces_to(ref, "")}," ","")'


def half_width(expr: str, chars: str) -> str:
    """``expr`` with the full-width forms of ``chars`` (ASCII letters, digits, ``.``) made
    ASCII, as the engine's NFKC does, for the characters a comparison needs."""
    out = expr
    for ch in sorted(set(chars)):
        forms = {ch.lower(), ch.upper()} if ch.isalpha() else {ch}
        for form in sorted(forms):
            out = f"SUBSTITUTE({out},{q(chr(ord(form) + 0xFEE0))},{q(form)})"
    return out


def half_to_full(text: str) -> str:
    """``text`` with its ASCII letters written full-width (ＹＥＳ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalpha() else ch for ch in text)


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


# ---------------------------------------------------------------------- the pool of helper rows

# Helper-sheet layout: a small table of per-industry cells at the top, the pool below it.
NAMES_ROW = 2  # industry names, one column each from column B
EXTENT_ROW = 3  # rows the industry sheet takes: row 1 down to its last cell with content
END_ROW = 4  # the pool row (1-based) where the industry's rows end: running sum of extents
HEADER_POS_ROW = 5  # the table's header row on its sheet (position from row 1)
TITLE_ROW = 6  # the pool columns' titles
POOL_FIRST_ROW = 7  # first pool row
POOL_ROWS = 600  # pool rows of the full template: all industry sheets together
SUMMARY_COL = 2  # column B: the first industry's cells in rows 2 … 5
# A helper-sheet column nothing is ever written to (the sheet is protected): what a pool row
# reads for a column its table does not have (手工制作 has no 是否合格).
BLANK_COLUMN = "ZZ"


@dataclass
class Pool:
    """The hidden sheet's pool: ``rows`` helper rows shared by all industry sheets.

    The industry sheets are laid end to end: each takes the rows from its row 1 down to its
    last cell with content (``EXTENT_ROW``), so six tables of which a base fills one or two use
    the pool for what they hold. Pool row ``i`` finds its table (column 表) and the row of
    that table it reads (column 表内行) from the running sums in ``END_ROW``."""

    rules: Rules
    reach: int  # sheet rows an industry table can have: 1 … reach
    rows: int
    cols: dict[str, int] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)  # key → formula with {r}
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def industries(self) -> list[str]:
        return list(self.rules.tables)

    @property
    def last_row(self) -> int:
        return POOL_FIRST_ROW + self.rows - 1

    def index(self, industry: str) -> int:
        """The industry's number in the 表 column (1 for the first)."""
        return self.industries.index(industry) + 1

    def summary(self, industry: str, row: int) -> str:
        """One of the industry's cells at the top of the helper sheet (absolute, local)."""
        return f"${get_column_letter(SUMMARY_COL + self.index(industry) - 1)}${row}"

    def column(self, key: str, title: str, formula: str, *, gated: bool = True) -> None:
        """Add a pool column. A gated column gives a row with nothing filled (and a row past
        the tables) its empty value (0 for the flags, "" for texts) without evaluating the
        formula: most of the pool is blank."""
        if gated:
            empty = "0" if key in _FLAGS or key.startswith("y_") else '""'
            formula = f"=IF({self.here('cnt')}<=0,{empty},{formula[1:]})"
        self.cols[key] = SUMMARY_COL + len(self.cols)
        self.formulas[key] = formula
        self.titles[key] = title

    def letter(self, key: str) -> str:
        return get_column_letter(self.cols[key])

    def here(self, key: str) -> str:
        """Same-row reference to a pool column inside a formula template."""
        return f"${self.letter(key)}{{r}}"

    def local(self, key: str) -> str:
        """The whole pool column on the helper sheet itself."""
        letter = get_column_letter(POSITION_COL) if key == "pos" else self.letter(key)
        return f"${letter}${POOL_FIRST_ROW}:${letter}${self.last_row}"

    def span(self, key: str) -> str:
        """The whole pool column, absolute, for sums on other sheets."""
        return f"{quote_sheetname(HELPER_SHEET)}!{self.local(key)}"

    def first(self, key: str) -> str:
        """1 when no earlier pool row holds the same key in column ``key``, else 0.

        Every row compares with the whole column (a key is "" where the row does not
        qualify, and it names the table), so each formula refers to the same two ranges: no
        growing range per row, and compared with ``=`` (exact, case-insensitive, any length),
        never as COUNTIFS criteria: see the module's docstring."""
        same = f"({self.local(key)}={self.here(key)})"
        earlier = f"({self.local('pos')}<{position()})"
        return f"IF(SUMPRODUCT({same}*{earlier})=0,1,0)"

    def of(self, industry: str) -> str:
        """The pool rows of ``industry``, as a 0/1 array for SUMPRODUCT."""
        return f"--({self.span('tab')}={self.index(industry)})"

    def scan_col(self, industry: str) -> int:
        """The column telling, per row of ``industry``'s sheet, whether anything is in it
        (``reach`` rows from the pool's first row): after the pool's columns and a blank one."""
        return max(self.cols.values()) + 1 + self.index(industry)

    def scan_formula(self, industry: str) -> str:
        """The row's number when any cell of it (from column B) holds something, else 0.

        COUNTBLANK takes a formula showing "" as blank, as the engine does, and counts an
        error value as something without failing; a row past a range shortened by deleted
        rows is 0."""
        spec = self.rules.tables[industry]
        last = get_column_letter(len(spec.columns))
        rng = f"{quote_sheetname(industry)}!$B$1:${last}${self.reach}"
        row = position()
        width = len(spec.columns) - 1
        return (
            f"=IF({row}>ROWS({rng}),0,IF(COUNTBLANK(INDEX({rng},{row},0))<{width},{row},0))"
        )

    def extent_formula(self, industry: str) -> str:
        """The sheet's last row with any cell filled, 0 when the sheet was deleted: a plain
        MAX over its scan column (no array evaluation, which engines do not agree on)."""
        letter = get_column_letter(self.scan_col(industry))
        scan = f"${letter}${POOL_FIRST_ROW}:${letter}${POOL_FIRST_ROW + self.reach - 1}"
        return f"=IF({sheet_present(self.rules, industry, self.reach)},MAX({scan}),0)"

    def end_formula(self, industry: str) -> str:
        i = self.index(industry)
        previous = self.summary(self.industries[i - 2], END_ROW) if i > 1 else "0"
        return f"={previous}+{self.summary(industry, EXTENT_ROW)}"

    def header_formula(self, industry: str) -> str:
        """The first row whose 姓名 cell holds the column's label (a table pasted at A1 with
        its own title, rows inserted above the header); the template's own header row when
        there is none. Rows above it, and it itself, are not data."""
        found = f"SUMPRODUCT({self.of(industry)},{self.span('hf')})"
        return f"=IF({found}=0,{TEMPLATE_HEADER_ROW},{found})"


def position() -> str:
    """The pool row's number (1 for the first), from column A."""
    return f"${get_column_letter(POSITION_COL)}{{r}}"


def input_range(spec: TableSpec, key: str, industry: str, reach: int) -> str:
    """Column ``key`` of ``industry``'s sheet from row 1 down to row ``reach``.

    From row 1, not from the template's first data row: a clerk who pastes a table with its
    own title and header at A1, or inserts rows above the header, moves the data up or down,
    and the formulas find the header row wherever it is (the ``hk`` column). Inserting rows
    inside grows the range and deleting rows shrinks it; INDEX by position then keeps each
    pool row on the n-th row of the range whatever was inserted, deleted or sorted. Nothing
    the verdict feeds is in these columns (it is shown in column A, the 序号 column, which no
    formula reads), so there is no circular reference."""
    letter = get_column_letter(spec.columns.index(key) + 1)
    return f"{quote_sheetname(industry)}!${letter}$1:${letter}${reach}"


# The input columns the pool copies (a table's money column, whatever its key, is "money"),
# with the pool column's title: neutral words, so that no title reads as a personal column.
_INPUTS = {
    "name": "人名", "address": "户", "phone": "号", "train_date": "培训时间",
    "train_content": "培训内容", "money": "金额", "qualified": "合格", "employed": "就业",
    "startup": "创业", "women_type": "妇女类型", "note": "备注",
}


def _pick(pool: Pool, key: str, *, text: bool) -> str:
    """The cell of ``key`` in the row this pool row reads, from whichever table it is in:
    CHOOSE gives the table's column, INDEX the row. A table without the column reads a column
    of the helper sheet that is always blank (:data:`BLANK_COLUMN`)."""
    blank = f"${BLANK_COLUMN}$1:${BLANK_COLUMN}${pool.reach}"
    ranges = []
    for industry, spec in pool.rules.tables.items():
        column = spec.money if key == "money" else key
        has = column is not None and column in spec.columns
        ranges.append(input_range(spec, column, industry, pool.reach) if has else blank)
    picked = f"INDEX(CHOOSE({pool.here('tab')},{','.join(ranges)}),{pool.here('at')})"
    if text:
        return f'IF({pool.here("tab")}=0,"",{picked}&"")'
    return f"IF({pool.here('tab')}=0,0,--ISNUMBER({picked}))"


def sheet_present(rules: Rules, industry: str, reach: int) -> str:
    """TRUE while the industry sheet is there: deleting a sheet turns every reference to it
    into ``#REF!``. Its input columns are asked, not the whole sheet: rows or columns
    deleted by a clerk leave at least one of them, and LibreOffice keeps a whole-sheet
    reference in memory at the cost of hundreds of megabytes."""
    spec = rules.tables[industry]
    refs = [f"ISREF({input_range(spec, k, industry, reach)})" for k in spec.columns if k != "seq"]
    return f"OR({','.join(refs)})"


def _digits_only(expr: str) -> str:
    """TRUE when ``expr`` is a non-empty run of at most 15 ASCII digits: the number it reads
    as, written back with as many digits (leading zeros kept), is the text itself. A sign,
    a point, a space, an exponent, a date or a per cent sign all change the text."""
    zeros = "0" * 15
    return (
        f'IF(ISNUMBER(--{expr}),{expr}=TEXT(--{expr},LEFT("{zeros}",MAX(1,LEN({expr})))),FALSE)'
    )


def _phone_text(raw: str) -> str:
    """A phone cell with full-width digits made ASCII and several numbers split at ``/``."""
    text = raw
    for full, ascii_ in zip(_FULL_DIGITS, _DIGITS, strict=True):
        text = f'SUBSTITUTE({text},"{full}","{ascii_}")'
    for sep in ("，", ",", "、", ";", "；", "|", "／"):
        text = f'SUBSTITUTE({text},"{sep}","/")'
    return text


def build_pool(rules: Rules, reach: int, rows: int) -> Pool:
    """The pool's columns, as formula templates: ``rows`` pool rows reading the industry
    sheets' rows 1 … ``reach``."""
    pool = Pool(rules, reach, rows)
    _fill_pool(pool, rules)
    assert max(pool.cols.values()) < column_index_from_string(BLANK_COLUMN)
    return pool


def _fill_pool(b: Pool, rules: Rules) -> None:
    h = b.here
    n_tables = len(b.industries)
    ends = [b.summary(i, END_ROW) for i in b.industries]
    # How many tables end before this row (the ends of all tables but the last, one range).
    after = f"SUMPRODUCT(--({position()}>{ends[0]}:{ends[-2]}))" if len(ends) > 1 else "0"
    b.column("tab", "表", f"=IF({position()}>{ends[-1]},0,1+{after})", gated=False)
    starts = ",".join(["0", *ends[:-1]])
    b.column("at", "表内第几行", f"=IF({h('tab')}=0,0,{position()}-CHOOSE({h('tab')},{starts}))",
             gated=False)
    present = [k for k in _INPUTS if any(
        (spec.money if k == "money" else k) in spec.columns for spec in rules.tables.values()
    )]
    raw = {}
    for key in present:
        b.column("r_" + key, "原文·" + _INPUTS[key], "=" + _pick(b, key, text=True),
                 gated=False)
        raw[key] = h("r_" + key)
    for key in ("train_date", "money"):
        if key in present:
            b.column("isnum_" + key, "是数字·" + _INPUTS[key], "=" + _pick(b, key, text=False),
                     gated=False)
    others = "&".join(raw[k] for k in present if k != "women_type")

    def filled(expr: str) -> str:
        return f'(LEN(TRIM(SUBSTITUTE(SUBSTITUTE({expr},"{_FULL_SPACE}"," "),"{_NBSP}"," ")))>0)'

    # 2 for any cell filled except 妇女类型, plus 1 for 妇女类型: 1 alone is the 样表's legend.
    b.column("cnt0", "已填", f"=2*{filled(others)}+{filled(raw['women_type'])}", gated=False)
    # A cell holding an error value (or a column shortened by deleting cells) gives -1: the
    # row counts in nothing and its table says so, instead of an error in every figure.
    b.column("cnt", "已填（-1 为错误值）", f"=IF(ISERROR({h('cnt0')}),-1,{h('cnt0')})",
             gated=False)
    b.column("n", "人名键", "=" + no_space(raw["name"]))
    b.column("w", "妇女类型（去空格）", "=" + no_space(raw["women_type"]))
    name_col = rules.columns["name"]
    labels = sorted({norm_label(x) for x in (name_col.header, *name_col.aliases)})
    # A header row holds (reach + 1 − its position), others 0: the largest is the first header.
    # A header row's key is its table's number; the first one of each table gives its row.
    b.column("hk", "表头键", f'=IF(OR({h("n")}={_array(labels)}),{h("tab")}&"","")')
    b.column("hf", "表头行", f'=IF({h("hk")}="",0,IF({b.first("hk")}=1,{h("at")},0))')
    canon = [norm_label(t) for t in rules.women_types]
    totals = _array(list(TOTAL_WORDS))
    header_cells = (
        f"${get_column_letter(SUMMARY_COL)}${HEADER_POS_ROW}:"
        f"${get_column_letter(SUMMARY_COL + n_tables - 1)}${HEADER_POS_ROW}"
    )
    b.column(
        "d",
        "数据行",
        f"=IF(OR({h('at')}<=INDEX({header_cells},{h('tab')}),{h('hk')}<>\"\"),0,"
        f"IF(OR({h('n')}={totals}),0,"
        f"IF(AND({h('n')}=\"\",{h('cnt')}=1,OR({h('w')}={_array(canon)})),0,1)))",
    )
    b.column("a", "户（去空格）", "=" + no_space(raw["address"]))
    b.column("c", "培训内容", "=" + clean(raw["train_content"]))
    b.column("dt", "培训时间（文字）", "=" + half_width(clean(raw["train_date"]), _DIGITS + "./"))
    dt_ = h("dt")
    # The date: a serial number in range, 8 digits (20200305), or text rewritten to y-m-d.
    # A time after the date ("2020-03-05 10:00") is dropped, as the engine drops it.
    sep_text = no_space(f'IF(ISNUMBER(FIND(":",{dt_})),LEFT({dt_},FIND(" ",{dt_}&" ")-1),{dt_})')
    for old, new in (("年", "-"), ("月", "-"), ("日", ""), ("号", ""), (".", "-"), ("/", "-"),
                     ("至", "-"), ("到", "-"), ("~", "-"), ("—", "-"), ("－", "-")):
        sep_text = f"SUBSTITUTE({sep_text},{q(old)},{q(new)})"
    b.column("dg", "培训时间·纯数字", "=--" + _digits_only(dt_))
    eight = f"AND(LEN({dt_})=8,{h('dg')}=1)"
    b.column(
        "du",
        "培训时间（规整）",
        f'=IF({eight},LEFT({dt_},4)&"-"&MID({dt_},5,2)&"-"&MID({dt_},7,2),{sep_text})&"---"',
    )
    u = h("du")
    b.column("q1", "第一个-", f'=FIND("-",{u})')
    b.column("q2", "第二个-", f'=FIND("-",{u},{h("q1")}+1)')
    b.column("q3", "第三个-", f'=FIND("-",{u},{h("q2")}+1)')
    b.column("yy", "年", f"=LEFT({u},{h('q1')}-1)")
    b.column("mm", "月", f"=MID({u},{h('q1')}+1,{h('q2')}-{h('q1')}-1)")
    b.column("dd", "日", f"=MID({u},{h('q2')}+1,{h('q3')}-{h('q2')}-1)")
    y, m, d = h("yy"), h("mm"), h("dd")
    ymd_ok = (
        f"AND(LEN({y})=4,LEN({m})>=1,LEN({m})<=2,LEN({d})>=1,LEN({d})<=2,"
        f"{strip_chars(y + '&' + m + '&' + d, _DIGITS)}=\"\")"
    )
    b.column(
        "td",
        "文字日期",
        f"=IF({ymd_ok},IF(AND(MONTH(DATE({y},{m},{d}))=--{m},DAY(DATE({y},{m},{d}))=--{d}),"
        f'DATE({y},{m},{d}),""),"")',
    )
    serial_ok = f"AND(--{dt_}>={SERIAL_MIN},--{dt_}<{SERIAL_MAX + 1})"
    number = f"--{raw['train_date']}"
    b.column(
        "dv",
        "培训日期",
        f'=IF({dt_}="","",IF({eight},{h("td")},'
        f"IF({h('isnum_train_date')}=1,IF(AND({number}>={SERIAL_MIN},{number}<{SERIAL_MAX + 1}),"
        f'INT({number}),""),'
        f"IF(AND(LEN({dt_})=5,{h('dg')}=1),IF({serial_ok},--{dt_},\"\"),{h('td')}))))",
    )
    # Phone → identity. Digits of the first number, then its canonical form or "".
    b.column("pt", "号码·文字", "=" + _phone_text(raw["phone"]))
    pt = h("pt")
    first_number = f'LEFT({pt},FIND("/",{pt}&"/")-1)'
    punctuation = " " + _FULL_SPACE + "-.()（）[]【】+－—"
    b.column("pd", "号码·数字", "=" + strip_chars(first_number, punctuation))
    pd = h("pd")
    strip86 = (
        f'IF(AND(LEN({pd})=13,LEFT({pd},2)="86",LEFT(MID({pd},3,20),1)="1"),MID({pd},3,20),'
        f'IF(AND(LEN({pd})=15,LEFT({pd},4)="0086"),MID({pd},5,20),{pd}))'
    )
    b.column("pe", "号码·去国家码", f"={strip86}")
    pe = h("pe")
    mobile = f'AND(LEN({pe})=11,OR(LEFT({pe},2)={_array(["1" + x for x in "3456789"])}))'
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
    tab = h("tab")
    b.column("pk", "人名与号码", f'={tab}&"|"&{h("n")}&"|"&{h("ph")}')
    # A row typed twice (same name, phone, date and content as an earlier row) counts once
    # (spec §7): the repeat is still a data row, but in no figure.
    b.column("ku", "录入键",
             f'=IF(AND({h("d")}=1,{h("n")}<>""),{h("pk")}&"|"&{h("dv")}&"|"&{h("c")},"")')
    b.column("u", "首次录入", f'=IF({h("d")}=0,0,IF({h("ku")}="",1,{b.first("ku")}))')
    counted = [norm_label(t) for t in rules.women_types if t in rules.counted_women]
    counted += [norm_label(a) for a, t in rules.women_aliases.items() if t in rules.counted_women]
    b.column("k", "计入目标", f"={h('u')}*OR({h('w')}={_array(counted)})")
    b.column("t", "已填培训", f'={h("u")}*((LEN({h("dt")})+LEN({h("c")}))>0)')
    # First occurrences: training sessions over all rows, households' sessions over counted.
    b.column("ks", "场次键",
             f'=IF(AND({h("d")}=1,{h("dv")}<>"",{h("c")}<>""),{tab}&"|"&{h("dv")}&"|"&{h("c")},"")')
    b.column("s1", "新场次", f'=IF({h("ks")}="",0,{b.first("ks")})')
    b.column("kh", "户次键",
             f'=IF(AND({h("k")}=1,{h("a")}<>"",{h("dv")}<>"",{h("c")}<>""),'
             f'{tab}&"|"&{h("a")}&"|"&{h("dv")}&"|"&{h("c")},"")')
    b.column("hs", "新户次", f'=IF({h("kh")}="",0,{b.first("kh")})')
    b.column("ka", "户键", f'=IF(AND({h("k")}=1,{h("a")}<>""),{tab}&"|"&{h("a")},"")')
    b.column("af", "新户", f'=IF({h("ka")}="",0,{b.first("ka")})')
    if "money" in raw:
        typed_money = half_width(clean(raw["money"]), _DIGITS + ".")
        b.column("mt", "金额（文字）", "=" + strip_chars(typed_money, " ,，"))
        mt = h("mt")
        isnum = f"{h('isnum_money')}=1"
        unit = '""'
        for text, _ in reversed(_UNITS):
            unit = f'IF(RIGHT({mt},{len(text)})={q(text)},{q(text)},{unit})'
        b.column("mu", "金额单位", f'=IF({isnum},"",{unit})')
        b.column("mn", "金额（数字部分）", f"=LEFT({mt},LEN({mt})-LEN({h('mu')}))")
        num = h("mn")
        # Digits with at most one point, not the point alone.
        plain = f'SUBSTITUTE({num},".","")'
        number_like = f"AND({_digits_only(plain)},LEN({num})-LEN({plain})<=1)"
        # One comparison with every unit at once ("" for none): one reference, not eight.
        units, divisors = ["", *(t for t, _ in _UNITS)], [1, *(d for _, d in _UNITS)]
        divisor = (
            f"SUMPRODUCT(({h('mu')}={_array(units)})*{{{','.join(map(str, divisors))}}})"
        )
        text_value = f'IF({number_like},--{num}/{divisor},"")'
        b.column("mv", "金额（万元）",
                 f'=IF({mt}="","",IF({isnum},--{raw["money"]},{text_value}))')
        limit = rules.money_suspect_wan
        b.column("m", "计入的金额", f'=IF({h("mv")}="","",IF(AND({h("mv")}>=0,{h("mv")}<={limit}),'
                                  f'{h("mv")},""))')
        mv = h("mv")
        b.column("mb", "金额（去括号横线）", "=" + strip_chars(mt, "-()（）"))
        bare = h("mb")
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
    # Every spelling of 是 as typed and in full-width letters (ＹＥＳ), compared in lower case
    # as one array constant (a single token to the spreadsheet); full-width digits and points
    # are made ASCII first (１．０).
    yes_forms = sorted({w for y in _YES for w in (y, half_to_full(y))})
    digits = "".join(sorted({ch for y in _YES for ch in y if ch.isdigit() or ch == "."}))
    for key in ("qualified", "employed", "startup"):
        if key in raw:
            typed = half_width(clean(raw[key]), digits)
            b.column("y_" + key, rules.columns[key].header,
                     f"=--OR(LOWER({typed})={_array(yes_forms)})")
    by_money = [b.index(i) for i, s in rules.tables.items() if s.employed_by == "money"]
    yes_employed = f"{h('y_employed')}=1" if "employed" in raw else "FALSE"
    employed = (
        f"IF(OR({tab}={{{','.join(map(str, by_money))}}}),N({h('m')})>0,{yes_employed})"
        if by_money and "money" in raw else yes_employed
    )
    b.column("ke", "就业键", f'=IF(AND({h("k")}=1,{employed}),{h("pk")},"")')
    b.column("ef", "新就业人员", f'=IF({h("ke")}="",0,{b.first("ke")})')
    if "startup" in raw:
        b.column("kc", "创业键", f'=IF(AND({h("d")}=1,{h("y_startup")}=1),{h("pk")},"")')
        b.column("sf", "新创业人员", f'=IF({h("kc")}="",0,{b.first("kc")})')


def row_formula(template: str, r: int) -> str:
    return template.replace("{r}", str(r))


# ---------------------------------------------------------------------- metrics and verdicts


def metric_formulas(b: Pool, industry: str, rules: Rules) -> dict[str, str]:
    """Formulas (without ``=``) for each metric of spec §4 over one industry's pool rows."""
    s, of = b.span, b.of(industry)
    spec = rules.tables[industry]

    def total(*keys: str) -> str:
        return f"SUMPRODUCT({of},{','.join(s(k) for k in keys)})"

    out = {
        "rows": total("d"),
        "training_person_times": total("k", "t"),
        "training_sessions": total("s1"),
        "household_sessions": total("hs"),
        "employed": total("ef"),
        "trained": total("t"),
        "households_found": total("af"),
        "startups": total("sf") if "startup" in spec.columns else "0",
        "error_rows": f"SUMPRODUCT({of},--({s('cnt')}=-1))",
    }
    if spec.money:
        out["sales_wan"] = total("k", "m")
        out["sales_wan_all"] = total("u", "m")
        out["suspect"] = f"SUMPRODUCT({of},{s('k')},--({s('lo')}=1))"
        for i in range(1, len(LEFT_OUT) + 1):
            out[f"left_out_{i}"] = f"SUMPRODUCT({of},{s('k')},--({s('lo')}={i}))"
    else:
        out["sales_wan"] = out["sales_wan_all"] = "0"
        out["suspect"] = "0"
        for i in range(1, len(LEFT_OUT) + 1):
            out[f"left_out_{i}"] = "0"
    if "qualified" in spec.columns:
        out["qualified"] = total("t", "y_qualified")
    if "employed" in spec.columns:
        out["employed_rows"] = total("t", "y_employed")
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
    if "header_found" in cells and "filled_rows" in cells:
        # The header row was deleted: no row can be told from a caption, nothing is counted.
        spec = rules.tables[industry]
        labels = "、".join(spec.header_of(k, rules.columns) for k in ("name", "address", "phone"))
        headless = (
            f"{STATUS_UNDECIDED}：工作表“{industry}”有数据但找不到表头（{labels}……），"
            f"请按样表恢复表头，或{CHECK_ELSEWHERE}"
        )
        out = (
            f'IF(AND(N({cells["filled_rows"]})>0,{cells["header_found"]}&""="0"),'
            f"{q(headless)},{out})"
        )
    if "overflow" in cells and "last" in cells:
        # Rows typed below the helper rows would be left out silently: say so instead.
        last = cells["last"]
        below = (
            f'{q(STATUS_UNDECIDED + "：第 ")}&{last}&{q(" 行以下还有数据，表格公式只计算到第 ")}'
            f'&{last}&{q(" 行，请" + CHECK_ELSEWHERE)}'
        )
        out = f"IF(N({cells['overflow']})>0,{below},{out})"
    if "pool_over" in cells:
        # The tables together hold more rows than the pool: this one is (partly) beyond it.
        full = (
            f'{q(STATUS_UNDECIDED + "：各产业表合计超过 ")}&{cells["pool_rows"]}&'
            + q(" 行，表格公式算不到本表的全部行；请删去表格下方多余的内容，或" + CHECK_ELSEWHERE)
        )
        out = f"IF(N({cells['pool_over']})>0,{full},{out})"
    if "error_rows" in cells:
        errors = (
            f'{q(STATUS_UNDECIDED + "：表中有 ")}&{cells["error_rows"]}&'
            f'{q(" 行有错误值（以 # 开头的格）或读不到，请改正这些格，或" + CHECK_ELSEWHERE)}'
        )
        out = f"IF(N({cells['error_rows']})>0,{errors},{out})"
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


def base_verdict(industries: list[str], verdicts: dict[str, str]) -> str:
    """The worst table verdict; one filled table gives its own words, several are listed.

    A table is filled when its verdict is not 未填报 (a deleted sheet's verdict is): the
    verdicts are the only cells read, and they never hold an error."""
    empty = q(STATUS_EMPTY + "：")
    filled_of = {i: f"LEFT({verdicts[i]},{len(STATUS_EMPTY) + 1})<>{empty}" for i in industries}
    filled = "+".join(f"({filled_of[i]})" for i in industries)
    severity = [STATUS_UNDECIDED, STATUS_NOT_MET, STATUS_BASIC, STATUS_MET]
    worst = '""'
    for status in reversed(severity):
        any_ = "OR(" + ",".join(
            f'LEFT({verdicts[i]},{len(status) + 1})={q(status + "：")}' for i in industries
        ) + ")"
        worst = f"IF({any_},{q(status)},{worst})"
    listed = "&".join(f'IF({filled_of[i]},"；"&{q(i)}&{verdicts[i]},"")' for i in industries)
    single = "&".join(f'IF({filled_of[i]},{verdicts[i]},"")' for i in industries)
    return (
        f'IF({filled}=0,{q(STATUS_EMPTY + "：没有填写任何带动统计表")},'
        f'IF({filled}=1,{single},{worst}&"："&MID({listed},2,4000)))'
    )

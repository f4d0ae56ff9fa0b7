"""The master workbook's layout: its sheets, their order, and every column of its tables.

One definition for every reader and writer of a master: :mod:`jinguo_xl.writers.master` takes
each sheet's headers, number formats, widths and wrapping from here,
:mod:`jinguo_xl.combine.master_input` reads a master back by the same columns' keys, and the
Python API (:mod:`jinguo_xl.api`) names and types its DataFrames' columns by them. A column is
added, renamed or reformatted here once, and the three cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MARKER_SHEET = "_jinguo_master"
# How 基地 records a source file's time (to the second: a later level compares it again).
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FORMAT_VERSION = "2"  # 2: 妇女明细 gained 金额（填写）
SHEETS = ("汇总", "基地", "妇女明细", "重复人员", "深度贫困乡镇", "问题清单", "推荐排名", "说明")
SHEET_NOTES = {
    "汇总": "全市总数，按区县、按类型×产业的统计，以及两张图表",
    "基地": "每个基地每张已填写的表一行：指标、各项目标（实际/要求）、结论和理由",
    "妇女明细": (
        "读取到的每一行数据（规范化后），是否计入目标、本行问题和来源位置；"
        "“金额（万元）”只列计入合计的金额，对它求和即等于合计，照原样填写的金额见“金额（填写）”"
    ),
    "重复人员": "同一姓名 + 联系电话出现在两个及以上基地的人员",
    "深度贫困乡镇": "名单中每个深度贫困乡镇的基地数和是否已覆盖",
    "问题清单": "全部问题，含文件、工作表和单元格",
    "推荐排名": "按超出目标的程度排序，供 9 月评选参考，不是评选结论",
    "说明": "生成时间、工具版本、输入文件及其校验码、行数核对",
}
# Written (after 汇总) only when a roster (名单) of expected bases is given.
ROSTER_SHEET = "报送情况"
ROSTER_SHEET_NOTE = (
    "名单中每个基地的报送情况（已报送、已更正、未报送）和名单外的报送，按区县统计应报、已报、未报"
)

# What a column holds, which decides its number format in the master and its dtype in a
# DataFrame: "text" (written as typed text), "int" (a count), "money" (万元, 0.00), "ratio"
# (a multiple, 0.00), "rate" (a share, 0.0%), "date" (yyyy-mm-dd), "as_typed" (kept as the
# clerk typed it: a number or a text, as 序号 is never checked).
KINDS = frozenset({"text", "int", "money", "ratio", "rate", "date", "as_typed"})


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a master table.

    ``width`` is None for a column fitted to its header; ``wrap`` wraps its text (the row
    gets the height it needs); ``fit`` widens it to its longest text (up to the writer's
    ceiling). ``read_back`` marks the columns a master is rebuilt from when it is consolidated
    again (see :mod:`jinguo_xl.combine.master_input`). ``breaks`` lets the writer place the
    line breaks of a wrapped text of our own (a reason, a message) where a Chinese typesetter
    would, so no printed line is a lone "）" or starts with "；"; never on a clerk's text or
    on a column read back."""

    key: str
    header: str
    kind: str = "text"
    width: float | None = None
    wrap: bool = False
    fit: bool = False
    read_back: bool = False
    breaks: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} for {self.key}")


Columns = tuple[Column, ...]

C = Column  # the tables below read as tables
TYPE_WIDTH = 17  # 巾帼扶贫家庭工坊 on one line: a type is never split (巾帼扶贫家庭工 / 坊)

# 基地: one row per base per filled table (a base without one gets one row).
BASE_COLUMNS: Columns = (
    C("county", "区县", width=12, wrap=True, read_back=True),
    C("township", "所在乡镇", width=10, wrap=True, read_back=True),
    C("deep_poverty", "深度贫困乡镇"),
    C("name", "带动基地名称", width=30, wrap=True, fit=True, read_back=True),
    C("type", "创建基地类型", width=TYPE_WIDTH, read_back=True),
    C("industry", "产业"),
    C("leader", "负责人", width=8, read_back=True),
    C("households", "帮扶户数（填报）", "int", read_back=True),
    C("year", "统计年度", "int", read_back=True),
    C("fill_date", "填报日期", "date", width=12, read_back=True),
    C("status", "结论", width=12, wrap=True, breaks=True),
    C("reason", "理由", width=36, wrap=True, breaks=True),
    C("training_person_times", "培训人次", "int"),
    C("training_sessions", "培训场次", "int"),
    C("household_sessions", "培训次数（按户）", "int"),
    C("employed", "带动就业", "int"),
    C("sales_wan", "销售/收入（万元）", "money"),
    C("sales_wan_all", "销售/收入（全部，万元）", "money"),
    C("pass_rate", "培训合格率", "rate"),
    C("employment_rate", "转移就业率", "rate"),
    C("startups", "带动创业", "int"),
    C("households_counted", "帮扶户数（计算）", "int"),
    C("targets", "各项目标（实际/要求）", width=36, wrap=True, breaks=True),
    C("rows", "数据行", "int"),
    C("errors", "错误", "int"),
    C("warnings", "警告", "int"),
    C("counts", "计入汇总", width=12, wrap=True, read_back=True),
    C("file", "来源文件", width=26, wrap=True, fit=True),
    C("origin", "读取自", width=26, wrap=True, fit=True),
    # What decides, at every later level, which copy of a base counts (spec §8): the sheets of
    # the base in a workbook of several, the source's bytes and its file time.
    C("part", "基地所在工作表", width=12, wrap=True, read_back=True),
    C("mtime", "来源文件时间", width=19, read_back=True),
    C("sha256", "来源文件校验码", width=66, read_back=True),
)

# Read back from 基地 as what the master recorded of each source, not as base fields.
PROVENANCE_KEYS = ("counts", "part", "mtime", "sha256")

# 妇女明细: every row read, normalised, with whether it counts and where it came from. The
# person's own cells (序号 … 备注) are read back under the 样表 column keys of the rules; the
# amount as typed (金额（填写）) goes back to the table's own money column, so a master read
# again re-checks each amount as its workbook was checked. 金额（万元） holds only the amounts
# that count in the totals (blank for one left out, a second entry of a row, a copy of a base
# that does not count): summing it, in Excel or pandas, gives the headline figure.
WOMEN_COLUMNS: Columns = (
    C("county", "区县", width=12, wrap=True),
    C("base", "带动基地名称", width=26, wrap=True, fit=True),
    C("type", "创建基地类型", width=TYPE_WIDTH),
    C("industry", "产业"),
    C("seq", "序号", "as_typed", read_back=True),
    C("name", "带动妇女姓名", read_back=True),
    C("address", "家庭住址", width=26, wrap=True, read_back=True),
    C("phone", "联系电话", width=13, read_back=True),
    C("train_date", "培训时间", "date", read_back=True),
    C("train_content", "培训内容", width=14, read_back=True),
    C("money", "金额（万元）", "money"),
    C("money_typed", "金额（填写）", "as_typed", read_back=True),
    C("qualified", "是否合格", read_back=True),
    C("employed", "是否就业", read_back=True),
    C("startup", "是否创业", read_back=True),
    C("women_type", "妇女类型", read_back=True),
    C("note", "备注", width=24, wrap=True, read_back=True),
    C("counted", "计入目标"),
    C("problems", "本行问题", width=40, wrap=True, breaks=True),
    C("counts", "计入汇总"),
    C("file", "来源文件", width=30, wrap=True, fit=True),
    C("sheet", "来源工作表", wrap=True, fit=True),
    C("row", "来源行", "int"),
)

# 妇女明细 as format 1 wrote it (before 金额（填写）): its 金额（万元） held the amount as
# typed, so a master of then is still read back, the amount going back as typed.
WOMEN_COLUMNS_V1: Columns = tuple(c for c in WOMEN_COLUMNS if c.key != "money_typed")

DUPLICATE_COLUMNS: Columns = (
    C("name", "带动妇女姓名"),
    C("phone", "联系电话", width=13),
    C("bases", "基地数", "int"),
    C("county", "区县", width=12, wrap=True),
    C("base", "带动基地名称", width=30, wrap=True, fit=True),
    C("file", "来源文件", width=30, wrap=True, fit=True),
)

FINDING_COLUMNS: Columns = (
    C("severity", "级别", width=6),
    # not fitted to the longest path: 文件 … 说明 print side by side on one page
    C("file", "文件", width=30, wrap=True),
    C("sheet", "工作表", width=10, wrap=True),
    C("cell", "单元格", width=8),
    C("column", "列", width=14, wrap=True, fit=True),  # 产品收入（万元） whole, no lone "）"
    C("message", "说明", width=54, wrap=True, breaks=True),
    C("code", "代码", width=20),
)

RANKING_COLUMNS: Columns = (
    C("rank", "名次", "int"),
    C("county", "区县", width=12, wrap=True),
    C("base", "带动基地名称", width=28, wrap=True, fit=True),
    C("type", "创建基地类型", width=TYPE_WIDTH),
    C("industries", "产业", width=12, wrap=True),
    C("status", "结论", width=12, wrap=True, breaks=True),
    C("multiple", "达到目标的倍数", "ratio"),
    C("reason", "理由", width=44, wrap=True, breaks=True),
    C("file", "来源文件", width=28, wrap=True, fit=True),
)

# 说明's list of the files given: what each was read as, and why one could not be read.
INPUT_COLUMNS: Columns = (
    C("file", "文件", width=34, wrap=True),
    C("kind", "类型", width=14, wrap=True),
    C("bases", "基地数", "int", width=8),
    C("rows", "数据行", "int", width=8),
    C("error", "未读取的原因", width=40, wrap=True),
    C("places", "同一文件也出现在", width=34, wrap=True),
    # For a program comparing files, not for paper: last, outside the printed area.
    C("sha256", "校验码", width=66),
)
INPUT_KINDS = {
    "workbook": "基地工作簿",
    "master": "汇总表",
    "template": "空白模板（已跳过）",
    "skipped": "不是报表（已跳过）",
    "unreadable": "无法读取",
}

# 报送情况: one row per roster base, then the submissions not on the roster (名单外).
ROSTER_COLUMNS: Columns = (
    C("county", "区县", width=12, wrap=True),
    C("name", "带动基地名称", width=28, wrap=True),
    C("type", "创建基地类型", width=TYPE_WIDTH),
    C("township", "所在乡镇（街道）", width=10, wrap=True),
    C("state", "报送情况", width=8),
    C("versions", "份数", "int", width=6),
    C("file", "来源文件（计入汇总的一份）", width=30, wrap=True),
    C("fill_date", "填报日期", "date", width=12),
    C("rows", "数据行", "int", width=7),
    C("status", "结论", width=12, wrap=True),
    C("note", "说明", width=40, wrap=True),
)
# 报送情况's table per county.
ROSTER_COUNTY_COLUMNS: Columns = (
    C("county", "区县", width=12, wrap=True),
    C("expected", "应报", "int"),
    C("reported", "已报", "int"),
    C("corrected", "其中已更正", "int"),
    C("missing", "未报", "int"),
    C("unlisted", "名单外", "int"),
)


def _picked(columns: Columns, *keys: str) -> Columns:
    """The columns of ``columns`` named by ``keys``, in that order: one definition per header."""
    by_key = {c.key: c for c in columns}
    return tuple(by_key[k] for k in keys)


# One row per base (the Python API's ``bases()``; the master spreads a base over one 基地 row
# per table): the same headers as 基地 wherever a column means the same.
BASE_SUMMARY_COLUMNS: Columns = (
    *_picked(BASE_COLUMNS, "county", "township", "deep_poverty", "name", "type"),
    C("industries", "产业"),
    *_picked(BASE_COLUMNS, "leader", "households", "year", "fill_date", "status", "reason"),
    *_picked(BASE_COLUMNS, "rows", "training_person_times", "employed", "sales_wan"),
    *_picked(BASE_COLUMNS, "sales_wan_all", "errors", "warnings"),
    C("resent", "重复报送（未计入）"),
    C("file", "来源文件"),
    C("origin", "读取自"),
)


def township_columns(type_names: Iterable[str]) -> Columns:
    """深度贫困乡镇: one column per base type of the rules between the names and the total."""
    return (
        C("county", "区县", width=22),
        C("township", "乡镇"),
        C("listed", "名单状态"),
        *(C(f"type:{t}", t, "int") for t in type_names),
        C("bases", "合计", "int"),
        C("covered", "是否覆盖"),
    )


def county_columns(
    type_names: Iterable[str], statuses: Iterable[str], *, roster: bool = False
) -> Columns:
    """汇总's table 按区县: whether the county reported (against the roster when there is
    one), its bases by type and by status, then the figures (counted bases)."""
    reported: Columns = (
        (C("expected", "应报", "int"), C("reported", "已报", "int"), C("missing", "未报", "int"))
        if roster
        else (C("reported", "报送情况"),)
    )
    return (
        C("county", "区县"),
        C("listed", "名单状态"),
        *reported,
        C("bases", "基地数", "int"),
        *(C(f"type:{t}", t, "int") for t in type_names),
        *(C(f"status:{s}", s, "int") for s in statuses),
        C("rows", "数据行", "int"),
        C("trained", "培训人次", "int"),
        C("employed", "带动就业", "int"),
        C("sales_wan_all", "销售/收入（万元）", "money"),
        C("sales_wan", "其中贫困妇女（万元）", "money"),
    )


def headers(columns: Sequence[Column]) -> list[str]:
    """The header row of a table."""
    return [c.header for c in columns]


def header_of(columns: Sequence[Column], key: str) -> str:
    """The Chinese header of column ``key`` (KeyError for a key the table does not have)."""
    for c in columns:
        if c.key == key:
            return c.header
    raise KeyError(key)


def index_of(columns: Sequence[Column], key: str) -> int:
    """The 0-based position of column ``key``."""
    for i, c in enumerate(columns):
        if c.key == key:
            return i
    raise KeyError(key)


BASE_HEADER = headers(BASE_COLUMNS)
WOMEN_HEADER = headers(WOMEN_COLUMNS)
# The person's own cells in 妇女明细, from 序号 to 备注: what masking covers.
PERSON_KEYS = tuple(
    c.key
    for c in WOMEN_COLUMNS[index_of(WOMEN_COLUMNS, "seq") : index_of(WOMEN_COLUMNS, "note") + 1]
)

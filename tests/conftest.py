"""Shared test helpers: real .xlsx files written cell by cell, so each test shows its situation."""

from __future__ import annotations

import os

# xlwings' remote engine (xw.Book(json=…)) lets the macro adapter run without Excel. It is
# PolyForm-Noncommercial code inside the xlwings package: used by tests only, never at run time.
# The key must be set before xlwings is first imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from jinguo_xl.count.report import FileReport, evaluate_ledger
from jinguo_xl.read.reader import folder_county, read_grids
from jinguo_xl.rules import Rules, load_rules

Cells = Sequence[Sequence[object]]

# The 样表 header rows, typed as clerks do (line breaks as in the Word table).
HEADERS = {
    "手工制作": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "产品收入\n（万元）",
        "妇女类型",
        "备注",
    ],
    "家政服务": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "是否合格",
        "是否就业",
        "妇女类型",
        "备注",
    ],
    "农村电商": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "代销产品\n（万元）",
        "是否就业（脱贫基地选填）",
        "妇女类型",
        "备注",
    ],
    "乡村旅游": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "是否就业（脱贫基地选填）",
        "是否创业（扶贫工坊选填）",
        "妇女类型",
        "备注",
    ],
    "种植养殖": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "是否就业（脱贫基地选填）",
        "发展产业收入（万元）（扶贫工坊选填）",
        "妇女类型",
        "备注",
    ],
    "加工制造": [
        "序号",
        "带动\n妇女姓名",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "产品收入\n（万元）",
        "妇女类型",
        "备注",
    ],
}

# 手工制作's header typed over two rows: 培训 merged above 时间 | 内容.
TWO_ROW_HEADER = (
    [
        "序号",
        "带动妇女姓名",
        "家庭住址",
        "联系电话",
        "培训",
        None,
        "产品收入（万元）",
        "妇女类型",
        "备注",
    ],
    [None, None, None, None, "时间", "内容", None, None, None],
)


def write_xlsx(path: Path, sheets: Mapping[str, Cells], *, start: str = "A1") -> Path:
    """Write ``sheets`` (name → rows of cell values) to a real workbook, rows from ``start``."""
    wb = Workbook()
    wb.remove(wb.active)
    col0 = ord(start[0]) - 65
    row0 = int(start[1:]) - 1
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is not None:
                    cell = ws.cell(row=row0 + r + 1, column=col0 + c + 1, value=value)
                    if cell.data_type == "f":
                        cell.data_type = "s"  # typed text such as "=1+1" stays text
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def as_read(sheets: Mapping[str, Cells]) -> list[tuple[str, list[list[object]]]]:
    """Cell values as a spreadsheet hands them over: whole numbers as floats, blanks as ``""``
    (what calamine and Excel return), so grids held in memory meet the same parsers a file
    does."""

    def cell(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    return [(name, [[cell(v) for v in row] for row in rows]) for name, rows in sheets.items()]


def judge(
    sheets: Mapping[str, Cells], *, file: str = "城口县/test.xlsx", rules: Rules | None = None
) -> FileReport:
    """Validation and counting (stages ② and ③) on grids held in memory, no file written: the
    way to test rules and targets; reading real files is tested in test_reader/test_reliability."""
    rules = rules or load_rules()
    ledger = read_grids(as_read(sheets), rules=rules, file=file)
    ledger.folder_county = folder_county(Path(file), rules)
    return evaluate_ledger(ledger, rules)


def woman(
    name: str,
    phone: str,
    *,
    kind: str = "贫困妇女",
    date: object = None,
    content: str = "竹编技艺",
    address: str = "城口县鸡鸣乡青山村1组",
    extra: Sequence[object] = (),
    note: str = "",
) -> list[object]:
    """One 样表 row: 序号 blank, then the common columns, ``extra`` (table-specific), type, 备注."""
    return [None, name, address, phone, date or dt.date(2020, 3, 5), content, *extra, kind, note]


def people(
    n: int,
    *,
    prefix: str = "张",
    kind: str = "贫困妇女",
    sessions: int = 1,
    extra: Sequence[object] = (),
    content: str = "竹编技艺",
    address: str | None = None,
    start_phone: int = 0,
) -> list[list[object]]:
    """``n`` distinct women, each trained ``sessions`` times (one row per 人次)."""
    rows = []
    given = "一二三四五六七八九十百千万亿甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东南西北"
    for s in range(sessions):
        for i in range(n):
            name = prefix + given[i % len(given)] + given[i // len(given)]
            rows.append(
                woman(
                    name,
                    f"1380013{start_phone + i:04d}",
                    kind=kind,
                    date=dt.date(2020, 3, 1) + dt.timedelta(days=7 * s),
                    content=content,
                    address=address or f"城口县鸡鸣乡青山村{i + 1}组",
                    extra=extra,
                )
            )
    return rows


def stacked(base: str, tables: Mapping[str, Cells], *, legend: bool = True) -> list[list[object]]:
    """One sheet as in the notice: base line in one cell, each table under its caption line."""
    out: list[list[object]] = [
        ["重庆市妇联2020年就业帮扶巾帼示范基地帮扶贫困妇女情况统计表（样表）"],
        [base],
    ]
    for industry, rows in tables.items():
        out.append([f"{industry}带动统计表："])
        out.append(list(HEADERS[industry]))
        if legend:
            col = HEADERS[industry].index("妇女类型")
            for kind in ("未脱贫妇女", "贫困妇女", "留守妇女", "普通妇女"):
                out.append([None] * col + [kind])
        out.extend(list(r) for r in rows)
        out.append([])
    return out


def base_line(name: str = "示例合作社", kind: str = "巾帼扶贫车间", leader: str = "王经理") -> str:
    return f"带动基地名称：{name}    创建基地类型：{kind}    基地负责人姓名：{leader}"


@pytest.fixture(scope="session")
def rules() -> Rules:
    return load_rules(2020)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory, rules) -> tuple[Path, Path]:
    """The demo corpus in ``jinguo_demo/`` and the master the CLI consolidates from it, beside
    the folder: written once, read by the master's and the API's tests alike."""
    from jinguo_xl.cli import main
    from jinguo_xl.demo import write_demo

    root = tmp_path_factory.mktemp("demo")
    write_demo(root / "jinguo_demo", rules)
    out = root / "全市汇总.xlsx"
    assert main(["consolidate", str(root / "jinguo_demo"), "-o", str(out), "--json"]) in (0, 1)
    return root / "jinguo_demo", out


# Sent by the demo but left off the demo roster (→ 名单外); on it but never sent (→ 未报送).
OMITTED = "示例·黔江腊肉加工家庭工坊"
NEVER_SENT = [("巫山县", "巫山县双龙镇巾帼刺绣扶贫车间"), ("万州区", "万州区龙驹镇脱贫基地")]


def demo_bases(folder: Path) -> list[tuple[str, str, str, str]]:
    """(county, name, type, township) of every base the demo sends."""
    import jinguo_xl

    result = jinguo_xl.consolidate([folder]).consolidation
    return [
        (e.report.base.county, e.report.base.name, e.report.base.type, e.report.base.township)
        for e in result.entries
    ]


def type_base_info(wb: Workbook, values: Mapping[str, object]) -> None:
    """Type base information into a template's 基本信息 sheet, as a clerk does: each value in
    the input cell beside its label (``{"带动基地名称": "…"}``)."""
    info = wb["基本信息"]
    for row in range(1, info.max_row + 1):
        label = info.cell(row=row, column=1).value
        if label in values:
            info.cell(row=row, column=2, value=values[label])


def roster_file(path: Path, rows: list[list[object]]) -> Path:
    """A roster (名单) workbook with the template's headers and ``rows`` under them."""
    from jinguo_xl.read.roster import ROSTER_HEADERS

    return write_xlsx(path, {"名单": [list(ROSTER_HEADERS), *rows]})


@pytest.fixture(scope="session")
def demo_roster(demo_master, tmp_path_factory) -> dict[str, object]:
    """The demo's bases as a roster, less one base that was sent, plus two never sent; the
    master and the feedback folder the CLI writes with it, and its JSON answer."""
    import contextlib
    import io
    import json

    from jinguo_xl.cli import main

    folder, _ = demo_master
    root = tmp_path_factory.mktemp("roster")
    bases = demo_bases(folder)
    rows = [[c, n, t, "", tw, "", ""] for c, n, t, tw in bases if n != OMITTED]
    rows += [[c, n, "巾帼扶贫车间", "手工制作", "", "", ""] for c, n in NEVER_SENT]
    roster = roster_file(root / "名单.xlsx", rows)
    master, feedback = root / "全市汇总.xlsx", root / "退回"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(
            [
                "consolidate",
                str(folder),
                "-o",
                str(master),
                "--roster",
                str(roster),
                "--feedback",
                str(feedback),
                "--json",
            ]
        )
    assert code in (0, 1)
    return {
        "folder": folder,
        "roster": roster,
        "master": master,
        "feedback": feedback,
        "json": json.loads(buffer.getvalue()),
        "bases": bases,
    }


# ---------------------------------------------------------------- nothing left outside tmp

_REPO = Path(__file__).resolve().parent.parent
_SKIPPED = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _tree() -> set[str]:
    """Every file of the repository and of the user's jinguo_xl config folder."""
    found = set()
    for root in (_REPO, Path.home() / ".jinguo_xl"):
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in _SKIPPED and not d.endswith(".egg-info")]
            found.update(os.path.join(dirpath, f) for f in filenames)
    return found


_BEFORE: set[str] = set()


def pytest_sessionstart(session: pytest.Session) -> None:
    _BEFORE.update(_tree())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test that writes outside its temporary directory fails the run: test data holds
    (fictitious) personal data, and a real run must never scatter files either."""
    left = sorted(_tree() - _BEFORE)
    if left and exitstatus == 0:
        print("\n测试在临时目录之外留下了文件：\n" + "\n".join(left))
        session.exitstatus = 1

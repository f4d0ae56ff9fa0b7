"""The template's own formulas: Excel 2010 functions only, and, recalculated by a real
spreadsheet engine, every named verdict equal to ``jinguo-xl check`` on the same file; a second
engine with Excel's semantics (pycel) agrees with LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pycel import ExcelCompiler

from jinguo_xl.demo import PLANS, Plan, plan_rows
from jinguo_xl.run.files import check_file
from jinguo_xl.validate.workbook import LEFT_OUT
from jinguo_xl.writers import native
from jinguo_xl.writers.template import (
    FIRST_DATA_ROW,
    NO_ADDIN,
    STATUS_SHEET,
    build_template,
    save_template,
    status_layout,
    write_template,
)
from tests.conftest import type_base_info

COMMITTED = Path(__file__).parent.parent / "templates" / "统计表模板_2020.xlsx"

# Functions newer than Excel 2010 (most are stored with the _xlfn. prefix), and volatile ones.
FORBIDDEN = (
    "LET", "LAMBDA", "FILTER", "UNIQUE", "TEXTJOIN", "IFS", "CONCAT", "SORT", "SORTBY",
    "SEQUENCE", "XLOOKUP", "XMATCH", "SWITCH", "MAXIFS", "MINIFS", "RANDARRAY", "OFFSET",
    "INDIRECT", "NOW", "TODAY", "RAND", "RANDBETWEEN", "CELL", "INFO",
)


# ------------------------------------------------------------------ the formulas as written


def _formulas(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        texts = [
            zf.read(n).decode("utf-8")
            for n in zf.namelist()
            if n.startswith("xl/worksheets/") or n == "xl/workbook.xml"
        ]
    found = []
    for text in texts:
        found += re.findall(r"<f[^>]*>([^<]+)</f>", text)
        found += re.findall(r"<definedName[^>]*>([^<]+)</definedName>", text)
    return found


def test_every_formula_uses_excel_2010_functions_only(tmp_path, rules):
    template = write_template(tmp_path / "模板.xlsx", rules, data_rows=5)
    formulas = _formulas(template)
    assert len(formulas) > 100
    used = set()
    for f in formulas:
        assert "_xlfn." not in f and "_xlws." not in f
        # Function names: letters (and dots) right before "(", outside string literals.
        code = re.sub(r'"[^"]*"', '""', f)
        used.update(re.findall(r"([A-Z][A-Z0-9.]*)\(", code))
        assert len(f) < 8192  # Excel's limit on a formula's length
        depth = max_depth = 0
        for ch in code:
            depth += ch == "("
            depth -= ch == ")"
            max_depth = max(max_depth, depth)
        assert max_depth < 64  # Excel's limit on nested functions
    assert not used & set(FORBIDDEN), used & set(FORBIDDEN)
    assert {"SUMPRODUCT", "INDEX", "ERROR.TYPE"} <= used
    assert not {"COUNTIF", "COUNTIFS", "MATCH"} & used  # no criteria from a clerk's text
    with zipfile.ZipFile(template) as zf:
        sheets = "".join(zf.read(n).decode() for n in zf.namelist() if "worksheets/" in n)
    assert 't="array"' not in sheets  # nothing needs Ctrl+Shift+Enter


def test_no_iferror_hides_an_addin_failure(tmp_path, rules):
    template = write_template(tmp_path / "模板.xlsx", rules, data_rows=5)
    for f in _formulas(template):
        if "JINGUO_" in f:
            assert "IFERROR" not in f
            assert "ERROR.TYPE(" in f  # only #NAME? (not loaded) becomes the hint


def test_left_out_reasons_follow_the_engine():
    assert tuple(LEFT_OUT.values()) == native.LEFT_OUT


def test_helper_sheet_is_hidden_and_its_pool_is_shared_by_the_tables(rules, tmp_path):
    template = write_template(tmp_path / "模板.xlsx", rules, data_rows=30)
    with zipfile.ZipFile(template) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
    assert re.search(rf'<sheet name="{native.HELPER_SHEET}"[^>]*state="hidden"', workbook)
    helper = load_workbook(template)[native.HELPER_SHEET]
    # One pool for the six tables of 34 rows each (title and header included), not six blocks
    # (a small template gets room for two full tables and four empty ones); every formula
    # written out in full, so a tool that expands shared formulas adds nothing.
    pool = native.build_pool(rules, 34, 2 * 34 + 6 * 4)
    assert helper.max_row == native.POOL_FIRST_ROW + 2 * 34 + 6 * 4 - 1
    assert helper.cell(native.POOL_FIRST_ROW, pool.cols["tab"]).value.startswith("=IF($A7>")
    assert helper.cell(native.EXTENT_ROW, native.SUMMARY_COL).value.startswith("=IF(OR(ISREF(")
    # The clerk's sheets are not protected: typing, pasting, inserting rows and sorting work,
    # and the add-in can mark their cells. The working sheets are, without a password.
    wb = build_template(rules, 5)
    assert not any(wb[i].protection.sheet for i in rules.industries)
    assert not wb["基本信息"].protection.sheet
    for name in (STATUS_SHEET, native.HELPER_SHEET):
        protection = wb[name].protection
        assert protection.sheet and not protection.password
        assert not protection.sort and not protection.autoFilter
    for name in ("基地结论", *(native.verdict_name(i) for i in rules.industries)):
        assert name in wb.defined_names


# ------------------------------------------------------------------ a real spreadsheet engine

soffice = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(soffice is None, reason="LibreOffice (soffice) not installed")


def _fill(
    rules, path: Path, base: dict[str, object], tables: dict[str, list[dict]],
    data_rows: int | None = None, pool_rows: int | None = None,
) -> Path:
    """A clerk's copy: base information in the input cells, rows under each table's header.

    The template has just enough pre-formatted rows for the longest table (plus two), which
    keeps the spreadsheet engine's recalculation short; the formulas are the same."""
    longest = max((len(rows) for rows in tables.values()), default=0)
    wb = build_template(rules, data_rows or longest + 2, pool_rows=pool_rows)
    type_base_info(wb, base)
    for industry, rows in tables.items():
        ws = wb[industry]
        keys = rules.tables[industry].columns
        for i, values in enumerate(rows):
            for key, value in values.items():
                if key in keys:
                    ws.cell(row=FIRST_DATA_ROW + i, column=keys.index(key) + 1, value=value)
    return save_template(wb, path)


def _base(name: str, kind: str | None, households: object = None) -> dict[str, object]:
    base: dict[str, object] = {"带动基地名称": name, "基地负责人姓名": "王经理"}
    base["所属区县"] = "城口县"
    if kind is not None:
        base["创建基地类型"] = kind
    if households is not None:
        base["帮扶户数"] = households
    return base


def _plan_tables(rules, plan: Plan, seed: int) -> dict[str, list[dict]]:
    rows = plan_rows(plan, rules, random.Random(seed), serial=seed * 100, shared=[])
    return {plan.industry: rows} if rows else {}


def _messy_rows() -> list[dict]:
    """Readable but messy values, as clerks type them."""
    dates = ["2020年3月5日", "2020.3.6", "2020/3/7", "2020-03-08", "2020.3.5-3.7",
             dt.date(2020, 3, 5), "20200309", "2020年3月5号", "三月初", ""]
    money = ["1.5万", "15000元", "0.5万元", 0.3, "0.2", 60, "13800138000", "很多", "2千元", None]
    kinds = ["贫困户", "建档立卡", "未脱贫妇女", " 贫困妇女 ", "留守", "普通妇女", "五保户"]
    phones = ["１３８ ００１３ ０００１", "138-0013-0002", "+86 13800130003", "67125297",
              "023-67125297", "1380013", "13800130004/13900130005", 13800130006.0]
    rows = []
    for i in range(40):
        rows.append({
            "name": f"冉{'玉秀春晓小丽芳敏静桂'[i % 10]}{'兰英梅燕红'[i // 10]}",
            "address": f"城口县鸡鸣乡{'青山石桥新华'[i % 3 * 2:i % 3 * 2 + 2]}村{i % 4 + 1}组",
            "phone": phones[i % len(phones)],
            "train_date": dates[i % len(dates)],
            "train_content": ["竹编*技艺", "刺绣?基础", "草编~工艺", "竹编技艺"][i % 4],
            "income": money[i % len(money)],
            "women_type": kinds[i % len(kinds)],
        })
    rows.insert(10, {"women_type": "贫困妇女"})  # the 样表's legend line: not data
    rows.insert(20, {})  # a blank line inside the table
    return rows


def _yes_no_rows(n: int, industry: str) -> list[dict]:
    marks = ["是", "√", "Y", "1", "否", "×", "N", "0", "yes", "✔", "", "有"]
    rows = []
    for i in range(n):
        rows.append({
            "name": f"谭{'玉秀春晓小丽芳敏静桂'[i % 10]}{'兰英梅燕红冬'[i // 10 % 6]}",
            "address": f"巫溪县宁厂镇{i % 5 + 1}组",
            "phone": f"1380013{i:04d}",
            "train_date": dt.date(2020, 4, 1 + i % 9),
            "train_content": "民宿接待" if i % 2 else "家庭保洁",
            "qualified": marks[i % len(marks)],
            "employed": marks[(i + 3) % len(marks)],
            "startup": marks[(i + 5) % len(marks)],
            "women_type": "未脱贫" if i % 4 else "普通妇女",
        })
    return rows


def _scenarios(rules) -> list[tuple[str, dict[str, object], dict[str, list[dict]]]]:
    out = []
    for n, plan in enumerate(PLANS):
        households = plan.declared_households
        out.append((f"demo{n:02d}", _base(plan.name, plan.type, households),
                    _plan_tables(rules, plan, n)))
    combos = [(bt, ind) for bt in rules.base_types for ind in bt.industries]
    for n, (bt, industry) in enumerate(combos):
        # Just at the targets for the non-household types (50 or 100 person-times, 20 women),
        # one short for every other combination.
        if bt.per_household:
            plan = Plan("城口县", f"示例{n}", bt.name, industry, women=4, sessions=10 + n % 3,
                        per_session=4, households=2, startups=n % 3, money_per_woman=0.5 + n % 2)
            households = 2 if n % 2 else None
        else:
            plan = Plan("城口县", f"示例{n}", bt.name, industry, women=25, sessions=5,
                        per_session=20 if n % 2 else 19, counted_share=1.0, employed_share=0.8,
                        money_per_woman=4.0, qualified_share=0.7)
            households = None
        out.append((f"combo{n:02d}", _base(plan.name, bt.name, households),
                    _plan_tables(rules, plan, 40 + n)))
    messy = _messy_rows()
    out.append(("messy", _base("示例·杂乱", " 扶贫车间 "), {"手工制作": messy}))
    out.append(("messy-workshop", _base("示例·杂乱工坊", "家庭工坊", "3户"), {"手工制作": messy}))
    shuffled = list(messy)
    random.Random(7).shuffle(shuffled)
    out.append(("messy-sorted", _base("示例·杂乱", "巾帼扶贫车间"), {"手工制作": shuffled}))
    out.append(("yes-no", _base("示例·是否", "巾帼扶贫车间"), {"家政服务": _yes_no_rows(60, "")}))
    out.append(("tourism", _base("示例·旅游", "巾帼扶贫家庭工坊"),
                {"乡村旅游": _yes_no_rows(45, "")}))
    out.append(("not-allowed", _base("示例·不符", "巾帼脱贫基地"),
                {"手工制作": messy[:5], "种植养殖": _yes_no_rows(12, "")}))
    out.append(("no-type", _base("示例·无类型", None), {"手工制作": messy[:8]}))
    out.append(("unknown-type", _base("示例·错类型", "合作社"), {"家政服务": _yes_no_rows(5, "")}))
    out.append(("nothing", _base("示例·空", "巾帼扶贫车间"), {}))
    # Contents and addresses longer than the 255 characters Excel allows in a criterion.
    long = [
        {**row, "train_content": row["train_content"] + "：" + "收纳整理与清洁消毒" * 40,
         "address": row["address"] + "青山村" * 100}
        for row in _yes_no_rows(30, "")
    ]
    out.append(("long-text", _base("示例·长文字", "巾帼扶贫家庭工坊"), {"家政服务": long}))
    out.append(("overflow", _base("示例·超出", "巾帼扶贫车间"), {"手工制作": messy}))
    # Two tables holding more rows together than the formulas' pool of rows.
    out.append(("pool-full", _base("示例·两表", "巾帼扶贫车间"),
                {"手工制作": messy, "家政服务": _yes_no_rows(30, "")}))
    # A clerk's formula that fails (#DIV/0!) in a row: that table cannot be judged.
    failing = [dict(row) for row in messy]
    failing[3]["note"] = "=1/0"
    out.append(("error-value", _base("示例·错误值", "巾帼扶贫车间"), {"手工制作": failing}))
    return out


OVERFLOW_ROWS = 30  # the "overflow" scenario's template: fewer rows than its table has
POOL_FULL = 60  # the "pool-full" scenario's pool: 手工制作 fits in it, 家政服务 does not


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, rules):
    """Every scenario filled, then ONE LibreOffice call recalculating all of them and
    exporting their 达标情况 sheet (sheet 8) as CSV; with each file's CLI report."""
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path_factory.mktemp("native")
    files = [
        _fill(rules, folder / f"{name}.xlsx", base, tables,
              OVERFLOW_ROWS if name == "overflow" else None,
              POOL_FULL if name == "pool-full" else None)
        for name, base, tables in _scenarios(rules)
    ]
    out = folder / "csv"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
         f"false,{[*rules.industries].__len__() + 2}",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=900,
    )
    grids = {}
    for f in files:
        with open(out / f"{f.stem}-{STATUS_SHEET}.csv", encoding="utf-8") as fh:
            grids[f] = (list(csv.reader(fh)), check_file(f))
    return grids


def _named(grid: list[list[str]], rules, name: str) -> str:
    layout = status_layout(rules)
    if name == native.BASE_VERDICT:
        return grid[2][2]
    industry = name.removeprefix("结论_")
    return grid[layout.rows[industry] - 1][layout.columns["verdict"] - 1]


@needs_soffice
def test_every_named_verdict_equals_the_cli(recalculated, rules):
    compared = 0
    statuses = set()
    mismatches = []
    for path, (grid, report) in recalculated.items():
        want = {native.BASE_VERDICT: report.reason}
        for result in report.results:
            want[native.verdict_name(result.industry)] = result.reason
        if path.stem == "overflow":
            # Rows below the formulas' reach: the CLI counts them, the formulas say they cannot.
            last = FIRST_DATA_ROW + OVERFLOW_ROWS - 1
            said = (
                f"无法判定：第 {last} 行以下还有数据，表格公式只计算到第 {last} 行，"
                f"请{native.CHECK_ELSEWHERE}"
            )
            assert _named(grid, rules, "结论_手工制作") == _named(grid, rules, "基地结论") == said
            continue
        if path.stem == "pool-full":
            # 手工制作 lies inside the pool and is judged as the CLI judges it; 家政服务 does
            # not, and says so instead of counting part of its rows.
            assert _named(grid, rules, "结论_手工制作") == want["结论_手工制作"]
            assert _named(grid, rules, "结论_家政服务") == (
                f"无法判定：各产业表合计超过 {POOL_FULL} 行，表格公式算不到本表的全部行；"
                f"请删去表格下方多余的内容，或{native.CHECK_ELSEWHERE}"
            )
            # The empty tables after them are past the pool too, and simply empty.
            for industry in ("农村电商", "乡村旅游", "种植养殖", "加工制造"):
                assert _named(grid, rules, native.verdict_name(industry)) == "未填报：表中没有数据"
            continue
        if path.stem == "error-value":
            # The CLI reads the cell the file holds (a formula without a value: empty); the
            # spreadsheet computes #DIV/0! and the table says it cannot be judged.
            assert _named(grid, rules, "结论_手工制作") == (
                f"无法判定：表中有 1 行有错误值（以 # 开头的格）或读不到，请改正这些格，或"
                f"{native.CHECK_ELSEWHERE}"
            )
            continue
        for name, reason in want.items():
            compared += 1
            got = _named(grid, rules, name)
            if got != reason:
                mismatches.append(f"{path.name} {name}\n  表格公式：{got}\n  命令行：  {reason}")
        statuses.add(report.status)
    assert not mismatches, "\n".join(mismatches)
    assert compared > 100
    assert statuses == {"达标", "基本达标", "未达标", "未填报", "无法判定"}


@needs_soffice
def test_the_scenarios_cover_what_the_formulas_must_decide(recalculated, rules):
    reasons = " ".join(report.reason for _, report in recalculated.values())
    assert " 或 " in reasons  # the OR target
    assert "（原则上）" in reasons
    assert "不能填报" in reasons
    assert "培训次数（按户累计）" in reasons and "带动创业" in reasons
    assert "培训合格率" in reasons and "转移就业率" in reasons
    assert "未计入" in reasons  # an amount left out, named in the verdict
    assert "；" in reasons  # two tables filled: the worst, each listed


@needs_soffice
def test_without_the_addin_its_column_says_so_and_the_native_verdict_stands(
    recalculated, rules
):
    layout = status_layout(rules)
    col = layout.columns["addin"] - 1
    for path, (grid, _) in recalculated.items():
        for industry, row in layout.rows.items():
            filled = int(float(grid[row - 1][layout.columns["rows"] - 1] or 0))
            assert grid[row - 1][col] == (NO_ADDIN if filled else ""), (path.name, industry)


# ------------------------------------------------------------------ a second engine: pycel

# pycel follows Excel's semantics (every cell of a range a precedent, no lazy INDEX) but needs
# about half a minute per filled workbook: these cases cover dates, amounts, phones, yes/no,
# households, two tables, a type that may not fill a table, no type and nothing filled.
PYCEL_CASES = ("messy", "tourism", "not-allowed", "no-type", "unknown-type", "nothing")


def _pycel_verdicts(path: Path, grid: list[list[str]], rules, folder: Path) -> dict[str, str]:
    """Every named verdict of ``path`` as pycel evaluates it.

    pycel cannot evaluate a reference made by INDEX (``INDEX(…):INDEX(…)``, the count of
    filled cells below the formulas' rows, and ``ROW(INDEX(…))``, the last row they read; two
    cells per industry): a copy holds LibreOffice's values there, and pycel computes
    everything else from the clerk's cells."""
    layout = status_layout(rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # print areas openpyxl cannot keep
        wb = load_workbook(path)
    for key in ("overflow", "last_read"):
        col = layout.columns[key]
        for row in layout.rows.values():
            wb[STATUS_SHEET].cell(row=row, column=col).value = float(grid[row - 1][col - 1] or 0)
    copy = folder / f"{path.stem}-pycel.xlsx"
    wb.save(copy)
    xl = ExcelCompiler(filename=str(copy), plugins=["tests.excel_functions"])
    # pycel reads defined names through an openpyxl interface that openpyxl 3.1 no longer has.
    xl.excel._defined_names = {
        name: [(ref, sheet) for sheet, ref in dn.destinations]
        for name, dn in xl.excel.workbook.defined_names.items()
    }
    verdict = get_column_letter(layout.columns["verdict"])
    addresses = {native.BASE_VERDICT: f"{STATUS_SHEET}!C3"}
    for industry, row in layout.rows.items():
        addresses[native.verdict_name(industry)] = f"{STATUS_SHEET}!{verdict}{row}"
    return {name: xl.evaluate(address) for name, address in addresses.items()}


@needs_soffice
def test_pycel_agrees_with_libreoffice_on_every_named_verdict(
    recalculated, rules, tmp_path
):
    compared = 0
    for path, (grid, report) in recalculated.items():
        if path.stem not in PYCEL_CASES:
            continue
        got = _pycel_verdicts(path, grid, rules, tmp_path)
        for name, value in got.items():
            assert value == _named(grid, rules, name), (path.name, name)
            compared += 1
        assert got[native.BASE_VERDICT] == report.reason
    assert compared == len(PYCEL_CASES) * (len(rules.industries) + 1)

"""The Python API on the demo corpus: its frames hold what the master holds, typed."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import jinguo_xl
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    BASE_SUMMARY_COLUMNS,
    FINDING_COLUMNS,
    WOMEN_COLUMNS,
    headers,
)
from jinguo_xl.run.files import check_file

DTYPES = {
    "text": "string",
    "int": "Int64",
    "money": "float64",
    "ratio": "float64",
    "rate": "float64",
    "date": "datetime64[ns]",
    "as_typed": "object",
}


@pytest.fixture(scope="module")
def demo(demo_master):
    """The demo corpus, its API consolidation and its master (written by the CLI)."""
    folder, out = demo_master
    return folder.parent, jinguo_xl.consolidate([folder]), out


def _sheet(path: Path, name: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _plain(value: object) -> object:
    """A frame's cell as the Python value the master's cell reads back as (None for missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _assert_same_as_sheet(df: pd.DataFrame, columns, grid: list[list[object]]) -> None:
    """Every cell of ``df`` equals the master's cell; a cell the master shows as text because
    it could not be read (a date typed as 三月, an amount typed as 五千) is missing in df."""
    assert grid[0][: len(columns)] == list(df.columns) == headers(columns)
    assert len(df) == len(grid) - 1
    for r, (row, cells) in enumerate(zip(df.itertuples(index=False), grid[1:], strict=True)):
        for c, (mine, theirs) in enumerate(zip(row, cells, strict=False)):
            mine, kind = _plain(mine), columns[c].kind
            where = (r + 2, columns[c].header)
            if columns[c].breaks and isinstance(theirs, str):
                theirs = theirs.replace("\n", "")  # the same text, broken into printed lines
            if kind in ("date", "money", "ratio", "rate", "int") and isinstance(theirs, str):
                assert mine is None, where
            elif isinstance(theirs, float) or isinstance(mine, float):
                assert mine == pytest.approx(theirs, rel=1e-12), where
            elif kind == "text" and isinstance(theirs, (int, float)):
                assert mine == str(theirs), where
            else:
                assert mine == theirs, where


# ---------------------------------------------------------------------- the example


def test_one_row_per_base_and_each_base_once(demo, rules):
    root, result, _ = demo
    bases = result.bases()
    counted = result.consolidation.counted
    assert len(bases) == len(counted) == len(list((root / "jinguo_demo").rglob("*.xlsx")))
    assert bases["带动基地名称"].is_unique
    assert list(bases.columns) == headers(BASE_SUMMARY_COLUMNS)
    # totals per base add up to the rows and figures of its tables
    tables = result.tables()
    by_base = tables.groupby("带动基地名称")[["数据行", "培训人次"]].sum()
    for _, row in bases.iterrows():
        assert by_base.loc[row["带动基地名称"], "数据行"] == row["数据行"]
        assert by_base.loc[row["带动基地名称"], "培训人次"] == row["培训人次"]


def test_a_folder_holding_the_workbooks_and_their_master_still_gives_one_row_per_base(demo):
    """As after ``jinguo-xl demo``: the master lies beside the workbooks it was made from. The
    master records each source's SHA-256, so each base is one submission read once (spec §8):
    no 重复报送, the same tables and rows as the workbooks alone."""
    root, once, _ = demo
    twice = jinguo_xl.consolidate([root])
    assert len(twice.bases()) == len(once.bases())
    assert sorted(twice.bases()["带动基地名称"]) == sorted(once.bases()["带动基地名称"])
    assert len(twice.tables()) == len(once.tables())
    assert twice.bases()["重复报送（未计入）"].isna().all()
    assert twice.bases()["培训人次"].sum() == once.bases()["培训人次"].sum()
    assert twice.consolidation.rows_read == once.consolidation.rows_read


def test_import_jinguo_xl_loads_no_pandas():
    code = (
        "import sys; sys.modules['pandas'] = None; import jinguo_xl; "
        "assert 'jinguo_xl.api' not in sys.modules; print(jinguo_xl.__version__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == jinguo_xl.__version__


def test_the_api_is_reached_lazily_from_the_package():
    from jinguo_xl import api

    assert jinguo_xl.consolidate is api.consolidate and jinguo_xl.Report is api.Report
    assert {"check", "consolidate"} <= set(dir(jinguo_xl))
    with pytest.raises(AttributeError):
        jinguo_xl.no_such_name  # noqa: B018


# ---------------------------------------------------------------------- frames = master


def test_tables_are_the_master_base_sheet(demo):
    _, result, master = demo
    _assert_same_as_sheet(result.tables(), BASE_COLUMNS, _sheet(master, "基地"))


def test_women_are_the_master_women_sheet(demo):
    _, result, master = demo
    women = result.women()
    grid = _sheet(master, "妇女明细")
    _assert_same_as_sheet(women, WOMEN_COLUMNS, grid)
    assert len(women) == result.consolidation.rows_read
    # the demo's unreadable dates are text in the master and missing here
    train = [c.key for c in WOMEN_COLUMNS].index("train_date")
    assert any(isinstance(r[train], str) for r in grid[1:])


def _headline(master: Path, label: str) -> object:
    return next(row[2] for row in _sheet(master, "汇总")[:20] if row and row[0] == label)


def test_the_women_amounts_sum_to_the_headline_in_pandas_and_in_the_sheet(demo):
    """Summing 金额（万元）, in pandas or by a filter-and-sum in Excel, gives the headline: an
    amount left out (typed in 元, a row entered twice) is blank there, kept as typed beside."""
    _, result, master = demo
    headline = _headline(master, "销售/收入合计（万元）")
    women = result.women()
    assert women["金额（万元）"].sum() == pytest.approx(headline, abs=1e-9)
    assert result.counties()["销售/收入（万元）"].sum() == pytest.approx(headline, abs=1e-9)
    grid = _sheet(master, "妇女明细")
    money = grid[0].index("金额（万元）")
    assert sum(r[money] for r in grid[1:] if isinstance(r[money], (int, float))) == (
        pytest.approx(headline, abs=1e-9)
    )
    left = women[women["金额（万元）"].isna() & women["金额（填写）"].notna()]
    problems = " ".join(left["本行问题"])
    assert "疑似以元填写" in problems and "重复录入" in problems
    assert 15000 in set(left["金额（填写）"])  # the demo's amount typed in 元, as typed
    counted = women[women["金额（万元）"].notna()]
    numbers = counted[counted["金额（填写）"].map(lambda v: isinstance(v, (int, float)))]
    assert len(numbers) > len(counted) / 2
    assert (numbers["金额（万元）"] == numbers["金额（填写）"].astype(float)).all()
    assert "0.5万元" in set(counted["金额（填写）"])  # typed as text, read as 0.5 万元


def test_tables_without_a_money_column_show_no_false_zero(demo):
    """乡村旅游 and 家政服务 have no money column: 不适用 (—) in 基地, missing in the frames."""
    _, result, master = demo
    tables = result.tables()
    none = tables[tables["产业"].isin(["乡村旅游", "家政服务"])]
    assert len(none) and none["销售/收入（万元）"].isna().all()
    grid = _sheet(master, "基地")
    industry, sales = grid[0].index("产业"), grid[0].index("销售/收入（万元）")
    shown = {r[sales] for r in grid[1:] if r[industry] in ("乡村旅游", "家政服务")}
    assert shown == {"—"}
    bases = result.bases()
    only = bases[bases["产业"].isin(["乡村旅游", "家政服务"])]
    assert len(only) and only["销售/收入（万元）"].isna().all()


def test_findings_are_the_master_problem_list(demo):
    _, result, master = demo
    findings = result.findings()
    _assert_same_as_sheet(findings, FINDING_COLUMNS, _sheet(master, "问题清单"))
    errors = findings[findings["级别"] == "错误"]
    assert len(errors) == sum(f.severity == "error" for f in result.consolidation.findings) > 0


def test_counties_and_ranking_match_the_master(demo):
    _, result, master = demo
    counties = result.counties()
    summary = _sheet(master, "汇总")
    top = next(i for i, row in enumerate(summary) if row[0] == "区县")
    # the master breaks its narrow headers over two lines (巾帼扶贫 / 家庭工坊)
    assert [h.replace("\n", "") for h in summary[top] if h is not None] == list(counties.columns)
    assert counties["基地数"].sum() == len(result.bases())
    assert result.ranking()["名次"].tolist() == list(range(1, len(result.ranking()) + 1))
    assert len(result.ranking()) == len(_sheet(master, "推荐排名")) - 3  # note, blank, header


def test_columns_are_typed_by_their_kind(demo):
    _, result, _ = demo
    for df, columns in (
        (result.bases(), BASE_SUMMARY_COLUMNS),
        (result.tables(), BASE_COLUMNS),
        (result.women(), WOMEN_COLUMNS),
        (result.findings(), FINDING_COLUMNS),
    ):
        assert {c.header: DTYPES[c.kind] for c in columns} == {
            name: str(dtype) for name, dtype in df.dtypes.items()
        }
    women = result.women()
    assert women["培训时间"].notna().sum() > 0 and women["金额（万元）"].sum() > 0
    filled = result.bases()["填报日期"].dropna()
    assert len(filled) and filled.dt.year.eq(2020).all()


# ---------------------------------------------------------------------- privacy


def test_no_name_phone_or_address_in_any_finding_message(demo):
    _, result, _ = demo
    women = result.women()
    messages = " ".join(result.findings()["说明"].dropna())
    phones = set(women["联系电话"].dropna())
    assert phones and not [p for p in phones if p in messages]
    names = {n for n in women["带动妇女姓名"].dropna() if len(n) >= 2}
    assert names and not [n for n in names if n in messages]
    addresses = {a for a in women["家庭住址"].dropna() if len(a) >= 4}
    assert addresses and not [a for a in addresses if a in messages]


def test_masked_women_hold_no_phone_and_count_the_same(demo):
    _, result, _ = demo
    plain, masked = result.women(), result.women(mask=True)
    assert len(masked) == len(plain)
    assert masked["计入目标"].tolist() == plain["计入目标"].tolist()
    text = " ".join(str(v) for v in masked.to_numpy().ravel())
    assert not [p for p in set(plain["联系电话"].dropna()) if len(p) >= 7 and p in text]


# ---------------------------------------------------------------------- duplicates, check


def test_a_base_sent_twice_is_one_base_row_and_two_table_rows(demo, tmp_path, monkeypatch):
    root, first, _ = demo
    original = next(
        p for p in sorted((root / "jinguo_demo").rglob("*.xlsx")) if check_file(p).rows_read
    )
    # sent again by the same county (the county is also read from the folder's name)
    again = tmp_path / "再次报送" / original.parent.name / original.name
    again.parent.mkdir(parents=True)
    # Saved again (other bytes, a later file time): a resubmission, not the same file.
    openpyxl.load_workbook(original).save(again)
    monkeypatch.chdir(tmp_path)
    result = jinguo_xl.consolidate([root / "jinguo_demo", tmp_path / "再次报送"])
    bases, tables = result.bases(), result.tables()
    name = check_file(original).base.name
    assert len(bases) == len(first.bases())
    assert len(tables) == len(first.tables()) + (first.tables()["带动基地名称"] == name).sum()
    (row,) = bases[bases["带动基地名称"] == name].itertuples(index=False)
    counted = row[headers(BASE_SUMMARY_COLUMNS).index("读取自")]
    resent = row[headers(BASE_SUMMARY_COLUMNS).index("重复报送（未计入）")]
    copy = f"再次报送/{original.parent.name}/{original.name}"
    assert {counted, resent} == {str(original), copy}
    left_out = tables[tables["计入汇总"].str.startswith("否")]
    assert set(left_out["带动基地名称"]) == {name}


def test_check_one_workbook(demo, rules):
    root, _, _ = demo
    path = sorted((root / "jinguo_demo").rglob("*.xlsx"))[0]
    report = jinguo_xl.check(path)
    direct = check_file(path, rules=rules)
    assert report.ok and (report.status, report.reason) == (direct.status, direct.reason)
    # one row per filled table; a base with none (未填报) still has its one row, as in 基地
    assert len(report.tables()) == max(1, sum(1 for r in direct.results if r.rows))
    assert "计入汇总" not in report.tables().columns
    assert len(report.findings()) == len(direct.findings)
    assert report.report.rows_read == direct.rows_read


def test_missing_and_unreadable_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="找不到"):
        jinguo_xl.check(tmp_path / "没有这个文件.xlsx")
    with pytest.raises(FileNotFoundError, match="找不到"):
        jinguo_xl.consolidate([tmp_path / "没有这个文件夹"])
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    report = jinguo_xl.check(broken)
    assert not report.ok and report.error and report.status == ""
    assert report.tables().empty and report.tables().columns[0] == "区县"
    result = jinguo_xl.consolidate(str(tmp_path))  # one path as text is one path
    assert result.bases().empty
    inputs = result.inputs()
    assert inputs["类型"].tolist() == ["无法读取"] and inputs["未读取的原因"].notna().all()


def test_a_date_outside_pandas_range_is_missing_not_an_error():
    from jinguo_xl.api import frame
    from jinguo_xl.combine.layout import Column

    df = frame([Column("d", "日期", "date")], [[dt.date(9999, 12, 31)], [dt.date(2020, 3, 5)]])
    assert df["日期"].isna().tolist() == [True, False]

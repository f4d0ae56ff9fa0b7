"""Consolidation proved from the WRITTEN master: a county tree in mixed layouts plus a county
master, read back cell by cell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.cli import main
from jinguo_xl.combine.consolidation import Entry, consolidate
from jinguo_xl.combine.layout import (
    BASE_COLUMNS,
    DUPLICATE_COLUMNS,
    FINDING_COLUMNS,
    WOMEN_COLUMNS,
    headers,
)
from jinguo_xl.findings import Code
from jinguo_xl.run.files import check_file
from jinguo_xl.writers.sample import write_sample
from tests.conftest import base_line, people, stacked, woman, write_xlsx


def _row(name, phone, *, kind="贫困妇女", day=5, note="", **extra):
    return {
        "name": name,
        "address": "鸡鸣乡青山村1组",
        "phone": phone,
        "train_date": dt.date(2020, 3, day),
        "train_content": "竹编技艺",
        "women_type": kind,
        "note": note,
        **extra,
    }


def _base(rules, path, name, kind, industry, rows, *, layout="stacked", fields=None):
    base = {
        "带动基地名称": name,
        "创建基地类型": kind,
        "基地负责人姓名": "王经理",
        **(fields or {}),
    }
    return write_sample(path, rules, base, {industry: rows}, layout=layout)


@pytest.fixture
def tree(tmp_path, rules, monkeypatch):
    """城口县 (stacked + per-sheet, one with formula-like text), 酉阳县 (a woman also helped in
    城口), 石柱县 (a broken file), and a 巫溪县 master whose base is also sent on its own."""
    monkeypatch.chdir(tmp_path)
    shared = _row("张玉兰", "13800130001", income=0.5)
    _base(
        rules,
        tmp_path / "城口县" / "甲社.xlsx",
        "甲社",
        "巾帼扶贫车间",
        "手工制作",
        [
            shared,
            _row('=HYPERLINK("x")', "13800130002", income=0.5, note="+86 备注"),
            _row("@李四", "13800130003", income="-1"),
        ],
        fields={"所在乡镇（街道）": "鸡鸣乡"},
    )
    _base(
        rules,
        tmp_path / "城口县" / "乙坊.xlsx",
        "乙坊",
        "巾帼扶贫家庭工坊",
        "加工制造",
        [_row("赵六", "13800130004", day=d, income=0.2) for d in range(1, 11)],
        layout="per_sheet",
        fields={"所属区县": "城口", "帮扶户数": 1},
    )
    _base(
        rules,
        tmp_path / "酉阳县" / "丙基地.xlsx",
        "丙基地",
        "巾帼脱贫基地",
        "种植养殖",
        [{**shared, "employed": "是"}, _row("钱七", "13800130005", employed="否")],
        fields={"所在乡镇（街道）": "车田乡"},
    )
    (tmp_path / "石柱县").mkdir()
    (tmp_path / "石柱县" / "坏文件.xlsx").write_bytes(b"PK\x03\x04 truncated")
    wuxi = tmp_path / "巫溪县"
    _base(
        rules,
        wuxi / "丁社.xlsx",
        "丁社",
        "巾帼扶贫车间",
        "家政服务",
        [_row("孙八", "13800130006", qualified="是", employed="是")],
        layout="per_sheet",
        fields={"所属区县": "巫溪县", "填报日期": dt.date(2020, 8, 1)},
    )
    _base(
        rules,
        wuxi / "戊基地.xlsx",
        "戊基地",
        "巾帼脱贫基地",
        "乡村旅游",
        [_row("周九", "13800130007", employed="是")],
        fields={"所在乡镇（街道）": "红池坝镇"},
    )
    assert main(["consolidate", "巫溪县", "-o", "county/巫溪县汇总.xlsx", "--json"]) == 0
    # 丁社 sent again on its own, later filled in: that copy counts, the master's does not.
    _base(
        rules,
        tmp_path / "单独报送" / "丁社.xlsx",
        "丁社",
        "巾帼扶贫车间",
        "家政服务",
        [
            _row("孙八", "13800130006", qualified="是", employed="是"),
            _row("吴十", "13800130008", qualified="是", employed="否"),
        ],
        layout="per_sheet",
        fields={"所属区县": "巫溪县", "填报日期": dt.date(2020, 8, 20)},
    )
    return tmp_path


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.xlsx"))
        if "out" not in p.parts
    }


def _sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _records(path, name, columns):
    """A long table's rows keyed by the layout's column keys (its header row checked)."""
    grid = _sheet(path, name)
    assert grid[0] == headers(columns)
    return [dict(zip([c.key for c in columns], row, strict=False)) for row in grid[1:]]


@pytest.fixture
def consolidated(tree, capsys):
    before = _hashes(tree)
    paths = ["城口县", "酉阳县", "石柱县", "county", "单独报送"]
    code = main(["consolidate", *paths, "-o", "out/全市汇总.xlsx", "--json"])
    summary = json.loads(capsys.readouterr().out)
    return tree, summary, code, before


def test_every_row_is_in_the_master_once_and_the_counts_reconcile(consolidated):
    tree, summary, code, _ = consolidated
    master = tree / "out" / "全市汇总.xlsx"
    women = _records(master, "妇女明细", WOMEN_COLUMNS)
    # 3 + 10 + 2 (bases) + 1 + 1 (in the county master) + 2 (丁社 again) = 19
    assert summary["rows_read"] == summary["rows_in_master"] == len(women) == 19
    keys = [(w["file"], w["sheet"], w["row"]) for w in women]
    assert len(set(keys)) == len(keys)
    assert {w["file"] for w in women if w["counts"] == "否"} == {"巫溪县/丁社.xlsx"}
    readme = _sheet(master, "说明")
    assert ["读取的数据行", 19.0] in [r[:2] for r in readme]
    assert ["核对", "一致"] in [r[:2] for r in readme]
    assert code == 1  # a broken file and error findings


def test_rows_from_a_county_master_keep_their_original_file(consolidated):
    tree, *_ = consolidated
    women = _records(tree / "out" / "全市汇总.xlsx", "妇女明细", WOMEN_COLUMNS)
    zhou = next(w for w in women if w["name"] == "周九")
    assert zhou["file"] == "巫溪县/戊基地.xlsx" and zhou["county"] == "巫溪县"


def test_figures_equal_the_sum_of_individual_checks(consolidated):
    tree, summary, *_ = consolidated
    individual = [
        check_file(p, display=p.relative_to(tree).as_posix())
        for p in sorted(tree.rglob("*.xlsx"))
        if p.parts[-2] in {"城口县", "酉阳县", "单独报送"} or p.parts[-2] == "巫溪县"
    ]
    counted = [r for r in individual if r.ok and r.file != "巫溪县/丁社.xlsx"]
    by_status: dict[str, int] = {}
    for r in counted:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    assert {k: v for k, v in summary["by_status"].items() if v} == by_status
    assert summary["bases"] == len(counted) == 5
    chengkou = [r for r in counted if r.base.county == "城口县"]
    assert summary["counties"]["城口县"]["bases"] == 2
    assert summary["counties"]["城口县"]["rows"] == sum(r.rows_read for r in chengkou)
    assert summary["counties"]["城口县"]["sales_wan_all"] == pytest.approx(
        sum(float(t.metrics.sales_wan_all) for r in chengkou for t in r.results)
    )
    assert "酉阳土家族苗族自治县" in summary["counties"]


def test_failed_file_is_listed_and_the_rest_processed(consolidated):
    _, summary, *_ = consolidated
    (failed,) = summary["files_failed"]
    assert failed["file"] == "石柱县/坏文件.xlsx" and "压缩包不完整" in failed["error"]
    assert summary["files_read"] == 5  # 3 bases, the county master, 丁社 sent alone


def test_cross_base_duplicates_and_township_coverage(consolidated):
    tree, summary, *_ = consolidated
    assert summary["cross_base_duplicates"] == 1
    dup = _records(tree / "out" / "全市汇总.xlsx", "重复人员", DUPLICATE_COLUMNS)
    assert {(d["name"], d["base"]) for d in dup} == {
        ("张玉兰", "甲社"),
        ("张玉兰", "丙基地"),
    }
    towns = {(t["county"], t["township"]): t for t in summary["townships"]}
    assert towns[("城口县", "鸡鸣乡")]["bases"] == 1
    assert towns[("酉阳土家族苗族自治县", "车田乡")]["bases"] == 1
    assert towns[("巫溪县", "红池坝镇")]["bases"] == 1
    assert towns[("酉阳土家族苗族自治县", "浪坪乡")]["bases"] == 0
    assert not towns[("涪陵区", "大顺乡")]["confirmed"]
    sheet = _sheet(tree / "out" / "全市汇总.xlsx", "深度贫困乡镇")
    assert any("通知要求 18 个" in str(r[0]) and "列出 17 个" in str(r[0]) for r in sheet)
    assert ["涪陵区", "大顺乡", "待核实"] in [r[:3] for r in sheet]


def test_same_base_twice_is_flagged_and_the_later_one_counts(consolidated):
    tree, *_ = consolidated
    master = tree / "out" / "全市汇总.xlsx"
    bases = _records(master, "基地", BASE_COLUMNS)
    ding = [b for b in bases if b["name"] == "丁社"]
    assert sorted(b["counts"][:1] for b in ding) == ["否", "是"]
    counted = next(b for b in ding if b["counts"] == "是")
    assert counted["origin"] == "单独报送/丁社.xlsx" and counted["rows"] == 2
    problems = _records(master, "问题清单", FINDING_COLUMNS)
    twice = [p for p in problems if p["code"] == "base-sent-twice"]
    # the message as printed, in lines the writer placed
    assert len(twice) == 1 and "county/巫溪县汇总.xlsx" in twice[0]["message"].replace("\n", "")


def test_formula_like_text_stays_text(consolidated):
    import openpyxl

    tree, *_ = consolidated
    ws = openpyxl.load_workbook(tree / "out" / "全市汇总.xlsx")["妇女明细"]
    cells = {
        c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    }
    assert cells['=HYPERLINK("x")'] == "s"
    assert cells["@李四"] == "s" and cells["+86 备注"] == "s" and cells["-1"] == "s"


def test_inputs_are_byte_identical_afterwards(consolidated):
    tree, _, _, before = consolidated
    assert _hashes(tree) == before


def test_same_inputs_give_the_same_data(tree, capsys):
    paths = ["城口县", "酉阳县", "county", "单独报送"]
    main(["consolidate", *paths, "-o", "out/a.xlsx", "--json"])
    main(["consolidate", *paths, "-o", "out/b.xlsx", "--json"])
    a = CalamineWorkbook.from_path(str(tree / "out" / "a.xlsx"))
    b = CalamineWorkbook.from_path(str(tree / "out" / "b.xlsx"))
    assert a.sheet_names == b.sheet_names
    for name in a.sheet_names:
        if name != "说明":
            assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python()


def test_output_that_is_an_input_is_refused(tree, capsys):
    assert main(["consolidate", "county", "-o", "county/巫溪县汇总.xlsx"]) == 2
    assert "也是输入之一" in capsys.readouterr().err


def test_masked_master_counts_the_same_and_leaks_no_phone(tree, capsys):
    paths = ["城口县", "酉阳县", "county", "单独报送"]
    main(["consolidate", *paths, "-o", "out/plain.xlsx", "--json"])
    plain = json.loads(capsys.readouterr().out)
    main(["consolidate", *paths, "-o", "out/masked.xlsx", "--json", "--mask"])
    masked = json.loads(capsys.readouterr().out)
    for key in ("rows_read", "by_status", "counties", "cross_base_duplicates", "townships"):
        assert plain[key] == masked[key]
    wb = CalamineWorkbook.from_path(str(tree / "out" / "masked.xlsx"))
    text = " ".join(
        str(v) for n in wb.sheet_names for row in wb.get_sheet_by_name(n).to_python() for v in row
    )
    assert "13800130001" not in text and "张玉兰" not in text and "青山村" not in text
    assert "138****0001" in text and "张*兰" in text
    # and a masked master cannot be consolidated again
    assert main(["consolidate", "out/masked.xlsx", "-o", "out/again.xlsx", "--json"]) == 1
    again = json.loads(capsys.readouterr().out)
    assert "脱敏" in again["files_failed"][0]["error"]


def test_a_master_beside_its_own_inputs_counts_and_lists_each_problem_once(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    rows = [*people(8, extra=[1]), woman("张玉兰", "1380013", extra=[1])]  # one bad phone
    grid = stacked(base_line("甲合作社"), {"手工制作": rows})
    write_xlsx(tmp_path / "城口县" / "甲.xlsx", {"统计表": grid})
    main(["consolidate", "城口县", "-o", "城口县/县汇总.xlsx", "--json"])
    alone = json.loads(capsys.readouterr().out)
    main(["consolidate", "城口县", "-o", "市汇总.xlsx", "--json"])  # the folder holds both now
    both = json.loads(capsys.readouterr().out)
    assert both["counties"]["城口县"]["trained"] == alone["counties"]["城口县"]["trained"] == 9
    assert both["findings"]["error"] == alone["findings"]["error"] == 1
    problems = openpyxl.load_workbook("市汇总.xlsx", read_only=True)["问题清单"]
    codes = [r[6] for r in problems.iter_rows(min_row=2, values_only=True)]
    assert codes.count("phone-invalid") == 1


def test_each_base_keeps_its_findings_and_the_consolidation_only_its_own(tmp_path, rules):
    rows = [*people(3, extra=[1]), woman("张玉兰", "1380013", extra=[1])]  # one bad phone
    grid = stacked(base_line("甲合作社"), {"手工制作": rows})
    report = check_file(write_xlsx(tmp_path / "甲.xlsx", {"统计表": grid}), rules=rules)
    held = dataclasses.replace(report, findings=list(report.findings))  # as a master holds it
    made = list(report.findings)
    entries = [Entry(report, "甲.xlsx", 1.0), Entry(held, "县汇总.xlsx", 2.0)]
    result = consolidate([], entries, rules)
    (twice,) = result.own_findings
    assert twice.code is Code.BASE_SENT_TWICE and twice.file == report.file
    assert [e.report.findings for e in result.entries] == [made, made]  # untouched, not moved
    assert result.findings == [twice, *made]  # joined for output, each finding once
    assert sum(f.code is Code.PHONE_INVALID for f in result.findings) == 1

"""The roster (名单): its template, reading and checking it, matching the submissions to it, and
the master's 报送情况 and page 1 that show who has reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import jinguo_xl
from jinguo_xl.cli import main
from jinguo_xl.combine.layout import ROSTER_COLUMNS, ROSTER_SHEET, header_of, headers, index_of
from jinguo_xl.read.roster import ROSTER_HEADERS, RosterError, read_roster
from jinguo_xl.writers.roster import write_roster_template
from tests.conftest import NEVER_SENT, OMITTED, demo_bases, roster_file, write_xlsx


def _sheet(path: Path, name: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [list(r) for r in ws.iter_rows(values_only=True)]


# ---------------------------------------------------------------- template and reading


def test_the_template_has_the_headers_and_the_rules_dropdowns(tmp_path, rules):
    path = write_roster_template(tmp_path / "名单.xlsx", rules)
    wb = openpyxl.load_workbook(path)
    ws = wb["名单"]
    assert [c.value for c in ws[1]] == ["区县（必填）", "带动基地名称（必填）", *ROSTER_HEADERS[2:]]
    sources = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert set(sources) == {"A2", "C2", "D2"}  # 区县, 创建基地类型, 帮扶产业
    lists = wb["_lists"]
    assert lists.sheet_state == "hidden"
    assert [r[0] for r in lists.iter_rows(values_only=True) if r[0]] == [
        c.name for c in rules.counties
    ]
    assert [r[1] for r in lists.iter_rows(values_only=True) if r[1]] == [
        bt.name for bt in rules.base_types
    ]


def test_a_filled_template_reads_back(tmp_path, rules):
    path = write_roster_template(tmp_path / "名单.xlsx", rules)
    with pytest.raises(RosterError, match="中没有基地"):
        read_roster(path, rules)
    wb = openpyxl.load_workbook(path)
    ws = wb["名单"]
    for cell, value in zip(
        ("A2", "B2", "C2", "D2"),
        ("酉阳县", "酉阳车田乡脆李基地", "脱贫基地", "种植养殖类"),
        strict=True,
    ):
        ws[cell] = value
    ws["A3"], ws["B3"] = "城口县", "城口县某合作社"
    wb.save(path)
    roster = read_roster(path, rules)
    assert [(b.county, b.name, b.type, b.industry, b.row) for b in roster.bases] == [
        ("酉阳土家族苗族自治县", "酉阳车田乡脆李基地", "巾帼脱贫基地", "种植养殖", 2),
        ("城口县", "城口县某合作社", "", "", 3),
    ]


def test_short_county_names_and_short_headers_are_accepted(tmp_path, rules):
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        {"Sheet1": [["序号", "所属区县", "基地名称", "负责人"], [1, "酉阳县", "某基地", "王"]]},
    )
    (base,) = read_roster(path, rules).bases
    assert (base.county, base.name, base.leader) == ("酉阳土家族苗族自治县", "某基地", "王")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["区县", "基地负责人姓名"], ["城口县", "王"]], "缺少“带动基地名称”列"),
        (
            [["区县", "带动基地名称"], ["涪陵区", "某基地"]],
            r"名单\.xlsx!名单!A2：区县“涪陵区”不是 14",
        ),
        (
            [
                ["区县", "带动基地名称"],
                ["城口县", "某 合作社（鸡鸣）"],
                ["城口县", "某合作社(鸡鸣)"],
            ],
            r"名单!B3：与 B2 是同一个基地",
        ),
        ([["区县", "带动基地名称"], ["城口县", ""], ["", "某基地"]], r"B2：带动基地名称未填写"),
        (
            [["区县", "带动基地名称", "创建基地类型"], ["城口县", "某基地", "合作社"]],
            r"C2：创建基地类型“合作社”应为",
        ),
        ([["姓名", "电话"], ["张三", "13800138000"]], "找不到表头"),
    ],
    ids=[
        "missing-column",
        "county-outside",
        "same-base-twice",
        "blank-cells",
        "bad-type",
        "no-header",
    ],
)
def test_a_bad_roster_is_one_chinese_error_naming_the_cell(tmp_path, rules, rows, expected):
    path = write_xlsx(tmp_path / "名单.xlsx", {"名单": rows})
    with pytest.raises(RosterError, match=expected) as caught:
        read_roster(path, rules)
    assert "13800138000" not in caught.value.message


def test_a_bad_roster_stops_the_cli_before_anything_is_written(demo_master, tmp_path, capsys):
    folder, _ = demo_master
    roster = roster_file(tmp_path / "名单.xlsx", [["涪陵区", "某基地"], ["城口县", "某基地"]])
    master, feedback = tmp_path / "汇总.xlsx", tmp_path / "退回"
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
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") >= 1 and "无法运行：名单" in err and "A2" in err and "涪陵区" in err
    assert not master.exists() and not feedback.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["名单.xlsx"]


def test_a_missing_roster_file_is_exit_2(demo_master, tmp_path, capsys):
    folder, _ = demo_master
    code = main(
        [
            "consolidate",
            str(folder),
            "-o",
            str(tmp_path / "汇总.xlsx"),
            "--roster",
            str(tmp_path / "没有.xlsx"),
        ]
    )
    assert code == 2 and "找不到名单文件" in capsys.readouterr().err
    assert not (tmp_path / "汇总.xlsx").exists()


def test_roster_template_command(tmp_path, capsys):
    out = tmp_path / "名单.xlsx"
    assert main(["roster", "template", "-o", str(out)]) == 0
    assert out.exists() and "已生成名单模板" in capsys.readouterr().out
    assert main(["roster", "template", "-o", str(tmp_path / "名单.csv")]) == 2


# ---------------------------------------------------------------- matching


def test_a_typo_in_the_roster_is_a_suggestion_not_a_match(demo_master, tmp_path, rules):
    folder, _ = demo_master
    bases = demo_bases(folder)
    typo = "示例·城口县刺秀家庭工坊"  # 刺绣 → 刺秀
    rows = [
        [c, typo if n == "示例·城口县刺绣家庭工坊" else n, t, "", tw, "", ""]
        for c, n, t, tw in bases
    ]
    result = jinguo_xl.consolidate([folder], roster=roster_file(tmp_path / "名单.xlsx", rows))
    frame = result.roster()
    by_name = {r["带动基地名称"]: r for _, r in frame.iterrows()}
    assert by_name[typo]["报送情况"] == "未报送"
    assert "可能已以“示例·城口县刺绣家庭工坊”报送" in by_name[typo]["说明"]
    sent = by_name["示例·城口县刺绣家庭工坊"]
    assert sent["报送情况"] == "名单外"
    assert f"可能是名单中的“{typo}”" in sent["说明"]
    assert (frame["报送情况"] == "已报送").sum() == len(bases) - 1


def test_width_spaces_and_punctuation_do_not_matter(demo_master, tmp_path):
    folder, _ = demo_master
    bases = demo_bases(folder)
    # "示例·城口县…" typed as "示例 城口县…" with full-width letters and no middle dot
    rows = [[c, n.replace("·", " ").replace("示例", "示例　"), t] for c, n, t, _ in bases]
    result = jinguo_xl.consolidate([folder], roster=roster_file(tmp_path / "名单.xlsx", rows))
    assert set(result.roster()["报送情况"]) == {"已报送"}


def test_a_base_sent_again_is_corrected_with_its_versions(demo_master, tmp_path):
    folder, _ = demo_master
    copy = tmp_path / "区县报送"
    shutil.copytree(folder, copy)
    source = next(copy.glob("城口县/示例_城口县刺绣家庭工坊.xlsx"))
    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == "2020-08-31" or str(cell.value).startswith("2020-08-31"):
                    cell.value = "2020-09-15"
    wb.save(source.with_name("示例_城口县刺绣家庭工坊（更正）.xlsx"))
    bases = demo_bases(folder)
    roster = roster_file(tmp_path / "名单.xlsx", [[c, n, t] for c, n, t, _ in bases])
    frame = jinguo_xl.consolidate([copy], roster=roster).roster()
    row = frame[frame["带动基地名称"] == "示例·城口县刺绣家庭工坊"].iloc[0]
    assert row["报送情况"] == "已更正" and row["份数"] == 2
    assert row["说明"].startswith("共 2 份，以 ") and "未计入：" in row["说明"]
    master = tmp_path / "汇总.xlsx"
    assert main(["consolidate", str(copy), "-o", str(master), "--roster", str(roster)]) in (0, 1)
    header, rows, headline = _county_table(master)
    total = dict(zip(header, rows[-1], strict=True))
    assert total["数据行"] == headline["其中计入汇总的基地"] < headline["数据行（读取）"]
    assert total["已报"] == len(bases) and total["未报"] == 0


# ---------------------------------------------------------------- the master


def test_roster_sheet_follows_the_summary(demo_roster):
    names = openpyxl.load_workbook(demo_roster["master"], read_only=True).sheetnames
    assert names[:3] == ["汇总", ROSTER_SHEET, "基地"]


def test_roster_sheet_shows_two_missing_and_one_unlisted(demo_roster):
    grid = _sheet(demo_roster["master"], ROSTER_SHEET)
    head = grid.index(headers(ROSTER_COLUMNS) + [None] * (len(grid[0]) - len(ROSTER_COLUMNS)))
    rows = [r for r in grid[head + 1 :] if r[0]]
    state = index_of(ROSTER_COLUMNS, "state")
    name = index_of(ROSTER_COLUMNS, "name")
    states = [r[state] for r in rows]
    sent = len(demo_roster["bases"])
    assert states.count("已报送") == sent - 1
    assert states.count("未报送") == 2 and states.count("名单外") == 1
    assert {(r[0], r[name]) for r in rows if r[state] == "未报送"} == set(NEVER_SENT)
    (unlisted,) = [r for r in rows if r[state] == "名单外"]
    assert unlisted[name] == OMITTED and unlisted[0] == "黔江区"
    assert rows[-1] == unlisted  # 名单外 after every roster base
    reported = next(
        r for r in rows if r[state] == "已报送" and r[name] == "示例·奉节脐橙电商家庭工坊"
    )
    assert reported[index_of(ROSTER_COLUMNS, "file")].endswith("示例_奉节脐橙电商家庭工坊.xlsx")
    assert reported[index_of(ROSTER_COLUMNS, "fill_date")].date().isoformat() == "2020-08-31"
    assert reported[index_of(ROSTER_COLUMNS, "rows")] == 18
    assert reported[index_of(ROSTER_COLUMNS, "status")] == "未达标"
    # the per-county table above: 应报 / 已报 / 其中已更正 / 未报 / 名单外, then 全市合计
    counties = {r[0]: r[1:6] for r in grid[3:head] if r[0]}
    assert counties["巫山县"] == [1, 0, 0, 1, 0]
    assert counties["黔江区"] == [1, 1, 0, 0, 1]
    assert counties["全市合计"] == [sent + 1, sent - 1, 0, 2, 1]


def test_the_api_roster_is_the_sheet_and_the_json_has_it(demo_roster):
    answer = demo_roster["json"]["roster"]
    sent = len(demo_roster["bases"])
    assert (answer["expected"], answer["reported"], answer["missing"], answer["unlisted"]) == (
        sent + 1,
        sent - 1,
        2,
        1,
    )
    assert answer["counties"]["万州区"] == {
        "expected": 1,
        "reported": 0,
        "corrected": 0,
        "missing": 1,
        "unlisted": 0,
    }
    frame = jinguo_xl.consolidate([demo_roster["folder"]], roster=demo_roster["roster"]).roster()
    grid = _sheet(demo_roster["master"], ROSTER_SHEET)
    head = next(
        i for i, r in enumerate(grid) if r[: len(ROSTER_COLUMNS)] == headers(ROSTER_COLUMNS)
    )
    sheet_names = [r[1] for r in grid[head + 1 :] if r[0]]
    assert list(frame[header_of(ROSTER_COLUMNS, "name")]) == sheet_names
    assert [b["name"] for b in answer["bases"]] == sheet_names


def test_consolidated_without_a_roster_has_no_roster_table(demo_master):
    with pytest.raises(ValueError, match="没有给出名单"):
        jinguo_xl.consolidate([demo_master[0]]).roster()


def _county_table(master: Path) -> tuple[list[object], list[list[object]], dict[str, object]]:
    grid = _sheet(master, "汇总")
    top = next(i for i, r in enumerate(grid) if r[0] == "按区县") + 1
    # headers printed over two lines (名单 / 状态) read as one
    header = [h.replace("\n", "") if isinstance(h, str) else h for h in grid[top]]
    end = next(i for i in range(top + 1, len(grid)) if grid[i][0] == "全市合计")
    headline = {r[0]: r[2] for r in grid[2:top] if r[0]}
    return header, grid[top + 1 : end + 1], headline


def test_page_one_lists_every_county_and_a_total_equal_to_the_headline(demo_roster, rules):
    header, rows, headline = _county_table(demo_roster["master"])
    names = [r[0] for r in rows]
    assert names[: len(rules.counties)] == [c.name for c in rules.counties]
    assert names[-1] == "全市合计" and len(names) == len(rules.counties) + 1
    assert header[2:5] == ["应报", "已报", "未报"]
    total = dict(zip(header, rows[-1], strict=False))
    assert total["基地数"] == headline["基地数（计入汇总）"]
    assert total["达标"] == headline["其中达标"] and total["未达标"] == headline["其中未达标"]
    assert total["数据行"] == headline["数据行（读取）"]
    assert total["培训人次"] == headline["培训人次（计入目标的妇女）"]
    assert total["带动就业"] == headline["带动就业（人）"]
    assert total["销售/收入（万元）"] == pytest.approx(headline["销售/收入合计（万元）"])
    assert total["其中贫困妇女（万元）"] == pytest.approx(headline["其中贫困妇女（万元）"])
    assert (total["应报"], total["已报"], total["未报"]) == (
        len(demo_roster["bases"]) + 1,
        len(demo_roster["bases"]) - 1,
        2,
    )
    for c in range(2, len(header)):  # each column of the total is the sum of the counties
        assert rows[-1][c] == pytest.approx(sum(r[c] for r in rows[:-1])), header[c]


def test_page_one_without_a_roster_shows_counties_that_sent_nothing(demo_master, rules):
    header, rows, headline = _county_table(demo_master[1])
    assert header[2] == "报送情况"
    by_name = {r[0]: r for r in rows}
    assert [r[0] for r in rows[: len(rules.counties)]] == [c.name for c in rules.counties]
    silent = [n for n, r in by_name.items() if r[2] == "未报送"]
    assert sorted(silent) == sorted(
        ["巫山县", "万州区", "武隆区", "丰都县", "秀山土家族苗族自治县"]
    )
    assert by_name["全市合计"][3] == headline["基地数（计入汇总）"] == 14


def test_a_township_with_only_an_unfilled_base_is_not_covered(demo_master, rules):
    grid = _sheet(demo_master[1], "深度贫困乡镇")
    covered = grid[0].index("是否覆盖")
    by_township = {r[1]: r[covered] for r in grid[1:] if r[1]}
    assert by_township["泥溪镇"] == "有基地但未填报"  # 云阳县's demo base filled no table
    assert by_township["鸡鸣乡"] == "已覆盖" and by_township["龙驹镇"] == "未覆盖"
    _, _, headline = _county_table(demo_master[1])
    done = sum(v == "已覆盖" for v in by_township.values())
    assert headline["深度贫困乡镇已覆盖"].startswith(f"{done}/{len(rules.townships)}")
    result = jinguo_xl.consolidate([demo_master[0]])
    yunyang = next(t for t in result.consolidation.townships if t.township.name == "泥溪镇")
    assert yunyang.bases == 1 and not yunyang.covered

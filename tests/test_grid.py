"""Finding the 统计表 in sheet grids: captions, header rows by label, base fields, form rows."""

from __future__ import annotations

from jinguo_xl.read.grid import parse_grids
from jinguo_xl.read.ledger import RawRow, RawTable
from tests.conftest import HEADERS, TWO_ROW_HEADER, base_line, people, stacked


def _codes(ledger):
    return [(f.sheet, f.cell, f.code) for f in ledger.findings]


def test_stacked_sample_finds_each_table_under_its_caption(rules):
    grid = stacked(
        base_line(),
        {
            "手工制作": people(3),
            "家政服务": people(2, extra=["是", "是"]),
            "农村电商": [],
        },
    )
    ledger = parse_grids([("Sheet1", grid)], rules)
    found = {t.industry: len(t.rows) for t in ledger.tables}
    assert found == {"手工制作": 3, "家政服务": 2, "农村电商": 0}
    assert ledger.fields["name"].raw == "示例合作社"
    assert ledger.fields["type"].raw == "巾帼扶贫车间"
    assert ledger.fields["leader"].raw == "王经理"
    assert ledger.fields["name"].cell == "A2"


def test_rows_keep_their_excel_row_and_header_mapping(rules):
    grid = stacked(base_line(), {"手工制作": people(2)})
    ledger = parse_grids([("统计表", grid)], rules)
    table = ledger.tables[0]
    # title, base line, caption, header, 4 legend rows → first data row is Excel row 9
    assert [r.excel_row for r in table.rows] == [9, 10]
    assert table.rows[0].cell("phone") == "D9"
    assert table.cols["income"] == 6
    assert table.headers["name"] == "带动 妇女姓名"


def test_legend_rows_are_form_not_data_and_are_reported_once(rules):
    grid = stacked(base_line(), {"手工制作": people(1)})
    ledger = parse_grids([("统计表", grid)], rules)
    legend = [f for f in ledger.findings if f.code == "legend-rows-skipped"]
    assert len(legend) == 1 and legend[0].cell == "H5"
    assert "第 5–8 行" in legend[0].message


def test_legend_typed_across_one_row_is_skipped(rules):
    header = HEADERS["农村电商"]
    legend = [None] * 8 + ["未脱贫妇女", "贫困妇女", "留守妇女", "普通妇女"]
    grid = [[base_line(kind="巾帼脱贫基地")], ["农村电商带动统计表："], header, legend, *people(2)]
    ledger = parse_grids([("s", grid)], rules)
    assert len(ledger.tables[0].rows) == 2


def test_header_found_by_label_when_shifted_and_reordered(rules):
    header = [
        "备注",
        "妇女类型",
        "联系电话",
        "带动妇女姓名",
        "家庭住址",
        "培训内容",
        "培训时间",
        "产品收入(万元)",
        "自加的列",
    ]
    row = ["", "贫困妇女", "13800130001", "张一", "青山村", "竹编", "2020-03-05", 1.2, "x"]
    grid = [
        [],
        [],
        [None, None, "带动基地名称：", "某社"],
        [],
        [None, None, *header],
        [None, None, *row],
    ]
    ledger = parse_grids([("手工制作", grid)], rules)
    table = ledger.tables[0]
    assert table.industry == "手工制作"  # from the sheet name
    assert table.cols["name"] == 5 and table.cols["income"] == 9
    assert table.rows[0].values["phone"] == "13800130001"
    assert table.rows[0].cell("income") == "J6"
    assert ledger.fields["name"].raw == "某社"


def test_label_cell_and_value_cell_pairs(rules):
    info = [
        ["带动基地名称", "示例社"],
        ["创建基地类型：", "家庭工坊"],
        ["基地负责人姓名", None, "李某"],
        ["所属区县", "城口"],
        ["帮扶户数", 3],
        ["所在乡镇（街道）", "鸡鸣乡"],
    ]
    ledger = parse_grids([("基本信息", info)], rules)
    got = {k: v.raw for k, v in ledger.fields.items()}
    assert got == {
        "name": "示例社",
        "type": "家庭工坊",
        "leader": "李某",
        "county": "城口",
        "households": 3,
        "township": "鸡鸣乡",
    }
    assert ledger.fields["leader"].cell == "C3"


def test_blank_label_does_not_swallow_the_next_label(rules):
    grid = [["带动基地名称：", "创建基地类型：", "巾帼扶贫车间"]]
    ledger = parse_grids([("s", grid)], rules)
    assert (ledger.fields["name"].raw, ledger.fields["name"].cell) == (None, "A1")
    assert ledger.fields["type"].raw == "巾帼扶贫车间"


def test_industry_from_distinctive_columns_without_caption(rules):
    grid = [HEADERS["家政服务"], *people(2, extra=["是", "否"])]
    ledger = parse_grids([("Sheet1", grid)], rules)
    assert ledger.tables[0].industry == "家政服务"


def test_ambiguous_table_uses_declared_industry(rules):
    grid = [["帮扶产业", "加工制造"], HEADERS["加工制造"], *people(2, extra=[0.5])]
    ledger = parse_grids([("Sheet1", grid)], rules)
    assert ledger.tables[0].industry == "加工制造"


def test_ambiguous_table_without_declaration_is_a_finding(rules):
    grid = [HEADERS["加工制造"], *people(2, extra=[0.5])]
    ledger = parse_grids([("Sheet1", grid)], rules)
    assert ("Sheet1", "A1", "table-industry-unknown") in _codes(ledger)


def test_table_split_by_blank_rows_and_total_row(rules):
    rows = people(4)
    grid = [
        ["手工制作带动统计表："],
        HEADERS["手工制作"],
        rows[0],
        rows[1],
        [],
        [],
        rows[2],
        rows[3],
        ["合计", None, None, None, None, None, 3.0],
    ]
    ledger = parse_grids([("s", grid)], rules)
    assert len(ledger.tables[0].rows) == 4
    assert ("s", "B9", "total-row-skipped") in _codes(ledger)


def test_rows_with_only_a_serial_number_are_skipped(rules):
    grid = [["手工制作带动统计表："], HEADERS["手工制作"], *people(1), [2], [3], [4]]
    ledger = parse_grids([("s", grid)], rules)
    assert len(ledger.tables[0].rows) == 1
    assert any(f.code == "seq-only-rows-skipped" and "3 行" in f.message for f in ledger.findings)


def test_same_table_twice_is_joined_with_a_warning(rules):
    grid = [
        ["手工制作带动统计表："],
        HEADERS["手工制作"],
        *people(2),
        [],
        ["手工制作带动统计表："],
        HEADERS["手工制作"],
        *people(1, prefix="李"),
    ]
    ledger = parse_grids([("s", grid)], rules)
    assert len(ledger.tables) == 1 and len(ledger.tables[0].rows) == 3
    assert ("s", "A7", "table-duplicate") in _codes(ledger)


def test_conflicting_base_fields_keep_the_first(rules):
    sheets = [("a", [["带动基地名称：甲合作社"]]), ("b", [["带动基地名称", "乙合作社"]])]
    ledger = parse_grids(sheets, rules)
    assert ledger.fields["name"].raw == "甲合作社"
    assert ("b", "B1", "base-field-conflict") in _codes(ledger)


def test_duplicate_header_column_reads_first(rules):
    header = [*HEADERS["手工制作"], "联系电话"]
    grid = [["手工制作带动统计表："], header, *people(1)]
    ledger = parse_grids([("s", grid)], rules)
    assert ledger.tables[0].cols["phone"] == 3
    assert ("s", "J2", "column-duplicate") in _codes(ledger)


def test_two_row_header_with_merged_parent_cell(rules):
    top, sub = TWO_ROW_HEADER
    grid = [["手工制作带动统计表："], top, sub, *people(2, extra=[0.5])]
    ledger = parse_grids([("s", grid)], rules)
    (table,) = ledger.tables
    assert table.cols["train_date"] == 4 and table.cols["train_content"] == 5
    assert [r.excel_row for r in table.rows] == [4, 5]
    assert not [f for f in ledger.findings if f.code == "column-missing"]


def test_two_row_header_with_split_name_label(rules):
    top = [
        "序号",
        "带动",
        "家庭住址",
        "联系电话",
        "培训时间",
        "培训内容",
        "产品收入",
        "妇女类型",
        "备注",
    ]
    sub = [None, "妇女姓名", None, None, None, None, "（万元）", None, None]
    grid = [["手工制作带动统计表："], top, sub, *people(1, extra=[0.5])]
    (table,) = parse_grids([("s", grid)], rules).tables
    assert table.cols["name"] == 1 and len(table.rows) == 1


def test_header_lookups_belong_to_the_rules_they_were_built_from(rules):
    import dataclasses

    from jinguo_xl.read.grid import lookups_for

    name = rules.columns["name"]
    wider = dataclasses.replace(
        rules,
        columns={**rules.columns, "name": dataclasses.replace(name, aliases=("女工名字",))},
    )
    header = ["女工名字" if "姓名" in str(h) else h for h in HEADERS["手工制作"]]
    grid = [["手工制作带动统计表："], header, *people(2, extra=[0.5])]
    assert lookups_for(rules) is lookups_for(rules)
    assert [len(t.rows) for t in parse_grids([("s", grid)], rules).tables] == []
    assert [len(t.rows) for t in parse_grids([("s", grid)], wider).tables] == [2]
    assert [len(t.rows) for t in parse_grids([("s", grid)], rules).tables] == []


def test_a_header_without_序号_and_备注_fits_even_rules_that_require_them(rules):
    import dataclasses

    from jinguo_xl.read.grid import fitting_industries

    spec = dataclasses.replace(rules.tables["手工制作"], optional=frozenset())
    strict = dataclasses.replace(rules, tables={**rules.tables, "手工制作": spec})
    keys = {"name", "address", "phone", "train_date", "train_content", "income", "women_type"}
    assert fitting_industries(keys, strict) == ("手工制作", "加工制造")
    assert fitting_industries(keys | {"qualified"}, strict) == ("家政服务",)


def test_rows_taken_by_column_read_like_rows_added_one_by_one():
    cols = {"seq": 0, "name": 1, "phone": 2}
    rows = [(1.0, "张三", "13800130001"), (2.0, "李四", None), (3.0, "王五", "13800130003")]
    taken = RawTable("手工制作", "表", 4, cols, {})
    taken.add("表", 5, dict(zip(cols, rows[0], strict=True)))
    taken.take("表", [6, 7], [list(col) for col in zip(*rows[1:], strict=True)])
    added = RawTable("手工制作", "表", 4, cols, {})
    for r, row in enumerate(rows, start=5):
        added.add("表", r, dict(zip(cols, row, strict=True)))
    assert len(taken.rows) == 3 and taken.rows
    assert taken.row_numbers() == [5, 6, 7] and taken.where(2) == ("表", 7, cols)
    typed = [dict(zip(cols, r, strict=True)) for r in rows]
    assert [taken.row_values(i) for i in range(3)] == typed
    assert taken.column("phone") == ["13800130001", None, "13800130003"]
    seen = [(r.sheet, r.excel_row, r.values, r.cell("phone")) for r in taken.rows]
    assert seen == [(r.sheet, r.excel_row, r.values, r.cell("phone")) for r in added.rows]
    taken.rows.append(RawRow("另表", 20, {"name": "赵六"}, {"name": 0}))
    assert len(taken.rows) == 4 and taken.rows[3].cell("name") == "A21"
    assert taken.column("name") == ["张三", "李四", "王五", "赵六"]  # the store is stale: by row


def test_a_sheet_of_plain_rows_hands_on_its_columns_distinct_values(rules):
    grid = [HEADERS["手工制作"], *people(5)]
    table = parse_grids([("手工制作", grid)], rules).tables[0]
    assert len(table.rows) == 5
    for key in table.cols:
        assert table.distinct(key) == set(table.column(key))
    table.add("手工制作", 9, dict.fromkeys(table.cols))
    assert table.distinct("name") is None  # another row: no longer known

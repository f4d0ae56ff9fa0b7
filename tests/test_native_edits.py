"""The template's own verdict after what clerks do to a workbook, edited and recalculated in
LibreOffice itself: rows deleted and inserted, unused sheets deleted, a row above the header, a
whole table pasted at A1, formulas showing "" below the last row, every spelling the CLI reads,
and a verdict typed over. Each named verdict must equal ``jinguo-xl check`` on the same file and
the check of a clean workbook holding the same honest data; no cell of 达标情况 is an error."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from jinguo_xl.findings import Code, cell_ref
from jinguo_xl.read.formulas import verdict_cells
from jinguo_xl.read.package import open_package
from jinguo_xl.run.files import check_file
from jinguo_xl.vocabulary.normalize import YES_WORDS
from jinguo_xl.writers import native
from jinguo_xl.writers.template import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    STATUS_SHEET,
    build_template,
    save_template,
)
from tests.conftest import type_base_info

soffice = shutil.which("soffice")
UNO_PYTHON = "/usr/bin/python3"
EDITOR = Path(__file__).with_name("uno_edits.py")
DATA_ROWS = 80  # pre-formatted rows per table in these copies: the formulas are the same
LAST = HEADER_ROW + DATA_ROWS
WORKSHOP = "巾帼扶贫车间"


def _uno_available() -> bool:
    if soffice is None or not Path(UNO_PYTHON).exists():
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _uno_available(), reason="LibreOffice with its Python bridge (python3-uno) not installed"
)


# ------------------------------------------------------------------ honest data


def _woman(i: int, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "name": f"冉{'玉秀春晓小丽芳敏静桂'[i % 10]}{'兰英梅燕红冬雪'[i // 10 % 7]}",
        "address": f"城口县鸡鸣乡青山村{i % 9 + 1}组{i}号",
        "phone": f"1380013{i:04d}",
        "train_date": "2020-03-05" if i % 2 else "2020-04-09",
        "train_content": "竹编技艺",
        "income": 0.5,
        "women_type": "贫困妇女",
    }
    row.update(over)
    return row


def _people(n: int, start: int = 0, **over: object) -> list[dict[str, object]]:
    return [_woman(i, **over) for i in range(start, start + n)]


def _yes_no_rows() -> list[dict[str, object]]:
    """家政服务 rows with every spelling of 是 the CLI reads (its own list, each also in
    full-width letters and digits, upper case, with no-break and full-width spaces around), a
    real TRUE, and spellings of 否 and one it cannot read."""
    yes: list[object] = ["是", True, 1, 1.0]
    for word in sorted(YES_WORDS):
        full = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in word)
        yes += [word, word.upper(), full, full.upper(), f"\u00a0{word}\u3000"]
    no: list[object] = ["否", "×", "N", "no", "０", False, "无", "待定", "", None]
    marks = yes + no
    rows = []
    for i, mark in enumerate(marks):
        rows.append({
            **_woman(i),
            "train_content": "家庭保洁",
            "qualified": marks[(i * 7) % len(marks)],
            "employed": mark,
        })
    return rows


def _money_rows() -> list[dict[str, object]]:
    """产品收入 in the spellings clerks type: full-width digits, 万/元/千元 texts, thousands
    separators, spaces, and amounts the CLI leaves out (a phone number, a word)."""
    amounts: list[object] = [
        "０.５", "０．５", "１５０００元", "0.5万元", "２千元", "1,500元", " 0.3 ", "０．５万",
        "\u00a00.2\u00a0", "1.5万", "5000元", "13800138000", "很多", 0.4, "0.1",
    ]
    return [_woman(i, income=amounts[i % len(amounts)]) for i in range(24)]


def _date_rows() -> list[dict[str, object]]:
    """A household workshop's sessions (counted per household, so every date counts) with the
    date spellings the CLI reads: full-width digits and dots, spaces, a time after the date."""
    dates = ["２０２０年３月５日", "2020．3．6", "2020年 3月 7日", "2020-03-08 10:00",
             "2020/3/9", "20200310", "2020.3.11-3.12", "2020年3月12号", " 2020-3-13　"]
    rows = []
    for i in range(36):
        rows.append(_woman(i % 4, train_date=dates[i % len(dates)],
                           train_content=["竹编", "刺绣"][i // 18], income=0.2))
    return rows


def _spaced_homes(*, honest: bool = False) -> list[dict[str, object]]:
    """Three households, each typed with different spaces inside its address (spec §4: one
    household); the honest copy types each the same way."""
    spellings = ["青山村 {n}组", "青山村  {n}组", "青山村\u3000{n} 组", "青山村{n}组\u00a0"]
    rows = []
    for i in range(24):
        home = (spellings[0] if honest else spellings[i % 4]).format(n=i % 3 + 1)
        rows.append(_woman(i, address=home, train_date=f"2020-03-{i % 6 + 1:02d}",
                           income=0.2))
    return rows


# ------------------------------------------------------------------ the cases


@dataclass
class Case:
    name: str
    tables: dict[str, list[dict[str, object]]]  # what the clerk typed before the edits
    honest: dict[str, list[dict[str, object]]] | None  # the same data in a clean workbook
    edits: list[dict[str, object]] = field(default_factory=list)
    base_type: str = WORKSHOP
    typed_over: tuple[str, ...] = ()  # verdict names typed over (the native value is the typing)
    # The table cannot be read (its header is gone): the formulas say 无法判定 in their own
    # words, the CLI in its own; the status must agree. None: no clean workbook to compare.
    unreadable: bool = False


def _table_rows(rules, industry: str, rows: list[dict[str, object]]) -> list[list[object]]:
    keys = rules.tables[industry].columns
    return [[row.get(k) for k in keys] for row in rows]


def _cases(rules) -> list[Case]:
    fifty = _people(50)
    dup = [*fifty[:20], dict(fifty[19]), *fifty[20:]]  # row 21 typed twice
    header = [rules.tables["手工制作"].header_of(k, rules.columns) for k in
              rules.tables["手工制作"].columns]
    pasted = _people(51)
    unused = [i for i in rules.industries if i != "手工制作"]
    nbsp = _people(52)
    for i in (3, 9, 15, 40):
        nbsp[i]["women_type"] = "贫困妇女\u00a0" if i % 2 else "\u00a0贫困妇女\u3000"
    thirty = _people(30)
    inside = _people(48)
    return [
        Case("delete-duplicate-row", {"手工制作": dup}, {"手工制作": fifty},
             [{"op": "delete_rows", "sheet": "手工制作", "row": FIRST_DATA_ROW + 20}]),
        Case("delete-unused-sheets", {"手工制作": _people(52)}, {"手工制作": _people(52)},
             [{"op": "remove_sheet", "sheet": s} for s in unused]),
        Case("delete-unused-table-rows", {"手工制作": _people(52)}, {"手工制作": _people(52)},
             [{"op": "delete_rows", "sheet": "家政服务", "row": FIRST_DATA_ROW,
               "count": DATA_ROWS},
              {"op": "delete_rows", "sheet": "手工制作", "row": FIRST_DATA_ROW + 52,
               "count": DATA_ROWS - 52}]),
        Case("insert-row-above-header", {"手工制作": _people(51)}, {"手工制作": _people(51)},
             [{"op": "insert_rows", "sheet": "手工制作", "row": HEADER_ROW},
              {"op": "values", "sheet": "手工制作", "cell": f"A{HEADER_ROW}",
               "rows": [["填报单位：示例合作社"]]}]),
        Case("paste-at-a1", {}, {"手工制作": pasted},
             [{"op": "unmerge", "sheet": "手工制作", "range": "A2:I2"},
              {"op": "unmerge", "sheet": "手工制作", "range": "A3:B3"},
              {"op": "values", "sheet": "手工制作", "cell": "A1", "clear": "A1:I80",
               "rows": [["手工制作带动统计表"], header,
                        *[[i + 1, *r[1:]] for i, r in
                          enumerate(_table_rows(rules, "手工制作", pasted))]]}]),
        Case("formulas-below-the-last-row", {"手工制作": _people(52)}, {"手工制作": _people(52)},
             [{"op": "formula", "sheet": "手工制作", "range": f"B{LAST + 1}:B{LAST + 40}",
               "formula": f'=IF(LEN(C{LAST + 1})=0;"";C{LAST + 1})'},
              {"op": "formula", "sheet": "手工制作", "range": f"A{LAST + 1}:A{LAST + 40}",
               "formula": f'=IF(B{LAST + 1}="";"";ROW()-4)'}]),
        Case("no-break-spaces-around-the-type", {"手工制作": nbsp}, {"手工制作": _people(52)}),
        Case("every-yes-spelling", {"家政服务": _yes_no_rows()}, {"家政服务": _yes_no_rows()}),
        Case("one-household-with-different-spaces", {"手工制作": _spaced_homes()},
             {"手工制作": _spaced_homes(honest=True)}, base_type="巾帼扶贫家庭工坊"),
        Case("every-date-spelling", {"手工制作": _date_rows()}, {"手工制作": _date_rows()},
             base_type="巾帼扶贫家庭工坊"),
        Case("full-width-and-unit-amounts", {"手工制作": _money_rows()},
             {"手工制作": _money_rows()}),
        Case("insert-and-delete-rows-inside", {"手工制作": inside},
             {"手工制作": [*inside[:10], *_people(2, 100), *inside[10:30], *inside[31:]]},
             [{"op": "delete_rows", "sheet": "手工制作", "row": FIRST_DATA_ROW + 30},
              {"op": "insert_rows", "sheet": "手工制作", "row": FIRST_DATA_ROW + 10, "count": 2},
              {"op": "values", "sheet": "手工制作", "cell": f"A{FIRST_DATA_ROW + 10}",
               "rows": _table_rows(rules, "手工制作", _people(2, 100))}]),
        Case("delete-the-header-row", {"手工制作": _people(52)}, None,
             [{"op": "delete_rows", "sheet": "手工制作", "row": HEADER_ROW}], unreadable=True),
        Case("delete-title-and-header", {"手工制作": _people(52)}, None,
             [{"op": "delete_rows", "sheet": "手工制作", "row": 1, "count": HEADER_ROW}],
             unreadable=True),
        Case("verdict-typed-over", {"手工制作": thirty}, {"手工制作": thirty},
             [{"op": "unprotect", "sheet": STATUS_SHEET},
              {"op": "values", "sheet": STATUS_SHEET, "cell": "C3", "rows": [["达标"]]}],
             typed_over=(native.BASE_VERDICT,)),
    ]


def _fill(rules, path: Path, tables: dict[str, list[dict[str, object]]], base_type: str) -> Path:
    wb = build_template(rules, DATA_ROWS)
    type_base_info(wb, {"带动基地名称": "示例·改动", "创建基地类型": base_type,
                        "基地负责人姓名": "王经理", "所属区县": "城口县"})
    for industry, rows in tables.items():
        ws = wb[industry]
        for i, values in enumerate(_table_rows(rules, industry, rows)):
            for j, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=FIRST_DATA_ROW + i, column=j, value=value)
    return save_template(wb, path)


def run_libreoffice(jobs: list[dict[str, object]], folder: Path) -> dict[str, float]:
    """All jobs in ONE LibreOffice: edits, recalculation, save; seconds per recalculation."""
    spec = folder / "jobs.json"
    spec.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [UNO_PYTHON, str(EDITOR), str(spec)], check=True, capture_output=True, text=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>.*?</f>)?<v>([^<]*)</v>',
    re.S,
)


def native_verdicts(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Every verdict name → what its cell shows in the recalculated file (an error value as
    itself: the cell reader gives errors as blanks), and the error cells of 达标情况."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        cells = verdict_cells(zf.read("xl/workbook.xml"))
    status_xml = open_package(data).sheet_xml()[STATUS_SHEET]
    errors = {m.group(1).decode(): m.group(2).decode() for m in _ERROR_CELL.finditer(status_xml)}
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name, (sheet, row, col) in cells.items():
        grid = book.get_sheet_by_name(sheet).to_python()
        out[name] = grid[row][col] if row < len(grid) and col < len(grid[row]) else ""
        if sheet == STATUS_SHEET and cell_ref(row, col) in errors:
            out[name] = errors[cell_ref(row, col)]
    return out, errors


@pytest.fixture(scope="module")
def edited(tmp_path_factory, rules):
    folder = tmp_path_factory.mktemp("edits")
    cases = _cases(rules)
    jobs = []
    for case in cases:
        src = _fill(rules, folder / f"{case.name}.xlsx", case.tables, case.base_type)
        jobs.append({"src": str(src), "dst": str(folder / f"{case.name}-改后.xlsx"),
                     "edits": case.edits})
    run_libreoffice(jobs, folder)
    out = {}
    for case, job in zip(cases, jobs, strict=True):
        dst = Path(str(job["dst"]))
        clean = None
        if case.honest is not None:
            clean = check_file(
                _fill(rules, folder / f"{case.name}-干净.xlsx", case.honest, case.base_type)
            )
        out[case.name] = (case, *native_verdicts(dst), check_file(dst), clean)
    return out


def test_every_case_runs_as_a_clerk_would_leave_it(edited):
    assert len(edited) == 15


def _compare(case: Case, named: dict[str, str], cli, clean) -> list[str]:
    want = {native.BASE_VERDICT: cli.reason}
    for result in cli.results:
        want[native.verdict_name(result.industry)] = result.reason
    problems = []
    if clean is not None and cli.reason != clean.reason:
        problems.append(f"命令行（改后）{cli.reason} ≠ 命令行（干净）{clean.reason}")
    for name, value in named.items():
        if name in case.typed_over:
            continue
        expected = want.get(name, "未填报：表中没有数据")
        if case.unreadable and f"工作表“{name.removeprefix('结论_')}”" in cli.reason:
            expected = cli.reason  # the CLI names the sheet it could not read
        if case.unreadable and expected.startswith("无法判定："):
            if not (value.startswith("无法判定：") and "找不到表头" in value):
                problems.append(f"{name}：表格公式 {value} 没有说找不到表头")
        elif value != expected:
            problems.append(f"{name}：表格公式 {value} ≠ 命令行 {expected}")
    return problems


def test_each_named_verdict_equals_the_cli_and_the_clean_workbook(edited):
    problems = []
    for name, (case, named, _errors, cli, clean) in edited.items():
        problems += [f"{name}: {p}" for p in _compare(case, named, cli, clean)]
        assert named, name
    assert not problems, "\n".join(problems)


def test_the_cases_decide_something(edited):
    reasons = {name: cli.reason for name, (_, _, _, cli, _) in edited.items()}
    assert reasons["delete-duplicate-row"] == "达标：培训人次 50/50，带动就业 50/20"
    assert reasons["paste-at-a1"].startswith("达标：培训人次 51/50")
    assert reasons["verdict-typed-over"].startswith("未达标：培训人次 30/50")
    assert reasons["delete-the-header-row"].startswith("无法判定：")
    assert reasons["delete-title-and-header"].startswith("无法判定：")
    assert len({r.split("：")[0] for r in reasons.values()}) >= 2


def test_error_cells_are_seen_as_libreoffice_writes_them():
    xml = (
        b'<row r="7"><c r="B7" s="3" t="e"><f aca="false">SUM(\xe8\xae\xa1!$AE$5:$AE$84)</f>'
        b'<v>#REF!</v></c><c r="C7" s="19" t="str"><f aca="false">1</f><v>x</v></c>'
        b'<c r="D7" t="e"><v>#VALUE!</v></c></row>'
    )
    assert [m.groups() for m in _ERROR_CELL.finditer(xml)] == [
        (b"B7", b"#REF!"), (b"D7", b"#VALUE!")
    ]


def test_no_cell_of_the_status_sheet_is_an_error(edited):
    for name, (_, _, errors, _, _) in edited.items():
        assert errors == {}, name


def test_a_verdict_typed_over_is_flagged_and_only_then(edited):
    for name, (case, named, _, cli, _) in edited.items():
        flagged = [f for f in cli.findings if f.code is Code.VERDICT_TYPED_OVER]
        if case.typed_over:
            assert [f.cell for f in flagged] == ["C3"] and named[native.BASE_VERDICT] == "达标"
            assert flagged[0].sheet == STATUS_SHEET and "基地结论" in flagged[0].message
            assert cli.status == "未达标"
        else:
            assert flagged == [], name


def test_the_working_sheets_stay_protected_without_a_password_through_libreoffice(edited):
    for name, (case, _named, _errors, cli, _clean) in edited.items():
        package = open_package(Path(cli.path).read_bytes())
        sheets = package.sheet_xml()
        for sheet in (STATUS_SHEET, native.HELPER_SHEET):
            protection = re.search(rb"<sheetProtection\b[^>]*>", sheets[sheet])
            if case.typed_over and sheet == STATUS_SHEET:
                assert protection is None, name  # the clerk lifted it to type over the verdict
                continue
            assert protection is not None, (name, sheet)
            assert b"password" not in protection.group(0).lower(), (name, sheet)

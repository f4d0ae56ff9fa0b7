"""Damaged workbooks: whatever the bytes, the engine answers with findings or a clean error."""

from __future__ import annotations

import json
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from jinguo_xl.demo import write_demo
from jinguo_xl.run.files import check_file


@pytest.fixture(scope="module")
def valid_workbooks(tmp_path_factory, rules) -> list[Path]:
    folder = tmp_path_factory.mktemp("valid")
    files = write_demo(folder, rules)
    return [files[0], files[1]]  # one stacked 样表, one sheet per industry


def _assert_clean(path: Path) -> None:
    report = check_file(path)  # must not raise
    if not report.ok:
        assert report.error and "Traceback" not in report.error
        assert any("\u4e00" <= ch <= "\u9fff" for ch in report.error)


@pytest.mark.parametrize("seed", range(60))
def test_flipped_bytes_in_the_file(tmp_path, valid_workbooks, seed):
    rng = random.Random(seed)
    data = bytearray(valid_workbooks[seed % 2].read_bytes())
    for _ in range(rng.randint(1, 30)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    _assert_clean(path)


@pytest.mark.parametrize("seed", range(60))
def test_flipped_bytes_inside_the_sheet_xml(tmp_path, valid_workbooks, seed):
    """Damage behind a valid zip: the XML parser and the grid reader see the garbage."""
    rng = random.Random(1000 + seed)
    src = valid_workbooks[seed % 2]
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = bytearray(zin.read(item))
            if item.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                for _ in range(rng.randint(1, 10)):
                    data[rng.randrange(len(data))] = rng.randrange(32, 127)
            zout.writestr(item, bytes(data))
    _assert_clean(path)


_PLACEHOLDER = 987654.125


@pytest.mark.parametrize("huge", [1e26, "1E+400", "NaN", "1E+26", "Infinity"])
def test_huge_or_non_finite_numbers_are_findings(tmp_path, capsys, huge):
    """1E+26, inf or NaN in any numeric cell: error findings, text output and valid JSON."""
    from jinguo_xl.cli import main
    from tests.conftest import base_line, people, stacked, write_xlsx

    as_xml = huge in ("1E+400", "NaN")  # numbers openpyxl cannot write: patched into the XML
    typed, huge = huge, (_PLACEHOLDER if as_xml else huge)
    rows = people(3, extra=[0.5])
    rows[0][0] = huge  # 序号
    rows[0][3] = huge  # 联系电话
    rows[1][4] = huge  # 培训时间
    rows[1][6] = huge  # 产品收入
    rows[2][6] = huge
    rows[2][7] = huge  # 妇女类型
    grid = stacked(base_line(kind="巾帼扶贫家庭工坊"), {"手工制作": rows})
    grid[2:2] = [["帮扶户数：", huge], ["统计年度：", huge]]
    path = write_xlsx(tmp_path / "城口县" / "x.xlsx", {"s": grid})
    if as_xml:
        _patch_numbers(path, str(_PLACEHOLDER), typed)
    report = check_file(path)
    codes = {f.code for f in report.findings if f.severity == "error"}
    assert {"phone-invalid", "date-invalid", "money-invalid", "women-type-invalid"} <= codes
    assert table_money(report) == Decimal("0.5")  # only the readable amount counts
    assert main(["check", str(path)]) == 1
    assert main(["check", str(path), "--json"]) == 1
    out = capsys.readouterr().out
    payload = json.loads(out[out.index("{") :], parse_constant=_reject)
    assert payload is not None and "Traceback" not in out


def _reject(name: str) -> None:
    raise AssertionError(f"JSON has {name}")


def table_money(report) -> Decimal:
    (result,) = [r for r in report.results if r.rows]
    return result.metrics.sales_wan_all


def _patch_numbers(path: Path, old: str, new: str) -> None:
    parts = {}
    with zipfile.ZipFile(path) as z:
        for item in z.infolist():
            data = z.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
            parts[item.filename] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)

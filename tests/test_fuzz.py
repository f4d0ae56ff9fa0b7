"""Damaged workbooks: whatever the bytes, the engine answers with findings or a clean error."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from jinguo_xl.demo import write_demo
from jinguo_xl.engine import check_file


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

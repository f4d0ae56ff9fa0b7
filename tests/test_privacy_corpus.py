"""The privacy corpus end to end: hostile and ordinary workbooks through ``mask``,
``consolidate --mask`` and ``scan``, checked by the independent scan of every part."""

from __future__ import annotations

from pathlib import Path

import pytest

from jinguo_xl.cli import main
from tests.privacy_corpus import clerk_workbook, hostile_workbook, independent_leaks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A county folder whose own name and file names carry phones, as clerks name them."""
    folder = tmp_path_factory.mktemp("corpus") / "城口县联系人13800138140"
    for i in range(3):
        clerk_workbook(folder / f"基地{i}电话1380013815{i}.xlsx", start_phone=100 * i,
                       name=f"合作社{i}")
    hostile_workbook(folder / "填报人13800138160.xlsx")
    return folder


def test_the_unmasked_corpus_is_full_of_personal_data(corpus):
    for path in sorted(corpus.glob("*.xlsx")):
        assert independent_leaks(path), path.name


def test_every_masked_copy_is_clean_by_both_scans(corpus, tmp_path, capsys):
    copies = []
    for path in sorted(corpus.glob("*.xlsx")):
        copy = tmp_path / f"副本{len(copies)}.xlsx"
        assert main(["mask", str(path), "-o", str(copy)]) == 0
        assert independent_leaks(copy) == [], path.name
        copies.append(copy)
    capsys.readouterr()
    assert main(["scan", *map(str, copies)]) == 0
    assert f"共检查 {len(copies)} 个文件：0 个含个人信息" in capsys.readouterr().out


def test_the_masked_master_is_clean_and_the_plain_one_is_not(corpus, tmp_path, capsys):
    plain, masked = tmp_path / "汇总.xlsx", tmp_path / "汇总脱敏.xlsx"
    assert main(["consolidate", str(corpus), "-o", str(plain)]) in (0, 1)
    assert main(["consolidate", str(corpus), "-o", str(masked), "--mask"]) in (0, 1)
    leaks = independent_leaks(plain)
    assert ("xl/sharedStrings.xml", "13800138140") in {(p, w) for p, w in leaks} or any(
        "13800138140" in what for _, what in leaks
    )
    assert independent_leaks(masked) == []
    capsys.readouterr()
    assert main(["scan", str(plain)]) == 1
    assert main(["scan", str(masked)]) == 0


def test_a_masked_master_the_leak_scan_rejects_replaces_nothing(corpus, tmp_path, monkeypatch,
                                                                 capsys):
    """With the part-by-part masking switched off, phones in file names stay in 基地 and 说明:
    the scan refuses the master, the old one stays and no temporary file is left."""
    import jinguo_xl.writers.masked as masked
    from jinguo_xl.privacy.parts import Scrubbed

    out = tmp_path / "汇总脱敏.xlsx"
    out.write_bytes(b"old master")
    monkeypatch.setattr(masked, "scrub", lambda data: Scrubbed(data, {}, []))
    assert main(["consolidate", str(corpus), "-o", str(out), "--mask"]) == 2
    err = capsys.readouterr().err
    assert "脱敏后在工作表" in err and "未写出脱敏文件" in err
    assert out.read_bytes() == b"old master"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总脱敏.xlsx"]

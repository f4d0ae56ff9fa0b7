"""Reading many inputs: the parallel path gives what the serial path gives, failures listed."""

from __future__ import annotations

import pickle

from jinguo_xl.demo import write_demo
from jinguo_xl.run import batch
from jinguo_xl.run.files import check_file, iter_workbooks


def test_parallel_and_serial_reading_agree(tmp_path, rules, monkeypatch):
    write_demo(tmp_path, rules)
    (tmp_path / "坏.xlsx").write_bytes(b"garbage")
    files = list(iter_workbooks([tmp_path]))
    seen: list[tuple[int, int]] = []
    serial = batch.load_all(files, rules.year, workers=1, progress=lambda d, t: seen.append((d, t)))
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    parallel = batch.load_all(files, rules.year, workers=2)
    assert [(i.file, i.kind, i.rows) for i, _, _ in serial] == [
        (i.file, i.kind, i.rows) for i, _, _ in parallel
    ]
    assert [r.reason for _, rs, _ in serial for r in rs] == [
        r.reason for _, rs, _ in parallel for r in rs
    ]
    assert seen[-1] == (len(files), len(files))
    assert sum(i.kind == "unreadable" for i, _, _ in serial) == 1


def test_reports_cross_process_boundaries(tmp_path, rules):
    (path,) = write_demo(tmp_path, rules)[:1]
    report = check_file(path, rules=rules)
    again = pickle.loads(pickle.dumps(report))
    assert again.reason == report.reason and again.rows_read == report.rows_read


def test_names_that_are_not_utf8_are_read_reported_and_written_safely(tmp_path, rules, capsys):
    """A folder copied from a Windows share keeps its GBK bytes: the workbooks inside are read
    as they would be anywhere, and the bytes are shown as \\xb3\\xc7 in every output."""
    import json
    import os

    import openpyxl

    from jinguo_xl.cli import main
    from tests.conftest import base_line, people, stacked, write_xlsx

    county = tmp_path / "区县" / os.fsdecode("城口县".encode("gbk"))
    grid = stacked(base_line(), {"手工制作": people(3, extra=[0.5])})
    odd = write_xlsx(county / os.fsdecode("合作社".encode("gbk") + b".xlsx"), {"统计表": grid})
    other = stacked(base_line("另一合作社"), {"手工制作": people(4, extra=[0.5])})
    write_xlsx(county / "正常.xlsx", {"统计表": other})  # other bytes: another submission
    shown = batch.printable_name(os.fsdecode(odd))
    assert "\\xba\\xcf" in shown and shown.encode("utf-8")

    assert main(["check", "--json", str(tmp_path / "区县")]) in (0, 1)
    checked = json.loads(capsys.readouterr().out)["files"]
    assert [f["ok"] for f in checked] == [True, True]
    assert {f["base"]["county"] for f in checked} == {"城口县"}
    assert any(f["file"].endswith("\\xba\\xcf\\xd7\\xf7\\xc9\\xe7.xlsx") for f in checked)

    out = tmp_path / os.fsdecode("汇总".encode("gbk") + b".xlsx")
    assert main(["consolidate", str(tmp_path / "区县"), "-o", str(out), "--json"]) in (0, 1)
    summary = json.loads(capsys.readouterr().out)
    assert summary["files_read"] == 2 and not summary["files_failed"]
    assert "\\xbb\\xe3\\xd7\\xdc" in summary["master"]
    listed = [
        row[0]
        for row in openpyxl.load_workbook(out, read_only=True)["说明"].iter_rows(values_only=True)
        if row and isinstance(row[0], str) and row[0].endswith(".xlsx")
    ]
    assert sorted(name.rsplit("/", 1)[-1] for name in listed) == [
        "\\xba\\xcf\\xd7\\xf7\\xc9\\xe7.xlsx",
        "正常.xlsx",
    ]

"""Reading many inputs: the parallel path gives what the serial path gives, failures listed."""

from __future__ import annotations

import pickle

from jinguo_xl import batch
from jinguo_xl.demo import write_demo
from jinguo_xl.engine import check_file, iter_workbooks


def test_parallel_and_serial_reading_agree(tmp_path, rules, monkeypatch):
    write_demo(tmp_path, rules)
    (tmp_path / "坏.xlsx").write_bytes(b"garbage")
    files = list(iter_workbooks([tmp_path]))
    seen: list[tuple[int, int]] = []
    serial = batch.load_all(files, rules.year, workers=1, progress=lambda d, t: seen.append((d, t)))
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    parallel = batch.load_all(files, rules.year, workers=2)
    assert [(i.file, i.kind, i.rows) for i, _ in serial] == [
        (i.file, i.kind, i.rows) for i, _ in parallel
    ]
    assert [r.reason for _, rs in serial for r in rs] == [
        r.reason for _, rs in parallel for r in rs
    ]
    assert seen[-1] == (len(files), len(files))
    assert sum(i.kind == "unreadable" for i, _ in serial) == 1


def test_reports_cross_process_boundaries(tmp_path, rules):
    (path,) = write_demo(tmp_path, rules)[:1]
    report = check_file(path, rules=rules)
    again = pickle.loads(pickle.dumps(report))
    assert again.reason == report.reason and again.rows_read == report.rows_read

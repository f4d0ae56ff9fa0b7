"""The benchmark script runs end to end on tiny corpora (figures are not asserted: no timing
assertions in tests; the script itself compares against baselines measured in the same run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_quick_benchmark_prints_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=tmp_path,
    )
    for label in (
        "读取阶段",
        "calamine",
        "解压",
        "写出",
        "JINGUO_CHECK",
        "JINGUO_STATUS",
        "UDF 模块冷启动导入",
        "小工作簿",
    ):
        assert label in result.stdout, label
    rows = json.loads(out.read_text(encoding="utf-8"))
    read = next(r for r in rows if r["name"].startswith("读取阶段（"))
    assert read["seconds"] > 0 and read["baseline_seconds"] > 0 and read["ratio"] > 0
    assert not list(tmp_path.glob("jinguo-bench-*"))

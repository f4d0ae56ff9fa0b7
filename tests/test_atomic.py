"""Write-then-rename: temporary files per run, only stale ones removed, the old file kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from jinguo_xl.writers.atomic import atomic_path, pid_alive, remove_stale, temp_prefix
from tests.conftest import base_line, people, stacked, write_xlsx


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporary_names_carry_the_owner_process(tmp_path):
    target = tmp_path / "汇总.xlsx"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.name.startswith(f".汇总.~{os.getpid()}.")
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]
    assert temp_prefix(target) == f".汇总.~{os.getpid()}."


def test_only_files_of_processes_that_are_gone_are_removed(tmp_path):
    target = tmp_path / "汇总.xlsx"
    dead = _dead_pid()
    assert not pid_alive(dead) and pid_alive(os.getppid())
    stale = tmp_path / f".汇总.~{dead}.abc.xlsx"
    stale_rows = tmp_path / f".汇总.~{dead}.rows.def.xlsx"
    running = tmp_path / f".汇总.~{os.getppid()}.ghi.xlsx"  # another run, still writing
    other_master = tmp_path / f".县汇总.~{dead}.jkl.xlsx"  # not this target's
    for p in (stale, stale_rows, running, other_master):
        p.write_bytes(b"rows with personal data")
    assert sorted(remove_stale(target)) == sorted([stale, stale_rows])
    assert running.exists() and other_master.exists()


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_two_consolidations_writing_the_same_master_at_once_both_succeed(tmp_path):
    """The first run pauses in the middle of writing (its row files on disk) while a second run
    writes the same master from start to end; then the first finishes. Both succeed."""
    folder = tmp_path / "城口县"
    for name in ("甲合作社", "乙合作社"):
        grid = stacked(base_line(name), {"手工制作": people(4, extra=[0.5])})
        write_xlsx(folder / f"{name}.xlsx", {"统计表": grid})
    out = tmp_path / "汇总.xlsx"
    script = (
        "import time\n"
        "import jinguo_xl.writers.master as m\n"
        "ranking = m._ranking\n"
        "def slow(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(3); return ranking(*a, **k)\n"
        "m._ranking = slow\n"
        "from jinguo_xl.cli import main\n"
        f"raise SystemExit(main(['consolidate', {str(folder)!r}, '-o', {str(out)!r}, '--json']))\n"
    )
    first = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert first.stdout.readline().strip() == "writing"
    mine = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".汇总.~{first.pid}.")]
    assert len(mine) >= 2  # the master's temporary file and the rows of 妇女明细
    second = subprocess.run(
        [sys.executable, "-m", "jinguo_xl", "consolidate", str(folder), "-o", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert all((tmp_path / name).exists() for name in mine)  # the running one's were left alone
    rest, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert json.loads(rest)["rows_in_master"] == 8
    assert openpyxl.load_workbook(out)["妇女明细"].max_row == 9
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["汇总.xlsx", "城口县"])


def test_save_atomic_names_its_file_like_the_target(tmp_path):
    from jinguo_xl.writers.atomic import save_atomic

    seen: list[Path] = []
    save_atomic(tmp_path / "模板.xlsx", lambda tmp: (seen.append(tmp), tmp.write_bytes(b"x")))
    assert seen[0].name.startswith(f".模板.~{os.getpid()}.")
    assert (tmp_path / "模板.xlsx").read_bytes() == b"x"

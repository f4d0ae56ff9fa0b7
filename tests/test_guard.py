"""The guarded pool: a job that crashes, panics, exhausts memory or hangs costs only itself."""

from __future__ import annotations

import os
import threading
import time

import pytest

from jinguo_xl.errors import READ_CRASHED, READ_MEMORY, READ_TIMEOUT
from jinguo_xl.read import guard


class FakePanic(BaseException):
    """Stands for pyo3's PanicException, which derives from BaseException."""


def _job(kind: str, value: int) -> object:
    if kind == "abort":
        os.abort()  # what Rust does when an allocation fails
    if kind == "exit":
        os._exit(3)
    if kind == "panic":
        raise FakePanic("called `Option::unwrap()` on a `None` value")
    if kind == "hog":
        return len(bytearray(4 * 1024 * 1024 * 1024))  # over the address-space limit
    if kind == "hang":
        time.sleep(60)
    if kind == "unpicklable":
        return threading.Lock()
    return value * 10


def _failed(job: tuple[str, int], reason: str) -> str:
    return f"{job[1]}:{reason}"


def _run(kinds: list[str], workers: int = 2, **kw) -> list[object]:
    jobs = [(kind, i) for i, kind in enumerate(kinds)]
    return guard.run_guarded(_job, jobs, _failed, workers=workers, **kw)


def test_every_failure_is_reported_in_order_and_the_other_jobs_go_on():
    kinds = ["ok", "abort", "ok", "panic", "exit", "ok", "unpicklable", "ok", "hog", "ok"]
    seen: list[tuple[int, int]] = []
    results = _run(kinds, progress=lambda done, total: seen.append((done, total)))
    assert results == [
        0,
        f"1:{READ_CRASHED}",
        20,
        f"3:{READ_CRASHED}",
        f"4:{READ_CRASHED}",
        50,
        f"6:{READ_CRASHED}",
        70,
        f"8:{READ_MEMORY}",
        90,
    ]
    assert seen == [(i, len(kinds)) for i in range(1, len(kinds) + 1)]


def test_a_hanging_job_is_stopped_at_its_time_limit():
    start = time.monotonic()
    results = _run(["hang", "ok", "ok", "hang", "ok"], time_limit=1.5)
    elapsed = time.monotonic() - start
    timeout = READ_TIMEOUT.format(seconds=1)
    assert results == [f"0:{timeout}", 10, 20, f"3:{timeout}", 40]
    assert elapsed < 30  # not the 60 s the jobs would sleep


def test_one_worker_survives_a_run_of_crashes():
    assert _run(["abort", "abort", "ok", "abort", "ok"], workers=1) == [
        f"0:{READ_CRASHED}",
        f"1:{READ_CRASHED}",
        20,
        f"3:{READ_CRASHED}",
        40,
    ]


def test_no_worker_outlives_the_run():
    import multiprocessing

    _run(["ok", "abort", "ok"])
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("workers", [1, 3])
def test_an_empty_batch_starts_nothing(workers):
    assert guard.run_guarded(_job, [], _failed, workers=workers) == []


def test_an_interrupt_in_the_parent_stops_every_worker():
    """Ctrl+C reaches the parent (workers ignore it): the run ends and no worker is left."""
    import multiprocessing

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(["ok", "ok", "hang", "hang", "ok"], progress=interrupt)
    assert multiprocessing.active_children() == []



_LIMIT_SEEN = """
import sys
from jinguo_xl.read import guard
from tests.test_guard import _limit_seen, _failed
grown = bytearray(int(sys.argv[1]) * 1024 * 1024)  # the parent has read large files already
(limit,) = guard.run_guarded(_limit_seen, [("ok", 0)], _failed, workers=1)
print(limit, guard.MEMORY_LIMIT, guard.WORKER_CEILING)
"""


def _limit_seen(_kind: str, _value: int) -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def _worker_limit(parent_mb: int) -> tuple[int, int, int]:
    """The address-space limit of a worker forked from a fresh parent that holds parent_mb."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", _LIMIT_SEEN, str(parent_mb)],
        cwd=root, capture_output=True, text=True, check=True,
    ).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="rlimits are POSIX")
def test_a_worker_forked_from_a_grown_parent_stays_under_the_ceiling():
    limit, _, ceiling = _worker_limit(400)
    assert limit == ceiling < 1024**3


@pytest.mark.skipif(not hasattr(os, "fork"), reason="rlimits are POSIX")
def test_a_worker_of_a_small_parent_may_grow_by_the_memory_limit():
    limit, memory, ceiling = _worker_limit(0)
    assert memory < limit <= ceiling

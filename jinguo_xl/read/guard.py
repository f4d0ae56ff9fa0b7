"""Reading files where one bad file cannot take the others down: a small pool of guarded workers.

The cell reader is native code. On some corrupt files it panics, asks for gigabytes (a looping
sector chain in an old .xls) or aborts the whole process; no ``try`` in Python can stop an
abort. So every file of ``check`` and ``consolidate`` is read in a worker process that has an
address-space limit and a time limit per file. A worker that dies, runs out of memory or
outlasts the limit is replaced, its file is reported as unreadable with a Chinese reason, and
the other files go on. ``concurrent.futures`` marks the whole pool broken when one worker
dies, which is exactly what must not happen here, hence this small pool of our own.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from jinguo_xl.errors import READ_CRASHED, READ_MEMORY, READ_TIMEOUT

R = TypeVar("R")

# A 统计表 is read in well under a second; a file still being read after this long is broken.
TIME_LIMIT = 120.0
# Address space a worker may add to what it starts with (the interpreter and its libraries,
# inherited from the parent). Real files need a few hundred MB at most.
MEMORY_LIMIT = 768 * 1024 * 1024
# Whatever it starts with, a worker's whole address space stays under this (a worker forked
# from a parent that has grown would otherwise get the parent's size on top), unless its
# start alone leaves less than WORKER_FLOOR to grow in.
WORKER_CEILING = 900 * 1024 * 1024
WORKER_FLOOR = 256 * 1024 * 1024
_DEPTH = 2


def _address_space() -> int:
    """The current process's mapped address space in bytes (0 where /proc is unavailable)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory(extra: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the process boundary still isolates crashes
        return
    base = _address_space()
    if not base:
        return
    limit = max(base + min(extra, WORKER_FLOOR), min(base + extra, WORKER_CEILING))
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _quiet() -> None:
    """Silence the worker's stderr: a native abort prints an English line (``memory
    allocation of … failed``) that would reach the clerk's terminal; the parent reports the
    file in Chinese instead."""
    faulthandler.disable()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the worker


def _serve(conn: Connection, fn: Callable[..., Any], memory: int) -> None:
    """Worker loop: run ``fn`` on each job received, send back (index, outcome, result)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _quiet()
    _limit_memory(memory)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, args = job
        try:
            reply: tuple[int, str, Any] = (index, "ok", fn(*args))
        except MemoryError:
            reply = (index, "memory", None)
        except BaseException as exc:  # a native panic (pyo3's PanicException) is one
            if isinstance(exc, SystemExit):
                return
            reply = (index, "crash", None)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send((index, "memory", None))
        except Exception:  # a result that cannot cross the process boundary
            conn.send((index, "crash", None))


@dataclass(slots=True)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    jobs: deque[int] = field(default_factory=deque)  # sent, in order; the first is running
    deadline: float = 0.0  # for the first job


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with the rules already loaded; elsewhere spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def reason_for(outcome: str, time_limit: float) -> str:
    if outcome == "memory":
        return READ_MEMORY
    if outcome == "timeout":
        return READ_TIMEOUT.format(seconds=int(time_limit))
    return READ_CRASHED


def run_guarded(
    fn: Callable[..., R],
    jobs: Sequence[tuple[Any, ...]],
    failed: Callable[[tuple[Any, ...], str], R],
    *,
    workers: int,
    time_limit: float | None = None,
    memory: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """``fn(*job)`` for every job, in worker processes, results in job order.

    A job whose worker crashes, exceeds its memory or outlasts ``time_limit`` gives
    ``failed(job, reason)`` instead; its worker is replaced and the other jobs go on.
    """
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    memory = MEMORY_LIMIT if memory is None else memory
    total = len(jobs)
    results: list[Any] = [None] * total
    todo = deque(range(total))
    pool: list[_Worker | None] = [None] * max(1, min(workers, total))
    context = _context()
    done = 0

    def start() -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, fn, memory), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def finish(index: int, value: Any) -> None:
        nonlocal done
        results[index] = value
        done += 1
        if progress:
            progress(done, total)

    def retire(slot: int, outcome: str) -> None:
        """The running job failed: replace its worker, give the jobs queued behind it back."""
        worker = pool[slot]
        assert worker is not None and worker.jobs
        _stop(worker)
        pool[slot] = None
        culprit = worker.jobs.popleft()
        todo.extendleft(reversed(worker.jobs))
        finish(culprit, failed(jobs[culprit], reason_for(outcome, time_limit)))

    try:
        while done < total:
            for slot, worker in enumerate(pool):
                # Two jobs in flight per worker, so it never waits for the parent between files.
                while todo and (worker is None or len(worker.jobs) < _DEPTH):
                    worker = pool[slot] = worker or start()
                    if not worker.jobs:
                        worker.deadline = time.monotonic() + time_limit
                    index = todo.popleft()
                    worker.jobs.append(index)
                    try:
                        worker.conn.send((index, jobs[index]))
                    except OSError:  # it just died: its results and death are read below
                        break
            busy = [(slot, w) for slot, w in enumerate(pool) if w is not None and w.jobs]
            wait_for = max(0.0, min(w.deadline for _, w in busy) - time.monotonic())
            handles: list[Any] = [w.conn for _, w in busy] + [w.process.sentinel for _, w in busy]
            ready = set(wait(handles, timeout=wait_for))
            for slot, worker in busy:
                if worker.conn in ready or worker.conn.poll():
                    try:
                        index, outcome, value = worker.conn.recv()
                    except (EOFError, OSError):
                        retire(slot, "crash")
                        continue
                    if outcome != "ok":  # the worker survived, but not cleanly: start afresh
                        retire(slot, outcome)
                        continue
                    worker.jobs.popleft()
                    worker.deadline = time.monotonic() + time_limit
                    finish(index, value)
                elif worker.process.sentinel in ready:
                    retire(slot, "crash")
                elif time.monotonic() >= worker.deadline:
                    retire(slot, "timeout")
    finally:
        for worker in pool:
            if worker is not None:
                _stop(worker, gently=not worker.jobs)
    return results


def _stop(worker: _Worker, *, gently: bool = False) -> None:
    if gently:
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
        worker.process.join(timeout=1)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.conn.close()

"""Write-then-rename, so an interrupted run never leaves half a workbook where a good one was.

Temporary files sit beside the target (a rename is only atomic within one file system) and are
named ``.<目标名>.~<pid>.<random>…``: unique per run, and telling which process owns them. Two
runs writing the same master at once therefore never touch each other's files, while a run
killed outright (power cut, kill -9) leaves files that the next write recognises as stale (their
owner is gone) and removes, so no stray copy of personal data stays behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def temp_prefix(target: Path) -> str:
    """The name every temporary file of this run for ``target`` starts with."""
    return f".{Path(target).stem}.~{os.getpid()}."


def _owner(name: str, stem: str) -> int | None:
    """The PID encoded in a temporary file's name, None for a name without one."""
    rest = name[len(stem) + 3 :]  # after ".<stem>.~"
    digits = rest.split(".", 1)[0]
    return int(digits) if digits.isdigit() else None


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (on Windows without signalling it: there
    ``os.kill(pid, 0)`` would terminate the process)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove temporary files of ``target`` whose owning process is gone; returns them."""
    target = Path(target)
    removed = []
    for candidate in target.parent.glob(f".{target.stem}.~*"):
        pid = _owner(candidate.name, target.stem)
        if pid is None or pid == os.getpid() or pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = ".xlsx") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` at once.

    On any error (Ctrl+C included) the temporary file is removed and ``target`` is left as it
    was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(target)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); give it the mode a normal save would have.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def save_atomic(target: Path, save: Callable[[Path], None]) -> Path:
    """Call ``save(tmp)`` and move the result onto ``target`` atomically."""
    with atomic_path(target, Path(target).suffix or ".xlsx") as tmp:
        save(tmp)
    return Path(target)

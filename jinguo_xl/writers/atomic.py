"""Write-then-rename, so an interrupted run never leaves half a workbook where a good one was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = ".xlsx") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` at once.

    On any error the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A run killed outright (power cut, kill -9) cannot clean up after itself; the next write of
    # the same target removes what it left, so no stray copy of personal data stays behind.
    for stale in target.parent.glob(f".{target.stem}.*{suffix}"):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=suffix, dir=target.parent)
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

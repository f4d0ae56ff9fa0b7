"""One button press as one transaction: Excel quiet while we work, restored whatever happens.

While a button runs, screen updating, automatic calculation, alerts and events are switched
off (each redraw, recalculation or event handler would run once per write), and they are put
back in ``finally`` exactly as the clerk had them. A COM call that Excel rejects because it is
busy (a cell being edited, a dialog open) is retried only a bounded number of times, and every
failure, from any layer, reaches the clerk as one Chinese sentence.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinguo_xl.excel.texts import TEXT, TITLE

XL_CALCULATION_MANUAL = -4135
# The application settings a transaction switches off, and the value it sets while working.
QUIET: tuple[tuple[str, object], ...] = (
    ("ScreenUpdating", False),
    ("EnableEvents", False),
    ("DisplayAlerts", False),
    ("Calculation", XL_CALCULATION_MANUAL),
)
# A COM call Excel rejects as busy is retried this often (xlwings' default is forever).
BUSY_ATTEMPTS = 200
READY_WAIT_S = 10.0
_BUSY_HRESULTS = {-2147418111, -2147417846}  # RPC_E_CALL_REJECTED, RPC_E_SERVERCALL_RETRYLATER

BUSY_TEXT = TEXT["busy"]


class Refusal(Exception):
    """A button declines to act; the message is the Chinese sentence the clerk sees."""


@contextmanager
def quiet(app: Any) -> Iterator[None]:
    """Switch Excel's redraw, events, alerts and calculation off; restore them on any exit."""
    changed: list[tuple[str, object]] = []
    try:
        for name, value in QUIET:
            try:
                before = getattr(app, name)
                if before != value:
                    setattr(app, name, value)
                    changed.append((name, before))
            except Exception:  # e.g. Calculation cannot be set while no workbook is open
                continue
        yield
    finally:
        for name, before in reversed(changed):
            try:
                setattr(app, name, before)
            except Exception:
                continue


def bound_busy_retries(attempts: int = BUSY_ATTEMPTS) -> None:
    """Make xlwings give up on a rejected COM call after ``attempts`` tries (Windows only)."""
    try:
        import xlwings._xlwindows as xlwin
    except Exception:  # not Windows: there is no COM retry loop to bound
        return
    xlwin.N_COM_ATTEMPTS = attempts


def wait_ready(app: Any, timeout: float | None = None,
               sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait up to ``timeout`` seconds (READY_WAIT_S) for Excel to accept calls, else refuse.

    ``Application.Ready`` is False while a cell is being edited; calls made then would be
    rejected, and xlwings would retry them for ever.
    """
    deadline = time.monotonic() + (READY_WAIT_S if timeout is None else timeout)
    while True:
        try:
            if app.Ready:
                return
        except Exception as exc:
            if not is_busy(exc):
                raise
        if time.monotonic() >= deadline:
            raise Refusal(BUSY_TEXT)
        sleep(0.25)


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is Excel refusing a call because it is busy."""
    if type(exc).__name__ == "ExcelBusyError":
        return True
    args = getattr(exc, "args", ())
    return bool(args) and isinstance(args[0], int) and args[0] in _BUSY_HRESULTS


def _com_description(exc: BaseException) -> str | None:
    """The description inside a COM error ``(hresult, text, (code, source, text, …), arg)``."""
    args = getattr(exc, "args", ())
    if len(args) == 4 and isinstance(args[0], int):
        info = args[2]
        if isinstance(info, tuple) and len(info) > 2 and info[2]:
            return str(info[2]).strip()
        return str(args[1] or "").strip() or f"错误码 {args[0]}"
    return None


def describe(exc: BaseException) -> str:
    """Any exception as the sentence a clerk reads (never a traceback or a raw COM tuple)."""
    if isinstance(exc, Refusal):
        return str(exc)
    if is_busy(exc):
        return BUSY_TEXT
    com = _com_description(exc)
    if com is not None:
        return TEXT["excel-error"].format(detail=com)
    if isinstance(exc, ImportError):
        return TEXT["missing-part"].format(detail=exc.name or exc)
    return TEXT["failed"].format(detail=str(exc).strip() or type(exc).__name__)


def show(text: str, alert: Callable[[str], object] | None = None) -> None:
    """Show ``text`` in a message box: through Excel if possible, else Windows, else stderr."""
    if alert is not None:
        try:
            alert(text)
            return
        except Exception:
            pass
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.user32.MessageBoxW(0, text, TITLE, 0x30)  # MB_ICONWARNING
            return
        except Exception:
            pass
    print(text, file=sys.stderr)

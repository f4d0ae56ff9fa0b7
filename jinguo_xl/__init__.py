"""jinguo_xl: the 2020 巾帼示范基地 statistics tables, checked and counted in Python.

The stages, each a package, data walking one way::

    rules/ → read/ → validate/ → count/ → combine/ → writers/
             (vocabulary/ below rules; findings/, privacy/, errors, labels at the bottom)

``run/`` drives them over files; ``api`` (:func:`check`, :func:`consolidate`, with pandas
DataFrames), ``cli``, ``excel/`` (the only code importing xlwings) and ``xlam/`` are thin doors
on top.

The API is imported on first use: ``import jinguo_xl`` alone, and the Excel functions'
import path, never load pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinguo_xl.version import __version__

if TYPE_CHECKING:
    from jinguo_xl.api import Consolidated, Report, check, consolidate

_API = ("check", "consolidate", "Report", "Consolidated")

__all__ = ["Consolidated", "Report", "__version__", "check", "consolidate"]


def __getattr__(name: str) -> object:
    if name in _API:
        from jinguo_xl import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jinguo_xl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})

"""Excel functions the template uses that pycel (the second, Excel-semantics engine of the
native-verdict tests) does not implement; given to pycel as a plugin module."""

from __future__ import annotations

import numpy as np
from pycel import excellib
from pycel.lib import date_time
from pycel.lib.function_helpers import excel_helper


@excel_helper(number_params=0)
def char(number: float) -> str:
    """CHAR: the character of a code (the template uses CHAR(10), a line break)."""
    return chr(int(number))


@excel_helper(number_params=-1)
def date(year: float, month: float, day: float) -> object:
    """DATE as Excel computes it: fractional arguments are truncated (pycel's own DATE raises
    a Python error for a month of 12.3, which a template formula meets in a branch IF does not
    take: pycel evaluates both branches)."""
    return date_time.date(int(year), int(month), int(day))


def sumproduct(*args: object) -> object:
    """SUMPRODUCT as a plain float: pycel's returns a numpy number, whose repr under numpy 2
    (``np.float64(1.5)``) its own ROUND cannot read."""
    result = excellib.sumproduct(*args)
    return float(result) if isinstance(result, np.floating | np.integer) else result

"""jinguo_xl: the 2020 巾帼示范基地 statistics tables, checked and counted in Python.

The core (rules, reader, validate, targets, consolidate, writers) never imports xlwings, so it
runs anywhere; ``jinguo_xl.excel`` is the only Excel-facing part.
"""

__version__ = "0.1.0"

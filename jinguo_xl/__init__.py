"""jinguo_xl: the 2020 巾帼示范基地 statistics tables, checked and counted in Python.

The stages, each a package, data walking one way::

    rules/ → read/ → validate/ → count/ → combine/ → writers/
             (vocabulary/ below rules; findings/, privacy/, errors, labels at the bottom)

``run/`` drives them over files; ``cli``, ``excel/`` (the only code importing xlwings) and
``xlam/`` are thin doors on top.
"""

from jinguo_xl.version import __version__

__all__ = ["__version__"]

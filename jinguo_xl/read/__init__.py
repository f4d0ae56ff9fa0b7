"""Stage 1, reading: a file on disk → a :class:`~jinguo_xl.read.ledger.Ledger` (base fields and
raw tables, each row remembering its sheet and Excel row).

The package is opened by what is really inside it (:mod:`~jinguo_xl.read.package`: bombs,
markup guards, Strict), an encrypted legacy .xls is told by the FILEPASS record at the start of
its workbook stream (:mod:`~jinguo_xl.read.legacy`), sparse sheets are streamed
(:mod:`~jinguo_xl.read.extent`), cells are read by :mod:`~jinguo_xl.read.reader`, tables found
by their headers in :mod:`~jinguo_xl.read.grid`. :mod:`~jinguo_xl.read.guard` runs a read in a
worker with memory and time limits, and :mod:`~jinguo_xl.read.kinds` tells a base from the
project's own outputs.
"""

"""Stage 2, validation: a ledger → typed rows, base information and every finding (spec §7).

:mod:`~jinguo_xl.validate.rowcheck` parses a table column by column with the parsers its rules
name; :mod:`~jinguo_xl.validate.workbook` settles the base fields and checks across tables.
"""

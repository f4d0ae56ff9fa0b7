"""What a rules file may name: column kinds (how a cell is parsed) and metrics (how a table
is counted).

:mod:`~jinguo_xl.vocabulary.normalize` parses one cell value; :mod:`~jinguo_xl.vocabulary.columns`
maps each column ``kind`` to its parser; :mod:`~jinguo_xl.vocabulary.metrics` maps each metric
name to its function. :func:`jinguo_xl.rules.load_rules` refuses a rules file naming a kind or
metric that has no entry here, so a later notice adds a function here and a line in its rules
file, nothing else.
"""

"""Stage 3, counting: metrics per table, targets of the base's type × industry, status and
reason (spec §4–5), gathered in a :class:`~jinguo_xl.count.report.FileReport`.
"""

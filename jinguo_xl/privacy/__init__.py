"""Personal data of poor women: redacting quoted values in messages and masking copies.

The bottom of the house with :mod:`jinguo_xl.errors` and :mod:`jinguo_xl.labels`: findings
quote cell values only through :mod:`~jinguo_xl.privacy.redact`.
"""

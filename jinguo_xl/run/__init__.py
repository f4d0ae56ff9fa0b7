"""Running the stages over files: one file (:mod:`~jinguo_xl.run.files`), many files in guarded
workers (:mod:`~jinguo_xl.run.batch`), and the Chinese text a terminal shows
(:mod:`~jinguo_xl.run.render`). The CLI, the add-in's buttons and the Python API call these.
"""

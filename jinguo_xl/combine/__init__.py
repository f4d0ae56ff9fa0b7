"""Stage 4, consolidation: many file reports → one municipal picture (pure; nothing is written
here), and a master read back as the bases it holds.
"""

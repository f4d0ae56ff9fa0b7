"""Checks over a workbook printed through LibreOffice to PDF (read back with poppler's
pdftotext): what clerks see on paper, for the master, the feedback workbooks and the template."""

from __future__ import annotations

import html
import itertools
import re
import subprocess
from pathlib import Path

ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
# Never at the start of a printed line, and never a line alone.
NO_LINE_START = "）)」』》，。、；：！？,;:!?"


def text_of(pdf: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        [
            (float(a), float(b), float(c), float(d), html.unescape(w))
            for a, b, c, d, w in re.findall(pattern, page)
        ]
        for page in out.split("<page ")[1:]
    ]


def overlapping(pages) -> list[tuple[int, str, str]]:
    """Words printed over each other: what a row too low for its wrapped text looks like
    (LibreOffice draws the lines that do not fit over the next row, or clips them)."""
    found = []
    for p, words in enumerate(pages, start=1):
        active: list[tuple[float, float, float, float, str]] = []
        for w in sorted(words, key=lambda w: w[1]):
            active = [a for a in active if a[3] > w[1]]
            for a in active:
                dx = min(a[2], w[2]) - max(a[0], w[0])
                dy = min(a[3], w[3]) - max(a[1], w[1])
                smaller = min((a[2] - a[0]) * (a[3] - a[1]), (w[2] - w[0]) * (w[3] - w[1]))
                if dx > 0 and dy > 0 and dx * dy > 0.3 * smaller:
                    found.append((p, a[4], w[4]))
            active.append(w)
    return found


def plain(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)  # pdftotext joins wrapped lines, dropping a final "-"


# The smallest type allowed on paper, printed at 100 % beside the master to measure it by.
SMALLEST_PT = 9
RULER_TEXTS = ("基地数量", "2020")


def type_ruler(path: Path) -> Path:
    """A workbook holding a Chinese and a Latin text at ``SMALLEST_PT``, printed at 100 %:
    the height pdftotext gives their words is the least any printed word may have."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("尺")
    small = wb.add_format({"font_size": SMALLEST_PT})
    for r, text in enumerate(RULER_TEXTS):
        ws.write_string(r, 0, text, small)
    wb.close()
    return path


def picture_tools():
    """docs/make_picture.py: the README picture is printed as these tests print."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "docs" / "make_picture.py"
    spec = importlib.util.spec_from_file_location("make_picture", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def line_start_slips(pdf: Path) -> list[tuple[int, str]]:
    """(page, word) of every printed line that starts with a closing mark or a pause."""
    slips = []
    for p, page in enumerate(page_words(pdf), start=1):
        lines: dict[int, list[tuple[float, float, float, float, str]]] = {}
        for w in page:
            lines.setdefault(round(w[1]), []).append(w)
        for line in lines.values():
            line.sort()
            # a cell's line: the words of one line closer together than a column gap
            start = [line[0]] + [b for a, b in itertools.pairwise(line) if b[0] - a[2] > 8]
            slips += [(p, w[4]) for w in start if w[4][0] in NO_LINE_START]
    return slips


def small_words(pdf: Path, ruler_pdf: Path) -> list[tuple[int, str, float]]:
    """(page, word, size in points) of every word printed smaller than the same kind of text
    (Chinese or Latin) on the ruler printed at ``SMALLEST_PT`` and 100 %."""
    (measured,) = page_words(ruler_pdf)
    least = {w[4]: w[3] - w[1] for w in measured}
    cjk_least, latin_least = least[RULER_TEXTS[0]], least[RULER_TEXTS[1]]
    small = []
    for p, page in enumerate(page_words(pdf), start=1):
        for _, y0, _, y1, text in page:
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in text)
            floor = cjk_least if chinese else latin_least
            if y1 - y0 < 0.97 * floor:
                small.append((p, text, round((y1 - y0) / floor * SMALLEST_PT, 1)))
    return small

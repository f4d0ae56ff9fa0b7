"""Make the README's picture, ``docs/汇总表首页.png``: the demo master's first page, printed.

Run from the repository root (needs LibreOffice, poppler-utils and a CJK font such as Debian's
``fonts-noto-cjk``; without one every Chinese character prints as an empty box)::

    python docs/make_picture.py

The demo is written to a temporary folder, its master printed to PDF by LibreOffice, and the
first page turned into a PNG by ``pdftoppm``. The picture is refused when the PDF holds no CJK
font, so a box-filled picture is never written. ``tests/test_docs.py`` runs the same steps.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PICTURE = Path(__file__).resolve().parent / "汇总表首页.png"
RESOLUTION = 110  # dots per inch: an A4 landscape page 1286 pixels wide
CJK_FONT = re.compile(
    r"CJK|Han|Hei|Song|Ming|Kai|Fang|DengXian|WenQuanYi|Droid Sans Fallback", re.I
)


def pdf_fonts(pdf: Path) -> list[str]:
    """The names of the fonts a PDF embeds (``pdffonts``)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in out.stdout.splitlines()[2:] if line.strip()]


def has_cjk_font(pdf: Path) -> bool:
    return any(CJK_FONT.search(name) for name in pdf_fonts(pdf))


def print_to_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """Print ``files`` to PDF in one LibreOffice run (a private profile, so a running office
    is left alone); returns the PDFs in the order of ``files``."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{outdir}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return [outdir / f"{f.stem}.pdf" for f in files]


def demo_master(folder: Path) -> Path:
    """Write the demo into ``folder`` as a user's ``jinguo-xl demo`` does there (file names
    relative to it, as the master shows them) and return its master."""
    from jinguo_xl.cli import main

    with contextlib.chdir(folder), contextlib.redirect_stdout(io.StringIO()):
        main(["demo"])
    return folder / "jinguo_demo" / "全市汇总.xlsx"


def make_picture(png: Path = PICTURE, work: Path | None = None) -> Path:
    """Print the demo master and write its first page to ``png``; returns the PDF printed.
    Raises RuntimeError when the PDF holds no CJK font (the picture would show boxes)."""
    for tool in ("soffice", "pdftoppm", "pdffonts"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"{tool} is not installed")
    work = work or Path(tempfile.mkdtemp(prefix="picture-"))
    (pdf,) = print_to_pdf([demo_master(work)], work)
    if not has_cjk_font(pdf):
        raise RuntimeError(f"no CJK font in {pdf}: install fonts-noto-cjk")
    stem = work / "page"
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(RESOLUTION), "-png", "-singlefile",
         str(pdf), str(stem)],
        check=True,
    )
    png.write_bytes(stem.with_suffix(".png").read_bytes())
    return pdf


if __name__ == "__main__":
    try:
        print(make_picture())
    except RuntimeError as exc:
        sys.exit(str(exc))

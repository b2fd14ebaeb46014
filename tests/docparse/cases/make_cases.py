"""Make the stored PDF cases from a seed text (run by hand; the tests read the stored files).

    .venv/bin/python tests/docparse/cases/make_cases.py

Needs ReportLab (PyPI ``reportlab``, with its dependency Pillow), Debian's ``fonts-liberation2`` (Liberation Serif,
metric-compatible with Times New Roman and complete for Vietnamese) and poppler's ``pdftoppm``. Writes:

- ``002_text.pdf``: seed 002 typeset on A4 in Liberation Serif 13 pt (Decree 30/2020 margins), a text layer.
- ``002_scan.pdf``: the first page of ``002_text.pdf`` rendered at 150 dpi in grey and stored as an image only
  (no text layer), as a scanner would; the OCR golden test reads it.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "golden" / "002_bba7be5b5b954222.txt"
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def make_text_pdf(out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = canvas.Canvas(str(out), pagesize=A4, invariant=True)
    c.setTitle("Seed 002 (Yên Thế 70/KH-UBND), typeset for the docparse tests")
    width, height = A4
    left, right, top, bottom = 30 * mm, 20 * mm, 20 * mm, 20 * mm
    size, leading = 13, 16
    y = height - top
    c.setFont("LiberationSerif", size)
    for para in SEED.read_text(encoding="utf-8").split("\n"):
        lines = simpleSplit(para.replace("\t", " "), "LiberationSerif", size, width - left - right) or [""]
        for line in lines:
            if y < bottom + leading:
                c.showPage()
                c.setFont("LiberationSerif", size)
                y = height - top
            c.drawString(left, y, line)
            y -= leading
    c.showPage()
    c.save()


def make_scan_pdf(text_pdf: Path, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-f", "1", "-l", "1", str(text_pdf), f"{tmp}/p"],
            check=True,
            timeout=120,
        )
        png = sorted(Path(tmp).glob("p-*.png"))[0]
        c = canvas.Canvas(str(out), pagesize=A4, invariant=True)
        c.drawImage(str(png), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
        c.save()


if __name__ == "__main__":
    make_text_pdf(HERE / "002_text.pdf")
    make_scan_pdf(HERE / "002_text.pdf", HERE / "002_scan.pdf")
    print("wrote", HERE / "002_text.pdf", HERE / "002_scan.pdf")

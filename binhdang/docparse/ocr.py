"""OCR for scanned PDFs and images: Tesseract with Vietnamese data, pages rendered by poppler's pdftoppm.

Both are external programs (Debian: ``tesseract-ocr tesseract-ocr-vie poppler-utils``) run through
``subprocess`` with a time limit, so a pathological page cannot hang the reader.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from binhdang.docparse.errors import CorruptDocument, OcrUnavailable

__all__ = ["ocr_available", "ocr_image", "ocr_pdf"]

PAGE_TIMEOUT_S = 120
DPI = 200
# One Tesseract thread per page and pages in parallel, one per core: Tesseract's own OpenMP threads gain little
# on a page and fight each other when pages run side by side.
WORKERS = max(1, min(4, os.cpu_count() or 1))
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(
            "This document is a scan and needs OCR, but Tesseract is not installed "
            "(Debian: apt-get install tesseract-ocr tesseract-ocr-vie)."
        )
    try:
        langs = subprocess.run(  # noqa: S603
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"Tesseract could not be started: {exc}") from exc
    if "vie" not in langs:
        raise OcrUnavailable(
            "This document is a scan and needs OCR, but Tesseract has no Vietnamese data "
            "(Debian: apt-get install tesseract-ocr-vie)."
        )
    return exe


def ocr_available() -> bool:
    """True when Tesseract with Vietnamese data (and pdftoppm for PDFs) can be used."""
    try:
        _tesseract()
    except OcrUnavailable:
        return False
    return shutil.which("pdftoppm") is not None


def ocr_image(data: bytes, *, timeout: float = PAGE_TIMEOUT_S) -> str:
    """Return the text Tesseract reads in one image (PNG, JPEG, TIFF...)."""
    exe = _tesseract()
    try:
        proc = subprocess.run(  # noqa: S603
            [exe, "-", "-", "-l", "vie", "--psm", "4", "--dpi", str(DPI)],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
            env=_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise CorruptDocument(f"OCR of a page took longer than {timeout:.0f} s and was stopped.") from exc
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        raise CorruptDocument(f"The image could not be read by OCR: {detail[0]}")
    return proc.stdout.decode("utf-8", "replace")


def ocr_pdf(
    data: bytes,
    *,
    max_pages: int = 200,
    timeout: float = PAGE_TIMEOUT_S,
    pages: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[str]:
    """Render each page of a PDF with pdftoppm and OCR it; returns one string per page.

    With the page count known (``pages``), each page is rendered and read by one worker, ``WORKERS`` pages at a
    time, so the first results come early; ``progress(done, total)`` is called with 0 before the first page and
    after each page. Every external call has a time limit.
    """
    _tesseract()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OcrUnavailable(
            "This PDF is a scan and needs OCR, but pdftoppm is not installed (Debian: apt-get install poppler-utils)."
        )
    with tempfile.TemporaryDirectory(prefix="docparse-ocr-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        total = min(pages, max_pages) if pages else 0

        def render(first: int, last: int, prefix: str) -> list[Path]:
            try:
                proc = subprocess.run(  # noqa: S603
                    [
                        pdftoppm,
                        "-r",
                        str(DPI),
                        "-gray",
                        "-png",
                        "-f",
                        str(first),
                        "-l",
                        str(last),
                        str(src),
                        str(Path(tmp) / prefix),
                    ],
                    capture_output=True,
                    timeout=timeout * (last - first + 1),
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise CorruptDocument("Rendering the PDF pages for OCR took too long and was stopped.") from exc
            found = sorted(Path(tmp).glob(f"{prefix}-*.png"))
            if proc.returncode != 0 and not found:
                raise CorruptDocument("The PDF pages could not be rendered for OCR; the file may be damaged.")
            return found

        def page_text(i: int) -> str:
            return "\n".join(ocr_image(p.read_bytes(), timeout=timeout) for p in render(i, i, f"p{i}"))

        if total == 0:
            images = render(1, max_pages, "p")
            total = len(images)
            jobs = [lambda p=p: ocr_image(p.read_bytes(), timeout=timeout) for p in images]
        else:
            jobs = [lambda i=i: page_text(i) for i in range(1, total + 1)]
        if progress is not None:
            progress(0, total)
        out: list[str] = [""] * total
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = {pool.submit(job): k for k, job in enumerate(jobs)}
            for done, fut in enumerate(as_completed(futures), 1):
                out[futures[fut]] = fut.result()
                if progress is not None:
                    progress(done, total)
        return out

"""Benchmark the plan reader: seed documents per second on one core, and scanned pages per second through OCR.

Baselines measured in the same run on the same text: a plain regex scan ("số N/…" codes) and NFC + line split.
Document rates are given in CPU time of this (single-threaded) process, which is what "one core" means and does
not move when other processes share the machine, and in wall-clock time. OCR is measured end to end on the
4-page ``tests/docparse/cases/002_text.pdf`` read as a scan (pdftoppm at 200 dpi, Tesseract with one thread per
page, pages in parallel on all cores). The corpus of real documents (``../shared/corpus``) is measured the same way
as the seeds. The last line is ``parse: docs_per_s=<n> corpus_docs_per_s=<n> ocr_pages_per_s=<n>``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from binhdang.docparse import parse_text  # noqa: E402
from binhdang.docparse.ocr import WORKERS, ocr_available, ocr_image, ocr_pdf  # noqa: E402

SEEDS = sorted((ROOT / "tests" / "golden").glob("*.txt")) or sorted(Path("/work/shared/seeds").glob("0*.txt"))
# The 21 real documents of 2025 (docs/reader-scoring.md): whole hard-wrapped portal plans, larger than the seeds.
CORPUS = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")) or sorted(Path("/work/shared/corpus").glob("*.txt"))


def _rate(fn: object, docs: list[str], min_time: float = 2.0, clock: object = time.process_time) -> float:
    n = 0
    start = clock()  # type: ignore[operator]
    while clock() - start < min_time:  # type: ignore[operator]
        for d in docs:
            fn(d)  # type: ignore[operator]
            n += 1
    return n / (clock() - start)  # type: ignore[operator]


def _ocr_pdf_rate() -> float:
    pdf = ROOT / "tests" / "docparse" / "cases" / "002_text.pdf"
    if not ocr_available() or not pdf.exists():
        return 0.0
    import resource

    data = pdf.read_bytes()
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    pages = ocr_pdf(data, pages=4)
    rate = len(pages) / (time.perf_counter() - start)
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    print(
        f"ocr (pdf, {len(pages)} pages, {WORKERS} workers): {rate:.2f} pages/s wall clock; "
        f"{cpu / len(pages):.2f} CPU-s per page (render + OCR), so {WORKERS * len(pages) / cpu:.2f} pages/s "
        f"on {WORKERS} idle cores"
    )
    return rate


def _ocr_rate(text: str) -> float:
    if not ocr_available() or shutil.which("text2image") is None:
        print("ocr: tesseract/vie or text2image missing; OCR rate not measured")
        return 0.0
    with tempfile.TemporaryDirectory() as tmp:
        txt = Path(tmp) / "page.txt"
        txt.write_text("\n".join(text.split("\n")[:45]), encoding="utf-8")
        fonts = "/usr/share/fonts/truetype/liberation2"
        subprocess.run(
            [
                "text2image",
                f"--text={txt}",
                f"--outputbase={tmp}/page",
                "--font=Liberation Serif",
                f"--fonts_dir={fonts}",
                "--ptsize=12",
                "--resolution=200",
                "--max_pages=1",
            ],
            capture_output=True,
            check=False,
            timeout=120,
        )
        pages = sorted(Path(tmp).glob("page*.tif"))
        if not pages:
            print("ocr: could not render a test page")
            return 0.0
        data = pages[0].read_bytes()
        start = time.perf_counter()
        n = 0
        while n < 2 or time.perf_counter() - start < 5:
            out = ocr_image(data)
            n += 1
        rate = n / (time.perf_counter() - start)
        print(f"ocr: {n} pages, {rate:.2f} pages/s, sample: {out.strip().splitlines()[0][:60]!r}")
        return rate


def main() -> None:
    docs = [p.read_text(encoding="utf-8") for p in SEEDS]
    code = re.compile(r"số\s+\d+/[A-ZĐ][\w&\-/]*")
    base_regex = _rate(lambda d: code.findall(d), docs, 1.0)
    base_nfc = _rate(lambda d: unicodedata.normalize("NFC", d).split("\n"), docs, 1.0)
    docs_per_s = _rate(parse_text, docs, 3.0)
    wall = _rate(parse_text, docs, 2.0, time.perf_counter)
    print(f"seeds: {len(docs)} documents, {sum(len(d) for d in docs):,} characters")
    print(f"parse_text wall clock: {wall:,.1f} docs/s (os.getloadavg: {os.getloadavg()[0]:.1f})")
    print(f"baseline regex scan: {base_regex:,.0f} docs/s; baseline NFC+split: {base_nfc:,.0f} docs/s")
    print(f"parse_text: {docs_per_s:,.1f} docs/s of CPU time, one core (target >= 100)")
    print(f"ratio parse/regex = {docs_per_s / base_regex:.4f}; parse/NFC+split = {docs_per_s / base_nfc:.4f}")
    corpus = [p.read_text(encoding="utf-8") for p in CORPUS]
    corpus_per_s = 0.0
    if corpus:
        corpus_nfc = _rate(lambda d: unicodedata.normalize("NFC", d).split("\n"), corpus, 1.0)
        corpus_per_s = _rate(parse_text, corpus, 3.0)
        print(
            f"corpus: {len(corpus)} documents, {sum(len(d) for d in corpus):,} characters; parse_text: "
            f"{corpus_per_s:,.1f} docs/s of CPU time, one core (target >= 100); "
            f"parse/NFC+split = {corpus_per_s / corpus_nfc:.4f}"
        )
    single = _ocr_rate(docs[0])
    print(f"ocr (one image, one thread): {single:.2f} pages/s")
    ocr = _ocr_pdf_rate() or single
    print(f"parse: docs_per_s={docs_per_s:.1f} corpus_docs_per_s={corpus_per_s:.1f} ocr_pages_per_s={ocr:.2f}")


if __name__ == "__main__":
    main()

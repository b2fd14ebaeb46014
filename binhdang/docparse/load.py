"""Load: bytes and a file name in, text out. The format is sniffed from the bytes, never the extension.

Plain text (UTF-8, UTF-16, TCVN3, VNI), Word (.docx: paragraphs and tables in document order), PDF with a
text layer (pypdf), and scans (PDF without text, PNG/JPEG/TIFF images) through OCR.
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from binhdang.docparse.errors import (
    CorruptDocument,
    DocParseError,
    EmptyDocument,
    EncodingError,
    EncryptedDocument,
    TooLarge,
    UnsupportedFormat,
)
from binhdang.docparse.legacy import decode_legacy
from binhdang.docparse.notes import utf8_replaced

__all__ = ["DEFAULT_MAX_BYTES", "LoadedDocument", "load_bytes", "sniff"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_PAGES = 300
# Wall-clock budget for reading a PDF's text layer, checked between pages: a damaged or hostile PDF whose pages
# each take long cannot keep a request busy for ever. (One page inside pypdf cannot be interrupted; the page
# content-size limit below keeps a single page from being pathological in the first place.)
PDF_TEXT_BUDGET_S = 60.0
# A page whose content streams are larger than this is refused instead of being parsed.
MAX_PAGE_CONTENT_BYTES = 20 * 1024 * 1024

Progress = Callable[[int, int], None]
# A page of a text-layer PDF with fewer characters than this is treated as a scan.
_MIN_CHARS_PER_PAGE = 40

MEDIA_TXT = "text/plain"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_PDF = "application/pdf"


@dataclass
class LoadedDocument:
    text: str
    media_type: str
    pages: int | None = None
    encoding: str | None = None
    ocr: bool = False
    notes: list[str] = field(default_factory=list)


_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """Return the media type the bytes hold (by their first bytes, not the file name)."""
    head = data[:1024]
    if head.lstrip(b"\x00\t\r\n \xef\xbb\xbf")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return MEDIA_PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "application/zip"
    if head.startswith(_OLE2):
        return "application/x-ole-storage"
    for magic, media in _IMAGE_MAGIC:
        if head.startswith(magic) and (media != "image/bmp" or len(data) > 54):
            return media
    return MEDIA_TXT


def load_bytes(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    ocr: bool = True,
    progress: Progress | None = None,
    time_budget: float = PDF_TEXT_BUDGET_S,
) -> LoadedDocument:
    """Read a document's bytes into text. Raises a :class:`DocParseError` subclass on bad input.

    ``progress(done, total)`` reports pages: for PDFs after each page (OCR included), for other formats once
    at the start (0, 1) and once at the end (1, 1).
    """
    doc = _load(data, max_bytes=max_bytes, max_pages=max_pages, ocr=ocr, progress=progress, time_budget=time_budget)
    if progress is not None and doc.media_type != MEDIA_PDF:
        progress(1, 1)
    return doc


def _load(
    data: bytes, *, max_bytes: int, max_pages: int, ocr: bool, progress: Progress | None, time_budget: float
) -> LoadedDocument:
    if len(data) > max_bytes:
        raise TooLarge(f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes.")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument("The file is empty; upload the plan document itself (Word, PDF or text).")
    media = sniff(data)
    if progress is not None and media != MEDIA_PDF:
        progress(0, 1)
    if media == MEDIA_PDF:
        return _load_pdf(data, max_pages=max_pages, ocr=ocr, progress=progress, time_budget=time_budget)
    if media == "application/zip":
        return _load_zip(data)
    if media == "application/x-ole-storage":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise EncryptedDocument("The Word file is password-protected; remove the password and try again.")
        raise UnsupportedFormat("This is an old binary Office file (.doc/.xls); save it as .docx or PDF and try again.")
    if media.startswith("image/"):
        if not ocr:
            raise UnsupportedFormat(
                f"The file is a picture ({media.split('/')[1].upper()}), not a text document; reading it needs OCR, "
                "which is turned off. Upload the plan as Word or PDF, or turn OCR on."
            )
        from binhdang.docparse.ocr import ocr_image

        text = ocr_image(data)
        if not text.strip():
            raise EmptyDocument("OCR found no text in the image.")
        return LoadedDocument(text=text, media_type=media, pages=1, ocr=True)
    notes: list[str] = []
    text, enc = decode_text_bytes(data, notes)
    _refuse_binary(text)
    if not text.strip():
        raise EmptyDocument("The file holds only white space; upload the plan document itself (Word, PDF or text).")
    return LoadedDocument(text=text, media_type=MEDIA_TXT, encoding=enc, notes=notes)


# A file whose undecodable bytes are few beside the well-formed multi-byte UTF-8 sequences it holds is UTF-8
# with damage (a file cut in the middle of a character, a few bytes garbled in transit), not a legacy encoding:
# TCVN3 and VNI text is full of high bytes that almost never form valid UTF-8 sequences.
_UTF8_EVIDENCE_RATIO = 4


def _utf8_with_replacements(data: bytes) -> tuple[str, int] | None:
    """Decode damaged UTF-8 when the evidence says it is UTF-8: (text, number of replaced bytes) or None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad and good >= _UTF8_EVIDENCE_RATIO * bad:
        return text, bad
    return None


def decode_text_bytes(data: bytes, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode a text file: BOMs, UTF-16 without BOM, UTF-8 (also with a few bad bytes, which are replaced and
    noted in ``notes``), then the legacy Vietnamese encodings when their evidence is strong."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            damaged = _utf8_with_replacements(data[3:])
            if damaged is None:
                return _strict(data[3:], "utf-8"), "utf-8"
            _note_replacements(notes, damaged[1])
            return damaged[0], "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16"), "utf-16"
    sample = data[:4000]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0) / max(1, len(sample[0::2]))
        odd_nul = sample[1::2].count(0) / max(1, len(sample[1::2]))
        if odd_nul > 0.3 and even_nul < 0.05:
            return _strict(data, "utf-16-le"), "utf-16-le"
        if even_nul > 0.3 and odd_nul < 0.05:
            return _strict(data, "utf-16-be"), "utf-16-be"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    damaged = _utf8_with_replacements(data)
    if damaged is not None:
        _note_replacements(notes, damaged[1])
        return damaged[0], "utf-8"
    if b"\x00" in sample:
        raise UnsupportedFormat(
            "The file is binary data (not text, Word or PDF); upload the plan as Word (.docx), PDF or text."
        )
    return decode_legacy(data)


def _note_replacements(notes: list[str] | None, bad: int) -> None:
    if notes is not None:
        notes.append(utf8_replaced(bad))


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"The file claims to be {enc.upper()} but holds invalid bytes ({exc.reason}).") from exc


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _refuse_binary(text: str) -> None:
    sample = text[:20000]
    if not sample:
        return
    bad = len(_CONTROL.findall(sample))
    if bad > 0.05 * len(sample) or "\x00" in sample:
        raise UnsupportedFormat(
            "The file is binary data (not text, Word or PDF); upload the plan as Word (.docx), PDF or text."
        )


# --- Word ---------------------------------------------------------------------------------------------------


# Every part of a zip container is checked by its declared sizes before anything reads it: Python's zipfile
# never returns more than a member's declared size, so these checks bound the memory a hostile file can take
# (a 400 MB styles.xml packed into a few hundred kB is refused here, unread).
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 160 * 1024 * 1024
MAX_PARTS = 2000
# Word's XML packs 5-20 times; a part packed more than this is a zip bomb, not a document (checked on parts
# big enough to matter).
MAX_RATIO = 100
_RATIO_FLOOR_BYTES = 1024 * 1024

_ZIP_KINDS = (
    ("xl/workbook.xml", "This is an Excel spreadsheet (.xlsx), not a plan document; upload the plan as Word or PDF."),
    (
        "ppt/presentation.xml",
        "This is a PowerPoint presentation (.pptx), not a plan document; upload the plan as Word or PDF.",
    ),
    ("content.xml", "This is an OpenDocument file (.odt/.ods); save it as Word (.docx) or PDF and upload that."),
)


def check_zip_parts(zf: zipfile.ZipFile) -> None:
    """Refuse a zip whose parts, once unpacked, would be too large or too highly compressed (a zip bomb)."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise TooLarge(f"The file holds {len(infos):,} parts; a Word document has far fewer (limit {MAX_PARTS:,}).")
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise TooLarge(
                f"The part {info.filename} unpacks to {info.file_size:,} bytes, more than the limit of "
                f"{MAX_PART_BYTES // 2**20} MB for one part; the file is not read. Save the document again from "
                "Word (or as PDF) and upload that."
            )
        if info.file_size > _RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise TooLarge(
                f"The part {info.filename} is compressed {info.file_size // max(1, info.compress_size):,} times "
                f"(limit {MAX_RATIO}); such a file is a zip bomb, not a document, and is not read."
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        raise TooLarge(
            f"The file unpacks to {total:,} bytes, more than the limit of {MAX_UNPACKED_BYTES // 2**20} MB; "
            "it is not read."
        )


def _load_zip(data: bytes) -> LoadedDocument:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise CorruptDocument(f"The file looks like a Word or zip file but is damaged ({exc}).") from exc
    if "word/document.xml" not in names:
        for part, message in _ZIP_KINDS:
            if part in names:
                raise UnsupportedFormat(message)
        raise UnsupportedFormat("The file is a zip archive but not a Word (.docx) document; upload the plan itself.")
    check_zip_parts(zf)
    try:
        text = _docx_text(data)
    except DocParseError:
        raise
    except Exception as exc:  # python-docx/lxml raise many kinds on damaged XML
        raise CorruptDocument(f"The Word file is damaged and could not be read ({type(exc).__name__}).") from exc
    if not text.strip():
        raise EmptyDocument(
            "The Word file contains no text (perhaps only pictures of pages); upload the document with its text, "
            "or a PDF scan to be read by OCR."
        )
    return LoadedDocument(text=text, media_type=MEDIA_DOCX)


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            if max((len({id(c._tc) for c in row.cells}) for row in table.rows), default=0) <= 2:
                # A layout table (the two-column Decree 30 header, the signature block): each cell's paragraphs
                # are lines of their own, as they are on the page ("Số: ..." and "<place>, ngày ..." included).
                for row in table.rows:
                    seen_cells: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen_cells:
                            continue
                        seen_cells.add(id(cell._tc))
                        lines.extend(p.text for p in cell.paragraphs)
                        lines.append("")
                continue
            for row in table.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    # Merged cells repeat the same cell object across the span; keep it once.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text.strip() for p in cell.paragraphs).strip())
                lines.append(" | ".join(cells))
            lines.append("")
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------------------------

_STRUCTURAL = re.compile(r"^\s*(?:[-+•–*]\s|[IVX]+\.\s|\d+(?:\.\d+)*\.\s|[a-zđ]\)\s|Nơi nhận)")


def reflow(page: str) -> str:
    """Join the lines a PDF page wrapped: a line that reaches (nearly) the page's full measure and does not end
    a sentence continues on the next line, unless that line starts a list item or a heading."""
    lines = page.split("\n")
    lengths = sorted(len(x.rstrip()) for x in lines if x.strip())
    if len(lengths) < 5:
        return page
    full = lengths[int(len(lengths) * 0.9)] * 0.85
    out: list[str] = []
    for line in lines:
        prev = out[-1].rstrip() if out else ""
        if (
            prev
            and len(prev) >= full
            and not prev.endswith((".", ":", ";", "!", "?", "/."))
            and line.strip()
            and not _STRUCTURAL.match(line)
        ):
            out[-1] = prev + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _page_content_size(page: object) -> int:
    try:
        contents = page.get_contents()  # type: ignore[attr-defined]
        return len(contents.get_data()) if contents is not None else 0
    except Exception:
        return 0


def _load_pdf(
    data: bytes, *, max_pages: int, ocr: bool, progress: Progress | None = None, time_budget: float = PDF_TEXT_BUDGET_S
) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise EncryptedDocument("The PDF is password-protected; remove the password and try again.") from exc
            if not ok:
                raise EncryptedDocument("The PDF is password-protected; remove the password and try again.")
        n = len(reader.pages)
    except DocParseError:
        raise
    except (PdfReadError, FileNotDecryptedError) as exc:
        raise CorruptDocument(f"The PDF is damaged and could not be read ({exc}).") from exc
    except Exception as exc:
        raise CorruptDocument(f"The PDF is damaged and could not be read ({type(exc).__name__}).") from exc
    if n == 0:
        raise EmptyDocument("The PDF has no pages.")
    if n > max_pages:
        raise TooLarge(f"The PDF has {n} pages; the limit is {max_pages}.")
    texts: list[str] = []
    started = time.monotonic()
    if progress is not None:
        progress(0, n)
    for i in range(n):
        if time.monotonic() - started > time_budget:
            raise TooLarge(
                f"Reading the PDF's text took longer than {time_budget:.0f} s (stopped at page {i + 1} of {n}); "
                "the file may be damaged."
            )
        try:
            page = reader.pages[i]
            if _page_content_size(page) > MAX_PAGE_CONTENT_BYTES:
                raise TooLarge(
                    f"Page {i + 1} of the PDF holds more than {MAX_PAGE_CONTENT_BYTES // 2**20} MB "
                    "of drawing instructions; it is not read."
                )
            texts.append(page.extract_text() or "")
        except DocParseError:
            raise
        except Exception as exc:
            raise CorruptDocument(f"Page {i + 1} of the PDF is damaged ({type(exc).__name__}).") from exc
    chars = sum(len(t.strip()) for t in texts)
    if chars >= _MIN_CHARS_PER_PAGE * n * 0.5:
        if progress is not None:
            progress(n, n)
        return LoadedDocument(text="\n\f\n".join(reflow(t) for t in texts), media_type=MEDIA_PDF, pages=n)
    if not ocr:
        raise EmptyDocument(
            "The PDF has no text layer (it is probably a scan) and OCR is turned off; upload the Word file or a PDF "
            "with text, or turn OCR on."
        )
    from binhdang.docparse.ocr import ocr_pdf

    pages = ocr_pdf(data, max_pages=max_pages, pages=n, progress=progress)
    if not "".join(pages).strip():
        raise EmptyDocument("The PDF has no text layer and OCR found no text in it.")
    return LoadedDocument(text="\n\f\n".join(pages), media_type=MEDIA_PDF, pages=len(pages), ocr=True)

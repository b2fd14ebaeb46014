"""Errors the plan reader raises: one class per problem, each with a plain English message.

Callers catch :class:`DocParseError`; the subclasses say what was wrong with the input so the edge
(command line, upload form) can explain it without reading the message.
"""

from __future__ import annotations

__all__ = [
    "CorruptDocument",
    "DocParseError",
    "EmptyDocument",
    "EncodingError",
    "EncryptedDocument",
    "OcrUnavailable",
    "TooLarge",
    "UnsupportedFormat",
]


class DocParseError(Exception):
    """Base class: the document could not be read. ``str(exc)`` is a message for a person."""

    code = "parse_error"


class UnsupportedFormat(DocParseError):
    """The bytes are not a format the reader handles (binary junk, legacy .doc, spreadsheets...)."""

    code = "unsupported_format"


class EncodingError(DocParseError):
    """Text whose character encoding could not be determined or converted."""

    code = "encoding"


class EmptyDocument(DocParseError):
    """The document holds no text (empty file, Word file without paragraphs, blank scan)."""

    code = "empty_document"


class CorruptDocument(DocParseError):
    """The container is damaged: a truncated PDF, a zip that is not a Word document."""

    code = "corrupt_document"


class EncryptedDocument(DocParseError):
    """The document is password-protected and cannot be read without the password."""

    code = "encrypted_document"


class TooLarge(DocParseError):
    """The input is larger than the configured limit (bytes, pages or characters)."""

    code = "too_large"


class OcrUnavailable(DocParseError):
    """A scanned document needs OCR but Tesseract or its Vietnamese data is not installed."""

    code = "ocr_unavailable"

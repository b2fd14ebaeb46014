"""The plan-document reader: pure Python, imports nothing from Django (only ``binhdang.lib``).

``parse_bytes(data, filename)`` and ``parse_text(text)`` return a :class:`ParseResult` whose ``plan`` is a
``binhdang.plan/1`` dict (docs/plan-format.md). Bad input raises a :class:`DocParseError` subclass.
"""

from __future__ import annotations

from binhdang.docparse.errors import (
    CorruptDocument,
    DocParseError,
    EmptyDocument,
    EncodingError,
    EncryptedDocument,
    OcrUnavailable,
    TooLarge,
    UnsupportedFormat,
)
from binhdang.docparse.pipeline import parse_bytes, parse_text
from binhdang.docparse.result import ParseResult

__all__ = [
    "CorruptDocument",
    "DocParseError",
    "EmptyDocument",
    "EncodingError",
    "EncryptedDocument",
    "OcrUnavailable",
    "ParseResult",
    "TooLarge",
    "UnsupportedFormat",
    "parse_bytes",
    "parse_text",
]

"""The pipeline: load → normalise → blocks → rules → typed result → plan/1 JSON."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from binhdang.docparse.blocks import split_blocks
from binhdang.docparse.errors import TooLarge
from binhdang.docparse.load import DEFAULT_MAX_BYTES, load_bytes
from binhdang.docparse.normalise import normalise
from binhdang.docparse.result import ParseResult, plan_to_json
from binhdang.docparse.rules import Context, Rule, default_rules

__all__ = ["MAX_CHARS", "parse_bytes", "parse_text"]

MAX_CHARS = 2_000_000

_PLAN_WORDS = re.compile(r"KẾ HOẠCH|Kế hoạch|kế hoạch|CHƯƠNG TRÌNH|Chương trình")
_GENDER_WORDS = re.compile(r"bình đẳng giới|tiến bộ (?:của )?phụ nữ|Bình đẳng giới|VSTBPN|BÌNH ĐẲNG GIỚI")


def _is_plan(ctx: Context) -> tuple[bool, str | None]:
    text = ctx.text
    if len(text.strip()) < 200:
        return False, "The text is too short to be a plan (fewer than 200 characters)."
    if not _PLAN_WORDS.search(text):
        return False, 'The text does not call itself a plan (no "Kế hoạch").'
    sections = [b for b in ctx.blocks if b.kind == "section"]
    items = [b for b in ctx.blocks if b.kind in {"item", "bullet"}]
    if len(sections) < 2 and len(items) < 5:
        return False, "The text has no plan structure (no numbered sections, items or bullets)."
    if ctx.plan.document.kind not in (None, "KH", "CTr", "QĐ", "ĐA", "PA", "HD"):
        return False, f"The document is a {ctx.plan.document.kind}, not a plan."
    if not _GENDER_WORDS.search(text):
        return True, None
    return True, None


def parse_text(text: str, *, rules: list[Rule] | None = None, source: dict[str, Any] | None = None) -> ParseResult:
    """Read a plan from text. Never raises for odd text: a text that is not a plan gives ``is_plan=False``."""
    if len(text) > MAX_CHARS:
        raise TooLarge(f"The text has {len(text):,} characters; the limit is {MAX_CHARS:,}.")
    norm = normalise(text)
    ctx = Context(text=norm, blocks=split_blocks(norm))
    for rule in rules if rules is not None else default_rules():
        if rule.test(ctx):
            rule.run(ctx)
    doc = ctx.plan.document
    doc.status = "issued" if (doc.code or doc.date or (ctx.plan.signer and ctx.plan.signer.name)) else "draft"
    is_plan, reason = _is_plan(ctx)
    src = dict(source or {})
    src["text"] = norm
    plan = plan_to_json(ctx.plan, src)
    return ParseResult(is_plan=is_plan, reason=reason, plan=plan, typed=ctx.plan, text=norm)


def parse_bytes(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ocr: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ParseResult:
    """Read a plan from a file's bytes (format sniffed). Raises :class:`DocParseError` subclasses on bad input.

    ``progress(done, total)`` is called as pages are read: per page for PDFs (a 40-page scan reports 0/40 ...
    40/40 as OCR goes), once at the start (0, 1) and the end (1, 1) for other formats.
    """
    loaded = load_bytes(data, filename, max_bytes=max_bytes, ocr=ocr, progress=progress)
    source = {
        "filename": filename or None,
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": loaded.media_type,
        "pages": loaded.pages,
    }
    result = parse_text(loaded.text, source=source)
    result.notes[:0] = loaded.notes
    return result

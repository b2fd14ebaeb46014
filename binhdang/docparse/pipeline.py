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
from binhdang.docparse.notes import NOT_CALLED_PLAN
from binhdang.docparse.result import ParseResult, plan_to_json
from binhdang.docparse.rules import Context, Rule, default_rules

__all__ = ["MAX_CHARS", "parse_bytes", "parse_text"]

MAX_CHARS = 2_000_000

_PLAN_WORDS = re.compile(r"KẾ HOẠCH|Kế hoạch|kế hoạch|CHƯƠNG TRÌNH|Chương trình")


def _anatomy(ctx: Context) -> int:
    """How many parts of an administrative document's anatomy the text has (number, place and date, issuer,
    type line, legal bases, signature)."""
    plan = ctx.plan
    doc = plan.document
    return sum(
        (
            bool(doc.code),
            bool(doc.date),
            bool(doc.issuer),
            "kind" in doc.spans,
            any(r.relation == "basis" for r in plan.references),
            bool(plan.signer and plan.signer.name),
        )
    )


def _is_plan(ctx: Context) -> tuple[bool, str | None]:
    """Weigh the evidence: a not-plan is named by the verdict; a text with the anatomy of an administrative
    document is never refused; only text with neither anatomy nor plan structure is not a plan."""
    plan = ctx.plan
    if plan.verdict == "not-plan":
        return False, f"The document is a {plan.not_plan or 'document of another kind'}, not a plan."
    text = ctx.text
    if _anatomy(ctx) >= 2:
        if not _PLAN_WORDS.search(text):
            plan.notes.append(NOT_CALLED_PLAN)
        return True, None
    if len(text.strip()) < 200:
        return False, "The text is too short to be a plan (fewer than 200 characters)."
    if not _PLAN_WORDS.search(text):
        return False, 'The text does not call itself a plan (no "Kế hoạch").'
    sections = [b for b in ctx.blocks if b.kind == "section"]
    items = [b for b in ctx.blocks if b.kind in {"item", "bullet"}]
    if len(sections) < 2 and len(items) < 5:
        return False, "The text has no plan structure (no numbered sections, items or bullets)."
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
    if not is_plan and ctx.plan.verdict == "plan":
        ctx.plan.verdict = "not-plan"
    src = dict(source or {})
    src["text"] = norm
    plan = plan_to_json(ctx.plan, src)
    return ParseResult(is_plan=is_plan, reason=reason, plan=plan, typed=ctx.plan, text=norm, notes=list(ctx.plan.notes))


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

"""The reader's notes on a document: one home for their wording, so the pages can show them in Vietnamese.

The notes travel in the plan JSON as English sentences (``notes``: docs/plan-format.md), which the command line
prints as they are. The web layer recognises each by :func:`note_kind` and shows its own translation.
"""

from __future__ import annotations

import re

__all__ = ["NOT_CALLED_PLAN", "NO_GENDER", "note_kind", "utf8_replaced"]

NO_GENDER = (
    "The plan does not mention gender equality (bình đẳng giới); it is read all the same, since "
    "gender-equality tasks often sit inside plans on other topics."
)
NOT_CALLED_PLAN = 'The document does not call itself a plan (no "Kế hoạch"); it is read as one.'
_UTF8 = re.compile(r"The file is UTF-8 with (\d+) invalid bytes? \(perhaps cut in the middle of a character\)")


def utf8_replaced(bad: int) -> str:
    return (
        f"The file is UTF-8 with {bad} invalid byte{'s' if bad != 1 else ''} (perhaps cut in the middle of a "
        "character); each was replaced by \ufffd and the rest read as written."
    )


def note_kind(note: str) -> tuple[str, int | None]:
    """("no-gender" | "not-called-plan" | "utf8-replaced" | "other", the count a note carries)."""
    if note == NO_GENDER:
        return "no-gender", None
    if note == NOT_CALLED_PLAN:
        return "not-called-plan", None
    match = _UTF8.match(note)
    if match:
        return "utf8-replaced", int(match.group(1))
    return "other", None

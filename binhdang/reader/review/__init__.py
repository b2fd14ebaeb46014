"""What the review page shows and how a person's corrections are applied to the reader's plan/1 tree.

Each editable value is addressed by its JSON Pointer (RFC 6901), the same key the reader's `provenance`
uses, so the page can highlight the text a value came from. Pure functions: no database.

- :mod:`.fields`: the editable fields (labels, kinds, choices) and the pointers that address them;
- :mod:`.values`: a value as shown, and a typed value read back;
- :mod:`.form`: the page's sections, rows and fields (building the form);
- :mod:`.apply`: applying the posted corrections, and the tree the loader stores (applying the form).

The names below are the package's public face: the review view, the reader's tests and the plan loader's
tests import them from here.
"""

from __future__ import annotations

from binhdang.reader.review.apply import NotAPlan, decimal_or_none, plan_for_loader, review_apply, value_is_default
from binhdang.reader.review.fields import pointer_get, pointer_set
from binhdang.reader.review.form import VERDICT_TITLES, agency_names, review_sections, verdict_of

__all__ = [
    "VERDICT_TITLES",
    "NotAPlan",
    "agency_names",
    "decimal_or_none",
    "plan_for_loader",
    "pointer_get",
    "pointer_set",
    "review_apply",
    "review_sections",
    "value_is_default",
    "verdict_of",
]

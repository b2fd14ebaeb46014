"""Which administrative unit a plan belongs to, from what its document says."""

from __future__ import annotations

import datetime as dt
import re

from binhdang.lib.text import fold
from binhdang.places.models import AdministrativeUnit
from binhdang.places.resolve import unit_find, unit_find_path

_COMMITTEE_PREFIX = re.compile(r"^(uy ban nhan dan|ubnd)\s+", re.IGNORECASE)


def plan_unit_resolve(
    *, unit_code: str, unit_path: str, issuer: str, level: str, on: dt.date
) -> AdministrativeUnit | None:
    """The unit named by an explicit code ("legacy:19"), by the unit path, or by the issuing committee."""
    if unit_code:
        generation, _, code = unit_code.partition(":")
        found = AdministrativeUnit.objects.filter(generation=generation, code=code).first()
        if found is not None:
            return found
    if unit_path:
        found = unit_find_path(unit_path, at=on)
        if found is not None:
            return found
    if issuer:
        folded = fold(issuer)
        match = _COMMITTEE_PREFIX.match(folded)
        if match:
            # fold() keeps the length of plain ASCII words, so the prefix length carries over to the original.
            name = issuer[match.end() :].strip() if len(folded) == len(issuer) else _strip_committee(issuer)
            return unit_find(name, at=on, level=level)
    return None


def _strip_committee(issuer: str) -> str:
    words = issuer.split()
    for size in (4, 1):
        if fold(" ".join(words[:size])) in {"uy ban nhan dan", "ubnd"}:
            return " ".join(words[size:])
    return issuer

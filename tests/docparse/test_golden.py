"""Golden tests: the reader's output for each tests/golden/<seed>.txt against the hand-written expectations.

Compared field by field (``source``, ``provenance`` and checks' ``message`` ignored); a failure prints every
differing field. Differences that are allowed are listed below, each with its reason; nothing else is skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from binhdang.docparse import parse_text
from tests.docparse.golden_compare import compare

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "binhdang" / "schemas" / "plan-1.schema.json").read_text(encoding="utf-8")
)
CASES = sorted(p.name.removesuffix(".expected.json") for p in GOLDEN.glob("*.expected.json"))

# pointer prefix -> reason, per case ("*" for every case). Every seed is now reproduced field by field; a
# difference may only be allowed here with the reason it cannot be read by a general rule.
ALLOWED: dict[str, dict[str, str]] = {"*": {}}


def _allowed(case: str, pointer: str) -> bool:
    rules = {**ALLOWED["*"], **ALLOWED.get(case, {})}
    return any(pointer == p or pointer.startswith(p + "/") or pointer.startswith(p + "#") for p in rules)


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    expected = json.loads((GOLDEN / f"{case}.expected.json").read_text(encoding="utf-8"))
    result = parse_text((GOLDEN / f"{case}.txt").read_text(encoding="utf-8"))
    assert result.is_plan, result.reason
    jsonschema.validate(result.plan, SCHEMA)
    _ok, _total, diffs = compare(expected, result.plan)
    remaining = [d for d in diffs if not _allowed(case, d.split(":", 1)[0])]
    assert not remaining, f"{len(remaining)} fields differ from {case}.expected.json:\n" + "\n".join(remaining)

"""Field-by-field comparison of a parsed plan with a hand-written golden file."""

from __future__ import annotations

import json
from typing import Any

IGNORED_TOP = {"source", "provenance"}


def flatten(value: Any, pointer: str = "") -> dict[str, Any]:
    """JSON Pointer -> leaf value; lists of scalars stay whole so order matters."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if pointer == "" and k in IGNORED_TOP:
                continue
            if k == "message" and "/checks/" in pointer:
                continue
            out.update(flatten(v, f"{pointer}/{k}"))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{pointer}/{i}"))
        out[f"{pointer}#len"] = len(value)
    else:
        out[pointer] = value
    return out


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> tuple[int, int, list[str]]:
    """Return (matching, total, diff lines) over the expected file's fields."""
    exp, act = flatten(expected), flatten(actual)
    diffs: list[str] = []
    ok = 0
    for key, value in exp.items():
        got = act.get(key, "<missing>")
        if _equal(value, got):
            ok += 1
        else:
            diffs.append(
                f"{key}:\n    expected {json.dumps(value, ensure_ascii=False)}\n"
                f"    actual   {json.dumps(got, ensure_ascii=False)}"
            )
    for key in act:
        if key not in exp and not key.endswith("#len"):
            diffs.append(f"{key}: unexpected {json.dumps(act[key], ensure_ascii=False)[:120]}")
    return ok, len(exp), diffs


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)

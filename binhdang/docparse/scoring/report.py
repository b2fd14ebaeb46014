"""The score as text: the per-field table and the per-document list of missed and wrong items."""

from __future__ import annotations

from binhdang.docparse.scoring.golden import FIELDS
from binhdang.docparse.scoring.match import Score

__all__ = ["render_table", "render_verbose"]


def _ratio(v: float | None) -> str:
    return "    -" if v is None else f"{v:5.3f}"


def render_table(score: Score) -> str:
    """One line per field: precision, recall, golden count, read count (docs/reader-scoring.md)."""
    lines = [
        f"{len(score.documents)} documents",
        f"{'field':<14} {'precision':>9} {'recall':>7} {'golden':>7} {'read':>6}",
    ]
    for name in FIELDS:
        c = score.totals[name]
        lines.append(f"{name:<14} {_ratio(c.precision):>9} {_ratio(c.recall):>7} {c.golden:>7} {c.read:>6}")
    return "\n".join(lines)


def render_verbose(score: Score) -> str:
    """Per document: its verdicts, the per-field counts, then every missed and wrong item."""
    out = []
    for d in score.documents:
        out.append(f"\n== {d.name}: golden {d.verdict}, read {d.read_verdict}" + (f" ({d.error})" if d.error else ""))
        out.append(
            "   "
            + "  ".join(
                f"{k} {c.right_golden}/{c.golden} (read {c.read})"
                for k, c in d.counts.items()
                if k not in ("not-plans", "plans read") and (c.golden or c.read)
            )
        )
        out += [f"   missed: {m}" for m in d.missed]
        out += [f"   wrong:  {w}" for w in d.wrong]
    return "\n".join(out)

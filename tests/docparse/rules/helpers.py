"""Run chosen reader rules on a short text, without the rest of the pipeline.

A rule reads what earlier rules found (leads read the tasks, references read the identity), so a test names
the rules its snippet needs; they run in the pipeline's order (priority), on the text as the pipeline
normalises it.
"""

from __future__ import annotations

from binhdang.docparse.blocks import split_blocks
from binhdang.docparse.normalise import normalise
from binhdang.docparse.rules import Context, Rule


def run_rules(text: str, *rules: Rule) -> Context:
    norm = normalise(text)
    ctx = Context(text=norm, blocks=split_blocks(norm))
    for rule in sorted(rules, key=lambda r: r.priority):
        if rule.test(ctx):
            rule.run(ctx)
    return ctx

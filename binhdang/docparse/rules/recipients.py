"""Recipients: the dash list under "Nơi nhận:" (and "Bản điện tử:"), one string per line."""

from __future__ import annotations

import re

from binhdang.docparse.result import Aim, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value

__all__ = ["RecipientsRule"]


class RecipientsRule:
    name = "recipients"
    priority = 90

    def test(self, ctx: Context) -> bool:
        return "Nơi nhận" in ctx.text

    def run(self, ctx: Context) -> None:
        text = ctx.text
        start = text.rfind("Nơi nhận")
        out: list[Aim] = []
        for m in re.finditer(r"^\s*-\s*(?P<r>[^\n]+?)\s*$", text[start:], re.MULTILINE):
            r = clean_value(m["r"]).rstrip(";.,")
            if " | " in r or not r or len(r) > 200:
                continue
            s = start + m.start("r")
            out.append(Aim(text=r, spans={"text": Span(s, s + len(m["r"]), 0.9)}))
        ctx.plan.recipients = out

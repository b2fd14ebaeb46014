"""Signer: authority ("KT. CHỦ TỊCH"), title ("PHÓ CHỦ TỊCH") and name, from the end of the document."""

from __future__ import annotations

import re

from binhdang.docparse.result import Signer, Span
from binhdang.docparse.rules import Context

__all__ = ["SignatureRule"]

_AUTH = re.compile(
    r"^(?P<a>(?:KT|TM|TL|TUQ|Q)\s*[./]\s*(?:CHỦ TỊCH|ỦY BAN NHÂN DÂN|UBND|GIÁM ĐỐC)[^\n]*?)\s*$", re.MULTILINE
)
_TITLE = re.compile(
    r"^(?P<t>(?:PHÓ\s+)?CHỦ\s+TỊCH|[A-ZĐÀ-Ỹ]{1,4}\s+CHỦ\s+TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC)\s*$", re.MULTILINE
)
_NAME = re.compile(r"^(?P<n>(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ]+)(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4})\s*$", re.MULTILINE)
_NOT_NAME = re.compile(r"^(?:Nơi nhận|Đã ký|Bản điện tử|Lưu|Trên đây|Trong)")


class SignatureRule:
    name = "signature"
    priority = 80

    def test(self, ctx: Context) -> bool:
        return True

    def run(self, ctx: Context) -> None:
        text = ctx.text
        tail_start = max(0, len(text) - 2500)
        nm = re.search(r"Nơi nhận", text[tail_start:])
        if nm:
            tail_start += nm.start()
        tail = text[tail_start:]
        signer = Signer()
        auths = list(_AUTH.finditer(tail))
        am = auths[-1] if auths else None
        if am:
            signer.authority = re.sub(r"\s+", " ", am["a"]).strip()
            signer.spans["authority"] = Span(tail_start + am.start("a"), tail_start + am.end("a"), 0.9)
        tm = _TITLE.search(tail, am.end() if am else 0)
        if tm:
            title = re.sub(r"\s+", " ", tm["t"])
            conf = 0.9
            if not title.startswith(("PHÓ", "CHỦ", "GIÁM")) and title.endswith("CHỦ TỊCH"):
                # OCR damage of "PHÓ" ("HỒ CHỦ TỊCH"); under "KT. CHỦ TỊCH" the signer is a vice chair.
                title, conf = "PHÓ CHỦ TỊCH", 0.6
            signer.title = title
            signer.spans["title"] = Span(tail_start + tm.start("t"), tail_start + tm.end("t"), conf)
        names = [m for m in _NAME.finditer(tail) if not _NOT_NAME.match(m["n"])]
        if names and (am or tm):
            n = names[-1]
            signer.name = n["n"]
            signer.spans["name"] = Span(tail_start + n.start("n"), tail_start + n.end("n"), 0.85)
        if signer.name or signer.title or signer.authority:
            ctx.plan.signer = signer

"""Legacy Vietnamese 8-bit encodings: TCVN3 (ABC, the ".Vn" fonts) and VNI (the "VNI-" fonts).

Before Unicode, Vietnamese documents were typed in fonts whose glyphs sat on Latin-1 code points. Such a
file is read byte by byte (TCVN3: one byte per letter) or as base letter plus a tone byte (VNI: "aø" is
"à"). The same damage appears inside Unicode documents typed in those fonts: the text is valid Unicode but
reads "B¶o Th¾ng". Both cases are detected here from the patterns the encodings leave and converted.

Tables: TCVN 5712:1993 VN3 (the ABC lower-case table; capitals with accents only exist in the separate
".VnXxxH" fonts, which reuse the lower-case code points, so they decode to lower case) and the VNI-Windows
table (xvnkb's ``vni.h`` lists the same pairs).
"""

from __future__ import annotations

import re
import unicodedata

from binhdang.docparse.errors import EncodingError

__all__ = [
    "decode_legacy",
    "detect_legacy",
    "encode_tcvn3",
    "encode_vni",
    "fix_legacy_text",
    "tcvn3_to_unicode",
    "vni_to_unicode",
]

# TCVN3 (ABC): code point (as Latin-1) -> Unicode letter.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ ïù óú ñủ òũ ôụ "
    "\u00adư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ ¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ")}
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items()}

# VNI-Windows: base letter + mark character.  Marks (lower case; capitals use the upper-case Latin-1 form).
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HATS = {"â": "\u0302", "ê": "\u0306"}  # circumflex on a/e/o; breve on a
# Circumflex + tone combined in one byte: á=ấ-mark, à=ầ, å=ẩ, ã=ẫ, ä=ậ; breve + tone: é=ắ, è=ằ, ú=ẳ, ü=ẵ, ë=ặ.
_VNI_CIRC_TONE = {"á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE_TONE = {"é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
# Single characters that are whole letters in VNI.
_VNI_LETTERS = {
    "ñ": "đ",
    "Ñ": "Đ",
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "í": "í",
    "Í": "Í",
    "ì": "ì",
    "Ì": "Ì",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lower in (True, False):

        def c(ch: str, _lower: bool = lower) -> str:
            return ch if _lower else ch.upper()

        for base in "aeouy":
            for mark, comb in _VNI_TONES.items():
                table[c(base) + c(mark)] = unicodedata.normalize("NFC", c(base) + comb)
        for base in "aeo":
            table[c(base) + c("â")] = unicodedata.normalize("NFC", c(base) + "\u0302")
            for mark, comb in _VNI_CIRC_TONE.items():
                table[c(base) + c(mark)] = unicodedata.normalize("NFC", c(base) + "\u0302" + comb)
        table[c("a") + c("ê")] = unicodedata.normalize("NFC", c("a") + "\u0306")
        for mark, comb in _VNI_BREVE_TONE.items():
            table[c("a") + c(mark)] = unicodedata.normalize("NFC", c("a") + "\u0306" + comb)
        for base, horn in (("ô", "ơ"), ("ö", "ư")):
            for mark, comb in _VNI_TONES.items():
                table[c(base) + c(mark)] = unicodedata.normalize("NFC", c(horn) + comb)
    # Capitals of "ơ"/"ư" with tones: "ÔÙ" is "Ớ"; covered by c(); whole-letter characters come last so
    # the two-character pairs win in the regex alternation below.
    return table


VNI_PAIRS: dict[str, str] = _vni_table()
VNI_TO_UNICODE: dict[str, str] = {**VNI_PAIRS, **_VNI_LETTERS}
UNICODE_TO_VNI: dict[str, str] = {}
for _k, _v in sorted(VNI_TO_UNICODE.items(), key=lambda kv: len(kv[0])):
    UNICODE_TO_VNI.setdefault(_v, _k)
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

# Characters that real Unicode Vietnamese uses and Latin-1 does not: their presence means "not legacy".
_VIET_ONLY = re.compile("[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9]")
# Characters only TCVN3 text uses (symbols where TCVN3 keeps frequent letters: à á ả ã ạ ă â đ ê ô ơ...).
_TCVN3_STRONG = re.compile("[µ¸¶·¹¨»¾¼½©®ª«¬×¡¢£¤¥¦§]")
# VNI leaves a mark character right after a vowel ("aø" = "à"), and writes "đ" as "ñ".
_VNI_STRONG = re.compile("[aeouyAEOUYôöÔÖ][øûõïåäëüØÛÕÏÅÄËÜ]|[ñÑ]")


def tcvn3_to_unicode(s: str) -> str:
    """Convert text whose characters are TCVN3 code points (read as Latin-1) to Unicode NFC."""
    return "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in s)


def vni_to_unicode(s: str) -> str:
    """Convert text whose characters are VNI-Windows code points (read as cp1252/Latin-1) to Unicode."""
    return _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], s)


def encode_tcvn3(s: str) -> bytes:
    """Encode Unicode Vietnamese as TCVN3 bytes (for tests and fixtures). Capitals with tones are lowered."""
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in UNICODE_TO_TCVN3:
            out.append(UNICODE_TO_TCVN3[ch])
        elif ch.lower() in UNICODE_TO_TCVN3 and not ch.isascii():
            out.append(UNICODE_TO_TCVN3[ch.lower()])
        else:
            out.append(ch)
    return "".join(out).encode("latin-1")


def encode_vni(s: str) -> bytes:
    """Encode Unicode Vietnamese as VNI-Windows bytes (for tests and fixtures)."""
    out = "".join(UNICODE_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", s))
    return out.encode("cp1252")


def detect_legacy(s: str) -> str | None:
    """Return "tcvn3", "vni" or None for text read as Latin-1 (or Unicode text typed in a legacy font).

    Real Unicode Vietnamese is full of letters outside Latin-1 (ă đ ơ ư ạ ế...); legacy text has almost
    none, and instead the symbols each encoding uses for frequent letters.
    """
    tcvn = len(_TCVN3_STRONG.findall(s))
    vni = len(_VNI_STRONG.findall(s))
    best = max(tcvn, vni)
    if best < 3 or len(_VIET_ONLY.findall(s)) * 2 >= best:
        return None
    return "tcvn3" if tcvn > vni else "vni"


_PREFIX = 20000


def fix_legacy_text(s: str) -> tuple[str, str | None]:
    """Convert Unicode text typed in a legacy font; returns (text, encoding or None)."""
    # Counting over a whole long document is the costliest step of normalising it; a prefix full of real
    # Vietnamese letters already settles that the text is not legacy (the whole text is counted otherwise).
    if len(s) > 5000:
        head = s[:5000]
        if (
            len(_VIET_ONLY.findall(head)) >= 300
            and _TCVN3_STRONG.search(head) is None
            and _VNI_STRONG.search(head) is None
        ):
            return s, None
    if len(s) > _PREFIX:
        head = s[:_PREFIX]
        if detect_legacy(head) is None and len(_VIET_ONLY.findall(head)) > 200:
            return s, None
    enc = detect_legacy(s)
    if enc == "vni":
        return unicodedata.normalize("NFC", vni_to_unicode(s)), enc
    if enc == "tcvn3":
        return unicodedata.normalize("NFC", tcvn3_to_unicode(s)), enc
    return s, None


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode 8-bit bytes that are not UTF-8: TCVN3 or VNI, else refuse with :class:`EncodingError`."""
    text = data.decode("latin-1")
    enc = detect_legacy(text)
    if enc == "vni":
        return unicodedata.normalize("NFC", vni_to_unicode(data.decode("cp1252", errors="replace"))), enc
    if enc == "tcvn3":
        return unicodedata.normalize("NFC", tcvn3_to_unicode(text)), enc
    # Windows-1258 (Vietnamese code page) uses combining tone marks at 0xCC/0xDE/0xD2/0xEC/0xF2.
    raise EncodingError(
        "The text file is neither UTF-8 nor UTF-16, and it does not look like the legacy Vietnamese "
        "encodings TCVN3 (ABC) or VNI; save it as UTF-8 and try again."
    )

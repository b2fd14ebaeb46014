"""Vietnamese syllable check, used to split words glued together by a bad conversion ("Hương Sơngiai đoạn").

A token is split only when it is not one syllable, holds a letter only Vietnamese uses, and exactly one cut
makes two valid syllables: foreign words, abbreviations and numbers are never touched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["is_syllable", "split_glued"]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_INITIALS = sorted(
    [
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "gh",
        "gi",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "ngh",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
    key=len,
    reverse=True,
)
_RHYMES = {
    "a",
    "ac",
    "ach",
    "ai",
    "am",
    "an",
    "ang",
    "anh",
    "ao",
    "ap",
    "at",
    "au",
    "ay",
    "e",
    "ec",
    "em",
    "en",
    "eng",
    "eo",
    "ep",
    "et",
    "i",
    "ia",
    "ich",
    "im",
    "in",
    "inh",
    "ip",
    "it",
    "iu",
    "iêc",
    "iêm",
    "iên",
    "iêng",
    "iêp",
    "iêt",
    "iêu",
    "o",
    "oa",
    "oac",
    "oach",
    "oai",
    "oam",
    "oan",
    "oang",
    "oanh",
    "oao",
    "oap",
    "oat",
    "oay",
    "oc",
    "oe",
    "oen",
    "oeo",
    "oet",
    "oi",
    "om",
    "on",
    "ong",
    "ooc",
    "oong",
    "op",
    "ot",
    "oăc",
    "oăm",
    "oăn",
    "oăng",
    "oăt",
    "u",
    "ua",
    "uc",
    "ui",
    "um",
    "un",
    "ung",
    "up",
    "ut",
    "uy",
    "uya",
    "uych",
    "uynh",
    "uyt",
    "uyu",
    "uyên",
    "uyêt",
    "uân",
    "uâng",
    "uât",
    "uây",
    "uê",
    "uêch",
    "uênh",
    "uôc",
    "uôi",
    "uôm",
    "uôn",
    "uông",
    "uôt",
    "uơ",
    "y",
    "yêm",
    "yên",
    "yêt",
    "yêu",
    "âc",
    "âm",
    "ân",
    "âng",
    "âp",
    "ât",
    "âu",
    "ây",
    "ê",
    "êch",
    "êm",
    "ên",
    "ênh",
    "êp",
    "êt",
    "êu",
    "ô",
    "ôc",
    "ôi",
    "ôm",
    "ôn",
    "ông",
    "ôp",
    "ôt",
    "ăc",
    "ăm",
    "ăn",
    "ăng",
    "ăp",
    "ăt",
    "ơ",
    "ơi",
    "ơm",
    "ơn",
    "ơp",
    "ơt",
    "ư",
    "ưa",
    "ưc",
    "ưi",
    "ưm",
    "ưn",
    "ưng",
    "ưt",
    "ưu",
    "ươc",
    "ươi",
    "ươm",
    "ươn",
    "ương",
    "ươp",
    "ươt",
    "ươu",
}

_VIET_ONLY = re.compile("[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]|[àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
_TOKEN = re.compile(r"(?<![\w/])([A-ZÀ-Ỹa-zà-ỹĐđ]?[a-zà-ỹđ]{4,})(?![\w/])")


def _untone(s: str) -> str:
    d = unicodedata.normalize("NFD", s.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES))


def is_syllable(word: str) -> bool:
    """True when ``word`` is one well-formed Vietnamese syllable (tone marks ignored)."""
    w = _untone(word)
    if w in _RHYMES:
        return True
    for ini in _INITIALS:
        if w.startswith(ini) and w[len(ini) :] in _RHYMES:
            return True
    # "gi" + a rhyme starting with i ("gìn" = gi + in) is written without the second i.
    return w.startswith("gi") and ("i" + w[2:]) in _RHYMES


@lru_cache(maxsize=65536)
def _split(token: str) -> str:
    if is_syllable(token) or not _VIET_ONLY.search(token):
        return token
    cuts = [i for i in range(2, len(token) - 1) if is_syllable(token[:i]) and is_syllable(token[i:])]
    # The second part must start with a consonant: "Sơn|giai", not "Sơng|iai".
    cuts = [i for i in cuts if token[i].lower() not in "aăâeêioôơuưy"]
    if len(cuts) != 1:
        return token
    return token[: cuts[0]] + " " + token[cuts[0] :]


# _TOKEN without its look-arounds: finds every token _TOKEN finds (and some more), much faster.
_LOOSE = re.compile(r"[A-ZÀ-Ỹa-zà-ỹĐđ]?[a-zà-ỹđ]{4,}")


def split_glued(text: str) -> str:
    """Split tokens that are two Vietnamese syllables glued together."""
    changed = {t for t in set(_LOOSE.findall(text)) if _split(t) != t}
    if not changed:
        return text
    return _TOKEN.sub(lambda m: _split(m.group(1)) if m.group(1) in changed else m.group(0), text)

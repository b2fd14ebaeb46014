"""A matching key for agency names, so the many spellings of one agency compare equal.

The same department is written "Sở Lao động – Thương binh và Xã hội", "Sở Lao động - TB&XH", "Sở LĐTBXH"
and "Sở Lao động TB&XH" within one province's documents. :func:`agency_key` folds the name (no accents,
lowercase, so "Uỷ"/"Ủy" and "Hoà"/"Hòa" agree), expands known abbreviations, then drops connectives and
punctuation, leaving a space-joined token string. It is a key for matching, never for display.
"""

from __future__ import annotations

import re

from binhdang.lib.text import clean_text, fold

__all__ = ["ABBREVIATIONS", "NOISE_WORDS", "agency_key"]

# Folded abbreviation → folded expansion. Keys are written without connectors: the matcher also accepts
# "&", "-" or " và " between any two letters of a key ("tb&xh", "pt-th", "gd - dt", "tb và xh" all match),
# so each abbreviation needs one entry. A key matches only as a whole word. Expansions may contain "và";
# it is dropped with the other noise words afterwards. Add an entry when a real document needs it.
ABBREVIATIONS: dict[str, str] = {
    # People's councils and committees, and their parts
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ub": "uy ban",
    "tp": "thanh pho",
    # Fatherland Front and mass organisations
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "lhpn": "lien hiep phu nu",
    "hlhpn": "hoi lien hiep phu nu",
    "ldld": "lien doan lao dong",
    "tncs": "thanh nien cong san",
    "hcm": "ho chi minh",
    "vstbpn": "vi su tien bo cua phu nu",
    # Departments (Sở at province level, Phòng at district level)
    "ldtbxh": "lao dong thuong binh va xa hoi",
    # "Sở LĐTĐ&XH" is a typo seen in a real plan; it can only mean the labour department.
    "ldtdxh": "lao dong thuong binh va xa hoi",
    "tbxh": "thuong binh va xa hoi",
    "vhttdl": "van hoa the thao va du lich",
    "vhtt": "van hoa thong tin",
    "vhxh": "van hoa xa hoi",
    "gddt": "giao duc va dao tao",
    "khdt": "ke hoach va dau tu",
    "tttt": "thong tin va truyen thong",
    "tnmt": "tai nguyen va moi truong",
    "nnptnt": "nong nghiep va phat trien nong thon",
    "gtvt": "giao thong van tai",
    "khcn": "khoa hoc va cong nghe",
    "bhxh": "bao hiem xa hoi",
    "ttyt": "trung tam y te",
    # Media
    "ptth": "phat thanh truyen hinh",
}

# Words that join parts of a name without changing which agency it is ("Phát thanh và Truyền hình" is
# "Phát thanh - Truyền hình"; "Ban vì sự tiến bộ phụ nữ" drops "của" as often as it keeps it).
NOISE_WORDS: frozenset[str] = frozenset({"va", "cua"})

_CONNECTOR = r"(?:\s*[&-]\s*|\s+va\s+)?"


def _abbreviation_pattern(abbreviation: str) -> str:
    return _CONNECTOR.join(re.escape(letter) for letter in abbreviation)


# Longest first, so "ubmttq" wins over "ub" and "hlhpn" over "lhpn" wherever both could apply.
_ABBREVIATION_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(_abbreviation_pattern(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)
_LOOSE_KEYS = {re.sub(r"[^a-z0-9]", "", k): v for k, v in ABBREVIATIONS.items()}
_TOKEN_SPLIT = re.compile(r"[\W_]+")


def _expand(match: re.Match[str]) -> str:
    letters = re.sub(r"\s+va\s+|[^a-z0-9]", "", match.group())
    return f" {_LOOSE_KEYS[letters]} "


def agency_key(name: str) -> str:
    """Return a key under which spellings of one agency name are equal.

    "Sở LĐTBXH", "Sở Lao động - TB&XH" and "Sở Lao động, Thương binh và Xã hội" all give
    "so lao dong thuong binh xa hoi"; "UBND tỉnh" and "Uỷ ban nhân dân tỉnh" give "uy ban nhan dan tinh".
    Applying it to its own output changes nothing.
    """
    folded = fold(clean_text(name))
    expanded = _ABBREVIATION_RE.sub(_expand, folded)
    tokens = (t for t in _TOKEN_SPLIT.split(expanded) if t and t not in NOISE_WORDS)
    return " ".join(tokens)

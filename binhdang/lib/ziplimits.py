"""Limits on a zip archive (.xlsx), checked from its directory before any part is unpacked.

A 400 KB file can hold a part that unpacks to 400 MB (deflate reaches about 1000:1 on repeated bytes), and
the readers build whole parts in memory (openpyxl parses styles.xml and sharedStrings.xml at once). So every
part is checked first: its unpacked size against a cap for parts of its kind, and its compression ratio.
The sizes in the directory can be trusted as bounds: Python's zipfile never returns more than the declared
size of a part (a part that unpacks to more fails its CRC check instead), so no reader can get more.
"""

from __future__ import annotations

import fnmatch
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    total: int  # all parts together, unpacked
    part: int  # one part, unpacked, unless `parts` names a cap for it
    ratio: int  # unpacked / packed, for a part larger than `ratio_floor`
    ratio_floor: int = 1 * MB
    entries: int = 2000
    parts: Mapping[str, int] = field(default_factory=dict)  # glob pattern -> cap for the parts it matches

    def cap_for(self, name: str) -> int:
        for pattern, cap in self.parts.items():
            if fnmatch.fnmatchcase(name, pattern):
                return cap
        return self.part


@dataclass(frozen=True)
class ZipProblem:
    """Why an archive is refused. code: "entries", "total", "part" or "ratio"."""

    code: str
    name: str = ""
    size: int = 0
    limit: int = 0
    ratio: int = 0


def zip_problem(archive: zipfile.ZipFile, limits: ZipLimits) -> ZipProblem | None:
    """The first limit the archive breaks, or None. Reads the directory only."""
    infos = archive.infolist()
    if len(infos) > limits.entries:
        return ZipProblem("entries", size=len(infos), limit=limits.entries)
    total = 0
    for info in infos:
        cap = limits.cap_for(info.filename)
        if info.file_size > cap:
            return ZipProblem("part", info.filename, info.file_size, cap)
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > limits.ratio:
                return ZipProblem("ratio", info.filename, info.file_size, limits.ratio, ratio)
        total += info.file_size
    if total > limits.total:
        return ZipProblem("total", size=total, limit=limits.total)
    return None


def megabytes(size: int, decimal: str = ",") -> str:
    """A size for a message: "400 MB", "1,5 MB" (``decimal="."`` for English)."""
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".", decimal)

"""DHIS2 formats, pure Python: period ids, dataValueSets JSON and ADX XML, parsed to and from plain rows.

Imports nothing from Django but its gettext (its messages are Vietnamese msgids, shown in English on the command
line), so it can be tested and reused alone (docs/dhis2.md). A parsed file is a list of
`DataValue` rows that still carry the codes as written; the services check them against the mapping tables.

XML is read with the standard library's expat parser set to refuse any document type declaration, and so
any entity declaration: an ADX file never needs one, and refusing them closes the "billion laughs" and
external-entity attacks without the defusedxml package (not installed here).
"""

from __future__ import annotations

from .adx import XSI_NS, adx_dump, adx_parse
from .common import (
    ADX_NS,
    BOOKKEEPING,
    BOOLEANS,
    DEFAULT_COC,
    SEX_ATTRIBUTES,
    SEX_CODES,
    DataValue,
    Dhis2FormatError,
    Dhis2Refused,
    Parsed,
    PeriodKey,
    adx_period,
    aoc_only_default,
    format_value,
    iso_period,
    parse_period_id,
    period_id,
    unused,
)
from .datavaluesets import datavaluesets_dump, datavaluesets_parse

__all__ = [
    "ADX_NS",
    "BOOKKEEPING",
    "BOOLEANS",
    "DEFAULT_COC",
    "SEX_ATTRIBUTES",
    "SEX_CODES",
    "XSI_NS",
    "DataValue",
    "Dhis2FormatError",
    "Dhis2Refused",
    "Parsed",
    "PeriodKey",
    "adx_dump",
    "adx_parse",
    "adx_period",
    "aoc_only_default",
    "datavaluesets_dump",
    "datavaluesets_parse",
    "format_value",
    "iso_period",
    "parse_period_id",
    "period_id",
    "unused",
]

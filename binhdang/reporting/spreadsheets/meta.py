"""The identity of a workbook, in its very hidden "_meta" sheet: the plan, the period and each report with its
reporter and version, signed with the site's secret. Writing it, reading and verifying it, and checking that
an uploaded file is the one the page expects (that report, that period)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Period, Report
from .cells import text_of
from .layout import FORMAT, SHEET_META
from .result import ImportResult
from .tables import stream_rows

# The module's name before it became a package: changing the salt would void every file already downloaded.
_SALT = "binhdang.reporting.spreadsheets"


@dataclass(frozen=True)
class ReportStamp:
    report_id: int
    reporter_id: int
    version: int


@dataclass(frozen=True)
class Identity:
    kind: str  # "report" | "period"
    plan_id: int
    period_id: int
    reports: tuple[ReportStamp, ...]


def _meta_rows(identity: Identity) -> list[list[str]]:
    rows = [
        ["format", FORMAT],
        ["kind", identity.kind],
        ["plan", str(identity.plan_id)],
        ["period", str(identity.period_id)],
    ]
    rows += [["report", str(s.report_id), str(s.reporter_id), str(s.version)] for s in identity.reports]
    return rows


def _checksum(rows: Sequence[Sequence[str]], secret: str | None = None) -> str:
    canonical = "\n".join("\t".join(row) for row in rows)
    return salted_hmac(_SALT, canonical, secret=secret, algorithm="sha256").hexdigest()


def _identity_from_rows(rows: list[list[str]]) -> Identity | None:
    """The identity if the meta rows are well formed and signed by this site; otherwise None."""
    if not rows or rows[-1][:1] != ["checksum"] or len(rows[-1]) < 2:
        return None
    body, signature = rows[:-1], rows[-1][1]
    # Files signed before a key rotation stay valid while the old key is listed in SECRET_KEY_FALLBACKS.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(_checksum(body, key), signature) for key in keys):
        return None
    values: dict[str, str] = {}
    stamps = []
    try:
        for row in body:
            if row[0] == "report":
                stamps.append(ReportStamp(int(row[1]), int(row[2]), int(row[3])))
            else:
                values[row[0]] = row[1]
        if values.get("format") != FORMAT or values.get("kind") not in ("report", "period"):
            return None
        return Identity(values["kind"], int(values["plan"]), int(values["period"]), tuple(stamps))
    except (IndexError, KeyError, ValueError):
        return None


def write_identity(wb: Any, identity: Identity) -> None:
    """Add the signed, very hidden identity sheet to a workbook being written."""
    meta = wb.create_sheet(SHEET_META)
    rows = _meta_rows(identity)
    for meta_row in [*rows, ["checksum", _checksum(rows)]]:
        meta.append(meta_row)
    meta.sheet_state = "veryHidden"


def read_identity(wb: Any) -> Identity | None:
    """The identity of an uploaded workbook; None when it has none or it is not signed by this site."""
    if SHEET_META not in wb.sheetnames:
        return None
    ws = wb[SHEET_META]
    ws.reset_dimensions()
    rows: list[list[str]] = []
    for number, row in enumerate(stream_rows(ws, values_only=True), start=1):
        if number > 10_000:
            return None
        cells = [text_of(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return _identity_from_rows(rows)


def check_identity(identity: Identity, report: Report | None, period: Period | None, result: ImportResult) -> bool:
    """Whether the file is the one expected: that report's workbook, or that period's."""
    if report is not None:
        if identity.kind != "report":
            result.error(
                None,
                None,
                None,
                "Đây là tệp của cả kỳ báo cáo (nhiều đơn vị); hãy tải lên ở trang kỳ báo cáo.",
                "This is a period workbook (several reporters); upload it on the period page.",
            )
            return False
        stamp = identity.reports[0] if identity.reports else None
        if stamp is None or stamp.report_id != report.pk or identity.period_id != report.period_id:
            result.error(
                None,
                None,
                None,
                f"Tệp này là của báo cáo khác (báo cáo số {stamp.report_id if stamp else '?'}), "
                f"không phải báo cáo số {report.pk}. Hãy tải tệp của đúng báo cáo.",
                f"This file belongs to another report ({stamp.report_id if stamp else '?'}), not report {report.pk}.",
            )
            return False
        if stamp.reporter_id != report.reporter_id:
            result.error(
                None, None, None, "Tệp này là của đơn vị báo cáo khác.", "This file belongs to another reporter."
            )
            return False
    if period is not None:
        if identity.kind != "period":
            result.error(
                None,
                None,
                None,
                "Đây là tệp của một báo cáo; hãy tải lên ở trang của báo cáo đó.",
                "This is the workbook of one report; upload it on that report's page.",
            )
            return False
        if identity.period_id != period.pk or identity.plan_id != period.plan_id:
            result.error(
                None,
                None,
                None,
                f"Tệp này là của kỳ báo cáo khác (kỳ số {identity.period_id}), không phải kỳ '{period.label}'.",
                f"This file belongs to another period ({identity.period_id}), not '{period.label}'.",
            )
            return False
    return True

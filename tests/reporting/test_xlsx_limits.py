"""Every part of an uploaded .xlsx is capped before openpyxl reads it (issue 13, finding 6's .xlsx twin).

The bomb is a real workbook of the product whose styles.xml is padded to 400 MB: about 400 KB on disk.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from dbsnapshot import product_tables
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from binhdang.lib.ziplimits import MB, ZipLimits, zip_problem
from binhdang.reporting.services import periods_generate, reports_generate
from binhdang.reporting.spreadsheets import MAX_BYTES, report_workbook, workbook_import


def padded(data: bytes, part: str, size: int) -> bytes:
    """The workbook with `part` padded with spaces to `size` bytes, written in chunks (the test stays small)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename != part:
                dst.writestr(info, body)
                continue
            with dst.open(part, "w", force_zip64=True) as handle:
                handle.write(body)
                chunk = b" " * MB
                left = size - len(body)
                while left > 0:
                    handle.write(chunk[: min(left, MB)])
                    left -= MB
    return out.getvalue()


# Packing 400 MB takes seconds, so the bomb is built once, from the first test's workbook. The later tests'
# reports have other ids; that cannot matter, because the limits are checked before the identity is read.
_BOMBS: dict[str, bytes] = {}


@pytest.fixture
def bomb(cycle: SimpleNamespace) -> SimpleNamespace:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.a_office.pk)
    if "styles" not in _BOMBS:
        _BOMBS["styles"] = padded(report_workbook(report), "xl/styles.xml", 400 * MB)
    data = _BOMBS["styles"]
    assert len(data) < MAX_BYTES  # small enough to pass the upload size check
    return SimpleNamespace(report=report, data=data, **vars(cycle))


def test_a_400_mb_part_is_refused_before_it_is_read(bomb: SimpleNamespace) -> None:
    before = product_tables()
    tracemalloc.start()
    try:
        result = workbook_import(user=bomb.commune_user, data=bomb.data, report=bomb.report)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.ok
    assert [e.message for e in result.errors] == [
        "Tệp Excel bị từ chối: phần 'xl/styles.xml' giải nén ra 400 MB, vượt giới hạn 5,0 MB cho phần này. "
        "Hãy mở tệp bằng Excel, lưu lại thành tệp .xlsx mới rồi tải lên lại."
    ]
    assert peak < 20 * MB, peak
    assert product_tables() == before


def test_the_page_says_why_in_vietnamese(bomb: SimpleNamespace) -> None:
    client = Client()
    client.force_login(bomb.commune_user)
    before = product_tables()
    upload = io.BytesIO(bomb.data)
    upload.name = "bao-cao.xlsx"
    response = client.post(reverse("report-xlsx-upload", args=[bomb.report.pk]), {"file": upload})
    assert response.status_code == 200
    assert "phần &#x27;xl/styles.xml&#x27; giải nén ra 400 MB" in response.content.decode()
    assert product_tables() == before


def test_the_command_line_says_why_in_english(bomb: SimpleNamespace, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(bomb.data)
    err = io.StringIO()
    before = product_tables()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("report_import", str(path), "--user", bomb.commune_user.username, stderr=err)
    assert "its part 'xl/styles.xml' unpacks to 400 MB, over the 5.0 MB limit" in err.getvalue()
    assert product_tables() == before


def test_a_sheet_compressed_like_a_bomb_is_refused(bomb: SimpleNamespace) -> None:
    data = padded(report_workbook(bomb.report), "xl/worksheets/sheet2.xml", 8 * MB)
    result = workbook_import(user=bomb.commune_user, data=data, report=bomb.report)
    assert not result.ok
    assert "phần 'xl/worksheets/sheet2.xml' nén tới" in result.errors[0].message


def test_the_products_own_workbook_passes(bomb: SimpleNamespace) -> None:
    archive = zipfile.ZipFile(io.BytesIO(report_workbook(bomb.report)))
    from binhdang.reporting.spreadsheets.layout import XLSX_LIMITS

    assert zip_problem(archive, XLSX_LIMITS) is None


def test_limits_name_the_first_broken_one() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"x" * 3000)
        z.writestr("big/b.xml", bytes(range(256)) * 40)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    limits: Any = ZipLimits(total=10_000, part=5000, ratio=10, ratio_floor=1000, parts={"big/*": 20_000})
    problem = zip_problem(archive, limits)
    assert problem is not None and (problem.code, problem.name) == ("ratio", "a.xml")
    assert zip_problem(archive, ZipLimits(total=10_000, part=5000, ratio=10_000)) is not None  # big/b.xml > 5000
    assert zip_problem(archive, ZipLimits(total=20_000, part=20_000, ratio=10_000)) is None
    assert zip_problem(archive, ZipLimits(total=5_000, part=20_000, ratio=10_000)).code == "total"  # type: ignore[union-attr]
    assert zip_problem(archive, ZipLimits(total=20_000, part=20_000, ratio=10_000, entries=1)).code == "entries"  # type: ignore[union-attr]

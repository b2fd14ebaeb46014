"""The reporting pages: entry with Vietnamese numbers, the workflow through the views, permissions, stale forms,
completeness and the compiled view. The form is read back from the rendered page, so a template that drops
or renames an input fails here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.reporting.models import AuditEvent, Notice, Period, Report, ReportStatus, Value

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def reports(cycle: SimpleNamespace) -> SimpleNamespace:
    """Periods and reports made the way people make them: the province presses the button on the periods page."""
    response = client_for(cycle.province_user).post(reverse("periods-generate", args=[cycle.plan.pk]))
    assert response.status_code == 302
    period = Period.objects.get(plan=cycle.plan, kind="semiannual")
    by_agency = {r.reporter_id: r for r in Report.objects.filter(period=period)}
    return SimpleNamespace(
        period=period, a=by_agency[cycle.a_office.pk], b=by_agency[cycle.b_office.pk], health=by_agency[cycle.health.pk]
    )


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the clock (submission times, lateness, today's date on the completeness pages)."""

    def set_day(day: dt.date) -> None:
        moment = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class FormReader(HTMLParser):
    """The named fields of one form on a page, with the values the page shows in them."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def entry_form(client: Client, report: Report) -> dict[str, str]:
    response = client.get(reverse("report-detail", args=[report.pk]))
    assert response.status_code == 200
    reader = FormReader("entry-form")
    reader.feed(response.content.decode())
    assert reader.fields, "the page has no entry form"
    return reader.fields


def cells(
    cycle: Any, female: str, male: str, total: str, den: tuple[str, str, str] = ("100", "100", "200"), count: str = "3"
) -> dict[str, str]:
    i1, i2 = cycle.i1.pk, cycle.i2.pk
    return {
        f"i{i1}-female-numerator": female,
        f"i{i1}-female-denominator": den[0],
        f"i{i1}-male-numerator": male,
        f"i{i1}-male-denominator": den[1],
        f"i{i1}-total-numerator": total,
        f"i{i1}-total-denominator": den[2],
        f"i{i1}-source": "Điều tra lao động xã",
        f"i{i2}-total-value": count,
    }


def save(client: Client, report: Report, url: str = "report-detail", **changes: str) -> Any:
    data = entry_form(client, report)
    data.update(changes)
    return client.post(reverse(url, args=[report.pk]), data)


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The whole cycle -----------------------------------------------------------------------------------------


def test_whole_cycle_through_the_pages(cycle: Any, reports: Any) -> None:
    commune, province = client_for(cycle.commune_user), client_for(cycle.province_user)
    report = reports.a
    listing = text_of(commune.get(reverse("report-list")))
    assert reverse("report-detail", args=[report.pk]) in listing

    # Vietnamese numbers: "1.040" is one thousand and forty, "45,5" is forty-five and a half.
    response = save(
        commune,
        report,
        **cells(cycle, "20", "25,5", "45,5", count="1.040"),
        **{
            f"t{cycle.t2.pk}-status": "in_progress",
            f"t{cycle.t2.pk}-narrative": "Đã xây dựng dự thảo",
            f"t{cycle.t2.pk}-local": "12,5",
            "summary": "Sáu tháng",
        },
    )
    assert response.status_code == 302
    assert Value.objects.get(report=report, indicator=cycle.i2).value == D(1040)
    assert Value.objects.get(report=report, indicator=cycle.i1, sex="total").numerator == D("45.5")
    page = text_of(commune.get(reverse("report-detail", args=[report.pk])))
    assert 'value="1.040"' in page and 'value="45,5"' in page
    assert "22,75" in page  # the total's rate, computed: 45,5 / 200 × 100

    # Female plus male is not the total: saved as a draft, submission refused, the problem shown by the field.
    response = save(commune, report, "report-submit", **cells(cycle, "20", "25", "45,5"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    page = text_of(commune.get(response["Location"]))
    assert "Chưa gửi được" in page and "không bằng tổng" in page

    response = save(commune, report, "report-submit", **cells(cycle, "20", "25,5", "45,5"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert Notice.objects.filter(user=cycle.province_user, url=reverse("report-detail", args=[report.pk])).exists()
    # Submitted: nothing to type any more, and the reporter cannot decide.
    assert 'id="entry-form"' not in text_of(commune.get(reverse("report-detail", args=[report.pk])))
    assert commune.post(reverse("report-accept", args=[report.pk]), {"version": report.version}).status_code == 403

    # Returning needs a comment.
    page = text_of(province.get(reverse("report-detail", args=[report.pk])))
    assert "Trả lại" in page and "Chấp nhận" in page
    response = province.post(
        reverse("report-return", args=[report.pk]), {"comment": "  ", "version": report.version}, follow=True
    )
    assert "Hãy ghi lý do trả lại" in text_of(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    province.post(
        reverse("report-return", args=[report.pk]), {"comment": "Kiểm tra lại số nam", "version": report.version}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert Notice.objects.filter(user=cycle.commune_user, text__contains="Kiểm tra lại số nam").exists()

    # The commune corrects and sends again.
    page = text_of(commune.get(reverse("report-detail", args=[report.pk])))
    assert "Kiểm tra lại số nam" in page
    save(commune, report, "report-submit", **cells(cycle, "21", "24,5", "45,5"))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    province.post(reverse("report-accept", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert Notice.objects.filter(user=cycle.commune_user, text__contains="chấp nhận").exists()

    # Locked: no form, and a forged post changes nothing.
    page = text_of(commune.get(reverse("report-detail", args=[report.pk])))
    assert 'id="entry-form"' not in page and "số liệu đã khóa" in page
    forged = {
        "version": str(report.version),
        "entry_form": "1",
        f"t{cycle.t2.pk}-status": "done",
        **cells(cycle, "1", "1", "2"),
    }
    response = commune.post(reverse("report-detail", args=[report.pk]), forged)
    assert response.status_code == 400
    assert Value.objects.get(report=report, indicator=cycle.i1, sex="female").numerator == D(21)

    # The trail on the page: every step, in words.
    for words in (
        "Gửi báo cáo",
        "Trả lại",
        "Chấp nhận",
        "Kiểm tra lại số nam",
        "Nữ — tử số",
        "Đã gửi",
        "Bị trả lại",
        "Đã chấp nhận",
        "Ngân sách địa phương",
        "Đang triển khai",
        "1.040",
    ):
        assert words in page, words
    statuses = list(AuditEvent.objects.filter(report=report, action="status").values_list("new", flat=True))
    assert statuses == ["submitted", "returned", "submitted", "accepted"]

    # Reopening is the acceptor's recorded decision, with a reason.
    province.post(reverse("report-reopen", args=[report.pk]), {"reason": "", "version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    province.post(reverse("report-reopen", args=[report.pk]), {"reason": "Sai số nữ", "version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert "Sai số nữ" in text_of(commune.get(reverse("report-detail", args=[report.pk])))


def test_a_bad_number_is_refused_and_nothing_is_saved(cycle: Any, reports: Any) -> None:
    commune = client_for(cycle.commune_user)
    response = save(commune, reports.a, **cells(cycle, "20", "25", "45", count="1.04"))
    assert response.status_code == 400
    page = text_of(response)
    assert "Không phải số" in page
    assert 'value="1.04"' in page and 'value="20"' in page  # what was typed stays in the form
    assert not Value.objects.filter(report=reports.a).exists()
    assert not AuditEvent.objects.filter(report=reports.a).exists()


def test_negative_spending_is_a_field_error(cycle: Any, reports: Any) -> None:
    response = save(client_for(cycle.commune_user), reports.a, **{f"t{cycle.t2.pk}-central": "-5"})
    assert response.status_code == 400
    assert "Không được là số âm" in text_of(response)


def test_a_stale_form_is_refused_and_says_someone_else_saved_first(cycle: Any, reports: Any) -> None:
    first, second = client_for(cycle.commune_user), client_for(cycle.commune_user)
    seen_by_second = entry_form(second, reports.a)
    assert save(first, reports.a, **{f"i{cycle.i2.pk}-total-value": "7"}).status_code == 302
    seen_by_second[f"i{cycle.i2.pk}-total-value"] = "9"
    response = second.post(reverse("report-detail", args=[reports.a.pk]), seen_by_second)
    assert response.status_code == 409
    page = text_of(response)
    assert "người khác đã lưu báo cáo này trước bạn" in page
    assert "không có số liệu nào trong biểu mẫu của bạn được lưu" in page
    assert 'value="9"' in page
    assert Value.objects.get(report=reports.a, indicator=cycle.i2).value == D(7)


def test_another_communes_report_is_not_found(cycle: Any, reports: Any) -> None:
    commune = client_for(cycle.commune_user)
    assert commune.get(reverse("report-detail", args=[reports.b.pk])).status_code == 404
    assert commune.post(reverse("report-submit", args=[reports.b.pk]), {"version": 1}).status_code == 404
    assert client_for(cycle.other_province_user).get(reverse("report-detail", args=[reports.a.pk])).status_code == 404


def test_reporter_cannot_accept_return_or_reopen(cycle: Any, reports: Any) -> None:
    commune = client_for(cycle.commune_user)
    for name in ("report-accept", "report-return", "report-reopen"):
        response = commune.post(reverse(name, args=[reports.a.pk]), {"comment": "x", "reason": "x"})
        assert response.status_code == 403, name
    assert commune.get(reverse("report-accept", args=[reports.a.pk])).status_code == 405


def test_acceptor_cannot_submit_a_reporters_report(cycle: Any, reports: Any) -> None:
    response = client_for(cycle.province_user).post(reverse("report-submit", args=[reports.a.pk]), {"version": 1})
    assert response.status_code == 403


def test_only_the_plans_unit_generates_periods(cycle: Any) -> None:
    # The commune sees the province's plan (it gives work to the communes' committees) but may not edit it.
    response = client_for(cycle.commune_user).post(reverse("periods-generate", args=[cycle.plan.pk]))
    assert response.status_code == 403
    assert not Period.objects.filter(plan=cycle.plan).exists()


def test_periods_page_lists_periods_with_links(cycle: Any, reports: Any) -> None:
    page = text_of(client_for(cycle.province_user).get(reverse("plan-periods", args=[cycle.plan.pk])))
    assert "Báo cáo 6 tháng đầu năm 2026" in page and "09/06/2026" in page
    assert reverse("period-detail", args=[reports.period.pk]) in page
    assert reverse("period-compiled", args=[reports.period.pk]) in page


def _submit(client: Client, report: Report, data: dict[str, str]) -> None:
    response = save(client, report, "report-submit", **data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED, text_of(client.get(response["Location"]))[:3000]


def figure(page: str, name: str) -> int:
    match = re.search(rf'class="fig-{name}[^"]*"><strong>(\d+)</strong>', page)
    assert match, name
    return int(match.group(1))


def test_completeness_pages_count_on_time_late_missing(cycle: Any, reports: Any, on_day: Any) -> None:
    on_day(dt.date(2026, 6, 1))
    _submit(client_for(cycle.commune_user), reports.a, cells(cycle, "20", "25", "45"))
    on_day(dt.date(2026, 6, 20))
    health = client_for(cycle.department_user)
    _submit(health, reports.health, {f"i{cycle.i1.pk}-total-numerator": "1", f"i{cycle.i1.pk}-total-denominator": "2"})
    on_day(dt.date(2026, 7, 1))
    # Signed in after the last jump in time: sessions expire (docs/security.md), days must not pass inside one.
    province = client_for(cycle.province_user)
    page = text_of(province.get(reverse("period-detail", args=[reports.period.pk])))
    assert [figure(page, n) for n in ("expected", "submitted", "on_time", "late", "missing", "pending")] == [
        3,
        2,
        1,
        1,
        1,
        0,
    ]
    not_reported = page.split('id="h-chua-nop"')[1].split("</section>")[0]
    assert cycle.commune_b.name in not_reported and "Sở Y tế" not in not_reported

    page = text_of(province.get(reverse("plan-completeness", args=[cycle.plan.pk])))
    assert page.count("state state-on_time") == 1 and page.count("state state-late") == 1
    assert page.count("state state-missing") == 1
    assert "66,7%" in page  # two of three sent
    rows = list(
        csv.reader(
            io.StringIO(
                province.get(reverse("plan-completeness", args=[cycle.plan.pk]), {"format": "csv"}).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    semiannual = [r for r in rows[1:] if r[0] == reports.period.label]
    assert sorted(r[5] for r in semiannual) == ["Chưa nộp, quá hạn", "Nộp muộn", "Đúng hạn"]

    # Before the deadline the commune that has not sent is pending, not missing.
    on_day(dt.date(2026, 6, 1))
    page = text_of(province.get(reverse("period-detail", args=[reports.period.pk])))
    assert figure(page, "missing") == 0 and figure(page, "pending") == 1


def test_compiled_page_rolls_rates_up_from_numerators(cycle: Any, reports: Any) -> None:
    province = client_for(cycle.province_user)
    for user, report, (num, den) in (
        (cycle.commune_user, reports.a, ("9", "10")),
        (cycle.other_commune_user, reports.b, ("10", "90")),
    ):
        _submit(
            client_for(user),
            report,
            {
                f"i{cycle.i1.pk}-total-numerator": num,
                f"i{cycle.i1.pk}-total-denominator": den,
                f"i{cycle.i2.pk}-total-value": "2",
                "summary": f"Tóm tắt của {user.username}",
                f"t{cycle.t2.pk}-status": "done",
                f"t{cycle.t2.pk}-local": "1.000",
            },
        )
        province.post(reverse("report-accept", args=[report.pk]), {"version": report.version})
    page = text_of(province.get(reverse("period-compiled", args=[reports.period.pk])))
    row = page.split(f'id="ind-{cycle.i1.pk}"')[1].split("</tr>")[0]
    # (9 + 10) / (10 + 90) = 19%, never the average of 90% and 11,1%.
    assert "<strong>19</strong>" in row and "19 / 100" in row
    count_row = page.split(f'id="ind-{cycle.i2.pk}"')[1].split("</tr>")[0]
    assert "<strong>4</strong>" in count_row
    assert "Tóm tắt của xa_a" in page and "Tóm tắt của xa_b" in page
    assert "Hoàn thành" in page and "2.000" in page
    assert client_for(cycle.commune_user).get(reverse("period-compiled", args=[reports.period.pk])).status_code == 403


def test_report_list_shows_what_waits_for_the_acceptor(cycle: Any, reports: Any) -> None:
    _submit(client_for(cycle.commune_user), reports.a, cells(cycle, "20", "25", "45"))
    page = text_of(client_for(cycle.province_user).get(reverse("report-list")))
    waiting = page.split('id="h-cho-duyet"')[1].split("</section>")[0]
    assert reverse("report-detail", args=[reports.a.pk]) in waiting
    filtered = text_of(client_for(cycle.province_user).get(reverse("report-list"), {"status": "accepted"}))
    assert 'id="h-cho-duyet"' not in filtered


def test_notices_are_listed_and_marked_read(cycle: Any, reports: Any) -> None:
    _submit(client_for(cycle.commune_user), reports.a, cells(cycle, "20", "25", "45"))
    province = client_for(cycle.province_user)
    notice = Notice.objects.get(user=cycle.province_user)
    assert "đã gửi" in text_of(province.get(reverse("notice-list")))
    response = province.post(reverse("notice-list"), {"notice": notice.pk, "open": "1"})
    assert response["Location"] == reverse("report-detail", args=[reports.a.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client_for(cycle.commune_user).post(reverse("notice-list"), {"notice": notice.pk}).status_code == 404


def test_warning_far_from_previous_period_asks_for_a_note(cycle: Any, reports: Any) -> None:
    """An accepted earlier figure of 3 makes 300 a warning until a note explains it."""
    province = client_for(cycle.province_user)
    commune = client_for(cycle.commune_user)
    _submit(commune, reports.a, cells(cycle, "20", "25", "45"))
    province.post(reverse("report-accept", args=[reports.a.pk]), {"version": reports.a.version})
    annual = Report.objects.get(period__plan=cycle.plan, period__kind="annual", reporter=cycle.a_office)
    response = save(commune, annual, "report-submit", **cells(cycle, "20", "25", "45", count="300"))
    page = text_of(commune.get(response["Location"]))
    annual.refresh_from_db()
    assert annual.status == ReportStatus.DRAFT and "Khác xa kỳ trước" in page
    _submit(commune, annual, {f"i{cycle.i2.pk}-note": "Năm nay rà soát toàn xã"})


def test_decomposed_vietnamese_is_saved_as_nfc(cycle: Any, reports: Any) -> None:
    """Found by tests/security/test_fuzz_forms.py: a summary typed in NFD was stored as typed."""
    import unicodedata

    from binhdang.reporting.models import Progress

    nfd = unicodedata.normalize("NFD", "Phụ nữ được hưởng lương")
    changes = {
        **cells(cycle, "20", "25", "45"),
        f"i{cycle.i1.pk}-source": nfd,
        f"i{cycle.i1.pk}-note": nfd,
        f"t{cycle.t2.pk}-status": "in_progress",
        f"t{cycle.t2.pk}-narrative": nfd,
        "summary": nfd,
    }
    assert save(client_for(cycle.commune_user), reports.a, **changes).status_code == 302
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    reports.a.refresh_from_db()
    assert reports.a.summary == nfc
    assert Progress.objects.get(report=reports.a, task=cycle.t2).narrative == nfc
    assert {v.source for v in Value.objects.filter(report=reports.a, indicator=cycle.i1)} == {nfc}
    assert {v.note for v in Value.objects.filter(report=reports.a, indicator=cycle.i1)} == {nfc}
    texts = AuditEvent.objects.filter(report=reports.a).values_list("new", flat=True)
    assert nfc in texts and nfd not in texts


def test_control_characters_typed_in_the_entry_form_are_dropped(cycle: Any, reports: Any) -> None:
    """Pasted text can carry invisible control characters; stored, they broke the report's Excel download."""
    from binhdang.reporting.models import Progress

    typed = "Tóm tắt\x01 có\x0b ký tự\x1b lạ\tvà dòng\nmới"
    changes = {
        **cells(cycle, "20", "25", "45"),
        f"i{cycle.i1.pk}-note": typed,
        f"t{cycle.t2.pk}-status": "in_progress",
        f"t{cycle.t2.pk}-narrative": typed,
        "summary": typed,
    }
    client = client_for(cycle.commune_user)
    assert save(client, reports.a, **changes).status_code == 302
    kept = "Tóm tắt có ký tự lạ\tvà dòng\nmới"  # tab and line break are text; the others are not
    reports.a.refresh_from_db()
    assert reports.a.summary == kept
    assert Progress.objects.get(report=reports.a, task=cycle.t2).narrative == kept
    assert {v.note for v in Value.objects.filter(report=reports.a, indicator=cycle.i1)} == {kept}
    download = client.get(reverse("report-xlsx", args=[reports.a.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")

"""Every 404 a page raises says what was not found, in the product's layout, from one table (binhdang.lib.http).

One request per kind: a missing object answers 404 with its kind's message inside the 404 page (menu and all);
a kind added to the table without a request here fails `test_every_kind_is_requested`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.jobs.models import Job, JobState
from binhdang.lib.http import NOT_FOUND, found_or_404

pytestmark = pytest.mark.django_db

MISSING = 987654


@dataclass(frozen=True)
class Probe:
    """How to ask for a missing thing of one kind: who asks, which method, which URL, what data."""

    user: str | None  # an attribute of the cycle fixture; None: not signed in
    url: Callable[[SimpleNamespace], str]
    post: dict[str, str] | None = None


PROBES: dict[str, Probe] = {
    "plan": Probe("commune_user", lambda c: reverse("plan-detail", args=[MISSING])),
    "report": Probe("commune_user", lambda c: reverse("report-detail", args=[MISSING])),
    "period": Probe("commune_user", lambda c: reverse("period-detail", args=[MISSING])),
    "unit": Probe("commune_user", lambda c: reverse("dashboard-unit", args=[MISSING])),
    "agency": Probe("commune_user", lambda c: reverse("agency-work", args=[MISSING])),
    "inspection": Probe("province_user", lambda c: reverse("inspection-detail", args=[MISSING])),
    "finding": Probe("province_user", lambda c: reverse("finding-close", args=[MISSING]), {"note": "Đã sửa"}),
    "job": Probe("commune_user", lambda c: reverse("job-status", args=[MISSING])),
    "upload": Probe("commune_user", lambda c: reverse("reader-status", args=[MISSING])),
    "notice": Probe("commune_user", lambda c: reverse("notice-list"), {"notice": str(MISSING)}),
    "national": Probe("commune_user", lambda c: reverse("dashboard-national")),
    "part": Probe("province_user", lambda c: reverse("part-create", args=[c.plan.pk, "chuong"])),
    "item": Probe("province_user", lambda c: reverse("part-update", args=[c.plan.pk, "objective", MISSING])),
    "retirable": Probe(
        "province_user", lambda c: reverse("part-retire", args=[c.plan.pk, "objective", c.plan.objectives.get().pk]), {}
    ),
    "indicator": Probe("province_user", lambda c: reverse("opendata-preview", args=[c.plan.pk, MISSING])),
    "review": Probe("province_user", lambda c: reverse("review-summary", args=[c.plan.pk, MISSING])),
    "table": Probe("province_user", lambda c: reverse("dashboard-plan", args=[c.plan.pk]) + "?format=csv&table=x"),
    "file": Probe("commune_user", lambda c: reverse("job-file", args=[c.job.pk])),
    "publication": Probe(None, lambda c: reverse("opendata:indicator", args=[MISSING])),
}


def test_every_kind_is_requested() -> None:
    assert set(PROBES) == set(NOT_FOUND)


def test_found_or_404_returns_what_it_was_given() -> None:
    thing = object()
    assert found_or_404(thing, "plan") is thing


@pytest.fixture
def lookup(cycle: SimpleNamespace) -> SimpleNamespace:
    # A job of the commune user that has not run: its page exists, its file does not yet.
    job = Job.objects.create(kind="test", key="not-found-test", state=JobState.QUEUED, created_by=cycle.commune_user)
    return SimpleNamespace(job=job, **vars(cycle))


@pytest.mark.parametrize("kind", sorted(PROBES))
def test_a_missing_object_is_a_404_with_its_kinds_message(lookup: SimpleNamespace, kind: str) -> None:
    probe = PROBES[kind]
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    if probe.user is not None:
        client.force_login(getattr(lookup, probe.user))
    url = probe.url(lookup)
    response = client.post(url, probe.post) if probe.post is not None else client.get(url)
    assert response.status_code == 404, (kind, response.status_code)
    body = response.content.decode()
    assert str(NOT_FOUND[kind]) in body, kind
    assert "Không tìm thấy trang" in body  # the layout's 404 page
    if probe.user is not None:
        assert 'class="site-nav"' in body  # with the signed-in menu


@pytest.mark.parametrize(
    ("name", "kind"),
    [("plan-detail", "plan"), ("dashboard-plan", "plan"), ("plan-periods", "plan"), ("document-plan-docx", "plan")],
)
def test_another_units_plan_answers_like_a_missing_one(cycle: SimpleNamespace, name: str, kind: str) -> None:
    # The cycle's plan is Thái Nguyên's; Hà Tĩnh's standing agency may not see it.
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(cycle.other_province_user)
    hidden = client.get(reverse(name, args=[cycle.plan.pk]))
    missing = client.get(reverse(name, args=[MISSING]))
    assert hidden.status_code == missing.status_code == 404
    assert str(NOT_FOUND[kind]) in hidden.content.decode()

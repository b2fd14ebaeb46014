"""A total is derived from its parts, never typed twice, and parts that disagree with their total save nothing
(issue 16, reporting/totals.py). Expected totals are the sums of the parts each test writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from binhdang.plans.models import Indicator
from binhdang.reporting.checks import Entry
from binhdang.reporting.errors import InvalidValues
from binhdang.reporting.models import AuditEvent, Value
from binhdang.reporting.services import report_save
from tests.reporting.test_disaggregation import world16  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
D = Decimal
KINH, DTTS = "ethnicity=kinh", "ethnicity=dtts"
RATE_PARTS = ["age=0-14;ethnicity=kinh", "age=0-14;ethnicity=dtts", "age=15+;ethnicity=kinh", "age=15+;ethnicity=dtts"]


def _count(w: Any, value: int | None, combo: str = "") -> Entry:
    return Entry(w.i2.pk, "total", value=None if value is None else D(value), combo=combo)


def _save(w: Any, entries: list[Entry]) -> None:
    w.a.refresh_from_db()
    report_save(report=w.a, user=w.admin, version=w.a.version, entries=entries)


def _stored(w: Any, indicator: Indicator) -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (v.sex, v.combo): (v.value, v.numerator, v.denominator)
        for v in Value.objects.filter(report=w.a, indicator=indicator)
    }


def test_an_empty_total_takes_the_sum_of_its_parts(world16: Any) -> None:  # noqa: F811
    w = world16
    _save(w, [_count(w, None), _count(w, 17, DTTS), _count(w, 250, KINH)])
    assert _stored(w, w.i2)[("total", "")][0] == D(267)
    event = AuditEvent.objects.get(report=w.a, field=f"indicator:{w.i2.pk}:total:value")
    assert (event.old, event.new) == ("", "267")  # the derived figure is audited like a typed one


def test_no_total_is_made_up_while_a_part_is_missing(world16: Any) -> None:  # noqa: F811
    w = world16
    _save(w, [_count(w, 17, DTTS)])
    assert ("total", "") not in _stored(w, w.i2)


def test_a_stored_total_is_kept_and_judged_when_a_part_changes_and_taken_again_once_cleared(
    world16: Any,  # noqa: F811
) -> None:
    w = world16
    _save(w, [_count(w, None), _count(w, 10, DTTS), _count(w, 20, KINH)])
    assert _stored(w, w.i2)[("total", "")][0] == D(30)
    before = _stored(w, w.i2)
    with pytest.raises(InvalidValues) as refused:  # the form sends the old total back with the corrected part
        _save(w, [_count(w, 30), _count(w, 12, DTTS), _count(w, 20, KINH)])
    assert [i.code for i in refused.value.issues] == ["parts_sum"]
    assert refused.value.issues[0].where == f"indicator:{w.i2.pk}:total:value"
    assert "(32)" in refused.value.issues[0].message and "(30)" in refused.value.issues[0].message
    assert _stored(w, w.i2) == before
    _save(w, [_count(w, None), _count(w, 12, DTTS), _count(w, 20, KINH)])  # the officer clears the total
    assert _stored(w, w.i2)[("total", "")][0] == D(32)


def test_female_and_male_give_an_empty_total_in_each_combination(world16: Any) -> None:  # noqa: F811
    w = world16
    cells = {("female", c): (k + 1, 10 + k) for k, c in enumerate(RATE_PARTS)} | {
        ("male", c): (k + 2, 12 + k) for k, c in enumerate(RATE_PARTS)
    }
    _save(w, [Entry(w.i1.pk, s, numerator=D(n), denominator=D(d), combo=c) for (s, c), (n, d) in cells.items()])
    stored = _stored(w, w.i1)
    for combo in RATE_PARTS:
        female, male = cells[("female", combo)], cells[("male", combo)]
        assert stored[("total", combo)] == (None, D(female[0] + male[0]), D(female[1] + male[1]))
    for sex in ("female", "male", "total"):  # then each sex's whole from its parts
        parts = [stored[(sex, c)] for c in RATE_PARTS]
        assert stored[(sex, "")] == (None, sum(p[1] for p in parts), sum(p[2] for p in parts))


def test_a_total_typed_first_is_not_overwritten_by_parts_that_disagree(world16: Any) -> None:  # noqa: F811
    w = world16
    _save(w, [_count(w, 100), _count(w, 40, DTTS)])  # one part so far: bounded, not summed
    with pytest.raises(InvalidValues) as refused:
        _save(w, [_count(w, 100), _count(w, 40, DTTS), _count(w, 50, KINH)])
    assert [i.code for i in refused.value.issues] == ["parts_sum"]
    assert _stored(w, w.i2) == {("total", ""): (D(100), None, None), ("total", DTTS): (D(40), None, None)}


def test_a_part_over_its_total_saves_nothing_of_the_whole_form(world16: Any) -> None:  # noqa: F811
    w = world16
    _save(w, [_count(w, 10)])
    rate = Entry(w.i1.pk, "female", numerator=D(3), denominator=D(10))
    with pytest.raises(InvalidValues) as refused:
        _save(w, [_count(w, 10), _count(w, 11, DTTS), rate])
    assert [i.code for i in refused.value.issues] == ["part_over_total"]  # one message, at the part's cell
    assert _stored(w, w.i1) == {}  # the other indicator's figure in the same save is not written either
    assert _stored(w, w.i2) == {("total", ""): (D(10), None, None)}


def test_rates_derive_numerator_and_denominator_each(world16: Any) -> None:  # noqa: F811
    w = world16
    parts = [(1, 10), (2, 20), (3, 30), (4, 40)]
    entries = [
        Entry(w.i1.pk, "male", numerator=D(n), denominator=D(d), combo=combo)
        for combo, (n, d) in zip(RATE_PARTS, parts, strict=True)
    ]
    _save(w, entries)
    assert _stored(w, w.i1)[("male", "")] == (None, D(10), D(100))


def test_groups_that_do_not_cover_every_age_derive_nothing(world16: Any) -> None:  # noqa: F811
    w = world16
    Indicator.objects.filter(pk=w.i1.pk).update(age_groups=["15-24", "60+"])
    combos = [f"age={a};ethnicity={e}" for a in ("15-24", "60+") for e in ("kinh", "dtts")]
    _save(w, [Entry(w.i1.pk, "total", numerator=D(1), denominator=D(5), combo=c) for c in combos])
    assert ("total", "") not in _stored(w, w.i1)  # people of 25–59 are in the total and in no part


def test_a_yes_or_no_is_never_added_up_into_its_total(world16: Any) -> None:  # noqa: F811
    w = world16
    Indicator.objects.filter(pk=w.i2.pk).update(measure="boolean", disaggregations=["sex", "ethnicity"])
    _save(w, [Entry(w.i2.pk, s, value=D(1), combo=c) for s in ("female", "male") for c in ("", KINH, DTTS)])
    stored = _stored(w, w.i2)
    assert all(sex != "total" for sex, _combo in stored)  # 1 + 1 is not "yes"; the officer says it
    assert stored[("female", "")] == (D(1), None, None)

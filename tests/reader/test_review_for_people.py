"""The review page speaks to people (issue 14, item 7; found walking the demo): choices and dates in words,
the reader's notes in Vietnamese, years typed for a plan whose years were not found are stored, a refusal names
the right unit and a duplicate links to the plan already there."""

from __future__ import annotations

import re
from typing import Any

from conftest import PASSWORD
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reader.conftest import review_form

from binhdang.docparse.notes import NO_GENDER, utf8_replaced
from binhdang.plans.models import Plan
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.review import pointer_set, review_apply
from binhdang.web.views.reader import reader_note_vi

# A short provincial plan on another topic with no plan period printed anywhere (as kh-8e9a... of the corpus):
# written for this test.
PLAN = """ỦY BAN NHÂN DÂN
TỈNH THÁI NGUYÊN

Số: 0308/KH-UBND

Thái Nguyên, ngày 17 tháng 11 năm 2025

KẾ HOẠCH
Triển khai tạo lập dữ liệu phục vụ chuyển đổi số

Căn cứ Nghị quyết số 214/NQ-CP ngày 23/7/2025 của Chính phủ;

I. MỤC ĐÍCH, YÊU CẦU
Triển khai đầy đủ các nhiệm vụ được giao.

II. NHIỆM VỤ
1. Sở Khoa học và Công nghệ chủ trì xây dựng kho dữ liệu dùng chung của tỉnh.

III. TỔ CHỨC THỰC HIỆN
Các sở, ngành báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 15/12 hằng năm.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
"""


def _upload(client: Client, user: str, text: str) -> DocumentImport:
    client.login(username=user, password=PASSWORD)
    client.post(reverse("reader-upload"), {"document": SimpleUploadedFile("kh.txt", text.encode("utf-8"))})
    return DocumentImport.objects.latest("pk")


def test_pointer_set_makes_a_list_where_the_next_token_is_an_index() -> None:
    tree: dict[str, Any] = {"document": {"years": None}}
    pointer_set(tree, "/document/years/1", 2026)
    pointer_set(tree, "/document/years/0", 2025)
    assert tree["document"]["years"] == [2025, 2026]
    pointer_set(tree, "/tasks/0/window/start", "2025-01-01")
    assert tree["tasks"] == [{"window": {"start": "2025-01-01"}}]


def test_years_typed_for_a_plan_without_years_are_accepted(world: Any, read_now: None, client: Client) -> None:
    doc = _upload(client, "admin", PLAN)
    assert doc.status == ImportStatus.PARSED, doc.error
    assert not doc.result["document"].get("years")
    form = review_form(doc.result, world.province.pk)
    form["f:/document/years/0"], form["f:/document/years/1"] = "2025", "2026"
    response = client.post(reverse("reader-review", args=[doc.pk]), form)
    assert response.status_code == 302, re.findall(r"<li>([^<]*)</li>", response.content.decode())
    plan = Plan.objects.get(code="0308/KH-UBND")
    assert (plan.year_start, plan.year_end) == (2025, 2026)


def test_choices_dates_and_deadlines_are_in_words(world: Any, read_now: None, client: Client) -> None:
    doc = _upload(client, "admin", PLAN)
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    assert ">Cấp tỉnh</option>" in page and ">province</option>" not in page
    assert ">Căn cứ</option>" in page and ">basis</option>" not in page
    assert ">Báo cáo năm</option>" in page and ">annual</option>" not in page
    assert 'value="17/11/2025"' in page and 'value="2025-11-17"' not in page
    assert 'value="15/12 hằng năm"' in page and "--MM-DD" not in page
    # The confidence is a word with a one-line explanation, not a bare "0,9".
    assert "chắc chắn" in page and "Nhãn cạnh mỗi ô cho biết" in page
    # The note that the plan does not mention gender equality is in Vietnamese.
    assert "Văn bản không nhắc đến bình đẳng giới" in page and "does not mention" not in page


def test_a_typed_deadline_is_stored_in_the_plan_format() -> None:
    tree = {"document": {}, "reporting": [{"kind": "annual", "due": None, "to": None, "through": None}]}
    for typed, stored in [
        ("15/12 hằng năm", "--12-15"),
        ("ngày 16 hằng tháng", "---16"),
        ("16/12/2025", "2025-12-16"),
        ("ngày 16 tháng 12 năm 2025", "2025-12-16"),
        ("--06-10", "--06-10"),
    ]:
        out, errors = review_apply(tree, {"f:/reporting/0/due": typed}, [])
        assert not errors and out["reporting"][0]["due"] == stored, typed
    _out, errors = review_apply(tree, {"f:/reporting/0/due": "31/02 hằng năm"}, [])
    assert "/reporting/0/due" in errors
    _out, errors = review_apply(tree, {"f:/reporting/0/kind": "yearly"}, [])
    assert "/reporting/0/kind" in errors


def test_reader_notes_are_translated_and_unknown_ones_kept() -> None:
    from django.utils import translation

    # The page's language, whatever an earlier test left active (the English catalogue's tests switch to "en").
    with translation.override("vi"):
        assert reader_note_vi(NO_GENDER).startswith("Văn bản không nhắc đến bình đẳng giới")
        assert "3 byte hỏng" in reader_note_vi(utf8_replaced(3))
        assert reader_note_vi("Something new") == "Something new"


def test_refusal_names_the_chosen_unit_and_a_duplicate_links_to_the_plan(
    world: Any, read_now: None, client: Client
) -> None:
    doc = _upload(client, "admin", PLAN)
    form = review_form(doc.result, world.province.pk)
    form["f:/document/years/0"], form["f:/document/years/1"] = "2025", "2026"
    assert client.post(reverse("reader-review", args=[doc.pk]), form).status_code == 302
    existing = Plan.objects.get(code="0308/KH-UBND")
    # The same plan in another file (a copy saved again, one more line at the end) is a duplicate.
    again = _upload(client, "admin", PLAN + "\nNơi nhận: như trên.\n")
    page = client.post(reverse("reader-review", args=[again.pk]), form).content.decode()
    assert reverse("plan-detail", args=[existing.pk]) in page
    # A commune officer choosing the province is told it may not create plans there, naming that unit.
    commune = _upload(client, "xa_a", PLAN + "\n(bản sao)\n")
    page = client.post(reverse("reader-review", args=[commune.pk]), form).content.decode()
    assert "Bạn không có quyền tạo kế hoạch cho địa bàn" in page
    assert "địa bàn mình" not in page


def test_the_unit_code_is_asked_in_words_and_the_number_alone_finds_the_unit(
    world: Any, read_now: None, client: Client, rf: Any
) -> None:
    """Issue 14: the administrator's unit-code box read "(vd. legacy:19 hoặc 2025:19)", developer wording."""
    from binhdang.places.models import AdministrativeUnit, Generation
    from binhdang.web.views.reader import _chosen_unit

    doc = _upload(client, "admin", PLAN)
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    assert 'name="unit_code"' in page  # the box is still offered to the administrator
    assert "legacy:" not in page and "2025:" not in page
    for _value, label in Generation.choices:
        assert f">{label}</option>" in page
    # The number alone, with the list it belongs to picked beside it, names the unit.
    legacy = AdministrativeUnit.objects.get(generation=Generation.LEGACY, level="province", name_key="tinh ha tinh")
    for unit in (world.other_province, legacy):
        request = rf.post("/", {"unit": "", "unit_code": unit.code, "unit_generation": unit.generation})
        request.user = world.admin
        assert _chosen_unit(request, []) == unit
    # Only the administrator may name a unit by its code.
    request = rf.post("/", {"unit": "", "unit_code": legacy.code, "unit_generation": legacy.generation})
    request.user = world.province_user
    assert _chosen_unit(request, [world.province]) == world.province


def test_agencies_offered_are_the_plans_units_not_every_provinces(world: Any, read_now: None, client: Client) -> None:
    """Issue 14: the agency list offered 172 agencies from every province."""
    from binhdang.places.services import agency_get_or_create

    elsewhere = agency_get_or_create(name="Sở Tư pháp ZQA", unit=world.other_province)
    commune_office = world.a_office  # an agency of a commune of the same province is not the plan's either
    doc = _upload(client, "admin", PLAN)
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    selects = re.findall(r'<select name="agency:\d+".*?</select>', page, re.S)
    assert selects, "the plan names an agency, so the page asks which one it is"
    offered = {int(pk) for pk in re.findall(r'<option value="(\d+)">', " ".join(selects))}
    assert {world.standing.pk, world.health.pk} <= offered
    assert not offered & {elsewhere.pk, world.other_standing.pk, commune_office.pk}
    assert "ZQA" not in page


def test_every_choice_reads_as_words_not_the_stored_value() -> None:
    """Issue 14: raw values (province/district/commune, basis/parent/cited, project/subproject/content/model)."""
    from django.utils import translation

    from binhdang.reader.review.fields import LEVELS, PROJECT_KINDS, RELATIONS, REPORT_KINDS, SOURCES

    with translation.override("vi"):
        for choices in (LEVELS, RELATIONS, PROJECT_KINDS, REPORT_KINDS, SOURCES):
            for value, label in choices:
                assert str(label).casefold() != str(value).casefold(), value
        stored = {value for value, _label in (*LEVELS, *RELATIONS, *PROJECT_KINDS)}
        assert {"province", "district", "commune", "basis", "parent", "cited"} <= stored
        assert {"project", "subproject", "content", "model"} <= stored

"""The review page and acceptance for what real documents bring: a decision that issues a plan, a not-plan,
groups as leads, targets without a year or as a range, one-off and monthly report deadlines."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import PASSWORD
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reader.conftest import review_form

from binhdang.plans.models import Plan
from binhdang.reader.models import DocumentImport, ImportStatus
from binhdang.reader.review import (
    NotAPlan,
    plan_for_loader,
    review_apply,
)

# A decision of the Thái Nguyên People's Committee issuing a plan, as a portal's converter writes it: the
# two-column header flattened into "|" lines, lines wrapped mid-sentence, bold marks. Written for this test.
DECISION = """|
**ỦY BAN NHÂN DÂN**
TỈNH THÁI NGUYÊN
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 0912/QĐ-UBND
|
*Thái Nguyên, ngày 03
tháng 12 năm 2025*
|

**QUYẾT ĐỊNH**

BAN HÀNH KẾ HOẠCH THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI
TRÊN ĐỊA BÀN TỈNH NĂM 2026

**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN**

*Căn cứ Luật Bình đẳng giới ngày 29 tháng 11 năm 2006;*

*Căn cứ Nghị quyết số 28/NQ-CP ngày 03/3/2021 của Chính phủ ban hành Chiến lược
quốc gia về bình đẳng giới giai đoạn 2021 - 2030;*

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch thực hiện công tác
bình đẳng giới trên địa bàn tỉnh năm 2026.

**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký./.

|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
Nguyễn Văn A
|

**KẾ HOẠCH**

THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI TRÊN
ĐỊA BÀN TỈNH NĂM 2026

*(Ban hành kèm theo Quyết định số 0912/QĐ-UBND ngày 03/12/2025)*

**I. MỤC TIÊU**

**1. Chỉ tiêu đến năm 2026:**

- Tối thiểu 40% cán bộ được tập huấn về bình
đẳng giới.

- Tỷ lệ nữ tham gia cấp ủy tăng 10 - 13%/năm.

**2. Chỉ tiêu khác**

- 100% các xã, phường có cán bộ phụ trách công tác
bình đẳng giới.

**II. TỔ CHỨC THỰC HIỆN**

**1. Sở Y tế**

- Chủ trì tổ chức truyền thông về bình đẳng giới trong
lĩnh vực y tế.

**2. Ủy ban nhân dân các xã, phường**

- Bố trí cán bộ phụ trách công tác bình đẳng giới; báo cáo
kết quả về Sở Y tế trước ngày 16 tháng 12 năm 2026.

- Gửi số liệu thống kê về Sở Y tế trước ngày 16 hằng tháng để tổng hợp, báo cáo.

**PHỤ LỤC**

NHIỆM VỤ CỤ THỂ

|
**TT**
|
**Nội dung**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian**
|
|
1
|
Rà soát, cập nhật số liệu thống kê giới
của địa phương
|
UBND các xã, phường
|
Sở Y tế
|
Quý I/2026
|
"""

NOT_A_PLAN = """|
**ỦY BAN NHÂN DÂN**
TỈNH THÁI NGUYÊN
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 0913/QĐ-UBND
|
*Thái Nguyên, ngày 04
tháng 12 năm 2025*
|

**QUYẾT ĐỊNH**

VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH NỘI BỘ TRONG LĨNH VỰC
GIA ĐÌNH THUỘC PHẠM VI QUẢN LÝ CỦA SỞ VĂN HÓA

**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN**

*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;*

**QUYẾT ĐỊNH:**

**Điều 1.** Công bố kèm theo Quyết định này danh mục thủ tục hành chính nội
bộ trong lĩnh vực gia đình.

**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký./.
"""


def _upload(client: Client, name: str, text: str) -> DocumentImport:
    client.login(username="admin", password=PASSWORD)
    client.post(reverse("reader-upload"), {"document": SimpleUploadedFile(name, text.encode("utf-8"))})
    return DocumentImport.objects.get()


def test_decision_issuing_a_plan_is_reviewed_and_accepted_as_that_plan(
    world: Any, read_now: None, client: Client
) -> None:
    doc = _upload(client, "qd.txt", DECISION)
    assert doc.status == ImportStatus.PARSED, doc.error
    tree = doc.result
    assert tree["verdict"] == "decision-issuing-plan"
    assert tree["document"]["code"] == "0912/QĐ-UBND" and tree["document"]["date"] == "2025-12-03"
    assert tree["plan_document"]["title"].lower().startswith("thực hiện công tác bình đẳng giới")
    page = client.get(reverse("reader-review", args=[doc.pk])).content.decode()
    assert "Quyết định ban hành kế hoạch" in page
    assert 'name="f:/plan_document/title"' in page
    # The group lead is shown as such, and a target printed without a year is flagged.
    group_task = next(i for i, t in enumerate(tree["tasks"]) if t["text"].startswith("Rà soát, cập nhật số liệu"))
    assert tree["tasks"][group_task]["lead"] == "UBND các xã, phường"
    assert tree["tasks"][group_task]["partners"] == ["Sở Y tế"]
    assert tree["tasks"][group_task]["group"] is True
    assert re.search(
        rf'name="f:/tasks/{group_task}/group"[^>]*>\s*<option value="0">[^<]*</option>\s*'
        r'<option value="1" selected>',
        page,
    )
    assert "Văn bản không nêu năm của chỉ tiêu này" in page
    kinds = {(r["kind"], r["due"]) for r in tree["reporting"]}
    assert ("once", "2026-12-16") in kinds and ("monthly", "---16") in kinds
    ranges = [t["value"] for i in tree["indicators"] for t in i["targets"] if isinstance(t["value"], list)]
    assert ranges == [[10, 13]]
    unit_pk = int(re.search(r'<option value="(\d+)" selected', page).group(1))  # type: ignore[union-attr]
    form = review_form(tree, unit_pk)
    form["f:/plan_document/title"] = "Kế hoạch bình đẳng giới năm 2026 (đã sửa)"
    response = client.post(reverse("reader-review", args=[doc.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    assert plan.title == "Kế hoạch bình đẳng giới năm 2026 (đã sửa)"
    assert plan.code == "0912/QĐ-UBND"
    stored = {(r.kind, r.due) for r in plan.reporting_rules.all()}
    assert ("adhoc", "2026-12-16") in stored


def test_not_a_plan_is_named_and_cannot_be_accepted(world: Any, read_now: None, client: Client) -> None:
    doc = _upload(client, "ttthc.txt", NOT_A_PLAN)
    assert doc.status == ImportStatus.NOT_A_PLAN
    assert doc.result["not_plan"] == "Quyết định công bố thủ tục hành chính"
    status = client.get(reverse("reader-status", args=[doc.pk])).content.decode()
    assert "Văn bản này là Quyết định công bố thủ tục hành chính, không phải kế hoạch." in status
    # Posting a review for it changes nothing: the page goes back to the status.
    response = client.post(reverse("reader-review", args=[doc.pk]), {"unit": str(world.province.pk)})
    assert response.status_code == 302 and Plan.objects.count() == 0
    with pytest.raises(NotAPlan):
        plan_for_loader(doc.result)


def test_reader_only_values_become_what_the_loader_stores() -> None:
    tree = {
        "verdict": "decision-issuing-plan",
        "plan_document": {"title": "Kế hoạch X", "code": None},
        "notes": ["a note"],
        "document": {"title": "Ban hành Kế hoạch X"},
        "tasks": [{"text": "t", "lead": "Các sở, ngành", "group": True}],
        "indicators": [{"targets": [{"year": 2026, "value": [10, 13], "comparator": ">=", "text": None}]}],
        "reporting": [
            {"kind": "once", "due": "2026-12-16"},
            {"kind": "monthly", "due": "---16"},
            {"kind": "periodic", "due": None},
        ],
    }
    out = plan_for_loader(tree)
    assert "verdict" not in out and "plan_document" not in out and "notes" not in out
    assert out["document"]["title"] == "Kế hoạch X"
    assert "group" not in out["tasks"][0]
    assert out["indicators"][0]["targets"][0] == {"year": 2026, "value": 10, "comparator": ">=", "text": "10 - 13"}
    assert [(r["kind"], r["due"]) for r in out["reporting"]] == [
        ("adhoc", "2026-12-16"),
        ("monthly", None),
        ("adhoc", None),
    ]
    assert tree["tasks"][0]["group"] is True  # the reviewed tree itself is left as it was


def test_review_edits_a_group_flag_and_a_range() -> None:
    tree = {
        "document": {},
        "tasks": [{"id": "T1", "text": "t", "lead": "Sở Y tế", "partners": []}],
        "indicators": [
            {"id": "X1", "text": "i", "targets": [{"year": None, "value": 5, "comparator": ">=", "text": None}]}
        ],
    }
    out, errors = review_apply(tree, {"f:/tasks/0/group": "1", "f:/indicators/0/targets/0/value": "10 - 13,5"}, [])
    assert not errors
    assert out["tasks"][0]["group"] is True
    assert out["indicators"][0]["targets"][0]["value"] == [10, 13.5]
    untouched, _ = review_apply(tree, {"f:/tasks/0/group": "0"}, [])
    assert "group" not in untouched["tasks"][0]
    _bad, bad_errors = review_apply(tree, {"f:/indicators/0/targets/0/value": "10 - mười"}, [])
    assert "/indicators/0/targets/0/value" in bad_errors

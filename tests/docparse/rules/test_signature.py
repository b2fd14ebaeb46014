"""SignatureRule: the signer's authority, title and name from the end of the document."""

from __future__ import annotations

from binhdang.docparse.rules.signature import SignatureRule
from docparse.rules.helpers import run_rules

ENDING = """Trên đây là Kế hoạch thực hiện công tác bình đẳng giới năm 2025.
Nơi nhận:
- Bộ Lao động - Thương binh và Xã hội;
- Thường trực Tỉnh ủy;
- Lưu: VT.
KT. CHỦ TỊCH
{title}
Nguyễn Văn An
"""


def test_a_vice_chair_signs_for_the_chair() -> None:
    signer = run_rules(ENDING.format(title="PHÓ CHỦ TỊCH"), SignatureRule()).plan.signer
    assert signer is not None
    assert (signer.authority, signer.title, signer.name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An")


def test_an_ocr_damaged_title_under_kt_is_read_as_vice_chair_with_less_confidence() -> None:
    signer = run_rules(ENDING.format(title="HỒ CHỦ TỊCH"), SignatureRule()).plan.signer
    assert signer is not None and signer.title == "PHÓ CHỦ TỊCH"
    assert signer.spans["title"].confidence < signer.spans["authority"].confidence


def test_a_name_without_an_authority_or_title_is_no_signer() -> None:
    assert run_rules("Trên đây là Kế hoạch.\nNguyễn Văn An\n", SignatureRule()).plan.signer is None
    assert run_rules("", SignatureRule()).plan.signer is None

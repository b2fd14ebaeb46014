"""ReferencesRule: cited documents with kind, code, date, issuer, title and relation."""

from __future__ import annotations

from binhdang.docparse.result import Reference
from binhdang.docparse.rules.identity import IdentityRule
from binhdang.docparse.rules.references import ReferencesRule
from docparse.rules.helpers import run_rules


def _by_code(text: str, *, identity: bool = False) -> dict[str, Reference]:
    rules = (IdentityRule(), ReferencesRule()) if identity else (ReferencesRule(),)
    return {r.code: r for r in run_rules(text, *rules).plan.references}


def test_bases_in_the_preamble_and_a_bare_code_in_the_body() -> None:
    refs = _by_code(
        "Căn cứ Quyết định số 1241/QĐ-TTg ngày 22/7/2011 của Thủ tướng Chính phủ phê duyệt Chiến lược quốc gia\n"
        "về bình đẳng giới;\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Triển khai Nghị quyết 28/NQ-CP của Chính phủ.\n"
    )
    assert list(refs) == ["1241/QĐ-TTg", "28/NQ-CP"]
    qd = refs["1241/QĐ-TTg"]
    assert (qd.kind, qd.number, qd.date, qd.relation) == ("QĐ", "1241", "2011-07-22", "basis")
    assert qd.issuer == "Thủ tướng Chính phủ"
    # The title runs over the wrapped line up to the ";".
    assert qd.title == "phê duyệt Chiến lược quốc gia về bình đẳng giới"
    nq = refs["28/NQ-CP"]
    assert (nq.kind, nq.relation) == ("NQ", "cited")


def test_a_list_shares_its_issuer_and_the_plan_above_is_the_parent() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN HƯƠNG SƠN\nSố: 45/KH-UBND\nHương Sơn, ngày 03 tháng 4 năm 2024\nKẾ HOẠCH\n"
        "Thực hiện bình đẳng giới năm 2024\n"
        "Căn cứ các Quyết định số 953/QĐ-BLĐTBXH ngày 12/7/2021, số 1388/QĐ-BLĐTBXH ngày 20/10/2021 của Bộ Lao"
        " động - Thương binh và Xã hội;\n"
        "Căn cứ Kế hoạch số 95/KH-UBND ngày 10/3/2024 của UBND tỉnh Hà Tĩnh về bình đẳng giới năm 2024;\n"
        "I. MỤC ĐÍCH\n1. Nâng cao nhận thức (Kế hoạch số 45/KH-UBND).\n"
    )
    refs = _by_code(text, identity=True)
    # The plan's own number is not a reference.
    assert set(refs) == {"953/QĐ-BLĐTBXH", "1388/QĐ-BLĐTBXH", "95/KH-UBND"}
    first, second = refs["953/QĐ-BLĐTBXH"], refs["1388/QĐ-BLĐTBXH"]
    assert second.kind == "QĐ" and second.date == "2021-10-20"
    assert first.issuer == second.issuer == "Bộ Lao động - Thương binh và Xã hội"
    parent = refs["95/KH-UBND"]
    assert (parent.issuer, parent.relation) == ("UBND tỉnh Hà Tĩnh", "parent")


def test_numbers_that_are_not_codes_and_an_impossible_date() -> None:
    refs = _by_code(
        "Năm 2024 có số 15/20 xã đạt chuẩn, số 12/2025 hộ; mã số 5/ab-cd.\n"
        "Thực hiện Quyết định số 10/QĐ-UBND ngày 45/13/2025 của UBND tỉnh.\n"
    )
    assert list(refs) == ["10/QĐ-UBND"]
    assert refs["10/QĐ-UBND"].date is None
    assert run_rules("Không có văn bản nào.", ReferencesRule()).plan.references == []

"""Field errors of the plan format travel as codes with parameters: the command line and the API print the English
sentence, the pages the Vietnamese one, both from the same code (issue 17: no table of regular expressions over
English text)."""

from __future__ import annotations

import re
import string

import pytest
from django.utils import translation

from binhdang.plans.errors import FIELD_ERRORS, FieldError, PlanFormatError
from binhdang.plans.interchange import plan_validate
from binhdang.web.messages import FIELD_MESSAGES, field_error_text


def _english_names(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _vietnamese_names(template: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", template))


def test_every_code_has_a_sentence_in_both_languages_with_the_same_parameters() -> None:
    assert set(FIELD_ERRORS) == set(FIELD_MESSAGES)
    with translation.override("vi"):
        for code, english in FIELD_ERRORS.items():
            assert _english_names(english) == _vietnamese_names(str(FIELD_MESSAGES[code])), code


def test_an_unknown_code_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown field error code"):
        FieldError("/x", "no such code")


def _refused(doc: object) -> list[FieldError]:
    with pytest.raises(PlanFormatError) as caught:
        plan_validate(doc)
    return caught.value.errors


def test_a_bad_document_is_refused_in_english_and_shown_in_vietnamese() -> None:
    doc = {
        "schema": "binhdang.plan/1",
        "document": {"kind": "ke-hoach", "title": 5, "years": [2026, 2025]},
        "indicators": [
            {"id": "I1", "text": "Tỷ lệ nữ", "measure": "percentage", "targets": [{"value": "năm mươi"}]},
            {"id": "I1", "text": "Tỷ lệ nam", "measure": "tỷ lệ"},
        ],
        "tasks": [{"id": "T1", "text": "Tuyên truyền", "lead": "Sở Y tế", "partners": ["Sở Y tế"], "parent": "T1"}],
    }
    errors = _refused(doc)
    by_code = {error.code: error for error in errors}
    for code in ("not_string", "years_order", "not_a_vn_number", "duplicate_id", "unknown_choice", "own_parent"):
        assert code in by_code, (code, [str(e) for e in errors])
    assert by_code["not_string"].message == "must be a string, got a number"
    assert by_code["years_order"].message == "last year 2025 is before first year 2026"
    with translation.override("vi"):
        assert field_error_text(by_code["not_string"]) == "phải là một chuỗi ký tự, tệp có một số"
        assert field_error_text(by_code["years_order"]) == "năm cuối 2025 trước năm đầu 2026"
        assert field_error_text(by_code["duplicate_id"]) == "trùng mã 'I1'"
        for error in errors:
            text = field_error_text(error)
            # Nothing of the English sentence is left on the Vietnamese page.
            assert not re.search(r"\b(must|got|required|unknown|expected|cannot)\b", text), (error.code, text)


def test_the_english_page_reads_the_english_catalogue() -> None:
    error = FieldError("/tasks/0/partners", "lead_and_partner", {"agency": "'Sở Y tế'"})
    with translation.override("en"):
        assert field_error_text(error) == "'Sở Y tế' cannot be both lead and partner"

"""Shared by the reader's tests: reading at once instead of on the queue, and the review form a person posts."""

from __future__ import annotations

from typing import Any

import pytest

from binhdang.reader.review import agency_names, review_sections
from binhdang.reader.services import document_read


@pytest.fixture
def read_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "binhdang.web.views.reader.document_read_in_background", lambda *, import_id: document_read(import_id=import_id)
    )


def review_form(tree: dict[str, Any], unit_pk: int) -> dict[str, Any]:
    """What a person who changes nothing posts: every field's current value, agencies left to match."""
    form: dict[str, Any] = {"unit": str(unit_pk)}
    for section in review_sections(tree):
        for row in section.rows:
            for field in row.fields:
                form[f"f:{field.pointer}"] = field.value
    for index, name in enumerate(agency_names(tree)):
        form[f"agency_name:{index}"] = name
        form[f"agency:{index}"] = ""
    return form

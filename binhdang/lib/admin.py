"""What every ModelAdmin of the product shares: text stored in NFC, and autocomplete fields that survive junk.

Django's admin writes straight to the models, past the services that normalise text elsewhere, so its forms
normalise every string they clean. Its autocomplete widget looks up whatever was posted in order to show the form
again; a value that is not an id ("abc" for an integer key) raised ValueError there, a server error instead of
the field's own "select a valid choice" (the same bug django-select2 and django-autocomplete-light fixed in
their widgets). Both were found by the form fuzzing (tests/security/test_fuzz_forms.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import HttpRequest

from binhdang.lib.text import nfc

# The widest key PostgreSQL and SQLite store (bigint); a posted id beyond it cannot name a row.
_MAX_ID = 2**63 - 1


def nfc_deep(value: Any) -> Any:
    """Strings in NFC, also inside the lists and dicts of a JSON field."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    return value


class NfcModelForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            cleaned[name] = nfc_deep(value)
        return cleaned


class CheckedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that ignores posted values which cannot be an id when it shows the form again."""

    def optgroups(self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None) -> Any:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(remote.field_name)
        possible = []
        for item in value:
            try:
                key = target.to_python(item)
            except ValidationError:
                continue
            if isinstance(key, int) and not -_MAX_ID <= key <= _MAX_ID:
                continue
            possible.append(item)
        return super().optgroups(name, possible, attr)


class ProductModelAdmin(admin.ModelAdmin):
    form = NfcModelForm

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProductTabularInline(admin.TabularInline):
    form = NfcModelForm

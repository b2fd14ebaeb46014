"""Django admin for the reference data of places: units (read-mostly), agencies, committees, profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from binhdang.lib.admin import ProductModelAdmin, ProductTabularInline
from binhdang.lib.agency_names import agency_key

from .models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyAlias, Profile


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ProductModelAdmin):
    """Units come from the official lists (`binhdang units load`); the admin only reads them."""

    list_display = ("name", "code", "generation", "level", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("generation", "level", "kind")
    search_fields = ("name", "name_key", "code")
    list_select_related = ("parent",)
    ordering = ("generation", "code")
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: AdministrativeUnit | None = None) -> Any:
        return [field.name for field in self.model._meta.fields] + ["successors"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AdministrativeUnit | None = None) -> bool:
        return False


class AgencyAliasFormSet(BaseInlineFormSet):
    """Two new aliases of one agency that fold to the same key would break the unique constraint on save."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("alias") or data.get("DELETE"):
                continue
            key = agency_key(data["alias"])
            if key in seen:
                raise ValidationError(_("Hai tên gọi khác trùng nhau."))
            seen.add(key)


class AgencyAliasInline(ProductTabularInline):
    model = AgencyAlias
    formset = AgencyAliasFormSet
    extra = 1
    fields = ("alias",)


@admin.register(Agency)
class AgencyAdmin(ProductModelAdmin):
    list_display = ("name", "short_name", "kind", "unit", "email")
    list_filter = ("kind", "unit__level", "unit__generation")
    search_fields = ("name", "short_name", "name_key", "aliases__alias", "unit__name")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    inlines = (AgencyAliasInline,)


@admin.register(AdvancementCommittee)
class AdvancementCommitteeAdmin(ProductModelAdmin):
    list_display = ("name", "unit", "standing_agency", "valid_from", "valid_to")
    list_filter = ("unit__level", "unit__generation")
    search_fields = ("name", "unit__name", "standing_agency__name")
    autocomplete_fields = ("unit", "standing_agency")
    list_select_related = ("unit", "standing_agency")


@admin.register(Profile)
class ProfileAdmin(ProductModelAdmin):
    list_display = ("user", "agency", "title", "phone")
    list_filter = ("agency__kind", "agency__unit__level")
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency__unit")

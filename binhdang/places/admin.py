"""Django admin for the reference data of places: units (read-mostly), agencies, committees, profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AdministrativeUnit, AdvancementCommittee, Agency, AgencyAlias, Profile


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
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


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    fields = ("alias",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "unit", "email")
    list_filter = ("kind", "unit__level", "unit__generation")
    search_fields = ("name", "short_name", "name_key", "aliases__alias", "unit__name")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    inlines = (AgencyAliasInline,)


@admin.register(AdvancementCommittee)
class AdvancementCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "standing_agency", "valid_from", "valid_to")
    list_filter = ("unit__level", "unit__generation")
    search_fields = ("name", "unit__name", "standing_agency__name")
    autocomplete_fields = ("unit", "standing_agency")
    list_select_related = ("unit", "standing_agency")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "title", "phone")
    list_filter = ("agency__kind", "agency__unit__level")
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency__unit")

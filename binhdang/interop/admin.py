from __future__ import annotations

from django.contrib import admin

from binhdang.lib.admin import ProductModelAdmin

from .models import Dhis2Mapping, Dhis2OrgUnit


@admin.register(Dhis2Mapping)
class Dhis2MappingAdmin(ProductModelAdmin):
    list_display = ("indicator", "value_element", "numerator_element", "denominator_element", "data_set")
    raw_id_fields = ("indicator",)


@admin.register(Dhis2OrgUnit)
class Dhis2OrgUnitAdmin(ProductModelAdmin):
    list_display = ("unit", "org_unit")
    raw_id_fields = ("unit",)
    search_fields = ("unit__name", "org_unit")

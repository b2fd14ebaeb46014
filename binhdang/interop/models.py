"""The mapping table between our indicators and units and DHIS2's data elements and organisation units.

Rates and percentages travel as two DHIS2 data elements, numerator and denominator, the way DHIS2 itself
builds indicators (an indicator in DHIS2 is a formula over data elements), so that they still sum correctly
on the other side. A count or a yes/no travels as one data element. The sex is the category option
combination: one uid each for total, female and male (docs/dhis2.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binhdang.places.models import AdministrativeUnit
from binhdang.plans.models import Indicator

from .dhis2 import DEFAULT_COC

UID = {"max_length": 11}


class Dhis2Mapping(models.Model):
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="dhis2")
    data_set = models.CharField(_("dataSet (uid)"), blank=True, **UID)  # type: ignore[arg-type]
    value_element = models.CharField(_("dataElement: giá trị"), blank=True, **UID)  # type: ignore[arg-type]
    numerator_element = models.CharField(_("dataElement: tử số"), blank=True, **UID)  # type: ignore[arg-type]
    denominator_element = models.CharField(_("dataElement: mẫu số"), blank=True, **UID)  # type: ignore[arg-type]
    coc_total = models.CharField(_("categoryOptionCombo: tổng"), default=DEFAULT_COC, **UID)  # type: ignore[arg-type]
    coc_female = models.CharField(_("categoryOptionCombo: nữ"), blank=True, **UID)  # type: ignore[arg-type]
    coc_male = models.CharField(_("categoryOptionCombo: nam"), blank=True, **UID)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("ánh xạ chỉ tiêu DHIS2")
        verbose_name_plural = _("ánh xạ chỉ tiêu DHIS2")
        constraints = [
            models.CheckConstraint(
                condition=~Q(value_element="") | ~Q(numerator_element="") | ~Q(denominator_element=""),
                name="dhis2_mapping_has_element",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ↔ {self.value_element or self.numerator_element}"

    def elements(self) -> dict[str, str]:
        """Our field → DHIS2 data element, for the fields that are mapped."""
        pairs = {
            "value": self.value_element,
            "numerator": self.numerator_element,
            "denominator": self.denominator_element,
        }
        return {field: uid for field, uid in pairs.items() if uid}

    def combos(self) -> dict[str, str]:
        """Our sex → DHIS2 category option combination, for the sexes that are mapped."""
        pairs = {"total": self.coc_total, "female": self.coc_female, "male": self.coc_male}
        return {sex: uid for sex, uid in pairs.items() if uid}

    def clean(self) -> None:
        elements = list(self.elements().values())
        if len(set(elements)) != len(elements):
            raise ValidationError(_("Mỗi trường phải dùng một dataElement khác nhau."))
        combos = list(self.combos().values())
        if len(set(combos)) != len(combos):
            raise ValidationError(_("Mỗi giới tính phải dùng một categoryOptionCombo khác nhau."))


class Dhis2OrgUnit(models.Model):
    unit = models.OneToOneField(AdministrativeUnit, on_delete=models.CASCADE, related_name="dhis2")
    org_unit = models.CharField(_("orgUnit (uid)"), unique=True, **UID)  # type: ignore[arg-type]

    class Meta:
        verbose_name = _("ánh xạ địa bàn DHIS2")
        verbose_name_plural = _("ánh xạ địa bàn DHIS2")

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.org_unit}"

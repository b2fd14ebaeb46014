from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from opendata.worlds import build

from binhdang.interop.dhis2 import DEFAULT_COC
from binhdang.interop.models import Dhis2Mapping, Dhis2OrgUnit


@pytest.fixture
def data(world: Any) -> SimpleNamespace:
    return build(world)


def map_to_dhis2(data: SimpleNamespace) -> None:
    """DHIS2 codes for the world's rate (i1, numerator and denominator by sex) and count (i2), and its units."""
    Dhis2Mapping.objects.create(
        indicator=data.i1,
        data_set="dsGENDER001",
        numerator_element="deI1NUM0001",
        denominator_element="deI1DEN0001",
        coc_total=DEFAULT_COC,
        coc_female="cocFEMALE01",
        coc_male="cocMALE0001",
    )
    Dhis2Mapping.objects.create(indicator=data.i2, data_set="dsGENDER001", value_element="deI2VAL0001")
    for unit, uid in ((data.province, "ouPROVINCE1"), (data.commune_a, "ouCOMMUNEA1"), (data.commune_b, "ouCOMMUNEB1")):
        Dhis2OrgUnit.objects.create(unit=unit, org_unit=uid)

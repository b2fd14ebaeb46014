"""Every named refusal of the domain carries a code of its own (issue 17: errors as codes): the plans' rule
violations, the reader's reasons for not reading a document, and the reporting cycle's rules."""

from __future__ import annotations

import pytest

import binhdang.plans.locks
import binhdang.plans.services
import binhdang.reporting.reminders
from binhdang.docparse.errors import DocParseError
from binhdang.plans.errors import PlanError
from binhdang.reporting.errors import ReportingError


def _family(base: type[Exception]) -> list[type[Exception]]:
    found = [base]
    for sub in base.__subclasses__():
        found += _family(sub)
    return found


@pytest.mark.parametrize("base", [PlanError, DocParseError, ReportingError])
def test_each_refusal_has_its_own_code(base: type[Exception]) -> None:
    # PartLocked's code is set per refusal (delete, reimport, move, reshape): it names why, not the class.
    family = [cls for cls in _family(base) if cls is not binhdang.plans.locks.PartLocked]
    codes = [getattr(cls, "code", None) for cls in family]
    assert len(family) >= 5
    inherited = getattr(base, "code", None)
    missing = [cls.__name__ for cls, code in zip(family, codes, strict=True) if cls is not base and code == inherited]
    assert not missing, f"these refusals carry no code of their own: {missing}"
    assert len(set(codes)) == len(codes), codes

"""Every rule of the reporting cycle has its own code: the API answers with it and the command line's English is
looked up by it (issue 17: errors as codes, not as classes or texts matched at each edge)."""

from __future__ import annotations

import binhdang.reporting.reminders  # noqa: F401  (its errors are subclasses too)
from binhdang.api.errors import STATUS_BY_CODE
from binhdang.reporting.errors import ReportingError
from binhdang.reporting.spreadsheets.result import _RULE_EN


def _subclasses(cls: type[ReportingError]) -> list[type[ReportingError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_each_rule_has_its_own_code() -> None:
    classes = [ReportingError, *_subclasses(ReportingError)]
    codes = [cls.code for cls in classes]
    assert len(classes) >= 10
    assert len(set(codes)) == len(codes), codes
    assert all(code and code == code.lower() and " " not in code for code in codes)


def test_the_edges_name_only_codes_that_exist() -> None:
    codes = {cls.code for cls in [ReportingError, *_subclasses(ReportingError)]}
    assert set(STATUS_BY_CODE) <= codes
    assert set(_RULE_EN) <= codes


def test_every_check_speaks_english_on_the_command_line_by_its_code() -> None:
    """Each code the checks give has an English sentence, whose figures the issue carries (no matching of the
    Vietnamese sentence to find the English one)."""
    import re
    import string
    from pathlib import Path

    import binhdang.reporting as reporting
    from binhdang.reporting.spreadsheets.result import _ISSUE_EN

    source = "".join((Path(reporting.__file__).parent / name).read_text() for name in ("checks.py", "entries.py"))
    given = set(re.findall(r'code="(\w+)"', source))
    assert len(given) >= 10
    assert given <= set(_ISSUE_EN), given - set(_ISSUE_EN)
    for code in given:
        names = {name for _t, name, _s, _c in string.Formatter().parse(_ISSUE_EN[code]) if name}
        block = source[source.index(f'code="{code}"') : source.index(f'code="{code}"') + 300]
        if "params=words" in block:  # the figures gathered once for the group sums
            block = source[source.index("words = {") : source.index("words = {") + 300]
        assert all(f'"{name}"' in block for name in names), (code, names)

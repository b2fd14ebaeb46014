"""The `dhis2` command speaks English: bad input is refused with English messages (the services' Vietnamese
msgids translated through locale/en), nothing is written, and every msgid of the interop package has an English
translation. The services themselves still speak Vietnamese in the product language (the other tests here)."""

from __future__ import annotations

import ast
import gettext
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from dbsnapshot import product_tables
from django.core.management import CommandError, call_command
from interop.conftest import map_to_dhis2

import binhdang.interop
from binhdang.interop.dhis2 import ADX_NS, DEFAULT_COC
from binhdang.interop.models import Dhis2Mapping
from binhdang.interop.services import Dhis2ImportError, import_datavaluesets

INTEROP = Path(binhdang.interop.__file__).parent
MO = INTEROP.parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
# Letters only Vietnamese writes (with their capitals): any of them in a command-line message is untranslated text.
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


@pytest.fixture
def mapped(data: Any) -> Any:
    map_to_dhis2(data)
    return data


def row(element: str, value: Any, coc: str = DEFAULT_COC) -> dict[str, Any]:
    return {
        "dataElement": element,
        "period": "2026S1",
        "orgUnit": "ouCOMMUNEB1",
        "categoryOptionCombo": coc,
        "value": value,
    }


def refused_in_english(*args: str, data_names: tuple[str, ...] = ()) -> str:
    """Run the command, which must refuse; nothing written; the message English once the names of the user's own
    data it quotes (a period's label, say) are taken out. Returns the message."""
    before = product_tables()
    with pytest.raises(CommandError) as info:
        call_command("dhis2", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert product_tables() == before
    text = str(info.value)
    for name in data_names:
        text = text.replace(name, "")
    assert not VIETNAMESE.search(text), text
    return str(info.value)


def test_an_unknown_adx_attribute_is_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "funding.xml"
    path.write_text(
        f'<adx xmlns="{ADX_NS}"><group orgUnit="ouCOMMUNEB1" period="2026-01-01/P6M">'
        '<dataValue dataElement="deI2VAL0001" fundingSource="GAVI" value="5"/></group></adx>',
        encoding="utf-8",
    )
    text = refused_in_english("import", str(path), "--user", "admin")
    assert text.startswith("File not imported; no figures were written.")
    assert "group[0]/dataValue[0]@fundingSource: breakdown fundingSource='GAVI'" in text
    assert "is not in the ADX attribute mapping table" in text


def test_an_unmapped_data_element_is_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "unmapped.json"
    path.write_text(json.dumps({"dataValues": [row("deNOTMAPPED", "5")]}), encoding="utf-8")
    text = refused_in_english("import", str(path), "--user", "admin")
    assert "dataValues[0].dataElement: not mapped: 'deNOTMAPPED'" in text


def test_an_unmapped_code_in_adx_names_the_id_scheme_in_english(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "codes.xml"
    path.write_text(
        f'<adx xmlns="{ADX_NS}"><group orgUnit="ouCOMMUNEB1" period="2026-01-01/P6M">'
        '<dataValue dataElement="I2_CODE" value="5"/></group></adx>',
        encoding="utf-8",
    )
    text = refused_in_english("import", str(path), "--user", "admin")
    assert "not mapped: 'I2_CODE' (ADX uses codes by default (idScheme=code)" in text


def test_a_total_that_disagrees_with_its_parts_is_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    # I1's numerator for commune B: total 10, female 3, male 4; 3 + 4 = 7 is not 10.
    rows = [row("deI1NUM0001", "10"), row("deI1NUM0001", "3", "cocFEMALE01"), row("deI1NUM0001", "4", "cocMALE0001")]
    path = tmp_path / "sum.json"
    path.write_text(json.dumps({"dataValues": rows}), encoding="utf-8")
    text = refused_in_english("import", str(path), "--user", "admin")
    assert "dataValues[0]: total 10 differs from female + male (3 + 4, dataValues[1])" in text


def test_a_bad_value_and_a_deletion_are_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    rows = [row("deI2VAL0001", "abc"), {**row("deI2VAL0001", "5"), "deleted": True}]
    path.write_text(json.dumps({"dataValues": rows}), encoding="utf-8")
    text = refused_in_english("import", str(path), "--user", "admin")
    assert "dataValues[0].value: the value must be a number ('abc')" in text
    assert "dataValues[1].deleted: deleting figures through a file is not accepted" in text


def test_a_value_too_large_is_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    """The spreadsheet check carries both languages; the command picks the English one."""
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"dataValues": [row("deI2VAL0001", 10**16)]}), encoding="utf-8")
    text = refused_in_english("import", str(path), "--user", "admin")
    assert f"dataValues[0].value: number too large ('{10**16}')" in text


def test_an_export_with_nothing_mapped_is_refused_in_english(mapped: Any, tmp_path: Path) -> None:
    Dhis2Mapping.objects.all().delete()
    out = tmp_path / "semi.json"
    text = refused_in_english(
        "export", "--period", str(mapped.semi.pk), "-o", str(out), data_names=(mapped.semi.label,)
    )
    assert text.startswith("No file written.")
    assert f"{mapped.semi.label}: no values to export" in text
    assert not out.exists()


def test_the_services_still_speak_vietnamese_in_the_product_language(mapped: Any) -> None:
    """The same file refused through the service, outside the command: the Vietnamese msgid as written."""
    with pytest.raises(Dhis2ImportError) as info:
        import_datavaluesets(json.dumps({"dataValues": [row("deNOTMAPPED", "5")]}), user=mapped.admin)
    assert info.value.problems == [("dataValues[0].dataElement", "chưa được ánh xạ: 'deNOTMAPPED'")]


def _msgids() -> list[str]:
    """Every literal msgid the interop package hands to gettext/gettext_lazy/_ (its migrations left out)."""
    found: list[str] = []
    for path in sorted(INTEROP.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("gettext", "gettext_lazy", "_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append(node.args[0].value)
    return found


def test_every_interop_msgid_has_an_english_translation() -> None:
    ids = _msgids()
    assert "chưa được ánh xạ: %(code)s" in ids  # the scan finds the package's messages
    with MO.open("rb") as handle:
        english = gettext.GNUTranslations(handle)
    untranslated = [m for m in ids if english.gettext(m) == m and VIETNAMESE.search(m)]
    assert untranslated == []
    placeholders = re.compile(r"%\(\w+\)s")
    for m in ids:
        assert sorted(placeholders.findall(english.gettext(m))) == sorted(placeholders.findall(m)), m

"""`binhdang plan load/export` from the command line: English errors, all-or-nothing, JSON out."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from conftest import GOLDEN, SEEDS, minimal_plan
from django.core.management import CommandError, call_command

from binhdang.plans.models import Plan


def test_load_then_export_all_gives_a_json_array_of_every_plan(db: None, tmp_path: Path) -> None:
    call_command("plan", "load", *[str(GOLDEN / f"{seed}.expected.json") for seed in SEEDS[:2]], stdout=StringIO())
    out = StringIO()
    call_command("plan", "export", "--all", stdout=out)
    exported = json.loads(out.getvalue())
    assert isinstance(exported, list) and len(exported) == 2
    assert {plan["document"]["code"] for plan in exported} == {"41/KH-UBND", "59/KH-UBND"}


def test_one_bad_file_loads_nothing(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    doc = minimal_plan("2025:19", years=[2026, 2020])
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("plan", "load", str(GOLDEN / f"{SEEDS[0]}.expected.json"), str(bad), stdout=StringIO())
    assert "bad.json" in str(info.value)
    assert "/document/years: last year 2020 is before first year 2026" in str(info.value)
    assert Plan.objects.count() == 0


def test_malformed_json_names_the_line(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "binhdang.plan/1",\n "document": }', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.json: invalid JSON at line 2"):
        call_command("plan", "load", str(bad), stdout=StringIO())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema": 1' + "0" * 5000 + "}", "Exceeds the limit"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_json_python_cannot_decode_is_a_command_error(db: None, tmp_path: Path, text: str, message: str) -> None:
    """Found by tests/security/test_fuzz_importers.py: these escaped as ValueError and RecursionError."""
    bad = tmp_path / "huge.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=rf"huge.json: invalid JSON: .*{message}"):
        call_command("plan", "load", str(bad), stdout=StringIO())
    assert not Plan.objects.exists()


def test_export_of_unknown_id_is_an_error(db: None) -> None:
    with pytest.raises(CommandError, match="no plan with id 999"):
        call_command("plan", "export", "999", stdout=StringIO())

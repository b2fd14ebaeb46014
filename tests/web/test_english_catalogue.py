"""The English catalogue: every Vietnamese string has an English translation, placeholders survive translation,
the compiled .mo matches the .po, and a signed-in user who picks English sees English navigation.

The .po is read with a small parser here rather than a library, so the test needs nothing beyond the project."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSWORD
from django.conf import settings
from django.test import Client
from django.urls import reverse

LC_MESSAGES = Path(__file__).resolve().parents[2] / "binhdang" / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# %(name)s / %(name)d (Python and blocktranslate), bare %s / %d, and {name} (messages handed to entry.js).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w+\}")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"django.po:{self.line} {self.msgid!r}"


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> list[Entry]:
    """Every active entry of a .po file (header and obsolete "#~" entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field a continuation line extends

    def finish() -> None:
        nonlocal current
        if current is not None and current.msgid != "":
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            if current is not None and target is not None:
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"stray continuation at line {number}"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
            current = Entry(line=number, flags=flags)
            flags = set()
        assert current is not None, f"unexpected {keyword!r} at line {number}"
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
        elif keyword == "msgstr":
            current.msgstr[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif (match := re.fullmatch(r"msgstr\[(\d+)\]", keyword)) is not None:
            index = int(match.group(1))
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"unknown keyword {keyword!r} at line {number}")
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    parsed = parse_po(PO)
    assert len(parsed) > 500, "the parser found too few entries; is the catalogue truncated?"
    return parsed


def test_parser_reads_plural_and_context_entries(entries: list[Entry]) -> None:
    """The parser itself: a plural entry keeps both forms and a contextual entry keeps its context."""
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals and all(set(e.msgstr) == {0, 1} for e in plurals)
    assert any(e.msgctxt == "loại văn bản" and e.msgid == "Kế hoạch" for e in entries)


def test_every_entry_is_translated(entries: list[Entry]) -> None:
    empty = [e.label for e in entries if not e.msgstr or any(not text.strip() for text in e.msgstr.values())]
    assert not empty, f"{len(empty)} untranslated: {empty[:20]}"


def test_no_fuzzy_entries(entries: list[Entry]) -> None:
    fuzzy = [e.label for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:20]}"


def test_placeholders_survive_translation(entries: list[Entry]) -> None:
    wrong = []
    for entry in entries:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        wanted = sorted(set().union(*(PLACEHOLDER.findall(text) for text in sources)))
        for index, text in entry.msgstr.items():
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                wrong.append(f"{entry.label} [{index}] {text!r}")
    assert not wrong, "\n".join(wrong)


def test_compiled_catalogue_matches_the_po(entries: list[Entry]) -> None:
    """django.mo was compiled from this django.po (run compilemessages after editing the .po)."""
    with MO.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid_plural is not None:
            got = [
                mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                if entry.msgctxt
                else mo.ngettext(entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            expected = [entry.msgstr[0], entry.msgstr[1]]
        else:
            got = [mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)]
            expected = [entry.msgstr[0]]
        if got != expected:
            stale.append(entry.label)
    assert not stale, f"django.mo is out of date for {len(stale)} entries: {stale[:20]}"


# The pages in English -------------------------------------------------------------------------------------

NAV_EN = ["To do", "Plans", "Agency work", "Reports", "Monitoring", "Read a document", "Notifications"]
NAV_VI = ["Việc cần làm", "Kế hoạch", "Việc của đơn vị", "Báo cáo", "Theo dõi", "Đọc văn bản", "Thông báo"]


class _Page(HTMLParser):
    """The main navigation's link texts, the <h1> text and the <html lang>."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.nav: list[str] = []
        self.h1 = ""
        self._in_nav = self._in_link = self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        elif tag == "nav" and "site-nav" in (attributes.get("class") or "").split():
            self._in_nav = True
        elif tag == "a" and self._in_nav:
            self._in_link = True
            self.nav.append("")
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif tag == "a":
            self._in_link = False
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_link:
            self.nav[-1] += data
        if self._in_h1:
            self.h1 += data


def _read(client: Client, name: str) -> _Page:
    response = client.get(reverse(name))
    assert response.status_code == 200, response.status_code
    parsed = _Page()
    parsed.feed(response.content.decode())
    parsed.nav = [text.strip() for text in parsed.nav]
    parsed.h1 = " ".join(parsed.h1.split())
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), [("plan-list", "Plans"), ("report-list", "Reports")])
def test_pages_in_english(client: Client, world: Any, name: str, heading: str) -> None:
    assert client.login(username=world.province_user.username, password=PASSWORD)

    vietnamese = _read(client, name)
    assert vietnamese.lang == "vi"
    assert vietnamese.nav[: len(NAV_VI)] == NAV_VI

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _read(client, name)
    assert english.lang == "en"
    assert english.nav[: len(NAV_EN)] == NAV_EN
    assert not set(NAV_VI) & set(english.nav)
    assert english.h1.startswith(heading)

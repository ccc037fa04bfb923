"""zh-Hans (the default) and Japanese are complete: every string has a translation, the compiled
catalogues match their sources, and placeholders survive translation."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "govcube" / "locale"
LANGUAGES = ["zh_Hans", "ja"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode("raw_unicode_escape").decode("unicode_escape")


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr[n], the fuzzy flag."""
    entries, entry, key = [], {}, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            entry["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key = line.split(" ", 1)[0]
            entry[key] = _unquote(line)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = parse_po(po)
    assert len(entries) > 300
    missing = [
        e["msgid"] for e in entries if e.get("fuzzy") or not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert missing == [], f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive(language):
    for entry in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        wanted = set(PLACEHOLDER.findall(entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr") and value:
                assert set(PLACEHOLDER.findall(value)) == wanted, (language, entry["msgid"], value)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in parse_po(directory / "django.po"):
        if "msgid_plural" in entry:
            continue
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        assert compiled._catalog.get(msgid) == entry["msgstr"], (
            f"{language}: .mo is stale for {entry['msgid']!r}; run make messages"
        )


@pytest.mark.django_db
def test_pages_speak_the_chosen_language(client, personas, world):
    from django.utils import translation

    client.force_login(personas.street_njxl)
    for language, word in [("zh-hans", "楼宇"), ("ja", "ビル"), ("en", "Buildings")]:
        with translation.override(language):
            client.cookies["django_language"] = language
            body = client.get("/territory/buildings/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert word in body, language

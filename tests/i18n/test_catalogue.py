"""The core's French catalogue is complete and well formed, and up to date with the sources.

``pybabel extract`` over desktop/ (as ``make translations-update`` runs it) must find exactly the
catalogue's entries: a sentence added to the core without a translation, or a translation left
behind by a removed sentence, fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from desktop.i18n import _, format_decimal, ngettext, set_language
from tests.support.catalogues import ROOT, TRANSLATIONS, core_po_files

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
NBSP = "\u00a0"


def _catalogue(language: str) -> Catalog:
    with core_po_files()[language].open("rb") as handle:
        return read_po(handle, locale=language)


def _entries(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string or ""]


def test_there_is_a_french_catalogue() -> None:
    assert "fr" in core_po_files()


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = _catalogue("fr")
    entries = _entries(catalogue)
    assert len(entries) > 400
    untranslated = [message.id for message in entries if not all(s.strip() for s in _strings(message))]
    fuzzy = [message.id for message in entries if message.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert not catalogue.fuzzy  # the header too: gettext ignores a fuzzy catalogue's header


def test_placeholders_are_the_same_in_the_translation() -> None:
    for message in _entries(_catalogue("fr")):
        wanted = sorted(PLACEHOLDER.findall(_ids(message)[-1]))
        for text in _strings(message):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (message.id, text)


def test_plural_entries_have_both_french_forms() -> None:
    catalogue = _catalogue("fr")
    assert catalogue.num_plurals == 2
    plurals = [message for message in _entries(catalogue) if message.pluralizable]
    assert plurals, "the catalogue has plural entries (ngettext)"
    for message in plurals:
        strings = _strings(message)
        assert len(strings) == 2 and all(s.strip() for s in strings), message.id


def test_french_typography() -> None:
    """No-break spaces before : ; ? ! » and after «, as the GUI's Qt catalogue; ’ for apostrophes."""
    for message in _entries(_catalogue("fr")):
        for text in _strings(message):
            assert not re.search(r"[ \u202f][:;?!»]|«[ \u202f]", text), (message.id, text)
            assert not re.search(r"[\w}»)][;?!»]", text), (message.id, text)
            assert "'" not in text, (message.id, text)
            # a colon glued to what precedes it is only fine in addresses, times and durations
            stripped = re.sub(r"\S*://\S*|\d+:\d+|h:mm", "", text)
            assert not re.search(r"\S:", stripped), (message.id, text)


def test_extraction_finds_nothing_new_and_nothing_vanished(tmp_path: Path) -> None:
    pot = tmp_path / "pupitre_core.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(TRANSLATIONS / "babel.cfg"), "-c", "TRANSLATORS:", "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    with pot.open("rb") as handle:
        extracted = {(m.context, m.id) for m in read_po(handle) if m.id}
    in_catalogue = {(m.context, m.id) for m in _entries(_catalogue("fr"))}
    assert sorted(map(str, extracted - in_catalogue)) == [], "run `make translations-update` and translate"
    assert sorted(map(str, in_catalogue - extracted)) == [], "run `make translations-update`"


def test_the_compiled_catalogue_translates(core_locale_dir: Path) -> None:
    assert set_language("fr", localedir=core_locale_dir) == "fr"
    assert _("Not connected.") == "Non connecté."
    assert ngettext("The meeting is running ({count} participant).",
                    "The meeting is running ({count} participants).", 1).format(count=1) \
        == "La réunion est en cours (1 participant)."
    assert ngettext("The meeting is running ({count} participant).",
                    "The meeting is running ({count} participants).", 3).format(count=3) \
        == "La réunion est en cours (3 participants)."
    assert format_decimal(1.5, 1) == "1,5"


@pytest.mark.parametrize("code", ["en", "de", "", None])
def test_other_languages_and_english_keep_the_source_sentences(core_locale_dir: Path, code: str | None,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # the system, for "" and None
    assert set_language(code, localedir=core_locale_dir) == ""
    assert _("Not connected.") == "Not connected."
    assert format_decimal(1.5, 1) == "1.5"


def test_the_system_language_is_followed(core_locale_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert set_language(None, localedir=core_locale_dir) == "fr"
    assert _("Not connected.") == "Non connecté."
    monkeypatch.setenv("LANGUAGE", "en")  # LANGUAGE comes first, as gettext reads it
    assert set_language("", localedir=core_locale_dir) == ""


def test_a_missing_catalogue_keeps_english(tmp_path: Path) -> None:
    assert set_language("fr", localedir=tmp_path / "nothing") == ""
    assert _("Not connected.") == "Not connected."

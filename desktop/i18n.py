"""The core's translations: the sentences the core builds (failure causes, hints, health rows,
preflight results, validation messages) in the presenter's language, with the standard library's
:mod:`gettext` only — the core never imports Qt.

Why a second catalogue next to Qt's: the GUI's own strings go through ``tr()`` and the ``.ts``
files, but a failure sentence is built by the core (when the error is raised) and shown as it is
by the GUI, the CLI and the logs' user-facing lines; it must already be in the right language.

* ``_("Could not reach {host}.").format(host=host)``: named placeholders, one whole sentence per
  message (French word order differs: never glue fragments together); :func:`ngettext` for
  counts.  Tables built at import time hold :func:`N_`-marked English and are translated where
  they are read.
* Lookups happen at call time: a sentence is in the language current when it was built.
* The language is the system's by default (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``,
  as gettext reads them), or the one given to :func:`set_language` — the GUI passes its
  ``language`` preference, the same choice as Qt's translator.
* Catalogues: ``desktop/locale/<lang>/LC_MESSAGES/pupitre.mo``, compiled at set-up time from
  ``resources/translations/pupitre_core_<lang>.po`` (``make translations``; git-ignored like the
  ``.qm``).  A missing catalogue is not an error: the sentences stay in English.
"""

from __future__ import annotations

import gettext as _gettext
import logging
import os
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

DOMAIN = "pupitre"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Compiled catalogues (``.mo``), next to the package so a PyInstaller bundle finds them too."""
LOCALE_DIR_ENV = "PUPITRE_LOCALE_DIR"
"""Another folder of compiled catalogues (tests, or an installation that keeps them elsewhere)."""


def locale_dir() -> Path:
    """Where the catalogues are looked for: ``$PUPITRE_LOCALE_DIR``, else :data:`LOCALE_DIR`."""
    override = os.environ.get(LOCALE_DIR_ENV, "").strip()
    return Path(override) if override else LOCALE_DIR


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.translations: _gettext.NullTranslations | None = None  # None: not chosen yet
        self.language = ""


_state = _State()


def _load(code: str | None, localedir: Path) -> _gettext.NullTranslations:
    languages = [code] if code else None  # None: gettext reads the environment
    return _gettext.translation(DOMAIN, localedir, languages=languages, fallback=True)


def set_language(code: str | None, *, localedir: Path | None = None) -> str:
    """Use ``code`` ("fr", "fr_CA", "en"...) for every sentence built from now on.

    ``None`` or "" follows the system.  Returns the language of the catalogue in use ("" when
    the sentences stay in English, e.g. for "en" or a language without a catalogue).
    ``localedir`` is for tests and tools; the app uses :func:`locale_dir`.
    """
    code = (code or "").strip() or None
    translations = _load(code, localedir or locale_dir())
    language = str(translations.info().get("language", "")) if _has_catalogue(translations) else ""
    with _state.lock:
        _state.translations = translations
        _state.language = language
    logger.debug("core language: %s (asked %s)", language or "English", code or "system")
    return language


def current_language() -> str:
    """The language of the catalogue in use, "" for English (the source language)."""
    _translations()
    return _state.language


def _has_catalogue(translations: _gettext.NullTranslations) -> bool:
    return isinstance(translations, _gettext.GNUTranslations)


def _translations() -> _gettext.NullTranslations:
    translations = _state.translations
    if translations is None:  # first lookup before any choice: follow the system
        set_language(None)
        translations = _state.translations
        assert translations is not None
    return translations


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translations().gettext(message)


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of the sentence for the count ``n`` in the current language."""
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (tables built at import time);
    translate it with :func:`_` where it is read."""
    return message


def format_decimal(value: float, places: int) -> str:
    """``value`` with ``places`` decimals and the current language's decimal separator
    ("1.5" in English, "1,5" in French)."""
    text = f"{value:.{places}f}"
    # TRANSLATORS: the decimal separator of numbers such as "1.5 s"
    separator = _translations().pgettext("decimal separator", ".")
    return text.replace(".", separator) if separator != "." else text

"""Translations: the system language by default, a ``language`` setting to override it, and a
pseudo-localisation mode to catch clipped layouts.

Every user-visible string goes through ``self.tr()`` or ``QCoreApplication.translate(context,
text)``; strings defined outside a QObject (tables, enum labels) are marked with
``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` finds them.  The ``.ts`` sources live in git under
``resources/translations``; ``make translations`` compiles them with ``pyside6-lrelease`` into
``desktop/ui/translations/*.qm`` (git-ignored, built at set-up time).

The sentences the core builds (failure causes, health rows, preflight results...) have their own
gettext catalogue (:mod:`desktop.i18n`, no Qt there); :func:`install_translators` gives it the
same language choice as Qt's, so a French window never shows an English failure.

Pseudo-localisation (``PUPITRE_PSEUDO_L10N=1``): every translated string is replaced by an
accented version padded to twice its length, so a label that only fits in English, or a string
that escaped ``tr()``, shows at a glance.  French runs about 20–30 % longer than English.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop import i18n as core_i18n
from desktop.ui.resources import TRANSLATIONS_DIR

logger = logging.getLogger(__name__)

PSEUDO_ENV = "PUPITRE_PSEUDO_L10N"
CATALOGUE = "pupitre"

_PAD_WORD = 7
_ACCENTS = str.maketrans(
    "AaCcEeIiNnOoUuYy",
    "ÅåÇçÉéÎîÑñÖöÛûÝý",
)
# Kept verbatim: Qt placeholders (%1, %L1, %n), Python format fields, HTML tags and entities,
# so a pseudo-localised string still formats and renders.
_VERBATIM = re.compile(r"%L?\d+|%n|\{[^{}]*\}|<[^<>]*>|&[A-Za-z]+;|&#\d+;")


def pseudo_localise(text: str) -> str:
    """``text`` accented and padded to (at least) twice its length, placeholders untouched.

    The padding is made of 7-character runs separated by spaces, like words.
    """
    if not text:
        return text
    pieces: list[str] = []
    position = 0
    for match in _VERBATIM.finditer(text):
        pieces.append(text[position:match.start()].translate(_ACCENTS))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:].translate(_ACCENTS))
    accented = "".join(pieces)
    padding = max(0, 2 * len(text) - len(accented) - 2)
    # padded with word-sized runs, so word-wrapped labels can wrap as they would in French
    # (one long unbreakable run would only test the width of a word no language has)
    filler = (" " + "~" * _PAD_WORD) * (padding // (_PAD_WORD + 1) + 1)
    return f"⟦{accented}{filler[:padding]}⟧"


class PseudoTranslator(QTranslator):
    """Answers every lookup with :func:`pseudo_localise` of the source text."""

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return pseudo_localise(source_text)

    def isEmpty(self) -> bool:
        return False


def pseudo_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(PSEUDO_ENV, "").strip() not in ("", "0", "false", "no")


def choose_locale(language: str) -> QLocale:
    """The ``language`` setting ("fr", "fr_CA"...) or, when empty, the system locale."""
    return QLocale(language) if language.strip() else QLocale.system()


def install_translators(
    app: QCoreApplication,
    language: str = "",
    *,
    directory: Path = TRANSLATIONS_DIR,
    environ: Mapping[str, str] = os.environ,
    core_locale_dir: Path | None = None,
) -> list[QTranslator]:
    """Install Qt's own and Pupitre's translators for the chosen language; return them.

    The core's sentences follow the same choice (``language``, or the system's when it is
    empty), through :func:`desktop.i18n.set_language` (``core_locale_dir``: its catalogues,
    for tests).  The translators are returned so the caller keeps them alive (a QTranslator
    that Python garbage-collects silently stops translating).  A missing ``.qm`` is not an
    error: the strings stay in English and the log says why.
    """
    installed: list[QTranslator] = []
    # the pseudo mode is Qt's alone: the core's sentences stay in the chosen language
    core_i18n.set_language(language.strip() or None, localedir=core_locale_dir)
    if pseudo_enabled(environ):
        pseudo = PseudoTranslator(app)
        app.installTranslator(pseudo)
        logger.info("pseudo-localisation on")
        return [pseudo]
    locale = choose_locale(language)
    QLocale.setDefault(locale)
    qt_translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    ours = QTranslator(app)
    if ours.load(locale, CATALOGUE, "_", str(directory)):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        logger.info("no %s translation for %s in %s (run 'make translations')",
                    CATALOGUE, locale.name(), directory)
    return installed

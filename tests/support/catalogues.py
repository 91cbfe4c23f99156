"""The core's gettext catalogues compiled from the ``.po`` sources in git, for tests.

Tests never depend on ``make translations`` having run: each session compiles the current
sources (with Babel, a test dependency) into a temporary folder and points
:func:`desktop.i18n.set_language` (or ``PUPITRE_LOCALE_DIR``) at it.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
PO_PREFIX = "pupitre_core_"


def core_po_files() -> dict[str, Path]:
    """language -> its ``.po`` source."""
    return {path.stem.removeprefix(PO_PREFIX): path for path in sorted(TRANSLATIONS.glob(f"{PO_PREFIX}*.po"))}


def compile_core_catalogues(target: Path) -> Path:
    """Compile every ``pupitre_core_<lang>.po`` into ``target/<lang>/LC_MESSAGES/pupitre.mo``."""
    for language, po in core_po_files().items():
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=language, domain="pupitre")
        out = target / language / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        with (out / "pupitre.mo").open("wb") as handle:
            write_mo(handle, catalogue)
    return target

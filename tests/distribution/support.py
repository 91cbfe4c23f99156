"""Paths and small readers shared by the packaging tests.

(The folder is not called tests/packaging: pytest would import it as the top-level package
``packaging`` and hide the library of that name.)
"""

from __future__ import annotations

import configparser
import tomllib
from pathlib import Path
from typing import Any

from desktop import APP_ID

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DESKTOP_FILE = RESOURCES / f"{APP_ID}.desktop"
METAINFO_FILE = RESOURCES / f"{APP_ID}.metainfo.xml"
FLATPAK_MANIFEST = ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml"
SPEC_FILE = ROOT / "packaging" / "pyinstaller" / "pupitre.spec"


def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as stream:
        return tomllib.load(stream)


def desktop_entry() -> configparser.SectionProxy:
    """The ``[Desktop Entry]`` group, keys kept case-sensitive (``Name[fr]``)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]

"""Fixtures for the core's translations: the catalogues compiled from git, French on demand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.i18n import set_language
from tests.support.catalogues import compile_core_catalogues


@pytest.fixture(scope="session")
def core_locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_core_catalogues(tmp_path_factory.mktemp("locale"))


@pytest.fixture
def french(core_locale_dir: Path) -> Iterator[None]:
    """The core speaks French for this test (the autouse fixture puts English back after)."""
    assert set_language("fr", localedir=core_locale_dir) == "fr"
    yield

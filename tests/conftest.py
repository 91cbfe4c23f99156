"""Fixtures shared by every test: an isolated PUPITRE_HOME and an in-memory keyring."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.memory_keyring import MemoryKeyring  # noqa: E402


@pytest.fixture(autouse=True)
def pupitre_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "pupitre-home"
    monkeypatch.setenv("PUPITRE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def english_sentences() -> Iterator[None]:
    """The core's sentences in English whatever the machine's locale (tests assert on them);
    a test that wants French calls ``set_language("fr", ...)`` itself and is reset after."""
    from desktop.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def fresh_redaction_registry() -> Iterator[None]:
    """Secrets registered by one test (say a token "wrong") must not redact another test's text."""
    from desktop.logs import forget_registered_secrets, reset_logging

    forget_registered_secrets()
    yield
    forget_registered_secrets()
    reset_logging()  # a CLI test's log handlers must not outlive it


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    import desktop.secrets.store as store

    store._default_store = None
    yield backend
    keyring.set_keyring(previous)
    store._default_store = None


@pytest.fixture
def cli_env(tmp_path: Path, pupitre_home: Path) -> dict[str, str]:
    """Environment for running ``pupitre`` in a subprocess with a file keyring."""
    env = dict(os.environ)
    env["PUPITRE_HOME"] = str(pupitre_home)
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.file_keyring.FileKeyring"
    env["PUPITRE_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["LANGUAGE"] = "en"  # the CLI follows the system's language; tests read its English
    return env


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private XDG_RUNTIME_DIR (the single-instance socket goes there), short enough for a
    socket's path: never the user's real one, never their ~/.cache."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pupitre-rt-"))  # 0700
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)

"""Packages that load their public names on first use (issue 13): every name still resolves, and
reading one small module no longer loads the whole package (httpx, lxml, SQLite...)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAZY_PACKAGES = ("desktop.bbb", "desktop.chat", "desktop.gateways", "desktop.net", "desktop.schedule",
                 "desktop.stream")


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_every_public_name_resolves(name: str) -> None:
    package = importlib.import_module(name)
    for public in package.__all__:
        assert getattr(package, public) is not None
        assert public in dir(package)
    with pytest.raises(AttributeError):
        _ = package.no_such_name


def test_a_small_module_does_not_load_its_package() -> None:
    probe = ("import json, sys; import desktop.bbb.models, desktop.chat.message, desktop.schedule.localtime, "
             "desktop.stream.health; print(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    modules = set(json.loads(done.stdout))
    assert not modules & {"httpx", "lxml", "sqlite3", "websockets", "m3u8", "desktop.bbb.client",
                          "desktop.chat.pipeline", "desktop.schedule.store", "desktop.stream.monitor"}

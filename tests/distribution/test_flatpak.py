"""The Flatpak manifest: valid YAML, the app id, the permissions the app needs, pinned deps."""

from __future__ import annotations

import re
from importlib import metadata
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from desktop import APP_ID
from tests.distribution.support import FLATPAK_MANIFEST, pyproject

REQUIREMENTS = FLATPAK_MANIFEST.parent / "requirements.txt"


def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(FLATPAK_MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def pins() -> dict[str, tuple[str, list[str]]]:
    """requirements.txt as {name: (version, sha256 hashes)}."""
    text = REQUIREMENTS.read_text(encoding="utf-8").replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *options = line.split(" --hash=")
        name, version = spec.strip().split("==")
        found[canonicalize_name(name)] = (version, [o.strip().removeprefix("sha256:") for o in options])
    return found


def test_manifest_names_the_app_and_its_command() -> None:
    data = manifest()
    assert FLATPAK_MANIFEST.name == f"{APP_ID}.yml"
    assert data["app-id"] == APP_ID
    assert data["command"] in pyproject()["project"]["scripts"]
    assert data["runtime"] == "org.freedesktop.Platform" and data["sdk"] == "org.freedesktop.Sdk"


def test_manifest_grants_what_the_app_uses_and_no_more_display_than_x11() -> None:
    args = manifest()["finish-args"]
    for needed in (
        "--share=network", "--socket=x11", "--share=ipc", "--socket=pulseaudio", "--device=dri",
        "--talk-name=org.kde.StatusNotifierWatcher", "--talk-name=org.freedesktop.Notifications",
        "--talk-name=org.freedesktop.secrets", "--filesystem=xdg-videos/Pupitre:create",
    ):
        assert needed in args
    # libVLC embedding needs X11: a Wayland socket would let Qt pick Wayland
    assert "--socket=wayland" not in args and "--socket=fallback-x11" not in args
    assert not [a for a in args if a in ("--filesystem=home", "--filesystem=host")]


def test_manifest_builds_python_deps_libvlc_and_installs_metadata_under_the_app_id() -> None:
    modules = manifest()["modules"]
    assert modules[0] == "python3-requirements.json"
    names = [m["name"] for m in modules if isinstance(m, dict)]
    assert names == ["libvlc", "pupitre"]
    app = next(m for m in modules if isinstance(m, dict) and m["name"] == "pupitre")
    commands = "\n".join(app["build-commands"])
    assert f"resources/{APP_ID}.desktop" in commands
    assert f"resources/{APP_ID}.metainfo.xml" in commands
    assert "${FLATPAK_ID}.svg" in commands
    (source,) = libvlc_module()["sources"]
    assert source["url"].endswith(".tar.xz")
    assert re.fullmatch(r"[0-9a-f]{64}", source["sha256"])


def libvlc_module() -> dict[str, Any]:
    return next(m for m in manifest()["modules"] if isinstance(m, dict) and m["name"] == "libvlc")


@pytest.mark.xfail(strict=True, reason="VLC's published sha256 could not be fetched where the manifest "
                   "was written: fill it in (then this test passes and the mark must go)")
def test_libvlc_checksum_is_filled_in() -> None:
    (source,) = libvlc_module()["sources"]
    assert set(source["sha256"]) != {"0"}


def test_requirements_cover_the_runtime_dependencies_with_hashes() -> None:
    pinned = pins()
    for requirement in pyproject()["project"]["dependencies"]:
        req = Requirement(requirement)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not pinned for the Flatpak"
        assert req.specifier.contains(pinned[name][0]), requirement
    for name, (_version, hashes) in pinned.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), name


def test_requirements_are_closed_under_dependencies() -> None:
    pinned = pins()
    env = {"python_version": "3.13", "python_full_version": "3.13.5", "sys_platform": "linux",
           "platform_system": "Linux", "implementation_name": "cpython", "extra": ""}
    for name, (version, _hashes) in pinned.items():
        try:
            if metadata.version(name) != version:
                continue  # the venv has another version: its dependencies may differ
        except metadata.PackageNotFoundError:
            continue
        for raw in metadata.requires(name) or []:
            req = Requirement(raw)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            assert canonicalize_name(req.name) in pinned, f"{name} needs {req.name}"

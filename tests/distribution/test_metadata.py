"""The .desktop file and the AppStream metainfo: valid, and consistent with the code.

The validators (``desktop-file-validate``, ``appstreamcli``) are installed by
``packaging/dev.sh test``; where they are missing those two tests are skipped with the reason,
and the consistency checks below still run.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree

from desktop import APP_ID, APP_NAME, __version__
from tests.distribution.support import (
    DESKTOP_FILE,
    METAINFO_FILE,
    RESOURCES,
    desktop_entry,
    pyproject,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _metainfo() -> etree._Element:
    return etree.parse(str(METAINFO_FILE)).getroot()


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (packaging/dev.sh test installs it)")
    return path


# -- .desktop -------------------------------------------------------------------------------
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        [_validator("desktop-file-validate"), str(DESKTOP_FILE)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # hints are not failures, but warnings and errors are
    assert "error:" not in result.stdout and "warning:" not in result.stdout, result.stdout


def test_desktop_file_uses_the_app_id_and_the_installed_command() -> None:
    entry = desktop_entry()
    assert DESKTOP_FILE.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    scripts = pyproject()["project"]["scripts"]
    assert entry["Exec"].split()[0] in scripts
    # the X11 window class Qt gives our windows is the application name (app.py sets it)
    assert entry["StartupWMClass"] == APP_NAME


@pytest.mark.parametrize("key", ["Name", "GenericName", "Comment", "Keywords"])
def test_desktop_file_is_translated_in_french(key: str) -> None:
    entry = desktop_entry()
    assert entry[key].strip()
    assert entry[f"{key}[fr]"].strip()
    if key != "Name":  # the name is the same in French; the rest must really be translated
        assert entry[f"{key}[fr]"] != entry[key]


# -- AppStream ------------------------------------------------------------------------------
def test_metainfo_validates() -> None:
    result = subprocess.run(
        [_validator("appstreamcli"), "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_ids_match_the_app_id() -> None:
    root = _metainfo()
    assert METAINFO_FILE.name == f"{APP_ID}.metainfo.xml"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    binaries = [node.text for node in root.iterfind("provides/binary")]
    assert binaries == list(pyproject()["project"]["scripts"])


def test_metainfo_newest_release_is_the_code_version() -> None:
    releases = _metainfo().findall("releases/release")
    assert releases, "no release listed"
    assert releases[0].get("version") == __version__  # AppStream lists the newest first
    assert releases[0].get("date")


def test_metainfo_homepage_is_pyprojects() -> None:
    urls = {node.get("type"): node.text for node in _metainfo().iterfind("url")}
    assert urls["homepage"] == pyproject()["project"]["urls"]["Homepage"]


def test_metainfo_has_french_for_every_english_text() -> None:
    root = _metainfo()
    for parent_path in ("description", "description/ul"):
        parent = root.find(parent_path)
        assert parent is not None
        english = [node for node in parent if node.get(XML_LANG) is None and node.tag in ("p", "li")]
        french = [node for node in parent if node.get(XML_LANG) == "fr"]
        assert len(french) == len(english), parent_path
    for tag in ("summary", "screenshots/screenshot/caption"):
        english = [n for n in root.iterfind(tag) if n.get(XML_LANG) is None]
        french = [n for n in root.iterfind(tag) if n.get(XML_LANG) == "fr"]
        assert len(french) == len(english), tag


def test_metainfo_screenshots_are_the_generated_files() -> None:
    images = [node.text or "" for node in _metainfo().iterfind("screenshots/screenshot/image")]
    assert images
    names = [url.rsplit("/", 1)[-1] for url in images]
    assert all(url.endswith(f"/resources/screenshots/{name}") for url, name in zip(images, names, strict=True))
    folder = RESOURCES / "screenshots"
    if not folder.is_dir():
        pytest.skip("resources/screenshots/ does not exist yet (make screenshots produces it)")
    missing = [name for name in names if not (folder / name).is_file()]
    assert not missing, f"make screenshots did not produce {missing}"

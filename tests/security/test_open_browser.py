"""``--open-browser``: the signed link never reaches the browser's command line (ps), and opening
does not block the event loop."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from desktop.cli.commands.webinar import Progress
from desktop.join_link import open_in_browser, redirect_page

CHECKSUM = "0123456789abcdef0123456789abcdef01234567"
SIGNED = f"https://bbb.example.org/bigbluebutton/api/join?fullName=A%20%3Cb%3E&role=MODERATOR&checksum={CHECKSUM}"


def test_the_redirect_page_is_private_and_sends_the_browser_to_the_link(tmp_path: Path) -> None:
    folder = tmp_path / "rt"
    folder.mkdir(mode=0o700)
    page = redirect_page(SIGNED, folder)
    assert page.parent == folder
    if os.name == "posix":
        assert stat.S_IMODE(page.stat().st_mode) == 0o600
    text = page.read_text()
    assert 'content="0;url=https://bbb.example.org/bigbluebutton/api/join?fullName=A%20%3Cb%3E&amp;role=' in text
    escaped = SIGNED.replace("&", "\\u0026")
    assert f'location.replace("{escaped}")' in text
    assert CHECKSUM not in page.name


def test_opening_gives_the_browser_a_file_address_without_the_link_and_does_not_block(tmp_path: Path) -> None:
    calls: list[str] = []
    release = threading.Event()

    def slow_browser(address: str) -> bool:  # as webbrowser.open waiting for the browser to exit
        calls.append(address)
        release.wait(10)
        return True

    started = time.monotonic()
    thread = open_in_browser(SIGNED, folder=tmp_path, opener=slow_browser, lifetime_s=0.0)
    assert time.monotonic() - started < 1.0  # did not wait for the browser
    assert thread.daemon
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    (address,) = calls
    assert address.startswith("file://") and CHECKSUM not in address and "bbb.example.org" not in address
    page = Path(unquote(urlparse(address).path))
    assert SIGNED.replace("&", "&amp;") in page.read_text()
    release.set()
    thread.join(5)
    assert not page.exists()  # removed once the browser had it


def test_the_page_goes_to_the_users_runtime_folder(runtime_dir: Path) -> None:
    page = redirect_page(SIGNED)
    assert page.parent == runtime_dir / "pupitre"
    if os.name == "posix":
        assert stat.S_IMODE(page.parent.stat().st_mode) == 0o700


def test_the_cli_opens_through_the_page(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import desktop.cli.commands.webinar as webinar
    from desktop import join_link as browser

    opened: list[str] = []
    monkeypatch.setattr(webinar, "open_in_browser",
                        lambda url: browser.open_in_browser(url, opener=opened.append, lifetime_s=0.0))
    Progress(as_json=False).join_url(SIGNED, open_browser=True)
    deadline = time.monotonic() + 5
    while not opened and time.monotonic() < deadline:
        time.sleep(0.01)
    assert opened and opened[0].startswith("file://") and CHECKSUM not in opened[0]
    assert SIGNED in capsys.readouterr().out  # still printed for the presenter

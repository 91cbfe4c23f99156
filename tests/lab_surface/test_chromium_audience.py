"""The audience page in real headless Chromium: the live plays (hls.js or native HLS) and a
message typed in the form reaches the BBB public chat as Pod's audience message."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.lab.audience_page import HLS_JS
from tests.lab_surface.cdp import CHROMIUM, chromium
from tests.lab_surface.support import Surface, as_meant, wait_for_chat

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium; "
                       "apt-get install chromium, or run packaging/dev.sh)"),
]

TITLE = 'Amphi <b>L1</b> & "co"'


async def test_live_plays_and_a_message_reaches_the_bbb_chat(app_lab: Surface, tmp_path: Path,
                                                               qapp: object) -> None:
    webinar, session = await app_lab.go_live(TITLE)
    lab = app_lab.lab
    gateway_name = session.snapshot.gateway.removeprefix("lab-")  # type: ignore[union-attr]
    page_url = lab.gateway(gateway_name).audience_page_url
    assert page_url is not None and session.snapshot.audience_url == page_url
    meeting = lab.world.meeting(webinar.meeting_id)
    assert meeting is not None

    async with chromium(tmp_path / "profile") as browser:
        page = await browser.open(page_url)
        await page.wait_for("document.readyState === 'complete' && document.body.getAttribute('data-live') === 'yes'",
                            15, "the live page")
        assert await page.evaluate("document.getElementById('title').textContent") == meeting.name
        assert await page.evaluate("document.querySelector('#title *') === null")  # text, not markup
        if HLS_JS.is_file():
            assert await page.evaluate("typeof window.Hls === 'function' && window.Hls.isSupported()")
        # the video plays: currentTime advances by more than a second
        start = await page.wait_for("(function () { var v = document.querySelector('video'); "
                                    "return v && v.currentTime > 0 ? v.currentTime : 0; }())", 40, "playback")
        await page.wait_for(f"document.querySelector('video').currentTime > {start} + 1.0", 20,
                            "currentTime to advance")
        assert await page.evaluate("document.querySelector('video').paused") is False

        assert await page.evaluate("document.getElementById('chat-section').hidden") is False
        assert await page.evaluate("document.getElementById('message').maxLength") == 100
        message = 'Bonjour, c\'est "clair" <b>?</b>'
        await page.type_into("#first-name", "Jeanne")
        await page.type_into("#last-name", "D'Arc")
        await page.type_into("#message", message)
        assert await page.evaluate("document.getElementById('message-count').textContent") == str(len(message))
        await page.evaluate("document.getElementById('send').click()")
        await page.wait_for("document.getElementById('chat-status').className === 'sent'", 15, "the message sent")
        assert await page.evaluate("document.getElementById('message').value") == ""

    expected = "(Jeanne D’Arc) Bonjour, c’est ’clair’ <b>?</b>"
    found = await wait_for_chat(lab, meeting, lambda m: as_meant(m.text) == expected)
    assert found[0].sender_name == "streaming" and found[0].sender_role == "VIEWER"
    await session.end_webinar()

"""The Pod-like audience page over HTTP: escaping, the live state, and the chat post that goes
through the gateway's chat endpoint as Pod's ``live_publish_chat`` does."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.lab.audience_page import HLS_JS
from desktop.lab.runner import Lab
from tests.lab_surface.support import as_meant, running_meeting, stream_directly, wait_for_chat

HOSTILE_TITLE = '<script>alert("t")</script> & <img src=x onerror=alert(1)> "quoted"'


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=15) as http:
        yield http


def page_url(lab: Lab, name: str) -> str:
    url = lab.gateway(name).audience_page_url
    assert url is not None
    return url


def csrf_of(page: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert match is not None
    return match.group(1)


async def post_chat(client: httpx.AsyncClient, lab: Lab, name: str, body: Any, *, csrf: str | None = None,
                    content: bytes | None = None, content_type: str = "application/json") -> httpx.Response:
    page = (await client.get(page_url(lab, name))).text
    headers = {"Content-Type": content_type, "X-CSRFToken": csrf if csrf is not None else csrf_of(page)}
    data = content if content is not None else json.dumps(body).encode()
    return await client.post(page_url(lab, name) + "/chat", content=data, headers=headers)


async def test_not_live_page(lab: Lab, client: httpx.AsyncClient) -> None:
    reply = await client.get(page_url(lab, "gw1"))
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    page = reply.text
    assert 'data-live="no"' in page and "gw1: not live" in page
    assert '<section id="chat-section" hidden>' in page
    assert f'data-hls-url="{lab.gateway("gw1").hls_url}"' in page
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert lab.origin is not None and lab.origin.url in policy  # the player may fetch the stream
    state = (await client.get(page_url(lab, "gw1") + "/state")).json()
    assert state == {"gateway": "gw1", "live": False, "title": None, "chat": False,
                     "hls_url": lab.gateway("gw1").hls_url, "participants": 0}
    assert (await client.get(lab.audience_pages.url + "/live/gw9")).status_code == 404  # type: ignore[union-attr]
    index = (await client.get(lab.audience_pages.url + "/")).text  # type: ignore[union-attr]
    assert all(f'href="/live/{g.name}"' in index for g in lab.gateways)


async def test_static_files_and_hls_js(lab: Lab, client: httpx.AsyncClient) -> None:
    base = lab.audience_pages.url  # type: ignore[union-attr]
    script = await client.get(base + "/static/audience.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("application/javascript")
    assert "innerHTML" not in script.text  # textContent only
    assert (await client.get(base + "/static/audience.css")).headers["content-type"].startswith("text/css")
    assert (await client.get(base + "/static/../runner.py")).status_code == 404
    page = (await client.get(page_url(lab, "gw1"))).text
    if HLS_JS.is_file():
        assert '<script src="/static/hls.min.js"></script>' in page
        served = await client.get(base + "/static/hls.min.js")
        assert served.status_code == 200 and served.content == HLS_JS.read_bytes()
    else:
        assert "hls.js is not installed" in page


async def test_without_hls_js_the_page_says_so_and_uses_native_playback(lab: Lab, client: httpx.AsyncClient,
                                                                       tmp_path: Path) -> None:
    assert lab.audience_pages is not None
    lab.audience_pages.hls_js = tmp_path / "missing.js"
    page = (await client.get(page_url(lab, "gw2"))).text
    assert "hls.js is not installed" in page and "hls.min.js" not in page
    assert (await client.get(lab.audience_pages.url + "/static/hls.min.js")).status_code == 404


@pytest.mark.parametrize("name", ["gw1", "gw3"])
async def test_live_page_escapes_the_title_and_posts_like_pod(lab: Lab, client: httpx.AsyncClient, name: str,
                                                            qapp: object) -> None:
    meeting = running_meeting(lab, f"page-{name}", HOSTILE_TITLE)
    await stream_directly(lab, name, meeting)
    reply = await client.get(page_url(lab, name))
    page = reply.text
    assert 'data-live="yes"' in page and '<section id="chat-section">' in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page
    state = await client.get(page_url(lab, name) + "/state")
    assert "<" not in state.text and "\\u003cscript" in state.text
    assert state.json()["title"] == HOSTILE_TITLE and state.json()["chat"] is True

    sent = await post_chat(client, lab, name, {"first": "Jeanne", "last": "D'Arc",
                                               "message": 'C\'est "super" <b>!</b>'})
    assert sent.json() == {"message_return": "message_sent", "is_sent": True}
    expected = "(Jeanne D’Arc) C’est ’super’ <b>!</b>"
    found = await wait_for_chat(lab, meeting, lambda m: as_meant(m.text) == expected)
    assert found[0].sender_name == "streaming" and found[0].sender_role == "VIEWER"


async def test_long_messages_pass_as_in_pod(lab: Lab, client: httpx.AsyncClient, qapp: object) -> None:
    meeting = running_meeting(lab, "page-long", "Long")
    await stream_directly(lab, "gw1", meeting)
    text = "x" * 300  # the form stops at 100; Pod's view does not enforce it
    assert (await post_chat(client, lab, "gw1", {"first": "A", "last": "B", "message": text})).json()["is_sent"]
    await wait_for_chat(lab, meeting, lambda m: as_meant(m.text) == f"(A B) {text}")


@pytest.mark.parametrize("body, status", [
    ({"first": "", "last": "B", "message": "m"}, 400),
    ({"first": "A", "last": "B"}, 400),
    ({"first": "A", "last": "B", "message": 3}, 400),
    ({"first": "A" * 151, "last": "B", "message": "m"}, 400),
    (["A", "B", "m"], 400),
])
async def test_malformed_chat_posts_are_400(lab: Lab, client: httpx.AsyncClient, body: Any, status: int) -> None:
    reply = await post_chat(client, lab, "gw1", body)
    assert reply.status_code == status and reply.json()["error"]


async def test_chat_post_needs_the_csrf_token_and_json(lab: Lab, client: httpx.AsyncClient) -> None:
    body = {"first": "A", "last": "B", "message": "m"}
    assert (await post_chat(client, lab, "gw1", body, csrf="forged")).status_code == 403
    form = await post_chat(client, lab, "gw1", None, content=b"first=A&last=B&message=m",
                           content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    garbage = await post_chat(client, lab, "gw1", None, content=b"{nope")
    assert garbage.status_code == 400


async def test_no_live_or_chat_off_is_not_sent(lab: Lab, client: httpx.AsyncClient, qapp: object) -> None:
    body = {"first": "A", "last": "B", "message": "hello"}
    assert (await post_chat(client, lab, "gw1", body)).json() == {"message_return": "error", "is_sent": False}
    meeting = running_meeting(lab, "page-off", "Chat off")
    await stream_directly(lab, "gw1", meeting)
    assert lab.audience_pages is not None
    lab.audience_pages.set_chat_enabled("gw1", False)
    assert '<section id="chat-section" hidden>' in (await client.get(page_url(lab, "gw1"))).text
    assert (await post_chat(client, lab, "gw1", body)).json()["is_sent"] is False
    await lab.set_fault("gw1", "http500")  # the gateway refuses: Pod's error answer
    lab.audience_pages.set_chat_enabled("gw1", True)
    assert (await post_chat(client, lab, "gw1", body)).json()["is_sent"] is False
    assert not any("hello" in m.text for m in meeting.chat)

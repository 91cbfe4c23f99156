"""The lab client page a join redirects to: entering, the page's JSON API (state, chat, leave),
its authentication (token + JSESSIONID) and the escaping of hostile user data."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.world import LabMeeting, LabWorld
from tests.lab.conftest import Api

HOSTILE = '<script>alert("pwn")</script><img src=x onerror=alert(1)>'


async def browser_join(api: Api, full_name: str = "Jane") -> tuple[str, str, str]:
    """A join as a browser does it: the 302, then the client page. Returns (token, cookie, html)."""
    reply = await api.call("join", {"fullName": full_name, "meetingID": "lab-room", "role": "VIEWER"})
    assert reply.status == 302
    location, cookie = reply.headers["Location"], reply.cookies["JSESSIONID"]
    async with api.session.get(location, headers={"Cookie": f"JSESSIONID={cookie}"}) as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        html = await response.text()
    return location.split("sessionToken=", 1)[1], cookie, html


async def page_api(api: Api, path: str, token: str, cookie: str | None, body: Any = None) -> tuple[int, str]:
    url = f"http://127.0.0.1:{api.server.port}/html5client/lab/api/{path}"
    headers = {"X-Session-Token": token}
    if cookie:
        headers["Cookie"] = f"JSESSIONID={cookie}"
    method = "GET" if body is None else "POST"
    data = None if body is None else (body if isinstance(body, str) else json.dumps(body))
    async with api.session.request(method, url, headers=headers, data=data) as response:
        return response.status, await response.text()


@pytest.fixture
async def room(bbb_api: Api, bbb_world: LabWorld) -> LabMeeting:
    await bbb_api.create(name=HOSTILE)
    meeting = bbb_world.meeting("lab-room")
    assert meeting is not None
    return meeting


async def test_loading_the_page_enters_the_meeting(bbb_api: Api, room: LabMeeting) -> None:
    assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "false"
    _, _, html = await browser_join(bbb_api, HOSTILE)
    assert room.participant_count == 1
    assert (await bbb_api.call("isMeetingRunning", {"meetingID": "lab-room"})).get("running") == "true"
    assert "alert" not in html and "pwn" not in html  # nothing of the user data is in the HTML
    for selector in ('id="participants"', 'id="chat"', 'id="message-input"', 'id="send"', 'id="leave"'):
        assert selector in html


async def test_page_needs_the_cookie_of_its_join(bbb_api: Api, room: LabMeeting) -> None:
    reply = await bbb_api.call("join", {"fullName": "J", "meetingID": "lab-room", "role": "VIEWER"})
    location = reply.headers["Location"]
    async with bbb_api.session.get(location) as response:
        assert response.status == 403
    async with bbb_api.session.get(location, headers={"Cookie": "JSESSIONID=forged"}) as response:
        assert response.status == 403
    async with bbb_api.session.get(location.split("?")[0] + "?sessionToken=nope",
                                   headers={"Cookie": f"JSESSIONID={reply.cookies['JSESSIONID']}"}) as response:
        assert response.status == 403
    assert room.participant_count == 0


async def test_state_json_escapes_markup_and_round_trips(bbb_api: Api, room: LabMeeting, bbb_world: LabWorld) -> None:
    token, cookie, _ = await browser_join(bbb_api, HOSTILE)
    bbb_world.post_chat(room, text=HOSTILE, sender_name=HOSTILE)
    status, text = await page_api(bbb_api, "state", token, cookie)
    assert status == 200
    assert "<" not in text and ">" not in text
    state = json.loads(text)
    assert state["meeting"]["name"] == HOSTILE
    assert [p["name"] for p in state["participants"]] == [HOSTILE]
    assert [(m["senderName"], m["message"]) for m in state["messages"]] == [(HOSTILE, HOSTILE)]
    status, text = await page_api(bbb_api, f"state?after={state['messages'][0]['sequence']}", token, cookie)
    assert json.loads(text)["messages"] == []


async def test_page_api_authentication(bbb_api: Api, room: LabMeeting) -> None:
    token, cookie, _ = await browser_join(bbb_api)
    other_token, other_cookie, _ = await browser_join(bbb_api, "Other")
    assert (await page_api(bbb_api, "state", token, None))[0] == 403
    assert (await page_api(bbb_api, "state", token, other_cookie))[0] == 403
    assert (await page_api(bbb_api, "chat", "", cookie, {"message": "x"}))[0] == 403
    assert (await page_api(bbb_api, "leave", other_token, cookie, {}))[0] == 403
    assert room.participant_count == 2


async def test_post_and_leave(bbb_api: Api, room: LabMeeting, bbb_world: LabWorld) -> None:
    token, cookie, _ = await browser_join(bbb_api, "Jane")
    status, text = await page_api(bbb_api, "chat", token, cookie, {"message": "Bonjour à tous"})
    assert status == 200 and json.loads(text)["sequence"] == 1
    assert [(m.sender_name, m.text, m.sender_id) for m in room.chat] == [
        ("Jane", "Bonjour à tous", room.present_users[0].user_id)]
    for body in ({"message": "   "}, {"message": "x" * 5001}, {"nothing": 1}, "not json"):
        assert (await page_api(bbb_api, "chat", token, cookie, body))[0] == 400
    left = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "user_left", 5))
    status, text = await page_api(bbb_api, "leave", token, cookie, {})
    assert (status, json.loads(text)) == (200, {"left": True})
    await left
    assert room.participant_count == 0
    assert (await page_api(bbb_api, "chat", token, cookie, {"message": "late"}))[0] == 409
    state = json.loads((await page_api(bbb_api, "state", token, cookie))[1])
    assert state["me"]["left"] is True and state["participants"] == []


async def test_a_silent_page_leaves(bbb_world: LabWorld, bbb_http: aiohttp.ClientSession) -> None:
    server = BBBServer(bbb_world, BBBOptions(page_presence_timeout=0.15))
    await server.start()
    try:
        api = Api(server, bbb_http, bbb_world.secret)
        await api.create()
        left = asyncio.ensure_future(bbb_world.next_event(lambda e: e.kind == "user_left", 5))
        await browser_join(api)
        assert (await left).data["name"] == "Jane"
    finally:
        await server.stop()


async def test_ended_meeting_and_waiting_guest(bbb_api: Api, room: LabMeeting, bbb_world: LabWorld) -> None:
    room.params["guestPolicy"] = "ASK_MODERATOR"
    reply = await bbb_api.call("join", {"fullName": "Guest", "meetingID": "lab-room", "role": "VIEWER",
                                        "guest": "true", "redirect": "false"})
    assert (reply.key, reply.get("guestStatus")) == ("guestWait", "WAIT")
    token, cookie = reply.get("session_token") or "", reply.cookies["JSESSIONID"]
    async with bbb_api.session.get(reply.get("url") or "", headers={"Cookie": f"JSESSIONID={cookie}"}) as response:
        assert response.status == 200
    assert room.participant_count == 0
    assert json.loads((await page_api(bbb_api, "state", token, cookie))[1])["me"]["waiting"] is True
    bbb_world.finish_meeting(room, "test")
    async with bbb_api.session.get(reply.get("url") or "", headers={"Cookie": f"JSESSIONID={cookie}"}) as response:
        assert response.status == 410


async def test_static_script_builds_the_dom_without_markup(bbb_api: Api) -> None:
    base = f"http://127.0.0.1:{bbb_api.server.port}/html5client/lab/"
    async with bbb_api.session.get(base + "client.js") as response:
        assert response.content_type == "application/javascript"
        script = await response.text()
    assert "textContent" in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    async with bbb_api.session.get(base + "client.css") as response:
        assert response.content_type == "text/css"
    async with bbb_api.session.get(base + "other.js") as response:
        assert response.status == 404

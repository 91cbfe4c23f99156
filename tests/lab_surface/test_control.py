"""The lab's control endpoint over loopback HTTP: authentication, and every fault switched
through it changes what a client of the emulated servers sees."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from desktop.lab.runner import Lab
from desktop.lab.scene import Scene
from tests.lab_surface.support import (
    as_meant,
    bbb_call,
    running_meeting,
    stream_directly,
    wait_for_chat,
)


class Control:
    def __init__(self, lab: Lab, client: httpx.AsyncClient) -> None:
        assert lab.control is not None
        self.url = lab.control.url
        self.client = client
        self.headers = {"Authorization": f"Bearer {lab.control_token}"}

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(self.url + path, headers=kwargs.pop("headers", self.headers), **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return await self.client.post(self.url + path, json=body, headers=kwargs.pop("headers", self.headers),
                                      **kwargs)

    async def fault(self, target: str, fault: str, on: bool = True) -> None:
        reply = await self.post("/lab/fault", {"target": target, "fault": fault, "on": on})
        assert reply.status_code == 200, reply.text


@pytest.fixture
async def control(lab: Lab) -> AsyncIterator[Control]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield Control(lab, client)


@pytest.mark.parametrize("case", ["none", "wrong", "basic", "prefix", "raw"])
async def test_every_route_needs_the_token(lab: Lab, control: Control, case: str) -> None:
    token = lab.control_token
    headers = {"none": {}, "wrong": {"Authorization": "Bearer nope"},
               "basic": {"Authorization": f"Basic {token}"},
               "prefix": {"Authorization": f"Bearer {token[:-1]}"},
               "raw": {"Authorization": token}}[case]
    for method, path in (("GET", "/lab/state"), ("POST", "/lab/fault"), ("POST", "/lab/meetings/x/end"),
                         ("POST", "/lab/audience"), ("POST", "/lab/pages/chat")):
        reply = await control.client.request(method, control.url + path, headers=headers, json={})
        assert reply.status_code == 401, (method, path)
        assert "token" in reply.json()["error"]


async def test_state_describes_the_lab_without_the_control_token(lab: Lab, control: Control) -> None:
    assert lab.control is not None and lab.control.url.startswith("http://127.0.0.1:")
    reply = await control.get("/lab/state")
    assert reply.status_code == 200
    state = reply.json()
    assert lab.control_token not in reply.text
    assert state["control"] == {"url": lab.control.url}
    assert [g["name"] for g in state["gateways"]] == ["gw1", "gw2", "gw3"]
    assert all(g["audience_page_url"].endswith(f"/live/{g['name']}") for g in state["gateways"])
    assert state["faults"]["gw1"] == [] and state["faults"]["bbb"] == []
    assert state["meetings"] == [] and state["publishing"] == [] and state["audience"] is None
    running_meeting(lab, "m-1", "Maths")
    state = (await control.get("/lab/state")).json()
    assert state["meetings"][0] | {} == {"meeting_id": "m-1", "name": "Maths", "running": True, "ended": False,
                                        "participants": 1, "moderators": 1, "chat_messages": 0, "gateways": []}


@pytest.mark.parametrize("body, words", [
    ({"target": "gw1", "fault": "nope"}, "unknown gateway fault"),
    ({"target": "gw9", "fault": "busy"}, "no target"),
    ({"target": "bbb", "fault": "busy"}, "unknown bbb fault"),
    ({"target": "stream:gw1", "fault": "busy"}, "unknown stream fault"),
    ({"target": "gw1", "fault": "busy", "on": "yes"}, "target"),
    ([1, 2], "json object"),
])
async def test_bad_fault_requests_are_400_with_a_sentence(control: Control, body: Any, words: str) -> None:
    reply = await control.post("/lab/fault", body)
    assert reply.status_code == 400
    assert words in reply.json()["error"].lower()


async def test_garbage_body_is_400(control: Control) -> None:
    reply = await control.client.post(control.url + "/lab/fault", content=b"{not json", headers=control.headers)
    assert reply.status_code == 400 and "json" in reply.json()["error"].lower()


# -- gateway faults, seen by a client of the legacy API ------------------------------------------------
async def _legacy_start(lab: Lab, timeout: float = 5.0) -> httpx.Response:
    gateway = lab.gateway("gw1")
    async with httpx.AsyncClient(timeout=timeout, headers={"Authorization": f"Bearer {gateway.token}"}) as client:
        return await client.get(f"{gateway.url}/start", params={"room": "abcdef0123", "domain": "nowhere.invalid/x",
                                                                 "rtmpDst": gateway.rtmp_url})


@pytest.mark.parametrize("fault, expected", [
    ("busy", (200, "No free resources found")),
    ("launch_fail", (200, "The gateway failed to launch")),
    ("http500", (500, "internal server error")),
    ("wrong_token", (401, "authorization error")),
])
async def test_gateway_faults_through_http(lab: Lab, control: Control, fault: str, expected: tuple[int, str]) -> None:
    await control.fault("gw1", fault)
    assert (await control.get("/lab/state")).json()["faults"]["gw1"] == [fault]
    reply = await _legacy_start(lab)
    assert (reply.status_code, expected[1] in reply.text) == (expected[0], True), reply.text
    await control.fault("gw1", fault, on=False)
    assert (await control.get("/lab/state")).json()["faults"]["gw1"] == []
    reply = await _legacy_start(lab)
    assert reply.status_code == 200 and reply.json()["details"]["res"] == "ok", reply.text


async def test_hang_fault_holds_requests_until_cleared(lab: Lab, control: Control) -> None:
    await control.fault("gw1", "hang")
    with pytest.raises(httpx.TimeoutException):
        await _legacy_start(lab, timeout=0.5)
    held = asyncio.ensure_future(_legacy_start(lab, timeout=10))
    await lab.world.next_event(lambda e: e.kind == "gateway_request_held", 5)
    await control.fault("gw1", "hang", on=False)
    reply = await held
    assert reply.status_code == 200


async def test_v18_gateway_http500_through_http(lab: Lab, control: Control) -> None:
    await control.fault("gw3", "http500")
    gateway = lab.gateway("gw3")
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.get(f"{gateway.url}/status", params={"gw_id": "gw3"})
    assert reply.status_code == 500 and reply.json()["status"] == "error"


# -- BBB faults ----------------------------------------------------------------------------------------------
async def test_bbb_down_through_http(lab: Lab, control: Control) -> None:
    await control.fault("bbb", "down")
    assert (await control.get("/lab/state")).json()["faults"]["bbb"] == ["down"]
    with pytest.raises(httpx.ConnectError):
        await bbb_call(lab, "getMeetings", {})
    await control.fault("bbb", "down", on=False)
    assert "<returncode>SUCCESS</returncode>" in (await bbb_call(lab, "getMeetings", {})).text


async def test_checksum_sha1_only_through_http(lab: Lab, control: Control) -> None:
    assert "SUCCESS" in (await bbb_call(lab, "getMeetings", {}, "sha256")).text
    await control.fault("bbb", "checksum_sha1_only")
    assert "checksumError" in (await bbb_call(lab, "getMeetings", {}, "sha256")).text
    assert "SUCCESS" in (await bbb_call(lab, "getMeetings", {}, "sha1")).text
    await control.fault("bbb", "checksum_sha1_only", on=False)
    assert "SUCCESS" in (await bbb_call(lab, "getMeetings", {}, "sha512")).text


async def test_graphql_drop_through_http(lab: Lab, control: Control) -> None:
    running_meeting(lab, "gql", "GraphQL")
    join = await bbb_call(lab, "join", {"fullName": "Reader", "meetingID": "gql", "role": "VIEWER",
                                        "redirect": "false"})
    token = join.text.split("<session_token>")[1].split("<")[0]
    cookie = join.cookies["JSESSIONID"]
    async with connect(lab.bbb.graphql_url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                       additional_headers={"Cookie": f"JSESSIONID={cookie}"}, open_timeout=5) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"headers": {
            "X-Session-Token": token, "X-ClientSessionUUID": "lab-surface", "X-ClientType": "HTML5",
            "X-ClientIsMobile": "false"}}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "connection_ack"}
        await control.fault("bbb", "graphql_drop")
        with pytest.raises(ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 5)
    assert ws.close_code == 1011
    assert (await control.get("/lab/state")).json()["faults"]["graphql_drops"] == 1


# -- stream faults --------------------------------------------------------------------------------------------
async def test_stream_faults_through_http(lab: Lab, control: Control, qapp: object) -> None:
    assert lab.origin is not None
    gateway = lab.gateway("gw2")
    scene = Scene("Stream fault test", 1, False, gateway="gw2")
    await lab.origin.start(gateway.stream_name, lambda: scene)
    try:
        await lab.origin.wait_segments(gateway.stream_name, 1, timeout=20)
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await client.get(gateway.hls_url)).status_code == 200
            await control.fault("stream:gw2", "not_found")
            assert (await client.get(gateway.hls_url)).status_code == 404
            await control.fault("stream:gw2", "not_found", on=False)
            await control.fault("stream:gw2", "stalled")
            assert (await control.get("/lab/state")).json()["faults"]["stream:gw2"] == ["stalled"]
            frozen = (await client.get(gateway.hls_url)).text
            disk = lab.origin.folder(gateway.stream_name) / "index.m3u8"
            async with asyncio.timeout(15):  # the encoder goes on writing new segments...
                while (await asyncio.to_thread(disk.read_text)) == frozen:
                    await asyncio.sleep(0.1)
            assert (await client.get(gateway.hls_url)).text == frozen  # ...that the players never see
            await control.fault("stream:gw2", "stalled", on=False)
            assert (await client.get(gateway.hls_url)).text != frozen
    finally:
        await lab.origin.stop(gateway.stream_name)


# -- meetings, audience, pages ----------------------------------------------------------------------------
async def test_meeting_ended_by_someone_else(lab: Lab, control: Control) -> None:
    meeting = running_meeting(lab, "to-end", "Ending")
    ended = asyncio.ensure_future(lab.world.next_event(lambda e: e.kind == "meeting_ended", 5))
    reply = await control.post("/lab/meetings/to-end/end")
    assert reply.status_code == 200 and reply.json() == {"meeting_id": "to-end", "ending": True}
    await ended
    assert meeting.ended and not meeting.running
    assert (await control.post("/lab/meetings/to-end/end")).status_code == 404
    assert (await control.post("/lab/meetings/never/end")).status_code == 404


@pytest.mark.parametrize("gateway_name", ["gw1", "gw3"])
async def test_audience_posts_through_the_streaming_gateway(lab: Lab, control: Control, gateway_name: str,
                                                            qapp: object) -> None:
    meeting = running_meeting(lab, f"aud-{gateway_name}", "Audience")
    await stream_directly(lab, gateway_name, meeting)
    reply = await control.post("/lab/audience", {"viewers": 5, "rate": 40, "gateway": gateway_name, "seed": 3})
    assert reply.status_code == 200 and reply.json()["running"] is True

    def from_audience(message: Any) -> bool:
        return message.sender_name == "streaming" and as_meant(message.text).startswith("(")

    texts = [as_meant(m.text) for m in await wait_for_chat(lab, meeting, from_audience, count=5)]
    assert all("'" not in t and '"' not in t for t in texts)  # Pod's quote replacement
    stats = (await control.get("/lab/state")).json()["audience"]
    assert stats["streaming_through"] == [gateway_name] and stats["sent"] >= 5
    stopped = await control.post("/lab/audience", {"viewers": 0})
    assert stopped.json()["running"] is False and stopped.json()["stats"]["sent"] >= 5
    assert (await control.get("/lab/state")).json()["audience"] is None


@pytest.mark.parametrize("body", [{"viewers": -1}, {"viewers": 3, "rate": 0}, {"viewers": 3, "gateway": "gw9"},
                                  {"viewers": "3"}, {"viewers": 3, "rate": True}])
async def test_bad_audience_requests_are_400(control: Control, body: dict[str, Any]) -> None:
    reply = await control.post("/lab/audience", body)
    assert reply.status_code == 400 and reply.json()["error"]


async def test_page_chat_switch(lab: Lab, control: Control) -> None:
    assert lab.audience_pages is not None
    reply = await control.post("/lab/pages/chat", {"gateway": "gw2", "enabled": False})
    assert reply.status_code == 200
    assert not lab.audience_pages.chat_enabled("gw2") and lab.audience_pages.chat_enabled("gw1")
    assert (await control.get("/lab/state")).json()["pages"]["gw2"] == {"chat": False}
    assert (await control.post("/lab/pages/chat", {"gateway": "gw9", "enabled": False})).status_code == 400

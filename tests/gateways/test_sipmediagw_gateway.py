"""SIPMediaGW v1.8 proxy driver against the shapes of reference gateway-and-pod.md §5."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx

from desktop.errors import ConfigError, PupitreError, TimeoutError_
from desktop.gateways.base import GatewaySession, GatewayState
from desktop.gateways.chat_text import ChatRelay
from desktop.gateways.errors import (
    GatewayAuthError,
    GatewayBusy,
    GatewayCommandFailed,
    GatewayLaunchFailed,
    GatewayProtocolError,
    GatewayRequestError,
)
from desktop.gateways.join_target import JoinTarget, signed_join_target, streaming_join_params
from desktop.gateways.sipmediagw import SipMediaGw

BASE = "https://proxy.example.org:9000"
TOKEN = "proxy-Token-77aa"
RTMP = "rtmp://live.example.org/live/name"
TARGET = JoinTarget("gl.univ.fr/rooms", "967ae002d1")
SESSION = GatewaySession(
    "gw18", "sipmediagw", "967ae002d1", datetime(2026, 1, 1, tzinfo=UTC), gw_id="gw-3f1a"
)
UNAUTHORIZED = httpx.Response(
    401,
    json={"error": "authorization error"},
    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
)


def envelope(code: int, detail: str) -> httpx.Response:
    return httpx.Response(
        code, json={"status": "error", "error": {"code": code, "detail": detail}, "data": None}
    )


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def gw() -> SipMediaGw:
    return SipMediaGw("gw18", BASE, TOKEN, browsing="bigbluebutton")


# -- start -----------------------------------------------------------------------------------
async def test_start_posts_the_json_request(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    route = mock.post("/start").mock(
        return_value=httpx.Response(
            200, json={"status": "success", "data": {"processing_state": "working", "gw_id": "gw-3f1a"}}
        )
    )
    session = await gw.start(TARGET, RTMP)
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {
        "room": TARGET.room,
        "main_app": "streaming",
        "browsing": "bigbluebutton",
        "browsing_name": "bigbluebutton",
        "rtmp_dst": RTMP,
    }
    assert (session.gw_id, session.room, session.kind) == ("gw-3f1a", TARGET.room, "sipmediagw")


async def test_start_503_no_available_gateways_is_busy(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=envelope(503, "No available gateways"))
    with pytest.raises(GatewayBusy):
        await gw.start(TARGET, RTMP)


async def test_start_other_503_is_a_launch_failure(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=envelope(503, "Faild to parse Gateway Json response"))
    with pytest.raises(GatewayLaunchFailed, match="Faild to parse"):
        await gw.start(TARGET, RTMP)


async def test_start_504_is_a_launch_failure(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=envelope(504, "Gateway timeout"))
    with pytest.raises(GatewayLaunchFailed, match="Gateway timeout"):
        await gw.start(TARGET, RTMP)


async def test_start_error_status_in_a_200_is_a_launch_failure(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(
        return_value=httpx.Response(
            200, json={"status": "error", "error": {"code": 500, "detail": "compose failed"}, "data": None}
        )
    )
    with pytest.raises(GatewayLaunchFailed, match="compose failed"):
        await gw.start(TARGET, RTMP)


async def test_start_400_envelope(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=envelope(400, "Missing 'browsing' parameter"))
    with pytest.raises(GatewayRequestError) as caught:
        await gw.start(TARGET, RTMP)
    assert caught.value.status == 400 and "Missing 'browsing' parameter" in str(caught.value)


async def test_start_422_validation_body(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(
        return_value=httpx.Response(
            422,
            json={
                "status": "error",
                "error": "Invalid input",
                "message": [{"loc": ["body", "room"], "msg": "Field required", "type": "missing"}],
            },
        )
    )
    with pytest.raises(GatewayRequestError) as caught:
        await gw.start(TARGET, RTMP)
    assert caught.value.status == 422
    assert "body.room: Field required" in str(caught.value)


async def test_start_401(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError) as caught:
        await gw.start(TARGET, RTMP)
    assert TOKEN not in caught.value.explain()


async def test_start_without_gw_id_looks_it_up_by_room(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(
        return_value=httpx.Response(200, json={"status": "success", "data": {"processing_state": "working"}})
    )
    status = mock.get("/status").mock(
        return_value=httpx.Response(
            200, json={"status": "success", "data": {"gw_id": "gw-9", "gw_state": "started", "room": TARGET.room}}
        )
    )
    session = await gw.start(TARGET, RTMP)
    assert session.gw_id == "gw-9"
    assert dict(status.calls.last.request.url.params) == {"room": TARGET.room}


async def test_start_without_gw_id_anywhere_is_a_protocol_error(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=httpx.Response(200, json={"status": "success", "data": None}))
    mock.get("/status").mock(return_value=envelope(404, "No gateway found for room"))
    with pytest.raises(GatewayProtocolError):
        await gw.start(TARGET, RTMP)


async def test_start_refuses_a_signed_join(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    route = mock.post("/start")
    signed = signed_join_target(
        lambda q: hashlib.sha256(f"join{q}s".encode()).hexdigest(),
        "https://bbb.example.org/bigbluebutton/api/join",
        streaming_join_params("m1"),
        "abc",
    )
    with pytest.raises(ConfigError, match="signed BBB join") as caught:
        await gw.start(signed, RTMP)
    assert "join-page" in caught.value.hint
    assert not route.called


async def test_start_timeout_is_typed(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TimeoutError_):
        await gw.start(TARGET, RTMP)


# -- stop ------------------------------------------------------------------------------------
async def test_stop(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    route = mock.post("/stop").mock(
        return_value=httpx.Response(200, json={"status": "success", "data": {"processing_state": "stopped"}})
    )
    await gw.stop(SESSION)
    assert json.loads(route.calls.last.request.content) == {"gw_id": "gw-3f1a"}


async def test_stop_unknown_gateway_is_already_stopped(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/stop").mock(return_value=envelope(404, "No mapping found for gateway 'gw-3f1a'"))
    await gw.stop(SESSION)


async def test_stop_error_status_is_a_failure(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/stop").mock(
        return_value=httpx.Response(200, json={"status": "error", "data": {"processing_state": "working"}})
    )
    with pytest.raises(GatewayCommandFailed, match="state working"):
        await gw.stop(SESSION)


async def test_stop_by_room_when_the_session_has_no_gw_id(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(
        return_value=httpx.Response(200, json={"status": "success", "data": {"gw_id": "gw-5", "gw_state": "started"}})
    )
    stop = mock.post("/stop").mock(
        return_value=httpx.Response(200, json={"status": "success", "data": {"processing_state": "stopped"}})
    )
    await gw.stop(GatewaySession("gw18", "sipmediagw", "967ae002d1", datetime.now(UTC)))
    assert json.loads(stop.calls.last.request.content) == {"gw_id": "gw-5"}


# -- status ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "state"),
    [
        # proxy.py (main 564e7a5): only "working" streams; "started" is a free, idle gateway
        ("working", GatewayState.UP),
        ("started", GatewayState.DOWN),
        ("stopped", GatewayState.DOWN),
        ("up", GatewayState.UNKNOWN),  # the launcher's word; the proxy never answers it
        ("weird", GatewayState.UNKNOWN),
    ],
)
async def test_status_states(mock: respx.MockRouter, gw: SipMediaGw, raw: str, state: GatewayState) -> None:
    route = mock.get("/status").mock(
        return_value=httpx.Response(
            200, json={"status": "success", "data": {"gw_id": "gw-3f1a", "gw_state": raw, "room": "967ae002d1"}}
        )
    )
    status = await gw.status(SESSION)
    assert status.state is state and status.raw_state == raw
    assert dict(route.calls.last.request.url.params) == {"gw_id": "gw-3f1a"}


async def test_status_404_is_down(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(return_value=envelope(404, "Gateway 'gw-3f1a' not found"))
    assert (await gw.status(SESSION)).state is GatewayState.DOWN


async def test_status_by_room(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    route = mock.get("/status").mock(
        return_value=httpx.Response(200, json={"status": "success", "data": {"gw_state": "working"}})
    )
    assert (await gw.status("967ae002d1")).state is GatewayState.UP
    assert dict(route.calls.last.request.url.params) == {"room": "967ae002d1"}


# -- commands --------------------------------------------------------------------------------
MAIN_START_PROBE = {"status": "error", "error": {"code": 400, "detail": "Missing 'browsing' parameter"}, "data": None}
ACK = {"status": "success", "error": None, "data": {"ack": True, "received": {}}}


async def test_send_chat_command_escapes_the_launchers_shell(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=httpx.Response(400, json=MAIN_START_PROBE))
    route = mock.post("/command").mock(return_value=httpx.Response(200, json=ACK))
    await gw.send_chat(SESSION, '(Jane Doe) l\'amphi\nest "plein" $(id) `id` \\o/')
    assert json.loads(route.calls.last.request.content) == {
        "gw_id": "gw-3f1a",
        # main's launcher puts param1 inside "…" in `sh -c`: " $ ` \ get a backslash; the newline goes
        "payload": {"command": "sendChat", "param1": '(Jane Doe) l\'amphi est \\"plein\\" \\$(id) \\`id\\` \\\\o/'},
    }
    assert gw.capabilities.chat_relay is ChatRelay.PROXY_PRINTF


async def test_toggle_sends_the_c_key(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=httpx.Response(400, json=MAIN_START_PROBE))
    route = mock.post("/command").mock(return_value=httpx.Response(200, json=ACK))
    await gw.toggle_chat_panel(SESSION)
    assert json.loads(route.calls.last.request.content)["payload"] == {"command": "sendKey", "param1": "c"}
    assert gw.capabilities.chat_toggle_confirmed is False


async def test_command_on_a_stopped_gateway_fails(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=httpx.Response(400, json=MAIN_START_PROBE))
    mock.post("/command").mock(
        return_value=envelope(403, "Gateway 'gw-3f1a' is stopped, cannot send commands")
    )
    with pytest.raises(GatewayCommandFailed, match="is stopped"):
        await gw.send_chat(SESSION, "hello")


async def test_command_error_status_fails(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=httpx.Response(400, json=MAIN_START_PROBE))
    mock.post("/command").mock(
        return_value=httpx.Response(200, json={"status": "error", "error": {"code": 500, "detail": "fifo"}})
    )
    with pytest.raises(GatewayCommandFailed, match="fifo"):
        await gw.toggle_chat_panel(SESSION)


async def test_command_401(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.post("/start").mock(return_value=UNAUTHORIZED)
    mock.post("/command").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError):
        await gw.send_chat(SESSION, "hello")


# -- probe -----------------------------------------------------------------------------------
async def test_probe_checks_the_token_with_an_empty_start(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(return_value=envelope(404, "No gateway found for room 'x'"))
    start = mock.post("/start").mock(return_value=envelope(400, "Missing 'browsing' parameter"))
    result = await gw.probe()
    assert (result.reachable, result.token_accepted, result.has_status, result.ok) == (True, True, True, True)
    assert json.loads(start.calls.last.request.content) == {}  # refused before any allocation
    assert gw.capabilities.chat_relay is ChatRelay.PROXY_PRINTF


async def test_probe_tells_a_tagged_v18_proxy(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(return_value=envelope(404, "No gateway found for room 'x'"))
    mock.post("/start").mock(return_value=envelope(400, "Missing 'room' parameter"))
    result = await gw.probe()
    assert result.ok and result.limitation and "v1.8.0–v1.8.4" in result.limitation
    assert "upgrade" in result.limitation
    assert gw.capabilities.can_relay_chat is False


async def test_probe_token_refused(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(return_value=envelope(404, "No gateway found for room 'x'"))
    mock.post("/start").mock(return_value=UNAUTHORIZED)
    result = await gw.probe()
    assert result.token_accepted is False and not result.ok


async def test_probe_against_a_legacy_server_is_a_clear_failure(mock: respx.MockRouter, gw: SipMediaGw) -> None:
    mock.get("/status").mock(return_value=httpx.Response(404, text="not found"))
    result = await gw.probe()
    assert result.reachable and result.token_accepted is None
    assert isinstance(result.error, GatewayProtocolError)
    assert isinstance(result.error, PupitreError)

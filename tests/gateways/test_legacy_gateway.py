"""Legacy SIPMediaGW (web.py) driver against the replies of reference gateway-and-pod.md §3."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx

from desktop.errors import ConfigError, PupitreError, TimeoutError_, UnreachableError
from desktop.gateways.base import CallTimeouts, GatewaySession, GatewayState
from desktop.gateways.chat_text import ChatRelay
from desktop.gateways.errors import (
    ChatTextRejected,
    GatewayAuthError,
    GatewayBusy,
    GatewayCommandFailed,
    GatewayLaunchFailed,
    GatewayProtocolError,
    GatewayRequestError,
)
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.net.http import Timeouts

BASE = "https://gw.example.org:8080"
TOKEN = "tok-Secret-9f2c"
RTMP = "rtmp://live.example.org/live/amphi"
TARGET = JoinTarget(
    "pod.univ.fr/meeting/0042-amphi-l1/ae50a5f4951f5a245f4a806cf99c9d34b919cea3033eff6e322c99",
    "967ae002d1",
)
SESSION = GatewaySession("gw1", "sipmediagw-legacy", "967ae002d1", datetime(2026, 1, 1, tzinfo=UTC))
UNAUTHORIZED = httpx.Response(
    401,
    json={"Error": "authorization error"},
    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
)


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def gw() -> LegacySipMediaGw:
    return LegacySipMediaGw("gw1", BASE + "/", TOKEN)


def start_reply(details: object) -> httpx.Response:
    return httpx.Response(200, json={"status": "success", "details": details})


# -- /start ----------------------------------------------------------------------------------
async def test_start_sends_pods_parameters_with_bearer(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/start").mock(
        return_value=start_reply({"res": "ok", "app": "streaming", "uri": RTMP})
    )
    session = await gw.start(TARGET, RTMP)
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert dict(request.url.params) == {"room": TARGET.room, "domain": TARGET.domain, "rtmpDst": RTMP}
    assert (session.gateway, session.kind, session.room, session.gw_id) == (
        "gw1", "sipmediagw-legacy", TARGET.room, None,
    )
    assert session.rtmp_url == RTMP
    assert session.started_at.tzinfo is not None


async def test_start_uses_its_own_long_timeout(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/start").mock(return_value=start_reply({"res": "ok", "app": "streaming"}))
    await gw.start(TARGET, RTMP)
    timeout = route.calls.last.request.extensions["timeout"]
    assert timeout["read"] == CallTimeouts().start.read >= 60
    assert timeout["connect"] == CallTimeouts().start.connect


async def test_the_trap_busy_inside_a_success_reply(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(
        return_value=start_reply({"res": "error", "type": "No free resources found"})
    )
    with pytest.raises(GatewayBusy) as caught:
        await gw.start(TARGET, RTMP)
    assert str(caught.value) == "The gateway “gw1” has no free streaming slot."


async def test_the_trap_launch_failure_inside_a_success_reply(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/start").mock(
        return_value=start_reply({"res": "error", "type": "The gateway failed to launch"})
    )
    with pytest.raises(GatewayLaunchFailed) as caught:
        await gw.start(TARGET, RTMP)
    assert "The gateway failed to launch" in str(caught.value)
    assert not isinstance(caught.value, GatewayBusy)


async def test_other_script_errors_are_launch_failures_with_their_text(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/start").mock(return_value=start_reply({"res": "error", "type": "disk full"}))
    with pytest.raises(GatewayLaunchFailed, match="disk full"):
        await gw.start(TARGET, RTMP)


async def test_main_branch_busy_wording_is_busy_too(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(
        return_value=start_reply({"res": "error", "type": "No resources available to start the gateway"})
    )
    with pytest.raises(GatewayBusy):
        await gw.start(TARGET, RTMP)


async def test_a_sip_only_server_is_not_a_streaming_success(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/start").mock(return_value=start_reply({"res": "ok", "app": "baresip", "uri": "sip:x"}))
    with pytest.raises(GatewayLaunchFailed, match="baresip"):
        await gw.start(TARGET, RTMP)


async def test_a_non_success_status_with_a_reason_is_a_launch_failure(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/start").mock(
        return_value=httpx.Response(200, json={"status": "failure", "details": {"res": "error", "type": "boom"}})
    )
    with pytest.raises(GatewayLaunchFailed, match="boom"):
        await gw.start(TARGET, RTMP)


def test_session_round_trips_through_json() -> None:
    session = GatewaySession("gw18", "sipmediagw", "967ae002d1", datetime.now(UTC), gw_id="g1", rtmp_url=RTMP)
    data = json.loads(json.dumps(session.to_json()))
    assert GatewaySession.from_json(data) == session
    assert GatewaySession.from_json(SESSION.to_json()).gw_id is None


async def test_start_400_shows_the_error_body(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(
        return_value=httpx.Response(400, json={"Error": "a room name must be specified"})
    )
    with pytest.raises(GatewayRequestError) as caught:
        await gw.start(TARGET, RTMP)
    assert caught.value.status == 400
    assert "a room name must be specified" in str(caught.value)


async def test_start_401_is_an_auth_error_without_the_token(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/start").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError) as caught:
        await gw.start(TARGET, RTMP)
    assert str(caught.value) == "The gateway “gw1” refused the token."
    assert TOKEN not in caught.value.explain()


async def test_start_without_token_sends_no_header_and_says_so(mock: respx.MockRouter) -> None:
    route = mock.get("/start").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError) as caught:
        await LegacySipMediaGw("gw1", BASE, None).start(TARGET, RTMP)
    assert "Authorization" not in route.calls.last.request.headers
    assert "No token is stored" in caught.value.hint


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>oops</html>", headers={"content-type": "text/html"}),
        httpx.Response(200, json=["status", "success"]),
        httpx.Response(200, json={"status": "success"}),
        httpx.Response(200, json={"status": "success", "details": "ok"}),
        httpx.Response(200, json={"status": "failure", "details": {}}),
    ],
)
async def test_start_garbage_is_a_protocol_error(
    mock: respx.MockRouter, gw: LegacySipMediaGw, reply: httpx.Response
) -> None:
    mock.get("/start").mock(return_value=reply)
    with pytest.raises(GatewayProtocolError):
        await gw.start(TARGET, RTMP)


async def test_start_500_is_a_request_error(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(return_value=httpx.Response(500, text="internal server error"))
    with pytest.raises(GatewayRequestError) as caught:
        await gw.start(TARGET, RTMP)
    assert caught.value.status == 500


async def test_start_refuses_a_non_rtmp_destination(gw: LegacySipMediaGw) -> None:
    with pytest.raises(ConfigError):
        await gw.start(TARGET, "https://not-rtmp")


async def test_start_timeout_is_typed(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TimeoutError_) as caught:
        await gw.start(TARGET, RTMP)
    assert "gw.example.org" in str(caught.value)


async def test_unreachable_is_typed(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/start").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(UnreachableError):
        await gw.start(TARGET, RTMP)


# -- /stop -----------------------------------------------------------------------------------
async def test_stop_success(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/stop").mock(
        return_value=httpx.Response(
            200,
            json={"status": "success", "details": {"res": " Container gw0  Stopping =>  Container gw0  Stopped"}},
        )
    )
    await gw.stop(SESSION)
    request = route.calls.last.request
    assert dict(request.url.params) == {"room": SESSION.room}
    assert request.extensions["timeout"]["read"] >= 30


async def test_stop_400_no_running_container_is_already_stopped(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/stop").mock(
        return_value=httpx.Response(400, json={"Error": f"no running container for room={SESSION.room}"})
    )
    await gw.stop(SESSION)  # no exception


async def test_stop_other_400_is_an_error(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/stop").mock(
        return_value=httpx.Response(400, json={"Error": "a room name must be specified"})
    )
    with pytest.raises(GatewayRequestError, match="a room name must be specified"):
        await gw.stop(SESSION)


async def test_stop_401(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/stop").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError):
        await gw.stop(SESSION)


async def test_stop_timeout_is_typed(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/stop").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TimeoutError_):
        await gw.stop(SESSION)


# -- /chat toggle and message ----------------------------------------------------------------
async def test_toggle_succeeds_only_on_res_ok(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/chat").mock(return_value=httpx.Response(200, json={"res": "ok"}))
    await gw.toggle_chat_panel(SESSION)
    assert dict(route.calls.last.request.url.params) == {"room": SESSION.room, "toggle": "True"}
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


async def test_toggle_with_docker_stderr_fails(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/chat").mock(
        return_value=httpx.Response(200, json={"res": "no such service: gw => exit status 1"})
    )
    with pytest.raises(GatewayCommandFailed) as caught:
        await gw.toggle_chat_panel(SESSION)
    assert "toggle the chat panel" in str(caught.value)
    assert "no such service" in str(caught.value)


async def test_toggle_400(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/chat").mock(
        return_value=httpx.Response(400, json={"Error": "toggle parameter is expected"})
    )
    with pytest.raises(GatewayRequestError, match="toggle parameter is expected"):
        await gw.toggle_chat_panel(SESSION)


async def test_send_chat_replaces_quotes_like_pod_on_v16(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))  # web.py: no route
    route = mock.post("/chat").mock(return_value=httpx.Response(200, json={"res": "ok"}))
    await gw.send_chat(SESSION, "(Jane Doe) l'amphi \"A\"\nest plein \\o/ très")
    body = json.loads(route.calls.last.request.content)
    assert body == {"room": SESSION.room, "msg": "(Jane Doe) l’amphi ”A” est plein ∖o/ très"}
    assert route.calls.last.request.extensions["timeout"]["read"] == CallTimeouts().chat.read
    assert gw.capabilities.chat_relay is ChatRelay.LEGACY_ECHO


async def test_send_chat_is_plain_ascii_on_v17(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    # v1.7 turns every non-ASCII byte into "xc3xa8" garbage and loses a line holding a quote
    mock.get("/progress").mock(return_value=httpx.Response(200, json={"status": "success", "gw_state": "down"}))
    route = mock.post("/chat").mock(return_value=httpx.Response(200, json={"res": "ok"}))
    await gw.send_chat(SESSION, "Merci, c’est très « clair » l'œuvre \"x\" \\")
    body = json.loads(route.calls.last.request.content)
    assert body["msg"] == "Merci, c`est tres ` clair ` l`oeuvre `x` /"
    assert gw.capabilities.chat_relay is ChatRelay.LEGACY_BYTES
    assert gw.capabilities.limitation and "v1.7" in gw.capabilities.limitation


async def test_send_chat_requires_res_exactly_ok(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    # Pod's `"ok" in res` would take this docker error for a success
    mock.post("/chat").mock(return_value=httpx.Response(200, json={"res": "write: broken pipe"}))
    with pytest.raises(GatewayCommandFailed, match="broken pipe"):
        await gw.send_chat(SESSION, "hello")


@pytest.mark.parametrize("text", ["", "   \n\t", "x" * 501])
async def test_send_chat_rejects_empty_and_too_long(
    mock: respx.MockRouter, gw: LegacySipMediaGw, text: str
) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    route = mock.post("/chat").mock(return_value=httpx.Response(200, json={"res": "ok"}))
    with pytest.raises(ChatTextRejected):
        await gw.send_chat(SESSION, text)
    assert not route.called


async def test_chat_timeout_is_typed(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    mock.post("/chat").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TimeoutError_):
        await gw.send_chat(SESSION, "hello")


# -- /progress -------------------------------------------------------------------------------
async def test_progress_down(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(
        return_value=httpx.Response(200, json={"status": "success", "gw_state": "down"})
    )
    status = await gw.status(SESSION)
    assert status.state is GatewayState.DOWN
    assert gw.capabilities.has_status is True


async def test_progress_running_container_is_up(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/progress").mock(
        return_value=httpx.Response(200, json={"status": "success", "recording_duration": "00:01:02"})
    )
    status = await gw.status(SESSION.room)
    assert status.state is GatewayState.UP
    assert status.media_duration == "00:01:02"
    assert dict(route.calls.last.request.url.params) == {"room": SESSION.room}


async def test_progress_absent_on_old_servers_is_unknown_and_remembered(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    route = mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    assert gw.capabilities.has_status is None
    first = await gw.status(SESSION)
    second = await gw.status(SESSION)
    assert first.state is second.state is GatewayState.UNKNOWN
    assert gw.capabilities.has_status is False
    assert route.call_count == 1


async def test_progress_inspection_failure_is_unknown_not_absent(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/progress").mock(
        return_value=httpx.Response(404, json={"Error": "something wrong happened"})
    )
    status = await gw.status(SESSION)
    assert status.state is GatewayState.UNKNOWN
    assert "something wrong happened" in status.detail
    assert gw.capabilities.has_status is True


async def test_progress_401(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=UNAUTHORIZED)
    with pytest.raises(GatewayAuthError):
        await gw.status(SESSION)


# -- probe -----------------------------------------------------------------------------------
async def test_probe_v17_accepts_token(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    route = mock.get("/progress").mock(
        return_value=httpx.Response(200, json={"status": "success", "gw_state": "down"})
    )
    result = await gw.probe()
    assert (result.reachable, result.token_accepted, result.has_status, result.ok) == (True, True, True, True)
    probed_room = route.calls.last.request.url.params["room"]
    assert probed_room != SESSION.room and len(probed_room) == 10


async def test_probe_token_refused(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=UNAUTHORIZED)
    result = await gw.probe()
    assert result.reachable and result.token_accepted is False and not result.ok
    assert isinstance(result.error, GatewayAuthError)
    assert TOKEN not in result.detail


async def test_probe_old_server_checks_the_token_with_a_toggle_less_chat(
    mock: respx.MockRouter, gw: LegacySipMediaGw
) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    chat = mock.get("/chat").mock(
        return_value=httpx.Response(400, json={"Error": "toggle parameter is expected"})
    )
    result = await gw.probe()
    assert (result.reachable, result.token_accepted, result.has_status) == (True, True, False)
    assert "toggle" not in chat.calls.last.request.url.params  # nothing is toggled


async def test_probe_old_server_token_refused(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(return_value=httpx.Response(404, text="not found"))
    mock.get("/chat").mock(return_value=UNAUTHORIZED)
    result = await gw.probe()
    assert result.token_accepted is False and result.has_status is False


async def test_probe_unreachable_never_raises(mock: respx.MockRouter, gw: LegacySipMediaGw) -> None:
    mock.get("/progress").mock(side_effect=httpx.ConnectError("refused"))
    result = await gw.probe()
    assert not result.reachable and not result.ok
    assert isinstance(result.error, UnreachableError)


async def test_probe_uses_the_short_probe_timeout(mock: respx.MockRouter) -> None:
    route = mock.get("/progress").mock(
        return_value=httpx.Response(200, json={"status": "success", "gw_state": "down"})
    )
    custom = CallTimeouts(probe=Timeouts(connect=1.5, read=2.5))
    await LegacySipMediaGw("gw1", BASE, TOKEN, timeouts=custom).probe()
    assert route.calls.last.request.extensions["timeout"]["read"] == 2.5


# -- secrets ---------------------------------------------------------------------------------
async def test_token_never_in_errors_or_log_records(
    mock: respx.MockRouter, gw: LegacySipMediaGw, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"Error": f"bad header Bearer {TOKEN}"}
    replies = [
        UNAUTHORIZED,
        httpx.Response(400, json=echo),
        start_reply({"res": "error", "type": f"token {TOKEN} refused"}),
        httpx.Response(500, text=TOKEN),
        httpx.Response(200, text=TOKEN),
    ]
    errors: list[PupitreError] = []
    for reply in replies:
        mock.get("/start").mock(return_value=reply)
        mock.get("/stop").mock(return_value=reply)
        mock.get("/chat").mock(return_value=reply)
        mock.get("/progress").mock(return_value=reply)
        for call in (
            lambda: gw.start(TARGET, RTMP),
            lambda: gw.stop(SESSION),
            lambda: gw.toggle_chat_panel(SESSION),
            lambda: gw.status(SESSION),
        ):
            try:
                await call()
            except PupitreError as error:
                errors.append(error)
        errors.extend(e for e in [(await gw.probe()).error] if e is not None)
    assert errors
    for failure in errors:
        assert TOKEN not in failure.explain()
        assert TOKEN not in repr(failure.args)
    for record in caplog.records:
        assert TOKEN not in record.getMessage()

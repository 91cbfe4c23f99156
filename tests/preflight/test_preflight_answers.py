"""Answers the lab does not give (old gateways, odd audience addresses, hostile servers), with respx.

The BBB side stays the loopback lab (passed through); only the server under test is mocked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import respx

from desktop.config.settings import BBBProfile, GatewayConfig
from desktop.gateways.base import Capabilities, Gateway, GatewaySession, GatewayStatus, ProbeResult
from desktop.gateways.join_target import JoinTarget
from desktop.preflight import (
    BBB_SECRET,
    GATEWAY_REACHABLE,
    GATEWAY_STATUS,
    GATEWAY_TOKEN,
    KEYRING,
    STREAM_REACHABLE,
    CheckResult,
    Level,
    all_ok,
    report_json,
    run_preflight,
)
from desktop.secrets.store import BackendInfo
from tests.preflight.lab_setup import SECRET, Lab

OLD_GW = "https://gw-old.example.org"
HLS = "https://cdn.example.org/live/amphi.m3u8"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()  # the lab
        yield router


def by_name(results: list[CheckResult], name: str) -> CheckResult:
    found = [r for r in results if r.name == name]
    assert len(found) == 1, [r.to_json() for r in results]
    return found[0]


def old_gateway(hls_url: str = HLS) -> GatewayConfig:
    return GatewayConfig(name="old", kind="sipmediagw-legacy", url=OLD_GW,
                         rtmp_url="rtmp://live.example.org/live/old", hls_url=hls_url)


async def test_a_gateway_older_than_v1_7_works_but_cannot_report_its_state(
    lab: Lab, mock: respx.MockRouter
) -> None:
    # web.py answers an unknown path with an HTML 404; /chat without toggle says what it expects
    mock.get(f"{OLD_GW}/progress").mock(return_value=httpx.Response(404, text="not found"))
    mock.get(f"{OLD_GW}/chat").mock(
        return_value=httpx.Response(400, json={"Error": "toggle parameter is expected"}))
    results = await run_preflight(lab.profile(), SECRET, [(old_gateway(), "old-token-123")], include_hls=False)

    assert by_name(results, GATEWAY_TOKEN).level is Level.OK
    status = by_name(results, GATEWAY_STATUS)
    assert status.level is Level.WARNING
    assert status.sentence == "The gateway “old” can't report its state; Pupitre will rely on the stream."
    assert status.details["has_status"] is False
    assert all_ok(results)


async def test_a_gateway_failing_with_a_server_error_cannot_vouch_for_the_token(
    lab: Lab, mock: respx.MockRouter
) -> None:
    mock.get(f"{OLD_GW}/progress").mock(return_value=httpx.Response(500, text="internal server error"))
    results = await run_preflight(lab.profile(), SECRET, [(old_gateway(), "old-token-123")], include_hls=False)

    assert by_name(results, GATEWAY_REACHABLE).level is Level.OK
    token = by_name(results, GATEWAY_TOKEN)
    assert token.level is Level.ERROR
    assert token.sentence.startswith("Could not tell whether the gateway “old” accepts the token:")
    assert GATEWAY_STATUS not in {r.name for r in results}  # the probe could not tell


@pytest.mark.parametrize(
    ("answer", "level", "words"),
    [
        (httpx.Response(403, text="forbidden"), Level.WARNING, "answers HTTP 403, not a playlist"),
        (httpx.Response(200, text="<html>hello</html>"), Level.WARNING, "not with a usable playlist"),
        (httpx.Response(410), Level.OK, "410 until a live starts"),
        (httpx.Response(200, text="#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n"
                                  "#EXTINF:2.0,\nseg-7.ts\n#EXTINF:2.0,\nseg-8.ts\n"),
         Level.OK, "live"),
        (httpx.Response(200, text="#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg-1.ts\n#EXT-X-ENDLIST\n"),
         Level.OK, "has ended"),
    ],
)
async def test_the_audience_address_answers(
    lab: Lab, mock: respx.MockRouter, answer: httpx.Response, level: Level, words: str
) -> None:
    mock.get(HLS).mock(return_value=answer)
    mock.head(url__startswith="https://cdn.example.org/live/").mock(
        return_value=httpx.Response(200, headers={"content-length": "250000"}))
    cfg = GatewayConfig(name="gw1", kind="sipmediagw-legacy", url=lab.legacy.url,
                        rtmp_url="rtmp://live.example.org/live/gw1", hls_url=HLS)
    results = await run_preflight(lab.profile(), SECRET, [(cfg, "1234")])

    stream = by_name(results, STREAM_REACHABLE)
    assert stream.level is level, stream.to_json()
    assert words in stream.sentence


async def test_an_audience_address_that_is_not_http_is_an_error(lab: Lab) -> None:
    cfg = old_gateway(hls_url="ftp://cdn.example.org/amphi.m3u8")
    results = await run_preflight(lab.profile(), SECRET, [(cfg, None)], gateway_factory=_Answering.factory)

    stream = by_name(results, STREAM_REACHABLE)
    assert stream.level is Level.ERROR
    assert "http://" in stream.sentence


async def test_a_secret_echoed_by_a_server_never_reaches_a_sentence(mock: respx.MockRouter) -> None:
    secret = "echoed-secret-5a5a5a5a5a"
    base = "https://bbb.example.org/bigbluebutton/api"
    mock.get(base).mock(return_value=httpx.Response(200, text=(
        "<response><returncode>SUCCESS</returncode><version>2.0</version></response>")))
    mock.get(url__startswith=f"{base}/getMeetings").mock(return_value=httpx.Response(200, text=(
        "<response><returncode>FAILED</returncode><messageKey>oddFailure</messageKey>"
        f"<message>refused for {secret} because</message></response>")))
    profile = BBBProfile(name="campus", url="https://bbb.example.org")
    results = await run_preflight(profile, secret, [])

    refused = by_name(results, BBB_SECRET)
    assert refused.level is Level.ERROR
    assert "refused the request" in refused.sentence  # the server's words, minus the secret
    assert secret not in json.dumps(report_json(results))


@pytest.mark.parametrize(
    ("info", "level"),
    [
        (BackendInfo("SecretService Keyring", system=True, persistent=True), Level.OK),
        (BackendInfo("PlaintextKeyring", system=False, persistent=True), Level.OK),
        (BackendInfo("session memory", system=False, persistent=False), Level.WARNING),
    ],
)
async def test_the_keyring_line(lab: Lab, info: BackendInfo, level: Level) -> None:
    results = await run_preflight(lab.profile(), SECRET, [], keyring=info)

    line = results[0]
    assert line.name == KEYRING and line.level is level
    assert line.sentence == info.describe()
    assert bool(line.hint) is (level is Level.WARNING)
    assert line.details == {"backend": info.name, "system": info.system, "persistent": info.persistent}


async def test_a_check_that_crashes_does_not_hide_the_others(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, [(old_gateway(), None)], include_hls=False,
                                  gateway_factory=_Crashing.factory)

    crashed = by_name(results, GATEWAY_REACHABLE)
    assert crashed.level is Level.ERROR and crashed.details == {"internal_error": True}
    assert by_name(results, BBB_SECRET).level is Level.OK


async def test_no_gateway_is_a_warning(lab: Lab) -> None:
    results = await run_preflight(lab.profile(), SECRET, [])

    note = by_name(results, GATEWAY_REACHABLE)
    assert note.level is Level.WARNING and note.subject == ""
    assert "No streaming gateway is configured" in note.sentence
    assert all_ok(results)


class _Crashing(Gateway):
    """A driver whose probe breaks its promise never to raise."""

    kind = "crashing"

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def factory(cls, cfg: GatewayConfig, token: str | None) -> Gateway:
        return cls(cfg.name)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(has_status=None)

    async def start(self, target: JoinTarget, rtmp_url: str) -> GatewaySession:
        raise NotImplementedError

    async def stop(self, session: GatewaySession) -> None:
        raise NotImplementedError

    async def status(self, which: GatewaySession | str) -> GatewayStatus:
        raise NotImplementedError

    async def toggle_chat_panel(self, session: GatewaySession) -> None:
        raise NotImplementedError

    async def send_chat(self, session: GatewaySession, text: str) -> None:
        raise NotImplementedError

    async def probe(self) -> ProbeResult:
        raise RuntimeError("bug")


class _Answering(_Crashing):
    """A driver that answers its probe without the network (for tests about the other checks)."""

    async def probe(self) -> ProbeResult:
        return ProbeResult(True, True, True, f"The gateway “{self.name}” answers and accepts the token.")

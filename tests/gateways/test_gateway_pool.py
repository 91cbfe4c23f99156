"""GatewayPool: first free gateway wins, one webinar per gateway, one-sentence aggregate errors."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import httpx
import pytest
import respx

from desktop.config.settings import GatewayConfig, Settings, gateway_secret_name
from desktop.errors import ConfigError, PupitreError, TimeoutError_, UnreachableError
from desktop.gateways.base import (
    Capabilities,
    Gateway,
    GatewaySession,
    GatewayState,
    GatewayStatus,
    ProbeResult,
    utc_now,
)
from desktop.gateways.errors import (
    GatewayAuthError,
    GatewayBusy,
    GatewayLaunchFailed,
    NoGatewayAvailable,
)
from desktop.gateways.factory import gateway_from_config, pool_from_settings
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.gateways.pool import GatewayPool, NamedGateway
from desktop.gateways.sipmediagw import SipMediaGw
from desktop.secrets.store import SecretStore

TARGET = JoinTarget("pod.univ.fr/meeting/0042-x/abc", "967ae002d1")


def config(name: str, kind: str = "sipmediagw-legacy") -> GatewayConfig:
    return GatewayConfig(
        name=name,
        kind=kind,
        url=f"https://{name}.example.org",
        rtmp_url=f"rtmp://live.example.org/live/{name}",
        hls_url=f"https://live.example.org/hls/{name}.m3u8",
        join_mode="join-page",
        join_page_url=f"https://{name}.pages.example.org/rooms/room-{name}",
    )


class ScriptedGateway(Gateway):
    """A gateway whose start outcome is set by the test."""

    kind: ClassVar[str] = "sipmediagw-legacy"

    def __init__(self, name: str, failure: PupitreError | None = None) -> None:
        self.name = name
        self.failure = failure
        self.started: list[tuple[JoinTarget, str]] = []
        self.stopped: list[GatewaySession] = []
        self.gate: asyncio.Event | None = None

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(has_status=True)

    async def start(self, target: JoinTarget, rtmp_url: str) -> GatewaySession:
        self.started.append((target, rtmp_url))
        if self.gate is not None:
            await self.gate.wait()
        if self.failure is not None:
            raise self.failure
        return GatewaySession(self.name, self.kind, target.room, utc_now(), rtmp_url=rtmp_url)

    async def stop(self, session: GatewaySession) -> None:
        self.stopped.append(session)

    async def status(self, which: GatewaySession | str) -> GatewayStatus:
        return GatewayStatus(GatewayState.UP)

    async def toggle_chat_panel(self, session: GatewaySession) -> None:
        return None

    async def send_chat(self, session: GatewaySession, text: str) -> None:
        return None

    async def probe(self) -> ProbeResult:
        return ProbeResult(True, True, True, "fine")


def pool_of(*gateways: ScriptedGateway) -> GatewayPool:
    return GatewayPool([NamedGateway(config(g.name), g) for g in gateways])


async def test_busy_first_gateway_then_second_is_used() -> None:
    gw1 = ScriptedGateway("gw1", GatewayBusy("gw1"))
    gw2 = ScriptedGateway("gw2")
    acquired = await pool_of(gw1, gw2).acquire(TARGET)
    assert acquired.name == "gw2"
    assert acquired.config.rtmp_url == "rtmp://live.example.org/live/gw2"
    assert gw2.started == [(TARGET, "rtmp://live.example.org/live/gw2")]
    assert isinstance(acquired.skipped["gw1"], GatewayBusy)


async def test_all_busy_gives_one_sentence_naming_each() -> None:
    pool = pool_of(
        ScriptedGateway("gw1", GatewayBusy("gw1")), ScriptedGateway("gw2", GatewayBusy("gw2"))
    )
    with pytest.raises(NoGatewayAvailable) as caught:
        await pool.acquire(TARGET)
    assert str(caught.value) == "No gateway could start the stream: gw1 is busy; gw2 is busy."
    assert caught.value.all_busy
    assert pool.in_use == frozenset()


async def test_mixed_failures_are_all_explained() -> None:
    pool = pool_of(
        ScriptedGateway("gw1", GatewayBusy("gw1")),
        ScriptedGateway("gw2", UnreachableError("Could not reach gw2.", host="gw2")),
        ScriptedGateway("gw3", GatewayAuthError("gw3")),
        ScriptedGateway("gw4", GatewayLaunchFailed("gw4", "The gateway failed to launch")),
    )
    with pytest.raises(NoGatewayAvailable) as caught:
        await pool.acquire(TARGET)
    assert str(caught.value) == (
        "No gateway could start the stream: gw1 is busy; gw2 could not be reached; "
        "gw3 refused the token; gw4 failed to launch."
    )
    assert not caught.value.all_busy


async def test_preferred_gateway_is_tried_first() -> None:
    gw1, gw2 = ScriptedGateway("gw1"), ScriptedGateway("gw2")
    acquired = await pool_of(gw1, gw2).acquire(TARGET, preferred="gw2")
    assert acquired.name == "gw2" and gw1.started == []


async def test_one_webinar_per_gateway_until_released() -> None:
    gw1, gw2 = ScriptedGateway("gw1"), ScriptedGateway("gw2")
    pool = pool_of(gw1, gw2)
    first = await pool.acquire(TARGET)
    second = await pool.acquire(TARGET)
    assert (first.name, second.name) == ("gw1", "gw2")
    with pytest.raises(NoGatewayAvailable) as caught:
        await pool.acquire(TARGET)
    assert "gw1 is already streaming another webinar" in str(caught.value)
    await pool.stop_and_release(first)
    assert gw1.stopped == [first.session]
    assert (await pool.acquire(TARGET)).name == "gw1"


async def test_concurrent_acquisitions_never_share_a_gateway() -> None:
    gw1, gw2 = ScriptedGateway("gw1"), ScriptedGateway("gw2")
    gate = asyncio.Event()
    gw1.gate = gw2.gate = gate
    pool = pool_of(gw1, gw2)
    tasks = [asyncio.create_task(pool.acquire(TARGET)) for _ in range(2)]
    for _ in range(100):  # yield until both are inside start() at once (a state, not a delay)
        if gw1.started and gw2.started:
            break
        await asyncio.sleep(0)
    assert gw1.started and gw2.started
    gate.set()
    names = sorted(a.name for a in await asyncio.gather(*tasks))
    assert names == ["gw1", "gw2"]


async def test_per_gateway_targets_use_each_gateways_join_page() -> None:
    gw1, gw2 = ScriptedGateway("gw1", GatewayBusy("gw1")), ScriptedGateway("gw2")
    acquired = await pool_of(gw1, gw2).acquire(
        lambda cfg: JoinTarget.from_join_page(cfg.join_page_url or "")
    )
    assert acquired.session.room == "room-gw2"
    assert gw1.started[0][0].domain == "gw1.pages.example.org/rooms"


async def test_a_config_problem_on_one_gateway_moves_on() -> None:
    gw1, gw2 = ScriptedGateway("gw1", ConfigError("The v1.8 gateway cannot open a signed join.")), ScriptedGateway("gw2")
    acquired = await pool_of(gw1, gw2).acquire(TARGET)
    assert acquired.name == "gw2"


async def test_start_timeout_moves_on_and_stops_the_late_gateway() -> None:
    gw1 = ScriptedGateway("gw1", TimeoutError_("gw1 did not answer in time.", host="gw1"))
    gw2 = ScriptedGateway("gw2")
    pool = pool_of(gw1, gw2)
    acquired = await pool.acquire(TARGET)
    assert acquired.name == "gw2"
    await pool.aclose()
    assert [s.room for s in gw1.stopped] == [TARGET.room]


async def test_empty_pool_says_so() -> None:
    with pytest.raises(NoGatewayAvailable, match="No streaming gateway is configured"):
        await GatewayPool([]).acquire(TARGET)


async def test_legacy_trap_then_second_gateway_over_http() -> None:
    """The pool with real drivers: gw1 answers the busy trap, gw2 starts."""
    pool = GatewayPool(
        [NamedGateway(config(n), gateway_from_config(config(n), "tok")) for n in ("gw1", "gw2")]
    )
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://gw1.example.org/start").mock(
            return_value=httpx.Response(
                200, json={"status": "success", "details": {"res": "error", "type": "No free resources found"}}
            )
        )
        mock.get("https://gw2.example.org/start").mock(
            return_value=httpx.Response(
                200, json={"status": "success", "details": {"res": "ok", "app": "streaming"}}
            )
        )
        acquired = await pool.acquire(TARGET)
    assert acquired.name == "gw2"
    assert acquired.config.hls_url.endswith("gw2.m3u8")


def test_factory_builds_the_driver_of_each_kind() -> None:
    assert isinstance(gateway_from_config(config("a"), "t"), LegacySipMediaGw)
    v18 = gateway_from_config(config("b", "sipmediagw"), "t")
    assert isinstance(v18, SipMediaGw) and v18.browsing == "bigbluebutton"
    bad = config("c")
    bad.kind = "nope"
    with pytest.raises(ConfigError):
        gateway_from_config(bad, None)


async def test_pool_from_settings_reads_tokens_from_the_keyring() -> None:
    settings = Settings()
    settings.put_gateway(config("gw1"))
    settings.put_gateway(config("gw2"))
    store = SecretStore()
    store.set(gateway_secret_name("gw2"), "tok-of-gw2")
    pool = pool_from_settings(settings, store, names=["gw2", "gw1"])
    assert pool.names == ["gw2", "gw1"]
    with respx.mock() as mock:
        route = mock.get("https://gw2.example.org/start").mock(
            return_value=httpx.Response(200, json={"status": "success", "details": {"res": "ok"}})
        )
        await pool.acquire(TARGET)
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok-of-gw2"

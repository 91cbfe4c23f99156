"""The whole lab in one object: what ``pupitre lab`` and ``pupitre --lab`` start, and what the
integration tests use.

:class:`Lab` starts, on loopback, a BBB 3 emulator (API + GraphQL chat + client page), the
Pod-like join pages, several SIPMediaGW emulators (legacy API and v1.8 proxy, one streaming slot
each) and an HLS origin that encodes real video of what each gateway's browser sees (or pushes
RTMP to a real nginx-rtmp).  :meth:`Lab.describe` is the JSON document ``pupitre lab`` prints;
:meth:`Lab.write_profile` stores a ready BBB profile and gateways in the app's settings (secrets
through the keyring), so the app talks to the lab exactly as to real servers.

Faults are switched with :meth:`Lab.set_fault` (the control endpoint calls it).

Besides the emulated servers, the lab runs two servers of its own: the audience pages
(:mod:`desktop.lab.audience_page`, like Esup-Pod's live page, one per gateway at
``/live/<gateway>``) and the token-protected control endpoint (:mod:`desktop.lab.control`).  With
``port_base`` the ports are, in order: BBB, join pages, HLS origin, one per gateway, audience
pages, control endpoint.  A simulated audience (:mod:`desktop.lab.live_audience`) can post through
whichever gateway streams.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from desktop.config.settings import (
    BBBProfile,
    GatewayConfig,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.errors import ConfigError
from desktop.lab.audience_page import AudiencePageServer
from desktop.lab.bbb import BBBOptions, BBBServer
from desktop.lab.control import LabControlServer
from desktop.lab.gateways import (
    LEGACY_DEFAULT,
    PROXY_DEFAULT,
    GatewayTimings,
    GatewayVersion,
    JoinPageServer,
    LegacyGatewayServer,
    ProxyGatewayServer,
)
from desktop.lab.live_audience import AudienceSettings, LiveAudience
from desktop.lab.publishing import StreamPublisher
from desktop.lab.video import HlsOrigin, RtmpPublisher
from desktop.lab.video.origin import StreamFault
from desktop.lab.world import LabWorld, LifecycleTimings
from desktop.secrets import SecretStore

logger = logging.getLogger(__name__)

PROFILE_NAME = "lab"
BBB_FAULTS = ("down", "checksum_sha1_only", "graphql_drop")
GATEWAY_FAULTS = ("launch_fail", "busy", "hang", "http500", "wrong_token", "toggle_lost")
STREAM_FAULTS = ("stalled", "not_found")


@dataclass
class LabOptions:
    """How to run the lab.

    Attributes:
        host: loopback address to bind.
        port_base: first port (BBB), then one per server in order; None for ephemeral ports.
        legacy_gateways / proxy_gateways: how many gateways of each API generation.
        realistic: real SIPMediaGW timings (stop 10–20 s) instead of short test ones.
        fast: near-instant gateway steps (integration tests).
        rtmp: publish to this nginx-rtmp base (``rtmp://127.0.0.1:1935/live``) instead of the
            built-in origin; ``hls_base`` is then nginx's HLS base URL.
        video_size / fps: the encoded picture.
        control: run the control endpoint; ``control_token`` is its Bearer token (random when
            None).
        faults: ``(target, fault)`` pairs switched on once everything runs (``--fault gw1=busy``).
        audience: a simulated audience that posts through each gateway while it streams.
        gateway_versions: the SIPMediaGW release each gateway behaves as (``{"gw2": V1_7}``);
            by default gw1 (legacy) is v1.7.0, the other legacy gateways v1.6, proxies main.
    """

    host: str = "127.0.0.1"
    port_base: int | None = None
    legacy_gateways: int = 2
    proxy_gateways: int = 1
    realistic: bool = False
    fast: bool = False
    rtmp: str | None = None
    hls_base: str | None = None
    video_size: tuple[int, int] = (1280, 720)
    fps: int = 25
    secret: str | None = None
    lifecycle: LifecycleTimings = field(default_factory=LifecycleTimings)
    bbb: BBBOptions = field(default_factory=BBBOptions)
    control: bool = True
    control_token: str | None = None
    faults: tuple[tuple[str, str], ...] = ()
    audience: AudienceSettings | None = None
    gateway_versions: dict[str, GatewayVersion] = field(default_factory=dict)

    def timings(self) -> GatewayTimings:
        if self.realistic:
            return GatewayTimings.realistic()
        if self.fast:
            return GatewayTimings.fast()
        return GatewayTimings()


@dataclass
class LabGateway:
    """One emulated gateway and the addresses the app needs for it."""

    name: str
    kind: str  # settings kind: "sipmediagw-legacy" | "sipmediagw"
    server: LegacyGatewayServer | ProxyGatewayServer
    token: str
    rtmp_url: str
    hls_url: str
    stream_name: str
    audience_page_url: str | None = None
    join_mode: str = "bbb-join"
    join_page_url: str | None = None

    @property
    def url(self) -> str:
        return self.server.url.rstrip("/")

    def config(self) -> GatewayConfig:
        return GatewayConfig(
            name=self.name, kind=self.kind, url=self.url, rtmp_url=self.rtmp_url, hls_url=self.hls_url,
            audience_page_url=self.audience_page_url, join_mode=self.join_mode,
            join_page_url=self.join_page_url, browsing="bigbluebutton")


class Lab:
    """A running lab.  ``async with Lab(options) as lab:`` or ``await lab.start()`` / ``stop()``.

    Attributes:
        world: the shared state (meetings, chat, faults).
        bbb: the BBB server; ``bbb.url`` is what a user types as the server address.
        gateways: the gateways, in the order the app should try them.
        origin: the HLS origin (None in RTMP mode).
        join_pages: the Pod-like join page server.
    """

    def __init__(self, options: LabOptions | None = None) -> None:
        self.options = options or LabOptions()
        self.world = LabWorld(secret=self.options.secret or secrets.token_hex(20),
                              timings=self.options.lifecycle)
        self.bbb = BBBServer(self.world, self.options.bbb)
        self.join_pages: JoinPageServer | None = None
        self.origin: HlsOrigin | None = None
        self.publisher: StreamPublisher | None = None
        self.gateways: list[LabGateway] = []
        self.audience_pages: AudiencePageServer | None = None
        self.control: LabControlServer | None = None
        self.control_token = self.options.control_token or secrets.token_urlsafe(24)
        self.audience: LiveAudience | None = None
        self._started = False

    async def __aenter__(self) -> Lab:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _port(self, index: int) -> int:
        return 0 if self.options.port_base is None else self.options.port_base + index

    async def start(self) -> None:
        from desktop.lab.video.encoder import EncoderSettings

        opts = self.options
        await self.bbb.start(opts.host, self._port(0))
        self.join_pages = JoinPageServer(self.world, bbb_base_url=self.bbb.url)
        await self.join_pages.start(opts.host, self._port(1))
        settings = EncoderSettings(width=opts.video_size[0], height=opts.video_size[1], fps=opts.fps)
        if opts.rtmp:
            self.publisher = RtmpPublisher(opts.rtmp, settings)
            hls_base = (opts.hls_base or "").rstrip("/")
            if not hls_base:
                raise ConfigError("RTMP mode needs the HLS base URL of the nginx-rtmp server.")
        else:
            self.origin = HlsOrigin(settings=settings)
            await self.origin.start_server(opts.host, self._port(2))
            self.publisher = self.origin
            hls_base = self.origin.url.rstrip("/") + "/hls"
        rtmp_base = (opts.rtmp or f"rtmp://{opts.host}:1935/live").rstrip("/")
        timings = opts.timings()
        index = 3
        for number in range(1, opts.legacy_gateways + opts.proxy_gateways + 1):
            name = f"gw{number}"
            token = secrets.token_urlsafe(12)
            stream = f"lab-{name}"
            legacy = number <= opts.legacy_gateways
            server: LegacyGatewayServer | ProxyGatewayServer
            # the first legacy gateway is a v1.7.0 (it reports its state), the others v1.6
            default = (GatewayVersion.V1_7 if number == 1 else LEGACY_DEFAULT) if legacy else PROXY_DEFAULT
            version = opts.gateway_versions.get(name, default)
            if legacy:
                server = LegacyGatewayServer(self.world, self.publisher, name=name, token=token, timings=timings,
                                             bbb_base_url=self.bbb.url, join_pages=self.join_pages,
                                             version=version)
            else:
                server = ProxyGatewayServer(self.world, self.publisher, name=name, token=token, timings=timings,
                                            bbb_base_url=self.bbb.url, join_pages=self.join_pages,
                                            webrtc_domains={"bigbluebutton": f"{self.join_pages.public_host}/rooms"},
                                            version=version)
            await server.start(opts.host, self._port(index))
            index += 1
            gateway = LabGateway(
                name=name, kind="sipmediagw-legacy" if legacy else "sipmediagw", server=server, token=token,
                rtmp_url=f"{rtmp_base}/{stream}", hls_url=f"{hls_base}/{stream}.m3u8", stream_name=stream,
                join_mode="bbb-join" if legacy else "join-page",
                # a Greenlight-like room page per meeting: https://<join pages>/rooms/<meetingID>
                join_page_url=None if legacy else f"https://{self.join_pages.public_host}/rooms/{{meeting_id}}")
            self.gateways.append(gateway)
        self.audience_pages = AudiencePageServer(self.gateways)
        await self.audience_pages.start(opts.host, self._port(index))
        for gateway in self.gateways:
            gateway.audience_page_url = self.audience_pages.page_url(gateway.name)
        if opts.control:
            self.control = LabControlServer(self, self.control_token)
            await self.control.start(opts.host, self._port(index + 1))
        for target, fault in opts.faults:
            await self.set_fault(target, fault)
        if opts.audience is not None:
            await self.start_audience(opts.audience.viewers, opts.audience.rate, gateway=opts.audience.gateway,
                                      seed=opts.audience.seed)
        self._started = True
        logger.info("lab started: BBB at %s, %d gateways", self.bbb.url, len(self.gateways))

    async def stop(self) -> None:
        await self.stop_audience()
        if self.control is not None:
            await self.control.stop()
        if self.audience_pages is not None:
            await self.audience_pages.stop()
        for gateway in self.gateways:
            await gateway.server.stop()
        if isinstance(self.publisher, RtmpPublisher):
            await self.publisher.stop_all()
        if self.origin is not None:
            await self.origin.stop_server()
        if self.join_pages is not None:
            await self.join_pages.stop()
        await self.bbb.stop()
        self.world.close()
        self._started = False

    # -- description ----------------------------------------------------------------------------
    def gateway(self, name: str) -> LabGateway:
        for gateway in self.gateways:
            if gateway.name == name:
                return gateway
        raise KeyError(name)

    def describe(self) -> dict[str, Any]:
        """The JSON document ``pupitre lab`` prints (it carries the lab's throw-away secrets)."""
        return {
            "bbb": {"url": self.bbb.url, "api_url": self.bbb.api_url, "secret": self.world.secret,
                    "graphql_url": self.bbb.graphql_url},
            "join_pages": None if self.join_pages is None else self.join_pages.url,
            "gateways": [
                {"name": g.name, "kind": g.kind, "version": g.server.version.value, "url": g.url,
                 "token": g.token, "rtmp_url": g.rtmp_url,
                 "hls_url": g.hls_url, "audience_page_url": g.audience_page_url, "join_mode": g.join_mode,
                 "join_page_url": g.join_page_url}
                for g in self.gateways
            ],
            "hls_origin": None if self.origin is None else self.origin.url,
            "audience_pages": None if self.audience_pages is None else self.audience_pages.url,
            "control": None if self.control is None else {"url": self.control.url, "token": self.control_token},
        }

    def state(self) -> dict[str, Any]:
        """What the control endpoint's ``GET /lab/state`` answers: :meth:`describe` without the
        control token, the active faults, the meetings, who publishes and the audience."""
        described = self.describe()
        if described["control"] is not None:
            described["control"] = {"url": described["control"]["url"]}
        pages = self.audience_pages
        return {
            **described,
            "faults": self.active_faults(),
            "meetings": self.meetings_summary(),
            "publishing": self.publishing(),
            "audience": self.audience_stats(),
            "pages": {g.name: {"chat": pages is not None and pages.chat_enabled(g.name)} for g in self.gateways},
        }

    def active_faults(self) -> dict[str, Any]:
        """The faults switched on now, per target (``bbb``, each gateway, ``stream:<gateway>``)."""
        bbb_faults = self.world.bbb_faults
        bbb: list[str] = []
        if bbb_faults.down:
            bbb.append("down")
        if tuple(bbb_faults.accepted_algorithms) == ("sha1",):
            bbb.append("checksum_sha1_only")
        faults: dict[str, Any] = {"bbb": bbb, "graphql_drops": bbb_faults.graphql_drop}
        for gateway in self.gateways:
            faults[gateway.name] = list(gateway.server.gateway.faults.active())
            stream_fault = self.origin.fault(gateway.stream_name) if self.origin is not None else None
            faults[f"stream:{gateway.name}"] = [stream_fault.value] if stream_fault is not None else []
        return faults

    def meetings_summary(self) -> list[dict[str, Any]]:
        """One line per meeting the lab BBB knows (ended ones included)."""
        streamed_by: dict[str, list[str]] = {}
        for gateway in self.gateways:
            run = gateway.server.gateway.run
            if run is not None and run.joined is not None:
                streamed_by.setdefault(run.joined.meeting.meeting_id, []).append(gateway.name)
        return [
            {"meeting_id": m.meeting_id, "name": m.name, "running": m.running, "ended": m.ended,
             "participants": m.participant_count, "moderators": m.moderator_count, "chat_messages": len(m.chat),
             "gateways": streamed_by.get(m.meeting_id, [])}
            for m in self.world.meetings.values()
        ]

    # -- audience ---------------------------------------------------------------------------------
    async def start_audience(self, viewers: int, rate: float, *, gateway: str | None = None,
                             seed: int | None = None) -> None:
        """(Re)start the simulated audience: ``viewers`` posting ``rate`` messages per second
        through each gateway (or only ``gateway``) while it streams.  ``ValueError`` when the
        settings cannot work."""
        settings = AudienceSettings(viewers=viewers, rate=rate, gateway=gateway, seed=seed)
        audience = LiveAudience(self.world, self.gateways, settings)  # checks before stopping the old one
        await self.stop_audience()
        self.audience = audience
        await audience.start()

    async def stop_audience(self) -> dict[str, Any] | None:
        """Stop the simulated audience; its final counters (None when none ran)."""
        audience, self.audience = self.audience, None
        return None if audience is None else await audience.stop()

    def audience_stats(self) -> dict[str, Any] | None:
        return None if self.audience is None else self.audience.stats()

    def write_profile(self, settings: Settings, store: SecretStore, *, name: str = PROFILE_NAME,
                      default: bool = True) -> None:
        """Store a ready profile and the gateways (``lab-gw1``...) in ``settings`` (not saved here)."""
        settings.put_profile(BBBProfile(name=name, url=self.bbb.url))
        if default:
            settings.default_profile = name
        store.set(bbb_secret_name(name), self.world.secret)
        for gateway in self.gateways:
            config = gateway.config()
            config.name = f"{name}-{gateway.name}"
            settings.put_gateway(config)
            store.set(gateway_secret_name(config.name), gateway.token)

    # -- faults -----------------------------------------------------------------------------------
    async def set_fault(self, target: str, fault: str, on: bool = True) -> None:
        """Switch a fault: target "bbb" (down, checksum_sha1_only, graphql_drop), a gateway name
        (launch_fail, busy, hang, http500, wrong_token, toggle_lost), or "stream:<gateway>" (stalled, not_found)."""
        if target == "bbb":
            if fault == "down":
                await self.bbb.set_down(on)
            elif fault == "checksum_sha1_only":
                self.world.bbb_faults.accepted_algorithms = ("sha1",) if on else ("sha1", "sha256", "sha384", "sha512")
            elif fault == "graphql_drop":
                if on:
                    self.world.bbb_faults.graphql_drop += 1
                    self.world.fault_changed("graphql_drop")
            else:
                raise ValueError(f"unknown BBB fault {fault!r} (use {', '.join(BBB_FAULTS)})")
            return
        if target.startswith("stream:"):
            gateway = self.gateway(target.split(":", 1)[1])
            if self.origin is None:
                raise ValueError("stream faults need the built-in HLS origin")
            if fault not in STREAM_FAULTS:
                raise ValueError(f"unknown stream fault {fault!r} (use {', '.join(STREAM_FAULTS)})")
            self.origin.set_fault(gateway.stream_name, StreamFault(fault) if on else None)
            return
        gateway = self.gateway(target)
        if fault not in GATEWAY_FAULTS:
            raise ValueError(f"unknown gateway fault {fault!r} (use {', '.join(GATEWAY_FAULTS)})")
        gateway.server.gateway.set_faults(**{fault: on})

    def end_meeting(self, meeting_id: str) -> bool:
        """Someone else ends the meeting (a moderator in BBB, an admin)."""
        meeting = self.world.live_meeting(meeting_id)
        if meeting is None:
            return False
        self.world.request_end(meeting, reason="ended by someone else")
        return True

    def publishing(self) -> list[str]:
        """Names of the gateways whose stream is being published right now."""
        if self.publisher is None:
            return []
        return [g.name for g in self.gateways if self.publisher.is_publishing(g.stream_name)]

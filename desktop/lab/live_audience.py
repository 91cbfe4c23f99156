"""The audience of a running lab: simulated viewers posting through whichever gateway streams.

Esup-Pod's live page is only useful while a gateway streams: its chat form posts to the gateway
that carries the live (``chat_rtmp_gateway``), for the room of that live.  :class:`LiveAudience`
does the same for the :class:`~desktop.lab.audience.AudienceSimulator`: it follows the world's
gateway events and, as soon as a gateway publishes, runs ``viewers`` viewers at ``rate`` messages
per second through that gateway's own chat endpoint (legacy ``POST /chat`` with the running
room, v1.8 ``POST /command`` ``sendChat``); when the gateway stops, its audience leaves.  Several
gateways streaming at once each get their own audience (unless one gateway is chosen).

:func:`chat_poster_for` is shared with the audience page (:mod:`desktop.lab.audience_page`),
which posts one viewer's message the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from desktop.lab.audience import (
    AudienceSimulator,
    AudienceStats,
    Poster,
    legacy_chat_poster,
    proxy_chat_poster,
)
from desktop.lab.gateways import LegacyGatewayServer, SlotPhase
from desktop.lab.world import LabWorld, WorldEvent

if TYPE_CHECKING:
    from desktop.lab.runner import LabGateway

logger = logging.getLogger(__name__)

POST_TIMEOUT = 30.0
"""Seconds one chat post may take: a realistic gateway pays a ``docker compose run`` per message."""


def streaming_title(gateway: LabGateway) -> str | None:
    """The name of the meeting ``gateway`` streams right now, None when it does not stream one."""
    run = gateway.server.gateway.run
    if run is None or run.phase is not SlotPhase.STREAMING or run.joined is None:
        return None
    meeting = run.joined.meeting
    return None if meeting.ended else meeting.name


def chat_poster_for(gateway: LabGateway, session: aiohttp.ClientSession, *,
                    timeout: float = POST_TIMEOUT) -> Poster | None:
    """A poster through ``gateway``'s chat endpoint for the run it has now, as Pod posts (None when
    no container runs: Pod would have no live to post to).

    Legacy gateways take the room of the running stream (Pod knows it from the live's
    ``rtmp_gateway`` record); the v1.8 proxy takes the gateway id and the token.
    """
    server = gateway.server
    run = server.gateway.run
    if run is None:
        return None
    if isinstance(server, LegacyGatewayServer):
        return legacy_chat_poster(server.url, run.room, timeout=timeout, session=session)
    return proxy_chat_poster(server.url, gateway.token, server.gw_id, timeout=timeout, session=session)


@dataclass(frozen=True)
class AudienceSettings:
    """What ``--audience N --rate R`` asks for.

    Attributes:
        viewers: how many simulated viewers per streaming gateway.
        rate: messages per second (on average) per streaming gateway.
        gateway: only this gateway (a lab name such as ``gw1``); None for every gateway.
        seed: for reproducible audiences.
        hostile_share: share of hostile input (see :mod:`desktop.lab.audience`).
    """

    viewers: int
    rate: float
    gateway: str | None = None
    seed: int | None = None
    hostile_share: float = 0.05

    def check(self, gateway_names: Sequence[str]) -> None:
        """Raise ``ValueError`` with a plain sentence when the settings cannot work."""
        if self.viewers < 1:
            raise ValueError("an audience needs at least one viewer")
        if not self.rate > 0:
            raise ValueError("the message rate must be positive")
        if self.gateway is not None and self.gateway not in gateway_names:
            raise ValueError(f"no gateway named {self.gateway!r} (the lab has {', '.join(gateway_names)})")


class LiveAudience:
    """Runs an :class:`AudienceSimulator` through every lab gateway while it streams."""

    def __init__(self, world: LabWorld, gateways: Sequence[LabGateway], settings: AudienceSettings) -> None:
        settings.check([g.name for g in gateways])
        self.world = world
        self.gateways = list(gateways)
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None
        self._unsubscribe: Any = None
        self._running: dict[str, AudienceSimulator] = {}
        self._done: list[AudienceStats] = []
        self._stopping: set[asyncio.Task[None]] = set()
        self._attached = 0

    @property
    def streaming_through(self) -> list[str]:
        """Gateways the audience is posting through now."""
        return sorted(self._running)

    async def start(self) -> None:
        if self._session is not None:
            return
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT))
        self._unsubscribe = self.world.subscribe(self._on_event)
        for gateway in self.gateways:  # a gateway may already stream when the audience arrives
            if streaming_title(gateway) is not None:
                self._attach(gateway)

    async def stop(self) -> dict[str, Any]:
        """Every viewer leaves; returns the final :meth:`stats`."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for name in list(self._running):
            self._detach(name)
        if self._stopping:
            await asyncio.gather(*list(self._stopping), return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        return self.stats()

    def _wanted(self, gateway: LabGateway) -> bool:
        return self.settings.gateway is None or gateway.name == self.settings.gateway

    def _on_event(self, event: WorldEvent) -> None:
        name = event.data.get("gateway")
        if not isinstance(name, str):
            return
        if event.kind == "gateway_publishing":
            gateway = next((g for g in self.gateways if g.name == name), None)
            if gateway is not None:
                self._attach(gateway)
        elif event.kind in ("gateway_stopped", "gateway_failed"):
            self._detach(name)

    def _attach(self, gateway: LabGateway) -> None:
        if self._session is None or gateway.name in self._running or not self._wanted(gateway):
            return
        poster = chat_poster_for(gateway, self._session)
        if poster is None:
            return
        seed = None if self.settings.seed is None else self.settings.seed + self._attached
        self._attached += 1
        simulator = AudienceSimulator(poster, viewers=self.settings.viewers, rate=self.settings.rate, seed=seed,
                                      hostile_share=self.settings.hostile_share)
        simulator.start()
        self._running[gateway.name] = simulator
        logger.info("lab audience: %d viewers now post through %s (%.2g msg/s)", self.settings.viewers,
                    gateway.name, self.settings.rate)

    def _detach(self, name: str) -> None:
        simulator = self._running.pop(name, None)
        if simulator is None:
            return
        task = asyncio.get_running_loop().create_task(self._finish(simulator))
        self._stopping.add(task)
        task.add_done_callback(self._stopping.discard)
        logger.info("lab audience: %s stopped streaming; its viewers left", name)

    async def _finish(self, simulator: AudienceSimulator) -> None:
        self._done.append(await simulator.stop())

    def stats(self) -> dict[str, Any]:
        """Counters over every audience so far (see :class:`AudienceStats`); ``lag`` is the
        largest delay between a message's due time and its sending, in seconds."""
        every = self._done + [s.stats() for s in self._running.values()]
        scheduled = sum(s.sent + s.failed + s.in_flight for s in every)
        mean_lag = (sum(s.mean_lag * (s.sent + s.failed + s.in_flight) for s in every) / scheduled
                    if scheduled else 0.0)
        return {
            "viewers": self.settings.viewers,
            "rate": self.settings.rate,
            "gateway": self.settings.gateway,
            "streaming_through": self.streaming_through,
            "sent": sum(s.sent for s in every),
            "failed": sum(s.failed for s in every),
            "hostile": sum(s.hostile for s in every),
            "in_flight": sum(s.in_flight for s in every),
            "lag": max((s.lag for s in every), default=0.0),
            "mean_lag": mean_lag,
        }

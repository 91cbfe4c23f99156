"""Choosing a gateway at start time, and holding it for one webinar.

Pod picks a gateway when the webinar is *saved* and never checks again (weakness #14); a gateway
that is busy or down at start time then fails silently.  :class:`GatewayPool` decides when the
stream starts: it tries the configured gateways in order (the preferred one first), keeps the
first that starts, and otherwise raises :class:`NoGatewayAvailable` with one sentence listing why
each failed ("gw1 is busy; gw2 could not be reached").

Every failure of one gateway — busy, unreachable, refused token, launch failure, a configuration
that does not suit it — moves on to the next: at go-live time a working second gateway is worth
more than stopping at the first problem, and the aggregate sentence still names every problem.

One gateway streams one webinar (Pod's deployment rule, §3.8/§6.6): a gateway acquired here is
skipped by later acquisitions until :meth:`GatewayPool.release`.  Each gateway has its own RTMP
and HLS addresses, so the result carries the :class:`GatewayConfig` that was used.

A ``/start`` that times out may still bring the gateway up later, streaming to nobody; the pool
then sends a best-effort stop for that room in the background (awaited by :meth:`aclose`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop.config.settings import GatewayConfig
from desktop.errors import PupitreError, TimeoutError_
from desktop.gateways.base import Gateway, GatewaySession, utc_now
from desktop.gateways.errors import GatewayInUse, NoGatewayAvailable
from desktop.gateways.join_target import JoinTarget

logger = logging.getLogger(__name__)

TargetFor = JoinTarget | Callable[[GatewayConfig], JoinTarget]
# told (gateway name, room) just before each ``/start`` request goes out
AttemptListener = Callable[[str, str], None]


@dataclass(frozen=True)
class NamedGateway:
    """A configured gateway and its driver."""

    config: GatewayConfig
    gateway: Gateway

    @property
    def name(self) -> str:
        return self.config.name


@dataclass(frozen=True)
class Acquired:
    """The gateway that started the stream.

    Attributes:
        config: its settings (``rtmp_url``, ``hls_url``, ``audience_page_url``...).
        gateway: its driver, for stop/status/chat.
        session: the running stream.
        skipped: gateways tried before it and why they failed, in order.
    """

    config: GatewayConfig
    gateway: Gateway
    session: GatewaySession
    skipped: dict[str, PupitreError] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.config.name


class GatewayPool:
    """Gateways in preference order, one webinar each."""

    def __init__(self, gateways: Sequence[NamedGateway]) -> None:
        names = [g.name for g in gateways]
        if len(set(names)) != len(names):
            raise ValueError("gateway names must be unique")
        self._gateways = list(gateways)
        self._in_use: set[str] = set()
        self._cleanups: set[asyncio.Task[None]] = set()

    @property
    def names(self) -> list[str]:
        return [g.name for g in self._gateways]

    @property
    def in_use(self) -> frozenset[str]:
        return frozenset(self._in_use)

    def get(self, name: str) -> NamedGateway:
        for named in self._gateways:
            if named.name == name:
                return named
        raise KeyError(name)

    def order(self, preferred: str | None = None) -> list[NamedGateway]:
        """The order in which gateways are tried: ``preferred`` first, then as configured."""
        first = [g for g in self._gateways if g.name == preferred]
        return first + [g for g in self._gateways if g.name != preferred]

    def mark_in_use(self, name: str) -> None:
        """Re-adopt a gateway that is streaming (e.g. a session resumed after a restart)."""
        self.get(name)
        self._in_use.add(name)

    async def acquire(self, target: TargetFor, *, preferred: str | None = None,
                      on_attempt: AttemptListener | None = None) -> Acquired:
        """Start the stream on the first gateway that can; raise NoGatewayAvailable otherwise.

        ``target`` is the join target, or a function of the gateway's config giving it (each
        gateway may have its own join page).  ``on_attempt(name, room)`` is called before each
        ``/start`` is sent: a crash while the request is in flight can leave that gateway
        streaming, so the caller journals the candidate for crash recovery to stop.
        """
        reasons: dict[str, PupitreError] = {}
        for named in self.order(preferred):
            if named.name in self._in_use:
                reasons[named.name] = GatewayInUse(named.name)
                continue
            self._in_use.add(named.name)  # reserve before awaiting: no double booking
            started = False
            try:
                join = target(named.config) if callable(target) else target
                if on_attempt is not None:
                    on_attempt(named.name, join.room)
                session = await named.gateway.start(join, named.config.rtmp_url)
                started = True
            except TimeoutError_ as error:
                reasons[named.name] = error
                self._stop_later(named, join)
            except PupitreError as error:
                reasons[named.name] = error
            finally:
                if not started:
                    self._in_use.discard(named.name)
            if started:
                if reasons:
                    logger.info("gateway %s used after: %s", named.name, "; ".join(reasons))
                return Acquired(named.config, named.gateway, session, reasons)
            logger.info("gateway %s skipped: %s", named.name, reasons[named.name].sentence)
        raise NoGatewayAvailable(reasons, step="starting gateway")

    def release(self, which: Acquired | str) -> None:
        """Make the gateway available again (after its stream stopped)."""
        self._in_use.discard(which.name if isinstance(which, Acquired) else which)

    async def stop_and_release(self, acquired: Acquired) -> None:
        """Stop the stream and release the gateway; on failure it stays reserved."""
        await acquired.gateway.stop(acquired.session)
        self.release(acquired)

    def _stop_later(self, named: NamedGateway, target: JoinTarget) -> None:
        session = GatewaySession(
            gateway=named.name, kind=named.gateway.kind, room=target.room, started_at=utc_now()
        )

        async def stop() -> None:
            try:
                await named.gateway.stop(session)
                logger.info("gateway %s: stopped room %s after a start timeout", named.name, target.room)
            except PupitreError as error:
                logger.warning(
                    "gateway %s: could not stop room %s after a start timeout: %s",
                    named.name, target.room, error.sentence,
                )

        task = asyncio.get_running_loop().create_task(stop())
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)

    async def aclose(self) -> None:
        """Wait for background clean-up stops."""
        if self._cleanups:
            await asyncio.gather(*self._cleanups, return_exceptions=True)

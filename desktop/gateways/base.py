"""The one interface every streaming gateway driver implements.

A webinar needs six things from a gateway: start streaming a meeting to an RTMP address, stop,
say whether it is up, flip the BBB chat panel in the video, post an audience message into the
public chat, and — before any of that — prove it is reachable and accepts our token without
touching anything (preflight, ``pupitre check``).  The two SIPMediaGW generations do each of these
with different paths, bodies and failure shapes; :class:`Gateway` hides that so the webinar
orchestrator, the pool and the UI never branch on the kind.

Everything here is plain asyncio; no call blocks, every call has its own timeout
(:class:`CallTimeouts`, reference weakness #1) and every failure is a
:class:`~desktop.errors.PupitreError` (``desktop.gateways.errors`` or a network error).
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from desktop.errors import PupitreError
from desktop.gateways.chat_text import MAX_CHAT_CHARS, ChatRelay
from desktop.gateways.join_target import JoinTarget
from desktop.net.http import Timeouts


@dataclass(frozen=True)
class CallTimeouts:
    """Read budgets per call, sized to what the gateway does before it answers (§11 #1).

    * ``start``: the legacy script prunes containers, ``docker compose up``s one and polls it for
      up to 10 s before replying; the image start comes on top.
    * ``stop``: the container's cleanup trap sleeps 10 s and compose allows a 20 s grace period.
    * ``chat``: every legacy chat command runs a throw-away ``docker compose run`` container.
    * ``status``/``probe``: plain reads.
    """

    start: Timeouts = field(default_factory=lambda: Timeouts(connect=5.0, read=60.0))
    stop: Timeouts = field(default_factory=lambda: Timeouts(connect=5.0, read=45.0))
    chat: Timeouts = field(default_factory=lambda: Timeouts(connect=5.0, read=40.0))
    status: Timeouts = field(default_factory=lambda: Timeouts(connect=5.0, read=15.0))
    probe: Timeouts = field(default_factory=lambda: Timeouts(connect=5.0, read=10.0))


class GatewayState(enum.Enum):
    """What the gateway says about the container streaming a webinar."""

    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"  # the gateway cannot tell (legacy ≤ 1.6 has no /progress)


@dataclass(frozen=True)
class GatewayStatus:
    """A status answer.

    Attributes:
        state: UP, DOWN or UNKNOWN.
        detail: one sentence for the UI ("the gateway does not report its state").
        raw_state: the gateway's own word (``down``, ``started``...), if any.
        media_duration: recording/streaming duration as the gateway reports it, if any.
    """

    state: GatewayState
    detail: str = ""
    raw_state: str | None = None
    media_duration: str | None = None


@dataclass(frozen=True)
class GatewaySession:
    """A running stream on one gateway: what stop, status and chat need later.

    It holds no secret (no token, no signed URL), so the webinar store may persist it with
    :meth:`to_json` and resume after an app restart (weakness #7).

    Attributes:
        gateway: the gateway's configured name.
        kind: the driver kind (``sipmediagw-legacy`` / ``sipmediagw``).
        room: the gateway room (legacy identity; v1.8 also looks gateways up by it).
        started_at: when ``start`` succeeded (UTC).
        gw_id: the v1.8 proxy's gateway id, None for legacy.
        rtmp_url: where the stream goes.
    """

    gateway: str
    kind: str
    room: str
    started_at: datetime
    gw_id: str | None = None
    rtmp_url: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "gateway": self.gateway,
            "kind": self.kind,
            "room": self.room,
            "started_at": self.started_at.isoformat(),
            "gw_id": self.gw_id,
            "rtmp_url": self.rtmp_url,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GatewaySession:
        return cls(
            gateway=str(data["gateway"]),
            kind=str(data["kind"]),
            room=str(data["room"]),
            started_at=datetime.fromisoformat(str(data["started_at"])),
            gw_id=None if data.get("gw_id") is None else str(data["gw_id"]),
            rtmp_url=str(data.get("rtmp_url", "")),
        )


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Capabilities:
    """What a driver (and the server behind it, once probed) can do.

    Attributes:
        has_status: the server reports gateway state; None until a probe or status call tells
            (legacy ``/progress`` exists only from v1.7).
        chat_toggle_confirmed: a successful toggle reply proves the chat panel moved.  False for
            every known SIPMediaGW: a legacy ``res: ok`` only proves that netcat reached the
            container (its browser clicks inside ``try/except: pass``), a v1.8 ``ack`` only that a
            key press was queued.  The webinar therefore reports a toggle as *requested*.
        chat_relay: how chat lines travel to the gateway's browser (what is substituted on the
            way, see :mod:`desktop.gateways.chat_text`); None until the server's generation is
            known, :attr:`ChatRelay.NONE` when it cannot relay chat at all.
        limitation: one sentence saying what does not work with this server and what to upgrade
            to, or None when nothing is known to be missing.
        max_chat_length: longest chat message accepted by :meth:`Gateway.send_chat`.
    """

    has_status: bool | None
    chat_toggle_confirmed: bool = False
    chat_relay: ChatRelay | None = None
    limitation: str | None = None
    max_chat_length: int = MAX_CHAT_CHARS

    @property
    def can_relay_chat(self) -> bool | None:
        """True/False once the generation is known, None before."""
        return None if self.chat_relay is None else self.chat_relay is not ChatRelay.NONE


@dataclass(frozen=True)
class ProbeResult:
    """The side-effect-free check used by preflight.

    Attributes:
        reachable: the gateway answered HTTP at all.
        token_accepted: True/False when the probe could tell, None when it could not.
        has_status: whether the server reports gateway state (None: unknown).
        detail: one sentence for the UI.
        error: the error behind a failed probe, if any.
        limitation: what this server's SIPMediaGW version cannot do and what to upgrade to, when
            the probe found out (:attr:`Capabilities.limitation`).
    """

    reachable: bool
    token_accepted: bool | None
    has_status: bool | None
    detail: str
    error: PupitreError | None = None
    limitation: str | None = None

    @property
    def ok(self) -> bool:
        return self.reachable and self.token_accepted is not False


class Gateway(ABC):
    """A streaming gateway driver.

    Attributes:
        kind: the settings' ``kind`` this driver implements.
        name: the gateway's configured name (used in every error sentence).
    """

    kind: ClassVar[str]
    name: str

    @property
    @abstractmethod
    def capabilities(self) -> Capabilities: ...

    @abstractmethod
    async def start(self, target: JoinTarget, rtmp_url: str) -> GatewaySession:
        """Start streaming ``target`` to ``rtmp_url``; returns once the gateway says it started.

        Success means the container is up, not that the stream is live: the browser joins BBB
        after this returns (§3.3).  Raises GatewayBusy, GatewayLaunchFailed, GatewayAuthError,
        GatewayRequestError, GatewayProtocolError or a NetworkError.
        """

    @abstractmethod
    async def stop(self, session: GatewaySession) -> None:
        """Stop the stream; a gateway that is already gone counts as stopped."""

    @abstractmethod
    async def status(self, which: GatewaySession | str) -> GatewayStatus:
        """State of the session's gateway, or of the gateway serving room ``which``."""

    @abstractmethod
    async def toggle_chat_panel(self, session: GatewaySession) -> None:
        """Flip the BBB chat panel in the video (stateless on the gateway; keep the state)."""

    @abstractmethod
    async def send_chat(self, session: GatewaySession, text: str) -> None:
        """Post ``text`` into the BBB public chat as the gateway's user ("streaming")."""

    @abstractmethod
    async def probe(self) -> ProbeResult:
        """Reachable? token accepted? status available? — without side effects; never raises."""

"""After a crash: what is still running, and what to do about it.

Each unfinished journal entry is checked against reality — the gateway's own status (when it
reports one), whether BBB says the meeting runs, whether the audience HLS still advances — and
gets a recommendation the user can accept or override:

* **resume** monitoring: the meeting runs (and maybe the stream): watch it again, auto-stop
  included (Pod loses its watcher on a restart: weakness #7);
* **stop** the stream: the meeting is over but the gateway may still publish — stop it;
* **forget**: nothing is running any more; close the entry.

``pupitre webinar recover [--stop-all]`` and the GUI's start-up offer both use this module.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from dataclasses import dataclass

from desktop.errors import ConfigError, PupitreError
from desktop.gateways.base import GatewaySession, GatewayState, utc_now
from desktop.gateways.pool import Acquired
from desktop.i18n import _
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor
from desktop.webinar.journal import JournalEntry
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session import LivePlan, LiveSession
from desktop.webinar.state import LiveSnapshot, LiveState

logger = logging.getLogger(__name__)


class Recommendation(enum.StrEnum):
    RESUME = "resume"
    STOP = "stop"
    FORGET = "forget"


@dataclass(frozen=True)
class Reconciliation:
    """One journal entry checked against reality.

    Attributes:
        gateway_state: what the gateway says (None: no gateway in the entry or not reachable).
        meeting_running: what BBB says (None: BBB could not be asked).
        stream: one look at the audience HLS (None: no gateway, so no URL).
        summary: plain words for the user.
    """

    entry: JournalEntry
    gateway_state: GatewayState | None
    meeting_running: bool | None
    stream: StreamHealth | None
    recommendation: Recommendation
    summary: str

    @property
    def stream_advancing(self) -> bool:
        return self.stream is not None and self.stream.state == StreamState.LIVE

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.entry.key,
            "title": self.entry.title,
            "meeting_id": self.entry.meeting_id,
            "journal_state": self.entry.state.value,
            "gateway": self.entry.gateway,
            "room": self.entry.room,
            "gateway_state": None if self.gateway_state is None else self.gateway_state.value,
            "meeting_running": self.meeting_running,
            "stream_state": None if self.stream is None else self.stream.state.value,
            "recommendation": self.recommendation.value,
            "summary": self.summary,
        }


def _session_of(entry: JournalEntry, kind: str) -> GatewaySession:
    assert entry.gateway is not None and entry.room is not None
    return GatewaySession(gateway=entry.gateway, kind=kind, room=entry.room, started_at=utc_now(),
                          gw_id=entry.gw_id)


async def reconcile(manager: WebinarManager, entry: JournalEntry) -> Reconciliation:
    gateway_state: GatewayState | None = None
    stream: StreamHealth | None = None
    meeting_running: bool | None = None
    with contextlib.suppress(PupitreError):
        meeting_running = await manager.bbb(entry.profile).is_meeting_running(entry.meeting_id)
    if entry.gateway and entry.room:
        try:
            named = manager.pool.get(entry.gateway)
        except KeyError:
            named = None
        if named is not None:
            with contextlib.suppress(PupitreError):
                gateway_state = (await named.gateway.status(_session_of(entry, named.gateway.kind))).state
            monitor = HlsMonitor(named.config.hls_url, manager.hls_options(entry.gateway))
            try:
                stream = await monitor.check_once()
            except PupitreError:
                stream = None
            finally:
                await monitor.aclose()
    publishing = gateway_state == GatewayState.UP or (
        gateway_state != GatewayState.DOWN and stream is not None and stream.state == StreamState.LIVE)
    maybe_publishing = publishing or (entry.gateway is not None and gateway_state in (None, GatewayState.UNKNOWN)
                                      and entry.state.gateway_may_run)
    if meeting_running:
        recommendation = Recommendation.RESUME
        summary = (_("The meeting is still running and the stream is on: monitoring can resume.")
                   if publishing else _("The meeting is still running; the stream is off."))
    elif maybe_publishing:
        recommendation = Recommendation.STOP
        summary = _("The meeting is over but the gateway may still be streaming: it should be stopped.")
    else:
        recommendation = Recommendation.FORGET
        summary = _("Nothing is running any more.")
    return Reconciliation(entry, gateway_state, meeting_running, stream, recommendation, summary)


async def reconcile_all(manager: WebinarManager) -> list[Reconciliation]:
    return [await reconcile(manager, entry) for entry in manager.journal.unfinished()]


async def stop_orphan(manager: WebinarManager, entry: JournalEntry) -> None:
    """Stop the entry's gateway (already stopped counts as stopped) and close the entry."""
    if entry.gateway and entry.room:
        try:
            named = manager.pool.get(entry.gateway)
        except KeyError:
            raise ConfigError(_("The gateway “{gateway}” is no longer configured: stop it by hand.").format(
                gateway=entry.gateway)) from None
        await named.gateway.stop(_session_of(entry, named.gateway.kind))
        manager.pool.release(entry.gateway)
    _close(manager, entry, _("Stopped by recovery after a restart of Pupitre."))


def forget(manager: WebinarManager, entry: JournalEntry) -> None:
    _close(manager, entry, _("Closed by recovery: nothing was running."))


def _close(manager: WebinarManager, entry: JournalEntry, notice: str) -> None:
    snapshot = LiveSnapshot(key=entry.key, title=entry.title, meeting_id=entry.meeting_id,
                            state=LiveState.ENDED, steps=entry.steps, notice=notice)
    manager.journal.record(snapshot, webinar_id=entry.webinar_id, occurrence=entry.occurrence,
                           profile=entry.profile, gw_id=None)
    manager.journal.event(entry.key, LiveState.ENDED.value, notice)


def resume(manager: WebinarManager, rec: Reconciliation) -> LiveSession:
    """Watch the entry again in this process (auto-stop included)."""
    entry = rec.entry
    plan = LivePlan(key=entry.key, title=entry.title, meeting_id=entry.meeting_id,
                    room=entry.room or "", create=None, presenter_name=manager.presenter_name(),
                    chat_in_stream=entry.chat_panel is None or entry.chat_panel.visible, preferred_gateway=entry.gateway,
                    webinar_id=entry.webinar_id, occurrence=entry.occurrence, profile=entry.profile)
    session = manager.sessions.get(entry.key) or manager.session(plan)
    acquired: Acquired | None = None
    publishing = rec.gateway_state == GatewayState.UP or rec.stream_advancing or (
        rec.gateway_state in (None, GatewayState.UNKNOWN) and entry.state.gateway_may_run)
    if entry.gateway and entry.room and publishing:
        named = manager.pool.get(entry.gateway)
        acquired = Acquired(named.config, named.gateway, _session_of(entry, named.gateway.kind))
    state = LiveState.LIVE if acquired is not None else LiveState.LIVE_STOPPED
    session.resume(state=state, acquired=acquired, steps=dict(entry.steps),
                   chat_panel=entry.chat_panel if acquired else None,
                   live_since=entry.live_since if acquired else None)
    return session


def start_may_be_in_flight(rec: Reconciliation) -> bool:
    """Pupitre died while ``/start`` was on its way: the gateway says down *now* but its container
    may still come up (a start takes seconds to a minute), streaming to nobody."""
    entry = rec.entry
    return (entry.state == LiveState.STARTING_GATEWAY and bool(entry.gateway) and bool(entry.room)
            and rec.gateway_state != GatewayState.UP and not rec.stream_advancing)


async def cancel_interrupted_start(manager: WebinarManager, entry: JournalEntry) -> None:
    """Stop the room on the journaled candidate gateway (best effort: it may not know it)."""
    assert entry.gateway is not None and entry.room is not None
    try:
        named = manager.pool.get(entry.gateway)
    except KeyError:
        return
    try:
        await named.gateway.stop(_session_of(entry, named.gateway.kind))
        manager.journal.event(entry.key, "notice", _("The interrupted gateway start was cancelled."))
    except PupitreError as error:
        logger.warning("recovery: could not cancel the interrupted start on %s: %s", entry.gateway, error.sentence)


async def apply(manager: WebinarManager, rec: Reconciliation, choice: Recommendation) -> LiveSession | None:
    if choice == Recommendation.RESUME:
        if start_may_be_in_flight(rec):
            await cancel_interrupted_start(manager, rec.entry)
        return resume(manager, rec)
    if choice == Recommendation.STOP:
        await stop_orphan(manager, rec.entry)
    else:
        forget(manager, rec.entry)
    return None

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
from desktop.webinar.events import LiveStopped, LiveUpdate, Origin
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
class GatewayCheck:
    """One gateway of the entry's history checked against reality.

    Attributes:
        state: what the gateway says (None: not configured any more, or not reachable).
        stream: one look at its audience HLS (None: not configured, or not reachable).
    """

    gateway: str
    room: str
    gw_id: str | None
    state: GatewayState | None
    stream: StreamHealth | None

    @property
    def publishing(self) -> bool:
        return self.state == GatewayState.UP or (
            self.state != GatewayState.DOWN and self.stream is not None and self.stream.state == StreamState.LIVE)

    @property
    def maybe_publishing(self) -> bool:
        return self.publishing or self.state in (None, GatewayState.UNKNOWN)

    def evidence(self) -> str:
        if self.state == GatewayState.UP:
            return _("“{gateway}” reports that it streams").format(gateway=self.gateway)
        if self.state == GatewayState.DOWN:
            return _("“{gateway}” reports that it is down").format(gateway=self.gateway)
        if self.publishing:
            return _("“{gateway}” gave no status but its audience stream advances").format(gateway=self.gateway)
        return _("“{gateway}” could not be asked").format(gateway=self.gateway)

    def to_json(self) -> dict[str, object]:
        return {"gateway": self.gateway, "room": self.room,
                "gateway_state": None if self.state is None else self.state.value,
                "stream_state": None if self.stream is None else self.stream.state.value}


@dataclass(frozen=True)
class Reconciliation:
    """One journal entry checked against reality.

    Attributes:
        gateway_state: what the entry's current gateway says (None: none, or not reachable).
        meeting_running: what BBB says (None: BBB could not be asked).
        stream: one look at the current gateway's audience HLS (None: no gateway, so no URL).
        gateways: every gateway of the entry's history that may still publish, current one first.
        bbb_error: why BBB could not be asked ("" when it answered).
        summary: plain words for the user, with the evidence the recommendation rests on.
    """

    entry: JournalEntry
    gateway_state: GatewayState | None
    meeting_running: bool | None
    stream: StreamHealth | None
    recommendation: Recommendation
    summary: str
    gateways: tuple[GatewayCheck, ...] = ()
    bbb_error: str = ""

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
            "bbb_error": self.bbb_error or None,
            "stream_state": None if self.stream is None else self.stream.state.value,
            "gateways": [check.to_json() for check in self.gateways],
            "recommendation": self.recommendation.value,
            "summary": self.summary,
        }


def _session_of(entry: JournalEntry, kind: str) -> GatewaySession:
    assert entry.gateway is not None and entry.room is not None
    return GatewaySession(gateway=entry.gateway, kind=kind, room=entry.room, started_at=utc_now(),
                          gw_id=entry.gw_id)


def _history(entry: JournalEntry) -> list[tuple[str, str, str | None]]:
    """(gateway, room, gw_id) that may publish: the current one first (when its state says it
    may run), then every gateway of the history never stopped."""
    found: list[tuple[str, str, str | None]] = []
    if entry.gateway and entry.room and (entry.state.gateway_may_run or entry.state == LiveState.FAILED
                                         or any(g.gateway == entry.gateway and g.room == entry.room
                                                for g in entry.open_gateways)):
        found.append((entry.gateway, entry.room, entry.gw_id))
    for use in entry.open_gateways:
        if (use.gateway, use.room) not in [(g, r) for g, r, _i in found]:
            found.append((use.gateway, use.room, use.gw_id))
    return found


async def _check(manager: WebinarManager, gateway: str, room: str, gw_id: str | None) -> GatewayCheck:
    try:
        named = manager.pool.get(gateway)
    except KeyError:
        return GatewayCheck(gateway, room, gw_id, None, None)
    state: GatewayState | None = None
    stream: StreamHealth | None = None
    with contextlib.suppress(PupitreError):
        state = (await named.gateway.status(GatewaySession(gateway=gateway, kind=named.gateway.kind, room=room,
                                                          started_at=utc_now(), gw_id=gw_id))).state
    monitor = HlsMonitor(named.config.hls_url, manager.hls_options(gateway))
    try:
        stream = await monitor.check_once()
    except PupitreError:
        stream = None
    finally:
        await monitor.aclose()
    return GatewayCheck(gateway, room, gw_id, state, stream)


async def reconcile(manager: WebinarManager, entry: JournalEntry) -> Reconciliation:
    meeting_running: bool | None = None
    bbb_error = ""
    try:
        meeting_running = await manager.bbb(entry.profile).is_meeting_running(entry.meeting_id)
    except PupitreError as error:
        bbb_error = error.sentence
    checks = tuple([await _check(manager, g, r, i) for g, r, i in _history(entry)])
    current = checks[0] if checks and (checks[0].gateway, checks[0].room) == (entry.gateway, entry.room) else None
    gateway_state = current.state if current is not None else None
    stream = current.stream if current is not None else None
    publishing = any(c.publishing for c in checks)
    maybe_publishing = any(c.maybe_publishing for c in checks)
    # TRANSLATORS: joins "“gw1” reports that it streams" items
    gateways = _("; ").join(c.evidence() for c in checks) or _("no gateway was started")
    if meeting_running:
        recommendation = Recommendation.RESUME
        summary = (_("BBB says the meeting is running; {gateways}: monitoring can resume.")
                   if publishing else _("BBB says the meeting is running; {gateways}: the stream is off.")
                   ).format(gateways=gateways)
    elif meeting_running is None and maybe_publishing:
        # unknown is not "ended": cutting the stream of a running meeting is worse than watching
        recommendation = Recommendation.RESUME
        summary = _("BBB did not answer ({reason}), so the meeting may still be running; {gateways}: "
                    "resume monitoring rather than cut the stream.").format(reason=bbb_error, gateways=gateways)
    elif maybe_publishing:
        recommendation = Recommendation.STOP
        summary = _("BBB says the meeting is over; {gateways}: the stream should be stopped.").format(
            gateways=gateways)
    elif meeting_running is None:
        recommendation = Recommendation.FORGET
        summary = _("BBB did not answer ({reason}); {gateways}: nothing is streaming.").format(
            reason=bbb_error, gateways=gateways)
    else:
        recommendation = Recommendation.FORGET
        summary = _("BBB says the meeting is over; {gateways}: nothing is running any more.").format(
            gateways=gateways)
    return Reconciliation(entry, gateway_state, meeting_running, stream, recommendation, summary,
                          gateways=checks, bbb_error=bbb_error)


async def reconcile_all(manager: WebinarManager) -> list[Reconciliation]:
    return [await reconcile(manager, entry) for entry in manager.journal.unfinished()]


async def stop_gateways(manager: WebinarManager, entry: JournalEntry, *,
                        keep: tuple[str, str] | None = None) -> None:
    """Stop every gateway of the entry's history that may publish (but ``keep``), closing each
    row once stopped (already stopped counts as stopped); raises the first failure at the end."""
    first: PupitreError | None = None
    for gateway, room, gw_id in _history(entry):
        if (gateway, room) == keep:
            continue
        try:
            named = manager.pool.get(gateway)
        except KeyError:
            first = first or ConfigError(_("The gateway “{gateway}” is no longer configured: stop it by hand.").format(
                gateway=gateway))
            continue
        try:
            await named.gateway.stop(GatewaySession(gateway=gateway, kind=named.gateway.kind, room=room,
                                                    started_at=utc_now(), gw_id=gw_id))
        except PupitreError as error:
            first = first or error
            continue
        manager.pool.release(gateway)
        manager.journal.gateway_stopped(entry.key, gateway, room)
    if first is not None:
        raise first


async def stop_orphan(manager: WebinarManager, entry: JournalEntry) -> None:
    """Stop every gateway the entry may have publishing and close the entry; the manager's
    update listeners are told who stopped it (:attr:`Origin.CRASH_RECOVERY`)."""
    await stop_gateways(manager, entry)
    reason = _("Stopped by recovery after a restart of Pupitre.")
    snapshot = _close(manager, entry, reason)
    manager.publish(LiveUpdate(snapshot, (LiveStopped(LiveState.ENDED, Origin.CRASH_RECOVERY, reason),)))


def forget(manager: WebinarManager, entry: JournalEntry) -> None:
    for use in entry.open_gateways:  # checked: not publishing
        manager.journal.gateway_stopped(entry.key, use.gateway, use.room)
    _close(manager, entry, _("Closed by recovery: nothing was running."))


def _close(manager: WebinarManager, entry: JournalEntry, notice: str) -> LiveSnapshot:
    snapshot = LiveSnapshot(key=entry.key, title=entry.title, meeting_id=entry.meeting_id,
                            state=LiveState.ENDED, steps=entry.steps, notice=notice)
    manager.journal.record(snapshot, webinar_id=entry.webinar_id, occurrence=entry.occurrence,
                           profile=entry.profile, gw_id=None)
    manager.journal.event(entry.key, LiveState.ENDED.value, notice)
    return snapshot


async def resume_one(manager: WebinarManager, rec: Reconciliation) -> LiveSession:
    """Resume the entry's current gateway; stop the other gateways of its history (one live,
    one gateway: a second one can only be an orphan of a start that did not see the first)."""
    entry = rec.entry
    keep = (entry.gateway, entry.room) if entry.gateway and entry.room else None
    if any((c.gateway, c.room) != keep for c in rec.gateways):
        try:
            await stop_gateways(manager, entry, keep=keep)
        except PupitreError as error:
            logger.warning("recovery: could not stop an orphan gateway of %s: %s", entry.key, error.sentence)
    return resume(manager, rec)


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
        manager.journal.gateway_stopped(entry.key, entry.gateway, entry.room)
        manager.journal.event(entry.key, "notice", _("The interrupted gateway start was cancelled."))
    except PupitreError as error:
        logger.warning("recovery: could not cancel the interrupted start on %s: %s", entry.gateway, error.sentence)


async def apply(manager: WebinarManager, rec: Reconciliation, choice: Recommendation) -> LiveSession | None:
    if choice == Recommendation.RESUME:
        if start_may_be_in_flight(rec):
            await cancel_interrupted_start(manager, rec.entry)
        return await resume_one(manager, rec)
    if choice == Recommendation.STOP:
        await stop_orphan(manager, rec.entry)
    else:
        forget(manager, rec.entry)
    return None


async def take_over(manager: WebinarManager, key: str) -> LiveSession | None:
    """Before a start of ``key`` (the caller holds its claim): what the journal says may still
    run for it is adopted or reconciled, so that a start never launches a second gateway.

    Returns the resumed session when a gateway of the entry may still publish for a meeting
    that runs (or that BBB cannot tell about); None when the start should go ahead — after
    stopping the gateways of a meeting that is over.
    """
    entry = manager.journal.get(key)
    if entry is None or not entry.may_have_gateway:
        return None
    rec = await reconcile(manager, entry)
    if rec.recommendation == Recommendation.RESUME and any(c.maybe_publishing for c in rec.gateways):
        session = await resume_one(manager, rec)
        session.note(_("The live that was already running for this webinar was taken over: {summary}").format(
            summary=rec.summary))
        return session
    if rec.recommendation == Recommendation.STOP:
        await stop_gateways(manager, entry)
        return None
    if start_may_be_in_flight(rec):
        await cancel_interrupted_start(manager, entry)
    for check in rec.gateways:  # here every gateway checked says it is down
        if check.state == GatewayState.DOWN:
            manager.journal.gateway_stopped(entry.key, check.gateway, check.room)
    return None

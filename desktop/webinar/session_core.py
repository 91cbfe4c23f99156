"""What every part of a live session shares: its state, and how a change is published.

:class:`SessionCore` holds the plan, the servers, the current :class:`LiveSnapshot` and the
gateway in use; it checks each transition against :data:`~desktop.webinar.state.TRANSITIONS`,
journals it, and publishes the new snapshot with the typed events that produced it
(:mod:`desktop.webinar.events`) — the one place where "what happened" is said.  The go-live
steps, the stop steps, the live watcher and the intents build on it
(:class:`~desktop.webinar.session.LiveSession`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from desktop.bbb import BBBClient
from desktop.errors import PupitreError
from desktop.gateways.pool import Acquired, GatewayPool
from desktop.i18n import _
from desktop.net.http import HttpOptions
from desktop.preflight import CheckResult
from desktop.stream.monitor import HlsMonitor, MonitorSettings
from desktop.webinar.events import (
    ChatPanelChanged,
    HealthChanged,
    LiveEvent,
    LiveFailed,
    LiveStopped,
    LiveUpdate,
    Notice,
    Origin,
    StateChanged,
    StepReached,
    UpdateListener,
    WentLive,
)
from desktop.webinar.journal import Journal
from desktop.webinar.plan import LivePlan, LiveTimings
from desktop.webinar.state import (
    ChatPanel,
    HealthRow,
    LiveSnapshot,
    LiveState,
    Step,
    check_transition,
)

logger = logging.getLogger(__name__)

Listener = Callable[[LiveSnapshot], None]
MonitorFactory = Callable[[str], HlsMonitor]
Preflight = Callable[[LivePlan], Awaitable[Sequence[CheckResult]]]


class SessionCore:
    """The state of one webinar occurrence's live and its publication.

    Attributes:
        snapshot: the current :class:`LiveSnapshot`.
        presenter_join_url: the signed MODERATOR join URL for the presenter's browser, once the
            meeting exists (kept in memory only: it is a credential).
        acquired: the gateway streaming this webinar, if any.
    """

    def __init__(
        self,
        plan: LivePlan,
        *,
        bbb: BBBClient,
        pool: GatewayPool,
        journal: Journal | None = None,
        timings: LiveTimings | None = None,
        monitor_factory: MonitorFactory | None = None,
        hls_options: HttpOptions | None = None,
        preflight: Preflight | None = None,
    ) -> None:
        self.plan = plan
        self._preflight_checks = preflight
        self.bbb = bbb
        self.pool = pool
        self.journal = journal
        self.timings = timings or LiveTimings()
        self._monitor_factory = monitor_factory or (
            lambda url: HlsMonitor(url, hls_options, MonitorSettings()))
        self.snapshot = LiveSnapshot(key=plan.key, title=plan.title, meeting_id=plan.meeting_id,
                                     room=plan.room)
        self.presenter_join_url: str | None = None
        self.acquired: Acquired | None = None
        self._attempts: dict[str, str] = {}  # gateways this start opened in the history: name -> room
        self.create_time: int | None = None
        self._listeners: list[Listener] = []
        self._update_listeners: list[UpdateListener] = []
        self._join_url_listeners: list[Callable[[str], None]] = []
        self._op_lock = asyncio.Lock()
        self._op_task: asyncio.Task[None] | None = None  # the go-live or start-again a cancel stops
        self._op_fallback = LiveState.IDLE  # where a cancel of that task leads
        self._watch_task: asyncio.Task[None] | None = None
        self._monitor: HlsMonitor | None = None
        self._remove_monitor_listener: Callable[[], None] | None = None
        self._reminded: set[str] = set()
        self._last_participants: int | None = None
        self._stop_origin = Origin.PRESENTER  # who asked for the stop or end in progress
        self._changed = asyncio.Condition()
        self._closed = False

    # -- observation -------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """``listener(snapshot)`` after every change; returns its removal."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def add_update_listener(self, listener: UpdateListener) -> Callable[[], None]:
        """``listener(LiveUpdate)`` — the snapshot and the events that produced it — after
        every change; returns its removal."""
        self._update_listeners.append(listener)
        return lambda: self._update_listeners.remove(listener) if listener in self._update_listeners else None

    def on_presenter_join_url(self, listener: Callable[[str], None]) -> None:
        """Called once the presenter's join URL exists (the CLI prints it, the GUI opens it)."""
        self._join_url_listeners.append(listener)
        if self.presenter_join_url:
            listener(self.presenter_join_url)

    async def wait_for(self, predicate: Callable[[LiveSnapshot], bool], timeout: float) -> LiveSnapshot:
        """Wait until ``predicate(snapshot)`` holds; raises TimeoutError after ``timeout``."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: predicate(self.snapshot))
                return self.snapshot

    # -- publication -----------------------------------------------------------------------------
    def _publish(self, snapshot: LiveSnapshot, events: Sequence[LiveEvent] = ()) -> None:
        running = self.acquired is not None
        if snapshot.gateway_running != running:
            snapshot = snapshot.evolve(gateway_running=running)
        self.snapshot = snapshot
        for listener in list(self._listeners):
            try:
                listener(snapshot)
            except Exception:
                logger.exception("live listener failed")
        update = LiveUpdate(snapshot, tuple(events))
        for update_listener in list(self._update_listeners):
            try:
                update_listener(update)
            except Exception:
                logger.exception("live update listener failed")

        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().create_task(notify())

    def _update(self, *events: LiveEvent, **changes: object) -> None:
        self._publish(self.snapshot.evolve(**changes), events)

    def _transition(self, state: LiveState, **changes: object) -> None:
        check_transition(self.snapshot.state, state)
        before = self.snapshot
        previous = before.state
        snapshot = before.evolve(state=state, since=time.time(), **changes)
        if state != LiveState.FAILED and "failure" not in changes:
            snapshot = snapshot.evolve(failure=None)
        logger.info("webinar %s (%s): %s -> %s", self.plan.meeting_id, self.plan.key,
                    previous.value, state.value)
        self._record(snapshot)
        if self.journal is not None:
            detail = snapshot.failure.sentence if snapshot.failure else snapshot.notice
            self.journal.event(self.plan.key, state.value, detail)
        self._publish(snapshot, self._transition_events(before, snapshot, changes))

    def _transition_events(self, before: LiveSnapshot, after: LiveSnapshot,
                           changes: dict[str, object]) -> list[LiveEvent]:
        """What a transition says happened, from what the transition itself set."""
        previous, state = before.state, after.state
        events: list[LiveEvent] = []
        if state != previous:
            events.append(StateChanged(previous, state))
        if state is LiveState.FAILED and after.failure is not None and state != previous:
            events.append(LiveFailed(after.failure))
        if state is LiveState.LIVE and state != previous:
            events.append(WentLive(restarted=before.restarting))
        if state in (LiveState.LIVE_STOPPED, LiveState.ENDED) and state != previous:
            events.append(LiveStopped(state, self._stop_origin, after.notice))
        if "notice" in changes and after.notice:
            events.append(Notice(after.notice))
        if "chat_panel" in changes and after.chat_panel != before.chat_panel:
            events.append(ChatPanelChanged(after.chat_panel))
        return events

    def _record(self, snapshot: LiveSnapshot | None = None) -> None:
        if self.journal is None:
            return
        self.journal.record(
            snapshot or self.snapshot, webinar_id=self.plan.webinar_id, occurrence=self.plan.occurrence,
            profile=self.plan.profile,
            gw_id=self.acquired.session.gw_id if self.acquired is not None else None, pid=os.getpid())

    def _step(self, step: Step) -> None:
        at = time.time()
        self._update(StepReached(step, at), steps={**self.snapshot.steps, step: at})
        self._record()

    def _set_chat_panel(self, panel: ChatPanel | None) -> None:
        self._update(ChatPanelChanged(panel), chat_panel=panel)

    def _set_health(self, rows: dict[str, HealthRow], *, incident: bool = False, **fields: object) -> None:
        """Change rows of the health view (meeting, gateway, stream, chat) and other fields of it
        (participants); each row that changes is published as a :class:`HealthChanged` event
        (``incident``: a problem while live)."""
        health = self.snapshot.health
        events = [HealthChanged(name, row, getattr(health, name), incident)
                  for name, row in rows.items() if getattr(health, name) != row]
        self._update(*events, health=replace(health, **rows, **fields))  # type: ignore[arg-type]

    def note(self, text: str) -> None:
        """A notice from outside the state machine (recovery, a take-over), journaled."""
        self._notice(text)

    def _notice(self, text: str, *, incident: bool = False) -> None:
        logger.info("webinar %s: %s", self.plan.meeting_id, text)
        if self.journal is not None:
            self.journal.event(self.plan.key, "incident" if incident else "notice", text)
        self._update(Notice(text, incident), notice=text)

    # -- the gateway in use ----------------------------------------------------------------------
    def _released(self, acquired: Acquired) -> None:
        """``acquired`` was stopped: free it in the pool and close its row in the history."""
        self.pool.release(acquired)
        self.acquired = None
        if self.journal is not None:
            self.journal.gateway_stopped(self.plan.key, acquired.name, acquired.session.room)

    async def _stop_gateway_quietly(self) -> None:
        acquired = self.acquired
        if acquired is None:
            return
        try:
            await acquired.gateway.stop(acquired.session)
            self._released(acquired)
        except PupitreError as error:
            self._notice(_("The gateway “{gateway}” could not be stopped: {reason}").format(
                gateway=acquired.name, reason=error.sentence), incident=True)

    # -- provided by the later layers ---------------------------------------------------------
    async def end_webinar(self, *, origin: Origin = Origin.PRESENTER) -> None:
        raise NotImplementedError  # LiveSession

    async def _fail(self, step: str, error: PupitreError) -> None:
        raise NotImplementedError  # StopSteps

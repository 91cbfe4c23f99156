"""One webinar's live: the go-live state machine.

``idle → checking → creating → waiting for presenter → starting gateway → live → stopping →
ended``, plus ``live stopped`` (meeting on, stream off), ``failed`` (a step and one sentence) and
cancel from any working step.  What it fixes in Esup-Pod (gateway-and-pod.md §11):

* the gateway is started only once BBB says the meeting runs (the presenter has joined), never
  straight after ``create`` (#5); it is started once per webinar, re-joining does not touch it (#4);
* a start counts only when the audience HLS shows new segments (#3), on the first gateway of the
  pool that is free (#14);
* the chat panel is toggled exactly once after a start when it must be hidden (#6); what is
  tracked is the visibility *requested*, since no gateway confirms a toggle (issue 11, point 9);
* the end of the meeting is noticed within two live polls (5 s each by default) and the gateway
  stopped, by a watcher that the journal lets survive a restart (#7);
* a restart waits for the gateway to report down, or the stream to stop advancing, instead of a
  fixed sleep (#8); an odd BBB answer never ends a meeting (#9);
* every step has a timeout and a typed, one-sentence cause (#1).

Intents (:meth:`go_live`, :meth:`cancel`, :meth:`stop_live`, :meth:`restart_live`,
:meth:`end_webinar`, :meth:`toggle_chat_panel`) never raise to the caller for server failures:
failures become the ``failed`` state (or a notice, for minor ones).  They are serialised — a
restart cannot race an end.  Listeners receive every new :class:`LiveSnapshot`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from desktop.bbb import BBBClient, BBBError, CreateParams, JoinParams, Meeting
from desktop.config.settings import GatewayConfig
from desktop.errors import NetworkError, PupitreError, TimeoutError_
from desktop.gateways.base import GatewayState
from desktop.gateways.errors import NoGatewayAvailable
from desktop.gateways.join_target import JoinTarget, signed_join_target, streaming_join_params
from desktop.gateways.pool import Acquired, GatewayPool
from desktop.i18n import _, ngettext
from desktop.net.http import HttpOptions
from desktop.preflight import CheckResult, Level
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor, MonitorSettings
from desktop.webinar.journal import Journal
from desktop.webinar.state import (
    ChatPanel,
    Failure,
    Health,
    HealthRow,
    HealthView,
    LiveSnapshot,
    LiveState,
    Step,
    check_transition,
)

logger = logging.getLogger(__name__)

STREAMING_USER = "streaming"


@dataclass(frozen=True)
class LiveTimings:
    """Polling intervals and step budgets (seconds)."""

    presenter_poll: float = 1.0
    presenter_timeout: float = 4 * 3600.0  # the presenter may take long; the user can cancel
    check_timeout: float = 30.0
    stream_live_timeout: float = 90.0
    gateway_down_timeout: float = 60.0
    down_poll: float = 0.5
    live_poll: float = 5.0
    misses_before_autostop: int = 2
    gateway_status_every: float = 10.0
    reminder_before_end: float = 300.0
    auto_end_grace: float | None = None  # off by default


@dataclass(frozen=True)
class LivePlan:
    """What to take live.

    Attributes:
        key: the session key ("<webinar id>:<occurrence>" or "adopted:<meetingID>").
        create: the create parameters, or None to adopt a meeting already running on the server.
        presenter_name: the name shown for the presenter in BBB.
        chat_in_stream: whether BBB's chat panel is shown in the video.
        scheduled_end: epoch seconds of the scheduled end, for reminders.
    """

    key: str
    title: str
    meeting_id: str
    room: str
    create: CreateParams | None
    presenter_name: str
    chat_in_stream: bool = True
    preferred_gateway: str | None = None
    scheduled_end: float | None = None
    webinar_id: int | None = None
    occurrence: int | None = None
    profile: str | None = None


Listener = Callable[[LiveSnapshot], None]
MonitorFactory = Callable[[str], HlsMonitor]
Preflight = Callable[["LivePlan"], Awaitable[Sequence[CheckResult]]]


class LiveSession:
    """The state machine of one webinar occurrence.

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
        self._join_url_listeners: list[Callable[[str], None]] = []
        self._op_lock = asyncio.Lock()
        self._op_task: asyncio.Task[None] | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self._monitor: HlsMonitor | None = None
        self._remove_monitor_listener: Callable[[], None] | None = None
        self._reminded: set[str] = set()
        self._last_participants: int | None = None
        self._changed = asyncio.Condition()
        self._closed = False

    # -- observation -------------------------------------------------------------------------
    def add_listener(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

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

    def _publish(self, snapshot: LiveSnapshot) -> None:
        self.snapshot = snapshot
        for listener in list(self._listeners):
            try:
                listener(snapshot)
            except Exception:
                logger.exception("live listener failed")

        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().create_task(notify())

    def _update(self, **changes: object) -> None:
        self._publish(self.snapshot.evolve(**changes))

    def _transition(self, state: LiveState, **changes: object) -> None:
        check_transition(self.snapshot.state, state)
        previous = self.snapshot.state
        snapshot = self.snapshot.evolve(state=state, since=time.time(), **changes)
        if state != LiveState.FAILED and "failure" not in changes:
            snapshot = snapshot.evolve(failure=None)
        logger.info("webinar %s (%s): %s -> %s", self.plan.meeting_id, self.plan.key,
                    previous.value, state.value)
        self._record(snapshot)
        if self.journal is not None:
            detail = snapshot.failure.sentence if snapshot.failure else snapshot.notice
            self.journal.event(self.plan.key, state.value, detail)
        self._publish(snapshot)

    def _record(self, snapshot: LiveSnapshot | None = None) -> None:
        if self.journal is None:
            return
        self.journal.record(
            snapshot or self.snapshot, webinar_id=self.plan.webinar_id, occurrence=self.plan.occurrence,
            profile=self.plan.profile,
            gw_id=self.acquired.session.gw_id if self.acquired is not None else None, pid=os.getpid())

    def _step(self, step: Step) -> None:
        self._update(steps={**self.snapshot.steps, step: time.time()})
        self._record()

    def note(self, text: str) -> None:
        """A notice from outside the state machine (recovery, a take-over), journaled."""
        self._notice(text)

    def _notice(self, text: str, *, incident: bool = False) -> None:
        logger.info("webinar %s: %s", self.plan.meeting_id, text)
        if self.journal is not None:
            self.journal.event(self.plan.key, "incident" if incident else "notice", text)
        self._update(notice=text)

    # -- intents -------------------------------------------------------------------------------
    async def go_live(self) -> None:
        """Start the whole go-live sequence in the background; returns at once, already in
        ``checking`` (so a later ``idle`` always means the go-live was cancelled)."""
        if self._op_task is not None and not self._op_task.done():
            return
        if self.snapshot.state not in (LiveState.IDLE, LiveState.ENDED, LiveState.FAILED):
            return
        self._reminded.clear()
        self._update(steps={}, notice="", live_since=None, restarting=False)
        self._transition(LiveState.CHECKING)
        self._op_task = asyncio.get_running_loop().create_task(self._guarded(self._go_live(), "checking"))

    async def start_live_again(self) -> None:
        """From ``live stopped`` (or a failed gateway step): start the gateway again."""
        async with self._op_lock:
            if self.snapshot.state not in (LiveState.LIVE_STOPPED, LiveState.FAILED):
                return
            await self._guarded(self._start_gateway(), "starting gateway")

    async def cancel(self) -> None:
        """Abandon the current working step; a gateway already started is stopped."""
        task = self._op_task
        if task is None or task.done() or not self.snapshot.state.is_working:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        async with self._op_lock:
            await self._stop_gateway_quietly()
            self._stop_monitor()
            if self.snapshot.state.is_working:
                self._transition(LiveState.IDLE, notice=_("Cancelled."), restarting=False)

    async def stop_live(self) -> None:
        """Stop the stream only; the meeting goes on (``live stopped``)."""
        await self._abort_go_live()
        async with self._op_lock:
            if (self.snapshot.state not in (LiveState.LIVE, LiveState.FAILED, LiveState.STARTING_GATEWAY)
                    or self.acquired is None):
                return
            await self._guarded(self._stop_stream(final=LiveState.LIVE_STOPPED), "stopping")

    async def restart_live(self) -> None:
        """Stop the stream, wait until it is really down, start it again."""
        await self._abort_go_live()
        async with self._op_lock:
            if self.snapshot.state not in (LiveState.LIVE, LiveState.LIVE_STOPPED, LiveState.FAILED,
                                           LiveState.STARTING_GATEWAY):
                return
            await self._guarded(self._restart(), "restarting")

    async def end_webinar(self) -> None:
        """End the BBB meeting for everyone and stop the stream."""
        await self._abort_go_live()
        async with self._op_lock:
            if self.snapshot.state == LiveState.ENDED and self.acquired is None:
                return
            await self._guarded(self._end(), "ending")

    async def toggle_chat_panel(self) -> None:
        """Ask the gateway to show or hide BBB's chat panel in the stream.

        The gateways' toggle is stateless and unconfirmed (a reply proves the command arrived,
        not the click inside the gateway's browser), so a successful reply records the opposite
        visibility as *requested*, never as the panel's state.
        """
        async with self._op_lock:
            if self.acquired is None:
                self._notice(_("No gateway is streaming: there is no chat panel to show or hide."))
                return
            try:
                await self.acquired.gateway.toggle_chat_panel(self.acquired.session)
            except PupitreError as error:
                self._notice(_("The chat panel could not be toggled: {reason}").format(reason=error.sentence),
                             incident=True)
                return
            panel = (self.snapshot.chat_panel or ChatPanel.after_start()).toggled()
            self._update(chat_panel=panel)
            self._record()
            self._notice(_chat_request_notice(panel))

    def chat_panel_seen(self, visible: bool) -> None:
        """A confirmation source saw the chat panel in the stream (``visible``).

        Nothing in Pupitre sees the panel yet (the presenter does, in the preview); this is where
        such a source would report, so that the snapshot and the journal say "confirmed".
        """
        if self.snapshot.chat_panel is None or self.acquired is None:
            return
        self._update(chat_panel=self.snapshot.chat_panel.seen(visible))
        self._record()

    async def perform(self, intent: str) -> None:
        """Run an intent by its name (the names of :data:`desktop.webinar.control.INTENTS`, as
        sent by another process or a script); "status" does nothing."""
        actions = {
            "stop-live": self.stop_live,
            "restart-live": self.restart_live,
            "end": self.end_webinar,
            "toggle-chat": self.toggle_chat_panel,
            "cancel": self.cancel,
            "start-live": self.start_live_again,
        }
        action = actions.get(intent)
        if action is not None:
            await action()
        elif intent != "status":
            raise ValueError(f"unknown intent {intent!r}")

    async def close(self) -> None:
        """Stop watching (the app quits); nothing running is stopped — the journal remembers it."""
        self._closed = True
        for task in (self._op_task, self._watch_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._stop_monitor()

    # -- the go-live sequence ------------------------------------------------------------------
    async def _go_live(self) -> None:
        async with asyncio.timeout(self.timings.check_timeout):
            await self._preflight()
        if self.plan.create is None:
            await self._adopt()
        else:
            self._transition(LiveState.CREATING)
            created = await self.bbb.create(self.plan.create)
            if created.duplicate:
                await self._check_meeting_is_ours()
            self.create_time = created.create_time
            self._step(Step.MEETING_CREATED)
            self._offer_join_url()
            self._transition(LiveState.WAITING_FOR_PRESENTER)
            await self._wait_for_presenter()
            self._step(Step.PRESENTER_JOINED)
        async with self._op_lock:
            await self._start_gateway()

    async def _preflight(self) -> None:
        """BBB reachable and the secret accepted, at least one usable gateway, its HLS address."""
        if not self.pool.names:
            raise PupitreError(_("No streaming gateway is configured."),
                               hint=_("Add one in the settings or with “pupitre gateway add”."))
        if self._preflight_checks is None:
            await self.bbb.api_info()
            await self.bbb.get_meetings()  # signed: proves the secret and the algorithm
            return
        results = await self._preflight_checks(self.plan)
        for result in results:
            if result.name.startswith("bbb.") and result.level == Level.ERROR:
                raise PupitreError(result.sentence, hint=result.hint)
        failing: dict[str, str] = {}
        for result in results:
            if result.name.startswith(("gateway.", "stream.")) and result.level == Level.ERROR and result.subject:
                failing.setdefault(result.subject, result.sentence)
        usable = [name for name in self.pool.names if name not in failing]
        if not usable:
            raise PupitreError(_("No gateway is usable: {reasons}").format(reasons=" ".join(failing.values())),
                               hint=_("Check the gateways' addresses and tokens in the settings."))
        if failing:
            self._notice(_("Some gateways will be skipped: {reasons}").format(reasons=" ".join(failing.values())),
                         incident=True)

    async def _check_meeting_is_ours(self) -> None:
        """``create`` said the meeting exists: make sure it is this webinar's, not a namesake's
        (meeting IDs are only unique per computer)."""
        assert self.plan.create is not None
        ours = self.plan.create.meta.get("pupitre-webinar")
        if not ours:
            return
        info = await self.bbb.get_meeting_info(self.plan.meeting_id)
        theirs = info.metadata.get("pupitre-webinar")
        if theirs != ours:
            raise PupitreError(
                _("A different meeting with the ID “{meeting_id}” is already running on the server.").format(
                    meeting_id=self.plan.meeting_id),
                hint=_("Rename the webinar's meeting ID or wait until that meeting ends."))

    async def _adopt(self) -> None:
        try:
            info = await self.bbb.get_meeting_info(self.plan.meeting_id)
        except BBBError as error:
            if error.message_key != "notFound":
                raise
            raise PupitreError(
                _("The meeting “{meeting_id}” does not exist on the server.").format(meeting_id=self.plan.meeting_id),
                hint=_("Pick it in the list of running meetings, or check its ID.")) from None
        if not info.running:
            raise PupitreError(
                _("The meeting “{meeting_id}” is not running on the server.").format(meeting_id=self.plan.meeting_id),
                hint=_("Start it from its own tool (Moodle, Greenlight...) first."))
        self.create_time = info.create_time
        steps = dict(self.snapshot.steps)
        steps[Step.MEETING_CREATED] = info.create_time / 1000
        steps[Step.PRESENTER_JOINED] = (info.start_time or info.create_time) / 1000
        self._update(steps=steps)
        self._offer_join_url()

    def _offer_join_url(self) -> None:
        self.presenter_join_url = self.bbb.join_url(JoinParams(
            full_name=self.plan.presenter_name, meeting_id=self.plan.meeting_id, role="MODERATOR",
            create_time=self.create_time))
        for listener in list(self._join_url_listeners):
            try:
                listener(self.presenter_join_url)
            except Exception:
                logger.exception("join-url listener failed")

    async def _wait_for_presenter(self) -> None:
        async with asyncio.timeout(self.timings.presenter_timeout):
            while True:
                try:
                    if await self.bbb.is_meeting_running(self.plan.meeting_id):
                        return
                except NetworkError as error:  # keep waiting; say so
                    self._update(health=_with(self.snapshot.health,
                                              meeting=HealthRow(Health.BAD, error.sentence)))
                await asyncio.sleep(self.timings.presenter_poll)  # poll interval

    async def _start_gateway(self) -> None:
        self._transition(LiveState.STARTING_GATEWAY, failure=None, live_since=None)
        steps = {k: v for k, v in self.snapshot.steps.items()
                 if k not in (Step.GATEWAY_STARTED, Step.STREAM_LIVE)}
        self._update(steps=steps)
        try:
            acquired = await self.pool.acquire(self._target_for, preferred=self.plan.preferred_gateway,
                                               on_attempt=self._journal_start_attempt)
        except NoGatewayAvailable as error:
            self._close_refused_attempts(dict(error.reasons))
            if not any(isinstance(reason, TimeoutError_) for reason in error.reasons.values()):
                self._update(gateway=None)  # no start can still be on its way: nothing to recover
            raise
        self.acquired = acquired
        self._close_refused_attempts(dict(acquired.skipped))
        self._update(gateway=acquired.name, room=acquired.session.room, chat_panel=ChatPanel.after_start(),
                     audience_url=acquired.config.audience_page_url or acquired.config.hls_url)
        if acquired.skipped:
            # TRANSLATORS: {reasons} lists "gateway: why it was skipped" items
            reasons = _("; ").join(_("{gateway}: {reason}").format(gateway=n, reason=e.sentence)
                                   for n, e in acquired.skipped.items())
            self._notice(_("Used gateway “{gateway}” because {reasons}.").format(gateway=acquired.name, reasons=reasons),
                         incident=True)
        self._step(Step.GATEWAY_STARTED)
        self._ensure_watching()
        if not self.plan.chat_in_stream:
            await self._hide_chat_panel_once()
        monitor = self._start_monitor(acquired.config.hls_url)
        try:
            await monitor.wait_for(lambda h: h.is_live and h.new_segments >= 1,
                                   self.timings.stream_live_timeout)
        except PupitreError:
            await self._stop_gateway_quietly()
            raise PupitreError(
                _("The audience stream did not start within {seconds} s.").format(
                    seconds=f"{self.timings.stream_live_timeout:.0f}"),
                hint=_("Check the gateway's RTMP address and the streaming server; then restart the live."),
            ) from None
        self._step(Step.STREAM_LIVE)
        panel = self.snapshot.chat_panel
        hide_pending = panel is not None and not panel.visible and not panel.confirmed
        self._transition(LiveState.LIVE, live_since=time.time(), restarting=False,
                         notice=_("The webinar is live. Hiding the chat in the stream was requested; the "
                                  "gateway cannot confirm it: check the preview.") if hide_pending
                         else _("The webinar is live."))

    def _released(self, acquired: Acquired) -> None:
        """``acquired`` was stopped: free it in the pool and close its row in the history."""
        self.pool.release(acquired)
        self.acquired = None
        if self.journal is not None:
            self.journal.gateway_stopped(self.plan.key, acquired.name, acquired.session.room)

    def _close_refused_attempts(self, reasons: dict[str, PupitreError]) -> None:
        """Gateways this start opened in the history but that refused it (busy, unreachable...)
        never started: close their rows — except after a timeout, when the start may still land."""
        opened, self._attempts = self._attempts, {}
        if self.journal is None:
            return
        for name, error in reasons.items():
            if name in opened and not isinstance(error, TimeoutError_):
                self.journal.gateway_stopped(self.plan.key, name, opened[name])

    def _journal_start_attempt(self, gateway: str, room: str) -> None:
        """Journal the candidate gateway and room *before* ``/start`` is sent.

        If Pupitre dies while the request is in flight, the gateway may come up afterwards; with
        the candidate journaled, recovery can ask that gateway about the room and stop it.
        """
        self._update(gateway=gateway, room=room)
        self._record()
        if self.journal is not None and self.journal.gateway_started(self.plan.key, gateway, room):
            self._attempts[gateway] = room

    def _target_for(self, config: GatewayConfig) -> JoinTarget:
        if config.join_mode == "join-page" and config.join_page_url:
            # the page may be per meeting: {meeting_id} and {room} are filled in
            page = config.join_page_url.replace("{meeting_id}", quote(self.plan.meeting_id, safe="")) \
                .replace("{room}", self.plan.room)
            return JoinTarget.from_join_page(page)
        parts = urlsplit(self.bbb.api_base)
        # the gateway always opens https://{domain}/{room} (reference §3.3)
        endpoint = urlunsplit(("https", parts.netloc, parts.path.rstrip("/") + "/join", "", ""))
        params = streaming_join_params(
            self.plan.meeting_id, create_time=str(self.create_time) if self.create_time else None)
        return signed_join_target(lambda q: self.bbb.raw_checksum("join", q), endpoint, params, self.plan.room)

    async def _hide_chat_panel_once(self) -> None:
        """The webinar keeps the chat out of the video: one toggle after the start, recorded as a
        request (BBB shows the panel after every start; the gateway cannot confirm the hide)."""
        assert self.acquired is not None
        try:
            await self.acquired.gateway.toggle_chat_panel(self.acquired.session)
        except PupitreError as error:
            self._notice(_("The chat panel could not be hidden in the stream: {reason}").format(reason=error.sentence),
                         incident=True)
            return
        panel = (self.snapshot.chat_panel or ChatPanel.after_start()).toggled()
        self._update(chat_panel=panel)
        self._record()
        self._notice(_chat_request_notice(panel))

    # -- stopping ----------------------------------------------------------------------------------
    async def _stop_stream(self, *, final: LiveState, notice: str = "") -> None:
        self._transition(LiveState.STOPPING)
        acquired = self.acquired
        if acquired is not None:
            await acquired.gateway.stop(acquired.session)
            await self._wait_until_down(acquired)
            self._released(acquired)
        self._stop_monitor()
        self._transition(final, chat_panel=None, live_since=None, restarting=False,
                         notice=notice or (_("The live is stopped; the meeting goes on.")
                                           if final == LiveState.LIVE_STOPPED else _("The webinar has ended.")))

    async def _restart(self) -> None:
        self._update(restarting=True)
        if self.acquired is not None:
            self._transition(LiveState.STOPPING, restarting=True)
            acquired = self.acquired
            await acquired.gateway.stop(acquired.session)
            await self._wait_until_down(acquired)
            self._released(acquired)
            self._stop_monitor()
        await self._start_gateway()

    async def _end(self) -> None:
        if self.snapshot.state != LiveState.STOPPING:
            self._transition(LiveState.STOPPING)

        async def end_meeting() -> None:
            try:
                await self.bbb.end(self.plan.meeting_id)
            except BBBError as error:
                if error.message_key != "notFound":
                    raise

        async def stop_gateway() -> None:
            if self.acquired is not None:
                acquired = self.acquired
                await acquired.gateway.stop(acquired.session)
                self._released(acquired)

        results = await asyncio.gather(end_meeting(), stop_gateway(), return_exceptions=True)
        self._stop_monitor()
        errors = [r for r in results if isinstance(r, BaseException)]
        for error in errors:
            if not isinstance(error, PupitreError):
                raise error
        if errors:
            raise errors[0]
        self._stop_watching()
        self._transition(LiveState.ENDED, chat_panel=None, live_since=None,
                         notice=_("The webinar has ended."))

    async def _wait_until_down(self, acquired: Acquired) -> None:
        """After ``stop``: until the gateway reports down or the stream stops advancing."""
        has_status = acquired.gateway.capabilities.has_status

        def stream_stopped(health: StreamHealth | None) -> bool:
            return health is not None and (health.state in (StreamState.STALLED, StreamState.ENDED,
                                                            StreamState.WAITING, StreamState.UNREACHABLE)
                                           or (health.state == StreamState.LIVE and not health.advancing
                                               and health.since_last_advance is not None
                                               and health.since_last_advance > 2 * self.timings.down_poll))

        try:
            async with asyncio.timeout(self.timings.gateway_down_timeout):
                while True:
                    if has_status is not False:
                        try:
                            status = await acquired.gateway.status(acquired.session)
                            if status.state == GatewayState.DOWN:
                                return
                        except PupitreError:
                            pass
                    if self._monitor is not None and stream_stopped(self._monitor.latest):
                        return
                    await asyncio.sleep(self.timings.down_poll)  # poll interval
        except TimeoutError:
            raise PupitreError(
                _("The gateway “{gateway}” did not stop within {seconds} s.").format(
                    gateway=acquired.name, seconds=f"{self.timings.gateway_down_timeout:.0f}"),
                hint=_("It may still be streaming: check it, then try again.")) from None

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

    async def _abort_go_live(self) -> None:
        """Another intent wins over a go-live in progress: cancel it and fall back to idle."""
        task = self._op_task
        if task is not None and not task.done() and self.snapshot.state.is_working:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if self.snapshot.state.is_working and self.acquired is None:
                self._transition(LiveState.IDLE)

    # -- failure handling ------------------------------------------------------------------------
    async def _guarded(self, work: Awaitable[None], step: str) -> None:
        """Run a step; turn failures into the FAILED state with one sentence, never a traceback."""
        try:
            await work
        except asyncio.CancelledError:
            raise
        except TimeoutError:
            await self._fail(self._current_step(step), PupitreError(
                _("The step “{step}” took too long.").format(step=self._current_step(step)),
                hint=_("Check the servers' state, then try again.")))
        except PupitreError as error:
            await self._fail(self._current_step(step), error)
        except Exception as error:  # a bug: logged with its traceback, shown as one sentence
            logger.exception("webinar %s: unexpected error", self.plan.meeting_id)
            await self._fail(self._current_step(step), PupitreError(
                _("Pupitre hit an internal error ({kind}).").format(kind=error.__class__.__name__),
                hint=_("The log file has the details; please report it.")))

    def _current_step(self, fallback: str) -> str:
        state = self.snapshot.state
        return state.value if state.is_working or state == LiveState.STOPPING else fallback

    async def _fail(self, step: str, error: PupitreError) -> None:
        logger.warning("webinar %s failed in %s: %s", self.plan.meeting_id, step, error.sentence)
        if self.snapshot.state == LiveState.STARTING_GATEWAY and self.acquired is not None:
            await self._stop_gateway_quietly()
        if self.acquired is None:
            self._stop_monitor()
        self._transition(LiveState.FAILED, failure=Failure(step, error.sentence, error.hint),
                         restarting=False)

    # -- watching while live -----------------------------------------------------------------------
    def _ensure_watching(self) -> None:
        if self._watch_task is None or self._watch_task.done():
            self._watch_task = asyncio.get_running_loop().create_task(self._watch())

    def _stop_watching(self) -> None:
        task = self._watch_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()

    async def _watch(self) -> None:
        """While a gateway may stream or the meeting runs: meeting, gateway, end detection."""
        misses = 0
        last_status = 0.0
        try:
            while not self._closed:
                await asyncio.sleep(self.timings.live_poll)  # the live poll interval
                state = self.snapshot.state
                if state in (LiveState.ENDED, LiveState.IDLE):
                    return
                running = await self._poll_meeting()
                if running is False:
                    misses += 1
                    if misses >= self.timings.misses_before_autostop and not state.is_working:
                        await self._auto_stop()
                        return
                elif running is True:
                    misses = 0
                now = time.monotonic()
                if self.acquired is not None and now - last_status >= self.timings.gateway_status_every:
                    last_status = now
                    await self._poll_gateway()
                await self._scheduled_end()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("webinar %s: the live watcher failed", self.plan.meeting_id)

    async def _poll_meeting(self) -> bool | None:
        health = self.snapshot.health
        try:
            running = await self.bbb.is_meeting_running(self.plan.meeting_id)
        except PupitreError as error:
            self._update(health=_with(health, meeting=HealthRow(
                Health.BAD, _("BBB could not be asked: {reason}").format(reason=error.sentence))))
            return None
        if not running:
            self._update(health=_with(health, meeting=HealthRow(
                Health.BAD, _("BBB says the meeting is not running."))))
            return False
        participants: int | None = None
        gateway_in = None
        with contextlib.suppress(PupitreError):
            info = await self.bbb.get_meeting_info(self.plan.meeting_id)
            participants = info.participant_count
            gateway_in = _streaming_user_present(info)
        if participants is None:
            text = _("The meeting is running.")
        else:
            text = ngettext("The meeting is running ({count} participant).",
                            "The meeting is running ({count} participants).",
                            participants).format(count=participants)
        changes: dict[str, object] = {"meeting": HealthRow(Health.GOOD, text), "participants": participants}
        if self.acquired is not None and gateway_in is not None and not self.acquired.gateway.capabilities.has_status:
            changes["gateway"] = HealthRow(Health.GOOD if gateway_in else Health.WARNING,
                                           _("The gateway's user is in the meeting.") if gateway_in
                                           else _("The gateway's user is not in the meeting yet."))
        self._update(health=_with(self.snapshot.health, **changes))
        if participants is not None and participants != self._last_participants and self.journal is not None:
            self.journal.event(self.plan.key, "participants", str(participants))  # for the peak in the report
        self._last_participants = participants if participants is not None else self._last_participants
        return True

    async def _poll_gateway(self) -> None:
        assert self.acquired is not None
        acquired = self.acquired
        try:
            status = await acquired.gateway.status(acquired.session)
        except PupitreError as error:
            # a transport sentence names a host; the presenter knows the gateway by its name
            text = error.sentence if acquired.name in error.sentence else \
                _("The gateway “{gateway}” could not be asked: {reason}").format(
                    gateway=acquired.name, reason=error.sentence)
            row = HealthRow(Health.BAD, text)
        else:
            if status.state == GatewayState.UP:
                row = HealthRow(Health.GOOD, _("The gateway “{gateway}” is up.").format(gateway=acquired.name))
            elif status.state == GatewayState.DOWN:
                row = HealthRow(Health.BAD, _("The gateway “{gateway}” reports it is down.").format(
                    gateway=acquired.name))
            else:
                return  # no status on this gateway: the attendee check stands in
        self._update(health=_with(self.snapshot.health, gateway=row))

    async def _auto_stop(self) -> None:
        async with self._op_lock:
            if self.snapshot.state in (LiveState.ENDED, LiveState.IDLE):
                return
            self._notice(_("The meeting ended on the server: stopping the live."), incident=True)
            try:
                if self.snapshot.state != LiveState.STOPPING:
                    self._transition(LiveState.STOPPING)
                if self.acquired is not None:
                    acquired = self.acquired
                    await acquired.gateway.stop(acquired.session)
                    self.pool.release(acquired)
                    self.acquired = None
            except PupitreError as error:
                await self._fail("stopping", error)
                return
            self._stop_monitor()
            self._transition(LiveState.ENDED, chat_panel=None, live_since=None,
                             notice=_("The meeting ended, so the live was stopped automatically."))

    async def _scheduled_end(self) -> None:
        end = self.plan.scheduled_end
        if end is None:
            return
        now = time.time()
        if now >= end - self.timings.reminder_before_end and "before" not in self._reminded:
            self._reminded.add("before")
            minutes = max(0, round((end - now) / 60))
            self._notice(_("The webinar is scheduled to end in {minutes} min.").format(minutes=minutes))
        if now >= end and "end" not in self._reminded:
            self._reminded.add("end")
            self._notice(_("The webinar's scheduled end has come."))
        grace = self.timings.auto_end_grace
        if grace is not None and now >= end + grace and "auto-end" not in self._reminded:
            self._reminded.add("auto-end")
            self._notice(_("Ending the webinar automatically after its scheduled end."), incident=True)
            asyncio.get_running_loop().create_task(self.end_webinar())

    # -- the stream monitor -----------------------------------------------------------------------
    def _start_monitor(self, url: str) -> HlsMonitor:
        if self._monitor is not None and self._monitor.url == url:
            return self._monitor
        self._stop_monitor()
        monitor = self._monitor_factory(url)
        self._monitor = monitor
        self._remove_monitor_listener = monitor.add_listener(self._on_stream_health)
        monitor.start()
        return monitor

    def _stop_monitor(self) -> None:
        if self._remove_monitor_listener is not None:
            self._remove_monitor_listener()
            self._remove_monitor_listener = None
        monitor = self._monitor
        self._monitor = None
        if monitor is not None:
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(monitor.aclose())

    def _on_stream_health(self, health: StreamHealth) -> None:
        level = {StreamState.LIVE: Health.GOOD if health.advancing or health.new_segments == 0 else Health.WARNING,
                 StreamState.WAITING: Health.WARNING}.get(health.state, Health.BAD)
        if self.snapshot.state == LiveState.STARTING_GATEWAY and health.state == StreamState.WAITING:
            level = Health.WARNING
        self._update(health=_with(self.snapshot.health, stream=HealthRow(level, health.describe())))
        if self.snapshot.state == LiveState.LIVE and level == Health.BAD and self.journal is not None:
            self.journal.event(self.plan.key, "incident", health.describe())

    def stream_health(self) -> StreamHealth | None:
        return None if self._monitor is None else self._monitor.latest

    # -- chat health (set by the chat pipeline) ------------------------------------------------
    def set_chat_health(self, level: Health, text: str) -> None:
        self._update(health=_with(self.snapshot.health, chat=HealthRow(level, text)))

    # -- recovery ------------------------------------------------------------------------------
    def resume(self, *, state: LiveState, acquired: Acquired | None, steps: dict[Step, float],
               chat_panel: ChatPanel | None, live_since: float | None) -> None:
        """Take over a live found by recovery: watch it again (and its stream)."""
        self.acquired = acquired
        if acquired is not None:
            self.pool.mark_in_use(acquired.name)
        self._publish(self.snapshot.evolve(
            state=state, steps=steps, chat_panel=chat_panel, live_since=live_since,
            gateway=acquired.name if acquired else None,
            room=acquired.session.room if acquired else self.plan.room,
            audience_url=(acquired.config.audience_page_url or acquired.config.hls_url) if acquired else None,
            notice=_("Monitoring resumed after a restart of Pupitre.")))
        self._record()
        if acquired is not None:
            self._start_monitor(acquired.config.hls_url)
        self._ensure_watching()


def _chat_request_notice(panel: ChatPanel) -> str:
    """What the presenter reads once a toggle was accepted: a request, to check in the preview."""
    if panel.visible:
        return _("Showing the chat in the stream was requested; the gateway cannot confirm it: "
                 "check the preview.")
    return _("Hiding the chat in the stream was requested; the gateway cannot confirm it: "
             "check the preview.")


def _with(health: HealthView, **changes: Any) -> HealthView:
    return replace(health, **changes)


def _streaming_user_present(info: Meeting) -> bool:
    return any(a.full_name == STREAMING_USER or "pupitre_room" in a.customdata for a in info.attendees)

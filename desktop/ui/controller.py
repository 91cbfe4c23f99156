"""The one object between the core and the widgets.

:class:`WebinarController` owns the :class:`~desktop.webinar.manager.WebinarManager` (and the
lab, when the console runs on it), turns each session's updates — its snapshot and the typed
events the session says produced it — into Qt signals, and turns the widgets' intents into
:meth:`~desktop.webinar.session.LiveSession.perform` calls scheduled on the qasync loop — a slot
never waits for the network.  It also owns what belongs to "the process that owns a live": the
:class:`~desktop.webinar.control.ControlServer` (so ``pupitre webinar stop-live`` typed in a
terminal reaches this window, exactly as it reaches ``pupitre webinar start``), the presenter's
join link opened in the browser, the reminders before a scheduled start, the notifications
(live started, stream problem, stopped by the auto-stop, the scheduled end or another process,
failure — each from the session's event, never from comparing snapshots) and the crash-recovery
offer at start.

No protocol logic here: every decision about BBB, gateways and streams is the core's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication

from desktop.bbb.models import Meeting
from desktop.config.settings import Settings
from desktop.errors import ConfigError, PupitreError
from desktop.i18n import _
from desktop.schedule.localtime import system_timezone
from desktop.schedule.models import Webinar, WebinarOptions
from desktop.ui.chat_hub import ChatHub
from desktop.ui.notifications import NotificationKind
from desktop.ui.question_announcer import QuestionAnnouncer
from desktop.ui.reminders import due_reminders
from desktop.ui.tray import NextWebinar
from desktop.ui.workspace import Workspace, lab_workspace
from desktop.webinar.control import (
    AlreadyOwned,
    ControlServer,
    claim_or_refuse,
    find_owner,
    refuse_sentence,
    release,
)
from desktop.webinar.events import (
    HealthChanged,
    LiveEvent,
    LiveFailed,
    LiveStopped,
    LiveUpdate,
    Origin,
    StateChanged,
    StepReached,
    WentLive,
)
from desktop.webinar.session_key import SessionKey
from desktop.webinar.state import Intent, IntentRefused, LiveSnapshot, LiveState, Step

if TYPE_CHECKING:  # the lab (aiohttp, PyAV, the emulators) is imported only when it is used
    from desktop.lab.runner import Lab, LabOptions
if TYPE_CHECKING:  # the core (httpx, sessions, recovery) loads when a workspace opens (issue 13)
    from desktop.net.http import HttpOptions
    from desktop.schedule.occurrences import Occurrence
    from desktop.schedule.store import ScheduleStore
    from desktop.secrets import SecretStore
    from desktop.webinar.manager import WebinarManager
    from desktop.webinar.recovery import Recommendation, Reconciliation
    from desktop.webinar.session import LiveSession, LiveTimings

logger = logging.getLogger(__name__)

REMINDER_TICK_MS = 15_000
STREAM_PROBLEM_INTERVAL = 120.0
"""At most one "stream problem" notification per webinar in this many seconds."""
NEXT_WEBINAR_HORIZON = timedelta(days=31)
"""How far the "next webinar" looks past one already taken up."""
UPCOMING_HORIZON = timedelta(days=60)
DEMO_START_IN = timedelta(minutes=2)


class WebinarController(QObject):
    """Bridges the core (asyncio) and the widgets (Qt signals).

    Attributes:
        workspace: what the core runs on (None until :meth:`open_workspace`).
        manager: the core (None until a workspace is open).
        control: the control server announcing the sessions this process owns.
        chats: the audience chat of each session (pipeline + log), started once the presenter
            has joined.
        question_announcer: tells screen readers about new questions, once per burst.

    Signals:
        workspace_opened(bool): the core is ready (True: on the lab); show the console.
        schedule_changed: the schedule was edited; lists re-read :meth:`upcoming`.
        snapshot_changed(str, object): one session's new LiveSnapshot (key, snapshot).
        live_events(str, object): what happened to produce it (key, tuple of
            :mod:`desktop.webinar.events`), emitted right after its snapshot_changed.
        snapshots_changed(list): every session's current snapshot (tray, app-wide state).
        next_webinar_changed(object): the next scheduled NextWebinar, or None.
        running_meetings_changed(list): meetings running on the BBB server (bbb Meeting list).
        running_meetings_failed(str): the server could not be asked (one sentence).
        notification_requested(str, str, str): kind, title, text.
        unread_changed(int): unread audience messages (set by the chat window through
            :meth:`set_unread`).
        open_chat_requested(str): open the chat window of that session key.
        recovery_offered(list): Reconciliation list found at start (not owned by another process).
        recovery_applied(str, str, str): key, choice, "" or the failure sentence.
        join_url_opened(str, str): key, URL handed to the browser.
        busy_changed(bool): a long operation (lab start) is running.
        welcome_needed: nothing is configured: show the welcome page.
    """

    workspace_opened = Signal(bool)
    schedule_changed = Signal()
    snapshot_changed = Signal(str, object)
    live_events = Signal(str, object)
    snapshots_changed = Signal(list)
    next_webinar_changed = Signal(object)
    running_meetings_changed = Signal(list)
    running_meetings_failed = Signal(str)
    notification_requested = Signal(str, str, str)
    unread_changed = Signal(int)
    open_chat_requested = Signal(str)
    recovery_offered = Signal(list)
    recovery_applied = Signal(str, str, str)
    join_url_opened = Signal(str, str)
    busy_changed = Signal(bool)
    welcome_needed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        timings: LiveTimings | None = None,
        lab_options: LabOptions | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.manager: WebinarManager | None = None
        self.control: ControlServer | None = None
        self._timings = timings
        self.lab_options = lab_options
        self._clock = clock
        self._monotonic = monotonic
        self._tasks: set[asyncio.Task[Any]] = set()
        self._attached: set[str] = set()
        self._stream_warned: dict[str, float] = {}
        self._reminders_sent: set[tuple[int, int, int]] = set()
        self._next: NextWebinar | None = None
        self._unread = 0
        self.chats = ChatHub(self)
        self.chats.question_arrived.connect(self._question_arrived)
        self.question_announcer = QuestionAnnouncer(self)  # the shell points it at the main window
        self._reminder_timer = QTimer(self)
        self._reminder_timer.setObjectName("reminderTimer")
        self._reminder_timer.setInterval(REMINDER_TICK_MS)
        self._reminder_timer.timeout.connect(self.check_schedule)

    # -- opening ------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.manager is not None

    @property
    def settings(self) -> Settings | None:
        return None if self.workspace is None else self.workspace.settings

    @property
    def secrets(self) -> SecretStore | None:
        return None if self.workspace is None else self.workspace.secrets

    @property
    def schedule(self) -> ScheduleStore:
        if self.manager is None:
            raise ConfigError("Nothing is configured yet.")
        return self.manager.schedule

    async def start(self, user: Workspace, *, lab: bool = False, lab_options: LabOptions | None = None) -> None:
        """At start: the lab (``--lab``), else the user's set-up and the recovery offer, else the
        welcome page when nothing is configured."""
        if lab:
            await self.start_lab(lab_options)
        elif user.settings.is_configured:
            await self.open_workspace(user)
            await self.check_recovery()
        else:
            self.welcome_needed.emit()

    async def open_workspace(self, workspace: Workspace) -> None:
        """Open the core on ``workspace`` (closing any previous one) and serve remote intents."""
        await self._close_core(discard=workspace is not self.workspace)
        self.workspace = workspace
        from desktop.webinar.manager import WebinarManager  # the core, once the window shows

        self.manager = WebinarManager(workspace.paths, workspace.settings, workspace.secrets,
                                      timings=self._timings)
        self.manager.add_update_listener(self._on_update)  # lives stopped by crash recovery
        self.control = ControlServer(workspace.paths.data_dir / "run", self._remote_intent)
        await self.control.start()
        self._reminder_timer.start()
        self.workspace_opened.emit(workspace.is_lab)
        for problem in workspace.settings.problems():  # a mistyped preference: its default is used
            self.notification_requested.emit(NotificationKind.WARNING, self.tr("A setting cannot be used"), problem)
        self.schedule_changed.emit()
        self.check_schedule()

    async def start_lab(self, options: LabOptions | None = None) -> Lab:
        """Start the lab in this process on loopback and open the console on it, with a demo
        webinar two minutes from now so the list is not empty."""
        self.busy_changed.emit(True)
        try:
            from desktop.lab.runner import Lab, LabOptions  # only when the lab is asked for

            lab = Lab(options or self.lab_options or LabOptions())
            await lab.start()
            try:
                workspace = lab_workspace(lab)
                await self.open_workspace(workspace)
            except BaseException:
                await lab.stop()
                raise
            self.add_webinar(self.demo_webinar())
            # no notification here: the console's lab note says it, once (issue 15)
            return lab
        finally:
            self.busy_changed.emit(False)

    def apply_saved_settings(self) -> None:
        """The settings dialog saved: reopen the core on them, unless a webinar is in progress
        (its session keeps the servers it started with; the change applies to the next live)."""
        if self.workspace is None:
            return
        busy = [s for s in self.snapshots() if not s.state.is_final]
        if busy:
            self.notification_requested.emit(
                NotificationKind.INFO, self.tr("Settings saved"),
                self.tr("They apply once the webinar in progress has ended and Pupitre is restarted."))
            return
        self.spawn(self.open_workspace(self.workspace), self.tr("Applying the settings"))

    def demo_webinar(self) -> Webinar:
        start = datetime.fromtimestamp(self._clock(), UTC).replace(second=0, microsecond=0) + DEMO_START_IN
        return Webinar(title=self.tr("Demo webinar"), start=start, duration=timedelta(minutes=45),
                       timezone=system_timezone(), options=WebinarOptions())

    async def aclose(self) -> None:
        """Stop watching (the app quits): lives keep running; the journal remembers them."""
        self._reminder_timer.stop()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._close_core()

    async def _close_core(self, *, discard: bool = True) -> None:
        # work still running against the old core (a meetings refresh...) must not outlive it
        others = [task for task in self._tasks if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        for task in others:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        try:
            await self.chats.aclose()
            if self.control is not None:
                control, self.control = self.control, None
                await control.close()
            if self.manager is not None:
                manager, self.manager = self.manager, None
                await manager.aclose()
        finally:
            if self.workspace is not None:
                workspace, self.workspace = self.workspace, None
                if discard:
                    await workspace.discard()
        self._attached.clear()

    # -- tasks ----------------------------------------------------------------------------------
    def spawn(self, work: Coroutine[Any, Any, Any], what: str = "") -> asyncio.Task[Any]:
        """Run ``work`` on the loop; a PupitreError becomes an error notification."""
        task = asyncio.ensure_future(self._reported(work, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # a task cancelled before it ran (the app quits) never started ``work``: close it quietly
        task.add_done_callback(lambda _task: work.close())
        return task

    async def _reported(self, work: Coroutine[Any, Any, Any], what: str) -> Any:
        try:
            return await work
        except PupitreError as error:
            logger.info("%s failed: %s", what or "an action", error.sentence)
            self.notification_requested.emit(NotificationKind.ERROR, what or self.tr("Something failed"),
                                             error.sentence + (f" {error.hint}" if error.hint else ""))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s failed", what or "an action")
            self.notification_requested.emit(
                NotificationKind.ERROR, self.tr("Something went wrong"),
                self.tr("Pupitre hit an unexpected error and carried on. Details are in the log."))
        return None

    # -- schedule ---------------------------------------------------------------------------------
    def upcoming(self, horizon: timedelta = UPCOMING_HORIZON) -> list[Any]:
        """Upcoming occurrences (one running now first), cancelled ones included."""
        if self.manager is None:
            return []
        now = datetime.fromtimestamp(self._clock(), UTC)
        return self.manager.schedule.upcoming(now, horizon)

    def add_webinar(self, webinar: Webinar) -> Webinar:
        saved = self.schedule.add(webinar)
        self.schedule_changed.emit()
        self.check_schedule()
        return saved

    def update_webinar(self, webinar: Webinar) -> Webinar:
        saved = self.schedule.update(webinar).webinar
        self.schedule_changed.emit()
        self.check_schedule()
        return saved

    def edit_occurrence(self, webinar_id: int, index: int, *, start: datetime, duration: timedelta,
                        title: str) -> None:
        self.schedule.edit_occurrence(webinar_id, index, start=start, duration=duration, title=title)
        self.schedule_changed.emit()
        self.check_schedule()

    def webinar_is_engaged(self, webinar_id: int) -> bool:
        """Whether an occurrence of this webinar is being taken live, live, or has its meeting."""
        return any(_webinar_of(snapshot.key) == webinar_id and not snapshot.state.is_final
                   for snapshot in self.snapshots())

    def remove_webinar(self, webinar_id: int) -> None:
        self.schedule.remove(webinar_id)
        self.schedule_changed.emit()
        self.check_schedule()

    def check_schedule(self) -> None:
        """Reminders before a scheduled start and the tray's "next webinar" (a timer calls it)."""
        if self.manager is None:
            return
        now = datetime.fromtimestamp(self._clock(), UTC)
        try:
            soon = self.manager.schedule.upcoming(now, timedelta(hours=1), include_cancelled=False)
            following = self.manager.schedule.next_occurrence(now)
        except PupitreError as error:
            logger.warning("schedule check failed: %s", error.sentence)
            return
        minutes = self.manager.settings.preference("notify_before_start_minutes") or []
        for reminder in due_reminders(soon, now, minutes, self._reminders_sent):
            occurrence = reminder.occurrence
            self.notification_requested.emit(
                NotificationKind.INFO,
                self.tr("%1 starts in %n minute(s)", "", reminder.minutes).replace("%1", occurrence.title),
                self.tr("Scheduled at %1. Open the console to go live.").replace(
                    "%1", occurrence.start.strftime("%H:%M")))
        if following is not None and self._taken_up(following):
            # the header and the tray announce what comes *next*, not the webinar already on
            try:
                later = self.manager.schedule.upcoming(now, NEXT_WEBINAR_HORIZON, include_cancelled=False)
            except PupitreError as error:
                logger.warning("schedule check failed: %s", error.sentence)
                later = []
            following = next((o for o in later if o.start > now and not self._taken_up(o)), None)
        upcoming = None
        if following is not None:
            upcoming = NextWebinar(following.title, following.start.timestamp())
        if upcoming != self._next:
            self._next = upcoming
            self.next_webinar_changed.emit(upcoming)

    def _taken_up(self, occurrence: Occurrence) -> bool:
        """This occurrence has a session that left idle (live, being prepared, or over)."""
        session = self.session(str(SessionKey.of_occurrence(occurrence.webinar_id, occurrence.index)))
        return session is not None and session.snapshot.state is not LiveState.IDLE

    @property
    def next_webinar(self) -> NextWebinar | None:
        return self._next

    # -- sessions ----------------------------------------------------------------------------------
    def session(self, key: str) -> LiveSession | None:
        return None if self.manager is None else self.manager.find(key)

    def snapshot_for(self, key: str) -> LiveSnapshot | None:
        """The session's snapshot, or an idle one for a scheduled occurrence or adoptable meeting."""
        session = self.session(key)
        if session is not None:
            return session.snapshot
        parsed = SessionKey.parse_or_none(key)
        if parsed is None or self.manager is None:
            return None
        if parsed.meeting_id is not None:
            plan = self.manager.adopted_plan(parsed)
            if plan is None:
                return None
            return LiveSnapshot(key=key, title=plan.title, meeting_id=plan.meeting_id, room=plan.room)
        assert parsed.webinar_id is not None and parsed.occurrence is not None
        try:
            webinar = self.manager.schedule.get(parsed.webinar_id)
            occurrence = self.manager.schedule.occurrence(parsed.webinar_id, parsed.occurrence)
        except PupitreError:
            return None
        title = occurrence.title if occurrence is not None and occurrence.title else webinar.title
        return LiveSnapshot(key=key, title=title, meeting_id=webinar.meeting_id, room=webinar.room)

    def snapshots(self) -> list[LiveSnapshot]:
        if self.manager is None:
            return []
        return [session.snapshot for session in self.manager.live_sessions()]

    def _session_for(self, key: str) -> LiveSession:
        if self.manager is None:
            raise ConfigError("Nothing is configured yet.")
        session = self.manager.find(key) or self.manager.session(self.manager.plan_for_key(key))
        self._attach(session)
        return session

    def _attach(self, session: LiveSession) -> None:
        key = session.plan.key
        if key in self._attached:
            return
        if self.control is not None:
            self.control.announce(key)  # claims it; raises AlreadyOwned, writing nothing, if another holds it
        self._attached.add(key)
        session.add_update_listener(self._on_update)
        session.on_presenter_join_url(lambda url: self._open_join_url(key, url))
        self._on_update(LiveUpdate(session.snapshot))
        self._follow_chat(session.snapshot)

    def adopt(self, meeting: Meeting) -> str:
        """Make a meeting running on the server selectable (and go-live-able); returns its key."""
        if self.manager is None:
            raise ConfigError("Nothing is configured yet.")
        return self.manager.plan_for_meeting(meeting.meeting_id, title=meeting.meeting_name or None).key

    # -- intents (slots) -----------------------------------------------------------------------------
    def go_live(self, key: str) -> None:
        self.spawn(self._go_live(key), self.tr("Go live"))

    async def _go_live(self, key: str) -> None:
        if self.manager is not None and self.manager.find(key) is None:
            # first claim the webinar, then adopt what the journal says may still run for it
            run_dir = self.manager.paths.data_dir / "run"
            owner = await find_owner(run_dir, key)
            if owner is not None and owner.pid != os.getpid():
                raise AlreadyOwned(refuse_sentence(owner),
                                   hint=_("Use “pupitre webinar watch {key}” to follow it.").format(key=key))
            if self.control is not None:
                self.control.announce(key)
            from desktop.webinar.recovery import take_over

            adopted = await take_over(self.manager, key)
            if adopted is not None:
                self._attach(adopted)
        session = self._session_for(key)
        allowed = session.snapshot.allowed
        # the one big button: "Start live again" when the meeting goes on with its stream off
        if Intent.START_LIVE in allowed and Intent.GO_LIVE not in allowed:
            await self._perform(session, Intent.START_LIVE)
        elif Intent.GO_LIVE in allowed:
            await session.perform(Intent.GO_LIVE)
        # else: a live taken over is already under way (or a second click): it is shown as it is

    def go_live_next(self) -> None:
        """The tray's "go live on the next webinar"."""
        if self.manager is None:
            return
        now = datetime.fromtimestamp(self._clock(), UTC)
        following = self.manager.schedule.next_occurrence(now)
        if following is None:
            self.notification_requested.emit(NotificationKind.INFO, self.tr("No webinar scheduled"),
                                              self.tr("Schedule a webinar in the console first."))
            return
        self.go_live(str(SessionKey.of_occurrence(following.webinar_id, following.index)))

    def cancel(self, key: str) -> None:
        self._intent(key, Intent.CANCEL)

    def stop_live(self, key: str) -> None:
        self._intent(key, Intent.STOP_LIVE)

    def restart_live(self, key: str) -> None:
        self._intent(key, Intent.RESTART_LIVE)

    def end_webinar(self, key: str) -> None:
        self._intent(key, Intent.END_WEBINAR)

    def toggle_chat(self, key: str, visible: bool) -> None:
        session = self.session(key)
        panel = session.snapshot.chat_panel if session is not None else None
        if panel is not None and panel.visible == visible:
            return  # already what was asked for (a repeated signal): one toggle would undo it
        self._intent(key, Intent.TOGGLE_CHAT)

    def _intent(self, key: str, intent: Intent) -> None:
        session = self.session(key)
        if session is None:
            return
        self.spawn(self._perform(session, intent), self.tr("Webinar action"))

    @staticmethod
    async def _perform(session: LiveSession, intent: Intent) -> None:
        """A button or menu of this window: refused only when clicked on a render that the next
        snapshot already changed (the buttons enable from ``snapshot.allowed``), so just logged."""
        try:
            await session.perform(intent)
        except IntentRefused as refused:
            logger.info("webinar %s: %s", session.plan.key, refused.sentence)

    async def _remote_intent(self, key: str, name: str) -> dict[str, Any]:
        """An intent from another Pupitre process (``pupitre webinar stop-live`` in a terminal)."""
        session = self.session(key)
        if session is None:
            raise PupitreError("This Pupitre window does not watch that webinar any more.")
        if name != "status":
            logger.info("intent %s for %s from another process", name, key)
            await session.perform(Intent(name), origin=Origin.OTHER_PROCESS)
        return {"snapshot": session.snapshot.to_json()}

    def reopen_join(self, key: str) -> None:
        session = self.session(key)
        if session is None or not session.presenter_join_url:
            self.notification_requested.emit(
                NotificationKind.INFO, self.tr("No join link yet"),
                self.tr("The presenter's join link exists once the meeting is created."))
            return
        self._open_join_url(key, session.presenter_join_url)

    def copy_audience_link(self, key: str) -> None:
        snapshot = self.snapshot_for(key)
        if snapshot is None or not snapshot.audience_url:
            return
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(snapshot.audience_url)
        self.notification_requested.emit(NotificationKind.INFO, self.tr("Audience link copied"),
                                         snapshot.audience_url)

    def request_chat(self, key: str) -> None:
        """Open the chat window for ``key`` (the chat window listens to open_chat_requested)."""
        self.open_chat_requested.emit(key)

    def _open_join_url(self, key: str, url: str) -> None:
        # The URL is a credential: never logged, and never on the browser's command line (every
        # local user can read that with ps): the browser gets a 0600 page that redirects to it.
        from desktop.join_link import PAGE_LIFETIME_S, redirect_page  # html, webbrowser: on use

        try:
            page = redirect_page(url)
        except OSError as error:
            logger.warning("join link page not written (%s); link not opened", error.__class__.__name__)
            self.notification_requested.emit(
                NotificationKind.WARNING, self.tr("The join link could not be opened"),
                self.tr("Pupitre could not write the private page that opens it; open BigBlueButton yourself."))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(page)))
        QTimer.singleShot(int(PAGE_LIFETIME_S * 1000), lambda: page.unlink(missing_ok=True))
        self.join_url_opened.emit(key, url)

    # -- chat hooks (the chat window calls these) ---------------------------------------------------
    def set_unread(self, count: int) -> None:
        if count != self._unread:
            self._unread = count
            self.unread_changed.emit(count)

    def _question_arrived(self, _key: str, author: str, text: str) -> None:
        self.question_announcer.add(author, text)  # screen readers: one announcement per burst
        if self.manager is not None and self.manager.settings.preference("notify_questions"):
            self.audience_question(author, text)

    def audience_question(self, author: str, text: str) -> None:
        """A new audience question arrived (grouped and rate-limited by the notifier)."""
        self.notification_requested.emit(NotificationKind.QUESTION, self.tr("Question from %1").replace("%1", author),
                                         text)

    # -- stream ---------------------------------------------------------------------------------------
    def hls_url_for(self, snapshot: LiveSnapshot) -> str | None:
        """The audience HLS address of the gateway streaming ``snapshot`` (for the preview)."""
        if self.settings is None or not snapshot.gateway:
            return None
        try:
            return self.settings.gateway(snapshot.gateway).hls_url
        except ConfigError:
            return None

    def hls_options_for(self, snapshot: LiveSnapshot) -> HttpOptions:
        """The transport options (CA bundle...) of the server that serves ``snapshot``'s stream."""
        if self.manager is None:
            from desktop.net.http import HttpOptions

            return HttpOptions()
        return self.manager.hls_options(snapshot.gateway)

    def delay_seconds(self, key: str) -> float | None:
        """The measured delay of the audience stream: PDT latency, else the newest segment's age."""
        session = self.session(key)
        health = session.stream_health() if session is not None else None
        if health is None:
            return None
        if health.latency_estimate is not None:
            return health.latency_estimate
        return health.newest_segment_age

    # -- server meetings -----------------------------------------------------------------------------
    def refresh_meetings(self) -> None:
        self.spawn(self._refresh_meetings(), self.tr("Meetings on the server"))

    async def _refresh_meetings(self) -> None:
        if self.manager is None:
            return
        try:
            meetings = await self.manager.bbb().get_meetings()
        except PupitreError as error:
            self.running_meetings_failed.emit(error.sentence)
            return
        ours = {s.plan.meeting_id for s in self.manager.live_sessions()}
        self.running_meetings_changed.emit([m for m in meetings if m.meeting_id not in ours])

    # -- crash recovery ------------------------------------------------------------------------------
    async def check_recovery(self) -> list[Reconciliation]:
        """Reconcile unfinished journal entries not owned by another live process; offer them."""
        if self.manager is None:
            return []
        if not self.manager.journal.unfinished():  # nothing to recover: its code stays unloaded
            return []
        run_dir = self.manager.paths.data_dir / "run"
        from desktop.webinar.recovery import reconcile_all

        found = [rec for rec in await reconcile_all(self.manager) if await find_owner(run_dir, rec.entry.key) is None]
        if found:
            self.recovery_offered.emit(found)
        return found

    def apply_recovery(self, rec: Reconciliation, choice: Recommendation) -> None:
        self.spawn(self._apply_recovery(rec, choice), self.tr("Recovery"))

    async def _apply_recovery(self, rec: Reconciliation, choice: Recommendation) -> None:
        if self.manager is None:
            return
        run_dir = self.manager.paths.data_dir / "run"
        key = rec.entry.key
        held_before = key in self._attached
        try:
            # claimed first: a CLI start may have taken the webinar since the offer was made
            if not held_before:
                claim_or_refuse(run_dir, key, await find_owner(run_dir, key))
            from desktop.webinar.recovery import apply

            session = await apply(self.manager, rec, choice)
        except PupitreError as error:
            if not held_before:
                release(run_dir, key)
            self.recovery_applied.emit(rec.entry.key, choice.value, error.sentence)
            return
        if session is not None:
            self._attach(session)
        elif not held_before:
            release(run_dir, key)
        self.recovery_applied.emit(rec.entry.key, choice.value, "")

    # -- updates -> signals, notifications ------------------------------------------------------------
    def _on_update(self, update: LiveUpdate) -> None:
        snapshot = update.snapshot
        self.snapshot_changed.emit(snapshot.key, snapshot)
        self.snapshots_changed.emit(self.snapshots())
        if update.events:
            self.live_events.emit(snapshot.key, update.events)
        for event in update.events:
            self._notify(snapshot, event)
        if any(isinstance(event, StateChanged)
               or (isinstance(event, StepReached) and event.step is Step.GATEWAY_STARTED) for event in update.events):
            self._follow_chat(snapshot)
        if any(isinstance(event, StateChanged) and LiveState.IDLE in (event.previous, event.state)
               for event in update.events):
            self.check_schedule()  # a webinar taken up (or released) changes which one is next

    def _follow_chat(self, snapshot: LiveSnapshot) -> None:
        """Start the chat once the presenter has joined; follow the gateway; stop at the end
        (the hub decides from the session's state)."""
        manager, session = self.manager, self.session(snapshot.key)
        if manager is None or session is None:
            return
        self.spawn(self.chats.follow(manager, session), self.tr("Audience chat"))

    def _notify(self, snapshot: LiveSnapshot, event: LiveEvent) -> None:
        """The desktop notifications the session's events call for."""
        title = snapshot.title
        if isinstance(event, WentLive):
            self.notification_requested.emit(
                NotificationKind.INFO, self.tr("Live: %1").replace("%1", title),
                self.tr("The audience stream is live."))
        elif isinstance(event, LiveFailed):
            self.notification_requested.emit(
                NotificationKind.ERROR, self.tr("%1: the live failed").replace("%1", title), event.failure.sentence)
        elif isinstance(event, LiveStopped) and event.origin is Origin.OTHER_PROCESS:
            self.notification_requested.emit(
                NotificationKind.INFO, self.tr("%1: live stopped").replace("%1", title),
                self.tr("Stopped from another Pupitre process (the pupitre command)."))
        elif isinstance(event, LiveStopped) and event.origin is not Origin.PRESENTER:
            self.notification_requested.emit(
                NotificationKind.WARNING, self.tr("%1: live stopped").replace("%1", title),
                event.reason or self.tr("The live was stopped automatically."))
        elif isinstance(event, HealthChanged) and event.incident:
            now = self._monotonic()
            last = self._stream_warned.get(snapshot.key)
            if last is None or now - last >= STREAM_PROBLEM_INTERVAL:
                self._stream_warned[snapshot.key] = now
                self.notification_requested.emit(
                    NotificationKind.WARNING, self.tr("%1: stream problem").replace("%1", title), event.row.text)


def _webinar_of(key: str) -> int | None:
    """The webinar id of an occurrence's key; None for an adopted meeting."""
    parsed = SessionKey.parse_or_none(key)
    return None if parsed is None else parsed.webinar_id

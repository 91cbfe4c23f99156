"""The go-live steps of a live session: preflight, create (or adopt), wait for the presenter,
start the gateway, wait for the audience stream.

What they fix in Esup-Pod (gateway-and-pod.md §11): the gateway is started only once BBB says
the meeting runs (the presenter has joined), never straight after ``create`` (#5), and once per
webinar — re-joining does not touch it (#4); a start counts only when the audience HLS shows new
segments (#3), on the first gateway of the pool that is free (#14); the chat panel is toggled
exactly once after a start when it must be hidden (#6), and what is tracked is the visibility
*requested*, since no gateway confirms a toggle (issue 11, point 9).
"""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import quote, urlsplit, urlunsplit

from desktop.bbb import BBBError, JoinParams
from desktop.config.settings import GatewayConfig
from desktop.errors import NetworkError, PupitreError, TimeoutError_
from desktop.gateways.errors import NoGatewayAvailable
from desktop.gateways.join_target import JoinTarget, signed_join_target, streaming_join_params
from desktop.i18n import _
from desktop.preflight import Level
from desktop.webinar.events import ChatPanelChanged, StepReached
from desktop.webinar.live_watcher import LiveWatcher
from desktop.webinar.state import ChatPanel, Health, HealthRow, LiveState, Step

logger = logging.getLogger(__name__)


class GoLiveSteps(LiveWatcher):
    """The go-live sequence of a session (:meth:`LiveSession.go_live` runs it)."""

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
        created, joined = info.create_time / 1000, (info.start_time or info.create_time) / 1000
        steps = {**self.snapshot.steps, Step.MEETING_CREATED: created, Step.PRESENTER_JOINED: joined}
        self._update(StepReached(Step.MEETING_CREATED, created), StepReached(Step.PRESENTER_JOINED, joined),
                     steps=steps)
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
                    self._set_health({"meeting": HealthRow(Health.BAD, error.sentence)})
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
        self._update(ChatPanelChanged(ChatPanel.after_start()),
                     gateway=acquired.name, room=acquired.session.room, chat_panel=ChatPanel.after_start(),
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
        await self._send_chat_toggle(_("The chat panel could not be hidden in the stream: {reason}"))

    async def _send_chat_toggle(self, failed: str) -> None:
        """Send the gateway's (stateless, unconfirmed) chat-panel toggle; a reply records the opposite
        visibility as *requested*; a failure is an incident noticed with ``failed`` ({reason})."""
        assert self.acquired is not None
        try:
            await self.acquired.gateway.toggle_chat_panel(self.acquired.session)
        except PupitreError as error:
            self._notice(failed.format(reason=error.sentence), incident=True)
            return
        panel = (self.snapshot.chat_panel or ChatPanel.after_start()).toggled()
        self._set_chat_panel(panel)
        self._record()
        self._notice(_chat_request_notice(panel))



def _chat_request_notice(panel: ChatPanel) -> str:
    """What the presenter reads once a toggle was accepted: a request, to check in the preview."""
    if panel.visible:
        return _("Showing the chat in the stream was requested; the gateway cannot confirm it: "
                 "check the preview.")
    return _("Hiding the chat in the stream was requested; the gateway cannot confirm it: "
             "check the preview.")

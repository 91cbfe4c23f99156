"""Watching a live while it runs: the meeting and gateway polls, the auto-stop when the meeting
ended on the server, the reminders and automatic end around the scheduled end, and the audience
HLS monitor whose health becomes the stream row.

The end of the meeting is noticed within two live polls (5 s each by default) and the gateway
stopped (gateway-and-pod.md §11, #7); an odd BBB answer never ends a meeting (#9).  The journal
lets this watcher survive a restart of Pupitre (:meth:`LiveSession.resume`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from desktop.bbb import Meeting
from desktop.errors import PupitreError
from desktop.gateways.base import GatewayState
from desktop.i18n import _, ngettext
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor
from desktop.webinar.events import Origin
from desktop.webinar.session_core import SessionCore
from desktop.webinar.state import Health, HealthRow, LiveState

logger = logging.getLogger(__name__)

STREAMING_USER = "streaming"


class LiveWatcher(SessionCore):
    """The live watcher and the stream monitor of a session."""

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
        try:
            running = await self.bbb.is_meeting_running(self.plan.meeting_id)
        except PupitreError as error:
            self._set_health({"meeting": HealthRow(
                Health.BAD, _("BBB could not be asked: {reason}").format(reason=error.sentence))})
            return None
        if not running:
            self._set_health({"meeting": HealthRow(Health.BAD, _("BBB says the meeting is not running."))})
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
        rows = {"meeting": HealthRow(Health.GOOD, text)}
        if self.acquired is not None and gateway_in is not None and not self.acquired.gateway.capabilities.has_status:
            rows["gateway"] = HealthRow(Health.GOOD if gateway_in else Health.WARNING,
                                        _("The gateway's user is in the meeting.") if gateway_in
                                        else _("The gateway's user is not in the meeting yet."))
        self._set_health(rows, participants=participants)
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
        self._set_health({"gateway": row})

    async def _auto_stop(self) -> None:
        async with self._op_lock:
            if self.snapshot.state in (LiveState.ENDED, LiveState.IDLE):
                return
            self._stop_origin = Origin.AUTO_STOP
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
            asyncio.get_running_loop().create_task(self.end_webinar(origin=Origin.SCHEDULED_END))

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
        incident = self.snapshot.state == LiveState.LIVE and level == Health.BAD
        self._set_health({"stream": HealthRow(level, health.describe())}, incident=incident)
        if incident and self.journal is not None:
            self.journal.event(self.plan.key, "incident", health.describe())

    def stream_health(self) -> StreamHealth | None:
        return None if self._monitor is None else self._monitor.latest


def _streaming_user_present(info: Meeting) -> bool:
    return any(a.full_name == STREAMING_USER or "pupitre_room" in a.customdata for a in info.attendees)

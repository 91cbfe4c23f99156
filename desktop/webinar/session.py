"""One webinar's live: the go-live state machine and its intents.

``idle → checking → creating → waiting for presenter → starting gateway → live → stopping →
ended``, plus ``live stopped`` (meeting on, stream off), ``failed`` (a step and one sentence) and
cancel from any working step.  The session is built in layers, one job each:

* :mod:`~desktop.webinar.session_core` — the state, transitions, journal, and the publication
  of each snapshot with its typed events (:mod:`~desktop.webinar.events`);
* :mod:`~desktop.webinar.live_watcher` — polls while live, auto-stop, reminders, HLS monitor;
* :mod:`~desktop.webinar.golive_steps` — preflight, create or adopt, presenter, gateway, stream;
* :mod:`~desktop.webinar.stop_steps` — stop, restart, end, failure handling;
* this module — the intents, the public API the GUI and the CLI drive.

Intents (:meth:`go_live`, :meth:`cancel`, :meth:`stop_live`, :meth:`restart_live`,
:meth:`end_webinar`, :meth:`toggle_chat_panel`) never raise to the caller for server failures:
failures become the ``failed`` state (or a notice, for minor ones).  They are serialised — a
restart cannot race an end.  :meth:`perform` runs an :class:`~desktop.webinar.state.Intent`
and refuses, with :class:`~desktop.webinar.state.IntentRefused`, one the snapshot does not allow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from desktop.gateways.pool import Acquired
from desktop.i18n import _
from desktop.webinar.events import LiveEvent, Notice, Origin, Resumed, StateChanged
from desktop.webinar.golive_steps import _chat_request_notice
from desktop.webinar.plan import LivePlan, LiveTimings
from desktop.webinar.state import (
    ChatPanel,
    Health,
    HealthRow,
    Intent,
    IntentRefused,
    LiveState,
    Step,
)
from desktop.webinar.stop_steps import StopSteps

__all__ = ["LivePlan", "LiveSession", "LiveTimings", "_chat_request_notice"]

logger = logging.getLogger(__name__)


class LiveSession(StopSteps):
    """The state machine of one webinar occurrence (see the module docstring for its layers).

    Attributes:
        snapshot: the current :class:`~desktop.webinar.state.LiveSnapshot`.
        presenter_join_url: the signed MODERATOR join URL for the presenter's browser, once the
            meeting exists (kept in memory only: it is a credential).
        acquired: the gateway streaming this webinar, if any.
    """

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
        self._op_fallback = LiveState.IDLE
        self._op_task = asyncio.get_running_loop().create_task(self._guarded(self._go_live(), "checking"))

    async def start_live_again(self) -> None:
        """From ``live stopped`` (or a failed gateway step): start the gateway again.  Returns
        once the stream is live or the start failed; :meth:`cancel` abandons it (the meeting goes
        on: back to ``live stopped``)."""
        async with self._op_lock:
            if self.snapshot.state not in (LiveState.LIVE_STOPPED, LiveState.FAILED):
                return
            self._op_fallback = LiveState.LIVE_STOPPED
            task = asyncio.get_running_loop().create_task(self._guarded(self._start_gateway(), "starting gateway"))
            self._op_task = task
            await asyncio.wait({task})  # a cancel ends it; the lock is then the cancel's

    async def cancel(self, *, origin: Origin = Origin.PRESENTER) -> None:
        """Abandon the current working step; a gateway already started is stopped; back to
        ``idle`` (a go-live) or ``live stopped`` (a start again: the meeting goes on)."""
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
                self._stop_origin = origin
                self._transition(self._op_fallback, notice=_("Cancelled."), restarting=False)

    async def stop_live(self, *, origin: Origin = Origin.PRESENTER) -> None:
        """Stop the stream only; the meeting goes on (``live stopped``)."""
        await self._abort_go_live(origin)
        async with self._op_lock:
            if (self.snapshot.state not in (LiveState.LIVE, LiveState.FAILED, LiveState.STARTING_GATEWAY)
                    or self.acquired is None):
                return
            self._stop_origin = origin
            await self._guarded(self._stop_stream(final=LiveState.LIVE_STOPPED), "stopping")

    async def restart_live(self) -> None:
        """Stop the stream, wait until it is really down, start it again."""
        await self._abort_go_live(Origin.PRESENTER)
        async with self._op_lock:
            if self.snapshot.state not in (LiveState.LIVE, LiveState.LIVE_STOPPED, LiveState.FAILED,
                                           LiveState.STARTING_GATEWAY):
                return
            await self._guarded(self._restart(), "restarting")

    async def end_webinar(self, *, origin: Origin = Origin.PRESENTER) -> None:
        """End the BBB meeting for everyone and stop the stream."""
        await self._abort_go_live(origin)
        async with self._op_lock:
            if self.snapshot.state == LiveState.ENDED and self.acquired is None:
                return
            self._stop_origin = origin
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
            await self._send_chat_toggle(_("The chat panel could not be toggled: {reason}"))

    def chat_panel_seen(self, visible: bool) -> None:
        """A confirmation source saw the chat panel in the stream (``visible``).

        Nothing in Pupitre sees the panel yet (the presenter does, in the preview); this is where
        such a source would report, so that the snapshot and the journal say "confirmed".
        """
        if self.snapshot.chat_panel is None or self.acquired is None:
            return
        self._set_chat_panel(self.snapshot.chat_panel.seen(visible))
        self._record()

    async def perform(self, intent: Intent, *, origin: Origin = Origin.PRESENTER) -> None:
        """Run ``intent`` if the current snapshot allows it (:attr:`LiveSnapshot.allowed`), else
        raise :class:`IntentRefused`.  ``origin``: who asks (this process's presenter, or another
        process through the control channel), said again when the live stops."""
        if intent not in self.snapshot.allowed:
            raise IntentRefused(intent, self.snapshot.state)
        if intent is Intent.GO_LIVE:
            await self.go_live()
        elif intent is Intent.CANCEL:
            await self.cancel(origin=origin)
        elif intent is Intent.START_LIVE:
            await self.start_live_again()
        elif intent is Intent.STOP_LIVE:
            await self.stop_live(origin=origin)
        elif intent is Intent.RESTART_LIVE:
            await self.restart_live()
        elif intent is Intent.END_WEBINAR:
            await self.end_webinar(origin=origin)
        elif intent is Intent.TOGGLE_CHAT:
            await self.toggle_chat_panel()

    async def close(self) -> None:
        """Stop watching (the app quits); nothing running is stopped — the journal remembers it."""
        self._closed = True
        for task in (self._op_task, self._watch_task):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._stop_monitor()

    # -- chat health (set by the chat pipeline) ------------------------------------------------
    def set_chat_health(self, level: Health, text: str) -> None:
        self._set_health({"chat": HealthRow(level, text)})

    # -- recovery ------------------------------------------------------------------------------
    def resume(self, *, state: LiveState, acquired: Acquired | None, steps: dict[Step, float],
               chat_panel: ChatPanel | None, live_since: float | None) -> None:
        """Take over a live found by recovery: watch it again (and its stream)."""
        self.acquired = acquired
        if acquired is not None:
            self.pool.mark_in_use(acquired.name)
        previous = self.snapshot.state
        notice = _("Monitoring resumed after a restart of Pupitre.")
        events: list[LiveEvent] = [StateChanged(previous, state)] if state != previous else []
        events += [Resumed(state), Notice(notice)]
        self._publish(self.snapshot.evolve(
            state=state, steps=steps, chat_panel=chat_panel, live_since=live_since,
            gateway=acquired.name if acquired else None,
            room=acquired.session.room if acquired else self.plan.room,
            audience_url=(acquired.config.audience_page_url or acquired.config.hls_url) if acquired else None,
            notice=notice), events)
        self._record()
        if acquired is not None:
            self._start_monitor(acquired.config.hls_url)
        self._ensure_watching()

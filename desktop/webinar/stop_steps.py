"""Stopping a live: stop the stream (the meeting goes on), restart it, end the webinar; and what
a failed step leaves behind.

A restart waits for the gateway to report down, or the stream to stop advancing, instead of a
fixed sleep (gateway-and-pod.md §11, #8).  Every step has a timeout and a typed, one-sentence
cause (#1): :meth:`StopSteps._guarded` turns any failure into the ``failed`` state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable

from desktop.bbb import BBBError
from desktop.errors import PupitreError
from desktop.gateways.base import GatewayState
from desktop.gateways.pool import Acquired
from desktop.i18n import _
from desktop.stream.health import StreamHealth, StreamState
from desktop.webinar.events import Origin
from desktop.webinar.golive_steps import GoLiveSteps
from desktop.webinar.state import Failure, LiveState

logger = logging.getLogger(__name__)


class StopSteps(GoLiveSteps):
    """Stop, restart and end steps of a session, and its failure handling."""

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

    async def _abort_go_live(self, origin: Origin) -> None:
        """Another intent wins over a go-live (or a start again) in progress: cancel it and fall
        back to idle (or live stopped)."""
        task = self._op_task
        if task is not None and not task.done() and self.snapshot.state.is_working:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if self.snapshot.state.is_working and self.acquired is None:
                self._stop_origin = origin
                self._transition(self._op_fallback)

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


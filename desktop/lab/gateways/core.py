"""One emulated SIPMediaGW streaming slot, shared by both API generations.

A real SIPMediaGW server used for webinars manages one stream (gateway-and-pod.md §3.8, §6.6):
one container at a time, holding a lock until the container exits.  :class:`GatewayEmulator`
is that slot.  What happens after a start, in order:

1. the slot is taken at once; the start reply comes back after ``timings.launch`` (container up)
   — or reports a launch failure / no free resources;
2. ``timings.start_delay`` later the container's browser opens the join target
   (:mod:`desktop.lab.gateways.browser`), waiting for the join form up to ``timings.join_wait``;
   if it never gets in, the container exits: no user in the meeting, nothing published, the
   state reads "down" again;
3. once in the meeting the ``streaming`` user is present in the world and the slot publishes its
   scene (:class:`desktop.lab.publishing.StreamPublisher`) under the RTMP stream name.

The scene handed to the publisher is an immutable :class:`Scene` rebuilt on the loop whenever the
meeting (world events), the panel or the phase changes; the encoder thread only reads it.

Chat messages and chat-panel toggles sent while the browser is still on its way are queued, as in
the real container (the event handler fills queues the browser drains once joined).  The panel
is visible after every start (BBB's default); each toggle flips it (unless the ``toggle_lost``
fault swallows the click, acknowledged all the same, as the real container's ``chatHandler`` does).

When the meeting ends under a running gateway, the browser shows BBB's "meeting ended" page and
ffmpeg keeps capturing it: the slot keeps publishing an "ended" picture and stays up until it is
stopped — the real gateway does not stop by itself, the client must (§7, §11 #7).

Stopping follows the container's cleanup trap: Chrome closes first (the user leaves the meeting
at once), then after ``timings.stop_delay`` ffmpeg is killed (publishing stops) and the stop is
answered.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.lab.gateways.browser import (
    NAME_FIELD_IDS,
    AddressMap,
    JoinedMeeting,
    JoinFailed,
    StreamingBrowser,
)
from desktop.lab.gateways.settings import GatewayFaults, GatewayTimings
from desktop.lab.publishing import StreamPublisher, stream_name_from_rtmp
from desktop.lab.scene import ChatLine, Scene
from desktop.lab.world import LabWorld, WorldEvent

logger = logging.getLogger(__name__)

SCENE_CHAT_LINES = 8
SCENE_LINE_CHARS = 280
ENDED_TITLE = "The meeting has ended"


class LaunchResult(enum.Enum):
    OK = "ok"
    BUSY = "busy"
    FAILED = "failed"


class SlotPhase(enum.Enum):
    JOINING = "joining"  # container up, browser on its way into the meeting
    STREAMING = "streaming"  # in the meeting, publishing
    ENDED = "ended"  # the meeting ended under it; still publishing the "ended" picture
    STOPPING = "stopping"  # stop requested, container going down


@dataclass
class GatewayRun:
    """One container's life, from start to exit."""

    room: str
    target_url: str | None
    rtmp_dst: str
    stream_name: str
    browsing: str | None = None
    phase: SlotPhase = SlotPhase.JOINING
    chat_visible: bool = True
    joined: JoinedMeeting | None = None
    publishing: bool = False
    failure: str | None = None
    started_at: float = field(default_factory=time.monotonic)
    pending_chat: list[str] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    browser: StreamingBrowser | None = None
    down: asyncio.Event = field(default_factory=asyncio.Event)


class GatewayEmulator:
    """The single streaming slot of one emulated gateway server.

    ``extra_aliases`` is called at each join to add addresses known only once other lab servers
    run (the join-page server's public host, the BBB server's).
    """

    def __init__(self, world: LabWorld, publisher: StreamPublisher, *, name: str,
                 timings: GatewayTimings | None = None, address_map: AddressMap | None = None,
                 extra_aliases: Callable[[], Mapping[str, str]] | None = None,
                 display_name: str = "streaming", seed: int | None = None,
                 name_fields: tuple[str, ...] = NAME_FIELD_IDS) -> None:
        self.world = world
        self.name_fields = name_fields
        self.publisher = publisher
        self.name = name
        self.timings = timings or GatewayTimings()
        self.faults = GatewayFaults()
        self.address_map = address_map or AddressMap()
        self.display_name = display_name
        self._extra_aliases = extra_aliases or (lambda: {})
        self._rng = random.Random(seed)
        self.run: GatewayRun | None = None
        self.last_run: GatewayRun | None = None
        self._hang_gate = asyncio.Event()
        self._hang_gate.set()
        self.held_requests = 0
        self._scene = Scene(title="", participant_count=0, chat_visible=False, gateway=name)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsubscribe = world.subscribe(self._on_world_event)
        self._closed = False

    # -- faults ------------------------------------------------------------------------------
    def set_faults(self, **changes: bool) -> GatewayFaults:
        """Switch faults by name (unknown names raise ``ValueError``); clearing ``hang`` frees the
        requests it held."""
        unknown = set(changes) - set(GatewayFaults.names())
        if unknown:
            raise ValueError(f"unknown gateway faults: {', '.join(sorted(unknown))}")
        for key, value in changes.items():
            setattr(self.faults, key, bool(value))
        if self.faults.hang:
            self._hang_gate.clear()
        else:
            self._hang_gate.set()
        self.world.fault_changed("gateway", gateway=self.name, faults=list(self.faults.active()))
        return self.faults

    def clear_faults(self) -> GatewayFaults:
        return self.set_faults(**dict.fromkeys(GatewayFaults.names(), False))

    async def hold_if_hanging(self) -> None:
        """A hung gateway: wait until the fault is cleared or the server stops."""
        if not self.faults.hang:
            return
        self.held_requests += 1
        self.world.emit(WorldEvent("gateway_request_held", None, {"gateway": self.name}))
        try:
            await self._hang_gate.wait()
        finally:
            self.held_requests -= 1

    # -- state ---------------------------------------------------------------------------------
    @property
    def is_up(self) -> bool:
        """Whether a container is running (from the start reply until the stop completes)."""
        return self.run is not None

    def is_up_for(self, room: str) -> bool:
        return self.run is not None and self.run.room == room

    def scene(self) -> Scene:
        """What the streaming browser shows now.

        The HLS origin calls this once per frame from its encoder thread, so it only returns an
        immutable :class:`Scene` that the loop rebuilds whenever something it shows changes.
        """
        return self._scene

    def _refresh_scene(self) -> None:
        self._scene = self._build_scene()

    def _build_scene(self) -> Scene:
        run = self.run
        if run is None or run.joined is None:
            return Scene(title="", participant_count=0, chat_visible=False, gateway=self.name)
        meeting = run.joined.meeting
        if run.phase is not SlotPhase.STREAMING or meeting.ended:
            return Scene(title=ENDED_TITLE, participant_count=0, chat_visible=False, gateway=self.name)
        lines = [m for m in meeting.chat if m.deleted_at is None][-SCENE_CHAT_LINES:]
        chat = tuple(ChatLine(sender=m.sender_name, text=_clip(m.text)) for m in lines)
        return Scene(title=meeting.name, participant_count=meeting.participant_count,
                     chat_visible=run.chat_visible, chat=chat, gateway=self.name)

    # -- start -------------------------------------------------------------------------------
    async def launch(self, *, room: str, target_url: str | None, rtmp_dst: str,
                     browsing: str | None = None) -> LaunchResult:
        """Take the slot and start a container; answers once it is up (``timings.launch``)."""
        if self._closed:
            return LaunchResult.FAILED
        if self.faults.busy or self.run is not None:
            return LaunchResult.BUSY
        try:
            stream_name = stream_name_from_rtmp(rtmp_dst)
        except ValueError:
            stream_name = ""
        run = GatewayRun(room=room, target_url=target_url, rtmp_dst=rtmp_dst, stream_name=stream_name,
                         browsing=browsing)
        self.run = run
        await asyncio.sleep(self.timings.launch)
        if self.run is not run:  # stopped or closed meanwhile
            return LaunchResult.FAILED
        if self.faults.launch_fail or not stream_name or not rtmp_dst.startswith("rtmp"):
            # No RTMP destination: the real script logs "The gateway failed to launch" (§3.8).
            self._container_exited(run, "the gateway failed to launch")
            return LaunchResult.FAILED
        run.task = self._spawn(self._browse(run))
        logger.info("lab gateway %s: container up for room %s", self.name, loggable_room(room))
        return LaunchResult.OK

    async def _browse(self, run: GatewayRun) -> None:
        await asyncio.sleep(self.timings.start_delay)
        if run.target_url is None:
            self._container_exited(run, "nowhere to browse: no join page configured for this target")
            return
        run.browser = StreamingBrowser(self.world, self.address_map, display_name=self.display_name,
                                       http_timeout=self.timings.http_timeout, name_fields=self.name_fields)
        self.world.emit(WorldEvent("gateway_browsing", None, {"gateway": self.name, "room": loggable_room(run.room)}))
        try:
            joined = await run.browser.join(
                run.target_url, join_wait=self.timings.join_wait, page_reload=self.timings.page_reload,
                extra_aliases=self._extra_aliases())
        except JoinFailed as exc:
            if self.run is run and run.phase is SlotPhase.JOINING:
                await self._close_browser(run)
                self._container_exited(run, str(exc))
            return
        if self.run is not run or run.phase is not SlotPhase.JOINING:
            return
        run.joined = joined
        self.world.enter(joined.meeting, joined.user)  # no-op when the client page already did it
        run.phase = SlotPhase.STREAMING
        self._refresh_scene()
        self.world.emit(WorldEvent("gateway_joined", joined.meeting.meeting_id,
                                   {"gateway": self.name, "user_id": joined.user.user_id, "room": run.room}))
        for text in run.pending_chat:
            self._post(run, text)
        run.pending_chat.clear()
        run.publishing = True  # before awaiting, so a stop arriving meanwhile stops it too
        await self.publisher.start(run.stream_name, self.scene)
        self.world.emit(WorldEvent("gateway_publishing", joined.meeting.meeting_id,
                                   {"gateway": self.name, "stream": run.stream_name}))
        await run.browser.stay(joined, self.timings.client_reload)

    def _container_exited(self, run: GatewayRun, reason: str) -> None:
        """The container is gone without a stop (launch failure, no way into the meeting)."""
        run.failure = reason
        logger.info("lab gateway %s: container exited (%s)", self.name, reason)  # reasons carry no query
        self._release(run)
        self.world.emit(WorldEvent("gateway_failed", None, {"gateway": self.name, "room": run.room,
                                                            "reason": reason}))

    def _release(self, run: GatewayRun) -> None:
        if self.run is run:
            self.run = None
        self.last_run = run
        run.down.set()
        self._refresh_scene()

    @staticmethod
    async def _close_browser(run: GatewayRun) -> None:
        browser, run.browser = run.browser, None
        if browser is not None:
            await browser.close()

    # -- stop ----------------------------------------------------------------------------------
    async def stop(self) -> bool:
        """Stop the container (False when none runs); answers when it has stopped."""
        run = self.run
        if run is None:
            return False
        if run.phase is SlotPhase.STOPPING:
            await run.down.wait()
            return True
        run.phase = SlotPhase.STOPPING
        self._refresh_scene()
        if run.task is not None and not run.task.done():
            run.task.cancel()
        self._leave(run)  # the cleanup trap closes Chrome first
        try:
            await asyncio.sleep(self.timings.stop_duration(self._rng))
        finally:
            await self._stop_publishing(run)
            await self._close_browser(run)
            self._release(run)
            self.world.emit(WorldEvent("gateway_stopped", None, {"gateway": self.name, "room": run.room}))
        return True

    def _leave(self, run: GatewayRun) -> None:
        if run.joined is not None:
            self.world.leave(run.joined.meeting, run.joined.user)

    async def _stop_publishing(self, run: GatewayRun) -> None:
        if run.publishing:
            run.publishing = False
            await self.publisher.stop(run.stream_name)

    # -- commands ----------------------------------------------------------------------------
    async def send_chat(self, room: str | None, text: str) -> bool:
        """Type ``text`` into the BBB public chat as the gateway user; False when no container
        runs for ``room`` (None: whatever room runs)."""
        await asyncio.sleep(self.timings.command)
        run = self.run
        if run is None or (room is not None and run.room != room):
            return False
        if run.phase is SlotPhase.JOINING:
            run.pending_chat.append(text)
        elif run.phase is SlotPhase.STREAMING:
            self._post(run, text)
        return True  # ENDED / STOPPING: typed into a page that is no longer BBB

    def _post(self, run: GatewayRun, text: str) -> None:
        if run.joined is None or run.joined.meeting.ended:
            return
        user = run.joined.user
        self.world.post_chat(run.joined.meeting, text=text, sender_name=user.full_name,
                             sender_id=user.user_id, sender_role=user.role)

    async def toggle_chat(self, room: str | None) -> bool:
        """Flip the chat panel (False when no container runs for ``room``); with the
        ``toggle_lost`` fault the command is acknowledged and nothing moves."""
        await asyncio.sleep(self.timings.command)
        run = self.run
        if run is None or (room is not None and run.room != room):
            return False
        if self.faults.toggle_lost:
            return True
        run.chat_visible = not run.chat_visible
        self._refresh_scene()
        meeting_id = run.joined.meeting.meeting_id if run.joined else None
        self.world.emit(WorldEvent("gateway_chat_toggled", meeting_id,
                                   {"gateway": self.name, "chat_visible": run.chat_visible}))
        return True

    # -- world ---------------------------------------------------------------------------------
    def _on_world_event(self, event: WorldEvent) -> None:
        run = self.run
        if run is None or run.joined is None or event.meeting_id != run.joined.meeting.meeting_id:
            return
        if event.kind == "meeting_ended" and run.phase is SlotPhase.STREAMING:
            run.phase = SlotPhase.ENDED
            logger.info("lab gateway %s: meeting ended under it; still capturing the ended page", self.name)
        self._refresh_scene()  # participants, chat lines, ended page

    # -- lifecycle ---------------------------------------------------------------------------
    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("lab gateway %s: task failed", self.name, exc_info=task.exception())

    async def close(self) -> None:
        """Tear the slot down at once (server shutdown): free hung requests, leave, stop publishing."""
        self._closed = True
        self._hang_gate.set()
        self._unsubscribe()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        run = self.run
        if run is not None:
            self._leave(run)
            await self._stop_publishing(run)
            await self._close_browser(run)
            self._release(run)


def loggable_room(room: str) -> str:
    """A room that is a signed URL loses its query (checksum, password) before being logged."""
    head, sep, _ = room.partition("?")
    return head + ("?…" if sep else "")


def _clip(text: str) -> str:
    return text if len(text) <= SCENE_LINE_CHARS else text[: SCENE_LINE_CHARS - 1] + "…"

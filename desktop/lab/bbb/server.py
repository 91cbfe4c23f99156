"""The lab's BBB 3 server: HTTP API, GraphQL websocket and client page on one loopback port.

URLs (``PORT`` chosen at start): ``http://127.0.0.1:PORT/bigbluebutton/`` (:attr:`BBBServer.url`),
the API at ``…/bigbluebutton/api/`` (:attr:`BBBServer.api_url`), GraphQL at
``ws://127.0.0.1:PORT/graphql``, the client page at ``/html5client/join?sessionToken=…``.

The ``down`` fault must look like a dead server to a client, not like an error reply: with
:meth:`BBBServer.set_down` (or ``world.bbb_faults.down = True`` followed by
``world.fault_changed("down")``) the listening socket is closed — new connections are refused —
and open connections (keep-alive HTTP, GraphQL websockets) are aborted without a reply or close
frame.  Going up re-binds the same port.  An app mounted elsewhere with :func:`make_app` cannot
unbind its port; there a middleware aborts every connection that sends a request while down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from desktop.lab.bbb.api import BBBApi
from desktop.lab.bbb.client_page import ClientPage
from desktop.lab.bbb.graphql import graphql_handler
from desktop.lab.bbb.state import STATE_KEY, BBBOptions, BBBState
from desktop.lab.world import LabWorld, WorldEvent

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _down_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[STATE_KEY]
    if state.world.bbb_faults.down:
        if request.transport is not None:
            request.transport.abort()
        raise web.HTTPServiceUnavailable()  # never reaches the client: the connection is gone
    return await handler(request)


async def _reap_pages(state: BBBState) -> None:
    period = max(0.05, min(5.0, state.options.page_presence_timeout / 3))
    while True:
        await asyncio.sleep(period)  # a housekeeping period, not a wait for state
        state.reap_silent_pages()


def make_app(world: LabWorld, options: BBBOptions | None = None) -> web.Application:
    """The emulator as an aiohttp application (for a runner that serves it itself)."""
    state = BBBState(world, options or BBBOptions())
    app = web.Application(middlewares=[_down_middleware])
    app[STATE_KEY] = state
    BBBApi(state).add_routes(app)
    ClientPage(state).add_routes(app)
    app.router.add_get("/graphql", graphql_handler)

    async def reaper(app: web.Application) -> object:
        task = asyncio.create_task(_reap_pages(state))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def on_shutdown(app: web.Application) -> None:
        await state.close()

    app.cleanup_ctx.append(reaper)  # type: ignore[arg-type]
    app.on_shutdown.append(on_shutdown)
    return app


class BBBServer:
    """A running emulated BBB server on loopback.

    Attributes:
        world: the shared lab world (meetings, chat, faults).
        options: :class:`BBBOptions` (Scalelite / BBB 2 modes, timings).
        app: the aiohttp application (see :func:`make_app`).
    """

    def __init__(self, world: LabWorld, options: BBBOptions | None = None, *,
                 scalelite_mode: bool | None = None, bbb2_mode: bool | None = None) -> None:
        self.world = world
        self.options = options or BBBOptions()
        if scalelite_mode is not None:
            self.options.scalelite_mode = scalelite_mode
        if bbb2_mode is not None:
            self.options.bbb2_mode = bbb2_mode
        self.app = make_app(world, self.options)
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._down = False
        self._lock = asyncio.Lock()
        self._unsubscribe: Callable[[], None] | None = None
        self._pending: set[asyncio.Task[None]] = set()

    @property
    def state(self) -> BBBState:
        return self.app[STATE_KEY]

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/bigbluebutton/`` — what a user would type as the server."""
        return f"http://{self._host}:{self._port}/bigbluebutton/"

    @property
    def api_url(self) -> str:
        return f"{self.url}api/"

    @property
    def graphql_url(self) -> str:
        return f"ws://{self._host}:{self._port}/graphql"

    @property
    def is_down(self) -> bool:
        return self._down

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, host, port)
        await self._site.start()
        self._port = self._runner.addresses[0][1]
        self._unsubscribe = self.world.subscribe(self._on_event)
        if self.world.bbb_faults.down:
            await self.set_down(True)
        logger.info("lab BBB server at %s", self.url)

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._pending):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def set_down(self, down: bool) -> None:
        """Make the server unreachable (refusing connections) or bring it back on the same port."""
        async with self._lock:
            self.world.bbb_faults.down = down
            if down == self._down or self._runner is None:
                self._down = down
                return
            self._down = down
            if down:
                if self._site is not None:
                    await self._site.stop()
                    self._site = None
                self.state.abort_sockets()
                server = self._runner.server
                for connection in server.connections if server is not None else []:
                    if connection.transport is not None:
                        connection.transport.abort()
            else:
                self._site = web.TCPSite(self._runner, self._host, self._port)
                await self._site.start()
            logger.info("lab BBB server is %s", "down" if down else "up again")
        self.world.fault_changed("down", down=down)

    def _on_event(self, event: WorldEvent) -> None:
        if event.kind != "fault_changed" or event.data.get("what") != "down":
            return
        wanted = self.world.bbb_faults.down
        if wanted != self._down:
            task = asyncio.get_running_loop().create_task(self.set_down(wanted))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)

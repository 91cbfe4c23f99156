"""What the BBB emulator's faces share: options, HTTP sessions, open GraphQL sockets, callbacks.

bbb-web ties each session token to the servlet session that made the ``join`` (the
``JSESSIONID`` cookie); one browser session can hold several tokens.  :class:`BBBState` keeps that
map so that the lab client page and the GraphQL endpoint can demand the cookie exactly where BBB
does (bbb-api.md §3.3, §4.3 step 4).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from aiohttp import web

from desktop.lab.world import LabMeeting, LabUser, LabWorld, WorldEvent

logger = logging.getLogger(__name__)

JSESSIONID = "JSESSIONID"


@dataclass
class BBBOptions:
    """How the emulator presents itself.

    Attributes:
        scalelite_mode: answer like Scalelite in front of BBB: exact-case checksum compare, no
            sha384, ``unsupportedRequest`` for sendChatMessage/getJoinUrl/hooks, minimal root, no
            GraphQL.
        bbb2_mode: answer like BBB 2.7: root without GraphQL URLs, no sendChatMessage, no GraphQL.
        bbb_version: the ``bbbVersion`` of the API root.
        public_url: the base URL to announce (``http://host:port/``); by default the request's
            own scheme and Host.
        graphql_ping_interval: seconds between the server's ``ping`` messages.
        graphql_init_timeout: seconds a socket may stay without ``connection_init`` (4408).
        graphql_role_switch_delay: seconds between a ``userJoinMeeting`` reply and akka-apps
            "processing" the join (the Hasura role becomes ``bbb_client``); 0 processes it as soon
            as the mutation has answered.
        graphql_max_connections_per_session_token: sockets one session token may hold at once
            (bbb-graphql-middleware ``max_connections_per_session_token``, default 3); the next one
            is refused with ``too_many_connections``.
        graphql_live_refetch_interval: seconds between two refetches of a chat live query (Hasura's
            ``HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL``: 250 ms in BBB's
            ``bbb-graphql-server/hasura-config.env``); a result set that changed is pushed at the
            next refetch, so every message posted in between arrives in one push.  0 pushes after
            every message: the worst case of one push per message.
        page_presence_timeout: a lab client page that stopped polling for this long leaves.
        callback_timeout: total seconds for one ``meta_endCallbackUrl`` call.
    """

    scalelite_mode: bool = False
    bbb2_mode: bool = False
    bbb_version: str = "3.0.19"
    public_url: str | None = None
    graphql_ping_interval: float = 15.0
    graphql_init_timeout: float = 10.0
    graphql_role_switch_delay: float = 0.0
    graphql_max_connections_per_session_token: int = 3
    graphql_live_refetch_interval: float = 0.25
    page_presence_timeout: float = 30.0
    callback_timeout: float = 5.0

    @property
    def graphql_enabled(self) -> bool:
        return not (self.scalelite_mode or self.bbb2_mode)


class GraphQLSocket(Protocol):
    """What the state needs of an open GraphQL connection (see ``graphql.py``)."""

    @property
    def meeting_id(self) -> str | None: ...

    def close_soon(self, code: int, reason: str) -> None: ...

    def abort(self) -> None: ...


class BBBState:
    """Mutable state of one emulated server, built on a :class:`LabWorld`."""

    def __init__(self, world: LabWorld, options: BBBOptions) -> None:
        self.world = world
        self.options = options
        self.http_sessions: dict[str, set[str]] = {}  # JSESSIONID -> session tokens
        self.sockets: set[GraphQLSocket] = set()
        self.page_seen: dict[str, float] = {}  # session token -> monotonic time of last poll
        self.waiting_guests: set[str] = set()  # session tokens of guests waiting for approval
        self.callbacks_done: list[tuple[str, int | None]] = []  # (url without secrets, status)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._client: aiohttp.ClientSession | None = None
        self._unsubscribe = world.subscribe(self._on_event)

    # -- sessions ----------------------------------------------------------------------------
    def find_session(self, session_token: str | None) -> tuple[LabMeeting, LabUser] | None:
        """The meeting and user of a session token, ended meetings included."""
        if not session_token:
            return None
        for meeting in self.world.meetings.values():
            user = meeting.user_by_session(session_token)
            if user is not None:
                return meeting, user
        return None

    def open_http_session(self, cookie: str | None, user: LabUser) -> str:
        """Attach ``user``'s token to the caller's HTTP session (a new one if it has none)."""
        if cookie and cookie in self.http_sessions:
            session_id = cookie
        else:
            session_id = user.jsessionid or secrets.token_hex(16).upper()
            while session_id in self.http_sessions and user.session_token not in self.http_sessions[session_id]:
                session_id = secrets.token_hex(16).upper()
        self.http_sessions.setdefault(session_id, set()).add(user.session_token)
        user.jsessionid = session_id
        return session_id

    def session_allowed(self, meeting: LabMeeting, user: LabUser, cookie: str | None) -> bool:
        """bbb-web's ``checkGraphqlAuthorization``: the token's HTTP session came with the request,
        unless the meeting was created with ``allowRequestsWithoutSession=true``."""
        if meeting.params.get("allowRequestsWithoutSession", "").lower() == "true":
            return True
        if not cookie:
            return False
        return user.session_token in self.http_sessions.get(cookie, set()) or cookie == user.jsessionid

    def note_page_seen(self, session_token: str) -> None:
        self.page_seen[session_token] = time.monotonic()

    def reap_silent_pages(self) -> None:
        """Users whose lab page stopped polling leave, as a closed browser tab does in BBB."""
        limit = time.monotonic() - self.options.page_presence_timeout
        for token, seen in list(self.page_seen.items()):
            if seen >= limit:
                continue
            del self.page_seen[token]
            found = self.find_session(token)
            if found is not None:
                meeting, user = found
                logger.info("lab page of %s went silent; the user leaves", user.user_id)
                self.world.leave(meeting, user)

    # -- world events ------------------------------------------------------------------------
    def _on_event(self, event: WorldEvent) -> None:
        if event.kind == "meeting_ended" and event.meeting_id is not None:
            # the GraphQL sockets stay open: each connection demotes its own role (graphql.py)
            meeting = self.world.meeting(event.meeting_id)
            if meeting is not None:
                url = meeting.metadata.get("endcallbackurl")
                if url:
                    self.spawn(self._call_end_callback(url))
        elif event.kind == "fault_changed" and event.data.get("what") == "graphql_drop":
            for socket in list(self.sockets):
                socket.close_soon(1011, "lab fault: graphql_drop")

    def spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coroutine)
        except RuntimeError:
            coroutine.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _call_end_callback(self, url: str) -> None:
        """bbb-web's end callback: an HTTP GET on ``meta_endCallbackUrl`` with
        ``recordingmarks=false`` appended; failures are logged, never raised."""
        target = url + ("&" if "?" in url else "?") + "recordingmarks=false"
        shown = target.split("?", 1)[0]
        status: int | None = None
        try:
            if self._client is None or self._client.closed:
                self._client = aiohttp.ClientSession()
            timeout = aiohttp.ClientTimeout(total=self.options.callback_timeout)
            async with self._client.get(target, timeout=timeout, allow_redirects=False) as response:
                status = response.status
                await response.read()
            logger.info("lab end callback %s answered %s", shown, status)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            logger.warning("lab end callback %s failed: %s", shown, type(exc).__name__)
        self.callbacks_done.append((shown, status))

    # -- down / shutdown ------------------------------------------------------------------------
    def abort_sockets(self) -> None:
        for socket in list(self.sockets):
            socket.abort()

    async def close(self) -> None:
        self._unsubscribe()
        for socket in list(self.sockets):
            socket.close_soon(1001, "server shutting down")
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=self.options.callback_timeout + 1)
        for task in list(self._tasks):
            task.cancel()
        if self._client is not None:
            await self._client.close()
            self._client = None


def base_url(request: web.Request, options: BBBOptions) -> str:
    """``http://host:port/`` as the client sees this server."""
    if options.public_url:
        return options.public_url.rstrip("/") + "/"
    return f"{request.scheme}://{request.host}/"


STATE_KEY: web.AppKey[BBBState] = web.AppKey("bbb_state", BBBState)

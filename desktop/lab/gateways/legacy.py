"""The legacy SIPMediaGW HTTP API (web.py launcher, v1.6 and v1.7.0), as Esup-Pod 4 calls it.

Replies follow Renater/SIPMediaGW ``HTTPLauncher.py`` at v1.6.0 (29e35ff) or v1.7.0 (1bfa796),
chosen with ``version`` (:class:`~desktop.lab.gateways.versions.GatewayVersion`):

* ``status`` is ``"success"`` whenever the script ran, so a busy or failed start is a **200**
  with ``details.res == "error"`` (``Start.GET``); error bodies are ``{"Error": ...}``; ``POST
  /chat`` takes no token (``Chat.POST`` has no ``@authorize``);
* ``/stop``: v1.6 runs ``docker compose -p<room> down`` without looking (always a success); v1.7
  first lists the compose projects and answers 400 "no running container for room=<room>";
* ``/progress`` exists from v1.7 only (web.py's plain 404 "not found" before): ``{"status":
  "success","gw_state":"down"}`` without a running container, otherwise *no* ``gw_state`` but
  ``transcript_progress`` ("0%") — ``recording_duration`` only for the recording app;
* chat and toggle go through ``forwardCommand``'s shell and the container's decoder for real
  (:mod:`desktop.lab.gateways.shell`, :mod:`desktop.lab.gateways.versions`): on v1.7 a text
  arrives as ``b'...'`` with every non-ASCII byte as ``xc3xa9`` and is lost if it holds a quote;
  on v1.6 a ``'`` in the text ends the shell's quotes — what it then runs, runs.  ``res: ok``
  only means the command reached the container, as upstream.

The gateway's browser opens ``https://{domain}/{room}`` (§3.3), a Pod join page or any lab URL;
leniently, a ``room`` that is itself a full ``http(s)://`` URL is opened as is.  A second
``/start`` while the container runs — even for the same room — finds no free resources: the
slot's lock is held until the container exits (§3.8), and a lab server has one slot.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from desktop.lab.gateways.browser import AddressMap
from desktop.lab.gateways.core import GatewayEmulator, LaunchResult
from desktop.lab.gateways.joinpage import JoinPageServer
from desktop.lab.gateways.server import LabHttpServer
from desktop.lab.gateways.settings import GatewayFaults, GatewayTimings
from desktop.lab.gateways.shell import GatewayShell
from desktop.lab.gateways.versions import (
    LEGACY_DEFAULT,
    LEGACY_TOGGLE_PAYLOAD,
    GatewayVersion,
    deliver_legacy,
    legacy_message_payload,
)
from desktop.lab.publishing import StreamPublisher
from desktop.lab.world import LabWorld

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # web.py's json.dumps: ", " and ": " separators, as the real launcher writes them.
    return web.Response(status=status, text=json.dumps(body), content_type="application/json", headers=headers)


def legacy_target_url(domain: str, room: str) -> str:
    """What the gateway's browser opens: ``https://{domain}/{room}`` (§3.3), or ``room`` itself
    when it is a full URL (lab leniency)."""
    if room.startswith(("http://", "https://")):
        return room
    for scheme in ("https://", "http://"):
        if domain.startswith(scheme):
            domain = domain[len(scheme):]
    return f"https://{domain}/{room}"


class LegacyGatewayServer(LabHttpServer):
    """One legacy SIPMediaGW server with a single streaming slot.

    Args:
        world, publisher: the lab world and where the gateway's stream goes.
        name: the gateway's name (logs, scene corner, fault events).
        token: the Bearer token (the real default is "1234").
        timings: step delays (:class:`GatewayTimings`; ``fast()`` for tests).
        address_map: how the browser reaches lab addresses (shared by the lab's gateways).
        bbb_base_url: the lab BBB's actual base URL; its host:port is a known lab address.
        join_pages: the lab's Pod-like join-page server; its public host is a known lab address.
        display_name: the name the browser types (``streaming``, SIPMediaGW's MAIN_APP).
        version: the release it behaves as (``v1.6`` or ``v1.7.0``).
        seed: for the random stop duration of the realistic preset.
    """

    def __init__(self, world: LabWorld, publisher: StreamPublisher, *, name: str = "gw1", token: str = "1234",
                 timings: GatewayTimings | None = None, address_map: AddressMap | None = None,
                 bbb_base_url: str | None = None, join_pages: JoinPageServer | None = None,
                 display_name: str = "streaming", version: GatewayVersion = LEGACY_DEFAULT,
                 seed: int | None = None) -> None:
        super().__init__()
        if not version.legacy:
            raise ValueError(f"a legacy gateway cannot behave as SIPMediaGW {version.value}")
        self.world = world
        self.token = token
        self.bbb_base_url = bbb_base_url
        self.join_pages = join_pages
        self.version = version
        self.shell = GatewayShell()
        self.gateway = GatewayEmulator(world, publisher, name=name, timings=timings, address_map=address_map,
                                       extra_aliases=self._known_addresses, display_name=display_name, seed=seed,
                                       name_fields=version.join_name_fields)

    # -- shortcuts -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.gateway.name

    @property
    def faults(self) -> GatewayFaults:
        return self.gateway.faults

    @property
    def timings(self) -> GatewayTimings:
        return self.gateway.timings

    def set_faults(self, **changes: bool) -> GatewayFaults:
        return self.gateway.set_faults(**changes)

    def _known_addresses(self) -> dict[str, str]:
        known: dict[str, str] = {}
        if self.bbb_base_url:
            parts = urlsplit(self.bbb_base_url)
            known[parts.netloc.lower()] = f"{parts.scheme}://{parts.netloc}"
        if self.join_pages is not None and self.join_pages.started:
            known[self.join_pages.public_host.lower()] = self.join_pages.url
        return known

    # -- app -----------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._faults_middleware])
        app.router.add_get("/start", self._authorized(self._start))
        app.router.add_get("/stop", self._authorized(self._stop))
        app.router.add_get("/chat", self._authorized(self._toggle))
        app.router.add_post("/chat", self._chat)  # not decorated with @authorize upstream
        if self.version is not GatewayVersion.V1_6:  # 065b94f, first tagged in v1.7.0
            app.router.add_get("/progress", self._authorized(self._progress))
        return app

    async def before_stop(self) -> None:
        await self.gateway.close()
        self.shell.close()

    @web.middleware
    async def _faults_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        await self.gateway.hold_if_hanging()
        if self.faults.http500:
            # web.py's internalerror page
            return web.Response(status=500, text="internal server error", content_type="text/html")
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return web.Response(status=404, text="not found", content_type="text/html")  # web.py notfound

    def _authorized(self, handler: Handler) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            header = request.headers.get("Authorization", "")
            token = header[len("Bearer "):] if header.startswith("Bearer ") else header
            if self.faults.wrong_token or token != self.token:
                return _json({"Error": "authorization error"}, 401,
                             {"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return await handler(request)

        return checked

    async def _start(self, request: web.Request) -> web.StreamResponse:
        room = request.query.get("room", "")
        if not room or room == "0":
            return _json({"Error": "a room name must be specified"}, 400)
        domain = request.query.get("domain", "")
        rtmp_dst = request.query.get("rtmpDst", "")
        target = legacy_target_url(domain, room) if (domain or "://" in room) else None
        result = await self.gateway.launch(room=room, target_url=target, rtmp_dst=rtmp_dst)
        if result is LaunchResult.OK:
            details = {"res": "ok", "app": "streaming", "uri": rtmp_dst}
        elif result is LaunchResult.BUSY:
            details = {"res": "error", "type": "No free resources found"}
        else:
            details = {"res": "error", "type": "The gateway failed to launch"}
        return _json({"status": "success", "details": details})

    async def _stop(self, request: web.Request) -> web.StreamResponse:
        room = request.query.get("room", "")
        if not room or room == "0":
            return _json({"Error": "a room name must be specified"}, 400)
        if not self.gateway.is_up_for(room):
            if self.version is GatewayVersion.V1_6:
                return _json({"status": "success", "details": {"res": ""}})  # compose down, no check
            return _json({"Error": f"no running container for room={room}"}, 400)
        await self.gateway.stop()
        res = " Container gw0  Stopping =>  Container gw0  Stopped"
        if self.version is GatewayVersion.V1_6:
            res += " =>  Container gw0  Removing =>  Container gw0  Removed"
        return _json({"status": "success", "details": {"res": res}})

    async def _toggle(self, request: web.Request) -> web.StreamResponse:
        room = request.query.get("room", "")
        if not room or room == "0":
            return _json({"Error": "a room name must be specified"}, 400)
        if "toggle" not in request.query:
            return _json({"Error": "toggle parameter is expected"}, 400)
        if not self.gateway.is_up_for(room):
            return _json({"res": _no_container(room)})
        event = await deliver_legacy(self.shell, self.version, LEGACY_TOGGLE_PAYLOAD, room)
        if event is not None and event.get("action") == "toggle":
            await self.gateway.toggle_chat(room)
        return _json({"res": "ok"})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        try:
            data = await request.json()
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            return web.Response(status=500, text="internal server error", content_type="text/html")
        room, msg = data.get("room"), data.get("msg")
        if not isinstance(room, str) or not room:
            return _json({"Error": "a room name must be specified"}, 400)
        if not isinstance(msg, str):
            return _json({"Error": "message missing or not readable"}, 400)
        if not self.gateway.is_up_for(room):
            return _json({"res": _no_container(room)})
        event = await deliver_legacy(self.shell, self.version, legacy_message_payload(self.version, msg), room)
        text = event.get("text") if event is not None else None
        if isinstance(text, str) and text:
            await self.gateway.send_chat(room, text)  # the browser types it
        else:
            logger.info("lab gateway %s: the container could not decode a chat line (dropped, as upstream)",
                        self.name)
        return _json({"res": "ok"})  # netcat reached the container: that is all "ok" says

    async def _progress(self, request: web.Request) -> web.StreamResponse:
        room = request.query.get("room", "")
        if not room or room == "0":
            return _json({"Error": "a room name must be specified"}, 400)
        if not self.gateway.is_up_for(room):
            return _json({"status": "success", "gw_state": "down"})
        # a running streaming container: no gw_state; recording_duration only when recording
        return _json({"status": "success", "transcript_progress": "0%"})


def _no_container(room: str) -> str:
    """The docker stderr a command gets when no gateway answers for the room (§3.5)."""
    return f"nc: getaddrinfo for host \"{room}\" port 4444: Name or service not known"

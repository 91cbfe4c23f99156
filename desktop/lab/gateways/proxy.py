"""The SIPMediaGW v1.8 proxy API (FastAPI, port 9000) in front of one lab gateway.

Shapes follow gateway-and-pod.md §5 and the proxy's source (``deploy/proxyAPI/proxy.py``):

* ``POST /start`` JSON ``{room, main_app, browsing, browsing_name?, rtmp_dst, ...}`` ->
  ``{"status":"success","data":{"processing_state":"working","gw_id":...}}``;
* errors raised as FastAPI ``HTTPException`` go through the proxy's handler and come out as
  ``{"status":"error","error":{"code":N,"detail":"..."},"data":null}`` — including
  **503 "No available gateways"** and the 400 "Missing '<field>' parameter" the proxy checks by
  hand (room, main_app, browsing); a body that is not a JSON object is a 422
  ``{"status":"error","error":"Invalid input","message":[...]}`` (FastAPI's validation shape);
* a launch the gateway host refuses comes back as 503 "Faild to parse Gateway Json response"
  (sic: the proxy re-wraps the host's error);
* 401 ``{"error":"authorization error"}`` + ``WWW-Authenticate: Bearer error="invalid_token"``
  (``/start`` says ``"authorization error invalid_token "``, as upstream) on ``/start`` and
  ``/stop``.  Upstream leaves ``/status``, ``/progress`` and ``/command`` open (the status check is
  commented out, the generic command relay checks nothing); ``protect_all_routes=True`` asks for
  the token there too, as a hardened deployment would.

Where the browser goes: ``https://{WEBRTC_DOMAINS[browsing]}/{room}`` (§5.4).  The lab's
``webrtc_domains`` maps ``"bigbluebutton"`` and ``"lab"`` to the join-page server's host by
default, whose ``/<room>`` is a Greenlight-like page; a ``browsing`` that is not a key but looks
like a host (``"127.0.0.1:8443"``) is used as the domain, and a ``room`` that is a full
``http(s)://`` URL (a signed BBB join URL, a Pod page) is opened as is.  Any other ``browsing``
leads nowhere: the start is accepted, the container exits, ``gw_state`` goes back to down.

``/status`` answers ``gw_state`` "up" while the container runs and "down" otherwise (§5.1); the
proxy clears the room when the gateway stops, so ``/status?room=`` of a finished run is a 404.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from desktop.lab.gateways.browser import AddressMap
from desktop.lab.gateways.core import GatewayEmulator, LaunchResult
from desktop.lab.gateways.joinpage import JoinPageServer
from desktop.lab.gateways.server import LabHttpServer
from desktop.lab.gateways.settings import GatewayFaults, GatewayTimings
from desktop.lab.publishing import StreamPublisher
from desktop.lab.world import LabWorld

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

LAB_BROWSING_KEYS = ("bigbluebutton", "lab")
TOGGLE_KEYS = ("c", "3")  # sendKey values that reach the chat-panel toggle (§5.3)


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json", headers=headers)


def error_envelope(code: int, detail: str) -> web.Response:
    """The proxy's HTTPException handler output."""
    return _json({"status": "error", "error": {"code": code, "detail": detail}, "data": None}, code)


def _unauthorized(text: str = "authorization error") -> web.Response:
    return _json({"error": text}, 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})


class ProxyGatewayServer(LabHttpServer):
    """A v1.8 proxy with exactly one registered gateway (one streaming slot).

    Args:
        world, publisher, name, token, timings, address_map, bbb_base_url, join_pages,
            display_name, seed: as for :class:`~desktop.lab.gateways.legacy.LegacyGatewayServer`.
        gw_id: the gateway's id in the proxy (default: ``name``).
        webrtc_domains: the deployment's ``WEBRTC_DOMAINS`` (browsing key -> ``host[/path]``);
            default: ``bigbluebutton`` and ``lab`` -> the join-page server's public host.
        protect_all_routes: require the token on ``/status``, ``/progress`` and ``/command`` too.
    """

    def __init__(self, world: LabWorld, publisher: StreamPublisher, *, name: str = "gw-v18", token: str = "1234",
                 gw_id: str | None = None, timings: GatewayTimings | None = None,
                 address_map: AddressMap | None = None, bbb_base_url: str | None = None,
                 join_pages: JoinPageServer | None = None, webrtc_domains: Mapping[str, str] | None = None,
                 display_name: str = "streaming", protect_all_routes: bool = False,
                 seed: int | None = None) -> None:
        super().__init__()
        self.world = world
        self.token = token
        self.protect_all_routes = protect_all_routes
        self.gw_id = gw_id or name
        self.bbb_base_url = bbb_base_url
        self.join_pages = join_pages
        self._webrtc_domains = dict(webrtc_domains) if webrtc_domains is not None else None
        self.gateway = GatewayEmulator(world, publisher, name=name, timings=timings, address_map=address_map,
                                       extra_aliases=self._known_addresses, display_name=display_name, seed=seed)

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

    @property
    def webrtc_domains(self) -> dict[str, str]:
        if self._webrtc_domains is not None:
            return dict(self._webrtc_domains)
        if self.join_pages is not None and self.join_pages.started:
            return dict.fromkeys(LAB_BROWSING_KEYS, self.join_pages.public_host)
        return {}

    def target_url(self, browsing: str, room: str) -> str | None:
        """Where the browser goes for ``browsing``/``room`` (see the module docstring)."""
        if room.startswith(("http://", "https://")):
            return room
        domain = self.webrtc_domains.get(browsing)
        if domain is None and ("." in browsing or ":" in browsing):
            domain = browsing.split("://", 1)[-1]
        if domain is None:
            return None
        return f"https://{domain.rstrip('/')}/{room}"

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
        app.router.add_post("/start", self._authorized(self._start, "authorization error invalid_token "))
        app.router.add_post("/stop", self._authorized(self._stop))
        app.router.add_get("/status", self._maybe_authorized(self._status))
        app.router.add_get("/progress", self._maybe_authorized(self._status))
        app.router.add_post("/command", self._maybe_authorized(self._command))
        return app

    async def before_stop(self) -> None:
        await self.gateway.close()

    @web.middleware
    async def _faults_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        await self.gateway.hold_if_hanging()
        if self.faults.http500:
            return error_envelope(500, "Internal Server Error")
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status == 404:
                return error_envelope(404, "Not Found")
            if exc.status == 405:
                return _json({"detail": "Method Not Allowed"}, 405)
            raise

    def _authorized(self, handler: Handler, refusal: str = "authorization error") -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            header = request.headers.get("Authorization", "")
            if self.faults.wrong_token or not header.startswith("Bearer ") or header.split(" ", 1)[1] != self.token:
                return _unauthorized(refusal)
            return await handler(request)

        return checked

    def _maybe_authorized(self, handler: Handler) -> Handler:
        checked = self._authorized(handler)

        async def route(request: web.Request) -> web.StreamResponse:
            return await (checked if self.protect_all_routes else handler)(request)

        return route

    async def _body(self, request: web.Request) -> dict[str, Any] | web.Response:
        try:
            data = json.loads(await request.text() or "null")
        except (ValueError, UnicodeDecodeError) as exc:
            return _json({"status": "error", "error": "Invalid input",
                          "message": [{"type": "json_invalid", "loc": ["body"], "msg": "JSON decode error",
                                       "input": {}, "ctx": {"error": str(exc)}}]}, 422)
        if not isinstance(data, dict):
            return _json({"status": "error", "error": "Invalid input",
                          "message": [{"type": "dict_type", "loc": ["body"],
                                       "msg": "Input should be a valid dictionary", "input": data}]}, 422)
        return data

    # -- routes --------------------------------------------------------------------------------
    async def _start(self, request: web.Request) -> web.StreamResponse:
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        for key in ("browsing", "room", "main_app"):  # the proxy's own order of checks
            if not data.get(key):
                return error_envelope(400, f"Missing '{key}' parameter")
        room, browsing = data["room"], data["browsing"]
        rtmp_dst = data.get("rtmp_dst") or ""
        if not all(isinstance(v, str) for v in (room, browsing, data["main_app"], rtmp_dst)):
            # The host's pydantic 422 is re-wrapped by the proxy.
            return error_envelope(503, "Faild to parse Gateway Json response")
        if self.faults.busy or self.gateway.is_up:
            return error_envelope(503, "No available gateways")
        result = await self.gateway.launch(room=room, target_url=self.target_url(browsing, room),
                                           rtmp_dst=rtmp_dst, browsing=browsing)
        if result is LaunchResult.BUSY:
            return error_envelope(503, "No available gateways")
        if result is LaunchResult.FAILED:
            return error_envelope(503, "Faild to parse Gateway Json response")
        return _json({"status": "success", "data": {"processing_state": "working", "gw_id": self.gw_id}})

    async def _stop(self, request: web.Request) -> web.StreamResponse:
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        gw_id = data.get("gw_id")
        if not gw_id:
            return error_envelope(400, "Missing 'gw_id' parameter")
        if gw_id != self.gw_id:
            return error_envelope(404, f"No mapping found for gateway '{gw_id}'")
        await self.gateway.stop()
        return _json({"status": "success", "data": {"processing_state": "stopped"}})

    async def _status(self, request: web.Request) -> web.StreamResponse:
        gw_id, room = request.query.get("gw_id"), request.query.get("room")
        if not gw_id and not room:
            return error_envelope(400, "Missing 'gw_id' or 'room' parameter")
        run = self.gateway.run
        if room:
            if run is None or run.room != room:
                return error_envelope(404, f"No gateway found for room '{room}'")
        elif gw_id != self.gw_id:
            return error_envelope(404, f"Gateway '{gw_id}' not found")
        return _json({"status": "success", "data": {
            "gw_id": self.gw_id,
            "gw_state": "up" if run is not None else "down",
            "room": run.room if run is not None else None,
            "browsing": run.browsing if run is not None else None,
        }})

    async def _command(self, request: web.Request) -> web.StreamResponse:
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        gw_id = data.get("gw_id")
        if not gw_id:
            return error_envelope(400, "Missing 'gw_id' parameter")
        if gw_id != self.gw_id:
            return error_envelope(404, f"Gateway '{gw_id}' not found")
        if not self.gateway.is_up:
            return error_envelope(403, f"Gateway '{gw_id}' is stopped, cannot send commands")
        payload = data.get("payload")
        command = payload.get("command") if isinstance(payload, dict) else None
        param1 = payload.get("param1") if isinstance(payload, dict) else None
        if not isinstance(command, str) or not command:
            return _json({"status": "error", "error": "Invalid input",
                          "message": [{"type": "missing", "loc": ["body", "payload", "command"],
                                       "msg": "Field required", "input": payload}]}, 422)
        if command == "sendChat":
            if not isinstance(param1, str):
                return error_envelope(400, "Missing 'param1' parameter")
            await self.gateway.send_chat(None, param1)
        elif command == "sendKey" and isinstance(param1, str) and param1 in TOGGLE_KEYS:
            await self.gateway.toggle_chat(None)
        # Other commands (sendString, endCall, slideShot, displayName, other keys) are accepted and
        # have no visible effect in the lab.
        return _json({"status": "success", "data": {"command": command}})

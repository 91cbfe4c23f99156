"""The SIPMediaGW v1.8 proxy API (FastAPI, port 9000) in front of one lab gateway.

Replies follow Renater/SIPMediaGW ``deploy/proxyAPI/proxy.py`` and ``HTTPLauncher.py`` at
``main`` (564e7a5) or tag v1.8.4 (8432d73), chosen with ``version``
(:class:`~desktop.lab.gateways.versions.GatewayVersion`):

* the proxy keeps each gateway in Redis as ``ip|state|…`` where ``state`` is ``started``
  (registered and **free**), ``working`` (a start succeeded) or ``stopped`` (after a stop); its
  30-second ``monitorGateways`` asks the launcher's ``/gateway/status`` and maps ``up`` to
  ``working`` and ``down`` to ``started``.  ``/status`` answers from that record, so it never
  says ``up``/``down``, a dead container reads ``working`` until the next tick, and a stopped
  gateway is not free again (``findAvailableGateway`` wants ``started``) before the next tick.
  ``monitor_interval`` is that period (30 s upstream; shorter in the lab's fast timings);
* ``POST /start``: 401 ``{"error":"authorization error invalid_token "}`` (main) /
  ``"authorization error"`` (v1.8.4); 400 "Missing '<field>' parameter" in the proxy's order —
  main checks ``browsing``, ``room``, ``main_app``; v1.8.4 only ``room``, ``main_app`` —; 503
  "No available gateways"; a launcher failure comes back as 503 "Faild to parse Gateway Json
  response" (sic); success is the launcher's ``{"status":"success","error":null,"data":
  {"processing_state":"working","gw_id":…}}``;
* ``POST /stop``: 404 "No mapping found for gateway '<id>'"; a gateway without a running
  container makes the launcher raise (404), which the proxy passes on with status 404; success
  ``{"status":"success","error":null,"data":{"processing_state":"stopped"}}``;
* ``GET /status`` / ``/progress`` (``?gw_id=`` or ``?room=``): open on main, token on v1.8.4;
* ``POST /command``: main leaves it open, v1.8.4 wants the token; 404 for an unknown gateway,
  403 "… is stopped, cannot send commands" unless the record says ``working``; then main reaches
  the launcher's ``/gateway/command`` (``sendChat`` through the real shell template,
  :mod:`desktop.lab.gateways.shell`; reply ``{"status":"success","error":null,"data":{"ack":true,
  "received":{…}}}``, or 404 "Gateway not found" without a running container), while v1.8.4
  forwards to ``/command``, which the launcher does not serve: FastAPI's bare 404
  ``{"detail":"Not Found"}``.
* Errors raised as ``HTTPException`` come out as ``{"status":"error","error":{"code":N,"detail":…},
  "data":null}``; a body that is not a JSON object is FastAPI's 422 shape [the exact reply of the
  proxy's hand-written ``await request.json()`` to a non-JSON body is a 500 upstream — unverified
  in which form; the lab answers the validation shape].

Where the browser goes: ``https://{WEBRTC_DOMAINS[browsing]}/{room}`` (§5.4).  The lab's
``webrtc_domains`` maps ``"bigbluebutton"`` and ``"lab"`` to the join-page server's host by
default, whose ``/<room>`` is a Greenlight-like page; a ``browsing`` that is not a key but looks
like a host (``"127.0.0.1:8443"``) is used as the domain, and a ``room`` that is a full
``http(s)://`` URL (a signed BBB join URL, a Pod page) is opened as is.  Any other ``browsing``
leads nowhere: the start is accepted, the container exits.
"""

from __future__ import annotations

import asyncio
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
from desktop.lab.gateways.shell import GatewayShell
from desktop.lab.gateways.versions import PROXY_DEFAULT, GatewayVersion, deliver_main_chat
from desktop.lab.publishing import StreamPublisher
from desktop.lab.world import LabWorld, WorldEvent

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
        protect_all_routes: require the token on ``/status``, ``/progress`` and ``/command`` too
            (as v1.8.4 does, or a hardened deployment behind a reverse proxy).
        version: ``main`` or ``v1.8.4``.
        monitor_interval: seconds between two runs of the proxy's gateway monitor.
    """

    def __init__(self, world: LabWorld, publisher: StreamPublisher, *, name: str = "gw-v18", token: str = "1234",
                 gw_id: str | None = None, timings: GatewayTimings | None = None,
                 address_map: AddressMap | None = None, bbb_base_url: str | None = None,
                 join_pages: JoinPageServer | None = None, webrtc_domains: Mapping[str, str] | None = None,
                 display_name: str = "streaming", protect_all_routes: bool = False,
                 version: GatewayVersion = PROXY_DEFAULT, monitor_interval: float | None = None,
                 seed: int | None = None) -> None:
        super().__init__()
        if version.legacy:
            raise ValueError(f"a v1.8 proxy cannot behave as SIPMediaGW {version.value}")
        self.world = world
        self.token = token
        self.version = version
        self.protect_all_routes = protect_all_routes or version is GatewayVersion.V1_8_4
        self.shell = GatewayShell()
        # the Redis record of the one registered gateway (proxy.py /register: "started", no room)
        self.record_state = "started"
        self.record_room: str | None = None
        self.record_browsing: str | None = None
        self._monitor: asyncio.Task[None] | None = None
        self.gw_id = gw_id or name
        self.bbb_base_url = bbb_base_url
        self.join_pages = join_pages
        self._webrtc_domains = dict(webrtc_domains) if webrtc_domains is not None else None
        self.gateway = GatewayEmulator(world, publisher, name=name, timings=timings, address_map=address_map,
                                       extra_aliases=self._known_addresses, display_name=display_name, seed=seed,
                                       name_fields=version.join_name_fields)
        self.monitor_interval = monitor_interval if monitor_interval is not None else self.gateway.timings.proxy_monitor

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
        start_refusal = "authorization error invalid_token " if self.version is GatewayVersion.MAIN \
            else "authorization error"
        app.router.add_post("/start", self._authorized(self._start, start_refusal))
        app.router.add_post("/stop", self._authorized(self._stop))
        app.router.add_get("/status", self._maybe_authorized(self._status))
        app.router.add_get("/progress", self._maybe_authorized(self._status))
        app.router.add_post("/command", self._maybe_authorized(self._command))
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        await super().start(host, port)
        if self._monitor is None:
            self._monitor = asyncio.get_running_loop().create_task(self._monitor_gateways())

    async def before_stop(self) -> None:
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.cancel()
            await asyncio.gather(monitor, return_exceptions=True)
        await self.gateway.close()
        self.shell.close()

    # -- the proxy's monitor (proxy.py monitorGateways + updateProgressInfo) ----------------------
    async def _monitor_gateways(self) -> None:
        while True:
            await asyncio.sleep(self.monitor_interval)
            self.refresh_record()

    def refresh_record(self) -> None:
        """One monitor tick: the launcher's up/down becomes working/started."""
        before = self.record_state
        self._apply_launcher_state()
        if self.record_state != before:
            self.world.emit(WorldEvent("proxy_record_changed", None,
                                       {"gateway": self.name, "state": self.record_state}))

    def _apply_launcher_state(self) -> None:
        run = self.gateway.run
        if run is not None:
            self.record_state = "working"
            if self.version is GatewayVersion.MAIN:  # main also refreshes room/browsing from the launcher
                self.record_room, self.record_browsing = run.room, run.browsing
        else:
            self.record_state = "started"
            if self.version is GatewayVersion.MAIN:
                self.record_room = self.record_browsing = None

    @web.middleware
    async def _faults_middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        await self.gateway.hold_if_hanging()
        if self.faults.http500:
            return error_envelope(500, "Internal Server Error")
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status == 404:
                return _json({"detail": "Not Found"}, 404)  # Starlette's own 404
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
        checks = ("browsing", "room", "main_app") if self.version is GatewayVersion.MAIN else ("room", "main_app")
        for key in checks:  # the proxy's own order of checks
            if not data.get(key):
                return error_envelope(400, f"Missing '{key}' parameter")
        room = data["room"]
        browsing = data.get("browsing") or data.get("browsing_name") or ""
        rtmp_dst = data.get("rtmp_dst") or ""
        if not all(isinstance(v, str) for v in (room, browsing, data["main_app"], rtmp_dst)):
            # The host's pydantic 422 is re-wrapped by the proxy.
            return error_envelope(503, "Faild to parse Gateway Json response")
        if self.faults.busy or self.record_state != "started":  # findAvailableGateway
            return error_envelope(503, "No available gateways")
        result = await self.gateway.launch(room=room, target_url=self.target_url(browsing, room),
                                           rtmp_dst=rtmp_dst, browsing=browsing)
        if result is LaunchResult.BUSY:
            return error_envelope(503, "No available gateways")
        if result is LaunchResult.FAILED:
            return error_envelope(503, "Faild to parse Gateway Json response")
        self.record_state, self.record_room = "working", room
        if self.version is GatewayVersion.MAIN:
            self.record_browsing = browsing
        return _json({"status": "success", "error": None,
                      "data": {"processing_state": "working", "gw_id": self.gw_id}})

    async def _stop(self, request: web.Request) -> web.StreamResponse:
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        gw_id = data.get("gw_id")
        if not gw_id:
            return error_envelope(400, "Missing 'gw_id' parameter")
        if gw_id != self.gw_id:
            return error_envelope(404, f"No mapping found for gateway '{gw_id}'")
        if not self.gateway.is_up:
            # the launcher's ValueError -> 404 envelope; the proxy fails to read its "data"
            launcher = {"status": "error", "error": {"code": 404, "detail": f"no running container for gw_id={gw_id}"},
                        "data": None}
            if self.version is GatewayVersion.MAIN:
                return _json({"status": "error", "error": "Failed to parse gateway response", "data": launcher}, 404)
            return _json(launcher, 404)
        await self.gateway.stop()
        self.record_state = "stopped"
        self.record_room = None
        self.record_browsing = None
        return _json({"status": "success", "error": None, "data": {"processing_state": "stopped"}})

    async def _status(self, request: web.Request) -> web.StreamResponse:
        gw_id, room = request.query.get("gw_id"), request.query.get("room")
        if not gw_id and not room:
            return error_envelope(400, "Missing 'gw_id' or 'room' parameter")
        if room:
            if self.record_room != room:
                return error_envelope(404, f"No gateway found for room '{room}'")
        elif gw_id != self.gw_id:
            return error_envelope(404, f"Gateway '{gw_id}' not found")
        body: dict[str, Any] = {"gw_id": self.gw_id, "gw_state": self.record_state}
        if self.version is GatewayVersion.MAIN:
            body.update(room=self.record_room, browsing=self.record_browsing, media_duration="0",
                        transcript_progress="0")
        else:  # v1.8.4: the raw Redis fields ("None" is the stored text of a missing room)
            body.update(room=self.record_room or "None", media_duration="0", transcript_progress="0")
        return _json({"status": "success", "data": body})

    async def _command(self, request: web.Request) -> web.StreamResponse:
        data = await self._body(request)
        if isinstance(data, web.Response):
            return data
        gw_id = data.get("gw_id")
        if not gw_id:
            return error_envelope(400, "Missing 'gw_id' parameter")
        if gw_id != self.gw_id:
            return error_envelope(404, f"Gateway '{gw_id}' not found")
        if self.record_state != "working":
            return error_envelope(403, f"Gateway '{gw_id}' is stopped, cannot send commands")
        if self.version is GatewayVersion.V1_8_4:
            return _json({"detail": "Not Found"}, 404)  # forwarded to the launcher's /command
        payload = data.get("payload")
        if not isinstance(payload, dict):
            return _json({"status": "error", "error": "Invalid input",
                          "message": [{"type": "missing", "loc": ["body", "payload"],
                                       "msg": "Field required", "input": data}]}, 422)
        if not self.gateway.is_up:
            return error_envelope(404, "Gateway not found")  # launcher: no running gw container
        command, param1 = payload.get("command"), payload.get("param1")
        if command == "sendChat" and isinstance(param1, str):
            for text in await deliver_main_chat(self.shell, param1):
                await self.gateway.send_chat(None, text)  # window.meeting.sendChat
        elif command == "sendKey" and isinstance(param1, str) and param1 in TOGGLE_KEYS:
            await self.gateway.toggle_chat(None)
        # Other commands (sendString, endCall, slideShot, displayName, other keys) are acknowledged
        # and have no visible effect in the lab.
        return _json({"status": "success", "error": None, "data": {"ack": True, "received": payload}})

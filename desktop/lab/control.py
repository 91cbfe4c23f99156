"""The lab's control endpoint: switch faults, end meetings and run the audience over HTTP.

It runs on its own loopback port (``LabOptions.control_port_index`` after the gateways, or an
ephemeral one) so that it can never be mistaken for an emulated server: nothing a real BBB,
gateway or Pod serves lives here.  Every route needs ``Authorization: Bearer <token>``; the token
is random per lab and printed by ``pupitre lab`` (``describe()["control"]``).

Routes (JSON in, JSON out; errors are ``{"error": "<one sentence>"}``):

* ``GET /lab/state`` — :meth:`Lab.describe` without the control token, plus ``faults`` (active
  faults per target), ``meetings`` (a summary of each meeting), ``publishing`` (gateways
  streaming now), ``audience`` (simulator counters, or null) and ``pages`` (audience-page chat
  switches).
* ``POST /lab/fault`` ``{"target": "bbb"|"gw1"|"stream:gw1", "fault": "...", "on": true}`` —
  :meth:`Lab.set_fault`.  BBB faults: ``down``, ``checksum_sha1_only``, ``graphql_drop`` (a pulse:
  open GraphQL connections are dropped once); gateway faults: ``launch_fail``, ``busy``,
  ``hang``, ``http500``, ``wrong_token``, ``toggle_lost`` (a chat-panel toggle is acknowledged,
  the panel does not move); stream faults: ``stalled``, ``not_found``.
* ``POST /lab/meetings/<meetingID>/end`` — the meeting is ended by someone else (404 if unknown).
* ``POST /lab/audience`` ``{"viewers": N, "rate": R, "gateway": "gw1"|null, "seed": S}`` starts
  (or restarts) the simulated audience; ``{"viewers": 0}`` stops it.  Answers its counters.
* ``POST /lab/pages/chat`` ``{"gateway": "gw1", "enabled": false}`` — whether the webinar behind
  that audience page accepts chat.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from desktop.lab.gateways.server import LabHttpServer

if TYPE_CHECKING:
    from desktop.lab.runner import Lab

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=json.dumps(data, ensure_ascii=False), status=status, content_type="application/json",
                        headers={"Cache-Control": "no-store", **(headers or {})})


def _error(status: int, sentence: str, headers: dict[str, str] | None = None) -> web.Response:
    return _json({"error": sentence}, status, headers)


class BadRequest(Exception):
    """A request the control endpoint cannot act on; the message is the sentence to answer."""


class LabControlServer(LabHttpServer):
    """The control endpoint of ``lab`` (see the module docstring), protected by ``token``."""

    def __init__(self, lab: Lab, token: str) -> None:
        super().__init__()
        if len(token) < 16:
            raise ValueError("the control token must be at least 16 characters long")
        self.lab = lab
        self.token = token

    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth], client_max_size=64 * 1024)
        app.router.add_get("/lab/state", self._state)
        app.router.add_post("/lab/fault", self._fault)
        app.router.add_post("/lab/meetings/{meeting_id}/end", self._end_meeting)
        app.router.add_post("/lab/audience", self._audience)
        app.router.add_post("/lab/pages/chat", self._page_chat)
        return app

    @web.middleware
    async def _auth(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        header = request.headers.get("Authorization", "")
        given = header[len("Bearer "):] if header.startswith("Bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), self.token.encode()):
            return _error(401, "The lab control endpoint needs its token (Authorization: Bearer <token>).",
                          {"WWW-Authenticate": 'Bearer realm="pupitre-lab"'})
        try:
            return await handler(request)
        except BadRequest as exc:
            return _error(400, str(exc))

    @staticmethod
    async def _body(request: web.Request) -> dict[str, Any]:
        try:
            data = json.loads(await request.text() or "{}")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BadRequest("The body must be a JSON object.")
        return data

    # -- routes ------------------------------------------------------------------------------------
    async def _state(self, request: web.Request) -> web.Response:
        return _json(self.lab.state())

    async def _fault(self, request: web.Request) -> web.Response:
        data = await self._body(request)
        target, fault, on = data.get("target"), data.get("fault"), data.get("on", True)
        if not isinstance(target, str) or not isinstance(fault, str) or not isinstance(on, bool):
            raise BadRequest('Send {"target": "bbb"|"gw1"|"stream:gw1", "fault": "...", "on": true|false}.')
        try:
            await self.lab.set_fault(target, fault, on)
        except KeyError:
            raise BadRequest(f"The lab has no target {target!r}.") from None
        except ValueError as exc:
            raise BadRequest(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
        logger.info("lab control: fault %s on %s %s", fault, target, "on" if on else "off")
        return _json({"target": target, "fault": fault, "on": on, "faults": self.lab.active_faults()})

    async def _end_meeting(self, request: web.Request) -> web.Response:
        meeting_id = request.match_info["meeting_id"]
        if not self.lab.end_meeting(meeting_id):
            return _error(404, "No running meeting has this ID.")
        return _json({"meeting_id": meeting_id, "ending": True})

    async def _audience(self, request: web.Request) -> web.Response:
        data = await self._body(request)
        viewers = data.get("viewers", 0)
        rate = data.get("rate", 1.0)
        gateway = data.get("gateway")
        seed = data.get("seed")
        if not isinstance(viewers, int) or isinstance(viewers, bool) or viewers < 0:
            raise BadRequest("viewers must be a whole number, 0 to stop the audience.")
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not rate > 0 or rate > 1000:
            raise BadRequest("rate must be a number of messages per second above 0 (at most 1000).")
        if gateway is not None and not isinstance(gateway, str):
            raise BadRequest("gateway must be a gateway name or null.")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise BadRequest("seed must be a whole number.")
        if viewers == 0:
            stats = await self.lab.stop_audience()
            return _json({"running": False, "stats": stats})
        try:
            await self.lab.start_audience(viewers, float(rate), gateway=gateway, seed=seed)
        except ValueError as exc:
            raise BadRequest(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
        return _json({"running": True, "stats": self.lab.audience_stats()})

    async def _page_chat(self, request: web.Request) -> web.Response:
        data = await self._body(request)
        gateway, enabled = data.get("gateway"), data.get("enabled")
        if not isinstance(gateway, str) or not isinstance(enabled, bool):
            raise BadRequest('Send {"gateway": "gw1", "enabled": true|false}.')
        pages = self.lab.audience_pages
        if pages is None:
            raise BadRequest("The lab serves no audience pages.")
        try:
            pages.set_chat_enabled(gateway, enabled)
        except KeyError:
            raise BadRequest(f"The lab has no gateway {gateway!r}.") from None
        return _json({"gateway": gateway, "chat": enabled})

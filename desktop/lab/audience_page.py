"""The lab's stand-in for Esup-Pod's live page: ``GET /live/<gateway>`` per lab gateway.

What a viewer of a Pupitre webinar sees (gateway-and-pod.md §9): the audience HLS stream of the
gateway, the title of the meeting being streamed (or "not live"), and — when the webinar accepts
chat — a name and message form whose message is posted the way Pod's ``live_publish_chat`` posts
it: prefixed with ``(First Last) ``, ``'`` and ``"`` replaced by ``’``, sent to the gateway's chat
endpoint (legacy ``POST /chat {room, msg}`` with the room of the running stream, v1.8
``POST /command`` ``sendChat``), which types it into the BBB public chat as ``streaming``.

Routes (one server; its URL is the lab's "Pod"):

* ``GET /`` — the list of live pages;
* ``GET /live/<gateway>`` — the page (HTML, no framework): ``#title``, ``#live-status``,
  ``video#player``, ``#player-note``, the form ``#chat-form`` with ``#first-name``,
  ``#last-name``, ``textarea#message`` (``maxlength=100``, the count shown in
  ``#message-count``, as Pod), ``#send``, ``#chat-status``; ``body[data-live]`` is
  ``yes``/``no``;
* ``GET /live/<gateway>/state`` — ``{gateway, live, title, chat, hls_url, participants}``;
* ``POST /live/<gateway>/chat`` — JSON ``{first, last, message}`` with the page's
  ``X-CSRFToken``; answers Pod's ``{"message_return": "message_sent", "is_sent": true}`` or
  ``{"message_return": "error", "is_sent": false}`` (HTTP 200 both, as Pod), 400 for a malformed
  request, 403 without the token.  Like Pod, the 100-character limit is the form's, not the
  server's;
* ``GET /static/<file>`` — ``audience.js``, ``audience.css`` and ``hls.min.js``.

Player: hls.js 1.7.4 comes from npm (``desktop/lab/web/package.json``; ``packaging/dev.sh`` runs
``npm ci`` there) and is served from ``node_modules`` on disk, never copied into the repository.
When it is missing the page says so and falls back to the browser's native HLS playback.

Whether the webinar accepts chat is not something BBB or the gateway knows (Pod reads it from its
own meeting record); the lab keeps it per page, on by default, switched with
:meth:`AudiencePageServer.set_chat_enabled` (control endpoint ``POST /lab/pages/chat``).

Escaping: the server writes user data (the meeting title) only through :func:`html.escape`; the
script updates the page with ``textContent`` only, from JSON whose ``<``, ``>``, ``&`` are escaped;
a Content-Security-Policy without inline script backs both up.
"""

from __future__ import annotations

import html
import json
import logging
import secrets
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import aiohttp
from aiohttp import web

from desktop.lab.bbb.responses import safe_json_dumps
from desktop.lab.gateways.server import LabHttpServer
from desktop.lab.live_audience import chat_poster_for, streaming_title

if TYPE_CHECKING:
    from desktop.lab.runner import LabGateway

logger = logging.getLogger(__name__)

HLS_JS = Path(__file__).resolve().parent / "web" / "node_modules" / "hls.js" / "dist" / "hls.min.js"
NAME_MAX = 150  # Django's first_name / last_name
MESSAGE_FORM_MAX = 100  # Pod's <textarea maxlength=100>
SENT = {"message_return": "message_sent", "is_sent": True}
NOT_SENT = {"message_return": "error", "is_sent": False}

_STATIC = {"audience.js": "application/javascript", "audience.css": "text/css"}


def _web_text(name: str) -> str:
    return resources.files("desktop.lab").joinpath("web", name).read_text(encoding="utf-8")


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=safe_json_dumps(data), status=status, content_type="application/json",
                        headers={"Cache-Control": "no-store", **(headers or {})})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class AudiencePageServer(LabHttpServer):
    """Pod-like live pages for the lab's gateways.

    Args:
        gateways: the lab's gateways (the list is read at each request, so it may be filled after
            the server was created).
        hls_js: the hls.js build to serve; None to serve none (native playback only).
        post_timeout: seconds a chat post to the gateway may take.
    """

    def __init__(self, gateways: Sequence[LabGateway], *, hls_js: Path | None = HLS_JS,
                 post_timeout: float = 30.0) -> None:
        super().__init__()
        self._gateways = gateways
        self.hls_js = hls_js
        self.post_timeout = post_timeout
        self._csrf = secrets.token_urlsafe(24)
        self._chat_disabled: set[str] = set()
        self._session: aiohttp.ClientSession | None = None
        self._template = Template(_web_text("audience.html"))

    # -- lab controls ----------------------------------------------------------------------------
    def page_url(self, gateway_name: str) -> str:
        return f"{self.url}/live/{quote(gateway_name, safe='')}"

    def chat_enabled(self, gateway_name: str) -> bool:
        """The lab's switch for this page, and the webinar's own choice: Pupitre creates its
        meetings with ``meta_pupitre-audience-chat`` (Pod's ``enable_chat``)."""
        if gateway_name in self._chat_disabled:
            return False
        run = self._gateway(gateway_name).server.gateway.run
        meeting = run.joined.meeting if run is not None and run.joined is not None else None
        return meeting is None or meeting.metadata.get("pupitre-audience-chat", "true") != "false"

    def set_chat_enabled(self, gateway_name: str, enabled: bool) -> None:
        """Whether the webinar behind this page accepts chat (Pod's ``enable_chat``)."""
        self._gateway(gateway_name)  # KeyError for an unknown gateway
        if enabled:
            self._chat_disabled.discard(gateway_name)
        else:
            self._chat_disabled.add(gateway_name)

    @property
    def has_hls_js(self) -> bool:
        return self.hls_js is not None and self.hls_js.is_file()

    def _gateway(self, name: str) -> LabGateway:
        for gateway in self._gateways:
            if gateway.name == name:
                return gateway
        raise KeyError(name)

    def state(self, gateway: LabGateway) -> dict[str, Any]:
        title = streaming_title(gateway)
        run = gateway.server.gateway.run
        participants = run.joined.meeting.participant_count if title is not None and run and run.joined else 0
        return {"gateway": gateway.name, "live": title is not None, "title": title,
                "chat": title is not None and self.chat_enabled(gateway.name), "hls_url": gateway.hls_url,
                "participants": participants}

    # -- app -----------------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_get("/", self._index)
        app.router.add_get(r"/live/{gateway:[A-Za-z0-9_-]{1,64}}", self._page)
        app.router.add_get(r"/live/{gateway:[A-Za-z0-9_-]{1,64}}/state", self._state)
        app.router.add_post(r"/live/{gateway:[A-Za-z0-9_-]{1,64}}/chat", self._chat)
        app.router.add_get("/static/{name}", self._static)
        return app

    async def before_stop(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.post_timeout))
        return self._session

    def _known(self, request: web.Request) -> LabGateway:
        try:
            return self._gateway(request.match_info["gateway"])
        except KeyError:
            raise web.HTTPNotFound(text="No such live page.") from None

    async def _index(self, request: web.Request) -> web.Response:
        items = "".join(
            f'<li><a href="/live/{quote(g.name, safe="")}">{html.escape(g.name)}</a></li>' for g in self._gateways)
        body = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lives - Pupitre lab</title>'
                f'</head><body><h1>Lives</h1><ul id="lives">{items}</ul></body></html>')
        return web.Response(text=body, content_type="text/html", headers=self._headers(None))

    def _headers(self, gateway: LabGateway | None) -> dict[str, str]:
        media = f" {_origin(gateway.hls_url)}" if gateway is not None else ""
        policy = (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                  f"connect-src 'self'{media}; media-src 'self' blob:{media}; worker-src blob:; "
                  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

    async def _page(self, request: web.Request) -> web.Response:
        gateway = self._known(request)
        state = self.state(gateway)
        hls_js = self.has_hls_js
        note = "" if hls_js else ("hls.js is not installed (run packaging/dev.sh, which runs npm ci in "
                                  "desktop/lab/web): using the browser's native HLS playback.")
        body = self._template.substitute(
            gateway=html.escape(gateway.name),
            title=html.escape(state["title"] or f"{gateway.name}: not live"),
            status=html.escape("Live" if state["live"] else "Not live: no webinar is being streamed here."),
            live="yes" if state["live"] else "no",
            hls_url=html.escape(gateway.hls_url),
            state_url=html.escape(f"/live/{quote(gateway.name, safe='')}/state"),
            chat_url=html.escape(f"/live/{quote(gateway.name, safe='')}/chat"),
            csrf=html.escape(self._csrf),
            chat_hidden="" if state["chat"] else " hidden",
            maxlength=str(MESSAGE_FORM_MAX),
            name_max=str(NAME_MAX),
            note=html.escape(note),
            hls_js_tag='<script src="/static/hls.min.js"></script>' if hls_js else "",
        )
        return web.Response(text=body, content_type="text/html", headers=self._headers(gateway))

    async def _state(self, request: web.Request) -> web.Response:
        return _json(self.state(self._known(request)))

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if name == "hls.min.js" and self.has_hls_js:
            assert self.hls_js is not None
            return web.FileResponse(self.hls_js, headers={**headers, "Content-Type": "application/javascript"})
        mime = _STATIC.get(name)
        if mime is None:
            raise web.HTTPNotFound()
        return web.Response(text=_web_text(name), content_type=mime, headers=headers)

    async def _chat(self, request: web.Request) -> web.Response:
        """Pod's ``live_publish_chat``: a JSON body, the CSRF header, then the gateway's chat."""
        gateway = self._known(request)
        if not secrets.compare_digest(request.headers.get("X-CSRFToken", ""), self._csrf):
            return _json({"error": "CSRF verification failed."}, 403)
        if request.content_type != "application/json":
            return _json({"error": "The message must be sent as JSON."}, 400)
        try:
            data = json.loads(await request.text())
        except (ValueError, UnicodeDecodeError):
            return _json({"error": "The body is not valid JSON."}, 400)
        problem = _check_chat(data)
        if problem:
            return _json({"error": problem}, 400)
        first, last, message = (data[k].strip() for k in ("first", "last", "message"))
        if not self.state(gateway)["chat"]:
            return _json(NOT_SENT)
        poster = chat_poster_for(gateway, self._client(), timeout=self.post_timeout)
        if poster is None:
            return _json(NOT_SENT)
        try:
            await poster(f"{first} {last}", message)
        except Exception as exc:  # refused, timed out, unreachable: Pod answers "error"
            logger.info("lab audience page: %s did not take a message (%s)", gateway.name, exc.__class__.__name__)
            return _json(NOT_SENT)
        return _json(SENT)


def _check_chat(data: object) -> str:
    """What is wrong with a chat request body, or "" when nothing is."""
    if not isinstance(data, dict):
        return "The body must be a JSON object with first, last and message."
    for key, label, limit in (("first", "first name", NAME_MAX), ("last", "last name", NAME_MAX),
                              ("message", "message", None)):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            return f"The {label} is missing."
        if limit is not None and len(value) > limit:
            return f"The {label} is longer than {limit} characters."
    return ""

"""The lab's stand-in for Esup-Pod's direct-access join page (and a Greenlight-like room page).

SIPMediaGW does not get a BBB join URL from Pod: it opens Pod's page
``https://<pod>/meeting/<meeting_id>/<hash[:-10]>/<hash[-10:]>``, types ``streaming`` into
``#id_name`` and submits; Pod answers with a redirect to a signed VIEWER join URL
(gateway-and-pod.md §4.1–§4.3).  While the meeting is not running the page says "The meeting has
not started yet" and its script polls ``/meeting/status/<meeting_id>/`` every 10 s, reloading when
the answer turns true.

This server reproduces that contract for the lab's meetings.  The 64-hex hash key of a meeting is
derived from a per-server secret and the meeting ID (Pod derives it from its SECRET_KEY, the id and
the attendee password), so :meth:`JoinPageServer.register_join_page` is idempotent, the URL
can be handed out before the meeting exists, and the pages of any lab meeting work without
registration (registering only tells you the URL).  Splitting the URL as Pod does gives the gateway's
``domain`` (everything up to the 54-hex part) and ``room`` (the last 10 hex characters).

For the v1.7+/v1.8 gateways, whose browser fills Greenlight's ``#joinFormName``, the same server
answers ``/<room>`` with a Greenlight-like room page (``WEBRTC_DOMAINS[browsing]`` = this server's
host, ``room`` = the 10 hex characters), and ``/rooms/<meetingID>`` with the same page for the
meeting named in the path: Greenlight's own URL shape, which lets a v1.8 gateway configured with
``WEBRTC_DOMAINS["bigbluebutton"] = "<this host>/rooms"`` reach any lab meeting when the app sends
the meeting ID as the room (``join_page_url = https://<this host>/rooms/{meeting_id}``).  Like a
Greenlight room, that page exists before its meeting: until the meeting runs it is the
"not started yet" page.

The lab serves plain HTTP on loopback; the URLs it hands out say ``https`` like Pod's, and the
lab gateways fetch loopback ``https`` addresses over ``http`` (see ``browser.AddressMap``).
"""

from __future__ import annotations

import hashlib
import html
import logging
import secrets
from urllib.parse import quote, urlencode, urlsplit

from aiohttp import web

from desktop.lab.gateways.server import LabHttpServer
from desktop.lab.world import LabMeeting, LabWorld

logger = logging.getLogger(__name__)

HASHKEY_HEX = 64
ROOM_HEX = 10


def sign_join_query(params: dict[str, str], secret: str, algorithm: str = "sha256") -> str:
    """``params`` as a query string with BBB's checksum appended (bbb-api.md §1.1)."""
    query = urlencode(params)
    checksum = hashlib.new(algorithm, ("join" + query + secret).encode("utf-8")).hexdigest()
    return f"{query}&checksum={checksum}"


def bbb_api_base(url: str) -> str:
    """``http://h:p`` or ``http://h:p/bigbluebutton`` or ``.../bigbluebutton/api`` -> the API base."""
    url = url.rstrip("/")
    if url.endswith("/api"):
        return url
    if url.endswith("/bigbluebutton"):
        return url + "/api"
    return url + "/bigbluebutton/api"


class JoinPageServer(LabHttpServer):
    """Pod-like direct-access pages for lab meetings.

    Args:
        world: the lab world (meetings, and ``world.secret``, the lab BBB's shared secret).
        bbb_base_url: where the lab BBB API listens (``http://127.0.0.1:P[/bigbluebutton/api]``);
            may be set later through :attr:`bbb_base_url` (before the first join).
        public_host: ``host[:port]`` written in the URLs handed out (default: the bound address).
        checksum_algorithm: of the signed join URLs the page redirects to (Pod uses sha1).
        poll_interval: seconds between the "not started yet" page's status polls.
        display_name_max: longest accepted name (Pod's form field allows 250).
    """

    def __init__(self, world: LabWorld, *, bbb_base_url: str | None = None, public_host: str | None = None,
                 checksum_algorithm: str = "sha256", poll_interval: float = 10.0,
                 page_secret: str | None = None, display_name_max: int = 250) -> None:
        super().__init__()
        self.world = world
        self.bbb_base_url = bbb_base_url
        self._public_host = public_host
        self.checksum_algorithm = checksum_algorithm
        self.poll_interval = poll_interval
        self.display_name_max = display_name_max
        self._secret = page_secret or secrets.token_hex(16)
        self._rooms: dict[str, str] = {}  # room (10 hex) -> meeting ID

    # -- addresses ---------------------------------------------------------------------------
    @property
    def public_host(self) -> str:
        """``host:port`` written in join-page URLs."""
        if self._public_host:
            return self._public_host
        return urlsplit(self.url).netloc

    def hashkey(self, meeting_id: str) -> str:
        return hashlib.sha256(f"{self._secret}-{meeting_id}".encode()).hexdigest()

    def room_for(self, meeting_id: str) -> str:
        return self.hashkey(meeting_id)[-ROOM_HEX:]

    def register_join_page(self, meeting_id: str) -> str:
        """The Pod-shaped gateway URL of ``meeting_id``:
        ``https://<host>/meeting/<meeting_id>/<54 hex>/<10 hex>`` (idempotent)."""
        key = self.hashkey(meeting_id)
        self._rooms[key[-ROOM_HEX:]] = meeting_id
        return f"https://{self.public_host}/meeting/{quote(meeting_id, safe='')}/{key[:-ROOM_HEX]}/{key[-ROOM_HEX:]}"

    def room_page_url(self, meeting_id: str) -> str:
        """The Greenlight-like room page ``https://<host>/<10 hex>`` of ``meeting_id``."""
        self.register_join_page(meeting_id)
        return f"https://{self.public_host}/{self.room_for(meeting_id)}"

    def greenlight_room_url(self, meeting_id: str) -> str:
        """The Greenlight-shaped page ``https://<host>/rooms/<meetingID>`` of ``meeting_id``."""
        return f"https://{self.public_host}/rooms/{quote(meeting_id, safe='')}"

    # -- app -----------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/meeting/status/{meeting_id}/", self._status)
        app.router.add_route("*", "/meeting/{meeting_id}/{direct_access}/{room}", self._pod_page)
        app.router.add_route("*", "/{room:[0-9a-f]{10}}", self._room_page)
        app.router.add_route("*", "/rooms/{meeting_id}", self._greenlight_room)
        return app

    async def _status(self, request: web.Request) -> web.Response:
        meeting = self.world.live_meeting(request.match_info["meeting_id"])
        return web.json_response({"status": bool(meeting is not None and meeting.running)})

    async def _pod_page(self, request: web.Request) -> web.StreamResponse:
        meeting_id = request.match_info["meeting_id"]
        direct_access = request.match_info["direct_access"] + request.match_info["room"]
        if request.method not in ("GET", "HEAD", "POST"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
        if direct_access != self.hashkey(meeting_id):
            # Django's SuspiciousOperation becomes a plain 400.
            return web.Response(status=400, text="<h1>Bad Request (400)</h1>", content_type="text/html")
        return await self._join_page(request, meeting_id, field_id="id_name")

    def meeting_for_room(self, room: str) -> str | None:
        """The meeting whose room is ``room``: registered ones, else any lab meeting (the room is
        derived from the meeting ID, so pages work without registration)."""
        meeting_id = self._rooms.get(room)
        if meeting_id is None:
            meeting_id = next((mid for mid in self.world.meetings if self.room_for(mid) == room), None)
            if meeting_id is not None:
                self._rooms[room] = meeting_id
        return meeting_id

    async def _room_page(self, request: web.Request) -> web.StreamResponse:
        meeting_id = self.meeting_for_room(request.match_info["room"])
        if meeting_id is None:
            return web.Response(status=404, text="<h1>Not Found</h1>", content_type="text/html")
        return await self._join_page(request, meeting_id, field_id="joinFormName")

    async def _greenlight_room(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD", "POST"):
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
        return await self._join_page(request, request.match_info["meeting_id"], field_id="joinFormName")

    async def _join_page(self, request: web.Request, meeting_id: str, *, field_id: str) -> web.StreamResponse:
        meeting = self.world.live_meeting(meeting_id)
        if meeting is None or not meeting.running:
            return self._not_started(meeting_id)
        error = ""
        if request.method == "POST":
            form = await request.post()
            name = str(form.get("name", "")).strip()
            if name and len(name) <= self.display_name_max:
                return self._redirect_to_bbb(meeting, name)
            error = "This field is required." if not name else "Ensure this value has at most 250 characters."
        return self._form(meeting, field_id, error)

    def _redirect_to_bbb(self, meeting: LabMeeting, name: str) -> web.StreamResponse:
        if not self.bbb_base_url:
            return web.Response(status=503, text="the lab BBB address is not configured")
        params = {"fullName": name, "meetingID": meeting.meeting_id, "role": "VIEWER",
                  "password": meeting.attendee_pw, "createTime": str(meeting.create_time)}
        query = sign_join_query(params, self.world.secret, self.checksum_algorithm)
        raise web.HTTPFound(f"{bbb_api_base(self.bbb_base_url)}/join?{query}")

    def _not_started(self, meeting_id: str) -> web.Response:
        status_url = f"/meeting/status/{quote(meeting_id, safe='')}/"
        body = _PAGE.format(
            title="The meeting has not started yet",
            content=("<p>The meeting has not started yet. This page will reload as soon as it starts.</p>"
                     f"<script>setInterval(function () {{ fetch({_js_string(status_url)})"
                     ".then(function (r) { return r.json(); })"
                     ".then(function (d) { if (d.status === true) { location.reload(); } }); }, "
                     f"{int(self.poll_interval * 1000)});</script>"),
        )
        return web.Response(text=body, content_type="text/html")

    def _form(self, meeting: LabMeeting, field_id: str, error: str) -> web.Response:
        csrf = secrets.token_hex(16)
        error_html = f'<p class="errorlist">{html.escape(error)}</p>' if error else ""
        content = (
            f"<h2>{html.escape(meeting.name)}</h2>{error_html}"
            '<form method="post" action="">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            f'<label for="{field_id}">Name</label> '
            f'<input type="text" name="name" id="{field_id}" maxlength="{self.display_name_max}" required>'
            '<button type="submit">Join the meeting</button></form>'
        )
        return web.Response(text=_PAGE.format(title=html.escape(meeting.name), content=content),
                            content_type="text/html")


def _js_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c") + '"'


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - Pupitre lab</title></head>
<body><main>{content}</main></body></html>
"""

"""The lab's stand-in for the BBB HTML5 client: ``/html5client/join?sessionToken=…``.

A join's 302 lands here.  Loading the page *enters* the user into the meeting (the moment a BBB
meeting starts running); the page then shows the meeting name, the participants and the public
chat, lets the user post and leave.  It is plain HTML + one script, with no framework:

* the HTML is static: no user data is ever interpolated server-side; the script builds every node
  with ``textContent`` (never ``innerHTML``) from JSON whose ``<``, ``>``, ``&`` are escaped;
* a Content-Security-Policy forbids inline script, so even a bug there could not run injected code;
* the JSON endpoints demand the session token in ``X-Session-Token`` *and* the ``JSESSIONID``
  cookie of the join (like bbb-web, unless ``allowRequestsWithoutSession=true``); the custom
  header also makes them immune to cross-site form posts.

Stable selectors for browser tests: ``#meeting-name``, ``#participants`` (``li[data-user-id]``),
``#chat`` (``li[data-message-id]`` with ``.sender`` and ``.text``), ``#message-input``, ``#send``
(also ``[data-test="sendMessageButton"]`` like BBB), ``#leave``, ``#status``, and
``body[data-state]`` in ``loading|joined|waiting|left|ended|error``.

Live updates: the script polls ``lab/api/state?after=<last sequence>`` every second; a page that
stops polling for ``page_presence_timeout`` seconds leaves the meeting (a closed tab).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from aiohttp import web

from desktop.lab.bbb.responses import safe_json_dumps
from desktop.lab.bbb.state import JSESSIONID, BBBState
from desktop.lab.world import LabMeeting, LabUser

MAX_PAGE_MESSAGE = 5000

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                                "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_STATIC = {
    "client.js": "application/javascript",
    "client.css": "text/css",
}


def _static_text(name: str) -> str:
    return resources.files("desktop.lab.bbb").joinpath("static", name).read_text(encoding="utf-8")


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(text=safe_json_dumps(data), status=status, content_type="application/json",
                        headers=SECURITY_HEADERS)


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, content_type="text/plain", headers=SECURITY_HEADERS)


class ClientPage:
    def __init__(self, state: BBBState) -> None:
        self.state = state
        self.world = state.world

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/html5client/join", self.join_page)
        app.router.add_get("/html5client/lab/{name}", self.static)
        app.router.add_get("/html5client/lab/api/state", self.api_state)
        app.router.add_post("/html5client/lab/api/chat", self.api_chat)
        app.router.add_post("/html5client/lab/api/leave", self.api_leave)

    def _authorised(self, request: web.Request, token: str | None) -> tuple[LabMeeting, LabUser] | None:
        found = self.state.find_session(token)
        if found is None:
            return None
        meeting, user = found
        if not self.state.session_allowed(meeting, user, request.cookies.get(JSESSIONID)):
            return None
        return found

    # -- pages -------------------------------------------------------------------------------------
    async def join_page(self, request: web.Request) -> web.Response:
        found = self._authorised(request, request.query.get("sessionToken"))
        if found is None:
            return _plain(403, "This session is not valid (unknown session token, or the browser did not send "
                               "the session cookie of its join).\n")
        meeting, user = found
        if meeting.ended or meeting.end_requested:
            return _plain(410, "This meeting has ended.\n")
        if user.session_token not in self.state.waiting_guests:
            self.world.enter(meeting, user)
            self.state.note_page_seen(user.session_token)
        return web.Response(text=_static_text("client.html"), content_type="text/html", charset="utf-8",
                            headers=SECURITY_HEADERS)

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        content_type = _STATIC.get(name)
        if content_type is None:
            raise web.HTTPNotFound()
        return web.Response(text=_static_text(name), content_type=content_type, charset="utf-8",
                            headers=SECURITY_HEADERS)

    # -- JSON API of the page ------------------------------------------------------------------------
    async def api_state(self, request: web.Request) -> web.Response:
        found = self._authorised(request, request.headers.get("X-Session-Token"))
        if found is None:
            return _json({"error": "invalid session"}, 403)
        meeting, user = found
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            after = 0
        waiting = user.session_token in self.state.waiting_guests
        if user.present and not meeting.ended:
            self.state.note_page_seen(user.session_token)
        data = {
            "meeting": {"name": meeting.name, "meetingID": meeting.meeting_id,
                        "running": meeting.running, "ended": meeting.ended or meeting.end_requested},
            "me": {"userId": user.user_id, "name": user.full_name, "role": user.role,
                   "present": user.present, "left": user.left, "waiting": waiting},
            "participants": [{"userId": u.user_id, "name": u.full_name, "role": u.role}
                             for u in meeting.present_users],
            "messages": [{"messageId": m.message_id, "sequence": m.sequence, "senderName": m.sender_name,
                          "senderRole": m.sender_role, "message": m.text, "createdAt": m.created_at}
                         for m in meeting.chat if m.sequence > after and m.deleted_at is None],
        }
        return _json(data)

    async def api_chat(self, request: web.Request) -> web.Response:
        found = self._authorised(request, request.headers.get("X-Session-Token"))
        if found is None:
            return _json({"error": "invalid session"}, 403)
        meeting, user = found
        try:
            body = json.loads(await request.text())
        except ValueError:
            return _json({"error": "the body is not JSON"}, 400)
        text = body.get("message") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return _json({"error": "the message is empty"}, 400)
        if len(text) > MAX_PAGE_MESSAGE:
            return _json({"error": f"the message is longer than {MAX_PAGE_MESSAGE} characters"}, 400)
        if meeting.ended or meeting.end_requested or not user.present:
            return _json({"error": "you are not in the meeting"}, 409)
        message = self.world.post_chat(meeting, text=text, sender_name=user.full_name, sender_id=user.user_id,
                                       sender_role=user.role)
        return _json({"messageId": message.message_id, "sequence": message.sequence})

    async def api_leave(self, request: web.Request) -> web.Response:
        found = self._authorised(request, request.headers.get("X-Session-Token"))
        if found is None:
            return _json({"error": "invalid session"}, 403)
        meeting, user = found
        self.state.page_seen.pop(user.session_token, None)
        self.world.leave(meeting, user)
        return _json({"left": True})


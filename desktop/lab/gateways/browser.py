"""The gateway's "streaming" browser: how an emulated gateway really gets into a lab meeting.

A real SIPMediaGW container opens ``https://{domain}/{room}`` in Chrome, fills the join form with
the name ``streaming`` and ends up in the BBB client (gateway-and-pod.md §4).  This module does
the same over real HTTP against the lab's own servers, so that the lab BBB really verifies the
join checksum and really hands out a session:

* it loads the target page, following redirects itself (cookies kept, like a browser);
* a page with a join form (Pod's ``#id_name`` or Greenlight's ``#joinFormName``) is filled with
  the display name and submitted;
* a page without one (Pod's "The meeting has not started yet") is reloaded every
  ``page_reload`` seconds until ``join_wait`` runs out;
* it has joined once a redirect lands on a URL carrying ``sessionToken`` (the BBB client) that
  names a session of a lab meeting.

Lab addresses: the lab serves plain HTTP on loopback, while the gateway always builds an
``https`` URL.  :class:`AddressMap` maps what the browser is asked to open to where the lab
really listens: configured aliases first (``"pod.lab" -> "http://127.0.0.1:8443"``), then any
loopback host is fetched over ``http`` on the same port.  Anything else is outside the lab and
is never fetched (a failed join redirects to BBB's logout URL, which may be a real site).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import aiohttp
from yarl import URL

from desktop.lab.world import LabMeeting, LabUser, LabWorld

logger = logging.getLogger(__name__)

NAME_FIELD_IDS = ("id_name", "joinFormName")
"""Join-form fields a gateway may type its name into: Pod's (SIPMediaGW ≤ 1.6) and Greenlight's
(1.7+).  Each emulated gateway looks only for its own version's field
(:attr:`desktop.lab.gateways.versions.GatewayVersion.join_name_fields`), as the real browser does."""

MAX_REDIRECTS = 10


class JoinFailed(Exception):
    """The browser did not get into a meeting; the message says what it saw last."""


@dataclass
class AddressMap:
    """Where the browser really fetches a URL it was asked to open.

    Attributes:
        aliases: ``netloc`` as written in target URLs -> actual origin (``http://127.0.0.1:P``).
        lenient_loopback: fetch any loopback host over plain ``http`` on the same port.
    """

    aliases: dict[str, str] = field(default_factory=dict)
    lenient_loopback: bool = True

    def add(self, netloc: str, origin: str) -> None:
        self.aliases[netloc.lower()] = origin.rstrip("/")

    def resolve(self, url: str, extra: Mapping[str, str] | None = None) -> str | None:
        """The URL to fetch for ``url``, without its fragment; None when it is not a lab address."""
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
        origin = (dict(extra or {}) | self.aliases).get(netloc)
        if origin is not None:
            base = urlsplit(origin)
            return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, ""))
        if self.lenient_loopback and _is_loopback(parts.hostname or ""):
            return urlunsplit(("http", parts.netloc, parts.path or "/", parts.query, ""))
        return None


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def browser_quote(url: str) -> str:
    """Percent-encode what Chrome would (spaces, controls, non-ASCII) and keep the rest verbatim,
    so a signed query reaches the server byte for byte."""
    out: list[str] = []
    for char in url:
        if char.isascii() and 0x20 < ord(char) < 0x7F and char not in '"<>`{}|\\^':
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


@dataclass
class _Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)

    def name_field(self, field_ids: tuple[str, ...] = NAME_FIELD_IDS) -> dict[str, str] | None:
        for attrs in self.inputs:
            if attrs.get("id") in field_ids:
                return attrs
        return None


class _FormParser(HTMLParser):
    """Collects the forms of a page and their inputs (enough for a join form)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._current: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._current = _Form(action=values.get("action", ""), method=values.get("method", "get").lower())
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            self._current.inputs.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def find_join_form(html: str, field_ids: tuple[str, ...] = NAME_FIELD_IDS) -> _Form | None:
    parser = _FormParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a broken page is a page without a form
        return None
    for form in parser.forms:
        if form.name_field(field_ids) is not None:
            return form
    return None


@dataclass
class JoinedMeeting:
    meeting: LabMeeting
    user: LabUser
    client_url: str


class StreamingBrowser:
    """One gateway container's Chrome: loads the join target and lands in a lab meeting as
    ``display_name``, then keeps the BBB client page open.  One instance per container run
    (fresh cookies); :meth:`close` when the container goes away."""

    def __init__(self, world: LabWorld, address_map: AddressMap, *, display_name: str = "streaming",
                 http_timeout: float = 10.0, name_fields: tuple[str, ...] = NAME_FIELD_IDS) -> None:
        self._world = world
        self.name_fields = name_fields
        self._addresses = address_map
        self.display_name = display_name
        self._timeout = aiohttp.ClientTimeout(total=http_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._extra: Mapping[str, str] = {}

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            # unsafe: keep cookies of IP-address hosts, as a browser does
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def join(self, target_url: str, *, join_wait: float, page_reload: float,
                   extra_aliases: Mapping[str, str] | None = None) -> JoinedMeeting:
        """Open ``target_url`` and get into its meeting, reloading until ``join_wait`` ends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + join_wait
        self._extra = dict(extra_aliases or {})
        session = self._open()
        last_seen = "nothing loaded"
        while True:
            try:
                joined, last_seen = await self._attempt(session, target_url, self._extra)
            except (aiohttp.ClientError, TimeoutError) as exc:
                joined, last_seen = None, f"page failed to load ({exc.__class__.__name__})"
            if joined is not None:
                return joined
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise JoinFailed(f"no join form within {join_wait:g} s: {last_seen}")
            # The page's own timer: Pod's "not started yet" page polls and reloads.
            await asyncio.sleep(min(page_reload, remaining))

    async def stay(self, joined: JoinedMeeting, interval: float) -> None:
        """Keep the BBB client page open until the meeting ends or the user leaves: do what the
        lab client page's script does, poll ``lab/api/state`` every ``interval`` seconds with the
        session token (a page that stops polling counts as a closed tab on the lab BBB).  A BBB
        client without that endpoint just answers 404, which changes nothing."""
        session = self._open()
        actual = self._addresses.resolve(joined.client_url, self._extra)
        if actual is None:
            return
        state_url = URL(urljoin(actual, "lab/api/state"))
        headers = {"X-Session-Token": joined.user.session_token}
        while not joined.meeting.ended and not joined.user.left:
            await asyncio.sleep(interval)
            if joined.meeting.ended or joined.user.left:
                return
            try:
                async with session.get(state_url, headers=headers, allow_redirects=False) as response:
                    await response.read()
            except (aiohttp.ClientError, TimeoutError):
                logger.debug("lab gateway browser: client page poll failed", exc_info=True)

    async def _attempt(self, session: aiohttp.ClientSession, target_url: str,
                       extra: Mapping[str, str] | None) -> tuple[JoinedMeeting | None, str]:
        url, status, html = await self._load(session, "GET", target_url, None, extra)
        joined = self._joined_at(url, status)
        if joined is not None:
            return joined, "in the meeting"
        form = find_join_form(html, self.name_fields) if status == 200 else None
        if form is None:
            return None, f"HTTP {status} at {_short(url)} without a join form"
        data: dict[str, str] = {}
        for attrs in form.inputs:
            if attrs.get("name") and attrs.get("type", "text") not in ("submit", "button", "checkbox"):
                data[attrs["name"]] = attrs.get("value", "")
        name_field = form.name_field(self.name_fields)
        assert name_field is not None
        data[name_field.get("name") or name_field["id"]] = self.display_name
        action = urljoin(url, form.action or url)
        method = "POST" if form.method == "post" else "GET"
        url, status, _ = await self._load(session, method, action, data, extra)
        joined = self._joined_at(url, status)
        if joined is not None:
            return joined, "in the meeting"
        return None, f"the join form led to HTTP {status} at {_short(url)}"

    async def _load(self, session: aiohttp.ClientSession, method: str, url: str, data: dict[str, str] | None,
                    extra: Mapping[str, str] | None) -> tuple[str, int, str]:
        """Fetch ``url`` and follow redirects within the lab; returns (final URL, status, body)."""
        for _ in range(MAX_REDIRECTS + 1):
            actual = self._addresses.resolve(url, extra)
            if actual is None:
                return url, 0, ""  # outside the lab: the emulated browser goes no further
            request_url = URL(browser_quote(actual), encoded=True)
            if method == "GET" and data is not None:
                request_url = request_url.update_query(data)
                data = None
            async with session.request(method, request_url, data=data, allow_redirects=False) as response:
                body = await response.text(errors="replace")
                location = response.headers.get("Location")
                if response.status in (301, 302, 303, 307, 308) and location:
                    url = urljoin(url, location)
                    if response.status not in (307, 308):
                        method, data = "GET", None
                    continue  # the BBB client page is loaded too, as Chrome does
                return url, response.status, body
        return url, 0, ""

    def _joined_at(self, url: str, status: int) -> JoinedMeeting | None:
        """The meeting the BBB client URL ``url`` belongs to (status 0: not fetched, outside the lab)."""
        if status >= 400:
            return None
        tokens = parse_qs(urlsplit(url).query).get("sessionToken")
        if not tokens:
            return None
        for meeting in self._world.meetings.values():
            if meeting.ended:
                continue
            user = meeting.user_by_session(tokens[0])
            if user is not None and not user.left:
                return JoinedMeeting(meeting=meeting, user=user, client_url=url)
        return None


def _short(url: str) -> str:
    """A URL safe to show: no query (a join URL's query holds a checksum and a password)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

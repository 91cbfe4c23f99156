"""The asynchronous BigBlueButton API client.

One :class:`BBBClient` per server (or Scalelite).  It signs every call with the shared secret
(:mod:`desktop.bbb.checksum`) and sends the query string **byte for byte as signed**: the URL is
built as a string from already-encoded parts and handed to httpx, whose URL model keeps a
percent-encoded query as it is (a test pins this with tricky values).

Transport: :func:`desktop.net.http.make_client` (timeouts, TLS verification), idempotent reads
(API root, ``isMeetingRunning``, ``getMeetings``, ``getMeetingInfo``) through
:func:`~desktop.net.http.get_with_retry` with back-off, everything with side effects (``create``,
``join``, ``end``, ``sendChatMessage``) sent once.  Bodies are read with a size bound.

Logs name the call and the host, never the signed URL (its checksum is a one-call password).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from desktop.bbb import parsing
from desktop.bbb.checksum import ALGORITHMS, DEFAULT_ALGORITHM, Params, checksum
from desktop.bbb.errors import (
    BBBError,
    ChatMessageEmpty,
    ChatMessageTooLong,
    ChatSenderNameTooLong,
)
from desktop.bbb.models import ApiInfo, CreateResult, JoinResult, Meeting
from desktop.bbb.params import CreateParams, JoinParams
from desktop.bbb.urls import host_of, normalise_api_base, signed_url
from desktop.config.settings import BBBProfile
from desktop.errors import (
    ConfigError,
    HTTPStatusError,
    ProtocolError,
)
from desktop.i18n import _
from desktop.logs import redact, register_secret
from desktop.net.http import HttpOptions, get_with_retry, make_client, read_limited, send

logger = logging.getLogger(__name__)

CHAT_MESSAGE_MAX = 500
CHAT_SENDER_NAME_MAX = 255
# the order detect_algorithm() tries: the sensible default first, sha384 last (Scalelite lacks it)
PROBE_ORDER = ("sha256", "sha512", "sha1", "sha384")
_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_JOIN_HOPS = 3  # Scalelite redirects a join once, bbblb twice


def java_length(text: str) -> int:
    """Length as BBB (Java ``String.length()``) counts it: UTF-16 code units (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


class BBBClient:
    """Calls of the BBB API a presenter's console needs.

    Use as ``async with BBBClient(url, secret) as bbb: ...``; without the context manager the
    HTTP client is created on first use and closed by :meth:`aclose`.

    Attributes:
        api_base: the normalised API base URL (``https://host/bigbluebutton/api/``).
        host: ``host[:port]``, for messages.
        algorithm: the checksum algorithm used for signing.
    """

    def __init__(
        self,
        api_base_or_server_url: str,
        secret: str,
        algorithm: str = DEFAULT_ALGORITHM,
        http: HttpOptions | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry_attempts: int = 3,
        retry_first_delay: float = 0.3,
    ) -> None:
        self.api_base = normalise_api_base(api_base_or_server_url)
        self.host = host_of(self.api_base)
        if algorithm not in ALGORITHMS:
            raise ConfigError(_("Unknown checksum algorithm “{algorithm}” (use {choices}).").format(
                algorithm=algorithm, choices=", ".join(ALGORITHMS)))
        if not secret:
            raise ConfigError(_("No shared secret is set for the BBB server {host}.").format(host=self.host))
        register_secret(secret)
        self.algorithm = algorithm
        self._secret = secret
        self._options = http or HttpOptions()
        self._transport = transport
        self._retry_attempts = retry_attempts
        self._retry_first_delay = retry_first_delay
        self._http: httpx.AsyncClient | None = None

    @classmethod
    def from_profile(
        cls, profile: BBBProfile, secret: str, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> BBBClient:
        """A client for a saved profile (its URL, algorithm and TLS options)."""
        options = HttpOptions(ca_bundle=profile.ca_bundle, insecure=profile.insecure)
        return cls(profile.url, secret, profile.algorithm, options, transport=transport)

    def __repr__(self) -> str:
        return f"BBBClient({self.api_base!r}, algorithm={self.algorithm!r})"

    # -- life cycle ------------------------------------------------------------------------
    async def __aenter__(self) -> BBBClient:
        self._client()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            extra: dict[str, object] = {}
            if self._transport is not None:
                extra["transport"] = self._transport
            self._http = make_client(self._options, **extra)
        return self._http

    # -- URLs --------------------------------------------------------------------------------
    def url(self, call: str, params: Params = (), *, algorithm: str | None = None) -> str:
        """The signed URL of ``call`` (what API Mate shows); nothing is sent."""
        return signed_url(self.api_base, call, params, self._secret, algorithm or self.algorithm)

    def _wire_url(self, call: str, params: Params = (), *, algorithm: str | None = None) -> httpx.URL:
        text = self.url(call, params, algorithm=algorithm)
        url = httpx.URL(text)
        # the checksum covers these exact bytes; refuse to send anything else
        if url.query != text.partition("?")[2].encode("ascii"):
            raise ProtocolError(
                _("The “{call}” request could not be sent exactly as it was signed.").format(call=call))
        return url

    def raw_checksum(self, call: str, query: str) -> str:
        """The checksum of an already-encoded query string, for URLs assembled elsewhere (the
        gateway's signed join target, :func:`desktop.gateways.join_target.signed_join_target`)."""
        return checksum(call, query, self._secret, self.algorithm)

    def join_url(self, params: JoinParams) -> str:
        """A signed join URL for the user's **browser** (never fetched here).

        The browser must follow it itself: BBB ties the session to the ``JSESSIONID`` cookie it
        sets on whoever makes the request (reference §3.3).
        """
        return self.url("join", params.to_params())

    # -- transport -----------------------------------------------------------------------------
    async def _fetch(self, call: str, url: httpx.URL, *, idempotent: bool) -> tuple[httpx.Response, bytes]:
        """GET ``url``; the (closed) response and its body, read with a size bound."""
        logger.info("BBB %s on %s", call, self.host)
        client = self._client()
        if idempotent:
            response = await get_with_retry(
                client,
                url,
                attempts=self._retry_attempts,
                first_delay=self._retry_first_delay,
                stream=True,
            )
        else:
            response = await send(client, client.build_request("GET", url), stream=True)
        return response, await self._read_bounded(response)

    async def _read_bounded(self, response: httpx.Response) -> bytes:
        limit = parsing.MAX_RESPONSE_BYTES
        return await read_limited(
            response,
            limit=limit,
            too_large=lambda _size: ProtocolError(
                _("The answer of {host} is larger than {size} MB; it was refused.").format(
                    host=self.host, size=limit // (1024 * 1024))
            ),
        )

    def _check_status(self, call: str, response: httpx.Response, body: bytes) -> None:
        """Non-200 answers: a BBB error document if there is one, else HTTPStatusError."""
        status = response.status_code
        if status == 200:
            return
        if status in _REDIRECTS:
            target = urlsplit(response.headers.get("location", "")).netloc or self.host
            raise HTTPStatusError(
                _("{host} redirected the “{call}” request to {target} instead of answering.").format(
                    host=self.host, call=call, target=target),
                status=status,
                hint=_("Use the server's final address (usually https://) in the profile."),
            )
        # a BBB error document explains more than the status (Scalelite answers some with 500)
        with contextlib.suppress(ProtocolError):
            parsing.check_returncode(parsing.parse_document(body, call=call), call=call)
        if status == 404:
            sentence = _("There is no BBB API at {address} (HTTP 404).").format(address=self.api_base)
            hint = _("Check the server address.")
        elif status in (401, 403):
            sentence = _("{host} refused access to the BBB API (HTTP {status}).").format(
                host=self.host, status=status)
            hint = _("A firewall or proxy may be in the way.")
        elif status >= 500:
            sentence = _("{host} failed with a server error (HTTP {status}).").format(
                host=self.host, status=status)
            hint = _("The BBB server (or its load balancer) may be restarting; try again shortly.")
        else:
            sentence = _("{host} answered the “{call}” request with HTTP {status}.").format(
                host=self.host, call=call, status=status)
            hint = ""
        raise HTTPStatusError(sentence, status=status, hint=hint)

    async def _call(self, call: str, params: Params = (), *, idempotent: bool, algorithm: str | None = None) -> bytes:
        url = self._wire_url(call, params, algorithm=algorithm)
        response, body = await self._fetch(call, url, idempotent=idempotent)
        self._check_status(call, response, body)
        return body

    # -- API calls -------------------------------------------------------------------------------
    async def api_info(self) -> ApiInfo:
        """The unsigned API root: reachability, versions and the GraphQL URLs (not the secret)."""
        url = httpx.URL(self.api_base.rstrip("/"))
        response, body = await self._fetch("api", url, idempotent=True)
        self._check_status("api", response, body)
        return parsing.parse_api_info(body)

    async def create(self, params: CreateParams) -> CreateResult:
        """Create the meeting (idempotent on BBB's side: ``duplicate`` says it existed)."""
        return parsing.parse_create(await self._call("create", params.to_params(), idempotent=False))

    async def join_api(self, params: JoinParams) -> tuple[JoinResult, str | None]:
        """Join a non-browser participant (a bot) and return its credentials and JSESSIONID.

        Sent with ``redirect=false``.  A 302 carrying ``errors=`` (BBB 3.x validation failures,
        reference §2.3) becomes a BBBError; a 302 to another ``…/api/join`` (Scalelite, bbblb) is
        followed; any other redirect means the server ignored ``redirect=false``.  The cookie
        jar is cleared so that no session leaks into later calls.
        """
        params = dataclasses.replace(params, redirect=False)
        url = self._wire_url("join", params.to_params())
        client = self._client()
        client.cookies.clear()
        try:
            for _hop in range(_MAX_JOIN_HOPS + 1):
                response, body = await self._fetch("join", url, idempotent=False)
                if response.status_code not in _REDIRECTS:
                    break
                location = response.headers.get("location", "")
                error = parsing.join_redirect_error(location)
                if error is not None:
                    raise error
                target = urljoin(str(url), location)
                if not urlsplit(target).path.endswith("/api/join"):
                    raise ProtocolError(
                        _("{host} redirected the join to the meeting page instead of answering "
                          "with the join details.").format(host=self.host),
                        hint=_("The server may be older than BBB 2.x or behind an unusual proxy."),
                    )
                logger.info("BBB join redirected by a load balancer to %s", urlsplit(target).netloc)
                url = httpx.URL(target)
            else:
                raise ProtocolError(_("{host} redirected the join too many times.").format(host=self.host))
            self._check_status("join", response, body)
            result = parsing.parse_join(body)
            return result, _jsessionid(response)
        finally:
            client.cookies.clear()

    async def is_meeting_running(self, meeting_id: str) -> bool:
        """True once someone is in the meeting; False also for unknown meetings."""
        content = await self._call("isMeetingRunning", [("meetingID", meeting_id)], idempotent=True)
        return parsing.parse_is_meeting_running(content)

    async def get_meetings(self) -> list[Meeting]:
        return parsing.parse_meetings(await self._call("getMeetings", idempotent=True))

    async def get_meeting_info(self, meeting_id: str) -> Meeting:
        """The meeting with its attendees; BBBError ``notFound`` when it does not exist."""
        content = await self._call("getMeetingInfo", [("meetingID", meeting_id)], idempotent=True)
        return parsing.parse_meeting_info(content)

    async def end(self, meeting_id: str) -> None:
        """Ask BBB to end the meeting.  Asynchronous on BBB's side: poll is_meeting_running."""
        content = await self._call("end", [("meetingID", meeting_id)], idempotent=False)
        parsing.parse_simple(content, "end")

    async def send_chat_message(self, meeting_id: str, message: str, user_name: str | None = None) -> None:
        """Post ``message`` to the public chat (BBB 3.0+; not through Scalelite).

        BBB accepts 1–500 characters (counted in UTF-16 units, as Java does) and a sender name
        of at most 255; both are checked here, before anything is sent, so the presenter gets a
        precise sentence instead of BBB's generic ``validationError``.
        """
        validate_chat_message(message, user_name)
        params: list[tuple[str, str]] = [("meetingID", meeting_id), ("message", message)]
        if user_name:
            params.append(("userName", user_name))
        content = await self._call("sendChatMessage", params, idempotent=False)
        parsing.parse_simple(content, "sendChatMessage")

    async def detect_algorithm(self) -> list[str]:
        """The checksum algorithms the server accepts with this secret, best guess first.

        There is no discovery in the API (reference §1.4), so this probes ``getMeetings`` (no
        side effects) once per algorithm in :data:`PROBE_ORDER`.  A wrong secret also yields
        ``checksumError`` — the server cannot tell the two apart — so an empty list means
        "the secret is wrong, or every algorithm is refused".  Other failures are raised.
        """
        accepted: list[str] = []
        for algorithm in PROBE_ORDER:
            try:
                content = await self._call("getMeetings", idempotent=True, algorithm=algorithm)
                parsing.parse_meetings(content)
            except BBBError as error:
                if error.message_key != "checksumError":
                    raise
                logger.info("BBB %s refused %s checksums", self.host, algorithm)
                continue
            accepted.append(algorithm)
        return accepted


def validate_chat_message(message: str, user_name: str | None = None) -> None:
    """Raise a ChatMessageError for what BBB's ``sendChatMessage`` would refuse."""
    if not message or not message.strip():
        raise ChatMessageEmpty(_("The chat message is empty."))
    length = java_length(message)
    if length > CHAT_MESSAGE_MAX:
        raise ChatMessageTooLong(
            _("The chat message is {length} characters long; BBB accepts at most {limit}.").format(
                length=length, limit=CHAT_MESSAGE_MAX),
            length=length,
            hint=_("Shorten it or split it into several messages."),
        )
    if user_name is not None and java_length(user_name) > CHAT_SENDER_NAME_MAX:
        raise ChatSenderNameTooLong(
            _("The sender name is {length} characters long; BBB accepts at most {limit}.").format(
                length=java_length(user_name), limit=CHAT_SENDER_NAME_MAX)
        )


def _jsessionid(response: httpx.Response) -> str | None:
    """The JSESSIONID set by this response (the first one if several paths set it)."""
    for cookie in response.cookies.jar:
        if cookie.name == "JSESSIONID" and cookie.value:
            register_secret(cookie.value)
            return cookie.value
    logger.info("BBB join answer carried no JSESSIONID cookie: %s", redact(response.headers.get("set-cookie", "")))
    return None

"""HTTP plumbing shared by the gateway drivers: one request, one reply decoded safely.

Each call gets a fresh client built by :func:`desktop.net.http.make_client` with that call's own
timeouts (a 60 s start and a 10 s probe do not share a budget) and the gateway's TLS options —
verification on unless this gateway's settings say otherwise (weakness #2).  Gateway calls are
rare (start, stop, a chat line), so a client per call costs nothing that matters and leaves no
connection pool tied to an event loop.

The token goes in the ``Authorization`` header only; it is registered with
:func:`desktop.logs.register_secret` so that even a server echoing it back cannot put it in an
error sentence or a log line.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from desktop.gateways.errors import GatewayAuthError, GatewayProtocolError
from desktop.i18n import _
from desktop.logs import register_secret
from desktop.net.http import HttpOptions, Timeouts, make_client, send_limited

logger = logging.getLogger(__name__)

_MAX_REPLY_BYTES = 1_000_000


class GatewayHttp:
    """Requests to one gateway's API.

    Attributes:
        name: the gateway's configured name.
        base_url: the API root as configured (a trailing slash does not matter).
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        token: str | None,
        *,
        ca_bundle: str | None = None,
        insecure: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self._token = token or None
        register_secret(self._token)
        self._ca_bundle = ca_bundle
        self._insecure = insecure
        self._transport = transport

    @property
    def token_missing(self) -> bool:
        return self._token is None

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    async def call(
        self,
        method: str,
        path: str,
        *,
        timeouts: Timeouts,
        params: dict[str, str] | None = None,
        json_body: Any = None,
        auth: bool = True,
    ) -> httpx.Response:
        """Send one request; transport failures become NetworkError subclasses.

        The whole exchange, reply body included, must fit in ``timeouts.deadline`` (else a
        :class:`~desktop.errors.DeadlineError`), and the reply in 1 MB (else a
        GatewayProtocolError) — the body is read as it comes, never more than that.
        """
        headers = {"Accept": "application/json"}
        if auth and self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        options = HttpOptions(timeouts=timeouts, ca_bundle=self._ca_bundle, insecure=self._insecure)
        extra: dict[str, Any] = {}
        if self._transport is not None:
            extra["transport"] = self._transport
        async with make_client(options, **extra) as client:
            request = client.build_request(
                method, self.url(path), params=params, json=json_body, headers=headers
            )
            # a gateway reply is small, a huge one is an error
            response = await send_limited(
                client, request, limit=_MAX_REPLY_BYTES,
                too_large=lambda _size: GatewayProtocolError(self.name, _("a reply of more than 1 MB")),
            )
        logger.debug("gateway %s: %s %s -> HTTP %d", self.name, method, path, response.status_code)
        return response

    def raise_for_auth(self, response: httpx.Response) -> None:
        """HTTP 401 (legacy and v1.8 both send ``WWW-Authenticate: Bearer``) -> GatewayAuthError."""
        if response.status_code == 401:
            raise GatewayAuthError(self.name, token_missing=self.token_missing)


class NotJSON:
    """Marker for a reply body that is not JSON (web.py's HTML 404, a proxy's error page)."""


NOT_JSON = NotJSON()


def decode_json(response: httpx.Response) -> Any:
    """The reply's JSON, or :data:`NOT_JSON` (never raises)."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return NOT_JSON


def require_json_object(gateway: str, response: httpx.Response) -> dict[str, Any]:
    """The reply's JSON object, or a GatewayProtocolError that says what came instead."""
    body = decode_json(response)
    if isinstance(body, NotJSON):
        kind = response.headers.get("content-type", "").split(";")[0].strip() or _("no content type")
        raise GatewayProtocolError(gateway, _("HTTP {status} that is not JSON ({kind})").format(
            status=response.status_code, kind=kind))
    if not isinstance(body, dict):
        raise GatewayProtocolError(gateway, _("JSON that is not an object (HTTP {status})").format(
            status=response.status_code))
    return body


def error_detail(body: Any, response: httpx.Response) -> str:
    """The server's own explanation, whatever envelope it used.

    Legacy ``{"Error": ...}``; v1.8 ``{"status":"error","error":{"code","detail"}}``; v1.8
    validation ``{"error":"Invalid input","message":[{loc, msg}...]}``; FastAPI ``{"detail"}``.
    """
    if isinstance(body, dict):
        if "Error" in body:
            return str(body["Error"])
        error = body.get("error")
        if isinstance(error, dict) and "detail" in error:
            return str(error["detail"])
        messages = body.get("message")
        if isinstance(messages, list) and messages:
            return "; ".join(_validation_item(item) for item in messages[:3])
        if isinstance(error, str) and error:
            return error
        if "detail" in body:
            detail = body["detail"]
            if isinstance(detail, list) and detail:
                return "; ".join(_validation_item(item) for item in detail[:3])
            return str(detail)
    if isinstance(body, str) and body:
        return body
    return response.reason_phrase or f"HTTP {response.status_code}"


def _validation_item(item: Any) -> str:
    if isinstance(item, dict):
        loc = item.get("loc")
        where = ".".join(str(p) for p in loc) if isinstance(loc, list) else ""
        msg = str(item.get("msg", "invalid"))
        return f"{where}: {msg}" if where else msg
    return str(item)

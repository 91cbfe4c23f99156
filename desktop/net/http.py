"""One way to make HTTP calls: always a timeout, TLS verified, typed errors, redacted logs.

Every client in Pupitre (BBB, gateways, HLS monitor, preflight) builds its ``httpx.AsyncClient``
with :func:`make_client` and sends through :func:`send` (or :func:`get_with_retry` for idempotent
reads), so that no call can hang forever, no certificate is silently ignored and every failure
becomes a :class:`~desktop.errors.NetworkError` that names the host, never the signed URL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from desktop.errors import ProtocolError, PupitreError, TimeoutError_, TLSError, UnreachableError
from desktop.i18n import _
from desktop.logs import redact

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeouts:
    """Connect and read budgets in seconds (Pod has none: weakness #1)."""

    connect: float = 5.0
    read: float = 10.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.read, pool=self.connect)


@dataclass(frozen=True)
class HttpOptions:
    """Per-server transport options.

    Attributes:
        timeouts: connect/read budgets.
        ca_bundle: path of a PEM bundle for a campus CA, or None for the system store.
        insecure: explicit switch that disables certificate checks (logged as a warning).
    """

    timeouts: Timeouts = field(default_factory=Timeouts)
    ca_bundle: str | None = None
    insecure: bool = False

    def verify(self) -> bool | ssl.SSLContext:
        if self.insecure:
            return False
        if self.ca_bundle:
            return _bundle_context(self.ca_bundle)
        return True


# Verifying TLS contexts, shared between clients.  Why: building one reads and parses a whole CA
# bundle (about 25 ms here, even for an http:// client, since httpx prepares TLS up front), and
# the gateways and the HLS monitor make several short-lived clients per go-live — the largest
# part of the app's own go-live overhead.  An SSLContext is meant to be shared; nothing in
# Pupitre changes one after it is built.  A bundle file replaced on disk gets a fresh context.
_CONTEXTS: dict[tuple[object, ...], ssl.SSLContext] = {}
_CONTEXTS_LOCK = threading.Lock()
_MAX_CONTEXTS = 16


def _shared_context(key: tuple[object, ...], build: Callable[[], ssl.SSLContext]) -> ssl.SSLContext:
    with _CONTEXTS_LOCK:
        context = _CONTEXTS.get(key)
    if context is None:
        context = build()
        with _CONTEXTS_LOCK:
            if len(_CONTEXTS) >= _MAX_CONTEXTS:
                _CONTEXTS.clear()
            context = _CONTEXTS.setdefault(key, context)
    return context


def _bundle_context(path: str) -> ssl.SSLContext:
    try:
        stat = os.stat(path)
    except OSError:  # let ssl report the missing or unreadable bundle as it always did
        return ssl.create_default_context(cafile=path)
    return _shared_context(("cafile", path, stat.st_mtime_ns, stat.st_size),
                           lambda: ssl.create_default_context(cafile=path))


def _default_context() -> ssl.SSLContext:
    """What httpx builds for ``verify=True`` (certifi, or SSL_CERT_FILE / SSL_CERT_DIR)."""
    key = ("default", os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    return _shared_context(key, httpx.create_ssl_context)


def make_client(options: HttpOptions | None = None, **kwargs: object) -> httpx.AsyncClient:
    """An AsyncClient with the options' timeouts and TLS verification.

    Extra keyword arguments go to ``httpx.AsyncClient`` (headers, transport for tests...).
    """
    options = options or HttpOptions()
    if options.insecure:
        logger.warning("TLS certificate verification is OFF for this server (insecure switch)")
    kwargs.setdefault("follow_redirects", False)
    verify = options.verify()
    if verify is True and kwargs.get("trust_env", True):
        verify = _default_context()
    return httpx.AsyncClient(
        timeout=options.timeouts.to_httpx(),
        verify=verify,
        **kwargs,  # type: ignore[arg-type]
    )


def _host_of(request: httpx.Request) -> str:
    url = request.url
    return f"{url.host}:{url.port}" if url.port else url.host


async def send(
    client: httpx.AsyncClient, request: httpx.Request, *, stream: bool = False
) -> httpx.Response:
    """Send ``request`` and map transport failures to typed, one-sentence errors.

    With ``stream=True`` the body is not read yet (the caller reads it, e.g. to bound its size,
    and must close the response).
    """
    host = _host_of(request)
    logger.debug("%s %s", request.method, redact(str(request.url)))
    try:
        return await client.send(request, stream=stream)
    except httpx.TimeoutException as exc:
        sentence = (_("{host} did not connect in time.") if isinstance(exc, httpx.ConnectTimeout)
                    else _("{host} did not answer in time."))
        raise TimeoutError_(
            sentence.format(host=host),
            host=host,
            hint=_("Check that the server is up and reachable from this computer."),
        ) from None
    except httpx.ConnectError as exc:
        if _is_tls_failure(exc):
            raise TLSError(
                _("The certificate of {host} could not be verified.").format(host=host),
                host=host,
                hint=_("If your institution uses its own certificate authority, set its CA bundle "
                       "in the server's settings."),
            ) from None
        raise UnreachableError(
            _("Could not reach {host}.").format(host=host),
            host=host,
            hint=_("Check the address and your network connection."),
        ) from None
    except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError):
        raise UnreachableError(
            _("The connection to {host} broke off.").format(host=host), host=host,
            hint=_("Try again in a moment.")
        ) from None


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "SSL" in str(exc)


async def get_with_retry(
    client: httpx.AsyncClient,
    url: str | httpx.URL,
    *,
    attempts: int = 3,
    first_delay: float = 0.3,
    headers: dict[str, str] | None = None,
    stream: bool = False,
) -> httpx.Response:
    """GET with exponential back-off on network failures — for idempotent reads only.

    TLS failures are not retried (they will not heal by themselves).  ``stream`` is as for
    :func:`send` (only the connection and the headers are retried then, not the body).
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        request = client.build_request("GET", url, headers=headers)
        try:
            return await send(client, request, stream=stream)
        except TLSError:
            raise
        except (UnreachableError, TimeoutError_):
            if attempt == attempts:
                raise
            logger.info("retrying %s in %.1fs (attempt %d/%d)", _host_of(request), delay, attempt + 1, attempts)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


async def read_limited(
    response: httpx.Response, *, limit: int, too_large: Callable[[int], PupitreError]
) -> bytes:
    """The body of a ``stream=True`` response, refused beyond ``limit`` bytes; always closes it.

    ``too_large(size)`` builds the error raised when the declared or received size passes the
    limit (each caller words it for what it reads).  Failures while reading become the same typed
    errors as :func:`send`'s.
    """
    host = _host_of(response.request)
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large(int(declared))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large(size)
            chunks.append(chunk)
        return b"".join(chunks)
    except httpx.TimeoutException:
        raise TimeoutError_(
            _("{host} stopped answering in the middle of a reply.").format(host=host),
            host=host,
            hint=_("Check that the server is up and reachable from this computer."),
        ) from None
    except httpx.DecodingError:
        raise ProtocolError(
            _("The answer of {host} could not be decompressed.").format(host=host)) from None
    except httpx.TransportError:
        raise UnreachableError(
            _("The connection to {host} broke off.").format(host=host), host=host,
            hint=_("Try again in a moment.")
        ) from None
    finally:
        await response.aclose()

"""One way to make HTTP calls: always a deadline, TLS verified, typed errors, redacted logs.

Every client in Pupitre (BBB, gateways, HLS monitor, preflight) builds its ``httpx.AsyncClient``
with :func:`make_client` and sends through :func:`send` (or :func:`get_with_retry` for idempotent
reads), so that no call can hang forever (a *total* deadline per request, body included, not only a
timeout per read: a server trickling one byte every few seconds is cut off too), no certificate is silently ignored and every failure
becomes a :class:`~desktop.errors.NetworkError` that names the host, never the signed URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx

from desktop.errors import (
    DeadlineError,
    ProtocolError,
    PupitreError,
    TimeoutError_,
    TLSError,
    UnreachableError,
)
from desktop.i18n import _
from desktop.logs import redact

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeouts:
    """Connect and read budgets in seconds (Pod has none: weakness #1), and the total deadline.

    ``connect`` and ``read`` bound each step of the transport (one read waits at most ``read``);
    ``total`` bounds the whole request, from sending it to the last byte of the body (or, for a
    streamed answer read with :func:`read_limited` / :func:`within_deadline`, to the last byte
    read).  None means "the read budget": the read budgets were sized as whole-answer budgets.
    """

    connect: float = 5.0
    read: float = 10.0
    total: float | None = None

    @property
    def deadline(self) -> float:
        """The total deadline of one request, in seconds."""
        return self.total if self.total is not None else self.read

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


# the total deadline of each client made by make_client (httpx.Timeout has no such field)
_DEADLINES: weakref.WeakKeyDictionary[httpx.AsyncClient, float] = weakref.WeakKeyDictionary()


def deadline_of(client: httpx.AsyncClient) -> float:
    """The total deadline of a request sent with ``client``: the one of its options when
    :func:`make_client` made it, else its read timeout (a plain AsyncClient given by a caller)."""
    known = _DEADLINES.get(client)
    if known is not None:
        return known
    return client.timeout.read or Timeouts().deadline


def make_client(options: HttpOptions | None = None, **kwargs: object) -> httpx.AsyncClient:
    """An AsyncClient with the options' timeouts, total deadline and TLS verification.

    Extra keyword arguments go to ``httpx.AsyncClient`` (headers, transport for tests...).
    """
    options = options or HttpOptions()
    if options.insecure:
        logger.warning("TLS certificate verification is OFF for this server (insecure switch)")
    kwargs.setdefault("follow_redirects", False)
    verify = options.verify()
    if verify is True and kwargs.get("trust_env", True):
        verify = _default_context()
    client = httpx.AsyncClient(
        timeout=options.timeouts.to_httpx(),
        verify=verify,
        **kwargs,  # type: ignore[arg-type]
    )
    _DEADLINES[client] = options.timeouts.deadline
    return client


def _host_of(request: httpx.Request) -> str:
    url = request.url
    return f"{url.host}:{url.port}" if url.port else url.host


_DEADLINE = "pupitre.deadline"  # the response extension that carries (loop time, seconds)


def too_slow(host: str, seconds: float) -> DeadlineError:
    """The error of a request that passed its total deadline."""
    return DeadlineError(
        _("{host} sent its answer too slowly (over {seconds} s).").format(
            host=host, seconds=f"{seconds:g}"),
        host=host,
        hint=_("The server or the network may be overloaded; try again in a moment."),
    )


async def send(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    stream: bool = False,
    deadline: float | None = None,
) -> httpx.Response:
    """Send ``request`` and map transport failures to typed, one-sentence errors.

    The whole request must be done within ``deadline`` seconds (default: :func:`deadline_of`
    the client), else :class:`~desktop.errors.DeadlineError`.  With ``stream=True`` the body is
    not read yet (the caller reads it, e.g. to bound its size, and must close the response); the
    deadline goes on with the response: :func:`read_limited` and :func:`within_deadline` keep
    the body's reading within what is left of it.
    """
    host = _host_of(request)
    logger.debug("%s %s", request.method, redact(str(request.url)))
    seconds = deadline_of(client) if deadline is None else deadline
    expires = asyncio.get_running_loop().time() + seconds
    try:
        async with asyncio.timeout_at(expires) as budget:
            response = await client.send(request, stream=stream)
        response.extensions[_DEADLINE] = (expires, seconds)
        return response
    except TimeoutError:
        if budget.expired():
            raise too_slow(host, seconds) from None
        raise
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

    TLS failures are not retried (they will not heal by themselves), nor a passed total deadline
    (the server answers, too slowly: asking again would multiply the wait).  ``stream`` is as for
    :func:`send` (only the connection and the headers are retried then, not the body).
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        request = client.build_request("GET", url, headers=headers)
        try:
            return await send(client, request, stream=stream)
        except (TLSError, DeadlineError):  # neither heals by asking again at once
            raise
        except (UnreachableError, TimeoutError_):
            if attempt == attempts:
                raise
            logger.info("retrying %s in %.1fs (attempt %d/%d)", _host_of(request), delay, attempt + 1, attempts)
            await asyncio.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.asynccontextmanager
async def within_deadline(response: httpx.Response) -> AsyncIterator[None]:
    """Run the block (reading ``response``'s body) within what is left of its request's deadline.

    Raises :class:`~desktop.errors.DeadlineError` when it passes.  A response that did not come
    from :func:`send` has no deadline: the block runs unbounded.
    """
    carried = response.extensions.get(_DEADLINE)
    if carried is None:
        yield
        return
    expires, seconds = carried
    try:
        async with asyncio.timeout_at(expires) as budget:
            yield
    except TimeoutError:
        if budget.expired():
            raise too_slow(_host_of(response.request), seconds) from None
        raise


async def send_limited(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    limit: int,
    too_large: Callable[[int], PupitreError],
    deadline: float | None = None,
) -> httpx.Response:
    """:func:`send` then :func:`read_limited`: a closed response whose ``content`` is the body,
    read within the total deadline and refused beyond ``limit`` bytes."""
    response = await send(client, request, stream=True, deadline=deadline)
    body = await read_limited(response, limit=limit, too_large=too_large)
    response._content = body  # what Response.aread() sets: .content, .text and .json() work
    return response


async def read_limited(
    response: httpx.Response, *, limit: int, too_large: Callable[[int], PupitreError]
) -> bytes:
    """The body of a ``stream=True`` response, refused beyond ``limit`` bytes; always closes it.

    ``too_large(size)`` builds the error raised when the declared or received size passes the
    limit (each caller words it for what it reads).  The body is read within what is left of the
    request's total deadline (:func:`within_deadline`).  Failures while reading become the same
    typed errors as :func:`send`'s.
    """
    host = _host_of(response.request)
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large(int(declared))
        chunks: list[bytes] = []
        size = 0
        async with within_deadline(response):
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

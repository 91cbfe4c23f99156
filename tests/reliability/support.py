"""Helpers shared by the reliability suite: waiting on the lab, plain-sentence checks, a proxy
that can hold one BBB call, and the secrets a scenario used."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
from aiohttp import web

from desktop.lab.runner import Lab

# what must never reach a user's eyes in a cause or a health row
_NOT_PLAIN = re.compile(
    r"Traceback|Exception|Error\(|\w+Error\b|\bNone\b|<[a-zA-Z/!?]|https?://|\{|\}|\\n|\bFile \"")


def assert_plain_sentence(text: str, *, max_chars: int = 400) -> None:
    """One sentence a presenter can read: no traceback, no class name, no URL, no markup."""
    assert text and text.strip() == text, repr(text)
    assert "\n" not in text, repr(text)
    assert len(text) <= max_chars, len(text)
    assert not _NOT_PLAIN.search(text), text
    assert text[0].isupper() or text[0] in "“\"'", text


async def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Wait for a condition on a lab observed from outside (the lab has no event for it)."""
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.05)  # polling an outside observation, bounded by the timeout
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or predicate}") from None


async def wait_publishing(lab: Lab, expected: list[str], timeout: float = 30.0) -> None:
    await wait_until(lambda: lab.publishing() == expected, timeout, f"publishing == {expected}")


class HoldingProxy:
    """A reverse proxy in front of the lab BBB that can hold one API call (``create``) until
    released: the only way to keep a go-live in its *creating* phase long enough to kill it."""

    def __init__(self, upstream: str, hold_call: str = "create") -> None:
        self.upstream = upstream.rstrip("/")
        self.hold_call = hold_call
        self.gate = asyncio.Event()
        self.gate.set()
        self.held = 0
        self._runner: web.AppRunner | None = None
        self._client = httpx.AsyncClient(timeout=30)
        self.url = ""

    def hold(self) -> None:
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        upstream_path = urlsplit(self.upstream).path
        self.url = f"http://127.0.0.1:{port}{upstream_path}/"

    async def stop(self) -> None:
        self.gate.set()
        await self._client.aclose()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        if request.path.rstrip("/").endswith("/" + self.hold_call) and not self.gate.is_set():
            self.held += 1
            await self.gate.wait()
        parts = urlsplit(self.upstream)
        url = f"{parts.scheme}://{parts.netloc}{request.path_qs}"
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        upstream = await self._client.request(request.method, url, headers=headers, content=await request.read())
        keep = {k: v for k, v in upstream.headers.items()
                if k.lower() in ("content-type", "location", "set-cookie")}
        return web.Response(status=upstream.status_code, body=upstream.content, headers=keep)


def checksum_of(url: str) -> str:
    """The ``checksum`` parameter of a signed BBB URL."""
    return dict(parse_qsl(urlsplit(url).query)).get("checksum", "")


def lab_user_secrets(lab: Lab) -> set[str]:
    """Every participant credential the lab BBB handed out: session and auth tokens, JSESSIONID."""
    found: set[str] = set()
    for meeting in lab.world.meetings.values():
        for user in meeting.users.values():
            found.update(v for v in (user.session_token, user.auth_token, user.jsessionid) if v)
    return found


def files_containing(root: Path, secrets: Iterable[str]) -> dict[str, list[str]]:
    """secret -> files under ``root`` whose bytes contain it (raw or URL-encoded)."""
    from urllib.parse import quote

    needles = {s: {s.encode(), quote(s, safe="").encode()} for s in secrets if s}
    hits: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret, forms in needles.items():
            if any(form in data for form in forms):
                hits.setdefault(secret[:6] + "…", []).append(str(path.relative_to(root)))
    return hits

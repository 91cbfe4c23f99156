"""A loopback HTTP server that answers too slowly or too much, to test the clients' deadlines.

Plain asyncio (no framework that would buffer or time out on its own).  Each request is answered
according to its path:

* a path in ``fast``: that body, at once (a playlist the test needs to be served normally);
* otherwise, with ``mode="trickle"``: the status line and headers at once, then one byte of body
  every ``interval`` seconds, forever (never more than a per-read timeout apart);
* otherwise, with ``mode="huge"``: ``huge_bytes`` of body as fast as the client reads them,
  without a Content-Length (the size cap must count, not trust a header).

``requests`` counts the requests received (a retry shows there), ``paths`` lists them.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class TrickleServer:
    mode: str = "trickle"  # or "huge"
    interval: float = 0.5
    content_type: str = "application/json"
    fast: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, content type)
    huge_bytes: int = 3_000_000
    requests: int = 0
    paths: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    port: int = 0

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def __aenter__(self) -> TrickleServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:  # keep-alive: the fast answers can be followed by more requests
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests += 1
                method, path, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                path = path.split("?", 1)[0]
                self.paths.append(path)
                if path in self.fast:
                    body, kind = self.fast[path]
                    writer.write(_head(kind, len(body)) + (b"" if method == "HEAD" else body))
                    await writer.drain()
                    continue
                if self.mode == "huge":
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + self.content_type.encode()
                                 + b"\r\nConnection: close\r\n\r\n")
                    chunk = b" " * 65536
                    for _ in range(self.huge_bytes // len(chunk) + 1):
                        writer.write(chunk)
                        await writer.drain()
                    return
                writer.write(_head(self.content_type, 1_000_000))
                await writer.drain()
                while True:  # one byte, then a pause: each read succeeds, the answer never ends
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(self.interval)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def _head(content_type: str, length: int) -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
            .encode("latin-1"))

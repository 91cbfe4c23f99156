"""A minimal Chrome DevTools Protocol client over a websocket, enough to drive Debian's headless
Chromium from a test: open a page, evaluate script, type text.  Pure Python (websockets), so the
suite needs no Node browser tooling."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--autoplay-policy=no-user-gesture-required", "--mute-audio", "--remote-debugging-port=0"]


class CdpError(Exception):
    """The browser answered a command with an error, or a script threw."""


class Browser:
    """One DevTools websocket to the browser; commands for a page carry its ``sessionId``."""

    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for raw in self._socket:
            message = json.loads(raw)
            future = self._pending.pop(message.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(message)

    async def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None,
                   timeout: float = 15.0) -> dict[str, Any]:
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        await self._socket.send(json.dumps(message))
        reply = await asyncio.wait_for(future, timeout)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error']}")
        result = reply.get("result", {})
        assert isinstance(result, dict)
        return result

    async def open(self, url: str) -> Page:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        page = Page(self, attached["sessionId"])
        await page.send("Page.enable")
        await page.send("Page.navigate", {"url": url})
        return page

    async def close(self) -> None:
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        await self._socket.close()


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.browser.send(method, params, session=self.session)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                      "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CdpError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float, what: str) -> Any:
        """Evaluate ``expression`` until it is truthy (the page changes on its own timers)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                value = await self.evaluate(expression)
            except CdpError:
                value = None  # the page is still loading
            if value:
                return value
            if loop.time() > deadline:
                raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
            await asyncio.sleep(0.1)  # polling the browser's state

    async def type_into(self, selector: str, text: str) -> None:
        """Focus the element and type ``text`` as keyboard input would insert it."""
        focused = await self.evaluate(f"(function () {{ var e = document.querySelector({json.dumps(selector)}); "
                                      "if (!e) { return false; } e.focus(); return document.activeElement === e; }())")
        assert focused, f"cannot focus {selector}"
        await self.send("Input.insertText", {"text": text})


@asynccontextmanager
async def chromium(user_data_dir: Path, *, start_timeout: float = 30.0) -> AsyncIterator[Browser]:
    """Run headless Chromium with a private profile and connect to its DevTools websocket."""
    user_data_dir.mkdir(parents=True, exist_ok=True)
    log = (user_data_dir.parent / "chromium.log").open("wb")
    process = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
                               stdout=log, stderr=subprocess.STDOUT)
    browser: Browser | None = None
    try:
        port_file = user_data_dir / "DevToolsActivePort"
        async with asyncio.timeout(start_timeout):
            while not port_file.is_file() or len(port_file.read_text().splitlines()) < 2:
                assert process.poll() is None, f"chromium exited with {process.returncode}"
                await asyncio.sleep(0.05)  # the browser writes the file once it listens
        port, path = port_file.read_text().splitlines()[:2]
        socket = await connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=10)
        browser = Browser(socket)
        yield browser
    finally:
        if browser is not None:
            await browser.close()
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 10)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait, 10)
        log.close()

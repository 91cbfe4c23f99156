"""Running the app's asyncio code inside pytest-qt tests: one qasync loop per test.

Why not pytest-asyncio here: an ``async def`` test runs on pytest-asyncio's own (non-Qt)
event loop, and Qt's events are then only processed when something calls into Qt; the GUI's
slots schedule their work with ``asyncio.ensure_future`` on *the* current loop, and httpx (via
anyio) needs that loop to be the running one.  So GUI tests that drive the core are plain
``def`` tests (pytest-asyncio leaves those alone) using the :func:`qloop` fixture: a
``qasync.QEventLoop`` over pytest-qt's ``qapp``, set as the current loop, and :func:`run` drives
an ``async`` body with ``loop.run_until_complete`` — the same ``run_forever`` path as
``desktop.ui.app.run`` (never ``app.exec()`` alone: the loop would not count as running).
Inside the body, Qt events and asyncio callbacks are served by the one loop, so clicking a button
and awaiting its effect just works.  Waits are conditions with timeouts (:func:`until`,
:func:`signal`), never fixed sleeps; ``qtbot.waitUntil``/``waitSignal`` are not used inside the
body because they would nest a second Qt event loop.

At teardown, tasks left running are cancelled and awaited, then the loop is closed and the
current loop reset, so the next test (async or not) starts clean.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication

T = TypeVar("T")

POLL = 0.02


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


def run(loop: qasync.QEventLoop, body: Coroutine[Any, Any, T], timeout: float = 90.0) -> T:
    """Run ``body`` on the qasync loop (Qt events included) and return its result."""
    return loop.run_until_complete(asyncio.wait_for(body, timeout))


async def until(predicate: Callable[[], object], timeout: float = 20.0, what: str = "the condition") -> None:
    """Wait until ``predicate()`` is true (observing the app from outside), or fail."""
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(POLL)  # poll interval of an outside observer, not a state wait
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout:g} s waiting for {what}") from None


async def signal(sig: SignalInstance, trigger: Callable[[], object] | None = None,
                 timeout: float = 20.0) -> tuple[Any, ...]:
    """Wait for one emission of ``sig`` (after calling ``trigger``); returns its arguments."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def received(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    sig.connect(received)
    try:
        if trigger is not None:
            result = trigger()
            if isinstance(result, Awaitable):
                await result
        return await asyncio.wait_for(future, timeout)
    finally:
        sig.disconnect(received)

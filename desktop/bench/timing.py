"""Small measuring tools: medians and percentiles, interval unions, and a recorder of the time
the app spends waiting on servers.

:class:`WaitRecorder` is how the go-live benchmark separates the app's own work from waiting: it
wraps, for the duration of a ``with`` block, ``httpx.AsyncClient.send`` (every HTTP call the app
makes: BBB, gateways, HLS playlist) and ``asyncio.sleep`` / ``asyncio.wait_for`` when called from
the app's own modules (``desktop.*`` minus the lab: the poll intervals between two server checks;
the HLS monitor waits with ``wait_for`` on its stop event; the benchmarks' own reference
algorithms, whose tasks are told apart by the caller).
Each call becomes an interval tagged with the asyncio task that made it.  The lab uses aiohttp,
not httpx, so its own calls are not counted; the presenter's browser (httpx, in the benchmark's
task) is excluded by task.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear between ranks."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def union_length(intervals: Iterable[tuple[float, float]], start: float, end: float) -> float:
    """Total length of the union of ``intervals`` clipped to ``[start, end]``."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in intervals if b > start and a < end)
    total = 0.0
    current_start: float | None = None
    current_end = 0.0
    for a, b in clipped:
        if current_start is None:
            current_start, current_end = a, b
        elif a <= current_end:
            current_end = max(current_end, b)
        else:
            total += current_end - current_start
            current_start, current_end = a, b
    if current_start is not None:
        total += current_end - current_start
    return total


@dataclass(frozen=True)
class Interval:
    kind: str  # "http" | "sleep"
    start: float  # time.monotonic()
    end: float
    task: object | None
    detail: str = ""


def _app_caller(depth: int = 2) -> str | None:
    """The module name of the caller's caller when it is the app's own code, else None."""
    frame = sys._getframe(depth)
    name = str(frame.f_globals.get("__name__", ""))
    if name.startswith("desktop.") and not name.startswith("desktop.lab"):
        return name
    return None


@dataclass
class WaitRecorder:
    """Records the app's server calls and poll sleeps (see the module docstring)."""

    intervals: list[Interval] = field(default_factory=list)
    _saved: list[tuple[object, str, Any]] = field(default_factory=list)

    def __enter__(self) -> WaitRecorder:
        recorder = self
        original_send = httpx.AsyncClient.send
        original_sleep = asyncio.sleep
        original_wait_for = asyncio.wait_for

        async def send(client: httpx.AsyncClient, request: httpx.Request, *args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            try:
                return await original_send(client, request, *args, **kwargs)
            finally:
                recorder.intervals.append(Interval("http", start, time.monotonic(), _current_task(),
                                                   f"{request.method} {request.url.path}"))

        async def sleep(delay: float, result: Any = None) -> Any:
            caller = _app_caller()
            if caller is None or delay <= 0:
                return await original_sleep(delay, result)
            start = time.monotonic()
            try:
                return await original_sleep(delay, result)
            finally:
                recorder.intervals.append(Interval("sleep", start, time.monotonic(), _current_task(), caller))

        async def wait_for(awaitable: Any, timeout: float | None) -> Any:
            caller = _app_caller()
            if caller is None:
                return await original_wait_for(awaitable, timeout)
            start = time.monotonic()
            try:
                return await original_wait_for(awaitable, timeout)
            finally:
                recorder.intervals.append(Interval("sleep", start, time.monotonic(), _current_task(), caller))

        self._saved = [(httpx.AsyncClient, "send", original_send), (asyncio, "sleep", original_sleep),
                       (asyncio, "wait_for", original_wait_for)]
        setattr(httpx.AsyncClient, "send", send)  # noqa: B010 (patched for the block only)
        setattr(asyncio, "sleep", sleep)  # noqa: B010
        setattr(asyncio, "wait_for", wait_for)  # noqa: B010
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, value in self._saved:
            setattr(owner, name, value)
        self._saved = []

    def waiting(self, start: float, end: float, *, exclude: Callable[[Interval], bool] | None = None,
                kinds: tuple[str, ...] = ("http", "sleep")) -> float:
        """Seconds of ``[start, end]`` during which at least one counted call was in flight."""
        chosen = [(i.start, i.end) for i in self.intervals
                  if i.kind in kinds and (exclude is None or not exclude(i))]
        return union_length(chosen, start, end)


def _current_task() -> object | None:
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (from /proc/<pid>/stat)."""
    import os

    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the man page)
    return ticks / os.sysconf("SC_CLK_TCK")


def proc_rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None

"""The soak's sampling (tests/reliability/soak.py): a fixed schedule and time-weighted CPU, so no
burst of zero-length samples at a phase's end can drag its mean CPU down."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.reliability import soak


def sample(dt: float, cpu_seconds: float) -> soak.Sample:
    return soak.Sample(t=0.0, rss_mb=1.0, cpu_percent=100 * cpu_seconds / dt if dt else 0.0, chat_messages=0,
                       stream="ok", dt=dt, cpu_seconds=cpu_seconds)


def test_mean_cpu_is_weighted_by_time() -> None:
    # ten seconds at 50 % and a burst of zero-length samples: still 50 %, not dragged to 25 %
    samples = [sample(10.0, 5.0), sample(1e-4, 0.0), sample(1e-4, 0.0), sample(1e-4, 0.0)]
    assert soak.cpu_share(samples) == pytest.approx(50.0, abs=0.1)
    assert soak.cpu_share([]) == 0.0


async def test_early_wakeups_take_no_extra_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    real_sleep = asyncio.sleep

    async def early(delay: float, result: Any = None) -> Any:
        return await real_sleep(delay / 10, result)  # a timer firing long before its due time

    monkeypatch.setattr(soak.asyncio, "sleep", early)
    sampler = soak.Sampler(0.02, lambda: {"chat_messages": 0, "stream": "ok"})
    taken = await sampler.phase("main", 0.1, lambda: False)
    assert len(taken) == 5  # one per interval, the last at the phase's end
    assert all(s.phase == "main" and s.dt > 0 for s in taken)


async def test_a_phase_stops_when_the_live_is_over() -> None:
    sampler = soak.Sampler(0.01, lambda: {"chat_messages": 0, "stream": "ok"})
    assert len(await sampler.phase("chat_hidden", 60, lambda: True)) == 1

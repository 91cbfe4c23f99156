"""``pupitre lab --audience 20 --rate 2`` for one minute with a live streaming: memory, CPU and the
audience simulator's lag sampled every 5 s (opt-in: ``pytest -m slow tests/lab_surface``; about
70 s).  The figures are logged (``-s`` or ``-rP`` shows them) and checked against generous bounds:
no memory growth trend, and an audience that never falls behind its schedule."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.lab.signing import encode, signed
from tests.lab_surface.lab_process import pupitre_lab
from tests.lab_surface.support import wait_stream_advances

logger = logging.getLogger(__name__)

pytestmark = pytest.mark.slow

DURATION = 60.0
PERIOD = 5.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    t: float  # seconds since the live started
    rss_mb: float
    cpu_percent: float  # of one core, since the previous sample
    sent: int
    failed: int
    in_flight: int
    lag: float
    mean_lag: float


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime, all threads


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


async def start_live(client: httpx.AsyncClient, doc: dict[str, Any]) -> None:
    """A meeting with its presenter in, then the v1.8 gateway (gw3) streaming it."""
    secret, api = doc["bbb"]["secret"], doc["bbb"]["api_url"]
    created = await client.get(f"{api}create?{signed('create', encode({'name': 'Minute', 'meetingID': 'minute'}), secret)}")
    assert "SUCCESS" in created.text
    join = signed("join", encode({"fullName": "Presenter", "meetingID": "minute", "role": "MODERATOR"}), secret)
    page = await client.get(f"{api}join?{join}", follow_redirects=True)  # the client page enters the meeting
    assert page.status_code == 200
    gw3 = next(g for g in doc["gateways"] if g["kind"] == "sipmediagw")
    started = await client.post(f"{gw3['url']}/start", headers={"Authorization": f"Bearer {gw3['token']}"},
                                json={"room": "minute", "main_app": "streaming", "browsing": "bigbluebutton",
                                      "rtmp_dst": gw3["rtmp_url"]})
    assert started.json()["status"] == "success", started.text
    await wait_stream_advances(gw3["hls_url"], timeout=30)


async def test_one_minute_with_an_audience(cli_env: dict[str, str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 3: ``pupitre lab --audience 20 --rate 2`` for a minute on the CI machine; the figures
    are printed in CI's output."""
    async with pupitre_lab(cli_env, "--audience", "20", "--rate", "2") as lab:
        pid = lab.process.pid
        doc = lab.document
        headers = {"Authorization": f"Bearer {doc['control']['token']}"}
        samples: list[Sample] = []
        async with httpx.AsyncClient(timeout=10) as client:
            await start_live(client, doc)
            loop = asyncio.get_running_loop()
            began = loop.time()
            previous_cpu, previous_t = cpu_seconds(pid), 0.0
            while True:
                await asyncio.sleep(PERIOD)  # the sampling period itself
                t = loop.time() - began
                state = (await client.get(doc["control"]["url"] + "/lab/state", headers=headers)).json()
                audience = state["audience"]
                cpu = cpu_seconds(pid)
                samples.append(Sample(round(t, 1), round(rss_mb(pid), 1),
                                      round(100 * (cpu - previous_cpu) / (t - previous_t), 1),
                                      audience["sent"], audience["failed"], audience["in_flight"],
                                      round(audience["lag"], 3), round(audience["mean_lag"], 4)))
                previous_cpu, previous_t = cpu, t
                logger.info("lab minute: %s", samples[-1])
                if t >= DURATION:
                    break
            assert state["publishing"] == ["gw3"] and audience["streaming_through"] == ["gw3"]
        code, stderr = await lab.terminate()
    figures = [asdict(s) for s in samples]
    (tmp_path / "lab-minute.json").write_text(json.dumps(figures, indent=1))
    steady = [(s.t, s.rss_mb) for s in samples if s.t >= 15]
    growth = slope(steady)
    with capsys.disabled():
        _print_figures(samples, growth)
    assert code == 0, stderr

    # memory: after warm-up (t >= 15 s) no trend beyond 0.5 MB/s (30 MB a minute), no jump beyond 100 MB
    assert growth < 0.5, figures
    assert max(r for _, r in steady) - steady[0][1] < 100, figures
    # the audience kept its schedule: about 2 messages a second, none late by more than a second
    last = samples[-1]
    assert last.sent >= 0.6 * 2 * DURATION, figures
    assert last.failed <= 0.02 * last.sent, figures
    assert last.lag < 1.0 and last.mean_lag < 0.05, figures
    assert max(s.in_flight for s in samples) <= 16, figures


def _print_figures(samples: list[Sample], growth: float) -> None:
    print("\nlab minute figures (t s, RSS MB, CPU % of one core, sent, failed, in flight, max lag s, mean lag s):")
    for s in samples:
        print(f"  {s.t:5.1f} {s.rss_mb:7.1f} {s.cpu_percent:6.1f} {s.sent:4d} {s.failed:3d} {s.in_flight:3d} "
              f"{s.lag:6.3f} {s.mean_lag:7.4f}")
    print(f"  RSS slope after warm-up: {growth:.3f} MB/s")

"""``pupitre stream URL`` in a subprocess against the loopback origin (served by this test's loop)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.stream.origin import FakeOrigin, OriginServer

WAIT = 30.0


@pytest.fixture
async def origin() -> AsyncIterator[FakeOrigin]:
    yield FakeOrigin()


async def start_cli(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "stream", *args,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def finish(proc: asyncio.subprocess.Process) -> tuple[int, str, str]:
    out, err = await asyncio.wait_for(proc.communicate(), WAIT)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_json_check_of_a_live_stream_exits_0(
    origin: FakeOrigin, server: OriginServer, cli_env: dict[str, str]
) -> None:
    origin.publish(3)
    origin.requested.clear()
    proc = await start_cli(cli_env, server.url(), "--json", "--interval", "0.1")
    # the CLI confirms "live" by seeing a new segment: publish one once it has read the playlist
    await asyncio.wait_for(origin.requested.wait(), WAIT)
    origin.publish(1)
    code, out, err = await finish(proc)
    data = json.loads(out)
    assert code == 0, err
    assert data["state"] == "live" and data["advancing"] is True
    assert data["url"] == server.url() and data["reachable"] is True
    assert data["target_duration"] == 1.0 and data["media_sequence"] == 1
    assert data["bitrate_bps"] == 1_000_000 and data["last_error"] == ""
    for name in ("newest_segment_age", "latency_estimate"):
        assert name in data


async def test_check_of_a_missing_stream_exits_1_with_the_sentence(
    origin: FakeOrigin, server: OriginServer, cli_env: dict[str, str]
) -> None:
    origin.status = 404
    code, out, _ = await finish(await start_cli(cli_env, server.url()))
    assert code == 1
    assert "The audience stream address answers 404: the stream has not started." in out


async def test_check_of_a_frozen_stream_exits_1_as_stalled(
    origin: FakeOrigin, server: OriginServer, cli_env: dict[str, str]
) -> None:
    origin.publish(3)  # nothing more will come: after 3 target durations (3 s) it is stalled
    code, out, _ = await finish(await start_cli(cli_env, server.url(), "--json", "--interval", "0.2"))
    assert code == 1
    data = json.loads(out)
    assert data["state"] == "stalled" and data["stall_reason"] == "not_advancing"


async def test_watch_prints_one_line_per_poll_until_interrupted(
    origin: FakeOrigin, server: OriginServer, cli_env: dict[str, str]
) -> None:
    origin.publish(2)
    proc = await start_cli(cli_env, server.url(), "--watch", "--interval", "0.05")
    assert proc.stdout is not None
    lines = [(await asyncio.wait_for(proc.stdout.readline(), WAIT)).decode() for _ in range(2)]
    origin.publish(1)
    while "advancing" not in lines[-1]:
        lines.append((await asyncio.wait_for(proc.stdout.readline(), WAIT)).decode())
    proc.send_signal(signal.SIGINT)
    code, _, _ = await finish(proc)
    assert all(line.startswith("[LIVE] The audience stream is live") for line in lines)
    assert code == 130


async def test_bad_url_exits_1_with_a_sentence(cli_env: dict[str, str]) -> None:
    code, _, err = await finish(await start_cli(cli_env, "ftp://example.org/live.m3u8"))
    assert code == 1
    assert "must be an http:// or https:// URL" in err


async def test_relay_serves_a_local_player_until_interrupted(
    origin: FakeOrigin, server: OriginServer, cli_env: dict[str, str]
) -> None:
    origin.publish(2)
    proc = await start_cli(cli_env, server.url(), "--relay", "--json")
    assert proc.stdout is not None
    announced = json.loads(await asyncio.wait_for(proc.stdout.readline(), WAIT))
    assert announced["upstream"] == server.url()
    assert announced["relay_url"].startswith("http://127.0.0.1:") and announced["relay_url"].endswith("/live.ts")
    async with httpx.AsyncClient(timeout=WAIT) as player, player.stream("GET", announced["relay_url"]) as response:
        assert response.status_code == 200
        received = b""  # nothing new is published: after its short wait the relay starts with the newest
        async for chunk in response.aiter_raw():
            received += chunk
            if len(received) >= origin.segment_bytes:
                break
    assert received[:origin.segment_bytes] == origin.segment_body("seg-1")
    proc.send_signal(signal.SIGINT)
    code, _, _ = await finish(proc)
    assert code == 130

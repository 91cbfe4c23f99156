"""One owner per live (issue 12), with real ``pupitre`` processes against the lab.

A start claims the webinar with an OS lock before it reads the journal, adopts a live that still
runs instead of starting a second gateway, and a stale endpoint file blocks nothing.  Each
scenario ends with ``end`` (or ``recover --stop-all``), no gateway publishing, and ``recover``
listing nothing left.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import pytest

from desktop.config.paths import AppPaths
from desktop.webinar.control import endpoint_file
from desktop.webinar.journal import Journal
from tests.integration.conftest import open_in_browser
from tests.integration.test_cli_lifecycle import (
    Owner,
    cli_lab,
    run,
    schedule,
    start_owner,
    wait_publishing,
)

pytestmark = pytest.mark.slow
__all__ = ["cli_lab"]  # the fixture, shared with the lifecycle tests


async def spawn(env: dict[str, str], *args: str) -> Owner:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    return Owner(proc)


async def start_again_adopts(lab, env: dict[str, str], webinar_id: int) -> Owner:  # type: ignore[no-untyped-def]
    """A second ``start`` of a live that runs with no owner: it takes it over on gw1, starts no gw2."""
    again = await spawn(env, "webinar", "start", str(webinar_id), "--json")
    adopted = await again.wait_line(lambda line: "taken over" in line.get("notice", ""), 60)
    assert adopted["state"] == "live" and adopted["gateway"] == "lab-gw1", adopted
    assert "BBB says the meeting is running" in adopted["notice"]
    assert not any("presenter_join_url" in line for line in again.lines)  # nothing started again
    assert lab.publishing() == ["gw1"]
    code, out, err = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert code == 0, err
    assert json.loads(out)[0]["watched_by_pid"] == again.proc.pid
    return again


async def end_and_check_nothing_left(lab, env: dict[str, str], webinar_id: int,  # type: ignore[no-untyped-def]
                                     owner: Owner | None) -> None:
    code, out, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    assert "ended" in out
    if owner is not None:
        assert await asyncio.wait_for(owner.proc.wait(), 30) == 0
    await wait_publishing(lab, [])
    code, out, err = await run(env, "webinar", "recover", "--json")
    assert code == 0, err
    assert json.loads(out) == []


async def test_starting_a_detached_live_again_adopts_it_instead_of_orphaning_gw1(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Started twice")
    detached = await spawn(env, "webinar", "start", str(webinar_id), "--detach", "--json")
    join = await detached.wait_line(lambda line: "presenter_join_url" in line)
    await open_in_browser(join["presenter_join_url"])
    await detached.wait_state("live", 90)
    assert await asyncio.wait_for(detached.proc.wait(), 30) == 0
    assert lab.publishing() == ["gw1"]

    again = await start_again_adopts(lab, env, webinar_id)
    await end_and_check_nothing_left(lab, env, webinar_id, again)


async def test_starting_again_after_a_sigkill_adopts_the_live(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Killed then started")
    owner = await start_owner(env, webinar_id)
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    assert lab.publishing() == ["gw1"]

    again = await start_again_adopts(lab, env, webinar_id)
    await end_and_check_nothing_left(lab, env, webinar_id, again)


async def test_two_starts_at_the_same_moment_make_one_owner_and_one_gateway(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Started at once")
    first, second = await asyncio.gather(*(spawn(env, "webinar", "start", str(webinar_id), "--json")
                                           for _ in range(2)))
    exits = {asyncio.ensure_future(first.proc.wait()): first, asyncio.ensure_future(second.proc.wait()): second}
    done, _pending = await asyncio.wait(exits, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    assert len(done) == 1, "exactly one start is refused"
    loser = exits[done.pop()]
    winner = second if loser is first else first
    assert loser.proc.returncode == 1
    assert loser.proc.stderr is not None
    refused = (await loser.proc.stderr.read()).decode()
    assert "already running this webinar" in refused or "holds this webinar" in refused, refused
    assert "Traceback" not in refused

    join = await winner.wait_line(lambda line: "presenter_join_url" in line)
    await open_in_browser(join["presenter_join_url"])
    await winner.wait_state("live", 90)
    assert lab.publishing() == ["gw1"]
    await end_and_check_nothing_left(lab, env, webinar_id, winner)


async def test_a_stale_endpoint_file_blocks_neither_start_nor_recover(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Stale endpoint")
    run_dir = AppPaths.from_environment().data_dir / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    key = f"{webinar_id}:0"
    stale = {"port": 9, "token": "x", "pid": 1, "key": key}  # pid 1 is alive, and not Pupitre
    endpoint_file(run_dir, key).write_text(json.dumps(stale))

    owner = await start_owner(env, webinar_id)
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    endpoint_file(run_dir, key).write_text(json.dumps(stale))

    code, out, err = await run(env, "webinar", "recover", "--json")
    assert code == 0, err
    [found] = json.loads(out)
    assert found["key"] == key and found["recommendation"] == "resume"
    code, out, err = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert json.loads(out)[0]["watched_by_pid"] is None
    code, out, err = await run(env, "webinar", "recover", "--stop-all")
    assert code == 0, err
    await wait_publishing(lab, [])
    code, out, err = await run(env, "webinar", "recover", "--json")
    assert json.loads(out) == []


async def test_recover_with_bbb_unreachable_resumes_rather_than_cuts_the_stream(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "BBB unreachable")
    owner = await start_owner(env, webinar_id)
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    await lab.set_fault("bbb", "down")

    code, out, err = await run(env, "webinar", "recover", "--json")
    assert code == 0, err
    [found] = json.loads(out)
    assert found["meeting_running"] is None and found["bbb_error"]
    assert found["recommendation"] == "resume"
    assert found["summary"].startswith("BBB did not answer") and "“lab-gw1” reports that it streams" in found["summary"]
    assert [g["gateway"] for g in found["gateways"]] == ["lab-gw1"]
    assert lab.publishing() == ["gw1"]

    # a non-interactive run applies the recommendation: it watches the live, it does not cut it
    applying = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "recover", "--apply", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    assert applying.stdout is not None
    printed: list[str] = []
    async with asyncio.timeout(60):
        while "Monitoring 1 live(s)" not in (line := (await applying.stdout.readline()).decode()):
            assert line, f"recover --apply exited: {printed}"
            printed.append(line)
    [applied] = [line for line in printed if "→" in line]
    assert "BBB did not answer" in applied and applied.rstrip().endswith("→ resume"), applied
    code, out, err = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert json.loads(out)[0]["watched_by_pid"] == applying.pid
    assert lab.publishing() == ["gw1"]

    await lab.set_fault("bbb", "down", on=False)
    code, out, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    assert await asyncio.wait_for(applying.wait(), 30) == 0
    await wait_publishing(lab, [])
    code, out, err = await run(env, "webinar", "recover", "--json")
    assert json.loads(out) == []


async def test_stop_live_on_a_cancelled_entry_does_not_revive_it(cli_lab) -> None:  # type: ignore[no-untyped-def]
    _lab, env = cli_lab
    webinar_id = await schedule(env, "Cancelled")
    owner = await spawn(env, "webinar", "start", str(webinar_id), "--json")
    await owner.wait_state("waiting for presenter", 60)
    owner.proc.send_signal(signal.SIGINT)  # Ctrl-C while working: cancelled
    assert await asyncio.wait_for(owner.proc.wait(), 30) == 0
    code, out, err = await run(env, "webinar", "stop-live", str(webinar_id), "--json")
    assert code == 0, err
    assert json.loads(out)["state"] == "idle"
    code, out, _err = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert json.loads(out)[0]["state"] == "idle"


async def test_end_also_stops_a_gateway_an_earlier_start_left_in_the_history(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Leftover")
    owner = await start_owner(env, webinar_id)
    live = owner.lines[-1]
    # what an older Pupitre (or a /start that timed out) leaves: a second gateway never stopped
    journal = Journal(AppPaths.from_environment().database_file)
    try:
        assert journal.gateway_started(live["key"], "lab-gw2", live["room"])
    finally:
        journal.close()

    code, out, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    leftovers = [line for line in err.splitlines() if line.startswith("Also stopped the gateways")]
    # gw2 is the leftover; gw1 may be named too when the owner's own stop of it did not finish
    # first (a slow lab): either way nothing may publish afterwards (checked below)
    assert len(leftovers) == 1 and "lab-gw2" in leftovers[0], err
    assert await asyncio.wait_for(owner.proc.wait(), 30) == 0
    await wait_publishing(lab, [])
    journal = Journal(AppPaths.from_environment().database_file)
    try:
        assert all(use.stopped_at is not None for use in journal.gateways(live["key"]))
    finally:
        journal.close()
    code, out, err = await run(env, "webinar", "recover", "--json")
    assert json.loads(out) == []


async def test_a_stopped_live_whose_owner_died_starts_again_on_one_gateway(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Stopped then killed")
    owner = await start_owner(env, webinar_id)
    code, out, err = await run(env, "webinar", "stop-live", str(webinar_id), "--json")
    assert code == 0 and json.loads(out)["state"] == "live stopped", err
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    assert lab.publishing() == []

    again = await start_owner(env, webinar_id)  # nothing to adopt: a plain start, one gateway
    assert lab.publishing() == ["gw1"]
    await end_and_check_nothing_left(lab, env, webinar_id, again)

"""SIGKILL of ``pupitre webinar start ID --json`` in every phase of the go-live and during the live;
the next ``pupitre webinar recover`` reconciles, nothing is left publishing, and the gateway's
slot is free again (a new go-live on the same gateway works).

The lab runs in the test's loop; each ``pupitre`` is a real subprocess sharing PUPITRE_HOME and a
file keyring.  Each phase is *held* by a lab condition, never by timing luck:

* checking — gateway ``gw1`` hangs, so the preflight waits for its probe;
* creating — a proxy in front of BBB holds the ``create`` call;
* waiting for presenter — nobody opens the join link;
* starting gateway — ``gw1`` takes 3 s to launch its container, and the kill lands once the
  gateway has received ``/start``: the container comes up *after* the crash;
* live — the stream runs.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import BBBProfile, Settings
from desktop.lab.runner import Lab
from desktop.secrets.store import SecretStore
from desktop.webinar.manager import WebinarManager
from desktop.webinar.state import LiveState
from tests.integration.conftest import FAST_TIMINGS, lab_options, open_in_browser
from tests.integration.test_cli_lifecycle import Owner, run, schedule
from tests.reliability.support import HoldingProxy, wait_publishing, wait_until
from tests.support.file_keyring import FileKeyring

pytestmark = [pytest.mark.slow, pytest.mark.lab]

GW1 = "lab-gw1"


@dataclass
class CrashLab:
    lab: Lab
    env: dict[str, str]
    paths: AppPaths
    proxy: HoldingProxy

    def use_proxy_for_bbb(self) -> None:
        settings = Settings.load(self.paths.settings_file)
        settings.put_profile(BBBProfile(name="lab", url=self.proxy.url))
        settings.save()


@pytest.fixture
async def crash_lab(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[CrashLab]:
    monkeypatch.setenv("PUPITRE_TEST_KEYRING_FILE", cli_env["PUPITRE_TEST_KEYRING_FILE"])
    async with Lab(lab_options()) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file,
                            preferences={"poll_presenter_seconds": 0.2, "poll_live_seconds": 0.5,
                                         "gateway_start_timeout": 30.0})
        lab.write_profile(settings, SecretStore(FileKeyring()))
        settings.save()
        proxy = HoldingProxy(lab.bbb.url)
        await proxy.start()
        try:
            yield CrashLab(lab, cli_env, paths, proxy)
        finally:
            await proxy.stop()


class Follower(Owner):
    """Like :class:`Owner`, for ``recover --apply --json``: its plain decision lines come first."""

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            if raw.lstrip().startswith(b"{"):
                self.lines.append(json.loads(raw))
            else:
                self.lines.append({"text": raw.decode(errors="replace")})
            self._changed.set()
        self._changed.set()


async def spawn_owner(env: dict[str, str], webinar_id: int) -> Owner:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "start", str(webinar_id), "--json", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    return Owner(proc)


async def kill(owner: Owner) -> None:
    owner.proc.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(owner.proc.wait(), 10) == -signal.SIGKILL


async def recover(env: dict[str, str], *flags: str) -> str:
    code, out, err = await run(env, "webinar", "recover", *flags, timeout=60)
    assert code == 0, err
    assert "Traceback" not in err, err
    return out


async def nothing_left_to_recover(env: dict[str, str]) -> None:
    code, out, err = await run(env, "webinar", "recover", "--json")
    assert code == 0, err
    assert json.loads(out) == [], out


async def go_live_again_on_gw1(crash: CrashLab, webinar_id: int) -> None:
    """The slot is free: the same webinar goes live on the same gateway, then ends."""
    settings = Settings.load(crash.paths.settings_file)
    manager = WebinarManager(crash.paths, settings, SecretStore(FileKeyring()), timings=FAST_TIMINGS)
    try:
        session = manager.session(manager.plan_for(webinar_id, gateway=GW1))
        session.on_presenter_join_url(lambda url: asyncio.get_running_loop().create_task(open_in_browser(url)))
        await session.go_live()
        snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
        assert snap.state == LiveState.LIVE, snap.failure
        assert snap.gateway == GW1, "gw1's slot was still held: the go-live moved to another gateway"
        assert crash.lab.publishing() == ["gw1"]
        await session.end_webinar()
        assert session.snapshot.state == LiveState.ENDED
        await wait_publishing(crash.lab, [])
    finally:
        await manager.aclose()


async def test_kill_while_checking(crash_lab: CrashLab) -> None:
    lab, env = crash_lab.lab, crash_lab.env
    webinar_id = await schedule(env, "Crash while checking")
    await lab.set_fault("gw1", "hang")
    owner = await spawn_owner(env, webinar_id)
    await owner.wait_state("checking", 30)
    emulator = lab.gateway("gw1").server.gateway
    await wait_until(lambda: emulator.held_requests > 0, 30, "the preflight's probe of gw1")
    await kill(owner)
    await lab.set_fault("gw1", "hang", on=False)

    out = await recover(env, "--apply")
    assert "forget" in out, out
    assert lab.publishing() == []
    await nothing_left_to_recover(env)
    await go_live_again_on_gw1(crash_lab, webinar_id)


async def test_kill_while_creating(crash_lab: CrashLab) -> None:
    lab, env, proxy = crash_lab.lab, crash_lab.env, crash_lab.proxy
    crash_lab.use_proxy_for_bbb()
    webinar_id = await schedule(env, "Crash while creating")
    proxy.hold()
    owner = await spawn_owner(env, webinar_id)
    await owner.wait_state("creating", 30)
    await wait_until(lambda: proxy.held > 0, 30, "the create call reaching BBB's proxy")
    await kill(owner)
    proxy.release()  # the create may still land after the crash, like on a real network

    out = await recover(env, "--apply")
    assert "forget" in out, out
    assert lab.publishing() == []
    await nothing_left_to_recover(env)
    await go_live_again_on_gw1(crash_lab, webinar_id)


async def test_kill_while_waiting_for_the_presenter(crash_lab: CrashLab) -> None:
    lab, env = crash_lab.lab, crash_lab.env
    webinar_id = await schedule(env, "Crash while waiting")
    owner = await spawn_owner(env, webinar_id)
    await owner.wait_state("waiting for presenter", 30)
    await kill(owner)
    meeting_id = owner.lines[-1]["meeting_id"]
    meeting = lab.world.meeting(meeting_id)
    assert meeting is not None and not meeting.running  # created, nobody in it

    out = await recover(env, "--apply")
    assert "forget" in out, out
    assert lab.publishing() == []
    await nothing_left_to_recover(env)
    await go_live_again_on_gw1(crash_lab, webinar_id)


@pytest.mark.parametrize("recovery", ["stop-all once it streams", "apply while the start is in flight"])
async def test_kill_while_the_gateway_is_starting(crash_lab: CrashLab, recovery: str) -> None:
    """The kill lands while ``/start`` is in flight: the container comes up after the crash.
    The journal knew the candidate gateway and room before the request went out, so recovery
    stops it (before the fix it recorded the gateway only once ``/start`` had answered)."""
    lab, env = crash_lab.lab, crash_lab.env
    emulator = lab.gateway("gw1").server.gateway
    fast = emulator.timings
    emulator.timings = replace(fast, launch=3.0)
    webinar_id = await schedule(env, "Crash while starting")
    owner = await spawn_owner(env, webinar_id)
    join = await owner.wait_line(lambda line: "presenter_join_url" in line, 30)
    await open_in_browser(join["presenter_join_url"])
    await owner.wait_state("starting gateway", 30)
    await wait_until(lambda: emulator.run is not None, 30, "gw1 receiving /start")
    await kill(owner)
    emulator.timings = fast

    if recovery.startswith("stop-all"):
        await wait_publishing(lab, ["gw1"], 30)  # the orphan: streaming to nobody
        out = await recover(env, "--stop-all")
        assert "stop" in out, out
        await wait_publishing(lab, [])
    else:
        # resumes (the meeting runs): the in-flight start is stopped or taken over, then ended
        resumed = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "desktop", "webinar", "recover", "--apply", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert resumed.stdout is not None
        line = await asyncio.wait_for(resumed.stdout.readline(), 30)
        assert b"resume" in line, line
        await asyncio.wait_for(resumed.stdout.readline(), 30)  # "Monitoring 1 live(s)..."
        # stop only the stream: the meeting goes on, so only the app can stop that gateway
        # (ending the meeting would make the lab's gateway leave by itself and prove nothing)
        code, out, err = await run(env, "webinar", "stop-live", str(webinar_id), "--json", timeout=60)
        assert code == 0, err
        await wait_publishing(lab, [])
        # absence over a window: a container still on its way would be up within the 3 s launch
        await asyncio.sleep(3.5)
        assert lab.publishing() == []
        meeting = lab.world.meeting(json.loads(out)["meeting_id"])
        assert meeting is not None and meeting.running
        code, _, err = await run(env, "webinar", "end", str(webinar_id))
        assert code == 0, err
        assert await asyncio.wait_for(resumed.wait(), 30) == 0
    await nothing_left_to_recover(env)
    await go_live_again_on_gw1(crash_lab, webinar_id)


async def test_kill_during_the_live_then_resume_and_end(crash_lab: CrashLab) -> None:
    lab, env = crash_lab.lab, crash_lab.env
    webinar_id = await schedule(env, "Crash while live")
    owner = await spawn_owner(env, webinar_id)
    join = await owner.wait_line(lambda line: "presenter_join_url" in line, 30)
    await open_in_browser(join["presenter_join_url"])
    await owner.wait_state("live", 60)
    await kill(owner)
    assert lab.publishing() == ["gw1"], "the gateway outlives the crashed app"

    resumed = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "recover", "--apply", "--json", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    follower = Follower(resumed)
    await follower.wait_line(lambda line: line.get("state") == "live" and "resumed" in line.get("notice", ""), 30)
    code, _, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    await follower.wait_state("ended", 30)
    assert await asyncio.wait_for(resumed.wait(), 30) == 0
    await wait_publishing(lab, [])
    await nothing_left_to_recover(env)
    await go_live_again_on_gw1(crash_lab, webinar_id)

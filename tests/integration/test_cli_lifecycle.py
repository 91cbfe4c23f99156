"""The webinar lifecycle through the ``pupitre`` command, in subprocesses, against the lab.

The lab runs in this test's event loop; each ``pupitre`` process reads the same PUPITRE_HOME and a
file keyring (the ``cli_env`` fixture).
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.lab.runner import Lab
from desktop.secrets.store import SecretStore
from tests.integration.conftest import lab_options, open_in_browser
from tests.support.file_keyring import FileKeyring

pytestmark = pytest.mark.slow


@pytest.fixture
async def cli_lab(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Lab, dict[str, str]]]:
    monkeypatch.setenv("PUPITRE_TEST_KEYRING_FILE", cli_env["PUPITRE_TEST_KEYRING_FILE"])
    async with Lab(lab_options()) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file,
                            preferences={"poll_presenter_seconds": 0.2, "poll_live_seconds": 0.5,
                                         "gateway_start_timeout": 30.0})
        lab.write_profile(settings, SecretStore(FileKeyring()))
        settings.save()
        yield lab, cli_env


async def run(env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


class Owner:
    """A ``pupitre webinar start --json`` process and the JSON lines it prints."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.lines.append(json.loads(raw))
            self._changed.set()
        self._changed.set()

    async def wait_line(self, predicate, timeout: float = 60) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(timeout):
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                if self._reader.done():
                    raise AssertionError(f"owner exited; lines: {self.lines[-3:]}")
                self._changed.clear()
                await self._changed.wait()

    async def wait_state(self, state: str, timeout: float = 60) -> dict[str, Any]:
        return await self.wait_line(lambda line: line.get("state") == state, timeout)


async def start_owner(env: dict[str, str], webinar_id: int) -> Owner:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "start", str(webinar_id), "--json", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    owner = Owner(proc)
    join = await owner.wait_line(lambda line: "presenter_join_url" in line)
    await open_in_browser(join["presenter_join_url"])
    live = await owner.wait_line(lambda line: line.get("state") in ("live", "failed"), 90)
    assert live["state"] == "live", live
    return owner


async def schedule(env: dict[str, str], title: str) -> int:
    start = (datetime.now(UTC) + timedelta(minutes=5)).isoformat(timespec="minutes")
    code, out, err = await run(env, "schedule", "add", "--title", title, "--start", start,
                               "--duration", "1h", "--timezone", "Europe/Paris", "--json")
    assert code == 0, err
    return int(json.loads(out)["id"])


async def wait_publishing(lab: Lab, expected: list[str], timeout: float = 30) -> None:
    async with asyncio.timeout(timeout):
        while lab.publishing() != expected:
            await asyncio.sleep(0.05)  # observing the lab from outside


async def test_start_and_drive_the_live_from_other_commands(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "CLI webinar")
    owner = await start_owner(env, webinar_id)
    assert lab.publishing() == ["gw1"]

    code, out, _ = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert code == 0
    [status] = json.loads(out)
    assert status["state"] == "live" and status["watched_by_pid"] == owner.proc.pid
    assert status["health"]["stream"]["level"] in ("good", "unknown", "warning")

    # the owner follows the chat: an audience message posted like Esup-Pod's live page does
    async with httpx.AsyncClient(timeout=10) as client:
        reply = await client.post(f"{lab.gateway('gw1').url}/chat",
                                  json={"room": status["room"], "msg": "(Jane Doe) Est-ce enregistré ?"})
    assert reply.json() == {"res": "ok"}
    chat = await owner.wait_line(lambda line: "chat" in line and line["chat"]["author"] == "Jane Doe", 30)
    assert chat["chat"]["kind"] == "audience" and chat["chat"]["is_question"] is True
    assert chat["chat"]["text"] == "Est-ce enregistré ?"
    code, out, _ = await run(env, "webinar", "status", str(webinar_id), "--json")
    assert json.loads(out)[0]["health"]["chat"]["level"] == "good"

    code, out, err = await run(env, "webinar", "toggle-chat", str(webinar_id), "--json")
    assert code == 0, err
    toggled = json.loads(out)
    assert (toggled["chat_panel"], toggled["chat_panel_confirmed"], toggled["chat_panel_visible"]) == (
        "hide requested", False, False)
    assert toggled["notice"].startswith("Hiding the chat in the stream was requested")
    code, out, err = await run(env, "webinar", "status", str(webinar_id))
    assert code == 0, err
    assert "chat panel: hide requested (not confirmed: check the preview)" in out
    assert "hidden" not in out
    await owner.wait_line(lambda line: line.get("chat_panel") == "hide requested")  # the owner's own lines

    code, out, err = await run(env, "webinar", "stop-live", str(webinar_id), "--json")
    assert code == 0, err
    assert json.loads(out)["state"] == "live stopped"
    assert lab.publishing() == []

    code, out, err = await run(env, "webinar", "restart-live", str(webinar_id), "--json", timeout=90)
    assert code == 0, err
    assert json.loads(out)["state"] == "live"
    assert lab.publishing() == ["gw1"]

    code, out, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    assert "ended" in out
    assert await asyncio.wait_for(owner.proc.wait(), 30) == 0
    await wait_publishing(lab, [])


async def test_sigkill_mid_live_then_recover_leaves_nothing_publishing(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Crash test")
    owner = await start_owner(env, webinar_id)
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    assert lab.publishing() == ["gw1"], "the gateway outlives the crashed app"

    code, out, err = await run(env, "webinar", "recover", "--json")
    assert code == 0, err
    [found] = json.loads(out)
    assert found["journal_state"] == "live" and found["recommendation"] == "resume"
    assert found["meeting_running"] is True

    code, out, err = await run(env, "webinar", "recover", "--stop-all")
    assert code == 0, err
    assert "Stopped by crash recovery. Stopped by recovery after a restart of Pupitre." in out, out
    await wait_publishing(lab, [])
    code, out, _ = await run(env, "webinar", "recover", "--json")
    assert json.loads(out) == []


async def test_watch_resumes_auto_stop_after_a_crash(cli_lab) -> None:  # type: ignore[no-untyped-def]
    lab, env = cli_lab
    webinar_id = await schedule(env, "Resume test")
    owner = await start_owner(env, webinar_id)
    code, out, err = await run(env, "webinar", "toggle-chat", str(webinar_id), "--json")
    assert code == 0 and json.loads(out)["chat_panel"] == "hide requested", err
    owner.proc.send_signal(signal.SIGKILL)
    await owner.proc.wait()
    # read back from the journal (nobody watches): still a request, not a fact
    code, out, err = await run(env, "webinar", "status", str(webinar_id), "--json")
    [journaled] = json.loads(out)
    assert journaled["watched_by_pid"] is None
    assert (journaled["chat_panel"], journaled["chat_panel_confirmed"]) == ("hide requested", False)

    watcher = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "watch", str(webinar_id), "--json", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    follower = Owner(watcher)
    resumed = await follower.wait_line(lambda line: "resumed" in line.get("notice", ""), 30)
    assert (resumed["chat_panel"], resumed["chat_panel_confirmed"]) == ("hide requested", False)
    meeting_id = follower.lines[-1]["meeting_id"]
    assert lab.end_meeting(meeting_id)
    await follower.wait_state("ended", 30)
    assert await asyncio.wait_for(watcher.wait(), 30) == 0
    await wait_publishing(lab, [])


async def test_usage_errors_exit_2_and_failures_exit_1(cli_lab) -> None:  # type: ignore[no-untyped-def]
    _lab, env = cli_lab
    code, _, err = await run(env, "webinar", "start", "not-a-number")
    assert code == 2 and "invalid int value" in err
    code, _, err = await run(env, "webinar", "start", "999")
    assert code == 1 and "999" in err and "Traceback" not in err

"""``pupitre webinar start ID --record`` against the lab: a live restarted once is one recording with
two chapters in ``$PUPITRE_HOME/recordings``, and the session report links it with the transcript."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import open_in_browser
from tests.integration.test_cli_lifecycle import Owner, cli_lab, run, schedule  # noqa: F401 (fixture)
from tests.recording.support import read_recording

pytestmark = [pytest.mark.slow, pytest.mark.lab]


async def test_record_a_live_from_the_command_line_through_a_restart(cli_lab, pupitre_home: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    lab, env = cli_lab
    webinar_id = await schedule(env, "Recorded webinar")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop", "webinar", "start", str(webinar_id), "--json", "--record", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    owner = Owner(proc)
    join = await owner.wait_line(lambda line: "presenter_join_url" in line)
    await open_in_browser(join["presenter_join_url"])
    live = await owner.wait_state("live", 90)
    # an audience message, so that the chat is archived (the report is built from it)
    async with httpx.AsyncClient(timeout=10) as client:
        reply = await client.post(f"{lab.gateway('gw1').url}/chat",
                                  json={"room": live["room"], "msg": "(Jane Doe) Est-ce enregistré ?"})
    assert reply.json() == {"res": "ok"}
    await owner.wait_line(lambda line: "chat" in line and line["chat"]["author"] == "Jane Doe", 30)
    folder = pupitre_home / "recordings"
    async with asyncio.timeout(30):
        while not list(folder.glob("*.mkv")) or next(folder.glob("*.mkv")).stat().st_size < 200_000:
            await asyncio.sleep(0.2)  # watching the file grow from outside the process

    code, _out, err = await run(env, "webinar", "restart-live", str(webinar_id), "--json", timeout=90)
    assert code == 0, err
    [recording] = list(folder.glob("*.mkv"))
    size = recording.stat().st_size
    async with asyncio.timeout(30):
        while recording.stat().st_size < size + 200_000:
            await asyncio.sleep(0.2)
    code, _out, err = await run(env, "webinar", "end", str(webinar_id))
    assert code == 0, err
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    assert proc.stderr is not None
    messages = (await proc.stderr.read()).decode()
    assert f"Recording the live into {recording}" in messages
    assert f"Recording finished: {recording}" in messages and "2 chapter(s)" in messages
    assert list(folder.glob("*.mkv")) == [recording] and "Recorded webinar" in recording.name
    found = read_recording(recording)
    assert [title for _start, title in found["chapters"]] == ["Live, part 1", "Live, part 2"]
    assert found["duration"] > 4

    # the session report links the recording and the chat transcript
    transcript = pupitre_home / "transcript.md"
    code, _out, err = await run(env, "chat", "export", str(webinar_id), "--format", "md", "--report",
                               "--output", str(transcript))
    assert code == 0, err
    text = transcript.read_text()
    assert "Est-ce enregistré" in text
    assert f"- Recording: [{recording.name}](<{recording.as_uri()}>)" in text
    assert f"- Chat transcript: [transcript.md](<{transcript.as_uri()}>)" in text
    code, _out, err = await run(env, "webinar", "start", str(webinar_id), "--record", "--detach")
    assert code != 0 and "--record" in err and "--detach" in err

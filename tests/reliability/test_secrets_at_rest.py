"""After a full scenario that uses every kind of secret, none of them is in any file under
PUPITRE_HOME (settings, SQLite databases, logs, run/ files), in the logs or in an exported chat
and session report — checked in-process and through the CLI.

Secrets used: the BBB shared secret (every signed call), both gateway tokens (legacy ``token=``
query and v1.8 Bearer: the preflight probes every gateway), the GraphQL session and auth tokens
and the JSESSIONID cookie of the chat monitor, and the checksums of the signed join URLs (the
presenter's and the gateway's).  Every participant credential the lab handed out is checked,
not only ours.

Not a secret, deliberately: the control token in ``run/<key>.json``.  It is a random local IPC
capability of one running ``pupitre`` process (so that other local commands can drive *that*
live), written 0600 and removed at exit; it grants nothing on any server.  The test checks its
file mode instead.
"""

from __future__ import annotations

import asyncio
import json
import signal
import stat
import sys
from pathlib import Path

import pytest

from desktop.chat.export import records, transcript_markdown, write_json
from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.lab.runner import Lab
from desktop.logs import reset_logging, setup_logging
from desktop.secrets.store import SecretStore
from desktop.webinar.state import LiveState
from tests.integration.conftest import World, lab_options, open_in_browser
from tests.integration.test_cli_lifecycle import Owner, run, schedule
from tests.reliability.support import (
    checksum_of,
    files_containing,
    lab_user_secrets,
    wait_publishing,
)
from tests.support.file_keyring import FileKeyring

pytestmark = [pytest.mark.lab, pytest.mark.slow]


def every_secret(lab: Lab, join_urls: list[str]) -> set[str]:
    found = {lab.world.secret, *(g.token for g in lab.gateways), *lab_user_secrets(lab)}
    found.update(checksum_of(url) for url in join_urls)
    for gateway in lab.gateways:
        emulator = gateway.server.gateway
        for run_ in (emulator.run, emulator.last_run):
            if run_ is not None and run_.target_url:
                found.add(checksum_of(run_.target_url))
    found.discard("")
    assert all(len(s) >= 8 for s in found), "a secret too short to search for meaningfully"
    return found


async def test_no_secret_at_rest_after_an_in_process_live(lab_world: World) -> None:
    paths = lab_world.paths
    log_file = setup_logging(paths.log_dir, verbose=True)
    try:
        webinar = lab_world.schedule(chat_in_stream=False)
        session = lab_world.manager.session(lab_world.manager.plan_for(webinar.id))
        join_urls: list[str] = []
        session.on_presenter_join_url(join_urls.append)
        await session.go_live()
        await session.wait_for(lambda s: s.state == LiveState.WAITING_FOR_PRESENTER, 30)
        await open_in_browser(join_urls[0])
        snap = await session.wait_for(lambda s: s.state in (LiveState.LIVE, LiveState.FAILED), 60)
        assert snap.state == LiveState.LIVE, snap.failure

        # the chat as the app and "pupitre webinar start" follow it (archive and moderation included)
        pipeline = lab_world.manager.chats.follow(session).pipeline
        await pipeline.wait_connected(10)
        meeting = lab_world.lab.world.meeting(session.plan.meeting_id)
        assert meeting is not None
        lab_world.lab.world.post_chat(meeting, text="(Jane Doe) Une question ?", sender_name="streaming")
        await pipeline.wait_until(lambda: len(pipeline.log) >= 1, 10)
        for sink in ("sendChatMessage", "graphql"):
            sent = await pipeline.answer(f"Réponse par {sink}", sink=sink)
            await pipeline.wait_delivered(sent, 10)
        exports = paths.data_dir / "exports"
        exports.mkdir()
        write_json(exports / "chat.json", records(pipeline.log))
        (exports / "transcript.md").write_text(transcript_markdown(pipeline.log, snap.title), encoding="utf-8")
        await session.end_webinar()
        await wait_publishing(lab_world.lab, [])
        await lab_world.manager.aclose()
        secrets = every_secret(lab_world.lab, join_urls)
        assert log_file.stat().st_size > 0
    finally:
        reset_logging()

    assert files_containing(paths.config_dir.parent, secrets) == {}


async def test_no_secret_at_rest_or_in_logs_after_a_cli_live(cli_env: dict[str, str], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUPITRE_TEST_KEYRING_FILE", cli_env["PUPITRE_TEST_KEYRING_FILE"])
    home = Path(cli_env["PUPITRE_HOME"])
    async with Lab(lab_options()) as lab:
        paths = AppPaths.from_environment().ensure()
        settings = Settings(path=paths.settings_file,
                            preferences={"poll_presenter_seconds": 0.2, "poll_live_seconds": 0.5})
        lab.write_profile(settings, SecretStore(FileKeyring()))
        settings.save()
        outputs: list[str] = []

        async def cli(*args: str, timeout: float = 60) -> str:
            code, out, err = await run(cli_env, "-v", *args, timeout=timeout)
            assert code == 0, err
            outputs.extend([out, err])
            return out

        await cli("check")
        webinar_id = await schedule(cli_env, "Secrets test")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "desktop", "-v", "webinar", "start", str(webinar_id), "--json", env=cli_env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        owner = Owner(proc)
        join = await owner.wait_line(lambda line: "presenter_join_url" in line, 30)
        await open_in_browser(join["presenter_join_url"])
        await owner.wait_state("live", 60)
        [control_file] = (paths.data_dir / "run").glob("*.json")
        assert stat.S_IMODE(control_file.stat().st_mode) == 0o600

        tail = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "desktop", "-v", "chat", "tail", str(webinar_id), "--json", env=cli_env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        meeting = lab.world.meeting(owner.lines[-1]["meeting_id"])
        assert meeting is not None
        assert tail.stdout is not None
        for attempt in range(100):  # the tail's monitor joins, then every new message is printed
            lab.world.post_chat(meeting, text=f"(Jane Doe) question {attempt}", sender_name="streaming")
            try:
                line = await asyncio.wait_for(tail.stdout.readline(), 1.0)
            except TimeoutError:
                continue
            assert "question" in json.loads(line)["text"]
            break
        else:
            raise AssertionError("chat tail printed nothing")
        await cli("chat", "send", str(webinar_id), "Réponse (api)", "--sink", "api")
        await cli("chat", "send", str(webinar_id), "Réponse (gateway)", "--sink", "gateway")
        tail.send_signal(signal.SIGINT)
        tail_out, tail_err = await asyncio.wait_for(tail.communicate(), 30)
        outputs.extend([tail_out.decode(), tail_err.decode()])

        exports = home / "exports"
        exports.mkdir()
        await cli("chat", "export", str(webinar_id), "--format", "json", "--report",
                  "--output", str(exports / "chat.json"))
        await cli("chat", "export", str(webinar_id), "--format", "md", "--report",
                  "--output", str(exports / "report.md"))
        assert "question" in (exports / "report.md").read_text(encoding="utf-8")
        await cli("webinar", "end", str(webinar_id))
        assert await asyncio.wait_for(proc.wait(), 30) == 0
        assert proc.stderr is not None
        outputs.append((await proc.stderr.read()).decode())  # its stdout prints the join link by design
        await wait_publishing(lab, [])
        secrets = every_secret(lab, [join["presenter_join_url"]])

    assert (paths.log_dir / "pupitre.log").stat().st_size > 0
    # the search works: the test keyring file (outside PUPITRE_HOME) does hold the secrets
    assert files_containing(Path(cli_env["PUPITRE_TEST_KEYRING_FILE"]).parent, secrets)
    assert files_containing(home, secrets) == {}
    for text in outputs:
        for secret in secrets:
            assert secret not in text, f"a secret ({secret[:4]}…) in a command's output or log"

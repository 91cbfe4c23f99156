"""``pupitre chat tail|send|export`` in subprocesses against the lab (file keyring, real loopback)."""

from __future__ import annotations

import asyncio
import csv
import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from desktop.chat.archive import ChatArchive
from desktop.chat.classify import Classifier
from desktop.chat.message import RawChatMessage
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline
from desktop.chat.sinks import SinkKind
from desktop.cli.commands.chat import TAIL_FIELDS
from desktop.config.paths import AppPaths
from desktop.config.settings import BBBProfile, GatewayConfig, Settings
from desktop.webinar.journal import Journal
from desktop.webinar.state import LiveSnapshot, LiveState
from tests.chat_pipeline.conftest import GATEWAY_TOKEN, KEY, MEETING, ROOM, RTMP, WAIT, Lab

ANSWER_NAME = "Ada Answers"
CLI_WAIT = 30.0


def configure(lab: Lab, env: dict[str, str]) -> AppPaths:
    """What ``profile add`` + ``gateway add`` + a live would have left: settings, keyring, journal."""
    paths = AppPaths.from_environment().ensure()
    settings = Settings(path=paths.settings_file)
    settings.put_profile(BBBProfile("lab", lab.server.url))
    settings.put_gateway(GatewayConfig(name="gw1", kind="sipmediagw-legacy", url=lab.gateway_server.url,
                                       rtmp_url=RTMP, hls_url="http://127.0.0.1:9/hls/gw1.m3u8"))
    settings.preferences["answer_sender_name"] = ANSWER_NAME
    settings.save()
    Path(env["PUPITRE_TEST_KEYRING_FILE"]).write_text(json.dumps({
        "pupitre/bbb:lab": lab.world.secret, "pupitre/gateway:gw1": GATEWAY_TOKEN}))
    journal = Journal(paths.database_file)
    journal.record(LiveSnapshot(key=KEY, title="Lab webinar", meeting_id=MEETING, state=LiveState.LIVE,
                                gateway="gw1", room=ROOM),
                   webinar_id=None, occurrence=None, profile="lab", gw_id=None)
    start = datetime.now(UTC).timestamp() - 3600
    journal.event(KEY, LiveState.LIVE.value, "The webinar is live.", at=start)
    journal.event(KEY, "participants", "42", at=start + 60)
    journal.event(KEY, "incident", "The stream stalled for 12 s.", at=start + 120)
    journal.event(KEY, LiveState.ENDED.value, "", at=start + 1800)
    journal.close()
    return paths


class Cli:
    """One ``pupitre`` subprocess whose output lines can be waited for."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.out: list[str] = []
        self.err: list[str] = []
        self.raw_out = b""
        self._changed = asyncio.Event()
        assert proc.stdout is not None and proc.stderr is not None
        self._readers = [asyncio.create_task(self._read(proc.stdout, self.out, True)),
                         asyncio.create_task(self._read(proc.stderr, self.err, False))]

    @classmethod
    async def start(cls, env: dict[str, str], *args: str) -> Cli:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "desktop", *args, env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return cls(proc)

    async def _read(self, stream: asyncio.StreamReader, lines: list[str], keep_raw: bool) -> None:
        while line := await stream.readline():
            if keep_raw:
                self.raw_out += line
            lines.append(line.decode("utf-8").rstrip("\n"))
            self._changed.set()
        self._changed.set()

    async def wait(self, condition: Callable[[], bool], timeout: float = CLI_WAIT) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                if self.proc.returncode is not None and all(t.done() for t in self._readers):
                    raise AssertionError(f"the command exited ({self.proc.returncode}): {self.err}")
                self._changed.clear()
                await self._changed.wait()

    async def finish(self, timeout: float = CLI_WAIT) -> int:
        async with asyncio.timeout(timeout):
            await asyncio.gather(*self._readers)
            return await self.proc.wait()

    def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()


async def run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    cli = await Cli.start(env, *args)
    code = await cli.finish()
    return code, "\n".join(cli.out), "\n".join(cli.err)


def connected(cli: Cli) -> bool:
    return any("The chat is connected." in line for line in cli.err)


async def test_tail_prints_live_messages_safely_and_exits_when_the_meeting_ends(
        lab: Lab, cli_env: dict[str, str]) -> None:
    paths = configure(lab, cli_env)
    await lab.post_audience("Early Bird", "On commence quand ?")
    tails = [await Cli.start(cli_env, "chat", "tail", KEY, "--json"),
             await Cli.start(cli_env, "chat", "tail", KEY),
             await Cli.start(cli_env, "chat", "tail", "--questions", "--history", "--json", KEY)]
    try:
        for tail in tails:
            await tail.wait(lambda t=tail: connected(t))  # type: ignore[misc]
        await lab.post_audience("Jane Doe", "Quand commence la pause ?")
        await lab.post_audience("Eve Hostile", "\x1b[2J\u202eevil\x07 text\nnext line\x9b31m")
        await lab.post_audience("Omar Ba", "Merci !")
        as_json, plain, questions = tails
        await as_json.wait(lambda: len(as_json.out) == 3)
        await plain.wait(lambda: len(plain.out) == 3)
        await questions.wait(lambda: len(questions.out) == 2)

        first = json.loads(as_json.out[0])
        assert tuple(first) == TAIL_FIELDS
        assert (first["kind"], first["author"], first["text"], first["is_question"], first["reply_to"]) == (
            "audience", "Jane Doe", "Quand commence la pause ?", True, None)
        assert first["id"] == lab.chat[1].message_id and first["sequence"] == 2
        hostile = json.loads(as_json.out[1])
        assert hostile["author"] == "Eve Hostile"
        assert hostile["text"] == "\x1b[2J\u202eevil\x07 text\nnext line\x9b31m"  # verbatim once decoded

        assert re.fullmatch(r"\d\d:\d\d:\d\d \[audience\] Jane Doe: Quand commence la pause \?", plain.out[0])
        assert plain.out[1].endswith("[audience] Eve Hostile: \\e[2J\\u202eevil\\x07 text\\nnext line\\x9b31m")
        for tail in (as_json, plain):
            for bad in ("\x1b", "\u202e", "\x07", "\x9b"):
                assert bad.encode() not in tail.raw_out
        assert [json.loads(line)["author"] for line in questions.out] == ["Early Bird", "Jane Doe"]

        await lab.bbb.end(MEETING)
        for tail in tails:
            assert await tail.finish() == 0
            assert "The meeting has ended; the chat is closed." in tail.err[-1]
        with ChatArchive(paths.database_file) as archive:
            assert [r.sender_name for r in archive.rows(KEY)] == ["streaming"] * 4
    finally:
        for tail in tails:
            tail.kill()


async def test_tail_refuses_a_meeting_that_is_not_running(lab: Lab, cli_env: dict[str, str]) -> None:
    configure(lab, cli_env)
    await lab.bbb.end(MEETING)
    code, out, err = await run(cli_env, "chat", "tail", KEY)
    assert code == 1 and out == ""
    assert "is not running" in err and "Traceback" not in err


def archive_question(paths: AppPaths, lab: Lab) -> RawChatMessage:
    """What a running ``chat tail`` (or the app) would have archived."""
    question = RawChatMessage.from_graphql(lab.chat[-1].to_graphql())
    with ChatArchive(paths.database_file) as archive:
        archive.append(KEY, [question])
    return question


async def test_send_through_each_sink_and_refusals(lab: Lab, cli_env: dict[str, str]) -> None:
    paths = configure(lab, cli_env)
    await lab.post_audience("Jane Doe", "Les slides seront-elles en ligne ?")
    question = archive_question(paths, lab)
    results = await asyncio.gather(
        run(cli_env, "chat", "send", KEY, "Oui, par l'API.", "--sink", "api", "--reply-to", question.message_id),
        run(cli_env, "chat", "send", KEY, "Oui, par la passerelle.", "--sink", "gateway",
            "--reply-to", question.message_id),
        run(cli_env, "chat", "send", KEY, "Oui, en direct.", "--sink", "graphql"),
        run(cli_env, "chat", "send", KEY, "Par défaut."),
        run(cli_env, "chat", "send", KEY, "x" * 501),
        run(cli_env, "chat", "send", KEY, "À qui ?", "--reply-to", "no-such-message"),
    )
    api, gateway, graphql, default, too_long, unknown = results
    for code, _out, err in (api, gateway, graphql, default):
        assert code == 0, err
    landed = {(m.sender_name, m.text) for m in lab.chat[1:]}
    assert landed == {
        (ANSWER_NAME, "@Jane Doe: Oui, par l'API."),
        ("streaming", "@Jane Doe: Oui, par la passerelle."),
        ("Pupitre", "Oui, en direct."),
        (ANSWER_NAME, "Par défaut."),
    }
    assert "sendChatMessage" in api[1] and "sendChatMessage" in default[1]
    assert "gateway “gw1”" in gateway[1]
    graphql_id = next(m.message_id for m in lab.chat if m.sender_name == "Pupitre")
    assert f"(message {graphql_id})" in graphql[1]
    assert too_long[0] == 1 and "501 characters" in too_long[2] and "Traceback" not in too_long[2]
    assert unknown[0] == 1 and "no message" in unknown[2]

    await lab.bbb.end(MEETING)
    await lab.gateway_server.stop()
    for sink in ("api", "graphql", "gateway"):
        code, _out, err = await run(cli_env, "chat", "send", KEY, "Encore là ?", "--sink", sink)
        assert code == 1 and err.startswith("pupitre: ") and "Traceback" not in err, (sink, err)
    assert len(lab.chat) == 5


async def test_export_after_the_meeting(lab: Lab, cli_env: dict[str, str], tmp_path: Path) -> None:
    paths = configure(lab, cli_env)
    archive = ChatArchive(paths.database_file)
    chat = ChatPipeline(KEY, MEETING, lab.bbb, log=ChatLog(Classifier()), archive=archive,
                        answer_sender_name=ANSWER_NAME, on_health=None)
    await chat.start()
    await chat.wait_connected(WAIT)
    await lab.post_audience("Jane Doe", "=HYPERLINK(\"http://evil\") pourquoi ?")
    await lab.post_audience("Omar Ba", "Bravo [lien](javascript:alert(1))")
    await chat.wait_until(lambda: len(chat.log) == 2, WAIT)
    question = chat.log[0]
    await chat.wait_delivered(await chat.answer("Parce que.", sink=SinkKind.GRAPHQL, reply_to=question.id), WAIT)
    await lab.bbb.end(MEETING)
    await chat.wait_finished()
    await chat.stop()
    archive.close()
    with ModerationState(MEETING, paths.database_file) as moderation:
        moderation.set_starred(question.id)

    csv_file, md_file = tmp_path / "chat.csv", tmp_path / "chat.md"
    (code_json, out_json, err_json), (code_csv, _, err_csv), (code_md, _, err_md), (code_bad, _, err_bad) = \
        await asyncio.gather(
            run(cli_env, "chat", "export", KEY, "--format", "json", "--report"),
            run(cli_env, "chat", "export", KEY, "--format", "csv", "--output", str(csv_file)),
            run(cli_env, "chat", "export", KEY, "--format", "md", "--report", "--output", str(md_file)),
            run(cli_env, "chat", "export", KEY, "--format", "csv", "--report"))
    assert (code_json, code_csv, code_md) == (0, 0, 0), (err_json, err_csv, err_md)
    data = json.loads(out_json)
    messages = data["messages"]
    assert [(m["kind"], m["author"]) for m in messages] == [
        ("audience", "Jane Doe"), ("audience", "Omar Ba"), ("presenter_answer", "Pupitre")]
    assert messages[0]["starred"] is True and messages[0]["answered"] is True
    assert messages[2]["reply_to"] == question.id
    assert data["report"]["peak_participants"] == 42
    assert data["report"]["questions"] == {"total": 1, "answered": 1, "unanswered": 0}
    assert data["report"]["incidents"][0]["description"] == "The stream stalled for 12 s."

    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    with csv_file.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["text"] == "'=HYPERLINK(’http://evil’) pourquoi ?"  # not a formula in a spreadsheet
    assert [r["author"] for r in rows] == ["Jane Doe", "Omar Ba", "Pupitre"]

    markdown = md_file.read_text(encoding="utf-8")
    assert markdown.startswith("# Chat transcript: Lab webinar")
    assert "# Session report: Lab webinar" in markdown and "Peak participants: 42" in markdown
    assert "](javascript" not in markdown  # the link is escaped

    assert code_bad == 1 and "--format md" in err_bad
    code, _, err = await run(cli_env, "chat", "export", "adopted:nothing-here", "--format", "json")
    assert code == 1 and "No chat is archived" in err

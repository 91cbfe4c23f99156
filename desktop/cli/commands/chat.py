"""``pupitre chat tail|send|export``: a webinar's public chat from the command line.

* ``tail`` joins the meeting as the monitoring user (like the app does), prints each message as
  one line (or one JSON object per line) and archives the chat, until Ctrl-C or the end of the
  meeting;
* ``send`` answers, through ``sendChatMessage`` when the server has it, else through the
  gateway streaming the webinar (``--sink graphql`` connects as the monitoring user, sends and
  waits until the answer is in the chat);
* ``export`` writes the archived chat as CSV, JSON or a Markdown transcript, after the meeting as
  well, optionally with the session report.

Chat text is hostile: before anything reaches the terminal, escape sequences, control characters
and bidi overrides become visible escapes (:func:`terminal_safe`).  JSON lines escape them too.

``--json`` lines of ``tail`` have the stable fields :data:`TAIL_FIELDS`.  Without ``--history``,
``tail`` prints the messages created after its connection (compared with this computer's clock:
a server clock far off shifts that boundary); the earlier ones are archived all the same.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.chat.archive import ChatArchive
from desktop.chat.classify import Classifier
from desktop.chat.export import (
    Incident,
    SessionReport,
    TimelineEntry,
    records,
    to_csv,
    to_json,
    transcript_markdown,
)
from desktop.chat.graphql_source import ChatConnection
from desktop.chat.message import ChatMessage, MessageKind
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline
from desktop.chat.sinks import SinkKind
from desktop.cli.context import CliContext
from desktop.cli.terminal import json_line, terminal_safe
from desktop.errors import ConfigError, PupitreError
from desktop.health import Health
from desktop.i18n import _
from desktop.logs import redact
from desktop.private_files import write_private_text
from desktop.recording.service import RECORDING_EVENT
from desktop.webinar.journal import JournalEntry
from desktop.webinar.live_chat import ChatFollower
from desktop.webinar.manager import WebinarManager
from desktop.webinar.session_key import SessionKey

TAIL_FIELDS = ("id", "sequence", "kind", "author", "text", "created_at", "is_question", "reply_to")
SINK_CHOICES = {"api": SinkKind.BBB_API, "graphql": SinkKind.GRAPHQL, "gateway": SinkKind.GATEWAY}
_KIND_LABEL = {
    MessageKind.AUDIENCE: "audience",
    MessageKind.PANELIST: "panelist",
    MessageKind.PRESENTER_ANSWER: "answer",
    MessageKind.SYSTEM: "system",
}
CONNECT_TIMEOUT = 30.0
DELIVERY_TIMEOUT = 30.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "chat", help=_("follow, answer or export a webinar's chat"),
        description=_("A webinar's public chat: follow it, answer, export it."))
    sub = parser.add_subparsers(dest="chat_command", metavar="ACTION", required=True)

    tail = sub.add_parser("tail", help=_("print the chat as it comes (until Ctrl-C or the end of the meeting)"))
    tail.add_argument("target", help=_("webinar id, or a session key such as 3:0 or adopted:MEETING"))
    tail.add_argument("--json", action="store_true", help=_("one JSON object per message"))
    tail.add_argument("--questions", action="store_true", help=_("only questions"))
    tail.add_argument("--history", action="store_true", help=_("also print the messages sent before joining"))
    tail.set_defaults(func=_tail)

    send = sub.add_parser("send", help=_("answer in the chat"))
    send.add_argument("target", help=_("webinar id or session key"))
    send.add_argument("text", metavar="TEXT", help=_("the answer (at most 500 characters, quote included)"))
    send.add_argument("--reply-to", metavar="MSG_ID", help=_("quote the author of this message (@First Last: …)"))
    send.add_argument("--sink", choices=sorted(SINK_CHOICES),
                      help=_("api = sendChatMessage, graphql = as the monitoring user, gateway = through the "
                           "streaming gateway (default: api when the server has it, else gateway)"))
    send.set_defaults(func=_send)

    export = sub.add_parser("export", help=_("write the archived chat as CSV, JSON or Markdown"))
    export.add_argument("target", help=_("webinar id or session key"))
    export.add_argument("--format", choices=("csv", "json", "md"), required=True)
    export.add_argument("--output", metavar="FILE", help=_("write to FILE instead of standard output"))
    export.add_argument("--report", action="store_true", help=_("add the session report (md and json)"))
    export.set_defaults(func=_export)


def message_record(message: ChatMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "sequence": message.sequence,
        "kind": message.kind.value,
        "author": message.author,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "is_question": message.is_question,
        "reply_to": message.reply_to,
    }


def message_line(message: ChatMessage) -> str:
    """``HH:MM:SS [audience] First Last: text`` (local time), safe for a terminal."""
    clock = message.created_at.astimezone().strftime("%H:%M:%S")
    return (f"{clock} [{_KIND_LABEL[message.kind]}] {terminal_safe(message.author)}: "
            f"{terminal_safe(message.text)}")


# -- which webinar ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChatTarget:
    """A webinar session as far as the chat is concerned."""

    key: str
    meeting_id: str
    title: str
    profile: str | None
    entry: JournalEntry | None


def resolve_key(manager: WebinarManager, target: str) -> str:
    return manager.resolve_key(target)


def resolve_target(manager: WebinarManager, target: str) -> ChatTarget:
    key = resolve_key(manager, target)
    entry = manager.journal.get(key)
    if entry is not None:
        return ChatTarget(key, entry.meeting_id, entry.title, entry.profile, entry)
    parsed = SessionKey.parse(key)
    if parsed.meeting_id is not None:
        return ChatTarget(key, parsed.meeting_id, parsed.meeting_id, None, None)
    assert parsed.webinar_id is not None
    webinar = manager.schedule.get(parsed.webinar_id)
    return ChatTarget(key, webinar.meeting_id, webinar.title, webinar.options.profile, None)


def monitor_name(manager: WebinarManager, profile: str | None) -> str:
    return manager.monitor_name(profile)


def answer_sender_name(manager: WebinarManager) -> str:
    return manager.answer_sender_name()


def _follower(manager: WebinarManager, target: ChatTarget, *, strict_gateway: bool = False) -> ChatFollower:
    """The manager's chat follower of ``target``, on demand (another process may own the live)."""
    return manager.chats.open(target.key, target.meeting_id, profile=target.profile, entry=target.entry,
                              strict_gateway=strict_gateway)


# -- tail ---------------------------------------------------------------------------------------
async def _tail(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = WebinarManager(ctx.paths, ctx.settings, ctx.secrets)
    try:
        target = resolve_target(manager, args.target)
        follower = _follower(manager, target)
        if manager.chats.archive_error is not None:
            print(f"pupitre: chat: {manager.chats.archive_error.sentence}", file=sys.stderr, flush=True)
        pipeline, log = follower.pipeline, follower.log
        connected_at: list[datetime] = []

        def on_health(level: Health, text: str) -> None:
            if pipeline.status.state is ChatConnection.CONNECTED and not connected_at:
                connected_at.append(datetime.now(UTC))
            print(f"pupitre: chat: {redact(text)}", file=sys.stderr, flush=True)

        def show(first: int, count: int) -> None:
            for index in range(first, first + count):
                message = log[index]
                if message.is_pending or message.is_deleted:
                    continue
                if args.questions and not message.is_question:
                    continue
                if not args.history and (not connected_at or message.created_at <= connected_at[0]):
                    continue
                print(json_line(message_record(message)) if args.json else message_line(message), flush=True)

        follower.on_health(on_health)
        log.add_listener(show, lambda _index: None)
        interrupted = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, interrupted.set)
        await follower.start()
        stopper = asyncio.create_task(interrupted.wait())
        finisher = asyncio.create_task(pipeline.wait_finished())
        try:
            await asyncio.wait({stopper, finisher}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            finisher.cancel()
        status = pipeline.status
        if interrupted.is_set():
            return 0
        if status.state is ChatConnection.ENDED and not connected_at:
            raise PupitreError(f"The meeting of “{target.title}” is not running.",
                               hint="The chat can be followed once the webinar has started.")
        if status.state is ChatConnection.UNAVAILABLE:
            raise PupitreError(status.detail or "This server's chat can't be read.",
                               hint="Use a BBB 3 server without Scalelite to follow the chat.")
        return 0
    finally:
        await manager.aclose()  # stops the follower: the monitoring user leaves


# -- send ---------------------------------------------------------------------------------------
async def _send(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = WebinarManager(ctx.paths, ctx.settings, ctx.secrets)
    try:
        target = resolve_target(manager, args.target)
        kind = SINK_CHOICES[args.sink] if args.sink else None
        follower = _follower(manager, target, strict_gateway=kind is SinkKind.GATEWAY)
        pipeline = follower.pipeline
        if kind is SinkKind.GRAPHQL:
            await follower.start()
            await pipeline.wait_connected(CONNECT_TIMEOUT)
        else:
            await follower.start(read=False)
            if kind is None:
                kind = _default_cli_sink(pipeline)
        sink = pipeline.sink(kind)
        sent = await pipeline.answer(args.text, sink=sink, reply_to=args.reply_to)
        if kind is SinkKind.GRAPHQL:
            try:
                sent = await pipeline.wait_delivered(sent, DELIVERY_TIMEOUT)
            except TimeoutError:
                raise PupitreError(_("The answer was sent but did not show up in the chat within {seconds} s.")
                                   .format(seconds=f"{DELIVERY_TIMEOUT:.0f}")) from None
            print(_("Sent with {sink} (message {id}).").format(sink=sink.describe(), id=sent.id))
        else:
            print(_("Sent with {sink}.").format(sink=sink.describe()))
        return 0
    finally:
        await manager.aclose()


def _default_cli_sink(pipeline: ChatPipeline) -> SinkKind:
    """sendChatMessage when the server has it, else the gateway streaming the webinar."""
    for sink in pipeline.available_sinks():
        if sink.kind in (SinkKind.BBB_API, SinkKind.GATEWAY):
            return sink.kind
    if pipeline.api_error is not None:
        raise pipeline.api_error
    raise PupitreError(
        "No way to send the answer: this server has no sendChatMessage and no gateway streams the webinar.",
        hint="Use “--sink graphql” to answer as the monitoring user (BBB 3 only).")


# -- export -------------------------------------------------------------------------------------
async def _export(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = WebinarManager(ctx.paths, ctx.settings, ctx.secrets)
    try:
        if args.report and args.format == "csv":
            raise ConfigError("The session report is Markdown or JSON: use --format md or --format json.")
        target = resolve_target(manager, args.target)
        classifier = Classifier(presenter_names=(answer_sender_name(manager),
                                                 monitor_name(manager, target.profile)))
        with ChatArchive(ctx.paths.database_file) as archive, \
                ModerationState(target.meeting_id, ctx.paths.database_file) as moderation:
            log = ChatLog(classifier, moderation)
            if archive.load_into(target.key, log) == 0:
                raise PupitreError(f"No chat is archived for “{target.title}” ({target.key}).",
                                   hint="The chat is archived while Pupitre or “pupitre chat tail” follows it.")
            text = _render(args.format, log, target, manager if args.report else None,
                           transcript=Path(args.output) if args.output else None)
            log.close()
        if args.output:
            _write(Path(args.output), text, args.format)
            print(_("Wrote {count} characters to {path}.").format(count=len(text), path=args.output), file=sys.stderr)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return 0
    finally:
        await manager.aclose()


def _render(fmt: str, log: ChatLog, target: ChatTarget, manager: WebinarManager | None, *,
            transcript: Path | None = None) -> str:
    report = None if manager is None else session_report(manager, target, log, transcript=transcript)
    if fmt == "csv":
        return to_csv(records(log))
    if fmt == "json":
        if report is None:
            return to_json(records(log)) + "\n"
        data = json.loads(to_json(records(log)))
        data["report"] = report.to_dict()
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    text = transcript_markdown(log, target.title)
    if report is not None:
        text += "\n" + report.to_markdown()
    return text


def session_report(manager: WebinarManager, target: ChatTarget, log: ChatLog, *,
                   transcript: Path | None = None) -> SessionReport:
    """The report of ``target`` from its chat log and the journal's timeline; it links the live's
    recordings (journaled by :mod:`desktop.recording`) and ``transcript``, the file the chat
    transcript is written to."""
    timeline: list[TimelineEntry] = []
    incidents: list[Incident] = []
    recordings: list[str] = []
    peak: int | None = None
    for event in manager.journal.timeline(target.key):
        at = datetime.fromtimestamp(event.at, UTC)
        if event.kind == RECORDING_EVENT:
            recordings.append(event.detail)
        elif event.kind == "incident":
            incidents.append(Incident(at, event.detail))
        elif event.kind == "participants":
            with contextlib.suppress(ValueError):
                count = int(event.detail)
                peak = count if peak is None else max(peak, count)
        else:
            timeline.append(TimelineEntry(at, event.kind, event.detail))
    return SessionReport.from_log(log, title=target.title, timeline=timeline, incidents=incidents,
                                  peak_participants=peak, recordings=recordings, transcript=transcript)


def _write(path: Path, text: str, fmt: str) -> None:
    try:
        if fmt == "csv":
            write_private_text(path, text, encoding="utf-8-sig", newline="")  # BOM for Excel (see export.py)
        else:
            write_private_text(path, text)
    except OSError as error:
        raise PupitreError(f"The export could not be written to {path} ({error.strerror or error}).") from None

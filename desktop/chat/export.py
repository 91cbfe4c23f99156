"""Chat exports (CSV, JSON, Markdown transcript) and the end-of-session report.

Only chat data and what the caller passes in go into an export: no server address, no token, no
join URL.  Chat text is hostile, so each format neutralises it in its own way:

* CSV: written as UTF-8 *with* a BOM (``utf-8-sig``), because Excel — what most presenters open a
  CSV with — reads BOM-less UTF-8 as the legacy code page and garbles every accent; Python's
  ``csv`` and LibreOffice read it fine.  Comma-separated, RFC 4180 quoting.  A cell that starts
  with ``= + - @`` (or a tab / carriage return) gets a leading ``'`` so a spreadsheet shows it as
  text instead of running it as a formula (OWASP "CSV injection").
* JSON: plain ``json`` with stable field names (:data:`EXPORT_FIELDS`); text verbatim.
* Markdown: every piece of chat text goes through :func:`escape_markdown`, so a message can't
  create links, images, HTML, headings or code blocks in the transcript.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from desktop.chat.classify import parse_reply
from desktop.chat.message import ChatMessage, MessageKind, ModerationFlags
from desktop.chat.model import ChatLog
from desktop.chat.text import fold
from desktop.private_files import write_private_text

EXPORT_FIELDS = (
    "id",
    "sequence",
    "kind",
    "author",
    "text",
    "created_at",
    "is_question",
    "starred",
    "answered",
    "hidden",
    "reply_to",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FlagsOf = Callable[[ChatMessage], ModerationFlags]


# -- records ------------------------------------------------------------------------------------


def exportable(log: ChatLog) -> list[ChatMessage]:
    """The rows worth exporting: delivered (not pending/failed) and not deleted."""
    return [m for m in log if not m.is_pending and not m.is_deleted]


def records(log: ChatLog) -> list[dict[str, Any]]:
    """One dict per exported message, with the keys of :data:`EXPORT_FIELDS`.

    Hidden messages are included with ``hidden: true`` (muted authors and blocked words count
    as hidden): the export is the record, the presenter decides what to do with it.
    """
    out = []
    for message in exportable(log):
        flags = log.flags(message)
        out.append(
            {
                "id": message.id,
                "sequence": message.sequence,
                "kind": message.kind.value,
                "author": message.author,
                "text": message.text,
                "created_at": message.created_at.isoformat(),
                "is_question": message.is_question,
                "starred": flags.starred,
                "answered": flags.answered,
                "hidden": flags.excluded,
                "reply_to": message.reply_to,
            }
        )
    return out


def neutralise_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not evaluate as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text (header + rows) without the BOM; :func:`write_csv` adds it."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    for row in rows:
        writer.writerow([neutralise_cell(row.get(name)) for name in EXPORT_FIELDS])
    return buffer.getvalue()


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    write_private_text(path, to_csv(rows), encoding="utf-8-sig", newline="")


def to_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps({"format": "pupitre-chat", "version": 1, "messages": list(rows)}, ensure_ascii=False, indent=2)


def write_json(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    write_private_text(path, to_json(rows) + "\n")


# -- Markdown -----------------------------------------------------------------------------------

# inline metacharacters, escaped everywhere (CommonMark allows a backslash before any ASCII
# punctuation); "!" needs no escape once "[" has one
_INLINE = re.compile(r"([\\`*_\[\]()~|{}])")
# what would start a block at the beginning of a line: heading, quote, list, rule, setext, table
_LINE_START = re.compile(r"^([#+\-=])")
_LIST_NUMBER = re.compile(r"^(\d+)([.)])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)|(?<=\w)(@)(?=\w)")


def escape_markdown(text: str) -> list[str]:
    """``text`` as Markdown lines that render as exactly that text, with no markup.

    ``& < >`` become entities (no HTML, no entity tricks), punctuation that CommonMark or GFM
    give a meaning to gets a backslash, URL-like text loses its autolink (``https\\://``), a
    line's leading spaces (indented code) are dropped, and control characters (which CommonMark
    would not render anyway) become U+FFFD.  Returns one string per line of ``text``.
    """
    lines = []
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = "".join("\ufffd" if unicodedata.category(ch) == "Cc" and ch != "\t" else ch for ch in raw_line)
        line = line.replace("\t", " ").strip(" ")
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE.sub(r"\\\1", line)
        line = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2) or m.group(3)), line)
        line = _LINE_START.sub(r"\\\1", line)
        line = _LIST_NUMBER.sub(r"\1\\\2", line)
        lines.append(line)
    return lines


def markdown_text(text: str, indent: str) -> str:
    """Escaped ``text`` for a list item whose content starts at ``indent``; lines joined with hard breaks."""
    lines = [line if line else "\u00a0" for line in escape_markdown(text)] or [""]
    return ("\\\n" + indent).join(lines)


# -- questions and answers ----------------------------------------------------------------------


class LinkKind(enum.StrEnum):
    REPLY = "reply"  # BBB reply, or a pending answer sent for that question
    QUOTE = "quote"  # "@First Last: ..." naming the author
    FOLLOWING = "following"  # our next answer after an open question (a guess)


@dataclass(slots=True)
class QuestionThread:
    question: ChatMessage
    answers: list[tuple[ChatMessage, LinkKind]] = field(default_factory=list)
    marked_answered: bool = False

    @property
    def answered(self) -> bool:
        return self.marked_answered or bool(self.answers)


def question_threads(messages: Sequence[ChatMessage], flags_of: FlagsOf) -> list[QuestionThread]:
    """Questions (not hidden, not deleted) with the answers linked to them.

    An answer is linked, in this order of preference: by its ``reply_to``; by an ``@First Last:``
    quote, to that author's last question before it; otherwise (our own answers only) to the
    most recent question before it that has no answer yet.
    """
    threads: dict[str, QuestionThread] = {}
    last_question_by_author: dict[str, str] = {}
    open_questions: list[str] = []
    for message in messages:
        flags = flags_of(message)
        if message.kind in (MessageKind.AUDIENCE, MessageKind.PANELIST) and message.is_question:
            if flags.excluded or message.is_deleted:
                continue
            threads[message.id] = QuestionThread(message, marked_answered=flags.answered)
            last_question_by_author[fold(message.author)] = message.id
            if not flags.answered:
                open_questions.append(message.id)
            continue
        if message.kind not in (MessageKind.PRESENTER_ANSWER, MessageKind.PANELIST) or message.is_deleted or message.is_pending:
            continue  # an answer still pending (or failed) answers nothing yet
        target: str | None = None
        how = LinkKind.REPLY
        if message.reply_to in threads:
            target = message.reply_to
        else:
            reply = parse_reply(message.text)
            if reply is not None:
                target, how = last_question_by_author.get(fold(reply[0])), LinkKind.QUOTE
            elif message.kind is MessageKind.PRESENTER_ANSWER and open_questions:
                target, how = open_questions[-1], LinkKind.FOLLOWING
        if target is None:
            continue
        threads[target].answers.append((message, how))
        if target in open_questions:
            open_questions.remove(target)
    return list(threads.values())


def _clock(moment: datetime, tz: tzinfo | None) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%H:%M:%S")


_KIND_LABEL = {
    MessageKind.AUDIENCE: "audience",
    MessageKind.PANELIST: "panelist",
    MessageKind.PRESENTER_ANSWER: "answer",
    MessageKind.SYSTEM: "system",
}


def transcript_markdown(log: ChatLog, title: str, *, tz: tzinfo | None = None, now: datetime | None = None) -> str:
    """A Markdown transcript: questions with their answers, then every visible message.

    Hidden messages (by hand, muted author, blocked word) are left out of the transcript.
    Times are shown in ``tz`` (default: the computer's time zone).
    """
    messages = exportable(log)
    threads = question_threads(messages, log.flags)
    visible = [m for m in messages if not log.flags(m).excluded]
    answered = sum(1 for t in threads if t.answered)
    moment = now or datetime.now(UTC)
    out = [
        f"# Chat transcript: {' '.join(escape_markdown(title))}",
        "",
        f"Exported {moment.astimezone(tz).strftime('%Y-%m-%d %H:%M')}. {len(visible)} messages, "
        f"{len(threads)} questions, {answered} answered.",
        "",
        "## Questions",
        "",
    ]
    if not threads:
        out.append("No questions.")
    for number, thread in enumerate(threads, start=1):
        question = thread.question
        label = f"{number}. "
        indent = " " * len(label)
        out.append(
            f"{label}**{' '.join(escape_markdown(question.author))}** ({_clock(question.created_at, tz)}): "
            f"{markdown_text(question.text, indent)}"
        )
        for answer, how in thread.answers:
            note = " (following answer)" if how is LinkKind.FOLLOWING else ""
            out.append(
                f"{indent}- Answer{note} by **{' '.join(escape_markdown(answer.author))}** "
                f"({_clock(answer.created_at, tz)}): {markdown_text(answer.text, indent + '  ')}"
            )
        if not thread.answers:
            out.append(f"{indent}- {'Marked answered.' if thread.marked_answered else 'Not answered.'}")
    out += ["", "## All messages", ""]
    if not visible:
        out.append("No messages.")
    for message in visible:
        out.append(
            f"- {_clock(message.created_at, tz)} **{' '.join(escape_markdown(message.author))}** "
            f"({_KIND_LABEL[message.kind]}): {markdown_text(message.text, '  ')}"
        )
    return "\n".join(out) + "\n"


# -- session report -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    state: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Incident:
    at: datetime
    description: str
    severity: str = "warning"


@dataclass(slots=True)
class SessionReport:
    """What happened during a webinar, for the presenter and the organisers.

    Built by :meth:`from_log` from the chat log plus what the caller knows (the live-state
    timeline, incidents, the participant peak).  It holds no secrets unless a caller puts one in a
    state detail — callers pass user-facing sentences only.
    """

    title: str
    timeline: list[TimelineEntry]
    incidents: list[Incident]
    peak_participants: int | None
    message_counts: dict[str, int]
    questions: int
    questions_answered: int
    unanswered: list[ChatMessage]
    recordings: list[str] = field(default_factory=list)
    transcript: str | None = None

    @classmethod
    def from_log(
        cls,
        log: ChatLog,
        *,
        title: str,
        timeline: Iterable[TimelineEntry | tuple[datetime, str, str]] = (),
        incidents: Iterable[Incident | tuple[datetime, str]] = (),
        peak_participants: int | None = None,
        recordings: Iterable[str | Path] = (),
        transcript: str | Path | None = None,
    ) -> SessionReport:
        """``recordings``: the files of the live (see :mod:`desktop.recording`); ``transcript``:
        where the chat transcript is written (the report links both)."""
        messages = exportable(log)
        counts = {kind.value: 0 for kind in MessageKind}
        for message in messages:
            counts[message.kind.value] += 1
        counts["total"] = len(messages)
        counts["hidden"] = sum(1 for m in messages if log.flags(m).excluded)
        counts["deleted"] = sum(1 for m in log if m.is_deleted)
        counts["dropped_from_memory"] = log.dropped_count
        threads = question_threads(messages, log.flags)
        entries = sorted((e if isinstance(e, TimelineEntry) else TimelineEntry(*e) for e in timeline), key=lambda e: e.at)
        found = sorted((i if isinstance(i, Incident) else Incident(*i) for i in incidents), key=lambda i: i.at)
        return cls(
            title=title,
            timeline=entries,
            incidents=found,
            peak_participants=peak_participants,
            message_counts=counts,
            questions=len(threads),
            questions_answered=sum(1 for t in threads if t.answered),
            unanswered=[t.question for t in threads if not t.answered],
            recordings=[str(path) for path in recordings],
            transcript=None if transcript is None else str(transcript),
        )

    @property
    def started_at(self) -> datetime | None:
        return self.timeline[0].at if self.timeline else None

    @property
    def ended_at(self) -> datetime | None:
        return self.timeline[-1].at if self.timeline else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "pupitre-session-report",
            "version": 1,
            "title": self.title,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "timeline": [{"at": e.at.isoformat(), "state": e.state, "detail": e.detail} for e in self.timeline],
            "incidents": [{"at": i.at.isoformat(), "severity": i.severity, "description": i.description} for i in self.incidents],
            "peak_participants": self.peak_participants,
            "message_counts": dict(self.message_counts),
            "questions": {
                "total": self.questions,
                "answered": self.questions_answered,
                "unanswered": self.questions - self.questions_answered,
            },
            "unanswered_questions": [
                {"id": m.id, "author": m.author, "text": m.text, "created_at": m.created_at.isoformat()} for m in self.unanswered
            ],
            "recordings": [{"path": path, "uri": _file_uri(path)} for path in self.recordings],
            "transcript": None if self.transcript is None else {"path": self.transcript,
                                                                 "uri": _file_uri(self.transcript)},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_markdown(self, *, tz: tzinfo | None = None) -> str:
        def esc(text: str) -> str:
            return markdown_text(text, "  ")

        out = [f"# Session report: {' '.join(escape_markdown(self.title))}", ""]
        if self.started_at and self.ended_at:
            duration = self.ended_at - self.started_at
            out.append(
                f"From {self.started_at.astimezone(tz).strftime('%Y-%m-%d %H:%M')} to "
                f"{self.ended_at.astimezone(tz).strftime('%H:%M')} ({_duration(duration.total_seconds())})."
            )
            out.append("")
        out.append(f"- Peak participants: {self.peak_participants if self.peak_participants is not None else 'unknown'}")
        counts = self.message_counts
        out.append(
            f"- Messages: {counts.get('total', 0)} ({counts.get('audience', 0)} from the audience, "
            f"{counts.get('panelist', 0)} from panelists, {counts.get('presenter_answer', 0)} answers, "
            f"{counts.get('hidden', 0)} hidden)"
        )
        out.append(
            f"- Questions: {self.questions} ({self.questions_answered} answered, "
            f"{self.questions - self.questions_answered} unanswered)"
        )
        if counts.get("dropped_from_memory"):
            out.append(f"- Oldest messages dropped from memory: {counts['dropped_from_memory']}")
        out += ["", "## Recording and transcript", ""]
        out += [f"- Recording: {_file_link(path)}" for path in self.recordings] or ["- Recording: none."]
        out.append(f"- Chat transcript: {_file_link(self.transcript)}" if self.transcript
                   else "- Chat transcript: not written to a file.")
        out += ["", "## Timeline", ""]
        out += [f"- {_clock(e.at, tz)} {esc(e.state)}" + (f": {esc(e.detail)}" if e.detail else "") for e in self.timeline] or ["Nothing recorded."]
        out += ["", "## Incidents", ""]
        out += [f"- {_clock(i.at, tz)} ({esc(i.severity)}) {esc(i.description)}" for i in self.incidents] or ["None."]
        out += ["", "## Unanswered questions", ""]
        out += [
            f"- {_clock(m.created_at, tz)} **{' '.join(escape_markdown(m.author))}**: {esc(m.text)}" for m in self.unanswered
        ] or ["None."]
        return "\n".join(out) + "\n"


def _file_uri(path: str) -> str:
    return Path(path).absolute().as_uri()


def _file_link(path: str) -> str:
    """A Markdown link to a local file: its name as the text, its file:// URI (percent-encoded) as
    the target, in angle brackets so that no character of a path can end it."""
    return f"[{' '.join(escape_markdown(Path(path).name))}](<{_file_uri(path)}>)"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"

"""Exports parse back; hostile chat text cannot inject formulas, links or HTML."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.chat.classify import Classifier
from desktop.chat.export import (
    EXPORT_FIELDS,
    Incident,
    LinkKind,
    SessionReport,
    escape_markdown,
    neutralise_cell,
    question_threads,
    records,
    to_csv,
    to_json,
    transcript_markdown,
    write_csv,
    write_json,
)
from desktop.chat.message import ModerationFlags
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from tests.chat.helpers import T0, audience, raw
from tests.chat.test_message import HOSTILE


@pytest.fixture
def moderation() -> ModerationState:
    return ModerationState("w", None)


@pytest.fixture
def log(moderation: ModerationState) -> ChatLog:
    log = ChatLog(Classifier(presenter_names={"Pupitre"}), moderation)
    log.ingest_many(
        [
            audience(1, "Jane Doe", "Où est le replay ?"),
            audience(2, "Bob", "=HYPERLINK(\"http://evil\",\"x\")"),
            audience(3, "Zoé", "Quel est le mot de passe ?"),
            raw(4, "@Jane Doe: sur la page de l'événement", sender="Pupitre"),
            audience(5, "Max", "Pourquoi le son coupe ?"),
            raw(6, "Le son est revenu", sender="Pupitre"),  # no quote: the following answer
            audience(7, "Eve", "[click](javascript:alert(1)) <script>x</script> ?"),
            audience(8, "Gone", "deleted", deleted=T0),
        ]
    )
    log.add_pending("not yet delivered", "Pupitre")
    moderation.set_starred("msg-3")
    return log


def test_records_fields_and_selection(log: ChatLog) -> None:
    rows = records(log)
    assert [r["id"] for r in rows] == [f"msg-{i}" for i in range(1, 8)]  # no deleted, no pending
    assert all(tuple(r) == EXPORT_FIELDS for r in rows)
    first = rows[0]
    assert first["kind"] == "audience" and first["author"] == "Jane Doe" and first["text"] == "Où est le replay ?"
    assert first["is_question"] is True and first["answered"] is True
    assert rows[2]["starred"] is True
    assert rows[3]["reply_to"] == "msg-1"
    assert datetime.fromisoformat(first["created_at"]) == T0 + timedelta(seconds=1)


def test_csv_parses_back_with_bom_and_no_formulas(log: ChatLog, tmp_path: Path) -> None:
    path = tmp_path / "chat.csv"
    write_csv(path, records(log))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        parsed = list(csv.DictReader(handle))
    assert list(parsed[0]) == list(EXPORT_FIELDS)
    assert parsed[0]["author"] == "Jane Doe" and parsed[0]["text"] == "Où est le replay ?"
    assert parsed[1]["text"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert parsed[0]["is_question"] == "true" and parsed[0]["reply_to"] == ""
    for row in parsed:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("a=b", "a=b"), (None, ""), (3, "3"), (True, "true")],
)
def test_neutralise_cell(value: object, expected: str) -> None:
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_round_trips_hostile_text(text: str) -> None:
    row = {name: "" for name in EXPORT_FIELDS} | {"text": text}
    parsed = list(csv.DictReader(io.StringIO(to_csv([row]), newline="")))
    value = parsed[0]["text"]
    expected = "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text
    assert value == expected


def test_json_parses_back(log: ChatLog, tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    write_json(path, records(log))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "pupitre-chat" and document["version"] == 1
    assert [m["id"] for m in document["messages"]] == [r["id"] for r in records(log)]
    assert document["messages"][6]["text"] == "[click](javascript:alert(1)) <script>x</script> ?"
    assert json.loads(to_json([]))["messages"] == []


def test_question_threads_link_answers(log: ChatLog) -> None:
    threads = {t.question.id: t for t in question_threads(list(log), log.flags)}
    assert set(threads) == {"msg-1", "msg-3", "msg-5", "msg-7"}
    assert [a.id for a, _ in threads["msg-1"].answers] == ["msg-4"]  # the log resolved the @quote
    assert [(a.id, how) for a, how in threads["msg-5"].answers] == [("msg-6", LinkKind.FOLLOWING)]
    assert threads["msg-3"].answers == [] and not threads["msg-3"].answered
    assert not threads["msg-7"].answered


def test_question_threads_resolve_quotes_themselves() -> None:
    classifier = Classifier(presenter_names={"Pupitre"})
    messages = [
        classifier.classify(audience(1, "Jane Doe", "Première ?")),
        classifier.classify(audience(2, "Bob", "Deuxième ?")),
        classifier.classify(raw(3, "@JANE DOE: réponse", sender="Pupitre")),
        classifier.classify(raw(4, "@Nobody: hein", sender="Pupitre")),
    ]
    threads = {t.question.id: t for t in question_threads(messages, lambda m: ModerationFlags())}
    assert [(a.id, how) for a, how in threads["msg-1"].answers] == [("msg-3", LinkKind.QUOTE)]
    assert threads["msg-2"].answers == []  # a quote of someone else is not the "following" answer


def test_threads_prefer_reply_to() -> None:
    log = ChatLog(Classifier(presenter_names={"Pupitre"}))
    log.ingest(audience(1, "A", "Question une ?"))
    pending = log.add_pending("Oui", "Pupitre", reply_to="msg-1")
    log.ingest(audience(2, "B", "Question deux ?"))
    log.ingest(raw(3, "Oui", sender="Pupitre"))
    assert log.index_of(pending.id) is None
    threads = {t.question.id: t for t in question_threads(list(log), log.flags)}
    assert [(a.id, how) for a, how in threads["msg-1"].answers] == [("msg-3", LinkKind.REPLY)]
    assert threads["msg-2"].answers == []


def _unescape(line: str) -> str:
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line))


@pytest.mark.parametrize("text", [*HOSTILE, "# title", "1. list", "- item", "+ item", "> quote", "    code", "---", "===", "a  \nb", "```js", "~~~", "| a | b |", "www.example.org", "me@example.org", "&lt; &#60;"])
def test_markdown_escape_round_trips(text: str) -> None:
    lines = escape_markdown(text)
    expected = [
        "".join("\ufffd" if (ord(ch) < 32 and ch != "\t") or ord(ch) == 127 else ch for ch in line).replace("\t", " ").strip(" ")
        for line in text.replace("\r\n", "\n").split("\n")
    ]
    assert [_unescape(line) for line in lines] == expected
    for line in lines:
        assert "<" not in line and ">" not in line
        assert not re.search(r"(?<!\\)[\[\]()`*_]", line)
        assert not re.match(r"(#|\d+[.)]|[-+=]|\s)", line)
        assert "://" not in line


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_markdown_escape_fuzz(text: str) -> None:
    for line in escape_markdown(text):
        assert "<" not in line and "\n" not in line
        assert not re.search(r"(?<!\\)[\[\]`]", line)


def test_transcript_structure(log: ChatLog) -> None:
    text = transcript_markdown(log, "Webinaire [test]", tz=UTC, now=T0)
    assert text.startswith("# Chat transcript: Webinaire \\[test\\]\n")
    assert "4 questions, 2 answered" in text
    assert "1. **Jane Doe** (14:00:01): Où est le replay ?" in text
    assert "   - Answer by **Pupitre** (14:00:04): \\@Jane Doe: sur la page de l'événement" not in text
    assert "   - Answer by **Pupitre** (14:00:04): @Jane Doe: sur la page de l'événement" in text
    assert "   - Answer (following answer) by **Pupitre** (14:00:06): Le son est revenu" in text
    assert "   - Not answered." in text
    assert "deleted" not in text and "not yet delivered" not in text
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\) &lt;script&gt;x&lt;/script&gt; ?" in text
    assert "<script>" not in text


def test_transcript_leaves_hidden_out(log: ChatLog, moderation: ModerationState) -> None:
    moderation.mute_author("Eve")
    text = transcript_markdown(log, "t", tz=UTC, now=T0)
    assert "javascript" not in text
    assert "3 questions" in text


def test_transcript_of_an_empty_log() -> None:
    text = transcript_markdown(ChatLog(), "Vide", tz=UTC, now=T0)
    assert "No questions." in text and "No messages." in text


def test_rendered_markdown_has_no_links_images_or_html(log: ChatLog, qapp: Any) -> None:
    from PySide6.QtGui import QTextDocument

    for i, text in enumerate([*HOSTILE, "![img](http://x/y.png)", "<a href='x'>a</a>", "https://evil.example/x", "# heading", "[x]: http://ref"]):
        log.ingest(audience(100 + i, "Eve", text))
    document = QTextDocument()
    document.setMarkdown(transcript_markdown(log, "<h1>t</h1>", tz=UTC, now=T0))
    rendered = document.toHtml()
    assert not re.search(r"<a\b", rendered)  # no link element (escaped "&lt;a href" text is fine)
    assert "<img" not in rendered
    assert "<script" not in rendered
    assert "<h1" in rendered and rendered.count("<h1") == 1  # only our title
    plain = document.toPlainText()
    assert "[click](javascript:alert(1)) <script>x</script> ?" in plain
    assert "![img](http://x/y.png)" in plain
    assert "https://evil.example/x" in plain


# -- session report -------------------------------------------------------------------------------


def test_session_report(log: ChatLog) -> None:
    timeline = [
        (T0 + timedelta(minutes=62), "ended", "presenter ended the webinar"),
        (T0, "live", ""),
        (T0 - timedelta(minutes=2), "starting", "gateway [1] starting"),
    ]
    report = SessionReport.from_log(
        log,
        title="Cours **1**",
        timeline=timeline,
        incidents=[(T0 + timedelta(minutes=10), "stream stalled for 40 s"), Incident(T0 + timedelta(minutes=5), "chat reconnected", "info")],
        peak_participants=412,
    )
    assert [e.state for e in report.timeline] == ["starting", "live", "ended"]
    assert [i.description for i in report.incidents] == ["chat reconnected", "stream stalled for 40 s"]
    assert report.questions == 4 and report.questions_answered == 2
    assert [m.id for m in report.unanswered] == ["msg-3", "msg-7"]
    assert report.message_counts["audience"] == 5
    assert report.message_counts["presenter_answer"] == 2
    assert report.message_counts["total"] == 7
    assert report.message_counts["deleted"] == 1

    data = json.loads(report.to_json())
    assert data["peak_participants"] == 412
    assert data["questions"] == {"total": 4, "answered": 2, "unanswered": 2}
    assert datetime.fromisoformat(data["started_at"]) == T0 - timedelta(minutes=2)
    assert datetime.fromisoformat(data["ended_at"]) == T0 + timedelta(minutes=62)
    assert data["timeline"][0] == {"at": (T0 - timedelta(minutes=2)).isoformat(), "state": "starting", "detail": "gateway [1] starting"}

    markdown = report.to_markdown(tz=UTC)
    assert markdown.startswith("# Session report: Cours \\*\\*1\\*\\*\n")
    assert "(1 h 04 min)" in markdown
    assert "- Peak participants: 412" in markdown
    assert "- Questions: 4 (2 answered, 2 unanswered)" in markdown
    assert "- 13:58:00 starting: gateway \\[1\\] starting" in markdown
    assert "- 14:05:00 (info) chat reconnected" in markdown
    assert "**Zoé**: Quel est le mot de passe ?" in markdown
    assert "&lt;script&gt;" in markdown and "<script>" not in markdown


def test_empty_session_report() -> None:
    report = SessionReport.from_log(ChatLog(), title="t")
    assert report.started_at is None
    markdown = report.to_markdown(tz=UTC)
    assert "Peak participants: unknown" in markdown and "Nothing recorded." in markdown and "None." in markdown
    assert json.loads(report.to_json())["questions"]["total"] == 0

"""Screen-reader announcements for the live and new questions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.ui import announce
from desktop.ui.announce import Politeness


@pytest.fixture
def label(qtbot: QtBot) -> QLabel:
    widget = QLabel("Live panel")
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def reader_listening() -> Iterator[None]:
    """As when a screen reader is running: Qt then builds and sends the events."""
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


def test_live_started_is_assertive_and_says_which_webinar(qtbot: QtBot, label: QLabel, reader_listening: None) -> None:
    with qtbot.waitSignal(announce.announcer.announced) as blocker:
        sent = announce.announce_live_started(label, "Town hall")
    assert blocker.args == [sent]
    assert sent.politeness is Politeness.ASSERTIVE and sent.delivered
    assert "Town hall" in sent.message and "live" in sent.message


def test_live_stopped_names_the_webinar(label: QLabel, reader_listening: None) -> None:
    sent = announce.announce_live_stopped(label, "Town hall")
    assert sent.politeness is Politeness.ASSERTIVE
    assert sent.message == "Town hall is no longer live."


def test_a_question_is_polite_on_one_line_and_shortened(label: QLabel, reader_listening: None) -> None:
    sent = announce.announce_question(label, "Jane Doe", "Will the\nslides be shared?  " + "x" * 400)
    assert sent.politeness is Politeness.POLITE
    assert sent.message.startswith("Question from Jane Doe: Will the slides be shared? x")
    assert "\n" not in sent.message and sent.message.endswith("…")
    assert len(sent.message) < announce.QUESTION_PREVIEW + 40


def test_without_a_reader_nothing_is_sent_but_the_signal_still_tells(qtbot: QtBot, label: QLabel) -> None:
    QAccessible.setActive(False)
    with qtbot.waitSignal(announce.announcer.announced):
        sent = announce.announce_question(label, "A", "Hello?")
    assert not sent.delivered


def test_an_empty_message_is_not_sent(label: QLabel, reader_listening: None) -> None:
    assert not announce.announce(label, "  \n ").delivered

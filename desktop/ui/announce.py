"""Telling screen readers what changed: the live started or stopped, a new question arrived.

A sighted presenter sees the ON AIR badge turn on and the question appear; a presenter using a
screen reader hears it, without moving focus, through Qt's accessibility announcements
(``QAccessibleAnnouncementEvent``, Qt >= 6.8: AT-SPI on Linux, UIA notifications on Windows,
NSAccessibility announcements on macOS).  Nothing happens when no assistive technology is
listening (``QAccessible.isActive()`` is False), so calling these is always cheap.

The functions take the widget the news is about (its window is what the reader associates the
message with) and return the :class:`Announcement` they sent, which the tests read; the
:data:`announcer` object also emits every announcement, for a log or a test.

Wiring (the controller/console): ``announce_live_started(panel, title)`` when a webinar
enters LIVE, ``announce_live_stopped(panel, title)`` when it leaves it, and
``announce_question(chat_window, author, text)`` for each new audience question.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

logger = logging.getLogger(__name__)

QUESTION_PREVIEW = 140
"""A question is read up to this many characters: the reader must not talk for a minute."""


class Politeness(enum.Enum):
    POLITE = "polite"  # after what the reader is saying
    ASSERTIVE = "assertive"  # interrupts: for what must be known now (the live started/stopped)


@dataclass(frozen=True)
class Announcement:
    message: str
    politeness: Politeness
    delivered: bool
    """True when an assistive technology was listening (the event was sent)."""


class Announcer(QObject):
    """Signals:
        announced(Announcement): every announcement, sent to a reader or not.
    """

    announced = Signal(object)


announcer = Announcer()

_QT_POLITENESS = {
    Politeness.POLITE: QAccessible.AnnouncementPoliteness.Polite,
    Politeness.ASSERTIVE: QAccessible.AnnouncementPoliteness.Assertive,
}


def announce(source: QObject, message: str, politeness: Politeness = Politeness.POLITE) -> Announcement:
    """Have screen readers say ``message`` (plain text) on behalf of ``source``."""
    message = " ".join(message.split())
    delivered = bool(message) and QAccessible.isActive()
    if delivered:
        event = QAccessibleAnnouncementEvent(source, message)
        event.setPoliteness(_QT_POLITENESS[politeness])
        QAccessible.updateAccessibility(event)
    announcement = Announcement(message, politeness, delivered)
    announcer.announced.emit(announcement)
    return announcement


def announce_live_started(source: QObject, title: str) -> Announcement:
    return announce(source, QCoreApplication.translate("Announce", "%1 is live: the audience sees you.").replace("%1", title), Politeness.ASSERTIVE)


def announce_live_stopped(source: QObject, title: str) -> Announcement:
    return announce(source, QCoreApplication.translate("Announce", "%1 is no longer live.").replace("%1", title), Politeness.ASSERTIVE)


def question_preview(text: str) -> str:
    """A question's text as read: one line, shortened to :data:`QUESTION_PREVIEW` characters."""
    text = " ".join(text.split())
    if len(text) > QUESTION_PREVIEW:
        text = text[: QUESTION_PREVIEW - 1].rstrip() + "…"
    return text


def announce_question(source: QObject, author: str, text: str) -> Announcement:
    """A new audience question, shortened to :data:`QUESTION_PREVIEW` characters."""
    text = question_preview(text)
    return announce(source, QCoreApplication.translate("Announce", "Question from %1: %2").replace("%1", author).replace("%2", text))

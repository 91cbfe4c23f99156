"""Translated names for the core's enums (the core itself never imports Qt); the live's state
names are with the rest of its presentation, in :mod:`desktop.ui.live_style`.

The tables hold ``QT_TRANSLATE_NOOP`` marks so ``pyside6-lupdate`` collects the strings; the
lookup translates them at display time, so a language change needs no restart of the tables.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.webinar.state import Health, Step

CONTEXT = "Labels"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for ``pyside6-lupdate`` (which matches this name) without translating it.

    Qt's own returns ``object`` in the stubs; this one keeps the tables typed as ``str``.
    """
    return text

_STEPS: dict[Step, str] = {
    Step.MEETING_CREATED: QT_TRANSLATE_NOOP("Labels", "Meeting created"),
    Step.PRESENTER_JOINED: QT_TRANSLATE_NOOP("Labels", "Presenter joined"),
    Step.GATEWAY_STARTED: QT_TRANSLATE_NOOP("Labels", "Gateway started"),
    Step.STREAM_LIVE: QT_TRANSLATE_NOOP("Labels", "Audience stream live"),
}

_HEALTH: dict[Health, str] = {
    Health.GOOD: QT_TRANSLATE_NOOP("Labels", "Good"),
    Health.WARNING: QT_TRANSLATE_NOOP("Labels", "Warning"),
    Health.BAD: QT_TRANSLATE_NOOP("Labels", "Problem"),
    Health.UNKNOWN: QT_TRANSLATE_NOOP("Labels", "Unknown"),
}


def step_label(step: Step) -> str:
    return QCoreApplication.translate(CONTEXT, _STEPS[step])


def health_label(level: Health) -> str:
    return QCoreApplication.translate(CONTEXT, _HEALTH[level])

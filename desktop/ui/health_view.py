"""The health view: four coloured rows (meeting, gateway, stream, chat) and a short event log.

It renders :class:`desktop.webinar.state.HealthView` as it is: the colour comes from the row's
level, the words from the core's reason text (already a plain sentence).  The event log keeps
the newest line first and at most :data:`MAX_EVENTS` lines.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop.ui.labels import QT_TRANSLATE_NOOP, health_label
from desktop.webinar import state as live

MAX_EVENTS = 200

LEVEL_COLOURS = {
    live.Health.GOOD: "#2e7d32",
    live.Health.WARNING: "#f0a500",
    live.Health.BAD: "#c62828",
    live.Health.UNKNOWN: "#9e9e9e",
}

ROWS = (
    ("meeting", QT_TRANSLATE_NOOP("HealthView", "Meeting")),
    ("gateway", QT_TRANSLATE_NOOP("HealthView", "Gateway")),
    ("stream", QT_TRANSLATE_NOOP("HealthView", "Audience stream")),
    ("chat", QT_TRANSLATE_NOOP("HealthView", "Chat")),
)


class HealthRowWidget(QWidget):
    """One row: a coloured dot, the component's name and the reason text.

    Attributes:
        level: the :class:`~desktop.webinar.state.Health` shown (also the Qt property "level").
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = live.Health.UNKNOWN
        self.dot = QFrame(self)
        self.dot.setFixedSize(14, 14)
        self.name = QLabel(name, self)
        self.name.setStyleSheet("font-weight: bold;")
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)  # reasons may quote server text
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.dot, 0, 0)
        layout.addWidget(self.name, 0, 1)
        layout.addWidget(self.reason, 0, 2)
        layout.setColumnStretch(2, 1)

    def render_row(self, row: live.HealthRow) -> None:
        self.level = row.level
        self.setProperty("level", row.level.value)
        colour = LEVEL_COLOURS[row.level]
        self.dot.setStyleSheet(f"background: {colour}; border-radius: 7px;")
        self.dot.setToolTip(health_label(row.level))
        self.dot.setAccessibleName(health_label(row.level))
        self.reason.setText(row.text)

    def colour(self) -> str:
        return LEVEL_COLOURS[self.level]


class HealthView(QWidget):
    """Renders a webinar's health and keeps a capped event log.

    Attributes:
        rows: component name ("meeting", "gateway", "stream", "chat") -> its row widget.
        events: the log list (newest first).
    """

    def __init__(self, parent: QWidget | None = None, *, max_events: int = MAX_EVENTS) -> None:
        super().__init__(parent)
        self.max_events = max_events
        self.rows: dict[str, HealthRowWidget] = {}
        layout = QVBoxLayout(self)
        for key, title in ROWS:
            row = HealthRowWidget(QCoreApplication.translate("HealthView", title), self)
            self.rows[key] = row
            layout.addWidget(row)
        self.participants = QLabel(self)
        layout.addWidget(self.participants)
        self.events = QListWidget(self)
        self.events.setAccessibleName(self.tr("Event log"))
        layout.addWidget(self.events, 1)
        self.update_from(live.HealthView())

    def update_from(self, health: live.HealthView) -> None:
        """Render all four rows and the participant count from ``health``."""
        for key, _title in ROWS:
            self.rows[key].render_row(getattr(health, key))
        if health.participants is None:
            self.participants.setText("")
        else:
            self.participants.setText(self.tr("%n participant(s)", "", health.participants))

    def add_event(self, text: str, at: float | None = None) -> None:
        """Prepend one plain-text line (with its local time) and drop the oldest beyond the cap."""
        stamp = time.strftime("%H:%M:%S", time.localtime(time.time() if at is None else at))
        self.events.insertItem(0, f"{stamp}  {text}")
        while self.events.count() > self.max_events:
            self.events.takeItem(self.events.count() - 1)

    def event_texts(self) -> list[str]:
        return [self.events.item(i).text() for i in range(self.events.count())]

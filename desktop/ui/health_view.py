"""The health view: four rows (meeting, gateway, stream, chat) and a short event log.

It renders :class:`desktop.webinar.state.HealthView` as it is: each row's indicator is the
theme's icon for the level (a colour *and* a shape, with the level's word as tooltip and
accessible name), the words come from the core's reason text (already a plain sentence).  The
event log keeps the newest line first and at most :data:`MAX_EVENTS` lines.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from desktop.ui import theme
from desktop.ui.labels import QT_TRANSLATE_NOOP, health_label
from desktop.webinar import state as live

MAX_EVENTS = 200
DOT_SIZE = 14

ROWS = (
    ("meeting", QT_TRANSLATE_NOOP("HealthView", "Meeting")),
    ("gateway", QT_TRANSLATE_NOOP("HealthView", "Gateway")),
    ("stream", QT_TRANSLATE_NOOP("HealthView", "Audience stream")),
    ("chat", QT_TRANSLATE_NOOP("HealthView", "Chat")),
)


class HealthRowWidget(QWidget):
    """One row: the level's icon, the component's name and the reason text.

    Attributes:
        level: the :class:`~desktop.webinar.state.Health` shown (also the Qt property "level").
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = live.Health.UNKNOWN
        self.dot = QLabel(self)
        self.dot.setFixedSize(DOT_SIZE, DOT_SIZE)
        self.name = QLabel(name, self)
        theme.emphasise(self.name)
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)  # reasons may quote server text
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.dot, 0, 0)
        layout.addWidget(self.name, 0, 1)
        layout.addWidget(self.reason, 0, 2)
        layout.setColumnStretch(2, 1)
        theme.on_scheme_change(self, self._paint_dot)

    def _paint_dot(self) -> None:
        icon = theme.state_icon(theme.health_level(self.level))
        self.dot.setPixmap(icon.pixmap(QSize(DOT_SIZE, DOT_SIZE), self.devicePixelRatioF()))

    def render_row(self, row: live.HealthRow) -> None:
        self.level = row.level
        self.setProperty("level", row.level.value)
        self._paint_dot()
        self.dot.setToolTip(health_label(row.level))
        self.dot.setAccessibleName(health_label(row.level))
        self.reason.setText(row.text)

    def colour(self) -> str:
        return theme.state_color(theme.health_level(self.level)).name()


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

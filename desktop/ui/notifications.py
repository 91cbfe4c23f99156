"""Notifications: desktop messages through the tray, or a banner in the window without a tray.

"New audience question" can arrive dozens of times a minute in a large webinar; a desktop
notification for each would bury the presenter.  :class:`NotificationPolicy` (pure, no Qt,
explicit clock) lets the first one through, then groups the rest per rate-limited kind and
releases one grouped message ("5 new questions") once the interval has passed.

A burst counts as one event: the chat delivers questions in batches (a result set of 100 rows
is 100 ``question_arrived`` signals in one go), so :class:`Notifier` gathers the rate-limited
events of ``BURST_MS`` before offering them to the policy — a burst of 100 questions raises one
notification ("100 new audience questions"), not one for the first and another for the rest.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSystemTrayIcon, QToolButton, QWidget

from desktop.ui import theme
from desktop.ui.theme import Level
from desktop.ui.tray import TrayIcon

logger = logging.getLogger(__name__)

QUESTION_INTERVAL = 30.0
BURST_MS = 200


class NotificationKind(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    QUESTION = "question"  # a new audience question (rate-limited)


@dataclass(frozen=True)
class Delivery:
    """One message to show.  ``count`` > 1 means grouped: ``title``/``text`` are the latest."""

    kind: str
    title: str
    text: str
    count: int = 1


@dataclass
class _Held:
    count: int
    title: str
    text: str


class NotificationPolicy:
    """At most one message per ``interval`` seconds for each rate-limited kind, the rest grouped.

    Call :meth:`offer` for every event and :meth:`due` when :meth:`next_due` is reached; both
    return what to show now.  Kinds not in ``limited`` always pass straight through.
    """

    def __init__(
        self, interval: float = QUESTION_INTERVAL, limited: Iterable[str] = (NotificationKind.QUESTION,)
    ) -> None:
        self.interval = interval
        self.limited = frozenset(str(kind) for kind in limited)
        self._last_sent: dict[str, float] = {}
        self._held: dict[str, _Held] = {}

    def offer(self, kind: str, title: str, text: str, now: float, count: int = 1) -> list[Delivery]:
        """``count`` events of ``kind`` (the latest saying ``title``/``text``) happened at ``now``."""
        if kind not in self.limited:
            return [Delivery(kind, title, text, count)]
        last = self._last_sent.get(kind)
        held = self._held.pop(kind, None)
        if last is None or now - last >= self.interval:
            self._last_sent[kind] = now
            return [Delivery(kind, title, text, count + (held.count if held else 0))]
        if held is None:
            held = _Held(0, title, text)
        held.count += count
        held.title, held.text = title, text
        self._held[kind] = held
        return []

    def next_due(self) -> float | None:
        """When the earliest held group may be released (None: nothing held)."""
        times = [self._last_sent[kind] + self.interval for kind in self._held]
        return min(times) if times else None

    def due(self, now: float) -> list[Delivery]:
        released = []
        for kind in list(self._held):
            if now - self._last_sent[kind] >= self.interval:
                held = self._held.pop(kind)
                self._last_sent[kind] = now
                released.append(Delivery(kind, held.title, held.text, held.count))
        return released


BANNER_LEVELS = {
    NotificationKind.INFO: Level.WORKING,
    NotificationKind.QUESTION: Level.WORKING,
    NotificationKind.WARNING: Level.WARNING,
    NotificationKind.ERROR: Level.ERROR,
}
"""The theme's level of each kind: the banner's tint (and, for warnings and errors, the level's
symbol before the title: colour is never alone)."""


class NotificationBanner(QFrame):
    """An in-window message line (used when there is no tray to carry notifications)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("×")
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.hide()

    def show_message(self, kind: str, title: str, text: str) -> None:
        level = BANNER_LEVELS[_kind(kind)]
        # the tint follows the scheme (re-applied when it changes); a symbol says the kind too
        theme.style_with(self, lambda: theme.banner_style(level, selector="#notificationBanner"))
        symbol = "" if level is Level.WORKING else theme.state_mark(level).symbol + " "  # ⚠ / ✖
        self.label.setText(f"<b>{_escape(symbol)}{_escape(title)}</b> {_escape(text)}")
        self.setProperty("kind", kind)
        self.show()


def _kind(kind: str) -> NotificationKind:
    try:
        return NotificationKind(kind)
    except ValueError:
        return NotificationKind.INFO


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TRAY_ICONS = {
    NotificationKind.WARNING: QSystemTrayIcon.MessageIcon.Warning,
    NotificationKind.ERROR: QSystemTrayIcon.MessageIcon.Critical,
}


class Notifier(QObject):
    """Routes notifications to the tray (if any) or the in-window banner, through the policy.

    Rate-limited kinds are gathered for ``burst_ms`` first (see the module docstring).

    Signals:
        delivered(str, str, str): kind, title, text of each message actually shown.
    """

    delivered = Signal(str, str, str)

    def __init__(
        self,
        tray: TrayIcon | None,
        banner: NotificationBanner | None,
        policy: NotificationPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
        burst_ms: int = BURST_MS,
    ) -> None:
        super().__init__(parent)
        self.tray = tray
        self.banner = banner
        self.policy = policy or NotificationPolicy()
        self._clock = clock
        self._flush = QTimer(self)
        self._flush.setObjectName("notificationFlushTimer")
        self._flush.setSingleShot(True)
        self._flush.timeout.connect(self._release_due)
        self._burst: dict[str, _Held] = {}
        self._gather = QTimer(self)
        self._gather.setObjectName("notificationBurstTimer")
        self._gather.setSingleShot(True)
        self._gather.setInterval(burst_ms)
        self._gather.timeout.connect(self._offer_burst)

    def notify(self, kind: str, title: str, text: str) -> None:
        kind = str(kind)
        if kind in self.policy.limited:
            held = self._burst.setdefault(kind, _Held(0, title, text))
            held.count += 1
            held.title, held.text = title, text
            if not self._gather.isActive():
                self._gather.start()
            return
        for delivery in self.policy.offer(kind, title, text, self._clock()):
            self._deliver(delivery)
        self._arm()

    def _offer_burst(self) -> None:
        burst, self._burst = self._burst, {}
        now = self._clock()
        for kind, held in burst.items():
            for delivery in self.policy.offer(kind, held.title, held.text, now, held.count):
                self._deliver(delivery)
        self._arm()

    def _release_due(self) -> None:
        for delivery in self.policy.due(self._clock()):
            self._deliver(delivery)
        self._arm()

    def _arm(self) -> None:
        due = self.policy.next_due()
        if due is None:
            self._flush.stop()
            return
        self._flush.start(max(0, int((due - self._clock()) * 1000) + 1))

    def _deliver(self, delivery: Delivery) -> None:
        title, text = delivery.title, delivery.text
        if delivery.count > 1 and delivery.kind == NotificationKind.QUESTION:
            title = self.tr("%n new audience questions", "", delivery.count)
            text = self.tr("Latest: %1").replace("%1", delivery.text)
        kind = delivery.kind
        shown = False
        if self.tray is not None:
            icon = _TRAY_ICONS.get(_kind(kind), QSystemTrayIcon.MessageIcon.Information)
            shown = self.tray.show_message(title, text, icon)
        if not shown and self.banner is not None:
            self.banner.show_message(kind, title, text)
            shown = True
        if not shown:
            logger.info("notification with nowhere to go: %s", title)
        self.delivered.emit(kind, title, text)

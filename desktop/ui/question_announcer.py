"""New audience questions, told to screen readers once per burst.

Twenty questions in ten seconds must not make the reader talk for two minutes: the first
question of a quiet period waits :data:`QUIET_MS` for others; when none comes it is read as it
is (:func:`desktop.ui.announce.announce_question`), otherwise one sentence says how many came
and reads the latest.  A steady flow is still told every :data:`LONGEST_WAIT_MS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from desktop.ui import announce

QUIET_MS = 2000
LONGEST_WAIT_MS = 10000


class QuestionAnnouncer(QObject):
    """Collects questions and announces each burst once.

    Attributes:
        source: returns the object the announcement is made for (the main window).
        pending: the (author, text) of the questions not announced yet.
    """

    def __init__(self, parent: QObject | None = None, *, source: Callable[[], QObject] | None = None,
                 quiet_ms: int = QUIET_MS, longest_wait_ms: int = LONGEST_WAIT_MS) -> None:
        super().__init__(parent)
        self.source: Callable[[], QObject] = source or (lambda: self)
        self.pending: list[tuple[str, str]] = []
        self._quiet = QTimer(self)
        self._quiet.setObjectName("questionQuietTimer")
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(quiet_ms)
        self._quiet.timeout.connect(self.flush)
        self._longest = QTimer(self)
        self._longest.setObjectName("questionLongestWaitTimer")
        self._longest.setSingleShot(True)
        self._longest.setInterval(longest_wait_ms)
        self._longest.timeout.connect(self.flush)

    def add(self, author: str, text: str) -> None:
        self.pending.append((author, text))
        self._quiet.start()  # restarts: the burst goes on
        if not self._longest.isActive():
            self._longest.start()

    def flush(self) -> announce.Announcement | None:
        """Announce what is pending now (one announcement), if anything."""
        self._quiet.stop()
        self._longest.stop()
        if not self.pending:
            return None
        questions, self.pending = self.pending, []
        author, text = questions[-1]
        if len(questions) == 1:
            return announce.announce_question(self.source(), author, text)
        latest = announce.question_preview(text)
        values = {"1": str(len(questions)), "2": author, "3": latest}
        # one pass: an author or a question holding "%3" stays as written
        message = re.sub(r"%([123])", lambda match: values[match.group(1)],
                         self.tr("New questions: %1. The latest, from %2: %3"))
        return announce.announce(self.source(), message)

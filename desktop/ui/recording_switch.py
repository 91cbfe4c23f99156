"""The console's recording switch and what the recording of the selected webinar is doing.

The switch is :meth:`desktop.recording.service.LiveRecordings.set_enabled` (for this run of the
app; the *Record each live* setting is its default); the line under it renders the
:class:`~desktop.recording.recorder.RecordingStatus` of the webinar shown in the console: where
it records, how long, how many chapters, or the sentence of a warning (disk space).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from desktop.recording.status import RecordingState, RecordingStatus

if TYPE_CHECKING:  # the recorder (httpx, the HLS reader) loads with the first live (issue 13)
    from desktop.recording.service import LiveRecordings


class RecordingSwitch(QWidget):
    """*Record the live* and the recording's status line.

    Signals:
        status_arrived(str, object): a recording's new status (key, RecordingStatus); carried
            through a signal so that it is rendered in the GUI thread.
    """

    status_arrived = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recordings: LiveRecordings | None = None
        self._forget_listener: Callable[[], None] | None = None
        self._key: str | None = None
        self.check = QCheckBox(self.tr("Record the live"), self)
        self.check.setObjectName("recordLiveCheck")
        self.check.setAccessibleName(self.tr("Record the live"))
        self.check.setAccessibleDescription(self.tr(
            "Saves what the audience sees, without re-encoding, into one video file per live in your Videos "
            "folder"))
        self.check.setToolTip(self.check.accessibleDescription())
        self.check.setEnabled(False)
        self.status = QLabel(self)
        self.status.setObjectName("recordingStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.status)
        self.check.toggled.connect(self._toggled)
        self.status_arrived.connect(self._status_arrived)

    def bind(self, recordings: LiveRecordings | None) -> None:
        """Drive ``recordings`` (the open workspace's), or nothing (no workspace)."""
        if self._forget_listener is not None:
            self._forget_listener()
            self._forget_listener = None
        self._recordings = recordings
        self.check.setEnabled(recordings is not None)
        self.check.blockSignals(True)
        self.check.setChecked(recordings is not None and recordings.enabled)
        self.check.blockSignals(False)
        if recordings is not None:
            self._forget_listener = recordings.add_listener(self.status_arrived.emit)
        self.show_key(self._key)

    def show_key(self, key: str | None) -> None:
        """Show the recording of ``key`` (the webinar selected in the console)."""
        self._key = key
        status = None if self._recordings is None or key is None else self._recordings.statuses.get(key)
        self._render(status)

    def _toggled(self, on: bool) -> None:
        if self._recordings is not None:
            self._recordings.set_enabled(on)

    def _status_arrived(self, key: str, status: object) -> None:
        if key == self._key and isinstance(status, RecordingStatus):
            self._render(status)

    def _render(self, status: RecordingStatus | None) -> None:
        if status is None:
            self.status.hide()
            return
        name = status.path.name
        if status.warning:
            text = status.warning
        elif status.state == RecordingState.RECORDING:
            minutes, seconds = divmod(int(status.seconds), 60)
            text = self.tr("Recording into “%1”: %2 min %3 s, %4 chapter(s).").replace("%1", name).replace(
                "%2", str(minutes)).replace("%3", f"{seconds:02d}").replace("%4", str(max(status.chapters, 1)))
        else:
            text = self.tr("Recorded into “%1”.").replace("%1", name)
        self.status.setText(text)
        self.status.setToolTip(str(status.path))
        self.status.setAccessibleName(text)
        self.status.show()

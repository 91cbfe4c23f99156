"""After a crash: what was left running, what we recommend, and the presenter's choice.

Each unfinished live found by :func:`desktop.webinar.recovery.reconcile_all` gets a row with its
summary and three buttons — Resume monitoring, Stop the stream, Forget — the recommended one
first and default.  The dialog is not modal-blocking (``open()``, never ``exec()``): the asyncio
loop keeps running while it is shown, and each choice is applied as it is made.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import theme
from desktop.ui.crash import CrashReport
from desktop.webinar.recovery import Recommendation, Reconciliation


class RecoveryRow(QFrame):
    """One unfinished live and its three choices."""

    chosen = Signal(object, str)

    def __init__(self, rec: Reconciliation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rec = rec
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(rec.entry.title, self)
        title.setTextFormat(Qt.TextFormat.PlainText)
        theme.emphasise(title)
        summary = QLabel(rec.summary, self)
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        texts = {
            Recommendation.RESUME: self.tr("Resume monitoring"),
            Recommendation.STOP: self.tr("Stop the stream"),
            Recommendation.FORGET: self.tr("Forget"),
        }
        self.buttons: dict[Recommendation, QPushButton] = {}
        row = QHBoxLayout()
        order = [rec.recommendation] + [r for r in Recommendation if r is not rec.recommendation]
        for choice in order:
            button = QPushButton(texts[choice], self)
            button.setObjectName(f"recovery_{choice.value}")
            if choice is rec.recommendation:
                button.setDefault(True)
                theme.emphasise(button)
                button.setAccessibleDescription(self.tr("Recommended"))
                button.setToolTip(self.tr("Recommended"))
            button.clicked.connect(lambda _c=False, choice=choice: self._choose(choice))
            self.buttons[choice] = button
            row.addWidget(button)
        row.addStretch(1)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addLayout(row)
        layout.addWidget(self.result)

    def _choose(self, choice: Recommendation) -> None:
        for button in self.buttons.values():
            button.setEnabled(False)
        self.result.setText(self.tr("Working…"))
        self.chosen.emit(self.rec, choice.value)

    def show_result(self, choice: str, error: str) -> None:
        if error:
            self.result.setText(error)
            theme.style_with(self.result, lambda: theme.text_style(theme.Level.ERROR))
            for button in self.buttons.values():
                button.setEnabled(True)
            return
        done = {
            Recommendation.RESUME.value: self.tr("Monitoring resumed."),
            Recommendation.STOP.value: self.tr("The stream was stopped."),
            Recommendation.FORGET.value: self.tr("Forgotten."),
        }
        self.result.setText(done.get(choice, ""))
        theme.style_with(self.result, lambda: theme.text_style(theme.Level.OK))


class RecoveryDialog(QDialog):
    """Lists the unfinished lives.

    Attributes:
        intro: the opening sentence (mentions the previous crash when there was one).
        rows: session key -> its row.

    Signals:
        choice_made(object, str): the Reconciliation and the chosen Recommendation value.
    """

    choice_made = Signal(object, str)

    def __init__(self, recs: list[Reconciliation], previous_crash: CrashReport | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lives left running"))
        layout = QVBoxLayout(self)
        self.intro = intro = QLabel(self)
        intro.setWordWrap(True)
        if previous_crash is not None:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(previous_crash.started_at))
            intro.setText(self.tr("Pupitre did not close properly last time (started %1). These webinars "
                                  "may still be running:").replace("%1", when))
        else:
            intro.setText(self.tr("Pupitre was not watching these webinars when it started. They may still "
                                  "be running:"))
        layout.addWidget(intro)
        self.rows: dict[str, RecoveryRow] = {}
        # many unfinished lives scroll instead of making the dialog taller than the screen
        rows_box = QWidget(self)
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        for rec in recs:
            row = RecoveryRow(rec, rows_box)
            row.chosen.connect(self.choice_made)
            self.rows[rec.entry.key] = row
            rows_layout.addWidget(row)
        rows_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(rows_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from choice to choice
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_result(self, key: str, choice: str, error: str) -> None:
        row = self.rows.get(key)
        if row is not None:
            row.show_result(choice, error)

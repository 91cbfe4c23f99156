"""The first-run page: try everything on the lab, or connect to real servers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui import theme


class WelcomePage(QWidget):
    """Two ways in.

    Attributes:
        try_lab_button, connect_button: the two choices; status: progress or failure line.

    Signals:
        try_lab_requested: start the lab in-process and open the console on it.
        connect_requested: open the "Connect to my servers" dialog.
    """

    try_lab_requested = Signal()
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Welcome to Pupitre"), self)
        theme.emphasise(title, scale=2.0)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        intro = QLabel(self.tr(
            "Pupitre takes your BigBlueButton webinar live to a large audience: it creates the "
            "meeting, starts the streaming gateway once you have joined, watches the audience "
            "stream and brings you the audience's questions."), self)
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.try_lab_button = QPushButton(self.tr("Try it with the lab"), self)
        self.try_lab_button.setObjectName("tryLabButton")
        self.try_lab_button.setMinimumHeight(48)
        self.try_lab_button.clicked.connect(self.try_lab_requested)
        self.try_lab_button.setAccessibleDescription(self.tr("Starts a demo on this computer; nothing is saved."))
        lab_text = QLabel(self.tr(
            "Starts a small BigBlueButton server, streaming gateways and an audience stream on this "
            "computer, with a demo webinar. Nothing is saved: it all goes away when you quit."), self)
        lab_text.setWordWrap(True)

        self.connect_button = QPushButton(self.tr("Connect to my servers"), self)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setMinimumHeight(48)
        self.connect_button.clicked.connect(self.connect_requested)
        self.connect_button.setAccessibleDescription(self.tr("Opens the form for your BigBlueButton server and gateways."))
        connect_text = QLabel(self.tr(
            "Enter your BigBlueButton server and its shared secret, and your streaming gateways. "
            "A check tells you in plain words whether everything answers."), self)
        connect_text.setWordWrap(True)

        self.status = QLabel(self)
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)

        box = QFrame(self)
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addWidget(intro)
        inner.addSpacing(16)
        inner.addWidget(self.try_lab_button)
        inner.addWidget(lab_text)
        inner.addSpacing(12)
        inner.addWidget(self.connect_button)
        inner.addWidget(connect_text)
        inner.addSpacing(12)
        inner.addWidget(self.status)
        # centred by stretches, not by an alignment flag: an aligned widget is asked its
        # height for the whole page's width, so its wrapped labels would be cut short
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(box, 100)
        centred.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(centred)
        layout.addStretch(2)

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.try_lab_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        self.status.setText(text)

"""The Check button and its answers: the one view of a preflight, shared by every dialog that edits servers.

:class:`CheckPanel` runs :func:`desktop.preflight.run_preflight` (the same checks as ``pupitre
check`` and the checking step before a live) on the values it is given, as an asyncio task on the
GUI's loop, and lists each :class:`~desktop.preflight.CheckResult` as ✓ / ! / ✗ with its sentence
(and what to do about it), with a one-line verdict beside the button.  The dialogs only say *what*
to check (:class:`~desktop.ui.servers_editor.ServersEditor` builds that from the edited entries).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.config.settings import BBBProfile, GatewayConfig
from desktop.preflight import CheckResult, Level, run_preflight
from desktop.secrets.store import BackendInfo
from desktop.ui import theme

logger = logging.getLogger(__name__)

MARKS = {Level.OK: "✓", Level.WARNING: "!", Level.ERROR: "✗"}

Preflight = Callable[..., Awaitable[Sequence[CheckResult]]]


def result_line(result: CheckResult) -> str:
    """"✗  The gateway “gw1” refused the token. — Type the token again." (the hint only when not OK)."""
    text = f"{MARKS[result.level]}  {result.sentence}"
    if result.hint and result.level is not Level.OK:
        text += f" — {result.hint}"
    return text


class CheckPanel(QWidget):
    """A Check button, a verdict line and the list of answers.

    Args:
        keyring: where secrets are kept (the preflight reports it as its first answer).
        check: the preflight to run (:func:`run_preflight`; tests may pass their own).

    Attributes:
        button: "Check"; status: the verdict or why the check could not run; results: one line
            per answer (hidden until there are answers).

    Signals:
        requested: the button was clicked (the owner gathers the values and calls :meth:`start`).
        finished(list): the CheckResults of a finished check (empty when it could not finish).
    """

    requested = Signal()
    finished = Signal(list)

    def __init__(self, keyring: Callable[[], BackendInfo], *, check: Preflight = run_preflight,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._keyring = keyring
        self._check = check
        self._task: asyncio.Task[None] | None = None
        self.button = QPushButton(self.tr("Check"), self)
        self.button.clicked.connect(self.requested)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.results = QListWidget(self)
        self.results.setAccessibleName(self.tr("Check results"))
        self.results.setWordWrap(True)
        self.results.setMaximumHeight(170)
        self.results.hide()
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.results)

    @property
    def checking(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, profile: BBBProfile, secret: str | None,
              gateways: Sequence[tuple[GatewayConfig, str | None]]) -> bool:
        """Check ``profile`` (with ``secret``) and each (gateway, token); False if it can't start now."""
        if self.checking:
            return False
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.show_message(self.tr("The check can't run right now (no network loop)."))
            return False
        self.button.setEnabled(False)
        self.button.setText(self.tr("Checking…"))
        self.status.setText(self.tr("Checking %1 and %n gateway(s)…", "", len(gateways)).replace("%1", profile.name))
        self.results.clear()
        self.results.hide()
        self._task = loop.create_task(self._run(profile, secret, list(gateways)))
        return True

    async def _run(self, profile: BBBProfile, secret: str | None,
                   gateways: list[tuple[GatewayConfig, str | None]]) -> None:
        results: list[CheckResult] = []
        try:
            results = list(await self._check(profile, secret, gateways, keyring=self._keyring()))
        except Exception:  # run_preflight never raises for a server problem; this is a bug
            logger.exception("the preflight failed unexpectedly")
            self.show_message(self.tr("The check stopped because of an unexpected error."))
        else:
            self.show_results(results)
        finally:
            self.button.setEnabled(True)
            self.button.setText(self.tr("Check"))
            self.finished.emit(results)

    def show_results(self, results: Sequence[CheckResult]) -> None:
        self.results.clear()
        for result in results:
            item = QListWidgetItem(result_line(result))
            item.setForeground(theme.state_color(theme.check_level(result.level)))
            item.setData(Qt.ItemDataRole.UserRole, result.level.value)
            if result.hint:
                item.setToolTip(result.hint)
            self.results.addItem(item)
        self.results.setVisible(bool(results))
        errors = sum(1 for r in results if r.level is Level.ERROR)
        warnings = sum(1 for r in results if r.level is Level.WARNING)
        if errors:
            text = self.tr("%n problem(s) found.", "", errors)
        elif warnings:
            text = self.tr("Everything answers, with %n warning(s).", "", warnings)
        else:
            text = self.tr("Everything answers as expected.")
        self.status.setText(text)

    def show_message(self, sentence: str) -> None:
        """Why the check did not run (or stopped)."""
        self.status.setText(sentence)

    def lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

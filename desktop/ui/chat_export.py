"""The chat window's export: ask where, write CSV / JSON / a Markdown transcript, say the outcome.

The rows (with their moderation flags) are read on the GUI thread, where the log lives; the
formatting and the file writing run in a worker thread, so a 100,000-message export does not
freeze the window.  :func:`write_export` is the synchronous core both use.

Its words are translated in the ``ChatWindow`` context (they were the window's before the split).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.chat.export import records, transcript_markdown, write_csv, write_json
from desktop.chat.model import ChatLog
from desktop.private_files import write_private_text


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "md"


@dataclass(frozen=True)
class ExportOutcome:
    """What an export did: the file and the number of messages, or the sentence of its failure."""

    path: Path
    count: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class ExportJob:
    """An export read from the log (GUI thread), ready to be written anywhere (any thread)."""

    path: Path
    fmt: ExportFormat
    rows: list[dict[str, Any]]
    markdown: str = ""

    def write(self) -> ExportOutcome:
        try:
            if self.fmt is ExportFormat.CSV:
                write_csv(self.path, self.rows)
            elif self.fmt is ExportFormat.JSON:
                write_json(self.path, self.rows)
            else:
                write_private_text(self.path, self.markdown)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            return ExportOutcome(self.path, error=QCoreApplication.translate(
                "ChatWindow", "The chat could not be written to %1 (%2).")
                .replace("%1", str(self.path)).replace("%2", reason))
        return ExportOutcome(self.path, len(self.rows))


def prepare_export(log: ChatLog, path: Path, fmt: ExportFormat, title: str) -> ExportJob:
    """Read what to export from ``log`` (call on the thread that owns the log)."""
    rows = records(log)
    markdown = transcript_markdown(log, title) if fmt is ExportFormat.MARKDOWN else ""
    return ExportJob(path, fmt, rows, markdown)


def ask_export_path(parent: QWidget, fmt: ExportFormat) -> Path | None:
    """Ask where to save (the suffix of ``fmt`` added when missing); None when cancelled."""
    filters = {
        ExportFormat.CSV: QCoreApplication.translate("ChatWindow", "CSV files (*.csv)"),
        ExportFormat.JSON: QCoreApplication.translate("ChatWindow", "JSON files (*.json)"),
        ExportFormat.MARKDOWN: QCoreApplication.translate("ChatWindow", "Markdown files (*.md)"),
    }
    suggested = f"chat.{fmt.value}"
    path, _selected = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("ChatWindow", "Export the chat"), suggested, filters[fmt])
    if not path:
        return None
    target = Path(path)
    return target if target.suffix else target.with_suffix(f".{fmt.value}")



"""The chat window's moderation rules: blocked words (add, remove) and muted authors (unmute).

The rules live in :class:`~desktop.chat.moderation.ModerationState` (SQLite, per webinar); this
dialog only edits them, and every change is visible at once in the chat window because the log
re-filters when the rules change.  Names and words are shown in list items, which Qt renders as
plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.chat.moderation import ModerationState
from desktop.errors import PupitreError
from desktop.ui import theme

logger = logging.getLogger(__name__)


class ModerationRulesDialog(QDialog):
    """Blocked words and muted authors of one webinar's chat.

    Attributes:
        word_edit, add_button, words, remove_button: the blocked-words part.
        authors, unmute_button: the muted-authors part.
        error: one sentence when a change could not be saved.
    """

    def __init__(self, moderation: ModerationState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.moderation = moderation
        self.setWindowTitle(self.tr("Blocked words and muted authors"))

        words_box = QGroupBox(self.tr("Blocked words"), self)
        explain = QLabel(self.tr("Messages containing one of these words or phrases are hidden "
                                 "(any case, with or without accents)."), words_box)
        explain.setWordWrap(True)
        self.word_edit = QLineEdit(words_box)
        self.word_edit.setPlaceholderText(self.tr("Word or phrase"))
        self.word_edit.setMaxLength(200)
        self.word_edit.setAccessibleName(self.tr("Word or phrase to block"))
        self.add_button = QPushButton(self.tr("Block"), words_box)
        self.words = QListWidget(words_box)
        self.words.setAccessibleName(self.tr("Blocked words"))
        self.remove_button = QPushButton(self.tr("Unblock"), words_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.word_edit, 1)
        add_row.addWidget(self.add_button)
        words_layout = QVBoxLayout(words_box)
        words_layout.addWidget(explain)
        words_layout.addLayout(add_row)
        words_layout.addWidget(self.words, 1)
        words_layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)

        authors_box = QGroupBox(self.tr("Muted authors"), self)
        self.authors = QListWidget(authors_box)
        self.authors.setAccessibleName(self.tr("Muted authors"))
        self.unmute_button = QPushButton(self.tr("Unmute"), authors_box)
        authors_layout = QVBoxLayout(authors_box)
        authors_layout.addWidget(self.authors, 1)
        authors_layout.addWidget(self.unmute_button, 0, Qt.AlignmentFlag.AlignRight)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        theme.style_with(self.error, lambda: theme.text_style(theme.Level.ERROR))
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(words_box, 1)
        layout.addWidget(authors_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(self.add_word)
        self.word_edit.returnPressed.connect(self.add_word)
        self.remove_button.clicked.connect(self.remove_selected_word)
        self.unmute_button.clicked.connect(self.unmute_selected)
        self.words.itemSelectionChanged.connect(self._update_buttons)
        self.authors.itemSelectionChanged.connect(self._update_buttons)
        self.word_edit.textChanged.connect(self._update_buttons)
        self.refresh()

    def refresh(self) -> None:
        self.words.clear()
        self.words.addItems(list(self.moderation.blocked_words))
        self.authors.clear()
        self.authors.addItems(list(self.moderation.muted_authors))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(bool(self.word_edit.text().strip()))
        self.remove_button.setEnabled(bool(self.words.selectedItems()))
        self.unmute_button.setEnabled(bool(self.authors.selectedItems()))

    def add_word(self) -> None:
        word = self.word_edit.text().strip()
        if not word:
            return
        if self._apply(lambda: self.moderation.block_word(word)):
            self.word_edit.clear()

    def remove_selected_word(self) -> None:
        for text in [item.text() for item in self.words.selectedItems()]:
            self._apply(partial(self.moderation.unblock_word, text))

    def unmute_selected(self) -> None:
        for text in [item.text() for item in self.authors.selectedItems()]:
            self._apply(partial(self.moderation.unmute_author, text))

    def _apply(self, change: Callable[[], object]) -> bool:
        try:
            change()
        except PupitreError as error:
            self.error.setText(error.sentence)
            self.error.show()
            return False
        self.error.hide()
        self.refresh()
        return True

"""The console's left column: upcoming occurrences grouped by day, and meetings running on the
BBB server (to adopt one started elsewhere: Moodle, Greenlight...).

It only renders what it is given (:meth:`WebinarList.set_occurrences`,
:meth:`WebinarList.set_meetings`) and says what was picked; the controller does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.bbb.models import Meeting
from desktop.schedule.occurrences import Occurrence
from desktop.ui import theme
from desktop.ui.reflow import ReflowRow, WrappingLabel
from desktop.webinar.session_key import SessionKey, adopted_key, occurrence_key

KEY_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2


class WebinarList(QWidget):
    """Upcoming webinars and running meetings.

    Attributes:
        tree: the list (day groups and the "Running on the server" group as top-level items).
        new_button, edit_button, remove_button, refresh_button: the actions.
        empty_hint, schedule_button: what to do next when nothing is scheduled (shown then only).

    Signals:
        occurrence_selected(str): a scheduled occurrence's session key ("12:0").
        meeting_selected(object): a bbb Meeting running on the server.
        new_requested: create a webinar.
        edit_requested(str): edit the occurrence with this key.
        remove_requested(str): remove the webinar of the occurrence with this key (the console
            asks for confirmation).
        refresh_requested: ask the server for its running meetings again.
    """

    occurrence_selected = Signal(str)
    meeting_selected = Signal(object)
    new_requested = Signal()
    edit_requested = Signal(str)
    remove_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self._today = today
        self._meetings: dict[str, Meeting] = {}
        self._states: dict[str, str] = {}
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Webinars"))
        self.tree.setAccessibleDescription(self.tr("Upcoming webinars by day, then the meetings running on the "
                                                   "server; pick one to show it in the console"))
        self.empty_hint = WrappingLabel(self.tr("Nothing is scheduled yet. Schedule a webinar to prepare your "
                                                "next live, or pick a meeting already running on the server "
                                                "below."), parent=self)
        self.empty_hint.setObjectName("emptyScheduleHint")
        self.schedule_button = QPushButton(self.tr("Schedule a webinar…"), self)
        self.schedule_button.setObjectName("scheduleFirstWebinarButton")
        self.schedule_button.clicked.connect(self.new_requested)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.new_button = QPushButton(self.tr("New webinar"), self)
        self.new_button.clicked.connect(self.new_requested)
        self.edit_button = QPushButton(self.tr("Edit"), self)
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self._edit_clicked)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeWebinarButton")
        self.remove_button.setToolTip(self.tr("Remove the selected webinar from the schedule"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove_clicked)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setToolTip(self.tr("Ask the BBB server which meetings are running"))
        self.refresh_button.setAccessibleDescription(self.refresh_button.toolTip())
        self.remove_button.setAccessibleDescription(self.remove_button.toolTip())
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.meetings_status = QLabel(self)
        self.meetings_status.setWordWrap(True)
        self.meetings_status.setTextFormat(Qt.TextFormat.PlainText)
        theme.mute(self.meetings_status)
        # a row that becomes a column when the list is narrow (translations are longer)
        schedule_buttons = ReflowRow(fill_column=False)
        for button in (self.new_button, self.edit_button, self.remove_button):
            schedule_buttons.add_widget(button)
        buttons = ReflowRow(fill_column=False)
        buttons.add_layout(schedule_buttons)
        buttons.add_stretch(1)
        buttons.add_widget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.schedule_button)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.meetings_status)
        layout.addLayout(buttons)
        self._occurrences: list[Occurrence] = []
        self._render()

    def focus_order(self) -> list[QWidget]:
        """Tab's order: the empty schedule's action (when shown), the list, then its buttons."""
        return [self.schedule_button, self.tree, self.new_button, self.edit_button, self.remove_button,
                self.refresh_button]

    # -- data in --------------------------------------------------------------------------------
    def set_occurrences(self, occurrences: Sequence[Occurrence]) -> None:
        self._occurrences = list(occurrences)
        self._render()

    def set_meetings(self, meetings: Sequence[Meeting]) -> None:
        self._meetings = {adopted_key(m.meeting_id): m for m in meetings}
        self.meetings_status.setText("")
        self._render()

    def set_meetings_problem(self, sentence: str) -> None:
        self.meetings_status.setText(sentence)

    def set_state(self, key: str, text: str) -> None:
        """Show a live state next to an entry ("Live", "Waiting for the presenter"...)."""
        if self._states.get(key) == text:
            return
        self._states[key] = text
        item = self.item_for(key)
        if item is not None:
            item.setText(0, self._label(item))

    # -- queries --------------------------------------------------------------------------------
    def entry_keys(self) -> list[str]:
        return [self._key(item) for item in self._items() if self._key(item)]

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        for item in self._items():
            if self._key(item) == key:
                return item
        return None

    def select(self, key: str) -> bool:
        item = self.item_for(key)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        return True

    def selected_key(self) -> str | None:
        items = self.tree.selectedItems()
        return self._key(items[0]) if items else None

    def group_titles(self) -> list[str]:
        return [group.text(0) for group in self._groups()]

    def _groups(self) -> list[QTreeWidgetItem]:
        groups = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [group for group in groups if group is not None]

    # -- rendering ------------------------------------------------------------------------------
    def _render(self) -> None:
        selected = self.selected_key()
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        groups: dict[date, QTreeWidgetItem] = {}
        for occurrence in self._occurrences:
            day = occurrence.start.astimezone().date()
            group = groups.get(day)
            if group is None:
                group = QTreeWidgetItem(self.tree, [self._day_title(day)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFont(0, bold)
                groups[day] = group
            item = QTreeWidgetItem(group)
            item.setData(0, KEY_ROLE, occurrence_key(occurrence.webinar_id, occurrence.index))
            item.setData(0, KIND_ROLE, "occurrence")
            item.setData(0, VALUE_ROLE, occurrence)
            if occurrence.cancelled:
                font = QFont()
                font.setStrikeOut(True)
                item.setFont(0, font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setText(0, self._label(item))
        self.empty_hint.setVisible(not self._occurrences)
        self.schedule_button.setVisible(not self._occurrences)
        # an empty schedule is said once, above the list, with its action (empty_hint)
        running = QTreeWidgetItem(self.tree, [self.tr("Running on the server")])
        running.setFlags(Qt.ItemFlag.ItemIsEnabled)
        running.setFont(0, bold)
        for key, meeting in self._meetings.items():
            item = QTreeWidgetItem(running)
            item.setData(0, KEY_ROLE, key)
            item.setData(0, KIND_ROLE, "meeting")
            item.setData(0, VALUE_ROLE, meeting)
            item.setText(0, self._label(item))
        if not self._meetings:
            none = QTreeWidgetItem(running, [self.tr("(none, or not asked yet)")])
            none.setFlags(Qt.ItemFlag.NoItemFlags)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if selected is not None and not self.select(selected):
            self._enable_actions(None)

    def _label(self, item: QTreeWidgetItem) -> str:
        value = item.data(0, VALUE_ROLE)
        key = self._key(item)
        state = self._states.get(key, "")
        suffix = f"  — {state}" if state else ""
        if isinstance(value, Occurrence):
            text = f"{value.start.strftime('%H:%M')}  {value.title}"
            if value.cancelled:
                text += "  " + self.tr("(cancelled)")
            return text + suffix
        if isinstance(value, Meeting):
            people = self.tr("%n participant(s)", "", value.participant_count)
            return f"{value.meeting_name or value.meeting_id} ({people}){suffix}"
        return item.text(0)

    def _day_title(self, day: date) -> str:
        today = self._today()
        locale = QLocale()
        long_date = locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
        if day == today:
            return self.tr("Today — %1").replace("%1", long_date)
        if day == today + timedelta(days=1):
            return self.tr("Tomorrow — %1").replace("%1", long_date)
        return long_date

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for group in self._groups():
            children = [group.child(j) for j in range(group.childCount())]
            found.extend(child for child in children if child is not None)
        return found

    @staticmethod
    def _key(item: QTreeWidgetItem) -> str:
        value = item.data(0, KEY_ROLE)
        return value if isinstance(value, str) else ""

    # -- intents --------------------------------------------------------------------------------
    def _selection_changed(self) -> None:
        items = self.tree.selectedItems()
        if not items:
            self._enable_actions(None)
            return
        item = items[0]
        kind = item.data(0, KIND_ROLE)
        self._enable_actions(kind)
        value = item.data(0, VALUE_ROLE)
        if kind == "occurrence":
            self.occurrence_selected.emit(self._key(item))
        elif kind == "meeting" and isinstance(value, Meeting):
            self.meeting_selected.emit(value)

    def _enable_actions(self, kind: object) -> None:
        """Edit and Remove act on a scheduled occurrence, not on a meeting running elsewhere."""
        self.edit_button.setEnabled(kind == "occurrence")
        self.remove_button.setEnabled(kind == "occurrence")

    def _remove_clicked(self) -> None:
        key = self._scheduled_key()
        if key is not None:
            self.remove_requested.emit(key)

    def _edit_clicked(self) -> None:
        key = self._scheduled_key()
        if key is not None:
            self.edit_requested.emit(key)

    def _scheduled_key(self) -> str | None:
        """The selected key when it is a scheduled occurrence's (not an adopted meeting's)."""
        key = self.selected_key()
        parsed = SessionKey.parse_or_none(key) if key else None
        return key if parsed is not None and not parsed.is_adopted else None

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KIND_ROLE) == "occurrence":
            self.edit_requested.emit(self._key(item))

    def occurrence_at(self, key: str) -> Occurrence | None:
        item = self.item_for(key)
        value = item.data(0, VALUE_ROLE) if item is not None else None
        return value if isinstance(value, Occurrence) else None

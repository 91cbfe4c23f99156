"""The webinar editor: title, date and time with its zone, duration, repeat rule and options.

Validation is the model's (:meth:`desktop.schedule.models.Webinar.problems`): each
:class:`~desktop.schedule.errors.ValidationError` names its field, and its sentence is shown in
red right under that field.  The dialog only reads widgets into a :class:`Webinar` and back.

Editing one occurrence of a repeating webinar asks whether the change is for this occurrence
only (an override in the store: title, start, duration) or for the whole series.

Calendars: *Add to my calendar…* saves the webinar as it reads in the form (with the series'
cancelled and changed occurrences when editing a saved one) as an ``.ics`` file
(:mod:`desktop.schedule.ical_export`); *Import invitation…* (new webinars) fills the form from an
``.ics`` invitation (:mod:`desktop.schedule.ical_import`) and keeps its cancelled and changed
occurrences in :attr:`WebinarEditor.imported_overrides` for whoever saves the webinar.
"""

from __future__ import annotations

import enum
import zoneinfo
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QSize, Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.config.settings import Settings
from desktop.errors import PupitreError
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import load_zone, resolve_local
from desktop.schedule.models import (
    COUNT_MAX,
    INTERVAL_MAX,
    Frequency,
    MonthlyType,
    OccurrenceOverride,
    Recurrence,
    Webinar,
    WebinarOptions,
    duration_problems,
    title_problems,
)
from desktop.schedule.occurrences import Occurrence
from desktop.ui import theme
from desktop.ui.geometry import first_size
from desktop.ui.labels import QT_TRANSLATE_NOOP

WEEKDAYS = (
    QT_TRANSLATE_NOOP("WebinarEditor", "Mon"), QT_TRANSLATE_NOOP("WebinarEditor", "Tue"),
    QT_TRANSLATE_NOOP("WebinarEditor", "Wed"), QT_TRANSLATE_NOOP("WebinarEditor", "Thu"),
    QT_TRANSLATE_NOOP("WebinarEditor", "Fri"), QT_TRANSLATE_NOOP("WebinarEditor", "Sat"),
    QT_TRANSLATE_NOOP("WebinarEditor", "Sun"),
)
FIELDS = ("title", "start", "timezone", "duration", "freq", "interval", "weekdays", "monthly_type", "until",
          "count", "welcome", "moderator_only_message", "max_participants", "preferred_gateway", "profile",
          "general")


class Scope(enum.Enum):
    NEW = "new"
    SERIES = "series"
    OCCURRENCE = "occurrence"


class EndRule(enum.IntEnum):
    NEVER = 0
    UNTIL = 1
    COUNT = 2


def _zone_names() -> list[str]:
    return sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")


class WebinarEditor(QDialog):
    """Create or edit a webinar.

    Attributes:
        title_edit, start_edit, timezone_combo, duration_spin, freq_combo, interval_spin,
        weekday_boxes, monthly_combo, end_combo, until_edit, count_spin, chat_enabled_box,
        chat_in_stream_box, record_box, welcome_edit, moderator_edit, max_participants_spin,
        gateway_combo, profile_combo: the fields.
        errors: field name -> the red label under it.
        scope: what saving changes (new webinar, the series, this occurrence).
        result_webinar: the validated webinar once accepted.
        calendar_button / import_button: "Add to my calendar…" and "Import invitation…".
        imported_overrides: the cancelled and changed occurrences of an imported invitation, to
            apply once the new webinar is saved (numbered as in the series).
    """

    def __init__(
        self,
        settings: Settings,
        timezone: str,
        parent: QWidget | None = None,
        *,
        webinar: Webinar | None = None,
        occurrence: Occurrence | None = None,
        default_start: datetime | None = None,
        overrides: Sequence[OccurrenceOverride] = (),
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.overrides = list(overrides)
        self.imported_overrides: list[OccurrenceOverride] = []
        self._imported_uid: str | None = None
        self.original = webinar
        self.occurrence = occurrence
        self.scope = Scope.NEW if webinar is None else Scope.SERIES
        self.result_webinar: Webinar | None = None
        self.setWindowTitle(self.tr("New webinar") if webinar is None else self.tr("Edit webinar"))
        self.errors: dict[str, QLabel] = {}

        body = QWidget(self)
        layout = QVBoxLayout(body)

        # -- scope (one occurrence of a series, or the series) --
        self.scope_box = QGroupBox(self.tr("Change"), body)
        self.only_this = QRadioButton(self.tr("This occurrence only"), self.scope_box)
        self.whole_series = QRadioButton(self.tr("The whole series"), self.scope_box)
        self.whole_series.setChecked(True)
        scope_group = QButtonGroup(self.scope_box)
        scope_group.addButton(self.only_this)
        scope_group.addButton(self.whole_series)
        scope_layout = QHBoxLayout(self.scope_box)
        scope_layout.addWidget(self.only_this)
        scope_layout.addWidget(self.whole_series)
        self.only_this.toggled.connect(self._scope_changed)
        layout.addWidget(self.scope_box)
        self.scope_box.setVisible(webinar is not None and webinar.recurrence is not None and occurrence is not None)

        # -- when --
        when = QGroupBox(self.tr("When"), body)
        form = QFormLayout(when)
        self.title_edit = QLineEdit(when)
        self._row(form, self.tr("Title"), self.title_edit, "title")
        self.start_edit = QDateTimeEdit(when)
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self._row(form, self.tr("Date and time"), self.start_edit, "start")
        self.timezone_combo = QComboBox(when)
        self.timezone_combo.setEditable(True)
        self.timezone_combo.addItems(_zone_names())
        self._row(form, self.tr("Time zone"), self.timezone_combo, "timezone")
        self.duration_spin = QSpinBox(when)
        self.duration_spin.setRange(0, 48 * 60)
        self.duration_spin.setSuffix(self.tr(" min"))
        self._row(form, self.tr("Duration"), self.duration_spin, "duration")
        layout.addWidget(when)

        # -- repeat --
        self.repeat_box = QGroupBox(self.tr("Repeat"), body)
        repeat = QFormLayout(self.repeat_box)
        self.freq_combo = QComboBox(self.repeat_box)
        for text, value in ((self.tr("Does not repeat"), None), (self.tr("Daily"), Frequency.DAILY),
                            (self.tr("Weekly"), Frequency.WEEKLY), (self.tr("Monthly"), Frequency.MONTHLY),
                            (self.tr("Yearly"), Frequency.YEARLY)):
            self.freq_combo.addItem(text, value)
        self.freq_combo.currentIndexChanged.connect(self._render_repeat)
        self._row(repeat, self.tr("Repeats"), self.freq_combo, "freq")
        self.interval_spin = QSpinBox(self.repeat_box)
        self.interval_spin.setRange(1, INTERVAL_MAX)
        self._row(repeat, self.tr("Every"), self.interval_spin, "interval")
        days = QWidget(self.repeat_box)
        days_layout = QHBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        self.weekday_boxes: list[QCheckBox] = []
        for name in WEEKDAYS:
            box = QCheckBox(QCoreApplication.translate("WebinarEditor", name), days)
            self.weekday_boxes.append(box)
            days_layout.addWidget(box)
        self.weekdays_row = days
        self._row(repeat, self.tr("On"), days, "weekdays")
        self.monthly_combo = QComboBox(self.repeat_box)
        self.monthly_combo.addItem(self.tr("On the same date"), MonthlyType.DATE_DAY)
        self.monthly_combo.addItem(self.tr("On the same weekday (e.g. 3rd Tuesday)"), MonthlyType.NTH_DAY)
        self._row(repeat, self.tr("Monthly"), self.monthly_combo, "monthly_type")
        self.end_combo = QComboBox(self.repeat_box)
        self.end_combo.addItem(self.tr("Never"), EndRule.NEVER)
        self.end_combo.addItem(self.tr("On a date"), EndRule.UNTIL)
        self.end_combo.addItem(self.tr("After a number of times"), EndRule.COUNT)
        self.end_combo.currentIndexChanged.connect(self._render_repeat)
        self._row(repeat, self.tr("Ends"), self.end_combo, "")
        self.until_edit = QDateEdit(self.repeat_box)
        self.until_edit.setCalendarPopup(True)
        self._row(repeat, self.tr("Last day"), self.until_edit, "until")
        self.count_spin = QSpinBox(self.repeat_box)
        self.count_spin.setRange(1, COUNT_MAX)
        self._row(repeat, self.tr("Times"), self.count_spin, "count")
        layout.addWidget(self.repeat_box)

        # -- options --
        options = QGroupBox(self.tr("Options"), body)
        opts = QFormLayout(options)
        self.chat_enabled_box = QCheckBox(self.tr("The audience can chat"), options)
        opts.addRow(self.chat_enabled_box)
        self.chat_in_stream_box = QCheckBox(self.tr("Show the chat in the stream"), options)
        opts.addRow(self.chat_in_stream_box)
        self.record_box = QCheckBox(self.tr("Record"), options)
        opts.addRow(self.record_box)
        self.welcome_edit = QLineEdit(options)
        self._row(opts, self.tr("Welcome message"), self.welcome_edit, "welcome")
        self.moderator_edit = QLineEdit(options)
        self._row(opts, self.tr("Message for moderators"), self.moderator_edit, "moderator_only_message")
        self.max_participants_spin = QSpinBox(options)
        self.max_participants_spin.setRange(0, 100_000)
        self.max_participants_spin.setSpecialValueText(self.tr("Server default"))
        self._row(opts, self.tr("Participant limit"), self.max_participants_spin, "max_participants")
        self.gateway_combo = QComboBox(options)
        self.gateway_combo.addItem(self.tr("Any free gateway"), None)
        for gateway in settings.gateways:
            self.gateway_combo.addItem(gateway.name, gateway.name)
        self._row(opts, self.tr("Gateway"), self.gateway_combo, "preferred_gateway")
        self.profile_combo = QComboBox(options)
        self.profile_combo.addItem(self.tr("Default server"), None)
        for profile in settings.profiles:
            self.profile_combo.addItem(profile.name, profile.name)
        self._row(opts, self.tr("BBB server"), self.profile_combo, "profile")
        layout.addWidget(options)
        general = self._error_label(body, "general")
        layout.addWidget(general)
        self.import_note = QLabel(body)  # what an imported invitation said that the form shows differently
        self.import_note.setObjectName("import_note")
        self.import_note.setWordWrap(True)
        self.import_note.setTextFormat(Qt.TextFormat.PlainText)
        self.import_note.hide()
        layout.addWidget(self.import_note)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field; focus scrolls
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.calendar_button = buttons.addButton(self.tr("Add to my calendar…"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.calendar_button.setToolTip(self.tr("Save this webinar as an iCalendar file (.ics) for your "
                                                "calendar or your co-presenters"))
        self.calendar_button.clicked.connect(self._ask_calendar_file)
        self.import_button = buttons.addButton(self.tr("Import invitation…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setToolTip(self.tr("Fill the form from an invitation (.ics) sent by Outlook, "
                                              "Thunderbird, Moodle…"))
        self.import_button.clicked.connect(self._ask_invitation)
        self.import_button.setVisible(webinar is None)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        self.resize(first_size(QSize(560, 720)))

        self._fill(webinar, occurrence, timezone, default_start)
        self._render_repeat()

    # -- building ----------------------------------------------------------------------------
    def _error_label(self, parent: QWidget, field: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(f"error_{field}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        theme.style_with(label, lambda: theme.text_style(theme.Level.ERROR))
        label.hide()
        self.errors[field] = label
        return label

    def _row(self, form: QFormLayout, label: str, widget: QWidget, field: str) -> None:
        """A labelled row; the label is the control's buddy, so screen readers say it."""
        if not field:
            form.addRow(label, widget)
            self._name(form, widget, widget)
            return
        holder = QWidget(widget.parentWidget())
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        widget.setParent(holder)
        column.addWidget(widget)
        column.addWidget(self._error_label(holder, field))
        form.addRow(label, holder)
        self._name(form, holder, widget)

    @staticmethod
    def _name(form: QFormLayout, field: QWidget, control: QWidget) -> None:
        label = form.labelForField(field)
        if isinstance(label, QLabel):
            label.setBuddy(control)
            if not control.accessibleName():  # a container (the weekdays) keeps its boxes' names
                control.setAccessibleName(label.text().replace("&", ""))

    def _fill(self, webinar: Webinar | None, occurrence: Occurrence | None, timezone: str,
              default_start: datetime | None) -> None:
        zone_name = webinar.timezone if webinar is not None else timezone
        self.timezone_combo.setCurrentText(zone_name)
        if webinar is None:
            start = default_start or (datetime.now().astimezone() + timedelta(hours=1)).replace(
                minute=0, second=0, microsecond=0)
            self.title_edit.setText("")
            self._set_start(start, zone_name)
            self.duration_spin.setValue(60)
            self.chat_enabled_box.setChecked(True)
            self.chat_in_stream_box.setChecked(True)
            self.until_edit.setDate(QDate.currentDate().addMonths(3))
            return
        self.title_edit.setText(webinar.title)
        self._set_start(webinar.start, zone_name)
        self.duration_spin.setValue(int(webinar.duration.total_seconds() // 60))
        rule = webinar.recurrence
        if rule is not None:
            self.freq_combo.setCurrentIndex(self.freq_combo.findData(rule.freq))
            self.interval_spin.setValue(rule.interval)
            for day, box in enumerate(self.weekday_boxes):
                box.setChecked(day in rule.weekdays)
            self.monthly_combo.setCurrentIndex(self.monthly_combo.findData(rule.monthly_type))
            if rule.until is not None:
                self.end_combo.setCurrentIndex(int(EndRule.UNTIL))
                self.until_edit.setDate(QDate(rule.until.year, rule.until.month, rule.until.day))
            elif rule.count is not None:
                self.end_combo.setCurrentIndex(int(EndRule.COUNT))
                self.count_spin.setValue(rule.count)
        options = webinar.options
        self.chat_enabled_box.setChecked(options.chat_enabled)
        self.chat_in_stream_box.setChecked(options.chat_in_stream)
        self.record_box.setChecked(options.record)
        self.welcome_edit.setText(options.welcome)
        self.moderator_edit.setText(options.moderator_only_message)
        self.max_participants_spin.setValue(options.max_participants or 0)
        self.gateway_combo.setCurrentIndex(max(0, self.gateway_combo.findData(options.preferred_gateway)))
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(options.profile)))
        if occurrence is not None and webinar.recurrence is not None:
            self.only_this.setChecked(True)
            self.title_edit.setText(occurrence.title or webinar.title)
            self._set_start(occurrence.start, zone_name)
            self.duration_spin.setValue(int(occurrence.duration.total_seconds() // 60))

    def _set_start(self, start: datetime, zone_name: str) -> None:
        try:
            local = start.astimezone(load_zone(zone_name))
        except ValidationError:
            local = start
        self.start_edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                              QTime(local.hour, local.minute)))

    def _scope_changed(self) -> None:
        self.scope = Scope.OCCURRENCE if self.only_this.isChecked() else Scope.SERIES
        self.repeat_box.setEnabled(self.scope is not Scope.OCCURRENCE)
        self.timezone_combo.setEnabled(self.scope is not Scope.OCCURRENCE)

    def _render_repeat(self) -> None:
        freq = self.freq_combo.currentData()
        repeating = freq is not None
        self._set_row_visible(self.interval_spin, repeating)
        self._set_row_visible(self.weekdays_row, freq == Frequency.WEEKLY)
        self._set_row_visible(self.monthly_combo, freq == Frequency.MONTHLY)
        self._set_row_visible(self.end_combo, repeating)
        end = self.end_combo.currentData()
        self._set_row_visible(self.until_edit, repeating and end == EndRule.UNTIL)
        self._set_row_visible(self.count_spin, repeating and end == EndRule.COUNT)

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        form = self.repeat_box.layout()
        assert isinstance(form, QFormLayout)
        holder = widget.parentWidget()
        target = widget if holder is self.repeat_box or holder is None else holder
        form.setRowVisible(target, visible)

    # -- reading -------------------------------------------------------------------------------
    def webinar(self) -> Webinar:
        """The webinar the fields describe (not validated: see :meth:`problems`)."""
        zone_name = self.timezone_combo.currentText().strip()
        qdt = self.start_edit.dateTime()
        naive = datetime(qdt.date().year(), qdt.date().month(), qdt.date().day(),
                         qdt.time().hour(), qdt.time().minute())
        try:
            start = resolve_local(naive, load_zone(zone_name))
        except ValidationError:
            start = naive  # the zone's own problem is reported on its field
        recurrence = None
        freq = self.freq_combo.currentData()
        if freq is not None:
            end = self.end_combo.currentData()
            until_q = self.until_edit.date()
            recurrence = Recurrence(
                freq=Frequency(freq), interval=self.interval_spin.value(),
                weekdays=frozenset(day for day, box in enumerate(self.weekday_boxes) if box.isChecked())
                if freq == Frequency.WEEKLY else frozenset(),
                monthly_type=MonthlyType(self.monthly_combo.currentData()) if freq == Frequency.MONTHLY
                else MonthlyType.DATE_DAY,
                until=date(until_q.year(), until_q.month(), until_q.day()) if end == EndRule.UNTIL else None,
                count=self.count_spin.value() if end == EndRule.COUNT else None)
        limit = self.max_participants_spin.value()
        options = WebinarOptions(
            chat_enabled=self.chat_enabled_box.isChecked(), chat_in_stream=self.chat_in_stream_box.isChecked(),
            record=self.record_box.isChecked(), welcome=self.welcome_edit.text(),
            moderator_only_message=self.moderator_edit.text(), max_participants=limit or None,
            preferred_gateway=self.gateway_combo.currentData(), profile=self.profile_combo.currentData())
        values = {"title": self.title_edit.text().strip(), "start": start,
                  "duration": timedelta(minutes=self.duration_spin.value()), "timezone": zone_name,
                  "recurrence": recurrence, "options": options}
        if self.original is not None:
            return replace(self.original, **values)  # type: ignore[arg-type]
        if self._imported_uid is not None:  # importing the same invitation again is then recognised
            return Webinar(**values, uid=self._imported_uid)  # type: ignore[arg-type]
        return Webinar(**values)  # type: ignore[arg-type]

    def problems(self) -> list[ValidationError]:
        webinar = self.webinar()
        if self.scope is Scope.OCCURRENCE:
            found = title_problems(webinar.title) + duration_problems(webinar.duration)
            if webinar.start.tzinfo is None:
                found.append(ValidationError("start", self.tr("The start needs a date, a time and a time zone.")))
            return found
        return webinar.problems()

    def show_problems(self, problems: list[ValidationError]) -> None:
        for label in self.errors.values():
            label.hide()
            label.setText("")
        for problem in problems:
            field = problem.field if problem.field in self.errors else "general"
            label = self.errors[field]
            label.setText((label.text() + "\n" if label.text() else "") + problem.sentence)
            label.show()

    def error_text(self, field: str) -> str:
        label = self.errors[field]
        return label.text() if label.isVisibleTo(self) else ""

    def try_accept(self) -> None:
        found = self.problems()
        self.show_problems(found)
        if found:
            return
        self.result_webinar = self.webinar()
        self.accept()

    # -- calendars -------------------------------------------------------------------------------
    def _ask_calendar_file(self) -> None:
        name = (self.title_edit.text().strip() or self.tr("webinar")) + ".ics"
        name = "".join("-" if c in '/\\:*?"<>|' else c for c in name)
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Add to my calendar"),
                                                    str(Path.home() / name), self.tr("iCalendar files (*.ics)"))
        if path:
            self.export_calendar(Path(path))

    def export_calendar(self, path: Path) -> bool:
        """Write the webinar the form describes to ``path`` as iCalendar; False (and the reason
        under the form) when the form does not describe a valid webinar or the file cannot be written."""
        # icalendar takes 50 ms to import: loaded when a calendar action is used, not at start
        from desktop.schedule.ical_export import audience_link, calendar_bytes

        problems = self.problems() if self.scope is not Scope.OCCURRENCE else []
        if self.scope is Scope.OCCURRENCE and self.original is not None:
            webinar = self.original  # the series as saved: this occurrence's own change is not saved yet
        else:
            webinar = self.webinar()
        self.show_problems(problems)
        if problems:
            return False
        changes = self.overrides if self.original is not None else self.imported_overrides
        try:
            data = calendar_bytes([(webinar, changes, audience_link(self.settings, webinar))])
            path.write_bytes(data)
        except OSError as error:
            self.show_problems([ValidationError("general", self.tr("The calendar file could not be written: {reason}")
                                                .format(reason=error.strerror or str(error)))])
            return False
        return True

    def _ask_invitation(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Import invitation"), str(Path.home()),
                                                    self.tr("iCalendar files (*.ics);;All files (*)"))
        if path:
            self.import_invitation(Path(path))

    def import_invitation(self, path: Path) -> bool:
        """Fill the form from the invitation at ``path`` (its first event); False with the reason
        under the form when the file cannot be read.  Nothing is saved until Save."""
        from desktop.schedule.ical_import import MAX_FILE_BYTES, CalendarFileError, read_invitation

        try:
            with path.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
            imported = read_invitation(data, default_timezone=self.timezone_combo.currentText().strip() or "UTC")
        except OSError as error:
            self.show_problems([ValidationError("general", self.tr("The invitation could not be read: {reason}")
                                                .format(reason=error.strerror or str(error)))])
            return False
        except (CalendarFileError, PupitreError) as error:
            self.show_problems([ValidationError("general", error.sentence)])
            return False
        first = imported[0]
        self._fill(first.webinar, None, first.webinar.timezone, None)
        self._render_repeat()
        self.imported_overrides = list(first.overrides)
        self._imported_uid = first.webinar.uid
        notes = list(first.notes)
        if len(imported) > 1:
            notes.append(self.tr("The file holds {count} events; the form shows the first one (“pupitre schedule "
                                 "import” adds them all).").format(count=len(imported)))
        if first.overrides:
            notes.append(self.tr("{count} cancelled or changed occurrences of the invitation are kept.").format(
                count=len(first.overrides)))
        self.show_problems([])
        self.import_note.setText("\n".join(notes))
        self.import_note.setVisible(bool(notes))
        return True

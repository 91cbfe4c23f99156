"""What a scheduled webinar is: its identity, its time, its repeat rule and its BBB options.

Identity is fixed at creation and never derived again (Pod weakness #10): ``meeting_id`` (the BBB
meetingID, Pod's ``"%04d-%s" % (id, slugify(title))``) and ``room`` (10 lowercase hex characters,
the handle the gateway calls use) stay the same when the title changes, so renaming a running
webinar cannot break its stop and chat calls.

Every field is checked here, in the model (Pod weakness #15), and each problem is a
:class:`~desktop.schedule.errors.ValidationError` naming its field with a sentence fit to show next
to that field.  :meth:`Webinar.problems` lists them all for a form; :meth:`Webinar.validate`
raises the first.

Times: ``start`` is an aware datetime shown in the webinar's ``timezone``; repeats are computed
in that zone's wall time (see :mod:`desktop.schedule.occurrences`).  ``duration`` is elapsed time:
a 2 h webinar lasts 2 h even across a daylight-saving change.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from desktop.i18n import N_, _, ngettext
from desktop.schedule.errors import ValidationError
from desktop.schedule.localtime import load_zone, resolve_local

__all__ = [
    "ALWAYS_ACCEPT",
    "Frequency",
    "MonthlyType",
    "OccurrenceOverride",
    "Recurrence",
    "ValidationError",
    "Webinar",
    "WebinarOptions",
    "make_meeting_id",
    "new_room",
    "slugify",
]

ALWAYS_ACCEPT = "ALWAYS_ACCEPT"
GUEST_POLICIES = ("ALWAYS_ACCEPT", "ALWAYS_DENY", "ASK_MODERATOR")

TITLE_MIN = 2
TITLE_MAX = 250  # Pod's Meeting.name
MAX_DURATION = timedelta(hours=24)
INTERVAL_MAX = 100  # Pod's frequency field
COUNT_MAX = 1000
TEXT_MAX = 5000  # welcome and moderator-only messages travel in a BBB create query string
# The presenter, the streaming gateway and Pupitre's chat monitor each take a seat in BBB.
MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 100_000
ROOM_RE = re.compile(r"^[0-9a-f]{10}$")
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # line breaks and tabs allowed

# English; translate with _() where shown
WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
                 N_("Saturday"), N_("Sunday"))


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


class MonthlyType(StrEnum):
    """How a monthly webinar finds its day (Pod's ``monthly_type``).

    DATE_DAY: the same day of the month as the start (the 31st); months without that day are
        skipped, as iCalendar does (no silent move to the 30th).
    NTH_DAY: the same n-th weekday as the start ("3rd Tuesday"), with Pod's rule
        ``n = (day - 1) // 7 + 1``; a start in the 5th week means "5th Tuesday", and months
        without a 5th Tuesday are skipped (it never silently becomes "last Tuesday").
    """

    DATE_DAY = "date_day"
    NTH_DAY = "nth_day"


def slugify(text: str) -> str:
    """Django's ``slugify``: fold to ASCII, lower-case, drop punctuation, join words with hyphens.

    NFKD splits accented letters ("é" -> "e" + accent) so the ASCII encoding keeps the letter and
    drops the accent; characters with no ASCII form (CJK, emoji) disappear.
    """
    value = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s]+", "-", value).strip("-_")


SLUG_MAX = 48


def make_meeting_id(webinar_id: int, title: str) -> str:
    """Pod's BBB meetingID, ``"%04d-%s" % (id, slugify(title))``.

    A title with no ASCII letters at all (a Chinese title) would give ``"0042-"``: we use
    ``"webinar"`` as the slug then.  The slug is cut at 48 characters (at a word boundary when
    possible) so that the ID is at most 53 characters: short enough to serve as a gateway room
    or a join-page path segment (63 characters at most), and far under BBB's 256.

    Note: the number is local to this computer's database, so two Pupitre installations that share
    one BBB server can produce the same ID; the go-live step must not assume that a meeting
    with this ID on the server is ours.
    """
    if webinar_id < 1:
        raise ValueError("a webinar gets its meeting ID once it has a number")
    slug = slugify(title)
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[SLUG_MAX // 2:] else cut
    slug = slug.strip("-_") or "webinar"
    return f"{webinar_id:04d}-{slug}"


def new_room() -> str:
    """A fresh room handle: 10 lowercase hex characters, like Pod's ``hashkey[-10:]``."""
    return secrets.token_hex(5)


def new_uid() -> str:
    import uuid  # (and the platform module it loads) when a webinar is created, not at start

    return str(uuid.uuid4())


@dataclass(frozen=True, kw_only=True)
class Recurrence:
    """How a webinar repeats (Pod's recurrence fields, validated).

    Attributes:
        freq: daily, weekly, monthly or yearly.
        interval: every ``interval`` days/weeks/months/years, 1 to 100.
        weekdays: for weekly only, the days (0 = Monday ... 6 = Sunday); empty means the start's
            day.  It must include the start's day, since the first webinar is the start itself.
        monthly_type: for monthly only, see :class:`MonthlyType`.
        until: last possible day (inclusive, in the webinar's time zone), or None.
        count: number of occurrences, or None.  With both, the series stops at whichever comes
            first; with neither, it repeats without end.
    """

    freq: Frequency
    interval: int = 1
    weekdays: frozenset[int] = frozenset()
    monthly_type: MonthlyType = MonthlyType.DATE_DAY
    until: date | None = None
    count: int | None = None

    def problems(self, start: datetime | None = None) -> list[ValidationError]:
        """Every problem with this rule; ``start`` (local) enables the checks against the start."""
        found: list[ValidationError] = []
        if not isinstance(self.freq, Frequency):
            found.append(ValidationError("freq", _("Choose how the webinar repeats: daily, weekly, monthly or yearly.")))
        if isinstance(self.interval, bool) or not isinstance(self.interval, int) or not 1 <= self.interval <= INTERVAL_MAX:
            found.append(ValidationError("interval", _("The repeat interval must be a whole number from 1 to {max}.").format(
                max=INTERVAL_MAX)))
        if self.weekdays:
            if self.freq != Frequency.WEEKLY:
                found.append(ValidationError("weekdays", _("Days of the week only apply to a weekly webinar.")))
            elif any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in self.weekdays):
                found.append(ValidationError("weekdays", _("Days of the week are numbered 0 (Monday) to 6 (Sunday).")))
            elif start is not None and start.weekday() not in self.weekdays:
                found.append(
                    ValidationError(
                        "weekdays",
                        _("The days of the week must include {day}, the day of the first webinar.").format(
                            day=_(WEEKDAY_NAMES[start.weekday()])),
                    )
                )
        if not isinstance(self.monthly_type, MonthlyType):
            found.append(ValidationError(
                "monthly_type", _("A monthly webinar repeats on the same date or on the same weekday of the month.")))
        elif self.monthly_type != MonthlyType.DATE_DAY and self.freq != Frequency.MONTHLY:
            found.append(ValidationError(
                "monthly_type", _("Repeating by weekday of the month only applies to a monthly webinar.")))
        if self.count is not None and (
            isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= COUNT_MAX
        ):
            found.append(ValidationError("count", _("The number of occurrences must be from 1 to {max}.").format(max=COUNT_MAX)))
        if self.until is not None:
            if not isinstance(self.until, date) or isinstance(self.until, datetime):
                found.append(ValidationError("until", _("The end of the repeat must be a date.")))
            elif start is not None and self.until < start.date():
                found.append(ValidationError("until", _("The repeat cannot end before the first webinar.")))
        return found

    def validate(self, start: datetime | None = None) -> None:
        found = self.problems(start)
        if found:
            raise found[0]

    def days_of_week(self, start: datetime) -> frozenset[int]:
        """The weekly days, the start's day when none were chosen."""
        return self.weekdays or frozenset({start.weekday()})


@dataclass(kw_only=True)
class WebinarOptions:
    """The BBB and streaming options of a webinar.

    Attributes:
        chat_enabled: the audience may send chat messages.
        chat_in_stream: the BBB chat panel is shown in the video.  Separate from ``chat_enabled``
            on purpose: Pod tied both to one field and they drifted apart (weakness #6).
        record: ask BBB to record.
        welcome: BBB welcome message.
        moderator_only_message: shown to moderators only (may carry the audience link).
        max_participants: BBB seat limit, None for the server's default.
        guest_policy: always ALWAYS_ACCEPT: the streaming gateway joins as an anonymous guest and
            must not wait in a lobby.  Stored so the BBB create call reads it from one place.
        preferred_gateway: the gateway name (settings) to stream with, or None for any.
        profile: the BBB profile name (settings), or None for the default one.
    """

    chat_enabled: bool = True
    chat_in_stream: bool = True
    record: bool = False
    welcome: str = ""
    moderator_only_message: str = ""
    max_participants: int | None = None
    guest_policy: str = ALWAYS_ACCEPT
    preferred_gateway: str | None = None
    profile: str | None = None

    def problems(self) -> list[ValidationError]:
        found: list[ValidationError] = []
        for name in ("chat_enabled", "chat_in_stream", "record"):
            if not isinstance(getattr(self, name), bool):
                found.append(ValidationError(name, _("This option is either on or off.")))
        # whole sentences per field (a label glued into one sentence would not translate)
        text_sentences = {
            "welcome": (
                _("The welcome message must be text."),
                _("The welcome message is too long ({length} characters, at most {max})."),
                _("The welcome message contains invisible control characters."),
            ),
            "moderator_only_message": (
                _("The moderator message must be text."),
                _("The moderator message is too long ({length} characters, at most {max})."),
                _("The moderator message contains invisible control characters."),
            ),
        }
        for name, (not_text, too_long, control) in text_sentences.items():
            text = getattr(self, name)
            if not isinstance(text, str):
                found.append(ValidationError(name, not_text))
            elif len(text) > TEXT_MAX:
                found.append(ValidationError(name, too_long.format(length=len(text), max=TEXT_MAX)))
            elif _TEXT_CONTROL_RE.search(text):
                found.append(ValidationError(name, control))
        limit = self.max_participants
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or not MIN_PARTICIPANTS <= limit <= MAX_PARTICIPANTS
        ):
            found.append(
                ValidationError(
                    "max_participants",
                    _("The participant limit must be from {min} to {max}: the presenter, the streaming "
                      "gateway and Pupitre's chat monitor each take a seat.").format(
                        min=MIN_PARTICIPANTS, max=MAX_PARTICIPANTS),
                )
            )
        if self.guest_policy != ALWAYS_ACCEPT:
            found.append(
                ValidationError(
                    "guest_policy",
                    _("A webinar must let every guest in (ALWAYS_ACCEPT), or the streaming gateway "
                      "would wait in the lobby."),
                )
            )
        name_sentences = {
            "preferred_gateway": _("“{value}” is not a valid gateway name (letters, digits, - and _)."),
            "profile": _("“{value}” is not a valid BBB profile name (letters, digits, - and _)."),
        }
        for name, sentence in name_sentences.items():
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not NAME_RE.match(value)):
                found.append(ValidationError(name, sentence.format(value=value)))
        return found


@dataclass(kw_only=True)
class Webinar:
    """A scheduled webinar, possibly repeating.

    Attributes:
        id: the database number, 0 until the store saves it.
        uid: a UUID, stable forever (for exports and for matching across devices).
        title: 2 to 250 characters, no control characters.
        meeting_id: the BBB meetingID, set once by the store when it saves the webinar.
        room: 10 lowercase hex characters, stable and unique, set once by the store.
        start: the first occurrence, aware, shown in ``timezone``.
        duration: elapsed time of each occurrence, whole minutes, up to 24 h.
        timezone: IANA zone name whose wall clock the repeats follow.
        recurrence: the repeat rule, or None for a single webinar.
        options: BBB and streaming options.
        created_at / updated_at: UTC, set by the store.
    """

    title: str
    start: datetime
    duration: timedelta
    timezone: str
    recurrence: Recurrence | None = None
    options: WebinarOptions = field(default_factory=WebinarOptions)
    id: int = 0
    uid: str = field(default_factory=new_uid)
    meeting_id: str = ""
    room: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def end(self) -> datetime:
        """End of the first occurrence (elapsed time, computed in UTC)."""
        return elapsed_end(self.start, self.duration)

    def local_start(self) -> datetime:
        """``start`` in the webinar's zone (validates the zone)."""
        return self.start.astimezone(load_zone(self.timezone))

    def problems(self) -> list[ValidationError]:
        """Every problem, in the order of the form's fields."""
        found = title_problems(self.title)
        local: datetime | None = None
        try:
            zone = load_zone(self.timezone)
        except ValidationError as error:
            found.append(error)
            zone = None
        if not isinstance(self.start, datetime) or self.start.tzinfo is None or self.start.utcoffset() is None:
            found.append(ValidationError("start", _("The start needs a date, a time and a time zone.")))
        elif zone is not None:
            local = self.start.astimezone(zone)
        found.extend(duration_problems(self.duration))
        if self.recurrence is not None:
            if isinstance(self.recurrence, Recurrence):
                found.extend(self.recurrence.problems(local))
            else:
                found.append(ValidationError("recurrence", _("The repeat rule is not understood.")))
        if isinstance(self.options, WebinarOptions):
            found.extend(self.options.problems())
        else:
            found.append(ValidationError("options", _("The webinar options are not understood.")))
        if self.room and not ROOM_RE.match(self.room):
            found.append(ValidationError("room", _("The room must be 10 lowercase hexadecimal characters.")))
        return found

    def validate(self) -> None:
        found = self.problems()
        if found:
            raise found[0]

    def normalized(self) -> Webinar:
        """A validated copy with ``start`` shown in its own zone (what the store keeps)."""
        self.validate()
        return replace(self, start=self.start.astimezone(load_zone(self.timezone)))


@dataclass(kw_only=True)
class OccurrenceOverride:
    """A change to one occurrence of a series, leaving the series alone.

    Attributes:
        webinar_id: the series.
        index: 0-based position in the series (cancelled occurrences keep their index).
        start: a new start (an absolute moment), or None to keep the series' time.
        duration: a new duration, or None.
        title: a new title, or None.
        cancelled: this occurrence does not take place.
        original_date: the local date the series gave this index when the override was made.
            If a later series edit gives the index another date, the override no longer says
            anything true about it and the store drops it.
    """

    webinar_id: int
    index: int
    start: datetime | None = None
    duration: timedelta | None = None
    title: str | None = None
    cancelled: bool = False
    original_date: date | None = None

    def problems(self) -> list[ValidationError]:
        found: list[ValidationError] = []
        if isinstance(self.index, bool) or not isinstance(self.index, int) or self.index < 0:
            found.append(ValidationError("occurrence", _("Occurrences are numbered from 0.")))
        if self.title is not None:
            found.extend(title_problems(self.title))
        if self.start is not None and (
            not isinstance(self.start, datetime) or self.start.tzinfo is None or self.start.utcoffset() is None
        ):
            found.append(ValidationError("start", _("The start needs a date, a time and a time zone.")))
        if self.duration is not None:
            found.extend(duration_problems(self.duration))
        if not isinstance(self.cancelled, bool):
            found.append(ValidationError("cancelled", _("An occurrence is either cancelled or not.")))
        return found

    def validate(self) -> None:
        found = self.problems()
        if found:
            raise found[0]

    @property
    def is_empty(self) -> bool:
        """Says nothing different from the series (nothing to store)."""
        return self.start is None and self.duration is None and self.title is None and not self.cancelled


def title_problems(title: object) -> list[ValidationError]:
    if not isinstance(title, str) or len(title.strip()) < TITLE_MIN:
        return [ValidationError("title", ngettext("The title needs at least {min} character.",
                                                  "The title needs at least {min} characters.",
                                                  TITLE_MIN).format(min=TITLE_MIN))]
    if len(title) > TITLE_MAX:
        return [ValidationError("title", _("The title is too long ({length} characters, at most {max}).").format(
            length=len(title), max=TITLE_MAX))]
    if _CONTROL_RE.search(title):
        return [ValidationError("title", _("The title cannot contain line breaks or control characters."))]
    return []


def duration_problems(duration: object) -> list[ValidationError]:
    if not isinstance(duration, timedelta):
        return [ValidationError("duration", _("The duration is not understood."))]
    if duration < timedelta(minutes=1):
        return [ValidationError("duration", _("A webinar must last at least one minute."))]
    if duration > MAX_DURATION:
        return [ValidationError("duration", _("A webinar can last at most 24 hours."))]
    if duration % timedelta(minutes=1):
        return [ValidationError("duration", _("The duration must be a whole number of minutes."))]
    return []


def elapsed_end(start: datetime, duration: timedelta) -> datetime:
    """``start + duration`` as elapsed time, shown in ``start``'s zone.

    Python adds a timedelta to an aware datetime on the wall clock, which makes a 2 h webinar
    starting at 01:30 on the autumn change last 3 h; going through UTC avoids that.
    """
    zone = start.tzinfo
    return (start.astimezone(UTC) + duration).astimezone(zone)


def local_datetime(naive: datetime, timezone: str, *, fold: int = 0) -> datetime:
    """A naive wall time read in ``timezone`` (see :func:`~desktop.schedule.localtime.resolve_local`)."""
    return resolve_local(naive, load_zone(timezone), fold=fold)


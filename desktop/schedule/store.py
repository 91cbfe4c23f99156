"""The webinar schedule, kept in the app's SQLite database.

Why these choices:

* **Local wall time is stored, not UTC.**  A future webinar is "10:00 in Paris", so the row keeps
  ``2026-12-01T10:00:00`` + ``Europe/Paris`` (+ the ``fold`` of an ambiguous time), as iCalendar
  does.  If the zone's rules change before the day, the webinar stays at 10:00 local.  A single
  moved occurrence (an override) is a concrete moment and is kept in UTC.
* **One schema version per component.**  The database file is shared with the other parts of
  Pupitre, so ``PRAGMA user_version`` (one number per file) would be fought over; the shared
  ``schema_versions`` table (:mod:`desktop.store`) keeps one row per component, here
  ``"schedule"``.  The missing steps of :data:`MIGRATIONS` run in one transaction, and a database
  written by a newer Pupitre is refused rather than guessed at.
* **WAL mode** (:func:`desktop.store.open_database`) lets the GUI read while a
  ``pupitre schedule`` command writes; writers wait for each other up to the busy timeout.
* **Nothing secret is stored here**: no BBB secret, no gateway token, no signed URL.  Options are
  plain texts and names of profiles and gateways, whose secrets live in the keyring.

Thread safety: one connection per store, guarded by a lock, so a store may be shared between
threads.  Each call is a few small statements; an asyncio program may call it directly for
occasional use or through ``asyncio.to_thread`` to keep the loop free of disk waits.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.i18n import N_, _
from desktop.schedule.errors import ScheduleStoreError, ValidationError, WebinarNotFoundError
from desktop.schedule.localtime import load_zone, resolve_local
from desktop.schedule.models import (
    Frequency,
    MonthlyType,
    OccurrenceOverride,
    Recurrence,
    Webinar,
    WebinarOptions,
    make_meeting_id,
    new_room,
)
from desktop.schedule.occurrences import (
    Occurrence,
    base_start,
    next_occurrence,
    occurrence_at,
    occurrences,
    override_still_valid,
    upcoming,
)
from desktop.store import migrate, open_database

logger = logging.getLogger(__name__)

# one whole sentence per failed action (translated where raised)
_FAILURES = {
    "opened": N_("The schedule database {where} could not be opened ({error})."),
    "read": N_("The schedule database {where} could not be read ({error})."),
    "written": N_("The schedule database {where} could not be written ({error})."),
}

COMPONENT = "schedule"


# The schedule's migrations: MIGRATIONS[n] is the SQL script that takes the schema from version n
# to n + 1.  The list only ever grows; never edit a step that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE webinars (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        meeting_id TEXT NOT NULL UNIQUE,
        room TEXT NOT NULL UNIQUE CHECK (length(room) = 10),
        start_local TEXT NOT NULL,
        start_fold INTEGER NOT NULL DEFAULT 0 CHECK (start_fold IN (0, 1)),
        timezone TEXT NOT NULL,
        duration_seconds INTEGER NOT NULL CHECK (duration_seconds > 0),
        repeat_freq TEXT CHECK (repeat_freq IN ('daily', 'weekly', 'monthly', 'yearly')),
        repeat_interval INTEGER NOT NULL DEFAULT 1,
        repeat_weekdays TEXT NOT NULL DEFAULT '',
        repeat_monthly_type TEXT NOT NULL DEFAULT 'date_day',
        repeat_until TEXT,
        repeat_count INTEGER,
        options TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE occurrence_overrides (
        webinar_id INTEGER NOT NULL REFERENCES webinars (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL CHECK (idx >= 0),
        original_date TEXT,
        start_utc TEXT,
        duration_seconds INTEGER,
        title TEXT,
        cancelled INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (webinar_id, idx)
    )
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    """The schedule's schema version in ``db`` (0 for a database it has never touched)."""
    row = db.execute("SELECT version FROM schema_versions WHERE component = ?", (COMPONENT,)).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class SeriesUpdate:
    """The result of a series edit: the saved webinar and the overrides that no longer fit."""

    webinar: Webinar
    dropped: list[OccurrenceOverride]


class ScheduleStore:
    """Webinars and occurrence overrides in one SQLite file.

    Identity (``id``, ``uid``, ``meeting_id``, ``room``, ``created_at``) is set by :meth:`add`
    and never changed by :meth:`update`.
    """

    def __init__(self, path: Path | str, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        try:
            self._db = open_database(path)
        except (OSError, sqlite3.Error) as error:
            raise self._failure("opened", error) from None
        try:
            self._db.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, fewer disk flushes
            found = schema_version(self._db)
            if found > SCHEMA_VERSION:
                raise ScheduleStoreError(
                    _("The schedule database was written by a newer Pupitre (schema {found}, this one "
                      "knows {known}).").format(found=found, known=SCHEMA_VERSION),
                    hint=_("Update Pupitre, or use another PUPITRE_HOME."),
                )
            migrate(self._db, COMPONENT, MIGRATIONS)
        except ScheduleStoreError:
            self._db.close()
            raise
        except (sqlite3.Error, RuntimeError) as error:
            self._db.close()
            raise self._failure("opened", error) from None

    # -- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> ScheduleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self._lock, self._guard("read"):
            return schema_version(self._db)

    # -- webinars --------------------------------------------------------------------------

    def add(self, webinar: Webinar) -> Webinar:
        """Save a new webinar; returns it with its number, meeting ID, room and timestamps.

        A ``room`` or ``meeting_id`` already set on ``webinar`` is kept (imports); otherwise the
        room is drawn at random and the meeting ID computed from the new number and the title.
        """
        webinar = webinar.normalized()
        now = self._now()
        with self._lock, self._guard("written"):
            for attempt in range(8):
                room = webinar.room or new_room()
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                    cursor = self._db.execute(
                        "INSERT INTO webinars (uid, title, meeting_id, room, start_local, start_fold, "
                        "timezone, duration_seconds, repeat_freq, repeat_interval, repeat_weekdays, "
                        "repeat_monthly_type, repeat_until, repeat_count, options, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            webinar.uid,
                            webinar.title,
                            webinar.meeting_id or f"pending-{webinar.uid}",
                            room,
                            *_start_columns(webinar),
                            webinar.timezone,
                            _seconds(webinar.duration),
                            *_recurrence_columns(webinar.recurrence),
                            _options_json(webinar.options),
                            now.isoformat(),
                            now.isoformat(),
                        ),
                    )
                    number = int(cursor.lastrowid or 0)
                    meeting_id = webinar.meeting_id or make_meeting_id(number, webinar.title)
                    self._db.execute("UPDATE webinars SET meeting_id = ? WHERE id = ?", (meeting_id, number))
                    self._db.execute("COMMIT")
                except sqlite3.IntegrityError as error:
                    self._db.execute("ROLLBACK")
                    column = _unique_column(error)
                    if column == "room" and not webinar.room and attempt < 7:
                        continue  # one chance in a trillion: draw another room
                    raise _duplicate(column, webinar) from None
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
                return replace(
                    webinar, id=number, meeting_id=meeting_id, room=room, created_at=now, updated_at=now
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, webinar_id: int) -> Webinar:
        found = self._select("WHERE id = ?", (webinar_id,)) if _storable(webinar_id) else []
        if not found:
            raise WebinarNotFoundError(_("There is no webinar number {number}.").format(number=webinar_id),
                                       hint=_("See “pupitre schedule list”."))
        return found[0]

    def get_by_meeting_id(self, meeting_id: str) -> Webinar:
        found = self._select("WHERE meeting_id = ?", (meeting_id,))
        if not found:
            raise WebinarNotFoundError(
                _("No scheduled webinar has the meeting ID “{meeting_id}”.").format(meeting_id=meeting_id))
        return found[0]

    def webinars(self) -> list[Webinar]:
        """Every webinar, by number."""
        return self._select("ORDER BY id", ())

    def _select(self, clause: str, parameters: tuple[Any, ...]) -> list[Webinar]:
        with self._lock, self._guard("read"):
            cursor = self._db.execute(f"SELECT * FROM webinars {clause}", parameters)
            names = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        return [_webinar_from_row(dict(zip(names, row, strict=True))) for row in rows]

    def update(self, webinar: Webinar) -> SeriesUpdate:
        """Save a series edit: every field but the identity.

        Overrides of single occurrences are kept when the edited series still has that occurrence
        on the same date (see :func:`~desktop.schedule.occurrences.override_still_valid`); the
        others are deleted and returned in :attr:`SeriesUpdate.dropped`.
        """
        with self._lock:
            current = self.get(webinar.id)
            edited = replace(
                webinar.normalized(),
                uid=current.uid,
                meeting_id=current.meeting_id,
                room=current.room,
                created_at=current.created_at,
                updated_at=self._now(),
            )
            assert edited.updated_at is not None
            dropped = [change for change in self.overrides(webinar.id) if not override_still_valid(edited, change)]
            with self._guard("written"), self._transaction():
                self._db.execute(
                    "UPDATE webinars SET title = ?, start_local = ?, start_fold = ?, timezone = ?, "
                    "duration_seconds = ?, repeat_freq = ?, repeat_interval = ?, repeat_weekdays = ?, "
                    "repeat_monthly_type = ?, repeat_until = ?, repeat_count = ?, options = ?, "
                    "updated_at = ? WHERE id = ?",
                    (
                        edited.title,
                        *_start_columns(edited),
                        edited.timezone,
                        _seconds(edited.duration),
                        *_recurrence_columns(edited.recurrence),
                        _options_json(edited.options),
                        edited.updated_at.isoformat(),
                        edited.id,
                    ),
                )
                self._db.executemany(
                    "DELETE FROM occurrence_overrides WHERE webinar_id = ? AND idx = ?",
                    [(change.webinar_id, change.index) for change in dropped],
                )
        for change in dropped:
            logger.info("webinar %d: occurrence %d override dropped by a series edit", change.webinar_id, change.index)
        return SeriesUpdate(edited, dropped)

    def remove(self, webinar_id: int) -> None:
        """Delete a webinar and its overrides."""
        deleted = 0
        if _storable(webinar_id):
            with self._lock, self._guard("written"), self._transaction():
                deleted = self._db.execute("DELETE FROM webinars WHERE id = ?", (webinar_id,)).rowcount
        if not deleted:
            raise WebinarNotFoundError(_("There is no webinar number {number}.").format(number=webinar_id),
                                       hint=_("See “pupitre schedule list”."))

    # -- single occurrences ---------------------------------------------------------------

    def overrides(self, webinar_id: int) -> list[OccurrenceOverride]:
        with self._lock, self._guard("read"):
            rows = self._db.execute(
                "SELECT webinar_id, idx, original_date, start_utc, duration_seconds, title, cancelled "
                "FROM occurrence_overrides WHERE webinar_id = ? ORDER BY idx",
                (webinar_id,),
            ).fetchall()
        return [_override_from_row(row) for row in rows]

    def edit_occurrence(
        self,
        webinar_id: int,
        index: int,
        *,
        start: datetime | None = None,
        duration: timedelta | None = None,
        title: str | None = None,
        cancelled: bool | None = None,
    ) -> OccurrenceOverride | None:
        """Change one occurrence only; the values given replace those of any earlier override.

        Returns the override now stored, or None when it no longer differs from the series.
        """
        with self._lock:
            webinar = self.get(webinar_id)
            base = base_start(webinar, index) if index >= 0 else None
            if base is None:
                raise ValidationError("occurrence", _("Webinar {number} has no occurrence number {index}.").format(
                    number=webinar_id, index=index))
            previous = {change.index: change for change in self.overrides(webinar_id)}.get(index)
            merged = previous or OccurrenceOverride(webinar_id=webinar_id, index=index)
            merged = replace(
                merged,
                start=start if start is not None else merged.start,
                duration=duration if duration is not None else merged.duration,
                title=title if title is not None else merged.title,
                cancelled=cancelled if cancelled is not None else merged.cancelled,
                original_date=base.date(),
            )
            merged.validate()
            with self._guard("written"), self._transaction():
                if merged.is_empty:
                    self._delete_override(webinar_id, index)
                    return None
                self._db.execute(
                    "INSERT INTO occurrence_overrides (webinar_id, idx, original_date, start_utc, "
                    "duration_seconds, title, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (webinar_id, idx) DO UPDATE SET original_date = excluded.original_date, "
                    "start_utc = excluded.start_utc, duration_seconds = excluded.duration_seconds, "
                    "title = excluded.title, cancelled = excluded.cancelled",
                    (
                        webinar_id,
                        index,
                        base.date().isoformat(),
                        merged.start.astimezone(UTC).isoformat() if merged.start else None,
                        _seconds(merged.duration) if merged.duration is not None else None,
                        merged.title,
                        int(merged.cancelled),
                    ),
                )
            return merged

    def restore_occurrence(self, webinar_id: int, index: int) -> bool:
        """Forget the override of one occurrence; returns whether there was one."""
        with self._lock:
            self.get(webinar_id)
            with self._guard("written"), self._transaction():
                return self._delete_override(webinar_id, index)

    def _delete_override(self, webinar_id: int, index: int) -> bool:
        cursor = self._db.execute(
            "DELETE FROM occurrence_overrides WHERE webinar_id = ? AND idx = ?", (webinar_id, index)
        )
        return cursor.rowcount > 0

    # -- queries ---------------------------------------------------------------------------

    def occurrences(
        self,
        webinar_id: int,
        start_from: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        *,
        include_cancelled: bool = True,
    ) -> list[Occurrence]:
        """:func:`~desktop.schedule.occurrences.occurrences` with the stored overrides."""
        with self._lock:
            webinar = self.get(webinar_id)
            changes = self.overrides(webinar_id)
        return occurrences(webinar, start_from, until, limit, overrides=changes, include_cancelled=include_cancelled)

    def occurrence(self, webinar_id: int, index: int) -> Occurrence | None:
        """Occurrence ``index`` of a webinar, overrides applied; None if the series has no such one."""
        with self._lock:
            webinar = self.get(webinar_id)
            changes = self.overrides(webinar_id)
        return occurrence_at(webinar, index, changes)

    def upcoming(self, now: datetime, horizon: timedelta, *, include_cancelled: bool = True) -> list[Occurrence]:
        """Every occurrence of every webinar between ``now`` and ``now + horizon``, soonest first."""
        return upcoming(self._entries(), now, horizon, include_cancelled=include_cancelled)

    def next_occurrence(self, now: datetime) -> Occurrence | None:
        """The occurrence running at ``now``, or else the next one to start (cancelled skipped)."""
        return next_occurrence(self._entries(), now)

    def _entries(self) -> list[tuple[Webinar, list[OccurrenceOverride]]]:
        with self._lock:
            return [(webinar, self.overrides(webinar.id)) for webinar in self.webinars()]

    # -- plumbing --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise self._failure(action, error) from None

    def _failure(self, action: str, error: BaseException) -> ScheduleStoreError:
        where = str(self.path) if self.path is not None else "memory"
        logger.warning("schedule database %s could not be %s: %s", where, action, error)
        sentence = _FAILURES.get(action, _FAILURES["read"])
        return ScheduleStoreError(
            _(sentence).format(where=where, error=error),
            hint=_("Check that the disk is not full and that no other program holds the file."),
        )


# -- rows <-> models -------------------------------------------------------------------------


_SQLITE_MAX_INT = 2**63 - 1


def _storable(number: int) -> bool:
    """SQLite integers are 64-bit: a larger number (typed by hand) cannot name any row."""
    return -_SQLITE_MAX_INT - 1 <= number <= _SQLITE_MAX_INT


def _seconds(duration: timedelta) -> int:
    return int(duration.total_seconds())


def _start_columns(webinar: Webinar) -> tuple[str, int]:
    local = webinar.start.astimezone(load_zone(webinar.timezone))
    return local.replace(tzinfo=None, fold=0).isoformat(), local.fold


def _recurrence_columns(rule: Recurrence | None) -> tuple[Any, ...]:
    if rule is None:
        return (None, 1, "", "date_day", None, None)
    return (
        str(rule.freq),
        rule.interval,
        "".join(str(day) for day in sorted(rule.weekdays)),
        str(rule.monthly_type),
        rule.until.isoformat() if rule.until else None,
        rule.count,
    )


def _options_json(options: WebinarOptions) -> str:
    return json.dumps(asdict(options), ensure_ascii=False, sort_keys=True)


def _webinar_from_row(row: dict[str, Any]) -> Webinar:
    zone = load_zone(row["timezone"])
    start = resolve_local(datetime.fromisoformat(row["start_local"]), zone, fold=int(row["start_fold"]))
    rule = None
    if row["repeat_freq"]:
        rule = Recurrence(
            freq=Frequency(row["repeat_freq"]),
            interval=int(row["repeat_interval"]),
            weekdays=frozenset(int(day) for day in row["repeat_weekdays"]),
            monthly_type=MonthlyType(row["repeat_monthly_type"]),
            until=date.fromisoformat(row["repeat_until"]) if row["repeat_until"] else None,
            count=int(row["repeat_count"]) if row["repeat_count"] is not None else None,
        )
    return Webinar(
        id=int(row["id"]),
        uid=row["uid"],
        title=row["title"],
        meeting_id=row["meeting_id"],
        room=row["room"],
        start=start,
        duration=timedelta(seconds=int(row["duration_seconds"])),
        timezone=row["timezone"],
        recurrence=rule,
        options=_options_from_json(row["options"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _options_from_json(text: str) -> WebinarOptions:
    """Options from their JSON column: unknown keys (from a newer Pupitre) are ignored."""
    try:
        data = json.loads(text)
    except ValueError:
        data = {}
    known = {name: value for name, value in (data if isinstance(data, dict) else {}).items()
             if name in WebinarOptions.__dataclass_fields__}
    return WebinarOptions(**known)


def _override_from_row(row: tuple[Any, ...]) -> OccurrenceOverride:
    webinar_id, index, original, start, seconds, title, cancelled = row
    return OccurrenceOverride(
        webinar_id=int(webinar_id),
        index=int(index),
        start=datetime.fromisoformat(start) if start else None,
        duration=timedelta(seconds=int(seconds)) if seconds is not None else None,
        title=title,
        cancelled=bool(cancelled),
        original_date=date.fromisoformat(original) if original else None,
    )


def _unique_column(error: sqlite3.IntegrityError) -> str:
    """``"room"`` from ``UNIQUE constraint failed: webinars.room``."""
    message = str(error)
    return message.rsplit(".", 1)[-1].strip() if "UNIQUE" in message else ""


def _duplicate(column: str, webinar: Webinar) -> ValidationError:
    if column == "meeting_id":
        return ValidationError("meeting_id", _("Another webinar already uses the meeting ID “{meeting_id}”.").format(
            meeting_id=webinar.meeting_id))
    if column == "room":
        return ValidationError("room", _("Another webinar already uses the room “{room}”.").format(room=webinar.room))
    if column == "uid":
        return ValidationError("uid", _("This webinar is already in the schedule."))
    return ValidationError("webinar", _("This webinar conflicts with one already in the schedule."))

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.schedule.errors import ScheduleStoreError, ValidationError, WebinarNotFoundError
from desktop.schedule.models import Frequency, MonthlyType, Recurrence, Webinar, WebinarOptions
from desktop.schedule.store import COMPONENT, SCHEMA_VERSION, ScheduleStore
from tests.schedule.helpers import paris, webinar

CREATED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "pupitre.sqlite3"


@pytest.fixture
def store(db_path: Path):  # type: ignore[no-untyped-def]
    with ScheduleStore(db_path, clock=lambda: CREATED) as opened:
        yield opened


def draft(**changes: Any) -> Webinar:
    base = webinar(
        paris(2026, 12, 1),
        Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({1, 3}), until=date(2027, 1, 31)),
        id=0,
        title="Amphi L1 — Économie",
        duration=timedelta(minutes=90),
        options=WebinarOptions(chat_in_stream=False, record=True, welcome="Bienvenue", max_participants=10,
                               preferred_gateway="campus", profile="default"),
    )
    return replace(base, **changes)


def test_add_gives_identity_once(store: ScheduleStore) -> None:
    saved = store.add(draft())
    assert saved.id == 1
    assert saved.meeting_id == "0001-amphi-l1-economie"
    assert len(saved.room) == 10 and set(saved.room) <= set("0123456789abcdef")
    assert saved.created_at == saved.updated_at == CREATED
    second = store.add(draft(title="Amphi L1 — Économie"))
    assert second.meeting_id == "0002-amphi-l1-economie" and second.room != saved.room
    assert second.uid != saved.uid


def test_everything_survives_a_reopen(db_path: Path) -> None:
    with ScheduleStore(db_path) as first:
        saved = first.add(draft())
        first.edit_occurrence(saved.id, 2, title="Guest speaker", duration=timedelta(hours=2))
    with ScheduleStore(db_path) as again:
        loaded = again.get(saved.id)
        assert loaded == saved
        assert loaded.start.tzinfo is not None and str(loaded.start.tzinfo) == "Europe/Paris"
        assert loaded.options.chat_in_stream is False and loaded.options.preferred_gateway == "campus"
        (change,) = again.overrides(saved.id)
        assert (change.index, change.title, change.duration, change.original_date) == (
            2, "Guest speaker", timedelta(hours=2), date(2026, 12, 8),
        )  # fmt: skip
        assert again.schema_version() == SCHEMA_VERSION


def test_wall_time_and_zone_are_what_is_stored(store: ScheduleStore, db_path: Path) -> None:
    store.add(draft(start=datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    with sqlite3.connect(db_path) as raw:
        row = raw.execute("SELECT start_local, start_fold, timezone FROM webinars").fetchone()
    raw.close()
    assert row == ("2026-12-01T10:00:00", 0, "Europe/Paris")


def test_ambiguous_start_keeps_its_fold(db_path: Path) -> None:
    second_half_past_two = datetime(2026, 10, 25, 2, 30, tzinfo=paris(2026, 1, 1).tzinfo, fold=1)
    with ScheduleStore(db_path) as first:
        saved = first.add(draft(start=second_half_past_two, recurrence=None))
    with ScheduleStore(db_path) as again:
        loaded = again.get(saved.id).start
    assert loaded.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_schema_version_is_recorded_per_component(db_path: Path) -> None:
    with ScheduleStore(db_path):
        pass
    with sqlite3.connect(db_path) as raw:
        versions = dict(raw.execute("SELECT component, version FROM schema_versions").fetchall())
        mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
    raw.close()
    assert versions[COMPONENT] == SCHEMA_VERSION
    assert mode == "wal"


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    with ScheduleStore(db_path):
        pass
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE schema_versions SET version = ? WHERE component = ?", (SCHEMA_VERSION + 1, COMPONENT))
    raw.close()
    with pytest.raises(ScheduleStoreError, match="newer Pupitre"):
        ScheduleStore(db_path)


def test_a_file_that_is_not_a_database_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ScheduleStoreError) as raised:
        ScheduleStore(path)
    assert str(path) in raised.value.sentence


def test_title_change_keeps_meeting_id_and_room(store: ScheduleStore) -> None:
    saved = store.add(draft())
    update = store.update(replace(saved, title="A completely new name", meeting_id="hacked", room="0000000000"))
    assert update.webinar.meeting_id == saved.meeting_id and update.webinar.room == saved.room
    loaded = store.get(saved.id)
    assert (loaded.title, loaded.meeting_id, loaded.room, loaded.uid) == (
        "A completely new name", saved.meeting_id, saved.room, saved.uid,
    )  # fmt: skip
    assert store.get_by_meeting_id(saved.meeting_id).id == saved.id


def test_meeting_id_and_room_are_unique(store: ScheduleStore) -> None:
    saved = store.add(draft())
    with pytest.raises(ValidationError) as raised:
        store.add(draft(meeting_id=saved.meeting_id))
    assert raised.value.field == "meeting_id"
    with pytest.raises(ValidationError) as raised:
        store.add(draft(room=saved.room))
    assert raised.value.field == "room"
    assert [w.id for w in store.webinars()] == [saved.id]


def test_invalid_webinars_are_not_stored(store: ScheduleStore) -> None:
    with pytest.raises(ValidationError) as raised:
        store.add(draft(recurrence=Recurrence(freq=Frequency.MONTHLY, interval=500)))
    assert raised.value.field == "interval"
    saved = store.add(draft())
    with pytest.raises(ValidationError):
        store.update(replace(saved, duration=timedelta(0)))
    assert store.get(saved.id).duration == timedelta(minutes=90)


def test_series_edit_keeps_valid_overrides_and_drops_the_others(store: ScheduleStore) -> None:
    saved = store.add(draft(recurrence=Recurrence(freq=Frequency.WEEKLY, count=6)))
    store.edit_occurrence(saved.id, 1, title="Moved title")
    store.edit_occurrence(saved.id, 4, cancelled=True)
    store.edit_occurrence(saved.id, 5, start=paris(2027, 1, 6, 14))
    # later time of day, two occurrences fewer: index 1 keeps its date, 4 and 5 are gone
    update = store.update(replace(saved, start=paris(2026, 12, 1, 15), recurrence=Recurrence(freq=Frequency.WEEKLY, count=4)))
    assert sorted(change.index for change in update.dropped) == [4, 5]
    assert [change.index for change in store.overrides(saved.id)] == [1]
    found = store.occurrences(saved.id)
    assert [(o.index, o.start.hour, o.title) for o in found] == [
        (0, 15, saved.title), (1, 15, "Moved title"), (2, 15, saved.title), (3, 15, saved.title),
    ]  # fmt: skip


def test_series_edit_that_changes_dates_drops_overrides(store: ScheduleStore) -> None:
    saved = store.add(draft(recurrence=Recurrence(freq=Frequency.WEEKLY, count=6)))
    store.edit_occurrence(saved.id, 2, title="Third week")
    update = store.update(replace(saved, recurrence=Recurrence(freq=Frequency.DAILY, count=6)))
    assert [change.index for change in update.dropped] == [2]
    assert store.overrides(saved.id) == []


def test_edit_occurrence_merges_and_empties(store: ScheduleStore) -> None:
    saved = store.add(draft(recurrence=Recurrence(freq=Frequency.DAILY, count=3)))
    store.edit_occurrence(saved.id, 1, title="Special")
    merged = store.edit_occurrence(saved.id, 1, cancelled=True)
    assert merged is not None and (merged.title, merged.cancelled) == ("Special", True)
    assert store.occurrence(saved.id, 1).cancelled  # type: ignore[union-attr]
    assert store.restore_occurrence(saved.id, 1) is True
    assert store.restore_occurrence(saved.id, 1) is False
    assert store.edit_occurrence(saved.id, 0, cancelled=False) is None  # nothing differs: nothing kept
    assert store.overrides(saved.id) == []
    with pytest.raises(ValidationError) as raised:
        store.edit_occurrence(saved.id, 3, cancelled=True)
    assert raised.value.field == "occurrence"
    with pytest.raises(ValidationError) as raised:
        store.edit_occurrence(saved.id, 0, title="x")
    assert raised.value.field == "title"


def test_remove_deletes_the_overrides_and_unknown_numbers_are_explained(store: ScheduleStore) -> None:
    saved = store.add(draft())
    store.edit_occurrence(saved.id, 1, cancelled=True)
    store.remove(saved.id)
    assert store.webinars() == []
    assert store.overrides(saved.id) == []
    for call in (lambda: store.get(saved.id), lambda: store.remove(saved.id), lambda: store.edit_occurrence(saved.id, 0, cancelled=True)):
        with pytest.raises(WebinarNotFoundError, match=f"no webinar number {saved.id}"):
            call()
    with pytest.raises(WebinarNotFoundError):
        store.get_by_meeting_id("0001-nothing")


def test_next_occurrence_and_upcoming_across_webinars(store: ScheduleStore) -> None:
    weekly = store.add(draft(recurrence=Recurrence(freq=Frequency.WEEKLY, count=3)))
    monthly = store.add(
        draft(start=paris(2026, 12, 3, 18), recurrence=Recurrence(freq=Frequency.MONTHLY, monthly_type=MonthlyType.NTH_DAY, count=2))
    )
    store.edit_occurrence(weekly.id, 1, cancelled=True)
    now = paris(2026, 12, 2)
    found = store.upcoming(now, timedelta(days=40))
    assert [(o.webinar_id, o.start.date().isoformat(), o.cancelled) for o in found] == [
        (monthly.id, "2026-12-03", False),
        (weekly.id, "2026-12-08", True),
        (weekly.id, "2026-12-15", False),
        (monthly.id, "2027-01-07", False),
    ]
    assert store.next_occurrence(paris(2026, 12, 4)).start == paris(2026, 12, 15)  # type: ignore[union-attr]
    assert store.next_occurrence(paris(2027, 2, 1)) is None


def test_one_store_can_be_shared_between_threads(store: ScheduleStore) -> None:
    errors: list[BaseException] = []

    def work(number: int) -> None:
        try:
            for step in range(5):
                saved = store.add(draft(title=f"Thread {number} webinar {step}"))
                store.edit_occurrence(saved.id, 1, cancelled=True)
                store.webinars()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    stored = store.webinars()
    assert len(stored) == 20
    assert len({w.meeting_id for w in stored}) == len({w.room for w in stored}) == 20


def test_two_stores_on_one_file_see_each_other(db_path: Path) -> None:
    with ScheduleStore(db_path) as gui, ScheduleStore(db_path) as cli:
        saved = cli.add(draft())
        assert gui.get(saved.id).title == saved.title


def test_unknown_option_keys_from_a_newer_version_are_ignored(store: ScheduleStore, db_path: Path) -> None:
    saved = store.add(draft())
    with sqlite3.connect(db_path) as raw:
        raw.execute(
            "UPDATE webinars SET options = json_set(options, '$.future_option', 1, '$.record', json('false'))"
        )
    raw.close()
    loaded = store.get(saved.id)
    assert loaded.options.record is False and loaded.options.welcome == "Bienvenue"


def test_no_secret_shaped_column_exists(store: ScheduleStore, db_path: Path) -> None:
    store.add(draft())
    with sqlite3.connect(db_path) as raw:
        columns = [row[1] for table in ("webinars", "occurrence_overrides")
                   for row in raw.execute(f"PRAGMA table_info({table})").fetchall()]  # fmt: skip
    raw.close()
    assert not [c for c in columns if any(word in c for word in ("secret", "token", "password", "checksum"))]

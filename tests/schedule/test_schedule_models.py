from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from desktop.errors import ConfigError
from desktop.schedule.models import (
    ALWAYS_ACCEPT,
    Frequency,
    MonthlyType,
    OccurrenceOverride,
    Recurrence,
    ValidationError,
    WebinarOptions,
    make_meeting_id,
    new_room,
    slugify,
)
from tests.schedule.helpers import paris, webinar


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Amphi L1", "amphi-l1"),
        ("Économie & Gestion : l'été", "economie-gestion-lete"),
        ("  --Hello__World-- ", "hello__world"),
        ("Cours   n°3 -- partie 2", "cours-n3-partie-2"),  # the degree sign has no ASCII form
        ("Cours nº3", "cours-no3"),  # the ordinal indicator decomposes to "o"
        ("Straße", "strae"),  # ß has no NFKD ASCII form, as in Django
        ("日本語の講義", ""),
        ("ﬁnance ½", "finance-12"),  # compatibility forms fold (NFKD)
    ],
)
def test_slugify_folds_like_django(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_meeting_id_follows_pod_and_the_reference_vector() -> None:
    assert make_meeting_id(42, "Amphi L1") == "0042-amphi-l1"
    assert make_meeting_id(12345, "Amphi L1") == "12345-amphi-l1"
    assert make_meeting_id(7, "日本語の講義") == "0007-webinar"
    long_id = make_meeting_id(1, "x" * 250)
    assert len(long_id) < 256 and long_id.startswith("0001-xxx")
    with pytest.raises(ValueError):
        make_meeting_id(0, "Not saved yet")


def test_rooms_are_ten_lowercase_hex_and_differ() -> None:
    rooms = {new_room() for _ in range(200)}
    assert len(rooms) == 200
    assert all(len(room) == 10 and set(room) <= set("0123456789abcdef") for room in rooms)


def test_a_valid_webinar_has_no_problem() -> None:
    item = webinar(paris(2026, 12, 1), Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({1, 3}), count=5))
    assert item.problems() == []
    item.validate()


def _field_of(item_problems: list[ValidationError]) -> list[str]:
    return [problem.field for problem in item_problems]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "x"}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "a" * 251}, "title"),
        ({"title": "Line\nbreak"}, "title"),
        ({"start": datetime(2026, 12, 1, 10, 0)}, "start"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"duration": timedelta(0)}, "duration"),
        ({"duration": timedelta(hours=25)}, "duration"),
        ({"duration": timedelta(minutes=30, seconds=5)}, "duration"),
        ({"room": "NOTHEX0000"}, "room"),
    ],
)
def test_webinar_fields_are_checked(changes: dict[str, Any], field: str) -> None:
    item = replace(webinar(paris(2026, 12, 1)), **changes)
    found = item.problems()
    assert _field_of(found) == [field]
    with pytest.raises(ValidationError) as raised:
        item.validate()
    assert raised.value.field == field
    assert isinstance(raised.value, ConfigError)
    assert raised.value.sentence.endswith(".") and "\n" not in raised.value.sentence


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (Recurrence(freq=Frequency.DAILY, interval=0), "interval"),
        (Recurrence(freq=Frequency.DAILY, interval=101), "interval"),
        (Recurrence(freq=Frequency.DAILY, weekdays=frozenset({1})), "weekdays"),
        (Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({7})), "weekdays"),
        # 2026-12-01 is a Tuesday: a weekly rule on Monday/Wednesday misses the first webinar
        (Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({0, 2})), "weekdays"),
        (Recurrence(freq=Frequency.WEEKLY, monthly_type=MonthlyType.NTH_DAY), "monthly_type"),
        (Recurrence(freq=Frequency.DAILY, count=0), "count"),
        (Recurrence(freq=Frequency.DAILY, count=1001), "count"),
        (Recurrence(freq=Frequency.DAILY, until=date(2026, 11, 30)), "until"),
    ],
)
def test_recurrence_fields_are_checked_against_the_start(rule: Recurrence, field: str) -> None:
    item = webinar(paris(2026, 12, 1), rule)
    assert _field_of(item.problems()) == [field]


def test_until_on_the_start_day_is_fine_and_weekdays_must_name_the_start_day() -> None:
    tuesday = paris(2026, 12, 1)
    assert webinar(tuesday, Recurrence(freq=Frequency.DAILY, until=date(2026, 12, 1))).problems() == []
    error = webinar(tuesday, Recurrence(freq=Frequency.WEEKLY, weekdays=frozenset({4}))).problems()[0]
    assert "Tuesday" in error.sentence


def test_problems_lists_every_field_for_a_form() -> None:
    item = webinar(
        paris(2026, 12, 1),
        Recurrence(freq=Frequency.DAILY, interval=0, count=0),
        title="x",
        duration=timedelta(0),
        options=WebinarOptions(max_participants=1),
    )
    assert _field_of(item.problems()) == ["title", "duration", "interval", "count", "max_participants"]


def test_guest_policy_is_enforced_for_webinars() -> None:
    assert WebinarOptions().guest_policy == ALWAYS_ACCEPT
    item = webinar(paris(2026, 12, 1), options=WebinarOptions(guest_policy="ASK_MODERATOR"))
    (problem,) = item.problems()
    assert problem.field == "guest_policy" and "gateway" in problem.sentence


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (WebinarOptions(max_participants=2), "max_participants"),
        (WebinarOptions(welcome="w" * 5001), "welcome"),
        (WebinarOptions(moderator_only_message="bell\x07"), "moderator_only_message"),
        (WebinarOptions(preferred_gateway="two words"), "preferred_gateway"),
        (WebinarOptions(profile="a/b"), "profile"),
    ],
)
def test_options_are_checked(options: WebinarOptions, field: str) -> None:
    assert _field_of(webinar(paris(2026, 12, 1), options=options).problems()) == [field]


def test_chat_accepted_and_chat_shown_are_separate_settings() -> None:
    options = WebinarOptions(chat_enabled=True, chat_in_stream=False)
    assert options.problems() == []
    assert (options.chat_enabled, options.chat_in_stream) == (True, False)
    assert WebinarOptions(moderator_only_message="Audience: https://live.example/x\nThanks").problems() == []


def test_normalized_shows_the_start_in_the_webinar_zone() -> None:
    from datetime import UTC

    item = webinar(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    shown = item.normalized().start
    assert shown.utcoffset() == timedelta(hours=1) and (shown.hour, shown.minute) == (10, 0)
    assert shown == item.start


def test_override_validation() -> None:
    assert OccurrenceOverride(webinar_id=1, index=-1).problems()[0].field == "occurrence"
    assert OccurrenceOverride(webinar_id=1, index=0, title="x").problems()[0].field == "title"
    assert OccurrenceOverride(webinar_id=1, index=0, start=datetime(2026, 1, 1)).problems()[0].field == "start"
    assert OccurrenceOverride(webinar_id=1, index=0, duration=timedelta(hours=30)).problems()[0].field == "duration"
    assert OccurrenceOverride(webinar_id=1, index=2).is_empty
    assert not OccurrenceOverride(webinar_id=1, index=2, cancelled=True).is_empty
def test_meeting_id_of_a_long_title_fits_a_gateway_room() -> None:
    from desktop.gateways.join_target import ROOM_PATTERN
    from desktop.schedule.models import make_meeting_id

    title = "Séminaire " + " ".join(f"chapitre{i}" for i in range(40))
    meeting_id = make_meeting_id(7, title)
    assert len(meeting_id) <= 53
    assert meeting_id.startswith("0007-seminaire-chapitre0-")
    assert not meeting_id.endswith("-")
    assert ROOM_PATTERN.fullmatch(meeting_id)

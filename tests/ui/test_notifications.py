from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from desktop.ui.notifications import Delivery, NotificationBanner, NotificationPolicy, Notifier
from desktop.ui.tray import TrayIcon


def test_first_question_passes_then_grouped_until_the_interval() -> None:
    policy = NotificationPolicy(interval=30)
    assert policy.offer("question", "Q", "first?", now=0) == [Delivery("question", "Q", "first?", 1)]
    assert policy.offer("question", "Q", "second?", now=5) == []
    assert policy.offer("question", "Q", "third?", now=12) == []
    assert policy.next_due() == 30
    assert policy.due(now=29.9) == []
    assert policy.due(now=30) == [Delivery("question", "Q", "third?", 2)]
    assert policy.next_due() is None
    # the window restarts at the grouped release
    assert policy.offer("question", "Q", "fourth?", now=40) == []
    assert policy.offer("question", "Q", "fifth?", now=61) == [Delivery("question", "Q", "fifth?", 2)]


def test_other_kinds_are_not_limited() -> None:
    policy = NotificationPolicy(interval=30)
    for second in range(5):
        assert policy.offer("error", "E", str(second), now=second) == [Delivery("error", "E", str(second))]
    assert policy.next_due() is None


@given(st.lists(st.floats(min_value=0, max_value=5), min_size=1, max_size=60))
def test_never_more_than_one_per_interval_and_nothing_lost(gaps: list[float]) -> None:
    policy = NotificationPolicy(interval=30)
    now, shown_at, total = 0.0, [], 0
    for gap in gaps:
        now += gap
        for delivery in policy.due(now) + policy.offer("question", "Q", "?", now):
            shown_at.append(now)
            total += delivery.count
    end = now + 31  # past the last window (a float sum may land a hair before +30)
    for delivery in policy.due(end):
        shown_at.append(end)
        total += delivery.count
    assert total == len(gaps)
    assert all(b - a >= 30 for a, b in itertools.pairwise(shown_at))


def test_without_tray_notifications_go_to_the_banner(qtbot: QtBot) -> None:
    banner = NotificationBanner()
    qtbot.addWidget(banner)
    tray = TrayIcon(is_available=lambda: False)
    notifier = Notifier(tray, banner)
    with qtbot.waitSignal(notifier.delivered, timeout=1000) as blocker:
        notifier.notify("warning", "Stream slow", "The audience is 12 s behind <live>.")
    assert blocker.args == ["warning", "Stream slow", "The audience is 12 s behind <live>."]
    assert not banner.isHidden()
    assert banner.property("kind") == "warning"
    assert "&lt;live&gt;" in banner.label.text()  # hostile text is escaped


def test_grouped_questions_are_released_by_the_timer(qtbot: QtBot) -> None:
    banner = NotificationBanner()
    qtbot.addWidget(banner)
    notifier = Notifier(None, banner, NotificationPolicy(interval=0.2))
    seen: list[tuple[str, str, str]] = []
    notifier.delivered.connect(lambda *args: seen.append(args))
    notifier.notify("question", "New question", "question 0")
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=3000)  # the first one, once its burst is over
    assert seen[0] == ("question", "New question", "question 0")
    for i in range(1, 4):
        notifier.notify("question", "New question", f"question {i}")
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen[1][1] == "3 new audience questions"
    assert "question 3" in seen[1][2]


def test_a_burst_of_a_hundred_questions_is_one_notification(qtbot: QtBot) -> None:
    banner = NotificationBanner()
    qtbot.addWidget(banner)
    notifier = Notifier(None, banner)
    seen: list[tuple[str, str, str]] = []
    notifier.delivered.connect(lambda *args: seen.append(args))
    for i in range(100):  # one result set of the chat: 100 question_arrived in one go
        notifier.notify("question", "New question", f"question {i}?")
    notifier.notify("warning", "Stream slow", "12 s behind")  # other kinds are not held
    assert seen == [("warning", "Stream slow", "12 s behind")]
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    assert seen[1] == ("question", "100 new audience questions", "Latest: question 99?")
    assert notifier.policy.next_due() is None  # nothing held back for a second notification

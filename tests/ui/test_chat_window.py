"""The chat window: filtered rows coalesced per frame, heights, filters, unread and auto-scroll, actions, answers, export,
plain-text rendering of hostile messages."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import qasync
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from desktop.bbb import BBBClient
from desktop.chat.export import EXPORT_FIELDS
from desktop.chat.filters import ChatFilter, View, select
from desktop.chat.message import DeliveryStatus, MessageKind, RawChatMessage
from desktop.chat.model import ChatLog
from desktop.chat.moderation import ModerationState
from desktop.chat.pipeline import ChatPipeline
from desktop.errors import NetworkError
from desktop.ui import theme
from desktop.ui.chat_heights import HeightIndex
from desktop.ui.chat_painter import visible_text
from desktop.ui.chat_rows import ChatRows
from desktop.ui.chat_window import ChatWindow, ExportFormat
from desktop.ui.theme import Level
from tests.ui.qasync_support import qloop, run, until  # noqa: F401 (qloop is a fixture)

T0 = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)
GATEWAY_USER = "streaming"


def raw(number: int, text: str, sender: str = GATEWAY_USER, *, message_id: str | None = None) -> RawChatMessage:
    return RawChatMessage(
        message_id=message_id or f"m{number}", sequence=number, text=text, message_type="default",
        sender_name=sender, sender_role="VIEWER", sender_user_id="u-" + sender, sender_is_moderator=False,
        created_at=T0 + timedelta(seconds=number))


def audience(number: int, author: str, text: str) -> RawChatMessage:
    return raw(number, f"({author}) {text}")


@pytest.fixture
def log() -> Iterator[ChatLog]:
    moderation = ModerationState("webinar-1", None)
    chat_log = ChatLog(moderation=moderation)
    yield chat_log
    chat_log.close()
    moderation.close()


def make_window(qtbot: QtBot, log: ChatLog, answers: Any = None, *, show: bool = True) -> ChatWindow:
    window = ChatWindow(log, answers, title="Town hall")
    qtbot.addWidget(window)
    window.resize(480, 640)
    if show:
        window.show()
        qtbot.waitExposed(window)
    return window


def fill_sample(log: ChatLog) -> None:
    log.ingest_many([
        audience(1, "Jane Doe", "Hello everyone"),
        audience(2, "Ali Ben", "Pourquoi l'écran est noir ?"),
        raw(3, "Welcome, panel speaking", sender="Bob Panel"),
        audience(4, "Jane Doe", "Can you share the slides?"),
        audience(5, "Zoé Martin", "Merci beaucoup"),
    ])


def shown_ids(window: ChatWindow) -> list[str]:
    """The ids of the rows shown, once the pending pass is applied (what the frame timer does)."""
    window.rows.flush()
    return window.rows.ids()


def shown(window: ChatWindow) -> int:
    window.rows.flush()
    return len(window.rows)


# -- model ------------------------------------------------------------------------------------------------


def test_ten_thousand_messages_append_and_filter_benchmark(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    started = time.perf_counter()
    for number in range(10_000):
        author = f"Viewer {number % 97}"
        text = f"question {number} about the slides ?" if number % 10 == 0 else f"message {number}"
        log.ingest(audience(number + 1, author, text))
    QApplication.processEvents()
    appended = time.perf_counter() - started
    assert shown(window) == 10_000

    started = time.perf_counter()
    window.set_view(View.QUESTIONS)
    questions = shown(window)
    window.search.setText("viewer 3")
    window.apply_filter()
    searched = shown(window)
    QApplication.processEvents()
    filtered = time.perf_counter() - started

    assert questions == len(select(log, ChatFilter(View.QUESTIONS))) == 1_000
    assert searched == len(select(log, ChatFilter(View.QUESTIONS, "viewer 3")))
    assert 0 < searched < questions
    print(f"\nBENCHMARK chat window: 10,000 single appends {appended:.2f} s, "
          f"questions view + search over 10,000 rows {filtered:.3f} s")


def rows_over(log: ChatLog) -> ChatRows:
    """Rows with a fixed height per message (40 px, 60 px with a question mark)."""
    def height(message: Any) -> int:
        return 60 if "?" in message.text else 40

    return ChatRows(log, height, height)


def test_rows_follow_appends_changes_and_drops_in_one_pass_per_frame(qtbot: QtBot) -> None:
    moderation = ModerationState("w", None)
    log = ChatLog(moderation=moderation, capacity=5)
    rows = rows_over(log)
    passes = QSignalSpy(rows.flushed)

    log.ingest_many([audience(n, "Jane Doe", f"hello {n}") for n in range(1, 4)])
    assert len(rows) == 0 and rows.pending  # noted, applied at the next frame
    qtbot.waitUntil(lambda: len(rows) == 3, timeout=2000)
    assert passes.count() == 1 and passes.at(0) == [3, False]
    assert rows.heights.total == 120

    log.ingest_many([audience(n, "Jane Doe", f"hello {n}") for n in range(4, 8)])
    rows.flush()
    assert len(rows) == 5 == len(log)  # the two oldest dropped
    assert rows.ids() == ["m3", "m4", "m5", "m6", "m7"]
    assert rows.heights.total == 200 and rows.heights.top(1) == 40

    rows.set_filter(ChatFilter(View.STARRED))
    assert len(rows) == 0
    moderation.set_starred("m4")
    assert rows.ids() == []  # until the pass
    rows.flush()
    assert rows.ids() == ["m4"] and rows.row_of("m4") == 0 and rows.row_of("m5") is None
    moderation.set_starred("m6")
    moderation.set_starred("m4", False)
    rows.flush()
    assert rows.ids() == ["m6"]
    assert rows.heights.total == 40

    rows.set_filter(ChatFilter())
    moderation.block_word("hello")  # a rule: every row may change
    rows.flush()
    assert rows.ids() == []
    rows.close()
    log.ingest(audience(9, "Jane Doe", "after close"))
    assert not rows.pending  # no longer following
    moderation.close()


def test_five_hundred_inserts_in_one_tick_make_one_pass(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    QApplication.processEvents()
    before = window.rows.passes
    layouts = window.view.painter.layouts_built
    for number in range(1, 501):  # one message at a time, as a push per message would
        log.ingest(audience(number, "Ann", f"message {number}"))
    assert window.rows.pending and len(window.rows) == 0
    qtbot.waitUntil(lambda: len(window.rows) == 500, timeout=3000)
    assert window.rows.passes == before + 1
    # only the rows on screen were laid out, not the 500
    qtbot.waitUntil(lambda: window.view.paints > 0 and window.view.at_bottom(0), timeout=3000)
    laid = window.view.painter.layouts_built - layouts
    assert 0 < laid < 60, laid
    assert window.rows.message_at(len(window.rows) - 1).text == "message 500"


def test_heights_are_measured_once_per_message_and_width(qtbot: QtBot, log: ChatLog) -> None:
    log.ingest_many([audience(n, "Ann", f"message {n} " + "long text " * (n % 7)) for n in range(1, 41)])
    window = make_window(qtbot, log)
    view = window.view
    qtbot.waitUntil(lambda: view.paints > 0 and view.at_bottom(0), timeout=3000)
    painter = view.painter
    built = painter.layouts_built
    for _ in range(5):
        view.viewport().repaint()
    assert painter.layouts_built == built  # repaints lay nothing out again
    visible = view.visible_rows()
    assert all(window.rows.is_exact(row) for row in visible)
    # a measured row's height is the painter's exact height
    row = visible.stop - 1
    assert window.rows.heights.height(row) == painter.height(window.rows.message_at(row), view.viewport().width())
    window.resize(window.width() - 120, window.height())  # another width: measured again
    qtbot.waitUntil(lambda: painter.layouts_built > built, timeout=3000)


def test_height_index_sums_finds_and_drops() -> None:
    index = HeightIndex([10, 20, 30])
    assert index.total == 60 and index.top(2) == 30
    assert [index.row_at(y) for y in (0, 9, 10, 29, 30, 59, 60, 1000, -5)] == [0, 0, 1, 1, 2, 2, 2, 2, 0]
    for height in range(1, 2001):
        index.append(height)
    assert index.total == 60 + sum(range(1, 2001))
    assert index.set(1, 25) == 5 and index.top(2) == 35
    index.remove_front(2)
    assert len(index) == 2001 and index.top(0) == 0 and index.height(0) == 30 and index.total == 30 + sum(range(1, 2001))
    index.remove_front(1500)  # compacted
    assert index.height(0) == 1500 and index.row_at(1499) == 0 and index.row_at(1500) == 1
    index.insert(0, 7)
    assert index.top(1) == 7 and index.height(0) == 7
    index.remove(0)
    assert index.top(1) == 1500


# -- filters, search, unread, auto-scroll ------------------------------------------------------------------


def test_filter_buttons_and_debounced_search(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    assert shown_ids(window) == ["m1", "m2", "m3", "m4", "m5"]
    window.view_buttons[View.AUDIENCE].click()
    assert shown_ids(window) == ["m1", "m2", "m4", "m5"]
    window.view_buttons[View.QUESTIONS].click()
    assert shown_ids(window) == ["m2", "m4"]
    assert log.moderation is not None
    log.moderation.set_answered("m2")
    window.view_buttons[View.UNANSWERED].click()
    assert shown_ids(window) == ["m4"]
    window.view_buttons[View.ALL].click()

    window.search.setText("ECRAN")  # case and accents folded
    assert window.search_timer.isActive()
    assert shown(window) == 5  # debounced: not yet applied
    qtbot.waitUntil(lambda: shown_ids(window) == ["m2"], timeout=2000)
    window.search.setText("jane")
    qtbot.waitUntil(lambda: shown_ids(window) == ["m1", "m4"], timeout=2000)


def test_unread_counts_while_hidden_and_is_read_once_seen(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log, show=False)
    counts: list[int] = []
    window.unread_changed.connect(counts.append)
    fill_sample(log)
    qtbot.waitUntil(lambda: window.unread == 5, timeout=2000)  # audience and panelists count
    assert counts == [5]  # one change for the batch
    log.add_pending("our own answer", GATEWAY_USER)
    window.rows.flush()
    assert window.unread == 5  # our answers never count
    assert log.moderation is not None
    log.moderation.set_hidden("m1")
    window.rows.flush()
    assert window.unread == 4 and counts[-1] == 4  # hidden: not unread

    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.unread == 0, timeout=2000)
    assert counts[-1] == 0
    log.ingest(audience(6, "Jane Doe", "seen at once"))
    window.rows.flush()
    assert window.unread == 0 and log.unread_count() == 0  # visible and following: read


def test_auto_scroll_pauses_when_scrolled_up_and_jump_button_resumes(qtbot: QtBot, log: ChatLog) -> None:
    log.ingest_many([audience(n, "Jane Doe", f"message {n} " + "long text " * 8) for n in range(1, 80)])
    window = make_window(qtbot, log)
    bar = window.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=3000)
    assert window.following

    bar.setValue(0)  # the presenter scrolls up
    assert not window.following
    log.ingest_many([audience(100, "Ali Ben", "new one"), audience(101, "Ali Ben", "another one")])
    qtbot.waitUntil(lambda: window.jump_button.isVisible(), timeout=2000)
    assert window.new_while_paused == 2
    assert "2" in window.jump_button.text()
    assert bar.value() == 0  # not dragged down
    assert window.unread == 2

    window.jump_button.click()
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=2000)
    assert window.following and not window.jump_button.isVisible()
    assert window.unread == 0
    log.ingest(audience(102, "Ali Ben", "followed"))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=2000)
    assert not window.jump_button.isVisible()


# -- per-message actions ----------------------------------------------------------------------------------


def test_actions_change_the_moderation_state(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    moderation = log.moderation
    assert moderation is not None
    assert window.select_message("m2")
    window.view.setFocus()

    qtbot.keyClick(window.view, Qt.Key.Key_S)
    assert moderation.is_starred("m2")
    assert window.actions_by_name["star"].text() == "Unstar"
    qtbot.keyClick(window.view, Qt.Key.Key_A)
    assert moderation.is_answered("m2")
    window.act("star", "m2")
    assert not moderation.is_starred("m2")

    menu = window.context_menu_for("m4")
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Reply", "Star", "Mark answered", "Hide", "Mute this author", "Copy text"]
    assert not window.actions_by_name["reply"].isEnabled()  # no answer service: read-only
    window.actions_by_name["hide"].trigger()
    assert moderation.is_hidden("m4") and "m4" not in shown_ids(window)

    window.act("mute", "m1")  # Jane Doe
    assert moderation.is_muted("Jane Doe")
    assert shown_ids(window) == ["m2", "m3", "m5"]
    window.show_hidden.setChecked(True)
    assert shown_ids(window) == ["m1", "m2", "m3", "m4", "m5"]

    window.act("copy", "m2")
    assert QGuiApplication.clipboard().text() == "Pourquoi l'écran est noir ?"


def test_blocked_words_are_managed_in_the_window(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    dialog = window.open_rules()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.word_edit.setText("Merci")
    dialog.add_button.click()
    assert dialog.words.count() == 1 and dialog.words.item(0).text() == "Merci"
    assert "m5" not in shown_ids(window)
    dialog.words.setCurrentRow(0)
    dialog.remove_button.click()
    assert dialog.words.count() == 0 and "m5" in shown_ids(window)
    window.act("mute", "m2")
    dialog.refresh()
    dialog.authors.setCurrentRow(0)
    dialog.unmute_button.click()
    assert log.moderation is not None and not log.moderation.is_muted("Ali Ben")


# -- answers ----------------------------------------------------------------------------------------------


class GatewayPost:
    """The gateway's chat endpoint as the pipeline's sender: records, or refuses."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.refuse: Exception | None = None

    async def __call__(self, text: str) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.sent.append(text)


def make_pipeline(log: ChatLog, post: GatewayPost) -> ChatPipeline:
    # the gateway sink needs no BBB call: the client is never used by these tests
    return ChatPipeline("w1:0", "meeting-1", cast(BBBClient, None), log=log, gateway_sender=post,
                        gateway_name="gw1")


def test_reply_quotes_and_the_pending_answer_is_delivered(
        qtbot: QtBot, log: ChatLog, qloop: qasync.QEventLoop) -> None:  # noqa: F811
    fill_sample(log)
    post = GatewayPost()
    window = make_window(qtbot, log, make_pipeline(log, post))
    assert window.sink_combo.count() == 1
    assert window.sink_combo.currentText() == "the gateway “gw1”, as “streaming”"
    sent: list[object] = []
    window.answer_sent.connect(sent.append)

    async def scenario() -> None:
        window.act("reply", "m4")
        assert window.reply_box.toPlainText() == "@Jane Doe: "
        assert window.reply_to == "m4" and window.reply_banner.isVisible()
        window.reply_box.insertPlainText("Yes, after the talk.")
        assert window.counter.text() == f"{len('@Jane Doe: Yes, after the talk.')}/500"
        qtbot.keyClick(window.reply_box, Qt.Key.Key_Return)
        await until(lambda: bool(sent), what="the answer handed to the gateway")
        assert post.sent == ["@Jane Doe: Yes, after the talk."]  # quoted once, not twice
        assert window.reply_box.toPlainText() == "" and window.reply_to is None
        pending = log[len(log) - 1]
        assert pending.status is DeliveryStatus.PENDING and pending.reply_to == "m4"
        window.rows.flush()
        row = window.rows.row_of(pending.id)
        assert row is not None
        assert window.rows.message_at(row).status is DeliveryStatus.PENDING
        # the gateway's browser posts it; the chat source delivers it back
        log.ingest(raw(6, "@Jane Doe: Yes, after the talk.", message_id="real-6"))
        delivered = log[len(log) - 1]
        assert delivered.id == "real-6" and delivered.status is DeliveryStatus.DELIVERED
        assert delivered.kind is MessageKind.PRESENTER_ANSWER
        window.rows.flush()
        assert window.rows.message_at(row).status is DeliveryStatus.DELIVERED
        assert log.flags(log[3]).answered  # the question it replied to

    run(qloop, scenario(), timeout=20)


def test_a_refused_answer_is_shown_in_one_sentence_and_given_back(qtbot: QtBot, log: ChatLog,
                                                                    qloop: qasync.QEventLoop) -> None:  # noqa: F811
    fill_sample(log)
    post = GatewayPost()
    post.refuse = NetworkError("The gateway “gw1” did not answer.")
    window = make_window(qtbot, log, make_pipeline(log, post))
    failures: list[str] = []
    window.answer_failed.connect(failures.append)

    async def scenario() -> None:
        window.act("reply", "m2")
        window.reply_box.insertPlainText("Un instant")
        window.send()
        await until(lambda: bool(failures), what="the failure")
        assert window.error_label.isVisible()
        assert window.error_label.text() == "The gateway “gw1” did not answer."
        assert window.reply_box.toPlainText() == "@Ali Ben: Un instant"  # given back to retry
        assert window.reply_to == "m2"
        assert log[len(log) - 1].status is DeliveryStatus.FAILED

    run(qloop, scenario(), timeout=20)


def test_501_characters_disable_send_and_turn_the_counter_red(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log, make_pipeline(log, GatewayPost()))
    window.reply_box.setPlainText("x" * 500)
    assert window.counter.text() == "500/500" and window.send_button.isEnabled()
    assert window.counter.property("too_long") is False
    window.reply_box.setPlainText("x" * 501)
    assert window.counter.text() == "501/500"
    assert not window.send_button.isEnabled()
    assert window.counter.property("too_long") is True
    assert window.counter.styleSheet() == theme.text_style(Level.ERROR, bold=True)
    window.reply_box.setPlainText("x" * 500)
    assert window.counter.property("too_long") is False and window.counter.styleSheet() == ""
    window.reply_box.setPlainText("x" * 501)
    window.reply_box.setPlainText("😀" * 251)  # BBB counts UTF-16 units: 502
    assert window.counter.text() == "502/500" and not window.send_button.isEnabled()
    window.send()  # Enter does nothing either
    assert len(log) == 0


def test_shift_enter_is_a_new_line(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log, make_pipeline(log, GatewayPost()))
    window.reply_box.setFocus()
    qtbot.keyClicks(window.reply_box, "first")
    qtbot.keyClick(window.reply_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.reply_box, "second")
    assert window.reply_box.toPlainText() == "first\nsecond"


def test_without_a_sink_sending_is_disabled(qtbot: QtBot, log: ChatLog) -> None:
    pipeline = make_pipeline(log, GatewayPost())
    pipeline.set_gateway_sender(None)
    window = make_window(qtbot, log, pipeline)
    window.reply_box.setPlainText("hello")
    assert not window.send_button.isEnabled() and not window.sink_combo.isEnabled()
    pipeline.set_gateway_sender(GatewayPost(), "gw2")
    window.refresh_sinks()
    assert window.send_button.isEnabled() and "gw2" in window.sink_combo.currentText()


# -- hostile text -----------------------------------------------------------------------------------------

HOSTILE = [
    "<b>bold?</b> <i>it</i> <script>alert('x')</script> <img src=x onerror=alert(1)>",
    "&lt;entities&gt; &amp; &#x41; <a href='javascript:alert(1)'>link</a>",
    "A" * 5_000,
    "bell\x07 escape\x1b[31mred\x1b[0m nul\x00 del\x7f c1\x85 tab\tend\r\nnext line",
    "\u202eevil override gpj.exe \u202d and \u2067isolate",
    "مرحبا بالجميع، هل يمكنكم سماعي؟",
    "emoji 👩🏽‍💻🎉 flags 🇫🇷 keycap 1️⃣",
    "zero\u200bwidth\u200c\u200djoiners\ufeff and soft\u00adhyphen",
    "%1 %n {title} \\n literal",
]


def ink_box(image: QImage, area: QRect, background: QColor) -> tuple[int, int]:
    """(leftmost, rightmost) column inside ``area`` with a pixel clearly unlike the background."""
    left, right = area.right() + 1, area.left() - 1
    for y in range(max(0, area.top()), min(image.height(), area.bottom() + 1)):
        for x in range(max(0, area.left()), min(image.width(), area.right() + 1)):
            colour = image.pixelColor(x, y)
            if abs(colour.red() - background.red()) + abs(colour.green() - background.green()) + \
                    abs(colour.blue() - background.blue()) > 150:
                left, right = min(left, x), max(right, x)
    return left, right


def text_area(window: ChatWindow, row: int) -> QRect:
    window.view.ensure_visible(row)
    return window.view.painter.geometry(window.view.row_rect(row), window.rows.message_at(row)).text


def test_hostile_messages_are_shown_as_plain_text(qtbot: QtBot, log: ChatLog) -> None:
    log.ingest_many([audience(n + 1, "Eve <b>Hacker</b>\u202e", text) for n, text in enumerate(HOSTILE)])
    window = make_window(qtbot, log)
    window.resize(520, 900)
    window.rows.flush()
    painter, width = window.view.painter, window.view.viewport().width()
    for row, text in enumerate(HOSTILE):
        message = window.rows.message_at(row)
        assert message.text == text  # literal, never interpreted
        laid = painter.laid_out(message, width)
        assert laid.layout.text() == visible_text(text)
        if not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text.replace("\t", "")):
            assert laid.layout.text() == text  # only control characters are ever substituted
        assert painter.height(message, width) > 0
    controls = painter.laid_out(window.rows.message_at(3), width).layout.text()
    assert "\x1b" not in controls and "\u241b" in controls and "\u2028" in controls and "\x00" not in controls
    long_height = painter.height(window.rows.message_at(2), width)
    assert long_height > 20 * window.view.fontMetrics().height()  # wrapped, not elided

    for row in range(len(HOSTILE)):
        window.view.ensure_visible(row)
        QApplication.processEvents()
        image = window.view.viewport().grab().toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 3, f"row {row} rendered blank"


def test_markup_is_painted_literally_not_formatted(qtbot: QtBot, log: ChatLog) -> None:
    """``<b>HELLO</b>`` painted literally is far wider than the bold word HTML would give."""
    log.ingest_many([audience(1, "Eve", "<b>HELLO</b>"), audience(2, "Eve", "HELLO")])
    window = make_window(qtbot, log)
    QApplication.processEvents()
    image = window.view.viewport().grab().toImage()
    ratio = window.view.viewport().devicePixelRatioF()
    background = theme.chat_colours(MessageKind.AUDIENCE).bubble
    widths = []
    for row in (0, 1):
        area = text_area(window, row)
        scaled = QRect(int(area.left() * ratio), int(area.top() * ratio),
                       int(area.width() * ratio), int(area.height() * ratio))
        left, right = ink_box(image, scaled, background)
        assert right > left, f"row {row}: no text painted"
        widths.append(right - left)
    literal, plain = widths
    # literal markup adds 7 characters to 5: about 2.4 times wider; bold HTML would be ~1.1
    assert literal > 1.8 * plain, widths


# -- export -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_writes_files_that_parse_back(qtbot: QtBot, log: ChatLog, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, fmt: ExportFormat) -> None:
    fill_sample(log)
    log.ingest(audience(6, "Mallory", "=HYPERLINK(\"http://x\") <b>[link](javascript:x)</b>"))
    log.add_pending("not delivered yet", GATEWAY_USER)
    window = make_window(qtbot, log)
    target = tmp_path / "chat-export"
    asked: list[str] = []

    def fake_save(*args: Any) -> tuple[str, str]:
        asked.append(args[3])
        return str(target), args[3]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    with qtbot.waitSignal(window.export_finished, timeout=10_000):  # written in a worker thread
        written = window.choose_export(fmt)
    assert written == target.with_suffix(f".{fmt.value}") and written.exists()
    assert f"*.{fmt.value}" in asked[0]
    assert window.status_label.isVisible() and "6" in window.status_label.text()
    if fmt is ExportFormat.CSV:
        text = written.read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["id"] for r in rows] == ["m1", "m2", "m3", "m4", "m5", "m6"]
        assert tuple(rows[0]) == EXPORT_FIELDS
        assert rows[5]["text"].startswith("'=HYPERLINK")  # neutralised formula
    elif fmt is ExportFormat.JSON:
        data = json.loads(written.read_text(encoding="utf-8"))
        assert [m["author"] for m in data["messages"]][:2] == ["Jane Doe", "Ali Ben"]
        assert data["messages"][5]["text"] == "=HYPERLINK(\"http://x\") <b>[link](javascript:x)</b>"
    else:
        text = written.read_text(encoding="utf-8")
        assert "Town hall" in text and "Pourquoi" in text
        assert "[link](javascript:x)" not in text  # escaped, no live link
        assert "not delivered yet" not in text


def test_export_failure_is_one_sentence(qtbot: QtBot, log: ChatLog, tmp_path: Path) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    assert not window.export_to(tmp_path / "missing-folder" / "chat.json", ExportFormat.JSON)
    assert window.error_label.isVisible() and "could not be written" in window.error_label.text()


# -- window -----------------------------------------------------------------------------------------------


def test_geometry_is_remembered(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    window.resize(500, 610)
    window.close()
    again = ChatWindow(log)
    qtbot.addWidget(again)
    assert again.size().width() == 500 and again.size().height() == 610


# -- a long chat: the whole history is reachable --------------------------------------------------------------
def test_selecting_and_scrolling_reach_the_oldest_rows_of_a_long_chat(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    for first in range(1, 3001, 300):  # result sets, as a live chat arrives
        log.ingest_many([audience(n, "Ann", f"message {n}") for n in range(first, first + 300)])
    qtbot.waitUntil(lambda: len(window.rows) == 3000 and window.view.at_bottom(0), timeout=5000)
    view, bar = window.view, window.view.verticalScrollBar()
    assert window.rows.message_at(view.visible_rows().stop - 1).text == "message 3000"
    # selecting a message far back scrolls to it, selected
    assert window.select_message("m2")
    assert window.current_message() is log[1]
    assert 1 in view.visible_rows() and not window.following
    # the scroll bar spans the whole history: its top shows the first message
    bar.setValue(bar.minimum())
    QApplication.processEvents()
    assert view.visible_rows().start == 0 and window.rows.message_at(0).text == "message 1"
    assert view.row_at(view.row_rect(0).center()) == 0
    bar.setValue(bar.maximum())
    assert window.following


def test_keys_move_the_current_message(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Up)  # no current message: the newest
    assert window.current_message() is log[4]
    qtbot.keyClick(window.view, Qt.Key.Key_Up)
    assert window.current_message() is log[3]
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    assert window.current_message() is log[0]
    window.view.set_current_row(None)
    assert window.current_message() is None and not window.actions_by_name["star"].isEnabled()


def test_a_click_selects_the_row_under_it(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    qtbot.waitUntil(lambda: window.view.paints > 0, timeout=2000)
    rect = window.view.row_rect(1)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_message() is log[1]
    assert window.actions_by_name["star"].isEnabled()


def test_a_filter_change_shows_the_newest_matching_rows(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    log.ingest_many([audience(n, "Ann", f"question {n}?" if n % 2 else f"remark {n}") for n in range(1, 41)])
    window.set_view(View.QUESTIONS)
    assert shown(window) == 20
    qtbot.waitUntil(lambda: window.view.at_bottom(0), timeout=2000)
    last = window.view.visible_rows().stop - 1
    assert window.rows.message_at(last).text == "question 39?"


def test_an_edited_message_is_measured_again(qtbot: QtBot, log: ChatLog) -> None:
    log.ingest_many([audience(1, "Ann", "short"), audience(2, "Ann", "also short")])
    window = make_window(qtbot, log)
    view = window.view
    qtbot.waitUntil(lambda: len(window.rows) == 2 and view.paints > 0 and window.rows.is_exact(0), timeout=2000)
    before = window.rows.heights.height(0)
    edited = dataclasses.replace(audience(1, "Ann", "now a much longer text " * 30),
                                 edited_at=T0 + timedelta(minutes=1))
    log.ingest(edited)
    qtbot.waitUntil(lambda: window.rows.is_exact(0) and window.rows.heights.height(0) > before, timeout=2000)
    assert window.rows.heights.top(1) == window.rows.heights.height(0)  # the next row moved down

"""The chat window in both colour schemes, from the keyboard and through a screen reader's eyes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QColor, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.chat.filters import View
from desktop.chat.message import MessageKind
from desktop.chat.model import ChatLog
from desktop.ui import announce, chat_access, shortcuts, theme
from desktop.ui.chat_window import ChatWindow
from desktop.ui.shortcuts import ShortcutsDialog
from desktop.ui.theme import Scheme
from tests.ui.test_chat_window import (
    GatewayPost,
    audience,
    fill_sample,
    log,
    make_pipeline,
    make_window,
)

__all__ = ["log"]  # the fixture, imported for these tests


@pytest.fixture
def restore_scheme(qapp: QGuiApplication) -> Iterator[None]:
    palette = QGuiApplication.palette()
    yield
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)
    theme.watcher().refresh()


def active(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def near(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= 3


# -- colours -------------------------------------------------------------------------------------


def bubble_pixel(window: ChatWindow) -> QColor:
    """A pixel inside the first message's bubble, left of its text (its padding)."""
    view = window.view
    geometry = view.painter.geometry(view.row_rect(0), window.rows.message_at(0))
    image: QImage = view.viewport().grab().toImage()
    ratio = view.viewport().devicePixelRatioF()
    point = QPoint(geometry.bubble.left() + 3, geometry.bubble.center().y())
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def test_switching_the_scheme_repaints_the_messages_in_its_colours(qtbot: QtBot, log: ChatLog,
                                                                  restore_scheme: None) -> None:
    theme.force_scheme(Scheme.LIGHT)
    log.ingest(audience(1, "Jane Doe", "Hello everyone"))
    window = make_window(qtbot, log)
    window.rows.flush()
    light = bubble_pixel(window)
    assert near(light, theme.chat_colours(MessageKind.AUDIENCE).bubble)
    assert light.lightnessF() > 0.8

    theme.force_scheme(Scheme.DARK)
    dark = bubble_pixel(window)
    assert near(dark, theme.chat_colours(MessageKind.AUDIENCE).bubble)  # the dark scheme's, not a stale one
    assert dark.lightnessF() < 0.3

    theme.force_scheme(Scheme.LIGHT)
    assert near(bubble_pixel(window), light)


def test_the_composer_s_error_follows_the_scheme(qtbot: QtBot, log: ChatLog, restore_scheme: None) -> None:
    theme.force_scheme(Scheme.LIGHT)
    window = make_window(qtbot, log)
    window.show_error("The gateway “gw1” did not answer.")
    assert theme.STATE_COLOURS[Scheme.LIGHT][theme.Level.ERROR] in window.error_label.styleSheet()
    theme.force_scheme(Scheme.DARK)
    assert theme.STATE_COLOURS[Scheme.DARK][theme.Level.ERROR] in window.error_label.styleSheet()


# -- screen readers ------------------------------------------------------------------------------


def test_a_screen_reader_sees_the_messages_on_screen_as_a_list(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    log.ingest(audience(6, "Eve", "line one\nline two\x07\u202e"))
    window = make_window(qtbot, log)
    window.rows.flush()
    view = QAccessible.queryAccessibleInterface(window.view)
    assert view.role() is QAccessible.Role.List
    assert view.text(QAccessible.Text.Name) == "Messages"
    assert "F1" in view.text(QAccessible.Text.Description)
    assert view.childCount() == len(window.view.visible_rows()) == 6
    names = [view.child(index).text(QAccessible.Text.Name) for index in range(view.childCount())]
    assert names[0] == "Jane Doe: Hello everyone"
    assert names[5] == "Eve: line one line two\u2407\u202e"  # one line, controls shown, never sent raw
    first = view.child(0)
    assert first.role() is QAccessible.Role.ListItem
    assert view.indexOfChild(first) == 0 and first.parent().text(QAccessible.Text.Name) == "Messages"
    assert first.rect().intersects(window.view.viewport().rect().translated(
        window.view.viewport().mapToGlobal(QPoint(0, 0))))
    assert view.childAt(first.rect().center().x(), first.rect().center().y()).text(QAccessible.Text.Name) == names[0]
    assert view.child(1).text(QAccessible.Text.Description).startswith("Audience, Question, at ")


def test_moving_with_the_keys_makes_the_reader_speak_the_selected_message(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    window.rows.flush()
    active(qtbot, window)
    window.view.setFocus()
    view = QAccessible.queryAccessibleInterface(window.view)
    assert view.focusChild() is None  # nothing selected yet

    QTest.keyClick(window.view, Qt.Key.Key_End)
    focused = view.focusChild()
    assert focused is not None and focused.text(QAccessible.Text.Name) == "Zoé Martin: Merci beaucoup"
    assert focused.state().selected and focused.state().focused

    QTest.keyClick(window.view, Qt.Key.Key_Up)
    focused = view.focusChild()
    assert focused.text(QAccessible.Text.Name) == "Jane Doe: Can you share the slides?"
    QTest.keyClick(window.view, shortcuts.shortcut("star").sequence()[0].key())
    assert "starred" in focused.text(QAccessible.Text.Description).split(", ")
    selected = [view.child(i) for i in range(view.childCount()) if view.child(i).state().selected]
    assert [child.text(QAccessible.Text.Name) for child in selected] == ["Jane Doe: Can you share the slides?"]


def test_tabbing_into_the_list_makes_the_newest_message_current(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    window.rows.flush()
    active(qtbot, window)
    window.search.setFocus()
    QTest.keyClick(window.search, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # back to the filters
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # the list
    assert window.view.hasFocus()
    focused = QAccessible.queryAccessibleInterface(window.view).focusChild()
    assert focused is not None and focused.text(QAccessible.Text.Name) == "Zoé Martin: Merci beaucoup"
    QTest.keySequence(window.view, shortcuts.shortcut("answered").sequence())
    assert log.flags(log.get("m5")).answered


def test_the_counter_and_the_status_line_are_told_in_words(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log, make_pipeline(log, GatewayPost()))
    window.reply_box.setPlainText("Merci")
    assert QAccessible.queryAccessibleInterface(window.counter).text(QAccessible.Text.Name) == "5 of 500 characters"
    heard: list[announce.Announcement] = []
    announce.announcer.announced.connect(heard.append)
    try:
        window.act("copy", "m1")
        assert heard and heard[-1].message == "Message copied."
        window.show_error("The gateway “gw1” did not answer.")
        assert heard[-1].message == "The gateway “gw1” did not answer."
    finally:
        announce.announcer.announced.disconnect(heard.append)


def test_a_listening_reader_is_sent_a_focus_event_for_the_new_current_message(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log)
    window.rows.flush()
    active(qtbot, window)
    window.view.setFocus()
    sent: list[tuple[object, str]] = []

    def record(kind: object, message_id: str) -> None:
        sent.append((kind, message_id))

    chat_access.events.sent.connect(record)
    try:
        QTest.keyClick(window.view, Qt.Key.Key_Home)
        assert sent == []  # nobody listening: nothing sent, nothing made
        QAccessible.setActive(True)
        QTest.keyClick(window.view, Qt.Key.Key_Down)
    finally:
        QAccessible.setActive(False)
        chat_access.events.sent.disconnect(record)
    assert sent == [(QAccessible.Event.Selection, "m2"), (QAccessible.Event.Focus, "m2")]


def test_row_interfaces_are_dropped_as_rows_scroll_away(qtbot: QtBot, log: ChatLog) -> None:
    log.ingest_many([audience(n, "Jane", f"message {n}") for n in range(1, 401)])
    window = make_window(qtbot, log)
    window.rows.flush()
    view = QAccessible.queryAccessibleInterface(window.view)
    for row in range(0, 400, 5):
        window.view.ensure_visible(row)
        for index in range(view.childCount()):
            assert view.child(index).text(QAccessible.Text.Name).startswith("Jane: message ")
    assert len(window.view.accessible_rows) <= len(window.view.visible_rows()) + chat_access.KEEP_EXTRA + 1


# -- keyboard ------------------------------------------------------------------------------------


def test_chat_shortcuts_star_mark_answered_and_move_the_focus(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log, make_pipeline(log, GatewayPost()))
    window.rows.flush()
    active(qtbot, window)

    QTest.keySequence(window, shortcuts.shortcut("focus_messages").sequence())
    assert window.view.hasFocus()
    assert window.current_message() is not None and window.current_message().id == "m5"  # the newest
    QTest.keyClick(window.view, Qt.Key.Key_Up)
    QTest.keySequence(window.view, shortcuts.shortcut("star").sequence())
    QTest.keySequence(window.view, shortcuts.shortcut("answered").sequence())
    flags = log.flags(log.get("m4"))
    assert flags.starred and flags.answered

    QTest.keySequence(window, shortcuts.shortcut("focus_answer").sequence())
    assert window.reply_box.hasFocus()
    QTest.keyClicks(window.reply_box, "sa")  # letters typed in the box are text, not actions
    assert window.reply_box.toPlainText() == "sa"
    assert log.flags(log.get("m4")).starred

    QTest.keySequence(window, shortcuts.shortcut("focus_search").sequence())
    assert window.search.hasFocus()

    QTest.keySequence(window, shortcuts.shortcut("focus_messages").sequence())
    QTest.keySequence(window.view, shortcuts.shortcut("reply").sequence())
    assert window.reply_to == "m4" and window.reply_box.hasFocus()


def test_the_per_message_keys_come_from_the_shortcut_table(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log, show=False)
    for name, shortcut_id in (("star", "star"), ("answered", "answered"), ("hide", "hide"),
                              ("mute", "mute_author"), ("copy", "copy"), ("reply", "reply")):
        action = window.actions_by_name[name]
        assert action.shortcut() == shortcuts.shortcut(shortcut_id).sequence()
        assert action.shortcutContext() is Qt.ShortcutContext.WidgetShortcut
        assert action in window.view.actions()


def test_f1_in_the_chat_window_lists_the_shortcuts(qtbot: QtBot, log: ChatLog) -> None:
    window = make_window(qtbot, log)
    active(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    assert (shortcuts.shortcut("answered").native_keys(), "Mark the question answered") in dialog.rows()
    dialog.close()


def test_tab_goes_from_the_messages_to_the_filters_search_answer_and_send(qtbot: QtBot, log: ChatLog) -> None:
    fill_sample(log)
    window = make_window(qtbot, log, make_pipeline(log, GatewayPost()))
    window.reply_box.setPlainText("Thanks")  # Send is enabled
    active(qtbot, window)
    window.view.setFocus()
    seen: list[QWidget] = [window.view]
    for _ in range(20):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused is window.view:
            break
        seen.append(focused)
    # the view buttons are one group: Tab stops at the checked one, the arrows move inside it
    expected = [window.view, window.view_buttons[View.ALL], window.search, window.show_hidden,
                window.rules_button, window.export_button, window.reply_box, window.sink_combo, window.send_button]
    assert seen == expected
    window.view_buttons[View.ALL].setFocus()
    QTest.keyClick(window.view_buttons[View.ALL], Qt.Key.Key_Right)
    assert window.view_buttons[View.AUDIENCE].hasFocus()

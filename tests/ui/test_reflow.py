"""ReflowRow: a row when it fits, a column when it does not; never an item cut or overlapping."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.ui.reflow import ReflowRow


def build(qtbot: QtBot, captions: list[str], *, uniform: bool = False,
          stretch_before_last: bool = False) -> tuple[QWidget, ReflowRow, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = ReflowRow(uniform=uniform)
    buttons = [QPushButton(caption, holder) for caption in captions]
    for index, button in enumerate(buttons):
        if stretch_before_last and index == len(buttons) - 1:
            row.add_stretch(1)
        row.add_widget(button)
    outer = QVBoxLayout(holder)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addLayout(row)
    outer.addStretch(1)
    return holder, row, buttons


def lay_out(holder: QWidget, width: int) -> None:
    holder.resize(max(width, holder.minimumSizeHint().width()), 400)
    holder.show()
    QApplication.processEvents()


def test_side_by_side_when_the_row_fits(qtbot: QtBot) -> None:
    holder, row, buttons = build(qtbot, ["One", "Two", "Three"])
    lay_out(holder, row.sizeHint().width() + 100)
    assert len({button.y() for button in buttons}) == 1
    assert [b.x() for b in buttons] == sorted(b.x() for b in buttons)
    assert all(b.width() >= b.sizeHint().width() for b in buttons)
    assert buttons[-1].geometry().right() < holder.width() - 50  # packed left, no stretch


def test_one_under_the_other_at_full_width_when_narrow(qtbot: QtBot) -> None:
    holder, row, buttons = build(qtbot, ["A rather long caption", "Another long caption here", "Third"])
    widest = max(b.sizeHint().width() for b in buttons)
    assert holder.minimumSizeHint().width() == widest
    lay_out(holder, widest)
    assert len({b.x() for b in buttons}) == 1
    assert all(b.width() == holder.width() for b in buttons)
    tops = [b.y() for b in buttons]
    assert tops == sorted(tops) and len(set(tops)) == 3
    assert row.heightForWidth(widest) > row.heightForWidth(row.sizeHint().width())


def test_uniform_rows_line_up_and_a_stretch_pushes_right(qtbot: QtBot) -> None:
    holder, _row, buttons = build(qtbot, ["Go", "A much longer caption"], uniform=True)
    lay_out(holder, 600)
    assert abs(buttons[0].width() - buttons[1].width()) <= 1
    assert buttons[1].geometry().right() == holder.width() - 1
    holder2, _row2, buttons2 = build(qtbot, ["New", "Edit", "Refresh"], stretch_before_last=True)
    lay_out(holder2, 600)
    assert buttons2[2].geometry().right() == holder2.width() - 1
    assert buttons2[1].geometry().right() < buttons2[2].x() - 100


def test_hidden_items_take_no_room_and_items_can_be_taken(qtbot: QtBot) -> None:
    holder, row, buttons = build(qtbot, ["One", "Two", "Three"])
    buttons[1].hide()
    lay_out(holder, 600)
    assert buttons[2].x() - buttons[0].geometry().right() <= row.spacing() + 1
    assert row.count() == 3
    taken = row.takeAt(1)
    assert taken is not None and taken.widget() is buttons[1]
    assert row.count() == 2 and row.itemAt(5) is None and row.takeAt(5) is None


def test_nested_rows_make_a_two_by_two_grid_at_medium_width(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    outer = ReflowRow(uniform=True)
    buttons = [QPushButton(f"Button number {n}", holder) for n in range(4)]
    for pair in (buttons[:2], buttons[2:]):
        inner = ReflowRow(uniform=True)
        for button in pair:
            inner.add_widget(button)
        outer.add_layout(inner)
    box = QVBoxLayout(holder)
    box.addLayout(outer)
    box.addStretch(1)
    pair_width = ReflowRow(uniform=True)
    two = 2 * max(b.sizeHint().width() for b in buttons) + pair_width.spacing() + 30
    lay_out(holder, two)
    assert buttons[0].y() == buttons[1].y() < buttons[2].y() == buttons[3].y()
    assert buttons[0].x() == buttons[2].x() and buttons[1].x() == buttons[3].x()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(captions=st.lists(st.text(alphabet="abcdefgh WXYZ", min_size=1, max_size=40), min_size=1, max_size=5),
       extra=st.integers(min_value=0, max_value=600), uniform=st.booleans())
def test_items_never_overlap_nor_leave_the_row(qtbot: QtBot, captions: list[str], extra: int,
                                               uniform: bool) -> None:
    holder, _row, buttons = build(qtbot, captions, uniform=uniform)
    lay_out(holder, holder.minimumSizeHint().width() + extra)
    inside = QRect(0, 0, holder.width(), holder.height())
    for index, button in enumerate(buttons):
        assert inside.contains(button.geometry()), (button.geometry(), inside)
        assert button.width() >= button.sizeHint().width()
        for other in buttons[index + 1:]:
            assert not button.geometry().intersects(other.geometry())
    holder.close()


def test_a_column_can_keep_preferred_widths_and_a_row_can_prefer_the_column(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = ReflowRow(fill_column=False, prefer_column=True)
    buttons = [QPushButton(caption, holder) for caption in ("A long first caption", "Short")]
    for button in buttons:
        row.add_widget(button)
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.addLayout(row)
    box.addStretch(1)
    assert row.sizeHint().width() == max(b.sizeHint().width() for b in buttons)  # the column's
    lay_out(holder, row.sizeHint().width())
    assert buttons[0].x() == buttons[1].x() == 0 and buttons[0].y() < buttons[1].y()
    assert buttons[1].width() == buttons[1].sizeHint().width() < holder.width()  # not stretched

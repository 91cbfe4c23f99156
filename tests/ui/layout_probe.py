"""Finds text that does not fit where the layout put it: the pseudo-localisation check.

Qt never elides a QLabel or a button's text by itself: a label narrower than its text, a
word-wrapped label shorter than its wrapped lines, or a button narrower than its caption just
cuts the text off.  :func:`clipped_texts` walks a laid-out window and reports each such widget,
comparing the geometry the layout gave it with what the text needs (the widget's own size hint,
``heightForWidth`` for wrapped labels, and :class:`QFontMetrics` for button captions, tab titles
and group-box titles).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QWidget,
)

SCREEN = QSize(1280, 800)


def caption(text: str) -> str:
    """A button's text as painted: the '&' mnemonic markers removed, '&&' kept as '&'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _label_problem(label: QLabel) -> str | None:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return f"wrapped text needs {needed} px of height, has {label.height()}"
        return None
    hint = label.sizeHint()
    if label.width() < hint.width():
        return f"needs {hint.width()} px of width, has {label.width()}"
    if label.height() < label.fontMetrics().height():
        return f"needs {label.fontMetrics().height()} px of height, has {label.height()}"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = caption(button.text())
    if not text:
        return None
    if isinstance(button, (QCheckBox, QRadioButton)):
        hint = button.sizeHint()
        if button.width() < hint.width():
            return f"needs {hint.width()} px of width, has {button.width()}"
        return None
    advance = max(button.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
    if not button.icon().isNull():
        advance += button.iconSize().width() + 4
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        option.initFrom(button)
        option.text = button.text()
        option.icon = button.icon()
        option.iconSize = button.iconSize()
        room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()
    else:
        room = button.width()
    if advance > room:
        return f"caption needs {advance} px, the button has room for {room}"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    metrics = bar.fontMetrics()
    for index in range(bar.count()):
        rect = bar.tabRect(index)
        needed = metrics.horizontalAdvance(caption(bar.tabText(index)))
        if rect.width() < needed:
            problems.append(f"tab {bar.tabText(index)!r}: needs {needed} px, has {rect.width()}")
        if rect.right() > bar.width():
            problems.append(f"tab {bar.tabText(index)!r} lies beyond the tab bar (scrolled out of sight)")
    return problems


def _group_problem(group: QGroupBox) -> str | None:
    if not group.title():
        return None
    needed = group.fontMetrics().horizontalAdvance(caption(group.title())) + 16
    if group.width() < needed:
        return f"title needs {needed} px, the box is {group.width()} wide"
    return None


def clipped_texts(top: QWidget) -> list[str]:
    """Every visible text in ``top`` (a shown, laid-out window) that its widget cuts off."""
    problems: list[str] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if widget is not top and (not widget.isVisibleTo(top) or widget.window() is not top):
            continue
        problem: str | None = None
        name = f"{type(widget).__name__}({widget.objectName() or ''})"
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
            name += f" {widget.text()[:60]!r}"
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
            name += f" {widget.text()[:60]!r}"
        elif isinstance(widget, QGroupBox):
            problem = _group_problem(widget)
            name += f" {widget.title()[:60]!r}"
        elif isinstance(widget, QTabBar):
            problems.extend(f"{name}: {p}" for p in _tab_problems(widget))
        if problem is not None:
            problems.append(f"{name}: {problem}")
    return problems

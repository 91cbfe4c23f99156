"""Layout pieces that adapt to the width they get: a row of buttons that becomes a column when
the row does not fit, and a word-wrapped label whose minimum height follows its width.

Qt's box and grid layouts never reflow: a row of four buttons demands the sum of their widths
forever, so once translated (French runs 20–30 % longer than English, the pseudo-localisation
twice as long) the console would need more than a 1280-pixel screen.  :class:`ReflowRow` lays its
items side by side when their preferred widths fit the width it is given, and one under the
other, each at full width, when they do not.  Its minimum width is therefore the widest item's,
and it reports the height it needs for a given width (``heightForWidth``), which vertical box
layouts honour.  Rows nest: a ReflowRow of two ReflowRows of two buttons is four in a row, or a
2×2 grid, or a column of four, whichever fits.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget

DEFAULT_SPACING = 6


class ReflowRow(QLayout):
    """Items in one row when they fit, else in one column.

    In a row every item gets its preferred width and the room left over is shared by stretch
    factor (items and stretches added with :meth:`add_stretch`); with no stretch the items stay
    packed to the left.  A ``uniform`` row gives every item the same width instead (two uniform
    rows under each other line up like a grid).  In a column, stretches are ignored and each
    item spans the full width (``fill_column``) or keeps its preferred width, to the left.

    The preferred size is the row's, or the column's with ``prefer_column`` (a row of two
    two-button rows then asks for a 2×2 grid, not for four buttons side by side).  Items lower
    than the row (a label beside buttons) are centred vertically.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = DEFAULT_SPACING,
                 uniform: bool = False, fill_column: bool = True, prefer_column: bool = False) -> None:
        super().__init__(parent)
        self.uniform = uniform
        self.fill_column = fill_column
        self.prefer_column = prefer_column
        self._items: list[QLayoutItem] = []
        self._stretch: list[int] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    # -- building --------------------------------------------------------------------------------
    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        self.addWidget(widget)
        self._stretch[-1] = stretch

    def add_layout(self, layout: QLayout, stretch: int = 0) -> None:
        self.addChildLayout(layout)
        self._items.append(layout)
        self._stretch.append(stretch)
        self.invalidate()

    def add_stretch(self, stretch: int = 1) -> None:
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))
        self._stretch[-1] = stretch

    # -- QLayout -------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._stretch.append(0)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        del self._stretch[index]
        item = self._items.pop(index)
        self.invalidate()
        return item

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def minimumSize(self) -> QSize:
        widest = max((item.minimumSize().width() for item in self._shown()), default=0)
        margins = self.contentsMargins()
        width = widest + margins.left() + margins.right()
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        shown = self._shown()
        if self.prefer_column:
            width = max((item.sizeHint().width() for item in shown), default=0) + margins.left() + margins.right()
            return QSize(width, self.heightForWidth(width))
        width = self._row_width(shown) + margins.left() + margins.right()
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height + margins.top() + margins.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    # -- arranging -----------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        """The items that take room (hidden widgets and stretches do not)."""
        return [item for item in self._items if not item.isEmpty()]

    def _row_width(self, shown: list[QLayoutItem]) -> int:
        gaps = self.spacing() * max(0, len(shown) - 1)
        if self.uniform:
            return max((item.sizeHint().width() for item in shown), default=0) * len(shown) + gaps
        return sum(item.sizeHint().width() for item in shown) + gaps

    @staticmethod
    def _height_at(item: QLayoutItem, width: int) -> int:
        return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        shown = self._shown()
        spacing = self.spacing()
        if not shown:
            return margins.top() + margins.bottom()
        if self._row_width(shown) <= area.width():
            return self._arrange_row(area, shown, apply) + margins.top() + margins.bottom()
        y = area.y()
        for item in shown:
            width = area.width()
            if not self.fill_column and item.widget() is not None:
                width = min(width, item.sizeHint().width())
            height = self._height_at(item, width)
            if apply:
                item.setGeometry(QRect(area.x(), y, width, height))
            y += height + spacing
        return y - spacing - area.y() + margins.top() + margins.bottom()

    def _arrange_row(self, area: QRect, shown: list[QLayoutItem], apply: bool) -> int:
        spacing = self.spacing()
        if self.uniform:
            return self._arrange_uniform(area, shown, apply)
        spare = area.width() - self._row_width(shown)
        slots = [(item, stretch) for item, stretch in zip(self._items, self._stretch, strict=True)
                 if not item.isEmpty() or isinstance(item, QSpacerItem)]
        total = sum(stretch for _item, stretch in slots)
        widths: list[tuple[QLayoutItem, int]] = []
        given = 0
        for item, stretch in slots:
            extra = spare * stretch // total if total else 0
            given += extra
            base = 0 if item.isEmpty() else item.sizeHint().width()
            widths.append((item, base + extra))
        if total and widths:  # rounding left-overs go to the last stretching slot
            last = max(i for i, (_item, stretch) in enumerate(slots) if stretch)
            item, width = widths[last]
            widths[last] = (item, width + spare - given)
        height = max(self._height_at(item, width) for item, width in widths if not item.isEmpty())
        x = area.x()
        for item, width in widths:
            if item.isEmpty():
                x += width
                continue
            if apply:
                _place(item, QRect(x, area.y(), width, max(height, area.height())))
            x += width + spacing
        return height

    def _arrange_uniform(self, area: QRect, shown: list[QLayoutItem], apply: bool) -> int:
        spacing = self.spacing()
        room = area.width() - spacing * (len(shown) - 1)
        edges = [area.x() + room * index // len(shown) + spacing * index for index in range(len(shown) + 1)]
        widths = [edges[index + 1] - edges[index] - spacing for index in range(len(shown))]
        height = max(self._height_at(item, width) for item, width in zip(shown, widths, strict=True))
        if apply:
            for item, x, width in zip(shown, edges[:-1], widths, strict=True):
                _place(item, QRect(x, area.y(), width, max(height, area.height())))
        return height


def _place(item: QLayoutItem, cell: QRect) -> None:
    """Put ``item`` in its cell of a row: full width, as tall as it may be, centred vertically."""
    height = min(cell.height(), item.maximumSize().height())
    item.setGeometry(QRect(cell.x(), cell.y() + (cell.height() - height) // 2, cell.width(), height))


class WrappingLabel(QLabel):
    """A word-wrapped label that asks for the height its text needs at its current width.

    A wrapped QLabel's minimum height is computed for a guessed width; where the layout above
    ignores ``heightForWidth`` (a QSplitter, a window's minimum size), a narrower label than
    guessed gets its last lines cut off.  This one sets its minimum height from its width.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed != self.minimumHeight():
            self.setMinimumHeight(max(0, needed))

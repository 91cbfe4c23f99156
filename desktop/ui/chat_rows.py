"""The rows the chat view shows: the log's messages that the filter accepts, with their heights.

No Qt item model and no proxy sits between the log and the view: :class:`ChatRows` keeps an index
map (an ``array`` of the log's absolute positions, in order) of the accepted messages, and a
:class:`~desktop.ui.chat_heights.HeightIndex` of their heights, row for row.

Changes are coalesced per frame.  The log's listener calls only note what happened (a range of
new rows, a changed row, rows dropped); the first note starts a single-shot timer of
``frame_ms`` and :meth:`flush` applies everything at once: new rows filtered and appended, changed
rows re-filtered (inserted or removed in place), one ``flushed`` signal.  So 500 messages arriving
in one tick, or 1,000 a second, cost one pass per frame, never one per message (``passes`` counts
them for the tests).

Heights: a new row gets an *estimate* (from its text length, see
:meth:`~desktop.ui.chat_painter.ChatRowPainter.estimate_height`); the view measures the rows it
paints for real (:meth:`measure`) and the index takes the difference.  A width or font change
re-estimates every row (heights are per width).

Absolute positions (the log's index plus its ``dropped_count``) never change, so dropping the
log's oldest rows only removes entries at the front of the map.
"""

from __future__ import annotations

import bisect
import logging
from array import array
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.chat.filters import ChatFilter
from desktop.chat.message import ChatMessage, ModerationFlags
from desktop.chat.model import ChatLog
from desktop.ui.chat_heights import HeightIndex

logger = logging.getLogger(__name__)

FRAME_MS = 16
"""At most one pass over the changes per frame (60 Hz)."""

Measure = Callable[[ChatMessage], int]


class ChatRows(QObject):
    """The filtered rows of one chat log (see the module docstring).

    Args:
        log: the chat log; followed until :meth:`close`.
        estimate: a row's estimated height at the current width.
        measure: a row's exact height at the current width.
        frame_ms: the coalescing interval.

    Attributes:
        chat_filter: the filter in force.
        heights: the rows' heights.
        passes: flushes that changed something (what the coalescing test counts).

    Signals:
        flushed(int, bool): a pass is done: rows appended at the end, and whether anything
            else changed (rows removed, inserted, re-filtered, re-measured).
    """

    flushed = Signal(int, bool)

    def __init__(self, log: ChatLog, estimate: Measure, measure: Measure, parent: QObject | None = None, *,
                 frame_ms: int = FRAME_MS) -> None:
        super().__init__(parent)
        self.log = log
        self.chat_filter = ChatFilter()
        self.estimate = estimate
        self.measure_height = measure
        self.passes = 0
        self._map = array("q")
        self.heights = HeightIndex()
        self._exact = bytearray()  # 1 when the row's height was measured, 0 for an estimate
        self._pending_from: int | None = None  # absolute position of the first row not yet seen
        self._changed: set[int] = set()  # absolute positions
        self._refilter = False
        self._reflow = False
        self._dropped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(frame_ms)
        self._timer.timeout.connect(self.flush)
        self._remove_listener: Callable[[], None] | None = log.add_listener(
            self._appended, self._changed_row, self._dropped_rows, self._changed_all)
        self._rebuild()

    def close(self) -> None:
        """Stop following the log."""
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None
        self._timer.stop()

    # -- reading ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._map)

    def message_at(self, row: int) -> ChatMessage:
        return self.log[self._map[row] - self.log.dropped_count]

    def flags_at(self, row: int) -> ModerationFlags:
        return self.log.flags(self.message_at(row))

    def row_of(self, message_id: str) -> int | None:
        """The row showing ``message_id``, or None (filtered out, unknown or not yet flushed)."""
        index = self.log.index_of(message_id)
        if index is None:
            return None
        absolute = index + self.log.dropped_count
        row = bisect.bisect_left(self._map, absolute)
        return row if row < len(self._map) and self._map[row] == absolute else None

    def ids(self) -> list[str]:
        return [self.message_at(row).id for row in range(len(self._map))]

    @property
    def pending(self) -> bool:
        """Changes are waiting for the next pass."""
        return self._timer.isActive()

    # -- heights ------------------------------------------------------------------------------
    def is_exact(self, row: int) -> bool:
        return bool(self._exact[row])

    def measure(self, row: int) -> int:
        """Measure ``row`` for real if it holds an estimate; returns the height change."""
        if self._exact[row]:
            return 0
        self._exact[row] = 1
        return self.heights.set(row, self.measure_height(self.message_at(row)))

    def reflow(self) -> None:
        """The width or the font changed: every height is estimated again at the next pass."""
        self._reflow = True
        self._schedule()

    # -- filter -------------------------------------------------------------------------------
    def set_filter(self, chat_filter: ChatFilter) -> None:
        if chat_filter == self.chat_filter:
            return
        self.chat_filter = chat_filter
        self._refilter = True
        self.flush()  # the presenter asked: now, not at the next frame

    def accepts(self, message: ChatMessage) -> bool:
        return self.chat_filter.matches(message, self.log.flags(message))

    # -- log listener (notes only) ------------------------------------------------------------
    def _appended(self, first: int, count: int) -> None:
        if count > 0 and self._pending_from is None:
            self._pending_from = first + self.log.dropped_count
        self._schedule()

    def _changed_row(self, index: int) -> None:
        self._changed.add(index + self.log.dropped_count)
        self._schedule()

    def _changed_all(self) -> None:
        self._refilter = True
        self._schedule()

    def _dropped_rows(self, _count: int) -> None:
        self._dropped = True
        self._schedule()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    # -- the pass -----------------------------------------------------------------------------
    def flush(self) -> None:
        """Apply every change noted since the last pass (the frame timer calls it)."""
        self._timer.stop()
        log = self.log
        base = log.dropped_count
        end = base + len(log)
        other = False
        if self._dropped:
            self._dropped = False
            gone = bisect.bisect_left(self._map, base)
            if gone:
                del self._map[:gone]
                del self._exact[:gone]
                self.heights.remove_front(gone)
                other = True
        pending_from = self._pending_from
        self._pending_from = None
        if self._refilter:
            self._refilter = self._reflow = False
            self._changed.clear()
            self._rebuild()
            # the rows that arrived meanwhile still count as new (the "N new messages" button)
            fresh = len(self._map) - bisect.bisect_left(self._map, pending_from) if pending_from is not None else 0
            self.passes += 1
            self.flushed.emit(fresh, True)
            return
        if self._reflow:
            self._reflow = False
            self._reestimate()
            other = True
        if self._changed:
            other = self._apply_changes(base, pending_from) or other
        appended = 0
        if pending_from is not None:
            estimate, accepts, heights, rows, exact = self.estimate, self.accepts, self.heights, self._map, self._exact
            for absolute in range(max(pending_from, base), end):
                message = log[absolute - base]
                if accepts(message):
                    rows.append(absolute)
                    heights.append(estimate(message))
                    exact.append(0)
                    appended += 1
        if appended or other:
            self.passes += 1
            self.flushed.emit(appended, other)

    def _apply_changes(self, base: int, pending_from: int | None) -> bool:
        changed, self._changed = sorted(self._changed), set()
        other = False
        for absolute in changed:
            if absolute < base or (pending_from is not None and absolute >= pending_from):
                continue  # dropped since, or new: the append pass takes its final state
            message = self.log[absolute - base]
            row = bisect.bisect_left(self._map, absolute)
            shown = row < len(self._map) and self._map[row] == absolute
            wanted = self.accepts(message)
            if shown and wanted:
                # an edit or a deletion may change the height: measured again when painted (the
                # painter's cache answers at once when the text did not change)
                self._exact[row] = 0
            elif shown:
                del self._map[row]
                del self._exact[row]
                self.heights.remove(row)
            elif wanted:
                self._map.insert(row, absolute)
                self._exact.insert(row, 0)
                self.heights.insert(row, self.estimate(message))
            other = True
        return other

    def _reestimate(self) -> None:
        log, base, estimate = self.log, self.log.dropped_count, self.estimate
        self.heights.reset([estimate(log[absolute - base]) for absolute in self._map])
        self._exact = bytearray(len(self._map))

    def _rebuild(self) -> None:
        log = self.log
        base = log.dropped_count
        accepts, estimate = self.accepts, self.estimate
        rows = array("q")
        heights = []
        for index, message in enumerate(log):
            if accepts(message):
                rows.append(base + index)
                heights.append(estimate(message))
        self._map = rows
        self._exact = bytearray(len(rows))
        self.heights.reset(heights)

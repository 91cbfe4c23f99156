"""Row heights of the chat list as a Fenwick tree: where each row starts, in O(log n).

The chat view paints only the rows under its viewport; to find them it needs the y of any row
and the row at any y over the whole filtered history (100,000 rows and more), while rows are
appended at the end many times a second and a row's height changes when it is measured for
real (it starts as an estimate).  A Fenwick (binary indexed) tree gives all three in O(log n):
``append``, ``set``, ``top`` (prefix sum) and ``row_at`` (binary descent), with plain arrays of
integers (8 bytes a row for the tree, 4 for the heights).

Rows leave at the front when the chat log drops its oldest messages: they are skipped with an
offset (``_front``) and the tree is compacted once they are half of it, so a drop costs O(1)
amortised.  Inserting or removing a row in the middle (a moderation change under a filter) marks
the tree stale; it is rebuilt in O(n) at the next query.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable


class HeightIndex:
    """Heights of rows ``0 .. len-1`` with prefix sums (see the module docstring)."""

    def __init__(self, heights: Iterable[int] = ()) -> None:
        self._values = array("i")
        self._tree = array("q", [0])  # 1-based
        self._front = 0
        self._stale = False
        self.rebuilds = 0
        self.reset(heights)

    # -- whole -------------------------------------------------------------------------------------
    def reset(self, heights: Iterable[int]) -> None:
        self._values = array("i", heights)
        self._front = 0
        self._rebuild()

    def _rebuild(self) -> None:
        values = self._values
        if self._front:
            del values[:self._front]
            self._front = 0
        size = len(values)
        tree = array("q", [0])
        tree.extend(array("q", values))
        for i in range(1, size + 1):
            j = i + (i & -i)
            if j <= size:
                tree[j] += tree[i]
        self._tree = tree
        self._stale = False
        self.rebuilds += 1

    def _fresh(self) -> None:
        if self._stale:
            self._rebuild()

    def __len__(self) -> int:
        return len(self._values) - self._front

    # -- rows --------------------------------------------------------------------------------------
    def height(self, row: int) -> int:
        return self._values[self._front + row]

    def append(self, height: int) -> None:
        self._fresh()
        values, tree = self._values, self._tree
        values.append(height)
        i = len(values)
        # node i covers (i - lowbit(i), i]: its own value plus the nodes it absorbs
        total = height
        step = 1
        lowbit = i & -i
        while step < lowbit:
            total += tree[i - step]
            step <<= 1
        tree.append(total)

    def extend(self, heights: Iterable[int]) -> None:
        for height in heights:
            self.append(height)

    def set(self, row: int, height: int) -> int:
        """Change one row's height; returns the change (new - old)."""
        index = self._front + row
        delta = height - self._values[index]
        if delta:
            self._values[index] = height
            if not self._stale:
                tree, size = self._tree, len(self._values)
                i = index + 1
                while i <= size:
                    tree[i] += delta
                    i += i & -i
        return delta

    def insert(self, row: int, height: int) -> None:
        self._values.insert(self._front + row, height)
        self._stale = True

    def remove(self, row: int) -> None:
        del self._values[self._front + row]
        self._stale = True

    def remove_front(self, count: int) -> None:
        """The ``count`` first rows are gone."""
        count = min(count, len(self))
        if count <= 0:
            return
        self._front += count
        if self._front > max(1024, len(self._values) // 2):
            self._rebuild()

    # -- sums --------------------------------------------------------------------------------------
    def _prefix(self, index: int) -> int:
        """Sum of the stored values ``[0, index)`` (front rows included)."""
        tree = self._tree
        total = 0
        while index > 0:
            total += tree[index]
            index -= index & -index
        return total

    def top(self, row: int) -> int:
        """The y where ``row`` starts (``top(len)`` is the total height)."""
        self._fresh()
        return self._prefix(self._front + row) - self._prefix(self._front)

    @property
    def total(self) -> int:
        return self.top(len(self))

    def row_at(self, y: int) -> int:
        """The row that holds ``y`` (clamped to ``0 .. len-1``; 0 when empty)."""
        self._fresh()
        size = len(self._values)
        if size - self._front <= 0:
            return 0
        target = y + self._prefix(self._front)
        if target < 0:
            return 0
        tree = self._tree
        position = 0
        bit = 1 << size.bit_length()
        while bit:
            following = position + bit
            if following <= size and tree[following] <= target:
                position = following
                target -= tree[following]
            bit >>= 1
        # ``position`` values sum to <= y: the row holding y is the next one
        return max(0, min(position - self._front, size - self._front - 1))

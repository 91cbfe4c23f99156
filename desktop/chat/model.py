"""The chat log: every message of one webinar's public chat, in arrival order, without duplicates.

Sources deliver *result sets*: a GraphQL subscription re-sends rows it already sent, edits and
deletions arrive as the same ``messageId`` with ``editedAt``/``deletedAt`` set, and a reconnect
replays history (bbb-api.md §4.3).  :class:`ChatLog` absorbs all of that:

* one row per ``messageId``: a re-delivered row is ignored, an edit or deletion updates its row in
  place (a deleted message stays, marked, so indices never shift under the GUI);
* rows are appended (O(1)) in arrival order; a result set is sorted by sequence before it is
  appended; rows are reachable by index in O(1) for a Qt list model;
* memory is bounded: past ``capacity`` rows the oldest are dropped *and counted*
  (:attr:`ChatLog.dropped_count`); a later re-delivery of a dropped message is recognised by
  its sequence (or time) and not appended again;
* gaps in ``messageSequence`` are tracked (:meth:`ChatLog.missing_sequences`), and
  :meth:`ChatLog.resume_point` tells a source where to resume after a reconnect;
* our own answers are shown at once as *pending* rows (:meth:`ChatLog.add_pending`) and turn into
  the real message when the server sends it back — same row, no duplicate.

Listeners (:meth:`ChatLog.add_listener`) are told about appended, changed and dropped rows, which
is exactly what a ``QAbstractListModel`` needs (rowsInserted, dataChanged, rowsRemoved).  The log
is not thread-safe: feed it from the thread (or asyncio loop) that owns the GUI.

Moderation flags are not stored on the rows: :meth:`ChatLog.flags` asks the
:class:`~desktop.chat.moderation.ModerationState`, and adds "answered" for questions that one of
our answers replied to (derived from the log, so it needs no storage).
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.chat.classify import Classifier, parse_audience_prefix, parse_reply
from desktop.chat.message import (
    NO_FLAGS,
    ChatDataError,
    ChatMessage,
    DeliveryStatus,
    MessageKind,
    ModerationFlags,
    RawChatMessage,
)
from desktop.chat.moderation import ModerationState
from desktop.chat.text import fold, match_key

logger = logging.getLogger(__name__)

DEFAULT_CAPACITY = 200_000
# Adversarial sequences (every other number) must not grow the gap list without bound.
MAX_GAP_RANGES = 1_000
PENDING_PREFIX = "pending:"

AppendedListener = Callable[[int, int], None]
ChangedListener = Callable[[int], None]
DroppedListener = Callable[[int], None]
ResetListener = Callable[[], None]


class IngestOutcome(enum.StrEnum):
    APPENDED = "appended"  # a new row
    UPDATED = "updated"  # an edit or a deletion changed an existing row
    UNCHANGED = "unchanged"  # a re-delivery of a known row
    RECONCILED = "reconciled"  # one of our pending answers came back
    STALE = "stale"  # a re-delivery of a message already dropped for memory


@dataclass(slots=True)
class IngestSummary:
    """What :meth:`ChatLog.ingest_many` / :meth:`ChatLog.ingest_rows` did."""

    appended: int = 0
    updated: int = 0
    unchanged: int = 0
    reconciled: int = 0
    stale: int = 0
    rejected: int = 0  # rows that failed validation (ingest_rows only)

    def count(self, outcome: IngestOutcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where a source should resume after a reconnect.

    Attributes:
        last_sequence: the highest ``messageSequence`` seen, or None.
        last_message_id: the id of the last message received from the source, or None.
        last_created_at: the newest ``createdAt`` seen, or None.
        received: messages received from the source so far (kept and dropped).
    """

    last_sequence: int | None
    last_message_id: str | None
    last_created_at: datetime | None
    received: int


@dataclass(slots=True)
class _Listener:
    on_appended: AppendedListener
    on_changed: ChangedListener
    on_dropped: DroppedListener | None
    on_changed_all: ResetListener | None


class ChatLog:
    """One webinar's chat, ready for display (see the module docstring).

    Args:
        classifier: how raw messages are classified (a default one when None).
        moderation: the webinar's moderation state, or None (no flags).
        capacity: rows kept in memory before the oldest are dropped.
    """

    def __init__(
        self,
        classifier: Classifier | None = None,
        moderation: ModerationState | None = None,
        *,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.classifier = classifier or Classifier()
        self.moderation = moderation
        self.capacity = capacity
        # rows[k] has absolute position base + k; absolute positions never change, so the id
        # index survives drops.  Dropped slots are set to None until the list is compacted.
        self._rows: list[ChatMessage | None] = []
        self._base = 0
        self._dropped = 0
        self._index: dict[str, int] = {}
        self._listeners: list[_Listener] = []
        self._unannounced_from: int | None = None  # absolute position of the first silent append
        self._batch_depth = 0
        # resume and gaps
        self._received = 0
        self._max_sequence: int | None = None
        self._last_source_id: str | None = None
        self._max_created: datetime | None = None
        self._gaps: list[tuple[int, int]] = []
        self._dropped_max_sequence: int | None = None
        self._dropped_max_created: datetime | None = None
        # replies and pending answers
        self._last_by_author: dict[str, str] = {}
        self._answered_by_reply: set[str] = set()
        self._pending: dict[tuple[str, str], deque[str]] = {}
        self._pending_serial = 0
        self._reported_rejections: set[str] = set()
        # unread
        self._read_upto = -1  # absolute position of the last read row
        self._remove_moderation_listener = moderation.add_listener(self._moderation_changed) if moderation else None

    # -- access -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._base + len(self._rows) - self._dropped

    def __getitem__(self, index: int) -> ChatMessage:
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(index)
        row = self._rows[self._dropped - self._base + index]
        assert row is not None
        return row

    def __iter__(self) -> Iterator[ChatMessage]:
        for position in range(self._dropped - self._base, len(self._rows)):
            row = self._rows[position]
            assert row is not None
            yield row

    def index_of(self, message_id: str) -> int | None:
        """The row of ``message_id`` (also ``pending:<n>`` ids), or None."""
        absolute = self._index.get(message_id)
        return None if absolute is None else absolute - self._dropped

    def get(self, message_id: str) -> ChatMessage | None:
        index = self.index_of(message_id)
        return None if index is None else self[index]

    @property
    def dropped_count(self) -> int:
        """Rows dropped so far to stay within ``capacity``."""
        return self._dropped

    def flags(self, message: ChatMessage) -> ModerationFlags:
        """The moderation flags of ``message``, plus "answered" when one of our answers replied to it."""
        flags = self.moderation.flags(message) if self.moderation else NO_FLAGS
        if not flags.answered and message.id in self._answered_by_reply:
            flags = dataclasses.replace(flags, answered=True)
        return flags

    def is_answered(self, message_id: str) -> bool:
        if message_id in self._answered_by_reply:
            return True
        return self.moderation is not None and self.moderation.is_answered(message_id)

    # -- listeners --------------------------------------------------------------------------

    def add_listener(
        self,
        on_appended: AppendedListener,
        on_changed: ChangedListener,
        on_dropped: DroppedListener | None = None,
        on_changed_all: ResetListener | None = None,
    ) -> Callable[[], None]:
        """Be told about changes; returns a function that removes the listener.

        * ``on_appended(first_index, count)``: rows ``first_index .. first_index+count-1`` are new
          (already readable);
        * ``on_changed(index)``: the row's message or flags changed;
        * ``on_dropped(count)``: the ``count`` oldest rows are gone and every index moved down by
          ``count`` (without this listener a GUI cannot follow drops: pass it);
        * ``on_changed_all()``: flags of many rows changed (a blocked word, a muted author);
          without it ``on_changed`` is called for every row.
        """
        listener = _Listener(on_appended, on_changed, on_dropped, on_changed_all)
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _announce(self) -> None:
        if self._unannounced_from is None:
            return
        first = self._unannounced_from - self._dropped
        count = len(self) - first
        self._unannounced_from = None
        if count > 0:
            for listener in list(self._listeners):
                listener.on_appended(first, count)

    def _changed(self, absolute: int) -> None:
        if self._unannounced_from is not None and absolute >= self._unannounced_from:
            return  # its final state goes out with the append notification
        index = absolute - self._dropped
        for listener in list(self._listeners):
            listener.on_changed(index)

    def _moderation_changed(self, ids: frozenset[str] | None) -> None:
        if ids is not None:
            for message_id in ids:
                absolute = self._index.get(message_id)
                if absolute is not None:
                    self._changed(absolute)
            return
        for listener in list(self._listeners):
            if listener.on_changed_all is not None:
                listener.on_changed_all()
            else:
                for index in range(len(self)):
                    listener.on_changed(index)

    # -- ingestion --------------------------------------------------------------------------

    def ingest(self, raw: RawChatMessage) -> IngestOutcome:
        """Take one message from the source (see :meth:`ingest_many` for result sets)."""
        self._batch_depth += 1
        try:
            return self._ingest(raw)
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._finish_batch()

    def ingest_many(self, raws: Iterable[RawChatMessage]) -> IngestSummary:
        """Take a result set: sorted by sequence (then time), de-duplicated, one notification."""
        ordered = sorted(raws, key=lambda r: (r.sequence is None, r.sequence or 0, r.created_at))
        summary = IngestSummary()
        self._batch_depth += 1
        try:
            for raw in ordered:
                summary.count(self._ingest(raw))
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._finish_batch()
        return summary

    def ingest_rows(self, rows: Iterable[object]) -> IngestSummary:
        """Validate and take ``chat_message_public`` rows; invalid rows are logged and counted.

        One bad row must not lose the others, so :class:`ChatDataError` is not raised here.
        """
        raws: list[RawChatMessage] = []
        rejected = 0
        for row in rows:
            try:
                raws.append(RawChatMessage.from_graphql(row))
            except ChatDataError as error:
                rejected += 1
                # result sets are re-sent on every change: say it once per distinct problem
                if error.sentence not in self._reported_rejections and len(self._reported_rejections) < 100:
                    self._reported_rejections.add(error.sentence)
                    logger.warning("Ignored a chat row: %s", error)
        summary = self.ingest_many(raws)
        summary.rejected = rejected
        return summary

    def _finish_batch(self) -> None:
        self._announce()
        self._trim()

    def _ingest(self, raw: RawChatMessage) -> IngestOutcome:
        absolute = self._index.get(raw.message_id)
        if absolute is not None:
            return self._update(absolute, raw)
        if self._is_stale(raw):
            return IngestOutcome.STALE
        self._note_source(raw)
        pending_id = self._match_pending(raw)
        if pending_id is not None:
            return self._reconcile(pending_id, raw)
        message = self._resolve_reply(self.classifier.classify(raw))
        self._append(message)
        return IngestOutcome.APPENDED

    def _update(self, absolute: int, raw: RawChatMessage) -> IngestOutcome:
        current = self._row(absolute)
        if current.is_pending:
            return IngestOutcome.UNCHANGED  # a pending id never comes from a source
        if current.deleted_at is not None and raw.deleted_at is None:
            return IngestOutcome.UNCHANGED  # an older result set: deletions are final
        if current.edited_at is not None and (raw.edited_at is None or raw.edited_at < current.edited_at):
            return IngestOutcome.UNCHANGED  # an older version: an edit is never undone
        if (
            current.has_raw_text(raw.text)
            and raw.edited_at == current.edited_at
            and raw.deleted_at == current.deleted_at
            and raw.sender_name == current.sender_name
        ):
            return IngestOutcome.UNCHANGED
        own = current.kind is MessageKind.PRESENTER_ANSWER
        message = self.classifier.classify(raw, own=own, reply_to=current.reply_to)
        message = self._resolve_reply(message)
        self._replace(absolute, message)
        return IngestOutcome.UPDATED

    def _append(self, message: ChatMessage) -> None:
        absolute = self._base + len(self._rows)
        self._rows.append(message)
        self._index[message.id] = absolute
        if message.kind in (MessageKind.AUDIENCE, MessageKind.PANELIST):
            self._last_by_author[fold(message.author)] = message.id
        if message.kind is MessageKind.PRESENTER_ANSWER and not message.is_pending:
            self._mark_replied(message)
        if self._unannounced_from is None:
            self._unannounced_from = absolute
        if self._batch_depth == 0:
            self._finish_batch()

    def _replace(self, absolute: int, message: ChatMessage) -> None:
        self._rows[absolute - self._base] = message
        if self.moderation is not None:
            self.moderation.forget_cached(message.id)
        if message.kind is MessageKind.PRESENTER_ANSWER and not message.is_pending:
            self._mark_replied(message)
        self._changed(absolute)

    def _row(self, absolute: int) -> ChatMessage:
        row = self._rows[absolute - self._base]
        assert row is not None
        return row

    def _resolve_reply(self, message: ChatMessage) -> ChatMessage:
        """Link ``@First Last: ...`` to that author's last message (answers and panelists only)."""
        if message.reply_to is not None or message.kind not in (MessageKind.PRESENTER_ANSWER, MessageKind.PANELIST):
            return message
        reply = parse_reply(message.text)
        if reply is None:
            return message
        target = self._last_by_author.get(fold(reply[0]))
        if target is None or target not in self._index:
            return message
        return dataclasses.replace(message, reply_to=target)

    def _mark_replied(self, message: ChatMessage) -> None:
        target = message.reply_to
        if target is None or target in self._answered_by_reply:
            return
        self._answered_by_reply.add(target)
        absolute = self._index.get(target)
        if absolute is not None:
            self._changed(absolute)

    # -- memory bound -----------------------------------------------------------------------

    def _is_stale(self, raw: RawChatMessage) -> bool:
        if self._dropped == 0:
            return False
        if raw.sequence is not None and self._dropped_max_sequence is not None:
            return raw.sequence <= self._dropped_max_sequence
        return self._dropped_max_created is not None and raw.created_at <= self._dropped_max_created

    def _trim(self) -> None:
        excess = len(self) - self.capacity
        if excess <= 0:
            return
        for _ in range(excess):
            position = self._dropped - self._base
            message = self._rows[position]
            assert message is not None
            self._rows[position] = None
            self._dropped += 1
            self._forget(message)
        self._gaps = [gap for gap in self._gaps if self._dropped_max_sequence is None or gap[1] > self._dropped_max_sequence]
        if self._dropped - self._base > max(1024, len(self._rows) // 2):
            del self._rows[: self._dropped - self._base]
            self._base = self._dropped
        for listener in list(self._listeners):
            if listener.on_dropped is not None:
                listener.on_dropped(excess)

    def _forget(self, message: ChatMessage) -> None:
        self._index.pop(message.id, None)
        self._answered_by_reply.discard(message.id)
        if self.moderation is not None:
            self.moderation.forget_cached(message.id)
        if message.is_pending:
            for queue in self._pending.values():
                if message.id in queue:
                    queue.remove(message.id)
            return
        if message.sequence is not None and (self._dropped_max_sequence is None or message.sequence > self._dropped_max_sequence):
            self._dropped_max_sequence = message.sequence
        if self._dropped_max_created is None or message.created_at > self._dropped_max_created:
            self._dropped_max_created = message.created_at

    # -- resume and gaps --------------------------------------------------------------------

    def _note_source(self, raw: RawChatMessage) -> None:
        self._received += 1
        self._last_source_id = raw.message_id
        if self._max_created is None or raw.created_at > self._max_created:
            self._max_created = raw.created_at
        sequence = raw.sequence
        if sequence is None:
            return
        if self._max_sequence is None:
            self._max_sequence = sequence
        elif sequence > self._max_sequence:
            if sequence > self._max_sequence + 1:
                self._gaps.append((self._max_sequence + 1, sequence - 1))
                if len(self._gaps) > MAX_GAP_RANGES:
                    del self._gaps[0]
            self._max_sequence = sequence
        else:
            self._fill_gap(sequence)

    def _fill_gap(self, sequence: int) -> None:
        at = bisect.bisect_right(self._gaps, (sequence, float("inf"))) - 1
        if at < 0:
            return
        low, high = self._gaps[at]
        if not low <= sequence <= high:
            return
        replacement = [(lo, hi) for lo, hi in ((low, sequence - 1), (sequence + 1, high)) if lo <= hi]
        self._gaps[at : at + 1] = replacement

    def missing_sequences(self) -> list[tuple[int, int]]:
        """Ranges ``(first, last)`` of sequence numbers skipped between messages received.

        Numbers before the first message received are not "missing" (history may be paged), and
        at most :data:`MAX_GAP_RANGES` ranges are kept (the newest).
        """
        return list(self._gaps)

    def resume_point(self) -> ResumePoint:
        return ResumePoint(
            last_sequence=self._max_sequence,
            last_message_id=self._last_source_id,
            last_created_at=self._max_created,
            received=self._received,
        )

    # -- pending answers --------------------------------------------------------------------

    def add_pending(self, text: str, sink: str, *, reply_to: str | None = None, author: str | None = None) -> ChatMessage:
        """Show an answer we are sending, until the source delivers it.

        Args:
            text: the exact chat text handed to the sink (quote included).
            sink: the sender name the answer will come back under: the sendChatMessage
                ``userName``, the monitoring user's name, or the gateway user ("streaming").
            reply_to: the message it answers (marked answered once the answer is delivered).
            author: who to show as author meanwhile (default: ``sink``).

        Returns the pending row; its id (``pending:<n>``) is what :meth:`mark_failed` takes.
        """
        self._pending_serial += 1
        message = ChatMessage(
            id=f"{PENDING_PREFIX}{self._pending_serial}",
            sequence=None,
            kind=MessageKind.PRESENTER_ANSWER,
            author=author or sink,
            text=text,
            raw_prefix="",
            created_at=datetime.now(UTC),
            reply_to=reply_to,
            sender_name=sink,
            status=DeliveryStatus.PENDING,
        )
        message = self._resolve_reply(message)
        self._pending.setdefault((fold(sink).strip(), match_key(text)), deque()).append(message.id)
        self._append(message)
        return message

    def mark_failed(self, pending_id: str) -> bool:
        """The sink could not send a pending answer: keep the row, marked FAILED.

        A failed answer that shows up later anyway (a timeout that was not one) still turns into
        the real message.
        """
        absolute = self._index.get(pending_id)
        if absolute is None:
            return False
        current = self._row(absolute)
        if current.status is not DeliveryStatus.PENDING:
            return False
        self._rows[absolute - self._base] = dataclasses.replace(current, status=DeliveryStatus.FAILED)
        self._changed(absolute)
        return True

    def pending_count(self) -> int:
        return sum(len(queue) for queue in self._pending.values())

    def _match_pending(self, raw: RawChatMessage) -> str | None:
        if not self._pending:
            return None
        sender = fold(raw.sender_name).strip()
        text = self.classifier.display_text(raw)
        candidates = [text]
        marker = self.classifier.answer_marker
        if marker and text.startswith(marker):
            candidates.append(text[len(marker) :])
        prefix = parse_audience_prefix(text)
        if prefix is not None:
            candidates.append(prefix.body)
        for candidate in candidates:
            queue = self._pending.get((sender, match_key(candidate)))
            if queue:
                pending_id = queue.popleft()
                if not queue:
                    del self._pending[(sender, match_key(candidate))]
                return pending_id
        return None

    def _reconcile(self, pending_id: str, raw: RawChatMessage) -> IngestOutcome:
        absolute = self._index.pop(pending_id)
        pending = self._row(absolute)
        message = self._resolve_reply(self.classifier.classify(raw, own=True, reply_to=pending.reply_to))
        self._index[message.id] = absolute
        self._replace(absolute, message)
        return IngestOutcome.RECONCILED

    # -- unread -----------------------------------------------------------------------------

    def mark_read(self, upto_index: int | None = None) -> None:
        """Everything up to row ``upto_index`` (default: the last row) has been read."""
        if len(self) == 0:
            return
        index = len(self) - 1 if upto_index is None else max(-1, min(upto_index, len(self) - 1))
        self._read_upto = max(self._read_upto, self._dropped + index)

    def unread_count(self, accept: Callable[[ChatMessage, ModerationFlags], bool] | None = None) -> int:
        """Rows after the read marker that ``accept`` takes (default: other people's visible messages).

        O(unread rows).
        """
        start = max(self._read_upto + 1, self._dropped)
        count = 0
        for absolute in range(start, self._base + len(self._rows)):
            message = self._row(absolute)
            flags = self.flags(message)
            if accept is None:
                if message.kind is MessageKind.PRESENTER_ANSWER or message.is_deleted or flags.excluded:
                    continue
            elif not accept(message, flags):
                continue
            count += 1
        return count

    def close(self) -> None:
        """Stop listening to the moderation state."""
        if self._remove_moderation_listener is not None:
            self._remove_moderation_listener()
            self._remove_moderation_listener = None

"""How much memory the chat log takes, for a benchmark or a sizing decision (no timing).

``python -c "from desktop.chat.memory import measure_memory; print(measure_memory(100_000))"``
Measured on CPython 3.11 (x86-64): about 560 bytes per message for Pod-like audience messages of
~60 characters with accents (the row, its shown text — the server's text is rebuilt from a shared
prefix, not kept twice — the datetime, the id and the id index), i.e. ~56 MB for 100,000 messages
and ~112 MB at the default 200,000-row cap (about 700 bytes before the second copy went).  The
soak's mix, read over GraphQL into the chat window: ``python -m tests.reliability.chat_memory``.  The test suite runs it on a small ``n``.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop.chat.classify import Classifier
from desktop.chat.message import RawChatMessage
from desktop.chat.model import ChatLog


@dataclass(frozen=True, slots=True)
class MemoryReport:
    messages: int
    bytes_total: int
    bytes_peak: int

    @property
    def bytes_per_message(self) -> float:
        return self.bytes_total / self.messages if self.messages else 0.0


def synthetic_messages(n: int, *, start: datetime | None = None) -> Iterator[RawChatMessage]:
    """``n`` Pod-like audience messages (a mix of questions and remarks) with sequences 1..n."""
    origin = start or datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    texts = (
        "Bonjour à tous, est-ce que la présentation sera disponible après ?",
        "Merci pour cette intervention très claire",
        "How do I get the slides from today's session",
        "Le son coupe de temps en temps de mon côté",
    )
    for i in range(n):
        yield RawChatMessage(
            message_id=f"{1_700_000_000_000 + i}-{i:08x}",
            sequence=i + 1,
            text=f"(Participant {i % 5000}) {texts[i % len(texts)]}",
            message_type="default",
            sender_name="streaming",
            sender_role="VIEWER",
            sender_user_id="w_streaming",
            sender_is_moderator=False,
            created_at=origin + timedelta(milliseconds=250 * i),
        )


def measure_memory(n: int, *, capacity: int | None = None) -> MemoryReport:
    """Memory held by a :class:`ChatLog` after ingesting ``n`` synthetic messages (tracemalloc).

    The raw messages are generated while measuring and released before the snapshot, so the
    figure is everything the log keeps (strings, datetimes, index) and nothing else; the peak
    includes the result set being ingested.
    """
    classifier = Classifier()
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        log = ChatLog(classifier, capacity=capacity or max(n, 1))
        log.ingest_many(synthetic_messages(n))
        after, peak = tracemalloc.get_traced_memory()
    finally:
        if not already_tracing:
            tracemalloc.stop()
    assert len(log) == min(n, log.capacity)
    return MemoryReport(messages=len(log), bytes_total=after - before, bytes_peak=peak - before)

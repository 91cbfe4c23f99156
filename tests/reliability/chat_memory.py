"""Where the bytes of one retained chat message go: the soak's chat path, in one process, offline.

Run with::

    .venv/bin/python -m tests.reliability.chat_memory --messages 12000
    .venv/bin/python -m tests.reliability.chat_memory --messages 12000 --tracemalloc

Not part of the test suite (pytest only collects ``test_*.py``).

Why offline: the soak (:mod:`tests.reliability.soak`) measures the whole app's RSS, which mixes
the chat with libVLC, the live watcher and the allocator's moods; to say *which structure* each
byte belongs to, the chat path is reproduced here without the network:

* the messages are the soak's mix (the lab audience's :meth:`AudienceSimulator.compose` with the
  soak's seed and viewers, 5 % hostile, formatted by :func:`pod_message` as Pod does) and rows
  are built by the lab's own :meth:`LabChatMessage.to_graphql`;
* after every message the lab's GraphQL server would push the whole window (≤ 200 rows) as a
  fresh JSON result set: the same payload goes through ``json.dumps``/``json.loads`` into the real
  :class:`~desktop.chat.graphql_source.GraphQLChatSource` (its seen-set and window moves), into
  the :class:`~desktop.chat.model.ChatLog`, shown in the :class:`~desktop.ui.chat_window.ChatWindow`
  (offscreen Qt), with Qt events processed after every result set;
* after ``--warmup`` messages the state is recorded (RSS, glibc's heap in use, the Python heap
  by tracemalloc with ``--tracemalloc``); after ``--messages`` it is compared: bytes per message
  added in between, by source line, and by structure (an object-graph count of what the log's
  rows and the reader's seen-set hold, each object counted once).

The irreducible part is the text itself: the row's raw text as CPython stores it (1 byte per
character for Latin-1 text, 2 or 4 for the rest, plus a ~50-byte header).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Iterable, Sequence
from dataclasses import fields, is_dataclass
from typing import Any

SOAK_SEED = 7
SOAK_VIEWERS = 200


def rss_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def malloc_in_use() -> int | None:
    """glibc's bytes in use (small + mmapped chunks): Qt's C++ objects and CPython's objects over
    512 bytes; pymalloc's own arenas are mmapped separately and not in this figure."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallinfo2 = libc.mallinfo2
    except (OSError, AttributeError):
        return None
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return int(info.uordblks + info.hblkhd)


def soak_rows(count: int, first_sequence: int = 1) -> Iterable[dict[str, Any]]:
    """``count`` rows of the soak's audience mix, as the lab's GraphQL server selects them."""
    from desktop.lab.audience import AudienceSimulator, pod_message
    from desktop.lab.world import LabChatMessage

    async def never(_author: str, _text: str) -> None:
        raise AssertionError("offline")

    simulator = AudienceSimulator(never, viewers=SOAK_VIEWERS, rate=20.0, seed=SOAK_SEED)
    start_ms = 1_780_000_000_000
    for number in range(first_sequence, first_sequence + count):
        message = simulator.compose()
        created = start_ms + 50 * number
        lab = LabChatMessage(
            message_id=f"{created}-{number * 2654435761 % 16**8:08x}", sequence=number,
            text=pod_message(message.viewer.name, message.text), sender_id="w_streaming",
            sender_name="streaming", sender_role="VIEWER", sender_is_moderator=False, created_at=created)
        row = lab.to_graphql()
        row.pop("messageMetadata", None)
        yield row


class ChatPath:
    """The soak's chat path without the network: reader -> log -> window."""

    def __init__(self, *, window: bool) -> None:
        from desktop.chat.classify import Classifier
        from desktop.chat.graphql_source import GraphQLChatSource
        from desktop.chat.model import ChatLog

        self.log = ChatLog(Classifier())
        self.app: Any = None
        self.window: Any = None
        if window:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtWidgets import QApplication

            from desktop.ui.chat_window import ChatWindow

            self.app = QApplication.instance() or QApplication([])
            self.window = ChatWindow(self.log, title="Memory")
            self.window.show()

        log = self.log

        class OfflineSource(GraphQLChatSource):
            def _send_nowait(self, frame: dict[str, Any]) -> None:
                pass  # moving the window is a frame to the server: nothing to send offline

        self.source = OfflineSource(None, "memory", on_messages=log.ingest_many)  # type: ignore[arg-type]
        self._server: list[dict[str, Any]] = []  # the lab meeting's chat, oldest first

    def feed(self, rows: Iterable[dict[str, Any]]) -> None:
        """Post ``rows`` one by one; after each, the reader gets its window as a fresh result set."""
        for row in rows:
            self._server.append(row)
            offset = self.source._offset
            window = self._server[offset: offset + self.source.window]
            payload = json.loads(json.dumps({"data": {"chat_message_public": window}}))
            self.source._on_next("chat-1", payload)
            if self.app is not None:
                self.app.processEvents()

    def close(self) -> None:
        if self.window is not None:
            self.window.dispose()
            self.app.processEvents()


# -- object-graph accounting ---------------------------------------------------------------------
def _size(obj: object) -> int:
    # what tracemalloc would see: the object plus the GC header of tracked containers
    return sys.getsizeof(obj)


def _children(obj: object) -> Iterable[object]:
    if isinstance(obj, str | int | float | bool | type(None)):
        return ()
    if is_dataclass(obj) and not isinstance(obj, type):
        return (getattr(obj, f.name) for f in fields(obj))
    if isinstance(obj, tuple | list):
        return obj
    if hasattr(obj, "tzinfo") and hasattr(obj, "year"):  # datetime: its tzinfo is shared
        return ()
    return ()


def _shared_constants() -> set[int]:
    """Objects that exist once for the whole process (enum members, UTC, interned literals)."""
    from datetime import UTC

    from desktop.chat.message import DeliveryStatus, MessageKind

    shared: set[int] = {id(UTC), id(None), id(True), id(False)}
    for enum_type in (MessageKind, DeliveryStatus):
        for member in enum_type:
            shared.add(id(member))
    return shared


def account(messages: Sequence[object], extra: dict[str, object], baseline: set[int]) -> dict[str, dict[str, int]]:
    """Bytes by (structure, field) for the objects only ``messages`` (and ``extra``) hold.

    ``baseline``: ids already counted (objects older than the warm-up, shared constants).
    """
    seen = set(baseline)
    table: dict[str, dict[str, int]] = {}

    def add(structure: str, name: str, obj: object) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        entry = table.setdefault(f"{structure}.{name}", {"objects": 0, "bytes": 0})
        entry["objects"] += 1
        entry["bytes"] += _size(obj)
        for child in _children(obj):
            add(structure, f"{name}[{type(child).__name__}]", child)

    for message in messages:
        if id(message) not in seen:
            seen.add(id(message))
            entry = table.setdefault("ChatMessage.(object)", {"objects": 0, "bytes": 0})
            entry["objects"] += 1
            entry["bytes"] += _size(message)
        for f in fields(message):  # type: ignore[arg-type]
            add("ChatMessage", f.name, getattr(message, f.name))
    for structure, value in extra.items():
        add(structure, "(value)", value)
    return table


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.tracemalloc:
        tracemalloc.start(1)
    path = ChatPath(window=not args.no_window)
    # the lab's side (the meeting's rows) exists before the warm-up: only the app's share grows
    rows = iter(list(soak_rows(args.messages)))
    path.feed(next(rows) for _ in range(args.warmup))
    gc.collect()
    warm_rss, warm_malloc = rss_bytes(), malloc_in_use()
    warm_snapshot = tracemalloc.take_snapshot() if args.tracemalloc else None
    warm_ids = {id(m) for m in path.log}
    warm_seen = set(path.source._seen) | set(path.source._seen_before)
    started = time.perf_counter()
    path.feed(rows)
    elapsed = time.perf_counter() - started
    gc.collect()
    end_rss, end_malloc = rss_bytes(), malloc_in_use()
    end_snapshot = tracemalloc.take_snapshot() if args.tracemalloc else None
    added = args.messages - args.warmup
    assert len(path.log) == args.messages, (len(path.log), args.messages)

    new_messages = [m for m in path.log if id(m) not in warm_ids]
    seen_now = {**path.source._seen_before, **path.source._seen}
    seen_entries = {k: v for k, v in seen_now.items() if k not in warm_seen}
    baseline = _shared_constants() | {id(path.log[i]) for i in range(args.warmup)}
    baseline |= {id(getattr(path.log[i], f.name)) for i in range(args.warmup) for f in fields(path.log[i])}
    structures = account(new_messages, {"seen(keys+values)": list(seen_entries.items())}, baseline)
    raw_text = sum(sys.getsizeof(m.raw_text) for m in new_messages)
    chars = sum(len(m.raw_text) for m in new_messages)
    result: dict[str, Any] = {
        "messages": args.messages,
        "warmup": args.warmup,
        "window": not args.no_window,
        "seconds_per_1000": round(1000 * elapsed / added, 3),
        "rss_bytes_per_message": round((end_rss - warm_rss) / added),
        "malloc_bytes_per_message": None if warm_malloc is None or end_malloc is None
        else round((end_malloc - warm_malloc) / added),
        "raw_text_bytes_per_message": round(raw_text / added),
        "raw_text_chars_per_message": round(chars / added, 1),
        "seen_set_entries": path.source.seen_count,
        "structures_bytes_per_message": {
            name: round(entry["bytes"] / added, 1)
            for name, entry in sorted(structures.items(), key=lambda kv: -kv[1]["bytes"])},
    }
    if warm_snapshot is not None and end_snapshot is not None:
        stats = end_snapshot.compare_to(warm_snapshot, "lineno")
        total = sum(stat.size_diff for stat in stats)
        result["tracemalloc_bytes_per_message"] = round(total / added)
        result["tracemalloc_top"] = [
            {"where": f"{stat.traceback[0].filename.replace(str(ROOT) + os.sep, '')}:{stat.traceback[0].lineno}",
             "bytes_per_message": round(stat.size_diff / added, 1), "blocks": stat.count_diff}
            for stat in stats[: args.top] if stat.size_diff]
        tracemalloc.stop()
    path.close()
    return result


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.chat_memory",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--messages", type=int, default=12_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--tracemalloc", action="store_true", help="Python heap by source line (slower)")
    parser.add_argument("--no-window", action="store_true", help="reader and log only, no Qt")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if args.messages <= args.warmup:
        parser.error("--messages must be more than --warmup")
    print(json.dumps(run(args), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

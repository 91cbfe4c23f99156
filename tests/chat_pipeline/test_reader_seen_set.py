"""The GraphQL reader's de-duplication stays bounded over a long live, and still never re-delivers.

The reader is fed result sets the way the lab's (and Hasura's) live query sends them: the whole
window after every message, the window moving on once full, and after a reconnect the current
window again from its start.
"""

from __future__ import annotations

import asyncio
from typing import Any

from desktop.chat.graphql_source import GraphQLChatSource
from desktop.chat.message import RawChatMessage

WINDOW = 5


class _Socket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, data: str) -> None:
        self.sent.append(data)


def _row(number: int, *, edited: int | None = None) -> dict[str, Any]:
    return {"messageId": f"m{number}", "messageSequence": number, "createdAt": 1_772_632_801_000 + number,
            "message": f"(Jane Doe) message {number}", "senderName": "streaming",
            "editedAt": edited, "deletedAt": None}


def _payload(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"data": {"chat_message_public": rows}}


class _Server:
    """The meeting's chat and what a window subscription at the reader's offset returns."""

    def __init__(self, source: GraphQLChatSource) -> None:
        self.source = source
        self.rows: list[dict[str, Any]] = []

    def window(self) -> list[dict[str, Any]]:
        offset = self.source._offset
        return [dict(row) for row in self.rows[offset: offset + self.source.window]]

    def push(self) -> None:
        self.source._on_next("chat-1", _payload(self.window()))

    def post(self, number: int) -> None:
        self.rows.append(_row(number))
        self.push()


async def _reader() -> tuple[GraphQLChatSource, _Server, list[RawChatMessage]]:
    delivered: list[RawChatMessage] = []
    source = GraphQLChatSource(None, "m", on_messages=delivered.extend, window=WINDOW)  # type: ignore[arg-type]
    source._ws = _Socket()  # type: ignore[assignment]
    return source, _Server(source), delivered


async def test_the_seen_set_forgets_windows_left_behind_and_never_redelivers() -> None:
    source, server, delivered = await _reader()
    for number in range(1, 10 * WINDOW + 3):
        server.post(number)
        assert source.seen_count <= 2 * WINDOW
    await asyncio.sleep(0)  # the window moves' frames
    assert [m.message_id for m in delivered] == [f"m{n}" for n in range(1, 10 * WINDOW + 3)]
    # a reconnect re-subscribes at the current window: all of it again, none of it new
    server.push()
    server.push()
    assert len(delivered) == 10 * WINDOW + 2


async def test_rows_of_the_window_just_left_are_still_recognised() -> None:
    """A late row (older createdAt) shifts the ordering: the last rows of the previous window
    come back at the start of the next one and must not be delivered twice."""
    source, server, delivered = await _reader()
    for number in range(1, WINDOW + 1):
        server.post(number)
    assert source._offset == WINDOW  # the window moved on
    late = _row(1000)
    late["createdAt"] = server.rows[-1]["createdAt"] - 1
    server.rows.insert(WINDOW - 1, late)  # now m5 is the first row of the new window
    server.post(WINDOW + 1)
    ids = [m.message_id for m in delivered]
    assert ids.count(f"m{WINDOW}") == 1
    assert ids[-1] == f"m{WINDOW + 1}"


async def test_an_edit_in_the_current_window_is_delivered_once() -> None:
    _source, server, delivered = await _reader()
    for number in range(1, WINDOW + 3):
        server.post(number)
    server.rows[WINDOW]["editedAt"] = 1_772_632_900_000  # m6, in the current window
    server.push()
    server.push()
    edits = [m for m in delivered if m.message_id == f"m{WINDOW + 1}"]
    assert len(edits) == 2 and edits[0].edited_at is None and edits[1].edited_at is not None


async def test_the_unedited_marker_is_shared_not_one_tuple_per_message() -> None:
    source, server, _delivered = await _reader()
    for number in range(1, WINDOW):
        server.post(number)
    markers = {id(marker) for marker in source._seen.values()}
    assert len(markers) == 1

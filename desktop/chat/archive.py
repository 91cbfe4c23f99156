"""Every public-chat message a webinar received, kept in SQLite after the meeting is gone.

BBB forgets a meeting's chat when the meeting ends, and Pupitre's :class:`~desktop.chat.model.ChatLog`
lives in memory.  The archive keeps the rows as the source delivered them, so that:

* the chat can be exported (and the session report written) after the meeting ended;
* ``pupitre chat send --reply-to MSG`` can find who wrote message ``MSG`` from another process;
* the GUI can reload a webinar's log after a restart of Pupitre (:meth:`ChatArchive.load_into`).

Rows are keyed by (webinar session key, ``messageId``) and hold the **latest** version of each
message: an edit replaces the text, a deletion is final (an older result set re-delivered after
a reconnect cannot undo it).  Each row is stored in the ``chat_message_public`` shape and read
back through :meth:`RawChatMessage.from_graphql`, so a damaged row is skipped with a log line
rather than trusted.

Which rows were Pupitre's own answers is also kept (``own``, and the message it answered):
after a restart the monitoring user has a new id and gateway answers look like any gateway
message, so the classifier alone could no longer tell.

The database is the application's shared file; this module owns the ``chat_archive`` table and
its schema version (component ``chat_archive``).  Nothing secret goes in: chat rows only.

Writes happen behind the caller (``background=True``, the default): :meth:`ChatArchive.append`
queues the rows and returns; one writer thread takes everything queued since its last
transaction and writes it in one (rows to JSON included).  The chat reader calls ``append``
for every result set on the GUI's loop, where a commit (a few ms with its disk sync) would delay
painting; in the thread it costs the loop nothing, and a burst becomes one transaction.  Every
read waits for the queued writes first, so a reader always sees what was appended; a write that
failed is raised by the next ``append`` (or :meth:`ChatArchive.flush`); :meth:`ChatArchive.close`
and the interpreter's exit write what is still queued.
"""

from __future__ import annotations

import atexit
import json
import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.chat.message import ChatDataError, MessageKind, RawChatMessage
from desktop.chat.model import ChatLog
from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.store import migrate, open_database

logger = logging.getLogger(__name__)

COMPONENT = "chat_archive"
_MIGRATIONS = [
    """
    CREATE TABLE chat_archive (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence INTEGER,
        created_ms INTEGER NOT NULL,
        edited_ms INTEGER,
        deleted_ms INTEGER,
        row TEXT NOT NULL,
        own INTEGER NOT NULL DEFAULT 0,
        reply_to TEXT,
        received_at REAL NOT NULL,
        UNIQUE (key, message_id)
    );
    CREATE INDEX chat_archive_order ON chat_archive(key, sequence, created_ms, id)
    """,
]
# An older version never replaces a newer one: deletions are final, edits only move forward.
_UPSERT = """
INSERT INTO chat_archive (key, message_id, sequence, created_ms, edited_ms, deleted_ms, row, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key, message_id) DO UPDATE SET
    sequence = excluded.sequence, created_ms = excluded.created_ms, edited_ms = excluded.edited_ms,
    deleted_ms = excluded.deleted_ms, row = excluded.row
WHERE NOT (chat_archive.deleted_ms IS NOT NULL AND excluded.deleted_ms IS NULL)
  AND (chat_archive.edited_ms IS NULL
       OR (excluded.edited_ms IS NOT NULL AND excluded.edited_ms >= chat_archive.edited_ms))
"""


class ChatArchiveError(PupitreError):
    """The chat archive could not be read or written."""


@dataclass(frozen=True, slots=True)
class ArchivedMessage:
    """One archived row: the message, and whether it was one of our answers (and to what)."""

    raw: RawChatMessage
    own: bool
    reply_to: str | None


_Append = tuple[str, list[RawChatMessage], dict[str, str | None]]
_OPEN_ARCHIVES: weakref.WeakSet[ChatArchive] = weakref.WeakSet()


@atexit.register
def _write_queued_at_exit() -> None:
    for archive in list(_OPEN_ARCHIVES):
        archive.close()


class ChatArchive:
    """The ``chat_archive`` table of the application database (``path``; ``":memory:"`` for tests).

    Args:
        path: the database file.
        background: write in a thread (see the module docstring); False writes in ``append``.
    """

    def __init__(self, path: Path | str, *, background: bool = True) -> None:
        try:
            self._conn = open_database(path)
            migrate(self._conn, COMPONENT, _MIGRATIONS)
        except (sqlite3.Error, OSError) as error:
            raise ChatArchiveError(
                _("The chat archive could not be opened ({kind}: {error}).").format(
                    kind=error.__class__.__name__, error=error),
                hint=_("Check that the data folder is writable and not on a full disk."),
            ) from None
        self._lock = threading.Lock()
        self._background = background
        self._queued = threading.Condition()
        self._pending: list[_Append] = []
        self._writing = False
        self._failure: ChatArchiveError | None = None
        self._closed = False
        self._writer: threading.Thread | None = None
        _OPEN_ARCHIVES.add(self)

    def close(self) -> None:
        """Write what is queued, stop the writer, close the database (a second call does nothing)."""
        with self._queued:
            if self._closed:
                return
            self._closed = True
            self._queued.notify_all()
        if self._writer is not None:
            self._writer.join()
        elif self._pending:
            self._write_logged(self._take())
        _OPEN_ARCHIVES.discard(self)
        self._conn.close()

    def __enter__(self) -> ChatArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------------
    def append(self, key: str, raws: Iterable[RawChatMessage], *,
               answers: Mapping[str, str | None] | None = None) -> None:
        """Store (or update) ``raws`` for the webinar session ``key`` (queued in background mode).

        Args:
            answers: message ids among ``raws`` (or already stored) that are our own answers,
                each with the id of the message it answered (or None).  Once marked, a row stays
                marked.

        Raises:
            ChatArchiveError: this write failed, or (background mode) the previous one did.
        """
        item: _Append = (key, list(raws), dict(answers or {}))
        if not item[1] and not item[2]:
            return
        if not self._background:
            self._write([item])
            return
        with self._queued:
            if self._closed:
                raise ChatArchiveError(_("The chat archive is closed."))
            failure, self._failure = self._failure, None
            self._pending.append(item)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_queued, name="chat archive writer", daemon=True)
                self._writer.start()
            self._queued.notify_all()
        if failure is not None:
            raise failure

    def flush(self) -> None:
        """Wait until every queued write is done; raises the failure of one that was not."""
        self._wait_written()
        with self._queued:
            failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def _wait_written(self) -> None:
        with self._queued:
            while self._pending or self._writing:
                if self._writer is None or not self._writer.is_alive():
                    break
                self._queued.wait()

    def _take(self) -> list[_Append]:
        taken, self._pending = self._pending, []
        return taken

    def _write_queued(self) -> None:
        """The writer thread: everything queued since the last transaction goes in one."""
        while True:
            with self._queued:
                while not self._pending and not self._closed:
                    self._queued.wait()
                if not self._pending:
                    return  # closed and drained
                batch = self._take()
                self._writing = True
            failure = self._write_logged(batch)
            with self._queued:
                self._writing = False
                if failure is not None:
                    self._failure = failure
                self._queued.notify_all()

    def _write_logged(self, batch: list[_Append]) -> ChatArchiveError | None:
        try:
            self._write(batch)
        except ChatArchiveError as error:
            logger.warning("chat archive: %d result set(s) not written (%s)", len(batch), error.sentence)
            return error
        return None

    def _write(self, batch: list[_Append]) -> None:
        now = datetime.now(UTC).timestamp()
        values = [
            (key, raw.message_id, raw.sequence, _ms(raw.created_at), _ms(raw.edited_at), _ms(raw.deleted_at),
             json.dumps(_to_row(raw), ensure_ascii=False), now)
            for key, raws, _answers in batch for raw in raws
        ]
        marks = [(reply_to, key, message_id)
                 for key, _raws, answers in batch for message_id, reply_to in answers.items()]
        try:
            with self._lock:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(_UPSERT, values)
                    self._conn.executemany(
                        "UPDATE chat_archive SET own = 1, reply_to = COALESCE(reply_to, ?) "
                        "WHERE key = ? AND message_id = ?", marks)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as error:
            raise ChatArchiveError(_("The chat archive could not be written ({error}).").format(error=error)) from None

    def forget(self, key: str) -> int:
        """Delete the archive of ``key``; returns the number of rows removed."""
        self._wait_written()
        with self._lock:
            cursor = self._conn.execute("DELETE FROM chat_archive WHERE key = ?", (key,))
        return cursor.rowcount

    # -- reading -----------------------------------------------------------------------------
    def messages(self, key: str) -> list[ArchivedMessage]:
        """The archived messages of ``key`` in chat order (sequence, then time, then arrival)."""
        self._wait_written()
        try:
            with self._lock:  # the writer thread shares the connection
                rows = self._conn.execute(
                    "SELECT message_id, row, own, reply_to FROM chat_archive WHERE key = ? "
                    "ORDER BY sequence IS NULL, sequence, created_ms, id", (key,)).fetchall()
        except sqlite3.Error as error:
            raise ChatArchiveError(_("The chat archive could not be read ({error}).").format(error=error)) from None
        out: list[ArchivedMessage] = []
        for row in rows:
            try:
                raw = RawChatMessage.from_graphql(json.loads(row["row"]))
            except (ValueError, ChatDataError) as error:
                logger.warning("chat archive: skipped a damaged row of %s (%s)", key, error)
                continue
            out.append(ArchivedMessage(raw, bool(row["own"]), row["reply_to"]))
        return out

    def rows(self, key: str) -> list[RawChatMessage]:
        """The archived messages of ``key`` in chat order."""
        return [item.raw for item in self.messages(key)]

    def get(self, key: str, message_id: str) -> RawChatMessage | None:
        self._wait_written()
        with self._lock:
            row = self._conn.execute(
                "SELECT row FROM chat_archive WHERE key = ? AND message_id = ?", (key, message_id)).fetchone()
        if row is None:
            return None
        try:
            return RawChatMessage.from_graphql(json.loads(row["row"]))
        except (ValueError, ChatDataError):
            return None

    def count(self, key: str) -> int:
        self._wait_written()
        with self._lock:
            row = self._conn.execute("SELECT COUNT(*) FROM chat_archive WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    def keys(self) -> list[str]:
        """Session keys that have an archive, most recently received first."""
        self._wait_written()
        with self._lock:
            rows = self._conn.execute(
                "SELECT key FROM chat_archive GROUP BY key ORDER BY MAX(received_at) DESC").fetchall()
        return [r["key"] for r in rows]

    def load_into(self, key: str, log: ChatLog) -> int:
        """Feed the archive of ``key`` to ``log`` (after a restart, for an export); returns the
        number of archived messages.

        Our own answers go through :meth:`ChatLog.add_pending` just before their row, so the log
        classifies them as answers (with the question they answered) even though the monitoring
        user's id and the pending registry of the previous run are gone.
        """
        items = self.messages(key)
        batch: list[RawChatMessage] = []
        for item in items:
            if not item.own or log.index_of(item.raw.message_id) is not None:
                batch.append(item.raw)
                continue
            if batch:
                log.ingest_many(batch)
                batch = []
            log.add_pending(log.classifier.display_text(item.raw), item.raw.sender_name, reply_to=item.reply_to)
            log.ingest(item.raw)
        if batch:
            log.ingest_many(batch)
        return len(items)


def answers_in(log: ChatLog, raws: Iterable[RawChatMessage]) -> dict[str, str | None]:
    """Among ``raws`` (just ingested into ``log``), our answers and what each one answered."""
    out: dict[str, str | None] = {}
    for raw in raws:
        message = log.get(raw.message_id)
        if message is not None and message.kind is MessageKind.PRESENTER_ANSWER:
            out[raw.message_id] = message.reply_to
    return out


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else round(moment.timestamp() * 1000)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _to_row(raw: RawChatMessage) -> dict[str, Any]:
    """``raw`` in the ``chat_message_public`` shape that :meth:`RawChatMessage.from_graphql` reads."""
    return {
        "messageId": raw.message_id,
        "messageSequence": raw.sequence,
        "messageType": raw.message_type,
        "chatId": raw.chat_id,
        "message": raw.text,
        "senderId": raw.sender_user_id or None,
        "senderName": raw.sender_name,
        "senderRole": raw.sender_role,
        "createdAt": _iso(raw.created_at),
        "editedAt": _iso(raw.edited_at),
        "deletedAt": _iso(raw.deleted_at),
        "replyToMessageId": raw.reply_to_id,
        "user": {"isModerator": raw.sender_is_moderator},
    }

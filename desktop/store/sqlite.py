"""Opening the shared SQLite database and migrating each component's tables.

Several components (schedule, chat moderation, live journal) keep tables in the same file
(``AppPaths.database_file``).  ``PRAGMA user_version`` can hold only one number, so each
component records its own schema version in the ``schema_versions`` table and applies its
migrations with :func:`migrate`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.private_files import open_private, private_dir, restrict_file


class DamagedDatabaseError(PupitreError, sqlite3.DatabaseError):
    """The file is not a usable SQLite database (overwritten, truncated...).

    Also an :class:`sqlite3.DatabaseError`, so that the components which already turn SQLite's
    errors into their own sentence keep doing so; the others show this one.
    """


class NewerDatabaseError(PupitreError):
    """The database's schema is newer than this Pupitre knows: it is refused, never guessed at."""


def open_database(path: Path | str) -> sqlite3.Connection:
    """A connection in WAL mode with a busy timeout (several processes may share the file:
    the GUI and a CLI command), foreign keys on, rows as ``sqlite3.Row``.

    Raises:
        DamagedDatabaseError: the file exists but is not a usable SQLite database.
    """
    try:
        return _open(path)
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError):  # locked, disk I/O, read-only: not damage
            raise
        raise DamagedDatabaseError(
            _("The database {path} is damaged ({reason}): move it aside to start with an empty one, and keep it "
              "for a repair.").format(path=path, reason=error),
        ) from None


def _open(path: Path | str) -> sqlite3.Connection:
    private = str(path) != ":memory:"
    if private:
        # the audience's names and messages are in there: 0600 in a 0700 folder (POSIX); SQLite
        # gives the -wal and -shm files the database file's mode
        private_dir(Path(path).parent)
        if not os.path.exists(path):
            # Created 0600 before SQLite creates it.  Only a file that does not exist yet: closing
            # a descriptor of a database file drops every POSIX lock this process holds on it, so
            # another connection of this process (journal, schedule, chat archive share the file)
            # would lose its locks and the database could be corrupted (SQLite's "POSIX advisory
            # locks" caveat, https://www.sqlite.org/howtocorrupt.html §2.2).
            os.close(open_private(path, os.O_RDWR))
        restrict_file(path)
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        if private:
            conn.execute("PRAGMA journal_mode = WAL")
            for companion in ("-wal", "-shm"):  # left 0644 by an older Pupitre
                restrict_file(f"{path}{companion}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, component: str, migrations: Sequence[str]) -> int:
    """Apply ``migrations[current:]`` for ``component`` in one transaction; returns the version.

    Each migration is a SQL script; the list only ever grows (never edit a shipped step).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(
            "SELECT version FROM schema_versions WHERE component = ?", (component,)
        ).fetchone()
        current = int(row[0]) if row else 0
        if current > len(migrations):
            raise NewerDatabaseError(
                _("The database was written by a newer Pupitre ({component} schema {found}, this one "
                  "reads up to {known}).").format(component=component, found=current, known=len(migrations)),
                hint=_("Use that newer Pupitre, or move the database aside to start with an empty one."),
            )
        for script in migrations[current:]:
            for statement in _statements(script):
                conn.execute(statement)
        conn.execute(
            "INSERT INTO schema_versions (component, version) VALUES (?, ?) "
            "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
            (component, len(migrations)),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(migrations)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]

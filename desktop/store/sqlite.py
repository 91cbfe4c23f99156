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

from desktop.private_files import open_private, private_dir, restrict_file


def open_database(path: Path | str) -> sqlite3.Connection:
    """A connection in WAL mode with a busy timeout (several processes may share the file:
    the GUI and a CLI command), foreign keys on, rows as ``sqlite3.Row``."""
    private = str(path) != ":memory:"
    if private:
        # the audience's names and messages are in there: 0600 in a 0700 folder (POSIX); SQLite
        # gives the -wal and -shm files the database file's mode
        private_dir(Path(path).parent)
        os.close(open_private(path, os.O_RDWR))
        restrict_file(path)
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        for companion in ("-wal", "-shm"):  # left 0644 by an older Pupitre
            restrict_file(f"{path}{companion}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )
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
            raise RuntimeError(
                f"the database was written by a newer Pupitre ({component} schema {current})"
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

"""A damaged journal: one bad row must not hide the others, a newer schema is refused in a sentence."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store.sqlite import NewerDatabaseError
from desktop.webinar.journal import Journal, JournalRowDamaged
from desktop.webinar.state import LiveSnapshot, LiveState

ROOT = Path(__file__).resolve().parents[2]


def two_lives(db: Path) -> None:
    journal = Journal(db)
    for key, webinar in (("3:0", 3), ("4:0", 4)):
        journal.record(LiveSnapshot(key=key, title=f"Webinar {webinar}", meeting_id=f"m{webinar}",
                                    state=LiveState.LIVE, gateway="gw1", room="r"),
                       webinar_id=webinar, occurrence=0, profile=None, gw_id=None)
    journal.close()


@pytest.mark.parametrize("column, value", [("state", "bogus"), ("steps", "{not json"), ("failure", "[1, 2]")])
def test_one_damaged_row_does_not_hide_the_others(tmp_path: Path, column: str, value: str) -> None:
    db = tmp_path / "db.sqlite3"
    two_lives(db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE live_sessions SET {column} = ? WHERE key = '3:0'", (value,))
    journal = Journal(db)
    assert [e.key for e in journal.unfinished()] == ["4:0"]
    assert list(journal.damaged) == ["3:0"]
    with pytest.raises(JournalRowDamaged, match="3:0"):
        journal.get("3:0")
    assert journal.get("4:0") is not None
    journal.close()


def test_a_journal_from_a_newer_pupitre_is_refused_in_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    two_lives(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_versions SET version = 99 WHERE component = 'journal'")
    with pytest.raises(NewerDatabaseError, match="newer Pupitre") as caught:
        Journal(db)
    assert "99" in caught.value.sentence and caught.value.hint


def test_webinar_status_lists_the_readable_lives_and_names_the_damaged_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "PUPITRE_HOME": str(home), "PYTHON_KEYRING_BACKEND": "desktop.secrets.memory.MemoryKeyring",
           "LANGUAGE": "en"}
    # the data folder as the app lays it out: let it create the database first
    subprocess.run([sys.executable, "-m", "desktop", "webinar", "status"], env=env, cwd=ROOT,
                   capture_output=True, text=True, timeout=60, check=False)
    databases = list(home.rglob("*.sqlite3")) or list(home.rglob("*.db"))
    assert databases, list(home.rglob("*"))
    two_lives(databases[0])
    with sqlite3.connect(databases[0]) as conn:
        conn.execute("UPDATE live_sessions SET state = 'bogus' WHERE key = '3:0'")
    done = subprocess.run([sys.executable, "-m", "desktop", "webinar", "status"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "4:0" in done.stdout and "Webinar 4" in done.stdout
    assert "journal entry 3:0 is damaged" in done.stderr

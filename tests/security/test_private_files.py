"""Pupitre's data is the user's alone on POSIX: folders 0700, files 0600, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.chat.export import write_csv, write_json
from desktop.config.paths import AppPaths
from desktop.logs import setup_logging
from desktop.private_files import write_private_text
from desktop.store.sqlite import open_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual umask: without care, files are 0644 and folders 0755
    yield
    os.umask(previous)


def test_the_app_folders_are_0700_even_when_they_existed(tmp_path: Path) -> None:
    root = tmp_path / "home"
    (root / "data").mkdir(parents=True, mode=0o755)
    paths = AppPaths(root / "config", root / "data", root / "logs", root / "cache").ensure()
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir, paths.cache_dir):
        assert _mode(folder) == 0o700, folder


def test_the_database_and_its_wal_and_shm_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / "pupitre.sqlite3"
    conn = open_database(path)
    try:
        conn.execute("CREATE TABLE chat (author TEXT, text TEXT)")
        conn.execute("INSERT INTO chat VALUES ('Alice', 'hello')")
        assert _mode(path.parent) == 0o700
        for name in ("pupitre.sqlite3", "pupitre.sqlite3-wal", "pupitre.sqlite3-shm"):
            assert _mode(path.parent / name) == 0o600, name
    finally:
        conn.close()


def test_a_database_left_0644_by_an_older_pupitre_is_restricted(tmp_path: Path) -> None:
    path = tmp_path / "pupitre.sqlite3"
    open_database(path).close()
    for name in ("pupitre.sqlite3", "pupitre.sqlite3-wal", "pupitre.sqlite3-shm"):
        if (tmp_path / name).exists():
            (tmp_path / name).chmod(0o644)
    conn = open_database(path)
    try:
        for name in ("pupitre.sqlite3", "pupitre.sqlite3-wal", "pupitre.sqlite3-shm"):
            assert _mode(tmp_path / name) == 0o600, name
    finally:
        conn.close()


def test_the_log_files_are_0600_rotations_included(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    log_dir.mkdir(mode=0o755)
    (log_dir / "pupitre.log.1").write_text("old\n")
    (log_dir / "pupitre.log.1").chmod(0o644)
    path = setup_logging(log_dir)
    logging.getLogger("test").warning("Alice wrote something")
    assert _mode(log_dir) == 0o700
    assert _mode(path) == 0o600
    assert _mode(log_dir / "pupitre.log.1") == 0o600
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "baseFilename", None) == str(path))
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.doRollover()
    logging.getLogger("test").warning("after the rotation")
    assert _mode(path) == 0o600
    assert _mode(log_dir / "pupitre.log.1") == 0o600


def test_exports_are_created_0600_in_the_users_folder(tmp_path: Path) -> None:
    from desktop.cli.commands.chat import _write

    folder = tmp_path / "Documents"
    folder.mkdir(mode=0o755)
    write_csv(folder / "chat.csv", [])
    write_json(folder / "chat.json", [])
    _write(folder / "chat.md", "# chat\n", "md")
    _write(folder / "chat2.csv", "a,b\r\n", "csv")
    for name in ("chat.csv", "chat.json", "chat.md", "chat2.csv"):
        assert _mode(folder / name) == 0o600, name
    assert _mode(folder) == 0o755  # the user's folder is the user's choice
    assert (folder / "chat2.csv").read_bytes() == b"\xef\xbb\xbfa,b\r\n"


def test_an_existing_export_keeps_the_mode_the_user_gave_it(tmp_path: Path) -> None:
    target = tmp_path / "shared.md"
    target.write_text("old")
    target.chmod(0o640)
    write_private_text(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o640

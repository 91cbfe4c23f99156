from __future__ import annotations

import os
import shutil
import stat
import tempfile
import uuid
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from desktop.ui.single_instance import Claim, SingleInstance, ask_running_instance, server_name


def unique_name() -> str:
    return f"pupitre-test-{uuid.uuid4().hex[:12]}"


def test_second_launch_is_told_already_running_and_first_comes_forward(qtbot: QtBot) -> None:
    name = unique_name()
    first = SingleInstance(name)
    try:
        assert first.claim() is Claim.FIRST
        second = SingleInstance(name)
        with qtbot.waitSignal(first.raise_requested, timeout=3000):
            assert second.claim() is Claim.ALREADY_RUNNING
    finally:
        first.close()


def test_no_instance_means_nobody_answers_and_a_stale_socket_is_replaced(qtbot: QtBot) -> None:
    name = unique_name()
    assert not ask_running_instance(name, timeout_ms=200)
    first = SingleInstance(name)
    assert first.claim() is Claim.FIRST
    first.close()  # as if it had died: the next claim must not be refused
    again = SingleInstance(name)
    try:
        assert again.claim() is Claim.FIRST
    finally:
        again.close()


def test_garbage_and_oversized_messages_are_ignored(qtbot: QtBot) -> None:
    name = unique_name()
    first = SingleInstance(name)
    assert first.claim() is Claim.FIRST
    try:
        with qtbot.assertNotEmitted(first.raise_requested, wait=200):
            for payload in (b"not json\n", b'{"command": "format-disk"}\n', b"x" * 10_000):
                socket = QLocalSocket()
                socket.connectToServer(name)
                assert socket.waitForConnected(1000)
                socket.write(payload)
                socket.waitForBytesWritten(1000)
                socket.disconnectFromServer()
    finally:
        first.close()


def test_server_name_differs_per_home_and_user() -> None:
    a = server_name("/tmp/home-a", "alice")
    assert a == server_name("/tmp/home-a", "alice")
    assert a != server_name("/tmp/home-b", "alice")
    assert a != server_name("/tmp/home-a", "bob")
    assert "/" not in Path(a).name and len(Path(a).name) < 60


@pytest.mark.skipif(os.name != "posix", reason="POSIX sockets")
def test_the_socket_lives_in_the_users_0700_runtime_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name("/tmp/home-a", "alice")
    path = Path(name)
    assert path.is_absolute()
    assert path.parent == runtime / "pupitre"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not name.startswith(tempfile.gettempdir() + "/pupitre")


@pytest.mark.skipif(os.name != "posix", reason="POSIX sockets")
def test_without_a_runtime_folder_the_socket_is_in_a_0700_folder_of_pupitres_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(tempfile.mkdtemp(prefix="pp"))  # short: a socket's path has at most ~100 bytes
    monkeypatch.setenv("PUPITRE_HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    path = Path(server_name(str(home / "config"), "alice"))
    assert path.parent == home / "cache" / "run"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # a runtime folder another user could enter is not used
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(shared))
    assert Path(server_name(str(home / "config"), "alice")).parent == home / "cache" / "run"
    shutil.rmtree(home)


@pytest.mark.skipif(os.name != "posix", reason="POSIX sockets")
def test_the_guard_works_on_a_socket_in_the_runtime_folder(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "rt"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = server_name(str(tmp_path / "config"))
    first = SingleInstance(name)
    try:
        assert first.claim() is Claim.FIRST
        assert Path(name).exists()
        assert stat.S_IMODE(Path(name).stat().st_mode) & 0o077 == 0
        with qtbot.waitSignal(first.raise_requested, timeout=3000):
            assert SingleInstance(name).claim() is Claim.ALREADY_RUNNING
    finally:
        first.close()


def test_a_qt_local_socket_client_still_brings_the_first_forward(qtbot: QtBot) -> None:
    # what an older Pupitre (QLocalSocket on every platform) sends reaches this one
    name = unique_name()
    first = SingleInstance(name)
    assert first.claim() is Claim.FIRST
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=3000):
            socket = QLocalSocket()
            socket.connectToServer(name)
            assert socket.waitForConnected(1000)
            socket.write(b'{"command": "raise"}\n')
            assert socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()
    finally:
        first.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX sockets")
def test_closing_removes_the_socket_file_and_an_old_file_is_replaced(qtbot: QtBot, tmp_path: Path) -> None:
    name = str(tmp_path / "guard")
    Path(name).write_bytes(b"")  # a stale file where nobody listens
    first = SingleInstance(name)
    assert first.claim() is Claim.FIRST
    assert stat.S_ISSOCK(Path(name).stat().st_mode)
    first.close()
    assert not Path(name).exists()
    assert not ask_running_instance(name, timeout_ms=200)

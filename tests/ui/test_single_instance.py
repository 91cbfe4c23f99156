from __future__ import annotations

import uuid

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
    assert "/" not in a and len(a) < 60

from __future__ import annotations

import sys
from pathlib import Path

from desktop.logs import register_secret
from desktop.ui.crash import CrashMarker, install_excepthook


def test_clean_session_leaves_no_report(tmp_path: Path) -> None:
    marker = CrashMarker(tmp_path)
    assert marker.previous() is None
    marker.start_session()
    marker.end_session()
    assert marker.previous() is None


def test_a_vanished_session_is_reported(tmp_path: Path) -> None:
    CrashMarker(tmp_path).start_session()  # never ended: killed
    report = CrashMarker(tmp_path).previous()
    assert report is not None
    assert report.exception == "" and report.at is None


def test_excepthook_records_a_redacted_traceback_and_tells_the_user(tmp_path: Path) -> None:
    marker = CrashMarker(tmp_path)
    marker.start_session()
    told: list[BaseException] = []
    register_secret("s3cr3t-shared-secret")
    previous = install_excepthook(marker, told.append)
    try:
        try:
            raise RuntimeError("failed https://bbb.example/api/create?checksum=abcdef0123 s3cr3t-shared-secret")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    report = CrashMarker(tmp_path).previous()
    assert report is not None and report.at is not None
    assert "RuntimeError" in report.exception
    assert "abcdef0123" not in report.exception
    assert "s3cr3t-shared-secret" not in report.exception
    assert len(told) == 1


def test_unreadable_marker_is_ignored(tmp_path: Path) -> None:
    marker = CrashMarker(tmp_path)
    marker.path.write_text("{not json", encoding="utf-8")
    assert marker.previous() is None
    marker.path.write_text('{"started_at": "x"}', encoding="utf-8")
    assert marker.previous() is None

"""The session report links the live's recordings and the chat transcript."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

from desktop.chat.export import SessionReport
from desktop.chat.model import ChatLog


def test_the_report_links_the_recordings_and_the_transcript(tmp_path: Path) -> None:
    video = tmp_path / "2026-03-29 09-05 Cours [1](x).mkv"
    transcript = tmp_path / "chat transcript.md"
    report = SessionReport.from_log(ChatLog(), title="Cours", recordings=[video], transcript=transcript)
    markdown = report.to_markdown(tz=UTC)
    # the name is the link's text (escaped: brackets cannot close it), the percent-encoded URI its target
    assert (f"- Recording: [2026-03-29 09-05 Cours \\[1\\]\\(x\\).mkv](<{video.as_uri()}>)") in markdown
    assert f"- Chat transcript: [chat transcript.md](<{transcript.as_uri()}>)" in markdown
    assert "%20" in video.as_uri() and " " not in video.as_uri()
    data = json.loads(report.to_json())
    assert data["recordings"] == [{"path": str(video), "uri": video.as_uri()}]
    assert data["transcript"] == {"path": str(transcript), "uri": transcript.as_uri()}


def test_a_report_without_recording_says_so() -> None:
    markdown = SessionReport.from_log(ChatLog(), title="Cours").to_markdown(tz=UTC)
    assert "- Recording: none." in markdown and "- Chat transcript: not written to a file." in markdown

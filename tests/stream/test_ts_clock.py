"""PCRs read from real MPEG-TS (FFmpeg's hls muxer through PyAV) and from hostile bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.stream.playlist import MediaPlaylist, parse_playlist
from desktop.stream.ts_clock import PACKET_SIZE, clock_marks, pacing_schedule
from tests.stream.test_pyav_playlist import write_hls


def test_pcrs_of_a_real_segment_advance_over_its_duration(tmp_path: Path) -> None:
    write_hls(tmp_path, seconds=3)
    playlist = parse_playlist((tmp_path / "live.m3u8").read_text(), str(tmp_path / "live.m3u8"))
    assert isinstance(playlist, MediaPlaylist)
    previous_end = None
    for listed in playlist.segments[:3]:
        segment = (tmp_path / Path(listed.uri).name).read_bytes()
        marks = clock_marks(segment)
        assert len(marks) >= 5
        seconds = [mark.seconds for mark in marks]
        assert seconds == sorted(seconds)
        # one PCR per frame at 25 fps: the last one a frame before the segment's end (EXTINF)
        assert seconds[-1] - seconds[0] == pytest.approx(listed.duration - 0.04, abs=0.005)
        if previous_end is not None:  # and the clock runs on from one segment to the next
            assert seconds[0] == pytest.approx(previous_end, abs=0.005)
        previous_end = seconds[-1] + 0.04
        assert all(mark.offset % PACKET_SIZE == 0 and 0 < mark.offset <= len(segment) for mark in marks)
        schedule = pacing_schedule(segment, listed.duration)
        assert schedule[0] == (marks[0].offset, 0.0)
        assert [offset for offset, _ in schedule] == sorted(offset for offset, _ in schedule)
        assert schedule[-1][1] == pytest.approx(seconds[-1] - seconds[0])


def test_a_clock_that_jumps_is_not_followed(tmp_path: Path) -> None:
    write_hls(tmp_path, seconds=3)
    first = (tmp_path / "seg-00000.ts").read_bytes()
    later = (tmp_path / "seg-00002.ts").read_bytes()
    # a segment made of two pieces 2 s apart in PCR: pacing must not wait for the second piece
    schedule = pacing_schedule(first + later, 1.0)
    assert schedule and max(seconds for _, seconds in schedule) <= 1.5


def test_not_ts_has_no_clock() -> None:
    assert clock_marks(b"<html>error</html>" * 50) == []
    assert pacing_schedule(b"", 1.0) == []
    assert clock_marks(b"\x47" * (PACKET_SIZE - 1)) == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=PACKET_SIZE * 6), st.floats(min_value=0, max_value=20))
def test_any_bytes_give_a_bounded_schedule(data: bytes, duration: float) -> None:
    schedule = pacing_schedule(data, duration)
    offsets = [offset for offset, _ in schedule]
    assert offsets == sorted(offsets) and all(0 < offset <= len(data) for offset in offsets)
    assert all(0 <= seconds <= duration + 0.5 for _, seconds in schedule)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=PACKET_SIZE - 1, max_size=PACKET_SIZE - 1), max_size=8))
def test_sync_bytes_with_random_packets_never_raise(packets: list[bytes]) -> None:
    data = b"".join(b"\x47" + packet for packet in packets)
    for mark in clock_marks(data):
        assert mark.seconds >= 0 and mark.offset <= len(data)

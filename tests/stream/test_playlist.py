"""Playlist parsing: real shapes from nginx-rtmp and FFmpeg/PyAV, masters, and hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.errors import ProtocolError
from desktop.stream.playlist import (
    MAX_PLAYLIST_BYTES,
    MasterPlaylist,
    MediaPlaylist,
    PlaylistError,
    parse_playlist,
)

BASE = "http://origin.example:8080/hls/test.m3u8"

# what nginx-rtmp 1.2.2 writes (environment.md §3a): no PDT, a DISCONTINUITY at start
NGINX_RTMP = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-MEDIA-SEQUENCE:41
#EXT-X-TARGETDURATION:1
#EXT-X-DISCONTINUITY
#EXTINF:1.000,
test-41.ts
#EXTINF:1.000,
test-42.ts
#EXTINF:0.960,
test-43.ts
"""

# what FFmpeg's / PyAV's hls muxer writes (§3b): v6, INDEPENDENT-SEGMENTS, PDT on each segment
PYAV_HLS = """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:07.000+0000
#EXTINF:1.000000,
seg-00007.ts
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:08.000+0000
#EXTINF:1.000000,
seg-00008.ts
#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:09.000+0000
#EXTINF:1.000000,
seg-00009.ts
"""

MASTER = """#EXTM3U
#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
low/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720
https://cdn.example/high/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=1200000
mid/index.m3u8
"""


def test_nginx_rtmp_playlist_without_pdt_and_with_discontinuity() -> None:
    playlist = parse_playlist(NGINX_RTMP.encode(), BASE)
    assert isinstance(playlist, MediaPlaylist)
    assert playlist.target_duration == 1.0
    assert playlist.media_sequence == 41
    assert [s.sequence for s in playlist.segments] == [41, 42, 43]
    assert playlist.segments[0].uri == "http://origin.example:8080/hls/test-41.ts"
    assert playlist.segments[2].duration == pytest.approx(0.96)
    assert playlist.segments[0].discontinuity and not playlist.segments[1].discontinuity
    assert playlist.has_discontinuity
    assert not playlist.has_program_date_time
    assert all(s.program_date_time is None for s in playlist.segments)
    assert not playlist.endlist
    assert playlist.version == 3
    assert playlist.newest is not None and playlist.newest.uri.endswith("test-43.ts")


def test_pyav_playlist_with_pdt_and_independent_segments() -> None:
    playlist = parse_playlist(PYAV_HLS, BASE)
    assert isinstance(playlist, MediaPlaylist)
    assert playlist.independent_segments
    assert playlist.version == 6
    assert playlist.media_sequence == 7
    newest = playlist.newest
    assert newest is not None
    assert newest.program_date_time == datetime(2026, 11, 21, 10, 0, 9, tzinfo=UTC)
    assert not playlist.has_discontinuity


def test_pdt_is_carried_forward_and_naive_times_are_utc() -> None:
    text = (
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n"
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:00\n#EXTINF:2.0,\na.ts\n#EXTINF:1.5,\nb.ts\n"
    )
    playlist = parse_playlist(text, BASE)
    assert isinstance(playlist, MediaPlaylist)
    first, second = playlist.segments
    assert first.program_date_time is not None and first.program_date_time.tzinfo is not None
    assert second.program_date_time == first.program_date_time + timedelta(seconds=2)


def test_master_picks_highest_bandwidth_and_resolves_uris() -> None:
    playlist = parse_playlist(MASTER, BASE)
    assert isinstance(playlist, MasterPlaylist)
    assert [v.bandwidth for v in playlist.variants] == [800000, 2500000, 1200000]
    assert playlist.variants[0].uri == "http://origin.example:8080/hls/low/index.m3u8"
    assert playlist.variants[0].resolution == (640, 360)
    assert playlist.variants[0].codecs == "avc1.64001e,mp4a.40.2"
    assert playlist.pick_variant().uri == "https://cdn.example/high/index.m3u8"


def test_master_without_bandwidth_picks_the_first() -> None:
    playlist = parse_playlist("#EXTM3U\n#EXT-X-STREAM-INF:PROGRAM-ID=1\na.m3u8\n"
                              "#EXT-X-STREAM-INF:PROGRAM-ID=1\nb.m3u8\n", BASE)
    assert isinstance(playlist, MasterPlaylist)
    assert playlist.pick_variant().uri.endswith("/a.m3u8")


def test_endlist() -> None:
    playlist = parse_playlist(NGINX_RTMP + "#EXT-X-ENDLIST\n", BASE)
    assert isinstance(playlist, MediaPlaylist) and playlist.endlist


def test_bom_and_crlf_are_accepted() -> None:
    playlist = parse_playlist(("\ufeff" + NGINX_RTMP).replace("\n", "\r\n").encode(), BASE)
    assert isinstance(playlist, MediaPlaylist) and len(playlist.segments) == 3


def test_empty_live_playlist_has_no_newest() -> None:
    playlist = parse_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n", BASE)
    assert isinstance(playlist, MediaPlaylist)
    assert playlist.segments == () and playlist.newest is None


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><body>Not found</body></html>", "does not start with #EXTM3U"),
        (b"", "does not start with #EXTM3U"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8"),
        (b"#EXTM3U\n\x00\x01\x02", "binary"),
        (b"#EXTM3U\n#EXTINF:1.0,\na.ts\n", "no target duration"),
        (b"#EXTM3U\n", "no target duration"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:-3\n#EXTINF:1,\na.ts\n", "not a positive number"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:0\n", "not a positive number"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:abc\n", "malformed"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:-1.0,\na.ts\n", "invalid duration"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:nan,\na.ts\n", "invalid duration"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:inf,\na.ts\n", "invalid duration"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:x,\na.ts\n", "malformed"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:-5\n", "negative"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-PROGRAM-DATE-TIME:yesterday\n", "malformed"),
        (b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", "no variant"),
        (b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=lots\nv.m3u8\n", "malformed"),
    ],
)
def test_malformed_input_gives_a_sentence(content: bytes, words: str) -> None:
    with pytest.raises(PlaylistError) as caught:
        parse_playlist(content, BASE)
    assert isinstance(caught.value, ProtocolError)
    assert words in caught.value.sentence
    assert caught.value.sentence.endswith(".")


def test_huge_input_is_refused_before_parsing() -> None:
    huge = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n" + b"#EXTINF:1,\na.ts\n" * (MAX_PLAYLIST_BYTES // 16)
    with pytest.raises(PlaylistError, match="too large"):
        parse_playlist(huge, BASE)
    with pytest.raises(PlaylistError, match="too large"):
        parse_playlist(huge.decode(), BASE)


def _check_total(content: bytes | str) -> None:
    try:
        result = parse_playlist(content, BASE)
    except PlaylistError as error:
        assert error.sentence and "\n" not in error.sentence
        return
    assert isinstance(result, MasterPlaylist | MediaPlaylist)
    if isinstance(result, MediaPlaylist):
        assert result.target_duration > 0 and result.media_sequence >= 0
        for index, segment in enumerate(result.segments):
            assert segment.duration >= 0
            assert segment.sequence == result.media_sequence + index
    else:
        assert result.variants and result.pick_variant() in result.variants


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes_never_crash(content: bytes) -> None:
    _check_total(content)


_TAG_LINES = st.sampled_from(
    [
        "#EXT-X-VERSION:3", "#EXT-X-VERSION:x", "#EXT-X-TARGETDURATION:1",
        "#EXT-X-TARGETDURATION:", "#EXT-X-TARGETDURATION:1.5", "#EXT-X-MEDIA-SEQUENCE:5",
        "#EXT-X-MEDIA-SEQUENCE:", "#EXT-X-DISCONTINUITY", "#EXT-X-ENDLIST",
        "#EXT-X-INDEPENDENT-SEGMENTS", "#EXTINF:1.0,", "#EXTINF:", "#EXTINF:1e308,",
        "#EXTINF:-0.0,", "#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:00Z",
        "#EXT-X-PROGRAM-DATE-TIME:9999-12-31T23:59:59Z", "#EXT-X-PROGRAM-DATE-TIME:",
        "#EXT-X-STREAM-INF:BANDWIDTH=100", "#EXT-X-STREAM-INF:", "#EXT-X-STREAM-INF:BANDWIDTH=1e400",
        "#EXT-X-KEY:METHOD=NONE", "#EXT-X-KEY:", "#EXT-X-MAP:URI=\"i.mp4\"", "#EXT-X-BYTERANGE:100@0",
        "#EXT-X-BYTERANGE:", "#EXT-X-DATERANGE:ID=\"a\"", "#EXT-X-CUE-OUT:30", "#EXT-X-PART:",
        "#EXT-X-SKIP:", "#EXT-X-SERVER-CONTROL:", "#EXT-X-MEDIA:TYPE=AUDIO", "seg.ts", "v.m3u8",
        "", "   ", "#", "garbage",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_TAG_LINES, st.text(max_size=30)), max_size=40))
def test_fuzz_playlist_shaped_text_never_crashes(lines: list[str]) -> None:
    _check_total("#EXTM3U\n" + "\n".join(lines))

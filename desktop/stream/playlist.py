"""HLS playlists parsed into small typed values, or a one-sentence :class:`PlaylistError`.

The text is parsed by the ``m3u8`` library (the real parser); this module only decides what the
monitor needs from it and checks what ``m3u8`` leaves unchecked (the ``#EXTM3U`` header, a target
duration, finite non-negative durations, a size bound, text that is really text).  Whatever the
input, the only exception that leaves :func:`parse_playlist` is :class:`PlaylistError`: the
audience URL is typed by a person and served by someone else's server, so garbage must become an
explained state, never a traceback.

Program date-times: FFmpeg's and PyAV's ``hls`` muxer write ``EXT-X-PROGRAM-DATE-TIME`` on each
segment; nginx-rtmp writes none.  When a playlist has one, ``m3u8`` carries it forward by adding
durations, and :attr:`Segment.program_date_time` is that (explicit or derived) time, always
timezone-aware (a time without zone is taken as UTC).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import m3u8

from desktop.errors import ProtocolError
from desktop.i18n import _

MAX_PLAYLIST_BYTES = 2 * 1024 * 1024
"""Larger answers are refused: a live playlist is a few kilobytes, even with hours of window."""
MAX_PLAYLIST_LINES = 60_000
MAX_PLAYLIST_SEGMENTS = 20_000
"""Parsing costs about 25 µs a segment: these bound one parse to about half a second (it runs off
the event loop anyway, :func:`desktop.stream.fetch.parse_off_loop`) while a window of hours of
1-second segments still fits.  Both are counted on the raw text, before the parser runs."""
SEGMENT_SCHEMES = ("http", "https")


class PlaylistError(ProtocolError):
    """The answer is not a usable HLS playlist (the sentence says why)."""


@dataclass(frozen=True)
class Segment:
    """One media segment of a media playlist.

    Attributes:
        uri: absolute URL of the segment (resolved against the playlist's URL).
        duration: EXTINF duration in seconds.
        sequence: its media sequence number (EXT-X-MEDIA-SEQUENCE + index).
        program_date_time: wall-clock time of its first sample, when the playlist says so.
        discontinuity: an EXT-X-DISCONTINUITY precedes it.
    """

    uri: str
    duration: float
    sequence: int
    program_date_time: datetime | None = None
    discontinuity: bool = False


@dataclass(frozen=True)
class MediaPlaylist:
    """A media playlist: the list of segments a player downloads.

    Attributes:
        target_duration: EXT-X-TARGETDURATION in seconds (the maximum segment duration).
        media_sequence: sequence number of the first listed segment.
        segments: the listed segments, oldest first.
        endlist: EXT-X-ENDLIST is present: the stream is finished, nothing will be added.
        independent_segments: EXT-X-INDEPENDENT-SEGMENTS is present.
        version: EXT-X-VERSION, or None.
    """

    target_duration: float
    media_sequence: int
    segments: tuple[Segment, ...]
    endlist: bool = False
    independent_segments: bool = False
    version: int | None = None

    @property
    def newest(self) -> Segment | None:
        return self.segments[-1] if self.segments else None

    @property
    def has_discontinuity(self) -> bool:
        return any(segment.discontinuity for segment in self.segments)

    @property
    def has_program_date_time(self) -> bool:
        return any(segment.program_date_time is not None for segment in self.segments)


@dataclass(frozen=True)
class Variant:
    """One EXT-X-STREAM-INF entry of a master playlist.

    Attributes:
        uri: absolute URL of the variant's media playlist.
        bandwidth: BANDWIDTH in bits per second, or None when absent.
        resolution: (width, height), or None.
        codecs: CODECS, or None.
    """

    uri: str
    bandwidth: int | None = None
    resolution: tuple[int, int] | None = None
    codecs: str | None = None


@dataclass(frozen=True)
class MasterPlaylist:
    """A master (multivariant) playlist: only points at media playlists."""

    variants: tuple[Variant, ...]

    def pick_variant(self) -> Variant:
        """The variant to watch: the highest BANDWIDTH, the first one on a tie or without any.

        Every variant of a live stream advances together, so any of them answers "is it live";
        the highest one is what the best-connected viewers get, so its bitrate is the one worth
        showing.  A gateway normally publishes a single variant anyway.
        """
        best = self.variants[0]
        for variant in self.variants[1:]:
            if (variant.bandwidth or 0) > (best.bandwidth or 0):
                best = variant
        return best


Playlist = MasterPlaylist | MediaPlaylist


def parse_playlist(content: bytes | str, url: str = "") -> Playlist:
    """Parse ``content`` (served at ``url``) into a master or media playlist.

    Raises:
        PlaylistError: for anything that is not a usable playlist, with a sentence saying why.
    """
    text = _as_text(content)
    _check_work(text)
    if not text.lstrip().startswith("#EXTM3U"):
        raise PlaylistError(
            _("The answer is not an HLS playlist (it does not start with #EXTM3U)."),
            hint=_("Check that the address is the .m3u8 playlist of the stream."),
        )
    try:
        data = m3u8.parse(text)
    except Exception as exc:
        # m3u8 raises whatever its int()/float()/fromisoformat() casts raise (ValueError,
        # IndexError, OverflowError...): one broad net is the honest way to wrap a parser.
        raise PlaylistError(_("The playlist is malformed ({reason}).").format(reason=_short(exc))) from None
    try:
        if data.get("is_variant"):
            return _master(data, url)
        return _media(data, url)
    except PlaylistError:
        raise
    except Exception as exc:  # unexpected shapes from m3u8 (missing keys, odd types)
        raise PlaylistError(_("The playlist is malformed ({reason}).").format(reason=_short(exc))) from None


def _as_text(content: bytes | str) -> str:
    if isinstance(content, bytes):
        if len(content) > MAX_PLAYLIST_BYTES:
            raise PlaylistError(_too_big(len(content)))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlaylistError(_("The playlist is not UTF-8 text (binary data?).")) from None
    else:
        if len(content) > MAX_PLAYLIST_BYTES:
            raise PlaylistError(_too_big(len(content)))
        text = content.removeprefix("\ufeff")
    if "\x00" in text:
        raise PlaylistError(_("The playlist contains binary data (NUL bytes)."))
    return text


def _check_work(text: str) -> None:
    """Refuse, before parsing, a text whose parse would take seconds (counting is cheap)."""
    lines = text.count("\n") + 1
    if lines > MAX_PLAYLIST_LINES:
        raise PlaylistError(_("The playlist has too many lines ({count}, the limit is {limit}): it is probably "
                              "not a live playlist.").format(count=lines, limit=MAX_PLAYLIST_LINES))
    segments = text.count("#EXTINF")
    if segments > MAX_PLAYLIST_SEGMENTS:
        raise PlaylistError(_("The playlist lists too many segments ({count}, the limit is {limit}): it is "
                              "probably not a live playlist.").format(count=segments, limit=MAX_PLAYLIST_SEGMENTS))


def _web_address(base: str, uri: str) -> str:
    """``uri`` resolved against ``base``; a PlaylistError when it is not an http(s) address.

    A playlist is someone else's text: ``file:///etc/passwd`` or ``data:`` must never be fetched
    (nor crash the HTTP client that would be asked to).  A result without a scheme (no base, or
    a local file's path as base, in tests) stays as it is: the app's bases are always http(s).
    """
    resolved = urljoin(base, uri)
    parts = urlsplit(resolved)
    local = len(parts.scheme) == 1 and urlsplit(base).scheme.lower() not in SEGMENT_SCHEMES  # C:\ paths
    if parts.scheme and not local and (parts.scheme.lower() not in SEGMENT_SCHEMES or not parts.hostname):
        raise PlaylistError(
            _("The playlist points at “{address}”, which is not an http:// or https:// address.").format(
                address=resolved[:80]),
            hint=_("Check the stream's address; if it is right, its server publishes a broken playlist."),
        )
    return resolved


def _too_big(size: int) -> str:
    return _("The playlist is too large ({size} KB, the limit is {limit} MB): it is probably not "
             "a playlist.").format(size=size // 1024, limit=MAX_PLAYLIST_BYTES // (1024 * 1024))


def _short(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:120]


def _master(data: dict[str, Any], url: str) -> MasterPlaylist:
    variants: list[Variant] = []
    for entry in data.get("playlists") or []:
        uri = entry.get("uri")
        if not isinstance(uri, str) or not uri.strip():
            continue
        info = entry.get("stream_info") or {}
        bandwidth = info.get("bandwidth")
        resolution = _resolution(info.get("resolution"))
        codecs = info.get("codecs")
        variants.append(
            Variant(
                uri=_web_address(url, uri.strip()),
                bandwidth=bandwidth if isinstance(bandwidth, int) and bandwidth >= 0 else None,
                resolution=resolution,
                codecs=codecs if isinstance(codecs, str) else None,
            )
        )
    if not variants:
        raise PlaylistError(_("The master playlist lists no variant stream."))
    return MasterPlaylist(variants=tuple(variants))


def _resolution(value: object) -> tuple[int, int] | None:
    if not isinstance(value, str) or "x" not in value:
        return None
    width, _sep, height = value.partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        return None


def _media(data: dict[str, Any], url: str) -> MediaPlaylist:
    target = data.get("targetduration")
    if target is None:
        raise PlaylistError(_("The playlist has no target duration (#EXT-X-TARGETDURATION)."))
    if not isinstance(target, int | float) or not math.isfinite(target) or target <= 0:
        raise PlaylistError(_("The playlist's target duration ({value}) is not a positive number.").format(
            value=target))
    sequence = data.get("media_sequence") or 0
    if not isinstance(sequence, int) or sequence < 0:
        raise PlaylistError(_("The playlist's media sequence ({value}) is negative.").format(value=sequence))
    segments: list[Segment] = []
    for raw in data.get("segments") or []:
        uri = raw.get("uri")
        if not isinstance(uri, str) or not uri.strip():
            # an entry without its URI line: a playlist caught mid-write; the next poll has it
            continue
        duration = raw.get("duration")
        if duration is None:
            raise PlaylistError(_("The playlist's segment {uri} has no duration (#EXTINF).").format(uri=uri[:80]))
        if not isinstance(duration, int | float) or not math.isfinite(duration) or duration < 0:
            raise PlaylistError(
                _("The playlist's segment {uri} has an invalid duration ({value}).").format(
                    uri=uri[:80], value=duration)
            )
        segments.append(
            Segment(
                uri=_web_address(url, uri.strip()),
                duration=float(duration),
                sequence=sequence + len(segments),
                program_date_time=_aware(raw.get("current_program_date_time")),
                discontinuity=bool(raw.get("discontinuity")),
            )
        )
    version = data.get("version")
    return MediaPlaylist(
        target_duration=float(target),
        media_sequence=sequence,
        segments=tuple(segments),
        endlist=bool(data.get("is_endlist")),
        independent_segments=bool(data.get("is_independent_segments")),
        version=version if isinstance(version, int) else None,
    )


def _aware(value: object) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

"""What the HLS monitor reports: one frozen snapshot per poll, explainable in plain words.

The presenter does not want to know about media sequences; they want "is my audience seeing me?".
:class:`StreamHealth` carries the numbers (for the UI, the CLI's ``--json`` and the go-live state
machine) and :meth:`StreamHealth.describe` turns them into the one sentence a banner shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from desktop.i18n import _, format_decimal
from desktop.logs import redact


class StreamState(StrEnum):
    """The verdict of one poll.

    WAITING: no playlist yet (404 before the stream was ever seen, or a playlist without segments).
    LIVE: segments are there and fresh; ``advancing`` says whether a new one was actually seen.
    STALLED: the stream was there but stopped moving, or its address now answers 404 (``gone``).
    ENDED: the playlist carries EXT-X-ENDLIST: the stream finished normally.
    UNREACHABLE: the server could not be reached (network, DNS, timeout, TLS).
    ERROR: the server answered something unusable (a malformed playlist, an unexpected status).
    """

    WAITING = "waiting"
    LIVE = "live"
    STALLED = "stalled"
    ENDED = "ended"
    UNREACHABLE = "unreachable"
    ERROR = "error"


StallReason = Literal["", "not_advancing", "old_segment", "gone", "empty"]


@dataclass(frozen=True)
class StreamHealth:
    """One snapshot of the audience stream.

    Attributes:
        state: the verdict.
        url: the audience URL being watched (as given: master or media playlist).
        reachable: the server answered HTTP (any status) this time.
        advancing: a new segment appeared within the stall window.
        media_sequence: EXT-X-MEDIA-SEQUENCE of the last good playlist.
        newest_segment_age: seconds since the newest segment ended (from PROGRAM-DATE-TIME), or
            since it first appeared to us (no PDT); None when unknown (no PDT and it was already
            there at the first poll).
        target_duration: EXT-X-TARGETDURATION in seconds.
        latency_estimate: now minus the PROGRAM-DATE-TIME of the newest segment's start, when the
            playlist has PDTs.  This is the *availability* latency: a player adds its own buffer
            on top (typically about three segments: 3-5 s more with 1-s segments).  It is only as
            right as the origin's clock.
        bitrate_bps: bits per second measured from the sizes of recent segments (HEAD requests).
        segments_seen: distinct segments seen since the monitor started.
        new_segments: segments that appeared after the first successful poll.
        since_last_advance: seconds since the newest segment last changed (or since the first poll).
        stall_reason: why the state is STALLED ("" otherwise).
        http_status: the status of the last playlist answer, when there was one.
        last_error: one sentence for UNREACHABLE / ERROR / 404 states, else "".
        updated_at: wall-clock time (epoch seconds) of the snapshot.
        playlist_url: the media playlist actually polled (the chosen variant of a master).
    """

    state: StreamState
    url: str
    reachable: bool = False
    advancing: bool = False
    media_sequence: int | None = None
    newest_segment_age: float | None = None
    target_duration: float | None = None
    latency_estimate: float | None = None
    bitrate_bps: int | None = None
    segments_seen: int = 0
    new_segments: int = 0
    since_last_advance: float | None = None
    stall_reason: StallReason = ""
    http_status: int | None = None
    last_error: str = ""
    updated_at: float = 0.0
    playlist_url: str = ""

    @property
    def is_live(self) -> bool:
        return self.state is StreamState.LIVE

    def describe(self) -> str:
        """The plain-words sentence for a banner, a tray tooltip or the CLI."""
        state = self.state
        if state is StreamState.WAITING:
            if self.http_status in (404, 410):
                return _("The audience stream address answers {status}: "
                         "the stream has not started.").format(status=self.http_status)
            if self.updated_at == 0.0:
                return _("The audience stream has not been checked yet.")
            return _("The audience stream playlist is there but has no segment yet: the stream is starting.")
        if state is StreamState.LIVE:
            return self._describe_live()
        if state is StreamState.STALLED:
            return self._describe_stall()
        if state is StreamState.ENDED:
            return _("The audience stream has ended (its playlist is marked as finished).")
        if state is StreamState.UNREACHABLE:
            return _("The audience stream cannot be reached: {reason}").format(
                reason=_clause(self.last_error))
        if self.http_status is not None and not 200 <= self.http_status < 300:
            return _("The audience stream address answers HTTP {status}, not a playlist.").format(
                status=self.http_status)
        return _("The audience stream playlist is unusable: {reason}").format(
            reason=_clause(self.last_error))

    def _describe_live(self) -> str:
        if self.newest_segment_age is None:
            if self.advancing:
                return _("The audience stream is live and advancing.")
            return _("The audience stream is live; waiting to see a new segment.")
        age = _seconds(self.newest_segment_age)
        if self.advancing:
            return _("The audience stream is live and advancing (newest segment {age} old).").format(age=age)
        return _("The audience stream is live (newest segment {age} old); waiting to see a new "
                 "segment.").format(age=age)

    def _describe_stall(self) -> str:
        if self.stall_reason == "gone":
            if self.since_last_advance is None:
                return _("The audience stream has disappeared: its address now answers "
                         "{status}.").format(status=self.http_status)
            return _("The audience stream has disappeared: its address now answers {status} "
                     "(last new segment {since} ago).").format(
                status=self.http_status, since=_seconds(self.since_last_advance))
        if self.stall_reason == "empty":
            return _("The audience stream playlist no longer lists any segment.")
        if self.stall_reason == "old_segment" and self.newest_segment_age is not None:
            return _("The audience stream is not advancing: its newest segment is {age} old.").format(
                age=_seconds(self.newest_segment_age))
        if self.since_last_advance is not None:
            if self.new_segments == 0:  # never seen moving since the monitor started
                return _("The audience stream is not advancing: no new segment in {since}.").format(
                    since=_seconds(self.since_last_advance))
            return _("The stream has stopped advancing for {since}.").format(
                since=_seconds(self.since_last_advance))
        return _("The stream has stopped advancing.")

    def to_dict(self) -> dict[str, Any]:
        """Stable snake_case fields for ``--json`` and logs (the URLs are redacted)."""
        return {
            "state": self.state.value,
            "url": redact(self.url),
            "playlist_url": redact(self.playlist_url),
            "reachable": self.reachable,
            "advancing": self.advancing,
            "media_sequence": self.media_sequence,
            "newest_segment_age": _round(self.newest_segment_age),
            "target_duration": self.target_duration,
            "latency_estimate": _round(self.latency_estimate),
            "bitrate_bps": self.bitrate_bps,
            "segments_seen": self.segments_seen,
            "new_segments": self.new_segments,
            "since_last_advance": _round(self.since_last_advance),
            "stall_reason": self.stall_reason,
            "http_status": self.http_status,
            "last_error": self.last_error,
            "updated_at": (
                datetime.fromtimestamp(self.updated_at, UTC).isoformat() if self.updated_at else None
            ),
            "summary": self.describe(),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _seconds(value: float | None) -> str:
    if value is None:
        return _("{seconds} s").format(seconds="?")
    return _("{seconds} s").format(seconds=format_decimal(value, 1 if value < 10 else 0))


def _clause(sentence: str) -> str:
    """``sentence`` made to follow a colon: first letter lowered unless it starts a name."""
    sentence = sentence.strip() or _("no details.")
    if len(sentence) > 1 and sentence[0].isupper() and sentence[1].islower():
        sentence = sentence[0].lower() + sentence[1:]
    return sentence if sentence.endswith(".") else sentence + "."

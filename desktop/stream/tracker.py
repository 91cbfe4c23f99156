"""The HLS monitor's memory: from successive poll outcomes to a :class:`StreamHealth` verdict.

This part has no I/O and takes its clocks as arguments, so every rule below is testable without a
server or a sleep.

Rules (``stall_after`` = ``stall_after_targets`` x target duration unless set in seconds):

* The stream *advances* when the newest segment (sequence number, URI) changes.  The first
  successful poll only sets the baseline: a playlist that is there is LIVE until proven stuck,
  but ``advancing`` stays False until a new segment is actually seen.  Except when the address
  said the stream was absent first (404/410, or a playlist without segments): then every
  segment of the first playlist appeared while we watched, so they count as new segments and as
  an advance.  Waiting for one more segment would only delay a go-live by a segment duration
  (1 s in the lab, 2-6 s on nginx-rtmp set-ups) without proving anything more.
* STALLED when the newest segment has not changed for longer than ``stall_after``, or — when the
  playlist has PROGRAM-DATE-TIME and no advance was seen yet — when the newest segment is older
  than ``stall_after + clock_tolerance`` (a playlist frozen before we started watching).  A seen
  advance wins over PDT ages, so an origin with a wrong clock only delays LIVE, it never blocks it.
* 404/410 before any segment was seen: WAITING (the stream has not started).  After the stream
  was seen: STALLED with ``stall_reason="gone"`` — the audience sees nothing, and the sentence
  says the address vanished.  UNREACHABLE is kept for network failures, where nothing is known
  about the stream itself.  Any other non-2xx status is ERROR.
* Recovery is automatic: the next good playlist with a new newest segment is LIVE again.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

from desktop.errors import ConfigError
from desktop.i18n import N_, _
from desktop.stream.health import StallReason, StreamHealth, StreamState
from desktop.stream.playlist import MediaPlaylist, Segment


@dataclass(frozen=True)
class MonitorSettings:
    """Tuning of the HLS monitor (defaults suit 1-6 s segments).

    Attributes:
        poll_interval: fixed seconds between polls; None = half the target duration, clamped to
            [min_poll_interval, max_poll_interval] (a new segment is then seen within half a
            segment of its arrival without hammering the origin).
        min_poll_interval / max_poll_interval: the clamp.
        poll_before_playlist: seconds between polls while no target duration is known.  As
            short as the fastest steady poll: during a go-live the playlist appears with its
            first segment, which counts as the stream being live, so every tenth of a second
            between its appearance and the next poll is added to the go-live (measured: a 1-s
            interval cost up to a whole second).
        stall_after_targets: STALLED after this many target durations without a new segment.
        stall_after: the same threshold in seconds, overriding the above (tests use it).
        clock_tolerance: extra seconds allowed on PDT ages for the origin's clock error.
        measure_bitrate: HEAD each new newest segment to measure the bitrate.
        bitrate_window: number of recent segment sizes the bitrate is averaged over.
    """

    poll_interval: float | None = None
    min_poll_interval: float = 0.5
    max_poll_interval: float = 5.0
    poll_before_playlist: float = 0.5
    stall_after_targets: float = 3.0
    stall_after: float | None = None
    clock_tolerance: float = 10.0
    measure_bitrate: bool = True
    bitrate_window: int = 6

    def __post_init__(self) -> None:
        positive = (  # whole sentences, so that each translates
            (self.poll_interval, N_("The HLS monitor's poll interval must be a positive number of seconds.")),
            (self.min_poll_interval,
             N_("The HLS monitor's minimum poll interval must be a positive number of seconds.")),
            (self.max_poll_interval,
             N_("The HLS monitor's maximum poll interval must be a positive number of seconds.")),
            (self.poll_before_playlist,
             N_("The HLS monitor's poll interval before the playlist must be a positive number of seconds.")),
            (self.stall_after_targets,
             N_("The HLS monitor's stall threshold (target durations) must be a positive number of seconds.")),
            (self.stall_after, N_("The HLS monitor's stall threshold must be a positive number of seconds.")),
        )
        for value, sentence in positive:
            if value is not None and not value > 0:
                raise ConfigError(_(sentence))
        if self.min_poll_interval > self.max_poll_interval:
            raise ConfigError(_("The HLS monitor's minimum poll interval is above its maximum."))
        if self.clock_tolerance < 0 or self.bitrate_window < 1:
            raise ConfigError(_("The HLS monitor's clock tolerance or bitrate window is invalid."))

    def stall_threshold(self, target_duration: float) -> float:
        if self.stall_after is not None:
            return self.stall_after
        return self.stall_after_targets * target_duration

    def interval(self, target_duration: float | None) -> float:
        if self.poll_interval is not None:
            return self.poll_interval
        wanted = self.poll_before_playlist if target_duration is None else target_duration / 2
        return min(self.max_poll_interval, max(self.min_poll_interval, wanted))


class StreamTracker:
    """Remembers what was seen and turns each poll outcome into a snapshot.

    Call exactly one ``observe_*`` per poll; :meth:`observe_playlist` is followed by
    :meth:`playlist_health` (with :meth:`record_segment_size` in between when measuring).
    """

    def __init__(self, url: str, settings: MonitorSettings | None = None) -> None:
        self.url = url
        self.settings = settings or MonitorSettings()
        self.target_duration: float | None = None
        self.was_live = False
        self._playlist: MediaPlaylist | None = None
        self._playlist_url = ""
        self._media_sequence: int | None = None
        self._newest_key: tuple[int, str] | None = None
        self._newest_first_seen: float | None = None
        self._newest_was_there_at_start = True
        self._absent_seen = False  # 404/410 or no segment before the first segment was seen
        self._last_advance: float | None = None
        self._advance_seen = False
        self._segments_seen = 0
        self._new_segments = 0
        self._sizes: deque[tuple[int, float]] = deque(maxlen=self.settings.bitrate_window)

    # -- outcomes ---------------------------------------------------------------------------

    def observe_playlist(
        self, playlist: MediaPlaylist, *, playlist_url: str, mono: float
    ) -> Segment | None:
        """Take in a good media playlist; returns its newest segment when it is new to us."""
        self._playlist = playlist
        self._playlist_url = playlist_url
        self._media_sequence = playlist.media_sequence
        self.target_duration = playlist.target_duration
        newest = playlist.newest
        if newest is None:
            if not self.was_live:
                self._absent_seen = True
            return None
        key = (newest.sequence, newest.uri)
        previous = self._newest_key
        if previous == key:
            return None
        if previous is None and self._absent_seen:
            # the stream was absent at an earlier poll: all of this playlist is new
            self._segments_seen += len(playlist.segments)
            self._new_segments += len(playlist.segments)
            self._advance_seen = True
            self._newest_was_there_at_start = False
            self._last_advance = mono
        elif previous is None:
            self._segments_seen += len(playlist.segments)
            self._newest_was_there_at_start = True
            if self._last_advance is None:
                self._last_advance = mono
        else:
            if newest.sequence > previous[0]:
                added = newest.sequence - previous[0]
            else:  # the origin restarted its numbering: everything listed is new
                added = len(playlist.segments)
            self._segments_seen += added
            self._new_segments += added
            self._advance_seen = True
            self._newest_was_there_at_start = False
            self._last_advance = mono
        self._newest_key = key
        self._newest_first_seen = mono
        self.was_live = True
        return newest

    def record_segment_size(self, segment: Segment, size: int) -> None:
        if segment.duration > 0 and size >= 0:
            self._sizes.append((size, segment.duration))

    def playlist_health(self, *, status: int, wall: float, mono: float) -> StreamHealth:
        """The verdict for the playlist last given to :meth:`observe_playlist`."""
        playlist = self._playlist
        assert playlist is not None, "observe_playlist() first"
        base = self._base(wall=wall, mono=mono, reachable=True, status=status)
        newest = playlist.newest
        if newest is None:
            if not self.was_live:
                return replace(base, state=StreamState.WAITING)
            return self._stalled(base, "empty")

        latency: float | None = None
        age: float | None = None
        if newest.program_date_time is not None:
            start = newest.program_date_time.timestamp()
            # negative values only mean the origin's clock is ahead of ours: show 0
            latency = max(0.0, wall - start)
            age = max(0.0, wall - (start + newest.duration))
        elif not self._newest_was_there_at_start and self._newest_first_seen is not None:
            age = max(0.0, mono - self._newest_first_seen)

        threshold = self.settings.stall_threshold(playlist.target_duration)
        since = base.since_last_advance or 0.0
        stale_here = since > threshold
        advancing = self._advance_seen and not stale_here
        health = replace(
            base,
            advancing=advancing,
            newest_segment_age=age,
            latency_estimate=latency,
            bitrate_bps=self._bitrate(),
        )
        if playlist.endlist:
            return replace(health, state=StreamState.ENDED, advancing=False)
        if stale_here:
            return self._stalled(health, "not_advancing")
        pdt_stale = (
            newest.program_date_time is not None
            and age is not None
            and age > threshold + self.settings.clock_tolerance
        )
        if pdt_stale and not advancing:
            return self._stalled(health, "old_segment")
        return replace(health, state=StreamState.LIVE)

    def observe_status(self, status: int, *, wall: float, mono: float) -> StreamHealth:
        """The playlist address answered a non-2xx status."""
        base = self._base(wall=wall, mono=mono, reachable=True, status=status)
        if status in (404, 410):
            if not self.was_live:
                self._absent_seen = True
            if self.was_live:
                return self._stalled(
                    replace(
                        base,
                        last_error=_("The audience stream address now answers {status}: "
                                     "the stream has stopped.").format(status=status),
                    ),
                    "gone",
                )
            return replace(
                base,
                state=StreamState.WAITING,
                last_error=_("The audience stream address answers {status}: "
                             "the stream has not started.").format(status=status),
            )
        return replace(
            base,
            state=StreamState.ERROR,
            last_error=_("The audience stream address answers HTTP {status}.").format(status=status),
        )

    def observe_failure(
        self, state: StreamState, sentence: str, *, reachable: bool, wall: float, mono: float
    ) -> StreamHealth:
        """A network failure (UNREACHABLE) or an unusable answer (ERROR)."""
        base = self._base(wall=wall, mono=mono, reachable=reachable, status=None)
        return replace(base, state=state, last_error=sentence)

    # -- helpers ----------------------------------------------------------------------------

    def _base(self, *, wall: float, mono: float, reachable: bool, status: int | None) -> StreamHealth:
        since = None if self._last_advance is None else max(0.0, mono - self._last_advance)
        return StreamHealth(
            state=StreamState.WAITING,
            url=self.url,
            reachable=reachable,
            media_sequence=self._media_sequence,
            target_duration=self.target_duration,
            segments_seen=self._segments_seen,
            new_segments=self._new_segments,
            since_last_advance=since,
            http_status=status,
            updated_at=wall,
            playlist_url=self._playlist_url,
        )

    @staticmethod
    def _stalled(health: StreamHealth, reason: StallReason) -> StreamHealth:
        return replace(health, state=StreamState.STALLED, advancing=False, stall_reason=reason)

    def _bitrate(self) -> int | None:
        if not self._sizes:
            return None
        total_bytes = sum(size for size, _ in self._sizes)
        total_seconds = sum(duration for _, duration in self._sizes)
        return round(total_bytes * 8 / total_seconds) if total_seconds > 0 else None
